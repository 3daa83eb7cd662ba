"""Reads of applications: who sees what, the engine's verdict on a draft, what stops a
submission, what changed in the archive since the draft drew from it, and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from zhicheng.applications import steps
from zhicheng.applications.models import (
    MAX_RECOMMENDATIONS_PER_EXPERT,
    Application,
    ExpertRecommendation,
    SelectedRecord,
)
from zhicheng.archive import registry
from zhicheng.archive.models import Record
from zhicheng.core.crypto import blind_indexes
from zhicheng.core.permissions import can
from zhicheng.plans.models import SHANGHAI, Plan, PlanStage

# Record types chosen in step 3 (information) rather than in the step 4 list.
INFO_TYPES = ("title", "skill_grade", "appointment", "language", "computer")


def today_in_shanghai(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


# --- Access --------------------------------------------------------------------------------


def applications_of(user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("plan__committee", "level")
        .prefetch_related(Prefetch("plan__stages", queryset=PlanStage.objects.order_by("order")))
        .order_by("-created_at", "-pk")
    )


def application_for(user: Any, pk: Any, code: str = "application.view") -> Application:
    """The application ``pk`` if ``user`` may ``code`` it; 404 otherwise (never reveal others')."""
    application = (
        Application.objects.select_related(
            "plan__committee", "plan__series", "plan__specialty", "level", "subspecialty", "acceptance_point"
        )
        .filter(pk=pk)
        .first()
    )
    if application is None or not can(user, code, application):
        raise Http404("没有找到该申报。")
    return application


def active_application_in_year(user: Any, year: int, *, excluding: Application | None = None) -> Application | None:
    """The person's application that counts for ``year`` (submitted and not ended), if any."""
    others = Application.objects.filter(applicant=user, active_year=year).select_related("plan")
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.first()


# --- Records -------------------------------------------------------------------------------


def approved_records(user: Any) -> QuerySet[Record]:
    return Record.objects.filter(owner=user, status=Record.Status.APPROVED, withdrawn_at__isnull=True).order_by(
        "record_type", "-created_at", "pk"
    )


def selected_ids(application: Application) -> set[int]:
    return set(application.selected_records.values_list("record_id", flat=True))


def chosen_records(application: Application) -> list[Record]:
    """The application's chosen records as their own types, read once for a submission's
    checks, verdict and snapshot (``archive.selectors.records_as_types``)."""
    from zhicheng.archive.selectors import records_as_types

    return records_as_types(application.selected_records.values_list("record_id", "record__record_type"))


@dataclass
class RecordGroup:
    code: str
    label: str
    required: bool
    records: list[Record]


def record_groups(records: list[Record], *, codes: tuple[str, ...] | None = None) -> list[RecordGroup]:
    """Records grouped by type in the registry's order (only the ``codes`` types when given)."""
    by_type: dict[str, list[Record]] = {}
    for record in records:
        by_type.setdefault(record.record_type, []).append(record)
    return [
        RecordGroup(t.code, t.label, t.required, by_type[t.code])
        for t in registry.all_types()
        if t.code in by_type and (codes is None or t.code in codes)
    ]


@dataclass(frozen=True)
class ArchiveChange:
    record_id: int
    label: str
    summary: str
    kind: str  # "changed" | "unavailable" | "new"

    @property
    def message(self) -> str:
        return {
            "changed": "已修改并重新审核通过，刷新后按新内容申报",
            "unavailable": "已修改待审核、审核不通过或已撤销，不能再用于本次申报",
            "new": "新审核通过的记录，尚未提取到本次申报",
        }[self.kind]


def archive_changes(application: Application) -> list[ArchiveChange]:
    """What changed in the applicant's archive since the draft drew from it (two queries)."""
    selected = {
        s.record_id: s
        for s in SelectedRecord.objects.filter(application=application).select_related("record").order_by("pk")
    }
    changes: list[ArchiveChange] = []
    for choice in selected.values():
        record = choice.record
        label = registry.get_type(record.record_type).label
        if record.status != Record.Status.APPROVED or record.is_withdrawn:
            changes.append(ArchiveChange(record.pk, label, record.summary, "unavailable"))
        elif record.reviewed_at != choice.reviewed_at:
            changes.append(ArchiveChange(record.pk, label, record.summary, "changed"))
    since = application.records_refreshed_at
    if since is not None:
        for record in approved_records(application.applicant).filter(reviewed_at__gt=since).exclude(pk__in=selected):
            label = registry.get_type(record.record_type).label
            changes.append(ArchiveChange(record.pk, label, record.summary, "new"))
    return changes


# --- The engine's verdict ------------------------------------------------------------------


def application_profile(
    application: Application, *, with_claims: bool = True, chosen: list[Record] | None = None
) -> Any:
    """The POLICY_API profile of the draft: the chosen records (``chosen``, when the caller
    has read them already), the plan's dates, the chosen type, the claims, the expert
    recommendations and the integrity register (a ProfileBuild)."""
    from zhicheng.archive.profile import build_profile
    from zhicheng.integrity.selectors import profile_entries

    plan = application.plan
    build = build_profile(
        application.applicant,
        policy=plan.policy_id,
        level=application.level.code,
        plan_year=plan.year,
        as_of=plan.seniority_cutoff,
        deadline=plan.individual_last_day,
        achievements_until=plan.achievements_cutoff,
        application_type=application.application_type or None,
        records=chosen_records(application) if chosen is None else chosen,
    )
    build.profile["claims"] = list(application.claims) if with_claims else []
    build.profile["expert_recommendations"] = [
        # the engine only tells experts apart: their blind index, so no ID number reaches the snapshot
        {"expert": r.expert_id_index, "title_level": r.title_level, "province": r.province, "relevant": r.is_relevant}
        for r in application.recommendations.all()
    ]
    build.profile["integrity"] = profile_entries(application.applicant)
    return build


@dataclass
class Verdict:
    """The engine's verdict on a draft, and whether it rests on claims reviewers must verify."""

    result: dict[str, Any] | None
    eligible: bool
    needs_claim_review: bool
    errors: list[str] = field(default_factory=list)
    build: Any = None

    @property
    def reasons(self) -> list[str]:
        if self.errors:
            return self.errors
        from zhicheng.plans.selectors import verdict_summary

        return verdict_summary(self.result or {"routes": [], "checks": []})[1] if not self.eligible else []


def evaluate_application(application: Application, *, chosen: list[Record] | None = None) -> Verdict:
    from zhicheng import rules
    from zhicheng.eligibility.services import evaluate_profile

    build = application_profile(application, chosen=chosen)
    try:
        outcome = evaluate_profile(build.profile)
    except rules.PolicyError:
        return Verdict(None, False, False, ["该政策的条件数据暂时有误，无法评估，请联系评委会办公室。"], build)
    if not outcome.ok:
        return Verdict(None, False, False, [f"{e['loc']}：{e['msg']}" for e in outcome.errors], build)
    eligible = bool(outcome.result["eligible"])
    needs_review = False
    if eligible and application.claims:
        without = evaluate_profile({**build.profile, "claims": []})
        needs_review = not (without.ok and without.result["eligible"])
    return Verdict(outcome.result, eligible, needs_review, build=build)


# --- What stops a submission ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    step: int
    message: str


def info_problems(application: Application) -> list[Problem]:
    """Step 3's answers checked against the plan and the seed's qualification branches."""
    plan, level = application.plan, application.level.code
    out: list[Problem] = []

    def add(message: str) -> None:
        out.append(Problem(steps.INFO, message))

    if application.info_saved_at is None:
        return [Problem(steps.INFO, "尚未填写申报信息（第 3 步）。")]
    if not plan.levels.filter(pk=application.level_id).exists():
        add(f"计划不受理{application.level}的申报，请重新选择申报级别。")
    if plan.application_types and application.application_type not in plan.application_types:
        add("请选择计划提供的申报方式。")
    if plan.subspecialties.exists() and application.subspecialty_id is None:
        add("请选择子专业。")
    if application.acceptance_point_id is None:
        add("请选择受理点（社保所在地的人力社保部门；市本级人员选评委会）。")
    chosen = SelectedRecord.objects.filter(application=application).select_related("record")
    by_type: dict[str, list[int]] = {}
    for choice in chosen:
        by_type.setdefault(choice.record.record_type, []).append(choice.record_id)
    qualification = application.qualification_type
    title_levels: list[str] = []
    if not qualification:
        add("请选择现有资格类型（专业技术职务任职资格 / 职业资格 / 无）。")
    elif qualification == Application.QualificationType.TITLE:
        from zhicheng.archive.models import TitleHeld

        titles = list(TitleHeld.objects.filter(pk__in=by_type.get("title", [])).select_related("level"))
        title_levels = [t.level.code for t in titles]
        if not titles:
            add("资格类型为“专业技术职务任职资格”时，请至少选择一项档案中的现有职称。")
        for problem in {steps.title_problem(level, code) for code in title_levels} - {""}:
            add(problem)
    elif qualification == Application.QualificationType.VOCATIONAL:
        from zhicheng.archive.models import SkillGradeCertificate

        grades = list(
            SkillGradeCertificate.objects.filter(pk__in=by_type.get("skill_grade", [])).values_list("grade", flat=True)
        )
        if not grades:
            add("资格类型为“职业资格”时，请至少选择一项档案中的职业技能等级证书。")
        elif all(steps.vocational_problem(level, g) for g in grades):
            add(steps.vocational_problem(level, min(grades)))
    if steps.appointment_needed(level, application.application_type, title_levels) and not by_type.get("appointment"):
        add("以助理工程师职称申报工程师（或转评）须有专业技术职务聘任：请在档案中添加聘任情况并在本步选择。")
    return out


def submission_problems(application: Application, *, now: datetime | None = None) -> list[Problem]:
    """Everything that stops this draft from being submitted now, each naming its step."""
    from zhicheng.archive.selectors import required_records_approved
    from zhicheng.integrity.selectors import active_ban

    now = now or timezone.now()
    plan = application.plan
    out: list[Problem] = []
    if application.is_draft and not plan.is_open(now):
        out.append(Problem(steps.PREVIEW, _window_message(plan, now)))
    if not application.photo:
        out.append(Problem(steps.PHOTO, "尚未上传照片（第 1 步）。"))
    if application.pledge_signed_at is None or application.pledge_version != steps.PLEDGE_VERSION:
        out.append(Problem(steps.PLEDGE, "尚未签署真实性保证书（第 2 步）。"))
    out += info_problems(application)
    ready, gaps = required_records_approved(application.applicant)
    out += [Problem(steps.RECORDS, f"{gap.message}（必填项须全部审核通过才能申报）。") for gap in gaps]
    if application.records_refreshed_at is None:
        out.append(Problem(steps.RECORDS, "尚未提取业绩档案（第 4 步）。"))
    unavailable = [c for c in archive_changes(application) if c.kind == "unavailable"]
    if unavailable:
        out.append(
            Problem(steps.RECORDS, f"已提取的 {len(unavailable)} 条档案记录已变更、不能再使用，请在第 4 步刷新提取。")
        )
    ban = active_ban(application.applicant, today_in_shanghai(now))
    if ban is not None:
        out.append(
            Problem(
                steps.PREVIEW,
                f"您在职称评审诚信档案中有记录（{ban.get_kind_display()}），"
                f"{ban.banned_from:%Y-%m-%d} 至 {ban.banned_until:%Y-%m-%d} 不得申报。",
            )
        )
    other = active_application_in_year(application.applicant, plan.year, excluding=application)
    if other is not None:
        out.append(Problem(steps.PREVIEW, duplicate_message(other)))
    out += [Problem(steps.ATTACHMENTS, m) for m in expert_cap_problems(application)]
    return out


def duplicate_message(other: Application) -> str:
    return (
        f"您已提交 {other.plan.year} 年度的职称申报（{other.plan.name}，申报编号 {other.number}），"
        "同一年度只能有一份有效申报。"
    )


def _window_message(plan: Plan, now: datetime) -> str:
    if plan.status_at(now) == Plan.Status.UPCOMING:
        return f"个人申报尚未开始：{plan.status_text(now)}。"
    return f"个人申报已于 {plan.individual_last_day:%Y-%m-%d} 23:59:59 截止（以服务器北京时间为准）。"


def expert_slots_taken(plan: Plan, id_number: str, *, excluding: Application | None = None) -> int:
    """How many applicants of ``plan`` this expert already recommends in submitted applications."""
    taken = ExpertRecommendation.objects.filter(
        plan=plan, expert_id_index__in=blind_indexes(id_number), slot__isnull=False
    )
    if excluding is not None:
        taken = taken.exclude(application=excluding)
    return taken.count()


def expert_cap_message(expert_name: str) -> str:
    return (
        f"专家{expert_name}在本计划已推荐 {MAX_RECOMMENDATIONS_PER_EXPERT} 人"
        f"（每位专家在同一计划最多推荐 {MAX_RECOMMENDATIONS_PER_EXPERT} 人），请另请专家推荐。"
    )


def expert_cap_problems(application: Application) -> list[str]:
    return [
        expert_cap_message(r.expert_name)
        for r in application.recommendations.all()
        if expert_slots_taken(application.plan, r.expert_id_number, excluding=application)
        >= MAX_RECOMMENDATIONS_PER_EXPERT
    ]


def attachment_warnings(application: Application, build: Any) -> list[str]:
    """Attachments the applicant probably owes, given the profile (advice, not a block)."""
    kinds = set(application.attachments.values_list("kind", flat=True))
    out = []
    if build.profile.get("income_over_120k") and "tax_certificate" not in kinds:
        out.append("档案显示年收入超过 12 万元：请在第 5 步上传近一年的完税证明，否则该加分项不予认定。")
    if any(w.get("mountain_county") for w in build.profile.get("work", [])) and "mountain_county" not in kinds:
        out.append("有山区县工作经历：请在第 5 步上传用人单位出具并盖章的专项证明，否则不计山区县加分。")
    if application.application_type.startswith("exceptional") and "self_score_form" not in kinds:
        out.append("破格申报：请在第 5 步上传签字盖章的《破格申报自评赋分表》。")
    return out


# --- Progress and timeline -----------------------------------------------------------------


def completed_steps(application: Application) -> set[int]:
    done = set()
    if application.photo:
        done.add(steps.PHOTO)
    if application.pledge_signed_at and application.pledge_version == steps.PLEDGE_VERSION:
        done.add(steps.PLEDGE)
    if application.info_saved_at:
        done.add(steps.INFO)
    if application.records_refreshed_at:
        done.add(steps.RECORDS)
        done.add(steps.ATTACHMENTS)  # attachments are optional: reachable once records are drawn
    if not application.is_editable:
        done.add(steps.PREVIEW)
    return done


def next_step(application: Application) -> steps.Step:
    done = completed_steps(application)
    return next((s for s in steps.STEPS if s.number not in done), steps.STEPS[-1])


@dataclass
class TimelineItem:
    title: str
    state: str  # "done" | "current" | "upcoming"
    when: str = ""
    note: str = ""


def _deadline_note(day: date, today: date) -> str:
    from zhicheng.reference.selectors import working_days_between

    if day < today:
        return "已过期"
    left = working_days_between(today, day)
    return f"还剩 {left} 个工作日（{(day - today).days} 天）"


def current_stage_label(application: Application) -> str:
    stage = next((s for s in application.plan.stages.all() if s.order == application.stage_order), None)
    return stage.label if stage else ""


def _stage_items(application: Application, today: date) -> list[TimelineItem]:
    """The plan's chain: stages passed are done, the current one is in progress with its deadline."""
    plan = application.plan
    passed = {c.stage_order: c for c in application.status_changes.all() if c.action == "approve" and c.stage_order}
    items = []
    for stage in plan.stages.all():
        if application.stage_order == stage.order and application.in_review:
            deadline = application.stage_deadline
            items.append(
                TimelineItem(
                    stage.label,
                    "current",
                    f"{deadline:%Y-%m-%d} 前" if deadline else "",
                    _deadline_note(deadline, today) if deadline else "",
                )
            )
        elif stage.order in passed and (application.stage_order is None or stage.order < application.stage_order):
            change = passed[stage.order]
            items.append(TimelineItem(stage.label, "done", f"{timezone.localtime(change.at, SHANGHAI):%Y-%m-%d %H:%M}"))
        else:
            deadline = stage.deadline or (
                plan.employer_deadline if stage.office_kind == PlanStage.OfficeKind.EMPLOYER else None
            )
            items.append(TimelineItem(stage.label, "upcoming", f"{deadline:%Y-%m-%d} 前" if deadline else ""))
    return items


def timeline(application: Application, *, now: datetime | None = None) -> list[TimelineItem]:
    """Where the application stands and what comes next, each with its date or deadline."""
    now = now or timezone.now()
    today = today_in_shanghai(now)
    plan = application.plan
    local = lambda moment: timezone.localtime(moment, SHANGHAI)  # noqa: E731
    items = [TimelineItem("创建申报草稿", "done", f"{local(application.created_at):%Y-%m-%d %H:%M}")]
    if application.is_draft:
        step = next_step(application)
        items.append(
            TimelineItem(
                f"填写并提交申报（下一步：第 {step.number} 步 {step.title}）",
                "current" if plan.is_open(now) else "upcoming",
                f"{plan.individual_last_day:%Y-%m-%d} 23:59:59 截止",
                _deadline_note(plan.individual_last_day, today),
            )
        )
        items.append(TimelineItem("单位公示", "upcoming", "", f"提交后公示 {plan.publicity_working_days} 个工作日"))
        return items + _stage_items(application, today)
    items.append(TimelineItem("提交申报", "done", f"{local(application.first_submitted_at):%Y-%m-%d %H:%M}"))
    end = application.publicity_ends_on
    publicity_running = (
        application.in_review
        and application.stage_order == 1
        and not application.publicity_outcome  # recorded: held already (a resubmission)
        and end is not None
        and today <= end
    )
    items.append(
        TimelineItem(
            "单位公示",
            "current" if publicity_running else "done",
            f"至 {end:%Y-%m-%d}（{plan.publicity_working_days} 个工作日）" if end else "",
            _deadline_note(end, today) if publicity_running else application.get_publicity_outcome_display(),
        )
    )
    if application.status == Application.Status.RETURNED:
        last = application.status_changes.filter(action="return").last()
        items.append(
            TimelineItem(
                "退回修改",
                "current",
                f"{local(last.at):%Y-%m-%d %H:%M}" if last else "",
                f"{last.stage_label}：{last.reason}" if last else "",
            )
        )
    stage_items = _stage_items(application, today)
    if application.status in (Application.Status.REJECTED, Application.Status.WITHDRAWN):
        last = application.status_changes.last()
        stage_items = [i for i in stage_items if i.state == "done"]
        stage_items.append(
            TimelineItem(
                application.get_status_display(),
                "done",
                f"{local(last.at):%Y-%m-%d %H:%M}" if last else "",
                last.reason if last else "",
            )
        )
    if application.status == Application.Status.QUALIFIED:
        stage_items.append(TimelineItem("资格审查通过", "done"))
    return items + stage_items


def expected_next(application: Application, *, now: datetime | None = None) -> str:
    """One sentence: what happens next, and by when."""
    now = now or timezone.now()
    plan = application.plan
    if application.is_draft:
        if not plan.is_open(now):
            return _window_message(plan, now)
        step = next_step(application)
        return (
            f"请完成第 {step.number} 步“{step.title}”并提交，"
            f"个人申报 {plan.individual_last_day:%Y-%m-%d} 23:59:59 截止"
            f"（{_deadline_note(plan.individual_last_day, today_in_shanghai(now))}）。"
        )
    today = today_in_shanghai(now)
    end = application.publicity_ends_on
    if application.status == Application.Status.SUBMITTED and end and today <= end:
        return f"单位公示 {plan.publicity_working_days} 个工作日，至 {end:%Y-%m-%d}；公示期满后由单位审核推荐。"
    if application.in_review:
        deadline = application.stage_deadline
        when = f"，截止 {deadline:%Y-%m-%d}（{_deadline_note(deadline, today)}）" if deadline else ""
        return f"等待“{current_stage_label(application)}”（{application.current_office}）审核{when}。"
    if application.status == Application.Status.RETURNED:
        return "申报被退回修改：请按退回原因修改后重新提交，重新提交后由单位再次审核（无需重新公示）。"
    if application.status == Application.Status.QUALIFIED:
        return "已通过全部资格审查：请下载评审表，按要求盖章后报送，等待评审。"
    return application.get_status_display()


@dataclass
class DashboardRow:
    application: Application
    expected: str
    timeline: list[TimelineItem]
    eligible: bool | None  # the engine's verdict: at submission, or now for a draft with step 3 saved


DASHBOARD_APPLICATIONS = 3


def dashboard_rows(user: Any, *, now: datetime | None = None) -> list[DashboardRow]:
    """The latest applications for the applicant's home, each with its timeline, what comes
    next and the engine's verdict (bounded: at most ``DASHBOARD_APPLICATIONS`` evaluations)."""
    rows = []
    for application in applications_of(user)[:DASHBOARD_APPLICATIONS]:
        if application.is_draft:
            eligible = evaluate_application(application).eligible if application.info_saved_at else None
        else:
            eligible = application.engine_eligible
        rows.append(
            DashboardRow(application, expected_next(application, now=now), timeline(application, now=now), eligible)
        )
    return rows
