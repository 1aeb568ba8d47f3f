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
