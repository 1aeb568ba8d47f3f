"""`member_names`, every name of the register once: the triggers keep it as members are
admitted and renamed, a large scope's full-name search finds members through it, and
`unionhub counts check` / `rebuild` report and mend it."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world
from unionhub.members import counts_rebuild, search


async def _names(db: AsyncSession) -> list[str]:
    return list((await db.scalars(text("SELECT search_name FROM member_names ORDER BY 1"))).all())


async def _found(factory: Factory, headers: dict[str, str], q: str) -> tuple[int, list[str]]:
    r = await factory.client.get(API, params={"q": q, "size": 50}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total_exact"] is True
    return body["total"], [m["full_name"] for m in body["items"]]


async def test_names_are_kept_once_and_a_renamed_member_is_found_by_the_new_name(
    factory: Factory, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every scope searches as a large one: by the names' pair keys.
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", 0)
    w = await build_world(factory)
    ha = await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Thị Thu Hà")
    await admit(factory, w.officer_a, w.grassroots_a2, full_name="  nguyễn thị  thu hà ")
    await admit(factory, w.officer_b, w.grassroots_b, full_name="Lê Văn An Bình")
    assert await _names(db) == ["le van an binh", "nguyen thi thu ha"]
    assert await _found(factory, w.admin, "nguyen thi thu ha") == (
        2,
        ["Nguyễn Thị Thu Hà", "nguyễn thị thu hà"],
    )
    # The district finds its own two, not the other district's.
    assert (await _found(factory, w.officer_a, "thi thu ha"))[0] == 2
    assert await _found(factory, w.officer_a, "le van an binh") == (0, [])

    r = await factory.client.patch(
        f"{API}/{ha['id']}",
        json={"full_name": "Trần Thị Thu Hà Mi"},
        headers={**w.officer_a, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert await _found(factory, w.admin, "tran thi thu ha mi") == (1, ["Trần Thị Thu Hà Mi"])
    # "thi thu ha" is in both names now; the old name still finds its other member.
    assert (await _found(factory, w.admin, "nguyen thi thu ha"))[0] == 1
    assert (await _found(factory, w.admin, "n thi thu ha"))[0] == 2
    # An edit that leaves the name alone adds nothing; the renamed one's new name is there.
    r = await factory.client.patch(
        f"{API}/{ha['id']}",
        json={"occupation": "Kỹ sư"},
        headers={**w.officer_a, "If-Match": '"2"'},
    )
    assert r.status_code == 200, r.text
    assert await _names(db) == ["le van an binh", "nguyen thi thu ha", "tran thi thu ha mi"]


async def test_check_reports_a_missing_name_and_rebuild_mends_it(
    factory: Factory, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", 0)
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Thị Thu Hà")
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Phạm Văn Đức Anh")
    assert await counts_rebuild.check(db) == []
    # A name no member bears is no drift (it finds nothing); a member's name missing is.
    await db.execute(text("INSERT INTO member_names VALUES ('tran van khong ai')"))
    assert await counts_rebuild.check(db) == []
    await db.execute(text("DELETE FROM member_names WHERE search_name = 'pham van duc anh'"))
    assert await _found(factory, w.admin, "pham van duc anh") == (0, [])
    drift = await counts_rebuild.check(db)
    assert [(d.table, d.rows) for d in drift] == [("member_names", 1)]
    # No name in the report: the names are personal data.
    assert "pham" not in " ".join(drift[0].sample)

    written = await counts_rebuild.rebuild(db)
    assert written["member_names"] == 2  # one added, one dropped
    assert await _names(db) == ["nguyen thi thu ha", "pham van duc anh"]
    assert await counts_rebuild.check(db) == []
    assert await _found(factory, w.admin, "pham van duc anh") == (1, ["Phạm Văn Đức Anh"])


async def test_the_name_keys_index_has_no_pending_list(db: AsyncSession) -> None:
    # A pending list would be read through by every full-name search until a vacuum merged
    # it, and this table's few inserts seldom bring one (migration a7c2e9f4b1d6).
    options = await db.scalar(
        text("SELECT reloptions FROM pg_class WHERE relname = 'ix_member_names_keys'")
    )
    assert options == ["fastupdate=off"]
