"""Input validation: every error names the field path (POLICY_API.md: unknown keys are errors)."""

from __future__ import annotations

import pytest

from zhicheng.rules import Profile, ProfileError, evaluate, validate_profile

from .helpers import ce_years, edu, wz


def _errors(profile) -> dict[str, str]:
    with pytest.raises(ProfileError) as exc:
        validate_profile(profile)
    errors = exc.value.errors
    assert all(set(e) == {"loc", "msg"} for e in errors)
    return {e["loc"]: e["msg"] for e in errors}


def test_a_valid_profile_becomes_a_profile():
    p = validate_profile(wz(education=[edu("bachelor")]))
    assert isinstance(p, Profile)
    assert p.education[0].level == "bachelor"
    assert p.skills == [] and p.claims == []
    assert validate_profile(p) is p


def test_lists_may_be_absent():
    profile = {"policy": "wz-jidian-2020", "level": "engineer", "plan_year": 2024, "as_of": "2024-12-31"}
    result = evaluate(profile)
    assert result["eligible"] is False
    assert any("deadline" in m for m in result["messages"])


@pytest.mark.parametrize(
    ("mutate", "loc", "msg"),
    [
        (lambda p: p.update(polcy="x"), "polcy", "未知字段"),
        (lambda p: p["continuing_education"][2].update(hourz=1), "continuing_education[2].hourz", "未知字段"),
        (lambda p: p["continuing_education"][2].update(hours=-1), "continuing_education[2].hours", "不能小于 0"),
        (lambda p: p["continuing_education"][2].update(hours="12"), "continuing_education[2].hours", "应为数字"),
        (
            lambda p: p["continuing_education"][1].update(category="public"),
            "continuing_education[1].category",
            "取值无效",
        ),
        (lambda p: p.update(as_of="2024-02-30"), "as_of", "日期不存在"),
        (lambda p: p.update(as_of="2024/12/31"), "as_of", "YYYY-MM-DD"),
        (lambda p: p.update(as_of="20241231"), "as_of", "YYYY-MM-DD"),
        (lambda p: p.update(as_of=20241231), "as_of", "日期"),
        (lambda p: p.update(deadline="2023-13-01"), "deadline", "日期不存在"),
        (lambda p: p.update(plan_year="2024"), "plan_year", "应为整数"),
        (lambda p: p.update(plan_year=True), "plan_year", "应为整数"),
        (lambda p: p.update(level="senior"), "level", "取值无效"),
        (lambda p: p.update(level=None), "level", "不能为空"),
        (
            lambda p: p.update(skills=[{"grade": 6, "relevant": True, "obtained": "2020-01-01"}]),
            "skills[0].grade",
            "不能大于 5",
        ),
        (
            lambda p: p.update(skills=[{"grade": 0, "relevant": True, "obtained": "2020-01-01"}]),
            "skills[0].grade",
            "不能小于 1",
        ),
        (
            lambda p: p.update(skills=[{"grade": 3, "relevant": 1, "obtained": "2020-01-01"}]),
            "skills[0].relevant",
            "true 或 false",
        ),
        (lambda p: p.update(skills=[{"grade": 3, "obtained": "2020-01-01"}]), "skills[0].relevant", "缺少必填字段"),
        (
            lambda p: p.update(awards=[{"level": "city", "grade": 4, "rank": 1, "date": "2022-01-01"}]),
            "awards[0].grade",
            "不能大于 3",
        ),
        (
            lambda p: p.update(papers=[{"kind": "core", "rank": 0, "date": "2022-01-01"}]),
            "papers[0].rank",
            "不能小于 1",
        ),
        (
            lambda p: p.update(competitions=[{"level": "city", "place": 4, "year": 2022}]),
            "competitions[0].place",
            "不能大于 3",
        ),
        (lambda p: p["social_insurance"][0].update(start="2024-13"), "social_insurance[0].start", "YYYY-MM"),
        (lambda p: p["social_insurance"][0].update(region="3303"), "social_insurance[0].region", "6 位"),
        (lambda p: p.update(computer_modules=-1), "computer_modules", "不能小于 0"),
        (lambda p: p.update(other_points=6), "other_points", "不能大于 5"),
        (
            lambda p: p.update(education=[{"level": "college", "relevant": True, "graduated": "2010-02-29"}]),
            "education[0].graduated",
            "日期不存在",
        ),
        (lambda p: p["person"].update(gender="m"), "person.gender", "取值无效"),
        (lambda p: p.update(work={"start": "2020-01-01"}), "work", "数组"),
        (lambda p: p.update(claims="x"), "claims", "数组"),
        (
            lambda p: p.update(titles=[{"level": "assistant_engineer", "relevant": True, "obtained": "2020-06-31"}]),
            "titles[0].obtained",
            "日期不存在",
        ),
    ],
)
def test_errors_name_the_field(mutate, loc, msg):
    profile = wz()
    mutate(profile)
    errors = _errors(profile)
    assert loc in errors, errors
    assert msg in errors[loc]


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"work": [{"start": "2020-01-01", "end": "2019-12-31", "relevant": True}]}, "work[0].end"),
        ({"posts": [{"kind": "dept_tech_lead", "start": "2020-01-01", "end": "2019-01-01"}]}, "posts[0].end"),
        (
            {"social_insurance": [{"start": "2020-05", "end": "2020-04", "region": "330302"}]},
            "social_insurance[0].end",
        ),
        ({"integrity": [{"banned_from": "2023-01-01", "banned_until": "2022-12-31"}]}, "integrity[0].banned_until"),
        ({"skill_titles": [{"kind": "city_master"}]}, "skill_titles[0]"),
        (
            {"assessments": [{"year": 2022, "result": "pass"}, {"year": 2022, "result": "fail"}]},
            "assessments[1].year",
        ),
    ],
)
def test_impossible_orders_name_the_field(overrides, loc):
    assert loc in _errors(wz(**overrides))


def test_unknown_policy_level_and_application_type():
    assert "未知政策" in _errors(wz(policy="xx-2099"))["policy"]
    assert "未知政策" in _errors(wz(policy="../etc/passwd"))["policy"]
    sy = wz(policy="sy-jidian-2023", level="technician")
    assert "不含级别" in _errors(sy)["level"]
    assert "没有申报方式" in _errors(wz(application_type="private"))["application_type"]
    assert "没有申报方式" in _errors(wz("technician", application_type="exceptional"))["application_type"]


def test_every_error_is_reported_at_once():
    profile = wz(plan_year="x", as_of="2024-02-31", continuing_education=ce_years(2024) + [{"year": 2024}])
    errors = _errors(profile)
    assert {"plan_year", "as_of", "continuing_education[3].category", "continuing_education[3].hours"} <= set(errors)


def test_not_an_object():
    with pytest.raises(ProfileError) as exc:
        validate_profile(["policy"])
    assert exc.value.errors == [{"loc": "", "msg": "档案应为 JSON 对象"}]


def test_evaluate_raises_profile_error_with_paths():
    with pytest.raises(ProfileError) as exc:
        evaluate(wz(continuing_education=[{"year": 2024, "category": "professional", "hours": -5}]))
    assert exc.value.errors[0]["loc"] == "continuing_education[0].hours"
    assert "continuing_education[0].hours" in str(exc.value)


def test_yaml_style_truthy_strings_are_not_booleans():
    assert "education[0].relevant" in _errors(wz(education=[{"level": "college", "relevant": "yes"}]))
