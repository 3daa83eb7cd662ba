"""Pages of the policy engine: the public self-check (申报条件自测) and the policy reader.

Thin: ``forms`` turns input into a POLICY_API profile (and back), ``services`` evaluates,
``selectors`` prepares results and policy texts for the templates.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhicheng import rules
from zhicheng.core.permissions import require
from zhicheng.eligibility import selectors, services
from zhicheng.eligibility.forms import PasteForm, SelfCheckForm

logger = logging.getLogger(__name__)


def _evaluate(profile: dict[str, Any]) -> services.Outcome:
    try:
        return services.evaluate_profile(profile)
    except rules.PolicyError:
        logger.exception("policy %r failed while evaluating a self-check", profile.get("policy"))
        return services.Outcome(
            errors=[{"loc": "policy", "msg": "该政策的条件数据暂时有误，无法评估，请稍后再试或联系管理员"}]
        )


def _pretty(profile: dict[str, Any]) -> str:
    return json.dumps(profile, ensure_ascii=False, indent=2)


def selfcheck(request: HttpRequest) -> HttpResponse:
    """Anyone: fill in (or paste) a profile, see the verdict route by route and the score sheet.

    POST actions: ``evaluate`` (default), ``switch`` (policy or level changed), ``add_row``
    (one more row in a section), ``json`` (evaluate the pasted profile).
    """
    paste = PasteForm()
    paste_open = False
    result = None
    status = 200
    action = request.POST.get("action", "evaluate") if request.method == "POST" else None

    if action is None and request.GET.get("source") == "archive" and request.user.is_authenticated:
        form, result, status = _from_archive(request)
    elif action is None:
        form = SelfCheckForm.blank(request.GET.get("policy"), request.GET.get("level"))
    elif action == "json":
        paste, paste_open = PasteForm(request.POST), True
        if paste.is_valid():
            profile = paste.cleaned_data["profile_json"]
            form = SelfCheckForm.from_profile(profile)
            outcome = _evaluate(profile)
            if outcome.ok:
                result = selectors.present_result(outcome.result, profile.get("application_type"))
            else:
                form.apply_errors(outcome.errors)
                paste.add_error("profile_json", f"档案有 {len(outcome.errors)} 处错误，请按下列提示修改：")
                paste.engine_errors = outcome.errors
                status = 400
        else:
            form = SelfCheckForm.blank()
            status = 400
    elif action == "switch" or request.POST.get("add_row"):
        form = SelfCheckForm.bound(request.POST).rebuilt(add_row=request.POST.get("add_row"), switch=action == "switch")
    else:
        form = SelfCheckForm.bound(request.POST)
        if form.is_valid():
            profile = form.to_profile()
            outcome = _evaluate(profile)
            if outcome.ok:
                result = selectors.present_result(outcome.result, profile.get("application_type"))
                paste = PasteForm(initial={"profile_json": _pretty(profile)})
            else:
                form.apply_errors(outcome.errors)
                status = 400
        else:
            status = 400

    context = {
        "form": form,
        "paste": paste,
        "paste_open": paste_open,
        "result": result,
        "invalid": status == 400,
        "plan_source": selectors.plan_defaults(form.policy_id).source,
        **_archive_choices(request),
    }
    return render(request, "eligibility/selfcheck.html", context, status=status)


def _archive_choices(request: HttpRequest) -> dict[str, Any]:
    """Policies and levels for the "use my archive" form (people with an archive only)."""
    if not (request.user.is_authenticated and request.user.id_number):
        return {}
    options = selectors.policy_options()
    levels = list(dict.fromkeys(level for option in options for level in option["levels"]))
    return {"archive_choices": options, "archive_levels": levels}


def _from_archive(request: HttpRequest) -> tuple[SelfCheckForm, dict[str, Any] | None, int]:
    """Evaluate the logged-in person's approved archive for the chosen policy and level."""
    plan = selectors.published_plan(request.GET.get("plan"))
    blank = SelfCheckForm.blank(plan.policy_id if plan else request.GET.get("policy"), request.GET.get("level"))
    build = selectors.archive_profile(request.user, blank.policy_id, blank.level, plan=plan)
    form = SelfCheckForm.from_profile(build.profile)
    outcome = _evaluate(build.profile)
    if not outcome.ok:
        form.apply_errors(outcome.errors)
        return form, None, 400
    result = selectors.present_result(outcome.result, build.profile.get("application_type"))
    selectors.attach_archive_sources(result, build)
    result["from_archive"] = True
    result["plan"] = plan
    return form, result, 200


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "policy.read")
    return render(request, "eligibility/policy_list.html", {"policies": selectors.policy_summaries()})


@login_required
def policy_detail(request: HttpRequest, policy_id: str) -> HttpResponse:
    require(request.user, "policy.read", policy_id)
    reading = selectors.policy_reading(policy_id)
    if reading is None:
        raise Http404("没有这项政策")
    return render(request, "eligibility/policy_detail.html", reading)
