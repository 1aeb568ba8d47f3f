"""file jobs: files (large exports, reports) built by a queue worker and downloaded when ready

Revision ID: 7c3f1e9a0b52
Revises: e6c931c550fc
Create Date: 2026-12-05 12:30:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '7c3f1e9a0b52'
down_revision: Union[str, Sequence[str], None] = 'e6c931c550fc'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'file_jobs',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('task', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=120), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('error', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('created_by', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'building', 'ready', 'failed')", name=op.f('ck_file_jobs_status')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_file_jobs_created_by_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_file_jobs')),
    )
    op.create_index('ix_file_jobs_created_by_status', 'file_jobs', ['created_by', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_file_jobs_created_by_status', table_name='file_jobs')
    op.drop_table('file_jobs')
