"""Issue 12's figures at the benchmark's scale: every indicator of the catalogue for the whole
province on several days, the progress of the demo's programmes with all their children, and
the province's yearly statistical report (its own report of a yearly request, consolidated).
"""

import statistics
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from unionhub.indicators.catalogue import CATALOGUE
from unionhub_dev.bench.database import connect
from unionhub_dev.bench.workload import Scenario
from unionhub_dev.demo.plan import PROVINCE_CODE

YEAR_TEMPLATE = "org-members-year"
INDICATOR_GOAL_MS, PROGRESS_GOAL_MS, REPORT_GOAL_S = 100.0, 300.0, 2.0
# "As of any date": the end and the middle of years across the demo's history, and today.
DAYS = ("2018-12-31", "2020-06-30", "2021-12-31", "2023-06-30", "2024-12-31")


@dataclass
class ProgrammeSamples:
    province_id: str = ""
    # (id, number, targets, term years) of each programme owned by the province.
    programmes: list[tuple[str, str, int, int]] = field(default_factory=list)
    children: int = 0
    year_template_id: str = ""
    # Rows behind the indicators, for the report's "data size".
    data: dict[str, int] = field(default_factory=dict)


async def draw(url: str) -> ProgrammeSamples:
    conn = await connect(url)
    s = ProgrammeSamples()
    try:
        province = await conn.fetchval("SELECT id FROM unions WHERE code = $1", PROVINCE_CODE)
        s.province_id = str(province)
        s.children = await conn.fetchval(
            "SELECT count(*) FROM unions WHERE parent_id = $1 AND status = 'active'", province
        )
        s.programmes = [
            (str(r["id"]), r["number"], r["targets"], r["years"])
            for r in await conn.fetch(
                "SELECT p.id, p.number, (SELECT count(*) FROM programme_targets t "
                "WHERE t.programme_id = p.id) AS targets, "
                "extract(year FROM least(current_date, coalesce(p.actual_end, p.planned_end)))"
                "::int - extract(year FROM p.term_start)::int + 1 AS years "
                "FROM programmes p WHERE p.union_id = $1 ORDER BY p.term_start",
                province,
            )
        ]
        s.year_template_id = str(
            await conn.fetchval(
                "SELECT id FROM report_templates WHERE code = $1 ORDER BY version DESC LIMIT 1",
                YEAR_TEMPLATE,
            )
        )
        row = await conn.fetchrow(
            """
            SELECT (SELECT count(*) FROM membership_periods) AS membership_periods,
                   (SELECT count(*) FROM member_events) AS member_events,
                   (SELECT count(*) FROM member_count_deltas) AS member_count_deltas,
                   (SELECT count(*) FROM member_flow_counts) AS member_flow_counts,
                   (SELECT count(*) FROM evaluations) AS evaluations,
                   (SELECT count(*) FROM cadre_assignments) AS cadre_posts,
                   (SELECT count(*) FROM qualifications) AS qualifications,
                   (SELECT count(*) FROM worker_surveys) AS worker_surveys
            """
        )
        s.data = {k: int(v) for k, v in dict(row).items()}
    finally:
        await conn.close()
    return s


def scenarios(s: ProgrammeSamples) -> list[Scenario]:
    today = date.today().isoformat()
    out = [
        Scenario(
            f"indicator_{i.key}",
            f"indicator {i.key}, whole province, as of {len(DAYS) + 1} days (2018 to today)",
            "tinh",
            [f"/api/v1/indicators/{i.key}?as_of={d}" for d in (*DAYS, today)],
            INDICATOR_GOAL_MS,
            floor=False,
            group="indicators",
        )
        for i in CATALOGUE
        if i.available
    ]
    for pid, number, targets, years in s.programmes:
        key = "progress_05" if number.startswith("05") else "progress_resolution"
        title = (
            f"progress of programme {number} ({targets} targets, {years} term years, "
            f"{s.children} children), whole province"
        )
        # Kept until a table it reads changes (docs/adr/0019); and read on every request
        # while the register changes.
        for changing in (False, True):
            out.append(
                Scenario(
                    key + ("_changing" if changing else ""),
                    title + (", the register changing (read each time)" if changing else ""),
                    "tinh",
                    [f"/api/v1/programmes/{pid}/progress"],
                    PROGRESS_GOAL_MS,
                    floor=False,
                    group="progress",
                    changing=changing,
                )
            )
    return out


def time_yearly_report(
    base_url: str, token: str, s: ProgrammeSamples, repeats: int
) -> dict[str, Any]:
    """Ask the province's children for last year's statistical report and consolidate the
    province's own report `repeats` times (no child has reported: every figure is computed
    from the records of the whole province)."""
    year = date.today().year - 1
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=600) as client:
        r = client.post(
            "/api/v1/report-requests",
            json={
                "union_id": s.province_id,
                "template_id": s.year_template_id,
                "title": f"bench: yearly report {year}",
                "period_from": f"{year}-01-01",
                "period_to": f"{year}-12-31",
                "deadline": f"{year + 1}-01-20",
            },
        )
        if r.status_code >= 400:
            return {"ok": False, "stage": "request", "status": r.status_code, "detail": r.text}
        request = r.json()
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            r = client.post(f"/api/v1/reports/{request['own_report_id']}/consolidate")
            seconds.append(time.perf_counter() - started)
            if r.status_code >= 400:
                return {
                    "ok": False,
                    "stage": "consolidate",
                    "status": r.status_code,
                    "detail": r.text[:800],
                    "request_id": request["id"],
                }
        sections = r.json()["sections"]
    ordered = sorted(seconds)
    return {
        "ok": True,
        "request_id": request["id"],
        "year": year,
        "units": request["units"],
        "seconds": seconds,
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "cells": sum(len(row["cells"]) for sec in sections for row in sec.get("rows") or []),
        "listed": sum(int(sec.get("total") or 0) for sec in sections if sec["kind"] == "list"),
    }


async def remove_request(url: str, request_id: str) -> None:
    """Take the bench's request and its reports out again (the next run asks again)."""
    conn = await connect(url)
    try:
        async with conn.transaction():
            await conn.execute("DELETE FROM reports WHERE request_id = $1::uuid", request_id)
            await conn.execute("DELETE FROM report_requests WHERE id = $1::uuid", request_id)
    finally:
        await conn.close()
