"""evaluations keep the points per group of an imported result, and a note per indicator

Revision ID: 7c2e4b9a1d03
Revises: 7c3f1e9a0b52
Create Date: 2026-12-05 11:30:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = '7c2e4b9a1d03'
down_revision: Union[str, Sequence[str], None] = '7c3f1e9a0b52'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('evaluations', sa.Column('group_points', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    for column in ('self_notes', 'appraisal_notes'):
        op.add_column('evaluations', sa.Column(column, postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('evaluations', 'appraisal_notes')
    op.drop_column('evaluations', 'self_notes')
    op.drop_column('evaluations', 'group_points')
