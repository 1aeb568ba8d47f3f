"""member_count_rollups: the (span, start) index carries the rest of the row

Revision ID: a3d6f0b9c2e7
Revises: f1c7d2e8a4b6
Create Date: 2026-12-06 13:20:00.000000+00:00

Members on a past day are today's counts less what changed since (ADR 0011): the whole years
after the day are read from `member_count_rollups` by (span, start), every union at once. At
1M members, for a day in 2018-2023, that is 13,000 year rows of 70,000 found through the index
and then read from 2,800 table pages. With INCLUDE (union_id, status, gender, delta) the index
alone answers (as `ix_member_flow_rollups_kind_span_start` does for the flows): the database's
CPU for members_total as of such a day fell from 28-34 ms to 22-25 ms. The same index,
rebuilt with the columns: no more indexes to write per change.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "a3d6f0b9c2e7"
down_revision: Union[str, Sequence[str], None] = "f1c7d2e8a4b6"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_member_count_rollups_span_start", table_name="member_count_rollups")
    op.create_index(
        "ix_member_count_rollups_span_start",
        "member_count_rollups",
        ["span", "start"],
        postgresql_include=["union_id", "status", "gender", "delta"],
    )


def downgrade() -> None:
    op.drop_index("ix_member_count_rollups_span_start", table_name="member_count_rollups")
    op.create_index("ix_member_count_rollups_span_start", "member_count_rollups", ["span", "start"])
