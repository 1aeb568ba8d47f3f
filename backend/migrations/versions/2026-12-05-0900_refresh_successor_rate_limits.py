"""refresh tokens remember their successor; rate_limits counters

Revision ID: 5d1e0c2a7b94
Revises: 5e1c0a7d2b44
Create Date: 2026-12-05 09:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5d1e0c2a7b94'
down_revision: Union[str, Sequence[str], None] = '5e1c0a7d2b44'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # A spent refresh token presented again within the grace window gets the pair its first
    # use issued (re-signed from these), never a new branch of the sign-in.
    op.add_column('refresh_tokens', sa.Column('issued_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('refresh_tokens', sa.Column('successor_jti', sa.Uuid(), nullable=True))
    op.create_table('rate_limits',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limits'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('rate_limits')
    op.drop_column('refresh_tokens', 'successor_jti')
    op.drop_column('refresh_tokens', 'issued_at')
