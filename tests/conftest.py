"""Shared fixtures: reference data, personas and helpers used across the suite."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and private files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.SMS_FILE_PATH = tmp_path / "sms"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters never carry from one test to
    the next (the whole suite logs in far more often than any one client may)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox():
    """Each test starts with an empty SMS outbox (the locmem backend's list)."""
    from zhicheng.notifications import backends

    backends.outbox.clear()
    yield backends.outbox


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data(db):
    """Regions, levels, series … as ``load_reference`` loads them.

    Loaded once per session; reloaded only after a transactional test flushed the tables.
    """
    from zhicheng.reference.models import Region

    if not Region.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def county(reference_data):
    from zhicheng.reference.models import Region

    return Region.objects.get(code="330381")  # 瑞安市


@pytest.fixture
def employer(reference_data):
    return factories.EmployerFactory()


@pytest.fixture
def employer_admin(employer):
    return factories.employer_admin_of(employer)


@pytest.fixture
def applicant(employer):
    return factories.ApplicantFactory(profile__employer=employer)


@pytest.fixture
def platform_admin(db):
    return factories.UserFactory(is_staff=True, real_name="平台管理员")


@pytest.fixture
def pdf_bytes():
    return factories.MINIMAL_PDF
