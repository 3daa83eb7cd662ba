"""Employer registration, the employer's own status page, and the administrators' review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhicheng.core.audit import entries_for
from zhicheng.core.files import private_file_response
from zhicheng.core.permissions import require
from zhicheng.orgs import selectors, services
from zhicheng.orgs.forms import EmployerRegistrationForm, LetterResubmitForm, RejectForm
from zhicheng.orgs.models import Organisation, Role

MIN_KEYWORD_LENGTH = 4


def employer_register(request: HttpRequest) -> HttpResponse:
    holder = request.user if request.user.is_authenticated else None
    form = EmployerRegistrationForm(request.POST or None, request.FILES or None, holder=holder)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("password_confirm", None)
        employer = services.employer_register(holder=holder, **data)
        if holder is None:
            created = selectors.holders_of(employer)[0]
            login(request, created, backend="zhicheng.accounts.backends.MobileOrIdNumberBackend")
        messages.success(request, "单位注册已提交，平台管理员审核通过后将以短信通知经办人。")
        return redirect("orgs:my_employer")
    return render(request, "orgs/employer_register.html", {"form": form})


@login_required
def my_employer(request: HttpRequest) -> HttpResponse:
    employers = list(selectors.organisations_of(request.user, Role.EMPLOYER_ADMIN).select_related("region"))
    if not employers:
        messages.info(request, "您还不是任何单位的经办人。")
        return redirect("portal:dashboard")
    employer = employers[0]
    form = LetterResubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, "organisation.manage", employer)
        if form.is_valid():
            try:
                services.employer_resubmit_letter(
                    actor=request.user,
                    employer=employer,
                    authorisation_letter=form.cleaned_data["authorisation_letter"],
                )
            except services.OrgError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "已重新提交，等待平台管理员审核。")
            return redirect("orgs:my_employer")
    return render(
        request,
        "orgs/my_employer.html",
        {"employer": employer, "others": employers[1:], "form": form, "log": entries_for(employer)},
    )


@login_required
@require_GET
def employer_search(request: HttpRequest) -> HttpResponse:
    """Approved employers matching a keyword of at least 4 characters (htmx fragment)."""
    keyword = (request.GET.get("employer_keyword") or request.GET.get("q") or "").strip()
    results = selectors.approved_employers_matching(keyword) if len(keyword) >= MIN_KEYWORD_LENGTH else []
    return render(
        request,
        "orgs/_employer_results.html",
        {"results": results, "keyword": keyword, "too_short": len(keyword) < MIN_KEYWORD_LENGTH},
    )


@login_required
def employer_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "employer.review_registration")
    status = request.GET.get("status", Organisation.Status.PENDING)
    if status not in Organisation.Status.values:
        status = Organisation.Status.PENDING
    employers = (
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, status=status)
        .select_related("region", "region__parent")
        .order_by("created_at")
    )
    return render(
        request,
        "orgs/employer_queue.html",
        {"employers": employers, "status": status, "statuses": Organisation.Status.choices},
    )


@login_required
def employer_review(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(
        Organisation.objects.select_related("region", "region__parent"), pk=pk, kind=Organisation.Kind.EMPLOYER
    )
    require(request.user, "employer.review_registration", employer)
    return _render_review(request, employer, RejectForm())


def _render_review(request: HttpRequest, employer: Organisation, reject_form: RejectForm, status: int = 200):
    context = {
        "employer": employer,
        "holders": selectors.holders_of(employer),
        "reject_form": reject_form,
        "log": entries_for(employer),
    }
    return render(request, "orgs/employer_review.html", context, status=status)


@login_required
@require_POST
def employer_decide(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.EMPLOYER)
    require(request.user, "employer.review_registration", employer)
    try:
        if request.POST.get("decision") == "approve":
            services.employer_approve(actor=request.user, employer=employer)
            messages.success(request, f"已通过“{employer.name}”的注册，已短信通知经办人。")
        else:
            form = RejectForm(request.POST)
            if not form.is_valid():
                return _render_review(request, employer, form, status=400)
            services.employer_reject(actor=request.user, employer=employer, reason=form.cleaned_data["reason"])
            messages.success(request, f"已退回“{employer.name}”的注册，已短信通知经办人。")
    except services.OrgError as error:
        messages.error(request, str(error))
    return redirect("orgs:employer_queue")


@login_required
def authorisation_letter(request: HttpRequest, pk: int) -> FileResponse:
    employer = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.EMPLOYER)
    require(request.user, "organisation.view", employer)
    if not employer.authorisation_letter:
        raise Http404("未上传授权委托证明")
    return private_file_response(
        employer.authorisation_letter, filename=f"authorisation-{employer.pk}.pdf", content_type="application/pdf"
    )
