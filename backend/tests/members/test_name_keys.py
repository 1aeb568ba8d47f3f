"""`member_name_keys`, the expression of the name-keys index a full-name search reads: for each
pair of adjacent words '>a p' (prefixes of the second) and '<b s' (prefixes of the first
reversed), up to `search.KEY_PREFIX` letters (members.search)."""

from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.members.search import KEY_PREFIX


def expected(name: str) -> str | None:
    words = name.split(" ")
    keys: set[str] = set()
    for a, b in pairwise(words):
        if not a or not b:
            continue
        keys |= {f">{a} {b[:j]}" for j in range(1, min(len(b), KEY_PREFIX) + 1)}
        keys |= {f"<{b} {a[::-1][:j]}" for j in range(1, min(len(a), KEY_PREFIX) + 1)}
    if not keys:
        return None
    return " ".join("'" + k.replace("'", "''") + "'" for k in sorted(keys))


@pytest.mark.parametrize(
    "name",
    ["nguyen thi thu ha", "nguyen van an an", "le  thi cuc ", "an", "", "o'neil a b", "a ~ b"],
)
async def test_the_keys_of_adjacent_word_pairs(db: AsyncSession, name: str) -> None:
    got = await db.scalar(text("SELECT member_name_keys(:n)::text"), {"n": name})
    assert got == expected(name)


async def test_no_name_no_keys(db: AsyncSession) -> None:
    assert await db.scalar(text("SELECT member_name_keys(NULL)")) is None
