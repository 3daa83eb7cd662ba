"""Writes of applications: start a draft, save each step, draw and refresh archive records,
attachments and expert recommendations, and submit — each keyword-only, in a transaction,
permission-checked on the locked row and written to the audit log."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhicheng.applications import selectors, steps, workflow
from zhicheng.applications.models import (
    MAX_RECOMMENDATIONS_PER_EXPERT,
    Application,
    Attachment,
    ExpertRecommendation,
    SelectedRecord,
    StatusChange,
)
from zhicheng.applications.snapshot import build_snapshot
from zhicheng.archive import registry
from zhicheng.archive.models import Record
from zhicheng.core.audit import log_action
from zhicheng.core.crypto import blind_indexes
from zhicheng.core.permissions import require
from zhicheng.core.storage import FilesGuard, delete_files_on_commit, sha256_of
from zhicheng.core.uploads import JPEG, FileKind, stored_name
from zhicheng.plans.models import Plan
from zhicheng.reference.selectors import add_working_days


class ApplicationError(Exception):
    """A request the rules refuse, with a message for the applicant."""


class SubmissionRefused(ApplicationError):
    def __init__(self, problems: list[selectors.Problem]) -> None:
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


def _locked_draft(actor: Any, application: Application) -> Application:
    application = Application.objects.select_for_update().select_related("plan", "level").get(pk=application.pk)
    require(actor, "application.edit", application)
    return application


def _log(actor: Any, action: str, application: Application, **data: Any) -> None:
    log_action(actor=actor, action=f"application.{action}", obj=application, data={"plan": application.plan_id, **data})


# --- Start ---------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, actor: Any, plan: Plan, level: Any, now: datetime | None = None) -> Application:
    """The actor's draft for ``plan`` (resumed if one exists, with ``level`` kept), else a new one.

    Refused when the plan is not open, does not offer ``level``, the person's basic information
    is incomplete, or they already have an active application in the plan's year.
    """
    from zhicheng.accounts.models import ApplicantProfile

    now = now or timezone.now()
    existing = Application.objects.filter(applicant=actor, plan=plan, status=Application.Status.DRAFT).first()
    if existing is not None:
        return existing
    if not plan.is_open(now):
        raise ApplicationError(f"该计划当前不在个人申报时间内（{plan.status_text(now)}）。")
    if not plan.levels.filter(pk=level.pk).exists():
        raise ApplicationError(f"该计划不受理{level}的申报。")
    profile = ApplicantProfile.objects.filter(user=actor).select_related("employer").first()
    if profile is None or not profile.is_complete:
        raise ApplicationError("请先完善个人基本信息并选择工作单位，再申报。")
    other = selectors.active_application_in_year(actor, plan.year)
    if other is not None:
        raise ApplicationError(selectors.duplicate_message(other))
    types = plan.application_types
    application = Application.objects.create(
        applicant=actor,
        plan=plan,
        level=level,
        application_type=types[0] if len(types) == 1 else "",
        acceptance_point=_default_acceptance_point(actor, plan),
    )
    _log(actor, "started", application, level=level.code)
    return application


def _default_acceptance_point(user: Any, plan: Plan) -> Any:
    """The plan's acceptance point for where the person's social insurance is paid now (seed
    003 §五.4 (6)), else for the employer's county; None when no point covers either."""
    from zhicheng.accounts.models import ApplicantProfile
    from zhicheng.archive.models import SocialInsurance

    points = list(plan.acceptance_points.select_related("region"))
    insurance = (
        SocialInsurance.objects.filter(owner=user, is_current_employer=True, withdrawn_at__isnull=True)
        .order_by("-start_month")
        .values_list("region_code", flat=True)
        .first()
    )
    profile = ApplicantProfile.objects.filter(user=user).select_related("employer__region").first()
    employer_region = profile.employer.region.code if profile and profile.employer else None
    for code in (insurance, employer_region):
        match = next((p for p in points if code and p.region.code == code), None)
        if match is not None:
            return match
    return None


# --- Steps 1–3 -----------------------------------------------------------------------------


def application_save_photo(
    *, actor: Any, application: Application, upload: UploadedFile, size: tuple[int, int]
) -> None:
    """Store a photo already checked by ``photo.validate_photo`` (its width and height given)."""
    with FilesGuard() as stored, transaction.atomic():
        application = _locked_draft(actor, application)
        old = application.photo.name
        application.photo.save(stored_name(JPEG), upload, save=False)
        stored.append(application.photo.name)
        application.photo_width, application.photo_height = size
        application.save(update_fields=["photo", "photo_width", "photo_height", "updated_at"])
        if old:
            delete_files_on_commit([old])
        _log(actor, "photo_uploaded", application, size=list(size), sha256=sha256_of(upload))


@transaction.atomic
def application_sign_pledge(*, actor: Any, application: Application, ip: str | None) -> None:
    application = _locked_draft(actor, application)
    application.pledge_version = steps.PLEDGE_VERSION
    application.pledge_signed_at = timezone.now()
    application.pledge_signed_from = ip
    application.save(update_fields=["pledge_version", "pledge_signed_at", "pledge_signed_from", "updated_at"])
    _log(actor, "pledge_signed", application, version=steps.PLEDGE_VERSION)


@transaction.atomic
def application_save_info(
    *, actor: Any, application: Application, data: Mapping[str, Any], info_records: Collection[Record]
) -> None:
    """Step 3: level, type, subspecialty, qualification, appointment, certificates, acceptance
    point and claims. ``info_records`` (titles, skill certificates, appointments, language and
    computer certificates) replace the draft's records of those types."""
    application = _locked_draft(actor, application)
    for name in ("level", "application_type", "subspecialty", "qualification_type", "acceptance_point", "claims"):
        setattr(application, name, data[name])
    application.has_appointment = bool(data.get("has_appointment"))
    application.info_saved_at = timezone.now()
    application.save()
    records = _own_approved(actor, [r.pk for r in info_records])
    application.selected_records.filter(record__record_type__in=selectors.INFO_TYPES).delete()
    _select(application, [r for r in records if r.record_type in selectors.INFO_TYPES])
    _log(
        actor,
        "info_saved",
        application,
        level=application.level.code,
        type=application.application_type,
        qualification=application.qualification_type,
        records=sorted(r.pk for r in records),
        claims=list(application.claims),
    )


# --- Step 4: archive records ---------------------------------------------------------------


def _own_approved(actor: Any, ids: Collection[int]) -> list[Record]:
    records = list(selectors.approved_records(actor).filter(pk__in=ids))
    if len(records) != len(set(ids)):
        raise ApplicationError("只能选择本人已审核通过、未撤销的档案记录，请刷新页面后重试。")
    return records


def _select(application: Application, records: Collection[Record]) -> None:
    SelectedRecord.objects.bulk_create(
        SelectedRecord(application=application, record=r, reviewed_at=r.reviewed_at) for r in records
    )


@transaction.atomic
def application_select_records(*, actor: Any, application: Application, record_ids: Collection[int]) -> int:
    """Step 4: draw the chosen approved records (required types always in full); returns how many."""
    application = _locked_draft(actor, application)
    required = {t.code for t in registry.required_types()}
    forced = selectors.approved_records(actor).filter(record_type__in=required).values_list("pk", flat=True)
    records = _own_approved(actor, {*record_ids, *forced})
    records = [r for r in records if r.record_type not in selectors.INFO_TYPES]
    application.selected_records.exclude(record__record_type__in=selectors.INFO_TYPES).delete()
    _select(application, records)
    application.records_refreshed_at = timezone.now()
    application.save(update_fields=["records_refreshed_at", "updated_at"])
    _log(actor, "records_selected", application, records=sorted(r.pk for r in records))
    return len(records)


@transaction.atomic
def application_refresh_records(*, actor: Any, application: Application) -> list[selectors.ArchiveChange]:
    """Bring the draft up to date with the archive in one step: drop records that can no longer
    be used, take re-approved records as they are now, add newly approved ones."""
    application = _locked_draft(actor, application)
    changes = selectors.archive_changes(application)
    by_kind: dict[str, list[int]] = {}
    for change in changes:
        by_kind.setdefault(change.kind, []).append(change.record_id)
    application.selected_records.filter(record_id__in=by_kind.get("unavailable", [])).delete()
    for choice in application.selected_records.filter(record_id__in=by_kind.get("changed", [])).select_related(
        "record"
    ):
        choice.reviewed_at = choice.record.reviewed_at
        choice.save(update_fields=["reviewed_at"])
    _select(application, _own_approved(actor, by_kind.get("new", [])))
    application.records_refreshed_at = timezone.now()
    application.save(update_fields=["records_refreshed_at", "updated_at"])
    _log(actor, "records_refreshed", application, **by_kind)
    return changes


# --- Step 5: attachments and expert recommendations ----------------------------------------


def attachment_add(
    *, actor: Any, application: Application, kind: str, upload: UploadedFile, file_kind: FileKind
) -> Attachment:
    with FilesGuard() as stored, transaction.atomic():
        application = _locked_draft(actor, application)
        attachment = Attachment(
            application=application,
            kind=kind,
            file_kind=file_kind.extension,
            original_name=os.path.basename(upload.name or "")[:200] or f"file.{file_kind.extension}",
            size=upload.size or 0,
            sha256=sha256_of(upload),
        )
        attachment.file.save(stored_name(file_kind), upload, save=False)
        stored.append(attachment.file.name)
        attachment.save()
        _log(actor, "attachment_added", application, kind=kind, name=attachment.original_name, sha256=attachment.sha256)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    application = _locked_draft(actor, attachment.application)
    name = attachment.file.name
    _log(actor, "attachment_removed", application, kind=attachment.kind, name=attachment.original_name)
    attachment.delete()
    delete_files_on_commit([name])


def recommendation_add(
    *, actor: Any, application: Application, data: Mapping[str, Any], letter: UploadedFile, letter_kind: FileKind
) -> ExpertRecommendation:
    """Add an expert's recommendation; refused when the expert already recommends two
    applicants of this plan (checked again, under the database's guard, at submission)."""
    with FilesGuard() as stored, transaction.atomic():
        application = _locked_draft(actor, application)
        id_number = data["expert_id_number"]
        if application.recommendations.filter(expert_id_index__in=blind_indexes(id_number)).exists():
            raise ApplicationError("该专家的推荐已添加。")
        if selectors.expert_slots_taken(application.plan, id_number) >= MAX_RECOMMENDATIONS_PER_EXPERT:
            raise ApplicationError(selectors.expert_cap_message(data["expert_name"]))
        recommendation = ExpertRecommendation(application=application, plan=application.plan, **data)
        recommendation.letter_name = os.path.basename(letter.name or "")[:200] or "推荐信.pdf"
        recommendation.letter.save(stored_name(letter_kind), letter, save=False)
        stored.append(recommendation.letter.name)
        recommendation.save()
        _log(actor, "recommendation_added", application, expert=data["expert_name"])
    return recommendation


@transaction.atomic
def recommendation_remove(*, actor: Any, recommendation: ExpertRecommendation) -> None:
    application = _locked_draft(actor, recommendation.application)
    name = recommendation.letter.name
    _log(actor, "recommendation_removed", application, expert=recommendation.expert_name)
    recommendation.delete()
    delete_files_on_commit([name])


@transaction.atomic
def application_save_remarks(*, actor: Any, application: Application, remarks: Mapping[str, str]) -> None:
    """The 破格 self-score form's remarks (备注：得分原因), one per score item."""
    application = _locked_draft(actor, application)
    application.self_score_remarks = {k: v.strip()[:200] for k, v in remarks.items() if v.strip()}
    application.save(update_fields=["self_score_remarks", "updated_at"])
    _log(actor, "remarks_saved", application, items=sorted(application.self_score_remarks))


# --- Step 6: submission --------------------------------------------------------------------


def _claim_slots(application: Application) -> None:
    """Give each recommendation one of its expert's two slots in the plan; the unique
    constraint on (plan, expert, slot) makes a third impossible even for simultaneous submits."""
    for recommendation in application.recommendations.filter(slot__isnull=True):
        taken = set(
            ExpertRecommendation.objects.filter(
                plan=application.plan,
                expert_id_index__in=blind_indexes(recommendation.expert_id_number),
                slot__isnull=False,
            ).values_list("slot", flat=True)
        )
        free = [s for s in range(1, MAX_RECOMMENDATIONS_PER_EXPERT + 1) if s not in taken]
        message = selectors.expert_cap_message(recommendation.expert_name)
        refused = SubmissionRefused([selectors.Problem(steps.ATTACHMENTS, message)])
        if not free:
            raise refused
        recommendation.slot = free[0]
        try:
            with transaction.atomic():
                recommendation.save(update_fields=["slot"])
        except IntegrityError:
            raise refused from None


def application_submit(*, actor: Any, application: Application, now: datetime | None = None) -> Application:
    """Submit the draft, or resubmit an application returned for changes: idempotent (a second
    call, or a concurrent one, returns the same submission), refused with every problem listed
    when any rule says no.

    The engine's verdict must be eligible; a verdict that holds only through the applicant's
    claims is accepted and flagged for the reviewers (``needs_claim_review``). A resubmission
    restarts at the employer without a new publicity period, and is not bound by the
    individual window (returns come after it).
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("plan", "level").get(pk=application.pk)
        if locked.applicant_id != getattr(actor, "pk", None):
            raise PermissionDenied("只有申报人本人可以提交申报。")
        if not locked.is_editable:
            return locked  # a double click or a retried request: the submission already exists
        now = now or timezone.now()
        resubmission = locked.status == Application.Status.RETURNED
        problems = selectors.submission_problems(locked, now=now)
        if problems:
            raise SubmissionRefused(problems)
        chosen = selectors.chosen_records(locked)
        verdict = selectors.evaluate_application(locked, chosen=chosen)
        if not verdict.eligible:
            raise SubmissionRefused(
                [
                    selectors.Problem(steps.PREVIEW, f"政策引擎判定暂不符合申报条件：{reason}")
                    for reason in verdict.reasons
                ]
                or [selectors.Problem(steps.PREVIEW, "政策引擎判定暂不符合申报条件。")]
            )
        _claim_slots(locked)
        source = locked.status
        locked.status = Application.Status.SUBMITTED
        locked.submitted_at = now
        locked.active_year = locked.plan.year
        locked.number = locked.number or f"{locked.plan.number}-{locked.pk:06d}"
        locked.engine_eligible = verdict.eligible
        locked.needs_claim_review = verdict.needs_claim_review
        locked.snapshot = build_snapshot(locked, verdict, chosen)
        locked.district = _employer_district(actor)
        if not resubmission:
            locked.first_submitted_at = now
            locked.publicity_ends_on = add_working_days(
                workflow.today_in_shanghai(now), locked.plan.publicity_working_days
            )
        try:
            workflow.enter_first_stage(locked, now)
        except workflow.WorkflowError as error:
            raise SubmissionRefused([selectors.Problem(steps.PREVIEW, str(error))]) from None
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            other = selectors.active_application_in_year(actor, locked.plan.year, excluding=locked)
            message = selectors.duplicate_message(other) if other else "同一年度只能有一份有效申报。"
            raise SubmissionRefused([selectors.Problem(steps.PREVIEW, message)]) from None
        action = StatusChange.Action.RESUBMIT if resubmission else StatusChange.Action.SUBMIT
        workflow.record(application=locked, actor=actor, action=action, source=source, now=now)
    return locked


def _employer_district(user: Any) -> Any:
    from zhicheng.accounts.models import ApplicantProfile

    profile = ApplicantProfile.objects.filter(user=user).select_related("employer__region").first()
    return profile.employer.region if profile and profile.employer else None


def application_withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    """The applicant withdraws before the employer decides (or after a return)."""
    return workflow.transition(actor=actor, application=application, action=StatusChange.Action.WITHDRAW, reason=reason)
