"""`member_name_lexemes`, the expression of the name-words index a name search reads: the words
of an accent-free name and each word reversed behind '~' (members.search)."""

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


def expected(name: str) -> str | None:
    words = {w for w in name.split(" ") if w}
    if not words:
        return None
    lexemes = sorted(words | {"~" + w[::-1] for w in words})
    return " ".join(f"'{w}'" for w in lexemes)


@pytest.mark.parametrize(
    "name",
    [
        "nguyen van an",
        "nguyen van an an",
        " le  thi   cuc ",
        "an",
        "",
        "   ",
        "~",
        "a ~ b",
        "x~ ~~",
    ],
)
async def test_the_words_and_the_reversed_words_of_a_name(db: AsyncSession, name: str) -> None:
    got = await db.scalar(text("SELECT member_name_lexemes(:n)::text"), {"n": name})
    assert got == expected(name)


async def test_no_name_no_words(db: AsyncSession) -> None:
    assert await db.scalar(text("SELECT member_name_lexemes(NULL)")) is None
