"""The aggregate sheet (综合评分表) of a plan: per applicant the total of DOMAIN §9 and the
panel's recommendations.

total = basic (≤ 20, as computed at submission) + achievements (≤ 35: the engine's points plus,
for each item the engine left to the panel, the mean of the members' points) + exam (raw
scaled to 25) + interview (raw scaled to 20) + the mountain-county bonus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from zhicheng.applications.models import Application
from zhicheng.evaluation import selectors, thresholds
from zhicheng.evaluation.models import Assignment, PanelScore
from zhicheng.plans.models import Plan


def _decimal(value: float | int | None) -> Decimal:
    return Decimal(str(value or 0))


@dataclass(frozen=True)
class MemberScore:
    member: str
    recommendation: str
    points: dict[str, Decimal]
    comment: str


@dataclass
class SheetRow:
    application: Application
    basic: Decimal
    engine_achievements: Decimal
    panel_points: Decimal
    bonus: Decimal
    exam: selectors.ExamOutcome
    judges: int
    scores: list[MemberScore] = field(default_factory=list)
    flagged: list[dict[str, str]] = field(default_factory=list)

    @property
    def achievements(self) -> Decimal:
        return min(thresholds.ACHIEVEMENTS_CAP, self.engine_achievements + self.panel_points)

    @property
    def total(self) -> Decimal:
        parts = [self.basic, self.achievements, self.bonus, self.exam.exam or 0, self.exam.interview or 0]
        return sum((Decimal(p) for p in parts), Decimal(0))

    @property
    def recommendations(self) -> list[tuple[str, int]]:
        counts = Counter(s.recommendation for s in self.scores)
        return [(label, counts.get(label, 0)) for label in PanelScore.Recommendation.labels]


def panel_points(scores: list[PanelScore], flagged: list[str]) -> Decimal:
    """For each flagged item, the mean of the points the members gave it; summed."""
    total = Decimal(0)
    for item in flagged:
        given = [s.points()[item] for s in scores if item in s.flagged_points]
        total += thresholds.mean(given)
    return total


def aggregate(plan: Plan) -> list[SheetRow]:
    applications = list(selectors.evaluated_applications(plan))
    exams = selectors.exam_outcomes(plan, applications)
    assignments = Assignment.objects.filter(
        application__in=applications, member__panel__plan=plan, withdrawn_at__isnull=True
    ).select_related("member__expert", "score")
    by_application: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_application.setdefault(assignment.application_id, []).append(assignment)
    rows = []
    for application in applications:
        score = selectors.snapshot_score(application)
        flagged = selectors.flagged_items(application)
        mine = by_application.get(application.pk, [])
        scored = [a.score for a in mine if hasattr(a, "score")]
        rows.append(
            SheetRow(
                application=application,
                basic=min(thresholds.BASIC_CAP, _decimal(score.get("basic"))),
                engine_achievements=_decimal(score.get("achievements")),
                panel_points=panel_points(scored, [f["item"] for f in flagged]),
                bonus=_decimal(score.get("bonus")),
                exam=exams[application.pk],
                judges=len(mine),
                scores=[
                    MemberScore(
                        member=a.member.expert.name,
                        recommendation=a.score.get_recommendation_display(),
                        points=a.score.points(),
                        comment=a.score.comment,
                    )
                    for a in mine
                    if hasattr(a, "score")
                ],
                flagged=flagged,
            )
        )
    return rows
