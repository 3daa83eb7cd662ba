"""The integrity archive's pages for the city title offices (permission ``integrity.manage``):
the list with search, recording a case (optionally revoking the title it concerns), the record
with its log, amending and annulling. Anybody else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhicheng.applications.models import Application
from zhicheng.core.audit import entries_for
from zhicheng.core.permissions import can
from zhicheng.integrity import forms, selectors, services
from zhicheng.integrity.models import IntegrityRecord, default_ban

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    if not can(request.user, "integrity.manage", None):
        raise Http404


def _record(request: HttpRequest, pk: int) -> IntegrityRecord:
    _require_manager(request)
    record = IntegrityRecord.objects.select_related("person", "recorded_by").filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.records(data.get("q", ""), data.get("state", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "integrity/list.html", {"form": form, "page": page, "query": request.GET.urlencode()})


def _initial_from_application(request: HttpRequest) -> dict[str, Any]:
    """``?application=<number>``: prefill the person and the application (from a review page)."""
    number = request.GET.get("application", "").strip()
    if not number:
        return {}
    application = (
        Application.objects.select_related("applicant", "plan__committee__region").filter(number=number).first()
    )
    if application is None or not can(request.user, "integrity.manage", application):
        return {}
    return {"id_number": application.applicant.id_number, "application_number": application.number}


@login_required
def record_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = forms.NewRecordForm(request.POST or None, initial=_initial_from_application(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_create(
                actor=request.user,
                person=data["id_number"],
                data=form.record_data(),
                application=data.get("application"),
                revoke_title=data.get("revoke_title", False),
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            note = "，已撤销其职称并收回电子证书" if data.get("revoke_title") else ""
            messages.success(request, f"已记入诚信档案{note}。")
            return redirect("integrity:detail", record.pk)
    return render(request, "integrity/form.html", {"form": form, "new": True}, status=400 if form.errors else 200)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return render(
        request,
        "integrity/detail.html",
        {
            "record": record,
            "may_edit": selectors.may_edit(request.user, record),
            "default_ban": default_ban(record.found_on),
            "certificates": record.withdrawn_certificates.all(),
            "audit": entries_for(record),
        },
    )


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if not selectors.may_edit(request.user, record) or record.revoked_at:
        raise Http404
    initial = {
        f: getattr(record, f)
        for f in ("kind", "description", "found_on", "banned_from", "banned_until", "document_number")
    }
    form = forms.RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(actor=request.user, record=record, data=form.record_data())
        except (services.RecordError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "记录已修改。")
            return redirect("integrity:detail", record.pk)
    return render(request, "integrity/form.html", {"form": form, "record": record}, status=400 if form.errors else 200)


@login_required
@require_POST
def record_annul(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if not selectors.may_edit(request.user, record):
        raise Http404
    try:
        services.record_annul(actor=request.user, record=record, reason=request.POST.get("reason", ""))
    except (services.RecordError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "记录已撤销，不再限制申报。")
    return redirect("integrity:detail", record.pk)
