"""Reads of the evaluation, including what a user may see (``None`` means "not for you": views
answer 404)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from zhicheng.applications.models import Application
from zhicheng.core.permissions import can
from zhicheng.evaluation import thresholds, xlsx
from zhicheng.evaluation.models import (
    Assignment,
    BallotReceipt,
    ExamResult,
    Expert,
    Panel,
    PanelMember,
    ScoreScale,
    VoteSession,
)
from zhicheng.evaluation.permissions import managed_committee_ids
from zhicheng.plans.models import Plan

# --- The committee office ----------------------------------------------------------------


def managed_plans(user: Any) -> QuerySet[Plan]:
    """Plans whose evaluation ``user`` runs, with the number of qualified applications."""
    plans = Plan.objects.all() if user.is_staff else Plan.objects.filter(committee_id__in=managed_committee_ids(user))
    return plans.select_related("committee").annotate(
        qualified=Count("applications", filter=Q(applications__status=Application.Status.QUALIFIED))
    )


def plan_for_manager(user: Any, pk: int) -> Plan | None:
    plan = Plan.objects.select_related("committee").filter(pk=pk).first()
    return plan if plan is not None and can(user, "evaluation.manage", plan) else None


def pool(user: Any) -> QuerySet[Expert]:
    experts = (
        Expert.objects.all() if user.is_staff else Expert.objects.filter(committee_id__in=managed_committee_ids(user))
    )
    return experts.select_related("committee", "title_level", "region", "employer", "user")


def expert_for_manager(user: Any, pk: int) -> Expert | None:
    expert = pool(user).filter(pk=pk).first()
    return expert if expert is not None and can(user, "evaluation.manage", expert) else None


def candidates(plan: Plan, *, exclude: Collection[int] = ()) -> QuerySet[Expert]:
    """Experts a draw for ``plan`` may choose: active in the committee's pool and holding a title
    above every level the plan reviews (a 中级 review needs 副高级 or higher experts)."""
    top_rank = plan.levels.aggregate(top=Max("rank"))["top"] or 0
    return (
        Expert.objects.filter(committee_id=plan.committee_id, is_active=True, title_level__rank__gt=top_rank)
        .exclude(pk__in=exclude)
        .order_by("pk")
    )


def qualified_applications(plan: Plan) -> QuerySet[Application]:
    return (
        Application.objects.filter(plan=plan, status=Application.Status.QUALIFIED)
        .select_related("applicant", "level")
        .order_by("number", "pk")
    )


def vote_session(plan: Plan) -> VoteSession | None:
    return VoteSession.objects.filter(plan=plan).first()


def evaluated_applications(plan: Plan) -> QuerySet[Application]:
    """The applicants of the evaluation: the plan's qualified applications until the vote opens,
    then exactly those the vote covers (their status moves on after publication)."""
    session = vote_session(plan)
    if session is None:
        return qualified_applications(plan)
    return (
        Application.objects.filter(pk__in=session.tallies.values("application_id"))
        .select_related("applicant", "level")
        .order_by("number", "pk")
    )


def panel_of(plan: Plan) -> Panel | None:
    return Panel.objects.filter(plan=plan).first()


def active_assignments(plan: Plan) -> QuerySet[Assignment]:
    return Assignment.objects.filter(member__panel__plan=plan, withdrawn_at__isnull=True).select_related(
        "member__expert", "application"
    )


def snapshot_score(application: Application) -> dict[str, Any]:
    """The engine's score sheet as submitted (empty for a policy without a scoring standard)."""
    return ((application.snapshot or {}).get("result") or {}).get("score") or {}


def flagged_items(application: Application) -> list[dict[str, str]]:
    """The engine's items left to the panel (``{"item", "reason"}``), as submitted."""
    return list(snapshot_score(application).get("flagged") or [])


def score_scale(plan: Plan) -> ScoreScale:
    """The plan's full marks (an unsaved default of 100 / 100 until the office sets them)."""
    return ScoreScale.objects.filter(plan=plan).first() or ScoreScale(plan=plan)


@dataclass(frozen=True)
class ExamOutcome:
    """One applicant's exam and interview: raw, scaled to 25 / 20, reaching 50 % or not."""

    exam_raw: Decimal | None
    interview_raw: Decimal | None
    exam: Decimal | None
    interview: Decimal | None
    exam_passed: bool
    interview_passed: bool

    @property
    def passed(self) -> bool:
        return self.exam_passed and self.interview_passed


def exam_outcome(result: ExamResult | None, scale: ScoreScale) -> ExamOutcome:
    exam_raw = result.exam_raw if result else None
    interview_raw = result.interview_raw if result else None
    return ExamOutcome(
        exam_raw=exam_raw,
        interview_raw=interview_raw,
        exam=None if exam_raw is None else thresholds.scaled(exam_raw, scale.exam_full_marks, thresholds.EXAM_POINTS),
        interview=None
        if interview_raw is None
        else thresholds.scaled(interview_raw, scale.interview_full_marks, thresholds.INTERVIEW_POINTS),
        exam_passed=exam_raw is not None and thresholds.reaches_half(exam_raw, scale.exam_full_marks),
        interview_passed=interview_raw is not None
        and thresholds.reaches_half(interview_raw, scale.interview_full_marks),
    )


def exam_outcomes(plan: Plan, applications: list[Application]) -> dict[int, ExamOutcome]:
    scale = score_scale(plan)
    results = {r.application_id: r for r in ExamResult.objects.filter(application__in=applications)}
    return {a.pk: exam_outcome(results.get(a.pk), scale) for a in applications}


def exam_template(plan: Plan) -> bytes:
    """The XLSX template pre-filled with the plan's applicants and their current raw scores."""
    applications = list(evaluated_applications(plan))
    outcomes = exam_outcomes(plan, applications)
    scale = score_scale(plan)
    rows = [
        xlsx.TemplateRow(
            number=a.number or "",
            name=a.applicant.real_name,
            level=a.level.name,
            exam_raw=outcomes[a.pk].exam_raw,
            interview_raw=outcomes[a.pk].interview_raw,
        )
        for a in applications
    ]
    return xlsx.build_template(
        rows,
        plan_title=f"{plan.name}（编号 {plan.number}）理论考试、面试答辩成绩",
        exam_full_marks=scale.exam_full_marks,
        interview_full_marks=scale.interview_full_marks,
    )


# --- Experts -----------------------------------------------------------------------------


def seats_of(user: Any) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(expert__user=user, status=PanelMember.Status.ACTIVE)


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """The applications assigned to ``user`` on every panel they sit on, newest plan first."""
    return (
        Assignment.objects.filter(member__in=seats_of(user), withdrawn_at__isnull=True)
        .select_related("application__applicant", "application__level", "member__panel__plan", "score")
        .order_by("-member__panel__plan__year", "member__panel__plan__number", "application__number")
    )


def assignment_for(user: Any, pk: int) -> Assignment | None:
    assignment = my_assignments(user).filter(pk=pk).first()
    return assignment if assignment is not None and can(user, "evaluation.score", assignment.application) else None


def seat_for(user: Any, plan_pk: int) -> PanelMember | None:
    """``user``'s seat on the panel of plan ``plan_pk``, if they may act there."""
    seat = seats_of(user).select_related("panel__plan").filter(panel__plan_id=plan_pk).first()
    return seat if seat is not None and can(user, "evaluation.score", seat.panel.plan) else None


def sessions_for(plans: Any) -> QuerySet[VoteSession]:
    return VoteSession.objects.filter(plan__in=plans)


def voted_sessions(user: Any) -> set[int]:
    """Sessions in which ``user`` has cast their ballot."""
    return set(BallotReceipt.objects.filter(member__in=seats_of(user)).values_list("session_id", flat=True))


def ballot_applications(member: PanelMember, session: VoteSession) -> list[Application]:
    """What a member votes on: the applicants of the session assigned to them (never one they
    are in conflict with)."""
    return list(
        Application.objects.filter(
            pk__in=session.tallies.values("application_id"),
            evaluation_assignments__member=member,
            evaluation_assignments__withdrawn_at__isnull=True,
        )
        .select_related("applicant", "level")
        .order_by("number", "pk")
    )


# --- The vote ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One applicant's result: the tally (2/3 of the votes cast) and the exam and interview."""

    application: Application
    yes: int
    no: int
    abstain: int
    exam: ExamOutcome

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def vote_passed(self) -> bool:
        return thresholds.approved_by_vote(self.yes, self.no, self.abstain)

    @property
    def passed(self) -> bool:
        return self.vote_passed and self.exam.passed


def vote_outcomes(session: VoteSession) -> list[Outcome]:
    tallies = list(session.tallies.select_related("application__applicant", "application__level"))
    exams = exam_outcomes(session.plan, [t.application for t in tallies])
    return [
        Outcome(t.application, t.yes, t.no, t.abstain, exams[t.application_id])
        for t in sorted(tallies, key=lambda t: (t.application.number or "", t.application_id))
    ]


@dataclass(frozen=True)
class PassRate:
    passed: int
    total: int

    @property
    def exceeds_limit(self) -> bool:
        return thresholds.pass_rate_exceeds_limit(self.passed, self.total)

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal(0)
        return (Decimal(100 * self.passed) / self.total).quantize(Decimal("0.1"))


def pass_rate(outcomes: list[Outcome]) -> PassRate:
    return PassRate(sum(1 for o in outcomes if o.passed), len(outcomes))


def voters(session: VoteSession) -> list[tuple[PanelMember, bool]]:
    """The active members who have a vote in ``session``, and whether each has cast it."""
    voted = set(session.receipts.values_list("member_id", flat=True))
    members = (
        PanelMember.objects.filter(
            panel__plan_id=session.plan_id,
            status=PanelMember.Status.ACTIVE,
            assignments__withdrawn_at__isnull=True,
            assignments__application_id__in=session.tallies.values("application_id"),
        )
        .select_related("expert")
        .distinct()
        .order_by("pk")
    )
    return [(m, m.pk in voted) for m in members]


# --- The panel page ----------------------------------------------------------------------

MIN_JUDGES = 3  # fewer judges for an applicant is shown as a warning


def draws(panel: Panel) -> list[tuple[Any, bool, list[Expert]]]:
    """Each draw, whether its seed and candidates reproduce its choice, and the chosen experts."""
    from zhicheng.evaluation.draw import draw

    records = list(panel.draws.select_related("drawn_by", "replaces__expert"))
    experts = Expert.objects.in_bulk([e for d in records for e in d.chosen])
    return [(d, draw(d.seed, d.candidates, d.size) == d.chosen, [experts[e] for e in d.chosen]) for d in records]


@dataclass(frozen=True)
class PanelRow:
    application: Application
    judges: list[PanelMember]
    avoided: list[tuple[PanelMember, str]]

    @property
    def too_few(self) -> bool:
        return len(self.judges) < MIN_JUDGES


def panel_rows(plan: Plan, panel: Panel) -> list[PanelRow]:
    """Per applicant: the members judging them and those avoiding them, with the reason."""
    from zhicheng.evaluation.avoidance import applicant_facts, conflict, expert_facts

    members = list(
        panel.members.filter(status=PanelMember.Status.ACTIVE)
        .select_related("expert")
        .prefetch_related("expert__relations")
    )
    facts = {m.pk: expert_facts(m.expert) for m in members}
    judging: dict[int, set[int]] = {}
    for member_id, application_id in Assignment.objects.filter(
        member__panel=panel, withdrawn_at__isnull=True
    ).values_list("member_id", "application_id"):
        judging.setdefault(application_id, set()).add(member_id)
    rows = []
    for application in evaluated_applications(plan):
        applicant = applicant_facts(application)
        mine = judging.get(application.pk, set())
        rows.append(
            PanelRow(
                application=application,
                judges=[m for m in members if m.pk in mine],
                avoided=[(m, conflict(facts[m.pk], applicant)) for m in members if conflict(facts[m.pk], applicant)],
            )
        )
    return rows
