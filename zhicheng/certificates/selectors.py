"""Reads of results and certificates, including what a user may see and what the public sees."""

from __future__ import annotations

import hmac
import unicodedata
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhicheng.certificates import numbers
from zhicheng.certificates.models import Certificate, Objection, ResultPublicity
from zhicheng.core.permissions import can
from zhicheng.evaluation.models import Decision
from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership, Organisation
from zhicheng.plans.models import Plan

# --- The committee office and the city office ---------------------------------------------------


def pending_decisions(plan: Plan) -> QuerySet[Decision]:
    """Confirmed decisions of the plan's qualified applications not yet in a publicity."""
    return (
        Decision.objects.filter(
            application__plan=plan,
            application__status="qualified",
            confirmed_at__isnull=False,
            application__result_entry__isnull=True,
        )
        .select_related("application__applicant", "application__level", "application__plan__specialty")
        .order_by("-passed", "application__number", "pk")
    )


def _publishing_regions(user: Any) -> set[int]:
    roles = [role for role, codes in ROLE_PERMISSIONS.items() if "results.publish" in codes]
    return set(
        Membership.objects.filter(
            user=user, role__in=roles, is_active=True, organisation__kind=Organisation.Kind.TITLE_OFFICE
        ).values_list("organisation__region_id", flat=True)
    )


def result_plans(user: Any) -> QuerySet[Plan]:
    """Plans whose results ``user`` publicises (committee office) or publishes (city office)."""
    plans = Plan.objects.select_related("committee")
    if not user.is_staff:
        from zhicheng.certificates.permissions import publicising_committee_ids

        regions = _publishing_regions(user)
        scope = Q(committee_id__in=publicising_committee_ids(user)) | Q(committee__region_id__in=regions)
        scope |= Q(committee__region__parent_id__in=regions)
        plans = plans.filter(scope)
    confirmed = Q(applications__decision__confirmed_at__isnull=False)
    return (
        plans.annotate(
            confirmed=Count("applications", filter=confirmed, distinct=True),
            publicised=Count(
                "applications", filter=confirmed & Q(applications__result_entry__isnull=False), distinct=True
            ),
        )
        .filter(Q(confirmed__gt=0) | Q(result_publicities__isnull=False))
        .distinct()
        .order_by("-year", "number")
    )


def plan_for_results(user: Any, pk: int) -> Plan:
    plan = Plan.objects.select_related("committee__region", "specialty").filter(pk=pk).first()
    if plan is None or not can(user, "results.view", plan):
        raise Http404
    return plan


def publicity_for_office(user: Any, pk: int) -> ResultPublicity:
    publicity = ResultPublicity.objects.select_related("plan__committee__region").filter(pk=pk).first()
    if publicity is None or not can(user, "results.view", publicity.plan):
        raise Http404
    return publicity


def objection_for_office(user: Any, pk: int) -> Objection:
    objection = Objection.objects.select_related("publicity__plan__committee").filter(pk=pk).first()
    if objection is None or not can(user, "results.view", objection.publicity.plan):
        raise Http404
    return objection


def certificate_for(user: Any, pk: int) -> Certificate:
    certificate = Certificate.objects.select_related("application__plan__committee__region").filter(pk=pk).first()
    if certificate is None or not can(user, "certificates.view", certificate):
        raise Http404
    return certificate


# --- The public portal -----------------------------------------------------------------------------


def public_publicities() -> QuerySet[ResultPublicity]:
    return ResultPublicity.objects.select_related("plan").annotate(
        entry_count=Count("entries", distinct=True),
        passed_count=Count("entries", filter=Q(entries__passed=True), distinct=True),
    )


def current_publicities(today: date) -> QuerySet[ResultPublicity]:
    """On display now: opened, not yet published, and the period not over."""
    return public_publicities().filter(starts_on__lte=today, ends_on__gte=today, published_at__isnull=True)


def public_publicity(pk: int) -> ResultPublicity:
    publicity = public_publicities().filter(pk=pk).first()
    if publicity is None:
        raise Http404
    return publicity


# --- Verification ------------------------------------------------------------------------------------


def _name(value: str) -> bytes:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).encode()


def verify_by_number(number: str, name: str) -> Certificate | None:
    """The certificate with this number whose holder has this name, else None — whichever of
    the two is wrong (a tampered number fails its check character before any query)."""
    number = numbers.normalise(number)
    if not numbers.is_well_formed(number) or not _name(name):
        return None
    certificate = Certificate.objects.filter(number=number).first()
    if certificate is None or not hmac.compare_digest(_name(certificate.holder_name), _name(name)):
        return None
    return certificate


def verify_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return Certificate.objects.filter(token=token).first()
