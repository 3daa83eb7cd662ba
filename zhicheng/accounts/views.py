"""Account pages: register, log in and out, reset the password by SMS, basic information."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhicheng.accounts import services
from zhicheng.accounts.backends import find_user_by_login
from zhicheng.accounts.forms import (
    LoginForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegistrationForm,
)
from zhicheng.accounts.models import ApplicantProfile, User
from zhicheng.core import ratelimit
from zhicheng.core import reauth as password_reauth
from zhicheng.core.audit import log_action


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    if request.method == "POST" and (retry_after := ratelimit.hit("register", request)):
        return ratelimit.too_many(request, retry_after)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.applicant_register(
            real_name=form.cleaned_data["real_name"],
            id_number=form.cleaned_data["id_number"],
            mobile=form.cleaned_data["mobile"],
            password=form.cleaned_data["password"],
        )
        login(request, user, backend="zhicheng.accounts.backends.MobileOrIdNumberBackend")
        messages.success(request, "注册成功。请完善个人基本信息并选择您的工作单位。")
        return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form})


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (retry_after := ratelimit.hit("login", request)):
        return ratelimit.too_many(request, retry_after)
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        user = find_user_by_login(form.cleaned_data["login"])
        if user is not None and services.is_locked(user):
            form.add_error(None, "登录失败次数过多，账号已临时锁定，请稍后再试或通过短信找回密码。")
        else:
            authenticated = authenticate(
                request, username=form.cleaned_data["login"], password=form.cleaned_data["password"]
            )
            if authenticated is not None:
                services.record_login_success(user=authenticated)
                login(request, authenticated)
                if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                    next_url = ""
                return redirect(next_url or "portal:dashboard")
            if user is not None:
                services.record_login_failure(user=user)
                if services.is_locked(user):
                    form.add_error(None, "登录失败次数过多，账号已临时锁定，请稍后再试或通过短信找回密码。")
            if not form.non_field_errors():
                form.add_error(None, "账号或密码不正确。")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def password_reset(request: HttpRequest) -> HttpResponse:
    """Step 1: ask for a code. The answer is the same whether or not the number is registered."""
    if request.method == "POST" and (retry_after := ratelimit.hit("sms", request)):
        return ratelimit.too_many(request, retry_after)
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        user = User.objects.filter(mobile=mobile, is_active=True).first()
        if user is not None:
            try:
                services.password_reset_request(user=user)
            except services.AccountError as error:
                form.add_error("mobile", str(error))
                return render(request, "accounts/password_reset.html", {"form": form})
        messages.info(request, "如该手机号已注册，验证码已发送，10 分钟内有效。")
        return redirect(f"{request.path}confirm/?mobile={mobile}")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (retry_after := ratelimit.hit("sms_confirm", request)):
        return ratelimit.too_many(request, retry_after)
    form = PasswordResetConfirmForm(request.POST or None, initial={"mobile": request.GET.get("mobile", "")})
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(mobile=form.cleaned_data["mobile"], is_active=True).first()
        try:
            if user is None:
                raise services.AccountError("验证码不正确。")
            services.password_reset_confirm(
                user=user, code=form.cleaned_data["code"], new_password=form.cleaned_data["password"]
            )
        except services.AccountError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, "密码已重置，请使用新密码登录。")
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    instance, _ = ApplicantProfile.objects.select_related("employer", "employer__region").get_or_create(
        user=request.user
    )
    form = ProfileForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, data=form.cleaned_data)
        except services.AccountError as error:
            form.add_error("employer", str(error))
        else:
            messages.success(request, "个人基本信息已保存。")
            return redirect("accounts:profile")
    selected = form.cleaned_data.get("employer") if form.is_bound and hasattr(form, "cleaned_data") else None
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "selected_employer": selected or instance.employer},
    )


class ReauthForm(forms.Form):
    password = forms.CharField(label="登录密码", strip=False, widget=forms.PasswordInput(attrs={"autofocus": True}))


@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Enter the password again before a sensitive action (``zhicheng.core.reauth``)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and (retry_after := ratelimit.hit("login", request)):
        return ratelimit.too_many(request, retry_after)
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_locked(request.user):
            form.add_error(None, "登录失败次数过多，账号已临时锁定，请稍后再试或通过短信找回密码。")
        elif request.user.check_password(form.cleaned_data["password"]):
            services.record_login_success(user=request.user)
            password_reauth.mark(request)
            log_action(actor=request.user, action="account.password_confirmed", obj=request.user)
            return redirect(next_url or "portal:dashboard")
        else:
            services.record_login_failure(user=request.user)
            form.add_error("password", "密码不正确。")
    context = {"form": form, "next": next_url, "minutes": password_reauth.window_seconds() // 60}
    return render(request, "accounts/reauth.html", context, status=400 if form.errors else 200)
