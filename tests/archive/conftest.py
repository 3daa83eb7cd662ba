"""Fixtures and helpers of the archive tests: valid form data for every record type."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.factories import MINIMAL_PDF, PASSWORD
from zhicheng.archive import registry, services
from zhicheng.archive.models import Record
from zhicheng.reference.models import TitleLevel

# Valid POST data of each type's form (strings, as a browser sends them; "" = empty).
FORM_DATA: dict[str, dict[str, str]] = {
    "education": {
        "level": "bachelor",
        "school": "浙江工业大学",
        "major": "机械设计制造及其自动化",
        "is_relevant": "on",
        "has_degree": "on",
        "degree_name": "工学学士",
        "start_date": "2006-09-01",
        "graduated_on": "2010-07-01",
    },
    "work": {
        "start_date": "2010-07-01",
        "end_date": "",
        "employer_name": "瑞安市测试机械有限公司",
        "position": "机械设计",
        "admin_post": "",
        "is_relevant": "on",
        "region": "",
    },
    "continuing_education": {
        "year": "2024",
        "category": "professional",
        "course": "2024年专业科目",
        "organiser": "温州市继续教育院",
        "hours": "60",
        "result": "passed",
        "start_date": "2024-01-01",
        "end_date": "2024-10-15",
    },
    "assessment": {"year": "2023", "result": "excellent", "employer_name": "瑞安市测试机械有限公司"},
    "academic_post": {"organisation": "温州市机械工程学会", "post": "理事", "start_date": "2020-01-01"},
    "award": {
        "name": "温州市科学技术进步奖",
        "achievement_name": "ER5 模具钢低淬低回工艺",
        "achievement_id": "A1",
        "level": "city",
        "grade": "3",
        "rank": "2",
        "awarded_on": "2022-05-01",
        "issuer": "温州市人民政府",
    },
    "honour": {
        "name": "瑞安市先进工作者",
        "kind": "advanced_worker",
        "level": "county",
        "year": "2022",
        "issuer": "瑞安市人民政府",
    },
    "research_project": {
        "name": "高效数控机床主轴研究",
        "level": "city",
        "source": "温州市科学技术局",
        "role": "lead",
        "rank": "1",
        "approved_on": "2021-03-01",
        "completed_on": "2023-03-01",
    },
    "engineering_project": {
        "name": "生产线自动化改造",
        "level": "enterprise",
        "role": "member",
        "rank": "3",
        "start_date": "2022-01-01",
        "end_date": "2022-12-31",
        "description": "负责机械结构设计",
    },
    "paper": {
        "title": "ER5 模具钢的低淬低回工艺研究",
        "journal": "热加工工艺",
        "issue": "2012年第24期",
        "issn": "1001-3814",
        "kind": "core",
        "rank": "1",
        "published_on": "2012-12-25",
    },
    "book": {
        "title": "机械设计实践",
        "publisher": "机械工业出版社",
        "isbn": "978-7-111-00000-0",
        "role": "co_author",
        "rank": "3",
        "words_thousand": "50",
        "published_on": "2019-03-01",
    },
    "patent": {
        "title": "一种夹具",
        "kind": "utility",
        "number": "ZL202220000000.1",
        "rank": "1",
        "granted_on": "2022-09-01",
        "holder": "瑞安市测试机械有限公司",
    },
    "standard": {
        "name": "数控车床主轴企业标准",
        "number": "Q/RA 001-2023",
        "kind": "enterprise",
        "rank": "1",
        "published_on": "2023-01-01",
    },
    "adoption": {
        "title": "节能改造方案",
        "adopted_by": "瑞安市测试机械有限公司",
        "adopted_on": "2023-06-01",
        "benefit": "年节约电费 20 万元",
    },
    "qualification": {
        "name": "注册安全工程师",
        "number": "ZJ2020001",
        "issuer": "浙江省应急管理厅",
        "obtained_on": "2020-10-01",
        "valid_until": "",
    },
    "reward_punishment": {
        "kind": "reward",
        "description": "年度技术革新奖",
        "issuer": "瑞安市测试机械有限公司",
        "decided_on": "2021-12-31",
    },
    "new_product": {
        "name": "高速冲压模具",
        "number": "XCP2022-01",
        "level": "provincial",
        "rank": "2",
        "certified_on": "2022-01-01",
    },
    "competition": {
        "name": "温州市数控技能大赛",
        "level": "city",
        "place": "2",
        "year": "2021",
        "organiser": "温州市人力资源和社会保障局",
    },
    "skill_title": {"kind": "city_chief_technician", "year": "2023", "issuer": "温州市人民政府"},
    "title": {
        "level": "assistant_engineer",  # replaced by the TitleLevel pk
        "title_name": "助理工程师",
        "specialty": "机电制造",
        "is_relevant": "on",
        "obtained_on": "2019-12-01",
        "approving_authority": "瑞安市人力资源和社会保障局",
    },
    "skill_grade": {
        "grade": "3",
        "occupation": "车工",
        "is_relevant": "on",
        "obtained_on": "2015-06-30",
        "issuer": "瑞安市职业技能鉴定中心",
    },
    "appointment": {
        "post": "助理工程师",
        "title_level": "",
        "employer_name": "瑞安市测试机械有限公司",
        "start_date": "2020-01-01",
    },
    "language": {"kind": "cet4", "language": "英语", "score": "480", "obtained_on": "2008-06-01"},
    "computer": {"modules": "4", "module_names": "Word、Excel、PowerPoint、Internet", "obtained_on": "2012-01-01"},
    "social_insurance": {
        "start_month": "2010-07",
        "end_month": "",
        "region_code": "330302",
        "employer_name": "瑞安市测试机械有限公司",
        "is_current_employer": "on",
    },
    "tech_post": {
        "kind": "dept_tech_lead",
        "employer_name": "瑞安市测试机械有限公司",
        "start_date": "2020-01-01",
        "end_date": "",
    },
    "income": {"year": "2023", "over_120k": "on", "issuer": "国家税务总局瑞安市税务局"},
}


def form_data(type_code: str, **overrides: str) -> dict[str, str]:
    data = dict(FORM_DATA[type_code])
    if type_code == "title":
        data["level"] = str(TitleLevel.objects.get(code=data["level"]).pk)
    data.update(overrides)
    return data


def pdf_upload(name: str = "证明.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real PNG drawn by Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 8, height: int = 8) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.mobile, password=PASSWORD)
    return client


def create_record(owner, type_code: str = "education", *, files=None, **overrides: str) -> Record:
    """A record made the way the add page makes it: through the type's form and the service."""
    record_type = registry.get_type(type_code)
    uploads = files if files is not None else [pdf_upload()]
    form = record_type.form_class(form_data(type_code, **overrides), {"evidence": uploads})
    assert form.is_valid(), form.errors
    return services.record_create(
        actor=owner, record_type=type_code, data=form.record_data(), evidence=form.evidence_files()
    )


@pytest.fixture
def applicant_client(applicant) -> Client:
    return login(applicant)


@pytest.fixture
def admin_client_(employer_admin) -> Client:
    return login(employer_admin)


@pytest.fixture
def colleague(employer):
    """Another applicant of the same employer."""
    return factories.ApplicantFactory(profile__employer=employer)


@pytest.fixture
def other_employer(reference_data):
    return factories.EmployerFactory()


@pytest.fixture
def other_admin(other_employer):
    return factories.employer_admin_of(other_employer)


@pytest.fixture
def outsider(other_employer):
    """An applicant of another employer."""
    return factories.ApplicantFactory(profile__employer=other_employer)
