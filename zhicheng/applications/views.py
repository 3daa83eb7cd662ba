"""Pages of the application: start from a plan, the six steps, submit, and the application's
own page with its timeline. Thin: forms check input, services write, selectors read; every
view fetches the application through ``selectors.application_for`` (404 for anyone else's)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhicheng.applications import forms, selectors, services, steps, workflow
from zhicheng.applications.models import Application, Attachment, ExpertRecommendation, StatusChange
from zhicheng.core.files import private_file_response
from zhicheng.plans.models import Plan
from zhicheng.reference.models import TitleLevel


def _posted(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one, so the form reports what is missing)."""
    return request.POST if request.method == "POST" else None


def _step_url(application: Application, slug: str) -> str:
    return reverse("applications:step", args=[application.pk, slug])


def _next_url(application: Application, step: steps.Step) -> str:
    following = steps.STEPS[min(step.number, len(steps.STEPS) - 1)]
    return _step_url(application, following.slug)


def _wizard(request: HttpRequest, application: Application, step: steps.Step, context: dict[str, Any]) -> HttpResponse:
    done = selectors.completed_steps(application)
    context.update(
        application=application,
        plan=application.plan,
        step=step,
        steps=[(s, s.number in done) for s in steps.STEPS],
        changes=selectors.archive_changes(application),
    )
    return render(request, f"applications/step_{step.slug}.html", context, status=context.pop("status", 200))


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_of(request.user))
    rows = [(a, selectors.expected_next(a)) for a in applications]
    return render(request, "applications/list.html", {"rows": rows})


@login_required
@require_POST
def start(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.published(), pk=plan_pk)
    level = TitleLevel.objects.filter(code=request.POST.get("level", "")).first()
    if level is None:
        messages.error(request, "请选择申报级别。")
        return redirect("plans:detail", plan.pk)
    try:
        application = services.application_start(actor=request.user, plan=plan, level=level)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("plans:detail", plan.pk)
    return redirect(_step_url(application, selectors.next_step(application).slug))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    verdict = None
    if application.is_editable:
        verdict = selectors.evaluate_application(application) if application.info_saved_at else None
        result = verdict.result if verdict else None
    else:
        result = (application.snapshot or {}).get("result")
    from zhicheng.eligibility.selectors import present_result

    context = {
        "application": application,
        "timeline": selectors.timeline(application),
        "expected": selectors.expected_next(application),
        "result": present_result(result, application.application_type or None) if result else None,
        "verdict": verdict,
        "snapshot": application.snapshot,
        "changes": selectors.archive_changes(application) if application.is_editable else [],
        "can_withdraw": StatusChange.Action.WITHDRAW in workflow.allowed_actions(application, workflow.APPLICANT),
        "returned": application.status_changes.filter(action=StatusChange.Action.RETURN).last()
        if application.status == Application.Status.RETURNED
        else None,
        "history": application.status_changes.select_related("actor", "office"),
    }
    return render(request, "applications/detail.html", context)


@login_required
def step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    current = steps.BY_SLUG.get(slug)
    if current is None:
        raise Http404
    application = selectors.application_for(request.user, pk)
    if not application.is_editable:
        messages.info(request, "该申报已提交，不能再修改。")
        return redirect("applications:detail", application.pk)
    handler = STEP_HANDLERS[current.slug]
    return handler(request, application, current)


def _photo(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    form = forms.PhotoForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.application_save_photo(
            actor=request.user,
            application=application,
            upload=form.cleaned_data["photo"],
            size=form.cleaned_data["size"],
        )
        messages.success(request, "照片已保存。")
        return redirect(_next_url(application, current))
    return _wizard(request, application, current, {"form": form, "status": 400 if form.errors else 200})


def _pledge(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    form = forms.PledgeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.application_sign_pledge(
            actor=request.user, application=application, ip=request.META.get("REMOTE_ADDR")
        )
        messages.success(request, "真实性保证书已签署。")
        return redirect(_next_url(application, current))
    context = {"form": form, "pledge_text": steps.PLEDGE_TEXT, "status": 400 if form.errors else 200}
    return _wizard(request, application, current, context)


def _info(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    initial = forms.InfoForm.initial_for(application)
    form = forms.InfoForm(_posted(request), initial=initial, application=application)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_save_info(
                actor=request.user, application=application, data=data, info_records=form.info_records()
            )
        except services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "申报信息已保存。")
            return redirect(_next_url(application, current))
    return _wizard(request, application, current, {"form": form, "status": 400 if form.errors else 200})


def _record_choices(application: Application) -> tuple[list[selectors.RecordGroup], list[tuple[int, str]]]:
    records = list(selectors.approved_records(application.applicant).exclude(record_type__in=selectors.INFO_TYPES))
    return selectors.record_groups(records), [(r.pk, r.summary) for r in records]


def _records(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    groups, choices = _record_choices(application)
    chosen = selectors.selected_ids(application)
    initial = {"records": [pk for pk, _ in choices if pk in chosen or application.records_refreshed_at is None]}
    form = forms.RecordsForm(_posted(request), initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.application_select_records(
                actor=request.user, application=application, record_ids=form.record_ids()
            )
        except services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已提取 {count} 条档案记录。")
            return redirect(_next_url(application, current))
    from zhicheng.archive.selectors import required_records_approved

    ready, gaps = required_records_approved(application.applicant)
    selected = {int(v) for v in (form["records"].value() or [])}
    context = {
        "form": form,
        "groups": groups,
        "selected": selected,
        "gaps": gaps,
        "status": 400 if form.errors else 200,
    }
    return _wizard(request, application, current, context)


def _attachments(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    action = request.POST.get("action") if request.method == "POST" else None
    upload = forms.AttachmentForm(request.POST if action == "attachment" else None, request.FILES or None, prefix="att")
    recommend = forms.RecommendationForm(
        request.POST if action == "recommendation" else None, request.FILES or None, prefix="rec"
    )
    verdict = selectors.evaluate_application(application) if application.info_saved_at else None
    items = ((verdict.result or {}).get("score") or {}).get("items", []) if verdict else []
    remarks = forms.RemarksForm(
        request.POST if action == "remarks" else None, items=items, remarks=application.self_score_remarks, prefix="rm"
    )
    status = 200
    if action == "attachment" and upload.is_valid():
        data = upload.cleaned_data
        services.attachment_add(
            actor=request.user,
            application=application,
            kind=data["kind"],
            upload=data["file"],
            file_kind=data["file_kind"],
        )
        messages.success(request, "附件已上传。")
        return redirect(_step_url(application, current.slug))
    if action == "recommendation" and recommend.is_valid():
        try:
            services.recommendation_add(
                actor=request.user,
                application=application,
                data=recommend.recommendation_data(),
                letter=recommend.cleaned_data["letter_file"],
                letter_kind=recommend.cleaned_data["letter_kind"],
            )
        except services.ApplicationError as error:
            recommend.add_error(None, str(error))
        else:
            messages.success(request, "专家推荐已添加。")
            return redirect(_step_url(application, current.slug))
    if action == "remarks" and remarks.is_valid():
        services.application_save_remarks(actor=request.user, application=application, remarks=remarks.cleaned_data)
        messages.success(request, "自评赋分备注已保存。")
        return redirect(_step_url(application, current.slug))
    if action == "next":
        return redirect(_next_url(application, current))
    if action is not None:
        status = 400
    context = {
        "upload": upload,
        "recommend": recommend,
        "remarks": remarks,
        "score": ((verdict.result or {}).get("score") if verdict else None),
        "score_rows": [(item, remarks[item["id"]]) for item in items],
        "attachments": application.attachments.all(),
        "recommendations": application.recommendations.all(),
        "is_exceptional": application.application_type.startswith("exceptional"),
        "warnings": selectors.attachment_warnings(application, verdict.build) if verdict else [],
        "status": status,
    }
    return _wizard(request, application, current, context)


def _preview(request: HttpRequest, application: Application, current: steps.Step) -> HttpResponse:
    from zhicheng.eligibility.selectors import present_result

    verdict = selectors.evaluate_application(application) if application.info_saved_at else None
    problems = selectors.submission_problems(application)
    chosen = selectors.approved_records(application.applicant).filter(pk__in=selectors.selected_ids(application))
    context = {
        "verdict": verdict,
        "result": present_result(verdict.result, application.application_type or None)
        if verdict and verdict.result
        else None,
        "problems": problems,
        "warnings": selectors.attachment_warnings(application, verdict.build) if verdict else [],
        "record_groups": selectors.record_groups(list(chosen)),
        "attachments": application.attachments.all(),
        "recommendations": application.recommendations.all(),
    }
    return _wizard(request, application, current, context)


STEP_HANDLERS = {
    "photo": _photo,
    "pledge": _pledge,
    "info": _info,
    "records": _records,
    "attachments": _attachments,
    "preview": _preview,
}


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    try:
        application = services.application_submit(actor=request.user, application=application)
    except services.SubmissionRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem.message)
        return redirect(_step_url(application, "preview"))
    messages.success(request, f"申报已提交，申报编号 {application.number}。单位公示期满后将由单位审核推荐。")
    return redirect("applications:detail", application.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    try:
        services.application_withdraw(
            actor=request.user, application=application, reason=request.POST.get("reason", "")
        )
    except (workflow.WorkflowError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:detail", application.pk)


@login_required
@require_POST
def refresh_records(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk, "application.edit")
    changes = services.application_refresh_records(actor=request.user, application=application)
    messages.success(request, f"已按最新档案刷新（{len(changes)} 项变化）。" if changes else "档案没有变化。")
    return redirect(request.POST.get("next") or _step_url(application, "records"))


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk, "application.edit")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, "附件已删除。")
    return redirect(_step_url(application, "attachments"))


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk, "application.edit")
    recommendation = get_object_or_404(ExpertRecommendation, pk=recommendation_pk, application=application)
    services.recommendation_remove(actor=request.user, recommendation=recommendation)
    messages.success(request, "专家推荐已删除。")
    return redirect(_step_url(application, "attachments"))


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    if not application.photo:
        raise Http404
    return private_file_response(application.photo, filename="photo.jpg", content_type="image/jpeg")


CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@login_required
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=CONTENT_TYPES[attachment.file_kind]
    )
