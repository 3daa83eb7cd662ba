"""The public home page, notices, result publicities (with objections), and each person's dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from zhicheng.applications.workflow import today_in_shanghai
from zhicheng.certificates import ratelimit, services
from zhicheng.certificates import selectors as results
from zhicheng.certificates.forms import ObjectionForm
from zhicheng.orgs.selectors import user_roles
from zhicheng.portal import selectors


def home(request: HttpRequest) -> HttpResponse:
    today = today_in_shanghai()
    context = {
        "notices": selectors.published_notices(limit=5),
        "open_plans": selectors.open_plans(limit=8),
        "publicities": results.current_publicities(today)[:8],
    }
    return render(request, "portal/home.html", context)


def notice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/notice_list.html", {"notices": selectors.published_notices()})


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.published_notices(), pk=pk)
    return render(request, "portal/notice_detail.html", {"notice": notice})


def publicity_list(request: HttpRequest) -> HttpResponse:
    """Result publicities (评审结果公示): those on display now, then the earlier ones."""
    today = today_in_shanghai()
    current = list(results.current_publicities(today))
    earlier = results.public_publicities().exclude(pk__in=[p.pk for p in current])[:100]
    return render(request, "portal/publicity_list.html", {"current": current, "earlier": earlier, "today": today})


def publicity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One publicity's list; while it is open, anyone may lodge an objection (POST)."""
    publicity = results.public_publicity(pk)
    today = today_in_shanghai()
    entries = list(publicity.entries.all())
    is_open = publicity.published_at is None and publicity.is_open_on(today)
    form = ObjectionForm(request.POST if request.method == "POST" else None, entries=entries, prefix="objection")
    status, limited = 200, None
    if request.method == "POST":
        if not is_open:
            messages.error(request, "当前不在公示期内，不再受理异议。")
            return redirect("portal:publicity", publicity.pk)
        if form.is_valid():
            allowed, retry_after = ratelimit.hit(ratelimit.objection_limit(), ratelimit.client_ip(request))
            if not allowed:
                limited, status = ratelimit.minutes(retry_after), 429
            else:
                try:
                    services.objection_lodge(
                        publicity=publicity,
                        entry=form.chosen_entry(),
                        name=form.cleaned_data["name"],
                        contact=form.cleaned_data["contact"],
                        text=form.cleaned_data["text"],
                        ip=ratelimit.client_ip(request),
                    )
                except services.ResultError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, "异议已提交，评委会办公室将核实处理。感谢您的监督。")
                return redirect("portal:publicity", publicity.pk)
        else:
            status = 400
    context = {
        "publicity": publicity,
        "entries": entries,
        "is_open": is_open,
        "status_text": publicity.status_on(today),
        "form": form,
        "limited": limited,
    }
    return render(request, "portal/publicity_detail.html", context, status=status)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    context = selectors.dashboard_context(request.user, roles)
    context["roles"] = roles
    return render(request, "portal/dashboard.html", context)
