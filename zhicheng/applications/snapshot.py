"""The application as submitted, frozen into JSON (``Application.snapshot``).

Reviewers read this, never the live archive: a record edited, withdrawn or re-reviewed after
submission does not change what was submitted. Files are referenced by their stored
identifiers and SHA-256 digests (evidence files are never deleted once a record was approved;
they are only marked removed), so the snapshot also proves which file was submitted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhicheng.applications.models import Application
from zhicheng.archive import registry
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.crypto import seal, unseal

SNAPSHOT_VERSION = 1


def _person(application: Application) -> dict[str, Any]:
    from zhicheng.accounts.models import ApplicantProfile

    user = application.applicant
    profile = ApplicantProfile.objects.select_related("employer", "series").filter(user=user).first()
    return {
        "name": user.real_name,
        # Sealed like every ID number at rest; read it with ``person_id_number``.
        "id_number_sealed": seal(user.id_number) if user.id_number else "",
        "mobile": user.mobile,
        "gender": profile.get_gender_display() if profile else "",
        "birth_date": profile.birth_date.isoformat() if profile and profile.birth_date else None,
        "work_start": profile.work_start.isoformat() if profile and profile.work_start else None,
        "employer": profile.employer.name if profile and profile.employer else "",
        "employer_id": profile.employer_id if profile else None,
        "department": profile.department if profile else "",
        "position": profile.position if profile else "",
        "series": str(profile.series) if profile and profile.series else "",
    }


def person_id_number(person: dict[str, Any]) -> str:
    """The ID number in a snapshot's ``person`` part, opened."""
    sealed = person.get("id_number_sealed")
    return unseal(sealed) if sealed else ""


@transaction.atomic
def reseal_snapshots() -> int:
    """Seal each snapshot's ID number again with the current key; how many were rewritten."""
    rewritten = 0
    sealed = (
        Application.objects.select_for_update()
        .filter(snapshot__person__has_key="id_number_sealed")
        .only("pk", "snapshot")
    )
    for application in sealed.order_by("pk").iterator(chunk_size=200):
        person = application.snapshot["person"]
        if person["id_number_sealed"]:
            person["id_number_sealed"] = seal(unseal(person["id_number_sealed"]))
            Application.objects.filter(pk=application.pk).update(snapshot=application.snapshot)
            rewritten += 1
    return rewritten


def _records(chosen: list[Record]) -> list[dict[str, Any]]:
    """``chosen``: the records as their own types, in registry order (``records_as_types``)."""
    evidence: dict[int, list[dict[str, Any]]] = {}
    active = Evidence.objects.filter(record_id__in=[r.pk for r in chosen], removed_at__isnull=True)
    for e in active.order_by("uploaded_at", "pk"):
        evidence.setdefault(e.record_id, []).append(
            {"id": str(e.public_id), "name": e.original_name, "kind": e.kind, "size": e.size, "sha256": e.sha256}
        )
    out = []
    for record in chosen:
        record_type = registry.type_of_model(type(record))
        out.append(
            {
                "id": record.pk,
                "type": record_type.code,
                "type_label": record_type.label,
                "summary": record.summary,
                "fields": [list(row) for row in registry.field_rows(record, record_type.field_names)],
                "reviewed_at": record.reviewed_at.isoformat() if record.reviewed_at else None,
                "evidence": evidence.get(record.pk, []),
            }
        )
    return out


def _file(field: Any, name: str, digest: str = "") -> dict[str, Any]:
    return {"stored": field.name, "name": name, "sha256": digest}


def build_snapshot(application: Application, verdict: Any, chosen: list[Record]) -> dict[str, Any]:
    """``chosen``: the application's records as read for the verdict (``chosen_records``)."""
    plan = application.plan
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": timezone.now().isoformat(),
        "plan": {"id": plan.pk, "number": plan.number, "name": plan.name, "year": plan.year, "policy": plan.policy_id},
        "person": _person(application),
        "photo": {
            **_file(application.photo, "photo.jpg"),
            "width": application.photo_width,
            "height": application.photo_height,
        },
        "pledge": {"version": application.pledge_version, "signed_at": application.pledge_signed_at.isoformat()},
        "info": {
            "level": application.level.code,
            "level_label": application.level.name,
            "application_type": application.application_type,
            "subspecialty": str(application.subspecialty or ""),
            "qualification_type": application.get_qualification_type_display(),
            "has_appointment": application.has_appointment,
            "acceptance_point": str(application.acceptance_point or ""),
            "claims": list(application.claims),
        },
        "records": _records(chosen),
        "attachments": [
            {
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                **_file(a.file, a.original_name, a.sha256),
                "size": a.size,
            }
            for a in application.attachments.all()
        ],
        "recommendations": [
            {
                "expert_name": r.expert_name,
                "title_level": r.get_title_level_display(),
                "specialty": r.specialty,
                "employer": r.employer_name,
                "province": r.province,
                "relevant": r.is_relevant,
                "letter": _file(r.letter, r.letter_name),
            }
            for r in application.recommendations.all()
        ],
        "self_score_remarks": dict(application.self_score_remarks),
        "profile": verdict.build.profile,
        "result": verdict.result,
        "needs_claim_review": verdict.needs_claim_review,
    }
