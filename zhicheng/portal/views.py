"""The public home page, notices, and each person's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zhicheng.orgs.selectors import user_roles
from zhicheng.portal import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"notices": selectors.published_notices(limit=5)})


def notice_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/notice_list.html", {"notices": selectors.published_notices()})


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.published_notices(), pk=pk)
    return render(request, "portal/notice_detail.html", {"notice": notice})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    context = selectors.dashboard_context(request.user, roles)
    context["roles"] = roles
    return render(request, "portal/dashboard.html", context)
