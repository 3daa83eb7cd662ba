"""Load the demo: offices and committees named in the seeds, employers, one login per role.

Idempotent: existing rows (matched by mobile number, organisation name) are left alone.
Employers and applicants are created through the same services the pages use, so the
audit log and the notifications look as they would in real use.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhicheng.accounts import services as account_services
from zhicheng.accounts.models import User
from zhicheng.lib.idnumbers import make_resident_id
from zhicheng.lib.uscc import make_uscc
from zhicheng.orgs import services as org_services
from zhicheng.orgs.models import AcceptancePoint, Committee, Membership, Organisation, Role
from zhicheng.portal.models import Notice
from zhicheng.reference.models import Region, Series, Specialty

DEMO_PASSWORD = "Zhicheng#2024"  # noqa: S105 - printed for the demo on purpose

Kind = Organisation.Kind
Level = Organisation.AdminLevel

OFFICES = [
    # (name, kind, region code, level)
    ("瑞安市人力资源和社会保障局", Kind.HR_BUREAU, "330381", Level.COUNTY),
    ("平阳县人力资源和社会保障局", Kind.HR_BUREAU, "330326", Level.COUNTY),
    ("温州市人力资源和社会保障局（温州市职称改革工作领导小组办公室）", Kind.TITLE_OFFICE, "330300", Level.CITY),
    ("温州市机电技术协会", Kind.ASSOCIATION, "330300", Level.CITY),
    ("温州市机械工程学会", Kind.ASSOCIATION, "330300", Level.CITY),
    ("绍兴市上虞区人力资源和社会保障局", Kind.HR_BUREAU, "330604", Level.COUNTY),
    ("绍兴市上虞区机械电机工程师协会", Kind.ASSOCIATION, "330604", Level.COUNTY),
    ("宁波市市场监督管理局", Kind.INDUSTRY_BODY, "330200", Level.CITY),
    ("宁波市鄞州区市场监督管理局", Kind.INDUSTRY_BODY, "330212", Level.COUNTY),
    ("宁波市鄞州区人力资源和社会保障局", Kind.HR_BUREAU, "330212", Level.COUNTY),
]

COMMITTEES = [
    # (name, organising body, specialty code, region code)
    (
        "温州市企业人员机电专业工程师职务任职资格评审委员会",
        "温州市机电技术协会",
        "electromechanical_manufacturing",
        "330300",
    ),
    ("温州市企业人员机械专业中、初级专业技术资格评审委员会", "温州市机械工程学会", "mechanical", "330300"),
    (
        "绍兴市上虞区机械电机工程技术人员中级专业技术职务任职资格评审委员会",
        "绍兴市上虞区机械电机工程师协会",
        "electromechanical_manufacturing",
        "330604",
    ),
    (
        "宁波市质量技术基础专业中级专业技术职务任职资格评审委员会",
        "宁波市市场监督管理局",
        "quality_technology_foundation",
        "330200",
    ),
]

ACCEPTANCE_POINTS = [
    ("瑞安市职称申报受理点", "瑞安市人力资源和社会保障局", "330381"),
    ("平阳县职称申报受理点", "平阳县人力资源和社会保障局", "330326"),
    ("上虞区职称申报受理点", "绍兴市上虞区人力资源和社会保障局", "330604"),
    ("鄞州区职称申报受理点", "宁波市鄞州区人力资源和社会保障局", "330212"),
]

EMPLOYERS = [
    # (name, county, nature, revenue in 10k yuan, staff, holder name, holder mobile, approved)
    ("瑞安市华东机械有限公司", "330381", "private", Decimal("36000"), 420, "李晓燕", "13900000001", True),
    ("温州瓯江电气科技有限公司", "330303", "private", Decimal("1800"), 85, "周敏", "13900000011", True),
    ("绍兴上虞精工机电制造有限公司", "330604", "private", Decimal("9000"), 260, "陈立", "13900000021", True),
    ("宁波甬诚检测技术有限公司", "330212", "private", Decimal("5200"), 150, "王芳", "13900000031", True),
    ("平阳县恒远机电有限公司", "330326", "private", Decimal("900"), 40, "吴昊", "13900000009", False),
]

# (role, name, mobile, organisation, committee)
STAFF = [
    (Role.OFFICE_REVIEWER, "王建国（瑞安人社科长）", "13900000003", "瑞安市人力资源和社会保障局", None),
    (Role.COMMITTEE_SECRETARY, "陈静（机电协会秘书）", "13900000004", "温州市机电技术协会", COMMITTEES[0][0]),
    (Role.EXPERT, "刘振华（正高级工程师）", "13900000005", "温州市机电技术协会", COMMITTEES[0][0]),
    (
        Role.CITY_TITLE_OFFICER,
        "赵明（市职改办）",
        "13900000006",
        "温州市人力资源和社会保障局（温州市职称改革工作领导小组办公室）",
        None,
    ),
]

APPLICANTS = [
    # (name, mobile, area, birth, employer)
    ("张伟", "13900000002", "330381", date(1988, 5, 12), "瑞安市华东机械有限公司"),
]

NOTICES = [
    (
        "关于开展2024年度企业人员机械专业中、初级专业技术资格评审工作的通知",
        "温职改办〔2024〕12号",
        "在我市企业单位中从事机械专业工作的在职在岗技术人员（非行政、事业编制）可按本通知申报。"
        "申报对象在申报截止日之前应已有3个月以上的在温社保缴纳记录；每年度继续教育不少于90学时。",
    ),
    (
        "关于做好2023年度全区民营工业企业机电制造中级专业技术职务任职资格评审工作的通知",
        "虞人社职〔2023〕3号",
        "全区民营工业企业从事机电制造专业技术工作的人员，可按正常申报、破格申报、技能人才申报三种方式申报工程师。",
    ),
    (
        "关于做好2024年度质量技术基础专业中级专业技术职务任职资格评审暨正高级、高级专业技术职务任职资格推荐工作的通知",
        "甬市监组人〔2024〕187号",
        "在我市企事业单位从事质量、计量、标准化、特种设备、食品质量技术工作的专业技术人员，可申报中级专业技术职务任职资格。",
    ),
]

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class Command(BaseCommand):
    help = "加载演示数据并打印各角色的演示账号。"

    def handle(self, *args, **options):
        if not Region.objects.exists():
            raise CommandError("请先运行 manage.py load_reference 加载参考数据。")
        with transaction.atomic():
            admin = self._admin()
            offices = {name: self._office(name, kind, code, level) for name, kind, code, level in OFFICES}
            committees = {
                name: self._committee(name, offices[body], spec, code) for name, body, spec, code in COMMITTEES
            }
            for name, office, code in ACCEPTANCE_POINTS:
                AcceptancePoint.objects.get_or_create(
                    name=name, defaults={"office": offices[office], "region": Region.objects.get(code=code)}
                )
            for index, row in enumerate(EMPLOYERS):
                self._employer(admin, index, *row)
            for role, name, mobile, org_name, committee_name in STAFF:
                self._staff(role, name, mobile, offices[org_name], committees.get(committee_name or ""))
            for name, mobile, area, birth, employer_name in APPLICANTS:
                self._applicant(name, mobile, area, birth, employer_name)
            for title, number, body in NOTICES:
                Notice.objects.get_or_create(title=title, defaults={"document_number": number, "body": body})
        self._print_logins()

    def _admin(self) -> User:
        admin = User.objects.filter(mobile="13900000000").first()
        if admin is None:
            admin = User.objects.create_superuser("13900000000", DEMO_PASSWORD, real_name="平台管理员")
        return admin

    def _office(self, name: str, kind: str, code: str, level: str) -> Organisation:
        office, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region": Region.objects.get(code=code),
                "admin_level": level,
                "status": Organisation.Status.APPROVED,
            },
        )
        return office

    def _committee(self, name: str, body: Organisation, specialty_code: str, code: str) -> Committee:
        committee, _ = Committee.objects.get_or_create(
            name=name,
            defaults={
                "organising_body": body,
                "specialty": Specialty.objects.filter(code=specialty_code).first(),
                "region": Region.objects.get(code=code),
            },
        )
        return committee

    def _employer(self, admin, index, name, county, nature, revenue, staff, holder_name, mobile, approved) -> None:
        if Organisation.objects.filter(name=name).exists():
            return
        employer = org_services.employer_register(
            name=name,
            uscc=make_uscc(f"91{county}MA2DEM{index:03d}"),
            county=Region.objects.get(code=county),
            nature=nature,
            annual_revenue_wan=revenue,
            staff_count=staff,
            address=f"{Region.objects.get(code=county)}工业园区{index + 1}号",
            phone="0577-88880000",
            authorisation_letter=SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
            holder_name=holder_name,
            holder_mobile=mobile,
            password=DEMO_PASSWORD,
        )
        if approved:
            org_services.employer_approve(actor=admin, employer=employer)

    def _staff(self, role, name, mobile, organisation, committee) -> None:
        user = User.objects.filter(mobile=mobile).first() or User.objects.create_user(
            mobile=mobile, password=DEMO_PASSWORD, real_name=name
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, defaults={"committee": committee}
        )

    def _applicant(self, name, mobile, area, birth, employer_name) -> None:
        if User.objects.filter(mobile=mobile).exists():
            return
        user = account_services.applicant_register(
            real_name=name,
            id_number=make_resident_id(area=area, birth=birth, seq="351"),
            mobile=mobile,
            password=DEMO_PASSWORD,
        )
        employer = Organisation.objects.get(name=employer_name)
        account_services.profile_update(
            user=user,
            data={
                "ethnicity": "汉族",
                "political_status": "masses",
                "work_start": date(2010, 7, 1),
                "series": Series.objects.get(code="engineering"),
                "employer": employer,
                "employer_address": employer.address,
                "department": "研发部",
                "position": "机械设计工程师",
            },
        )

    def _print_logins(self) -> None:
        rows = [
            ("平台管理员", "13900000000"),
            ("申报人 张伟（瑞安市华东机械有限公司）", "13900000002"),
            ("用人单位经办人 李晓燕（瑞安市华东机械有限公司）", "13900000001"),
            ("待审核单位经办人 吴昊（平阳县恒远机电有限公司）", "13900000009"),
            ("县级人社审核人员 王建国（瑞安市）", "13900000003"),
            ("评委会办公室 陈静（温州市机电技术协会）", "13900000004"),
            ("评审专家 刘振华", "13900000005"),
            ("市职改办 赵明", "13900000006"),
        ]
        self.stdout.write(f"演示账号（手机号登录，密码均为 {DEMO_PASSWORD}）：")
        for label, mobile in rows:
            self.stdout.write(f"  {mobile}  {label}")
