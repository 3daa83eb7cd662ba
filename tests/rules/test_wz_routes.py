"""Every route of wz-jidian-2020 (温职改办〔2020〕5号 第八—十二条), met and unmet at its
boundary day: a date exactly N years before the day after the cut-off holds, one day later
does not."""

from __future__ import annotations

from datetime import date

import pytest

from zhicheng.rules import evaluate

from .helpers import (
    AS_OF,
    DAY,
    ce_years,
    check,
    edu,
    met,
    route,
    skill,
    title,
    work,
    wz,
    years_before_cutoff,
)

B = years_before_cutoff

# (level, route, years, build(boundary_date) -> profile overrides)
BOUNDARY_CASES = [
    ("technician", "8.1a", 6, lambda d: {"education": [edu("high_school", False)], "work": [work(d)]}),
    ("technician", "8.1b", 2, lambda d: {"education": [edu("college", False)], "work": [work(d)]}),
    ("technician", "8.2", 2, lambda d: {"skills": [skill(4, d)]}),
    ("technician", "11.1", 1, lambda d: {"education": [edu("secondary")], "work": [work(d)]}),
    (
        "assistant_engineer",
        "9.1a",
        1,
        lambda d: {"education": [edu("college")], "titles": [title("technician", d)]},
    ),
    (
        "assistant_engineer",
        "9.1b",
        4,
        lambda d: {"education": [edu("secondary")], "titles": [title("technician", d)]},
    ),
    ("assistant_engineer", "9.1c", 5, lambda d: {"education": [edu("college", False)], "work": [work(d)]}),
    ("assistant_engineer", "9.1d", 10, lambda d: {"education": [edu("high_school", False)], "work": [work(d)]}),
    ("assistant_engineer", "9.2", 2, lambda d: {"skills": [skill(3, d)]}),
    ("assistant_engineer", "9.4", 1, lambda d: {"titles": [title("assistant_engineer", d, relevant=False)]}),
    ("assistant_engineer", "11.2", 1, lambda d: {"education": [edu("bachelor")], "work": [work(d)]}),
    ("assistant_engineer", "11.2", 3, lambda d: {"education": [edu("college")], "work": [work(d)]}),
    (
        "engineer",
        "10.1a",
        2,
        lambda d: {"education": [edu("master")], "titles": [title("assistant_engineer", d)]},
    ),
    (
        "engineer",
        "10.1b",
        4,
        lambda d: {"education": [edu("bachelor")], "titles": [title("assistant_engineer", d)]},
    ),
    (
        "engineer",
        "10.1b",
        4,
        lambda d: {"education": [edu("college")], "titles": [title("assistant_engineer", d)]},
    ),
    ("engineer", "10.2", 3, lambda d: {"skills": [skill(2, d)]}),
    ("engineer", "10.5", 1, lambda d: {"titles": [title("engineer", d, relevant=False)]}),
    ("engineer", "11.3", 3, lambda d: {"education": [edu("master")], "work": [work(d)]}),
]


@pytest.mark.parametrize(
    ("level", "route_id", "years", "build"),
    BOUNDARY_CASES,
    ids=[f"{c[1]}-{c[2]}y" for c in BOUNDARY_CASES],
)
def test_route_boundary_day(level, route_id, years, build):
    boundary = B(years)
    assert met(wz(level, **build(boundary)), route_id) is True
    assert met(wz(level, **build(boundary + DAY)), route_id) is False


@pytest.mark.parametrize(
    ("level", "route_id", "years", "build"),
    BOUNDARY_CASES,
    ids=[f"{c[1]}-{c[2]}y" for c in BOUNDARY_CASES],
)
def test_route_boundary_day_with_a_mid_year_cutoff(level, route_id, years, build):
    """With the cut-off 2024-06-30 the boundary moves to 1 July."""
    boundary = date(2024 - years, 7, 1)
    profile = wz(level, **build(boundary))
    profile["as_of"] = "2024-06-30"
    assert met(profile, route_id) is True
    profile = wz(level, **build(boundary + DAY))
    profile["as_of"] = "2024-06-30"
    assert met(profile, route_id) is False


def test_unmet_title_years_explain_the_gap():
    r = route(evaluate(wz(education=[edu("bachelor")], titles=[title("assistant_engineer", "2021-06-30")])), "10.1b")
    c = check(r, "title_years")
    assert c["met"] is False
    assert c["expected"] == "本专业或相近专业助理工程师任职满 4 年"
    assert "任职 3 年（还差 1 年）" in c["actual"]
    assert "2025-06-29 满 4 年" in c["missing"]


# ---- education rules


@pytest.mark.parametrize(
    ("education", "holds"),
    [
        ([edu("high_school", False)], True),
        ([edu("secondary", False)], True),  # 中专 is at the high-school level or above
        ([edu("bachelor", False)], True),
        ([edu("below", False)], False),
        ([], False),
    ],
)
def test_8_1a_needs_high_school(education, holds):
    assert met(wz("technician", education=education, work=[work(B(6))]), "8.1a") is holds


@pytest.mark.parametrize(
    ("education", "holds"),
    [
        ([edu("college", False)], True),
        ([edu("college", True)], True),  # Decision: a relevant college is no worse
        ([edu("bachelor", False)], True),
        ([edu("technical_senior", False)], True),  # 高级工班 = 大专 (第十八条)
        ([edu("secondary", True)], False),
        ([edu("high_school", False)], False),
    ],
)
def test_8_1b_needs_college(education, holds):
    assert met(wz("technician", education=education, work=[work(B(2))]), "8.1b") is holds


@pytest.mark.parametrize(
    ("education", "holds"),
    [
        ([edu("secondary")], True),
        ([edu("technical_intermediate")], True),  # 中级工班 = 中专 (第十八条)
        ([edu("bachelor")], True),
        ([edu("secondary", False)], False),  # non-relevant = lacking (第十三条)
        ([edu("high_school", False)], False),
    ],
)
def test_11_1_needs_relevant_secondary(education, holds):
    assert met(wz("technician", education=education, work=[work(B(1))]), "11.1") is holds


@pytest.mark.parametrize(
    ("skills", "holds"),
    [
        ([skill(4, B(2))], True),
        ([skill(3, B(2))], True),  # better than 中级工
        ([skill(5, B(2))], False),
        ([skill(4, B(2), relevant=False)], False),  # 相关工种
        ([skill(5, B(10)), skill(4, B(2))], True),
    ],
)
def test_8_2_skill_grade(skills, holds):
    assert met(wz("technician", skills=skills), "8.2") is holds


def test_9_1a_needs_relevant_college_and_relevant_technician_title():
    ok = {"education": [edu("college")], "titles": [title("technician", B(1))]}
    assert met(wz("assistant_engineer", **ok), "9.1a") is True
    assert met(wz("assistant_engineer", **{**ok, "education": [edu("college", False)]}), "9.1a") is False
    assert met(wz("assistant_engineer", **{**ok, "education": [edu("secondary")]}), "9.1a") is False
    bad_title = {**ok, "titles": [title("technician", B(1), relevant=False)]}
    assert met(wz("assistant_engineer", **bad_title), "9.1a") is False


def test_9_1b_accepts_a_technical_school_class():
    profile = wz("assistant_engineer", education=[edu("technical_intermediate")], titles=[title("technician", B(4))])
    assert met(profile, "9.1b") is True


@pytest.mark.parametrize(("grade", "holds"), [(3, True), (2, True), (4, False)])
def test_9_2_skill_grade(grade, holds):
    assert met(wz("assistant_engineer", skills=[skill(grade, B(2))]), "9.2") is holds


def test_9_4_and_10_5_transfer_needs_a_title_of_another_specialty():
    assert met(wz("assistant_engineer", titles=[title("assistant_engineer", B(1), relevant=True)]), "9.4") is False
    assert met(wz(titles=[title("engineer", B(1), relevant=True)]), "10.5") is False


def test_11_2_work_before_and_after_the_degree_adds_up():
    """第十三条: years of relevant work before and after a degree add up."""
    profile = wz(
        "assistant_engineer",
        education=[edu("bachelor", graduated="2024-06-30")],
        work=[work(B(1))],  # started before graduating
    )
    assert met(profile, "11.2") is True


def test_11_2_non_relevant_degree_is_lacking():
    assert met(wz("assistant_engineer", education=[edu("bachelor", False)], work=[work(B(5))]), "11.2") is False


@pytest.mark.parametrize(
    ("education", "r10_1a", "r10_1b"),
    [
        ([edu("master")], True, True),
        ([edu("doctorate")], True, True),
        ([edu("master", False)], False, False),
        ([edu("second_bachelor")], False, True),
        ([edu("technical_preparatory")], False, True),  # 预备技师班 = 本科
        ([edu("technical_senior")], False, True),  # 高级工班 = 大专
        ([edu("secondary")], False, False),
        # the highest relevant education counts (第十三条)
        ([edu("master", False), edu("bachelor")], False, True),
    ],
)
def test_10_1_education(education, r10_1a, r10_1b):
    result = evaluate(wz(education=education, titles=[title("assistant_engineer", B(4))]))
    assert route(result, "10.1a")["met"] is r10_1a
    assert route(result, "10.1b")["met"] is r10_1b


def test_10_1_needs_a_relevant_assistant_engineer_title():
    profile = wz(education=[edu("bachelor")], titles=[title("assistant_engineer", B(6), relevant=False)])
    assert met(profile, "10.1b") is False


@pytest.mark.parametrize(("grade", "holds"), [(2, True), (1, True), (3, False)])
def test_10_2_skill_grade(grade, holds):
    assert met(wz(skills=[skill(grade, B(3))]), "10.2") is holds


def test_11_3_doctorate_needs_no_years():
    assert met(wz(education=[edu("doctorate")]), "11.3") is True
    assert met(wz(education=[edu("doctorate", False)]), "11.3") is False
    assert met(wz(education=[edu("master")], work=[work(B(3) + DAY)]), "11.3") is False


# ---- work years: merged periods, government years


def test_work_periods_are_merged_then_summed():
    # 2014-01-01..2016-12-31 (3 y) + 2017-06-01..2019-05-31 (2 y) + 2024-01-01..open (1 y) = 6
    periods = [
        work("2014-01-01", "2016-12-31"),
        work("2015-06-01", "2016-06-30"),  # overlap counts once
        work("2017-06-01", "2019-05-31"),
        work("2024-01-01"),
    ]
    assert met(wz("technician", education=[edu("high_school", False)], work=periods), "8.1a") is True
    periods[-1] = work("2024-01-02")
    assert met(wz("technician", education=[edu("high_school", False)], work=periods), "8.1a") is False


def test_non_relevant_work_does_not_count_but_government_work_does():
    """第十四条: years in a government organ count as professional work."""
    hs = [edu("high_school", False)]
    assert met(wz("technician", education=hs, work=[work(B(6), relevant=False)]), "8.1a") is False
    gov = [work(B(6), "2020-12-31", relevant=False, government=True), work("2021-01-01")]
    assert met(wz("technician", education=hs, work=gov), "8.1a") is True


def test_work_after_the_cutoff_does_not_count():
    assert met(wz("technician", education=[edu("secondary")], work=[work("2025-01-01")]), "11.1") is False


# ---- skill honours (9.3, 10.3)


def _skill_title(kind: str, d: str = "2023-05-01") -> dict:
    return {"kind": kind, "date": d}


@pytest.mark.parametrize(
    ("overrides", "holds"),
    [
        ({"skill_titles": [_skill_title("provincial_technical_expert")]}, True),
        ({"skill_titles": [{"kind": "provincial_technical_expert", "year": 2020}]}, True),
        ({"skill_titles": [_skill_title("county_technical_expert")]}, False),
        ({"claims": ["wz-jidian-2020/assistant_engineer/9.3/2"]}, True),
        ({"claims": ["wz-jidian-2020/assistant_engineer/9.3/3"]}, True),
        ({"claims": ["wz-jidian-2020/assistant_engineer/9.3/4"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/1"]}, False),  # another level's claim
        # after the achievements cut-off it does not count
        ({"skill_titles": [_skill_title("provincial_technical_expert", "2024-09-01")]}, False),
        ({}, False),
    ],
)
def test_9_3_skill_honours(overrides, holds):
    assert met(wz("assistant_engineer", **overrides), "9.3") is holds


@pytest.mark.parametrize(
    ("overrides", "holds"),
    [
        ({"skill_titles": [_skill_title("provincial_chief_technician")]}, True),
        ({"skill_titles": [_skill_title("national_technical_expert")]}, True),
        ({"skill_titles": [_skill_title("provincial_technical_expert")]}, False),
        ({"claims": ["wz-jidian-2020/engineer/10.3/1"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/4"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/5"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/6"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/7"]}, True),
        ({"claims": ["wz-jidian-2020/engineer/10.3/2"]}, False),  # item 2 is a record, not a claim
        # obtained before the current title (第十七条): does not count
        (
            {
                "titles": [title("assistant_engineer", "2020-01-01")],
                "skill_titles": [_skill_title("national_technical_expert", "2019-12-31")],
            },
            False,
        ),
        (
            {
                "titles": [title("assistant_engineer", "2020-01-01")],
                "skill_titles": [_skill_title("national_technical_expert", "2020-01-01")],
            },
            True,
        ),
    ],
)
def test_10_3_skill_honours(overrides, holds):
    assert met(wz(**overrides), "10.3") is holds


# ---- 10.4 exceptional: self-score 25, two Zhejiang experts, tenure at most 1 year short


def _expert(n: int, **kw) -> dict:
    return {"expert": f"E-{n}", "title_level": "senior_engineer", "province": "浙江", "relevant": True, **kw}


def _exceptional(**kw) -> dict:
    """Self-score 25 exactly: national standard rank 1 (16) + other journal rank 1 (6) +
    unpublished rank 2 (1) + other evidence 2 = 25, nothing from the basic conditions."""
    base = {
        "titles": [title("assistant_engineer", B(3))],
        "standards": [{"kind": "national", "rank": 1, "date": "2024-01-01"}],
        "papers": [
            {"kind": "other", "rank": 1, "date": "2024-01-01"},
            {"kind": "unpublished", "rank": 2, "date": "2024-01-01"},
        ],
        "other_points": 2,
        "expert_recommendations": [_expert(1), _expert(2)],
    }
    base.update(kw)
    return wz(**base)


def test_10_4_met_at_exactly_25():
    result = evaluate(_exceptional())
    assert result["score"]["self_score"] == 25
    assert route(result, "10.4")["met"] is True


def test_10_4_unmet_at_24_5():
    result = evaluate(_exceptional(other_points=1.5))
    assert result["score"]["self_score"] == 24.5
    r = route(result, "10.4")
    assert r["met"] is False
    assert check(r, "self_score")["missing"] == "自评分还差 0.5 分"


@pytest.mark.parametrize(
    ("experts", "holds"),
    [
        ([_expert(1), _expert(2)], True),
        ([_expert(1), _expert(2, title_level="professor_engineer")], True),
        ([_expert(1)], False),
        ([_expert(1), _expert(1)], False),  # the same expert twice counts once
        ([_expert(1), _expert(2, province="上海")], False),  # 2024 notice: Zhejiang experts only
        ([_expert(1), _expert(2, title_level="engineer")], False),  # 副高级以上
        ([_expert(1), _expert(2, relevant=False)], False),  # 本专业或相近专业
    ],
)
def test_10_4_experts(experts, holds):
    assert met(_exceptional(expert_recommendations=experts), "10.4") is holds


def test_10_4_tenure_at_most_one_year_short():
    # without a relevant postgraduate education: assistant engineer 3 years (4 − 1)
    assert met(_exceptional(titles=[title("assistant_engineer", B(3))]), "10.4") is True
    assert met(_exceptional(titles=[title("assistant_engineer", B(3) + DAY)]), "10.4") is False
    # with a relevant master: 1 year (2 − 1)
    master = [edu("master", graduated="2010-07-01")]
    assert met(_exceptional(education=master, titles=[title("assistant_engineer", B(1))]), "10.4") is True
    assert met(_exceptional(education=master, titles=[title("assistant_engineer", B(1) + DAY)]), "10.4") is False


def test_10_4_notes_become_messages_when_met():
    result = evaluate(_exceptional())
    assert any("最多推荐 2 名" in m for m in result["messages"])


# ---- 12.1 direct promotion by a science and technology award


def _award(level: str, grade: int, rank: int, achievement: str | None = None, d: str = "2023-05-01") -> dict:
    return {"level": level, "grade": grade, "rank": rank, "date": d, "achievement": achievement}


@pytest.mark.parametrize(
    ("awards", "holds"),
    [
        ([_award("provincial", 1, 9)], True),
        ([_award("provincial", 1, 10)], False),
        ([_award("provincial", 2, 7)], True),
        ([_award("provincial", 2, 8)], False),
        ([_award("provincial", 3, 5)], True),
        ([_award("provincial", 3, 6)], False),
        ([_award("national", 2, 7)], True),  # Decision: national counts like provincial
        ([_award("city", 1, 5)], True),
        ([_award("city", 1, 6)], False),
        ([_award("city", 2, 3)], True),
        ([_award("city", 2, 4)], False),
        ([_award("city", 3, 5, "A"), _award("city", 3, 5, "B")], True),
        ([_award("city", 3, 5, "A")], False),
        ([_award("city", 3, 5, "A"), _award("city", 3, 6, "B")], False),
        ([_award("city", 3, 5, "A"), _award("city", 3, 4, "A")], False),  # the same achievement once
        ([_award("county", 1, 1)], False),
        ([_award("city", 1, 1, d="2024-09-01")], False),  # after the achievements cut-off
    ],
)
def test_12_1_awards(awards, holds):
    assert met(wz(awards=awards), "12.1") is holds


# ---- 12.2 direct promotion by two of four


_HONOUR = {"honors": [{"kind": "model_worker", "level": "county", "year": 2022}]}
_COMPETITION = {"competitions": [{"level": "city", "place": 3, "year": 2023}]}
_STANDARD = {"standards": [{"kind": "industry", "rank": 3, "date": "2023-01-01"}]}
_PRODUCTS = {
    "new_products": [
        {"level": "provincial", "rank": 3, "date": "2023-01-01"},
        {"level": "national", "rank": 1, "date": "2023-02-01"},
    ]
}


@pytest.mark.parametrize(
    ("overrides", "holds"),
    [
        ({**_HONOUR, **_COMPETITION}, True),
        ({**_HONOUR, **_STANDARD}, True),
        ({**_HONOUR, **_PRODUCTS}, True),
        ({**_COMPETITION, **_STANDARD}, True),
        ({**_STANDARD, **_PRODUCTS}, True),
        (_HONOUR, False),
        (_PRODUCTS, False),
        ({**_HONOUR, "honors": [{"kind": "advanced_worker", "level": "section", "year": 2022}], **_STANDARD}, False),
        ({**_HONOUR, "competitions": [{"level": "county", "place": 1, "year": 2023}]}, False),
        ({**_HONOUR, "standards": [{"kind": "industry", "rank": 4, "date": "2023-01-01"}]}, False),
        ({**_HONOUR, "standards": [{"kind": "enterprise", "rank": 1, "date": "2023-01-01"}]}, False),
        ({**_HONOUR, "new_products": [{"level": "provincial", "rank": 1, "date": "2023-01-01"}]}, False),
        ({**_HONOUR, "honors": [{"kind": "party_member", "level": "city", "year": 2022}], **_STANDARD}, False),
    ],
)
def test_12_2_two_of_four(overrides, holds):
    assert met(wz(**overrides), "12.2") is holds


def test_12_2_explains_which_items_hold():
    r = route(evaluate(wz(**_HONOUR)), "12.2")
    c = check(r, "two_of_four")
    assert c["actual"].startswith("具备 1 项（需 2 项）")
    assert c["missing"] == "还需具备 1 项"
    assert [d["met"] for d in c["details"]] == [True, False, False, False]


# ---- eligibility, application types and route-level continuing education


def test_every_route_of_the_level_is_listed():
    ids = {
        "technician": ["8.1a", "8.1b", "8.2", "11.1"],
        "assistant_engineer": ["9.1a", "9.1b", "9.1c", "9.1d", "9.2", "9.3", "9.4", "11.2"],
        "engineer": ["10.1a", "10.1b", "10.2", "10.3", "10.4", "10.5", "12.1", "12.2", "11.3"],
    }
    for level, routes in ids.items():
        result = evaluate(wz(level))
        assert [r["id"] for r in result["routes"]] == [f"wz-jidian-2020/{level}/{r}" for r in routes]
        for r in result["routes"]:
            assert r["clause"].startswith("温职改办〔2020〕5号 第")
            assert r["label"]


def _normal_engineer(**kw) -> dict:
    base = {"education": [edu("bachelor")], "titles": [title("assistant_engineer", B(4))]}
    return wz(**{**base, **kw})


def test_eligible_needs_a_met_route_of_the_requested_type():
    assert evaluate(_normal_engineer())["eligible"] is True
    assert evaluate(_normal_engineer(application_type="normal"))["eligible"] is True
    result = evaluate(_normal_engineer(application_type="skill"))
    assert result["eligible"] is False
    assert route(result, "10.1b")["met"] is True
    assert any("没有满足条件的申报路径" in m for m in result["messages"])


@pytest.mark.parametrize(
    ("level", "route_id", "build", "years"),
    [
        ("engineer", "10.1b", {"education": [edu("bachelor")], "titles": [title("assistant_engineer", B(4))]}, 3),
        ("engineer", "10.2", {"skills": [skill(2, B(3))]}, 2),
        ("engineer", "10.5", {"titles": [title("engineer", B(1), relevant=False)]}, 1),
        ("engineer", "11.3", {"education": [edu("doctorate")]}, 3),
        ("assistant_engineer", "9.2", {"skills": [skill(3, B(2))]}, 1),
        ("technician", "8.2", {"skills": [skill(4, B(2))]}, 1),
    ],
)
def test_continuing_education_years_depend_on_the_application_type(level, route_id, build, years):
    """温职改办〔2024〕12号 二（四）: 3 / 2 / 1 years by type and level."""
    first = 2024 - years + 1
    enough = wz(level, continuing_education=ce_years(*range(first, 2025)), **build)
    assert met(enough, route_id) is True
    short = wz(level, continuing_education=ce_years(*range(first + 1, 2025)), **build)
    r = route(evaluate(short), route_id)
    assert r["met"] is False
    ce = check(r, "continuing_education")
    assert ce["met"] is False
    assert f"{first} 年无继续教育学时记录" in ce["missing"]
    assert [c["met"] for c in r["checks"] if c["id"] != "continuing_education"] == [True] * (len(r["checks"]) - 1)


def test_continuing_education_is_not_a_top_level_check_in_wenzhou():
    result = evaluate(_normal_engineer())
    assert [c["id"] for c in result["checks"]] == ["assessment", "social_insurance", "integrity"]


def test_application_date_far_after_the_route_boundary_still_holds():
    assert met(_normal_engineer(titles=[title("assistant_engineer", "2000-01-01")]), "10.1b") is True


def test_title_obtained_after_the_cutoff_counts_no_years():
    profile = _normal_engineer(titles=[title("assistant_engineer", AS_OF + DAY)])
    c = check(route(evaluate(profile), "10.1b"), "title_years")
    assert c["met"] is False
    assert "任职 0 年" in c["actual"]
