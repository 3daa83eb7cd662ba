"""gunicorn settings, read by ``gunicorn zhicheng.wsgi`` from the project directory.

Every value can be changed by an environment variable (docs/deployment.md):

- ``GUNICORN_BIND`` (default ``127.0.0.1:8000``: nginx in front, on the same machine)
- ``GUNICORN_WORKERS`` (default 2 × cores + 1) and ``GUNICORN_THREADS`` (default 1: sync
  workers; more than 1 selects the gthread worker, which overlaps database waits)
- ``GUNICORN_TIMEOUT`` (seconds a request may take before its worker is killed, default 30:
  long work goes to Celery, never into a request)
- ``GUNICORN_MAX_REQUESTS`` (restart a worker after this many requests, default 2000, with
  jitter, so slow leaks never grow)
- ``GUNICORN_ACCESS_LOG`` ("-": standard error, the default; "" turns it off; or a file)
- ``FORWARDED_ALLOW_IPS`` (the proxies whose X-Forwarded-* headers are trusted)

Logs (errors and access) are JSON lines through ``zhicheng.core.logging.JsonFormatter``
unless ``LOG_FORMAT=text``; the access line has method, path, status, bytes and duration, and
never headers, cookies or the query string.
"""

from __future__ import annotations

import os

_cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * _cores + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
# Load Django once in the master: workers fork with it (less memory, faster restarts).
preload_app = True
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
limit_request_line = 8190
# systemd sends the signals; no control socket in the home directory (several instances on
# one machine, as in the benchmark and the failure tests, would share it).
control_socket_disable = True

_access = os.environ.get("GUNICORN_ACCESS_LOG", "-")
accesslog = _access or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

if os.environ.get("LOG_FORMAT", "json") == "json":
    _access_handler: dict[str, str] = (
        {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        if _access in ("", "-")
        else {"class": "logging.FileHandler", "formatter": "json", "filename": _access}
    )
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "zhicheng.core.logging.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "access": _access_handler,
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO" if _access else "WARNING", "propagate": False},
        },
    }
