"""member photos: the card photo, re-encoded, kept in the database

Revision ID: 8d52fa0c3e19
Revises: 7c41e9b2d5a8
Create Date: 2026-12-05 17:10:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '8d52fa0c3e19'
down_revision: Union[str, Sequence[str], None] = '7c41e9b2d5a8'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'member_photos',
        sa.Column('member_id', sa.Uuid(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_by', sa.Uuid(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('width > 0 AND height > 0 AND size > 0', name=op.f('ck_member_photos_dimensions')),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_photos_member_id_members'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_member_photos_uploaded_by_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_photos')),
    )


def downgrade() -> None:
    op.drop_table('member_photos')
