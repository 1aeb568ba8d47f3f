"""programme strong levels: which evaluation levels count as "vững mạnh" for a programme, per
scheme code (a decision of the provincial federation; empty: each scheme's own mapping)

Revision ID: 9d41c7a2e5f8
Revises: 1f067c6d3a4d
Create Date: 2026-12-05 14:40:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '9d41c7a2e5f8'
down_revision: Union[str, Sequence[str], None] = '1f067c6d3a4d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        'programmes',
        sa.Column(
            'strong_levels',
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column('programmes', 'strong_levels')
