"""The results: a plain-text table on the terminal and the generated part of
docs/benchmarks.md (between the two marker comments; the rest of the page is written by hand)."""

import os
import platform
import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from unionhub_dev.bench.database import Sizes
from unionhub_dev.bench.load import LoadResult

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"
IMPORT_GOAL_S, EXPORT_GOAL_S, RSS_GOAL_MIB, REPORT_GOAL_S = 20.0, 15.0, 500.0, 2.0
# Issue 8: a malicious import never takes another user's list above twice its normal p95.
MALICIOUS_P95_RATIO = 2.0
# Issue 9: any scope's search within 1.5x of a grassroots union's (p50, one connection).
SCOPE_SEARCH_RATIO = 1.5
SCOPE_SEARCH_BASE = "search_grassroots"
SCOPE_SEARCHES = {"search": "province", "search_district": "district"}


def merged(rounds: list[LoadResult]) -> LoadResult:
    """Rounds of one measurement as one result: the median of each percentile (a slow or fast
    window on the shared machine moves one round, not the answer), every request counted, the
    worst maximum."""
    if len(rounds) == 1:
        return rounds[0]
    return LoadResult(
        requests=sum(r.requests for r in rounds),
        seconds=sum(r.seconds for r in rounds),
        bad_status=sum(r.bad_status for r in rounds),
        io_errors=sum(r.io_errors for r in rounds),
        p50=statistics.median(r.p50 for r in rounds),
        p95=statistics.median(r.p95 for r in rounds),
        p99=statistics.median(r.p99 for r in rounds),
        max=max(r.max for r in rounds),
        tool=rounds[0].tool,
    )


@dataclass
class Row:
    """One read scenario: alone on one connection (what one officer waits), and loaded with
    several connections (throughput, and the wait when the backend is saturated)."""

    title: str
    user: str
    single: LoadResult | None = None
    loaded: LoadResult | None = None
    goal_p95_ms: float | None = None
    goal_loaded_p95_ms: float | None = None
    note: str = ""
    # The same requests on the floor (bench/floor.py), and whether it answered the same JSON.
    floor_single: LoadResult | None = None
    floor_loaded: LoadResult | None = None
    floor_same: bool | None = None
    # The scenario's key (workload.Scenario.key), and every round of each measurement: with
    # `--rounds` above 1 the project and the floor are measured in turns, the first to run
    # alternating, and `single`/`loaded`/... hold the rounds merged (`merged`).
    key: str = ""
    rounds: dict[str, list[LoadResult]] = field(default_factory=dict)

    def store(self, who: str, single: bool, load: LoadResult) -> None:
        name = ("floor_" if who == "floor" else "") + ("single" if single else "loaded")
        self.rounds.setdefault(name, []).append(load)
        setattr(self, name, merged(self.rounds[name]))

    def paired(self, name: str, value: str) -> list[float]:
        """project / floor in each round (each pair ran minutes apart at most)."""
        mine, floor = self.rounds.get(name, []), self.rounds.get(f"floor_{name}", [])
        out = []
        for a, b in zip(mine, floor, strict=False):
            x, y = getattr(a, value), getattr(b, value)
            if y:
                out.append(x / y)
        return out

    def verdict(self, load: LoadResult | None, goal: float | None = None) -> str:
        goal = self.goal_p95_ms if goal is None else goal
        if load is None:
            return "not run"
        if load.requests == 0:
            return "NO ANSWER"
        if load.bad_status or load.io_errors:
            return f"ERRORS ({load.bad_status + load.io_errors})"
        if goal is None:
            return "-"
        return "ok" if load.p95 < goal else "MISS"

    def ratio(self, name: str, value: str) -> float | None:
        """project / floor: the median of the rounds' ratios when there are several rounds
        of both, else the ratio of the two results."""
        pairs = self.paired(name, value)
        if len(pairs) > 1:
            return statistics.median(pairs)
        a, b = getattr(self, name), getattr(self, f"floor_{name}")
        if a is None or b is None or not getattr(b, value):
            return None
        return float(getattr(a, value) / getattr(b, value))

    def ratios(self) -> str:
        """project / floor: p50 and p95 on one connection, req/s on several; with rounds,
        the median of the rounds' ratios and the range of the p50's."""
        p50, p95 = self.ratio("single", "p50"), self.ratio("single", "p95")
        tput = self.ratio("loaded", "throughput")
        if p50 is None or p95 is None or self.loaded is None or self.floor_loaded is None:
            return ""
        same = "" if self.floor_same is not False else " (answers differ)"
        spread = ""
        pairs = self.paired("single", "p50")
        if len(pairs) > 1:
            spread = f" ({len(pairs)} rounds, p50 {min(pairs):.2f}-{max(pairs):.2f}x)"
        return f"{p50:.2f}x / {p95:.2f}x / {tput or 0:.2f}x{spread}{same}"


@dataclass
class Results:
    started: datetime
    sizes: Sizes
    database: str
    workers: int
    connections: int
    seconds: float
    max_requests: int
    tool: str
    rows: list[Row] = field(default_factory=list)
    import_result: dict[str, Any] | None = None
    # The same file uploaded with commit_if_clean (validated and written in one pass).
    one_pass_import_result: dict[str, Any] | None = None
    export_result: dict[str, Any] | None = None
    rss_peaks_mib: dict[str, float] = field(default_factory=dict)
    worker_rss_peaks_mib: dict[str, float] = field(default_factory=dict)
    malicious_result: dict[str, Any] | None = None
    feed_result: dict[str, Any] | None = None
    outbox_result: dict[str, Any] | None = None
    # The province's yearly statistical report (bench/programmes.py).
    report_result: dict[str, Any] | None = None
    # Rows of the tables the indicators read (membership periods, evaluations, ...).
    indicator_data: dict[str, int] = field(default_factory=dict)
    command: str = "make bench"
    # Rounds of each scenario the floor also serves (`--rounds`).
    rounds: int = 1
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = found.group(1).strip() if found else cpu
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+)", meminfo.read_text(), re.M)
        ram = f"{int(found.group(1)) / 1048576:.1f} GiB" if found else ram
    return {
        "cpus": str(os.cpu_count()),
        "ram": ram,
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _ok(value: float, goal: float) -> str:
    return "ok" if value < goal else "MISS"


HEADER = [
    "what", "as", "p50 ms", "p95 ms", "p99 ms", "req/s", "loaded p95 ms", "loaded req/s",
    "floor p50 / p95 / loaded req/s", "project/floor p50 / p95 / loaded req/s",
    "goal", "result (alone / loaded)",
]  # fmt: skip


def table(r: Results) -> list[list[str]]:
    out = [list(HEADER)]
    blank = [""] * (len(HEADER) - 3)
    for row in r.rows:
        loaded_goal = row.goal_loaded_p95_ms or row.goal_p95_ms
        goal = f"p95 < {row.goal_p95_ms:g} ms" if row.goal_p95_ms else ""
        if row.goal_loaded_p95_ms and row.goal_loaded_p95_ms != row.goal_p95_ms:
            goal += f" (loaded < {row.goal_loaded_p95_ms:g})"
        one, many = row.single, row.loaded
        if one is None or many is None:
            out.append([row.title, row.user, *blank[:-1], goal, row.note or "not run"])
            continue
        fs, fl = row.floor_single, row.floor_loaded
        floor = f"{fs.p50:.1f} / {fs.p95:.1f} / {fl.throughput:.0f}" if fs and fl else "-"
        out.append(
            [
                row.title, row.user, f"{one.p50:.1f}", f"{one.p95:.1f}", f"{one.p99:.1f}",
                f"{one.throughput:.0f}", f"{many.p95:.1f}", f"{many.throughput:.0f}", floor,
                row.ratios() or "-", goal,
                f"{row.verdict(one)} / {row.verdict(many, loaded_goal)}",
            ]
        )  # fmt: skip

    def extra(what: str, goal: str, result: str) -> None:
        out.append([what, "tinh", *[""] * (len(HEADER) - 4), goal, result])

    scopes = scope_search(r)
    if scopes:
        farthest = max(scopes.values())
        extra(
            "name search by scope against one grassroots union's, p50 alone: "
            + ", ".join(f"{who} {x:.2f}x" for who, x in scopes.items()),
            f"<= {SCOPE_SEARCH_RATIO:g}x",
            f"{farthest:.2f}x {'ok' if farthest <= SCOPE_SEARCH_RATIO else 'MISS'}",
        )

    imp, exp = r.import_result, r.export_result
    if imp is not None:
        if imp.get("ok"):
            what = (
                f"import {imp['rows']:,} rows .xlsx ({imp['file_mib']:.1f} MiB): "
                f"validated in {imp['validate_seconds']:.1f} s, committed in "
                f"{imp['commit_seconds']:.1f} s"
            )
            extra(
                what,
                f"< {IMPORT_GOAL_S:g} s",
                f"{imp['seconds']:.1f} s {_ok(imp['seconds'], IMPORT_GOAL_S)}",
            )
        else:
            extra("import .xlsx", f"< {IMPORT_GOAL_S:g} s", f"FAILED at {imp.get('stage')}")
    imp1 = r.one_pass_import_result
    if imp1 is not None:
        if imp1.get("ok"):
            what = (
                f"import {imp1['rows']:,} rows .xlsx ({imp1['file_mib']:.1f} MiB) in one pass "
                "(commit_if_clean: validated and written together)"
            )
            extra(
                what,
                f"< {IMPORT_GOAL_S:g} s",
                f"{imp1['seconds']:.1f} s {_ok(imp1['seconds'], IMPORT_GOAL_S)}",
            )
        else:
            extra(
                "import .xlsx in one pass",
                f"< {IMPORT_GOAL_S:g} s",
                f"FAILED at {imp1.get('stage')}",
            )
    if exp is not None:
        if exp.get("ok"):
            what = (
                f"export {exp['rows']:,} rows .xlsx ({exp['mib']:.1f} MiB, first byte "
                f"{exp['first_byte']:.2f} s)"
            )
            extra(
                what,
                f"< {EXPORT_GOAL_S:g} s",
                f"{exp['seconds']:.1f} s {_ok(exp['seconds'], EXPORT_GOAL_S)}",
            )
        else:
            extra("export .xlsx", f"< {EXPORT_GOAL_S:g} s", f"FAILED ({exp.get('status')})")
    rep = r.report_result
    if rep is not None:
        if rep.get("ok"):
            what = (
                f"province's yearly report {rep['year']} ({rep['cells']} cells, "
                f"{rep['listed']:,} listed records, {rep['units']} units asked): "
                f"{len(rep['seconds'])} generations, p50 {rep['p50']:.2f} s"
            )
            extra(
                what,
                f"< {REPORT_GOAL_S:g} s",
                f"p95 {rep['p95']:.2f} s {_ok(rep['p95'], REPORT_GOAL_S)}",
            )
        else:
            extra("province's yearly report", f"< {REPORT_GOAL_S:g} s", f"FAILED at {rep['stage']}")
    mal = r.malicious_result
    if mal is not None:
        what = (
            f"crafted imports ({len(mal['file_mib'])} files, 2 at a time, {mal['uploads']} "
            f"uploads): another officer's list p95 {mal['attacked_p95']:.1f} ms against "
            f"{mal['baseline_p95']:.1f} ms without them; web RSS {mal['web_rss_attacked_mib']:.0f}"
            f" MiB against {mal['web_rss_baseline_mib']:.0f} MiB"
        )
        fine = mal["ratio_p95"] < MALICIOUS_P95_RATIO and not mal["bad_status"]
        fine = fine and mal["web_rss_attacked_mib"] <= mal["web_rss_baseline_mib"] * 1.1
        out.append(
            [what, "mytho", *[""] * (len(HEADER) - 4),
             f"p95 < {MALICIOUS_P95_RATIO:g}x, RSS as without",
             f"{mal['ratio_p95']:.2f}x {'ok' if fine else 'MISS'}"]
        )  # fmt: skip
    peak = max(r.rss_peaks_mib.values(), default=0.0)
    worst = max(r.rss_peaks_mib, key=lambda k: r.rss_peaks_mib[k], default="-")
    out.append(
        [f"backend peak RSS (during {worst})", "", *[""] * (len(HEADER) - 4),
         f"< {RSS_GOAL_MIB:g} MB", f"{peak:.0f} MiB {_ok(peak, RSS_GOAL_MIB)}"]
    )  # fmt: skip
    return out


def scope_search(r: Results) -> dict[str, float]:
    """Each larger scope's search p50 (one connection) over the grassroots union's."""
    by_key = {row.key: row for row in r.rows if row.single is not None and row.single.requests}
    base = by_key.get(SCOPE_SEARCH_BASE)
    if base is None or base.single is None or not base.single.p50:
        return {}
    out = {}
    for key, who in SCOPE_SEARCHES.items():
        row = by_key.get(key)
        if row is not None and row.single is not None:
            out[who] = row.single.p50 / base.single.p50
    return out


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(r: Results) -> str:
    m = machine()
    rows = table(r)
    md = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    md += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows[1:]]
    s = r.sizes
    peaks = ", ".join(f"{k} {v:.0f} MiB" for k, v in r.rss_peaks_mib.items())
    worker_peaks = ", ".join(f"{k} {v:.0f} MiB" for k, v in r.worker_rss_peaks_mib.items())
    return "\n".join(
        [
            START,
            f"### Latest run: {r.started:%Y-%m-%d %H:%M} UTC",
            "",
            f"- Machine: {m['cpus']} CPUs ({m['cpu']}), {m['ram']} RAM, {m['os']}, "
            f"Python {m['python']}; PostgreSQL on the same machine. Load average "
            f"{r.load_before[0]:.1f} before the run, {r.load_after[0]:.1f} after it "
            "(the machine is shared: other work running at the same time shows here).",
            f"- Data (`{r.database}`): {s.members:,} members, {s.unions:,} unions "
            f"({s.grassroots:,} active grassroots), {s.enterprises:,} enterprises "
            f"({s.gap_targets:,} founding targets), {s.database_mib:,} MiB on disk"
            + "".join(f"; {k.replace('_', ' ')} {v:,}" for k, v in r.indicator_data.items())
            + ".",
            f"- Backend: uvicorn, {r.workers} worker process(es), ENVIRONMENT=production, "
            "no access log.",
            f"- Load: {r.tool}, closed loop on 127.0.0.1. Each read scenario runs {r.seconds:g} s "
            + (f"(at most {r.max_requests:,} requests) " if not r.tool.startswith("wrk") else "")
            + "after a warm-up, first on one connection "
            f"(p50/p95/p99, req/s: what one officer waits), then on {r.connections} "
            "connections (loaded: the backend saturated)."
            + (
                f" Scenarios the floor also serves run in {r.rounds} rounds, the project and "
                "the floor in turns (which goes first alternates): the table gives each "
                "percentile's median over the rounds, and the ratios are the median of the "
                "rounds' ratios."
                if r.rounds > 1
                else ""
            ),
            f"- Command: `{r.command}`",
            "",
            *md,
            "",
            f"Peak backend RSS by phase: {peaks}.",
            "",
            f"Peak queue-worker RSS by phase: {worker_peaks}.",
            *_malicious_lines(r.malicious_result),
            *_feed_lines(r.feed_result, r.outbox_result),
            END,
        ]
    )


def _feed_lines(feed: dict[str, Any] | None, outbox: dict[str, Any] | None) -> list[str]:
    """The change feed's paging time (goal < 10 s for 100,000 events) and the outbox's share
    of a member write (goal < 10 %)."""
    out: list[str] = []
    if feed is not None:
        parts = [
            f"{who} {f['events']:,} events in {f['requests']} requests: "
            f"{f['wall_s_median']:.2f} s median (min {f['wall_s_min']:.2f}), "
            f"CPU {f['backend_cpu_s_median']:.2f} s backend + "
            f"{f['database_cpu_s_median']:.2f} s PostgreSQL + "
            f"{f['reader_cpu_s_median']:.2f} s the reader"
            for who, f in ((w, feed[w]) for w in ("admin", "client"))
        ]
        ok = _ok(feed["admin"]["wall_s_median"], 10.0)
        out += [
            "",
            f"Change feed ({feed['events_in_table']:,} events in the table, pages of "
            f"{feed['limit']:,}, {feed['repeats']} passes): " + "; ".join(parts) + f". Goal "
            f"< 10 s for 100,000: {ok}.",
        ]
    if outbox is not None:
        w, wo = outbox["with"], outbox["without"]
        out += [
            "",
            f"Outbox write cost ({outbox['writes_each']} member edits each way, interleaved): "
            f"median {w['wall_ms_median']:.1f} ms with the event, {wo['wall_ms_median']:.1f} "
            f"ms without ({100 * (outbox['wall_ratio'] - 1):+.1f} %); process CPU "
            f"{w['cpu_ms_median']:.1f} vs {wo['cpu_ms_median']:.1f} ms "
            f"({100 * (outbox['cpu_ratio'] - 1):+.1f} %). Goal < +10 %: "
            f"{_ok(outbox['wall_ratio'], 1.10)}.",
        ]
    return out


def _malicious_lines(mal: dict[str, Any] | None) -> list[str]:
    if mal is None:
        return []
    files = "; ".join(
        f"{name} ({mal['file_mib'][name]:.1f} MiB): "
        + ", ".join(f"{n}x {outcome}" for outcome, n in counts.items())
        for name, counts in mal["outcomes"].items()
    )
    return [
        "",
        f"Crafted imports: list p50/p95 {mal['baseline_p50']:.1f}/{mal['baseline_p95']:.1f} ms "
        f"without them, {mal['attacked_p50']:.1f}/{mal['attacked_p95']:.1f} ms with them "
        f"({mal['bad_status']} errors); web process peak RSS "
        f"{mal['web_rss_baseline_mib']:.0f} -> {mal['web_rss_attacked_mib']:.0f} MiB, queue "
        f"worker {mal['worker_rss_baseline_mib']:.0f} -> {mal['worker_rss_attacked_mib']:.0f} "
        f"MiB. Outcomes: {files}.",
    ]


def write_doc(path: Path, r: Results) -> None:
    section = markdown(r)
    if path.exists():
        text = path.read_text()
        if START in text and END in text:
            head, rest = text.split(START, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + section + tail)
            return
        path.write_text(text.rstrip() + "\n\n" + section + "\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Benchmarks\n\n{section}\n")


def stamp() -> datetime:
    return datetime.now(UTC)
