"""Applicant registration: errors in Chinese beside the field, input kept, Argon2, audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from zhicheng.accounts.models import User
from zhicheng.core.models import AuditEntry
from zhicheng.lib.idnumbers import make_resident_id

pytestmark = pytest.mark.django_db
URL = reverse("accounts:register")
GOOD_ID = make_resident_id(area="330381", birth=date(1988, 5, 12), seq="351")


def _post(client, **overrides):
    data = {
        "real_name": "张伟",
        "id_number": GOOD_ID,
        "mobile": "13812345678",
        "password": "Ruian-Jixie-2024",
        "password_confirm": "Ruian-Jixie-2024",
    }
    data.update(overrides)
    return client.post(URL, data)


def _field_errors(response, field):
    html = response.content.decode()
    marker = f'data-field-error="{field}"'
    return [chunk.split("</div>")[0] for chunk in html.split(marker)[1:]]


def test_registration_creates_user_with_profile_from_id_number(client, settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    response = _post(client, id_number=GOOD_ID.lower())
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    user = User.objects.get(mobile="13812345678")
    assert user.id_number == GOOD_ID.upper()
    assert user.password.startswith("argon2")
    assert user.profile.birth_date == date(1988, 5, 12)
    assert user.profile.gender == "male"
    assert AuditEntry.objects.filter(action="account.registered", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1"), "校验位"),
        ("id_number", "33038119880230351X", "出生日期"),
        ("id_number", "3303811988", "18位"),
        ("mobile", "1381234567", "手机号码"),
        ("password", "password", "常见"),
    ],
)
def test_errors_are_in_chinese_beside_the_field_and_input_is_kept(client, field, value, message):
    overrides = {field: value}
    if field == "password":
        overrides["password_confirm"] = value
    response = _post(client, **overrides)
    assert response.status_code == 200
    errors = _field_errors(response, field)
    assert errors and message in errors[0]
    html = response.content.decode()
    assert 'value="张伟"' in html  # the name the user typed is still there
    if field != "mobile":
        assert 'value="13812345678"' in html
    assert not User.objects.exists()


def test_mismatched_passwords(client):
    response = _post(client, password_confirm="Ruian-Jixie-2025")
    assert "两次输入的密码不一致" in _field_errors(response, "password_confirm")[0]


def test_duplicate_id_number_and_mobile_are_refused(client):
    factories.ApplicantFactory(id_number=GOOD_ID, mobile="13812345678")
    response = _post(client)
    assert "已注册" in _field_errors(response, "id_number")[0]
    assert "已注册" in _field_errors(response, "mobile")[0]


@pytest.mark.parametrize(
    "number",
    [
        make_resident_id(area="810000", birth=date(1985, 3, 3), seq="002"),
        make_resident_id(area="830000", birth=date(1985, 3, 3), seq="002"),
    ],
)
def test_residence_permits_are_accepted(client, number):
    assert _post(client, id_number=number).status_code == 302
    assert User.objects.get().id_type in {"hk_macao_residence", "taiwan_residence"}
