"""Properties over generated profiles (hypothesis): any schema-valid profile evaluates;
more continuing education or a later cut-off never turns a met check unmet; more
achievements never lower a score; no score exceeds its cap."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhicheng.rules import evaluate, load_policy, validate_profile

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EDUCATION_LEVELS = [
    "doctorate",
    "master",
    "second_bachelor",
    "bachelor",
    "college",
    "secondary",
    "high_school",
    "below",
    "technical_intermediate",
    "technical_senior",
    "technical_preparatory",
]
TITLE_LEVELS = ["technician", "assistant_engineer", "engineer", "senior_engineer", "professor_engineer"]

days = st.dates(min_value=date(1995, 1, 1), max_value=date(2026, 12, 31))
iso = days.map(date.isoformat)
years = st.integers(min_value=2012, max_value=2026)
ranks = st.integers(min_value=1, max_value=12)


@st.composite
def period(draw, open_end: bool = True) -> tuple[str, str | None]:
    start = draw(days)
    if open_end and draw(st.booleans()):
        return start.isoformat(), None
    return start.isoformat(), (start + timedelta(days=draw(st.integers(0, 6000)))).isoformat()


@st.composite
def month_period(draw) -> dict:
    y, m = draw(st.integers(2000, 2026)), draw(st.integers(1, 12))
    start = f"{y:04d}-{m:02d}"
    end = None
    if draw(st.booleans()):
        n = y * 12 + m - 1 + draw(st.integers(0, 200))
        end = f"{n // 12:04d}-{n % 12 + 1:02d}"
    region = draw(st.sampled_from(["330302", "330381", "330203", "330604", "110101"]))
    return {"start": start, "end": end, "region": region, "current_employer": draw(st.booleans())}


@st.composite
def work_item(draw) -> dict:
    start, end = draw(period())
    return {
        "start": start,
        "end": end,
        "relevant": draw(st.booleans()),
        "mountain_county": draw(st.booleans()),
        "government": draw(st.booleans()),
    }


@st.composite
def post_item(draw) -> dict:
    start, end = draw(period())
    return {"kind": draw(st.sampled_from(["unit_tech_lead", "dept_tech_lead"])), "start": start, "end": end}


@st.composite
def integrity_item(draw) -> dict:
    start, end = draw(period())
    return {"banned_from": start, "banned_until": end}


education = st.fixed_dictionaries(
    {"level": st.sampled_from(EDUCATION_LEVELS), "relevant": st.booleans()},
    optional={"degree": st.booleans(), "graduated": iso, "major": st.text(max_size=4)},
)
titles = st.fixed_dictionaries({"level": st.sampled_from(TITLE_LEVELS), "relevant": st.booleans(), "obtained": iso})
skills = st.fixed_dictionaries({"grade": st.integers(1, 5), "relevant": st.booleans(), "obtained": iso})
ce = st.fixed_dictionaries(
    {
        "year": years,
        "category": st.sampled_from(["general_public", "industry_public", "professional"]),
        "hours": st.one_of(st.integers(0, 120), st.floats(0, 120, allow_nan=False, allow_infinity=False)),
    }
)
assessments = st.dictionaries(years, st.sampled_from(["excellent", "good", "pass", "fail"]), max_size=6).map(
    lambda d: [{"year": y, "result": r} for y, r in d.items()]
)
awards = st.fixed_dictionaries(
    {
        "level": st.sampled_from(["national", "provincial", "city", "county"]),
        "grade": st.integers(1, 3),
        "rank": ranks,
        "date": iso,
    },
    optional={"achievement": st.one_of(st.none(), st.sampled_from(["A1", "A2", "A3"]))},
)
projects = st.fixed_dictionaries(
    {"level": st.sampled_from(["provincial", "city", "county"]), "rank": ranks, "date": iso}
)
papers = st.fixed_dictionaries(
    {"kind": st.sampled_from(["monograph", "core", "provincial", "other", "unpublished"]), "rank": ranks, "date": iso}
)
patents = st.fixed_dictionaries(
    {"kind": st.sampled_from(["invention", "utility", "software"]), "rank": ranks, "date": iso}
)
standards = st.fixed_dictionaries(
    {"kind": st.sampled_from(["national", "industry", "provincial_local", "enterprise"]), "rank": ranks, "date": iso}
)
new_products = st.fixed_dictionaries({"level": st.sampled_from(["national", "provincial"]), "rank": ranks, "date": iso})
honors = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["model_worker", "advanced_worker", "party_member"]),
        "level": st.sampled_from(["city", "county", "section"]),
        "year": years,
    }
)
skill_titles = st.one_of(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(
                [
                    "provincial_chief_technician",
                    "national_technical_expert",
                    "city_chief_technician",
                    "city_master",
                    "provincial_technical_expert",
                    "county_technical_expert",
                ]
            ),
            "year": years,
        },
        optional={"date": iso},
    ),
    st.fixed_dictionaries({"kind": st.just("city_master"), "date": iso}),
)
competitions = st.fixed_dictionaries(
    {"level": st.sampled_from(["national", "provincial", "city", "county"]), "place": st.integers(1, 3), "year": years}
)
experts = st.fixed_dictionaries(
    {
        "expert": st.sampled_from(["E-1", "E-2", "E-3"]),
        "title_level": st.sampled_from(TITLE_LEVELS),
        "province": st.sampled_from(["浙江", "浙江省", "江苏"]),
        "relevant": st.booleans(),
    }
)

RECORDS = {
    "awards": awards,
    "projects": projects,
    "papers": papers,
    "patents": patents,
    "standards": standards,
    "new_products": new_products,
    "honors": honors,
    "skill_titles": skill_titles,
    "competitions": competitions,
}


def _lists(strategy, n: int = 3):
    return st.lists(strategy, max_size=n)


@st.composite
def profile(draw, policy: str | None = None) -> dict:
    policy = policy or draw(st.sampled_from(["wz-jidian-2020", "sy-jidian-2023", "nb-quality-2024"]))
    compiled = load_policy(policy)
    level = draw(st.sampled_from(list(compiled.levels)))
    app_types = compiled.levels[level].application_types
    claims = list(compiled.claims)
    plan_year = draw(st.integers(2020, 2026))
    as_of = draw(st.dates(min_value=date(plan_year, 1, 1), max_value=date(plan_year, 12, 31)))
    p = {
        "policy": policy,
        "level": level,
        "application_type": draw(st.one_of(st.none(), st.sampled_from(app_types))),
        "plan_year": plan_year,
        "as_of": as_of.isoformat(),
        "person": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "birth_date": st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)).map(
                        date.isoformat
                    ),
                    "gender": st.sampled_from(["male", "female"]),
                    "employer_kind": st.sampled_from(
                        ["public_institution", "state_enterprise", "private_enterprise", "social_org"]
                    ),
                    "employer_size": st.sampled_from(["large", "small"]),
                },
            )
        ),
        "education": draw(_lists(education)),
        "titles": draw(_lists(titles)),
        "skills": draw(_lists(skills)),
        "work": draw(_lists(work_item(), 4)),
        "social_insurance": draw(_lists(month_period())),
        "continuing_education": draw(_lists(ce, 10)),
        "assessments": draw(assessments),
        "language": draw(st.sampled_from(["none", "cet4", "cet6", "title_exam"])),
        "computer_modules": draw(st.integers(0, 8)),
        "posts": draw(_lists(post_item(), 2)),
        "income_over_120k": draw(st.booleans()),
        "other_points": draw(st.one_of(st.integers(0, 5), st.floats(0, 5, allow_nan=False))),
        "expert_recommendations": draw(_lists(experts)),
        "claims": draw(st.lists(st.one_of(st.sampled_from(claims), st.text(max_size=8)), max_size=3)),
        "integrity": draw(_lists(integrity_item(), 1)),
    }
    for kind, strategy in RECORDS.items():
        p[kind] = draw(_lists(strategy))
    if draw(st.booleans()):
        p["deadline"] = draw(iso)
    if draw(st.booleans()):
        p["achievements_until"] = draw(iso)
    if draw(st.booleans()):  # often a plausible applicant, so that checks and routes do hold
        region = {"wz-jidian-2020": "330302", "sy-jidian-2023": "330604", "nb-quality-2024": "330203"}[policy]
        p["social_insurance"].append({"start": "2010-01", "end": None, "region": region, "current_employer": True})
        p["assessments"] = [{"year": y, "result": "good"} for y in range(plan_year - 3, plan_year)]
        p["continuing_education"] += [
            {"year": y, "category": c, "hours": h}
            for y in range(plan_year - 2, plan_year + 1)
            for c, h in (("professional", 60), ("general_public", 30))
        ]
        p["person"].update(birth_date="1985-05-05", gender="male")
        p["integrity"] = []
        p["deadline"] = f"{plan_year}-10-31"
        if draw(st.booleans()):
            p["education"].append({"level": "bachelor", "relevant": True, "graduated": "2008-07-01"})
            p["titles"].append({"level": "assistant_engineer", "relevant": True, "obtained": draw(iso)})
            p["work"].append({"start": "2008-07-01", "end": None, "relevant": True})
    return p


def _met_checks(result: dict) -> set[tuple[str, str]]:
    out = {("top", c["id"]) for c in result["checks"] if c["met"]}
    for r in result["routes"]:
        if r["met"]:
            out.add((r["id"], "*route*"))
        out |= {(r["id"], c["id"]) for c in r["checks"] if c["met"]}
    if result["eligible"]:
        out.add(("top", "*eligible*"))
    return out


# ---- any schema-valid profile evaluates, and the result is consistent


@SETTINGS
@given(profile())
def test_any_valid_profile_evaluates(p):
    validate_profile(p)
    result = evaluate(p)
    json.dumps(result, ensure_ascii=False)
    wanted = p["application_type"]
    routes_ok = any(r["met"] for r in result["routes"] if wanted is None or r["application_type"] == wanted)
    assert result["eligible"] is (routes_ok and all(c["met"] for c in result["checks"]))
    for r in result["routes"]:
        assert r["met"] is all(c["met"] for c in r["checks"])
        for c in r["checks"]:
            assert isinstance(c["expected"], str) and c["expected"]
            assert isinstance(c["actual"], str) and c["actual"]
            if not c["met"]:
                assert c["missing"]
    for c in result["checks"]:
        if not c["met"]:
            assert c["missing"]
    for e in result["excluded"]:
        assert e["reason"]


# ---- monotonicity


@SETTINGS
@given(profile(), st.lists(ce, min_size=1, max_size=4))
def test_more_continuing_education_never_turns_a_met_check_unmet(p, extra):
    before = _met_checks(evaluate(p))
    more = copy.deepcopy(p)
    more["continuing_education"] += extra
    after = _met_checks(evaluate(more))
    assert before <= after


@SETTINGS
@given(profile("wz-jidian-2020"), st.integers(1, 3000), iso)
def test_a_later_cutoff_never_turns_a_met_check_unmet(p, days_later, deadline):
    """Wenzhou. (Shangyu and Ningbo have upper bounds — 3 ≤ years < 4, retirement age,
    "the last 5 years" — which a later cut-off can break, as the documents intend.)"""
    p["deadline"] = deadline  # the deadline is the plan's, not derived from the cut-off
    before_result = evaluate(p)
    later = copy.deepcopy(p)
    later["as_of"] = (date.fromisoformat(p["as_of"]) + timedelta(days=days_later)).isoformat()
    if "achievements_until" not in later:
        later["achievements_until"] = p["as_of"]
    after_result = evaluate(later)
    assert _met_checks(before_result) <= _met_checks(after_result)
    assert after_result["score"]["self_score"] >= before_result["score"]["self_score"]


@SETTINGS
@given(profile("wz-jidian-2020"), st.data())
def test_more_achievements_never_lower_the_score(p, data):
    before = evaluate(p)["score"]
    more = copy.deepcopy(p)
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(sorted(RECORDS)))
        more[kind].append(data.draw(RECORDS[kind]))
    after = evaluate(more)["score"]
    assert after["achievements"] >= before["achievements"]
    assert after["self_score"] >= before["self_score"]
    assert after["basic"] == before["basic"]


# ---- caps


@SETTINGS
@given(profile("wz-jidian-2020"))
def test_no_score_exceeds_its_cap(p):
    score = evaluate(p)["score"]
    assert 0 <= score["basic"] <= 20
    assert 0 <= score["achievements"] <= 35
    assert 0 <= score["bonus"] <= 3
    assert score["self_score"] == score["basic"] + score["achievements"] + score["bonus"]
    items = score["items"]
    for part in ("basic", "achievements", "bonus"):
        assert abs(sum(i["points"] for i in items if i["part"] == part) - score[part]) < 1e-9
    for group, cap in (("papers", 20), ("patents", 20)):
        assert sum(i["points"] for i in items if i["id"].startswith(group)) <= cap
    for i in items:
        if not i["id"].endswith(":cap"):
            assert i["points"] >= 0
    assert sum(1 for i in items if i["id"].startswith("papers[") and i["points"] > 0 and "未公开" in i["note"]) <= 2
    flagged = {f["item"] for f in score["flagged"]}
    for i in items:
        if i["id"] in flagged:
            assert i["points"] == 0


@SETTINGS
@given(st.lists(honors, max_size=8), st.lists(competitions, max_size=8))
def test_one_honour_and_one_competition_per_year(hs, cs):
    p = {
        "policy": "wz-jidian-2020",
        "level": "engineer",
        "plan_year": 2026,
        "as_of": "2026-12-31",
        "honors": hs,
        "competitions": cs,
    }
    items = evaluate(p)["score"]["items"]
    for kind, records in (("honors", hs), ("competitions", cs)):
        counted = [
            records[int(i["id"][len(kind) + 1 : -1])]["year"]
            for i in items
            if i["id"].startswith(f"{kind}[") and i["points"] > 0
        ]
        assert len(counted) == len(set(counted))
