"""The change feed and the outbox (issue 13): the time to page through 100,000 events of
`GET /api/v1/changes`, and what the outbox adds to a member write.

Figures that hold on a shared machine: the feed is paged several times and reported as the
median wall time *and* the backend's CPU seconds for the whole pass (read from /proc, so other
processes' load does not inflate it); the outbox comparison interleaves rounds with and without
the event (the same members, the same edits) and reports medians of many writes, wall and CPU.
"""

import asyncio
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from unionhub.core import audit
from unionhub.main import create_app
from unionhub_dev.bench.database import connect
from unionhub_dev.demo.plan import PASSWORD

API = "/api/v1/changes"
# Synthetic events are written in transactions of this many, like a burst of edits: the feed's
# order is (txid, id), so the events span many transactions as real ones do.
EVENTS_PER_TRANSACTION = 100
BENCH_FIELD = "bench_feed"


async def ensure_events(url: str, wanted: int) -> int:
    """At least `wanted` events in change_events: the missing ones are member updates of real
    members (changed = ["bench_feed"], so they can be told apart). Returns the count."""
    conn = await connect(url)
    try:
        have = int(await conn.fetchval("SELECT count(*) FROM change_events"))
        missing = wanted - have
        if missing <= 0:
            return have
        members = await conn.fetch(
            "SELECT id, union_id FROM members ORDER BY id LIMIT $1", min(missing, 50_000)
        )
        if not members:
            return have
        records = [
            ("member", m["id"], "member.update", m["union_id"], [BENCH_FIELD])
            for m in (members[i % len(members)] for i in range(missing))
        ]
        columns = ("entity_type", "entity_id", "action", "union_id", "changed")
        for start in range(0, len(records), EVENTS_PER_TRANSACTION):
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "change_events",
                    records=records[start : start + EVENTS_PER_TRANSACTION],
                    columns=columns,
                )
        await conn.execute("ANALYZE change_events")
        return have + missing
    finally:
        await conn.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn's workers), in seconds."""
    pids = [pid]
    with suppress(FileNotFoundError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return sum(_cpu_of(p) for p in pids)


def _cpu_of(pid: int) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / tick  # utime, stime


async def database_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the database (the server
    runs on this machine), by pid: the database's share of a pass, beside the backend's."""
    conn = await connect(url)
    try:
        pids = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return {r[0]: _cpu_of(r[0]) for r in pids}


def database_cpu_since(url: str, before: dict[int, float]) -> float:
    now = asyncio.run(database_cpu(url))
    return sum(v - before.get(pid, 0.0) for pid, v in now.items())


def page_all(base_url: str, headers: dict[str, str], limit: int) -> tuple[int, int]:
    """Pages the feed from its start to its end; returns (events, requests)."""
    events = requests = 0
    cursor: str | None = None
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as http:
        while True:
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            r = http.get(API, params=params)
            r.raise_for_status()
            body = r.json()
            events += len(body["items"])
            requests += 1
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return events, requests


def time_feed(
    base_url: str, server_pid: int, url: str, *, events: int, repeats: int, limit: int
) -> dict[str, Any]:
    """Page the whole feed `repeats` times as the administrator (every event) and as a
    client scoped to a district (its subtree's events), interleaved."""
    total = asyncio.run(ensure_events(url, events))
    token = httpx.post(
        f"{base_url}/api/v1/auth/token",
        data={"username": "admin", "password": PASSWORD},
        timeout=60,
    ).json()["access_token"]
    admin = {"Authorization": f"Bearer {token}"}
    district = asyncio.run(_busiest_district(url))
    client = _client_headers(base_url, admin, district)
    runs: dict[str, list[tuple[float, float, float, float, int, int]]] = {
        "admin": [],
        "client": [],
    }
    for _ in range(repeats):
        for who, headers in (("admin", admin), ("client", client)):
            db = asyncio.run(database_cpu(url))
            cpu, wall, mine = cpu_seconds(server_pid), time.perf_counter(), time.process_time()
            n, requests = page_all(base_url, headers, limit)
            took, reader = time.perf_counter() - wall, time.process_time() - mine
            used = cpu_seconds(server_pid) - cpu
            runs[who].append((took, used, database_cpu_since(url, db), reader, n, requests))
    out: dict[str, Any] = {"events_in_table": total, "limit": limit, "repeats": repeats}
    for who, rs in runs.items():
        out[who] = {
            "events": rs[0][4],
            "requests": rs[0][5],
            "wall_s_median": statistics.median(r[0] for r in rs),
            "wall_s_min": min(r[0] for r in rs),
            "backend_cpu_s_median": statistics.median(r[1] for r in rs),
            "database_cpu_s_median": statistics.median(r[2] for r in rs),
            # the follower's own work (reading the JSON): CPU of this process
            "reader_cpu_s_median": statistics.median(r[3] for r in rs),
        }
    return out


def _client_headers(base_url: str, admin: dict[str, str], union_id: str) -> dict[str, str]:
    """A members:read client of one union (the scoped case): its token's header."""
    r = httpx.post(
        f"{base_url}/api/v1/clients",
        headers=admin,
        json={
            "name": "Bench feed client",
            "organisation": "Benchmark",
            "contact": "bench",
            "purpose": "Benchmark of the change feed",
            "union_id": union_id,
            "permissions": ["unions:read", "members:read"],
            "rate_limit_per_minute": 100_000,
        },
        timeout=60,
    )
    r.raise_for_status()
    client = r.json()
    t = httpx.post(
        f"{base_url}/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
        timeout=60,
    )
    t.raise_for_status()
    return {"Authorization": f"Bearer {t.json()['access_token']}"}


async def _busiest_district(url: str) -> str:
    """The second-level union (a district federation) with the most events under it."""
    conn = await connect(url)
    try:
        return str(
            await conn.fetchval(
                """
                SELECT d.id FROM unions d
                JOIN unions u ON u.path <@ d.path
                JOIN change_events e ON e.union_id = u.id
                WHERE nlevel(d.path) = 2 AND d.status = 'active'
                GROUP BY d.id ORDER BY count(*) DESC LIMIT 1
                """
            )
        )
    finally:
        await conn.close()


# ------------------------------------------------------------------ the outbox's write cost


@contextmanager
def outbox_off() -> Iterator[None]:
    """The same app without the outbox: core.audit.record adds no event (a copy of the
    write path as it was before the outbox; only for this comparison)."""
    original = vars(audit)["add_event"]

    async def no_event(*args: Any, **kwargs: Any) -> None:
        return None

    setattr(audit, "add_event", no_event)  # noqa: B010
    try:
        yield
    finally:
        setattr(audit, "add_event", original)  # noqa: B010


async def _outbox(url: str, rounds: int, writes: int) -> dict[str, Any]:
    conn = await connect(url)
    try:
        member_ids = [
            str(r[0])
            for r in await conn.fetch(
                "SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT $1", writes
            )
        ]
        before = int(await conn.fetchval("SELECT count(*) FROM change_events"))
    finally:
        await conn.close()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    app = create_app()
    samples: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c,
    ):
        r = await c.post("/api/v1/auth/token", data={"username": "admin", "password": PASSWORD})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        flips = dict.fromkeys(member_ids, 0)
        for i in range(rounds + 1):  # round 0 warms both up and is not counted
            order = ("with", "without") if i % 2 else ("without", "with")
            for mode in order:
                for member_id in member_ids:
                    # every edit really changes the member (a write, an audit entry, an event)
                    flips[member_id] += 1
                    body = {"occupation": f"Công nhân (bench {flips[member_id] % 2})"}
                    path = f"/api/v1/members/{member_id}"
                    with outbox_off() if mode == "without" else _nothing():
                        cpu, wall = time.process_time(), time.perf_counter()
                        r = await c.patch(path, json=body, headers=headers)
                        took = (time.perf_counter() - wall, time.process_time() - cpu)
                    r.raise_for_status()
                    if i:
                        samples[mode].append(took)
    conn = await connect(url)
    try:
        added = int(await conn.fetchval("SELECT count(*) FROM change_events")) - before
    finally:
        await conn.close()
    out: dict[str, Any] = {"writes_each": len(samples["with"]), "events_added": added}
    for mode, s in samples.items():
        out[mode] = {
            "wall_ms_median": 1000 * statistics.median(x[0] for x in s),
            "cpu_ms_median": 1000 * statistics.median(x[1] for x in s),
        }
    out["wall_ratio"] = out["with"]["wall_ms_median"] / out["without"]["wall_ms_median"]
    out["cpu_ratio"] = out["with"]["cpu_ms_median"] / out["without"]["cpu_ms_median"]
    return out


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def time_outbox(url: str, *, rounds: int, writes: int) -> dict[str, Any]:
    """`rounds` x `writes` member PATCHes with the outbox and as many without, interleaved,
    in-process (httpx on the ASGI app: the CPU of both sides is this process's)."""
    return asyncio.run(_outbox(url, rounds, writes))
