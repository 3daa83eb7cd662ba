"""Failures in the middle of a deadline surge, on the real stack (PostgreSQL, Redis, gunicorn,
Celery), in a short bounded form (seconds of load, a few hundred drafts).

1. A gunicorn worker and the Celery worker are killed (SIGKILL) while applicants submit and
   exports are queued: what each client was told matches the database, no submission is
   lost or duplicated (clients with no answer submit again — the submission is idempotent),
   and once a worker is back every queued export and notification finishes.
2. The database's connections are dropped while submissions are being written, then the
   database cannot be reached at all: clients get a clear 503 page, ``/healthz`` names the
   database, nothing is half-written, and once it is back the same submission goes through.

No timing is asserted: the waits are bounded so a broken stack fails instead of hanging.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from typing import Any

import pytest

from benchmarks.surge import load
from tests.ops.conftest import Stack

pytestmark = pytest.mark.ops

SUBMIT_ROWS = "SELECT application_id, count(*) FROM applications_statuschange WHERE action = 'submit' GROUP BY 1"


def wait_for(check: Any, *, timeout: float, interval: float = 0.5, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s: {what}")
        time.sleep(interval)


def submitted_ok(sample: load.Sample, pk: int) -> bool:
    return sample.status == 302 and sample.location.rstrip("/").endswith(f"/applications/{pk}")


def surge(stack: Stack, port: int, drafts: list[list[Any]], *, users: int, events: dict[float, Any]) -> dict[int, Any]:
    """``users`` applicants submit ``drafts`` without pause; ``events`` run at their second."""
    told: dict[int, load.Sample] = {}
    queue = list(drafts)
    lock = threading.Lock()

    def applicant(index: int, stop: threading.Event) -> None:
        while not stop.is_set():
            with lock:
                if not queue:
                    return
                session, pk = queue.pop()
            told[pk] = load.Client("127.0.0.1", port, session, timeout=30).request(
                None, "submit", "POST", f"/applications/{pk}/submit/"
            )

    runner = threading.Thread(target=load.run_users, args=(users, applicant), kwargs={"duration": 60}, daemon=True)
    started = time.monotonic()
    runner.start()
    for at, event in sorted(events.items()):
        time.sleep(max(0.0, at - (time.monotonic() - started)))
        event()
    runner.join(90)
    assert not runner.is_alive(), "the surge did not end"
    return told


def resubmit_unknown(port: int, drafts: list[list[Any]], told: dict[int, load.Sample]) -> int:
    """A client with no clear answer submits again, as a person would."""
    retried = 0
    for session, pk in drafts:
        sample = told.get(pk)
        if sample is None or not submitted_ok(sample, pk):
            told[pk] = load.Client("127.0.0.1", port, session).request(
                None, "submit", "POST", f"/applications/{pk}/submit/"
            )
            retried += 1
    return retried


def assert_told_matches_database(stack: Stack, drafts: list[list[Any]], told: dict[int, load.Sample]) -> None:
    ids = [pk for _s, pk in drafts]
    rows = stack.sql(
        "SELECT id, status, number IS NOT NULL, snapshot IS NOT NULL, submitted_at IS NOT NULL "
        "FROM applications_application WHERE id = ANY(%s)",
        [ids],
    )
    submits = dict(stack.sql(SUBMIT_ROWS + " HAVING application_id = ANY(%s)", [ids]) or [])
    for pk, status, has_number, has_snapshot, has_time in rows:
        sample = told.get(pk)
        assert sample is not None and submitted_ok(sample, pk), f"application {pk}: client told {sample}"
        assert status == "submitted", f"application {pk} is {status}, client was told it was submitted"
        assert submits.get(pk) == 1, f"application {pk} has {submits.get(pk)} submission rows"
        assert has_number and has_snapshot and has_time
    assert len(rows) == len(drafts)
    # The database's own guard: one number per application, one active application per person.
    assert stack.sql("SELECT count(number) - count(DISTINCT number) FROM applications_application")[0][0] == 0


def export(stack: Stack, port: int, kind: str = "roster") -> str:
    client = load.Client("127.0.0.1", port, stack.staff["city"])
    sample = client.request(None, "export", "POST", f"/documents/plans/{stack.plan}/export/", {"kind": kind})
    assert sample.status == 302 and "/documents/jobs/" in sample.location, sample
    return sample.location.rstrip("/").rsplit("/", 1)[1]


def test_killing_a_gunicorn_worker_and_the_celery_worker_mid_surge_loses_and_duplicates_nothing(stack):
    server = stack.gunicorn(workers=2)
    worker = stack.worker(concurrency=2)
    drafts = stack.take(160)
    jobs = [export(stack, server.port), export(stack, server.port, "review_forms")]
    killed: dict[str, Any] = {}

    def kill_web_worker() -> None:
        pid = server.workers()[0]
        killed["gunicorn"] = pid
        import os

        os.kill(pid, signal.SIGKILL)

    def kill_celery() -> None:
        worker.kill()  # the whole worker, with the tasks it had taken
        killed["celery"] = True
        jobs.append(export(stack, server.port))  # queued while no worker runs

    def restart_celery() -> None:
        stack.worker(concurrency=2, beat=True)

    told = surge(
        stack,
        server.port,
        drafts,
        users=12,
        events={
            1.0: kill_web_worker,
            1.5: kill_celery,
            2.0: lambda: jobs.append(export(stack, server.port)),
            3.5: restart_celery,
        },
    )
    unclear = sum(1 for _s, pk in drafts if not submitted_ok(told.get(pk, load.Sample("", 0, 0, 0)), pk))
    resubmit_unknown(server.port, drafts, told)

    assert killed.keys() == {"gunicorn", "celery"}
    assert server.alive() and len(server.wait_workers(2)) == 2  # the master replaced its worker
    assert_told_matches_database(stack, drafts, told)

    # Every export queued before, during and after the kill finishes once a worker is back.
    wait_for(
        lambda: all(
            s == "done"
            for (s,) in stack.sql("SELECT status FROM documents_exportjob WHERE public_id::text = ANY(%s)", [jobs])
        ),
        timeout=90,
        what="export jobs to finish after the worker restarted",
    )
    # Every notification of these submissions is delivered (none left queued or failed): the
    # notices are rows of the submission's transaction, so one whose hand-over to the broker
    # died with the killed web worker is sent by beat's sweep (every 5 s here).
    ids = [pk for _s, pk in drafts]
    pending = (
        "SELECT count(*) FROM notifications_message m JOIN applications_application a "
        "ON m.related_url = '/applications/' || a.id || '/' "
        "WHERE a.id = ANY(%s) AND m.channel = 'sms' AND m.status <> 'sent'"
    )
    wait_for(lambda: stack.sql(pending, [ids])[0][0] == 0, timeout=90, what="SMS notices to be delivered")
    sent = stack.sql(
        "SELECT count(*) FROM notifications_message m JOIN applications_application a "
        "ON m.related_url = '/applications/' || a.id || '/' WHERE a.id = ANY(%s) AND m.channel = 'sms'",
        [ids],
    )[0][0]
    assert sent == len(drafts)  # one submission notice per applicant
    lines = [json.loads(line) for path in (stack.var / "sms").glob("*.jsonl") for line in path.read_text().splitlines()]
    mine = Counter(
        (line["mobile"], line["content"]) for line in lines if any(f"-{pk:06d}" in line["content"] for pk in ids)
    )
    assert len(mine) == len(drafts)
    # A notice is sent twice only when its worker died between the gateway and the database
    # (at most one per task the killed worker was running), and then with the same key, so a
    # gateway that de-duplicates by it delivers it once.
    assert sum(n - 1 for n in mine.values()) <= 2
    keys: dict[tuple[str, str], set[str]] = {}
    for line in lines:
        keys.setdefault((line["mobile"], line["content"]), set()).add(line["key"])
    assert all(len(keys[notice]) == 1 and "" not in keys[notice] for notice in mine)
    print(f"\nkilled gunicorn worker {killed['gunicorn']} and the celery worker; {unclear} clients had no clear answer")


def test_a_lost_database_shows_a_clear_page_and_writes_nothing_partial(stack):
    server = stack.gunicorn(workers=2)
    drafts = stack.take(60)

    def cut() -> None:
        stack.proxy.cut()

    # Connections dropped under writes, three times.
    told = surge(stack, server.port, drafts[:40], users=8, events={0.3: cut, 0.6: cut, 0.9: cut})
    answers = Counter(s.status for s in told.values())
    resubmit_unknown(server.port, drafts[:40], told)
    assert_told_matches_database(stack, drafts[:40], told)

    # The database unreachable: a clear page, health says which part, nothing written.
    session, pk = drafts[40]
    client = load.Client("127.0.0.1", server.port, session)
    stack.proxy.block()
    try:
        page = client.request(None, "page", "GET", f"/applications/{pk}/", keep_body=True)
        assert page.status == 503 and page.retry_after == "30"
        html = page.body.decode()
        assert 'data-error="database-unavailable"' in html and "服务暂时不可用" in html
        refused = client.request(None, "submit", "POST", f"/applications/{pk}/submit/")
        assert refused.status == 503
        health_answer = client.request(None, "healthz", "GET", "/healthz", keep_body=True)
        health = json.loads(health_answer.body)
        assert health_answer.status == 503 and health["status"] == "down"
        assert health["checks"]["database"]["status"] == "down"
        assert health["checks"]["cache"]["status"] == "ok" and health["checks"]["queue"]["status"] == "ok"
        assert "postgres" not in json.dumps(health["checks"]["database"])
    finally:
        stack.proxy.unblock()
    status, changes = stack.sql(
        "SELECT status, (SELECT count(*) FROM applications_statuschange WHERE application_id = %s) "
        "FROM applications_application WHERE id = %s",
        [pk, pk],
    )[0]
    assert (status, changes) == ("draft", 0)

    # Back: health recovers and the same submission goes through, once.
    wait_for(lambda: server.wait_healthy(10)["status"] == "ok", timeout=30, what="healthz to recover")
    again = client.request(None, "submit", "POST", f"/applications/{pk}/submit/")
    assert submitted_ok(again, pk)
    assert_told_matches_database(stack, [drafts[40]], {pk: again})
    print(f"\nanswers while connections were cut: {dict(answers)}")
