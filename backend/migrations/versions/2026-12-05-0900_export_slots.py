"""export slots: a per-user cap on concurrent exports, shared by every replica

Revision ID: 5e1c0a7d2b44
Revises: 5c1f0e2a9d41
Create Date: 2026-12-05 09:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '5e1c0a7d2b44'
down_revision: Union[str, Sequence[str], None] = '5c1f0e2a9d41'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'export_slots',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_export_slots_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_slots')),
    )
    op.create_index('ix_export_slots_user_id_expires_at', 'export_slots', ['user_id', 'expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_export_slots_user_id_expires_at', table_name='export_slots')
    op.drop_table('export_slots')
