"""Exam and interview scores: entry, full marks and scaling, the XLSX template's round trip,
row errors named by row and column, and nothing imported when any row is wrong."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests.evaluation.conftest import make_qualified
from zhicheng.core.models import AuditEntry
from zhicheng.evaluation import selectors
from zhicheng.evaluation.models import ExamResult
from zhicheng.evaluation.services import exams
from zhicheng.evaluation.services.common import EvaluationError
from zhicheng.evaluation.xlsx import HEADERS

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def applicants(open_plan, demo):
    return [make_qualified(open_plan) for _ in range(3)]


def outcome(plan, application):
    return selectors.exam_outcomes(plan, [application])[application.pk]


def workbook_bytes(rows: list[list], header: tuple = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_entry_scales_by_the_full_marks_and_fails_below_half(secretary, open_plan, applicants):
    first, second, third = applicants
    exams.score_scale_set(actor=secretary, plan=open_plan, exam_full_marks=D(60), interview_full_marks=D(150))
    exams.exam_results_save(
        actor=secretary,
        plan=open_plan,
        entries={
            first.pk: {"exam_raw": D(30), "interview_raw": D(75)},  # exactly half of each: passes
            second.pk: {"exam_raw": D("29.99"), "interview_raw": D(150)},  # exam just below half
            third.pk: {"exam_raw": D(60), "interview_raw": D("74.99")},  # interview just below half
        },
    )
    a, b, c = (outcome(open_plan, x) for x in applicants)
    assert (a.exam, a.interview, a.passed) == (D("12.50"), D("10.00"), True)
    assert (b.exam_passed, b.interview_passed, b.passed) == (False, True, False)
    assert (b.exam, b.interview) == (D("12.50"), D("20.00"))  # 29.99 / 60 × 25 = 12.4958 → 12.50
    assert (c.exam, c.interview_passed, c.passed) == (D("25.00"), False, False)
    entry = AuditEntry.objects.filter(action="evaluation.exam_scores").get()
    assert entry.data["changed"][first.number] == {"exam_raw": "30", "interview_raw": "75"}


def test_missing_scores_fail_and_out_of_range_scores_are_refused(secretary, open_plan, applicants):
    assert not outcome(open_plan, applicants[0]).passed  # nothing entered yet
    with pytest.raises(EvaluationError, match="0 到满分 100"):
        exams.exam_results_save(actor=secretary, plan=open_plan, entries={applicants[0].pk: {"exam_raw": D(101)}})
    with pytest.raises(EvaluationError, match="资格审查通过"):
        exams.exam_results_save(actor=secretary, plan=open_plan, entries={999999: {"exam_raw": D(1)}})
    exams.exam_results_save(actor=secretary, plan=open_plan, entries={applicants[0].pk: {"exam_raw": D(90)}})
    with pytest.raises(EvaluationError, match="高于新满分"):
        exams.score_scale_set(actor=secretary, plan=open_plan, exam_full_marks=D(80), interview_full_marks=D(100))


def test_the_template_round_trip(secretary, open_plan, applicants):
    book = load_workbook(io.BytesIO(selectors.exam_template(open_plan)))
    sheet = book["成绩"]
    assert tuple(c.value for c in sheet[1]) == HEADERS
    listed = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(listed) == {a.number for a in applicants}
    for index, application in enumerate(applicants):
        row = listed[application.number]
        assert row[1].value == application.applicant.real_name and row[2].value == "工程师"
        row[3].value, row[4].value = 60 + index, 70.5 + index
    buffer = io.BytesIO()
    book.save(buffer)

    changed = exams.exam_results_import(actor=secretary, plan=open_plan, data=buffer.getvalue(), filename="成绩.xlsx")
    assert changed == 3
    stored = {r.application_id: (r.exam_raw, r.interview_raw) for r in ExamResult.objects.all()}
    assert stored == {a.pk: (D(60 + i), D("70.5") + i) for i, a in enumerate(applicants)}

    # the template now carries the stored scores, and importing it unchanged changes nothing
    again = selectors.exam_template(open_plan)
    values = {
        r[0]: (r[3], r[4]) for r in load_workbook(io.BytesIO(again))["成绩"].iter_rows(min_row=2, values_only=True)
    }
    assert values[applicants[1].number] == (61, 71.5)
    assert exams.exam_results_import(actor=secretary, plan=open_plan, data=again, filename="again.xlsx") == 0
    assert AuditEntry.objects.filter(action="evaluation.exam_scores").count() == 1


def test_every_row_error_is_named_and_nothing_is_imported(secretary, open_plan, applicants):
    first, second, third = applicants
    exams.exam_results_save(actor=secretary, plan=open_plan, entries={first.pk: {"exam_raw": D(10)}})
    before = list(ExamResult.objects.values_list("application_id", "exam_raw", "interview_raw"))
    name = first.applicant.real_name
    data = workbook_bytes(
        [
            [first.number, name, "工程师", 88, 77],  # row 2: fine on its own
            ["NO-SUCH-1", "某人", "工程师", 60, 60],  # row 3
            [second.number, "李四", "工程师", "八十", 101],  # row 4: wrong name, not a number, above 100
            [first.number, name, "工程师", 50, 50],  # row 5: duplicate of row 2
            [None, None, None, None, None],  # row 6: blank rows are skipped
            [third.number, third.applicant.real_name, "工程师", 60.123, -1],  # row 7
            [None, "无编号", None, 60, 60],  # row 8
        ]
    )
    with pytest.raises(exams.ImportRejected) as rejected:
        exams.exam_results_import(actor=secretary, plan=open_plan, data=data, filename="bad.xlsx")
    assert [str(e) for e in rejected.value.errors] == [
        "第 3 行 A 列（申报编号）：本计划的评审对象中没有申报编号“NO-SUCH-1”",
        f"第 4 行 B 列（姓名）：“李四”与申报编号对应的申报人“{second.applicant.real_name}”不一致",
        "第 4 行 D 列（理论考试成绩）：“八十”不是数字",
        "第 4 行 E 列（面试答辩成绩）：成绩 101 不在 0 到满分 100 之间",
        "第 5 行 A 列（申报编号）：与第 2 行重复",
        "第 7 行 D 列（理论考试成绩）：成绩 60.123 最多保留两位小数",
        "第 7 行 E 列（面试答辩成绩）：成绩 -1 不在 0 到满分 100 之间",
        "第 8 行 A 列（申报编号）：不能为空",
    ]
    assert list(ExamResult.objects.values_list("application_id", "exam_raw", "interview_raw")) == before


def test_files_that_are_not_the_template_are_refused(secretary, open_plan, applicants):
    cases = [
        (b"not a spreadsheet", "无法读取文件"),
        (workbook_bytes([], header=("编号", "姓名")), "第 1 行：表头应为"),
        (workbook_bytes([[applicants[0].number, applicants[0].applicant.real_name, "工程师", None, None]]), "没有填写"),
    ]
    for data, message in cases:
        with pytest.raises(exams.ImportRejected) as rejected:
            exams.exam_results_import(actor=secretary, plan=open_plan, data=data, filename="x.xlsx")
        assert message in str(rejected.value.errors[0])
    assert not ExamResult.objects.exists()


def test_a_blank_cell_keeps_the_score_it_leaves_out(secretary, open_plan, applicants):
    first = applicants[0]
    exams.exam_results_save(
        actor=secretary, plan=open_plan, entries={first.pk: {"exam_raw": D(70), "interview_raw": D(65)}}
    )
    data = workbook_bytes([[first.number, first.applicant.real_name, "工程师", None, "80.5"]])
    exams.exam_results_import(actor=secretary, plan=open_plan, data=data, filename="x.xlsx")
    result = ExamResult.objects.get(application=first)
    assert (result.exam_raw, result.interview_raw) == (D(70), D("80.5"))
