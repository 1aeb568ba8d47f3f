"""Time (and optionally profile) an import's upload checks and validation pass, without a server.

    DATABASE_URL=... python -m unionhub_dev.bench.profile_import [--rows N] [--profile out.html]
        [--commit | --one-pass] [--serial]

Runs against any migrated database with demo data (the e2e or dev database will do; the 1M
benchmark database is not needed): writes the benchmark's import file for that database's
unions (cached under .bench/), creates the job as an upload does, runs `imports.service.validate`
in this process and rolls everything back. Prints the seconds of each step; with `--profile`
(pyinstrument, a dev dependency) also writes an HTML profile of the validation (of the commit
with `--commit`). `--commit` also runs the commit pass on the validated job (as the queue's
task does, in the same transaction, then rolled back too: the register is left as it was) and
prints the wall seconds spent in each kind of statement the commit sent on the import's
connection (COPY per table, UPDATE, the rest). The rows are converted by the helper process
a worker uses (imports.convert_pool; its CPU seconds are printed apart), or here with
`--serial`. `--one-pass` uploads with commit_if_clean instead (docs/adr/0015): the validation
writes the rows as it goes, and its statements are timed as the commit's are.
"""

import argparse
import asyncio
import hashlib
import os
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import text

from unionhub.authz.principal import Principal
from unionhub.core.db import get_sessionmaker, use_work_sessions
from unionhub.imports import convert_pool, service
from unionhub_dev.bench.server import BACKEND_DIR
from unionhub_dev.bench.xlsx import ImportUnion, write_import_file

WORKDIR = BACKEND_DIR.parent / ".bench"

# The unions the bench imports into: the largest active enterprise unions (as workload.py).
_UNIONS = text(
    "SELECT u.code, u.founded_on, e.tax_code, count(m.id) AS n FROM unions u "
    "JOIN enterprises e ON e.id = u.enterprise_id "
    "JOIN members m ON m.union_id = u.id WHERE u.status = 'active' "
    "GROUP BY u.code, u.founded_on, e.tax_code ORDER BY n DESC LIMIT 8"
)


def _statement_kind(sql: str) -> str:
    words = " ".join(sql.split()[:4]).lower()
    for kind in ("insert into qualifications", "update members m", "update members"):
        if words.startswith(kind):
            return kind
    return " ".join(words.split()[:3])


@contextmanager
def _timed_statements(seconds: dict[str, float], db_cpu: dict[str, float]) -> Iterator[None]:
    """Adds the wall seconds of every COPY / execute / executemany sent through asyncpg to
    `seconds`, and the CPU seconds the database server's backend spent on it to `db_cpu`, by
    kind (the table of a COPY, the statement's first words otherwise)."""
    cls = asyncpg.connection.Connection
    saved = {n: getattr(cls, n) for n in ("copy_records_to_table", "execute", "executemany")}

    def wrap(name: str, original: Any) -> Any:
        async def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            kind = (
                f"COPY {args[0]}"
                if name == "copy_records_to_table"
                else _statement_kind(str(args[0]) if args else "")
            )
            pid = self.get_server_pid()
            started, cpu = time.perf_counter(), _cpu_of(pid)
            try:
                return await original(self, *args, **kwargs)
            finally:
                seconds[kind] += time.perf_counter() - started
                if cpu is not None:
                    db_cpu[kind] += (_cpu_of(pid) or 0.0) - cpu

        return timed

    for name, original in saved.items():
        setattr(cls, name, wrap(name, original))
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(cls, name, original)


def _cpu_of(pid: int | None) -> float | None:
    """User + system CPU seconds of a local process (None when it is not on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(
    rows: int, seed: int, profile: Path | None, commit: bool, one_pass: bool = False
) -> dict[str, Any]:
    sessions = get_sessionmaker()
    async with sessions() as session:
        found = (await session.execute(_UNIONS)).all()
        unions = [ImportUnion(r.code, r.founded_on, r.tax_code) for r in found]
        tag = hashlib.sha256(" ".join(sorted(u.code for u in unions)).encode()).hexdigest()[:8]
        path = write_import_file(WORKDIR / f"profile-{rows}-{seed}-{tag}.xlsx", rows, unions, seed)
        content = path.read_bytes()
        principal = Principal.system_actor("profile")
        out: dict[str, Any] = {"rows": rows, "file_mib": len(content) / 1048576}
        started, cpu = time.perf_counter(), time.process_time()
        job = await service.create_job(
            session,
            principal,
            kind="members",
            mode="create",
            file_name=path.name,
            content=content,
            commit_if_clean=one_pass,
        )
        out["upload_checks_seconds"] = time.perf_counter() - started
        out["upload_checks_cpu_seconds"] = time.process_time() - cpu
        profiler = None
        if profile is not None and not commit:
            from pyinstrument import Profiler  # a dev dependency: imported only when asked

            profiler = Profiler(async_mode="enabled")
            profiler.start()
        backend = await session.scalar(text("SELECT pg_backend_pid()"))
        db_cpu = _cpu_of(backend)
        helper = convert_pool.helper_pid()
        helper_cpu = _cpu_of(helper) if helper else None
        seconds: dict[str, float] = defaultdict(float)
        statement_cpu: dict[str, float] = defaultdict(float)
        backends = await _backends_cpu(session)
        closed: dict[int, float] = {}
        started, cpu = time.perf_counter(), time.process_time()
        with _timed_statements(seconds, statement_cpu), _measured_work_sessions(closed):
            await service.validate(session, principal, job)
        out["validate_seconds"] = time.perf_counter() - started
        # This process's CPU (all its threads): comparable on a machine shared with others.
        out["validate_cpu_seconds"] = time.process_time() - cpu
        if helper_cpu is not None:
            # The helper process converting rows (imports.convert_pool).
            out["validate_helper_cpu_seconds"] = (_cpu_of(helper) or 0.0) - helper_cpu
        # The database server's CPU for this session (when it runs on this machine).
        if db_cpu is not None:
            out["validate_db_cpu_seconds"] = (_cpu_of(backend) or 0.0) - db_cpu
            # With the other connections of the pass (the one-pass checks' lookups).
            after = {**await _backends_cpu(session), **closed}
            out["validate_all_db_cpu_seconds"] = sum(
                cpu - backends.get(pid, 0.0) for pid, cpu in after.items()
            )
        if profiler is not None and profile is not None:
            profiler.stop()
            html = profiler.output_html()
            await asyncio.to_thread(profile.write_text, html)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        out["valid_rows"] = job.valid_rows
        out["error_count"] = job.error_count
        out["status"] = job.status
        if one_pass:
            out["created"] = job.result.get("created")
            _statements(out, seconds, statement_cpu)
        if commit:
            await _commit(session, principal, job, profile, out)
        await session.rollback()
    return out


@contextmanager
def _measured_work_sessions(closed: dict[int, float]) -> Iterator[None]:
    """The sessions the pass opens besides its own (the one-pass checks' lookups): the CPU
    of each one's server process is read as it closes (its connection may close with it)."""
    sessions = get_sessionmaker()

    @asynccontextmanager
    async def measured() -> AsyncIterator[Any]:
        async with sessions() as s:
            try:
                yield s
            finally:
                pid = await s.scalar(text("SELECT pg_backend_pid()"))
                if (cpu := _cpu_of(pid)) is not None:
                    closed[pid] = cpu

    with use_work_sessions(measured):  # type: ignore[arg-type]
        yield


async def _backends_cpu(session: Any) -> dict[int, float]:
    """CPU seconds of each server process connected to this database (a local server)."""
    pids = await session.scalars(
        text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    )
    return {pid: cpu for pid in pids if (cpu := _cpu_of(pid)) is not None}


async def _no_progress(done: int, total: int) -> None:
    return None


async def _commit(
    session: Any, principal: Principal, job: Any, profile: Path | None, out: dict[str, Any]
) -> None:
    """The commit pass of the validated `job`, timed statement by statement (not committed)."""
    job = await service.start_commit(session, principal, job.id, False)
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler  # a dev dependency: imported only when asked

        profiler = Profiler(async_mode="enabled")
        profiler.start()
    backend = await session.scalar(text("SELECT pg_backend_pid()"))
    db_cpu = _cpu_of(backend)
    seconds: dict[str, float] = defaultdict(float)
    statement_cpu: dict[str, float] = defaultdict(float)
    started, cpu = time.perf_counter(), time.process_time()
    with _timed_statements(seconds, statement_cpu):
        await service.commit_pass(session, principal, job, _no_progress)
    out["commit_seconds"] = time.perf_counter() - started
    out["commit_cpu_seconds"] = time.process_time() - cpu
    if db_cpu is not None:
        out["commit_db_cpu_seconds"] = (_cpu_of(backend) or 0.0) - db_cpu
    if profiler is not None and profile is not None:
        profiler.stop()
        await asyncio.to_thread(profile.write_text, profiler.output_html())
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    out["created"] = job.result.get("created")
    _statements(out, seconds, statement_cpu)


def _statements(out: dict[str, Any], seconds: dict[str, float], cpu: dict[str, float]) -> None:
    # Wall seconds include waiting for a core on a shared machine; the CPU seconds do not.
    for kind, s in sorted(cpu.items(), key=lambda kv: -kv[1]):
        out[f"  {kind} (wall s / database CPU s)"] = f"{seconds[kind]:.2f} / {s:.2f}"


def main() -> None:
    p = argparse.ArgumentParser(
        prog="python -m unionhub_dev.bench.profile_import", description=__doc__
    )
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2018)
    p.add_argument("--profile", type=Path, help="write a pyinstrument HTML profile here")
    p.add_argument(
        "--commit", action="store_true", help="also run the commit pass (rolled back), timed"
    )
    p.add_argument(
        "--one-pass",
        action="store_true",
        help="upload with commit_if_clean: validate and write in one pass (rolled back), timed",
    )
    p.add_argument(
        "--serial", action="store_true", help="convert the rows in this process (no helper)"
    )
    args = p.parse_args()
    if args.one_pass and args.commit:
        p.error("--one-pass writes in its validation: it takes no --commit")
    if args.serial:
        convert_pool.MIN_ROWS = 10**12
    result = asyncio.run(run(args.rows, args.seed, args.profile, args.commit, args.one_pass))
    for key, value in result.items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
