"""Pages of the archive: the applicant's records and the employer's review. Thin: forms
validate, services write, selectors read; every view goes through ``require``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhicheng.archive import importers, registry, selectors, services
from zhicheng.archive.forms import BulkReviewForm, EvidenceUploadForm, RejectForm, selected_ids
from zhicheng.archive.models import Record
from zhicheng.archive.registry import RecordType
from zhicheng.core.files import private_file_response
from zhicheng.core.permissions import can, require

QUEUE_PAGE_SIZE = 50


def _record_type(code: str) -> RecordType:
    try:
        return registry.get_type(code)
    except registry.UnknownRecordType:
        raise Http404("没有这种档案类型") from None


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; for the upload script (XHR) answer the address as JSON so it navigates itself."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


# --- The applicant's archive ---------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "archive.keep_archive")
    ready, gaps = selectors.required_records_approved(request.user)
    context = {
        "sections": selectors.archive_overview(request.user),
        "ready": ready,
        "gaps": gaps,
        "registry_available": importers.registry_available(),
    }
    return render(request, "archive/overview.html", context)


@login_required
@require_POST
def registry_import(request: HttpRequest) -> HttpResponse:
    """从学信网/社保系统自动提取: the person's own degrees and insurance periods."""
    require(request.user, "archive.keep_archive")
    try:
        result = services.archive_import(actor=request.user, person=request.user)
    except services.ArchiveError as error:
        messages.error(request, str(error))
        return redirect("archive:overview")
    messages.success(request, result.message)
    for skip in result.skipped:
        messages.warning(request, skip.message)
    if any(r.record_type == "education" for r in result.created):
        messages.info(
            request,
            "请核对自动提取的教育经历：所学专业是否“与申报专业相关”需由您确认（修改后由单位审核），学历信息本身无需审核。",
        )
    return redirect("archive:overview")


@login_required
def continuing_education_years(request: HttpRequest) -> HttpResponse:
    """继续教育学时: each year's approved hours by category, and what each year still lacks."""
    require(request.user, "archive.keep_archive")
    this_year = timezone.localdate().year
    years = list(range(this_year + 1, this_year - 7, -1))
    year = request.GET.get("year", "")
    plan_year = int(year) if year.isdigit() and int(year) in years else this_year
    overview = selectors.ce_overview(request.user, policy=selectors.DEFAULT_CE_POLICY, plan_year=plan_year)
    context = {"ce": overview, "plan_year": plan_year, "year_choices": years}
    return render(request, "archive/ce_years.html", context)


@login_required
def growth_track(request: HttpRequest) -> HttpResponse:
    """我的成长轨迹."""
    require(request.user, "archive.keep_archive")
    return render(request, "archive/growth.html", {"items": selectors.growth_track(request.user)})


@login_required
def record_list(request: HttpRequest, type_code: str) -> HttpResponse:
    record_type = _record_type(type_code)
    require(request.user, "archive.keep_archive")
    records = list(selectors.records_of_type(request.user, record_type))
    columns = [str(record_type.model._meta.get_field(n).verbose_name) for n in record_type.model.list_fields]
    rows = [(r, [registry.display_value(r, n) for n in record_type.model.list_fields]) for r in records]
    context = {"record_type": record_type, "columns": columns, "rows": rows}
    return render(request, "archive/record_list.html", context)


@login_required
def record_add(request: HttpRequest, type_code: str) -> HttpResponse:
    record_type = _record_type(type_code)
    require(request.user, "archive.keep_archive")
    form = record_type.form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        record = services.record_create(
            actor=request.user,
            record_type=record_type.code,
            data=form.record_data(),
            evidence=form.evidence_files(),
        )
        messages.success(request, f"已保存“{record_type.label}”，等待单位审核。")
        return _done(request, reverse("archive:record_detail", args=[record.pk]))
    status = 400 if request.method == "POST" else 200
    context = {"record_type": record_type, "form": form, "record": None}
    return render(request, "archive/record_form.html", context, status=status)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.records_visible_to(request.user).select_related("owner", "reviewed_by"), pk=pk)
    require(request.user, "archive.view_record", record)
    return _render_detail(request, record)


def _render_detail(
    request: HttpRequest,
    record: Record,
    *,
    upload_form: EvidenceUploadForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    record_type = record.type_info
    specific = record.specific
    may_edit = can(request.user, "archive.edit_record", record)
    may_review = record.status == Record.Status.PENDING and can(request.user, "archive.review_record", record)
    context: dict[str, Any] = {
        "record": record,
        "record_type": record_type,
        "fields": registry.field_rows(specific, record_type.field_names),
        "evidence": list(selectors.active_evidence(record)),
        "history": selectors.record_history(record),
        "may_edit": may_edit,
        "may_review": may_review,
        "is_owner": record.owner_id == request.user.pk,
        "upload_form": (upload_form or EvidenceUploadForm()) if may_edit else None,
        "reject_form": (reject_form or RejectForm()) if may_review else None,
    }
    return render(request, "archive/record_detail.html", context, status=status)


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.own_records(request.user), pk=pk)
    require(request.user, "archive.edit_record", record)
    record_type = record.type_info
    existing = selectors.active_evidence(record).count()
    locked = importers.IMPORTED_FIELDS.get(record_type.code, ()) if record.imported else ()
    form = record_type.form_class(
        request.POST or None,
        request.FILES or None,
        instance=record.specific,
        existing_evidence=existing,
        locked_fields=locked,
    )
    if request.method == "POST" and form.is_valid():
        was = record.status
        try:
            services.record_update(
                actor=request.user, record=record, data=form.record_data(), evidence=form.evidence_files()
            )
        except services.ArchiveError as error:
            messages.error(request, str(error))
        else:
            if was == Record.Status.APPROVED:
                messages.warning(request, "已保存。该记录原已审核通过，修改后需要单位重新审核。")
            else:
                messages.success(request, "已保存，等待单位审核。")
        return _done(request, reverse("archive:record_detail", args=[record.pk]))
    status = 400 if request.method == "POST" else 200
    context = {"record_type": record_type, "form": form, "record": record}
    return render(request, "archive/record_form.html", context, status=status)


@login_required
def record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.own_records(request.user), pk=pk)
    require(request.user, "archive.edit_record", record)
    if request.method != "POST":
        return render(request, "archive/record_confirm_delete.html", {"record": record})
    try:
        outcome = services.record_delete(actor=request.user, record=record)
    except services.ArchiveError as error:
        messages.error(request, str(error))
        return redirect("archive:record_detail", pk=record.pk)
    if outcome == "withdrawn":
        messages.success(request, "该记录曾审核通过，已撤销（保留记录及其审核日志，不再计入档案）。")
    else:
        messages.success(request, "已删除该记录。")
    return redirect("archive:record_list", type_code=record.record_type)


# --- Evidence ------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.own_records(request.user), pk=pk)
    require(request.user, "archive.edit_record", record)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, record, upload_form=form, status=400)
    try:
        services.evidence_add(actor=request.user, record=record, files=form.cleaned_data["files"])
    except services.ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已上传佐证材料，记录将由单位（重新）审核。")
    return _done(request, reverse("archive:record_detail", args=[record.pk]))


@login_required
def evidence_file(request: HttpRequest, public_id: str) -> FileResponse:
    """The file itself, inline, only through the record's visibility check."""
    evidence = get_object_or_404(
        selectors.evidence_visible_to(request.user).select_related("record"), public_id=public_id
    )
    require(request.user, "archive.view_evidence", evidence)
    return private_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    evidence = get_object_or_404(
        selectors.evidence_visible_to(request.user).select_related("record"), public_id=public_id
    )
    require(request.user, "archive.edit_record", evidence.record)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except services.ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已移除“{evidence.original_name}”。")
    return redirect("archive:record_detail", pk=evidence.record_id)


# --- The employer's review -----------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "archive.review_queue")
    status = request.GET.get("status", Record.Status.PENDING)
    if status not in Record.Status.values:
        status = Record.Status.PENDING
    type_code = request.GET.get("type", "")
    if type_code not in registry.RECORD_TYPES:
        type_code = ""
    search = request.GET.get("q", "").strip()[:30]
    records = selectors.review_queue(request.user, status=status, record_type=type_code, search=search)
    page = Paginator(records, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Record.Status.choices,
        "counts": selectors.review_status_counts(request.user),
        "type_code": type_code,
        "types": registry.all_types(),
        "search": search,
        "bulk_form": BulkReviewForm(),
    }
    return render(request, "archive/review_queue.html", context)


@login_required
@require_POST
def record_review(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.reviewable_records(request.user), pk=pk)
    require(request.user, "archive.review_record", record)
    try:
        if request.POST.get("decision") == "approve":
            services.record_approve(actor=request.user, record=record)
            messages.success(request, f"已审核通过：{record.owner.real_name}的“{record.type_info.label}”。")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, record, reject_form=form, status=400)
            services.record_reject(actor=request.user, record=record, reason=form.cleaned_data["reason"])
            messages.success(request, f"已审核不通过：{record.owner.real_name}的“{record.type_info.label}”。")
    except services.ArchiveError as error:
        messages.error(request, str(error))
    return redirect("archive:review_queue")


@login_required
@require_POST
def bulk_review(request: HttpRequest) -> HttpResponse:
    """Two steps: the selection and decision are previewed, then confirmed."""
    require(request.user, "archive.review_queue")
    ids = selected_ids(request.POST.getlist("records"))
    form = BulkReviewForm(request.POST)
    records = list(selectors.review_queue(request.user).filter(pk__in=ids)) if ids else []
    skipped = len(ids) - len(records)
    if not ids:
        form.is_valid()
        form.add_error(None, "请至少选择一条记录。")
    confirmed = request.POST.get("confirm") == "1"
    if form.is_valid() and records and confirmed:
        result = services.records_bulk_review(
            actor=request.user,
            record_ids=[r.pk for r in records],
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
        verb = "审核通过" if form.cleaned_data["decision"] == "approve" else "审核不通过"
        text = f"已{verb} {len(result.changed)} 条记录。"
        if result.skipped:
            text += f"另有 {len(result.skipped)} 条已被他人处理或不在待审核状态，未作改动。"
        messages.success(request, text)
        return redirect("archive:review_queue")
    if form.is_valid() and not records:
        form.add_error(None, "所选记录都已不在待审核状态，或您无权审核。")
    context = {
        "form": form,
        "records": records,
        "skipped": skipped,
        "decision_label": dict(BulkReviewForm.DECISIONS).get(form.cleaned_data.get("decision", "")),
    }
    return render(request, "archive/bulk_preview.html", context, status=200 if form.is_valid() else 400)
