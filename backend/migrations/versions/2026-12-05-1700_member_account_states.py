"""member account states: officers close, reopen and reset members' own accounts

Revision ID: 7c41e9b2d5a8
Revises: 3b8e2d4f9a61
Create Date: 2026-12-05 17:00:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '7c41e9b2d5a8'
down_revision: Union[str, Sequence[str], None] = '3b8e2d4f9a61'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column(
        'member_accounts',
        sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    )
    op.add_column('member_accounts', sa.Column('status_reason', sa.String(length=16), nullable=True))
    op.add_column(
        'member_accounts',
        sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_check_constraint(
        op.f('ck_member_accounts_status'),
        'member_accounts',
        "status IN ('active', 'closed', 'reset')",
    )
    op.create_check_constraint(
        op.f('ck_member_accounts_status_reason'),
        'member_accounts',
        "status_reason IS NULL OR status_reason IN ('officer', 'member_exit')",
    )
    # Members who left before accounts could be closed keep no way in (the exit closes it now).
    op.execute(
        """
        WITH gone AS (
            UPDATE member_accounts a SET status = 'closed', status_reason = 'member_exit',
                   status_changed_at = now()
            FROM members m
            WHERE m.id = a.member_id AND m.status NOT IN ('active', 'suspended')
            RETURNING a.user_id
        )
        UPDATE users SET is_active = false WHERE id IN (SELECT user_id FROM gone)
        """
    )


def downgrade() -> None:
    op.drop_constraint(op.f('ck_member_accounts_status_reason'), 'member_accounts', type_='check')
    op.drop_constraint(op.f('ck_member_accounts_status'), 'member_accounts', type_='check')
    op.drop_column('member_accounts', 'status_changed_at')
    op.drop_column('member_accounts', 'status_reason')
    op.drop_column('member_accounts', 'status')
