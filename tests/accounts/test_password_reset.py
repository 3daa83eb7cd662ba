"""Password reset by an SMS code: one-time, expiring, limited attempts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from zhicheng.accounts.models import SmsCode

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Wenzhou-Jidian-2025"


@pytest.fixture
def person(db):
    return factories.ApplicantFactory(mobile="13700002222")


def _code_from(sms_outbox):
    return re.search(r"\d{6}", sms_outbox[-1]["content"]).group()


def _confirm(client, code, password=NEW_PASSWORD):
    return client.post(
        reverse("accounts:password_reset_confirm"),
        {"mobile": "13700002222", "code": code, "password": password, "password_confirm": password},
    )


def test_reset_with_sms_code(client, person, sms_outbox):
    response = client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    assert response.status_code == 302
    assert sms_outbox[-1]["mobile"] == "13700002222"
    assert _confirm(client, _code_from(sms_outbox)).status_code == 302
    assert client.login(username="13700002222", password=NEW_PASSWORD)


def test_code_is_single_use(client, person, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    code = _code_from(sms_outbox)
    _confirm(client, code)
    response = _confirm(client, code, "Another-Pass-2026")
    assert "验证码已失效" in response.content.decode()


def test_wrong_code_then_too_many_attempts(client, person, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    real = _code_from(sms_outbox)
    wrong = f"{(int(real) + 1) % 10**6:06d}"
    for _ in range(5):
        assert "验证码不正确" in _confirm(client, wrong).content.decode()
    assert "错误次数过多" in _confirm(client, real).content.decode()


def test_expired_code(client, person, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    SmsCode.objects.update(expires_at=timezone.now())
    assert "已失效" in _confirm(client, _code_from(sms_outbox)).content.decode()


def test_unknown_number_gets_same_answer_and_no_sms(client, sms_outbox):
    response = client.post(reverse("accounts:password_reset"), {"mobile": "13700009999"})
    assert response.status_code == 302 and not sms_outbox


def test_resend_within_a_minute_is_refused(client, person, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    response = client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    assert response.status_code == 200 and "1 分钟后" in response.content.decode()
    assert len(sms_outbox) == 1


def test_code_is_stored_hashed(client, person, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"mobile": "13700002222"})
    assert _code_from(sms_outbox) not in SmsCode.objects.get().code_hash
