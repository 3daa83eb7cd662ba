"""The review chain: each demo plan walked stage by stage, a return at the third stage and a
resubmission that skips publicity, the employer's publicity counted in working days, who may
act (404 for everyone else), deadline extensions, notifications, and concurrent approvals."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.applications.conftest import complete_draft
from zhicheng.accounts.models import User
from zhicheng.applications import services, workflow
from zhicheng.applications.models import Application, StatusChange
from zhicheng.notifications.models import Message
from zhicheng.orgs.models import Organisation, Role
from zhicheng.plans import services as plan_services
from zhicheng.plans.models import SHANGHAI, Plan, end_of_day, start_of_day
from zhicheng.reference.models import Region

pytestmark = pytest.mark.django_db

A = StatusChange.Action


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def open_copy(source: str, number: str) -> Plan:
    """An open copy of a demo plan with its review chain (the plan year and cut-offs kept)."""
    plan = Plan.objects.get(number=source)
    today = timezone.localdate()
    data = {
        **{f: getattr(plan, f) for f in plan_services.SCALAR_FIELDS},
        "number": number,
        "individual_start": start_of_day(today - timedelta(days=10)),
        "individual_end": end_of_day(today + timedelta(days=10)),
        "employer_deadline": today + timedelta(days=20),
        **{f: list(getattr(plan, f).all()) for f in plan_services.M2M_FIELDS},
    }
    stages = [
        {"order": s.order, "office_kind": s.office_kind, "organisation": s.organisation, "label": s.label}
        for s in plan.stages.order_by("order")
    ]
    return plan_services.plan_create(actor=User.objects.get(mobile="13900000000"), data=data, stages=stages)


def reviewer_of(office: Organisation) -> User:
    """A member with a reviewing role at ``office`` (the demo's own where it has one)."""
    existing = User.objects.filter(
        memberships__organisation=office, memberships__is_active=True, memberships__role__in=workflow_roles()
    ).first()
    if existing is not None:
        return existing
    role = Role.EMPLOYER_ADMIN if office.kind == Organisation.Kind.EMPLOYER else Role.OFFICE_REVIEWER
    return factories.member_of(office, role)


def workflow_roles() -> list[str]:
    from zhicheng.applications.office_selectors import REVIEW_ROLES

    return REVIEW_ROLES


def submitted(user: User, plan: Plan, now: datetime | None = None) -> Application:
    application = complete_draft(user, plan, now=now)
    return services.application_submit(actor=user, application=application, now=now)


def approve(application: Application, *, now: datetime, **extra) -> Application:
    actor = reviewer_of(Application.objects.get(pk=application.pk).current_office)
    return workflow.transition(
        actor=actor, application=application, action=A.APPROVE, reason="同意。", now=now, **extra
    )


def after_publicity(application: Application) -> datetime:
    return at(application.publicity_ends_on.isoformat())


# --- Whole chains of the demo plans ------------------------------------------------------------


def test_wenzhou_chain_with_a_return_at_the_third_stage(zhang, open_plan):
    application = submitted(zhang, open_plan)
    offices = [application.current_office.name]
    assert application.stage_order == 1 and application.current_office.name == "瑞安市华东机械有限公司"
    later = after_publicity(application)
    application = approve(application, now=later, publicity_outcome="no_objection")
    offices.append(application.current_office.name)
    application = approve(application, now=later)
    offices.append(application.current_office.name)
    assert offices == ["瑞安市华东机械有限公司", "瑞安市人力资源和社会保障局", "温州市机械工程学会"]

    # the committee office returns it; the applicant sees why, changes and resubmits
    secretary = reviewer_of(application.current_office)
    application = workflow.transition(
        actor=secretary, application=application, action=A.RETURN, reason="继续教育学时证明不清晰", now=later
    )
    assert application.status == "returned" and application.current_office is None
    assert application.active_year == open_plan.year  # still the year's one application
    services.application_sign_pledge(actor=zhang, application=application, ip="127.0.0.1")
    publicity_end = application.publicity_ends_on
    application = services.application_submit(actor=zhang, application=application, now=later)
    assert application.status == "submitted" and application.stage_order == 1
    assert application.publicity_ends_on == publicity_end  # no new publicity period
    # the employer approves at once: the publicity was held and recorded the first time
    application = approve(application, now=later)
    for _ in range(3):
        application = approve(application, now=later)
    assert application.status == "qualified" and application.current_office is None
    actions = list(application.status_changes.values_list("action", "stage_order"))
    assert actions == [
        ("submit", None),
        ("approve", 1),
        ("approve", 2),
        ("return", 3),
        ("resubmit", None),
        ("approve", 1),
        ("approve", 2),
        ("approve", 3),
        ("approve", 4),
    ]


def offices_along_the_chain(mobile: str, source_plan: str) -> list[str]:
    """Submit the demo applicant's application to an open copy of ``source_plan`` and approve
    it stage by stage; the offices it passed, in order."""
    application = submitted(User.objects.get(mobile=mobile), open_copy(source_plan, f"{source_plan}-OPEN"))
    later = after_publicity(application)
    offices = []
    while application.status != "qualified":
        offices.append(Application.objects.get(pk=application.pk).current_office.name)
        application = approve(application, now=later, publicity_outcome="no_objection")
    return offices


def test_shangyu_chain(demo):
    assert offices_along_the_chain("13900000012", "2023-SYJD") == [
        "绍兴上虞精工机电制造有限公司",
        "绍兴市上虞区机械电机工程师协会",
        "绍兴市上虞区人力资源和社会保障局",
        "绍兴市上虞区机械电机工程师协会",
    ]


def test_ningbo_chain_routes_the_district_stage_by_the_employer_county(demo):
    assert offices_along_the_chain("13900000022", "2024-NBZL") == [
        "宁波甬诚检测技术有限公司",
        "宁波市鄞州区市场监督管理局",
        "宁波市市场监督管理局",
        "宁波市市场监督管理局",
    ]


# --- Employer publicity in working days ------------------------------------------------------


def test_employer_cannot_approve_on_the_4th_working_day_but_can_on_the_5th(zhang):
    """Submitted Friday 2024-09-27: working days 1–2 are Sun 09-29 (make-up) and Mon 09-30,
    then the National Day holiday; 3–5 are 10-08, 10-09, 10-10."""
    plan = Plan.objects.get(number="2024-WZJX")  # window 2024-09-01 … 10-31
    application = submitted(zhang, plan, now=at("2024-09-27"))
    assert application.publicity_ends_on.isoformat() == "2024-10-10"
    with pytest.raises(workflow.WorkflowError, match="单位公示期未满：公示至 2024-10-10"):
        approve(application, now=at("2024-10-09", 17), publicity_outcome="no_objection")
    with pytest.raises(workflow.WorkflowError, match="请填写公示结果"):
        approve(application, now=at("2024-10-10"))
    with pytest.raises(workflow.WorkflowError, match="异议的处理情况"):
        approve(application, now=at("2024-10-10"), publicity_outcome="objection")
    application = approve(
        application, now=at("2024-10-10"), publicity_outcome="objection", publicity_handling="经核实异议不成立"
    )
    assert application.status == "in_review" and application.publicity_handling == "经核实异议不成立"


# --- Withdraw, reject, reasons --------------------------------------------------------------


def test_withdraw_only_before_the_employer_decides(zhang, open_plan):
    application = submitted(zhang, open_plan)
    withdrawn = services.application_withdraw(actor=zhang, application=application)
    assert withdrawn.status == "withdrawn" and withdrawn.active_year is None
    # the year is free again: a new application may be made
    again = submitted(zhang, open_plan)
    approve(again, now=after_publicity(again), publicity_outcome="no_objection")
    with pytest.raises(workflow.WorkflowError, match="不能执行“撤回申报”"):
        services.application_withdraw(actor=zhang, application=again)


def test_return_and_reject_need_a_reason_and_reject_is_final(zhang, open_plan):
    application = submitted(zhang, open_plan)
    employer_admin = reviewer_of(application.current_office)
    with pytest.raises(workflow.WorkflowError, match="请填写退回或不通过的原因"):
        workflow.transition(actor=employer_admin, application=application, action=A.RETURN)
    rejected = workflow.transition(
        actor=employer_admin, application=application, action=A.REJECT, reason="伪造继续教育学时"
    )
    assert rejected.status == "rejected" and rejected.active_year is None
    with pytest.raises(workflow.WorkflowError):
        workflow.transition(actor=employer_admin, application=application, action=A.APPROVE, reason="同意")
    assert not application.status_changes.filter(action="approve").exists()


def test_applicant_cannot_review_their_own_application(zhang, open_plan):
    application = submitted(zhang, open_plan)
    with pytest.raises(workflow.PermissionDenied):
        workflow.transition(actor=zhang, application=application, action=A.APPROVE, reason="同意")


# --- Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_county_office", "other_employer", "other_district_hr", "applicant_b"])
def test_offices_outside_the_chain_get_404(client, zhang, open_plan, who):
    application = submitted(zhang, open_plan)
    outsider = {
        "other_county_office": lambda: reviewer_of(Organisation.objects.get(name="平阳县人力资源和社会保障局")),
        "other_employer": lambda: User.objects.get(mobile="13900000011"),  # 温州瓯江电气
        "other_district_hr": lambda: reviewer_of(Organisation.objects.get(name="宁波市鄞州区人力资源和社会保障局")),
        "applicant_b": lambda: User.objects.get(mobile="13900000032"),
    }[who]()
    client.force_login(outsider)
    assert client.get(reverse("applications:review_detail", args=[application.pk])).status_code == 404
    response = client.post(
        reverse("applications:review_act", args=[application.pk]), {"action": "reject", "reason": "x"}
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == "submitted"
    queue = client.get(reverse("applications:review_queue"))
    assert queue.status_code == 404 or application.number not in queue.content.decode()


def test_each_office_sees_it_when_routed_and_keeps_seeing_what_it_handled(client, zhang, open_plan):
    application = submitted(zhang, open_plan)
    county = Organisation.objects.get(name="瑞安市人力资源和社会保障局")
    county_reviewer = reviewer_of(county)
    client.force_login(county_reviewer)
    assert client.get(reverse("applications:review_detail", args=[application.pk])).status_code == 404
    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    page = client.get(reverse("applications:review_detail", args=[application.pk]))
    assert page.status_code == 200 and page.context["may_review"]
    employer_admin = User.objects.get(mobile="13900000001")
    client.force_login(employer_admin)
    page = client.get(reverse("applications:review_detail", args=[application.pk]))
    assert page.status_code == 200 and not page.context["may_review"]


def test_evidence_of_the_snapshot_is_served_to_the_office_only(client, zhang, huang, open_plan):
    application = submitted(zhang, open_plan)
    evidence_id = next(r["evidence"][0]["id"] for r in application.snapshot["records"] if r["evidence"])
    url = reverse("applications:review_evidence", args=[application.pk, evidence_id])
    client.force_login(User.objects.get(mobile="13900000001"))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.force_login(huang)
    assert client.get(url).status_code == 404


# --- Deadlines, queue, notifications ---------------------------------------------------------


def test_office_extends_one_applicants_deadline_with_a_reason(client, zhang, open_plan):
    application = submitted(zhang, open_plan)
    employer_admin = User.objects.get(mobile="13900000001")
    application.stage_deadline = timezone.localdate() - timedelta(days=1)
    application.save(update_fields=["stage_deadline"])
    client.force_login(employer_admin)
    queue = client.get(reverse("applications:review_queue"), {"flag": "overdue"})
    assert [row[0].pk for row in queue.context["rows"]] == [application.pk] and queue.context["rows"][0][2]
    new = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("applications:review_extend", args=[application.pk]),
        {"ext-deadline": new.isoformat(), "ext-reason": ""},
    )
    assert response.status_code == 400 and 'data-field-error="ext-reason"' in response.content.decode()
    client.post(
        reverse("applications:review_extend", args=[application.pk]),
        {"ext-deadline": new.isoformat(), "ext-reason": "申报人住院，材料延后提交"},
    )
    application.refresh_from_db()
    assert application.stage_deadline == new
    assert application.extensions.get().reason == "申报人住院，材料延后提交"
    assert client.get(reverse("applications:review_queue"), {"flag": "overdue"}).context["rows"] == []


def test_notifications_reach_the_applicant_and_the_next_office(
    zhang, open_plan, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(zhang, open_plan)
    employer_admin = User.objects.get(mobile="13900000001")
    assert Message.objects.filter(recipient=zhang, template="application_submitted", channel="sms").exists()
    assert Message.objects.filter(recipient=employer_admin, template="application_to_review").exists()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(actor=employer_admin, application=application, action=A.RETURN, reason="照片不清晰")
    returned = Message.objects.get(recipient=zhang, template="application_returned", channel="inbox")
    assert "照片不清晰" in returned.body and "用人单位审核、公示并推荐" in returned.body
    assert any("照片不清晰" in sms["content"] for sms in sms_outbox)


def test_a_moves_notices_are_written_in_its_transaction_and_sent_after_it_commits(
    zhang, open_plan, sms_outbox, django_capture_on_commit_callbacks
):
    """A process killed between the move's commit and its notices must not lose them: the
    messages are rows of the move's own transaction; only the sending waits for the commit."""
    draft = complete_draft(zhang, open_plan)
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        services.application_submit(actor=zhang, application=draft)
        notice = Message.objects.get(recipient=zhang, template="application_submitted", channel="sms")
        assert notice.status == "queued" and sms_outbox == []
    for callback in after_commit:
        callback()
    notice.refresh_from_db()
    assert notice.status == "sent" and len(sms_outbox) == 1


def test_a_rolled_back_move_announces_nothing(zhang, open_plan, sms_outbox):
    draft = complete_draft(zhang, open_plan)
    sms_outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_submit(actor=zhang, application=draft)
        raise RuntimeError("a later step of the same request fails")
    assert not Message.objects.filter(template__startswith="application_").exists()
    assert sms_outbox == []


def test_bulk_approve_with_a_preview(client, zhang, open_plan):
    application = submitted(zhang, open_plan)
    county = Organisation.objects.get(name="瑞安市人力资源和社会保障局")
    approve(application, now=after_publicity(application), publicity_outcome="no_objection")
    client.force_login(reviewer_of(county))
    data = {"ids": [application.pk], "action": "approve", "reason": "材料齐全，同意。", "publicity_outcome": ""}
    preview = client.post(reverse("applications:review_bulk"), data)
    assert preview.status_code == 200 and application.number in preview.content.decode()
    assert Application.objects.get(pk=application.pk).stage_order == 2  # nothing done yet
    client.post(reverse("applications:review_bulk"), {**data, "confirm": "1"})
    application.refresh_from_db()
    assert application.stage_order == 3
    assert application.status_changes.filter(action="approve", stage_order=2).get().reason == "材料齐全，同意。"


def test_queue_queries_are_constant(client, zhang, open_plan, django_assert_max_num_queries):
    application = submitted(zhang, open_plan)
    employer_admin = User.objects.get(mobile="13900000001")
    client.force_login(employer_admin)

    def page_queries() -> int:
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as captured:
            response = client.get(reverse("applications:review_queue"), {"sort": "number"})
        assert response.status_code == 200
        return len(captured)

    few = page_queries()
    for i in range(9):
        Application.objects.create(
            applicant=factories.ApplicantFactory(),
            plan=open_plan,
            level=application.level,
            status="submitted",
            number=f"MANY-{i:04d}",
            stage_order=1,
            current_office=application.current_office,
            district=application.district,
        )
    ten = page_queries()
    people = factories.ApplicantFactory.create_batch(10)  # active_year stays empty: no one-per-year clash
    Application.objects.bulk_create(
        Application(
            applicant=people[i % len(people)],
            plan=open_plan,
            level=application.level,
            status="submitted",
            number=f"MORE-{i:04d}",
            stage_order=1,
            current_office=application.current_office,
            district=application.district,
        )
        for i in range(990)
    )
    thousand = page_queries()
    assert Application.objects.filter(current_office=application.current_office).count() == 1000
    assert few == ten == thousand


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_make_one_transition(zhang, open_plan):
    application = submitted(zhang, open_plan)
    office = application.current_office
    reviewers = [User.objects.get(mobile="13900000001"), factories.employer_admin_of(office)]
    later = after_publicity(application)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(reviewer: User) -> None:
        try:
            barrier.wait()
            workflow.transition(
                actor=reviewer,
                application=application,
                action=A.APPROVE,
                reason="同意",
                publicity_outcome="no_objection",
                now=later,
            )
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["PermissionDenied", "ok"]
    assert StatusChange.objects.filter(application=application, action="approve").count() == 1
    assert Application.objects.get(pk=application.pk).stage_order == 2


def test_the_chain_of_a_plan_with_submissions_cannot_be_rearranged(zhang, open_plan):
    from django.core.exceptions import ValidationError

    submitted(zhang, open_plan)
    admin = User.objects.get(mobile="13900000000")
    data = {
        **{f: getattr(open_plan, f) for f in plan_services.SCALAR_FIELDS},
        **{f: list(getattr(open_plan, f).all()) for f in plan_services.M2M_FIELDS},
    }
    stages = [
        {"order": s.order, "office_kind": s.office_kind, "organisation": s.organisation, "label": s.label}
        for s in open_plan.stages.order_by("order")
    ]
    with pytest.raises(ValidationError, match="不能再更改审核环节的顺序或审核单位"):
        plan_services.plan_update(actor=admin, plan=open_plan, data=data, stages=stages[:-1])
    stages[0]["label"] = "用人单位审核并公示"
    plan_services.plan_update(actor=admin, plan=open_plan, data=data, stages=stages)
    assert open_plan.stages.get(order=1).label == "用人单位审核并公示"


# --- Results and revocation (the moves after qualification) -----------------------------------


def qualified(user: User, plan: Plan) -> Application:
    application = submitted(user, plan)
    later = after_publicity(application)
    while application.status != "qualified":
        application = approve(application, now=later, publicity_outcome="no_objection")
    return application


def test_city_office_publishes_results_others_cannot(zhang, open_plan):
    application = qualified(zhang, open_plan)
    city_officer = User.objects.get(mobile="13900000006")  # 温州市职改办
    county = User.objects.get(mobile="13900000003")
    with pytest.raises(workflow.PermissionDenied):
        workflow.conclude(actor=county, application=application, passed=True, document_number="温职改〔2024〕1号")
    with pytest.raises(workflow.WorkflowError, match="文号"):
        workflow.conclude(actor=city_officer, application=application, passed=True, document_number="")
    approved = workflow.conclude(
        actor=city_officer, application=application, passed=True, document_number="温职改〔2024〕1号"
    )
    assert approved.status == "approved"
    assert approved.status_changes.get(action="publish_pass").reason == "温职改〔2024〕1号"
    revoked = workflow.transition(actor=city_officer, application=approved, action=A.REVOKE, reason="伪造论文")
    assert revoked.status == "revoked"


def test_another_city_cannot_publish(zhang, open_plan):
    application = qualified(zhang, open_plan)
    ningbo_officer = factories.member_of(
        factories.OfficeFactory(kind=Organisation.Kind.TITLE_OFFICE, region=Region.objects.get(code="330200")),
        Role.CITY_TITLE_OFFICER,
    )
    with pytest.raises(workflow.PermissionDenied):
        workflow.conclude(actor=ningbo_officer, application=application, passed=False, document_number="甬1号")


def test_an_administrator_never_extends_the_deadline_of_their_own_application(zhang, open_plan):
    application = submitted(zhang, open_plan)
    zhang.is_superuser = True  # passes every review rule, yet it is their own application
    zhang.save(update_fields=["is_superuser"])
    with pytest.raises(PermissionDenied):
        workflow.deadline_extend(
            actor=zhang, application=application, deadline=application.stage_deadline + timedelta(days=5), reason="延期"
        )
