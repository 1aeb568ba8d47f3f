"""python -m unionhub_dev.bench [--rebuild] [--seconds 20] [--connections 4] [--workers 1] ..."""

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.engine import make_url

from unionhub.core.config import get_settings
from unionhub_dev.bench import attack, database, feed, programmes, report, workload
from unionhub_dev.bench.load import LoadResult, run_load, tool_available
from unionhub_dev.bench.server import BACKEND_DIR, Backend
from unionhub_dev.bench.xlsx import write_import_file

REPO = BACKEND_DIR.parent
WORKDIR = REPO / ".bench"


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m unionhub_dev.bench", description=__doc__)
    p.add_argument("--seed", type=int, default=2018)
    p.add_argument("--members", type=int, default=1_000_000)
    p.add_argument("--enterprises", type=int, default=50_000)
    p.add_argument("--rebuild", action="store_true", help="build the database even if complete")
    p.add_argument("--seconds", type=float, default=15.0, help="per read scenario and load")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds per scenario, not counted")
    p.add_argument(
        "--max-requests",
        type=int,
        default=20_000,
        help="per read scenario, with the built-in client (wrk runs for --seconds)",
    )
    p.add_argument("--connections", type=int, default=4)
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of each scenario the floor also serves, the project and the floor in "
        "turns; the ratios are the median of the rounds' (a noisy window moves one round)",
    )
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    p.add_argument(
        "--only",
        nargs="*",
        help="scenario keys (list_district, search, indicator_members_total, progress_05, "
        "report_year, ...) or groups (indicators, progress)",
    )
    p.add_argument("--import-rows", type=int, default=100_000)
    p.add_argument("--export-rows", type=int, default=100_000)
    p.add_argument("--skip-import", action="store_true")
    p.add_argument(
        "--import-passes",
        choices=("both", "two-step", "one-pass"),
        default="both",
        help="the import timed: upload, validated, then commit (two-step); the upload with "
        "commit_if_clean, validated and written in one pass (one-pass); or both, one after "
        "the other (default)",
    )
    p.add_argument("--skip-export", action="store_true")
    p.add_argument(
        "--skip-malicious", action="store_true", help="skip the crafted-imports scenario"
    )
    p.add_argument("--malicious-seconds", type=float, default=30.0)
    p.add_argument(
        "--skip-feed", action="store_true", help="skip the change feed and outbox scenarios"
    )
    p.add_argument("--feed-events", type=int, default=100_000, help="events to page through")
    p.add_argument("--feed-limit", type=int, default=5000, help="events per feed page")
    p.add_argument("--feed-repeats", type=int, default=3, help="passes through the feed")
    p.add_argument("--outbox-rounds", type=int, default=10, help="interleaved rounds")
    p.add_argument("--outbox-writes", type=int, default=20, help="member edits per round")
    p.add_argument("--skip-report", action="store_true", help="skip the province's yearly report")
    p.add_argument("--report-repeats", type=int, default=5, help="yearly report generations")
    p.add_argument("--doc", type=Path, default=REPO / "docs" / "benchmarks.md")
    p.add_argument("--no-doc", action="store_true", help="print only; leave the doc alone")
    p.add_argument(
        "--no-floor",
        action="store_true",
        help="measure the project only (no floor app beside it, no ratios)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    target = database.Target(args.seed, args.members, args.enterprises)
    url = database.database_url(target)
    print(f"bench: database {make_url(url).database}", flush=True)
    done = asyncio.run(database.ensure(url, target, args.rebuild))
    print(f"bench: database {done}", flush=True)
    # Whatever an earlier run (or anything else) left in it is cleaned before measuring.
    print(f"bench: VACUUM ANALYZE in {asyncio.run(database.vacuum(url)):.0f} s", flush=True)
    sizes = asyncio.run(database.sizes(url))
    samples = asyncio.run(workload.draw_samples(url, "mytho", args.export_rows))
    programme_samples = asyncio.run(programmes.draw(url))
    print(f"bench: rows behind the indicators: {programme_samples.data}", flush=True)
    tool = tool_available() if args.tool == "auto" else args.tool
    results = report.Results(
        load_before=os.getloadavg(),
        started=report.stamp(),
        sizes=sizes,
        indicator_data=programme_samples.data,
        database=make_url(url).database or "",
        workers=args.workers,
        connections=args.connections,
        rounds=args.rounds,
        seconds=args.seconds,
        max_requests=args.max_requests,
        tool="wrk 4.1 (Debian)" if tool == "wrk" else "asyncio HTTP/1.1 client (built in)",
        command=" ".join(
            ["python -m unionhub_dev.bench", *(sys.argv[1:] if argv is None else argv)]
        ),
    )
    backend = Backend(url, workers=args.workers)
    backend.start()
    print(f"bench: backend on {backend.base_url}, {args.workers} worker(s)", flush=True)
    floor = None
    try:
        if not args.no_floor:
            floor = Backend(
                url,
                workers=args.workers,
                app="unionhub_dev.bench.floor:app",
                jwt_secret=backend.jwt_secret,
                name="floor",
            )
            floor.start()
            print(f"bench: floor on {floor.base_url}", flush=True)
        scenarios = workload.scenarios(samples) + programmes.scenarios(programme_samples)
        _reads(args, backend, floor, scenarios, results, tool)
        if floor is not None:
            floor.stop()
            floor = None
        _writes(args, backend, samples, results, url)
        if not args.skip_feed:
            _feed(args, backend, results, url)
        if not args.skip_report and (not args.only or "report_year" in args.only):
            _yearly_report(args, backend, programme_samples, results, url)
        if not args.skip_malicious:
            results.malicious_result = _malicious(args, backend, samples, tool)
    finally:
        if floor is not None:
            floor.stop()
        backend.stop()
        if backend.sampler is not None:
            results.rss_peaks_mib = {k: v / 1024 for k, v in backend.sampler.peaks.items()}
        if backend.worker_sampler is not None:
            results.worker_rss_peaks_mib = {
                k: v / 1024 for k, v in backend.worker_sampler.peaks.items()
            }
        if results.malicious_result is not None and backend.sampler is not None:
            results.malicious_result = attack.summary_of(
                results.malicious_result,
                results.rss_peaks_mib,
                results.worker_rss_peaks_mib,
            )
        results.load_after = os.getloadavg()
    print()
    print(report.text_table(report.table(results)))
    WORKDIR.mkdir(exist_ok=True)
    raw = WORKDIR / f"results-{results.started:%Y%m%dT%H%M}.json"
    raw.write_text(json.dumps(asdict(results), default=str, indent=2))
    if not args.no_doc:
        report.write_doc(args.doc, results)
        print(f"\nbench: wrote {args.doc.relative_to(REPO)} and {raw.relative_to(REPO)}")
    return 0


def _reads(
    args: argparse.Namespace,
    backend: Backend,
    floor: Backend | None,
    scenarios: list[workload.Scenario],
    results: report.Results,
    tool: str,
) -> None:
    """Each scenario on the project and on the floor, interleaved (project, floor at one
    connection, then floor, project at several), so drift on the shared machine falls on both;
    `--rounds` times over for the scenarios the floor serves, who goes first alternating."""
    # One sign-in per user (a busy backend may be slow to hash), renewed well before the
    # access token expires: a whole run outlasts it (2026-12-07 14:31, every request of the
    # last scenario answered 401 after 15 minutes).
    tokens: dict[str, tuple[str, float]] = {}
    # Half the token's lifetime: a scenario takes a few minutes at most, so the token it
    # starts with lasts to its end.
    renew = get_settings().access_token_minutes * 60 / 2
    for sc in scenarios:
        if args.only and sc.key not in args.only and sc.group not in args.only:
            continue
        row = report.Row(
            sc.title,
            sc.user,
            goal_p95_ms=sc.goal_p95_ms,
            goal_loaded_p95_ms=sc.goal_loaded_p95_ms,
            key=sc.key,
        )
        results.rows.append(row)
        if not sc.paths:
            row.note = "no data"
            continue
        token, signed_at = tokens.get(sc.user, ("", -renew))
        if time.monotonic() - signed_at >= renew:
            token = workload.sign_in(backend.base_url, sc.user)
            tokens[sc.user] = (token, time.monotonic())
        servers = [("project", backend)]
        if floor is not None and sc.floor:
            servers.append(("floor", floor))
            diff = workload.same_answers(backend.base_url, floor.base_url, token, sc.paths)
            row.floor_same = not diff
            for d in diff:
                print(f"bench: {sc.key}: the floor answers differently: {d}", flush=True)
        changing = (
            workload.register_changing(backend.database_url) if sc.changing else nullcontext([0])
        )
        with changing as bumps:
            _measure(args, backend, servers, sc, row, token, tool)
        if sc.changing:
            print(f"bench: {sc.key}: the figures' stamp bumped {bumps[0]:,} times", flush=True)


def _measure(
    args: argparse.Namespace,
    backend: Backend,
    servers: list[tuple[str, Backend]],
    sc: workload.Scenario,
    row: report.Row,
    token: str,
    tool: str,
) -> None:
    """One scenario's warm-up on each server, then its rounds."""
    for _, server in servers:
        backend.phase(f"warm-up {sc.key}")
        run_load(
            server.base_url,
            sc.paths,
            token,
            seconds=args.warmup,
            max_requests=2_000,
            connections=args.connections,
            workdir=WORKDIR / "load",
            tool=tool,
        )
        # What the load tool abandoned is cancelled, and each path answered once in full: the
        # measured run starts on a server with nothing left over (workload.answer_each).
        asyncio.run(workload.cancel_leftovers(backend.database_url))
        bad = [s for s in workload.answer_each(server.base_url, sc.paths, token) if s >= 400]
        if bad:
            print(f"bench: {sc.key}: the warm-up's last answers had statuses {bad}", flush=True)
    rounds = max(1, args.rounds) if len(servers) > 1 else 1
    for turn, connections in _turns(rounds, args.connections):
        order = servers if turn % 2 == 0 else list(reversed(servers))
        for who, server in order:
            backend.phase(sc.key)
            load = run_load(
                server.base_url,
                sc.paths,
                token,
                seconds=args.seconds,
                max_requests=args.max_requests,
                connections=connections,
                workdir=WORKDIR / "load",
                tool=tool,
            )
            row.store(who, connections == 1, load)
            left = asyncio.run(workload.cancel_leftovers(backend.database_url))
            if left:
                print(f"bench: {sc.key}: cancelled {left} queries still running", flush=True)
            print(
                f"bench: {sc.key} {who} x{connections}"
                + (f" round {turn // 2 + 1}" if rounds > 1 else "")
                + f": {load.requests} requests, "
                f"{load.throughput:.0f}/s, p50 {load.p50:.1f} ms, p95 {load.p95:.1f} ms, "
                f"p99 {load.p99:.1f} ms"
                + (f", {load.bad_status} bad statuses" if load.bad_status else ""),
                flush=True,
            )


def _turns(rounds: int, connections: int) -> list[tuple[int, int]]:
    """(turn, connections) in the order measured: each round one connection, then several.
    An even turn runs the project first, an odd one the floor, so each side goes first as
    often as the other, on one connection and on several."""
    out = []
    for i in range(rounds):
        out += [(2 * i + i % 2, 1), (2 * i + 1 - i % 2, connections)]
    return out


def _writes(
    args: argparse.Namespace,
    backend: Backend,
    samples: workload.Samples,
    results: report.Results,
    url: str,
) -> None:
    base = backend.base_url
    available = workload.operations()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.skip_export:
        if "members-export" in available:
            backend.phase("export")
            results.export_result = workload.time_export(
                base, workload.sign_in(base, "tinh"), samples
            )
            print(f"bench: export: {results.export_result}", flush=True)
        else:
            print("bench: export: the endpoint does not exist yet", flush=True)
    if not args.skip_import:
        if {"imports-create", "imports-get", "imports-commit"} <= available:
            rows, seed = args.import_rows, args.seed
            path = WORKDIR / f"import-members-{rows}-{seed}.xlsx"
            if not path.exists():
                print(f"bench: writing {path.relative_to(REPO)} ...", flush=True)
            write_import_file(path, rows, samples.import_unions, seed)
            token = workload.sign_in(base, "tinh")
            if args.import_passes in ("both", "two-step"):
                since = time.time()
                backend.phase("import")
                results.import_result = workload.time_import(base, token, path)
                print(f"bench: import: {results.import_result}", flush=True)
                removed = asyncio.run(workload.remove_imported(url, since))
                print(f"bench: removed the {removed:,} imported members again", flush=True)
            if args.import_passes in ("both", "one-pass"):
                # The same file in one pass (commit_if_clean), timed as its own row.
                since = time.time()
                backend.phase("import one pass")
                results.one_pass_import_result = workload.time_import(
                    base, token, path, one_pass=True
                )
                print(f"bench: import in one pass: {results.one_pass_import_result}", flush=True)
                removed = asyncio.run(workload.remove_imported(url, since))
                print(f"bench: removed the {removed:,} imported members again", flush=True)
        else:
            print("bench: import: the endpoint does not exist yet", flush=True)


def _feed(args: argparse.Namespace, backend: Backend, results: report.Results, url: str) -> None:
    """Paging the change feed (issue 13: 100,000 events in < 10 s) and the outbox's share of
    a member write (< 10 %)."""
    assert backend.process is not None
    backend.phase("feed")
    results.feed_result = feed.time_feed(
        backend.base_url,
        backend.process.pid,
        url,
        events=args.feed_events,
        repeats=args.feed_repeats,
        limit=args.feed_limit,
    )
    print(f"bench: change feed: {results.feed_result}", flush=True)
    backend.phase("outbox")
    results.outbox_result = feed.time_outbox(
        url, rounds=args.outbox_rounds, writes=args.outbox_writes
    )
    print(f"bench: outbox: {results.outbox_result}", flush=True)


def _yearly_report(
    args: argparse.Namespace,
    backend: Backend,
    samples: programmes.ProgrammeSamples,
    results: report.Results,
    url: str,
) -> None:
    """The province's yearly statistical report (issue 12: < 2 s), generated
    `--report-repeats` times; the request is removed again afterwards."""
    backend.phase("report_year")
    token = workload.sign_in(backend.base_url, "tinh")
    found = programmes.time_yearly_report(backend.base_url, token, samples, args.report_repeats)
    results.report_result = found
    print(f"bench: yearly report: {found}", flush=True)
    if found.get("request_id"):
        asyncio.run(programmes.remove_request(url, found["request_id"]))


def _malicious(
    args: argparse.Namespace, backend: Backend, samples: workload.Samples, tool: str
) -> dict[str, object]:
    """The district officer's list, without and then with crafted uploads by the province."""
    [sc] = [s for s in workload.scenarios(samples) if s.key == "list_district"]
    token = workload.sign_in(backend.base_url, sc.user)

    def load() -> LoadResult:
        return run_load(
            backend.base_url,
            sc.paths,
            token,
            seconds=args.malicious_seconds,
            max_requests=10 * args.max_requests,
            connections=args.connections,
            workdir=WORKDIR / "load",
            tool=tool,
        )

    print("bench: crafted imports: writing the files ...", flush=True)
    files = attack.crafted_files()
    backend.phase("malicious-baseline")
    baseline = load()
    print(f"bench: list without crafted imports: p95 {baseline.p95:.1f} ms", flush=True)
    uploader = attack.Attack(backend.base_url, workload.sign_in(backend.base_url, "tinh"), files)
    backend.phase("malicious")
    attacked = uploader.run_during(load)
    backend.phase("after")
    print(
        f"bench: list with crafted imports: p95 {attacked.p95:.1f} ms; "
        f"{uploader.uploads} uploads: {uploader.outcomes}",
        flush=True,
    )
    return {"baseline": baseline, "attacked": attacked, "attack": uploader}


if __name__ == "__main__":
    raise SystemExit(main())
