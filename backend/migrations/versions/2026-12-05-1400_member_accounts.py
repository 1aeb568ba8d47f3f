"""member accounts: a member's own sign-in, one-time activation codes, identity change requests

Revision ID: 9a4d2c7e5b13
Revises: 5b1d7e3a9c24
Create Date: 2026-12-05 14:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '9a4d2c7e5b13'
down_revision: Union[str, Sequence[str], None] = '5b1d7e3a9c24'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'member_accounts',
        sa.Column('user_id', sa.Uuid(), nullable=False),
        sa.Column('member_id', sa.Uuid(), nullable=False),
        sa.Column('activated_via', sa.String(length=16), nullable=False),
        sa.Column('activated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_accounts_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_accounts_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_member_accounts')),
        sa.UniqueConstraint('member_id', name=op.f('uq_member_accounts_member_id')),
    )
    op.create_table(
        'member_activation_codes',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('member_id', sa.Uuid(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_member_activation_codes_created_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_activation_codes_member_id_members'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_activation_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_member_activation_codes_code_hash')),
    )
    op.create_index(op.f('ix_member_activation_codes_member_id'), 'member_activation_codes', ['member_id'], unique=False)
    op.create_table(
        'member_change_requests',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('member_id', sa.Uuid(), nullable=False),
        sa.Column('union_id', sa.Uuid(), nullable=False),
        sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=True),
        sa.Column('requested_by', sa.Uuid(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('decided_by', sa.Uuid(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.String(length=1000), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_member_change_requests_status')),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_member_change_requests_decided_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_change_requests_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_member_change_requests_requested_by_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['union_id'], ['unions.id'], name=op.f('fk_member_change_requests_union_id_unions'), ondelete=None),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_change_requests')),
    )
    op.create_index('ix_member_change_requests_union_id_status', 'member_change_requests', ['union_id', 'status'], unique=False)
    op.create_index('uq_member_change_requests_member_pending', 'member_change_requests', ['member_id'], unique=True, postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index('uq_member_change_requests_member_pending', table_name='member_change_requests', postgresql_where=sa.text("status = 'pending'"))
    op.drop_index('ix_member_change_requests_union_id_status', table_name='member_change_requests')
    op.drop_table('member_change_requests')
    op.drop_index(op.f('ix_member_activation_codes_member_id'), table_name='member_activation_codes')
    op.drop_table('member_activation_codes')
    op.drop_table('member_accounts')
