"""Each union's subtree sums (`member_subtree_totals`, `member_subtree_flows`, docs/adr/0020)
follow the register and the tree in the same transaction, survive a fold unchanged, and are
what the overview reads when the caller's members are whole subtrees."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.factories import Factory
from tests.members.helpers import World, admit, build_world
from tests.members.test_counts import _changes
from tests.reports.test_overview_kept import _scans
from unionhub.auth.models import RoleAssignment
from unionhub.authz import scope
from unionhub.core.answers import stamp
from unionhub.members import counts_rebuild, subtree

UNIONS = "/api/v1/unions"
OVERVIEW = "/api/v1/reports/overview"


async def _members(db: AsyncSession, union_id: Any, status: str = "active") -> int:
    """Members with `status` in the union's subtree, as the subtree sums hold them."""
    n = await db.scalar(
        text(
            "SELECT coalesce(sum(n), 0) FROM member_subtree_totals "
            "WHERE union_id = :u AND status = :s"
        ),
        {"u": union_id, "s": status},
    )
    return int(n or 0)


async def _admitted(db: AsyncSession, union_id: Any) -> int:
    n = await db.scalar(
        text(
            "SELECT coalesce(sum(n), 0) FROM member_subtree_flows "
            "WHERE union_id = :u AND kind = 'admitted'"
        ),
        {"u": union_id},
    )
    return int(n or 0)


async def _move(factory: Factory, w: World, union: Any, parent: Any, version: int = 1) -> None:
    r = await factory.client.post(
        f"{UNIONS}/{union.id}/move",
        json={
            "effective_date": date(2025, 7, 1).isoformat(),
            "decision_no": "12/QĐ-LĐLĐ",
            "new_parent_id": str(parent.id),
        },
        headers={**w.admin, "If-Match": f'"{version}"'},
    )
    assert r.status_code == 200, r.text


async def test_the_sums_follow_changes_and_a_move_and_a_fold_leaves_them_as_they_are(
    factory: Factory, db: AsyncSession
) -> None:
    # Admissions, a transfer, a suspension and resumption, an exit and a rejoin, a change of
    # gender and a merger of grassroots A2 into A (test_counts._changes): five active members,
    # An, Bình and Cường in grassroots A (district A), Dung and Em in grassroots B (district B).
    w, _ = await _changes(factory)
    assert await counts_rebuild.check(db) == []
    assert await _members(db, w.province.id) == 5
    assert await _members(db, w.district_a.id) == 3
    assert await _members(db, w.district_b.id) == 2
    assert await _members(db, w.grassroots_a.id) == 3
    assert await _admitted(db, w.province.id) == 5
    assert await _admitted(db, w.district_a.id) == 3

    # Grassroots A (with its group) moves to district B: its members and its admissions go
    # with it, above it on both sides; the province's figures stay.
    await _move(factory, w, w.grassroots_a, w.district_b)
    assert await _members(db, w.district_a.id) == 0
    assert await _members(db, w.district_b.id) == 5
    assert await _members(db, w.grassroots_a.id) == 3
    assert await _members(db, w.province.id) == 5
    # The admissions stay where they were made: Cường's in grassroots A2 (merged into A, still
    # under district A), An's and Bình's in A, now under B.
    assert await _admitted(db, w.district_a.id) == 1
    assert await _admitted(db, w.district_b.id) == 4
    # A member admitted to the group under it now counts in district B.
    await admit(factory, w.admin, w.group_a, full_name="Giang", admission_date="2025-08-01")
    assert await _members(db, w.district_b.id) == 6
    assert await _members(db, w.grassroots_a.id) == 4
    assert await counts_rebuild.check(db) == []

    # Each write appended rows; the fold makes each key one row, with the same sums.
    unfolded = await db.scalar(text("SELECT count(*) FROM member_subtree_totals WHERE NOT folded"))
    assert unfolded and unfolded > 0
    assert await subtree.fold(db) > 0
    for table, key in (
        ("member_subtree_totals", "union_id, status, gender"),
        ("member_subtree_flows", "union_id, kind, gender, month"),
    ):
        several = await db.scalar(
            text(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {key} HAVING count(*) > 1) k"
            )
        )
        assert several == 0, table
        assert await db.scalar(text(f"SELECT count(*) FROM {table} WHERE NOT folded")) == 0
    assert await _members(db, w.district_b.id) == 6
    assert await _members(db, w.province.id) == 6
    assert await counts_rebuild.check(db) == []
    # Nothing new: nothing to fold.
    assert await subtree.fold(db) == 0


async def test_check_finds_a_wrong_subtree_sum_and_rebuild_mends_it(
    factory: Factory, db: AsyncSession
) -> None:
    w, _ = await _changes(factory)
    # Rows written around the triggers: a part added to the province, a part of district A's
    # admissions lost.
    await db.execute(
        text(
            "INSERT INTO member_subtree_totals (union_id, status, gender, n) "
            "VALUES (:u, 'active', 'female', 4)"
        ),
        {"u": w.province.id},
    )
    await db.execute(
        text("DELETE FROM member_subtree_flows WHERE union_id = :u AND kind = 'admitted'"),
        {"u": w.district_a.id},
    )
    drift = {d.table: d for d in await counts_rebuild.check(db)}
    assert set(drift) == {"member_subtree_totals", "member_subtree_flows"}
    assert drift["member_subtree_totals"].sample == [
        f"{w.province.id} active female: stored 5, expected 1"
    ]
    written = await counts_rebuild.rebuild(db)
    assert written["member_subtree_totals"] > 0 and written["member_subtree_flows"] > 0
    assert await counts_rebuild.check(db) == []
    assert await _members(db, w.province.id) == 5
    assert await db.scalar(text("SELECT count(*) FROM member_subtree_totals WHERE NOT folded")) == 0


def _lock_held(mode: str) -> Any:
    # An advisory lock on a bigint key: its high and low 32 bits, objsubid 1.
    return text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
        "AND classid = :hi AND objid = :lo AND objsubid = 1 AND mode = :mode AND granted"
    ).bindparams(hi=subtree.LOCK_KEY >> 32, lo=subtree.LOCK_KEY & 0xFFFFFFFF, mode=mode)


async def test_writers_share_the_tree_lock_and_a_move_holds_it_alone(
    factory: Factory, db: AsyncSession
) -> None:
    # A writer of counts reads the tree under the shared lock, until its transaction ends; a
    # change of paths takes it exclusive, so no writer reads the tree it is changing.
    w = await build_world(factory)
    assert await db.scalar(_lock_held("ShareLock")) == 0
    await admit(factory, w.officer_a, w.grassroots_a)
    assert await db.scalar(_lock_held("ShareLock")) == 1
    assert await db.scalar(_lock_held("ExclusiveLock")) == 0
    await _move(factory, w, w.grassroots_a, w.district_b)
    assert await db.scalar(_lock_held("ExclusiveLock")) == 1


async def test_renaming_a_union_changes_no_sum(factory: Factory, db: AsyncSession) -> None:
    # Only a change of paths moves the sums: another update of unions appends nothing.
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    before = await db.scalar(text("SELECT count(*) FROM member_subtree_totals"))
    await db.execute(
        text("UPDATE unions SET name = name || ' (mới)' WHERE id = :u"), {"u": w.district_a.id}
    )
    assert await db.scalar(text("SELECT count(*) FROM member_subtree_totals")) == before
    assert await db.scalar(_lock_held("ExclusiveLock")) == 0


async def _overview_reads(
    factory: Factory, db: AsyncSession, headers: dict[str, str], **params: str
) -> tuple[dict[str, Any], set[str]]:
    before = await _scans(db)
    r = await factory.client.get(OVERVIEW, params=params, headers=headers)
    assert r.status_code == 200, r.text
    after = await _scans(db)
    return r.json(), {t for t, n in after.items() if n > before.get(t, 0)}


async def test_the_overview_reads_the_subtree_sums_of_whole_subtrees_only(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    for union, who in (
        (w.grassroots_a, w.officer_a),
        (w.grassroots_a, w.officer_a),
        (w.group_a, w.officer_a),
        (w.grassroots_b, w.officer_b),
    ):
        await admit(factory, who, union, admission_date="2025-03-03")
    # Officers of district A and of grassroots B together: two units apart, no one root.
    user = await factory.user("union_officer", w.district_a)
    db.add(RoleAssignment(user_id=user.id, role="union_officer", union_id=w.grassroots_b.id))
    await db.flush()
    apart = await factory.login(user.username)
    cases: list[tuple[dict[str, str], dict[str, str], int, bool]] = [
        (w.admin, {}, 4, True),  # the province: the top of the tree
        (w.admin, {"union_id": str(w.district_a.id)}, 3, True),
        (w.officer_a, {}, 3, True),  # district A, held there
        (w.grassroots_officer_a, {}, 3, True),
        (apart, {}, 4, False),
    ]
    for headers, params, active, whole in cases:
        body, read = await _overview_reads(factory, db, headers, **params)
        assert body["members"]["active"] == active, params
        assert ("member_subtree_totals" in read) is whole, (params, read)
        # The per-union counts are read only where the sums do not fit (and for the bars of
        # units apart).
        assert ("member_count_totals" in read) is not whole, (params, read)
    body, _ = await _overview_reads(factory, db, w.admin)
    bars = {b["union_id"]: b["members"] for b in body["members_by_child"]}
    assert bars == {str(w.district_a.id): 3, str(w.district_b.id): 1}
    this_month = date.today().strftime("%Y-%m")
    months = {m["month"]: m["admissions"] for m in body["admissions_by_month"]}
    assert sum(months.values()) == (4 if "2025-03" in months else 0)
    assert this_month in months


async def test_counts_are_not_written_outside_read_committed(engine: AsyncEngine) -> None:
    # The writers read the tree of their statement: a snapshot older than a committed move
    # would give the old ancestors. Refused, as the periods are.
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(text("SELECT member_subtree_lock_shared()"))
    assert getattr(caught.value.orig, "sqlstate", None) == "0A000"


async def test_paths_are_not_changed_outside_read_committed(engine: AsyncEngine) -> None:
    # The trigger corrects the sums from the counts it reads after the lock: an older snapshot
    # would miss what writers committed meanwhile. Refused (and rolled back: nothing stays).
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            await conn.execute(
                text(
                    "INSERT INTO unions (id, tree_key, code, name, level, kind, sector, status, "
                    "path, search_text, version) VALUES (gen_random_uuid(), 987654321, "
                    "'RR-TEST', 'Thử', 'province_federation', 'province_federation', 'state', "
                    "'active', '987654321', 'thu', 1)"
                )
            )
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(
                    text("UPDATE unions SET path = '987654322' WHERE code = 'RR-TEST'")
                )
    assert getattr(caught.value.orig, "sqlstate", None) == "0A000"


async def test_a_move_beside_a_long_writer_gives_up_busy_and_changes_nothing(
    factory: Factory, db: AsyncSession, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A writer of counts still under way (another connection holds the tree's lock shared):
    # the move waits at most TREE_LOCK_WAIT, then answers busy, so the writers that come after
    # it are not held off longer than that; nothing of the move is written.
    monkeypatch.setattr(scope, "TREE_LOCK_WAIT", "200ms")
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    async with engine.connect() as other:
        await other.execute(text("SELECT pg_advisory_lock_shared(:k)"), {"k": subtree.LOCK_KEY})
        try:
            r = await factory.client.post(
                f"{UNIONS}/{w.grassroots_a.id}/move",
                json={
                    "effective_date": date(2025, 7, 1).isoformat(),
                    "decision_no": "12/QĐ-LĐLĐ",
                    "new_parent_id": str(w.district_b.id),
                },
                headers={**w.admin, "If-Match": '"1"'},
            )
        finally:
            await other.execute(
                text("SELECT pg_advisory_unlock_shared(:k)"), {"k": subtree.LOCK_KEY}
            )
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_busy"
    assert r.headers["Retry-After"]
    parent = await db.scalar(
        text("SELECT parent_id FROM unions WHERE id = :u"), {"u": w.grassroots_a.id}
    )
    assert parent == w.district_a.id
    assert await _members(db, w.district_a.id) == 1
    # Once the writer is done, the same move goes through.
    await _move(factory, w, w.grassroots_a, w.district_b)
    assert await _members(db, w.district_b.id) == 1


async def test_a_fold_leaves_the_kept_answers_kept(factory: Factory, db: AsyncSession) -> None:
    # The fold changes no sum: it does not move the figures' stamp (each bump had every kept
    # answer, a programme's progress among them, read again once a minute). Any other write
    # to the tables still does, after the fold in the same transaction too.
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    before = (await stamp(db)).value
    assert await subtree.fold(db) > 0
    assert (await stamp(db)).value == before
    await db.execute(text("DELETE FROM member_subtree_totals WHERE false"))
    assert (await stamp(db)).value > before
