"""An export whose client never reads holds no database connection, and each user holds at
most a few exports at once: against a real server (uvicorn, its own pool) on a database of
its own, because what is measured - connections idle in a transaction - only exists there.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests.conftest import _recreate_database
from tests.factories import Factory
from unionhub.imports import export

BACKEND = Path(__file__).resolve().parents[2]
# A CSV of about 7 MB: more than the socket buffers hold (the kernel's send buffer alone may
# grow to 4 MB), so the server stays stuck sending it.
MEMBERS = 20_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live(database_url: str) -> Iterator[tuple[str, str]]:
    """(database URL, server base URL): a migrated database and uvicorn serving it."""
    u = make_url(database_url)
    url = u.set(database=f"{u.database}_live").render_as_string(hide_password=False)
    asyncio.run(_recreate_database(url))
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test", "DB_POOL_SIZE": "4"}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=BACKEND,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "unionhub.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        cwd=BACKEND,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Importing the app takes 20 s and more on a loaded 2-core machine.
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, base
    finally:
        server.terminate()
        server.wait(timeout=15)
        asyncio.run(_recreate_database(url, create=False))


def _never_reading(base: str, token: str, path: str) -> socket.socket:
    """Sends the request, reads the status line, and then reads nothing more."""
    host, port = base.removeprefix("http://").split(":")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, int(port)))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n".encode())
    s.settimeout(60)
    assert s.recv(12).startswith(b"HTTP/1.1 200")
    return s


async def _idle_in_transaction(conn: asyncpg.Connection, database: str) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = $1 AND state = 'idle in transaction'",
            database,
        )
    )


@pytest.fixture
async def world(live: tuple[str, str]) -> AsyncIterator[tuple[str, dict[str, str]]]:
    url, base = live
    engine = create_async_engine(url)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            factory = Factory(session, client)
            union = await factory.union(name="CĐCS Công ty May Xuất khẩu", code="LIVE-MAY")
            user = await factory.user("union_officer", union)
            await session.execute(
                text(
                    "INSERT INTO members (id, full_name, search_name, date_of_birth, gender, "
                    "nationality, personal_id, party_member, admission_date, union_id, status, "
                    "status_since, card_number, trainings, version, occupation) "
                    "SELECT gen_random_uuid(), 'Nguyễn Thị Hoa ' || n, 'nguyen thi hoa ' || n, "
                    "date '1990-01-01' + n % 300, 'female', 'VN', "
                    "'082190' || lpad(n::text, 6, '0'), false, date '2015-01-01', "
                    ":union_id, 'active', date '2015-01-01', 'LV' || lpad(n::text, 10, '0'), "
                    "'[]', 1, repeat('Công nhân may công nghiệp ', 9) "
                    "FROM generate_series(1, :n) n"
                ),
                {"union_id": union.id, "n": MEMBERS},
            )
            # Each member's membership period, as every write path records it (the list's
            # totals are read from the counts that these periods maintain).
            await session.execute(
                text(
                    "INSERT INTO membership_periods (id, member_id, union_id, status, valid_from) "
                    "SELECT gen_random_uuid(), id, union_id, 'active', date '2015-01-01' "
                    "FROM members WHERE union_id = :union_id"
                ),
                {"union_id": union.id},
            )
            await session.commit()
            headers = await factory.login(user.username)
        yield base, headers
    await engine.dispose()


async def test_an_export_never_read_holds_no_connection_and_the_cap_holds(
    live: tuple[str, str], world: tuple[str, dict[str, str]]
) -> None:
    url, _ = live
    base, headers = world
    database = make_url(url).database
    u = make_url(url)
    watcher = await asyncpg.connect(
        user=u.username or "postgres",
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        database=database,
    )
    stalled: list[socket.socket] = []
    try:
        path = "/api/v1/members/export?format=csv"
        for _ in range(export.MAX_CONCURRENT_EXPORTS):
            stalled.append(
                await asyncio.to_thread(_never_reading, base, headers["Authorization"], path)
            )
        # The server sends into full socket buffers; nothing of it waits on the database.
        for _ in range(10):
            assert await _idle_in_transaction(watcher, database) == 0
            await asyncio.sleep(0.2)
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            r = await client.get("/api/v1/members", params={"size": 5})
            assert r.status_code == 200
            assert r.json()["total"] == MEMBERS
            assert (await client.get("/readyz")).status_code == 200
            # Past the cap: 429, problem+json, Retry-After.
            r = await client.get(path)
            assert r.status_code == 429
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "too_many_exports"
            assert int(r.headers["Retry-After"]) > 0
            # A stalled download that goes away gives its slot back.
            stalled.pop().close()
            for _ in range(50):
                r = await client.get(path)
                if r.status_code != 429:
                    break
                await asyncio.sleep(0.2)
            assert r.status_code == 200
            assert r.headers["content-length"] == str(len(r.content))
            assert r.content.count(b"\r\n") == MEMBERS + 1
    finally:
        for s in stalled:
            s.close()
        await watcher.close()
