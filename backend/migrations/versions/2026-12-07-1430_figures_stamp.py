"""figures_stamp: a sequence bumped at the end of every statement that writes a table the
overview's figures are read from, so an answer read at one stamp can be kept until the next
(docs/adr/0019)

Revision ID: b8d4f2a6c1e3
Revises: a7c2e9f4b1d6
Create Date: 2026-12-07 14:30:00.000000+00:00

The tables: `unions` (the tree, the levels, the root's children), `member_count_totals`,
`member_flow_counts`, `member_flow_rollups` (members by status and gender, admissions per
month) and `enterprise_counts`. A statement trigger fires once per statement whatever the
number of rows (none included) and for TRUNCATE; `nextval` takes no row lock and is not undone
by a rollback (a rolled-back write only makes a kept answer be read again).
"""

from typing import Sequence, Union

from alembic import op

revision: str = "b8d4f2a6c1e3"
down_revision: Union[str, Sequence[str], None] = "a7c2e9f4b1d6"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = (
    "unions",
    "member_count_totals",
    "member_flow_counts",
    "member_flow_rollups",
    "enterprise_counts",
)


def upgrade() -> None:
    # CACHE 1 (the default, said here because it matters): each nextval writes the sequence's
    # row, so `SELECT last_value` in another session sees every bump at once.
    op.execute("CREATE SEQUENCE figures_stamp AS bigint CACHE 1")
    op.execute("SELECT nextval('figures_stamp')")
    op.execute(
        "CREATE FUNCTION bump_figures_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM nextval('figures_stamp'); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_figures_stamp "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_figures_stamp ON {table}")
    op.execute("DROP FUNCTION bump_figures_stamp()")
    op.execute("DROP SEQUENCE figures_stamp")
