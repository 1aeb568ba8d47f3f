"""Command line: `unionhub worker`, `unionhub create-admin`, `unionhub counts rebuild|check`,
`unionhub places load`
(the demo data is `unionhub-dev demo-data`)."""

import argparse
import asyncio
import getpass
import logging
import resource
import sys

from unionhub.core.config import get_settings
from unionhub.core.db import dispose_engine, get_sessionmaker
from unionhub.core.logging import configure_logging
from unionhub.core.queue import run_worker
from unionhub.imports import convert_pool
from unionhub.members import counts_rebuild
from unionhub.places import service as places
from unionhub.training import facts as training_facts
from unionhub.workflows.first_admin import create_admin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unionhub", description="UnionHub maintenance commands")
    sub = parser.add_subparsers(dest="command", required=True)

    admin = sub.add_parser("create-admin", help="Create an administrator account")
    admin.add_argument("username")
    admin.add_argument("--full-name", default="Quản trị hệ thống")
    admin.add_argument(
        "--root-code", help="Found the top-level union with this code if none exists"
    )
    admin.add_argument("--root-name", help="Name of that top-level union")

    worker = sub.add_parser(
        "worker",
        help="Run background jobs (imports) until stopped; run one or more per deployment",
    )
    worker.add_argument(
        "--concurrency", type=int, default=2, help="Jobs run at once by this worker (default 2)"
    )
    worker.add_argument(
        "--queue",
        action="append",
        dest="queues",
        default=[],
        help="Only the jobs of this queue (repeatable; default: every queue)",
    )
    worker.add_argument("--name", default="worker", help="Name in the logs")

    counts = sub.add_parser(
        "counts",
        help="The maintained member and enterprise counts, qualification facts and the "
        "register's names (member_names): rebuild them from the registers, "
        "or check them against them (exit status 1 on drift)",
    )
    counts.add_argument("action", choices=["rebuild", "check"])

    places_cmd = sub.add_parser(
        "places",
        help="The official lists: provinces and communes/wards from the installed "
        "vietnam-provinces package (upgrade the package, then run this), and the VSIC 2018 "
        "sections and divisions (unionhub/places/data/vsic2018.csv)",
    )
    places_cmd.add_argument("action", choices=["load"])

    args = parser.parse_args(argv)
    if args.command == "places":
        return asyncio.run(_places())
    if args.command == "counts":
        return asyncio.run(_counts(args.action))
    if args.command == "worker":
        return _worker(args.concurrency, args.queues, args.name)
    if args.command == "create-admin":
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline()
        root = (args.root_code, args.root_name) if args.root_code and args.root_name else None
        asyncio.run(create_admin(args.username, args.full_name, password.strip(), root))
        print(f"created administrator {args.username}")
        return 0
    return 2


async def _places() -> int:
    try:
        async with get_sessionmaker()() as session:
            loaded = await places.load(session)
            await session.commit()
    finally:
        await dispose_engine()
    print(
        f"administrative list of {loaded.data_version}: {loaded.provinces} provinces, "
        f"{loaded.communes} communes/wards ({loaded.retired} older codes kept); "
        f"VSIC 2018: {loaded.industries} sections and divisions"
    )
    return 0


async def _counts(action: str) -> int:
    try:
        async with get_sessionmaker()() as session:
            if action == "rebuild":
                written = await counts_rebuild.rebuild(session)
                written[training_facts.TABLE] = await training_facts.rebuild(session)
                await session.commit()
                for table, rows in written.items():
                    print(f"{table}: {rows} rows")
                return 0
            drift = await counts_rebuild.check(session)
            facts_off, sample = await training_facts.check(session, counts_rebuild.SAMPLE)
            if facts_off:
                drift.append(counts_rebuild.Drift(training_facts.TABLE, facts_off, sample))
    finally:
        await dispose_engine()
    for d in drift:
        print(f"{d.table}: {d.rows} rows differ")
        for line in d.sample:
            print(f"  {line}")
    if drift:
        print("drift found: run `unionhub counts rebuild`", file=sys.stderr)
        return 1
    print("counts match the register")
    return 0


def limit_memory(megabytes: int) -> None:
    """Cap this process's heap (every private writable mapping): past it an allocation raises
    MemoryError, which fails the import at hand and leaves the worker running."""
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _worker(concurrency: int, queues: list[str], name: str) -> int:
    settings = get_settings()
    if settings.worker_memory_mb:
        limit_memory(settings.worker_memory_mb)
    configure_logging(settings.log_level, settings.log_json)
    # The helper that converts large imports' rows (under the same memory limit), started
    # now so the first import does not wait for it.
    convert_pool.warm()
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        # procrastinate logs every job start and end, the periodic ones too (every 10 s).
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
    asyncio.run(run_worker(concurrency=max(1, concurrency), queues=queues, name=name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
