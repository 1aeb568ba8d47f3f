"""change feed outbox

Revision ID: 8e3fc5ebc6e3
Revises: f840189578ea
Create Date: 2026-12-05 10:57:53.872290+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '8e3fc5ebc6e3'
down_revision: Union[str, Sequence[str], None] = 'f840189578ea'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('change_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('txid', sa.BigInteger(), server_default=sa.text('(pg_current_xact_id()::text)::bigint'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('entity_type', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('union_id', sa.Uuid(), nullable=True),
    sa.Column('changed', postgresql.ARRAY(sa.String(length=64)), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_events'))
    )
    op.create_index('ix_change_events_at', 'change_events', ['at'], unique=False)
    op.create_index('ix_change_events_txid_id', 'change_events', ['txid', 'id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_change_events_txid_id', table_name='change_events')
    op.drop_index('ix_change_events_at', table_name='change_events')
    op.drop_table('change_events')
