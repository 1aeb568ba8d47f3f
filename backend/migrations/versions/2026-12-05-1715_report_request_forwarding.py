"""report request forwarding: a unit asked by a request passes it on to its own children

Revision ID: 6c1f0e9d2a47
Revises: 4e8a1c6d2b57
Create Date: 2026-12-05 17:15:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '6c1f0e9d2a47'
down_revision: Union[str, Sequence[str], None] = '4e8a1c6d2b57'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('report_requests', sa.Column('parent_request_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f('fk_report_requests_parent_request_id_report_requests'),
        'report_requests',
        'report_requests',
        ['parent_request_id'],
        ['id'],
        ondelete='CASCADE',
    )
    op.create_index(
        'uq_report_requests_parent_request_id_union_id',
        'report_requests',
        ['parent_request_id', 'union_id'],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index('uq_report_requests_parent_request_id_union_id', table_name='report_requests')
    op.drop_constraint(
        op.f('fk_report_requests_parent_request_id_report_requests'),
        'report_requests',
        type_='foreignkey',
    )
    op.drop_column('report_requests', 'parent_request_id')
