"""Who may publicise results, see a plan's results and have a certificate.

- ``results.publicise`` (a Plan, or None for "somewhere"): the committee office (评委会办公室)
  of the plan's committee and platform staff — exactly ``evaluation.manage`` (the evaluation
  app's rule, asked when it is registered; otherwise the same test made here: an active
  membership whose role carries that code on the plan's committee). They open the result
  publicity and handle objections.
- ``results.view`` (a Plan, or None): those who publicise the plan's results, and the city
  title office that publishes them (``results.publish``, registered by applications).
- ``certificates.view`` (a Certificate): its holder, the city title office of the plan's
  city (``results.publish`` on the plan) and staff. Everybody else gets 404.

Publishing (``results.publish``) and revoking (``integrity.manage``) are the applications
app's rules; the workflow checks them again on every move.
"""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import can, registered_codes, rule
from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership

PUBLICISING_ROLES = [role for role, codes in ROLE_PERMISSIONS.items() if "evaluation.manage" in codes]


def publicising_committee_ids(user: Any) -> set[int]:
    """Committees whose results ``user`` publicises through an active membership (not staff)."""
    cached = getattr(user, "_zc_result_committees", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(
                user=user, role__in=PUBLICISING_ROLES, is_active=True, committee__isnull=False
            ).values_list("committee_id", flat=True)
        )
        user._zc_result_committees = cached
    return cached


@rule("results.publicise")
def publicise_results(user: Any, plan: Any) -> bool:
    if user.is_staff:
        return True
    if "evaluation.manage" in registered_codes():
        return can(user, "evaluation.manage", plan)
    committees = publicising_committee_ids(user)
    return bool(committees) if plan is None else plan.committee_id in committees


@rule("results.view")
def view_results(user: Any, plan: Any) -> bool:
    return publicise_results(user, plan) or can(user, "results.publish", plan)


@rule("certificates.view")
def view_certificate(user: Any, certificate: Any) -> bool:
    if certificate is None:
        return False
    if certificate.holder_id == user.pk or user.is_staff:
        return True
    return can(user, "results.publish", certificate.application.plan)
