"""Data for the deadline-surge benchmark and the failure tests (PostgreSQL).

- ``ensure_base``: reference data and the demo (idempotent commands).
- ``surge_plan``: a copy of the demo's open Wenzhou plan whose window closes tomorrow.
- ``template_draft``: 张伟's complete draft in that plan, made through the services (photo,
  pledge, information, archive records). It is never submitted: it is the model of every
  simulated applicant.
- ``clone_applicants(n)``: ``n`` new applicants, each a copy of 张伟 — account, profile, the
  whole approved archive (records of every type, evidence rows) — with a copy of the draft
  pointing at their own records: ready to submit, as after the six steps. Copies are made
  with bulk inserts (≈ 2,000 applicants a minute), not through the services.
- ``existing_applications(n)``: ``n`` applications already in the system (one applicant
  each), spread over statuses, plans, stages and offices as in a review season, each with
  the snapshot of a real submission and its history rows.
- ``login_sessions(users)``: a logged-in session per user, written to the session store
  (no password hashing in the benchmark).

Every function is idempotent or adds only what is asked.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

TEMPLATE_MOBILE = "13900000002"  # 张伟, eligible for the demo's open Wenzhou plan
ADMIN_MOBILE = "13900000000"
STAFF = {
    # who pages through a queue: employer admin, county reviewer, committee office, city office
    "employer": "13900000001",
    "county": "13900000003",
    "committee": "13900000004",
    "city": "13900000006",
}
SURGE_NUMBER = "SURGE-2024-WZJX"
CLONE_PREFIX = "16"  # mobile numbers of cloned applicants: 16xxxxxxxxx
EXISTING_PREFIX = "17"  # applicants of the existing applications: 17xxxxxxxxx
BATCH = 2000
UNUSABLE = "!surge"  # an unusable password hash: these people never log in


def _quiet() -> io.StringIO:
    return io.StringIO()


def ensure_base() -> None:
    from zhicheng.reference.models import Region

    if not Region.objects.exists():
        call_command("load_reference", stdout=_quiet())
    from zhicheng.accounts.models import User

    if not User.objects.filter(mobile=TEMPLATE_MOBILE).exists():
        call_command("load_demo", stdout=_quiet())


def surge_plan() -> Any:
    """The benchmark's open plan (a copy of the demo's open plan, closing tomorrow)."""
    from zhicheng.accounts.models import User
    from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
    from zhicheng.plans import services as plan_services
    from zhicheng.plans.models import Plan, end_of_day, start_of_day

    today = timezone.localdate()
    existing = Plan.objects.filter(number=SURGE_NUMBER).first()
    if existing is not None:
        # keep the window open whenever the benchmark runs
        Plan.objects.filter(pk=existing.pk).update(
            individual_start=start_of_day(today - timedelta(days=30)),
            individual_end=end_of_day(today + timedelta(days=1)),
            employer_deadline=today + timedelta(days=20),
        )
        return Plan.objects.get(pk=existing.pk)
    source = Plan.objects.get(number=DEMO_OPEN_NUMBER)
    data = {
        **{f: getattr(source, f) for f in plan_services.SCALAR_FIELDS},
        "number": SURGE_NUMBER,
        "name": f"【压测】{source.name}",
        "individual_start": start_of_day(today - timedelta(days=30)),
        "individual_end": end_of_day(today + timedelta(days=1)),
        "employer_deadline": today + timedelta(days=20),
        **{f: list(getattr(source, f).all()) for f in plan_services.M2M_FIELDS},
    }
    stages = [
        {"order": s.order, "office_kind": s.office_kind, "organisation": s.organisation, "label": s.label}
        for s in source.stages.order_by("order")
    ]
    admin = User.objects.get(mobile=ADMIN_MOBILE)
    return plan_services.plan_create(actor=admin, data=data, stages=stages)


def _jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 210, 230)).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    data += b"\0" * (40 * 1024 - len(data))
    return SimpleUploadedFile("照片.jpg", data, content_type="image/jpeg")


def template_draft(plan: Any) -> Any:
    """张伟's complete draft in ``plan`` (made once, through the services)."""
    from zhicheng.accounts.models import User
    from zhicheng.applications import selectors, services
    from zhicheng.applications.models import Application
    from zhicheng.applications.photo import validate_photo
    from zhicheng.archive.models import Appointment, TitleHeld
    from zhicheng.reference.models import TitleLevel

    user = User.objects.get(mobile=TEMPLATE_MOBILE)
    draft = Application.objects.filter(applicant=user, plan=plan, status=Application.Status.DRAFT).first()
    if draft is not None and draft.records_refreshed_at is not None:
        return draft
    if draft is None:
        draft = services.application_start(actor=user, plan=plan, level=TitleLevel.objects.get(code="engineer"))
    upload = _jpeg()
    services.application_save_photo(actor=user, application=draft, upload=upload, size=validate_photo(upload))
    services.application_sign_pledge(actor=user, application=draft, ip="127.0.0.1")
    data = {
        "level": draft.level,
        "application_type": "normal",
        "subspecialty": plan.subspecialties.first(),
        "qualification_type": Application.QualificationType.TITLE,
        "has_appointment": True,
        "acceptance_point": draft.acceptance_point or plan.acceptance_points.first(),
        "claims": [],
    }
    records = [*TitleHeld.objects.filter(owner=user), *Appointment.objects.filter(owner=user)]
    services.application_save_info(actor=user, application=draft, data=data, info_records=records)
    everything = selectors.approved_records(user).values_list("pk", flat=True)
    services.application_select_records(actor=user, application=draft, record_ids=list(everything))
    return Application.objects.get(pk=draft.pk)


# --- Copies of the template applicant ------------------------------------------------------


def _fields(obj: Any, model: Any, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = set(skip)
    return {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in skipped
    }


def _next_mobiles(prefix: str, count: int) -> list[str]:
    from zhicheng.accounts.models import User

    last = (
        User.objects.filter(mobile__startswith=prefix, mobile__regex=r"^\d{11}$")
        .order_by("-mobile")
        .values_list("mobile", flat=True)
        .first()
    )
    start = int(last[len(prefix) :]) + 1 if last else 1
    return [f"{prefix}{n:0{11 - len(prefix)}d}" for n in range(start, start + count)]


def clone_applicants(count: int, *, plan: Any = None, batch: int = BATCH) -> list[tuple[int, int]]:
    """``count`` new applicants copied from 张伟, each with a ready draft in ``plan``.

    Returns ``(user_id, application_id)`` pairs.
    """
    plan = plan or surge_plan()
    template = template_draft(plan)
    out: list[tuple[int, int]] = []
    for start in range(0, count, batch):
        with transaction.atomic():
            out += _clone_batch(template, min(batch, count - start))
    return out


def _clone_batch(template: Any, count: int) -> list[tuple[int, int]]:
    from zhicheng.accounts.models import ApplicantProfile, User
    from zhicheng.applications.models import Application, SelectedRecord
    from zhicheng.archive.models import Evidence, Record
    from zhicheng.archive.registry import get_type

    source = template.applicant
    now = timezone.now()
    mobiles = _next_mobiles(CLONE_PREFIX, count)
    users = User.objects.bulk_create(
        User(
            **_fields(source, User, skip=["mobile", "id_number", "last_login", "date_joined"]),
            mobile=mobile,
            id_number=None,
            date_joined=now,
        )
        for mobile in mobiles
    )
    profile = ApplicantProfile.objects.get(user=source)
    ApplicantProfile.objects.bulk_create(
        ApplicantProfile(**_fields(profile, ApplicantProfile, skip=["user_id"]), user_id=u.pk) for u in users
    )

    # The archive: base rows in bulk, then each type's table with raw inserts (Django does not
    # bulk-create multi-table children).
    records = list(Record.objects.filter(owner=source).order_by("pk"))
    bases = Record.objects.bulk_create(
        Record(**_fields(r, Record, skip=["owner_id"]), owner_id=u.pk) for u in users for r in records
    )
    new_id = {(u.pk, r.pk): bases[i * len(records) + j].pk for i, u in enumerate(users) for j, r in enumerate(records)}
    by_type: dict[Any, list[Record]] = {}
    for r in records:
        by_type.setdefault(get_type(r.record_type).model, []).append(r)
    with connection.cursor() as cursor:
        for model, rows in by_type.items():
            children = {c.pk: c for c in model.objects.filter(pk__in=[r.pk for r in rows])}
            fields = list(model._meta.local_concrete_fields)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            values = []
            for u in users:
                for r in rows:
                    child = children[r.pk]
                    row = []
                    for f in fields:
                        value = new_id[(u.pk, r.pk)] if f.remote_field and f.remote_field.parent_link else None
                        if value is None:
                            value = f.get_db_prep_save(getattr(child, f.attname), connection)
                        row.append(value)
                    values.append(row)
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608

    evidence = list(Evidence.objects.filter(record__owner=source))
    Evidence.objects.bulk_create(
        Evidence(
            **_fields(e, Evidence, skip=["public_id", "record_id", "uploaded_by_id"]),
            public_id=uuid.uuid4(),
            record_id=new_id[(u.pk, e.record_id)],
            uploaded_by_id=u.pk,
        )
        for u in users
        for e in evidence
    )

    drafts = Application.objects.bulk_create(
        Application(
            **_fields(template, Application, skip=["public_id", "applicant_id", "number", "created_at"]),
            public_id=uuid.uuid4(),
            applicant_id=u.pk,
            created_at=now,
        )
        for u in users
    )
    selected = list(template.selected_records.all())
    SelectedRecord.objects.bulk_create(
        SelectedRecord(application_id=a.pk, record_id=new_id[(u.pk, s.record_id)], reviewed_at=s.reviewed_at)
        for u, a in zip(users, drafts, strict=True)
        for s in selected
    )
    return [(u.pk, a.pk) for u, a in zip(users, drafts, strict=True)]


# --- The applications already in the system ------------------------------------------------

# (status, share, stage) — a review season: most still in review along the chain, some done.
MIX = [
    ("submitted", 0.10, 1),
    ("in_review", 0.12, 2),
    ("in_review", 0.10, 3),
    ("in_review", 0.08, 4),
    ("qualified", 0.20, None),
    ("approved", 0.18, None),
    ("not_approved", 0.07, None),
    ("returned", 0.05, 1),
    ("rejected", 0.05, None),
    ("withdrawn", 0.05, None),
]
ACTIVE = {"submitted", "in_review", "qualified", "approved", "returned"}


def existing_count() -> int:
    from zhicheng.applications.models import Application

    return Application.objects.filter(applicant__mobile__startswith=EXISTING_PREFIX).count()


def sample_snapshot(plan: Any) -> dict[str, Any]:
    """The snapshot of one real submission (a copied applicant submits through the service)."""
    from zhicheng.applications import services
    from zhicheng.applications.models import Application

    done = Application.objects.filter(plan=plan, snapshot__isnull=False).order_by("pk").first()
    if done is not None:
        return done.snapshot
    (user_id, application_id), *_ = clone_applicants(1, plan=plan)
    application = Application.objects.select_related("applicant").get(pk=application_id)
    return services.application_submit(actor=application.applicant, application=application).snapshot


def existing_applications(total: int, *, seed: int = 8, batch: int = 5000) -> int:
    """Add applications (one applicant each) until ``total`` exist; returns how many were added."""
    from zhicheng.accounts.models import User
    from zhicheng.applications.models import Application, PlanOffice, StatusChange
    from zhicheng.orgs.models import Organisation
    from zhicheng.plans.models import Plan

    missing = total - existing_count()
    if missing <= 0:
        return 0
    rng = random.Random(seed + existing_count())
    plan = surge_plan()
    snapshot = sample_snapshot(plan)
    template = template_draft(plan)
    older = list(Plan.objects.exclude(pk=plan.pk).filter(number__in=["2024-WZJX", "2022-00533"]))
    stages = {s.order: s for s in plan.stages.all()}
    employers = list(
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, status=Organisation.Status.APPROVED).order_by("pk")
    )
    acting = User.objects.get(mobile=STAFF["city"])
    point_office = template.acceptance_point.office_id if template.acceptance_point else None
    offices = {1: None, 2: point_office, 3: stages[3].organisation_id, 4: stages[4].organisation_id}
    weights = [share for _s, share, _st in MIX]
    today = timezone.localdate()
    added = 0
    while added < missing:
        size = min(batch, missing - added)
        mobiles = _next_mobiles(EXISTING_PREFIX, size)
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(mobile=m, real_name=f"申报人{m[-5:]}", password=UNUSABLE) for m in mobiles
            )
            rows = []
            for user in users:
                status, _share, stage = rng.choices(MIX, weights)[0]
                in_chain = status in ("submitted", "in_review", "returned")
                target = plan if in_chain or rng.random() < 0.5 else rng.choice(older or [plan])
                employer = rng.choice(employers) if employers else None
                office = (employer.pk if employer else None) if stage == 1 else offices.get(stage)
                submitted = timezone.now() - timedelta(days=rng.randint(1, 60), seconds=rng.randint(0, 86400))
                rows.append(
                    Application(
                        **_fields(template, Application, skip=_SKIP),
                        public_id=uuid.uuid4(),
                        applicant_id=user.pk,
                        plan_id=target.pk,
                        status=status,
                        active_year=target.year if status in ACTIVE else None,
                        number=f"{target.number}-S{user.pk:08d}",
                        submitted_at=submitted,
                        first_submitted_at=submitted,
                        stage_order=stage if in_chain else None,
                        current_office_id=office if in_chain else None,
                        stage_entered_at=submitted if in_chain else None,
                        stage_deadline=today + timedelta(days=rng.randint(-5, 25)) if in_chain else None,
                        snapshot=snapshot,
                        engine_eligible=rng.random() > 0.04,
                        needs_claim_review=rng.random() < 0.08,
                        created_at=submitted,
                    )
                )
            applications = Application.objects.bulk_create(rows)
            history = []
            for a in applications:
                history.append(
                    StatusChange(
                        application_id=a.pk,
                        from_status="draft",
                        to_status="submitted",
                        action="submit",
                        actor_id=a.applicant_id,
                        at=a.submitted_at,
                    )
                )
                for order in range(1, (a.stage_order or 5 if a.status != "withdrawn" else 1)):
                    office = offices.get(order) or (employers[0].pk if employers else None)
                    history.append(
                        StatusChange(
                            application_id=a.pk,
                            from_status="in_review" if order > 1 else "submitted",
                            to_status="in_review",
                            action="approve",
                            actor_id=acting.pk,
                            office_id=office,
                            stage_order=order,
                            stage_label=stages[order].label if order in stages else "",
                            at=a.submitted_at + timedelta(days=order),
                        )
                    )
            StatusChange.objects.bulk_create(history, batch_size=5000)
            plan_of = {a.pk: a.plan_id for a in applications}
            reached = {(c.office_id, plan_of[c.application_id]) for c in history if c.office_id} | {
                (a.current_office_id, a.plan_id) for a in applications if a.current_office_id
            }
            PlanOffice.objects.bulk_create(  # what workflow._enter records on arrival
                [PlanOffice(office_id=o, plan_id=p) for o, p in reached], ignore_conflicts=True
            )
        added += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return added


_SKIP = [
    "public_id",
    "applicant_id",
    "plan_id",
    "status",
    "active_year",
    "number",
    "submitted_at",
    "first_submitted_at",
    "stage_order",
    "current_office_id",
    "stage_entered_at",
    "stage_deadline",
    "snapshot",
    "engine_eligible",
    "needs_claim_review",
    "created_at",
    "district_id",
    "publicity_ends_on",
]


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would soon after one
    in production: a surge meets a database whose statistics are current, and measuring the
    minutes before they are is measuring the benchmark's own bulk insert."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Sessions ------------------------------------------------------------------------------


def login_sessions(user_ids: Sequence[int]) -> dict[int, str]:
    """A logged-in session per user (as ``django.contrib.auth.login`` would write it)."""
    from zhicheng.accounts.models import User

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    keys: dict[int, str] = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.pk] = session.session_key
    return keys


def staff_sessions() -> dict[str, str]:
    from zhicheng.accounts.models import User

    users = {role: User.objects.get(mobile=mobile) for role, mobile in STAFF.items()}
    keys = login_sessions([u.pk for u in users.values()])
    return {role: keys[u.pk] for role, u in users.items()}


def end_sessions(keys: Sequence[str]) -> None:
    """Log the benchmark's sessions out again (they would otherwise live two weeks)."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for key in keys:
        store(session_key=key).delete()
