"""Evaluation of profiles for the API, the batch command and the self-check page.

The engine (``zhicheng.rules``) is pure Python; this module only turns its two refusals into
one shape the callers share: a list of ``{"loc": …, "msg": …}`` naming each bad field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhicheng import rules


@dataclass
class Outcome:
    result: dict[str, Any] | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result is not None


NOT_AN_OBJECT = [{"loc": "", "msg": "档案应为 JSON 对象（{…}）"}]


def validate_profile(data: Any) -> tuple[rules.Profile | None, list[dict[str, str]]]:
    """The validated profile, or ``None`` and every error naming its field."""
    if not isinstance(data, dict):
        return None, NOT_AN_OBJECT
    try:
        return rules.validate_profile(data), []
    except rules.ProfileError as error:
        return None, error.errors


def evaluate_profile(data: Any) -> Outcome:
    """Validate ``data`` against POLICY_API and evaluate it; never raises for bad input."""
    profile, errors = validate_profile(data)
    if profile is None:
        return Outcome(errors=errors)
    return Outcome(result=rules.evaluate(profile))
