"""qualification facts: per person, the first day each professional and political-theory
rank was held and the days of union-work training, kept by triggers on qualifications in the
same transaction as every change (issue 11: the cadre indicators compare dates instead of
reading every record of every cadre on each request)

Revision ID: b3f5a9c1d2e4
Revises: 8d2f6a4c1e93
Create Date: 2026-12-05 23:40:00.000000+00:00

A record counts when it is a diploma, or a confirmation issued before 2021-07-09; an undated
diploma is held on every day ('-infinity'). `professional_on[r]` is the first day a counting
professional record of rank r or above is held (ranks: intermediate 1 ... doctorate 5), likewise
`political_theory_on` (so cap 1, trung cap 2, cao cap and cu nhan 3); `union_work_on` the days
counting union-work records were issued (undated ones never count towards a term). What a row
must be is defined once, in the view `qualification_facts_expected`: the trigger copies it for
the people a statement touched, the backfill for everyone, the check compares.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = 'b3f5a9c1d2e4'
down_revision: Union[str, Sequence[str], None] = '8d2f6a4c1e93'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The ranks of training.models.rank, frozen here (a test compares them with the models').
RANKS = {
    'general_education': ('primary', 'lower_secondary', 'upper_secondary'),
    'professional': ('intermediate', 'college', 'university', 'master', 'doctorate'),
    'political_theory': ('so_cap', 'trung_cap', 'cao_cap', 'cu_nhan'),
    'union_work': ('basic', 'advanced', 'university'),
    'state_management': ('officer', 'principal_officer', 'senior_officer'),
    'foreign_language': ('a1', 'a2', 'b1', 'b2', 'c1', 'c2'),
    'it': ('basic', 'advanced'),
}
OVERRIDE = {('political_theory', 'cu_nhan'): 3}
_WHENS = ' '.join(
    f"WHEN p_kind = '{kind}' AND p_level = '{level}' THEN {OVERRIDE.get((kind, level), i)}"
    for kind, levels in RANKS.items()
    for i, level in enumerate(levels, start=1)
)


def _reached(kind: str, top: int) -> str:
    return 'ARRAY[' + ', '.join(
        f"min(q.held_from) FILTER (WHERE q.kind = '{kind}' AND q.rank >= {r})"
        for r in range(1, top + 1)
    ) + ']::date[]'


FUNCTIONS = [
    f"""
CREATE FUNCTION qualification_rank(p_kind text, p_level text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE {_WHENS} ELSE 0 END
$$""",
    f"""
CREATE VIEW qualification_facts_expected AS
SELECT q.member_id,
       {_reached('professional', 5)} AS professional_on,
       {_reached('political_theory', 3)} AS political_theory_on,
       coalesce(range_agg(daterange(q.issued_on, q.issued_on, '[]'))
                    FILTER (WHERE q.kind = 'union_work' AND q.issued_on IS NOT NULL),
                '{{}}'::datemultirange) AS union_work_on
FROM (SELECT member_id, kind, issued_on,
             coalesce(issued_on, '-infinity'::date) AS held_from,
             qualification_rank(kind, level) AS rank
      FROM qualifications
      WHERE kind IN ('professional', 'political_theory', 'union_work')
        AND (evidence = 'diploma' OR issued_on < DATE '2021-07-09')) q
GROUP BY q.member_id""",
    # The people whose records a statement changed, recomputed from their records. Their member
    # rows are locked first, so two writers of one person's records take turns and the later one
    # recomputes after the earlier has committed (each statement below sees what was committed
    # when it starts).
    """
CREATE FUNCTION qualification_facts_refresh(p_members uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(p_members) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM members WHERE id = ANY (p_members) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM qualification_facts WHERE member_id = ANY (p_members);
    INSERT INTO qualification_facts (member_id, professional_on, political_theory_on,
                                     union_work_on)
    SELECT member_id, professional_on, political_theory_on, union_work_on
    FROM qualification_facts_expected WHERE member_id = ANY (p_members)
    ORDER BY member_id;
END $$""",
    # Statement-level: an import's batch of records is one recomputation, not one per row.
    """
CREATE FUNCTION qualification_facts_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM qualification_facts_refresh(ARRAY(
            SELECT DISTINCT member_id FROM new_rows
            WHERE kind IN ('professional', 'political_theory', 'union_work')));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM qualification_facts_refresh(ARRAY(
            SELECT DISTINCT member_id FROM old_rows
            WHERE kind IN ('professional', 'political_theory', 'union_work')));
    ELSE
        PERFORM qualification_facts_refresh(ARRAY(
            SELECT member_id FROM old_rows
            WHERE kind IN ('professional', 'political_theory', 'union_work')
            UNION
            SELECT member_id FROM new_rows
            WHERE kind IN ('professional', 'political_theory', 'union_work')));
    END IF;
    RETURN NULL;
END $$""",
    """
CREATE FUNCTION qualification_facts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE qualification_facts;
    RETURN NULL;
END $$""",
]

TRIGGERS = [
    (f'qualification_facts_{event.lower()}', event, refs)
    for event, refs in (
        ('INSERT', 'REFERENCING NEW TABLE AS new_rows'),
        ('UPDATE', 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'),
        ('DELETE', 'REFERENCING OLD TABLE AS old_rows'),
        ('TRUNCATE', ''),
    )
]


def upgrade() -> None:
    op.create_table(
        'qualification_facts',
        sa.Column('member_id', sa.Uuid(), nullable=False),
        sa.Column('professional_on', postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column('political_theory_on', postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column('union_work_on', postgresql.DATEMULTIRANGE(), nullable=False),
        sa.ForeignKeyConstraint(
            ['member_id'], ['members.id'],
            name=op.f('fk_qualification_facts_member_id_members'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_qualification_facts')),
    )
    for statement in FUNCTIONS:
        op.execute(statement)
    op.execute(
        'INSERT INTO qualification_facts '
        '(member_id, professional_on, political_theory_on, union_work_on) '
        'SELECT member_id, professional_on, political_theory_on, union_work_on '
        'FROM qualification_facts_expected'
    )
    for name, event, refs in TRIGGERS:
        function = (
            'qualification_facts_on_truncate' if event == 'TRUNCATE'
            else 'qualification_facts_on_change'
        )
        op.execute(
            f'CREATE TRIGGER {name} AFTER {event} ON qualifications {refs} '
            f'FOR EACH STATEMENT EXECUTE FUNCTION {function}()'
        )
    op.execute('ANALYZE qualification_facts')


def downgrade() -> None:
    for name, _, _ in TRIGGERS:
        op.execute(f'DROP TRIGGER {name} ON qualifications')
    op.execute(
        'DROP FUNCTION qualification_facts_on_truncate(), qualification_facts_on_change(), '
        'qualification_facts_refresh(uuid[])'
    )
    op.execute('DROP VIEW qualification_facts_expected')
    op.execute('DROP FUNCTION qualification_rank(text, text)')
    op.drop_table('qualification_facts')
