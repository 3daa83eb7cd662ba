"""Evaluation: a profile and its policy → the explained result of POLICY_API.md."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .facts import Facts
from .loader import load_policy
from .profile import Profile, validate_profile
from .vocab import APPLICATION_TYPE_NAMES


def _route_result(route, f: Facts) -> dict:
    checks = []
    append = checks.append
    met = True
    for node in route.checks:
        ok, actual, missing, details = node.evaluate(f)
        d = {"id": node.id, "met": ok, "expected": node.expected, "actual": actual}
        if not ok:
            met = False
            if missing:
                d["missing"] = missing
        if details:
            d["details"] = details
        append(d)
    for check in route.general:
        d = check.evaluate(f)
        if met and not d["met"]:
            met = False
        append(d)
    return {
        "id": route.full_id,
        "application_type": route.application_type,
        "clause": route.clause,
        "label": route.label,
        "met": met,
        "checks": checks,
    }


def evaluate(profile: dict | Profile) -> dict:
    """Evaluate one profile (a dict as in POLICY_API.md, or a validated :class:`Profile`).

    Raises :class:`ProfileError` on invalid input; a broken policy file raises
    :class:`PolicyError`.
    """
    p = validate_profile(profile)
    policy = load_policy(p.policy)
    level = policy.levels[p.level]
    f = Facts(p, policy)

    routes = [_route_result(route, f) for route in level.routes]
    checks = [check.evaluate(f) for check in policy.top_checks]
    wanted = p.application_type
    route_ok = any(r["met"] for r in routes if wanted is None or r["application_type"] == wanted)
    checks_ok = all(c["met"] for c in checks)

    messages = _messages(p, f, level, routes, checks, route_ok)
    result = {
        "policy": policy.id,
        "policy_version": policy.version,
        "level": p.level,
        "eligible": route_ok and checks_ok,
        "routes": routes,
        "checks": checks,
    }
    if policy.scoring is not None:
        result["score"] = f.score
    result["excluded"] = f.excluded
    result["messages"] = messages
    return result


@contextmanager
def batch_mode() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while evaluating many profiles.

    An evaluation creates no reference cycles (tested), so everything it allocates is freed
    by reference counting; but a batch that *keeps* its results (thousands of small dicts)
    makes the collector traverse them again and again — several times the cost of the
    evaluations themselves. The previous collector state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def evaluate_many(profiles: Iterable[dict | Profile]) -> list[dict]:
    """The batch path: evaluate each profile in turn (policies are loaded once), in
    :func:`batch_mode`. Raises :class:`ProfileError` on the first invalid profile."""
    with batch_mode():
        return [evaluate(p) for p in profiles]


def _messages(p: Profile, f: Facts, level, routes: list[dict], checks: list[dict], route_ok: bool) -> list[str]:
    out: list[str] = []
    if p.deadline is None:
        out.append(f"未提供申报截止日（deadline），按资历计算截止日 {p.as_of.isoformat()} 计算")
    if p.achievements_until is None:
        out.append(f"未提供业绩截止日（achievements_until），按资历计算截止日 {p.as_of.isoformat()} 计算")
    if p.application_type is not None:
        out.append(f"按申报方式「{APPLICATION_TYPE_NAMES[p.application_type]}」判断申报资格")
    known = f.policy.claims
    for claim in p.claims:
        if claim not in known:
            out.append(f"未识别的声明：{claim}（本政策没有此条件，已忽略）")
        elif not claim.startswith(f"{p.policy}/{p.level}/"):
            out.append(f"声明 {claim} 属于其他级别，已忽略")
    for route, r in zip(level.routes, routes, strict=True):
        if r["met"] and route.notes and (p.application_type in (None, route.application_type)):
            out.extend(f"{route.id}：{note}" for note in route.notes)
    if not route_ok:
        which = f"申报方式「{APPLICATION_TYPE_NAMES[p.application_type]}」下" if p.application_type else ""
        out.append(f"{which}没有满足条件的申报路径")
    for c in checks:
        if not c["met"]:
            out.append(f"{c['label']}不符合：{c.get('missing') or c['expected']}")
    return out
