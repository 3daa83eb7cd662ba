"""Deadline-surge benchmark: applicants submit while office staff page through their queues,
against gunicorn + PostgreSQL + Redis + a Celery worker on this machine (loopback only).

    .venv/bin/python benchmarks/surge/run.py seed            # once: 100,000 applications
    .venv/bin/python benchmarks/surge/run.py run             # one measured run (≈ 2 min)
    .venv/bin/python benchmarks/surge/run.py run --repeat 3 --workers 2 --threads 4

``seed`` creates the database (default ``zhicheng_surge`` on 127.0.0.1:5432) if needed,
migrates it, loads the reference data and the demo, the benchmark's open plan and
``--existing`` applications (default 100,000) already in the system.

Each ``run`` adds ``--drafts`` fresh applicants with a complete draft (copies of the demo's
eligible applicant 张伟) and logged-in sessions, starts gunicorn (``gunicorn.conf.py``,
production settings plus one minimal view) and a Celery worker (submission notices go
through it), then measures, in this order:

1. ceiling — ``--users`` clients call ``/bench/minimal`` (a view returning ``{"ok": true}``
   through the whole middleware) without pause for ``--ceiling-seconds``;
2. surge — ``--users`` applicants, each: open the preview step, think, submit, open the
   application's page, think — while ``--staff`` office users page through their queues
   (four roles: employer, county, committee, city office; pages, sorts and filters), think
   times uniform 0.5–1.5 × ``--think`` seconds (each user starts after a uniform 0–``--think``
   s, so they do not all arrive in the same second), for ``--surge-seconds``;
3. saturation — the same users without think time, for ``--saturation-seconds``.

It reports requests per second and p50/p95/p99 per endpoint for each phase, the ratio of the
saturation throughput to the ceiling, the load average before and after, and checks that every
submission a client was told succeeded is submitted in the database. Results go to stdout and
to ``var/bench/surge-<time>.json``. Targets: submit p99 < 500 ms at 50 users (surge phase);
queue pages p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import threading
import time
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.surge import load  # noqa: E402
from benchmarks.surge.servers import CeleryWorker, Gunicorn, free_port  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zhicheng_surge"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"
DEFAULT_BROKER = "redis://127.0.0.1:6379/5"


def environment(args: argparse.Namespace) -> dict[str, str]:
    """Production settings on loopback: real secret, PostgreSQL, Redis, a Celery broker."""
    var = ROOT / "var" / "surge"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.surge.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CELERY_BROKER_URL": args.broker_url,
        "CELERY_QUEUE": "zhicheng-surge",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        # Fixed: the seeded database's ID numbers are sealed with it and must open in every run.
        "ZHICHENG_DATA_KEY": os.environ.get("ZHICHENG_DATA_KEY") or "surge-benchmark-data-key",
        "INSECURE_COOKIES": "1",  # plain HTTP on loopback
        "ZHICHENG_VAR_DIR": str(var),
        "SMS_BACKEND": "zhicheng.notifications.backends.FileSmsBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": str(var / "access.log") if args.access_log else "",
        "PYTHONUNBUFFERED": "1",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def cmd_seed(args: argparse.Namespace) -> None:
    env = environment(args)
    create_database(args.database_url)
    setup_django(env)
    from django.core.management import call_command

    from benchmarks.surge import seed

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed.ensure_base()
    seed.surge_plan()
    added = seed.existing_applications(args.existing)
    seed.analyze()
    print(f"{seed.existing_count():,} existing applications ({added:,} added) in {time.monotonic() - started:.0f} s")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Pool:
    """Fresh (session, application) pairs handed to applicants, each once."""

    def __init__(self, items: list[tuple[str, int]]) -> None:
        self.items = deque(items)
        self.lock = threading.Lock()

    def take(self) -> tuple[str, int] | None:
        with self.lock:
            return self.items.popleft() if self.items else None


def queue_queries(plan_id: int, pages: int, rng: random.Random) -> list[dict[str, Any]]:
    """What office staff ask for: pages of the default view, other sorts, filters."""
    page = rng.randint(1, pages)
    return [
        {"page": page},
        {"page": page + 1},
        {"sort": "submitted", "page": page},
        {"plan": plan_id, "page": 1},
        {"flag": "overdue"},
        {"scope": "all", "page": page},
    ]


def phase(
    name: str,
    *,
    port: int,
    users: int,
    staff: int,
    think: float,
    seconds: float,
    pool: Pool,
    staff_keys: dict[str, str],
    plan_id: int,
    told: dict[int, load.Sample],
    minimal: bool = False,
) -> dict[str, Any]:
    recorder = load.Recorder()
    roles = sorted(staff_keys)

    def applicant(index: int, stop: threading.Event) -> None:
        rng = random.Random(index)
        stop.wait(rng.uniform(0, think))  # people do not all arrive in the same second
        while not stop.is_set():
            if minimal:
                load.Client("127.0.0.1", port).request(recorder, "minimal", "GET", "/bench/minimal")
                continue
            item = pool.take()
            if item is None:
                return
            session, pk = item
            client = load.Client("127.0.0.1", port, session)
            client.request(recorder, "preview", "GET", f"/applications/{pk}/step/preview/")
            load.think(stop, think, rng)
            if stop.is_set():
                return
            sample = client.request(recorder, "submit", "POST", f"/applications/{pk}/submit/")
            told[pk] = sample
            if sample.status == 302 and sample.location:
                client.request(recorder, "detail", "GET", sample.location)
            load.think(stop, think, rng)

    def office(index: int, stop: threading.Event) -> None:
        rng = random.Random(1000 + index)
        stop.wait(rng.uniform(0, think))
        client = load.Client("127.0.0.1", port, staff_keys[roles[index % len(roles)]])
        while not stop.is_set():
            for query in queue_queries(plan_id, 20, rng):
                if stop.is_set():
                    return
                endpoint = "queue-all" if query.get("scope") == "all" else "queue"  # the history view apart
                client.request(recorder, endpoint, "GET", "/applications/review/?" + urlencode(query))
                load.think(stop, think, rng)

    def body(index: int, stop: threading.Event) -> None:
        (applicant if index < users else office)(index if index < users else index - users, stop)

    before = loadavg()
    started = time.monotonic()
    load.run_users(users + (0 if minimal else staff), body, duration=seconds)
    elapsed = time.monotonic() - started
    result = {
        "phase": name,
        "seconds": round(elapsed, 1),
        "users": users,
        "staff": 0 if minimal else staff,
        "think_s": think,
        "load_before": before,
        "load_after": loadavg(),
        "endpoints": load.summarise(recorder.samples, seconds=elapsed),
    }
    result["total_per_second"] = round(sum(e["per_second"] for e in result["endpoints"].values()), 1)
    return result


def print_phase(result: dict[str, Any]) -> None:
    print(
        f"\n{result['phase']}: {result['users']} users + {result['staff']} staff, think {result['think_s']} s, "
        f"{result['seconds']} s, load {result['load_before']} → {result['load_after']}"
    )
    print(
        f"  {'endpoint':10} {'req':>7} {'err':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    for name, e in result["endpoints"].items():
        print(
            f"  {name:10} {e['requests']:7d} {e['errors']:5d} {e['per_second']:8.1f} {e['p50_ms']:8.1f} "
            f"{e['p95_ms']:8.1f} {e['p99_ms']:8.1f} {e['max_ms']:8.1f}"
        )


def check_told(told: dict[int, load.Sample]) -> dict[str, int]:
    """What clients were told against what the database holds."""
    from zhicheng.applications.models import Application, StatusChange

    ok = {pk for pk, s in told.items() if s.status == 302 and "/step/" not in s.location}
    statuses = dict(Application.objects.filter(pk__in=told).values_list("pk", "status"))
    submits = {}
    for pk in StatusChange.objects.filter(application_id__in=told, action="submit").values_list(
        "application_id", flat=True
    ):
        submits[pk] = submits.get(pk, 0) + 1
    return {
        "told_submitted": len(ok),
        "told_other": len(told) - len(ok),
        "lost": sum(1 for pk in ok if statuses.get(pk) != "submitted"),
        "duplicated": sum(1 for n in submits.values() if n > 1),
        "submitted_in_db": sum(1 for s in statuses.values() if s == "submitted"),
    }


def one_run(args: argparse.Namespace, env: dict[str, str], number: int) -> dict[str, Any]:
    from django.db import connections

    from benchmarks.surge import seed

    plan = seed.surge_plan()
    started = time.monotonic()
    pairs = seed.clone_applicants(args.drafts, plan=plan)
    sessions = seed.login_sessions([u for u, _a in pairs])
    staff_keys = seed.staff_sessions()
    seed.analyze()
    pool = Pool([(sessions[u], a) for u, a in pairs])
    elapsed = time.monotonic() - started
    print(f"run {number}: {len(pairs)} fresh drafts and sessions, statistics refreshed, in {elapsed:.0f} s")
    connections.close_all()

    var = ROOT / "var" / "surge"
    port = free_port()
    server = Gunicorn(env=env, log=var / "gunicorn.log", port=port, workers=args.workers, threads=args.threads)
    worker = CeleryWorker(env=env, log=var / "celery.log", queue="zhicheng-surge", concurrency=1, name="surge")
    told: dict[int, load.Sample] = {}
    results: dict[str, Any] = {
        "run": number,
        "at": datetime.now().isoformat(timespec="seconds"),
        "existing_applications": seed.existing_count(),
        "gunicorn": {"workers": args.workers, "threads": args.threads},
    }
    connections.close_all()
    try:
        server.start()
        worker.start()
        results["healthz"] = server.wait_healthy()
        worker.wait_ready()
        common = {"port": port, "pool": pool, "staff_keys": staff_keys, "plan_id": plan.pk, "told": told}
        # warm-up: every worker imports templates and opens its connections
        phase("warm-up", users=8, staff=4, think=0.2, seconds=4, **common)
        ceiling = phase(
            "ceiling", users=args.users, staff=0, think=0, seconds=args.ceiling_seconds, minimal=True, **common
        )
        surge = phase(
            "surge", users=args.users, staff=args.staff, think=args.think, seconds=args.surge_seconds, **common
        )
        saturation = phase(
            "saturation", users=args.users, staff=args.staff, think=0, seconds=args.saturation_seconds, **common
        )
    finally:
        server.stop()
        worker.stop()
        seed.end_sessions([*sessions.values(), *staff_keys.values()])
    results["phases"] = [ceiling, surge, saturation]
    top = ceiling["total_per_second"]
    results["ratios_to_ceiling"] = {
        name: round(e["per_second"] / top, 4) if top else None for name, e in saturation["endpoints"].items()
    }
    results["ratios_to_ceiling"]["all requests"] = round(saturation["total_per_second"] / top, 4) if top else None
    results["consistency"] = check_told(told)
    for r in results["phases"]:
        print_phase(r)
    print(f"\n  saturation throughput / ceiling: {json.dumps(results['ratios_to_ceiling'])}")
    print(f"  told vs database: {json.dumps(results['consistency'])}")
    endpoints = surge["endpoints"]
    submit, queue, history = (endpoints.get(name, {}) for name in ("submit", "queue", "queue-all"))
    print(
        f"  targets (surge phase): submit p99 {submit.get('p99_ms')} ms (< 500), "
        f"queue p95 {queue.get('p95_ms')} ms (< 150; the history view 'all': {history.get('p95_ms')} ms)"
    )
    return results


def cmd_run(args: argparse.Namespace) -> None:
    env = environment(args)
    setup_django(env)
    from benchmarks.surge import seed

    existing = seed.existing_count()
    if existing < args.existing:
        raise SystemExit(f"only {existing:,} existing applications: run `run.py seed --existing {args.existing}` first")
    runs = [one_run(args, env, n) for n in range(1, args.repeat + 1)]
    out = Path(args.out or ROOT / "var" / "bench" / f"surge-{datetime.now():%Y%m%d-%H%M%S}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"arguments": vars(args) | {"func": None}, "runs": runs}, ensure_ascii=False, indent=1))
    print(f"\nresults: {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--broker-url", default=DEFAULT_BROKER)
    parser.add_argument("--existing", type=int, default=100_000, help="applications already in the system")
    parser.add_argument("--access-log", action="store_true", help="write gunicorn's JSON access log (a file)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed").set_defaults(func=cmd_seed)
    run = sub.add_parser("run")
    run.set_defaults(func=cmd_run)
    run.add_argument("--users", type=int, default=50, help="concurrent applicants")
    run.add_argument("--staff", type=int, default=8, help="concurrent office users")
    run.add_argument("--think", type=float, default=1.0, help="mean think time in the surge phase (s)")
    run.add_argument("--drafts", type=int, default=3000, help="fresh drafts per run")
    run.add_argument("--ceiling-seconds", type=float, default=15)
    run.add_argument("--surge-seconds", type=float, default=60)
    run.add_argument("--saturation-seconds", type=float, default=30)
    run.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    run.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (>1: gthread)")
    run.add_argument("--repeat", type=int, default=1)
    run.add_argument("--out", help="results JSON (default var/bench/surge-<time>.json)")
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
