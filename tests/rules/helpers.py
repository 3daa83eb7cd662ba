"""Builders for policy-engine tests: complete profiles with one thing varied at a time."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from zhicheng.rules import evaluate

AS_OF = date(2024, 12, 31)
DAY = timedelta(days=1)


def iso(d: date) -> str:
    return d.isoformat()


def years_before_cutoff(n: int, as_of: date = AS_OF) -> date:
    """The latest start date that still gives ``n`` full years at ``as_of``: the day after
    ``as_of``, ``n`` years earlier (computed by hand, not with the engine's date module)."""
    after = as_of + DAY
    return date(after.year - n, after.month, after.day)


def ce_years(*years: int, professional: float = 60, general: float = 18, industry: float = 12) -> list[dict]:
    out = []
    for y in years:
        out += [
            {"year": y, "category": "professional", "hours": professional},
            {"year": y, "category": "general_public", "hours": general},
            {"year": y, "category": "industry_public", "hours": industry},
        ]
    return out


def wz(level: str = "engineer", **overrides) -> dict:
    """A Wenzhou profile meeting every general check, with no education, title, skill or work
    (so no route holds until the test adds what the route needs)."""
    profile = {
        "policy": "wz-jidian-2020",
        "level": level,
        "application_type": None,
        "plan_year": 2024,
        "as_of": "2024-12-31",
        "deadline": "2024-10-31",
        "achievements_until": "2024-08-31",
        "person": {
            "birth_date": "1988-03-02",
            "gender": "male",
            "employer_kind": "private_enterprise",
            "employer_size": "small",
        },
        "education": [],
        "titles": [],
        "skills": [],
        "work": [],
        "social_insurance": [{"start": "2015-01", "end": None, "region": "330302", "current_employer": True}],
        "continuing_education": ce_years(2022, 2023, 2024),
        "assessments": [{"year": y, "result": "pass"} for y in (2021, 2022, 2023)],
    }
    profile.update(copy.deepcopy(overrides))
    return profile


def sy(**overrides) -> dict:
    profile = {
        "policy": "sy-jidian-2023",
        "level": "engineer",
        "plan_year": 2023,
        "as_of": "2023-12-31",
        "deadline": "2023-09-08",
        "achievements_until": "2023-09-08",
        "person": {
            "birth_date": "1990-01-01",
            "gender": "male",
            "employer_kind": "private_enterprise",
            "employer_size": "small",
        },
        "continuing_education": ce_years(2021, 2022, 2023),
        "assessments": [{"year": y, "result": "pass"} for y in (2020, 2021, 2022)],
    }
    profile.update(copy.deepcopy(overrides))
    return profile


def nb(**overrides) -> dict:
    profile = {
        "policy": "nb-quality-2024",
        "level": "engineer",
        "plan_year": 2024,
        "as_of": "2024-12-31",
        "deadline": "2024-08-21",
        "achievements_until": "2024-08-21",
        "person": {
            "birth_date": "1990-04-04",
            "gender": "female",
            "employer_kind": "state_enterprise",
            "employer_size": "large",
        },
        "social_insurance": [{"start": "2019-05", "end": None, "region": "330203", "current_employer": True}],
        "continuing_education": ce_years(2022, 2023, 2024),
        "assessments": [{"year": y, "result": "pass"} for y in (2021, 2022, 2023)],
    }
    profile.update(copy.deepcopy(overrides))
    return profile


def edu(level: str, relevant: bool = True, degree: bool = False, graduated: str | None = "2010-07-01") -> dict:
    return {"level": level, "major": "机械工程", "relevant": relevant, "degree": degree, "graduated": graduated}


def title(level: str, obtained: date | str, relevant: bool = True) -> dict:
    return {"level": level, "relevant": relevant, "obtained": obtained if isinstance(obtained, str) else iso(obtained)}


def skill(grade: int, obtained: date | str, relevant: bool = True) -> dict:
    return {"grade": grade, "relevant": relevant, "obtained": obtained if isinstance(obtained, str) else iso(obtained)}


def work(start: date | str, end: date | str | None = None, relevant: bool = True, **kw) -> dict:
    def s(d):
        return d if d is None or isinstance(d, str) else iso(d)

    return {"start": s(start), "end": s(end), "relevant": relevant, **kw}


def route(result: dict, route_id: str) -> dict:
    """The route whose id ends with ``/<route_id>``."""
    for r in result["routes"]:
        if r["id"].endswith("/" + route_id):
            return r
    raise KeyError(route_id)


def check(container: dict, check_id: str) -> dict:
    for c in container["checks"]:
        if c["id"] == check_id:
            return c
    raise KeyError(check_id)


def met(profile: dict, route_id: str) -> bool:
    return route(evaluate(profile), route_id)["met"]


def item(result: dict, item_id: str) -> dict:
    for it in result["score"]["items"]:
        if it["id"] == item_id:
            return it
    raise KeyError(item_id)
