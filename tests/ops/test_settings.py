"""Production settings from the environment: `check --deploy` is clean, Celery's broker and
eager mode, the job runner, S3 for private files, log format. Each case imports the settings
in a fresh interpreter with its own environment (settings are read once, at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "a-production-secret-" + "x" * 40,
    "ZHICHENG_DATA_KEY": "a-production-data-key-" + "y" * 30,
    "DATABASE_URL": "postgres://zhicheng:pw@db.internal:5432/zhicheng",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "zhicheng.example.gov.cn",
}
READ = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "runner": settings.ZHICHENG_JOB_RUNNER,
    "private": settings.STORAGES["private"],
    "log_format": settings.LOG_FORMAT,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "conn_health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}, default=str))
"""


def run(code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "ZHICHENG_"))}
    for key in (
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "ZHICHENG_DATA_KEY",
        "INSECURE_COOKIES",
        "ALLOWED_HOSTS",
        "LOG_FORMAT",
    ):
        clean.pop(key, None)
    clean.update(env, DJANGO_SETTINGS_MODULE="zhicheng.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, *code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def read(**env: str) -> dict:
    result = run(["-c", READ], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_a_weak_setting():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, SECURE_HSTS_SECONDS="0")

    assert result.returncode != 0 and "security.W004" in result.stderr


def test_production_uses_redis_as_broker_and_celery_for_jobs_with_json_logs_and_https():
    values = read(**PRODUCTION)

    assert values["eager"] is False and values["broker"] == PRODUCTION["REDIS_URL"]
    assert values["runner"] == "celery"
    assert values["log_format"] == "json"
    assert values["ssl_redirect"] is True and values["hsts"] == 31536000
    assert values["conn_health_checks"] is True
    assert values["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_separate_broker_url_wins():
    values = read(**PRODUCTION, CELERY_BROKER_URL="redis://queue.internal:6379/1")

    assert values["broker"] == "redis://queue.internal:6379/1"


def test_without_a_broker_tasks_run_in_process_and_jobs_in_a_thread():
    values = read(DJANGO_DEBUG="1")

    assert values["eager"] is True and values["broker"] == ""
    assert values["runner"] == "thread"
    assert values["log_format"] == "text"


def test_private_files_in_s3_compatible_storage_when_configured():
    values = read(
        **PRODUCTION,
        ZHICHENG_STORAGE_BACKEND="s3",
        ZHICHENG_STORAGE_BUCKET="zhicheng-evidence",
        ZHICHENG_STORAGE_ENDPOINT_URL="https://oss.example.gov.cn",
        ZHICHENG_STORAGE_REGION="cn-east-1",
        ZHICHENG_STORAGE_ACCESS_KEY="AK",
        ZHICHENG_STORAGE_SECRET_KEY="SK",
    )

    private = values["private"]
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    options = private["OPTIONS"]
    assert options["bucket_name"] == "zhicheng-evidence" and options["location"] == "private"
    assert options["endpoint_url"] == "https://oss.example.gov.cn" and options["region_name"] == "cn-east-1"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_a_sweep_interval_below_one_second_refuses_to_start():
    result = run(["-c", READ], **PRODUCTION, ZHICHENG_STALE_WORK_AFTER="0")

    assert result.returncode != 0 and "ZHICHENG_STALE_WORK_AFTER" in result.stderr


def test_s3_without_a_bucket_refuses_to_start():
    result = run(["-c", READ], **PRODUCTION, ZHICHENG_STORAGE_BACKEND="s3")

    assert result.returncode != 0 and "ZHICHENG_STORAGE_BUCKET" in result.stderr


BUILD_S3 = """
import json, django
django.setup()
from zhicheng.core.storage import private_storage
s = private_storage()
print(json.dumps([type(s).__name__, s.bucket_name, s.location, s.endpoint_url, s.default_acl, s.file_overwrite]))
"""


@pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import storages, boto3"], capture_output=True).returncode != 0,  # noqa: S603
    reason="django-storages[s3] is optional (requirements-s3.txt)",
)
def test_the_private_storage_becomes_s3_when_django_storages_is_installed():
    result = run(
        ["-c", BUILD_S3],
        **PRODUCTION,
        ZHICHENG_STORAGE_BACKEND="s3",
        ZHICHENG_STORAGE_BUCKET="b",
        ZHICHENG_STORAGE_ENDPOINT_URL="http://127.0.0.1:9",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [
        "S3Storage",
        "b",
        "private",
        "http://127.0.0.1:9",
        None,
        False,
    ]
