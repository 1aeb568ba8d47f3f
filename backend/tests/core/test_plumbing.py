"""The shared plumbing every list and edit uses: paginate(), check_version(), LIKE patterns."""

import pytest
from sqlalchemy import bindparam, literal_column, select
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.unions.helpers import build_tree
from unionhub.core.db import fetch_driver, row_reader
from unionhub.core.errors import PreconditionFailed
from unionhub.core.etag import check_version
from unionhub.core.pagination import PageParams, paginate
from unionhub.core.text import contains, starts_with
from unionhub.unions.models import Union


async def test_paginate_pages_through_an_ordered_query(factory: Factory, db: AsyncSession) -> None:
    t = await build_tree(factory)
    subtree = [t.district_a, t.grassroots_a, t.grassroots_a2, t.group_a]
    stmt = select(Union.code, Union.id).where(Union.id.in_([u.id for u in subtree]))
    stmt = stmt.order_by(Union.code, Union.id)
    expected = sorted(
        [t.district_a.code, t.grassroots_a.code, t.grassroots_a2.code, t.group_a.code]
    )

    seen: list[str] = []
    for number in (1, 2, 3):
        page = await paginate(
            db, stmt, PageParams(page=number, size=3), lambda rows: [r[0] for r in rows]
        )
        assert (page.total, page.page, page.size, page.pages) == (4, number, 3, 2)
        seen += page.items
    assert seen == expected  # the third page is past the end: empty, same total


async def test_paginate_awaits_an_async_item_builder(factory: Factory, db: AsyncSession) -> None:
    t = await build_tree(factory)

    async def names(rows: list[object]) -> list[str]:
        ids = [r[0] for r in rows]  # type: ignore[index]
        return list((await db.scalars(select(Union.name).where(Union.id.in_(ids)))).all())

    stmt = select(Union.id).where(Union.id == t.province.id).order_by(Union.id)
    page = await paginate(db, stmt, PageParams(page=1, size=20), names)
    assert page.items == [t.province.name] and page.total == 1 and page.pages == 1


async def test_paginate_with_nothing_matching(db: AsyncSession) -> None:
    stmt = select(Union.id).where(Union.code == "NO-SUCH").order_by(Union.id)
    page = await paginate(db, stmt, PageParams(page=1, size=20), lambda rows: list(rows))
    assert (page.items, page.total, page.pages) == ([], 0, 0)


class _Row:
    version = 3


def test_check_version() -> None:
    check_version(_Row(), None)  # no If-Match: no check
    check_version(_Row(), 3)
    with pytest.raises(PreconditionFailed) as caught:
        check_version(_Row(), 2, "member")
    error = caught.value
    assert error.status == 412 and error.code == "version_mismatch"
    assert error.extra == {"current_version": 3}
    assert error.detail is not None and "member" in error.detail


@pytest.mark.parametrize(
    ("value", "inside", "prefix"),
    [
        ("50%", "%50\\%%", "50\\%%"),
        ("a_b", "%a\\_b%", "a\\_b%"),
        ("c:\\x", "%c:\\\\x%", "c:\\\\x%"),
        ("cai be", "%cai be%", "cai be%"),
    ],
)
def test_like_patterns_match_literally(value: str, inside: str, prefix: str) -> None:
    assert contains(value) == inside and starts_with(value) == prefix


async def test_like_patterns_in_postgresql(db: AsyncSession) -> None:
    from sqlalchemy import literal

    for text, pattern, expected in [
        ("giảm 50% phí", contains("50%"), True),
        ("giảm 500 phí", contains("50%"), False),
        ("a_b", starts_with("a_"), True),
        ("axb", starts_with("a_"), False),
        ("c:\\x", contains("\\"), True),
    ]:
        assert await db.scalar(select(literal(text).like(pattern))) is expected, (text, pattern)


async def test_row_reader_reads_the_same_values_by_position_as_by_name(db: AsyncSession) -> None:
    # A page is read field by field in another order than its statement's columns: records
    # from the driver are read by position (the names looked up once), mappings by name.
    stmt = select(
        literal_column("'a'").label("first"),
        literal_column("2").label("second"),
        literal_column("NULL::text").label("third"),
    ).where(sql_text("true"))
    records = await fetch_driver(db, stmt, {})
    mappings = list(
        (
            await db.execute(
                select(stmt.subquery()).where(
                    literal_column("second").in_(bindparam("n", expanding=True))
                ),
                {"n": [2]},
            )
        ).mappings()
    )
    assert type(records[0]).__name__ == "Record"
    for rows in (records, mappings):
        read = row_reader(rows, ["third", "first", "second", "first"])
        assert [read(r) for r in rows] == [(None, "a", 2, "a")]
