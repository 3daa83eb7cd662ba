"""The public calendar page (年度评审计划安排) and the regions page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from zhicheng.reference.models import PlanCalendar, PlanCalendarEntry, Region

pytestmark = pytest.mark.django_db

# Every row of the annex of 温职改办〔2019〕4号 as printed: (序号, 所评任职资格名称).
# The two rows without a number under 22 are shown as 22-1 and 22-2.
ANNEX_ROWS = [
    ("1", "推荐高级审计师"),
    ("2", "推荐高级统计师"),
    ("3", "推荐高级会计师"),
    ("4", "推荐正高级会计师"),
    ("5", "推荐副研究馆员、研究馆员"),
    ("6", "评审三级律师；\n推荐一级、二级律师"),
    ("7", "评审三级公证员；\n推荐一级、二级公证员"),
    ("8", "评审记者、编辑；\n推荐主任记者、主任编辑、高级记者、高级编辑"),
    ("9", "评审技师；推荐主任技师"),
    ("10", "评审农民技师；\n推荐农民高级技师"),
    ("11", "评审助理研究员、实验师；\n推荐副研究员、高级实验师、研究员"),
    ("12", "评审农艺师、畜牧师、兽医师；\n推荐高级农艺师、高级畜牧师、高级兽医师"),
    ("13", "评审工程师；\n推荐高级工程师"),
    ("14", "推荐高级经济师、正高级经济师"),
    ("15", "评审讲师、助理研究员\n推荐高级讲师、副教授、副研究员、正高级讲师、教授、研究员"),
    ("16", "评审讲师、实习指导师；\n推荐高级讲师、高级实习指导师"),
    ("17", "推荐正高级讲师、正高级实习指导师"),
    ("18", "评审高级教师、副研究员、高级讲师、高级实验师"),
    ("19", "推荐正高级教师"),
    ("20", "评审一级教练；\n推荐高级教练"),
    ("21", "主任（中）医（药、护、技）师、副主任（中）医（药、护、技）师"),
    ("22", "评审工程师"),
    ("22-1", "推荐高级工程师"),
    ("22-2", "推荐正高级工程师"),
    ("23", "评审工程师"),
    ("24", "推荐高级工程师"),
    ("25", "评审工程师；\n推荐高级工程师"),
    ("26", "评审工程师"),
    ("27", "推荐高级工程师"),
    ("28", "评审工程师；\n推荐高级工程师"),
    ("29", "评审工程师；\n推荐高级工程师"),
    ("30", "评审工程师；\n推荐高级工程师"),
    ("31", "评审工程师；\n推荐高级工程师"),
    ("32", "评审工程师；\n推荐高级工程师、副主任（中）药师、副主任技师"),
    ("33", "评审工程师；\n推荐高级工程师"),
    ("34", "评审馆员；\n推荐研究馆员、副研究馆员"),
    ("35", "评审馆员；\n推荐研究馆员、副研究馆员"),
    ("36", "评审艺术三级；\n推荐艺术一级、二级"),
    ("37", "评审馆员；\n推荐研究馆员、副研究馆员"),
    ("38", "评审三级美术师；\n推荐一级美术师、二级美术师"),
    ("39", "评审一级播音员；\n推荐主任播音员、播音指导"),
    ("40", "评审广电艺术三级；\n推荐广电艺术一级、二级"),
    ("41", "评审工程师；\n推荐高级工程师、正高级工程师"),
    ("42", "评审工艺美术师"),
    ("43", "推荐高级工艺美术师"),
    ("44", "评审工程师、助理工程师、技术员"),
    ("45", "评审工程师、助理工程师、技术员"),
]

ROW_RE = re.compile(r'<tr data-row="([^"]+)">(.*?)</tr>', re.S)
CELL_RE = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def table_rows(html: str) -> dict[str, list[str]]:
    """{序号: [cell text, …]} with <br> kept as a newline."""
    rows = {}
    for number, body in ROW_RE.findall(html):
        cells = [unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br>\s*", "\n", c))).strip() for c in CELL_RE.findall(body)]
        rows[number] = cells
    return rows


def get(client, **params):
    response = client.get(reverse("reference:calendar"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_annex_has_45_numbered_rows():
    numbers = [n for n, _ in ANNEX_ROWS if "-" not in n]
    assert numbers == [str(i) for i in range(1, 46)]
    assert len(ANNEX_ROWS) == 47


def test_calendar_page_shows_every_row_of_the_2019_annex(client, loaded):
    html = get(client)
    assert "2019年度温州市各系列（专业）职称评审计划" in html
    assert "温职改办〔2019〕4号" in html
    rows = table_rows(html)
    assert len(rows) == len(ANNEX_ROWS) == PlanCalendarEntry.objects.count() == 47
    assert list(rows) == [n for n, _ in ANNEX_ROWS]  # printed order
    for number, titles in ANNEX_ROWS:
        cells = rows[number]
        assert len(cells) == 8
        assert cells[0] == number
        assert cells[2] == titles, number
    assert rows["45"] == [
        "45",
        "机电",
        "评审工程师、助理工程师、技术员",
        "8-9月",
        "7月",
        "温州市机电技术协会",
        "88879706",
        "仅限企业人员",
    ]
    assert rows["28"][6] == "88980010\n56988590"
    assert rows["4"][1] == "会计" and rows["4"][5] == "温州市财政局会计处"  # merged cells shown
    assert "共 47 行" in html


def test_headers_are_the_printed_columns(client, loaded):
    html = get(client)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    assert headers == ["序号", "系列", "评审（推荐）职称", "评审时间", "材料报送时间", "受理单位", "联系电话", "备注"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("会计", ["3", "4"]),  # row 4 matches through its merged series cell
        ("机电技术协会", ["45"]),
        ("正高级工程师", ["22-2", "41"]),
        ("律师", ["6"]),
        ("文化广电旅游局 工程师", ["41"]),  # every word must match
        ("自然资源", ["29", "30"]),
    ],
)
def test_search_filters_rows(client, loaded, q, expected):
    html = get(client, q=q)
    assert list(table_rows(html)) == expected
    assert f"符合“{q}”的 {len(expected)} 行" in html


def test_search_without_match_says_so(client, loaded):
    html = get(client, q="不存在的系列")
    assert table_rows(html) == {}
    assert "没有符合“不存在的系列”的安排" in html


def test_htmx_request_gets_only_the_results(client, loaded):
    response = client.get(reverse("reference:calendar"), {"q": "机械"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="calendar-results"')
    assert "<html" not in html
    assert list(table_rows(html)) == ["44"]


def test_query_count_does_not_grow_with_rows(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        full = get(client)
    with django_assert_max_num_queries(4):
        get(client, q="工程师")
    # Double the rows of the calendar: still the same bound.
    city = Region.objects.get(code="330300")
    extra = [
        PlanCalendarEntry(year=2019, city=city, row_number=100 + i, titles=f"测试职称{i}", series_name="测试")
        for i in range(60)
    ]
    PlanCalendarEntry.objects.bulk_create(extra)
    with django_assert_max_num_queries(4):
        bigger = get(client)
    assert len(table_rows(bigger)) == len(table_rows(full)) + 60


def test_year_selector_appears_with_several_years(client, loaded):
    city = Region.objects.get(code="330300")
    PlanCalendar.objects.create(year=2020, city=city, title="2020年度温州市各系列（专业）职称评审计划")
    PlanCalendarEntry.objects.create(year=2020, city=city, row_number=1, titles="评审工程师", series_name="机电")
    html = get(client)
    assert 'name="year"' in html and "2020 年" in html and "2019 年" in html
    assert list(table_rows(html)) == ["1"]  # newest year first
    assert "2020年度温州市各系列（专业）职称评审计划" in html
    assert len(table_rows(get(client, year="2019"))) == 47


def test_page_works_before_any_data_is_loaded(client, db):
    PlanCalendarEntry.objects.all().delete()
    PlanCalendar.objects.all().delete()
    html = get(client)
    assert "尚未加载年度评审计划安排" in html


def test_regions_page_marks_mountain_counties(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("reference:regions"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-region="') == 90
    assert html.count('<span class="badge text-bg-success">山区县</span>') == 26 + 1  # + the legend
    assert "上虞区" in html and "330604" in html and "景宁畲族自治县" in html
