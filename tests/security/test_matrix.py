"""The authorisation matrix: every URL pattern × every persona, against an expected table.

The URL list comes from the URL configuration itself (``get_resolver()`` walked
recursively) and the API schema, so a new URL without an entry in ``KWARGS``/``EXPECTED``
fails ``test_every_url_is_in_the_matrix`` with its name. Outcomes:

- a status code (``200``, ``403``, ``404``, ``405`` …);
- ``"login"``: a redirect to the login page (the platform's, or the admin's for ``admin:``);
- ``"302"``: any other redirect (e.g. the application's next step).

POST-only endpoints are posted to (empty form) by every persona; for the personas that
must not act the audit log must not grow (every state change writes an audit entry) and
the answer must be one of 302-to-login / 403 / 404 / 405.

Each request runs in a savepoint that is rolled back, so one persona's action never
changes what the next one sees. Django admin URLs (generated per model) are checked by one
rule: everybody but the platform administrator is sent to the admin login, and the
administrator never gets a server error.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import MISSING, PERSONAS, World, random_token
from zhicheng.core.models import AuditEntry

# MATRIX_OBSERVE=<file>: record what each persona gets (to review a new table) instead of asserting.
OBSERVE = os.environ.get("MATRIX_OBSERVE", "")


def walk_urls(resolver: URLResolver | None = None, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every pattern, names qualified by namespace; unnamed ones get ``route``."""
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found.extend(walk_urls(pattern, inner, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if pattern.name:
                found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, route))
            else:
                found.append((f"<unnamed {route}>", route))
    return found


ALL_URLS = walk_urls()
ADMIN_URLS = [(n, r) for n, r in ALL_URLS if r.startswith("admin/")]
APP_URLS = [(n, r) for n, r in ALL_URLS if not r.startswith("admin/")]


# --- how to fill each URL's arguments from the world --------------------------------------
def _app(w: World) -> dict:
    return {"pk": w.objects["application"].pk}


KWARGS: dict[str, Any] = {
    "orgs:employer_review": lambda w: {"pk": w.objects["employer"].pk},
    "orgs:employer_decide": lambda w: {"pk": w.objects["employer"].pk},
    "orgs:authorisation_letter": lambda w: {"pk": w.objects["employer"].pk},
    "eligibility:policy_detail": lambda w: {"policy_id": "wz-jidian-2020"},
    "archive:record_list": lambda w: {"type_code": w.objects["type_code"]},
    "archive:record_add": lambda w: {"type_code": w.objects["type_code"]},
    "archive:record_detail": lambda w: {"pk": w.objects["record"].pk},
    "archive:record_edit": lambda w: {"pk": w.objects["record"].pk},
    "archive:record_delete": lambda w: {"pk": w.objects["record"].pk},
    "archive:evidence_add": lambda w: {"pk": w.objects["record"].pk},
    "archive:record_review": lambda w: {"pk": w.objects["record"].pk},
    "archive:evidence_file": lambda w: {"public_id": w.objects["evidence"].public_id},
    "archive:evidence_remove": lambda w: {"public_id": w.objects["evidence"].public_id},
    "plans:detail": lambda w: {"pk": w.objects["plan"].pk},
    "plans:edit": lambda w: {"pk": w.objects["plan"].pk},
    "applications:start": lambda w: {"plan_pk": w.objects["plan"].pk},
    "applications:detail": _app,
    "applications:step": lambda w: {**_app(w), "slug": "info"},
    "applications:submit": _app,
    "applications:refresh": _app,
    "applications:withdraw": _app,
    "applications:review_detail": _app,
    "applications:review_act": _app,
    "applications:review_extend": _app,
    "applications:review_evidence": lambda w: {**_app(w), "public_id": w.objects["evidence"].public_id},
    "applications:photo": _app,
    "applications:attachment": lambda w: {**_app(w), "attachment_pk": w.objects["attachment_pk"]},
    "applications:attachment_delete": lambda w: {**_app(w), "attachment_pk": w.objects["attachment_pk"]},
    "applications:recommendation_delete": lambda w: {**_app(w), "recommendation_pk": MISSING},
    "evaluation:expert": lambda w: {"pk": w.objects["expert"].pk},
    "evaluation:relation_add": lambda w: {"pk": w.objects["expert"].pk},
    "evaluation:plan": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:panel": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:panel_draw": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:panel_refresh": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:member_replace": lambda w: {"plan_id": w.objects["plan"].pk, "pk": MISSING},
    "evaluation:exams": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:exams_scale": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:exams_template": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:exams_import": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:sheet": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:vote": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:vote_open": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:vote_close": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:vote_confirm": lambda w: {"plan_id": w.objects["plan"].pk},
    "evaluation:assignment": lambda w: {"pk": MISSING},
    "evaluation:ballot": lambda w: {"plan_id": w.objects["plan"].pk},
    "documents:application": _app,
    "documents:pdf": lambda w: {**_app(w), "slug": "review-form"},
    "documents:plan_export": lambda w: {"pk": w.objects["plan"].pk},
    "documents:job": lambda w: {"public_id": w.objects["job"].public_id},
    "documents:job_status": lambda w: {"public_id": w.objects["job"].public_id},
    "documents:job_download": lambda w: {"public_id": w.objects["job"].public_id},
    "notifications:mark_read": lambda w: {"pk": w.objects["message_pk"]},
    "certificates:plan": lambda w: {"pk": w.objects["plan"].pk},
    "certificates:publicity_open": lambda w: {"pk": w.objects["plan"].pk},
    "certificates:publicity": lambda w: {"pk": MISSING},
    "certificates:publish": lambda w: {"pk": MISSING},
    "certificates:objection_handle": lambda w: {"pk": MISSING},
    "certificates:detail": lambda w: {"pk": MISSING},
    "certificates:pdf": lambda w: {"pk": MISSING},
    "verify:token": lambda w: {"token": random_token()},
    "integrity:detail": lambda w: {"pk": w.objects["integrity"].pk},
    "integrity:edit": lambda w: {"pk": w.objects["integrity"].pk},
    "integrity:annul": lambda w: {"pk": w.objects["integrity"].pk},
    "portal:notice": lambda w: {"pk": w.objects["notice"].pk},
    "portal:publicity": lambda w: {"pk": MISSING},
}

# --- expected outcomes ------------------------------------------------------------------
# Persona order: anonymous, applicant A, applicant B, employer of A, another employer,
# county office in the chain, county office outside it, committee office, expert,
# city office, administrator.
EXPECTED: dict[str, tuple[str, tuple]] = {
    "healthz": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "set_language": ("GET", ("302", "302", "302", "302", "302", "302", "302", "302", "302", "302", "302")),
    "eligibility:selfcheck": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "eligibility:policy_list": ("GET", ("login", 403, 403, 403, 403, 200, 200, 200, 200, 200, 200)),
    "eligibility:policy_detail": ("GET", ("login", 403, 403, 403, 403, 200, 200, 200, 200, 200, 200)),
    "accounts:register": ("GET", (200, "302", "302", "302", "302", "302", "302", "302", "302", "302", "302")),
    "accounts:login": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:logout": ("POST", ("302", "302", "302", "302", "302", "302", "302", "302", "302", "302", "302")),
    "accounts:password_reset": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:password_reset_confirm": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:profile": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:reauth": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "orgs:employer_register": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "orgs:my_employer": ("GET", ("login", "302", "302", 200, 200, "302", "302", "302", "302", "302", "302")),
    "orgs:employer_search": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "orgs:employer_queue": ("GET", ("login", 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    "orgs:employer_review": ("GET", ("login", 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    "orgs:employer_decide": ("POST", ("login", 403, 403, 403, 403, 403, 403, 403, 403, 403, 400)),
    "orgs:authorisation_letter": ("GET", ("login", 403, 403, 200, 403, 403, 403, 403, 403, 403, 200)),
    "reference:calendar": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "reference:regions": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "archive:overview": ("GET", ("login", 200, 200, 403, 403, 403, 403, 403, 403, 403, 200)),
    "archive:registry_import": ("POST", ("login", "302", "302", 403, 403, 403, 403, 403, 403, 403, "302")),
    "archive:ce_years": ("GET", ("login", 200, 200, 403, 403, 403, 403, 403, 403, 403, 200)),
    "archive:growth": ("GET", ("login", 200, 200, 403, 403, 403, 403, 403, 403, 403, 200)),
    "archive:record_list": ("GET", ("login", 200, 200, 403, 403, 403, 403, 403, 403, 403, 200)),
    "archive:record_add": ("GET", ("login", 200, 200, 403, 403, 403, 403, 403, 403, 403, 200)),
    "archive:record_detail": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "archive:record_edit": ("GET", ("login", 200, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "archive:record_delete": ("GET", ("login", 200, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "archive:evidence_add": ("POST", ("login", 400, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "archive:record_review": ("POST", ("login", 404, 404, 400, 404, 404, 404, 404, 404, 404, 404)),
    "archive:evidence_file": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "archive:evidence_remove": ("POST", ("login", "302", 404, 403, 404, 404, 404, 404, 404, 404, 403)),
    "archive:review_queue": ("GET", ("login", 403, 403, 200, 200, 403, 403, 403, 403, 403, 200)),
    "archive:bulk_review": ("POST", ("login", 403, 403, 400, 400, 403, 403, 403, 403, 403, 400)),
    "plans:search": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "plans:detail": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "plans:manage_list": ("GET", ("login", 403, 403, 403, 403, 403, 403, 200, 403, 403, 200)),
    "plans:create": ("GET", ("login", 403, 403, 403, 403, 403, 403, 200, 403, 403, 200)),
    "plans:edit": ("GET", ("login", 403, 403, 403, 403, 403, 403, 200, 403, 403, 200)),
    "applications:list": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "applications:start": ("POST", ("login", "302", "302", "302", "302", "302", "302", "302", "302", "302", "302")),
    "applications:detail": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "applications:step": ("GET", ("login", "302", 404, "302", 404, 404, 404, 404, 404, 404, "302")),
    "applications:submit": ("POST", ("login", "302", 404, 403, 404, 404, 404, 404, 404, 404, 403)),
    "applications:refresh": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "applications:withdraw": ("POST", ("login", "302", 404, "302", 404, 404, 404, 404, 404, 404, "302")),
    "applications:review_queue": ("GET", ("login", 404, 404, 200, 200, 200, 200, 200, 404, 200, 404)),
    "applications:review_bulk": ("POST", ("login", 404, 404, "302", "302", "302", "302", "302", 404, "302", 404)),
    "applications:review_detail": ("GET", ("login", "302", 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "applications:review_act": ("POST", ("login", 400, 404, 400, 404, 404, 404, 404, 404, 404, 400)),
    "applications:review_extend": ("POST", ("login", 400, 404, 400, 404, 404, 404, 404, 404, 404, 400)),
    "applications:review_evidence": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "applications:photo": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "applications:attachment": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "applications:attachment_delete": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "applications:recommendation_delete": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "evaluation:index": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:pool": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:expert_create": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:expert": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:relation_add": ("POST", ("login", 404, 404, 404, 404, 404, 404, 400, 404, 404, 400)),
    "evaluation:plan": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:panel": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:panel_draw": ("POST", ("login", 404, 404, 404, 404, 404, 404, 400, 404, 404, 400)),
    "evaluation:panel_refresh": ("POST", ("login", 404, 404, 404, 404, 404, 404, "302", 404, 404, "302")),
    "evaluation:member_replace": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "evaluation:exams": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:exams_scale": ("POST", ("login", 404, 404, 404, 404, 404, 404, 400, 404, 404, 400)),
    "evaluation:exams_template": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:exams_import": ("POST", ("login", 404, 404, 404, 404, 404, 404, 400, 404, 404, 400)),
    "evaluation:sheet": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:vote": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 404, 200)),
    "evaluation:vote_open": ("POST", ("login", 404, 404, 404, 404, 404, 404, "302", 404, 404, "302")),
    "evaluation:vote_close": ("POST", ("login", 404, 404, 404, 404, 404, 404, "302", 404, 404, "302")),
    "evaluation:vote_confirm": ("POST", ("login", 404, 404, 404, 404, 404, 404, 400, 404, 404, 400)),
    "evaluation:my_assignments": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 200)),
    "evaluation:assignment": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "evaluation:ballot": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "documents:application": ("GET", ("login", 200, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "documents:pdf": ("GET", ("login", 403, 404, 200, 404, 404, 404, 404, 404, 404, 200)),
    "documents:plan_export": ("GET", ("login", 404, 404, 404, 404, 200, 200, 200, 404, 200, 200)),
    "documents:job": ("GET", ("login", 404, 404, 404, 404, 200, 404, 404, 404, 404, 200)),
    "documents:job_status": ("GET", ("login", 404, 404, 404, 404, 200, 404, 404, 404, 404, 200)),
    "documents:job_download": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "notifications:inbox": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "notifications:mark_read": ("POST", ("login", "302", 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "notifications:mark_all_read": (
        "POST",
        ("login", "302", "302", "302", "302", "302", "302", "302", "302", "302", "302"),
    ),
    "notifications:delivery_log": ("GET", ("login", 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)),
    "certificates:manage": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 200, 200)),
    "certificates:plan": ("GET", ("login", 404, 404, 404, 404, 404, 404, 200, 404, 200, 200)),
    "certificates:publicity_open": ("POST", ("login", 404, 404, 404, 404, 404, 404, "302", 404, "302", "302")),
    "certificates:publicity": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:publish": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:objection_handle": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:detail": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "certificates:pdf": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "verify:lookup": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "verify:token": ("GET", (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "integrity:list": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 200, 200)),
    "integrity:new": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 200, 200)),
    "integrity:detail": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 200, 200)),
    "integrity:edit": ("GET", ("login", 404, 404, 404, 404, 404, 404, 404, 404, 200, 200)),
    "integrity:annul": ("POST", ("login", 404, 404, 404, 404, 404, 404, 404, 404, "302", "302")),
    "portal:home": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:notices": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:notice": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:publicities": ("GET", (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "portal:publicity": ("GET", (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    "portal:dashboard": ("GET", ("login", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
}

# Names of API operations in the URL conf that the API tests (schema fuzzing) cover instead.
API_URLS = {"api:openapi-json", "api:openapi-view", "api:evaluate", "api:api-root"}


def outcome(response, name: str) -> str | int:
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        login = reverse("admin:login") if name.startswith("admin:") else reverse("accounts:login")
        if location.startswith(login) or location.startswith(reverse("accounts:login")):
            return "login"
        return "302"
    return response.status_code


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    return client


def fingerprint(world: World) -> tuple:
    """What a refused request must leave as it was: the audit log (every state change writes
    an entry), 张伟's application, his archive and evidence, the plan, the export job."""
    from zhicheng.applications.models import Application
    from zhicheng.archive.models import Evidence, Record
    from zhicheng.documents.models import ExportJob
    from zhicheng.integrity.models import IntegrityRecord
    from zhicheng.plans.models import Plan

    a = world.users["applicant_a"]
    return (
        AuditEntry.objects.count(),
        tuple(Application.objects.filter(applicant=a).values_list("pk", "status", "stage_order", "current_office_id")),
        tuple(Record.objects.filter(owner=a).values_list("pk", "status")),
        Evidence.objects.filter(record__owner=a).count(),
        tuple(Plan.objects.filter(pk=world.objects["plan"].pk).values_list("is_published", "name", "updated_at")),
        tuple(ExportJob.objects.values_list("pk", "status")),
        tuple(IntegrityRecord.objects.values_list("pk", "revoked_at")),
    )


def request_isolated(world: World, client: Client, method: str, url: str):
    """The response and whether it changed anything; rolled back either way."""
    cache.clear()
    with transaction.atomic():
        before = fingerprint(world) if method == "POST" else None
        response = getattr(client, method.lower())(url)
        changed = method == "POST" and fingerprint(world) != before
        transaction.set_rollback(True)
    return response, changed


def url_of(world: World, name: str) -> str:
    factory = KWARGS.get(name)
    return reverse(name, kwargs=factory(world) if factory else None)


def test_every_url_is_in_the_matrix():
    """A new URL must be given arguments (if it takes any) and expected outcomes."""
    if OBSERVE:
        pytest.skip("observing")
    missing = []
    for name, route in APP_URLS:
        if name in API_URLS:
            continue
        if name not in EXPECTED:
            missing.append(f"{name} ({route}): no expected outcomes in EXPECTED")
        if "<" in route and name not in KWARGS:
            missing.append(f"{name} ({route}): no argument resolver in KWARGS")
    for name, route in ADMIN_URLS:
        if not (name.startswith("admin:") or route.startswith("admin/")):
            missing.append(f"{name} ({route}): admin URL outside the admin site")
    assert not missing, "URLs missing from the authorisation matrix:\n" + "\n".join(missing)
    stale = set(EXPECTED) - {n for n, _ in APP_URLS}
    assert not stale, f"EXPECTED names URLs that no longer exist: {sorted(stale)}"


MATRIX_NAMES = [n for n, _ in APP_URLS if n not in API_URLS]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MATRIX_NAMES)
def test_matrix(world, name):
    method, expected = EXPECTED.get(name, ("GET", None))
    if expected is None and not OBSERVE:
        pytest.fail(f"{name} is not in the authorisation matrix (EXPECTED)")
    url = url_of(world, name)
    observed = []
    problems = []
    for index, persona in enumerate(PERSONAS):
        response, changed = request_isolated(world, client_for(world, persona), method, url)
        got = outcome(response, name)
        observed.append(got)
        if response.status_code >= 500:
            problems.append(f"{persona}: server error {response.status_code}")
        if OBSERVE:
            continue
        if got != expected[index]:
            problems.append(f"{persona}: expected {expected[index]!r}, got {got!r}")
        if method == "POST" and got in ("login", 403, 404, 405) and changed:
            problems.append(f"{persona}: refused ({got}) but something changed")
    if OBSERVE:
        with open(OBSERVE, "a") as out:
            out.write(f"{name!r}: ({method!r}, {tuple(observed)!r}),\n")
    assert not problems, f"{name} {method} {url}:\n" + "\n".join(problems)


ADMIN_PERSONAS = [p for p in PERSONAS if p != "admin"]


def admin_url(world: World, name: str, route: str) -> str | None:
    """An admin URL with its object id: the first object of the page's model."""
    from django.contrib import admin

    if "<path:object_id>" not in route:
        return None if "<" in route or "(?P" in route else "/" + route
    if "<path:content_type_id>" in route:
        return None
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(prefix):
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                return None
            return "/" + route.replace("<path:object_id>", str(obj.pk))
    return None


@pytest.mark.django_db
def test_admin_site_is_for_the_administrator_only(world):
    """Every page of the Django admin: all personas but the administrator are sent to the
    admin's login; the administrator is never answered with a server error."""
    checked = 0
    problems = []
    clients = {p: client_for(world, p) for p in PERSONAS}
    for name, route in ADMIN_URLS:
        if name in ("admin:login", "admin:logout"):  # the way in and out, open to all
            continue
        url = admin_url(world, name, route)
        if url is None:
            continue
        checked += 1
        for persona in ADMIN_PERSONAS:
            response, _ = request_isolated(world, clients[persona], "GET", url)
            if response.status_code != 302 or not response["Location"].startswith(reverse("admin:login")):
                problems.append(f"{name} {url} {persona}: {response.status_code}")
        response, _ = request_isolated(world, clients["admin"], "GET", url)
        if response.status_code >= 500 or response.status_code == 404:
            problems.append(f"{name} {url} admin: {response.status_code}")
    assert checked > 100
    assert not problems, "\n".join(problems)
