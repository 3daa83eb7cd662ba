"""The self-check page (申报条件自测): form → profile → engine → verdict, errors beside fields."""

from __future__ import annotations

import copy
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from zhicheng.eligibility import selectors
from zhicheng.eligibility.forms import SECTIONS, SelfCheckForm

URL = "/eligibility/selfcheck/"

# Example 01 (eligible by 10.1b, self-score 39.5), as copied into the engine's test data.
EXAMPLES = Path(__file__).resolve().parent.parent / "rules" / "examples"
WZ_ENGINEER: dict = json.loads((EXAMPLES / "01-wz-engineer-normal.json").read_text(encoding="utf-8"))["profile"]

# The same profile as a browser posts the form: plan, person and basics fields, then rows.
PLAN = {
    "policy": "wz-jidian-2020",
    "level": "engineer",
    "application_type": "",
    "plan_year": "2024",
    "as_of": "2024-12-31",
    "deadline": "2024-10-31",
    "achievements_until": "2024-08-31",
    "defaults_for": "wz-jidian-2020",
    "person-birth_date": "1988-03-02",
    "person-gender": "male",
    "person-employer_kind": "private_enterprise",
    "person-employer_size": "small",
    "basic-language": "cet6",
    "basic-computer_modules": "4",
    "basic-income_over_120k": "on",
    "basic-other_points": "",
}
ROWS = {
    "education": [
        {
            "level": "bachelor",
            "major": "电气工程及其自动化",
            "relevant": "on",
            "degree": "on",
            "graduated": "2012-07-01",
        },
        {"level": "", "major": "", "relevant": "on", "graduated": ""},  # an empty row: skipped
    ],
    "titles": [{"level": "assistant_engineer", "relevant": "on", "obtained": "2018-06-30"}],
    "work": [{"start": "2012-07-01", "end": "", "relevant": "on"}],
    "social_insurance": [{"start": "2010-07", "end": "", "region": "330302", "current_employer": "on"}],
    "continuing_education": [
        {"year": str(year), "professional": "60", "general_public": "18", "industry_public": "12"}
        for year in (2022, 2023, 2024)
    ],
    "assessments": [
        {"year": "2021", "result": "pass"},
        {"year": "2022", "result": "excellent"},
        {"year": "2023", "result": "good"},
        {"year": "2024", "result": ""},  # year pre-filled, nothing else: skipped
    ],
    "projects": [{"level": "provincial", "rank": "2", "date": "2022-03-01"}],
    "papers": [{"kind": "other", "rank": "2", "date": "2021-11-01"}],
    "patents": [{"kind": "software", "rank": "3", "date": "2023-02-01"}],
}


def form_data(plan: dict | None = None, rows: dict | None = None, **extra: str) -> dict[str, str]:
    """POST data of the self-check form, every section with its management form."""
    data = dict(PLAN if plan is None else plan)
    rows = ROWS if rows is None else rows
    for section in SECTIONS:
        section_rows = rows.get(section.key, [])
        data[f"{section.key}-TOTAL_FORMS"] = str(len(section_rows))
        data[f"{section.key}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(section_rows):
            for name, value in row.items():
                data[f"{section.key}-{i}-{name}"] = value
    data.update(extra)
    return data


def with_row(section: str, index: int, **changes: str) -> dict:
    rows = copy.deepcopy(ROWS)
    rows[section][index].update(changes)
    return rows


def text(response) -> str:
    """The page's visible text: tags removed, whitespace runs made one space, none beside tags."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    body = re.sub(r"\s*<[^>]+>\s*", "", body)
    return re.sub(r"\s+", " ", unescape(body))


def field_error(response, html_name: str) -> str:
    """The error text shown beside the field ``html_name`` (the core field template marks it)."""
    body = response.content.decode()
    found = re.findall(rf'data-field-error="{re.escape(html_name)}">(.*?)</div>', body, flags=re.S)
    return unescape(" ".join(found))


def input_value(response, html_name: str) -> str | None:
    body = response.content.decode()
    match = re.search(rf'<input[^>]*name="{re.escape(html_name)}"[^>]*>', body)
    if not match:
        return None
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def selected(response, html_name: str) -> str | None:
    body = response.content.decode()
    match = re.search(rf'<select[^>]*name="{re.escape(html_name)}"[^>]*>(.*?)</select>', body, flags=re.S)
    if not match:
        return None
    option = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(1))
    return option.group(1) if option else None


def checked(response, html_name: str) -> bool:
    body = response.content.decode()
    match = re.search(rf'<input[^>]*name="{re.escape(html_name)}"[^>]*>', body)
    return bool(match) and " checked" in match.group(0)


# --------------------------------------------------------------------------------------
# The page


@pytest.mark.django_db
def test_page_renders_for_anonymous_visitors_with_wenzhou_defaults(client):
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "申报条件自测" in page
    assert selected(response, "policy") == "wz-jidian-2020"
    assert selected(response, "level") == "engineer"
    assert input_value(response, "plan_year") == "2024"
    assert input_value(response, "as_of") == "2024-12-31"
    assert input_value(response, "deadline") == "2024-10-31"
    assert input_value(response, "achievements_until") == "2024-08-31"
    # CE years 2022–2024 and assessment years 2021–2023 are offered, one row each.
    assert [input_value(response, f"continuing_education-{i}-year") for i in range(3)] == ["2022", "2023", "2024"]
    assert [input_value(response, f"assessments-{i}-year") for i in range(3)] == ["2021", "2022", "2023"]
    # Sections, Chinese labels and choices, the add-row buttons and the claims of the level.
    for label in ("学历", "工作经历", "社会保险缴纳", "继续教育（每年一行）", "年度考核", "科学技术奖", "专家推荐"):
        assert label in page
    assert "技工院校高级工班（相当于大专）" in page
    assert page.count("添加一行") == len(SECTIONS)
    assert "省级技能大师工作室领办人" in page  # a claim of engineer route 10.3
    assert "申报条件自测" in [label for label, _url in response.context["nav_items"]]


@pytest.mark.django_db
def test_defaults_follow_the_policy_chosen_in_the_query(client):
    response = client.get(URL, {"policy": "sy-jidian-2023", "level": "engineer"})
    assert input_value(response, "as_of") == "2023-12-31"
    assert input_value(response, "deadline") == "2023-09-08"
    assert [input_value(response, f"continuing_education-{i}-year") for i in range(3)] == ["2021", "2022", "2023"]


def test_plan_defaults_are_documented_per_policy():
    wz = selectors.plan_defaults("wz-jidian-2020")
    assert (wz.plan_year, str(wz.as_of), str(wz.deadline), str(wz.achievements_until)) == (
        2024,
        "2024-12-31",
        "2024-10-31",
        "2024-08-31",
    )
    assert str(selectors.plan_defaults("sy-jidian-2023").deadline) == "2023-09-08"
    assert str(selectors.plan_defaults("nb-quality-2024").deadline) == "2024-08-21"
    unknown = selectors.plan_defaults("no-such-policy")
    assert unknown.deadline is None and unknown.as_of.month == 12


# --------------------------------------------------------------------------------------
# Evaluation


@pytest.mark.django_db
def test_wenzhou_engineer_is_eligible_by_10_1b_with_score_39_5(client):
    response = client.post(URL, form_data())
    assert response.status_code == 200
    result = response.context["result"]
    assert result["eligible"] is True
    met = {r["short_id"] for r in result["routes"] if r["met"]}
    assert "10.1b" in met and "10.1a" not in met
    assert result["score"]["self_score"] == "39.5"
    page = text(response)
    assert "✔ 符合申报条件" in page
    assert "满足的申报路径：温职改办〔2020〕5号 第十条（一）（10.1b，正常申报）" in page
    route = re.search(r'data-route="wz-jidian-2020/engineer/10.1b"[^>]* open', response.content.decode())
    assert route, "the met route is shown open"
    # The score sheet item by item.
    assert "资历·职称任职年限" in page and "助理工程师任职 6 年，申报条件要求 4 年" in page
    assert "省部级科研项目（第 2 名）" in page and "12.5" in page
    assert "基本条件 19 + 成果业绩 20.5 + 加分 0 = 自评分39.5" in page
    # Route-level checks in words: expected, actual.
    assert "要求：本专业或相近专业助理工程师任职满 4 年" in page
    assert "实际：2018-06-30 取得助理工程师，任职 6 年" in page


@pytest.mark.django_db
def test_the_evaluated_profile_is_what_the_form_says(client):
    response = client.post(URL, form_data())
    evaluated = json.loads(response.context["paste"].initial["profile_json"])
    expected = {k: v for k, v in WZ_ENGINEER.items() if v != []}
    expected["work"] = [
        {"start": "2012-07-01", "end": None, "relevant": True, "mountain_county": False, "government": False}
    ]
    assert evaluated == expected


@pytest.mark.django_db
def test_ce_ten_hours_short_says_what_is_missing(client):
    rows = copy.deepcopy(ROWS)
    rows["continuing_education"][1]["professional"] = "50"  # 2023: 50 professional hours, total 80
    response = client.post(URL, form_data(rows=rows))
    assert response.status_code == 200
    result = response.context["result"]
    assert result["eligible"] is False
    page = text(response)
    assert "✘ 暂不符合申报条件" in page
    assert "2023 年专业科目学时还差 10 学时" in page
    route = next(r for r in result["routes"] if r["short_id"] == "10.1b")
    assert route["met"] is False
    assert "2023 年专业科目学时还差 10 学时" in route["first_gap"]


@pytest.mark.django_db
def test_application_type_limits_the_verdict(client):
    response = client.post(URL, form_data(plan={**PLAN, "application_type": "skill"}))
    result = response.context["result"]
    assert result["eligible"] is False
    assert "技能人才申报" in text(response)


@pytest.mark.django_db
def test_claims_are_sent_to_the_engine(client):
    claim = "wz-jidian-2020/engineer/10.3/1"
    response = client.post(URL, form_data(**{"claims-claims": claim}))
    assert response.status_code == 200
    route = next(r for r in response.context["result"]["routes"] if r["short_id"] == "10.3")
    assert route["checks"][0]["met"] is True  # 省级技能大师工作室领办人, claimed
    assert checked(response, "claims-claims")


@pytest.mark.django_db
def test_flagged_and_excluded_achievements_are_shown(client):
    rows = copy.deepcopy(ROWS)
    rows["awards"] = [
        {"level": "provincial", "grade": "1", "rank": "1", "date": "2023-05-01", "achievement": ""},  # not printed
        {"level": "county", "grade": "1", "rank": "1", "date": "2017-05-01", "achievement": ""},  # before the title
    ]
    response = client.post(URL, form_data(rows=rows))
    page = text(response)
    assert "由评审专家酌情量分" in page
    assert "科学技术奖 第 1 条" in page
    assert "未计入的业绩" in page and "科学技术奖 第 2 条" in page


# --------------------------------------------------------------------------------------
# Invalid input: errors beside the field, input kept


@pytest.mark.django_db
def test_graduation_in_the_future_is_refused_beside_the_field(client):
    response = client.post(URL, form_data(rows=with_row("education", 0, graduated="2999-07-01")))
    assert response.status_code == 400
    assert "毕业时间：不能晚于今天" in field_error(response, "education-0-graduated")
    assert input_value(response, "education-0-graduated") == "2999-07-01"
    assert input_value(response, "education-0-major") == "电气工程及其自动化"
    assert input_value(response, "titles-0-obtained") == "2018-06-30"
    assert response.context["result"] is None


@pytest.mark.django_db
def test_impossible_date_is_refused_beside_the_field(client):
    response = client.post(URL, form_data(rows=with_row("education", 0, graduated="2012-02-30")))
    assert response.status_code == 400
    assert "真实存在的日期" in field_error(response, "education-0-graduated")
    assert input_value(response, "education-0-graduated") == "2012-02-30"


@pytest.mark.django_db
def test_negative_hours_are_refused_beside_the_field(client):
    response = client.post(URL, form_data(rows=with_row("continuing_education", 2, general_public="-5")))
    assert response.status_code == 400
    assert "学时不能为负数" in field_error(response, "continuing_education-2-general_public")
    assert input_value(response, "continuing_education-2-general_public") == "-5"
    assert "填写有误" in text(response)


@pytest.mark.django_db
def test_a_half_filled_row_asks_for_the_rest(client):
    rows = copy.deepcopy(ROWS)
    rows["titles"].append({"level": "engineer", "relevant": "on", "obtained": ""})
    response = client.post(URL, form_data(rows=rows))
    assert response.status_code == 400
    assert "请填写日期" in field_error(response, "titles-1-obtained")


@pytest.mark.django_db
def test_engine_errors_are_mapped_back_to_the_row_and_field(client):
    # Only the engine knows a work period must not end before it starts: loc "work[0].end".
    response = client.post(URL, form_data(rows=with_row("work", 0, end="2011-01-01")))
    assert response.status_code == 400
    assert "结束日期：结束日期早于开始日期" in field_error(response, "work-0-end")
    assert input_value(response, "work-0-end") == "2011-01-01"


@pytest.mark.django_db
def test_engine_errors_of_ce_entries_land_on_the_category_column(client):
    form = SelfCheckForm.bound(form_data())
    assert form.is_valid()
    profile = form.to_profile()
    # Entry 4 is 2023 general public hours (three entries per year).
    assert profile["continuing_education"][4] == {"year": 2023, "category": "general_public", "hours": 18}
    form.apply_errors([{"loc": "continuing_education[4].hours", "msg": "示例错误"}, {"loc": "foo", "msg": "未知字段"}])
    row = form.formsets["continuing_education"].forms[1]
    assert row.errors["general_public"] == ["示例错误"]
    assert form.errors == [{"loc": "foo", "msg": "未知字段"}]


@pytest.mark.django_db
def test_duplicate_assessment_year_is_shown_on_that_row(client):
    rows = copy.deepcopy(ROWS)
    rows["assessments"][3] = {"year": "2023", "result": "pass"}
    response = client.post(URL, form_data(rows=rows))
    assert response.status_code == 400
    assert "2023 年度考核重复" in field_error(response, "assessments-3-year")


# --------------------------------------------------------------------------------------
# "添加一行" and switching policy keep everything typed


@pytest.mark.django_db
def test_add_row_keeps_input_and_adds_one_row(client):
    rows = with_row("education", 0, graduated="2999-07-01")  # even invalid input is kept, unjudged
    response = client.post(URL, form_data(rows=rows, add_row="education"))
    assert response.status_code == 200
    assert response.context["result"] is None
    assert input_value(response, "education-TOTAL_FORMS") == "3"
    assert input_value(response, "education-0-graduated") == "2999-07-01"
    assert input_value(response, "education-0-major") == "电气工程及其自动化"
    assert selected(response, "education-0-level") == "bachelor"
    assert checked(response, "education-0-degree")
    assert input_value(response, "education-2-major") == ""
    assert input_value(response, "titles-0-obtained") == "2018-06-30"
    assert input_value(response, "continuing_education-1-professional") == "60"
    assert selected(response, "assessments-1-result") == "excellent"
    assert checked(response, "basic-income_over_120k")
    assert input_value(response, "person-birth_date") == "1988-03-02"
    assert "填写有误" not in text(response)
    # The enlarged form evaluates as before.
    again = client.post(URL, form_data(rows=ROWS, **{"education-TOTAL_FORMS": "3"}))
    assert again.context["result"]["eligible"] is True


@pytest.mark.django_db
def test_switching_level_keeps_rows_and_offers_its_types(client):
    data = form_data(plan={**PLAN, "level": "technician"}, action="switch")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert selected(response, "level") == "technician"
    assert input_value(response, "education-0-graduated") == "2012-07-01"
    assert input_value(response, "deadline") == "2024-10-31"
    assert "省级技能大师工作室领办人" not in text(response)  # engineer claims are gone


# --------------------------------------------------------------------------------------
# Pasted JSON


@pytest.mark.django_db
def test_pasted_json_is_evaluated_and_fills_the_form(client):
    response = client.post(URL, {"action": "json", "profile_json": json.dumps(WZ_ENGINEER, ensure_ascii=False)})
    assert response.status_code == 200
    result = response.context["result"]
    assert result["eligible"] is True
    assert result["score"]["self_score"] == "39.5"
    # The form shows what was evaluated.
    assert input_value(response, "education-0-graduated") == "2012-07-01"
    assert input_value(response, "continuing_education-2-industry_public") == "12"
    assert input_value(response, "continuing_education-2-year") == "2024"
    assert selected(response, "papers-0-kind") == "other"
    assert selected(response, "basic-language") == "cet6"


@pytest.mark.django_db
def test_bad_json_says_where(client):
    response = client.post(URL, {"action": "json", "profile_json": '{"policy": "wz-jidian-2020",\n "level": }'})
    assert response.status_code == 400
    error = field_error(response, "profile_json")
    assert "不是有效的 JSON：第 2 行" in error and "缺少值" in error
    assert '"level": }' in unescape(response.content.decode())  # the text is kept
    not_object = client.post(URL, {"action": "json", "profile_json": "[1, 2]"})
    assert "档案应为 JSON 对象" in field_error(not_object, "profile_json")


@pytest.mark.django_db
def test_pasted_json_errors_are_listed_and_shown_beside_fields(client):
    profile = copy.deepcopy(WZ_ENGINEER)
    profile["education"][0]["graduated"] = "2012-02-30"
    profile["continuing_education"][4]["hours"] = -5
    profile["colour"] = "blue"
    response = client.post(URL, {"action": "json", "profile_json": json.dumps(profile)})
    assert response.status_code == 400
    assert "档案有 3 处错误" in field_error(response, "profile_json")
    assert "日期不存在：2012-02-30" in field_error(response, "education-0-graduated")
    assert "不能小于 0" in field_error(response, "continuing_education-1-general_public")
    page = text(response)
    assert "colour" in page and "未知字段" in page
    assert input_value(response, "education-0-graduated") == "2012-02-30"


# --------------------------------------------------------------------------------------
# The seam for "use my archive": a profile dict pre-fills the form, losslessly


def _posted(form: SelfCheckForm) -> dict[str, object]:
    """What a browser would post for a pre-filled (unbound) form."""
    data: dict[str, object] = {}
    single = [form.plan, form.person, form.basics]
    for f in single:
        for name in f.fields:
            value = f[name].value()
            if isinstance(value, bool):
                if value:
                    data[f[name].html_name] = "on"
            elif value is not None:
                data[f[name].html_name] = str(value)
    data["claims-claims"] = form.claims["claims"].value() or []
    for formset in form.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = str(management[name].value())
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if isinstance(value, bool):
                    if value:
                        data[row[name].html_name] = "on"
                elif value is not None:
                    data[row[name].html_name] = str(value)
    return data


@pytest.mark.django_db
def test_from_profile_round_trips_to_the_same_profile():
    profile = copy.deepcopy(WZ_ENGINEER)
    profile.update(
        {
            "awards": [{"level": "county", "grade": 1, "rank": 2, "date": "2022-05-01", "achievement": "A1"}],
            "honors": [{"kind": "advanced_worker", "level": "county", "year": 2022}],
            "skill_titles": [{"kind": "city_master", "year": 2021}],
            "competitions": [{"level": "city", "place": 2, "year": 2021}],
            "posts": [{"kind": "dept_tech_lead", "start": "2020-01-01", "end": None}],
            "expert_recommendations": [
                {"expert": "E-001", "title_level": "senior_engineer", "province": "浙江", "relevant": True}
            ],
            "claims": ["wz-jidian-2020/engineer/10.3/1"],
            "integrity": [{"banned_from": "2019-01-01", "banned_until": "2021-12-31"}],
            "other_points": 2,
        }
    )
    form = SelfCheckForm.bound(_posted(SelfCheckForm.from_profile(profile)))
    assert form.is_valid(), [f.errors for fs in form.formsets.values() for f in fs.forms if f.errors]
    expected = {k: v for k, v in profile.items() if v != []}
    assert form.to_profile() == expected


def test_url_name():
    assert reverse("eligibility:selfcheck") == URL


@pytest.mark.django_db
def test_query_count_is_small_and_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(URL)
    with django_assert_max_num_queries(2):
        client.post(URL, form_data())


# The profile of shared/spec/examples/04-nb-engineer-exceptional.json: eligible by claims.
NB_EXCEPTIONAL: dict = {
    "policy": "nb-quality-2024",
    "level": "engineer",
    "application_type": None,
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
    "education": [
        {"level": "college", "major": "计量测试技术", "relevant": True, "degree": False, "graduated": "2014-07-01"}
    ],
    "titles": [{"level": "assistant_engineer", "relevant": True, "obtained": "2021-03-01"}],
    "work": [{"start": "2012-07-15", "end": None, "relevant": True, "mountain_county": False, "government": False}],
    "social_insurance": [{"start": "2019-05", "end": None, "region": "330203", "current_employer": True}],
    "continuing_education": [
        {"year": year, "category": category, "hours": hours}
        for year in (2022, 2023, 2024)
        for category, hours in (("professional", 60), ("general_public", 18), ("industry_public", 12))
    ],
    "assessments": [
        {"year": 2021, "result": "pass"},
        {"year": 2022, "result": "pass"},
        {"year": 2023, "result": "pass"},
    ],
    "claims": ["nb-quality-2024/engineer/exceptional/1", "nb-quality-2024/engineer/exceptional/5"],
}


@pytest.mark.django_db
def test_ningbo_exceptional_by_claims_via_json_and_then_the_form(client):
    response = client.post(URL, {"action": "json", "profile_json": json.dumps(NB_EXCEPTIONAL, ensure_ascii=False)})
    result = response.context["result"]
    assert result["eligible"] is True
    met = {r["short_id"] for r in result["routes"] if r["met"]}
    assert "exceptional" in met and "normal" not in met
    assert result["score"] is None and "量化评分表" not in text(response)
    body = response.content.decode()
    for claim in NB_EXCEPTIONAL["claims"]:
        assert re.search(rf'value="{re.escape(claim)}"[^>]* checked', body), claim
    # The pre-filled form, posted back as it is, gives the same verdict.
    again = client.post(URL, _posted(SelfCheckForm.from_profile(NB_EXCEPTIONAL)))
    assert again.status_code == 200
    assert again.context["result"]["eligible"] is True


@pytest.mark.django_db
def test_switching_policy_takes_its_plan_dates(client):
    response = client.post(URL, form_data(plan={**PLAN, "policy": "nb-quality-2024"}, action="switch"))
    assert selected(response, "policy") == "nb-quality-2024"
    assert selected(response, "level") == "engineer"
    assert input_value(response, "deadline") == "2024-08-21"
    assert input_value(response, "achievements_until") == "2024-08-21"
    assert input_value(response, "education-0-major") == "电气工程及其自动化"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"policy": 1, "level": [], "person": "x", "education": [1, {"level": ["x"], "graduated": 5}]},
        {"policy": "wz-jidian-2020", "continuing_education": [{"year": [1], "category": "x"}, "y"], "claims": "z"},
        {"policy": "no-such-policy", "level": "engineer", "plan_year": 2024, "as_of": "2024-12-31"},
        {},
    ],
)
def test_odd_json_never_breaks_the_page(client, body):
    response = client.post(URL, {"action": "json", "profile_json": json.dumps(body)})
    assert response.status_code == 400
    assert "档案有" in field_error(response, "profile_json")


@pytest.mark.django_db
def test_tampered_form_is_refused_not_crashed(client):
    data = form_data()
    del data["education-TOTAL_FORMS"]
    response = client.post(URL, data)
    assert response.status_code == 400
    response = client.post(URL, {"policy": "wz-jidian-2020"})
    assert response.status_code == 400
