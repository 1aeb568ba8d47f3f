"""Importing members: the register checks, and what each row will do.

The per-member rules are members.validation's (the same the API applies to one member); this
module adds what only a file has: duplicates inside the file, union codes instead of ids, and
matching against the register (create vs update mode). Cells become values in members_rows.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, union_filter, within
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.enterprises.models import Enterprise
from unionhub.enterprises.validation import format_tax_code
from unionhub.imports import members_counts, members_write
from unionhub.imports.headers import HeaderMap
from unionhub.imports.members_context import UPDATABLE, Context, EmployerInfo, UnionInfo
from unionhub.imports.members_counts import Counts
from unionhub.imports.members_preload import Keys, gather, load_known
from unionhub.imports.members_rows import convert_row
from unionhub.imports.models import ImportJob, ImportKind
from unionhub.imports.rows import Problem, Row, any_of
from unionhub.imports.vocab import MEMBER_LAYOUT
from unionhub.imports.xlsx_reader import Cell
from unionhub.members.id_search import fingerprint
from unionhub.members.masking import mask_digits
from unionhub.members.models import Member
from unionhub.members.service import MEMBER_LEVELS, PASSPORT_UNUSABLE, PERSONAL_ID_UNUSABLE
from unionhub.unions.models import Union, UnionPeriod, UnionStatus

P = Permission
# The audit entry of a validation lists at most this many of the refused numbers (masked).
HIDDEN_AUDITED = 50


class MembersImporter:
    kind = ImportKind.MEMBERS.value
    layout = MEMBER_LAYOUT
    permission = P.MEMBERS_WRITE
    # convert() is pure: a large file's rows may be converted in a helper process.
    convert_elsewhere = True

    def header_problems(self, header: HeaderMap) -> list[Problem]:
        keys = {c.key for c in header.positions.values()}
        if "personal_id" not in keys and "passport_no" not in keys:
            return [
                Problem(
                    "personal_id",
                    ErrorCode.MISSING_COLUMN,
                    "The column 'Số định danh cá nhân' (or 'Số hộ chiếu') is missing.",
                    {"column": "Số định danh cá nhân", "alternative": "Số hộ chiếu"},
                )
            ]
        return []

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        return convert_row(header, number, cells, today)

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Context:
        return Context(principal=principal, job_id=job.id, mode=job.mode, union_id=job.union_id)

    async def writes_while_checking(
        self, session: AsyncSession, ctx: Context, lookups: AsyncSession
    ) -> None:
        ctx.one_pass = True
        # Sessions bound to one connection (the tests') share it: the lookups are not used (a
        # savepoint session would even undo the writes when it closes).
        bind = session.bind
        ctx.apart = not (isinstance(bind, AsyncConnection) and lookups.bind is bind)
        ctx.lookups = lookups if ctx.apart else None

    async def start_writing(self, session: AsyncSession, ctx: Context) -> None:
        ctx.conn = await members_write.raw_connection(session)
        await members_counts.claim(ctx.conn)

    async def undo_writes(self, session: AsyncSession, ctx: Context) -> None:
        ctx.counts = {k: 0 for k in ctx.counts}
        ctx.tally = Counts()
        ctx.written_ids.clear()

    async def stop_writing(self, session: AsyncSession, ctx: Context) -> None:
        ctx.one_pass = False
        waiting, ctx.waiting_audits = ctx.waiting_audits, []
        for after in waiting:
            await self._audit_refused(session, ctx, after)

    def commit_keys(self, ctx: Context) -> Keys:
        return ctx.keys

    async def preload(
        self,
        session: AsyncSession,
        ctx: Context,
        keys: Any,
        batches: Callable[[], Iterator[list[Row]]],
    ) -> None:
        """Before the commit writes: the file's unions and employers, which of its personal
        IDs, passports and card numbers are on the register now (one query each instead of
        three per batch), and the card numbers the new members will get. The batches then
        need the database only to write, and are checked while the batch before is written.

        What someone adds to the register after this is refused by the unique indexes
        (personal ID, card number) when written, and the import fails as "register changed".
        """
        if not isinstance(keys, Keys):
            keys = await run_in_threadpool(gather, batches)
        ctx.conn = await members_write.raw_connection(session)
        await members_counts.claim(ctx.conn)
        await self._load_unions(session, ctx, keys.unions)
        await self._load_employers(session, ctx, keys.employers)
        ctx.known = await load_known(session, keys)
        ctx.file_cards = frozenset(keys.cards)
        count = keys.new_members_without_card(ctx.known)
        ctx.fresh_cards.extend(await members_write.card_numbers(ctx.conn, count, ctx.file_cards))

    async def check(
        self, session: AsyncSession, ctx: Context, rows: list[Row], header: HeaderMap
    ) -> None:
        if not ctx.present:
            ctx.present = frozenset(c.key for c in header.positions.values())
        if ctx.known is None:
            # Validation: the keys the commit will look up (before the checks add errors).
            ctx.keys.add(rows)
        await self._load_unions(session, ctx, {r.values["union_code"] for r in rows})
        await self._load_employers(session, ctx, {r.values["enterprise_tax_code"] for r in rows})
        # The rows' checks are pure Python: in a worker thread, so that the event loop keeps
        # sending the batch being written meanwhile (each of its statements follows the one
        # before at once, not after the whole batch is checked).
        await run_in_threadpool(self._check_rows, ctx, rows)
        await self._match_register(session, ctx, rows)

    async def write(
        self,
        session: AsyncSession,
        ctx: Context,
        rows: list[Row],
        idle: Callable[[], Awaitable[None]],
    ) -> None:
        if not rows:
            await self.finish(session, ctx)
            await idle()
            return
        missing = members_write.cards_needed(rows) - len(ctx.fresh_cards)
        if missing > 0:
            if ctx.apart:
                # One pass: the card numbers are drawn while the batch before is written (the
                # sequence never gives a number twice; those typed in the file so far are
                # avoided, and the register's committed ones are what the query sees).
                conn = await members_write.raw_connection(ctx.lookups)
            else:
                await self.finish(session, ctx)
                conn = ctx.conn or await members_write.raw_connection(session)
            avoid = ctx.file_cards | ctx.seen_cards.keys()
            ctx.fresh_cards.extend(await members_write.card_numbers(conn, missing, avoid))
        writes = await run_in_threadpool(members_write.plan, ctx, rows, ctx.fresh_cards)
        if ctx.one_pass:
            ctx.written_ids.update(m[0] for m in writes.members)
        await self.finish(session, ctx)
        if not ctx.apart:
            await idle()
        conn = ctx.conn or await members_write.raw_connection(session)
        ctx.writing = asyncio.ensure_future(members_write.send(conn, writes))
        # Let the batch's first COPY reach the server now: otherwise it waits until the
        # caller's next await, after the next batch's checks (the database idle meanwhile).
        await asyncio.sleep(0)
        if ctx.apart:
            # Progress has connections of its own: recorded while the batch is written.
            await idle()

    async def finish(self, session: AsyncSession, ctx: Context) -> None:
        """Wait for the batch being written: before the connection is used again."""
        writing, ctx.writing = ctx.writing, None
        if writing is not None:
            await writing

    async def complete(self, session: AsyncSession, ctx: Context) -> None:
        """The counts of the members written (members_counts), once for the whole commit."""
        await self.finish(session, ctx)
        conn = ctx.conn or await members_write.raw_connection(session)
        await members_counts.apply(conn, ctx.tally)

    def summary(self, ctx: Context) -> dict[str, Any]:
        return dict(ctx.counts)

    async def _load_unions(self, session: AsyncSession, ctx: Context, codes: set[str]) -> None:
        wanted = {c for c in codes if c} - ctx.unions.keys()
        if not wanted:
            return
        reader = await self._reader(session, ctx)
        since = (
            select(UnionPeriod.union_id, func.min(UnionPeriod.valid_from).label("since"))
            .group_by(UnionPeriod.union_id)
            .subquery()
        )
        found = await reader.execute(
            select(
                Union.id,
                Union.code,
                Union.path,
                Union.status,
                Union.level,
                Union.enterprise_id,
                since.c.since,
            )
            .outerjoin(since, since.c.union_id == Union.id)
            .where(any_of(Union.code, wanted), union_filter(ctx.principal, P.MEMBERS_WRITE))
        )
        for r in found:
            ctx.unions[r.code] = UnionInfo(
                r.id, r.code, str(r.path), r.status, r.level, r.enterprise_id, r.since
            )
        for code in wanted - ctx.unions.keys():
            ctx.unions[code] = None

    async def _load_employers(self, session: AsyncSession, ctx: Context, codes: set[str]) -> None:
        wanted = {c for c in codes if c} - ctx.employers.keys()
        if not wanted:
            return
        reader = await self._reader(session, ctx)
        found = await reader.execute(
            select(
                Enterprise.tax_code,
                Enterprise.id,
                Union.path,
                in_scope(ctx.principal, Enterprise.responsible_union_id, P.ENTERPRISES_READ).label(
                    "readable"
                ),
            )
            .join(Union, Union.id == Enterprise.responsible_union_id)
            .where(any_of(Enterprise.tax_code, wanted))
        )
        for r in found:
            ctx.employers[r.tax_code] = EmployerInfo(r.id, str(r.path), bool(r.readable))
        for code in wanted - ctx.employers.keys():
            ctx.employers[code] = None

    async def _reader(self, session: AsyncSession, ctx: Context) -> AsyncSession:
        """Where the checks query the register: the lookups' own connection while a batch is
        written on the session's (one pass), else the session once its writes are done."""
        if ctx.apart:
            return ctx.lookups  # type: ignore[no-any-return]
        await self.finish(session, ctx)
        return session

    def _check_rows(self, ctx: Context, rows: list[Row]) -> None:
        for row in rows:
            self._check_refs(ctx, row)
            self._check_in_file(ctx, row)

    def _check_refs(self, ctx: Context, row: Row) -> None:
        v = row.values
        union = ctx.unions.get(v["union_code"]) if v["union_code"] else None
        if v["union_code"] and union is None:
            # Same answer whether the code exists elsewhere or not at all.
            row.fail(
                "union_code",
                ErrorCode.UNION_NOT_FOUND,
                f"The union code {v['union_code']} was not found in your scope.",
                {"value": v["union_code"]},
            )
        elif union is not None and union.status != UnionStatus.ACTIVE.value:
            row.fail(
                "union_code",
                ErrorCode.UNION_INACTIVE,
                "The union is dissolved or merged.",
                {"value": v["union_code"]},
            )
            union = None
        elif union is not None and union.level not in MEMBER_LEVELS:
            row.fail(
                "union_code",
                ErrorCode.UNION_LEVEL_HOLDS_NO_MEMBERS,
                f"A {union.level} union holds unions, not members; use the code of a "
                "grassroots union or a unit inside one.",
                {"value": v["union_code"], "level": union.level},
            )
            union = None
        v["union"] = union
        v["enterprise_id"] = None
        tax = v["enterprise_tax_code"]
        if tax:
            employer = ctx.employers.get(tax)
            usable = employer is not None and (
                employer.readable
                or (
                    union is not None
                    and (
                        union.enterprise_id == employer.id
                        or within(union.path, employer.responsible_path)
                    )
                )
            )
            if employer is None or not usable:
                row.fail(
                    "enterprise_tax_code",
                    ErrorCode.ENTERPRISE_NOT_FOUND,
                    f"No enterprise with tax code {tax} was found in your scope.",
                    {"value": format_tax_code(tax)},
                )
            else:
                v["enterprise_id"] = employer.id

    def _check_in_file(self, ctx: Context, row: Row) -> None:
        v = row.values
        failed = row.failed()
        pid, card, passport = v["personal_id"], v["card_number"], v["passport_no"]
        if pid and "personal_id" not in failed:
            first = ctx.seen_ids.setdefault(pid, row.number)
            if first != row.number:
                row.fail(
                    "personal_id",
                    ErrorCode.DUPLICATE_IN_FILE,
                    f"The same personal ID number is on row {first}.",
                    {"value": pid, "first_row": first},
                )
        elif passport and not pid and "passport_no" not in failed:
            key = (v["nationality"] or "VN", passport)
            first = ctx.seen_passports.setdefault(key, row.number)
            if first != row.number:
                row.fail(
                    "passport_no",
                    ErrorCode.DUPLICATE_IN_FILE,
                    f"The same passport number is on row {first}.",
                    {"value": passport, "first_row": first},
                )
        if card and "card_number" not in failed:
            first = ctx.seen_cards.setdefault(card, row.number)
            if first != row.number:
                row.fail(
                    "card_number",
                    ErrorCode.DUPLICATE_IN_FILE,
                    f"The same card number is on row {first}.",
                    {"value": card, "first_row": first},
                )

    async def _match_register(self, session: AsyncSession, ctx: Context, rows: list[Row]) -> None:
        """Rows whose person is already on the register: an error when creating, the record
        to update when updating (if the caller manages its union)."""
        ids = {r.values["personal_id"] for r in rows if r.values["personal_id"]}
        passports = {
            r.values["passport_no"]
            for r in rows
            if r.values["passport_no"] and not r.values["personal_id"]
        }
        cards = {r.values["card_number"] for r in rows if r.values["card_number"]}
        if ctx.known is not None:
            # The commit looked all keys up at once: only those found need their rows.
            ids &= ctx.known.ids
            passports &= ctx.known.passports
            cards &= ctx.known.cards
        reader = await self._reader(session, ctx) if ids or passports or cards else session
        columns = [
            Member.__table__.c[k]
            for k in ("id", "personal_id", "union_id", "card_number", *UPDATABLE)
        ]
        writable = in_scope(ctx.principal, Member.union_id, P.MEMBERS_WRITE).label("writable")
        # Whether the caller may see the holder's personal ID: if not, the row is refused
        # without saying that the person is a member elsewhere (see members.id_search).
        visible = in_scope(ctx.principal, Member.union_id, P.MEMBERS_PII).label("visible")
        by_id: dict[str, Any] = {}
        by_passport: dict[tuple[str, str], Any] = {}
        if ids:
            for r in await reader.execute(
                select(*columns, writable, visible).where(
                    any_of(Member.personal_id, ids), Member.status != "struck_off"
                )
            ):
                if r.id not in ctx.written_ids:
                    by_id[r.personal_id] = r
        if passports:
            for r in await reader.execute(
                select(*columns, writable, visible).where(
                    any_of(Member.passport_no, passports),
                    Member.personal_id.is_(None),
                    Member.status != "struck_off",
                )
            ):
                if r.id not in ctx.written_ids:
                    by_passport[(r.nationality, r.passport_no)] = r
        taken_cards: dict[str, uuid.UUID] = {}
        if cards:
            for card_row in await reader.execute(
                select(Member.card_number, Member.id).where(any_of(Member.card_number, cards))
            ):
                if card_row.id not in ctx.written_ids:
                    taken_cards[card_row.card_number] = card_row.id
        hidden = await run_in_threadpool(
            self._match_rows, ctx, rows, by_id, by_passport, taken_cards
        )
        if hidden and ctx.known is None:
            # Validation only (the commit pass sees the same rows again).
            after = {
                "rows": len(hidden),
                "ids": [
                    {"query": mask_digits(pid), "fingerprint": fingerprint(pid)}
                    for pid in hidden[:HIDDEN_AUDITED]
                ],
            }
            if ctx.one_pass:
                ctx.waiting_audits.append(after)
            else:
                await self._audit_refused(session, ctx, after)

    async def _audit_refused(self, session: AsyncSession, ctx: Context, after: Any) -> None:
        await audit.record(
            session,
            ctx.principal,
            "import.personal_ids_refused",
            "import_job",
            ctx.job_id,
            union_id=ctx.union_id,
            after=after,
        )

    def _match_rows(
        self,
        ctx: Context,
        rows: list[Row],
        by_id: dict[str, Any],
        by_passport: dict[tuple[str, str], Any],
        taken_cards: dict[str, uuid.UUID],
    ) -> list[str]:
        """Match the rows (in a worker thread); the personal IDs held out of the caller's sight."""
        return [
            row.values["personal_id"]
            for row in rows
            if self._match_row(ctx, row, by_id, by_passport, taken_cards)
        ]

    def _match_row(
        self,
        ctx: Context,
        row: Row,
        by_id: dict[str, Any],
        by_passport: dict[tuple[str, str], Any],
        taken_cards: dict[str, uuid.UUID],
    ) -> bool:
        """Match one row; True when its personal ID is held outside what the caller sees."""
        v = row.values
        if v["personal_id"]:
            found, fld = by_id.get(v["personal_id"]), "personal_id"
        else:
            found = by_passport.get((v["nationality"] or "VN", v["passport_no"] or ""))
            fld = "passport_no"
        row.action = "create"
        if found is not None and fld == "personal_id" and not found.visible:
            row.fail(*PERSONAL_ID_UNUSABLE)
            return True
        if found is not None and not found.visible:
            # A passport held outside what the caller may see: refused without saying that
            # the person is a member elsewhere, as a personal ID is.
            row.fail(*PASSPORT_UNUSABLE)
            return False
        if found is not None:
            if ctx.mode != "update" or not found.writable:
                row.fail(
                    fld,
                    ErrorCode.PERSONAL_ID_TAKEN
                    if fld == "personal_id"
                    else ErrorCode.PASSPORT_TAKEN,
                    "A member with this identity number is already on the register; "
                    "import in update mode to change their data.",
                    {"value": v[fld], "mode": ctx.mode},
                )
            else:
                self._plan_update(ctx, row, found)
        card = v["card_number"]
        if card and card in taken_cards and taken_cards[card] != row.target_id:
            row.fail(
                "card_number",
                ErrorCode.CARD_NUMBER_TAKEN,
                f"The card number {card} is already issued to another member.",
                {"value": card},
            )
        return False

    def _plan_update(self, ctx: Context, row: Row, found: Any) -> None:
        v = row.values
        union = v.get("union")
        if union is not None and union.id != found.union_id:
            row.fail(
                "union_code",
                ErrorCode.UNION_DIFFERS,
                "The member belongs to another union; transfer them instead of changing "
                "the union in an import.",
                {"value": v["union_code"]},
            )
            return
        present = ctx.present or frozenset(UPDATABLE)
        changes: dict[str, tuple[Any, Any]] = {}
        for key in UPDATABLE:
            column = "enterprise_tax_code" if key == "enterprise_id" else key
            if column not in present:
                continue
            new = v.get(key)
            if key == "nationality":
                new = new or "VN"
            old = getattr(found, key)
            if old != new:
                changes[key] = (old, new)
        row.target_id = found.id
        row.action = "update" if changes else "unchanged"
        row.changes = changes
