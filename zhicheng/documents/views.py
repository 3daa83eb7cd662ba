"""Pages and downloads of the documents: an application's forms (PDF), a plan's exports (the
roster and a batch of review forms, as background jobs) and a job's progress.

Every download goes through a permission check and is logged; files come from memory or
private storage, never a public URL, with ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from zhicheng.applications.selectors import application_for
from zhicheng.core import reauth
from zhicheng.core.permissions import can, require
from zhicheng.documents import catalogue, pdf, selectors, services
from zhicheng.documents.forms import ExportForm
from zhicheng.documents.models import ExportJob
from zhicheng.lib.fonts import CjkFontMissing


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The forms of one application: the ones the user may have now, and when the others come."""
    application = application_for(request.user, pk)
    rows = [
        (document, can(request.user, document.permission, application))
        for document in catalogue.DOCUMENTS
        if document.applies(application)
    ]
    return render(request, "documents/application.html", {"application": application, "rows": rows})


@login_required
def application_pdf(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    document = catalogue.BY_SLUG.get(slug)
    if document is None:
        raise Http404
    application = application_for(request.user, pk)
    if not document.applies(application):
        raise Http404("该申报没有此文书。")
    require(request.user, document.permission, application)
    context = document.context(application)
    if document.slug == "self-score-form" and not context["score"]:
        raise Http404("该计划适用的政策没有量化评价标准，无需自评赋分表。")
    try:
        data = pdf.render_pdf(document.template, context)
    except CjkFontMissing as error:
        messages.error(request, str(error))
        return redirect("documents:application", application.pk)
    services.record_download(actor=request.user, document=document.slug.replace("-", "_"), obj=application)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, document.filename(application))
    return _private(response)


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan's exports: the roster (花名册) or the review forms of one stage or all, as a job."""
    plan = selectors.plan_for_roster(request.user, pk)
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        stages=selectors.stage_choices(plan),
        allow_full_ids=can(request.user, "roster.full_ids", plan),
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("full_ids") and not reauth.is_fresh(request):
            messages.info(request, "导出完整身份证号前，请再次输入登录密码确认身份；确认后请重新提交导出。")
            return reauth.redirect_to_confirm(request)
        job = services.export_job_start(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            plan=plan,
            stage=form.cleaned_data["stage"],
            full_ids=form.cleaned_data.get("full_ids", False),
        )
        return redirect("documents:job", job.public_id)
    context = {
        "plan": plan,
        "form": form,
        "count": selectors.roster_applications(request.user, plan).count(),
        "jobs": selectors.recent_jobs(request.user, plan),
    }
    return render(request, "documents/plan_export.html", context, status=400 if form.errors else 200)


@login_required
def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.job_for(request.user, public_id)
    return render(request, "documents/job.html", {"job": job, "plan_id": job.parameters.get("plan")})


@login_required
def job_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """The progress block alone, polled by htmx until the job has finished."""
    job = selectors.job_for(request.user, public_id)
    return _private(render(request, "documents/_job_status.html", {"job": job}))


@login_required
def job_download(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.job_for(request.user, public_id)
    if job.status != ExportJob.Status.DONE or not job.result:
        raise Http404("导出尚未完成。")
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    services.record_download(actor=request.user, document=f"export_{job.kind}", obj=job)
    return _private(FileResponse(handle, as_attachment=True, filename=job.result_name))
