"""Template filters of the archive."""

from __future__ import annotations

from decimal import Decimal

from django import template

from zhicheng.archive.selectors import format_hours

register = template.Library()


@register.filter
def hours(value: Decimal | int | float | None) -> str:
    """CE hours without a trailing ".0": 60 → "60", 10.5 → "10.5"."""
    return format_hours(value or 0)
