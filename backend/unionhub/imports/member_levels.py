"""A members import that carries education and political-theory levels (the register's former
single fields, still columns of the template) turns them into qualification records, as the
training migration did for the register: a record of that kind and level unless the person has
one already, then the member's fields set to the levels derived from all their records (the
highest counting one, not dated after today) - what `training.qualifications.sync_member` does
for one person, here for a batch in two statements.

Runs on the import's asyncpg connection, inside its transaction (all-or-nothing).
"""

from typing import Any

from unionhub.training.models import (
    CONFIRMATION_CUTOFF,
    LEVELS,
    RANK_OVERRIDE,
    Evidence,
    QualificationKind,
    QualificationSource,
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
    """Records from the imported levels of `member_ids`, then their derived fields."""
    if not member_ids:
        return
    await conn.execute(_RECORDS, member_ids)
    await conn.execute(_SYNC, member_ids)
