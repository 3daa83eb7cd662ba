"""Submission rules: the window to the second, required records, one active application per
year, the integrity ban, the engine's verdict (with claims flagged), the expert cap, the
snapshot and idempotency — on the demo's open Wenzhou plan and its eligible applicant 张伟."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests import factories
from tests.applications.conftest import add_recommendation, complete_draft, info_data, info_records
from zhicheng.applications import selectors, services
from zhicheng.applications.models import Application, ExpertRecommendation, StatusChange
from zhicheng.archive import services as archive_services
from zhicheng.archive.models import Record, WorkHistory
from zhicheng.core.audit import AuditEntry
from zhicheng.integrity.models import IntegrityRecord, default_ban
from zhicheng.lib.idnumbers import make_resident_id
from zhicheng.plans import services as plan_services
from zhicheng.plans.models import Plan, end_of_day, start_of_day

pytestmark = pytest.mark.django_db

EXPERT = make_resident_id(area="330302", birth=date(1965, 3, 1), seq="551")


def messages_of(error: services.SubmissionRefused) -> str:
    return " ".join(p.message for p in error.problems)


def test_submit_freezes_a_snapshot_and_logs(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    submitted = services.application_submit(actor=zhang, application=application)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.number == f"{open_plan.number}-{submitted.pk:06d}"
    assert submitted.active_year == open_plan.year
    assert submitted.engine_eligible is True and submitted.needs_claim_review is False
    snapshot = submitted.snapshot
    assert snapshot["person"]["name"] == "张伟"
    assert snapshot["result"]["eligible"] is True
    assert {r["type"] for r in snapshot["records"]} >= {"education", "work", "continuing_education", "title"}
    assert all(r["evidence"] and r["evidence"][0]["sha256"] for r in snapshot["records"] if r["type"] == "work")
    change = StatusChange.objects.get(application=submitted)
    assert (change.from_status, change.to_status, change.actor) == ("draft", "submitted", zhang)
    assert AuditEntry.objects.filter(action="application.submit").count() == 1


def test_submit_twice_makes_one_submission(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    first = services.application_submit(actor=zhang, application=application)
    again = services.application_submit(actor=zhang, application=application)
    assert again.pk == first.pk and again.number == first.number and again.submitted_at == first.submitted_at
    assert StatusChange.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(action="application.submit").count() == 1


def test_someone_else_cannot_submit(zhang, huang, open_plan):
    application = complete_draft(zhang, open_plan)
    with pytest.raises(services.PermissionDenied):
        services.application_submit(actor=huang, application=application)
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_window_closes_at_235959_shanghai(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    last_second = timezone.localtime(open_plan.individual_end).replace(microsecond=0)
    assert (last_second.hour, last_second.minute, last_second.second) == (23, 59, 59)
    assert str(last_second.tzinfo) == "Asia/Shanghai"
    too_late = last_second + timedelta(seconds=1)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=zhang, application=application, now=too_late)
    assert f"个人申报已于 {open_plan.individual_last_day:%Y-%m-%d} 23:59:59 截止" in messages_of(refused.value)
    submitted = services.application_submit(actor=zhang, application=application, now=last_second)
    assert submitted.status == "submitted"


def test_window_not_yet_open(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    before = open_plan.individual_start - timedelta(seconds=1)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=zhang, application=application, now=before)
    assert "个人申报尚未开始" in messages_of(refused.value)


def test_required_records_must_be_approved(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    archive_services.record_create(
        actor=zhang,
        record_type="assessment",
        data={"year": 2024, "result": "pass", "employer_name": "瑞安市华东机械有限公司"},
    )
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=zhang, application=application)
    assert "“年度考核”尚有记录待单位审核" in messages_of(refused.value)


def test_ineligible_verdict_blocks_with_the_reason(huang, open_plan):
    application = complete_draft(huang, open_plan)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=huang, application=application)
    text = messages_of(refused.value)
    assert "政策引擎判定暂不符合申报条件" in text and "2023 年专业科目学时还差 10 学时" in text
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_verdict_resting_on_a_claim_is_accepted_and_flagged(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    data = info_data(application, application_type="skill")
    services.application_save_info(actor=zhang, application=application, data=data, info_records=info_records(zhang))
    with pytest.raises(services.SubmissionRefused):  # 10.3 needs a skill honour: none yet
        services.application_submit(actor=zhang, application=application)
    data["claims"] = ["wz-jidian-2020/engineer/10.3/1"]  # 省级技能大师工作室领办人
    services.application_save_info(actor=zhang, application=application, data=data, info_records=info_records(zhang))
    submitted = services.application_submit(actor=zhang, application=Application.objects.get(pk=application.pk))
    assert submitted.needs_claim_review is True
    assert submitted.snapshot["info"]["claims"] == ["wz-jidian-2020/engineer/10.3/1"]


# --- One active application per person per plan year -------------------------------------


def second_plan_same_year(open_plan: Plan, number: str = "DEMO-2024-SECOND") -> Plan:
    from zhicheng.accounts.models import User

    today = timezone.localdate()
    data = {
        **{f: getattr(open_plan, f) for f in plan_services.SCALAR_FIELDS},
        "number": number,
        "individual_start": start_of_day(today - timedelta(days=1)),
        "individual_end": end_of_day(today + timedelta(days=5)),
        **{f: list(getattr(open_plan, f).all()) for f in plan_services.M2M_FIELDS},
    }
    return plan_services.plan_create(actor=User.objects.get(mobile="13900000000"), data=data, stages=[])


def test_second_application_in_the_year_is_refused_naming_the_first(zhang, open_plan):
    other_plan = second_plan_same_year(open_plan)
    other_draft = complete_draft(zhang, other_plan)  # a draft does not count
    first = services.application_submit(actor=zhang, application=complete_draft(zhang, open_plan))
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=zhang, application=other_draft)
    assert f"申报编号 {first.number}" in messages_of(refused.value)
    assert open_plan.name in messages_of(refused.value)
    with pytest.raises(services.ApplicationError, match=first.number):
        services.application_start(actor=zhang, plan=second_plan_same_year(open_plan, "THIRD"), level=first.level)


def test_database_refuses_two_active_applications_in_a_year(zhang, open_plan):
    second = complete_draft(zhang, second_plan_same_year(open_plan))
    first = services.application_submit(actor=zhang, application=complete_draft(zhang, open_plan))
    second.active_year = first.active_year
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


# --- Integrity ban -------------------------------------------------------------------------


def test_default_ban_is_three_years_from_the_next_year():
    assert default_ban(date(2023, 6, 1)) == (date(2024, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(("until_offset", "refused"), [(0, True), (-1, False)])
def test_active_ban_refuses_ended_ban_does_not(zhang, open_plan, until_offset, refused):
    today = timezone.localdate()
    IntegrityRecord.objects.create(
        person=zhang,
        kind=IntegrityRecord.Kind.FALSIFIED,
        description="伪造继续教育学时证明",
        found_on=today - timedelta(days=400),
        banned_from=today - timedelta(days=300),
        banned_until=today + timedelta(days=until_offset),
    )
    application = complete_draft(zhang, open_plan)
    if refused:
        with pytest.raises(services.SubmissionRefused) as error:
            services.application_submit(actor=zhang, application=application)
        assert "诚信档案" in messages_of(error.value) and "不得申报" in messages_of(error.value)
    else:
        assert services.application_submit(actor=zhang, application=application).status == "submitted"


# --- Expert recommendations: at most 2 applicants per expert per plan ------------------------


def other_submitted_recommendation(plan: Plan, slot: int) -> ExpertRecommendation:
    """A recommendation of EXPERT in another applicant's submitted application."""
    applicant = factories.ApplicantFactory()
    application = Application.objects.create(
        applicant=applicant, plan=plan, level=plan.levels.first(), status="submitted", number=f"X-{slot}"
    )
    return ExpertRecommendation.objects.create(
        application=application,
        plan=plan,
        expert_name="王专家",
        expert_id_number=EXPERT,
        title_level="senior_engineer",
        specialty="机械",
        employer_name="温州大学",
        letter="recommendations/x.pdf",
        letter_name="x.pdf",
        slot=slot,
    )


def test_third_recommendation_of_an_expert_is_refused(zhang, open_plan):
    other_submitted_recommendation(open_plan, 1)
    application = complete_draft(zhang, open_plan)
    add_recommendation(zhang, application, EXPERT)  # the second applicant: fine
    other_submitted_recommendation(open_plan, 2)  # meanwhile a second one was submitted
    with pytest.raises(services.SubmissionRefused) as refused:
        services.application_submit(actor=zhang, application=application)
    assert "专家王专家在本计划已推荐 2 人" in messages_of(refused.value)


def test_recommendation_add_refused_when_expert_used_twice(zhang, open_plan):
    other_submitted_recommendation(open_plan, 1)
    other_submitted_recommendation(open_plan, 2)
    application = complete_draft(zhang, open_plan)
    with pytest.raises(services.ApplicationError, match="每位专家在同一计划最多推荐 2 人"):
        add_recommendation(zhang, application, EXPERT)


def test_submission_takes_a_slot_and_the_database_allows_no_third(zhang, open_plan):
    other_submitted_recommendation(open_plan, 1)
    application = complete_draft(zhang, open_plan)
    add_recommendation(zhang, application, EXPERT)
    services.application_submit(actor=zhang, application=application)
    assert ExpertRecommendation.objects.get(application=application).slot == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        other_submitted_recommendation(open_plan, 3)
    with pytest.raises(IntegrityError), transaction.atomic():
        other_submitted_recommendation(open_plan, 2)


# --- The snapshot and the archive afterwards ---------------------------------------------------


def test_snapshot_does_not_change_when_the_archive_does(zhang, open_plan):
    application = services.application_submit(actor=zhang, application=complete_draft(zhang, open_plan))
    before = Application.objects.get(pk=application.pk).snapshot
    work = WorkHistory.objects.filter(owner=zhang).first()
    archive_services.record_update(actor=zhang, record=work, data={"position": "总工程师"})
    archive_services.record_delete(actor=zhang, record=Record.objects.filter(owner=zhang, record_type="title").first())
    after = Application.objects.get(pk=application.pk).snapshot
    assert after == before
    assert any("机械设计" in row[1] for r in after["records"] if r["type"] == "work" for row in r["fields"])


def test_draft_shows_archive_changes_and_refreshes_in_one_step(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    work = WorkHistory.objects.filter(owner=zhang).first()
    archive_services.record_update(actor=zhang, record=work, data={"position": "总工程师"})
    changes = selectors.archive_changes(application)
    assert [(c.record_id, c.kind) for c in changes] == [(work.pk, "unavailable")]
    with pytest.raises(services.SubmissionRefused, match="请在第 4 步刷新提取"):
        services.application_submit(actor=zhang, application=application)
    services.application_refresh_records(actor=zhang, application=application)
    assert selectors.archive_changes(application) == []
    assert work.pk not in selectors.selected_ids(application)
    # re-approved by the employer: it shows up as new, and a refresh draws it again
    reviewer = factories.employer_admin_of(work.owner.profile.employer)
    archive_services.records_bulk_review(actor=reviewer, record_ids=[work.pk], decision="approve")
    assert [(c.record_id, c.kind) for c in selectors.archive_changes(application)] == [(work.pk, "new")]
    services.application_refresh_records(actor=zhang, application=application)
    assert work.pk in selectors.selected_ids(application)
    assert services.application_submit(actor=zhang, application=application).status == "submitted"


# --- Concurrency (PostgreSQL: real row locks) -------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_make_one_submission(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            result = services.application_submit(actor=zhang, application=application)
            outcomes.append(result.number)
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    number = Application.objects.get(pk=application.pk).number
    assert outcomes == [number, number]
    assert StatusChange.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
