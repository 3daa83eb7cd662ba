"""Personal data: ID numbers and mobile numbers never appear in full on a page, in the audit
log or in a masked export unless the viewer is the person; full numbers leave only through
the logged, re-authenticated roster export and the stamped forms."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from tests.security.test_matrix import EXPECTED, PERSONAS, client_for, url_of
from zhicheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _secrets(world) -> dict[str, tuple[str, str]]:
    """label → (owner persona, value)."""
    found = {}
    for persona in ("applicant_a", "applicant_b"):
        user = world.user(persona)
        found[f"{persona}.id_number"] = (persona, user.id_number)
        found[f"{persona}.mobile"] = (persona, user.mobile)
    return found


def test_no_page_shows_another_persons_full_id_or_mobile(world):
    """Every HTML page each persona may open (200 in the matrix), searched for the applicants'
    full ID and mobile numbers: only their owner sees them."""
    secrets = _secrets(world)
    leaks, pages = [], 0
    for name, (method, expected) in EXPECTED.items():
        if method != "GET":
            continue
        for persona, outcome in zip(PERSONAS, expected, strict=True):
            if outcome != 200:
                continue
            cache.clear()
            response = client_for(world, persona).get(url_of(world, name))
            if not response.get("Content-Type", "").startswith("text/"):
                continue
            pages += 1
            body = response.content.decode(errors="replace")
            for label, (owner, value) in secrets.items():
                if value and value in body and persona != owner:
                    leaks.append(f"{name} as {persona}: {label}")
    assert pages >= 300
    assert not leaks, "\n".join(leaks)


def test_the_default_roster_export_masks_id_numbers(world):
    from tests.documents.test_exports import export, rows_of
    from zhicheng.lib.idnumbers import mask_id_number

    a = world.user("applicant_a")
    job = export(world.user("admin"), world.objects["plan"])  # staff: every application of the plan
    _header, rows = rows_of(job)
    cells = [str(cell) for row in rows for cell in row]
    assert mask_id_number(a.id_number) in cells
    assert a.id_number not in cells and a.mobile not in cells


def test_the_audit_log_holds_no_full_id_or_mobile_numbers(world):
    secrets = _secrets(world)
    leaks = []
    for entry in AuditEntry.objects.all():
        data = json.dumps(entry.data, ensure_ascii=False)
        leaks += [f"{entry.action}: {label}" for label, (_o, value) in secrets.items() if value and value in data]
    assert AuditEntry.objects.count() > 50
    assert not leaks, "\n".join(leaks)


def test_full_numbers_leave_only_through_a_logged_export(world):
    """Exporting full ID numbers writes an audit entry naming who and that full numbers left."""
    from tests.documents.test_exports import export
    from zhicheng.documents.models import ExportJob

    reviewer = world.user("county_in_chain")
    job = export(reviewer, world.objects["plan"], full_ids=True)
    assert job.status == ExportJob.Status.DONE, job.error
    logged = AuditEntry.objects.filter(actor=reviewer, data__full_ids=True)
    assert logged.exists()
