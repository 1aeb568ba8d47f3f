"""training: a version for a course's attendance sheet (ETag / If-Match on the bulk entry)

Revision ID: 8d2f6a4c1e93
Revises: 4c8e1b7f3a26
Create Date: 2026-12-05 23:30:00.000000+00:00

Two officers entering one course's attendance at once overwrote each other. The sheet gets its
own version, separate from the course's: entering attendance does not make a course edit stale,
and editing the course does not make the sheet stale. Existing courses start at 1.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '8d2f6a4c1e93'
down_revision: Union[str, Sequence[str], None] = '4c8e1b7f3a26'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        'training_courses',
        sa.Column('attendance_version', sa.Integer(), server_default='1', nullable=False),
    )


def downgrade() -> None:
    op.drop_column('training_courses', 'attendance_version')
