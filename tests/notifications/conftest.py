"""Fixtures for the notifications tests: people and a clean SMS outbox."""

from __future__ import annotations

import itertools

import pytest

from zhicheng.notifications import backends

_mobiles = itertools.count(13800000001)


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db, django_user_model):
    def make(**fields):
        fields.setdefault("mobile", str(next(_mobiles)))
        fields.setdefault("real_name", "张三")
        return django_user_model.objects.create_user(password="pw-for-tests-1", **fields)

    return make


@pytest.fixture
def alice(make_user):
    return make_user(real_name="李丽", email="alice@example.com")


@pytest.fixture
def bob(make_user):
    return make_user(real_name="王波")
