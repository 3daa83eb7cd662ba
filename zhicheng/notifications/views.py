"""Pages: the user's inbox (站内信) and the staff delivery log of SMS and e-mail."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhicheng.core.permissions import require
from zhicheng.notifications import selectors, services
from zhicheng.notifications.models import Channel, Status

INBOX_PAGE_SIZE = 20
DELIVERY_PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_for(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's messages read; others' messages are 404 (not even confirmed to exist).

    htmx requests get the updated message fragment; others are redirected to ``next`` (a
    path on this site, e.g. the message's link) or back to the inbox.
    """
    message = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.mark_read(user=request.user, message=message)
    if _is_htmx(request):
        return render(request, "notifications/_message.html", {"notice": message})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, f"已将 {count} 条消息标记为已读。")
    else:
        messages.info(request, "没有未读消息。")
    return redirect("notifications:inbox")


@login_required
@require_GET
def delivery_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "notifications.view_delivery_log")
    channel = request.GET.get("channel", "")
    status = request.GET.get("status", "")
    channel = channel if channel in (Channel.SMS, Channel.EMAIL) else ""
    status = status if status in Status.values else ""
    page = Paginator(selectors.deliveries(channel=channel, status=status), DELIVERY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/delivery_log.html",
        {
            "page_obj": page,
            "channel": channel,
            "status": status,
            "filter_query": urlencode({k: v for k, v in (("channel", channel), ("status", status)) if v}),
            "channel_choices": [(c.value, c.label) for c in (Channel.SMS, Channel.EMAIL)],
            "status_choices": Status.choices,
        },
    )
