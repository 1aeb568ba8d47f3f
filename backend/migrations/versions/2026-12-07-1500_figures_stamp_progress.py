"""figures_stamp also on the tables a programme's progress reads, so its answer can be kept
until the next change to any of them (docs/adr/0019)

Revision ID: c3e9a5d7f2b4
Revises: b8d4f2a6c1e3
Create Date: 2026-12-07 15:00:00.000000+00:00

What the progress reads besides the overview's five tables (PostgreSQL's own per-transaction
counts for a programme with a target on every indicator; tests/reports/test_overview_kept.py
checks them): the tree's history, the counts' deltas and rollups, member events, cadre posts
and the qualification facts their rules read (kept by statements from `qualifications` and the
import), enterprises and their worker surveys, evaluations and their rounds and schemes, union
spending, and the programme with its targets and allocations. And `members` itself: the cadre
and transfer statements join it, and PostgreSQL may leave such a join out of the plan, so no
scan of it is counted when it is read.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "c3e9a5d7f2b4"
down_revision: Union[str, Sequence[str], None] = "b8d4f2a6c1e3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = (
    "union_periods",
    "member_count_deltas",
    "member_count_rollups",
    "member_events",
    "cadre_assignments",
    "qualification_facts",
    "members",
    "enterprises",
    "worker_surveys",
    "evaluation_schemes",
    "evaluation_rounds",
    "evaluation_round_parts",
    "evaluations",
    "union_spending",
    "programmes",
    "programme_targets",
    "target_allocations",
)


def upgrade() -> None:
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_figures_stamp "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_figures_stamp()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_figures_stamp ON {table}")
