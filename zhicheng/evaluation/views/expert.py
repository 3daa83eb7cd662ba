"""A panel member's pages (``evaluation.score``): the applicants assigned to them, the scoring
form with the engine's score sheet, and the ballot. Anything not assigned answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhicheng.core.permissions import can
from zhicheng.eligibility.selectors import present_result
from zhicheng.evaluation import forms, selectors
from zhicheng.evaluation.models import Assignment, PanelScore
from zhicheng.evaluation.services import scoring, vote
from zhicheng.evaluation.services.common import EvaluationError


@login_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "evaluation.score"):
        raise Http404("您没有评审任务。")
    assignments = list(selectors.my_assignments(request.user))
    plans = {a.member.panel.plan_id: a.member.panel.plan for a in assignments}
    sessions = {s.plan_id: s for s in selectors.sessions_for(plans.values())}
    voted = selectors.voted_sessions(request.user)
    groups = [
        {
            "plan": plan,
            "session": sessions.get(plan.pk),
            "voted": plan.pk in sessions and sessions[plan.pk].pk in voted,
            "assignments": [a for a in assignments if a.member.panel.plan_id == plan.pk],
        }
        for plan in sorted(plans.values(), key=lambda p: (-p.year, p.number))
    ]
    context = {"groups": groups}
    return render(request, "evaluation/my_assignments.html", context)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = selectors.assignment_for(request.user, pk)
    if assignment is None:
        raise Http404("没有找到该评审对象。")
    return assignment


@login_required
def assignment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    application = assignment.application
    flagged = selectors.flagged_items(application)
    current = PanelScore.objects.filter(assignment=assignment).first()
    plan = assignment.member.panel.plan
    locked = selectors.vote_session(plan) is not None
    form = forms.PanelScoreForm(
        request.POST if request.method == "POST" and not locked else None,
        flagged=flagged,
        initial=forms.PanelScoreForm.initial_for(current, flagged),
    )
    if form.is_bound and form.is_valid():
        try:
            scoring.panel_score_save(
                actor=request.user,
                assignment=assignment,
                recommendation=form.cleaned_data["recommendation"],
                flagged_points=form.flagged_points(),
                comment=form.cleaned_data["comment"],
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存对 {application.applicant.real_name} 的评审意见。")
            return redirect("evaluation:my_assignments")
    result = (application.snapshot or {}).get("result")
    context = {
        "assignment": assignment,
        "application": application,
        "snapshot": application.snapshot or {},
        "score": present_result(result, application.application_type or None)["score"] if result else None,
        "form": form,
        "current": current,
        "locked": locked,
    }
    return render(request, "evaluation/assignment.html", context, status=400 if form.errors else 200)


@login_required
def ballot(request: HttpRequest, plan_id: int) -> HttpResponse:
    seat = selectors.seat_for(request.user, plan_id)
    if seat is None:
        raise Http404("您不是该计划专业审议组的成员。")
    plan = seat.panel.plan
    session = selectors.vote_session(plan)
    receipt = session.receipts.filter(member=seat).first() if session else None
    form = None
    if session is not None and session.is_open and receipt is None:
        applications = selectors.ballot_applications(seat, session)
        form = forms.BallotForm(request.POST if request.method == "POST" else None, applications=applications)
        if form.is_bound and form.is_valid():
            try:
                vote.ballot_cast(actor=request.user, plan=plan, choices=form.choices())
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "您的表决票已提交。表决为无记名投票，系统不保存您对每位申报人的选择。")
                return redirect("evaluation:ballot", plan.pk)
    context = {"plan": plan, "session": session, "receipt": receipt, "form": form}
    return render(request, "evaluation/ballot.html", context, status=400 if form is not None and form.errors else 200)
