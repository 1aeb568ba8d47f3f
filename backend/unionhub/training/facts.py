"""The qualification facts (`models.QualificationFacts`) against the records they are derived
from. What a person's row must be is defined once, in the database: the view
`qualification_facts_expected` (migration b3f5a9c1d2e4), which the triggers on
`qualifications` copy for the people each statement touched (a members import writes its new
members' rows itself, imports.member_levels). `rebuild` copies it for everyone;
`check` compares (both run by `unionhub counts rebuild|check`)."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

TABLE = "qualification_facts"
COLUMNS = ("professional_on", "political_theory_on", "union_work_on")
_DIFF = (
    "SELECT coalesce(s.member_id, e.member_id)::text AS key, "
    + " || ' ' || ".join(f"coalesce(s.{c}::text, '-')" for c in COLUMNS)
    + " AS stored, "
    + " || ' ' || ".join(f"coalesce(e.{c}::text, '-')" for c in COLUMNS)
    + f" AS expected FROM {TABLE} s FULL JOIN {TABLE}_expected e ON e.member_id = s.member_id "
    "WHERE s.member_id IS NULL OR e.member_id IS NULL OR "
    + " OR ".join(f"s.{c} IS DISTINCT FROM e.{c}" for c in COLUMNS)
    + " ORDER BY 1"
)


async def rebuild(session: AsyncSession) -> int:
    """Recompute every person's facts; rows written. Qualification writes wait meanwhile
    (reads go on). The caller commits."""
    await session.execute(text("LOCK TABLE qualifications IN SHARE MODE"))
    await session.execute(text(f"DELETE FROM {TABLE}"))
    columns = ", ".join(("member_id", *COLUMNS))
    result = await session.execute(
        text(f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {TABLE}_expected")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def check(session: AsyncSession, sample: int = 20) -> tuple[int, list[str]]:
    """How many people's stored facts differ from their records (0: none), and a sample."""
    rows = (await session.execute(text(_DIFF))).all()
    return len(rows), [f"{r.key}: stored {r.stored}, expected {r.expected}" for r in rows[:sample]]
