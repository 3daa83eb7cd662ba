"""Sessions and headers: CSRF on every POST, secure cookies and HSTS in production, a CSP
without inline scripts, rate limits on the endpoints anyone can hammer, account lockout."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.ops.test_settings import PRODUCTION, run
from tests.security.test_matrix import APP_URLS, EXPECTED, PERSONAS, client_for, url_of

pytestmark = pytest.mark.django_db

# The JSON API (django-ninja) takes no cookie authentication and changes no state: exempt.
CSRF_EXEMPT = {"api:openapi-json", "api:openapi-view", "api:evaluate", "api:api-root"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("persona", ["anonymous", "applicant_a", "admin"])
def test_every_post_without_a_csrf_token_is_refused(world, persona):
    """Every URL of the site, posted to without the token, answers 403 (the CSRF failure):
    no view is exempt, whatever its method or permission."""
    client = Client(enforce_csrf_checks=True)
    if world.user(persona):
        client.force_login(world.user(persona))
    accepted = []
    checked = 0
    for name, _route in APP_URLS:
        if name in CSRF_EXEMPT:
            continue
        response = client.post(url_of(world, name), {"x": "1"})
        checked += 1
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{name}: {response.status_code}")
    assert checked >= 100
    assert not accepted, "POST without CSRF token not refused:\n" + "\n".join(accepted)


READ_SECURITY = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "nosniff": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "debug": settings.DEBUG,
}))
"""


def test_production_settings_secure_cookies_and_hsts():
    result = run(["-c", READ_SECURITY], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] and values["nosniff"]
    assert values["debug"] is False


def test_production_refuses_the_development_secret():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run(["-c", READ_SECURITY], **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
JSON_DATA = re.compile(r'<script[^>]*type="application/(ld\+)?json"', re.IGNORECASE)


def _script_src(policy: str) -> str:
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == "script-src":
            return directive
    return ""


def test_pages_carry_a_csp_without_inline_scripts(world):
    """Every page a persona may open (200 in the matrix) is sent with a CSP whose script-src
    has neither 'unsafe-inline' nor 'unsafe-eval', and holds no inline script or handler
    (it would not run under that policy anyway)."""
    problems = []
    pages = 0
    for name, (method, expected) in EXPECTED.items():
        if method != "GET":
            continue
        for persona, outcome in zip(PERSONAS, expected, strict=True):
            if outcome != 200:
                continue
            response = client_for(world, persona).get(url_of(world, name))
            if not response.get("Content-Type", "").startswith("text/html"):
                break
            pages += 1
            script_src = _script_src(response.get("Content-Security-Policy", ""))
            if not script_src or "unsafe-inline" in script_src or "unsafe-eval" in script_src:
                problems.append(f"{name}: script-src {script_src!r}")
            html = response.content.decode()
            for match in INLINE_SCRIPT.finditer(html):
                if not JSON_DATA.match(match.group(0)):
                    problems.append(f"{name} ({persona}): inline script {match.group(0)[:60]!r}")
            for match in INLINE_HANDLER.finditer(html):
                problems.append(f"{name} ({persona}): inline handler {match.group(1)}")
            break  # one persona per page is enough for the template
    assert pages >= 60
    assert not problems, "\n".join(problems)


# --- rate limits and lockout --------------------------------------------------------------

LIMITED = {
    "login": ("accounts:login", {"login": "13900000999", "password": "wrong"}),
    "register": ("accounts:register", {"real_name": "x"}),
    "sms": ("accounts:password_reset", {"mobile": "13900000998"}),
    "sms_confirm": ("accounts:password_reset_confirm", {"mobile": "13900000998", "code": "000000"}),
}


@pytest.mark.parametrize("scope", sorted(LIMITED))
def test_public_forms_are_rate_limited_per_client(client, settings, scope):
    settings.ZHICHENG_RATE_LIMITS = {scope: (3, 600)}
    name, data = LIMITED[scope]
    url = reverse(name)
    answers = [client.post(url, data, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert 429 not in answers[:3]
    assert answers[3] == 429
    last = client.post(url, data, REMOTE_ADDR="203.0.113.7")
    assert "操作过于频繁" in last.content.decode()
    assert int(last["Retry-After"]) > 0
    # another client is not affected
    assert client.post(url, data, REMOTE_ADDR="198.51.100.9").status_code != 429


def test_policy_api_is_rate_limited(client, settings):
    settings.ZHICHENG_RATE_LIMITS = {"policy_api": (2, 60)}
    url = "/api/v1/policy/evaluate"
    answers = [client.post(url, data="{}", content_type="application/json").status_code for _ in range(3)]
    assert answers == [422, 422, 429]
    body = client.post(url, data="{}", content_type="application/json").json()
    assert "操作过于频繁" in body["detail"][0]["msg"]


def test_accounts_lock_after_repeated_wrong_passwords(settings):
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(mobile="13700009999")
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(reverse("accounts:login"), {"login": user.mobile, "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"login": user.mobile, "password": PASSWORD})
    assert response.status_code == 200  # the right password no longer logs in
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- re-authentication before exporting full ID numbers -------------------------------------


def test_full_id_export_needs_the_password_again(world, settings):
    from tests.security.world import MOBILES
    from zhicheng.core.management.commands.load_demo import DEMO_PASSWORD
    from zhicheng.core.models import AuditEntry
    from zhicheng.documents.models import ExportJob

    reviewer = world.user("county_in_chain")
    plan = world.objects["plan"]
    url = reverse("documents:plan_export", args=[plan.pk])
    client = Client()
    client.force_login(reviewer)  # a session whose password was not entered recently
    jobs = ExportJob.objects.count()

    response = client.post(url, {"kind": "roster", "full_ids": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert ExportJob.objects.count() == jobs

    wrong = client.post(response["Location"], {"password": "not-the-password", "next": url})
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    right = client.post(reverse("accounts:reauth"), {"password": DEMO_PASSWORD, "next": url})
    assert right.status_code == 302 and right["Location"] == url
    assert AuditEntry.objects.filter(action="account.password_confirmed", actor=reviewer).exists()

    response = client.post(url, {"kind": "roster", "full_ids": "on"})
    assert response.status_code == 302 and "/documents/jobs/" in response["Location"]
    assert ExportJob.objects.count() == jobs + 1

    settings.ZHICHENG_REAUTH_MINUTES = 0  # the confirmation has expired
    response = client.post(url, {"kind": "roster", "full_ids": "on"})
    assert response["Location"].startswith(reverse("accounts:reauth"))

    # masked exports never ask
    response = client.post(url, {"kind": "roster"})
    assert "/documents/jobs/" in response["Location"]

    # a password login counts as a recent confirmation
    fresh = Client()
    fresh.post(reverse("accounts:login"), {"login": MOBILES["county_in_chain"], "password": DEMO_PASSWORD})
    settings.ZHICHENG_REAUTH_MINUTES = 10
    assert "/documents/jobs/" in fresh.post(url, {"kind": "roster", "full_ids": "on"})["Location"]


def test_reauth_never_redirects_off_site(world):
    client = Client()
    client.force_login(world.user("applicant_a"))
    from zhicheng.core.management.commands.load_demo import DEMO_PASSWORD

    response = client.post(reverse("accounts:reauth"), {"password": DEMO_PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("http")
