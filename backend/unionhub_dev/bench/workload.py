"""What the benchmark asks of the backend: request paths drawn from the data, sign-ins, and
the timed spreadsheet import and export."""

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from unionhub.main import create_app
from unionhub_dev.bench.database import connect, vacuum
from unionhub_dev.bench.xlsx import ImportUnion
from unionhub_dev.demo.plan import PASSWORD

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_FILTER = {"status": "active", "gender": "female", "sort": "name", "size": "50"}


@dataclass
class Scenario:
    key: str
    title: str
    user: str
    paths: list[str]
    goal_p95_ms: float | None = None
    # p95 goal on several connections (None: the one-connection goal).
    goal_loaded_p95_ms: float | None = None
    # The floor serves it too (bench/floor.py): measured beside the project, as ratios.
    floor: bool = True
    # A name `--only` also accepts for a family of scenarios ("indicators": every indicator).
    group: str | None = None
    # Measured while the register changes (`register_changing`): no answer kept between
    # requests (`core.answers`) is used, each request reads its figures.
    changing: bool = False


@dataclass
class Samples:
    """Ids and names drawn once from the benchmark database (repeatable: fixed seed)."""

    district_unions: list[str] = field(default_factory=list)
    district_members: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    grassroots_names: list[str] = field(default_factory=list)
    district_names: list[str] = field(default_factory=list)
    export_union: str = ""
    export_union_name: str = ""
    export_from: date | None = None
    export_rows: int = 0
    import_unions: list[ImportUnion] = field(default_factory=list)


async def draw_samples(url: str, district_user: str, export_rows: int) -> Samples:
    conn = await connect(url)
    s = Samples()
    try:
        await conn.execute("SELECT setseed(0.2018)")
        s.district_unions = [
            str(r[0])
            for r in await conn.fetch(
                "SELECT ra.union_id FROM role_assignments ra JOIN users u ON u.id = ra.user_id "
                "JOIN unions n ON n.id = ra.union_id WHERE u.username = $1 "
                "AND n.status = 'active' ORDER BY n.code",
                district_user,
            )
        ]
        s.district_members = [
            str(r[0])
            for r in await conn.fetch(
                "SELECT m.id FROM members m JOIN unions u ON u.id = m.union_id "
                "JOIN unions top ON u.path <@ top.path WHERE top.id = ANY($1::uuid[]) "
                "ORDER BY random() LIMIT 1000",
                s.district_unions,
            )
        ]
        s.names = [
            r[0]
            for r in await conn.fetch(
                "SELECT search_name FROM members TABLESAMPLE BERNOULLI (0.1) REPEATABLE (2018) "
                "LIMIT 500"
            )
        ]
        # Names in the grassroots officer's union (and its groups): a search there finds some.
        s.grassroots_names = [
            r[0]
            for r in await conn.fetch(
                "SELECT DISTINCT m.search_name FROM members m JOIN unions n ON n.id = m.union_id "
                "JOIN unions top ON n.path <@ top.path JOIN role_assignments ra "
                "ON ra.union_id = top.id JOIN users u ON u.id = ra.user_id "
                "WHERE u.username = 'cdcs' ORDER BY 1 LIMIT 200"
            )
        ]
        # Names in the district officer's unions, drawn across the alphabet (by a hash):
        # a search there finds some.
        s.district_names = [
            r[0]
            for r in await conn.fetch(
                "SELECT DISTINCT m.search_name, md5(m.search_name) FROM members m "
                "JOIN unions n ON n.id = m.union_id JOIN unions top ON n.path <@ top.path "
                "WHERE top.id = ANY($1::uuid[]) ORDER BY 2 LIMIT 200",
                s.district_unions,
            )
        ]
        # The union holding most members, and the admission date from which its active
        # members number about `export_rows`.
        top = await conn.fetchrow(
            "SELECT s.id, s.name, count(*) AS n FROM members m JOIN unions u ON u.id = m.union_id "
            "JOIN unions s ON u.path <@ s.path AND s.level = 'direct_superior' "
            "AND s.status = 'active' WHERE m.status = 'active' GROUP BY s.id, s.name "
            "ORDER BY n DESC LIMIT 1"
        )
        s.export_union, s.export_union_name = str(top["id"]), top["name"]
        s.export_from = await conn.fetchval(
            "SELECT m.admission_date FROM members m JOIN unions u ON u.id = m.union_id "
            "JOIN unions s ON u.path <@ s.path WHERE s.id = $1 AND m.status = 'active' "
            "ORDER BY m.admission_date DESC OFFSET $2 LIMIT 1",
            top["id"],
            export_rows - 1,
        )
        s.export_rows = await conn.fetchval(
            "SELECT count(*) FROM members m JOIN unions u ON u.id = m.union_id "
            "JOIN unions s ON u.path <@ s.path WHERE s.id = $1 AND m.status = 'active' "
            "AND m.admission_date >= $2",
            top["id"],
            s.export_from,
        )
        s.import_unions = [
            ImportUnion(r["code"], r["founded_on"], r["tax_code"])
            for r in await conn.fetch(
                "SELECT u.code, u.founded_on, e.tax_code, count(m.id) AS n FROM unions u "
                "JOIN enterprises e ON e.id = u.enterprise_id "
                "JOIN members m ON m.union_id = u.id WHERE u.status = 'active' "
                "GROUP BY u.code, u.founded_on, e.tax_code ORDER BY n DESC LIMIT 8"
            )
        ]
    finally:
        await conn.close()
    return s


def scenarios(s: Samples) -> list[Scenario]:
    pages = [urlencode({**LIST_FILTER, "page": str(p)}) for p in range(1, 11)]
    return [
        Scenario(
            "list_district",
            "member list, district scope (active women by name, 50/page, pages 1-10)",
            "mytho",
            [f"/api/v1/members?{q}" for q in pages],
            30,
            50,
        ),
        Scenario(
            "list_province",
            "member list, province scope (same filter)",
            "tinh",
            [f"/api/v1/members?{q}" for q in pages],
            30,
            50,
        ),
        Scenario(
            "search",
            "accent-free name search, province ('nguyen thi thu ha')",
            "tinh",
            [f"/api/v1/members?q={quote(n)}&size=50" for n in s.names],
            60,
            100,
        ),
        Scenario(
            "search_grassroots",
            "accent-free name search, one grassroots union",
            "cdcs",
            [f"/api/v1/members?q={quote(n)}&size=50" for n in s.grassroots_names],
            60,
            100,
        ),
        Scenario(
            "search_district",
            "accent-free name search, district scope",
            "mytho",
            [f"/api/v1/members?q={quote(n)}&size=50" for n in s.district_names],
            60,
            100,
        ),
        Scenario(
            "detail",
            "member detail, district scope",
            "mytho",
            [f"/api/v1/members/{i}" for i in s.district_members],
            50,
        ),
        Scenario(
            "detail_pii",
            "member detail, personal data revealed (the audited read)",
            "mytho",
            [f"/api/v1/members/{i}?reveal_pii=true" for i in s.district_members],
            50,
        ),
        Scenario("healthz", "/healthz (no database)", "tinh", ["/healthz"]),
        Scenario(
            "gap_district",
            "unionization gap, district scope",
            "mytho",
            ["/api/v1/enterprises/unionization-gap"],
            floor=False,
        ),
        Scenario(
            "gap_province",
            "unionization gap, province",
            "tinh",
            ["/api/v1/enterprises/unionization-gap"],
            floor=False,
        ),
        Scenario(
            "evaluations_summary",
            "evaluations summary, whole province, each year 2018 to now by its tree, by child",
            "tinh",
            [
                f"/api/v1/evaluations/summary?year={y}&group_by=child"
                for y in range(2018, date.today().year + 1)
            ],
            50,
            floor=False,
        ),
        Scenario(
            "evaluations_summary_years",
            "evaluations summary over all years (2018 to now), whole province (the chart)",
            "tinh",
            ["/api/v1/evaluations/summary/years?from_year=2018"],
            50,
            floor=False,
        ),
        Scenario(
            "training_compliance",
            "training compliance, whole province: the five cadre indicators by child union "
            "(today and the end of each year 2021 to last year, by that day's tree and posts)",
            "tinh",
            ["/api/v1/training/compliance"]
            + [
                f"/api/v1/training/compliance?as_of={y}-12-31"
                for y in range(2021, date.today().year)
            ],
            100,
            floor=False,
        ),
        Scenario(
            "overview",
            "overview, province (members from the maintained counts)",
            "tinh",
            ["/api/v1/reports/overview"],
            50,
            # The floor app has no overview (it answers 404): no ratio to report.
            floor=False,
        ),
        # The same while the register is written: the figures read on every request. The
        # scenario above, on a register no one writes meanwhile, answers from the figures kept.
        Scenario(
            "overview_changing",
            "overview, province, the register changing (figures read each time)",
            "tinh",
            ["/api/v1/reports/overview"],
            50,
            floor=False,
            changing=True,
        ),
    ]


@contextmanager
def register_changing(url: str, every: float = 0.001) -> Iterator[list[int]]:
    """The figures' stamp (`core.answers`) bumped every `every` seconds from a connection of
    its own while the block runs, as each write to the register bumps it: what a request
    read is not used by the next. Yields a list that holds the number of bumps afterwards.
    The writes themselves are not made (their cost is measured by the import and the
    outbox scenarios)."""
    stop = threading.Event()
    bumps = [0]

    async def bump() -> None:
        conn = await connect(url)
        try:
            # Named as the job queue's connections are, which `cancel_leftovers` leaves alone.
            await conn.execute("SET application_name = 'unionhub-bench-stamp'")
            while not stop.is_set():
                await conn.execute("SELECT nextval('figures_stamp')")
                bumps[0] += 1
                await asyncio.sleep(every)
        finally:
            await conn.close()

    thread = threading.Thread(target=lambda: asyncio.run(bump()), name="stamp-bumper")
    thread.start()
    try:
        yield bumps
    finally:
        stop.set()
        thread.join(timeout=10)


def same_answers(
    project_url: str, floor_url: str, token: str, paths: list[str], count: int = 5
) -> list[str]:
    """Differences between the project's and the floor's JSON on the first `count` paths
    (empty: the floor answers the same)."""
    out = []
    headers = {"Authorization": f"Bearer {token}"}
    for path in paths[:count]:
        a = httpx.get(project_url + path, headers=headers, timeout=60)
        b = httpx.get(floor_url + path, headers=headers, timeout=60)
        if a.status_code != b.status_code:
            out.append(f"{path}: status {a.status_code} vs {b.status_code}")
            continue
        left, right = a.json(), b.json()
        if isinstance(left, dict) and not (
            left.get("total_exact", True) and right.get("total_exact", True)
        ):
            # A count cut at its time limit is a lower bound that depends on timing.
            for side in (left, right):
                for key in ("total", "pages", "total_exact"):
                    side.pop(key, None)
        if left != right:
            out.append(f"{path}: {_first_difference(left, right)}")
    return out


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where or 'body'}: {str(a)[:80]!r} != {str(b)[:80]!r}"


def sign_in(base_url: str, username: str) -> str:
    r = httpx.post(
        f"{base_url}/api/v1/auth/token",
        data={"username": username, "password": PASSWORD},
        timeout=30,
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def operations() -> set[str]:
    """Operation ids of the backend's API (read from the app itself: production serves no
    OpenAPI document)."""
    paths = create_app().openapi().get("paths", {})
    return {
        op["operationId"]
        for item in paths.values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def time_export(base_url: str, token: str, s: Samples) -> dict[str, Any]:
    """GET the members export (xlsx) of about export_rows rows; time to the last byte."""
    params = {
        "format": "xlsx",
        "union_id": s.export_union,
        "status": "active",
        "admitted_from": s.export_from.isoformat() if s.export_from else "",
    }
    started = time.perf_counter()
    size = 0
    first_byte: float | None = None
    with httpx.stream(
        "GET",
        f"{base_url}/api/v1/members/export",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
    ) as r:
        if r.status_code != 200:
            r.read()
            return {"ok": False, "status": r.status_code, "detail": r.text[:500]}
        for chunk in r.iter_bytes():
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
        rows = int(r.headers.get("X-Total-Count", "0"))
    return {
        "ok": True,
        "seconds": time.perf_counter() - started,
        "first_byte": first_byte or 0.0,
        "rows": rows,
        "mib": size / 1048576,
    }


def time_import(base_url: str, token: str, path: Path, one_pass: bool = False) -> dict[str, Any]:
    """Upload the .xlsx of new members, wait for validation, commit, wait for the end. With
    `one_pass`, the upload asks for commit_if_clean: the validation writes the rows, and the
    job ends committed with no second call (docs/adr/0015)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=600) as client:
        started = time.perf_counter()
        with path.open("rb") as f:
            r = client.post(
                "/api/v1/imports",
                files={"file": (path.name, f, XLSX_TYPE)},
                data={"kind": "members", **({"commit_if_clean": "true"} if one_pass else {})},
            )
        if r.status_code >= 400:
            return {"ok": False, "stage": "upload", "status": r.status_code, "detail": r.text[:800]}
        # The upload's answer (file checks, the job recorded and queued): part of "validated".
        uploaded = time.perf_counter() - started
        job = r.json()
        job = _wait(client, job, ("validating",))
        validated = time.perf_counter() - started
        if one_pass:
            return {
                "ok": job["status"] == "committed",
                "stage": "one pass",
                "one_pass": True,
                "rows": job["total_rows"],
                "file_mib": path.stat().st_size / 1048576,
                "upload_seconds": uploaded,
                "seconds": validated,
                "job": _brief(job),
            }
        if job["status"] != "validated" or job["error_count"]:
            return {"ok": False, "stage": "validate", "job": _brief(job)}
        r = client.post(f"/api/v1/imports/{job['id']}/commit", json={"valid_only": False})
        if r.status_code >= 400:
            return {"ok": False, "stage": "commit", "status": r.status_code, "detail": r.text[:800]}
        job = _wait(client, r.json(), ("committing", "validated"))
        total = time.perf_counter() - started
    return {
        "ok": job["status"] == "committed",
        "rows": job["total_rows"],
        "file_mib": path.stat().st_size / 1048576,
        "upload_seconds": uploaded,
        "validate_seconds": validated,
        "commit_seconds": total - validated,
        "seconds": total,
        "job": _brief(job),
    }


def _wait(client: httpx.Client, job: dict[str, Any], busy: tuple[str, ...]) -> dict[str, Any]:
    deadline = time.monotonic() + 900
    while job["status"] in busy and time.monotonic() < deadline:
        time.sleep(0.2)
        r = client.get(f"/api/v1/imports/{job['id']}")
        r.raise_for_status()
        job = r.json()
    return job


def _brief(job: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "status", "total_rows", "valid_rows", "error_count", "result")
    out = {k: job.get(k) for k in keys}
    out["errors"] = (job.get("errors") or [])[:5]
    return out


def answer_each(
    base_url: str,
    paths: list[str],
    token: str,
    most: int = 50,
    transport: httpx.BaseTransport | None = None,
) -> list[int]:
    """Ask for each of the first `most` paths once and wait for the whole answer (the
    statuses, in order). A scenario with more paths (names searched, members opened) keeps
    no answer.

    The end of a warm-up: the load tool stops at its time and abandons the requests still in
    flight, whose work goes on in the server. An answer kept until the data changes (the
    overview, a programme's progress: docs/adr/0019) may then not be kept yet when the
    measured run starts, whose first request computes it again beside the abandoned ones (the
    one slow request behind the kept progress's p95 on the slowest machine: wrk adds samples
    behind a slow response). After `cancel_leftovers` and this, the kept answer is in place;
    the cost of computing it is what the scenarios "the register changing" measure."""
    statuses = []
    with httpx.Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=600,
        transport=transport,
    ) as client:
        for path in paths[:most]:
            statuses.append(client.get(path).status_code)
    return statuses


async def cancel_leftovers(url: str) -> int:
    """Cancel queries still running for requests the load tool gave up on (the server does
    not notice a closed connection until it answers), so one scenario cannot slow the next.
    The job queue's connections (`unionhub-<worker>`, `unionhub-queue`: core.queue) are left
    alone: a worker whose periodic deferrer has a statement cancelled stops, and the import
    phase then waits for a job that no worker runs (2026-12-07 09:17)."""
    conn = await connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FILTER (WHERE pg_cancel_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND state = 'active' "
                "AND pid <> pg_backend_pid() AND application_name NOT LIKE 'unionhub-%'"
            )
        )
    finally:
        await conn.close()


# The tables that reference members (their foreign keys to members.id), each with its column.
_MEMBER_CHILDREN = (
    "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
    "WHERE c.confrelid = 'members'::regclass AND c.contype = 'f' ORDER BY 1"
)


async def remove_imported(url: str, since: float) -> int:
    """Delete the members the import created (created after `since`, a Unix time), so the
    next run imports the same file into the same database, and the import jobs of the run
    (each keeps its 9 MiB file)."""
    conn = await connect(url)
    try:
        # Set-based. Deleting the members alone cascades one statement per member and table,
        # and each fires the tables' statement triggers again: 100k members took 3.5-8.5
        # minutes. Their periods and events go first, one statement each, so that the counts'
        # triggers take their share back once. Then, as superuser, without triggers
        # (session_replication_role): the other tables' rows of these members (the
        # qualification facts' trigger would lock and recompute 100,000 members' facts that
        # are deleted next anyway), and the members, whom nothing references any more (the
        # per-member counts trigger would find no period or event to take back, the foreign
        # keys' cascades no row to delete). The members are the import's own, new: no other
        # row points at their rows. Without superuser, the same with the triggers (slower).
        async with conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE bench_gone ON COMMIT DROP AS "
                "SELECT id FROM members WHERE created_at >= to_timestamp($1)",
                since,
            )
            await conn.execute("ANALYZE bench_gone")
            children = [tuple(r) for r in await conn.fetch(_MEMBER_CHILDREN)]
            counted = [("membership_periods", "member_id"), ("member_events", "member_id")]
            for table, column in counted:
                await _delete_gone(conn, table, column)
            if await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
                await conn.execute("SET LOCAL session_replication_role = replica")
            for table, column in children:
                if (table, column) not in counted:
                    await _delete_gone(conn, table, column)
            deleted = await conn.fetchval(
                "WITH gone AS (DELETE FROM members WHERE id IN (SELECT id FROM bench_gone) "
                "RETURNING 1) SELECT count(*) FROM gone"
            )
        await conn.execute("DELETE FROM import_jobs WHERE created_at >= to_timestamp($1)", since)
    finally:
        await conn.close()
    # Every table the import and its removal wrote, not only the members' (the counts and
    # their rollups, the change feed, the audit links, member_names...).
    await vacuum(url)
    return int(deleted)


async def _delete_gone(conn: Any, table: str, column: str) -> None:
    await conn.execute(f'DELETE FROM {table} WHERE "{column}" IN (SELECT id FROM bench_gone)')
