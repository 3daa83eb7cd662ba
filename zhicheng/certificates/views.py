"""Pages of results and certificates.

Offices (login): the plans whose results they handle, a plan's confirmed decisions and its
publicities, opening a publicity (committee office), handling objections, publishing
(city office). Holders (login): their certificate and its PDF. Anyone: verification by number
and name or by the QR link, rate-limited per client address.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhicheng.applications.workflow import WorkflowError, today_in_shanghai
from zhicheng.certificates import forms, pdf, ratelimit, selectors, services
from zhicheng.certificates.models import ResultPublicity
from zhicheng.core.audit import log_action
from zhicheng.core.permissions import can
from zhicheng.lib.fonts import CjkFontMissing

# --- Offices -------------------------------------------------------------------------------------


def _require_results_role(request: HttpRequest) -> None:
    if not (can(request.user, "results.view", None) or can(request.user, "results.publish", None)):
        raise Http404


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    _require_results_role(request)
    return render(request, "certificates/manage.html", {"plans": selectors.result_plans(request.user)})


def _plan_context(request: HttpRequest, plan: Any, **extra: Any) -> dict[str, Any]:
    today = today_in_shanghai()
    return {
        "plan": plan,
        "pending": list(selectors.pending_decisions(plan)),
        "publicities": [(p, p.status_on(today)) for p in plan.result_publicities.all()],
        "may_publicise": can(request.user, "results.publicise", plan),
        "open_form": forms.OpenPublicityForm(),
        **extra,
    }


@login_required
def plan_results(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_results(request.user, pk)
    return render(request, "certificates/plan_results.html", _plan_context(request, plan))


@login_required
@require_POST
def publicity_open(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_results(request.user, pk)
    form = forms.OpenPublicityForm(request.POST)
    if form.is_valid():
        try:
            publicity = services.publicity_open(actor=request.user, plan=plan, note=form.cleaned_data["note"])
        except (services.ResultError, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("certificates:plan", plan.pk)
        messages.success(
            request,
            f"已在门户网站发布评审结果公示，公示至 {publicity.ends_on:%Y-%m-%d}（{publicity.working_days} 个工作日）。",
        )
        return redirect("certificates:publicity", publicity.pk)
    return render(request, "certificates/plan_results.html", _plan_context(request, plan, open_form=form), status=400)


def _publicity_context(request: HttpRequest, publicity: ResultPublicity, **extra: Any) -> dict[str, Any]:
    plan = publicity.plan
    objections = list(publicity.objections.select_related("entry", "handled_by"))
    return {
        "publicity": publicity,
        "plan": plan,
        "entries": publicity.entries.select_related("application"),
        "objections": [
            (o, forms.HandleObjectionForm(prefix=f"o{o.pk}", initial={"handling": o.handling})) for o in objections
        ],
        "unhandled": sum(not o.is_handled for o in objections),
        "today": today_in_shanghai(),
        "may_publicise": can(request.user, "results.publicise", plan),
        "may_publish": can(request.user, "results.publish", plan),
        "publish_form": forms.PublishForm(),
        "certificates": publicity.certificates.order_by("number"),
        **extra,
    }


@login_required
def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_for_office(request.user, pk)
    return render(request, "certificates/publicity.html", _publicity_context(request, publicity))


@login_required
@require_POST
def objection_handle(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_for_office(request.user, pk)
    form = forms.HandleObjectionForm(request.POST, prefix=f"o{objection.pk}")
    if form.is_valid():
        try:
            services.objection_handle(actor=request.user, objection=objection, handling=form.cleaned_data["handling"])
        except (services.ResultError, PermissionDenied) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已记录异议处理情况。")
    else:
        messages.error(request, "请填写异议的处理情况。")
    return redirect("certificates:publicity", objection.publicity_id)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = selectors.publicity_for_office(request.user, pk)
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            issued = services.publicity_publish(
                actor=request.user, publicity=publicity, document_number=form.cleaned_data["document_number"]
            )
        except (services.ResultError, WorkflowError) as error:
            form.add_error(None, str(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("certificates:publicity", publicity.pk)
        else:
            messages.success(request, f"评审结果已公布，签发电子证书 {len(issued)} 本。")
            return redirect("certificates:publicity", publicity.pk)
    context = _publicity_context(request, publicity, publish_form=form)
    return render(request, "certificates/publicity.html", context, status=400)


# --- Holders -------------------------------------------------------------------------------------


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_for(request.user, pk)
    return render(
        request,
        "certificates/detail.html",
        {"certificate": certificate, "verify_url": pdf.verification_url(certificate, request)},
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_for(request.user, pk)
    if not certificate.is_valid:
        messages.error(request, "该证书已撤销，不再提供下载。")
        return redirect("certificates:detail", certificate.pk)
    try:
        data = pdf.render(certificate, request)
    except CjkFontMissing as error:
        messages.error(request, str(error))
        return redirect("certificates:detail", certificate.pk)
    log_action(
        actor=request.user, action="certificates.downloaded", obj=certificate, data={"number": certificate.number}
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, certificate.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public verification ---------------------------------------------------------------------------


def _limited(request: HttpRequest) -> int | None:
    """Minutes to wait when this client has made too many lookups, else None."""
    allowed, retry_after = ratelimit.hit(ratelimit.verification_limit(), ratelimit.client_ip(request))
    return None if allowed else ratelimit.minutes(retry_after)


def _verify_response(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    response = render(request, "certificates/verify.html", {"form": forms.VerifyForm(), **context}, status=status)
    response["Cache-Control"] = "no-store"
    # The QR link's token never travels in a Referer: browsers send only the origin. Not
    # "no-referrer": under it a browser posts the page's own lookup form with ``Origin: null``,
    # which Django's CSRF check refuses (403), so the form could never be used from this page.
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """By certificate number and holder name (POST, so names stay out of URLs and logs)."""
    if request.method != "POST":
        return _verify_response(request, {})
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        return _verify_response(request, {"form": form}, status=400)
    wait = _limited(request)
    if wait is not None:
        return _verify_response(request, {"form": form, "limited": wait}, status=429)
    certificate = selectors.verify_by_number(form.cleaned_data["number"], form.cleaned_data["name"])
    return _verify_response(request, {"form": form, "looked_up": True, "certificate": certificate})


@never_cache
def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code's link."""
    wait = _limited(request)
    if wait is not None:
        return _verify_response(request, {"limited": wait}, status=429)
    certificate = selectors.verify_by_token(token)
    return _verify_response(
        request, {"looked_up": True, "by_token": True, "certificate": certificate}, status=200 if certificate else 404
    )
