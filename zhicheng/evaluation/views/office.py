"""The committee office's pages (``evaluation.manage``): the expert pool, and per plan the panel
draw, exam and interview scores, the aggregate sheet and the vote. Plans and experts of other
committees answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhicheng.core.permissions import can
from zhicheng.evaluation import forms, selectors, sheet, xlsx
from zhicheng.evaluation.models import Expert, PanelMember
from zhicheng.evaluation.permissions import managed_committee_ids
from zhicheng.evaluation.services import exams, panel, pool, vote
from zhicheng.evaluation.services.common import EvaluationError
from zhicheng.orgs.models import Committee
from zhicheng.plans.models import Plan


def _require_office(request: HttpRequest) -> None:
    if not can(request.user, "evaluation.manage"):
        raise Http404("您没有组织评审的权限。")


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = selectors.plan_for_manager(request.user, plan_id)
    if plan is None:
        raise Http404("没有找到该计划。")
    return plan


def _expert(request: HttpRequest, pk: int) -> Expert:
    expert = selectors.expert_for_manager(request.user, pk)
    if expert is None:
        raise Http404("没有找到该专家。")
    return expert


def _committees(request: HttpRequest) -> Any:
    if request.user.is_staff:
        return Committee.objects.all()
    return Committee.objects.filter(pk__in=managed_committee_ids(request.user))


def _form_errors(form: Any, error: ValidationError) -> None:
    for name, errors in error.message_dict.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


# --- The expert pool ---------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    return render(request, "evaluation/index.html", {"plans": selectors.managed_plans(request.user)})


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    experts = selectors.pool(request.user).prefetch_related("relations")
    return render(request, "evaluation/pool.html", {"experts": experts})


@login_required
def expert_create(request: HttpRequest) -> HttpResponse:
    _require_office(request)
    form = forms.ExpertForm(request.POST or None, committees=_committees(request))
    if request.method == "POST" and form.is_valid():
        try:
            expert = pool.expert_create(actor=request.user, data=form.expert_data())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"已将专家 {expert.name} 加入专家库。")
            return redirect("evaluation:expert", expert.pk)
    status = 400 if form.errors else 200
    return render(request, "evaluation/expert_form.html", {"form": form}, status=status)


def _expert_page(request: HttpRequest, expert: Expert, *, status: int = 200, **forms_: Any) -> HttpResponse:
    context = {
        "expert": expert,
        "form": forms_.get("form") or forms.ExpertForm(instance=expert, committees=_committees(request)),
        "relation_form": forms_.get("relation_form") or forms.RelationForm(prefix="rel"),
        "relations": expert.relations.select_related("recorded_by"),
        "seats": expert.panel_seats.select_related("panel__plan"),
    }
    return render(request, "evaluation/expert_detail.html", context, status=status)


@login_required
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request, pk)
    if request.method != "POST":
        return _expert_page(request, expert)
    form = forms.ExpertForm(request.POST, instance=Expert.objects.get(pk=expert.pk), committees=_committees(request))
    if form.is_valid():
        try:
            pool.expert_update(actor=request.user, expert=expert, data=form.expert_data())
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "专家信息已保存。")
            return redirect("evaluation:expert", pk)
    return _expert_page(request, expert, form=form, status=400)


@login_required
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = _expert(request, pk)
    form = forms.RelationForm(request.POST, prefix="rel")
    if form.is_valid():
        try:
            pool.relation_declare(actor=request.user, expert=expert, data=form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "已登记回避关系；该专家不再评审此人。")
            return redirect("evaluation:expert", pk)
    return _expert_page(request, expert, relation_form=form, status=400)


# --- A plan: overview and panel ----------------------------------------------------------


@login_required
def plan_overview(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    applications = list(selectors.evaluated_applications(plan))
    outcomes = selectors.exam_outcomes(plan, applications)
    assignments = selectors.active_assignments(plan)
    context = {
        "plan": plan,
        "applications": len(applications),
        "panel": selectors.panel_of(plan),
        "exams_entered": sum(1 for o in outcomes.values() if o.exam_raw is not None and o.interview_raw is not None),
        "assignments": assignments.count(),
        "scored": assignments.filter(score__isnull=False).count(),
        "session": selectors.vote_session(plan),
    }
    return render(request, "evaluation/plan.html", context)


def _panel_page(request: HttpRequest, plan: Plan, *, status: int = 200, **extra: Any) -> HttpResponse:
    current = selectors.panel_of(plan)
    context = {
        "plan": plan,
        "panel": current,
        "draws": selectors.draws(current) if current else [],
        "members": current.members.select_related("expert__title_level", "expert__employer") if current else [],
        "rows": selectors.panel_rows(plan, current) if current else [],
        "min_judges": selectors.MIN_JUDGES,
        "candidates": selectors.candidates(plan).count(),
        "voting": selectors.vote_session(plan) is not None,
        "draw_form": extra.get("draw_form") or forms.DrawForm(),
        "replace_form": forms.ReplaceForm(),
    }
    return render(request, "evaluation/panel.html", context, status=status)


@login_required
def panel_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _panel_page(request, _plan(request, plan_id))


@login_required
@require_POST
def panel_draw(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = forms.DrawForm(request.POST)
    if not form.is_valid():
        return _panel_page(request, plan, draw_form=form, status=400)
    try:
        drawn = panel.panel_draw(actor=request.user, plan=plan, size=form.cleaned_data["size"])
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已抽取 {drawn.size} 名专家，随机种子 {drawn.draws.get().seed}。")
    return redirect("evaluation:panel", plan.pk)


@login_required
@require_POST
def member_replace(request: HttpRequest, plan_id: int, pk: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    member = get_object_or_404(PanelMember, pk=pk, panel__plan=plan)
    form = forms.ReplaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写专家谢绝的原因。")
        return redirect("evaluation:panel", plan.pk)
    try:
        replacement = panel.member_replace(actor=request.user, member=member, reason=form.cleaned_data["reason"])
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{member.expert.name} 已谢绝；替补抽取 {replacement.expert.name}（随机种子 {replacement.draw.seed}）。",
        )
    return redirect("evaluation:panel", plan.pk)


@login_required
@require_POST
def panel_refresh(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        added, withdrawn = panel.assignments_refresh(actor=request.user, plan=plan)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"评审分配已更新：新增 {added} 项，撤回 {withdrawn} 项。")
    return redirect("evaluation:panel", plan.pk)


# --- Exam and interview ------------------------------------------------------------------


def _exams_page(request: HttpRequest, plan: Plan, *, status: int = 200, **extra: Any) -> HttpResponse:
    applications = list(selectors.evaluated_applications(plan))
    outcomes = selectors.exam_outcomes(plan, applications)
    scale = selectors.score_scale(plan)
    rows = [(a, outcomes[a.pk]) for a in applications]
    session = selectors.vote_session(plan)
    context = {
        "plan": plan,
        "scale": scale,
        "entry_form": extra.get("entry_form") or forms.ExamEntryForm(rows=rows, scale=scale),
        "scale_form": extra.get("scale_form") or forms.ScaleForm(instance=scale, prefix="scale"),
        "import_form": extra.get("import_form") or forms.ImportForm(prefix="import"),
        "import_errors": extra.get("import_errors", []),
        "locked": session is not None and session.is_confirmed,
    }
    return render(request, "evaluation/exams.html", context, status=status)


@login_required
def exams_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if request.method != "POST":
        return _exams_page(request, plan)
    applications = list(selectors.evaluated_applications(plan))
    outcomes = selectors.exam_outcomes(plan, applications)
    form = forms.ExamEntryForm(
        request.POST, rows=[(a, outcomes[a.pk]) for a in applications], scale=selectors.score_scale(plan)
    )
    if form.is_valid():
        try:
            changed = exams.exam_results_save(actor=request.user, plan=plan, entries=form.entries())
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存 {changed} 名申报人的成绩。")
            return redirect("evaluation:exams", plan.pk)
    return _exams_page(request, plan, entry_form=form, status=400)


@login_required
@require_POST
def exams_scale(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = forms.ScaleForm(request.POST, prefix="scale")
    if form.is_valid():
        try:
            exams.score_scale_set(actor=request.user, plan=plan, **form.cleaned_data)
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "满分已保存。")
            return redirect("evaluation:exams", plan.pk)
    return _exams_page(request, plan, scale_form=form, status=400)


@login_required
def exams_template(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    response = HttpResponse(selectors.exam_template(plan), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="exam-scores-{plan.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def exams_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = forms.ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        return _exams_page(request, plan, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > xlsx.MAX_BYTES:  # refused before it is read into memory
        return _exams_page(request, plan, import_errors=[xlsx.TOO_LARGE], status=400)
    try:
        changed = exams.exam_results_import(actor=request.user, plan=plan, data=upload.read(), filename=upload.name)
    except exams.ImportRejected as rejected:
        messages.error(request, str(rejected))
        return _exams_page(request, plan, import_errors=[str(e) for e in rejected.errors], status=400)
    except EvaluationError as error:
        messages.error(request, str(error))
        return redirect("evaluation:exams", plan.pk)
    messages.success(request, f"导入成功：{changed} 名申报人的成绩有更新。")
    return redirect("evaluation:exams", plan.pk)


# --- The aggregate sheet and the vote ----------------------------------------------------


@login_required
def sheet_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(request, "evaluation/sheet.html", {"plan": plan, "rows": sheet.aggregate(plan)})


def _vote_page(request: HttpRequest, plan: Plan, *, status: int = 200, **extra: Any) -> HttpResponse:
    session = selectors.vote_session(plan)
    outcomes = selectors.vote_outcomes(session) if session is not None and not session.is_open else []
    context = {
        "plan": plan,
        "session": session,
        "voters": selectors.voters(session) if session else [],
        "outcomes": outcomes,
        "rate": selectors.pass_rate(outcomes) if outcomes else None,
        "has_panel": selectors.panel_of(plan) is not None,
        "confirm_form": extra.get("confirm_form") or forms.ConfirmForm(),
    }
    return render(request, "evaluation/vote.html", context, status=status)


@login_required
def vote_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _vote_page(request, _plan(request, plan_id))


@login_required
@require_POST
def vote_open(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        vote.vote_open(actor=request.user, plan=plan)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "投票已开始。")
    return redirect("evaluation:vote", plan.pk)


@login_required
@require_POST
def vote_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    try:
        vote.vote_close(actor=request.user, plan=plan)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "投票已结束，请核对计票结果后确认。")
    return redirect("evaluation:vote", plan.pk)


@login_required
@require_POST
def vote_confirm(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = forms.ConfirmForm(request.POST)
    if form.is_valid():
        try:
            decisions = vote.vote_confirm(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            passed = sum(1 for d in decisions if d.passed)
            messages.success(request, f"表决结果已确认并锁定：{passed} / {len(decisions)} 人通过。")
            return redirect("evaluation:vote", plan.pk)
    return _vote_page(request, plan, confirm_form=form, status=400)
