"""Account services: registration, login attempts and lockout, SMS password reset, basic info."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhicheng.accounts.models import ApplicantProfile, SmsCode, User
from zhicheng.core.audit import log_action
from zhicheng.lib.idnumbers import parse_id_number
from zhicheng.notifications.services import notify

SMS_CODE_MINUTES = 10
SMS_CODE_MAX_ATTEMPTS = 5
SMS_CODE_RESEND_SECONDS = 60


class AccountError(Exception):
    """A refusal to show the user, in Chinese."""


def applicant_register(*, real_name: str, id_number: str, mobile: str, password: str) -> User:
    """Create a person's account with the basic facts their ID number carries."""
    parsed = parse_id_number(id_number)
    with transaction.atomic():
        user = User.objects.create_user(
            mobile=mobile,
            password=password,
            real_name=real_name.strip(),
            id_number=parsed.number,
            id_type=parsed.id_type,
        )
        ApplicantProfile.objects.create(user=user, birth_date=parsed.birth_date, gender=parsed.gender or "")
        log_action(actor=user, action="account.registered", obj=user, data={"id_type": parsed.id_type})
    return user


def is_locked(user: User, *, now: Any = None) -> bool:
    now = now or timezone.now()
    return bool(user.locked_until and user.locked_until > now)


def record_login_failure(*, user: User) -> None:
    """Count a failed password; lock the account after ``LOGIN_MAX_FAILURES`` in a row."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        user.refresh_from_db(fields=["failed_logins", "locked_until"])
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            user.failed_logins = 0
            user.save(update_fields=["locked_until", "failed_logins"])
            log_action(actor=None, action="account.locked", obj=user, data={"until": user.locked_until})
            notify(
                recipient=user,
                template="account_locked",
                context={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
                channels=("sms",),
            )


def record_login_success(*, user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    log_action(actor=user, action="account.login", obj=user)


def password_reset_request(*, user: User) -> None:
    """Send a 6-digit code by SMS; refuse to send another within a minute."""
    now = timezone.now()
    latest = SmsCode.objects.filter(user=user, purpose=SmsCode.Purpose.PASSWORD_RESET).order_by("-created_at").first()
    if latest and (now - latest.created_at).total_seconds() < SMS_CODE_RESEND_SECONDS:
        raise AccountError("验证码已发送，请 1 分钟后再试。")
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        SmsCode.objects.create(
            user=user,
            purpose=SmsCode.Purpose.PASSWORD_RESET,
            code_hash=make_password(code),
            expires_at=now + timedelta(minutes=SMS_CODE_MINUTES),
        )
        log_action(actor=None, action="account.password_reset_requested", obj=user)
    notify(
        recipient=user,
        template="password_reset_code",
        context={"code": code, "minutes": SMS_CODE_MINUTES},
        channels=("sms",),
    )


def password_reset_confirm(*, user: User, code: str, new_password: str) -> None:
    """Set a new password when ``code`` matches the latest unexpired, unused code.

    A wrong code is counted (and committed) before the refusal is raised, so the attempt
    limit holds across requests.
    """
    now = timezone.now()
    refusal = ""
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(user=user, purpose=SmsCode.Purpose.PASSWORD_RESET, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if sms is None or sms.expires_at <= now:
            refusal = "验证码已失效，请重新获取。"
        elif sms.attempts >= SMS_CODE_MAX_ATTEMPTS:
            refusal = "验证码错误次数过多，请重新获取。"
        elif not check_password(code.strip(), sms.code_hash):
            sms.attempts += 1
            sms.save(update_fields=["attempts"])
            refusal = "验证码不正确。"
        else:
            sms.used_at = now
            sms.save(update_fields=["used_at"])
            user.set_password(new_password)
            user.failed_logins = 0
            user.locked_until = None
            user.save(update_fields=["password", "failed_logins", "locked_until"])
            log_action(actor=user, action="account.password_reset", obj=user)
    if refusal:
        raise AccountError(refusal)


def profile_update(*, user: User, data: dict[str, Any]) -> ApplicantProfile:
    """Save the basic information form; the employer must be an approved one."""
    employer = data.get("employer")
    if employer is not None and not employer.is_approved:
        raise AccountError("所选单位尚未通过审核，暂不能选择。")
    with transaction.atomic():
        profile, _ = ApplicantProfile.objects.select_for_update().get_or_create(user=user)
        changed = {}
        for field, value in data.items():
            if getattr(profile, field) != value:
                changed[field] = str(value)
                setattr(profile, field, value)
        profile.save()
        if changed:
            log_action(actor=user, action="profile.updated", obj=profile, data={"changed": sorted(changed)})
    return profile
