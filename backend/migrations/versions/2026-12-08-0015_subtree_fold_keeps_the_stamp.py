"""The subtree sums' fold no longer moves figures_stamp: it changes no sum, and each bump
made every kept answer (a programme's progress: 0.3 s on the slow bench machine) be read
again once a minute (docs/adr/0020)

Revision ID: e1f4b7c2a9d3
Revises: d7e3a1f9c5b2
Create Date: 2026-12-08 00:15:00.000000+00:00

Every other statement on the two tables still bumps it (the writers' appends, a change of
paths, `unionhub counts rebuild`, raw SQL): the fold says what it is doing in a setting of its
own transaction, and only the fold sets it.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "e1f4b7c2a9d3"
down_revision: Union[str, Sequence[str], None] = "d7e3a1f9c5b2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("member_subtree_totals", "member_subtree_flows")


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION bump_figures_stamp_unless_folding() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN "
        "IF coalesce(current_setting('unionhub.folding', true), '') <> 'on' THEN "
        "PERFORM nextval('figures_stamp'); END IF; RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_figures_stamp ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_figures_stamp "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp_unless_folding()"
        )
    # The fold's own statements, renamed; the fold says what it does around them.
    op.execute("ALTER FUNCTION member_subtree_fold() RENAME TO member_subtree_fold_rows")
    op.execute(
        "CREATE FUNCTION member_subtree_fold() RETURNS bigint LANGUAGE plpgsql AS $$\n"
        "DECLARE\n"
        "    taken bigint;\n"
        "BEGIN\n"
        "    PERFORM set_config('unionhub.folding', 'on', true);\n"
        "    taken := member_subtree_fold_rows();\n"
        "    PERFORM set_config('unionhub.folding', 'off', true);\n"
        "    RETURN taken;\n"
        "END $$"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION member_subtree_fold()")
    op.execute("ALTER FUNCTION member_subtree_fold_rows() RENAME TO member_subtree_fold")
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_figures_stamp ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_figures_stamp "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp()"
        )
    op.execute("DROP FUNCTION bump_figures_stamp_unless_folding()")
