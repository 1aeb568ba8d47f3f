"""Importing a round's results from a spreadsheet (many provinces keep them in Excel): union
code, points per criteria group, level, in the layout of the round's export.

The same two passes as the register imports (`engine.scan`), as an import job on the queue
(`sheet_import`): a dry run that reports every problem by row and column, and an
all-or-nothing commit that writes only when every row passes.

Each row is checked against the round's rules: the unit is in the round (and in the caller's
scope), rated (not ineligible), every criteria group of its sheet has points within the group's
maximum, a total given equals the sum, and the level is a level of the scheme no better than the
points give (a hard condition may have lowered it). Committed rows become approved ratings,
each with an `approved` step in its history naming the file.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict
from unionhub.evaluations import history
from unionhub.evaluations import repository as evaluation_repo
from unionhub.evaluations.definition import SchemeDefinition, VariantKind, q2
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationAction,
    EvaluationRound,
    EvaluationScheme,
    EvaluationStatus,
    RoundStatus,
)
from unionhub.evaluations.rounds import definition_of, load_round
from unionhub.imports import sheet_import, values
from unionhub.imports.headers import Column, HeaderMap, Layout
from unionhub.imports.models import ImportJob, ImportKind
from unionhub.imports.rows import CheckedBatchByBatch, Row
from unionhub.imports.values import CellError
from unionhub.imports.xlsx_reader import Cell

APPRAISE = Permission.EVALUATIONS_APPRAISE
# Below this difference a total "equals" the sum of its groups (spreadsheets round).
TOLERANCE = Decimal("0.01")
MAX_POINTS = 1000


def group_key(code: str) -> str:
    return f"group_{code}"


def layout_for(scheme: SchemeDefinition) -> Layout:
    """The export's columns: code, name, sector, status, "Nhóm <code>" per group of any
    variant, total, level, strong, reason (only code, groups, total and level are read)."""
    groups: list[str] = []
    for variant in scheme.variants:
        groups += [g.code for g in variant.groups if g.code not in groups]
    return Layout(
        (
            Column("union_code", "Mã công đoàn", ("ma don vi", "ma cd", "ma"), required=True),
            Column("union_name", "Tên công đoàn", ("ten don vi", "ten cong doan co so"), width=50),
            Column("sector", "Khu vực"),
            Column("status", "Trạng thái"),
            *(
                Column(group_key(g), f"Nhóm {g}", (f"nhom tieu chi {g}",), kind="general")
                for g in groups
            ),
            Column("total", "Tổng điểm", ("tong", "diem"), kind="general"),
            Column("level", "Xếp loại", ("ket qua xep loai", "muc xep loai"), required=True),
            Column("strong", "Vững mạnh"),
            Column("reason", "Lý do không xếp loại"),
        )
    )


def points(value: Cell) -> Decimal | None:
    """A number of points: a number cell, or text with a decimal comma or point."""
    found = values.decimal(value, MAX_POINTS)
    return None if found is None else q2(found)


@dataclass
class Target:
    evaluation: Evaluation
    variant: str | None


@dataclass
class Context:
    principal: Principal
    round: EvaluationRound
    scheme: SchemeDefinition
    file_name: str
    units: dict[str, Target] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"approved": 0, "unchanged": 0})


class EvaluationsImporter(CheckedBatchByBatch):
    """Plugs a round's results into the import passes (see `imports.rows.Importer`)."""

    kind = ImportKind.ROUND_RESULTS.value
    permission = APPRAISE

    def __init__(self, round_: EvaluationRound, scheme: SchemeDefinition, file_name: str) -> None:
        self.round = round_
        self.scheme = scheme
        self.file_name = file_name
        self.layout = layout_for(scheme)
        self.levels = {values.fold_key(lv.name): lv.code for lv in scheme.levels}
        self.levels.update({values.fold_key(lv.code): lv.code for lv in scheme.levels})

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        raw = {
            col.key: cells[pos]
            for pos, col in header.positions.items()
            if pos < len(cells) and cells[pos] is not None
        }
        # A row without any result (a unit not rated, a blank line) is left alone: the
        # round's own export lists every unit, and imports back unchanged.
        if not any(k in raw for k in ("level", "total")) and not any(
            k.startswith("group_") for k in raw
        ):
            return None
        row = Row(number)
        v = row.values
        v["union_code"] = (values.text(raw.get("union_code"), 32) or "").upper() or None
        if v["union_code"] is None:
            row.fail("union_code", ErrorCode.REQUIRED, "This value is required.")
        v["groups"] = {}
        for key, cell in raw.items():
            if not key.startswith("group_"):
                continue
            try:
                found = points(cell)
            except CellError as exc:
                row.fail(key, exc.code, exc.message, exc.params_with(cell))
                continue
            if found is not None:
                v["groups"][key.removeprefix("group_")] = found
        try:
            v["total"] = points(raw.get("total"))
        except CellError as exc:
            v["total"] = None
            row.fail("total", exc.code, exc.message, exc.params_with(raw.get("total")))
        level = values.text(raw.get("level"), 120)
        v["level"] = self.levels.get(values.fold_key(level)) if level else None
        if level is None:
            row.fail("level", ErrorCode.REQUIRED, "This value is required.")
        elif v["level"] is None:
            names = ", ".join(lv.name for lv in self.scheme.levels)
            row.fail(
                "level",
                ErrorCode.INVALID_CHOICE,
                f"The level is one of: {names}.",
                {"value": level, "expected": names},
            )
        return row

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Context:
        ctx = Context(principal, self.round, self.scheme, self.file_name)
        for e, code, *_ in await evaluation_repo.round_rows(session, principal, self.round.id):
            ctx.units[code.upper()] = Target(e, e.variant)
        return ctx

    async def check(
        self, session: AsyncSession, ctx: Context, rows: list[Row], header: HeaderMap
    ) -> None:
        for row in rows:
            self._check(ctx, row)

    def _check(self, ctx: Context, row: Row) -> None:
        v = row.values
        code = v["union_code"]
        if code is None:
            return
        if code in ctx.seen:
            row.fail(
                "union_code",
                ErrorCode.DUPLICATE_IN_FILE,
                f"The unit {code} is already on row {ctx.seen[code]}.",
                {"value": code, "first_row": ctx.seen[code]},
            )
            return
        ctx.seen[code] = row.number
        target = ctx.units.get(code)
        if target is None:
            row.fail(
                "union_code",
                ErrorCode.NOT_IN_ROUND,
                f"The round has no unit {code} you can see.",
                {"value": code},
            )
            return
        e = target.evaluation
        variant = self.scheme.variant(VariantKind(target.variant)) if target.variant else None
        if e.status == EvaluationStatus.INELIGIBLE.value or variant is None:
            row.fail(
                "union_code",
                ErrorCode.UNIT_INELIGIBLE,
                f"The unit {code} is not rated this year.",
                {"value": code, "reason": e.ineligible_reason or ""},
            )
            return
        given: dict[str, Decimal] = v["groups"]
        failed = row.failed()
        for g in variant.groups:
            key = group_key(g.code)
            found = given.get(g.code)
            if found is None:
                if key not in failed:
                    row.fail(
                        key,
                        ErrorCode.REQUIRED,
                        f"Give the points of group {g.code}.",
                        {"group": g.code},
                    )
            elif found > g.max_points:
                row.fail(
                    key,
                    ErrorCode.ABOVE_MAX_POINTS,
                    f"Group {g.code} gives at most {g.max_points} points.",
                    {"value": float(found), "max": float(g.max_points), "group": g.code},
                )
        for extra in given.keys() - {g.code for g in variant.groups}:
            row.fail(
                group_key(extra),
                ErrorCode.UNKNOWN_GROUP,
                f"The unit's sheet ({variant.name}) has no group {extra}.",
                {"group": extra, "value": float(given[extra])},
            )
        if row.errors:
            return
        total = q2(sum(given.values(), Decimal(0)))
        if v["total"] is not None and abs(v["total"] - total) >= TOLERANCE:
            row.fail(
                "total",
                ErrorCode.TOTAL_MISMATCH,
                f"The groups add up to {total}, not {v['total']}.",
                {"value": float(v["total"]), "total": float(total)},
            )
            return
        best = self.scheme.band_level(total)
        for condition in self.scheme.conditions:
            below = condition.kind == "group_min_share" and any(
                given[g.code] < g.max_points * (condition.share or 0) for g in variant.groups
            )
            if below:
                best = _worse(self.scheme, best, condition.cap_level)
        if self.scheme.rank(v["level"]) < self.scheme.rank(best):
            names = {lv.code: lv.name for lv in self.scheme.levels}
            row.fail(
                "level",
                ErrorCode.LEVEL_ABOVE_POINTS,
                f"{total} points give at best {names[best]}.",
                {"value": names[v["level"]], "total": float(total), "expected": names[best]},
            )
            return
        v["total"] = total
        row.target_id = e.id
        same = (
            e.status == EvaluationStatus.APPROVED.value
            and e.level == v["level"]
            and e.total_points == total
            and (e.group_points or {}) == {k: str(p) for k, p in given.items()}
        )
        row.action = "unchanged" if same else "update"

    async def write(
        self,
        session: AsyncSession,
        ctx: Context,
        rows: list[Row],
        idle: Callable[[], Awaitable[None]],
    ) -> None:
        await idle()
        for row in rows:
            if row.action == "unchanged":
                ctx.counts["unchanged"] += 1
                continue
            code = row.values["union_code"]
            e = ctx.units[code].evaluation
            e.group_points = {k: str(p) for k, p in row.values["groups"].items()}
            e.total_points = row.values["total"]
            e.level = row.values["level"]
            details = {
                "source": "import",
                "file": ctx.file_name,
                "total": str(e.total_points),
                "level": e.level,
                "groups": e.group_points,
            }
            if e.status == EvaluationStatus.APPROVED.value:
                e.version += 1
                history.add(
                    session, ctx.principal, e, EvaluationAction.APPROVED, e.status, details=details
                )
            else:
                history.transition(
                    session,
                    ctx.principal,
                    e,
                    EvaluationAction.APPROVED,
                    EvaluationStatus.APPROVED,
                    details=details,
                )
            ctx.counts["approved"] += 1
        await session.flush()

    def summary(self, ctx: Context) -> dict[str, Any]:
        return {"counts": dict(ctx.counts)}


def _worse(scheme: SchemeDefinition, a: str, b: str) -> str:
    return a if scheme.rank(a) >= scheme.rank(b) else b


# ------------------------------------------------------------------ the kind of import


async def load(
    session: AsyncSession,
    principal: Principal,
    round_id: uuid.UUID,
    file_name: str,
    committing: bool,
) -> sheet_import.Loaded:
    """The round's importer, if the caller may appraise it and it is open (the commit locks
    the round)."""
    round_, _ = await load_round(session, principal, round_id, APPRAISE, for_update=committing)
    if round_.status != RoundStatus.OPEN.value:
        raise Conflict(
            "The round's results are published; reopen the round first.",
            code=ErrorCode.ROUND_PUBLISHED,
        )
    scheme_row = await session.get(EvaluationScheme, round_.scheme_id)
    assert scheme_row is not None
    importer = EvaluationsImporter(round_, definition_of(scheme_row), file_name)
    return sheet_import.Loaded(importer, round_.owner_union_id)


SHEET = sheet_import.SheetKind(
    kind=ImportKind.ROUND_RESULTS.value,
    permission=APPRAISE,
    load=load,
    action="evaluation_round.import",
    entity="evaluation_round",
)
