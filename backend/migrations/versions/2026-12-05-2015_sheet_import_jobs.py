"""sheet import jobs: a course's roster and a round's results import on the queue like the
registers (import_jobs kinds training_roster and round_results; target_id: the course or
round the sheet is imported into)

Revision ID: 9d3b6f1a2c84
Revises: 6c1f0e9d2a47
Create Date: 2026-12-05 20:15:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "9d3b6f1a2c84"
down_revision: Union[str, Sequence[str], None] = "6c1f0e9d2a47"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

KINDS = "('members', 'enterprises', 'training_roster', 'round_results')"
OLD_KINDS = "('members', 'enterprises')"


def upgrade() -> None:
    op.add_column("import_jobs", sa.Column("target_id", sa.Uuid(), nullable=True))
    op.drop_constraint(op.f("ck_import_jobs_kind"), "import_jobs", type_="check")
    op.create_check_constraint(op.f("ck_import_jobs_kind"), "import_jobs", f"kind IN {KINDS}")


def downgrade() -> None:
    op.execute("DELETE FROM import_jobs WHERE kind IN ('training_roster', 'round_results')")
    op.drop_constraint(op.f("ck_import_jobs_kind"), "import_jobs", type_="check")
    op.create_check_constraint(op.f("ck_import_jobs_kind"), "import_jobs", f"kind IN {OLD_KINDS}")
    op.drop_column("import_jobs", "target_id")
