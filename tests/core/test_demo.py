"""The demo data loads idempotently and every demo persona reaches its own home."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhicheng import rules
from zhicheng.accounts.models import User
from zhicheng.archive import selectors
from zhicheng.archive.models import Evidence, Record, SocialInsurance
from zhicheng.archive.profile import build_profile
from zhicheng.core.audit import verify_chain
from zhicheng.core.management.commands.load_demo import APPLICANTS, DEMO_PASSWORD
from zhicheng.core.models import AuditEntry
from zhicheng.orgs.models import Committee, Organisation

pytestmark = pytest.mark.django_db

PERSONA_HOMES = {
    "13900000000": "admin-home",
    "13900000002": "applicant-home",
    "13900000012": "applicant-home",
    "13900000022": "applicant-home",
    "13900000032": "applicant-home",
    "13900000001": "employer-home",
    "13900000011": "employer-home",
    "13900000021": "employer-home",
    "13900000031": "employer-home",
    "13900000009": "employer-home",
    "13900000003": "office-home",
    "13900000004": "office-home",
    "13900000005": "office-home",
    "13900000006": "office-home",
}


@pytest.fixture
def demo(reference_data, capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_demo_prints_every_login(demo):
    assert DEMO_PASSWORD in demo
    for mobile in PERSONA_HOMES:
        assert mobile in demo


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Organisation.objects.count(),
        Committee.objects.count(),
        Record.objects.count(),
        Evidence.objects.count(),
        AuditEntry.objects.count(),
    )


def test_demo_is_idempotent(demo):
    counts = _counts()
    call_command("load_demo")
    assert _counts() == counts


def test_demo_has_seed_committees_and_one_pending_employer(demo):
    names = set(Committee.objects.values_list("name", flat=True))
    assert "温州市企业人员机电专业工程师职务任职资格评审委员会" in names
    assert any("上虞" in name for name in names) and any("宁波" in name for name in names)
    assert any("机械" in name for name in names)
    pending = Organisation.objects.filter(kind="employer", status="pending")
    assert list(pending.values_list("name", flat=True)) == ["平阳县恒远机电有限公司"]


def test_demo_actions_are_in_a_valid_audit_chain(demo):
    report = verify_chain()
    assert report.ok and report.checked > 10


@pytest.mark.parametrize(("mobile", "home"), PERSONA_HOMES.items())
def test_each_persona_logs_in_to_its_own_home(client, demo, mobile, home):
    response = client.post(reverse("accounts:login"), {"login": mobile, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert f'data-testid="{home}"' in response.content.decode()


# --- The demo applicants' archives ---------------------------------------------------------

# (mobile, policy, plan year, as_of, deadline / achievements cut-off, eligible, route that holds)
VERDICTS = [
    ("13900000002", "wz-jidian-2020", 2024, date(2024, 12, 31), date(2024, 10, 31), True, "engineer/10.1b"),
    ("13900000012", "sy-jidian-2023", 2023, date(2023, 12, 31), date(2023, 9, 8), True, "engineer/normal"),
    ("13900000022", "nb-quality-2024", 2024, date(2024, 12, 31), date(2024, 8, 21), True, "engineer/normal"),
    ("13900000032", "wz-jidian-2020", 2024, date(2024, 12, 31), date(2024, 10, 31), False, None),
]


def test_every_demo_applicant_has_an_approved_archive_with_imported_records(demo):
    assert [p.mobile for p in APPLICANTS] == ["13900000002", "13900000012", "13900000022", "13900000032"]
    for persona in APPLICANTS:
        user = User.objects.get(mobile=persona.mobile)
        records = Record.objects.filter(owner=user)
        assert records.count() > 10
        assert set(records.values_list("status", flat=True)) == {Record.Status.APPROVED}
        assert selectors.required_records_approved(user) == (True, [])
        imported = set(records.filter(imported=True).values_list("record_type", flat=True))
        assert imported == {"education", "social_insurance"}, persona.name
        for record in records.filter(imported=False):
            assert Evidence.objects.filter(record=record).exists()
        assert user.profile.employer.name == persona.employer and user.profile.is_complete
        current = SocialInsurance.objects.filter(owner=user, end_month__isnull=True).get()
        assert current.is_current_employer and current.employer_name == persona.employer


def test_the_demo_archives_are_reviewed_by_each_employer_admin(demo):
    zhang = User.objects.get(mobile="13900000002")
    reviewers = set(Record.objects.filter(owner=zhang, imported=False).values_list("reviewed_by__mobile", flat=True))
    assert reviewers == {"13900000001"}
    education = Record.objects.get(owner=zhang, record_type="education")
    assert education.reviewed_by.mobile == "13900000001"  # the relevance was the employer's to confirm
    assert selectors.pending_review_count(User.objects.get(mobile="13900000001")) == 0


def test_continuing_education_shows_the_one_short_year(demo):
    huang = User.objects.get(mobile="13900000032")
    zhang = User.objects.get(mobile="13900000002")
    assert selectors.ce_overview(huang, plan_year=2024).shortfalls == [
        "2023 年专业科目学时还差 10 学时",
        "2023 年总学时还差 10 学时",
    ]
    assert selectors.ce_overview(zhang, plan_year=2024).shortfalls == []
    sun = User.objects.get(mobile="13900000012")
    assert sum(row.total for row in selectors.ce_by_year(sun) if 2021 <= row.year <= 2023) == 270


@pytest.mark.parametrize(("mobile", "policy", "year", "as_of", "cutoff", "eligible", "route"), VERDICTS)
def test_each_demo_applicant_gets_the_intended_verdict(demo, mobile, policy, year, as_of, cutoff, eligible, route):
    user = User.objects.get(mobile=mobile)
    profile = build_profile(
        user,
        policy=policy,
        level="engineer",
        plan_year=year,
        as_of=as_of,
        deadline=cutoff,
        achievements_until=cutoff,
    ).profile

    rules.validate_profile(profile)
    result = rules.evaluate(profile)

    assert result["eligible"] is eligible, result
    met = {r["id"] for r in result["routes"] if r["met"] and all(c["met"] for c in r.get("checks", []))}
    if route:
        assert f"{policy}/{route}" in {r["id"] for r in result["routes"] if r["met"]}
    else:
        assert not met
        failing = [c for c in result["checks"] if not c["met"]]
        failing += [c for r in result["routes"] for c in r.get("checks", []) if not c["met"]]
        assert {c["id"] for c in failing} & {"continuing_education"}


def test_demo_plans_with_seed_dates_and_chains(demo):
    from zoneinfo import ZoneInfo

    from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
    from zhicheng.plans.models import Plan

    sh = ZoneInfo("Asia/Shanghai")
    plans = {p.number: p for p in Plan.objects.prefetch_related("stages", "levels")}
    assert set(plans) == {"2022-00533", "2024-WZJX", "2023-SYJD", "2024-NBZL", DEMO_OPEN_NUMBER}
    p = plans["2022-00533"]
    assert p.individual_start.astimezone(sh).strftime("%Y-%m-%d %H:%M:%S") == "2022-08-01 00:00:00"
    assert p.individual_end.astimezone(sh).strftime("%Y-%m-%d %H:%M:%S") == "2022-10-20 23:59:59"
    assert (p.employer_deadline, p.seniority_cutoff, p.achievements_cutoff) == (
        date(2022, 11, 2),
        date(2022, 12, 31),
        date(2022, 7, 31),
    )
    assert p.committee.name == "温州市企业人员机电专业工程师职务任职资格评审委员会"
    assert [s.office_kind for s in p.stages.all()] == ["employer", "acceptance_point", "committee", "title_office"]
    assert plans["2023-SYJD"].individual_last_day == date(2023, 9, 8)
    assert plans["2023-SYJD"].employer_deadline == date(2023, 9, 21)
    assert [s.office_kind for s in plans["2023-SYJD"].stages.all()] == [
        "employer",
        "association",
        "hr_bureau",
        "committee",
    ]
    nb = plans["2024-NBZL"]
    assert (nb.individual_last_day, nb.employer_deadline) == (date(2024, 8, 21), date(2024, 9, 1))
    assert [s.deadline for s in nb.stages.all()][:2] == [date(2024, 9, 1), date(2024, 9, 10)]
    wz24 = plans["2024-WZJX"]
    assert (wz24.individual_last_day, wz24.seniority_cutoff, wz24.achievements_cutoff) == (
        date(2024, 10, 31),
        date(2024, 12, 31),
        date(2024, 8, 31),
    )
    demo_open = plans[DEMO_OPEN_NUMBER]
    assert demo_open.is_open() and "演示" in demo_open.name
    assert (demo_open.year, demo_open.seniority_cutoff, demo_open.achievements_cutoff) == (
        2024,
        date(2024, 12, 31),
        date(2024, 8, 31),
    )
    assert [p.number for p in Plan.objects.all() if p.is_open()] == [DEMO_OPEN_NUMBER]


def test_demo_plans_idempotent_and_open_plan_kept_open(demo):
    from datetime import timedelta

    from django.utils import timezone

    from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
    from zhicheng.plans.models import Plan, PlanStage

    counts = (Plan.objects.count(), PlanStage.objects.count(), AuditEntry.objects.count())
    call_command("load_demo")
    assert (Plan.objects.count(), PlanStage.objects.count(), AuditEntry.objects.count()) == counts
    # On a later day, when today has left the window, the demo's open plan is moved again.
    Plan.objects.filter(number=DEMO_OPEN_NUMBER).update(
        individual_start=timezone.now() - timedelta(days=100), individual_end=timezone.now() - timedelta(days=1)
    )
    call_command("load_demo")
    assert Plan.objects.get(number=DEMO_OPEN_NUMBER).is_open()
    assert (Plan.objects.count(), PlanStage.objects.count()) == counts[:2]
