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


def evaluate_profile(data: Any) -> Outcome:
    """Validate ``data`` against POLICY_API and evaluate it; never raises for bad input."""
    if not isinstance(data, dict):
        return Outcome(errors=[{"loc": "", "msg": "档案应为 JSON 对象（{…}）"}])
    try:
        return Outcome(result=rules.evaluate(data))
    except rules.ProfileError as error:
        return Outcome(errors=error.errors)
