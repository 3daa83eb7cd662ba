"""The exam and interview spreadsheet: a template to download and the parser of a filled one.

The template lists the plan's applicants (申报编号, 姓名, 申报级别) with their current raw scores.
``parse`` reads it back and names every problem by row and column, in Chinese; the caller
imports nothing unless there are none. A blank score cell leaves that score as it is.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.forms import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhicheng.core.uploads import validate_xlsx
from zhicheng.evaluation.thresholds import plain

HEADERS = ("申报编号", "姓名", "申报级别", "理论考试成绩", "面试答辩成绩")
COLUMN_LETTERS = "ABCDE"
SCORE_COLUMNS = {"D": "exam_raw", "E": "interview_raw"}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
TOO_LARGE = f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请只保留模板中的成绩表。"
# What a damaged or foreign file raises while openpyxl reads it (XML parse errors are SyntaxErrors).
UNREADABLE = (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class TemplateRow:
    number: str
    name: str
    level: str
    exam_raw: Decimal | None
    interview_raw: Decimal | None


@dataclass(frozen=True)
class RowError:
    """A problem of the file (``row`` 0), of a row, or of one cell (``column`` a letter)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if not self.column:
            return f"第 {self.row} 行：{self.message}"
        header = HEADERS[COLUMN_LETTERS.index(self.column)]
        return f"第 {self.row} 行 {self.column} 列（{header}）：{self.message}"


@dataclass
class Parsed:
    """Scores by application number (only the cells that were filled) and the errors."""

    entries: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def build_template(
    rows: list[TemplateRow], *, plan_title: str, exam_full_marks: Decimal, interview_full_marks: Decimal
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "成绩"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.number, row.name, row.level, row.exam_raw, row.interview_raw])
    for letter, width in zip(COLUMN_LETTERS, (30, 12, 14, 16, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    for line in (
        plan_title,
        f"理论考试满分 {plain(exam_full_marks)} 分，按 25 分折算；"
        f"面试答辩满分 {plain(interview_full_marks)} 分，按 20 分折算。",
        "低于满分 50% 的，评审不通过（恰好 50% 为通过）。",
        "只填写“理论考试成绩”“面试答辩成绩”两列的原始分，最多两位小数；留空的单元格不导入（保留原成绩）。",
        "请勿修改表头、申报编号和姓名；任何一行有错误时整个文件都不导入，请按提示改正后重新上传。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _score(value: Any, full_marks: Decimal) -> tuple[Decimal | None, str]:
    """The cell's score (None when blank) and the problem ("" when none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, f"“{_text(value)}”不是数字"
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        return None, f"“{_text(value)}”不是数字"
    if not score.is_finite():
        return None, f"“{_text(value)}”不是数字"
    if score < 0 or score > full_marks:
        return None, f"成绩 {_text(value)} 不在 0 到满分 {plain(full_marks)} 之间"
    if score.as_tuple().exponent < -2 and score != score.quantize(Decimal("0.01")):
        return None, f"成绩 {_text(value)} 最多保留两位小数"
    return score.quantize(Decimal("0.01")), ""


def parse(data: bytes, *, names: dict[str, str], full_marks: dict[str, Decimal]) -> Parsed:
    """Read a filled template. ``names``: the plan's application numbers → applicant names;
    ``full_marks``: ``{"exam_raw": …, "interview_raw": …}``."""
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.errors.append(RowError(0, "", TOO_LARGE))
        return parsed
    try:  # the archive itself: a plain XLSX, no zip bomb (zhicheng.core.uploads)
        validate_xlsx(data, max_bytes=MAX_BYTES)
    except ValidationError as error:
        parsed.errors.append(RowError(0, "", error.messages[0]))
        return parsed
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            _parse_rows(workbook.worksheets[0].iter_rows(values_only=True), parsed, names, full_marks)
        finally:
            workbook.close()
    except UNREADABLE:
        parsed.entries.clear()
        parsed.errors[:] = [RowError(0, "", "无法读取文件：请上传用下载的模板填写的 Excel（.xlsx）文件。")]
    return parsed


def _parse_rows(rows: Any, parsed: Parsed, names: dict[str, str], full_marks: dict[str, Decimal]) -> None:
    header = next(rows, None)
    found = tuple(_text(v) for v in (header or ())[: len(HEADERS)])
    if found != HEADERS:
        parsed.errors.append(RowError(1, "", f"表头应为“{'、'.join(HEADERS)}”，请使用下载的模板。"))
        return
    first_row: dict[str, int] = {}
    for index, values in enumerate(rows, start=2):
        if index > MAX_ROWS + 1:
            parsed.errors.append(RowError(0, "", f"文件超过 {MAX_ROWS} 行，请检查是否选错了文件。"))
            return
        cells = (tuple(values) + (None,) * len(HEADERS))[: len(HEADERS)]
        if all(_text(v) == "" for v in cells):
            continue
        _parse_row(index, cells, parsed, first_row, names, full_marks)
    if not parsed.errors and not parsed.entries:
        parsed.errors.append(RowError(0, "", "文件中没有填写任何成绩。"))


def _parse_row(
    index: int,
    cells: tuple[Any, ...],
    parsed: Parsed,
    first_row: dict[str, int],
    names: dict[str, str],
    full_marks: dict[str, Decimal],
) -> None:
    number, name = _text(cells[0]), _text(cells[1])
    errors = parsed.errors
    if not number:
        errors.append(RowError(index, "A", "不能为空"))
        return
    if number not in names:
        errors.append(RowError(index, "A", f"本计划的评审对象中没有申报编号“{number}”"))
        return
    if number in first_row:
        errors.append(RowError(index, "A", f"与第 {first_row[number]} 行重复"))
        return
    first_row[number] = index
    if name != names[number]:
        errors.append(RowError(index, "B", f"“{name}”与申报编号对应的申报人“{names[number]}”不一致"))
    scores: dict[str, Decimal] = {}
    for letter, key in SCORE_COLUMNS.items():
        score, problem = _score(cells[COLUMN_LETTERS.index(letter)], full_marks[key])
        if problem:
            errors.append(RowError(index, letter, problem))
        elif score is not None:
            scores[key] = score
    if scores:
        parsed.entries[number] = scores
