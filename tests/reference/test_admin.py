"""Admin pages of the reference data, and the holiday warning."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from tests import factories
from zhicheng.reference import models
from zhicheng.reference.models import HolidayOverride

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [
    models.Region,
    models.TitleLevel,
    models.Series,
    models.Specialty,
    models.Subspecialty,
    models.WorkFieldName,
    models.MajorFamily,
    models.PlanCalendar,
    models.PlanCalendarEntry,
    models.HonourListEntry,
    models.HolidayOverride,
    models.DataVersion,
]


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True, real_name="超级管理员")


def test_every_reference_model_is_registered():
    for model in REFERENCE_MODELS:
        assert site.is_registered(model), model.__name__


def test_changelists_open(client, loaded, superuser):
    client.force_login(superuser)
    for model in REFERENCE_MODELS:
        url = reverse(f"admin:reference_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, model.__name__


@pytest.fixture
def today_2026(monkeypatch):
    """Pin "today" to 2026-11-23: 2026 is in the calendar package, 2027 is not."""
    monkeypatch.setattr("zhicheng.reference.admin.timezone.localdate", lambda: date(2026, 11, 23))


def test_holiday_admin_warns_about_next_year(client, superuser, today_2026):
    client.force_login(superuser)
    html = client.get(reverse("admin:reference_holidayoverride_changelist")).content.decode()
    assert "2027 年的法定节假日安排尚未录入，工作日暂按周一至周五计算，请管理员在“节假日调整”中录入。" in html
    assert "2026 年的法定节假日安排尚未录入" not in html
    add_html = client.get(reverse("admin:reference_holidayoverride_add")).content.decode()
    assert "2027 年的法定节假日安排尚未录入" in add_html


def test_holiday_admin_stops_warning_once_the_year_is_entered(client, superuser, today_2026):
    client.force_login(superuser)
    HolidayOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    html = client.get(reverse("admin:reference_holidayoverride_changelist")).content.decode()
    assert "尚未录入" not in html


def test_override_saved_in_the_admin_changes_working_days(client, superuser):
    from zhicheng.reference import selectors

    client.force_login(superuser)
    assert selectors.is_working_day(date(2027, 1, 1))
    response = client.post(
        reverse("admin:reference_holidayoverride_add"),
        {"day": "2027-01-01", "is_working_day": "", "name": "元旦"},
    )
    assert response.status_code == 302
    assert not selectors.is_working_day(date(2027, 1, 1))
    assert selectors.calendar_warnings([2027]) == []
