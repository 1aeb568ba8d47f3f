"""export slots (a per-user cap on concurrent exports, shared by every replica) and audit
links (the members and enterprises an import wrote, found by an audit search on their id)

Revision ID: 5e1c0a7d2b44
Revises: a647a9e64374
Create Date: 2026-12-05 09:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '5e1c0a7d2b44'
down_revision: Union[str, Sequence[str], None] = 'a647a9e64374'
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
    op.create_table(
        'audit_links',
        sa.Column('entity_id', sa.Uuid(), nullable=False),
        sa.Column('via_id', sa.Uuid(), nullable=False),
        sa.Column('entity_type', sa.String(length=32), nullable=False),
        sa.Column('via_type', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('entity_id', 'via_id', name=op.f('pk_audit_links')),
    )
    op.create_index('ix_audit_links_via', 'audit_links', ['via_type', 'via_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_links_via', table_name='audit_links')
    op.drop_table('audit_links')
    op.drop_index('ix_export_slots_user_id_expires_at', table_name='export_slots')
    op.drop_table('export_slots')
