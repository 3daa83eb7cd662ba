"""``{% active_ban_of person as ban %}``: the ban in force today (Asia/Shanghai) on ``person``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from zhicheng.integrity.models import IntegrityRecord
from zhicheng.integrity.selectors import active_ban
from zhicheng.lib.idnumbers import mask_id_number

register = template.Library()


@register.simple_tag
def active_ban_of(person: Any) -> IntegrityRecord | None:
    if person is None or getattr(person, "pk", None) is None:
        return None
    return active_ban(person, timezone.localdate())


@register.filter
def masked_id(number: str | None) -> str:
    """``330302********123X`` (ID numbers are masked on pages)."""
    return mask_id_number(number) if number else ""
