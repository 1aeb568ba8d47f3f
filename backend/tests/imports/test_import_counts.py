"""An import's COPY and UPDATE statements keep the maintained member counts right."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    build_world,
    commit,
    member,
    personal_id,
    table,
    upload,
    xlsx_bytes,
)
from tests.members.helpers import admit
from unionhub.authz.scope import subtree_ids
from unionhub.members import counts, counts_rebuild


async def test_an_import_and_an_update_import_keep_the_counts(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a, a2 = w.grassroots_a.code, w.grassroots_a2.code
    rows = [
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 1), a),
        member("Trần Văn Bình", date(1991, 1, 2), personal_id(1991, False, 2), a2),
        member(
            "Lê Thị Cúc",
            date(1995, 7, 7),
            personal_id(1995, True, 3),
            a2,
            gender="Nữ",
            admitted=date(2024, 6, 1),
        ),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert job["error_count"] == 0, job["errors"]
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["status"] == "committed", r.json()

    district = subtree_ids(w.district_a.id)
    assert await counts.members_on(db, district) == 3
    assert await counts.members_on(db, district, gender="female") == 1
    assert await counts.members_on(db, [w.grassroots_a2.id], day=date(2024, 5, 31)) == 1
    in_2024 = await counts.flows(db, district, date(2024, 1, 1), date(2024, 12, 31))
    assert in_2024 == {("admitted", "female"): 1}

    # Bình was a woman all along: the update import changes the gender, and her counts move.
    rows[1] = member("Trần Thị Bình", date(1991, 1, 2), personal_id(1991, True, 2), a2, gender="Nữ")
    job = (
        await upload(factory.client, w.officer_a, xlsx_bytes(table(rows[1:2])), mode="update")
    ).json()
    assert job["error_count"] == 0, job["errors"]
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["status"] == "committed", r.json()
    assert await counts.members_on(db, district, gender="female") == 2
    assert await counts_rebuild.check(db) == []


async def test_the_counts_of_new_members_follow_their_first_day_and_end_with_the_commit(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    """The import writes its new members' counts itself (one upsert at the end of the commit):
    a member admitted before the union was founded is counted from the founding, the admission
    is still counted on its own day, and an admission after the import counts as usual."""
    w = await build_world(factory)
    young = await factory.union(
        w.district_a,
        name="CĐCS Công ty Giày Cái Bè",
        code="IM-CB-GIAY",
        founded_on=date(2022, 1, 1),
    )
    rows = [
        member("Phạm Văn Dũng", date(1988, 2, 3), personal_id(1988, False, 11), young.code),
        member(
            "Võ Thị Em",
            date(1993, 4, 5),
            personal_id(1993, True, 12),
            young.code,
            gender="Nữ",
            admitted=date(2023, 2, 1),
        ),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert job["error_count"] == 0, job["errors"]
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["status"] == "committed", r.json()

    assert await counts.members_on(db, [young.id], day=date(2021, 12, 31)) == 0
    assert await counts.members_on(db, [young.id], day=date(2022, 1, 1)) == 1
    assert await counts.members_on(db, [young.id], day=date(2023, 2, 1)) == 2
    assert await counts.flows(db, [young.id], date(2020, 1, 1), date(2020, 12, 31)) == {
        ("admitted", "male"): 1
    }
    assert await counts.flows(db, [young.id], date(2023, 1, 1), date(2023, 12, 31)) == {
        ("admitted", "female"): 1
    }
    assert await counts_rebuild.check(db) == []

    # The import's own counting ended with its transaction: the triggers count this one.
    await admit(factory, w.officer_a, young, full_name="Đặng Văn Giang")
    assert await counts.members_on(db, [young.id]) == 3
    assert await counts_rebuild.check(db) == []
