"""Settings for Zhicheng, read from environment variables with safe development defaults.

Environment variables:
- ``DJANGO_DEBUG`` ("1" in development; production leaves it unset)
- ``SECRET_KEY`` (required when DEBUG is off)
- ``ZHICHENG_DATA_KEY`` (required when DEBUG is off: the secret that encrypts ID numbers at rest
  and keys their search hash; ``ZHICHENG_OLD_DATA_KEYS``, comma separated, still open values
  sealed before a rotation — see ``zhicheng.core.crypto``)
- ``DATABASE_URL`` (default: SQLite file under ``var/``)
- ``REDIS_URL`` (optional: cache and sessions in Redis)
- ``ALLOWED_HOSTS`` (comma separated)
- ``ZHICHENG_VAR_DIR`` (where the SQLite file, media and sent-mail files live)
- ``SMS_BACKEND`` / ``EMAIL_BACKEND`` and ``SMS_GATEWAY_URL`` / ``SMS_GATEWAY_TOKEN``
- ``ZHICHENG_JOB_RUNNER`` (background exports: "celery" when a broker is configured, else
  "thread"; "inline" runs at once)
- ``CELERY_BROKER_URL`` (default: ``REDIS_URL``; none means tasks run in-process, eagerly),
  ``CELERY_QUEUE``, ``CELERY_VISIBILITY_TIMEOUT`` (seconds before a dead worker's task is
  handed out again)
- ``ZHICHENG_STORAGE_BACKEND`` ("local" or "s3") and ``ZHICHENG_STORAGE_BUCKET`` /
  ``_ENDPOINT_URL`` / ``_REGION`` / ``_ACCESS_KEY`` / ``_SECRET_KEY`` / ``_PREFIX`` /
  ``_ADDRESSING_STYLE``: where private files live (S3 needs ``requirements-s3.txt``)
- ``LOG_LEVEL``, ``LOG_FORMAT`` ("json" lines by default in production, "text" with DEBUG)
- ``SECURE_SSL_REDIRECT``, ``SECURE_HSTS_SECONDS``, ``SECURE_HSTS_INCLUDE_SUBDOMAINS``,
  ``SECURE_HSTS_PRELOAD`` (HTTPS behind nginx; ``INSECURE_COOKIES=1`` serves plain HTTP)
- ``CONN_MAX_AGE``, ``DB_CONNECT_TIMEOUT`` (database connections)
- ``ZHICHENG_CJK_FONT`` (the CJK font file embedded in PDFs; default: Debian's WenQuanYi/Noto)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHICHENG_VAR_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET and os.environ.get("ZHICHENG_ALLOW_DEV_SECRET") != "1":
    raise ImproperlyConfigured("Set SECRET_KEY: production refuses to start with the development secret.")

DEVELOPMENT_DATA_KEY = "dev-only-insecure-data-key-change-me"
ZHICHENG_DATA_KEY = os.environ.get("ZHICHENG_DATA_KEY", DEVELOPMENT_DATA_KEY)
ZHICHENG_OLD_DATA_KEYS = [k for k in os.environ.get("ZHICHENG_OLD_DATA_KEYS", "").split(",") if k]
if not DEBUG and ZHICHENG_DATA_KEY == DEVELOPMENT_DATA_KEY and os.environ.get("ZHICHENG_ALLOW_DEV_SECRET") != "1":
    raise ImproperlyConfigured("Set ZHICHENG_DATA_KEY: production refuses to seal ID numbers with the development key.")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",
    "zhicheng.core",
    "zhicheng.accounts",
    "zhicheng.orgs",
    "zhicheng.reference",
    "zhicheng.archive",
    "zhicheng.plans",
    "zhicheng.integrity",
    "zhicheng.applications",
    "zhicheng.evaluation",
    "zhicheng.certificates",
    "zhicheng.documents",
    "zhicheng.notifications",
    "zhicheng.portal",
    "zhicheng.eligibility",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "zhicheng.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhicheng.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhicheng.urls"
WSGI_APPLICATION = "zhicheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhicheng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhicheng.core.context_processors.navigation",
                "zhicheng.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'zhicheng.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection the database dropped is replaced at the next request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Several requests may write at once in the demo server; wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering fails the request in seconds instead of hanging it.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (zhicheng/celery.py): exports, PDF batches and notifications go to Celery
# workers through a Redis broker; with no broker, tasks run in-process (the embedded demo and
# the tests need nothing). Tasks are acknowledged after they finish, so a worker that dies
# hands its task back (after the visibility timeout); every task is idempotent.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "zhicheng")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # results live in the rows users see (export jobs, messages)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
# Run by one `celery -A zhicheng beat` (or one worker with -B): re-send work whose message was
# lost (a broker restart, a broker unreachable at commit time, a web worker killed between its
# commit and the hand-over), once it has waited this long. Both sweeps are idempotent.
STALE_WORK_AFTER_SECONDS = int(os.environ.get("ZHICHENG_STALE_WORK_AFTER", "300"))
if STALE_WORK_AFTER_SECONDS < 1:
    raise ImproperlyConfigured("ZHICHENG_STALE_WORK_AFTER must be a number of seconds, at least 1.")
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-exports": {
        "task": "zhicheng.documents.tasks.sweep_stale_exports",
        "schedule": float(STALE_WORK_AFTER_SECONDS),
    },
    "sweep-stale-notifications": {
        "task": "zhicheng.notifications.tasks.sweep_stale_notifications",
        "schedule": float(STALE_WORK_AFTER_SECONDS),
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["zhicheng.accounts.backends.MobileOrIdNumberBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: this many failures within the window lock the account for the window.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "zhicheng" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Evidence and authorisation letters live outside any public URL and are served by views.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if os.environ.get("ZHICHENG_STORAGE_BACKEND", "local") == "s3":
    # S3-compatible object storage (django-storages, requirements-s3.txt). Objects are private
    # (no ACL grants, signed URLs only); views still stream them after the permission check.
    _s3 = {
        "bucket_name": os.environ.get("ZHICHENG_STORAGE_BUCKET", ""),
        "location": os.environ.get("ZHICHENG_STORAGE_PREFIX", "private"),
        "endpoint_url": os.environ.get("ZHICHENG_STORAGE_ENDPOINT_URL") or None,
        "region_name": os.environ.get("ZHICHENG_STORAGE_REGION") or None,
        "addressing_style": os.environ.get("ZHICHENG_STORAGE_ADDRESSING_STYLE") or None,
        "access_key": os.environ.get("ZHICHENG_STORAGE_ACCESS_KEY") or None,
        "secret_key": os.environ.get("ZHICHENG_STORAGE_SECRET_KEY") or None,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    if not _s3["bucket_name"]:
        raise ImproperlyConfigured("ZHICHENG_STORAGE_BACKEND=s3 needs ZHICHENG_STORAGE_BUCKET.")
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in _s3.items() if v is not None or k == "default_acl"},
    }
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@zhicheng.local")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "zhicheng.notifications.backends.ConsoleSmsBackend")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_FILE_PATH = VAR_DIR / "sms"

# Automatic extraction of degrees and social insurance (zhicheng.archive.importers): the demo
# adapter in development; in production a FileRegistryAdapter over the registries' exports.
ZHICHENG_JOB_RUNNER = os.environ.get("ZHICHENG_JOB_RUNNER", "celery" if CELERY_BROKER_URL else "thread")
ZHICHENG_CJK_FONT = os.environ.get("ZHICHENG_CJK_FONT", "")

ARCHIVE_REGISTRY_ADAPTER = os.environ.get(
    "ARCHIVE_REGISTRY_ADAPTER", "zhicheng.archive.importers.DemoRegistryAdapter" if DEBUG else ""
)
ARCHIVE_REGISTRY_OPTIONS: dict[str, str] = {}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
# `check --deploy`: W019 — evidence and letters are shown in frames of the site's own pages,
# so X-Frame-Options stays SAMEORIGIN (CSP frame-ancestors 'self'); W021 — HSTS preload binds
# the whole registrable domain: set SECURE_HSTS_PRELOAD=1 once its owner decides to.
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("INSECURE_COOKIES") != "1"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HTTPS: nginx terminates TLS and says so in X-Forwarded-Proto (docs/deployment.md).
    # INSECURE_COOKIES=1 (tests, loopback benchmarks) means plain HTTP: no redirect, no HSTS.
    _https = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1" if _https else "0") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if _https else "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"

# Logs go to standard error; in production one JSON object per line (zhicheng/core/logging.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "zhicheng.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

FORM_RENDERER = "zhicheng.core.forms.FormRenderer"
