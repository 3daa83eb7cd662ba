"""The public lookup and objection limits are the core rate limiter's: one client-address
helper and one fixed-window counter, with the certificates' own settings and defaults."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from zhicheng.certificates import ratelimit
from zhicheng.core import ratelimit as core_ratelimit


def test_certificates_use_the_core_client_address_and_counter():
    assert ratelimit.client_ip is core_ratelimit.client_ip
    assert ratelimit.Limit is core_ratelimit.Limit
    assert ratelimit.hit is core_ratelimit.count_hit


def test_limits_read_their_settings(settings):
    settings.ZHICHENG_VERIFY_RATE = None
    settings.ZHICHENG_OBJECTION_RATE = None
    assert ratelimit.verification_limit() == core_ratelimit.Limit("verify", 20, 600)
    assert ratelimit.objection_limit() == core_ratelimit.Limit("objection", 5, 3600)
    settings.ZHICHENG_VERIFY_RATE = (3, 60)
    settings.ZHICHENG_OBJECTION_RATE = [2, 120]
    assert ratelimit.verification_limit() == core_ratelimit.Limit("verify", 3, 60)
    assert ratelimit.objection_limit() == core_ratelimit.Limit("objection", 2, 120)


def test_fixed_window_per_address():
    limit = core_ratelimit.Limit("verify", 2, 600)
    start = 1_800_000_000.0 - 1_800_000_000.0 % 600
    assert ratelimit.hit(limit, "192.0.2.1", now=start + 10) == (True, 590)
    assert ratelimit.hit(limit, "192.0.2.1", now=start + 20) == (True, 580)
    assert ratelimit.hit(limit, "192.0.2.1", now=start + 30) == (False, 570)
    assert ratelimit.hit(limit, "192.0.2.2", now=start + 30) == (True, 570)  # another client
    assert ratelimit.hit(limit, "192.0.2.1", now=start + 600) == (True, 600)  # the next window


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "198.51.100.4"),
        (
            "HTTP_X_FORWARDED_FOR",
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.1"},
            "203.0.113.9",
        ),
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_client_address(settings, header, meta, expected):
    settings.ZHICHENG_CLIENT_IP_HEADER = header
    assert ratelimit.client_ip(RequestFactory().get("/verify/", **meta)) == expected


def test_minutes_round_up():
    assert [ratelimit.minutes(s) for s in (1, 59, 60, 61, 600)] == [1, 1, 1, 2, 10]
