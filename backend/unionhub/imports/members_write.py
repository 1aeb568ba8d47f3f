"""Bulk writes of a members import: COPY for new members, their first membership period and
their `admitted` event; one prepared UPDATE (pipelined) for updated members.

Runs on the session's own connection, inside its transaction: the commit stays all-or-nothing.
The rows written are those members.service.admit_member would write for each, minus the
per-member audit entry: an import is audited once, with its counts (`import.commit`), and each
member it wrote is linked to that entry (core.audit.AuditLink, one COPY per batch), so a search
of the audit log by the member's id finds the import.
The new members' maintained counts are tallied while planning and written once at the end of
the commit (members_counts), not by the insert triggers batch by batch.

Split in two so a batch's rows are prepared (`plan`, pure Python, in a worker thread) while
the database still writes the batch before (`send`): on two cores both then work at once.
"""

import functools
import json
import uuid
from collections import deque
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.core.audit import AUDIT_LINK_COLUMNS, jsonable
from unionhub.core.ids import uuid7, uuid7_many
from unionhub.core.outbox import copy_events
from unionhub.core.text import fold
from unionhub.imports import member_levels
from unionhub.imports.members_context import UPDATABLE, Context
from unionhub.imports.rows import Row
from unionhub.members.models import CARD_SEQUENCE, MemberEventType, MemberStatus
from unionhub.members.service import PII_FIELDS

# Vietnamese names repeat a lot: of 100,000 names a third are distinct.
_fold = functools.lru_cache(maxsize=65_536)(fold)

MEMBER_COLUMNS = (
    "id",
    "full_name",
    "search_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "nationality",
    "personal_id",
    "passport_no",
    "phone",
    "email",
    "commune_code",
    "education_level",
    "professional_qualification",
    "political_theory",
    "occupation",
    "enterprise_id",
    "party_member",
    "admission_date",
    "admitted_by_union_id",
    "card_number",
    "union_id",
    "status",
    "status_since",
    "trainings",
    "version",
)
PERIOD_COLUMNS = ("id", "member_id", "union_id", "status", "valid_from")
EVENT_COLUMNS = (
    "id",
    "member_id",
    "event_type",
    "effective_date",
    "union_id",
    "details",
    "actor_id",
)


async def raw_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, in the session's transaction."""
    await session.flush()
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def card_numbers(conn: Any, count: int, avoid: Container[str]) -> list[str]:
    """`count` fresh card numbers, skipping numbers already issued or typed in the file.

    The format is members.repository.next_card_number's: "CD" and 10 digits of the sequence.
    """
    out: list[str] = []
    while len(out) < count:
        rows = await conn.fetch(
            "SELECT c.card FROM (SELECT 'CD' || lpad(nextval($1::regclass)::text, 10, '0') "
            "AS card FROM generate_series(1, $2::int)) c "
            "WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.card_number = c.card)",
            CARD_SEQUENCE,
            count - len(out),
        )
        out += [r["card"] for r in rows if r["card"] not in avoid]
    return out


@dataclass
class Writes:
    """One batch's rows, ready to send."""

    members: list[tuple[Any, ...]] = field(default_factory=list)
    periods: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    update_sql: str = ""
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    audit_links: list[tuple[Any, ...]] = field(default_factory=list)
    # The change feed's events (core.outbox.FEED_COLUMNS), in the batch's transaction.
    feed: list[tuple[Any, ...]] = field(default_factory=list)
    # Updated members whose education or political-theory level the file gave (member_levels).
    levels: list[uuid.UUID] = field(default_factory=list)
    # New members' qualification records (member_levels.QUALIFICATION_COLUMNS).
    qualifications: list[tuple[Any, ...]] = field(default_factory=list)
    # Their qualification facts (member_levels.FACT_COLUMNS), written with the records.
    facts: list[tuple[Any, ...]] = field(default_factory=list)


def cards_needed(rows: list[Row]) -> int:
    return sum(1 for r in rows if r.action == "create" and not r.values["card_number"])


def plan(ctx: Context, rows: list[Row], fresh: deque[str]) -> Writes:
    """The records for `rows` (pure Python; `fresh` holds at least `cards_needed` numbers)."""
    out = Writes()
    actor = None if ctx.principal.system else ctx.principal.user_id
    creates = [r for r in rows if r.action == "create"]
    updates = [r for r in rows if r.action == "update"]
    ctx.counts["unchanged"] += sum(1 for r in rows if r.action == "unchanged")
    if creates:
        _plan_creates(ctx, creates, fresh, actor, out)
    if updates:
        _plan_updates(ctx, updates, actor, out)
    return out


async def send(conn: Any, writes: Writes) -> None:
    """COPY and UPDATE one batch. A unique index refusing a row means someone added the same
    person or card since the checks ran: reported as the register having changed."""
    try:
        if writes.members:
            await conn.copy_records_to_table(
                "members", records=writes.members, columns=MEMBER_COLUMNS
            )
            await conn.copy_records_to_table(
                "membership_periods", records=writes.periods, columns=PERIOD_COLUMNS
            )
        if writes.qualifications:
            # Only these records skip the facts trigger: they are all of their (new) holders'.
            await conn.execute("SET LOCAL unionhub.facts_by_caller = 'on'")
            await conn.copy_records_to_table(
                "qualifications",
                records=writes.qualifications,
                columns=member_levels.QUALIFICATION_COLUMNS,
            )
            await conn.execute("SET LOCAL unionhub.facts_by_caller = 'off'")
        if writes.facts:
            await conn.copy_records_to_table(
                "qualification_facts", records=writes.facts, columns=member_levels.FACT_COLUMNS
            )
        if writes.updates:
            await conn.executemany(writes.update_sql, writes.updates)
        await member_levels.write(conn, writes.levels)
        if writes.events:
            await conn.copy_records_to_table(
                "member_events", records=writes.events, columns=EVENT_COLUMNS
            )
        if writes.audit_links:
            await conn.copy_records_to_table(
                "audit_links", records=writes.audit_links, columns=AUDIT_LINK_COLUMNS
            )
        await copy_events(conn, writes.feed)
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError("COPY members", None, exc) from exc


def _plan_creates(
    ctx: Context, rows: list[Row], fresh: deque[str], actor: uuid.UUID | None, out: Writes
) -> None:
    # The hot loop of a large import's planning (100,000 rows): ids made at once, constants
    # and per-union text looked up once, no helper call that is not needed.
    job = json.dumps(str(ctx.job_id))
    admitted_type = MemberEventType.ADMITTED.value
    active = MemberStatus.ACTIVE.value
    count = len(rows)
    # Card numbers are given in the file's order. The rows are then written in the order of
    # the members' (union, status, gender, name) index: it and the name index take the batch's
    # entries side by side instead of scattered over them, and the ids, drawn in that order,
    # still only grow (docs/benchmarks.md, "Import rows written in index order").
    cards = [row.values["card_number"] or fresh.popleft() for row in rows]
    names = [_fold(row.values["full_name"]) for row in rows]
    order = sorted(
        range(count),
        key=lambda k: (rows[k].values["union"].id, rows[k].values["gender"] or "", names[k]),
    )
    ids = uuid7_many(3 * count)
    # The qualification records' ids, drawn as for_new_member needs them.
    record_ids = iter(uuid7_many(sum(map(member_levels.records_of, rows))))
    # The end of each union's `admitted` event details (json.dumps of the whole dict per row
    # cost a second per 100,000 rows).
    details_end: dict[uuid.UUID, str] = {}
    admitted_to = ctx.tally.admitted
    members, periods, events = out.members, out.periods, out.events
    audit_links, feed = out.audit_links, out.feed
    job_id = ctx.job_id
    for i, k in enumerate(order):
        v = rows[k].values
        union = v["union"]
        union_id = union.id
        member_id = ids[i]
        card = cards[k]
        admitted: date = v["admission_date"]
        # As admit_member: a period cannot start before the union existed.
        since = max(admitted, union.since) if union.since else admitted
        education, theory = member_levels.for_new_member(
            member_id,
            v["education_level"],
            v["professional_qualification"],
            v["political_theory"],
            out.qualifications,
            out.facts,
            record_ids,
        )
        full_name = v["full_name"]
        members.append(
            (
                member_id,
                full_name,
                names[k],
                v["date_of_birth"],
                v["gender"],
                v["ethnicity"],
                v["nationality"] or "VN",
                v["personal_id"],
                v["passport_no"],
                v["phone"],
                v["email"],
                v["commune_code"],
                education,
                v["professional_qualification"],
                theory,
                v["occupation"],
                v["enterprise_id"],
                bool(v["party_member"]),
                admitted,
                union_id,
                card,
                union_id,
                active,
                since,
                "[]",
                1,
            )
        )
        periods.append((ids[count + i], member_id, union_id, active, since))
        admitted_to(union_id, v["gender"], since, admitted)
        end = details_end.get(union_id)
        if end is None:
            end = details_end[union_id] = (
                f', "admitted_by_union_id": "{union_id}", "import_job_id": {job}}}'
            )
        details = f'{{"card_number": {json.dumps(card)}{end}'
        events.append(
            (ids[2 * count + i], member_id, admitted_type, admitted, union_id, details, actor)
        )
        audit_links.append(("member", member_id, "import_job", job_id))
        feed.append(("member", member_id, "member.import", union_id, []))
    ctx.counts["created"] += count


def _plan_updates(ctx: Context, rows: list[Row], actor: uuid.UUID | None, out: Writes) -> None:
    fields = [
        k
        for k in UPDATABLE
        if ("enterprise_tax_code" if k == "enterprise_id" else k) in ctx.present
    ]
    assignments = ", ".join(f"{k} = ${i}" for i, k in enumerate(fields, start=3))
    out.update_sql = (
        f"UPDATE members SET {assignments}{', ' if assignments else ''}search_name = $2, "
        "version = version + 1, updated_at = now() WHERE id = $1"
    )
    today = date.today()
    job = str(ctx.job_id)
    levels_given = "education_level" in fields or "political_theory" in fields
    for row in rows:
        v = row.values
        new = {k: (v[k] or "VN") if k == "nationality" else v[k] for k in fields}
        new["party_member"] = bool(new.get("party_member", False))
        out.updates.append((row.target_id, _fold(v["full_name"]), *[new[k] for k in fields]))
        if levels_given and row.target_id is not None:
            out.levels.append(row.target_id)
        changes = row.changes or {}
        details = {
            "import_job_id": job,
            "fields": sorted(changes),
            "changes": {
                k: {"from": jsonable(old), "to": jsonable(to)}
                for k, (old, to) in changes.items()
                if k not in PII_FIELDS
            },
        }
        out.events.append(
            (
                uuid7(),
                row.target_id,
                MemberEventType.UPDATED.value,
                today,
                v["union"].id,
                json.dumps(details),
                actor,
            )
        )
        out.audit_links.append(("member", row.target_id, "import_job", ctx.job_id))
        out.feed.append(("member", row.target_id, "member.import", v["union"].id, sorted(changes)))
    ctx.counts["updated"] += len(rows)
