"""``/healthz``: no login, each part's status, 503 naming the part that is down, no secrets;
the 500 handler's clear page when the database is unreachable."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from zhicheng.core import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_with_each_part(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "queue"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["queue"] == {"status": "ok", "mode": "in-process", "ms": body["checks"]["queue"]["ms"]}


def test_a_part_that_is_down_gives_503_and_names_it(client, monkeypatch):
    def broken() -> dict:
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed: password=s3cret')

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["checks"]["cache"]["status"] == "ok"
    text = response.content.decode()
    assert "s3cret" not in text and "10.0.0.5" not in text and "db.internal" not in text


def test_the_cache_check_fails_when_the_value_does_not_come_back(client, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda key: None)

    body = client.get("/healthz").json()

    assert body["checks"]["cache"] == {"status": "down", "error": "RuntimeError", "ms": body["checks"]["cache"]["ms"]}


def test_the_queue_check_asks_the_broker_when_one_is_configured(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from zhicheng.celery import app

    before = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = before

    assert response.status_code == 503
    queue = response.json()["checks"]["queue"]
    assert queue["status"] == "down" and "127.0.0.1:1" not in response.content.decode()


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def _outage(request):
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):
    raise ZeroDivisionError


urlpatterns = [path("outage/", _outage), path("bug/", _bug)]
handler500 = "zhicheng.core.health.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_a_lost_database_shows_a_clear_503_page():
    response = Client(raise_request_exception=False).get("/outage/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert 'data-error="database-unavailable"' in page and "服务暂时不可用" in page
    assert "不会只保存一半" in page and "Service temporarily unavailable" in page
    assert "server closed" not in page


@override_settings(ROOT_URLCONF=__name__)
def test_other_errors_show_the_plain_500_page():
    response = Client(raise_request_exception=False).get("/bug/")

    assert response.status_code == 500
    assert 'data-error="server-error"' in response.content.decode()
