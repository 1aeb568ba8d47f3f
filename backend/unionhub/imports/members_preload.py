"""What the commit of a members import looks up once, before writing: the keys of the whole
file, and which of them the register holds now.

The validation checked every batch against the register with three queries; the commit
re-checks (the register may have changed since), but with one query per kind of key for the
whole file, so that its batches need the database only to write.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.imports.rows import Row, any_of
from unionhub.members.models import Member


@dataclass
class Keys:
    """The file's keys (rows with conversion errors left out: they are never written)."""

    ids: set[str] = field(default_factory=set)
    passports: set[str] = field(default_factory=set)
    cards: set[str] = field(default_factory=set)
    unions: set[str] = field(default_factory=set)
    employers: set[str] = field(default_factory=set)
    # Identity (personal ID, or passport number) of each row without a card number.
    uncarded: list[tuple[str | None, str | None]] = field(default_factory=list)

    def add(self, rows: list[Row]) -> None:
        for row in rows:
            if row.errors:
                continue
            v = row.values
            pid, passport, card = v["personal_id"], v["passport_no"], v["card_number"]
            if pid:
                self.ids.add(pid)
            elif passport:
                self.passports.add(passport)
            if card:
                self.cards.add(card)
            else:
                self.uncarded.append((pid, passport))
            if v["union_code"]:
                self.unions.add(v["union_code"])
            if v["enterprise_tax_code"]:
                self.employers.add(v["enterprise_tax_code"])

    def new_members_without_card(self, known: "Known") -> int:
        """Rows that will create a member and need a card number: those whose person is not
        on the register (a few of them may still fail a check; their numbers are skipped)."""
        return sum(
            1
            for pid, passport in self.uncarded
            if not (pid in known.ids if pid else passport in known.passports)
        )


@dataclass(frozen=True)
class Known:
    """The file's keys that are on the register (personal IDs and passports of members on the
    books, card numbers ever issued)."""

    ids: frozenset[str]
    passports: frozenset[str]
    cards: frozenset[str]


def gather(batches: Callable[[], Iterator[list[Row]]]) -> Keys:
    """Blocking (reads the rows again): call in a worker thread."""
    keys = Keys()
    for rows in batches():
        keys.add(rows)
    return keys


async def load_known(session: AsyncSession, keys: Keys) -> Known:
    on_books = Member.status != "struck_off"
    ids = select(Member.personal_id).where(any_of(Member.personal_id, keys.ids), on_books)
    passports = select(Member.passport_no).where(
        any_of(Member.passport_no, keys.passports), Member.personal_id.is_(None), on_books
    )
    cards = select(Member.card_number).where(any_of(Member.card_number, keys.cards))
    return Known(
        await _found(session, ids, keys.ids),
        await _found(session, passports, keys.passports),
        await _found(session, cards, keys.cards),
    )


async def _found(session: AsyncSession, stmt: Select[str | None], keys: set[str]) -> frozenset[str]:
    if not keys:
        return frozenset()
    return frozenset(v for v in (await session.execute(stmt)).scalars() if v)
