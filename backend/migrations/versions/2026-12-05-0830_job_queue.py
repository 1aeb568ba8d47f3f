"""job queue: procrastinate's tables and functions; import_jobs.heartbeat_at

The queue's schema is the one of the installed procrastinate (pinned to one minor release in
pyproject.toml); a procrastinate upgrade comes with a new revision that applies the SQL files
of its sql/migrations folder between the two versions.

Revision ID: 5c1f0e2a9d41
Revises: 97974c133b8f
Create Date: 2026-12-05 08:30:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = '5c1f0e2a9d41'
down_revision: Union[str, Sequence[str], None] = '97974c133b8f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _execute_script(sql: str) -> None:
    """Run a multi-statement script (functions with $$ bodies) in the migration's transaction:
    asyncpg's execute() without arguments takes a whole script."""
    bind = op.get_bind()
    driver = bind.connection.driver_connection
    if hasattr(driver, "fetchrow"):  # asyncpg
        await_only(driver.execute(sql))
    else:
        bind.exec_driver_sql(sql)


def upgrade() -> None:
    op.add_column(
        'import_jobs', sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True)
    )
    _execute_script(SchemaManager.get_schema())


def downgrade() -> None:
    _execute_script(
        """
        DO $$
        DECLARE r record;
        BEGIN
            FOR r IN SELECT tgname, tgrelid::regclass AS tbl FROM pg_trigger
                     WHERE tgname LIKE 'procrastinate%' AND NOT tgisinternal LOOP
                EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.tbl);
            END LOOP;
            FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
                     JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
                EXECUTE format('DROP FUNCTION %s', r.fn);
            END LOOP;
        END $$;
        DROP TABLE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
            procrastinate_workers;
        DROP TYPE procrastinate_job_to_defer_v1, procrastinate_job_event_type,
            procrastinate_job_status;
        """
    )
    op.drop_column('import_jobs', 'heartbeat_at')
