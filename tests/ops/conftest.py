"""The production-like stack of the failure and backup tests (marked ``ops``): a database of
their own on the local PostgreSQL (reached through a proxy the tests can cut), Redis for the
cache, sessions and the Celery broker, gunicorn and a Celery worker started as processes.

They run when PostgreSQL and Redis answer on 127.0.0.1 and the suite itself runs on
PostgreSQL (CI's second pass: ``DATABASE_URL=postgres://… ./dev test``), or when
``ZHICHENG_OPS_TESTS=1``; otherwise they are skipped with the reason (so CI runs them once).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from benchmarks.surge.servers import CeleryWorker, Gunicorn, free_port
from tests.ops.proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
CACHE_DB, BROKER_DB = 13, 14


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ops: failure and backup tests on a real PostgreSQL, Redis, gunicorn and Celery")


def _answers(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def skip_reason() -> str | None:
    if not (_answers(PG) and _answers(REDIS)):
        return "needs PostgreSQL and Redis on 127.0.0.1"
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    if not on_postgres and os.environ.get("ZHICHENG_OPS_TESTS") != "1":
        return "runs in the PostgreSQL pass (DATABASE_URL=postgres://…) or with ZHICHENG_OPS_TESTS=1"
    if shutil.which("pg_dump") is None:
        return "needs the PostgreSQL client programs (pg_dump)"
    return None


def _clean_redis(queue: str, sessions: list[str]) -> None:
    """Remove what the stack left in Redis: its queue and bindings, the sessions it made."""
    import redis

    broker = redis.Redis(host=REDIS[0], port=REDIS[1], db=BROKER_DB)
    broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    cache = redis.Redis(host=REDIS[0], port=REDIS[1], db=CACHE_DB)
    for start in range(0, len(sessions), 500):
        cache.delete(*(f":1:django.contrib.sessions.cache{key}" for key in sessions[start : start + 500]))


@dataclass
class Stack:
    name: str
    env: dict[str, str]
    var: Path
    proxy: TcpProxy
    plan: int
    drafts: list[list[Any]]
    staff: dict[str, str]
    queue: str
    logs: Path
    direct_env: dict[str, str] = field(default_factory=dict)  # the database itself, no proxy
    servers: list[Any] = field(default_factory=list)

    def sql(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(f"postgres://postgres@{PG[0]}:{PG[1]}/{self.name}", autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def take(self, count: int) -> list[list[Any]]:
        taken, self.drafts = self.drafts[:count], self.drafts[count:]
        assert len(taken) == count, "not enough prepared drafts"
        return taken

    def gunicorn(self, workers: int = 2) -> Gunicorn:
        server = Gunicorn(env=self.env, log=self.logs / "gunicorn.log", port=free_port(), workers=workers)
        server.start()
        self.servers.append(server)
        server.wait_healthy()
        server.wait_workers(workers)
        return server

    def worker(self, concurrency: int = 2, *, beat: bool = False) -> CeleryWorker:
        """A Celery worker on the stack's queue; ``beat``: with ``celery beat``'s sweeps in it."""
        worker = CeleryWorker(
            env=self.env,
            log=self.logs / "celery.log",
            queue=self.queue,
            concurrency=concurrency,
            beat_schedule=self.logs / "celerybeat-schedule" if beat else None,
        )
        worker.start()
        self.servers.append(worker)
        worker.wait_ready()
        return worker


def _drop_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"postgres://postgres@{PG[0]}:{PG[1]}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    import psycopg
    from psycopg import sql

    name = f"zhicheng_ops_{os.getpid()}"
    base = tmp_path_factory.mktemp("ops")
    var, logs = base / "var", base / "logs"
    logs.mkdir()
    with psycopg.connect(f"postgres://postgres@{PG[0]}:{PG[1]}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    proxy = TcpProxy(PG)
    queue = f"zhicheng-ops-{os.getpid()}"
    common = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "ZHICHENG_", "GUNICORN_", "SMS_", "PYTEST"))
    }
    env = {
        **common,
        "DJANGO_SETTINGS_MODULE": "tests.ops.server_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ZHICHENG_DATA_KEY": secrets.token_urlsafe(32),
        "INSECURE_COOKIES": "1",
        "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{CACHE_DB}",
        "CELERY_BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{BROKER_DB}",
        "CELERY_QUEUE": queue,
        "ZHICHENG_VAR_DIR": str(var),
        "SMS_BACKEND": "zhicheng.notifications.backends.FileSmsBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ZHICHENG_STALE_WORK_AFTER": "5",  # beat's sweeps every 5 s, for work waiting 5 s
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "PYTHONUNBUFFERED": "1",
    }
    direct = {**env, "DATABASE_URL": f"postgres://postgres@{PG[0]}:{PG[1]}/{name}"}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{proxy.port}/{name}"
    prepared = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "tests" / "ops" / "stack.py"), "prepare", "--drafts", "260"],
        cwd=ROOT,
        env=direct,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if prepared.returncode != 0:
        proxy.close()
        _drop_database(name)
        raise RuntimeError(f"preparing the stack failed:\n{prepared.stderr[-4000:]}")
    data = json.loads(prepared.stdout.strip().splitlines()[-1])
    stack = Stack(
        name=name,
        env=env,
        var=var,
        proxy=proxy,
        plan=data["plan"],
        drafts=data["drafts"],
        staff=data["staff"],
        queue=queue,
        logs=logs,
        direct_env=direct,
    )
    try:
        yield stack
    finally:
        for server in reversed(stack.servers):
            server.stop()
        proxy.close()
        _drop_database(name)
        with contextlib.suppress(Exception):  # cleaning up a shared Redis is best effort
            _clean_redis(queue, [key for key, _pk in data["drafts"]] + list(data["staff"].values()))
