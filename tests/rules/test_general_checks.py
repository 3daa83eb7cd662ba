"""General checks: assessment, continuing education, social insurance, retirement, integrity."""

from __future__ import annotations

import pytest

from zhicheng.rules import evaluate

from .helpers import ce_years, check, edu, nb, route, sy, title, wz

# ---- assessment (W 第五条; S 附件1 二（三）; N 附件1 五)


@pytest.mark.parametrize(
    ("assessments", "holds", "missing"),
    [
        ([("2021", "pass"), ("2022", "good"), ("2023", "excellent")], True, None),
        ([("2021", "pass"), ("2022", "fail"), ("2023", "pass")], False, "2022 年度考核为不合格"),
        ([("2022", "pass"), ("2023", "pass")], False, "缺少 2021 年度考核结果"),
        ([("2020", "fail"), ("2021", "pass"), ("2022", "pass"), ("2023", "pass"), ("2024", "fail")], True, None),
        ([], False, "缺少 2021 年度考核结果"),
    ],
)
def test_assessment_each_of_the_three_years_before_the_plan_year(assessments, holds, missing):
    profile = wz(assessments=[{"year": int(y), "result": r} for y, r in assessments])
    c = check(evaluate(profile), "assessment")
    assert c["met"] is holds
    assert c["expected"] == "2021—2023 年度考核均为合格（称职）及以上"
    if missing:
        assert missing in c["missing"]


def test_assessment_follows_the_plan_year():
    profile = sy(assessments=[{"year": y, "result": "pass"} for y in (2020, 2021, 2022)])
    assert check(evaluate(profile), "assessment")["met"] is True
    profile = nb(assessments=[{"year": y, "result": "pass"} for y in (2020, 2021, 2022)])
    assert check(evaluate(profile), "assessment")["met"] is False  # N needs 2021–2023


# ---- continuing education, Wenzhou: each year ≥ 90 / 60 / 18 (route-level)


def _wz_ce(ce: list[dict]) -> dict:
    profile = wz(
        education=[edu("bachelor")], titles=[title("assistant_engineer", "2018-01-01")], continuing_education=ce
    )
    return check(route(evaluate(profile), "10.1b"), "continuing_education")


@pytest.mark.parametrize(
    ("ce", "holds", "missing"),
    [
        (ce_years(2022, 2023, 2024), True, None),
        (ce_years(2022, 2023) + ce_years(2024, professional=59, general=19), False, "2024 年专业科目学时还差 1 学时"),
        (ce_years(2022, 2024) + ce_years(2023, professional=50, general=30), False, "2023 年专业科目学时还差 10 学时"),
        # public = general + industry together ≥ 18
        (
            ce_years(2022, 2023) + ce_years(2024, professional=72, general=10, industry=7),
            False,
            "2024 年公需科目学时还差 1 学时",
        ),
        (ce_years(2022, 2023) + ce_years(2024, professional=72, general=0, industry=18), True, None),
        # total ≥ 90 even when the parts are met
        (
            ce_years(2022, 2023) + ce_years(2024, professional=60, general=18, industry=11.5),
            False,
            "2024 年总学时还差 0.5 学时",
        ),
        (ce_years(2023, 2024), False, "2022 年无继续教育学时记录"),
    ],
)
def test_wenzhou_continuing_education(ce, holds, missing):
    c = _wz_ce(ce)
    assert c["met"] is holds
    if missing:
        assert missing in c["missing"]


def test_continuing_education_entries_of_one_year_add_up():
    ce = ce_years(2022, 2023) + [
        {"year": 2024, "category": "professional", "hours": 30},
        {"year": 2024, "category": "professional", "hours": 30},
        {"year": 2024, "category": "general_public", "hours": 30},
    ]
    assert _wz_ce(ce)["met"] is True


# ---- continuing education, Shangyu: 2021–2023 together ≥ 270 / 180 / 54 (top-level)


@pytest.mark.parametrize(
    ("ce", "holds"),
    [
        (ce_years(2021, 2022, 2023), True),
        (ce_years(2022, 2023) + ce_years(2021, professional=59), False),  # total 269
        # the three years together, not each year: 180 professional, 90 public, 270 in all
        (
            ce_years(2022)
            + ce_years(2021, professional=90, general=0, industry=0)
            + ce_years(2023, professional=30, general=60, industry=0),
            True,
        ),
        (ce_years(2022, 2023, 2024), False),  # 2024 is outside 2021–2023
        (ce_years(2021, 2022, 2023, professional=50, general=40), False),  # professional 150 < 180
    ],
)
def test_shangyu_continuing_education_is_a_three_year_total(ce, holds):
    c = check(evaluate(sy(continuing_education=ce)), "continuing_education")
    assert c["met"] is holds


# ---- continuing education, Ningbo: each of 2022–2024 ≥ 90 / 60 / 18


def test_ningbo_continuing_education_each_year():
    assert check(evaluate(nb()), "continuing_education")["met"] is True
    ce = ce_years(2022, 2023) + ce_years(2024, professional=55, general=25, industry=10)
    c = check(evaluate(nb(continuing_education=ce)), "continuing_education")
    assert c["met"] is False
    assert "2024 年专业科目学时还差 5 学时" in c["missing"]


# ---- social insurance


@pytest.mark.parametrize(
    ("periods", "holds"),
    [
        ([("2024-08", None, "330302")], True),  # Aug, Sep, Oct up to the deadline month
        ([("2024-09", None, "330302")], False),
        ([("2024-11", None, "330302")], False),  # after the deadline
        ([("2019-01", "2019-03", "330381")], True),  # any three months in Wenzhou
        ([("2019-01", "2019-02", "330381")], False),
        ([("2010-01", None, "330602")], False),  # Shaoxing is not Wenzhou
        ([("2024-09", None, "330302"), ("2024-09", "2024-10", "330303")], False),  # overlaps count once
        ([("2024-09", None, "330302"), ("2023-01", "2023-01", "330303")], True),
    ],
)
def test_wenzhou_social_insurance_three_months_by_the_deadline(periods, holds):
    si = [{"start": s, "end": e, "region": r, "current_employer": False} for s, e, r in periods]
    c = check(evaluate(wz(social_insurance=si)), "social_insurance")
    assert c["met"] is holds
    assert c["expected"] == "截至 2024-10（含当月）在温州缴纳社会保险满 3 个月"


@pytest.mark.parametrize(
    ("periods", "holds"),
    [
        ([("2024-01", None, "330203", True)], True),  # 12 months to 2024-12
        ([("2024-02", None, "330203", True)], False),
        ([("2020-01", None, "330203", False)], False),  # not the current employer
        ([("2020-01", None, "330302", True)], False),  # Wenzhou, not Ningbo
        ([("2023-01", "2023-12", "330203", True)], True),
    ],
)
def test_ningbo_social_insurance_twelve_months_with_the_current_employer(periods, holds):
    si = [{"start": s, "end": e, "region": r, "current_employer": c} for s, e, r, c in periods]
    assert check(evaluate(nb(social_insurance=si)), "social_insurance")["met"] is holds


def test_shangyu_has_no_social_insurance_or_retirement_check():
    ids = [c["id"] for c in evaluate(sy())["checks"]]
    assert ids == ["assessment", "continuing_education", "integrity"]


# ---- retirement (N)


@pytest.mark.parametrize(
    ("birth", "gender", "holds"),
    [
        ("1964-12-31", "male", False),  # 60 on the cut-off day
        ("1965-01-01", "male", True),
        ("1969-12-31", "female", False),  # 55
        ("1970-01-01", "female", True),
        ("1969-12-31", "male", True),
    ],
)
def test_ningbo_retirement(birth, gender, holds):
    profile = nb(person={"birth_date": birth, "gender": gender, "employer_kind": "state_enterprise"})
    assert check(evaluate(profile), "retirement")["met"] is holds


def test_retirement_needs_birth_date_and_gender():
    c = check(evaluate(nb(person={})), "retirement")
    assert c["met"] is False
    assert "出生日期" in c["missing"]


# ---- integrity


@pytest.mark.parametrize(
    ("bans", "holds"),
    [
        ([], True),
        ([("2023-01-01", "2025-12-31")], False),
        ([("2024-10-31", "2024-10-31")], False),  # covers the deadline day
        ([("2021-01-01", "2024-10-30")], True),
        ([("2024-11-01", "2027-12-31")], True),
        ([("2020-01-01", None)], False),  # open-ended
    ],
)
def test_integrity_ban_covering_the_deadline(bans, holds):
    profile = wz(integrity=[{"banned_from": a, "banned_until": b} for a, b in bans])
    c = check(evaluate(profile), "integrity")
    assert c["met"] is holds
    if not holds:
        assert "不得申报" in c["missing"]


def test_a_failed_top_level_check_makes_the_profile_ineligible_and_says_why():
    profile = wz(
        education=[edu("bachelor")],
        titles=[title("assistant_engineer", "2018-01-01")],
        integrity=[{"banned_from": "2023-01-01", "banned_until": "2025-12-31"}],
    )
    result = evaluate(profile)
    assert route(result, "10.1b")["met"] is True
    assert result["eligible"] is False
    assert any(m.startswith("诚信记录不符合") for m in result["messages"])
