"""transfer escalations: a union's setting to escalate long-waiting transfer requests upward

Revision ID: 3b8e2d4f9a61
Revises: a5e3ac733848
Create Date: 2026-12-05 14:20:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '3b8e2d4f9a61'
down_revision: Union[str, Sequence[str], None] = 'a5e3ac733848'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'transfer_escalations',
        sa.Column('union_id', sa.Uuid(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.Uuid(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('days BETWEEN 1 AND 365', name=op.f('ck_transfer_escalations_days')),
        sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_transfer_escalations_union_id_unions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_transfer_escalations_updated_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('union_id', name=op.f('pk_transfer_escalations')),
    )


def downgrade() -> None:
    op.drop_table('transfer_escalations')
