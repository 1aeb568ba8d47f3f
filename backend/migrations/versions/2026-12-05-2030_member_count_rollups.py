"""member count rollups: the maintained per-day member deltas and flows also summed per month
and per year (`member_count_rollups`, `member_flow_rollups`), kept by the same triggers in the
same transaction, so a figure as of any day or over any period reads a bounded number of rows
per union (days of at most two partial months, months of at most two partial years, whole
years) instead of every day with a change (issue 12); indexes by day (and span) so a piece
of a period is one range over every union's rows

Revision ID: b7d41e2c9a05
Revises: a3d9e1f7c2b4
Create Date: 2026-12-05 20:30:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'b7d41e2c9a05'
down_revision: Union[str, Sequence[str], None] = 'a3d9e1f7c2b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUSES = "'active', 'suspended', 'left', 'struck_off', 'expelled', 'deceased'"
GENDERS = "'male', 'female'"
KINDS = (
    "'admitted', 'rejoined', 'transfer_in', 'transfer_out', 'suspended', 'resumed', 'left', "
    "'struck_off', 'expelled', 'deceased'"
)
SPANS = "'month', 'year'"

FUNCTIONS = """
-- The month and the year a day falls in, as the rollups key them.
CREATE FUNCTION count_span_starts(d date)
RETURNS TABLE (span text, start date)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'month', date_trunc('month', d::timestamp)::date
    UNION ALL
    SELECT 'year', date_trunc('year', d::timestamp)::date
$$;

CREATE OR REPLACE FUNCTION member_counts_apply(p_union uuid[], p_status text[], p_gender text[],
                                               p_day date[], p_delta int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_count_deltas AS t (union_id, status, gender, day, delta)
    SELECT * FROM unnest(p_union, p_status, p_gender, p_day, p_delta) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, status, gender, day) DO UPDATE SET delta = t.delta + excluded.delta;
    INSERT INTO member_count_rollups AS t (union_id, status, gender, span, start, delta)
    SELECT x.u, x.s, x.g, r.span, r.start, sum(x.d)
    FROM unnest(p_union, p_status, p_gender, p_day, p_delta) AS x(u, s, g, day, d),
         count_span_starts(x.day) r
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (union_id, status, gender, span, start)
    DO UPDATE SET delta = t.delta + excluded.delta;
    INSERT INTO member_count_totals AS t (union_id, status, gender, n)
    SELECT x.u, x.s, x.g, sum(x.d)
    FROM unnest(p_union, p_status, p_gender, p_delta) AS x(u, s, g, d)
    GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (union_id, status, gender) DO UPDATE SET n = t.n + excluded.n;
END $$;

CREATE OR REPLACE FUNCTION member_flows_apply(p_union uuid[], p_kind text[], p_gender text[],
                                              p_day date[], p_n int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_flow_counts AS t (union_id, kind, gender, day, n)
    SELECT * FROM unnest(p_union, p_kind, p_gender, p_day, p_n) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, kind, gender, day) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO member_flow_rollups AS t (union_id, kind, gender, span, start, n)
    SELECT x.u, x.k, x.g, r.span, r.start, sum(x.n)
    FROM unnest(p_union, p_kind, p_gender, p_day, p_n) AS x(u, k, g, day, n),
         count_span_starts(x.day) r
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (union_id, kind, gender, span, start) DO UPDATE SET n = t.n + excluded.n;
END $$;

-- A deleted member's counts, taken back through the same two functions (so the rollups
-- follow), while the member's gender can still be read.
CREATE OR REPLACE FUNCTION member_counts_on_member_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM member_counts_apply(array_agg(x.union_id), array_agg(x.status),
                                array_agg(x.gender), array_agg(x.day), array_agg(x.delta))
    FROM (SELECT d.union_id, d.status, OLD.gender AS gender, d.day, sum(d.delta)::int AS delta
          FROM membership_periods p,
               member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, -1) d
          WHERE p.member_id = OLD.id
          GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0) x
    HAVING count(*) > 0;
    PERFORM member_flows_apply(array_agg(x.union_id), array_agg(x.kind),
                               array_agg(x.gender), array_agg(x.day), array_agg(x.n))
    FROM (SELECT f.union_id, f.kind, OLD.gender AS gender, e.effective_date AS day,
                 -count(*)::int AS n
          FROM member_events e, member_event_flows(e.event_type, e.union_id, e.details) f
          WHERE e.member_id = OLD.id
          GROUP BY 1, 2, 3, 4) x
    HAVING count(*) > 0;
    RETURN OLD;
END $$;

CREATE OR REPLACE FUNCTION member_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'membership_periods' THEN
        TRUNCATE member_count_deltas, member_count_rollups, member_count_totals;
    ELSE
        TRUNCATE member_flow_counts, member_flow_rollups;
    END IF;
    RETURN NULL;
END $$;
"""

VIEWS = """
CREATE VIEW member_count_rollups_expected AS
SELECT e.union_id, e.status, e.gender, r.span, r.start, sum(e.delta)::int AS delta
FROM member_count_deltas_expected e, count_span_starts(e.day) r
GROUP BY 1, 2, 3, 4, 5 HAVING sum(e.delta) <> 0;

CREATE VIEW member_flow_rollups_expected AS
SELECT e.union_id, e.kind, e.gender, r.span, r.start, sum(e.n)::int AS n
FROM member_flow_counts_expected e, count_span_starts(e.day) r
GROUP BY 1, 2, 3, 4, 5;
"""

# From the per-day tables as they stand (the same sums the triggers keep from now on).
FILL = """
INSERT INTO member_count_rollups (union_id, status, gender, span, start, delta)
    SELECT d.union_id, d.status, d.gender, r.span, r.start, sum(d.delta)
    FROM member_count_deltas d, count_span_starts(d.day) r
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.delta) <> 0;
INSERT INTO member_flow_rollups (union_id, kind, gender, span, start, n)
    SELECT f.union_id, f.kind, f.gender, r.span, r.start, sum(f.n)
    FROM member_flow_counts f, count_span_starts(f.day) r
    GROUP BY 1, 2, 3, 4, 5;
ANALYZE member_count_rollups;
ANALYZE member_flow_rollups
"""

# The functions as the previous revision left them (downgrade).
PREVIOUS = """
CREATE OR REPLACE FUNCTION member_counts_apply(p_union uuid[], p_status text[], p_gender text[],
                                               p_day date[], p_delta int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_count_deltas AS t (union_id, status, gender, day, delta)
    SELECT * FROM unnest(p_union, p_status, p_gender, p_day, p_delta) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, status, gender, day) DO UPDATE SET delta = t.delta + excluded.delta;
    INSERT INTO member_count_totals AS t (union_id, status, gender, n)
    SELECT x.u, x.s, x.g, sum(x.d)
    FROM unnest(p_union, p_status, p_gender, p_delta) AS x(u, s, g, d)
    GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (union_id, status, gender) DO UPDATE SET n = t.n + excluded.n;
END $$;

CREATE OR REPLACE FUNCTION member_flows_apply(p_union uuid[], p_kind text[], p_gender text[],
                                              p_day date[], p_n int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_flow_counts AS t (union_id, kind, gender, day, n)
    SELECT * FROM unnest(p_union, p_kind, p_gender, p_day, p_n) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, kind, gender, day) DO UPDATE SET n = t.n + excluded.n;
END $$;

CREATE OR REPLACE FUNCTION member_counts_on_member_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_count_deltas AS t (union_id, status, gender, day, delta)
    SELECT d.union_id, d.status, OLD.gender, d.day, sum(d.delta)
    FROM membership_periods p,
         member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, -1) d
    WHERE p.member_id = OLD.id
    GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, status, gender, day) DO UPDATE SET delta = t.delta + excluded.delta;
    INSERT INTO member_count_totals AS t (union_id, status, gender, n)
    SELECT p.union_id, p.status, OLD.gender, -count(*)
    FROM membership_periods p WHERE p.member_id = OLD.id AND p.valid_to IS NULL
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (union_id, status, gender) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO member_flow_counts AS t (union_id, kind, gender, day, n)
    SELECT f.union_id, f.kind, OLD.gender, e.effective_date, -count(*)
    FROM member_events e, member_event_flows(e.event_type, e.union_id, e.details) f
    WHERE e.member_id = OLD.id
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, kind, gender, day) DO UPDATE SET n = t.n + excluded.n;
    RETURN OLD;
END $$;

CREATE OR REPLACE FUNCTION member_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'membership_periods' THEN
        TRUNCATE member_count_deltas, member_count_totals;
    ELSE
        TRUNCATE member_flow_counts;
    END IF;
    RETURN NULL;
END $$;
"""


# Every union's rows of a piece of a period (a span and a range of days) in one index range.
INDEXES = [
    ('ix_member_count_rollups_span_start', 'member_count_rollups', ['span', 'start']),
    ('ix_member_flow_rollups_kind_span_start', 'member_flow_rollups', ['kind', 'span', 'start']),
    ('ix_member_count_deltas_day', 'member_count_deltas', ['day']),
    ('ix_member_flow_counts_kind_day', 'member_flow_counts', ['kind', 'day']),
]


def _rollup_table(name: str, key: str, key_check: str, value: str) -> None:
    op.create_table(
        name,
        sa.Column('union_id', sa.Uuid(), nullable=False),
        sa.Column(key, sa.String(length=16), nullable=False),
        sa.Column('gender', sa.String(length=8), nullable=False),
        sa.Column('span', sa.String(length=8), nullable=False),
        sa.Column('start', sa.Date(), nullable=False),
        sa.Column(value, sa.Integer(), nullable=False),
        sa.CheckConstraint(f'{key} IN ({key_check})', name=op.f(f'ck_{name}_{key}')),
        sa.CheckConstraint(f'gender IN ({GENDERS})', name=op.f(f'ck_{name}_gender')),
        sa.CheckConstraint(f'span IN ({SPANS})', name=op.f(f'ck_{name}_span')),
        sa.ForeignKeyConstraint(
            ['union_id'], ['unions.id'], name=op.f(f'fk_{name}_union_id_unions'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'union_id', key, 'gender', 'span', 'start', name=op.f(f'pk_{name}')
        ),
    )


def _run(block: str, separator: str) -> None:
    # asyncpg runs one statement per call.
    for statement in block.split(separator):
        if statement.strip():
            op.execute(statement + ('$$' if separator == '$$;\n' else ''))


def upgrade() -> None:
    _rollup_table('member_count_rollups', 'status', STATUSES, 'delta')
    _rollup_table('member_flow_rollups', 'kind', KINDS, 'n')
    _run(FUNCTIONS, '$$;\n')
    _run(VIEWS, ';\n')
    _run(FILL, ';\n')
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    _run(PREVIOUS, '$$;\n')
    op.execute('DROP VIEW member_count_rollups_expected, member_flow_rollups_expected')
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.execute('DROP FUNCTION count_span_starts(date)')
    op.drop_table('member_flow_rollups')
    op.drop_table('member_count_rollups')
