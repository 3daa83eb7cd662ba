"""Starting, probing and killing the processes of a production-like stack on loopback:
gunicorn (``gunicorn.conf.py``) and a Celery worker, each in its own process group, with
its output in a log file. Used by the surge benchmark and the failure tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: split after the last ")"
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Process:
    """A command in its own process group, output to ``log``."""

    def __init__(self, argv: list[str], *, env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own commands
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signum)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (a graceful stop), then SIGKILL to the whole group."""
        if self.popen is None:
            return
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)

    def kill(self) -> None:
        """SIGKILL to the whole group: the machine lost the process, nothing is cleaned up."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(10)


class Gunicorn(Process):
    def __init__(self, *, env: dict[str, str], log: Path, port: int, workers: int = 2, threads: int = 1) -> None:
        env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        super().__init__(
            [str(BIN / "gunicorn"), "zhicheng.wsgi", "-c", str(ROOT / "gunicorn.conf.py")], env=env, log=log
        )
        self.port = port

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_healthy(self, timeout: float = 60) -> dict:
        import json

        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=5) as response:  # noqa: S310
                    return json.loads(response.read())
            except urllib.error.HTTPError as exc:
                last = f"{exc.code}: {exc.read()[:500].decode(errors='replace')}"
            except (urllib.error.URLError, OSError) as exc:
                last = exc
            time.sleep(0.3)
        raise TimeoutError(f"gunicorn not healthy after {timeout} s ({last}); see {self.log}")

    def workers(self) -> list[int]:
        return children(self.pid)

    def wait_workers(self, count: int, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.workers()
            if len(pids) >= count:
                return pids
            time.sleep(0.2)
        raise TimeoutError(f"gunicorn has {len(self.workers())} workers, expected {count}")


class CeleryWorker(Process):
    def __init__(
        self,
        *,
        env: dict[str, str],
        log: Path,
        queue: str,
        concurrency: int = 1,
        name: str = "w",
        beat_schedule: Path | None = None,
    ) -> None:
        """``beat_schedule``: also run ``celery beat`` in this worker (``-B``), keeping its
        schedule in that file."""
        argv = [
            str(BIN / "celery"),
            "-A",
            "zhicheng",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--concurrency",
            str(concurrency),
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ]
        if beat_schedule is not None:
            argv += ["--beat", "--schedule", str(beat_schedule)]
        super().__init__(argv, env=env, log=log)

    def start(self) -> None:
        self._offset = self.log.stat().st_size if self.log.exists() else 0
        super().start()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"celery worker exited; see {self.log}")
            with self.log.open("rb") as fh:
                fh.seek(self._offset)
                if b" ready" in fh.read():
                    return
            time.sleep(0.2)
        raise TimeoutError(f"celery worker not ready after {timeout} s; see {self.log}")
