"""A members import that carries education and political-theory levels (the register's former
single fields, still columns of the template) turns them into qualification records, as the
training migration did for the register: a record of that kind and level unless the person has
one already, then the member's fields set to the levels derived from all their records (the
highest counting one, not dated after today) - what `training.qualifications.sync_member` does
for one person, here for a batch in two statements (`write`, for updated members).

A member the import creates has no record yet, so the derived levels are the file's own (none
for "none") and the records follow from the row alone: `for_new_member` builds them in Python,
the batch COPYs them and writes the member's columns right the first time. (The two statements
had cost 10.7 s of database CPU for 100,000 new members at 1M, the UPDATE rewriting every row
just written and all eleven of its index entries; docs/benchmarks.md.)

Their qualification facts follow from the same rows (`training.models.QualificationFacts`:
an undated diploma of rank r is held from '-infinity' for ranks 1 to r), so the batch COPYs
them too and the insert trigger on `qualifications` skips that COPY (`facts_by_caller`,
migration c7e4a2f9b1d6): it would lock 5,000 new member rows per batch and aggregate the
records just written, to the same rows.

Runs on the import's asyncpg connection, inside its transaction (all-or-nothing).
"""

import functools
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from unionhub.core.ids import uuid7
from unionhub.training.models import (
    CONFIRMATION_CUTOFF,
    LEVELS,
    RANK_OVERRIDE,
    Evidence,
    QualificationKind,
    QualificationSource,
    rank,
    top_rank,
)

K = QualificationKind
GENERAL = ("primary", "lower_secondary", "upper_secondary")
NOTE = "Nhập từ tệp đoàn viên"

_RECORDS = f"""
INSERT INTO qualifications (id, member_id, kind, level, major, evidence, source, note, version)
SELECT gen_random_uuid(), n.member_id, n.kind, n.level, n.major,
       '{Evidence.DIPLOMA.value}', '{QualificationSource.MIGRATED.value}', '{NOTE}', 1
FROM (
    SELECT m.id AS member_id,
           CASE WHEN m.education_level IN {GENERAL!r} THEN '{K.GENERAL_EDUCATION.value}'
                ELSE '{K.PROFESSIONAL.value}' END AS kind,
           CASE WHEN m.education_level = 'vocational' THEN 'intermediate'
                ELSE m.education_level END AS level,
           CASE WHEN m.education_level IN {GENERAL!r} THEN NULL
                ELSE left(m.professional_qualification, 255) END AS major
    FROM members m
    WHERE m.id = ANY($1::uuid[]) AND m.education_level IS NOT NULL
      AND m.education_level <> 'none'
    UNION ALL
    SELECT m.id, '{K.POLITICAL_THEORY.value}', m.political_theory, NULL
    FROM members m
    WHERE m.id = ANY($1::uuid[]) AND m.political_theory IS NOT NULL
      AND m.political_theory <> 'none'
) n
WHERE NOT EXISTS (
    SELECT 1 FROM qualifications q
    WHERE q.member_id = n.member_id AND q.kind = n.kind AND q.level = n.level
)
"""


QUALIFICATION_COLUMNS = (
    "id",
    "member_id",
    "kind",
    "level",
    "major",
    "evidence",
    "source",
    "note",
    "version",
)


FACT_COLUMNS = ("member_id", "professional_on", "political_theory_on", "union_work_on")
# asyncpg writes date.min as '-infinity': an undated diploma is held on every day.
_ALWAYS = date.min


def held_from(kind: QualificationKind, level: str | None) -> list[date | None]:
    """`professional_on` / `political_theory_on` of a person whose only record of `kind` is an
    undated diploma of `level` (None: no record of the kind)."""
    reached = rank(kind.value, level) if level is not None else 0
    return [_ALWAYS if r <= reached else None for r in range(1, top_rank(kind) + 1)]


@functools.lru_cache(maxsize=64)
def _facts(professional: str | None, theory: str | None) -> tuple[Any, ...]:
    """The FACT_COLUMNS after the member id, per pair of levels (a few dozen pairs for
    100,000 members). Shared between rows: only read (by the COPY)."""
    return (held_from(K.PROFESSIONAL, professional), held_from(K.POLITICAL_THEORY, theory), [])


_DIPLOMA = Evidence.DIPLOMA.value
_MIGRATED = QualificationSource.MIGRATED.value
_GENERAL_EDUCATION = K.GENERAL_EDUCATION.value
_PROFESSIONAL = K.PROFESSIONAL.value
_POLITICAL_THEORY = K.POLITICAL_THEORY.value
_NO_LEVEL = (None, "none")


def records_of(row: Any) -> int:
    """How many qualification records for_new_member makes for a row (its ids are drawn
    first, all at once)."""
    v = row.values
    return (v["education_level"] not in _NO_LEVEL) + (v["political_theory"] not in _NO_LEVEL)


def for_new_member(
    member_id: uuid.UUID,
    education_level: str | None,
    professional_qualification: str | None,
    political_theory: str | None,
    records: list[tuple[Any, ...]],
    facts: list[tuple[Any, ...]],
    ids: Iterator[uuid.UUID] | None = None,
) -> tuple[str | None, str | None]:
    """The records `_RECORDS` would make for a member with no records yet (appended to
    `records`, QUALIFICATION_COLUMNS each, their ids from `ids` or else new), their
    qualification facts (appended to `facts`, FACT_COLUMNS, when a record counts for them:
    professional or political theory) and the levels `_SYNC` would then derive: the file's,
    with "none" as no level (a single record of a kind is that kind's best)."""
    education = None if education_level in _NO_LEVEL else education_level
    theory = None if political_theory in _NO_LEVEL else political_theory
    professional = None
    if education is not None:
        general = education in GENERAL
        if not general:
            professional = "intermediate" if education == "vocational" else education
        records.append(
            (
                next(ids) if ids is not None else uuid7(),
                member_id,
                _GENERAL_EDUCATION if general else _PROFESSIONAL,
                "intermediate" if education == "vocational" else education,
                None if general else professional_qualification,
                _DIPLOMA,
                _MIGRATED,
                NOTE,
                1,
            )
        )
    if theory is not None:
        records.append(
            (
                next(ids) if ids is not None else uuid7(),
                member_id,
                _POLITICAL_THEORY,
                theory,
                None,
                _DIPLOMA,
                _MIGRATED,
                NOTE,
                1,
            )
        )
    if professional is not None or theory is not None:
        facts.append((member_id, *_facts(professional, theory)))
    return education, theory


def _rank(kind: QualificationKind) -> str:
    whens = " ".join(
        f"WHEN '{lv}' THEN {RANK_OVERRIDE.get((kind, lv), i)}"
        for i, lv in enumerate(LEVELS[kind], start=1)
    )
    return f"CASE q.level {whens} ELSE 0 END"


def _best(kind: QualificationKind) -> str:
    return f"""(
        SELECT q.level FROM qualifications q
        WHERE q.member_id = m.id AND q.kind = '{kind.value}'
          AND (q.evidence = '{Evidence.DIPLOMA.value}'
               OR (q.issued_on IS NOT NULL AND q.issued_on < DATE '{CONFIRMATION_CUTOFF}'))
          AND (q.issued_on IS NULL OR q.issued_on <= current_date)
        ORDER BY {_rank(kind)} DESC, q.issued_on NULLS LAST
        LIMIT 1)"""


_SYNC = f"""
UPDATE members m
SET education_level = COALESCE(
        CASE {_best(K.PROFESSIONAL)} WHEN 'intermediate' THEN 'vocational'
             ELSE {_best(K.PROFESSIONAL)} END,
        {_best(K.GENERAL_EDUCATION)}),
    political_theory = {_best(K.POLITICAL_THEORY)}
WHERE m.id = ANY($1::uuid[])
"""


async def write(conn: Any, member_ids: list[Any]) -> None:
    """Records from the imported levels of `member_ids` (members already on the register),
    then their derived fields."""
    if not member_ids:
        return
    await conn.execute(_RECORDS, member_ids)
    await conn.execute(_SYNC, member_ids)
