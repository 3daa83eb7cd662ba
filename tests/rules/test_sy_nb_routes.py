"""The Shangyu (sy-jidian-2023) and Ningbo (nb-quality-2024) routes, written as data with the
same predicates as Wenzhou."""

from __future__ import annotations

from datetime import date

import pytest

from zhicheng.rules import evaluate

from .helpers import DAY, check, edu, met, nb, route, skill, sy, title, work

SY_AS_OF = date(2023, 12, 31)


def S(n: int) -> date:  # noqa: N802 - the boundary date at the Shangyu cut-off
    return date(2024 - n, 1, 1)


# ---- Shangyu


@pytest.mark.parametrize(
    ("education", "years", "holds"),
    [
        ([edu("master")], 2, True),
        ([edu("second_bachelor")], 2, True),
        ([edu("bachelor")], 2, False),
        ([edu("bachelor")], 4, True),
        ([edu("college")], 4, True),
        ([edu("bachelor", False)], 4, False),  # Decision: non-relevant = lacking
    ],
)
def test_sy_normal(education, years, holds):
    profile = sy(education=education, titles=[title("assistant_engineer", S(years))])
    assert met(profile, "normal") is holds


def test_sy_normal_boundary_day():
    p = sy(education=[edu("master")], titles=[title("assistant_engineer", S(2))])
    assert met(p, "normal") is True
    p = sy(education=[edu("master")], titles=[title("assistant_engineer", S(2) + DAY)])
    assert met(p, "normal") is False


@pytest.mark.parametrize(
    ("education", "start", "holds"),
    [
        ([edu("master", graduated="2019-06-30")], "2019-07-01", True),
        ([edu("bachelor", graduated="2018-06-30")], "2019-01-01", True),  # 5 years since graduating
        ([edu("bachelor", graduated="2018-06-30")], "2019-01-02", False),
        ([edu("bachelor", graduated="2019-01-01")], "2018-07-01", False),  # work before graduating does not count
        ([edu("college", graduated="2016-06-30")], "2016-07-01", True),  # 7 years
        ([edu("college", graduated="2017-06-30")], "2016-07-01", False),  # only work after graduating
        ([edu("bachelor", False, graduated="2017-06-30")], "2017-07-01", True),  # non-relevant: 6 years
        ([edu("bachelor", False, graduated="2018-06-30")], "2018-07-01", False),
        ([edu("master", graduated=None)], "2015-01-01", False),  # graduation date unknown
        ([edu("high_school", False)], "2000-01-01", False),
    ],
)
def test_sy_private_work_after_graduation(education, start, holds):
    assert met(sy(education=education, work=[work(start)]), "private") is holds


def test_sy_private_needs_a_private_employer():
    profile = sy(education=[edu("master", graduated="2015-06-30")], work=[work("2015-07-01")])
    profile["person"]["employer_kind"] = "state_enterprise"
    r = route(evaluate(profile), "private")
    assert r["met"] is False
    assert check(r, "employer")["met"] is False


def test_sy_private_missing_graduation_date_is_explained():
    r = route(evaluate(sy(education=[edu("master", graduated=None)], work=[work("2015-01-01")])), "private")
    details = check(r, "education_work")["details"]
    assert "未提供毕业时间" in details[0]["actual"]


@pytest.mark.parametrize(
    ("overrides", "holds"),
    [
        # (4) 10 years of work + (1) claimed
        ({"work": [work(S(10))], "claims": ["sy-jidian-2023/engineer/two_of_five/1"]}, True),
        ({"work": [work(S(10) + DAY)], "claims": ["sy-jidian-2023/engineer/two_of_five/1"]}, False),
        # (2) one invention ranked first within 5 years + (3) technical head 3 years
        (
            {
                "patents": [{"kind": "invention", "rank": 1, "date": "2019-01-01"}],
                "posts": [{"kind": "dept_tech_lead", "start": "2021-01-01", "end": None}],
            },
            True,
        ),
        # the invention is older than five years (window starts 2019-01-01) …
        (
            {
                "patents": [{"kind": "invention", "rank": 1, "date": "2018-12-31"}],
                "posts": [{"kind": "dept_tech_lead", "start": "2021-01-01", "end": None}],
            },
            False,
        ),
        # … ranked second …
        (
            {
                "patents": [{"kind": "software", "rank": 2, "date": "2022-01-01"}],
                "posts": [{"kind": "dept_tech_lead", "start": "2021-01-01", "end": None}],
            },
            False,
        ),
        # three utility patents ranked first count as (2)
        (
            {
                "patents": [{"kind": "utility", "rank": 1, "date": "2022-01-01"}] * 3,
                "claims": ["sy-jidian-2023/engineer/two_of_five/5"],
            },
            True,
        ),
        (
            {
                "patents": [{"kind": "utility", "rank": 1, "date": "2022-01-01"}] * 2,
                "claims": ["sy-jidian-2023/engineer/two_of_five/5"],
            },
            False,
        ),
        # (5) from an honour record, (3) from a claim
        (
            {
                "honors": [{"kind": "party_member", "level": "county", "year": 2022}],
                "claims": ["sy-jidian-2023/engineer/two_of_five/3"],
            },
            True,
        ),
        ({"posts": [{"kind": "unit_tech_lead", "start": "2021-01-02", "end": None}], "work": [work(S(10))]}, False),
    ],
)
def test_sy_two_of_five(overrides, holds):
    assert met(sy(**overrides), "two_of_five") is holds


def _a_claims(*items: int) -> list[str]:
    return [f"sy-jidian-2023/engineer/exceptional_a/{i}" for i in items]


@pytest.mark.parametrize(
    ("education", "title_start", "claims", "holds"),
    [
        ([edu("bachelor")], S(3), _a_claims(2, 3, 4), True),  # with the education, 3 ≤ years < 4
        ([edu("bachelor")], S(4), _a_claims(2, 3, 4), False),  # 4 years: the normal route, not A
        ([edu("bachelor")], S(3) + DAY, _a_claims(2, 3, 4), False),
        ([edu("high_school", False)], S(4), _a_claims(2, 3, 4), True),  # lacking it, ≥ 4 years
        ([edu("high_school", False)], S(4) + DAY, _a_claims(2, 3, 4), False),
        ([edu("bachelor", False)], S(6), _a_claims(2, 3, 4), True),  # non-relevant = lacking
        ([edu("bachelor")], S(3), _a_claims(2, 3), False),  # only 2 of 7
    ],
)
def test_sy_exceptional_a(education, title_start, claims, holds):
    profile = sy(education=education, titles=[title("assistant_engineer", title_start)], claims=claims)
    assert met(profile, "exceptional_a") is holds


def test_sy_exceptional_a_computed_items():
    profile = sy(
        education=[edu("secondary")],
        titles=[title("assistant_engineer", S(5))],
        work=[work(S(15))],  # (6) 中专 + 15 years
        papers=[
            {"kind": "provincial", "rank": 2, "date": "2022-01-01"},
            {"kind": "core", "rank": 1, "date": "2023-01-01"},
        ],
        honors=[{"kind": "advanced_worker", "level": "city", "year": 2022}],  # (5)
    )
    c = check(route(evaluate(profile), "exceptional_a"), "three_of_seven")
    assert c["met"] is True
    assert [d["met"] for d in c["details"]] == [True, False, False, False, True, True, False]


def test_sy_exceptional_b():
    claim = ["sy-jidian-2023/engineer/exceptional_b/1"]
    assert met(sy(education=[edu("high_school", False)], claims=claim), "exceptional_b") is True
    assert met(sy(education=[edu("college")], claims=claim), "exceptional_b") is False
    assert met(sy(titles=[title("assistant_engineer", "2023-01-01")], claims=claim), "exceptional_b") is False
    assert met(sy(education=[edu("high_school", False)]), "exceptional_b") is False


def test_sy_skill():
    assert met(sy(skills=[skill(2, S(3))]), "skill") is True
    assert met(sy(skills=[skill(2, S(3) + DAY)]), "skill") is False
    assert met(sy(skills=[skill(3, S(10))]), "skill") is False


def test_sy_achievement_window_is_title_or_last_five_years():
    # title 2022: the last five years (from 2019-01-01) admit more
    profile = sy(
        titles=[title("assistant_engineer", "2022-01-01")], papers=[{"kind": "core", "rank": 1, "date": "2019-01-01"}]
    )
    assert evaluate(profile)["excluded"] == []
    profile["papers"][0]["date"] = "2018-12-31"
    [ex] = evaluate(profile)["excluded"]
    assert "近 5 年（2019-01-01 起）" in ex["reason"]
    # an older title admits more than five years
    profile["titles"][0]["obtained"] = "2015-01-01"
    assert evaluate(profile)["excluded"] == []


def test_sy_routes_are_listed_with_their_application_types():
    result = evaluate(sy())
    assert [(r["id"], r["application_type"]) for r in result["routes"]] == [
        ("sy-jidian-2023/engineer/normal", "normal"),
        ("sy-jidian-2023/engineer/private", "private"),
        ("sy-jidian-2023/engineer/two_of_five", "two_of_five"),
        ("sy-jidian-2023/engineer/exceptional_a", "exceptional_a"),
        ("sy-jidian-2023/engineer/exceptional_b", "exceptional_b"),
        ("sy-jidian-2023/engineer/skill", "skill"),
    ]
    assert "score" not in result


# ---- Ningbo


def N(n: int) -> date:  # noqa: N802 - the boundary date at the Ningbo cut-off 2024-12-31
    return date(2025 - n, 1, 1)


def _claims(*items: int) -> list[str]:
    return [f"nb-quality-2024/engineer/exceptional/{i}" for i in items]


@pytest.mark.parametrize(
    ("education", "title_start", "claims", "normal", "exceptional"),
    [
        ([edu("college")], N(4), [], True, False),
        ([edu("college")], N(3), _claims(1, 5), False, True),  # example 04
        ([edu("college")], N(3) + DAY, _claims(1, 5), False, False),
        ([edu("college")], N(4), _claims(1, 5), True, False),  # 4 years with the education: normal
        ([edu("college", False)], N(4), _claims(1, 5), False, True),  # lacking it, ≥ 4 years
        ([edu("college", False)], N(4) + DAY, _claims(1, 5), False, True),  # 3 years also holds
        ([edu("secondary")], N(6), _claims(1, 5), False, False),  # below 大专
        ([edu("college")], N(3), _claims(1), False, False),  # one of seven
        ([edu("master")], N(2), [], True, False),
    ],
)
def test_nb_routes(education, title_start, claims, normal, exceptional):
    result = evaluate(nb(education=education, titles=[title("assistant_engineer", title_start)], claims=claims))
    assert route(result, "normal")["met"] is normal
    assert route(result, "exceptional")["met"] is exceptional


def test_nb_exceptional_computed_items():
    profile = nb(
        education=[edu("college")],
        titles=[title("assistant_engineer", N(3))],
        papers=[{"kind": "monograph", "rank": 1, "date": "2023-01-01"}],  # (1)
        honors=[{"kind": "model_worker", "level": "city", "year": 2022}],  # (3)
    )
    c = check(route(evaluate(profile), "exceptional"), "two_of_seven")
    assert c["met"] is True
    assert [d["met"] for d in c["details"]] == [True, False, True, False, False, False, False]


def test_nb_achievement_window_four_years():
    profile = nb(
        titles=[title("assistant_engineer", "2023-01-01")], papers=[{"kind": "core", "rank": 1, "date": "2021-01-01"}]
    )
    assert evaluate(profile)["excluded"] == []
    profile["papers"][0]["date"] = "2020-12-31"
    assert len(evaluate(profile)["excluded"]) == 1


def test_nb_checks_and_messages():
    result = evaluate(nb(education=[edu("college")], titles=[title("assistant_engineer", N(4))]))
    assert [c["id"] for c in result["checks"]] == [
        "assessment",
        "continuing_education",
        "social_insurance",
        "retirement",
        "integrity",
    ]
    assert result["eligible"] is True
