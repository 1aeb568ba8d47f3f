"""member_subtree_totals, member_subtree_flows: the maintained counts summed over each union's
whole subtree, kept by the same functions in the same transaction, written by appending
(docs/adr/0020)

Revision ID: d7e3a1f9c5b2
Revises: c3e9a5d7f2b4
Create Date: 2026-12-07 23:00:00.000000+00:00

A row is a part of a sum: the figure of a union's subtree for a key is the sum of its rows.
Writers only append (no row is updated, so no writer waits for another's row: an admission
anywhere in the province changes the province's figures), and a periodic job folds each key's
rows into one (`member_subtree_fold`).

The tree is read by the writers: `member_counts_apply` and `member_flows_apply` add each
changed union's counts to every union above it (the union included) by the paths of the
moment. A change of paths (`scope.repath_subtree`) adds, in the same statement's trigger, what
each union whose ancestors changed gave before (taken back) and gives now, from the unions'
own counts. The two are kept apart by one advisory lock: writers take it shared, a change of
paths exclusive, both until their transaction ends, and each reads the tree after taking it.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "d7e3a1f9c5b2"
down_revision: Union[str, Sequence[str], None] = "c3e9a5d7f2b4"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

STATUSES = "'active', 'suspended', 'left', 'struck_off', 'expelled', 'deceased'"
GENDERS = "'male', 'female'"
KINDS = (
    "'admitted', 'rejoined', 'transfer_in', 'transfer_out', 'suspended', 'resumed', 'left', "
    "'struck_off', 'expelled', 'deceased'"
)
# The advisory lock between the writers of counts (shared) and a change of the tree
# (exclusive): one key for the whole tree (unionhub.members.subtree.LOCK_KEY says the same).
LOCK = "7262531020"

# The per-union counts' statements, as migration 2030 (member_count_rollups) left them: kept
# in both versions of each function.
COUNTS = """\
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
"""
FLOWS = """\
    INSERT INTO member_flow_counts AS t (union_id, kind, gender, day, n)
    SELECT * FROM unnest(p_union, p_kind, p_gender, p_day, p_n) ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, kind, gender, day) DO UPDATE SET n = t.n + excluded.n;
    INSERT INTO member_flow_rollups AS t (union_id, kind, gender, span, start, n)
    SELECT x.u, x.k, x.g, r.span, r.start, sum(x.n)
    FROM unnest(p_union, p_kind, p_gender, p_day, p_n) AS x(u, k, g, day, n),
         count_span_starts(x.day) r
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (union_id, kind, gender, span, start) DO UPDATE SET n = t.n + excluded.n;
"""

FUNCTIONS = f"""
-- Taken by every writer of counts before it reads the tree: a change of paths (exclusive)
-- waits for the writers under way, and the writers that come after it wait for its end, then
-- read the tree it left. READ COMMITTED only: a writer's next statement must see that tree.
CREATE FUNCTION member_subtree_lock_shared() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'feature_not_supported',
            MESSAGE = 'the member counts are written in READ COMMITTED only',
            HINT = 'Each union''s subtree sums read the tree of the statement (docs/adr/0020).';
    END IF;
    PERFORM pg_advisory_xact_lock_shared({LOCK});
END $$;

CREATE OR REPLACE FUNCTION member_counts_apply(p_union uuid[], p_status text[], p_gender text[],
                                               p_day date[], p_delta int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- First: a change of paths that waits for this writer holds no lock it waits for here.
    PERFORM member_subtree_lock_shared();
{COUNTS}    INSERT INTO member_subtree_totals (union_id, status, gender, n)
    SELECT a.id, x.s, x.g, sum(x.d)
    FROM unnest(p_union, p_status, p_gender, p_delta) AS x(u, s, g, d)
    JOIN unions u ON u.id = x.u
    JOIN unions a ON a.path @> u.path
    GROUP BY 1, 2, 3 HAVING sum(x.d) <> 0;
END $$;

CREATE OR REPLACE FUNCTION member_flows_apply(p_union uuid[], p_kind text[], p_gender text[],
                                              p_day date[], p_n int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM member_subtree_lock_shared();
{FLOWS}    INSERT INTO member_subtree_flows (union_id, kind, gender, month, n)
    SELECT a.id, x.k, x.g, date_trunc('month', x.day::timestamp)::date, sum(x.n)
    FROM unnest(p_union, p_kind, p_gender, p_day, p_n) AS x(u, k, g, day, n)
    JOIN unions u ON u.id = x.u
    JOIN unions a ON a.path @> u.path
    GROUP BY 1, 2, 3, 4 HAVING sum(x.n) <> 0;
END $$;

-- After a statement that changed paths: each pair (a union, a union at or under it) that the
-- statement made or unmade gives or takes back the lower union's own counts. The pairs where
-- neither moved are as they were. Taken after the exclusive lock: the writers that read the
-- old tree have ended, and their counts are in the totals read here.
CREATE FUNCTION member_subtree_on_tree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM subtree_old o JOIN subtree_new n USING (id)
                   WHERE o.path <> n.path) THEN
        RETURN NULL;
    END IF;
    -- The counts read below must be those of a snapshot taken after the lock.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'feature_not_supported',
            MESSAGE = 'union paths are changed in READ COMMITTED only',
            HINT = 'The subtree sums are corrected from the counts after the lock (docs/adr/0020).';
    END IF;
    PERFORM pg_advisory_xact_lock({LOCK});
    WITH moved AS (
        SELECT o.id, o.path AS was, n.path AS now
        FROM subtree_old o JOIN subtree_new n USING (id) WHERE o.path <> n.path
    ), before AS (
        SELECT u.id, coalesce(m.was, u.path) AS path FROM unions u LEFT JOIN moved m USING (id)
    ), pairs AS (
        SELECT a.id AS above, m.id AS below, -1 AS sign FROM moved m JOIN before a ON a.path @> m.was
        UNION
        SELECT m.id, d.id, -1 FROM moved m JOIN before d ON m.was @> d.path
        UNION
        SELECT a.id, m.id, 1 FROM moved m JOIN unions a ON a.path @> m.now
        UNION
        SELECT m.id, d.id, 1 FROM moved m JOIN unions d ON m.now @> d.path
    ), totals AS (
        INSERT INTO member_subtree_totals (union_id, status, gender, n)
        SELECT p.above, t.status, t.gender, sum(p.sign * t.n)
        FROM pairs p JOIN member_count_totals t ON t.union_id = p.below
        GROUP BY 1, 2, 3 HAVING sum(p.sign * t.n) <> 0
    )
    INSERT INTO member_subtree_flows (union_id, kind, gender, month, n)
    SELECT p.above, r.kind, r.gender, r.start, sum(p.sign * r.n)
    FROM pairs p JOIN member_flow_rollups r ON r.union_id = p.below AND r.span = 'month'
    GROUP BY 1, 2, 3, 4 HAVING sum(p.sign * r.n) <> 0;
    RETURN NULL;
END $$;

-- A deleted union's own sums (its counts went with it: unions_references_release).
CREATE FUNCTION member_subtree_on_union_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM member_subtree_totals WHERE union_id = OLD.id;
    DELETE FROM member_subtree_flows WHERE union_id = OLD.id;
    RETURN NULL;
END $$;

-- Each key's rows appended since the last fold, with its folded row, made one row (none when
-- they sum to 0). Shared: the writers and other folds go on (a row appended meanwhile is not
-- in this statement's snapshot and stays for the next fold; a row another fold took is
-- skipped); `unionhub counts rebuild` (exclusive) waits. Returns the rows taken.
CREATE FUNCTION member_subtree_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    taken bigint;
    flows bigint;
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK});
    WITH keys AS (
        SELECT DISTINCT union_id, status, gender FROM member_subtree_totals WHERE NOT folded
    ), gone AS (
        DELETE FROM member_subtree_totals t USING keys k
        WHERE t.union_id = k.union_id AND t.status = k.status AND t.gender = k.gender
        RETURNING t.union_id, t.status, t.gender, t.n
    ), kept AS (
        INSERT INTO member_subtree_totals (union_id, status, gender, n, folded)
        SELECT union_id, status, gender, sum(n), true FROM gone
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0
    )
    SELECT count(*) INTO taken FROM gone;
    WITH keys AS (
        SELECT DISTINCT union_id, kind, gender, month FROM member_subtree_flows WHERE NOT folded
    ), gone AS (
        DELETE FROM member_subtree_flows t USING keys k
        WHERE t.union_id = k.union_id AND t.kind = k.kind AND t.gender = k.gender
          AND t.month = k.month
        RETURNING t.union_id, t.kind, t.gender, t.month, t.n
    ), kept AS (
        INSERT INTO member_subtree_flows (union_id, kind, gender, month, n, folded)
        SELECT union_id, kind, gender, month, sum(n), true FROM gone
        GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
    )
    SELECT count(*) INTO flows FROM gone;
    RETURN taken + flows;
END $$;

CREATE OR REPLACE FUNCTION member_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'membership_periods' THEN
        TRUNCATE member_count_deltas, member_count_rollups, member_count_totals,
                 member_subtree_totals;
    ELSE
        TRUNCATE member_flow_counts, member_flow_rollups, member_subtree_flows;
    END IF;
    RETURN NULL;
END $$;
"""

PREVIOUS = f"""
CREATE OR REPLACE FUNCTION member_counts_apply(p_union uuid[], p_status text[], p_gender text[],
                                               p_day date[], p_delta int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{COUNTS}END $$;

CREATE OR REPLACE FUNCTION member_flows_apply(p_union uuid[], p_kind text[], p_gender text[],
                                              p_day date[], p_n int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{FLOWS}END $$;

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

# What each table must hold, summed per key, from the register (through the counts' own
# views): `unionhub counts check` compares, `rebuild` copies.
VIEWS = """
CREATE VIEW member_subtree_totals_expected AS
SELECT a.id AS union_id, e.status, e.gender, sum(e.n)::int AS n
FROM member_count_totals_expected e
JOIN unions u ON u.id = e.union_id
JOIN unions a ON a.path @> u.path
GROUP BY 1, 2, 3 HAVING sum(e.n) <> 0;

CREATE VIEW member_subtree_flows_expected AS
SELECT a.id AS union_id, e.kind, e.gender, e.start AS month, sum(e.n)::int AS n
FROM member_flow_rollups_expected e
JOIN unions u ON u.id = e.union_id
JOIN unions a ON a.path @> u.path
WHERE e.span = 'month'
GROUP BY 1, 2, 3, 4 HAVING sum(e.n) <> 0
"""

# From the per-union tables as they stand.
FILL = """
INSERT INTO member_subtree_totals (union_id, status, gender, n, folded)
SELECT a.id, t.status, t.gender, sum(t.n), true
FROM member_count_totals t JOIN unions u ON u.id = t.union_id JOIN unions a ON a.path @> u.path
GROUP BY 1, 2, 3 HAVING sum(t.n) <> 0;
INSERT INTO member_subtree_flows (union_id, kind, gender, month, n, folded)
SELECT a.id, r.kind, r.gender, r.start, sum(r.n), true
FROM member_flow_rollups r JOIN unions u ON u.id = r.union_id JOIN unions a ON a.path @> u.path
WHERE r.span = 'month'
GROUP BY 1, 2, 3, 4 HAVING sum(r.n) <> 0
"""

TRIGGERS = """
CREATE TRIGGER unions_member_subtree AFTER UPDATE ON unions
REFERENCING OLD TABLE AS subtree_old NEW TABLE AS subtree_new
FOR EACH STATEMENT EXECUTE FUNCTION member_subtree_on_tree();
CREATE TRIGGER unions_member_subtree_delete AFTER DELETE ON unions
FOR EACH ROW EXECUTE FUNCTION member_subtree_on_union_delete();
CREATE TRIGGER member_subtree_totals_figures_stamp
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON member_subtree_totals
FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp();
CREATE TRIGGER member_subtree_flows_figures_stamp
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON member_subtree_flows
FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp()
"""


def _run(block: str, separator: str) -> None:
    # asyncpg runs one statement per call.
    for statement in block.split(separator):
        if statement.strip():
            op.execute(statement + ("$$" if separator == "$$;\n" else ""))


def upgrade() -> None:
    # Writers wait until this commits, then run the new functions (a writer of the old ones
    # that committed after the fill's snapshot would be missing from the sums); so does a
    # change of paths.
    op.execute(
        "LOCK TABLE members, membership_periods, member_events, unions IN SHARE MODE"
    )
    op.create_table(
        "member_subtree_totals",
        sa.Column("union_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("folded", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_member_subtree_totals_status")),
        sa.CheckConstraint(f"gender IN ({GENDERS})", name=op.f("ck_member_subtree_totals_gender")),
    )
    op.create_index(
        "ix_member_subtree_totals_key",
        "member_subtree_totals",
        ["union_id", "status", "gender"],
        postgresql_include=["n"],
    )
    op.create_index(
        "ix_member_subtree_totals_unfolded",
        "member_subtree_totals",
        ["union_id", "status", "gender"],
        postgresql_where=sa.text("NOT folded"),
    )
    op.create_table(
        "member_subtree_flows",
        sa.Column("union_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("folded", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_member_subtree_flows_kind")),
        sa.CheckConstraint(f"gender IN ({GENDERS})", name=op.f("ck_member_subtree_flows_gender")),
    )
    op.create_index(
        "ix_member_subtree_flows_key",
        "member_subtree_flows",
        ["union_id", "kind", "month"],
        postgresql_include=["gender", "n"],
    )
    op.create_index(
        "ix_member_subtree_flows_unfolded",
        "member_subtree_flows",
        ["union_id", "kind", "gender", "month"],
        postgresql_where=sa.text("NOT folded"),
    )
    _run(FUNCTIONS, "$$;\n")
    _run(VIEWS, ";\n")
    _run(FILL, ";\n")
    _run(TRIGGERS, ";\n")
    op.execute("ANALYZE member_subtree_totals")
    op.execute("ANALYZE member_subtree_flows")


def downgrade() -> None:
    op.execute("DROP TRIGGER unions_member_subtree ON unions")
    op.execute("DROP TRIGGER unions_member_subtree_delete ON unions")
    _run(PREVIOUS, "$$;\n")
    op.execute("DROP VIEW member_subtree_totals_expected, member_subtree_flows_expected")
    op.execute(
        "DROP FUNCTION member_subtree_on_tree(), member_subtree_on_union_delete(), "
        "member_subtree_fold(), member_subtree_lock_shared()"
    )
    op.drop_table("member_subtree_flows")
    op.drop_table("member_subtree_totals")
