"""Avoidance (回避): which expert may judge which applicant.

An expert never judges themselves (same user account), an applicant of their own employer
(the employer recorded in the application's snapshot at submission), or a person they declared
a relation with (matched by ID number). ``assign`` pairs a panel with the applicants: every
pair without a conflict, and no other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExpertFacts:
    expert_id: int
    user_id: int | None
    employer_id: int | None
    related_id_numbers: frozenset[str]


@dataclass(frozen=True)
class ApplicantFacts:
    application_id: int
    user_id: int
    employer_id: int | None
    id_numbers: frozenset[str]


def conflict(expert: ExpertFacts, applicant: ApplicantFacts) -> str:
    """Why ``expert`` must not judge ``applicant`` ("" when they may)."""
    if expert.user_id is not None and expert.user_id == applicant.user_id:
        return "本人申报"
    if expert.employer_id is not None and expert.employer_id == applicant.employer_id:
        return "同一工作单位"
    if expert.related_id_numbers & applicant.id_numbers:
        return "申报有关系（专家已申报回避）"
    return ""


def assign(experts: Iterable[ExpertFacts], applicants: Iterable[ApplicantFacts]) -> set[tuple[int, int]]:
    """``{(expert_id, application_id)}`` of every pair without a conflict."""
    applicants = list(applicants)
    return {(e.expert_id, a.application_id) for e in experts for a in applicants if not conflict(e, a)}


def expert_facts(expert: Any) -> ExpertFacts:
    """From an ``Expert`` (its relations prefetched or queried)."""
    return ExpertFacts(
        expert_id=expert.pk,
        user_id=expert.user_id,
        employer_id=expert.employer_id,
        related_id_numbers=frozenset(r.id_number for r in expert.relations.all()),
    )


def applicant_facts(application: Any) -> ApplicantFacts:
    """From an ``Application``: the employer as submitted, the ID number as submitted and now."""
    from zhicheng.applications.snapshot import person_id_number  # Django models: imported when used

    person = (application.snapshot or {}).get("person") or {}
    numbers = {person_id_number(person), application.applicant.id_number or ""} - {""}
    return ApplicantFacts(
        application_id=application.pk,
        user_id=application.applicant_id,
        employer_id=person.get("employer_id"),
        id_numbers=frozenset(n.upper() for n in numbers),
    )
