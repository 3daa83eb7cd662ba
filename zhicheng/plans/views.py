"""Plan pages: public search and detail; the committee office's list and form. Thin views:
forms validate, ``services`` write, ``selectors`` read."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from zhicheng.core.forms import StyledFormMixin
from zhicheng.core.permissions import require
from zhicheng.orgs.models import Committee
from zhicheng.plans import selectors, services
from zhicheng.plans.forms import PlanForm, StageFormSet, stage_initial, validate_plan
from zhicheng.plans.models import Plan
from zhicheng.plans.permissions import managed_committee_ids
from zhicheng.reference.models import Series, TitleLevel
from zhicheng.rules import vocab

PAGE_SIZE = 20


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    series = forms.ModelChoiceField(
        label="职称系列", queryset=Series.objects.all(), required=False, empty_label="全部系列"
    )
    application_type = forms.ChoiceField(
        label="申报类型", required=False, choices=[("", "全部类型"), *vocab.APPLICATION_TYPE_NAMES.items()]
    )
    level = forms.ModelChoiceField(
        label="申报级别", queryset=TitleLevel.objects.all(), required=False, empty_label="全部级别"
    )
    include_closed = forms.BooleanField(label="包括未开始和已截止的计划", required=False)


def search(request: HttpRequest) -> HttpResponse:
    """Anyone: find a plan; a logged-in applicant also sees the plans recommended to them."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    plans = selectors.search_plans(
        q=data.get("q", ""),
        series=data.get("series"),
        application_type=data.get("application_type", ""),
        level=data.get("level"),
        include_closed=bool(data.get("include_closed")),
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    recommendations = selectors.recommend_plans(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "plans/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "recommendations": recommendations,
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_display(pk, request.user)
    if plan is None:
        raise Http404("没有找到该计划。")
    from zhicheng.core.permissions import can

    return render(
        request,
        "plans/detail.html",
        {"plan": plan, "status": plan.status_at(), "can_manage": can(request.user, "plan.manage", plan)},
    )


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.manage")
    plans = selectors.plans_managed_by(request.user)
    return render(request, "plans/manage_list.html", {"plans": plans, "now": timezone.now()})


def _committees(user) -> object:
    if user.is_staff or user.is_superuser:
        return Committee.objects.select_related("region")
    return Committee.objects.filter(pk__in=managed_committee_ids(user)).select_related("region")


def _save(request: HttpRequest, plan: Plan | None) -> HttpResponse:
    committees = _committees(request.user)
    if request.method == "POST":
        form = PlanForm(request.POST, committees=committees)
        formset = StageFormSet(request.POST, prefix="stages")
        if validate_plan(form, formset):
            try:
                if plan is None:
                    plan = services.plan_create(actor=request.user, data=form.plan_data(), stages=form.stages)
                    messages.success(request, "申报计划已创建。")
                else:
                    plan = services.plan_update(
                        actor=request.user, plan=plan, data=form.plan_data(), stages=form.stages
                    )
                    messages.success(request, "申报计划已保存。")
                return redirect("plans:detail", pk=plan.pk)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
        status = 400
    else:
        if plan is None:
            form = PlanForm(committees=committees, initial={"publicity_working_days": 5, "is_published": True})
            formset = StageFormSet(prefix="stages")
        else:
            form = PlanForm(committees=committees, initial=PlanForm.initial_for(plan))
            formset = StageFormSet(prefix="stages", initial=stage_initial(plan))
        status = 200
    return render(request, "plans/form.html", {"form": form, "formset": formset, "plan": plan}, status=status)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    require(request.user, "plan.manage")
    return _save(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "plan.manage")
    plan = get_object_or_404(Plan, pk=pk)
    require(request.user, "plan.manage", plan)
    return _save(request, plan)
