"""The register's references to unions, enterprises and users are checked by triggers once
per statement (ADR 0016), with a foreign key's answer: a key with no row is refused with
SQLSTATE 23503 and the constraint's name; deleting a user sets the events' actor to NULL;
a union still referenced cannot be deleted, and deleting one takes its maintained counts."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.members.helpers import admit, build_world, refused

EVENT = text(
    "INSERT INTO member_events (id, member_id, event_type, effective_date, union_id, details, "
    "actor_id) VALUES (gen_random_uuid(), :member, 'updated', current_date, :union, '{}', :actor)"
)
PERIOD = text(
    "INSERT INTO membership_periods (id, member_id, union_id, status, valid_from, valid_to) "
    "VALUES (gen_random_uuid(), :member, :union, 'active', DATE '2001-01-01', DATE '2002-01-01')"
)


async def _refused(db: AsyncSession, constraint: str, statement: str, **params: object) -> None:
    await refused(db, "23503", constraint, statement, **params)


async def test_a_reference_to_nothing_is_refused_as_by_a_foreign_key(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    m = uuid.UUID((await admit(factory, w.officer_a, w.grassroots_a))["id"])
    nowhere = uuid.uuid4()
    await _refused(
        db, "fk_member_events_union_id_unions", EVENT, member=m, union=nowhere, actor=None
    )
    await _refused(
        db,
        "fk_member_events_actor_id_users",
        EVENT,
        member=m,
        union=w.grassroots_a.id,
        actor=nowhere,
    )
    await _refused(db, "fk_membership_periods_union_id_unions", PERIOD, member=m, union=nowhere)
    for column, constraint in (
        ("union_id", "fk_members_union_id_unions"),
        ("admitted_by_union_id", "fk_members_admitted_by_union_id_unions"),
        ("enterprise_id", "fk_members_enterprise_id_enterprises"),
    ):
        await _refused(
            db, constraint, f"UPDATE members SET {column} = :key WHERE id = :m", key=nowhere, m=m
        )
    # Existing keys pass, one row or many in one statement; an update leaving them alone too.
    await db.execute(EVENT, {"member": m, "union": w.grassroots_a2.id, "actor": None})
    await db.execute(
        text(
            "INSERT INTO member_events (id, member_id, event_type, effective_date, union_id, "
            "details) SELECT gen_random_uuid(), :m, 'updated', current_date, u.id, '{}' "
            "FROM unions u WHERE u.id IN (:a, :b)"
        ),
        {"m": m, "a": w.grassroots_a.id, "b": w.grassroots_b.id},
    )
    await db.execute(
        text("UPDATE members SET admitted_by_union_id = :u, phone = '0901234567' WHERE id = :m"),
        {"u": w.grassroots_a2.id, "m": m},
    )
    # One missing key among existing ones in one statement.
    await _refused(
        db,
        "fk_member_events_union_id_unions",
        "INSERT INTO member_events (id, member_id, event_type, effective_date, union_id, "
        "details) SELECT gen_random_uuid(), :m, 'updated', current_date, k, '{}' "
        "FROM unnest(ARRAY[:a, :b]::uuid[]) k",
        m=m,
        a=w.grassroots_a.id,
        b=nowhere,
    )


async def test_deleting_a_user_clears_the_events_actor(factory: Factory, db: AsyncSession) -> None:
    w = await build_world(factory)
    m = uuid.UUID((await admit(factory, w.officer_a, w.grassroots_a))["id"])
    user = await factory.user()
    await db.execute(EVENT, {"member": m, "union": w.grassroots_a.id, "actor": user.id})
    await db.execute(text("DELETE FROM users WHERE id = :u"), {"u": user.id})
    left = await db.scalar(
        text("SELECT count(*) FROM member_events WHERE actor_id = :u"), {"u": user.id}
    )
    assert left == 0


async def _bare_union(db: AsyncSession, like: uuid.UUID) -> uuid.UUID:
    """A union row nothing else refers to (no union period, no audit entry): a copy of
    `like` under a new id and code."""
    new = uuid.uuid4()
    await db.execute(
        text(
            "INSERT INTO unions SELECT (jsonb_populate_record(NULL::unions, to_jsonb(u) || "
            "jsonb_build_object('id', CAST(:new AS text), 'code', 'Z' || left(md5(:new), 8), "
            "'name', u.name || ' (bản sao)', 'enterprise_id', NULL, "
            "'tree_key', (SELECT max(tree_key) + 1 FROM unions)))).* "
            "FROM unions u WHERE u.id = :like"
        ),
        {"new": str(new), "like": like},
    )
    return new


async def test_a_referenced_union_stays_an_unreferenced_one_takes_its_counts(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    m = uuid.UUID((await admit(factory, w.officer_a, w.grassroots_a))["id"])
    bare = await _bare_union(db, w.grassroots_b.id)
    await db.execute(EVENT, {"member": m, "union": bare, "actor": None})
    await _refused(
        db, "fk_member_events_union_id_unions", "DELETE FROM unions WHERE id = :u", u=bare
    )
    # A union nobody references: its (zero) count rows go with it, as the cascade did.
    lone = await _bare_union(db, w.grassroots_b.id)
    await db.execute(
        text(
            "INSERT INTO member_count_totals (union_id, status, gender, n) "
            "VALUES (:u, 'active', 'male', 0)"
        ),
        {"u": lone},
    )
    await db.execute(text("DELETE FROM unions WHERE id = :u"), {"u": lone})
    left = await db.scalar(
        text("SELECT count(*) FROM member_count_totals WHERE union_id = :u"), {"u": lone}
    )
    assert left == 0


async def test_a_members_periods_and_events_name_a_member_and_go_with_it(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    m = uuid.UUID((await admit(factory, w.officer_a, w.grassroots_a))["id"])
    nobody = uuid.uuid4()
    await _refused(
        db,
        "fk_membership_periods_member_id_members",
        PERIOD,
        member=nobody,
        union=w.grassroots_a.id,
    )
    await _refused(
        db,
        "fk_member_events_member_id_members",
        EVENT,
        member=nobody,
        union=w.grassroots_a.id,
        actor=None,
    )
    await db.execute(EVENT, {"member": m, "union": w.grassroots_a.id, "actor": None})
    await db.execute(text("DELETE FROM members WHERE id = :m"), {"m": m})
    for table in ("membership_periods", "member_events"):
        left = await db.scalar(
            text(f"SELECT count(*) FROM {table} WHERE member_id = :m"),
            {"m": m},
        )
        assert left == 0, table


async def test_truncating_members_alone_is_refused(factory: Factory, db: AsyncSession) -> None:
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    # CASCADE empties the tables with foreign keys to members, not the periods and events.
    with pytest.raises(IntegrityError) as caught:
        async with db.begin_nested():
            await db.execute(text("TRUNCATE members CASCADE"))
    assert getattr(caught.value.orig, "sqlstate", None) == "23503"
