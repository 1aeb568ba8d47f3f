"""Bulk writes of a members import: COPY for new members, their first membership period and
their `admitted` event; one prepared UPDATE (pipelined) for updated members.

Runs on the session's own connection, inside its transaction: the commit stays all-or-nothing.
The rows written are those members.service.admit_member would write for each, minus the
per-member audit entry (an import is audited once, with its counts).
"""

import json
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.core.audit import _jsonable
from unionhub.core.ids import uuid7
from unionhub.core.text import fold
from unionhub.imports.engine import Row
from unionhub.members.models import CARD_SEQUENCE, MemberEventType, MemberStatus
from unionhub.members.service import PII_FIELDS

if TYPE_CHECKING:
    from unionhub.imports.members_import import Context

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


async def card_numbers(conn: Any, count: int, avoid: dict[str, int]) -> list[str]:
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


async def write(session: AsyncSession, ctx: "Context", rows: list[Row]) -> None:
    creates = [r for r in rows if r.action == "create"]
    updates = [r for r in rows if r.action == "update"]
    ctx.counts["unchanged"] += sum(1 for r in rows if r.action == "unchanged")
    if not creates and not updates:
        return
    conn = await raw_connection(session)
    actor = None if ctx.principal.system else ctx.principal.user_id
    if creates:
        await _create(conn, ctx, creates, actor)
    if updates:
        await _update(conn, ctx, updates, actor)


async def _create(conn: Any, ctx: "Context", rows: list[Row], actor: uuid.UUID | None) -> None:
    fresh = iter(
        await card_numbers(
            conn, sum(1 for r in rows if not r.values["card_number"]), ctx.seen_cards
        )
    )
    members: list[tuple[Any, ...]] = []
    periods: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    job = str(ctx.job_id)
    for row in rows:
        v = row.values
        union = v["union"]
        member_id = uuid7()
        card = v["card_number"] or next(fresh)
        admitted: date = v["admission_date"]
        # As admit_member: a period cannot start before the union existed.
        since = max(admitted, union.since) if union.since else admitted
        members.append(
            (
                member_id,
                v["full_name"],
                fold(v["full_name"]),
                v["date_of_birth"],
                v["gender"],
                v["ethnicity"],
                v["nationality"] or "VN",
                v["personal_id"],
                v["passport_no"],
                v["phone"],
                v["email"],
                v["commune_code"],
                v["education_level"],
                v["professional_qualification"],
                v["political_theory"],
                v["occupation"],
                v["enterprise_id"],
                bool(v["party_member"]),
                admitted,
                union.id,
                card,
                union.id,
                MemberStatus.ACTIVE.value,
                since,
                "[]",
                1,
            )
        )
        periods.append((uuid7(), member_id, union.id, MemberStatus.ACTIVE.value, since))
        details = json.dumps(
            {"card_number": card, "admitted_by_union_id": str(union.id), "import_job_id": job}
        )
        events.append(
            (uuid7(), member_id, MemberEventType.ADMITTED.value, admitted, union.id, details, actor)
        )
    await conn.copy_records_to_table("members", records=members, columns=MEMBER_COLUMNS)
    await conn.copy_records_to_table("membership_periods", records=periods, columns=PERIOD_COLUMNS)
    await conn.copy_records_to_table("member_events", records=events, columns=EVENT_COLUMNS)
    ctx.counts["created"] += len(rows)


async def _update(conn: Any, ctx: "Context", rows: list[Row], actor: uuid.UUID | None) -> None:
    from unionhub.imports.members_import import UPDATABLE

    fields = [
        k
        for k in UPDATABLE
        if ("enterprise_tax_code" if k == "enterprise_id" else k) in ctx.present
    ]
    assignments = ", ".join(f"{k} = ${i}" for i, k in enumerate(fields, start=3))
    statement = (
        f"UPDATE members SET {assignments}{', ' if assignments else ''}search_name = $2, "
        "version = version + 1, updated_at = now() WHERE id = $1"
    )
    records = []
    events: list[tuple[Any, ...]] = []
    today = date.today()
    job = str(ctx.job_id)
    for row in rows:
        v = row.values
        new = {k: (v[k] or "VN") if k == "nationality" else v[k] for k in fields}
        new["party_member"] = bool(new.get("party_member", False))
        records.append((row.target_id, fold(v["full_name"]), *[new[k] for k in fields]))
        changes = row.changes or {}
        details = {
            "import_job_id": job,
            "fields": sorted(changes),
            "changes": {
                k: {"from": _jsonable(old), "to": _jsonable(to)}
                for k, (old, to) in changes.items()
                if k not in PII_FIELDS
            },
        }
        events.append(
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
    await conn.executemany(statement, records)
    await conn.copy_records_to_table("member_events", records=events, columns=EVENT_COLUMNS)
    ctx.counts["updated"] += len(rows)
