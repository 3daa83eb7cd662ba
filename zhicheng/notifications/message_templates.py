"""The registry of message templates.

Each template is a Django template at ``notifications/messages/<code>.txt``: the first line
is the subject, the rest is the body. An optional ``<code>.sms.txt`` holds a shorter body for
SMS (the whole file is the body). SMS bodies are prefixed with the platform signature
``settings.SMS_SIGNATURE`` (default 【职称平台】).

Templates render as plain text (no HTML escaping). A code not in the registry, or a context
missing one of the template's keys, raises, so a typo fails loudly instead of sending
an empty message. Values named in ``secret_keys`` (e.g. a one-time code) are sent but
replaced by ``REDACTED`` in what is stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, TemplateDoesNotExist, engines

DEFAULT_SMS_SIGNATURE = "【职称平台】"
REDACTED = "******"


class UnknownTemplate(LookupError):
    """The code is not a registered message template."""


class MissingContext(ValueError):
    """The context lacks a key the template needs."""


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    description: str
    context_keys: tuple[str, ...] = ()
    secret_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


_REGISTRY: dict[str, MessageTemplate] = {}


def register(template: MessageTemplate) -> MessageTemplate:
    existing = _REGISTRY.get(template.code)
    if existing is not None and existing != template:
        raise ValueError(f"message template {template.code!r} registered twice")
    _REGISTRY[template.code] = template
    return template


for _template in (
    MessageTemplate("employer_approved", "单位注册审核通过", ("organisation",)),
    MessageTemplate("employer_rejected", "单位注册审核未通过", ("organisation", "reason")),
    MessageTemplate("password_reset_code", "找回密码验证码", ("code", "minutes"), secret_keys=("code",)),
    MessageTemplate("account_locked", "账号因登录失败被锁定", ("minutes",)),
):
    register(_template)


def get_template(code: str) -> MessageTemplate:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownTemplate(f"unknown message template {code!r}") from None


def registered_codes() -> list[str]:
    return sorted(_REGISTRY)


def sms_signature() -> str:
    return getattr(settings, "SMS_SIGNATURE", DEFAULT_SMS_SIGNATURE)


def _load(name: str):
    return engines["django"].engine.get_template(name)


def _render_file(name: str, context: Mapping[str, Any]) -> str:
    # Plain text: no HTML escaping, so "A&B 公司" stays as written.
    return _load(name).render(Context(dict(context), autoescape=False))


def render(code: str, context: Mapping[str, Any], *, channel: str = "inbox", redact: bool = False) -> RenderedMessage:
    """Render template ``code`` for ``channel``; with ``redact`` the secret values are masked."""
    template = get_template(code)
    missing = [key for key in template.context_keys if key not in context]
    if missing:
        raise MissingContext(f"message template {code!r} needs context keys {missing}")
    if redact and template.secret_keys:
        context = {**context, **dict.fromkeys(template.secret_keys, REDACTED)}

    text = _render_file(f"notifications/messages/{code}.txt", context).strip()
    subject, _, body = text.partition("\n")
    subject, body = subject.strip(), body.strip()
    if channel == "sms":
        with contextlib.suppress(TemplateDoesNotExist):
            body = _render_file(f"notifications/messages/{code}.sms.txt", context).strip()
        body = _with_signature(body)
    return RenderedMessage(subject=subject, body=body)


def _with_signature(body: str) -> str:
    signature = sms_signature()
    return body if body.startswith(signature) else f"{signature}{body}"


def check_files(codes: Iterable[str] | None = None) -> list[str]:
    """Codes whose template file is missing (used by tests and checks)."""
    missing = []
    for code in codes if codes is not None else registered_codes():
        try:
            _load(f"notifications/messages/{code}.txt")
        except TemplateDoesNotExist:
            missing.append(code)
    return missing
