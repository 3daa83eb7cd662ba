"""A small closed-loop HTTP load generator for loopback benchmarks (standard library only).

Virtual users are threads. Each request opens a fresh connection (``Connection: close``, as
nginx talks to gunicorn) so a request is never sent on a connection the server already
closed: what a client is told is exactly what the server answered, or a transport error.

Every request is recorded as ``Sample(endpoint, started, seconds, status, outcome)``;
``summarise`` turns samples into throughput and p50/p95/p99 per endpoint.
"""

from __future__ import annotations

import http.client
import math
import random
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

CSRF_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Sample:
    endpoint: str
    started: float
    seconds: float
    status: int  # 0: no answer (connection refused, reset, timed out)
    location: str = ""
    error: str = ""
    body: bytes = b""  # kept only when asked (``keep_body``)
    retry_after: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Client:
    """One simulated browser: a session cookie, a CSRF secret, one request at a time."""

    def __init__(self, host: str, port: int, session_key: str = "", timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.csrf = "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))
        cookies = [f"csrftoken={self.csrf}"]
        if session_key:
            cookies.append(f"sessionid={session_key}")
        self.cookie = "; ".join(cookies)

    def request(
        self,
        recorder: Recorder | None,
        endpoint: str,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        *,
        keep_body: bool = False,
    ) -> Sample:
        headers = {"Cookie": self.cookie, "Connection": "close", "User-Agent": "zhicheng-surge"}
        body = None
        if method == "POST":
            body = urlencode({"csrfmiddlewaretoken": self.csrf, **(form or {})}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, location, error, content, retry_after = 0, "", "", b"", ""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status, location = response.status, response.getheader("Location", "")
            retry_after = response.getheader("Retry-After", "")
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        sample = Sample(endpoint, started, elapsed, status, location, error, content if keep_body else b"", retry_after)
        if recorder is not None:
            recorder.add(sample)
        return sample


def run_users(
    count: int, body: Callable[[int, threading.Event], None], *, duration: float, stop: threading.Event | None = None
) -> None:
    """Run ``body(index, stop)`` in ``count`` threads for ``duration`` seconds (or until stopped)."""
    stop = stop or threading.Event()
    threads = [threading.Thread(target=body, args=(i, stop), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=120)


def think(stop: threading.Event, mean: float, rng: random.Random) -> None:
    """Wait a uniform 0.5–1.5 × ``mean`` seconds (0: not at all); returns early when stopped."""
    if mean > 0:
        stop.wait(rng.uniform(0.5 * mean, 1.5 * mean))


def percentile(sorted_values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100) of already sorted values."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(samples: Iterable[Sample], *, seconds: float) -> dict[str, dict[str, Any]]:
    """Per endpoint: requests, errors (no answer or 5xx), throughput and p50/p95/p99 in ms."""
    by_endpoint: dict[str, list[Sample]] = {}
    for s in samples:
        by_endpoint.setdefault(s.endpoint, []).append(s)
    out: dict[str, dict[str, Any]] = {}
    for endpoint, rows in sorted(by_endpoint.items()):
        times = sorted(s.seconds * 1000 for s in rows)
        out[endpoint] = {
            "requests": len(rows),
            "errors": sum(1 for s in rows if s.status == 0 or s.status >= 500),
            "per_second": round(len(rows) / seconds, 1) if seconds else math.nan,
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(times[-1], 1),
        }
    return out
