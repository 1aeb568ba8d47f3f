"""VSIC 2018 sections and divisions (industries)

Revision ID: c4e7a9b2d815
Revises: 8d52fa0c3e19
Create Date: 2026-12-05 17:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c4e7a9b2d815'
down_revision: Union[str, Sequence[str], None] = '8d52fa0c3e19'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('industries',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('section', sa.String(length=1), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.CheckConstraint('level IN (1, 2)', name=op.f('ck_industries_level')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_industries'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('industries')
