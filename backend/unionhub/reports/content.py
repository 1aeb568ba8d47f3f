"""A report's snapshot: the template's sections filled from the records.

Each table cell is its row's indicator (`indicators.queries.sums`, what the indicator endpoints
add up; a list reads the records the drill-down reads) for the unit's subtree, in the tree of
each record's day, narrowed to the column's group. The snapshot keeps numerator and
denominator, so a share can be added up across units; a correction keeps the computed figures
beside it with its reason.

    content = {"as_of": "...", "sections": [
      {"key", "kind": "table", "title", "columns": [{key, label}],
       "rows": [{"key", "label", "indicator", "unit",
                 "cells": [{"column", "available", "numerator", "denominator",
                            "computed_numerator", "computed_denominator", "corrected",
                            "reason", ("live_numerator", "live_denominator")}]}]},
      {"key", "kind": "list", "title", "items": [{label, code, union_name, day, detail}],
       "total", "truncated"},
      {"key", "kind": "text", "title", "text"}]}
"""

import copy
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.indicators import queries
from unionhub.indicators.catalogue import BY_KEY, Indicator, Timing, Unit
from unionhub.indicators.service import make_ask, share
from unionhub.reports.definition import (
    Column,
    Definition,
    ListSection,
    Row,
    TableSection,
    applies,
)

# A list longer than this keeps its first rows and says how many there were.
LIST_LIMIT = 5000
Key = tuple[str | None, str | None]  # (gender, sector)


@dataclass
class Figures:
    """One row's sums: everything, by gender, by sector; split into the part under the given
    children (`under`) and the rest (`own`)."""

    by: dict[tuple[bool, str | None, str | None], tuple[int, int | None]] = field(
        default_factory=dict
    )

    def pick(self, column: Column, *, own: bool | None = None) -> tuple[int, int | None]:
        num, den, any_den = 0, 0, False
        for (is_own, gender, sector), (n, d) in self.by.items():
            if own is not None and is_own != own:
                continue
            if column.breakdown == "gender" and gender != column.group:
                continue
            if column.breakdown == "sector" and sector != column.group:
                continue
            num += n
            if d is not None:
                den += d
                any_den = True
        return num, den if any_den else None


def _day_of(indicator: Indicator, row: Row, period_from: date, period_to: date) -> date:
    if indicator.timing == Timing.AS_OF and row.at == "start":
        # The level before the period's first day: start + flows = end.
        return period_from - timedelta(days=1)
    return period_to


async def _figures(
    session: AsyncSession,
    principal: Principal,
    indicator: Indicator,
    root_id: uuid.UUID,
    as_of: date,
    period_from: date,
    period_to: date,
    children: Collection[uuid.UUID] = (),
) -> Figures:
    ask = make_ask(indicator, root_id, as_of, period_from, period_to)
    rows = (await queries.sums(session, principal, ask)).subquery("counted")
    own: Any = rows.c.child_id.is_(None)
    if children:
        own = own | rows.c.child_id.not_in(list(children))
    grouped = await session.execute(
        select(
            own.label("own"),
            rows.c.gender,
            rows.c.sector,
            func.coalesce(func.sum(rows.c.num), 0),
            func.sum(rows.c.den),
        )
        .select_from(rows)
        .group_by(own, rows.c.gender, rows.c.sector)
    )
    shares = indicator.unit == Unit.SHARE
    return Figures(
        {
            (bool(o), g, s): (int(n), int(d or 0) if shares else None)
            for o, g, s, n, d in grouped.all()
        }
    )


async def _list(
    session: AsyncSession,
    principal: Principal,
    indicator: Indicator,
    root_id: uuid.UUID,
    period_from: date,
    period_to: date,
    children: Collection[uuid.UUID] | None = None,
) -> dict[str, Any]:
    """The records an indicator counts (with `children`: only those not under them)."""
    ask = make_ask(indicator, root_id, period_to, period_from, period_to)
    rows = (await queries.records(session, principal, ask)).subquery("counted")
    where = [rows.c.num > 0]
    if children is not None:
        mine: Any = rows.c.child_id.is_(None)
        if children:
            mine = mine | rows.c.child_id.not_in(list(children))
        where.append(mine)
    total = int(await session.scalar(select(func.count()).select_from(rows).where(*where)) or 0)
    found = await session.execute(
        select(rows.c.label, rows.c.code, rows.c.union_name, rows.c.day, rows.c.detail)
        .where(*where)
        .order_by(rows.c.day, rows.c.label, rows.c.id)
        .limit(LIST_LIMIT)
    )
    items = [
        {
            "label": r.label,
            "code": r.code,
            "union_name": r.union_name,
            "day": r.day.isoformat() if r.day else None,
            "detail": r.detail,
        }
        for r in found
    ]
    return {"items": items, "total": total, "truncated": total > len(items)}


def cell_id(section: str, row: str, column: str) -> str:
    return f"{section}/{row}/{column}"


def _cell(column: Column, num: int | None, den: int | None, available: bool) -> dict[str, Any]:
    return {
        "column": column.key,
        "available": available,
        "numerator": num,
        "denominator": den,
        "computed_numerator": num,
        "computed_denominator": den,
        "corrected": False,
        "reason": None,
    }


def _keep_corrections(new: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """Carry the corrections and texts of an earlier snapshot into a regenerated one."""
    if not old:
        return new
    before: dict[str, dict[str, Any]] = {}
    texts: dict[str, Any] = {}
    for section in old.get("sections", []):
        if section["kind"] == "text":
            texts[section["key"]] = section.get("text")
        for row in section.get("rows") or []:
            for c in row["cells"]:
                if c.get("corrected"):
                    before[cell_id(section["key"], row["key"], c["column"])] = c
    for section in new["sections"]:
        if section["kind"] == "text":
            section["text"] = texts.get(section["key"])
        for row in section.get("rows") or []:
            for c in row["cells"]:
                kept = before.get(cell_id(section["key"], row["key"], c["column"]))
                if kept and c["available"]:
                    c.update(
                        numerator=kept["numerator"],
                        denominator=kept["denominator"],
                        corrected=True,
                        reason=kept["reason"],
                    )
    return new


async def generate(
    session: AsyncSession,
    principal: Principal,
    definition: Definition,
    unit_id: uuid.UUID,
    period_from: date,
    period_to: date,
    as_of: str,
    old: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The unit's snapshot, computed from the records under it (corrections and texts of
    `old` kept)."""
    sections: list[dict[str, Any]] = []
    for section in definition.sections:
        base = {"key": section.key, "kind": section.kind, "title": section.title}
        if isinstance(section, TableSection):
            rows = []
            for row in section.rows:
                indicator = BY_KEY[row.indicator]
                figures = None
                if indicator.available:
                    day = _day_of(indicator, row, period_from, period_to)
                    figures = await _figures(
                        session, principal, indicator, unit_id, day, period_from, period_to
                    )
                rows.append(_row(section, row, indicator, figures))
            sections.append({**base, **_columns(section), "rows": rows})
        elif isinstance(section, ListSection):
            indicator = BY_KEY[section.indicator]
            listed = (
                await _list(session, principal, indicator, unit_id, period_from, period_to)
                if indicator.available
                else {"items": [], "total": 0, "truncated": False}
            )
            sections.append({**base, **listed})
        else:
            sections.append({**base, "text": None})
    return _keep_corrections({"as_of": as_of, "sections": sections}, old)


def _columns(section: TableSection) -> dict[str, Any]:
    return {"columns": [{"key": c.key, "label": c.label} for c in section.columns]}


def _row(
    section: TableSection, row: Row, indicator: Indicator, figures: Figures | None
) -> dict[str, Any]:
    cells = []
    for column in section.columns:
        if figures is None or not applies(column, indicator.key):
            cells.append(_cell(column, None, None, False))
        else:
            num, den = figures.pick(column)
            cells.append(_cell(column, num, den, True))
    return {
        "key": row.key,
        "label": row.label,
        "indicator": indicator.key,
        "unit": indicator.unit.value,
        "cells": cells,
    }


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


async def consolidate(
    session: AsyncSession,
    principal: Principal,
    definition: Definition,
    union_id: uuid.UUID,
    period_from: date,
    period_to: date,
    as_of: str,
    children: Sequence[tuple[uuid.UUID, dict[str, Any]]],
    asked: Collection[uuid.UUID],
    old: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The asking union's report: its approved children's reports (`children`: unit id and
    snapshot) added up, plus its own records (those not under a unit it asked), with the live
    figures of its whole subtree beside each cell."""
    by_cell: dict[str, tuple[int | None, int | None]] = {}
    lists: dict[str, list[dict[str, Any]]] = {}
    list_totals: dict[str, int] = {}
    for _, snapshot in children:
        for s in snapshot.get("sections", []):
            if s["kind"] == "list":
                lists.setdefault(s["key"], []).extend(s.get("items") or [])
                list_totals[s["key"]] = list_totals.get(s["key"], 0) + int(s.get("total") or 0)
            for row in s.get("rows") or []:
                for c in row["cells"]:
                    if not c.get("available"):
                        continue
                    key = cell_id(s["key"], row["key"], c["column"])
                    num, den = by_cell.get(key, (None, None))
                    by_cell[key] = (_add(num, c["numerator"]), _add(den, c["denominator"]))
    sections: list[dict[str, Any]] = []
    for section in definition.sections:
        base = {"key": section.key, "kind": section.kind, "title": section.title}
        if isinstance(section, TableSection):
            rows = []
            for row in section.rows:
                indicator = BY_KEY[row.indicator]
                figures = None
                if indicator.available:
                    day = _day_of(indicator, row, period_from, period_to)
                    figures = await _figures(
                        session, principal, indicator, union_id, day, period_from, period_to, asked
                    )
                built = _row(section, row, indicator, None)
                for column, c in zip(section.columns, built["cells"], strict=True):
                    if figures is None or not applies(column, indicator.key):
                        continue
                    own_num, own_den = figures.pick(column, own=True)
                    kids_num, kids_den = by_cell.get(
                        cell_id(section.key, row.key, column.key), (None, None)
                    )
                    num, den = _add(kids_num, own_num), _add(kids_den, own_den)
                    live_num, live_den = figures.pick(column)
                    c.update(
                        available=True,
                        numerator=num,
                        denominator=den,
                        computed_numerator=num,
                        computed_denominator=den,
                        live_numerator=live_num,
                        live_denominator=live_den,
                    )
                rows.append(built)
            sections.append({**base, **_columns(section), "rows": rows})
        elif isinstance(section, ListSection):
            indicator = BY_KEY[section.indicator]
            own: dict[str, Any] = (
                await _list(session, principal, indicator, union_id, period_from, period_to, asked)
                if indicator.available
                else {"items": [], "total": 0, "truncated": False}
            )
            items = (lists.get(section.key, []) + list(own["items"]))[:LIST_LIMIT]
            total = list_totals.get(section.key, 0) + int(own["total"])
            truncated = total > len(items)
            sections.append({**base, "items": items, "total": total, "truncated": truncated})
        else:
            sections.append({**base, "text": None})
    return _keep_corrections({"as_of": as_of, "sections": sections}, old)


def adopt(
    consolidated: dict[str, Any], source: uuid.UUID, as_of: str, old: dict[str, Any] | None
) -> dict[str, Any]:
    """A forwarding unit's snapshot: its approved consolidation of the request it forwarded
    (its children's approved reports added up, plus its own records), taken as the computed
    figures (its own corrections and texts of `old` kept)."""
    sections = copy.deepcopy(consolidated.get("sections", []))
    for section in sections:
        for row in section.get("rows") or []:
            for c in row["cells"]:
                c.pop("live_numerator", None)
                c.pop("live_denominator", None)
                c.update(
                    computed_numerator=c["numerator"],
                    computed_denominator=c["denominator"],
                    corrected=False,
                    reason=None,
                )
    snapshot = {"as_of": as_of, "source_request_id": str(source), "sections": sections}
    return _keep_corrections(snapshot, old)


def value_of(unit: str, num: int | None, den: int | None) -> Decimal | None:
    if num is None:
        return None
    if unit == Unit.SHARE.value:
        return share(num, den)
    return Decimal(num)
