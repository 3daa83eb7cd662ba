"""Pages of the offices along the chain: the queue, an application as submitted with the
engine's explanation and the evidence, the decision (approve / return / reject), bulk
decisions with a preview, deadline extensions and the full log. Every application is fetched
through ``selectors.application_for`` (404 unless routed to the viewer's office)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhicheng.applications import forms, office_selectors, selectors, workflow
from zhicheng.applications.models import Application
from zhicheng.archive.models import Evidence
from zhicheng.core.audit import entries_for
from zhicheng.core.files import private_file_response
from zhicheng.core.pagination import KeysFirst
from zhicheng.core.permissions import can
from zhicheng.plans.models import PlanStage

PAGE_SIZE = 50


def _require_office(request: HttpRequest) -> None:
    if not office_selectors.review_office_ids(request.user):
        raise Http404("您没有审核职称申报的权限。")


def _stage_labels(rows: list[Application]) -> dict[tuple[int, int], str]:
    plans = {a.plan_id for a in rows}
    stages = PlanStage.objects.filter(plan_id__in=plans).values_list("plan_id", "order", "label")
    return {(plan, order): label for plan, order, label in stages}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    plans = office_selectors.routed_plans(request.user).order_by("-year", "number")
    form = forms.QueueFilterForm(request.GET or None, plans=plans)
    filters = office_selectors.QueueFilters(**form.cleaned_data) if form.is_valid() else office_selectors.QueueFilters()
    filters.scope = filters.scope or "waiting"
    filters.sort = filters.sort or ("arrived" if filters.scope == "all" else "deadline")
    today = workflow.today_in_shanghai()
    page = Paginator(KeysFirst(office_selectors.queue(request.user, filters, today=today)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    labels = _stage_labels(rows)
    context = {
        "form": form,
        "export_plans": [p for p in plans if can(request.user, "roster.export", p)],
        "page": page,
        "rows": [(a, labels.get((a.plan_id, a.stage_order), ""), office_selectors.is_overdue(a, today)) for a in rows],
        "query": request.GET.urlencode(),
    }
    return render(request, "applications/review/queue.html", context)


def _detail_context(request: HttpRequest, application: Application, **extra: Any) -> dict[str, Any]:
    from zhicheng.eligibility.selectors import present_result

    snapshot = application.snapshot or {}
    result = snapshot.get("result")
    today = workflow.today_in_shanghai()
    stage = workflow.current_stage(application)
    return {
        "application": application,
        "snapshot": snapshot,
        "result": present_result(result, application.application_type or None) if result else None,
        "may_review": office_selectors.may_review(request.user, application),
        "is_employer_stage": stage is not None and stage.office_kind == PlanStage.OfficeKind.EMPLOYER,
        "publicity_over": application.publicity_ends_on is None or today >= application.publicity_ends_on,
        "stage": stage,
        "overdue": office_selectors.is_overdue(application, today),
        "history": application.status_changes.select_related("actor", "office"),
        "extensions": application.extensions.select_related("granted_by"),
        "audit": entries_for(application),
        "action_form": forms.ReviewActionForm(initial={"action": "approve", "reason": "同意。"}),
        "extension_form": forms.ExtensionForm(prefix="ext"),
        **extra,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    if application.applicant_id == request.user.pk:
        return redirect("applications:detail", pk)
    return render(request, "applications/review/detail.html", _detail_context(request, application))


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    form = forms.ReviewActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.transition(
                actor=request.user,
                application=application,
                action=data["action"],
                reason=data["reason"],
                publicity_outcome=data["publicity_outcome"],
                publicity_handling=data["publicity_handling"],
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("applications:review_detail", pk)
        else:
            messages.success(request, f"已{dict(form.fields['action'].choices)[data['action']]}：{application.number}")
            return redirect("applications:review_queue")
    context = _detail_context(request, application, action_form=form)
    return render(request, "applications/review/detail.html", context, status=400)


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for(request.user, pk)
    form = forms.ExtensionForm(request.POST, prefix="ext")
    if form.is_valid():
        try:
            workflow.deadline_extend(
                actor=request.user,
                application=application,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
            )
        except workflow.WorkflowError as error:
            form.add_error("deadline", str(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("applications:review_detail", pk)
        else:
            messages.success(request, "截止日已延长。")
            return redirect("applications:review_detail", pk)
    context = _detail_context(request, application, extension_form=form)
    return render(request, "applications/review/detail.html", context, status=400)


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Step 1 (no ``confirm``): a preview of the selection with the one reason; step 2: apply."""
    _require_office(request)
    reviewable = [
        a
        for a in Application.objects.filter(pk__in=request.POST.getlist("ids")).select_related("applicant", "plan")
        if office_selectors.may_review(request.user, a)
    ]
    form = forms.BulkActionForm(request.POST, choices=[a.pk for a in reviewable])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("applications:review_queue") + "?" + request.POST.get("query", ""))
    data = form.cleaned_data
    chosen = [a for a in reviewable if a.pk in data["ids"]]
    if "confirm" not in request.POST:
        return render(request, "applications/review/bulk_preview.html", {"form": form, "chosen": chosen})
    done, failed = 0, []
    for application in chosen:
        try:
            workflow.transition(
                actor=request.user,
                application=application,
                action=data["action"],
                reason=data["reason"],
                publicity_outcome=data["publicity_outcome"],
            )
            done += 1
        except (workflow.WorkflowError, PermissionDenied) as error:
            failed.append(f"{application.number}（{application.applicant.real_name}）：{error}")
    messages.success(request, f"已处理 {done} 份申报。")
    for line in failed:
        messages.error(request, line)
    return redirect("applications:review_queue")


@login_required
def evidence(request: HttpRequest, pk: int, public_id: Any) -> HttpResponse:
    """An evidence file of a record in the application as submitted (the snapshot names it)."""
    application = selectors.application_for(request.user, pk)
    named = {e["id"] for r in (application.snapshot or {}).get("records", []) for e in r.get("evidence", [])}
    if str(public_id) not in named:
        raise Http404
    item = Evidence.objects.filter(public_id=public_id).first()
    if item is None:
        raise Http404
    return private_file_response(item.file, filename=item.original_name, content_type=item.content_type)
