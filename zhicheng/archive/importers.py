"""Automatic extraction (自动提取) of archive records from external registries.

On the real platform (seed 003 §五.3) degrees obtained after 2001 are extracted from the
national higher-education registry (学信网, CHSI) and the social-insurance history from the
provincial HR system; everything else is typed in and proved by uploads. This module is the
seam between the archive and those systems:

- ``RegistryAdapter``: the protocol an integration implements — ``fetch_degrees(person)`` and
  ``fetch_social_insurance(person)``, both keyed by the person's ID number and returning plain
  facts (``DegreeRecord``, ``InsurancePeriod``). Adapters never write; the service
  ``services.archive_import`` turns the facts into records.
- ``FileRegistryAdapter``: reads CSV or JSON exports (column layout below).
- ``DemoRegistryAdapter``: plausible data for the demo people, for development.
- ``get_registry_adapter()``: the adapter named by ``settings.ARCHIVE_REGISTRY_ADAPTER`` (a
  dotted path; ``""`` switches extraction off), built with ``settings.ARCHIVE_REGISTRY_OPTIONS``
  as keyword arguments. Unset, it is the demo adapter when ``DEBUG`` is on and none otherwise.

Export layout (one row per degree or per insurance period; the first row names the columns,
either the Chinese header a registry export carries or the English key; CSV in UTF-8, a
byte-order mark allowed; JSON: an array of objects with the same keys, or ``{"records": [...]}``).
Dates ``YYYY-MM-DD`` (also ``YYYY/MM/DD``, ``YYYYMMDD``), months ``YYYY-MM`` (also ``YYYYMM``).

Degrees (学信网 学历/学位信息)::

    证件号码 id_number            required; the person's ID number
    姓名 name                     informative
    层次 level                    博士研究生 / 硕士研究生 / 第二学士学位 / 本科 / 专科 (or the code)
    院校名称 school               required
    专业名称 major                required
    入学日期 start_date           optional
    毕业日期 graduated_on         required (毕(结)业日期)
    毕结业结论 conclusion         optional; only 毕业 rows are degrees (结业, 肄业 are left out)
    证书编号 certificate_number   学历证书编号
    学位名称 degree_name          e.g. 工学学士; empty = no degree
    学位证书编号 degree_certificate_number   a degree certificate also means a degree
    记录编号 record_id            optional stable id of the row; default: the certificate number

Social insurance (人社系统 企业职工基本养老保险 参保缴费记录)::

    证件号码 id_number            required
    姓名 name                     informative
    参保地行政区划代码 region_code  required, 6 digits (Wenzhou 3303xx, Ningbo 3302xx)
    缴费单位名称 employer_name     required
    统一社会信用代码 employer_uscc  optional; decides "paid by the current employer"
    缴费开始年月 start_month       required
    缴费截止年月 end_month         empty = still paying (至今)
    记录编号 record_id            optional; default: USCC (or name), region and start month

A sample of each lives in ``zhicheng/archive/data/`` (``registry_degrees.csv``,
``registry_social_insurance.json``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from zhicheng.archive.choices import EducationLevel, ImportSource
from zhicheng.lib.idnumbers import make_resident_id

# The registry holds electronically registered degrees from 2002 on; a degree of 2001 or
# earlier is typed in with the 《高校毕业生登记表》 uploaded (seed 003 §五.3 (1) ③).
REGISTRY_DEGREES_FROM = date(2002, 1, 1)

DEMO_ADAPTER = "zhicheng.archive.importers.DemoRegistryAdapter"
SAMPLE_DIR = Path(__file__).resolve().parent / "data"

# Fields a registry supplies, per record type: locked on the edit page of an imported record
# and never subject to the employer's review. Everything else (e.g. an education's relevance
# to the specialty applied for) is the person's own statement and is reviewed as usual.
IMPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "education": (
        "level",
        "school",
        "major",
        "has_degree",
        "degree_name",
        "start_date",
        "graduated_on",
        "certificate_number",
    ),
    "social_insurance": ("start_month", "end_month", "region_code", "employer_name", "is_current_employer"),
}


class RegistryError(Exception):
    """The registry could not be read, or sent a row that makes no sense (message in Chinese)."""


@dataclass(frozen=True)
class DegreeRecord:
    """A degree as the national registry holds it."""

    key: str
    level: str  # EducationLevel code
    school: str
    major: str
    graduated_on: date
    has_degree: bool = False
    degree_name: str = ""
    start_date: date | None = None
    certificate_number: str = ""

    def record_data(self) -> dict[str, Any]:
        """The ``Education`` fields this degree fills (``IMPORTED_FIELDS["education"]``)."""
        return {
            "level": self.level,
            "school": self.school,
            "major": self.major,
            "has_degree": self.has_degree,
            "degree_name": self.degree_name,
            "start_date": self.start_date,
            "graduated_on": self.graduated_on,
            "certificate_number": self.certificate_number,
        }

    def describe(self) -> str:
        return f"{EducationLevel(self.level).label} · {self.school} · {self.major} · {self.graduated_on:%Y-%m-%d}毕业"


@dataclass(frozen=True)
class InsurancePeriod:
    """A period of social-insurance contributions as the HR system holds it."""

    key: str
    start_month: date  # the month's first day
    end_month: date | None  # None: still paying
    region_code: str
    employer_name: str
    employer_uscc: str = ""

    def paid_by(self, employer: Any) -> bool:
        """Whether ``employer`` (an ``Organisation`` or None) is the paying unit: by USCC, else by name."""
        if employer is None:
            return False
        if self.employer_uscc and employer.uscc:
            return self.employer_uscc.strip().upper() == employer.uscc.strip().upper()
        return self.employer_name.strip() == employer.name.strip()

    def record_data(self, *, current_employer: Any) -> dict[str, Any]:
        """The ``SocialInsurance`` fields (``IMPORTED_FIELDS["social_insurance"]``)."""
        return {
            "start_month": self.start_month,
            "end_month": self.end_month,
            "region_code": self.region_code,
            "employer_name": self.employer_name,
            "is_current_employer": self.paid_by(current_employer),
        }

    def describe(self) -> str:
        end = f"{self.end_month:%Y-%m}" if self.end_month else "今"
        return f"{self.start_month:%Y-%m} 至 {end} · {self.employer_name} · {self.region_code}"


@runtime_checkable
class RegistryAdapter(Protocol):
    """What an integration with the registries provides. Both calls are keyed by ID number."""

    def fetch_degrees(self, person: Any) -> list[DegreeRecord]:
        """Degrees of ``person`` held by the higher-education registry (学信网)."""
        ...

    def fetch_social_insurance(self, person: Any) -> list[InsurancePeriod]:
        """Contribution periods of ``person`` held by the HR system."""
        ...


def adapter_label(adapter: Any) -> str:
    return str(getattr(adapter, "label", "") or type(adapter).__name__)


# --- Settings ------------------------------------------------------------------------------


def registry_adapter_path() -> str:
    path = getattr(settings, "ARCHIVE_REGISTRY_ADAPTER", None)
    if path is None:
        return DEMO_ADAPTER if settings.DEBUG else ""
    return str(path)


def get_registry_adapter() -> RegistryAdapter | None:
    """The configured adapter, or None when automatic extraction is switched off."""
    path = registry_adapter_path()
    if not path:
        return None
    # The options belong to the adapter the setting names, not to the development default.
    explicit = getattr(settings, "ARCHIVE_REGISTRY_ADAPTER", None) is not None
    options = (getattr(settings, "ARCHIVE_REGISTRY_OPTIONS", None) or {}) if explicit else {}
    return import_string(path)(**options)


def registry_available() -> bool:
    return bool(registry_adapter_path())


# --- Parsing helpers -----------------------------------------------------------------------

LEVEL_NAMES: dict[str, str] = {
    "博士研究生": EducationLevel.DOCTORATE,
    "博士": EducationLevel.DOCTORATE,
    "硕士研究生": EducationLevel.MASTER,
    "硕士": EducationLevel.MASTER,
    "第二学士学位": EducationLevel.SECOND_BACHELOR,
    "第二学士": EducationLevel.SECOND_BACHELOR,
    "本科": EducationLevel.BACHELOR,
    "大学本科": EducationLevel.BACHELOR,
    "专升本": EducationLevel.BACHELOR,
    "专科": EducationLevel.COLLEGE,
    "大学专科": EducationLevel.COLLEGE,
    "高职": EducationLevel.COLLEGE,
    "高职（专科）": EducationLevel.COLLEGE,
}
# Levels a higher-education registry can hold (no secondary schools, no technical schools).
REGISTRY_LEVELS = frozenset(
    {
        EducationLevel.DOCTORATE,
        EducationLevel.MASTER,
        EducationLevel.SECOND_BACHELOR,
        EducationLevel.BACHELOR,
        EducationLevel.COLLEGE,
    }
)

DEGREE_COLUMNS: dict[str, str] = {
    "证件号码": "id_number",
    "身份证号": "id_number",
    "姓名": "name",
    "层次": "level",
    "学历层次": "level",
    "院校名称": "school",
    "学校名称": "school",
    "专业名称": "major",
    "专业": "major",
    "入学日期": "start_date",
    "毕业日期": "graduated_on",
    "毕(结)业日期": "graduated_on",
    "毕结业结论": "conclusion",
    "毕(结)业结论": "conclusion",
    "证书编号": "certificate_number",
    "学历证书编号": "certificate_number",
    "学位名称": "degree_name",
    "学位证书编号": "degree_certificate_number",
    "记录编号": "record_id",
}
INSURANCE_COLUMNS: dict[str, str] = {
    "证件号码": "id_number",
    "身份证号": "id_number",
    "姓名": "name",
    "参保地行政区划代码": "region_code",
    "参保地区划代码": "region_code",
    "缴费单位名称": "employer_name",
    "单位名称": "employer_name",
    "统一社会信用代码": "employer_uscc",
    "缴费开始年月": "start_month",
    "开始年月": "start_month",
    "缴费截止年月": "end_month",
    "截止年月": "end_month",
    "记录编号": "record_id",
}

_DATE_FORMATS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
)
_MONTH_FORMATS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
)


def parse_date(value: str) -> date:
    value = value.strip()
    for pattern in _DATE_FORMATS:
        match = pattern.match(value)
        if match:
            return date(*(int(part) for part in match.groups()))
    raise ValueError(value)


def parse_month(value: str) -> date:
    value = value.strip()
    for pattern in _MONTH_FORMATS:
        match = pattern.match(value)
        if match:
            year, month = (int(part) for part in match.groups())
            return date(year, month, 1)
    return parse_date(value).replace(day=1)


def parse_level(value: str) -> str:
    value = value.strip()
    level = LEVEL_NAMES.get(value) or (value if value in EducationLevel.values else "")
    if level not in REGISTRY_LEVELS:
        raise ValueError(value)
    return level


def _normalise(row: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, str]:
    """Row keys in English (Chinese headers mapped), values as stripped strings."""
    out: dict[str, str] = {}
    for raw_key, raw_value in row.items():
        if raw_key is None:
            continue
        key = str(raw_key).strip().lstrip("\ufeff")
        key = columns.get(key, key)
        out[key] = "" if raw_value is None else str(raw_value).strip()
    return out


def degree_from_row(row: Mapping[str, str], *, where: str) -> DegreeRecord | None:
    """A normalised degree row as a ``DegreeRecord``; None for a 结业 / 肄业 row."""
    conclusion = row.get("conclusion", "")
    if conclusion and conclusion != "毕业":
        return None
    try:
        level = parse_level(row.get("level", ""))
    except ValueError:
        raise RegistryError(f"{where}：无法识别的学历层次“{row.get('level', '')}”。") from None
    school, major = row.get("school", ""), row.get("major", "")
    if not school or not major:
        raise RegistryError(f"{where}：缺少院校名称或专业名称。")
    try:
        graduated_on = parse_date(row.get("graduated_on", ""))
    except ValueError:
        raise RegistryError(f"{where}：毕业日期“{row.get('graduated_on', '')}”格式不正确。") from None
    start_date = None
    if row.get("start_date"):
        try:
            start_date = parse_date(row["start_date"])
        except ValueError:
            raise RegistryError(f"{where}：入学日期“{row['start_date']}”格式不正确。") from None
    certificate = row.get("certificate_number", "")
    degree_name = row.get("degree_name", "")
    key = row.get("record_id") or certificate or f"{school}|{level}|{graduated_on:%Y-%m-%d}"
    return DegreeRecord(
        key=key[:80],
        level=level,
        school=school[:100],
        major=major[:100],
        graduated_on=graduated_on,
        has_degree=bool(degree_name or row.get("degree_certificate_number")),
        degree_name=degree_name[:40],
        start_date=start_date,
        certificate_number=certificate[:40],
    )


def period_from_row(row: Mapping[str, str], *, where: str) -> InsurancePeriod:
    region = row.get("region_code", "")
    if not re.fullmatch(r"\d{6}", region):
        raise RegistryError(f"{where}：参保地行政区划代码“{region}”应为 6 位数字。")
    employer_name = row.get("employer_name", "")
    if not employer_name:
        raise RegistryError(f"{where}：缺少缴费单位名称。")
    try:
        start = parse_month(row.get("start_month", ""))
    except ValueError:
        raise RegistryError(f"{where}：缴费开始年月“{row.get('start_month', '')}”格式不正确。") from None
    end = None
    if row.get("end_month"):
        try:
            end = parse_month(row["end_month"])
        except ValueError:
            raise RegistryError(f"{where}：缴费截止年月“{row['end_month']}”格式不正确。") from None
        if end < start:
            raise RegistryError(f"{where}：缴费截止年月早于开始年月。")
    uscc = row.get("employer_uscc", "")
    key = row.get("record_id") or f"{uscc or employer_name}|{region}|{start:%Y-%m}"
    if len(key) > 80:
        key = "sha1:" + hashlib.sha1(key.encode()).hexdigest()  # noqa: S324 - an identifier, not security
    return InsurancePeriod(
        key=key,
        start_month=start,
        end_month=end,
        region_code=region,
        employer_name=employer_name[:100],
        employer_uscc=uscc,
    )


# --- The file adapter ----------------------------------------------------------------------


class FileRegistryAdapter:
    """Reads registry exports: ``degrees`` and ``social_insurance`` are paths to CSV or JSON files.

    Either may be omitted (that registry then returns nothing). The files are read on every
    call, so a new export takes effect without a restart.
    """

    label = "文件导入"

    def __init__(
        self,
        *,
        degrees: str | Path | None = None,
        social_insurance: str | Path | None = None,
        encoding: str = "utf-8-sig",
    ) -> None:
        self.degrees_path = Path(degrees) if degrees else None
        self.insurance_path = Path(social_insurance) if social_insurance else None
        self.encoding = encoding

    def _rows(self, path: Path, columns: Mapping[str, str]) -> Iterable[tuple[int, dict[str, str]]]:
        """``(line or index, normalised row)`` of a CSV or JSON export."""
        try:
            text = path.read_text(encoding=self.encoding)
        except (OSError, UnicodeDecodeError) as error:
            raise RegistryError(f"无法读取数据文件 {path.name}：{error}") from None
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise RegistryError(f"数据文件 {path.name} 不是有效的 JSON：{error}") from None
            if isinstance(data, dict):
                data = data.get("records", [])
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise RegistryError(f"数据文件 {path.name} 应为对象数组。")
            for index, item in enumerate(data):
                yield index + 1, _normalise(item, columns)
        elif path.suffix.lower() == ".csv":
            reader = csv.DictReader(text.splitlines())
            for line, row in enumerate(reader, start=2):
                yield line, _normalise(row, columns)
        else:
            raise RegistryError(f"数据文件 {path.name} 应为 .csv 或 .json。")

    def _rows_of(self, path: Path | None, columns: Mapping[str, str], person: Any) -> list[tuple[str, dict[str, str]]]:
        id_number = (getattr(person, "id_number", "") or "").upper()
        if path is None or not id_number:
            return []
        return [
            (f"{path.name} 第 {line} 行", row)
            for line, row in self._rows(path, columns)
            if row.get("id_number", "").upper() == id_number
        ]

    def fetch_degrees(self, person: Any) -> list[DegreeRecord]:
        degrees = (
            degree_from_row(row, where=where) for where, row in self._rows_of(self.degrees_path, DEGREE_COLUMNS, person)
        )
        return [d for d in degrees if d is not None]

    def fetch_social_insurance(self, person: Any) -> list[InsurancePeriod]:
        rows = self._rows_of(self.insurance_path, INSURANCE_COLUMNS, person)
        return [period_from_row(row, where=where) for where, row in rows]


# --- The demo adapter ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPerson:
    degrees: tuple[DegreeRecord, ...] = ()
    insurance: tuple[InsurancePeriod, ...] = ()


def _degree(key: str, level: str, school: str, major: str, start: date, graduated: date, degree: str) -> DegreeRecord:
    return DegreeRecord(
        key=key,
        level=level,
        school=school,
        major=major,
        graduated_on=graduated,
        has_degree=bool(degree),
        degree_name=degree,
        start_date=start,
        certificate_number=key,
    )


def _period(region: str, employer: str, start: date, end: date | None = None) -> InsurancePeriod:
    return InsurancePeriod(
        key=f"{employer}|{region}|{start:%Y-%m}",
        start_month=start,
        end_month=end,
        region_code=region,
        employer_name=employer,
    )


# The demo applicants of ``load_demo`` (same names, areas, birth dates and sequence numbers).
DEMO_REGISTRY: dict[str, DemoPerson] = {
    # 张伟, 瑞安市华东机械有限公司 (Wenzhou): bachelor 2010, insured in 瑞安 since 2010-07.
    make_resident_id(area="330381", birth=date(1988, 5, 12), seq="351"): DemoPerson(
        degrees=(
            _degree(
                "103371201005001234",
                EducationLevel.BACHELOR,
                "浙江工业大学",
                "机械设计制造及其自动化",
                date(2006, 9, 1),
                date(2010, 7, 1),
                "工学学士",
            ),
        ),
        insurance=(_period("330381", "瑞安市华东机械有限公司", date(2010, 7, 1)),),
    ),
    # 黄志远, 温州瓯江电气科技有限公司 (Wenzhou): bachelor 2012; a first job in 乐清, then 龙湾.
    make_resident_id(area="330303", birth=date(1989, 10, 8), seq="173"): DemoPerson(
        degrees=(
            _degree(
                "103511201205004321",
                EducationLevel.BACHELOR,
                "温州大学",
                "电气工程及其自动化",
                date(2008, 9, 1),
                date(2012, 7, 1),
                "工学学士",
            ),
        ),
        insurance=(
            _period("330382", "乐清市正泰配电设备有限公司", date(2012, 7, 1), date(2015, 2, 1)),
            _period("330303", "温州瓯江电气科技有限公司", date(2015, 3, 1)),
        ),
    ),
    # 孙立强, 绍兴上虞精工机电制造有限公司 (Shangyu): bachelor 2013, insured in 上虞 since 2013-07.
    make_resident_id(area="330604", birth=date(1990, 3, 15), seq="215"): DemoPerson(
        degrees=(
            _degree(
                "103381201305007788",
                EducationLevel.BACHELOR,
                "浙江理工大学",
                "机械电子工程",
                date(2009, 9, 1),
                date(2013, 6, 30),
                "工学学士",
            ),
        ),
        insurance=(_period("330604", "绍兴上虞精工机电制造有限公司", date(2013, 7, 1)),),
    ),
    # 林晓雯, 宁波甬诚检测技术有限公司 (Ningbo): bachelor 2014, insured in 鄞州 since 2014-08.
    make_resident_id(area="330212", birth=date(1991, 8, 8), seq="286"): DemoPerson(
        degrees=(
            _degree(
                "116461201405002468",
                EducationLevel.BACHELOR,
                "宁波大学",
                "测控技术与仪器",
                date(2010, 9, 1),
                date(2014, 6, 30),
                "工学学士",
            ),
        ),
        insurance=(_period("330212", "宁波甬诚检测技术有限公司", date(2014, 8, 1)),),
    ),
}


class DemoRegistryAdapter:
    """Development data: the demo applicants' fixed records (``DEMO_REGISTRY``); for anyone
    else a bachelor degree and an open insurance period derived from their basic information
    (the same every time, so extracting again changes nothing)."""

    label = "演示数据"

    def _person(self, person: Any) -> DemoPerson:
        id_number = getattr(person, "id_number", "") or ""
        if not id_number:
            return DemoPerson()
        known = DEMO_REGISTRY.get(id_number)
        if known is not None:
            return known
        profile = getattr(person, "profile", None)
        birth = getattr(profile, "birth_date", None)
        work_start = getattr(profile, "work_start", None)
        if birth is None:
            return DemoPerson()
        graduated = date(work_start.year, 6, 30) if work_start else date(birth.year + 22, 6, 30)
        if work_start and work_start < graduated:
            graduated = date(work_start.year - 1, 6, 30)
        degree = _degree(
            f"DEMO{id_number[-8:]}",
            EducationLevel.BACHELOR,
            "浙江工业大学",
            "机械设计制造及其自动化",
            date(graduated.year - 4, 9, 1),
            graduated,
            "工学学士",
        )
        employer = getattr(profile, "employer", None)
        insurance: tuple[InsurancePeriod, ...] = ()
        if employer is not None:
            start = (work_start or date(graduated.year, 7, 1)).replace(day=1)
            insurance = (
                InsurancePeriod(
                    key=f"{employer.uscc or employer.name}|{employer.region.code}|{start:%Y-%m}",
                    start_month=start,
                    end_month=None,
                    region_code=employer.region.code,
                    employer_name=employer.name,
                    employer_uscc=employer.uscc or "",
                ),
            )
        return DemoPerson(degrees=(degree,), insurance=insurance)

    def fetch_degrees(self, person: Any) -> list[DegreeRecord]:
        return list(self._person(person).degrees)

    def fetch_social_insurance(self, person: Any) -> list[InsurancePeriod]:
        return list(self._person(person).insurance)


SOURCE_OF_TYPE = {"education": ImportSource.CHSI, "social_insurance": ImportSource.SOCIAL_INSURANCE}
