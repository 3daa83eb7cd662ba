"""Public verification: by number and name or by the QR link, no login; a tampered number or a
wrong name finds nothing and says nothing more; lookups are rate-limited per address."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from zhicheng.certificates import numbers, selectors, services

pytestmark = pytest.mark.django_db

VERIFY = "/verify/"


def lookup(client, number: str, name: str, **extra):
    return client.post(reverse("verify:lookup"), {"number": number, "name": name}, **extra)


def tampered(number: str) -> str:
    """The same number with one digit of the serial changed (the check character left alone)."""
    digit = str((int(number[12]) + 1) % 10)
    return number[:12] + digit + number[13:]


def test_the_verification_page_is_public(client):
    assert reverse("verify:lookup") == VERIFY
    response = client.get(VERIFY)
    assert response.status_code == 200 and "证书编号" in response.content.decode()


def test_a_valid_certificate_by_number_and_name(client, certificate, zhang):
    response = lookup(client, certificate.number, zhang.real_name)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="verify-valid"' in html and "证书有效" in html
    for shown in (certificate.number, zhang.real_name, certificate.masked_id_number, "工程师", certificate.committee):
        assert shown in html
    assert zhang.id_number not in html and zhang.mobile not in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_typing_spaces_and_a_lower_case_x_still_finds_it(client, certificate, zhang):
    spaced = f"{certificate.number[:4]} {certificate.number[4:8]} {certificate.number[8:]}".lower()
    assert 'data-testid="verify-valid"' in lookup(client, spaced, f" {zhang.real_name} ").content.decode()


def not_found(response, certificate, zhang) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 200
        and 'data-testid="verify-not-found"' in html
        and 'data-testid="verify-details"' not in html
        and certificate.masked_id_number not in html
        and certificate.committee not in html
        and zhang.id_number not in html
    )


def test_a_wrong_name_finds_nothing(client, certificate, zhang):
    assert not_found(lookup(client, certificate.number, "李四"), certificate, zhang)
    assert not_found(lookup(client, certificate.number, zhang.real_name + "伟"), certificate, zhang)


def test_a_tampered_number_finds_nothing_and_says_nothing_more(client, certificate, zhang):
    changed = tampered(certificate.number)
    assert not numbers.is_well_formed(changed)
    wrong = lookup(client, changed, zhang.real_name)
    assert not_found(wrong, certificate, zhang)
    # a well-formed number of nobody's certificate reads exactly the same
    nobody = numbers.compose(certificate.number[:9], 99999)
    other = lookup(client, nobody, zhang.real_name)
    assert not_found(other, certificate, zhang)
    assert same_page(wrong, other, changed, nobody)


def same_page(a, b, *echoed: str) -> bool:
    """The two responses differ only in the echoed input and the per-response CSRF tokens."""

    def plain(response) -> str:
        html = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode())
        for text in echoed:
            html = html.replace(text, "")
        return html

    return plain(a) == plain(b)


def test_a_tampered_number_is_refused_before_the_database_is_asked(certificate, zhang, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.verify_by_number(tampered(certificate.number), zhang.real_name) is None


def test_the_qr_link_verifies_without_a_login(client, certificate, zhang):
    response = client.get(reverse("verify:token", args=[certificate.token]))
    html = response.content.decode()
    assert response.status_code == 200 and "证书有效" in html and zhang.real_name in html
    assert 'name="referrer"' not in html and response["Referrer-Policy"] == "strict-origin"


def test_a_made_up_token_finds_nothing(client, certificate, zhang):
    response = client.get(reverse("verify:token", args=["A" * 32]))
    assert response.status_code == 404 and 'data-testid="verify-not-found"' in response.content.decode()
    assert zhang.real_name not in response.content.decode()


def test_the_token_is_random_and_not_the_number(certificate):
    assert len(certificate.token) >= 32 and certificate.number not in certificate.token


def test_a_withdrawn_certificate_says_revoked_when_and_why(client, certificate, zhang, city_officer):
    services.title_revoke(
        actor=city_officer,
        application=certificate.application,
        reason="伪造专利证书（温职改〔2025〕3号）",
        public_reason="违反职称评审纪律（申报材料弄虚作假），依规撤销评审结果并收回证书",
        now=timezone.make_aware(timezone.datetime(2025, 3, 18, 10)),
    )
    for response in (
        lookup(client, certificate.number, zhang.real_name),
        client.get(reverse("verify:token", args=[certificate.token])),
    ):
        html = response.content.decode()
        assert 'data-testid="verify-revoked"' in html and "证书有效" not in html
        assert "2025年3月18日" in html and "申报材料弄虚作假" in html
        assert "伪造专利证书" not in html  # the details stay with the offices
    certificate.application.refresh_from_db()
    assert certificate.application.status == "revoked"


def test_lookups_are_rate_limited_per_address(client, certificate, zhang, settings):
    settings.ZHICHENG_VERIFY_RATE = (3, 600)
    for _ in range(3):
        assert lookup(client, certificate.number, "李四").status_code == 200
    blocked = lookup(client, certificate.number, zhang.real_name)
    html = blocked.content.decode()
    assert blocked.status_code == 429 and "查询过于频繁" in html and 'data-testid="verify-valid"' not in html
    assert client.get(reverse("verify:token", args=[certificate.token])).status_code == 429
    elsewhere = lookup(client, certificate.number, zhang.real_name, REMOTE_ADDR="192.0.2.7")
    assert 'data-testid="verify-valid"' in elsewhere.content.decode()


@pytest.mark.parametrize("data", [{}, {"number": "1" * 500, "name": "张伟"}, {"number": "abc", "name": ""}])
def test_bad_input_gets_a_message_not_an_error(client, data):
    response = client.post(VERIFY, data)
    assert response.status_code == 400 and "is-invalid" in response.content.decode()


def test_the_holder_sees_the_verification_link(client, certificate, zhang):
    client.force_login(zhang)
    html = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert f"/verify/{certificate.token}/" in html
