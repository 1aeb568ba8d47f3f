"""Several machines: two API processes and two workers on one database behave as one service.

Everything a replica could keep to itself - sign-in throttles, refresh tokens, queued jobs -
lives in PostgreSQL. This test starts the real processes (uvicorn twice, `unionhub worker`
twice) on a database of their own and shows that failed sign-ins on A count on B, that a
refresh token rotated on A is spent on B, that each queued import runs exactly once although
both workers are listening, and that an import in flight when its worker is killed (kill -9)
is resumed by a worker started afterwards, within a minute.
"""

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.imports.helpers import HEADERS, csv_bytes, member, personal_id, table
from unionhub.core.config import get_settings

BACKEND = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Replica@2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _admin_conn() -> Any:
    u = make_url(get_settings().database_url)
    return await asyncpg.connect(
        user=u.username or "postgres",
        password=u.password,
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        database="postgres",
    )


async def _recreate(name: str, drop_only: bool = False) -> None:
    conn = await _admin_conn()
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@dataclass
class Process:
    name: str
    proc: subprocess.Popen[bytes]
    log: IO[bytes]
    path: Path

    def output(self) -> str:
        self.log.flush()
        return self.path.read_text(errors="replace")


@dataclass
class Deployment:
    api: list[str]
    workers: list[Process]
    servers: list[Process]
    start: Callable[..., Process]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = make_url(get_settings().database_url)
    name = f"{base.database}_replicas"
    url = base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_recreate(name))
    logs = tmp_path_factory.mktemp("replicas")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",
        "LOG_JSON": "false",
        "LOG_LEVEL": "INFO",
        "LOGIN_SLOWDOWN_AFTER": "10",
        "LOGIN_LOCK_AFTER": "4",
        # A spent refresh token is refused at once (no grace window for racing tabs).
        "REFRESH_REUSE_GRACE_SECONDS": "0",
        # A killed worker is noticed after 3 s instead of 20.
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_STALLED_SECONDS": "3",
    }
    subprocess.run([BIN / "alembic", "upgrade", "head"], cwd=BACKEND, env=env, check=True)
    subprocess.run(
        [BIN / "unionhub", "create-admin", "admin", "--root-code", "LDLD", "--root-name", "LĐLĐ"],
        cwd=BACKEND,
        env=env,
        input=f"{PASSWORD}\n".encode(),
        check=True,
        capture_output=True,
    )
    started: list[Process] = []

    def start(label: str, *argv: str | Path) -> Process:
        path = logs / f"{label}.log"
        log = path.open("wb")
        proc = subprocess.Popen(
            [str(a) for a in argv], cwd=BACKEND, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        p = Process(label, proc, log, path)
        started.append(p)
        return p

    try:
        ports = [_free_port(), _free_port()]
        servers = [
            start(f"api-{i}", BIN / "uvicorn", "unionhub.main:app", "--port", str(port))
            for i, port in enumerate(ports)
        ]
        workers = [
            start(f"worker-{i}", BIN / "unionhub", "worker", "--name", f"w{i}") for i in (0, 1)
        ]
        api = [f"http://127.0.0.1:{port}" for port in ports]
        # Generous: on a loaded CI machine importing the application takes a while.
        deadline = time.monotonic() + 120
        for base_url, server in zip(api, servers, strict=True):
            while True:
                assert server.proc.poll() is None, server.output()
                try:
                    if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, server.output()
                time.sleep(0.2)
        yield Deployment(api, workers, servers, start)
    finally:
        for p in started:
            p.proc.terminate()
        for p in started:
            try:
                p.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.proc.kill()
            p.log.close()
        asyncio.run(_recreate(name, drop_only=True))


@pytest.fixture
async def clients(deployment: Deployment) -> AsyncIterator[list[httpx.AsyncClient]]:
    a = httpx.AsyncClient(base_url=deployment.api[0], timeout=30)
    b = httpx.AsyncClient(base_url=deployment.api[1], timeout=30)
    try:
        yield [a, b]
    finally:
        await a.aclose()
        await b.aclose()


async def sign_in(client: httpx.AsyncClient, password: str = PASSWORD) -> httpx.Response:
    return await client.post("/api/v1/auth/token", data={"username": "admin", "password": password})


async def test_a_refresh_token_rotated_on_one_replica_is_spent_on_the_other(
    clients: list[httpx.AsyncClient],
) -> None:
    a, b = clients
    r = await sign_in(a)
    assert r.status_code == 200, r.text
    first = r.json()["refresh_token"]
    r = await a.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200, r.text
    second = r.json()["refresh_token"]
    # B knows it was spent on A: refused, and the whole sign-in ends (theft is assumed).
    r = await b.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 401
    r = await b.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert r.status_code == 401


async def test_many_queued_imports_each_run_exactly_once(
    deployment: Deployment, clients: list[httpx.AsyncClient]
) -> None:
    r = await sign_in(clients[0])
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    # Over the inline limit (300 KB), so the upload is queued: 800 rows with a long note.
    rows = table(
        [
            {
                **member(f"Đoàn viên {i}", date(1990, 1, 1), personal_id(1990, False, i), "LDLD"),
                "Ghi chú riêng": "x" * 400,
            }
            for i in range(800)
        ],
        [*HEADERS, "Ghi chú riêng"],
    )
    content = csv_bytes(rows)
    assert len(content) > 300 * 1024
    ids = []
    for i in range(6):
        client = clients[i % 2]
        r = await client.post(
            "/api/v1/imports",
            headers=headers,
            data={"kind": "members"},
            files={"file": (f"f{i}.csv", content, "text/csv")},
        )
        assert r.status_code == 202, r.text
        assert r.json()["status"] == "validating"
        ids.append(r.json()["id"])
    deadline = time.monotonic() + 40
    pending = set(ids)
    while pending and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        for job_id in list(pending):
            job = (await clients[1].get(f"/api/v1/imports/{job_id}", headers=headers)).json()
            if job["status"] != "validating":
                assert job["status"] == "validated", job
                assert job["done_rows"] == job["total_rows"] == 800
                pending.discard(job_id)
    assert not pending, [w.output()[-2000:] for w in deployment.workers]
    started = [
        re.findall(r"task imports\.validate started for import job ([0-9a-f-]{36})", w.output())
        for w in deployment.workers
    ]
    # Each job ran once, on one worker or the other.
    assert sorted(started[0] + started[1]) == sorted(ids)


async def test_an_import_in_flight_when_its_worker_is_killed_is_resumed(
    deployment: Deployment, clients: list[httpx.AsyncClient]
) -> None:
    a, b = clients
    r = await sign_in(a)
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    # One worker left, so the job is in flight on the one that is killed.
    survivor, victim = deployment.workers
    survivor.proc.terminate()
    survivor.proc.wait(timeout=30)
    rows = table(
        [
            member(f"Đoàn viên {i}", date(1990, 1, 1), personal_id(1990, False, i), "LDLD")
            for i in range(5000)
        ]
    )
    r = await a.post(
        "/api/v1/imports",
        headers=headers,
        data={"kind": "members"},
        files={"file": ("big.csv", csv_bytes(rows), "text/csv")},
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    started = f"task imports.validate started for import job {job_id}"
    deadline = time.monotonic() + 60
    while started not in victim.output():
        assert time.monotonic() < deadline, victim.output()[-2000:]
        await asyncio.sleep(0.05)
    victim.proc.kill()
    victim.proc.wait(timeout=10)
    job = (await b.get(f"/api/v1/imports/{job_id}", headers=headers)).json()
    assert job["status"] == "validating" and job["done_rows"] < 5000, job

    back = time.monotonic()
    newcomer = deployment.start("worker-2", BIN / "unionhub", "worker", "--name", "w2")
    while True:
        job = (await b.get(f"/api/v1/imports/{job_id}", headers=headers)).json()
        if job["status"] != "validating":
            break
        assert time.monotonic() - back < 60, newcomer.output()[-2000:]
        await asyncio.sleep(0.5)
    # Resumed from the start of its pass and finished: the whole file was read, once.
    assert job["status"] == "validated", job
    assert job["done_rows"] == job["total_rows"] == 5000
    assert started in newcomer.output()


# Last: it leaves the account locked.
async def test_failed_sign_ins_on_one_replica_count_on_the_other(
    clients: list[httpx.AsyncClient],
) -> None:
    a, b = clients
    for client in (a, b, a, b):  # LOGIN_LOCK_AFTER=4, spread over both
        r = await sign_in(client, "wrong-password")
        assert r.status_code == 401, r.text
    # Locked everywhere, even with the right password.
    for client in (a, b):
        r = await sign_in(client)
        assert r.status_code == 429, r.text
        assert r.json()["code"] == "too_many_attempts"
