"""The benchmark database: built once with the demo generator, reused while complete.

A finished build is marked with a comment on the database naming its seed and sizes; a
database without that comment (an empty one made by `make bench`, or a build that stopped
half-way) is dropped and built again. Only databases whose name contains "bench" are ever
dropped.
"""

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from unionhub_dev.bench.server import BACKEND_DIR

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/unionhub_bench"


@dataclass(frozen=True)
class Target:
    seed: int
    members: int
    enterprises: int

    @property
    def marker(self) -> str:
        return (
            f"unionhub bench data: seed {self.seed}, {self.members} members, "
            f"{self.enterprises} enterprises, complete"
        )


DEFAULT_TARGET = (1_000_000, 50_000)


def database_url(target: Target | None = None) -> str:
    """DATABASE_URL (or the default); for a data set of another size than the default 1M
    members / 50k enterprises, a database of its own beside it (`<name>_5000k_50k`), so
    `--members 5000000` never drops the 1M database to build the 5M one."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if target is None or (target.members, target.enterprises) == DEFAULT_TARGET:
        return url
    u = make_url(url)
    name = f"{u.database}_{target.members // 1000}k_{target.enterprises // 1000}k"
    return u.set(database=name).render_as_string(hide_password=False)


async def connect(url: str, database: str | None = None) -> Any:
    u = make_url(url)
    return await asyncpg.connect(
        user=u.username or "postgres",
        password=u.password,
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        database=database or u.database,
    )


async def _comment(url: str) -> str | None:
    name = make_url(url).database
    admin = await connect(url, "postgres")
    try:
        return await admin.fetchval(  # type: ignore[no-any-return]
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            name,
        )
    finally:
        await admin.close()


def _alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


async def ensure(url: str, target: Target, rebuild: bool = False) -> str:
    """Make sure the database holds the complete data set; returns what was done."""
    if not rebuild and await _comment(url) == target.marker:
        upgraded = await asyncio.to_thread(_alembic, url, "upgrade", "head")
        if upgraded.returncode == 0:
            return "reused (complete, migrations at head)"
    await _build(url, target)
    return "built"


async def _build(url: str, target: Target) -> None:
    name = make_url(url).database or ""
    if "bench" not in name:
        raise SystemExit(
            f"refusing to rebuild {name!r}: the benchmark only drops *bench* databases"
        )
    admin = await connect(url, "postgres")
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    migrated = await asyncio.to_thread(_alembic, url, "upgrade", "head")
    if migrated.returncode != 0:
        raise SystemExit(f"alembic upgrade head failed:\n{migrated.stderr}")
    # The generator reads DATABASE_URL through the settings; run it in a child process so the
    # settings cached in this one stay untouched.
    started = time.perf_counter()
    command = [
        sys.executable, "-m", "unionhub_dev", "demo-data", "--seed", str(target.seed),
        "--members", str(target.members), "--enterprises", str(target.enterprises),
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": url}
    loaded = await asyncio.to_thread(
        subprocess.run, command, cwd=BACKEND_DIR, env=env, capture_output=True, text=True
    )
    if loaded.returncode != 0:
        raise SystemExit(f"loading the demo data failed:\n{loaded.stderr[-4000:]}")
    print(loaded.stdout.strip(), flush=True)
    conn = await connect(url)
    try:
        await _fold_and_vacuum(conn)
        await conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{target.marker}'")
    finally:
        await conn.close()
    print(f"bench: database {name} built in {time.perf_counter() - started:.0f} s", flush=True)


async def vacuum(url: str) -> float:
    """VACUUM ANALYZE the whole database; the seconds it took. A PostgreSQL run with
    `autovacuum = off` (this machine's CI configuration) never cleans what a run's imports and
    their removal leave behind, in every table they touch (the counts, the feed, the audit
    links...), and each later run would read through more of it."""
    started = time.perf_counter()
    conn = await connect(url)
    try:
        await _fold_and_vacuum(conn)
    finally:
        await conn.close()
    return time.perf_counter() - started


async def _fold_and_vacuum(conn: Any) -> None:
    """The subtree sums folded (what the worker does each minute: docs/adr/0020), then VACUUM
    ANALYZE. Folded after the VACUUM, the rows a build or an import appended would stay dead
    in the tables and their indexes for the whole run (autovacuum is off here). On the 5M
    database the overview read each time took 16.7 ms p95 alone in a run that began that way,
    and 7.4 ms in the next one, its VACUUM after the worker's folds."""
    await conn.execute("SELECT member_subtree_fold()")
    await conn.execute("VACUUM ANALYZE")


@dataclass
class Sizes:
    members: int
    unions: int
    grassroots: int
    enterprises: int
    gap_targets: int
    database_mib: int


async def sizes(url: str) -> Sizes:
    conn = await connect(url)
    try:
        row = await conn.fetchrow(
            """
            SELECT (SELECT count(*) FROM members) AS members,
                   (SELECT count(*) FROM unions) AS unions,
                   (SELECT count(*) FROM unions WHERE level IN ('grassroots', 'occupational')
                      AND status = 'active') AS grassroots,
                   (SELECT count(*) FROM enterprises) AS enterprises,
                   (SELECT count(*) FROM enterprises e WHERE operating_status = 'operating'
                      AND coalesce(total_workers, 0) >= 20 AND NOT EXISTS (SELECT FROM unions u
                      WHERE u.enterprise_id = e.id AND u.status = 'active')) AS gap_targets,
                   pg_database_size(current_database()) / 1048576 AS database_mib
            """
        )
        return Sizes(**dict(row))
    finally:
        await conn.close()
