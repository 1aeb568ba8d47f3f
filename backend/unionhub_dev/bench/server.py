"""The backend under test: uvicorn in a child process on a free loopback port, with its memory
(resident set size, summed over the worker processes) sampled in the background."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BACKEND_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kib(pid: int) -> int:
    """VmRSS of one process in KiB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return 0


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


@dataclass
class MemorySampler:
    """Peak RSS per phase: the server process plus its worker processes, every 100 ms."""

    pid: int
    interval: float = 0.1
    phase: str = "start"
    peaks: dict[str, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def total(self) -> int:
        return rss_kib(self.pid) + sum(rss_kib(c) for c in children(self.pid))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            kib = self.total()
            if kib > self.peaks.get(self.phase, 0):
                self.peaks[self.phase] = kib

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks.values(), default=0) / 1024


class Backend:
    """`uvicorn unionhub.main:app` as it runs in production (ENVIRONMENT=production, its own
    JWT secret, no access log), with `workers` processes. With `app` another ASGI application
    (the floor, `unionhub_dev.bench.floor:app`), sharing the JWT secret so one token signs in
    to both, and without the queue worker."""

    def __init__(
        self,
        database_url: str,
        workers: int = 1,
        *,
        app: str = "unionhub.main:app",
        jwt_secret: str | None = None,
        name: str = "backend",
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.app = app
        self.jwt_secret = jwt_secret or secrets.token_urlsafe(48)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        # The background jobs (imports) run on a queue worker, as in production (make run).
        self.queue_worker: subprocess.Popen[bytes] | None = None
        self.sampler: MemorySampler | None = None
        self.worker_sampler: MemorySampler | None = None
        self.log_path = BACKEND_DIR.parent / ".bench" / f"{name}.log"

    def start(self, timeout: float = 240.0) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "ENVIRONMENT": "production",
            "JWT_SECRET": self.jwt_secret,
            "LOG_LEVEL": "WARNING",
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        command = [
            sys.executable, "-m", "uvicorn", self.app, "--host", "127.0.0.1",
            "--port", str(self.port), "--workers", str(self.workers), "--no-access-log",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=BACKEND_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        if self.app == "unionhub.main:app":
            worker = [sys.executable, "-m", "unionhub.cli", "worker", "--name", "bench"]
            self.queue_worker = subprocess.Popen(
                worker, cwd=BACKEND_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the backend exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise RuntimeError(f"the backend did not answer /healthz in {timeout:.0f} s")
        self.sampler = MemorySampler(self.process.pid)
        self.sampler.start()
        if self.queue_worker is not None:
            self.worker_sampler = MemorySampler(self.queue_worker.pid)
            self.worker_sampler.start()

    def phase(self, name: str) -> None:
        for sampler in (self.sampler, self.worker_sampler):
            if sampler is not None:
                sampler.phase = name

    def stop(self) -> None:
        for sampler in (self.sampler, self.worker_sampler):
            if sampler is not None:
                sampler.stop()
        if self.queue_worker is not None and self.queue_worker.poll() is None:
            self.queue_worker.send_signal(signal.SIGTERM)
            try:
                self.queue_worker.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.queue_worker.kill()
                self.queue_worker.wait(timeout=5)
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
