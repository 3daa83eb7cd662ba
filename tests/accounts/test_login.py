"""Login by mobile or ID number; lockout after repeated failures; logout."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("accounts:login")


@pytest.fixture
def person(db):
    return factories.ApplicantFactory(mobile="13700001111")


def _login(client, login, password=PASSWORD):
    return client.post(URL, {"login": login, "password": password})


def test_login_by_mobile(client, person):
    response = _login(client, "13700001111")
    assert response.status_code == 302 and response.url == reverse("portal:dashboard")


def test_login_by_id_number_any_case(client, person):
    assert _login(client, person.id_number.lower()).status_code == 302


def test_wrong_password_message_keeps_login(client, person):
    response = _login(client, "13700001111", "wrong-pass")
    assert response.status_code == 200
    html = response.content.decode()
    assert "账号或密码不正确" in html and 'value="13700001111"' in html


def test_lockout_after_five_failures_even_with_right_password(
    client, person, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.LOGIN_MAX_FAILURES = 5
    with django_capture_on_commit_callbacks(execute=True):  # the lockout SMS goes out at commit
        for _ in range(5):
            _login(client, "13700001111", "wrong-pass")
    person.refresh_from_db()
    assert person.locked_until and person.locked_until > timezone.now()
    response = _login(client, "13700001111")
    assert response.status_code == 200 and "临时锁定" in response.content.decode()
    assert any("锁定" in sms["content"] for sms in sms_outbox)


def test_lock_expires(client, person):
    person.locked_until = timezone.now() - timezone.timedelta(seconds=1)
    person.save()
    assert _login(client, "13700001111").status_code == 302


def test_success_resets_failure_count(client, person):
    _login(client, "13700001111", "wrong-pass")
    _login(client, "13700001111")
    person.refresh_from_db()
    assert person.failed_logins == 0


def test_next_is_followed_only_on_this_site(client, person):
    response = client.post(URL + "?next=https://evil.example/", {"login": "13700001111", "password": PASSWORD})
    assert response.url == reverse("portal:dashboard")
    client.logout()
    response = client.post(URL, {"login": "13700001111", "password": PASSWORD, "next": reverse("accounts:profile")})
    assert response.url == reverse("accounts:profile")


def test_logout_needs_post(client, person):
    client.force_login(person)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
