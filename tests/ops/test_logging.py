"""Structured logs: one JSON object per line, with what a collector needs and no secrets."""

from __future__ import annotations

import json
import logging

from django.test import RequestFactory

from zhicheng.core.logging import JsonFormatter


def record(name: str = "zhicheng.test", msg: str = "hello %s", args: object = ("world",), **extra) -> logging.LogRecord:
    rec = logging.LogRecord(name, logging.WARNING, __file__, 10, msg, args, None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_a_record_is_one_json_line_with_time_level_logger_and_message():
    line = JsonFormatter().format(record())

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "hello world"
    assert entry["level"] == "WARNING" and entry["logger"] == "zhicheng.test"
    assert entry["time"].endswith("+00:00") and "pid" in entry


def test_plain_extras_are_kept_and_objects_and_secret_names_are_not():
    entry = json.loads(
        JsonFormatter().format(record(job=42, kind="roster", password="hunter2", token="t", obj=object()))
    )

    assert entry["job"] == 42 and entry["kind"] == "roster"
    assert "password" not in entry and "token" not in entry and "obj" not in entry


def test_chinese_is_written_as_is():
    entry = JsonFormatter().format(record(msg="申报 %s 已提交", args=("ZC-1",)))

    assert "申报 ZC-1 已提交" in entry


def test_an_exception_carries_its_traceback():
    try:
        raise ValueError("bad value")
    except ValueError:
        import sys

        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(rec))

    assert "ValueError: bad value" in entry["exc"]


def test_a_django_request_record_gives_method_and_path_but_not_the_query_or_cookies():
    request = RequestFactory().get("/applications/review/?token=abc", HTTP_COOKIE="sessionid=secret")
    entry = json.loads(
        JsonFormatter().format(
            record(name="django.request", msg="Not Found", args=(), request=request, status_code=404)
        )
    )

    assert entry["method"] == "GET" and entry["path"] == "/applications/review/" and entry["status_code"] == 404
    assert "abc" not in json.dumps(entry) and "secret" not in json.dumps(entry)


def test_a_gunicorn_access_record_picks_fields_and_never_copies_headers():
    atoms = {
        "h": "127.0.0.1",
        "m": "POST",
        "U": "/applications/7/submit/",
        "q": "next=/x",
        "s": "302",
        "B": 0,
        "M": 87,
        "{cookie}i": "sessionid=very-secret",
        "{x-forwarded-for}i": "10.0.0.8",
        "{authorization}i": "Bearer abc",
    }
    rec = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(r)s", (atoms,), None)
    entry = json.loads(JsonFormatter().format(rec))

    assert entry["message"] == "request"
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "POST",
        "/applications/7/submit/",
        302,
        87,
    )
    assert entry["forwarded_for"] == "10.0.0.8"
    text = json.dumps(entry)
    assert "very-secret" not in text and "Bearer" not in text and "next=" not in text
