"""maintained member counts: per-union, per-day deltas of members by status and gender, the
current totals, and the flows (admissions, rejoins, transfers, exits, suspensions), kept by
triggers on the register's tables in the same transaction as each change (docs/adr/0009);
jit off for the database

Revision ID: e6c931c550fc
Revises: 5516fffb3327
Create Date: 2026-12-05 10:50:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'e6c931c550fc'
down_revision: Union[str, Sequence[str], None] = '5516fffb3327'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUSES = "'active', 'suspended', 'left', 'struck_off', 'expelled', 'deceased'"
GENDERS = "'male', 'female'"
KINDS = (
    "'admitted', 'rejoined', 'transfer_in', 'transfer_out', 'suspended', 'resumed', 'left', "
    "'struck_off', 'expelled', 'deceased'"
)

# One definition of what a row adds to the counts, used by the triggers and by the views the
# rebuild and the check read ("expected" = recomputed from the register).
FUNCTIONS = """
CREATE FUNCTION member_period_deltas(p_union uuid, p_status text, p_from date, p_to date,
                                     p_sign int)
RETURNS TABLE (union_id uuid, status text, day date, delta int)
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_union, p_status, p_from, p_sign
    UNION ALL
    SELECT p_union, p_status, p_to, -p_sign WHERE p_to IS NOT NULL
$$;

CREATE FUNCTION member_event_flows(e_type text, e_union uuid, e_details jsonb)
RETURNS TABLE (union_id uuid, kind text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT e_union, CASE e_type WHEN 'transferred' THEN 'transfer_in' ELSE e_type END
    WHERE e_type IN ('admitted', 'rejoined', 'transferred', 'suspended', 'resumed', 'left',
                     'struck_off', 'expelled', 'deceased')
    UNION ALL
    SELECT (e_details->>'from_union_id')::uuid, 'transfer_out'
    WHERE e_type = 'transferred' AND e_details ? 'from_union_id'
$$;

-- Rows come aggregated by key; sorted, so two writers lock the rows in the same order.
-- PL/pgSQL, not SQL: its statements' plans are cached for the session (a SQL function's are
-- planned on every call, which a trigger per deleted member would pay each time).
CREATE FUNCTION member_counts_apply(p_union uuid[], p_status text[], p_gender text[],
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

CREATE FUNCTION member_flows_apply(p_union uuid[], p_kind text[], p_gender text[],
                                   p_day date[], p_n int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_flow_counts AS t (union_id, kind, gender, day, n)
    SELECT * FROM unnest(p_union, p_kind, p_gender, p_day, p_n) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, kind, gender, day) DO UPDATE SET n = t.n + excluded.n;
END $$;

-- Statement-level: an import's COPY of 10,000 periods is one aggregated upsert, not 10,000.
CREATE FUNCTION member_counts_on_periods() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM member_counts_apply(array_agg(x.union_id), array_agg(x.status),
                                    array_agg(x.gender), array_agg(x.day), array_agg(x.delta))
        FROM (SELECT d.union_id, d.status, m.gender, d.day, sum(d.delta)::int AS delta
              FROM new_rows p JOIN members m ON m.id = p.member_id,
                   member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, 1) d
              GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0) x
        HAVING count(*) > 0;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM member_counts_apply(array_agg(x.union_id), array_agg(x.status),
                                    array_agg(x.gender), array_agg(x.day), array_agg(x.delta))
        FROM (SELECT d.union_id, d.status, m.gender, d.day, sum(d.delta)::int AS delta
              FROM old_rows p JOIN members m ON m.id = p.member_id,
                   member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, -1) d
              GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0) x
        HAVING count(*) > 0;
    ELSE
        PERFORM member_counts_apply(array_agg(x.union_id), array_agg(x.status),
                                    array_agg(x.gender), array_agg(x.day), array_agg(x.delta))
        FROM (SELECT d.union_id, d.status, m.gender, d.day, sum(d.delta)::int AS delta
              FROM (SELECT o.*, -1 AS sign FROM old_rows o
                    UNION ALL SELECT n.*, 1 FROM new_rows n) p
                   JOIN members m ON m.id = p.member_id,
                   member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to,
                                        p.sign) d
              GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0) x
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION member_counts_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM member_flows_apply(array_agg(x.union_id), array_agg(x.kind),
                                   array_agg(x.gender), array_agg(x.day), array_agg(x.n))
        FROM (SELECT f.union_id, f.kind, m.gender, e.effective_date AS day, count(*)::int AS n
              FROM new_rows e JOIN members m ON m.id = e.member_id,
                   member_event_flows(e.event_type, e.union_id, e.details) f
              GROUP BY 1, 2, 3, 4) x
        HAVING count(*) > 0;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM member_flows_apply(array_agg(x.union_id), array_agg(x.kind),
                                   array_agg(x.gender), array_agg(x.day), array_agg(x.n))
        FROM (SELECT f.union_id, f.kind, m.gender, e.effective_date AS day, -count(*)::int AS n
              FROM old_rows e JOIN members m ON m.id = e.member_id,
                   member_event_flows(e.event_type, e.union_id, e.details) f
              GROUP BY 1, 2, 3, 4) x
        HAVING count(*) > 0;
    ELSE
        PERFORM member_flows_apply(array_agg(x.union_id), array_agg(x.kind),
                                   array_agg(x.gender), array_agg(x.day), array_agg(x.n))
        FROM (SELECT f.union_id, f.kind, m.gender, e.effective_date AS day,
                     sum(e.sign)::int AS n
              FROM (SELECT o.*, -1 AS sign FROM old_rows o
                    UNION ALL SELECT n.*, 1 FROM new_rows n) e
                   JOIN members m ON m.id = e.member_id,
                   member_event_flows(e.event_type, e.union_id, e.details) f
              GROUP BY 1, 2, 3, 4 HAVING sum(e.sign) <> 0) x
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

-- A member's gender is a dimension of every count of theirs: move them all.
CREATE FUNCTION member_counts_on_gender() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM member_counts_apply(array_agg(x.union_id), array_agg(x.status),
                                array_agg(x.gender), array_agg(x.day), array_agg(x.delta))
    FROM (SELECT d.union_id, d.status, g.gender, d.day, sum(d.delta * g.sign)::int AS delta
          FROM membership_periods p,
               member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, 1) d,
               (VALUES (OLD.gender, -1), (NEW.gender, 1)) AS g(gender, sign)
          WHERE p.member_id = NEW.id
          GROUP BY 1, 2, 3, 4 HAVING sum(d.delta * g.sign) <> 0) x
    HAVING count(*) > 0;
    PERFORM member_flows_apply(array_agg(x.union_id), array_agg(x.kind),
                               array_agg(x.gender), array_agg(x.day), array_agg(x.n))
    FROM (SELECT f.union_id, f.kind, g.gender, e.effective_date AS day, sum(g.sign)::int AS n
          FROM member_events e,
               member_event_flows(e.event_type, e.union_id, e.details) f,
               (VALUES (OLD.gender, -1), (NEW.gender, 1)) AS g(gender, sign)
          WHERE e.member_id = NEW.id
          GROUP BY 1, 2, 3, 4) x
    HAVING count(*) > 0;
    RETURN NULL;
END $$;

-- A deleted member's counts are taken back here, while the member's gender can still be read:
-- the ON DELETE CASCADE that removes their periods and events runs after the member row is
-- gone, and the triggers on those tables then find no member and add nothing. Set-based (one
-- upsert per member), so deleting many members costs no statement per period.
CREATE FUNCTION member_counts_on_member_delete() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE FUNCTION member_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'membership_periods' THEN
        TRUNCATE member_count_deltas, member_count_totals;
    ELSE
        TRUNCATE member_flow_counts;
    END IF;
    RETURN NULL;
END $$;
"""

# (trigger, event, table, transition tables, function)
_TABLE_TRIGGERS = [
    (f'member_counts_{short}_{event.lower()}', event, table, refs, function)
    for short, table, function in (
        ('periods', 'membership_periods', 'member_counts_on_periods'),
        ('events', 'member_events', 'member_counts_on_events'),
    )
    for event, refs in (
        ('INSERT', 'NEW TABLE AS new_rows'),
        ('UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'),
        ('DELETE', 'OLD TABLE AS old_rows'),
        ('TRUNCATE', ''),
    )
]
TRIGGERS = "".join(
    f"CREATE TRIGGER {name} AFTER {event} ON {table} "
    f"{'REFERENCING ' + refs if refs else ''} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION "
    f"{'member_counts_on_truncate' if event == 'TRUNCATE' else function}();\n"
    for name, event, table, refs, function in _TABLE_TRIGGERS
) + """
CREATE TRIGGER member_counts_gender AFTER UPDATE OF gender ON members
    FOR EACH ROW WHEN (OLD.gender IS DISTINCT FROM NEW.gender)
    EXECUTE FUNCTION member_counts_on_gender();
CREATE TRIGGER member_counts_member_delete BEFORE DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION member_counts_on_member_delete();
"""

# What the counts must be, recomputed from the register: `unionhub counts rebuild` copies
# them, `unionhub counts check` compares.
VIEWS = """
CREATE VIEW member_count_deltas_expected AS
SELECT d.union_id, d.status, m.gender, d.day, sum(d.delta)::int AS delta
FROM membership_periods p JOIN members m ON m.id = p.member_id,
     member_period_deltas(p.union_id, p.status, p.valid_from, p.valid_to, 1) d
GROUP BY 1, 2, 3, 4 HAVING sum(d.delta) <> 0;

CREATE VIEW member_count_totals_expected AS
SELECT p.union_id, p.status, m.gender, count(*)::int AS n
FROM membership_periods p JOIN members m ON m.id = p.member_id
WHERE p.valid_to IS NULL
GROUP BY 1, 2, 3;

CREATE VIEW member_flow_counts_expected AS
SELECT f.union_id, f.kind, m.gender, e.effective_date AS day, count(*)::int AS n
FROM member_events e JOIN members m ON m.id = e.member_id,
     member_event_flows(e.event_type, e.union_id, e.details) f
GROUP BY 1, 2, 3, 4;
"""

FILL = """
INSERT INTO member_count_deltas (union_id, status, gender, day, delta)
    SELECT union_id, status, gender, day, delta FROM member_count_deltas_expected;
INSERT INTO member_count_totals (union_id, status, gender, n)
    SELECT union_id, status, gender, n FROM member_count_totals_expected;
INSERT INTO member_flow_counts (union_id, kind, gender, day, n)
    SELECT union_id, kind, gender, day, n FROM member_flow_counts_expected;
"""


def _counts_table(name: str, key: str, key_check: str, value: str) -> None:
    op.create_table(
        name,
        sa.Column('union_id', sa.Uuid(), nullable=False),
        sa.Column(key, sa.String(length=16), nullable=False),
        sa.Column('gender', sa.String(length=8), nullable=False),
        *([sa.Column('day', sa.Date(), nullable=False)] if name != 'member_count_totals' else []),
        sa.Column(value, sa.Integer(), nullable=False),
        sa.CheckConstraint(f'{key} IN ({key_check})', name=op.f(f'ck_{name}_{key}')),
        sa.CheckConstraint(f'gender IN ({GENDERS})', name=op.f(f'ck_{name}_gender')),
        sa.ForeignKeyConstraint(
            ['union_id'], ['unions.id'], name=op.f(f'fk_{name}_union_id_unions'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint(
            'union_id', key, 'gender', *(['day'] if name != 'member_count_totals' else []),
            name=op.f(f'pk_{name}'),
        ),
    )


def upgrade() -> None:
    _counts_table('member_count_deltas', 'status', STATUSES, 'delta')
    _counts_table('member_count_totals', 'status', STATUSES, 'n')
    _counts_table('member_flow_counts', 'kind', KINDS, 'n')
    # asyncpg runs one statement per call.
    for function in FUNCTIONS.split('$$;\n'):
        if function.strip():
            op.execute(function + '$$')
    for block in (VIEWS, FILL, TRIGGERS):
        for statement in block.split(';\n'):
            if statement.strip():
                op.execute(statement)
    # JIT compiles a plan's expressions when its estimated cost is high: ~200 ms on the
    # overview's statements, for queries that run in a few milliseconds (issue 9).
    op.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); "
        "END $$"
    )


def downgrade() -> None:
    op.execute(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET jit', current_database()); "
        "END $$"
    )
    for trigger, table in (
        *((name, table) for name, _, table, _, _ in _TABLE_TRIGGERS),
        ('member_counts_gender', 'members'),
        ('member_counts_member_delete', 'members'),
    ):
        op.execute(f'DROP TRIGGER {trigger} ON {table}')
    op.execute(
        'DROP VIEW member_count_deltas_expected, member_count_totals_expected, '
        'member_flow_counts_expected'
    )
    op.execute(
        'DROP FUNCTION member_counts_on_truncate(), member_counts_on_member_delete(), '
        'member_counts_on_gender(), member_counts_on_events(), member_counts_on_periods(), '
        'member_flows_apply(uuid[], text[], text[], date[], int[]), '
        'member_counts_apply(uuid[], text[], text[], date[], int[]), '
        'member_event_flows(text, uuid, jsonb), '
        'member_period_deltas(uuid, text, date, date, int)'
    )
    op.drop_table('member_flow_counts')
    op.drop_table('member_count_totals')
    op.drop_table('member_count_deltas')
