"""enterprise counts: enterprises per responsible union by operating status, whether they have
an active union and whether they reach the founding size, with their workers (triggers on
enterprises and unions, in the same transaction as the change), with an `_expected` view for
`unionhub counts rebuild|check` (issue 9: the overview must not grow with the register; its
months of flows are migration b7d41e2c9a05's rollups)

Revision ID: 671387ab1238
Revises: 9d4a7e2c5b18
Create Date: 2026-12-05 21:40:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "671387ab1238"
down_revision: Union[str, Sequence[str], None] = "9d4a7e2c5b18"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OPERATING = "'operating', 'suspended', 'dissolved'"

# One definition of what a row adds, used by the triggers and by the `_expected` views.
FUNCTIONS = """
-- The size from which an enterprise is expected to found a union
-- (enterprises.repository.FOUNDING_MIN_WORKERS).
CREATE FUNCTION enterprise_founding_size(p_workers int) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_workers >= 20, false)
$$;

CREATE FUNCTION enterprise_has_union(p_enterprise uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM unions
                   WHERE enterprise_id = p_enterprise AND status = 'active')
$$;

-- Enterprises (by their counted columns) with a sign; aggregated, sorted by key.
CREATE FUNCTION enterprise_counts_apply(p_union uuid[], p_status text[], p_workers int[],
                                        p_with bool[], p_sign int[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO enterprise_counts AS t
        (union_id, operating_status, with_union, founding_size, n, workers)
    SELECT x.u, x.s, x.w, enterprise_founding_size(x.k), sum(x.sign)::int,
           sum(x.sign * coalesce(x.k, 0))::bigint
    FROM unnest(p_union, p_status, p_workers, p_with, p_sign) AS x(u, s, k, w, sign)
    GROUP BY 1, 2, 3, 4
    HAVING sum(x.sign) <> 0 OR sum(x.sign * coalesce(x.k, 0)) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (union_id, operating_status, with_union, founding_size)
    DO UPDATE SET n = t.n + excluded.n, workers = t.workers + excluded.workers;
END $$;

-- Statement-level: a change of an enterprise's responsible union, status or workers moves it
-- between keys; any other edit adds and takes back the same row (filtered by HAVING). Its
-- union is read from `unions`, which an enterprise statement does not change.
CREATE FUNCTION enterprise_counts_on_enterprises() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM enterprise_counts_apply(array_agg(o.responsible_union_id),
                                        array_agg(o.operating_status),
                                        array_agg(o.total_workers),
                                        array_agg(enterprise_has_union(o.id)), array_agg(-1))
        FROM old_rows o
        HAVING count(*) > 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM enterprise_counts_apply(array_agg(n.responsible_union_id),
                                        array_agg(n.operating_status),
                                        array_agg(n.total_workers),
                                        array_agg(enterprise_has_union(n.id)), array_agg(1))
        FROM new_rows n
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

-- Enterprises whose "has an active union" was `p_before` before a statement on `unions`:
-- those for which it changed move from one key to the other.
CREATE FUNCTION enterprise_counts_flip(p_enterprise uuid[], p_before bool[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM enterprise_counts_apply(array_agg(e.responsible_union_id),
                                    array_agg(e.operating_status), array_agg(e.total_workers),
                                    array_agg(x.has), array_agg(x.sign))
    FROM unnest(p_enterprise, p_before) AS c(id, before)
    JOIN enterprises e ON e.id = c.id,
    LATERAL (VALUES (c.before, -1), (NOT c.before, 1)) AS x(has, sign)
    WHERE c.before <> enterprise_has_union(c.id)
    HAVING count(*) > 0;
END $$;

-- Statement-level on `unions`: the enterprises of the rows whose enterprise or status
-- changed. Before the statement, an enterprise had an active union if one is in the table
-- now and was not written by the statement, or was among the rows as they were.
CREATE FUNCTION enterprise_counts_on_unions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM enterprise_counts_flip(array_agg(c.id), array_agg(c.before))
        FROM (SELECT DISTINCT n.enterprise_id AS id,
                     EXISTS (SELECT 1 FROM unions u
                             WHERE u.enterprise_id = n.enterprise_id AND u.status = 'active'
                               AND u.id NOT IN (SELECT id FROM new_rows)) AS before
              FROM new_rows n
              WHERE n.enterprise_id IS NOT NULL AND n.status = 'active') c
        HAVING count(*) > 0;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM enterprise_counts_flip(array_agg(c.id), array_agg(true))
        FROM (SELECT DISTINCT o.enterprise_id AS id FROM old_rows o
              WHERE o.enterprise_id IS NOT NULL AND o.status = 'active') c
        HAVING count(*) > 0;
    ELSE
        PERFORM enterprise_counts_flip(array_agg(c.id), array_agg(c.before))
        FROM (SELECT x.id,
                     EXISTS (SELECT 1 FROM unions u
                             WHERE u.enterprise_id = x.id AND u.status = 'active'
                               AND u.id NOT IN (SELECT id FROM new_rows))
                     OR EXISTS (SELECT 1 FROM old_rows o
                                WHERE o.enterprise_id = x.id AND o.status = 'active') AS before
              FROM (SELECT o.enterprise_id AS id
                    FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.enterprise_id, o.status) IS DISTINCT FROM (n.enterprise_id, n.status)
                      AND o.enterprise_id IS NOT NULL AND o.status = 'active'
                    UNION
                    SELECT n.enterprise_id
                    FROM old_rows o JOIN new_rows n ON n.id = o.id
                    WHERE (o.enterprise_id, o.status) IS DISTINCT FROM (n.enterprise_id, n.status)
                      AND n.enterprise_id IS NOT NULL AND n.status = 'active') x) c
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION enterprise_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE enterprise_counts;
    RETURN NULL;
END $$;
"""

VIEWS = """
CREATE VIEW enterprise_counts_expected AS
SELECT e.responsible_union_id AS union_id, e.operating_status,
       enterprise_has_union(e.id) AS with_union,
       enterprise_founding_size(e.total_workers) AS founding_size,
       count(*)::int AS n, sum(coalesce(e.total_workers, 0))::bigint AS workers
FROM enterprises e
GROUP BY 1, 2, 3, 4;
"""

FILL = """
INSERT INTO enterprise_counts (union_id, operating_status, with_union, founding_size, n, workers)
    SELECT union_id, operating_status, with_union, founding_size, n, workers
    FROM enterprise_counts_expected;
"""

# A trigger with transition tables has one event: three per table.
_TRIGGERS = [
    *(
        (f"enterprise_counts_{table}_{event.lower()}", event, table, refs, function)
        for table, function in (
            ("enterprises", "enterprise_counts_on_enterprises"),
            ("unions", "enterprise_counts_on_unions"),
        )
        for event, refs in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    ),
    ("enterprise_counts_truncate", "TRUNCATE", "enterprises", "", "enterprise_counts_on_truncate"),
]


def upgrade() -> None:
    op.create_table(
        "enterprise_counts",
        sa.Column("union_id", sa.Uuid(), nullable=False),
        sa.Column("operating_status", sa.String(length=16), nullable=False),
        sa.Column("with_union", sa.Boolean(), nullable=False),
        sa.Column("founding_size", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("workers", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            f"operating_status IN ({OPERATING})",
            name=op.f("ck_enterprise_counts_operating_status"),
        ),
        sa.ForeignKeyConstraint(
            ["union_id"],
            ["unions.id"],
            name=op.f("fk_enterprise_counts_union_id_unions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "union_id",
            "operating_status",
            "with_union",
            "founding_size",
            name=op.f("pk_enterprise_counts"),
        ),
    )
    # asyncpg runs one statement per call.
    for function in FUNCTIONS.split("$$;\n"):
        if function.strip():
            op.execute(function + "$$")
    for block in (VIEWS, FILL):
        for statement in block.split(";\n"):
            if statement.strip():
                op.execute(statement)
    for name, event, table, refs, function in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            f"{'REFERENCING ' + refs if refs else ''} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    for name, _, table, _, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP VIEW enterprise_counts_expected")
    op.execute(
        "DROP FUNCTION enterprise_counts_on_truncate(), enterprise_counts_on_unions(), "
        "enterprise_counts_flip(uuid[], bool[]), enterprise_counts_on_enterprises(), "
        "enterprise_counts_apply(uuid[], text[], int[], bool[], int[]), "
        "enterprise_has_union(uuid), enterprise_founding_size(int)"
    )
    op.drop_table("enterprise_counts")
