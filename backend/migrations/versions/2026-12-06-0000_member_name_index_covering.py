"""The name index carries the list's filter columns: a page of a district is read from it alone.

Revision ID: 8b3f5d1e9c42
Revises: 8d2f6a4c1e93
Create Date: 2026-12-06 00:00:00

The member list sorted by name (the register's default) walks `ix_members_search_name` in
order and tests union, status and gender on each entry. Those lived only in the table, so a
district's page fetched about 31 members from the heap per row it kept (page 10 of the
district's active women: 15,268 buffers). With them in the index (`INCLUDE`), the page's keys
are found by an index-only scan and only the page's rows are read from the table
(`repository.page_query`: the keys first, then the rows by id). The index replaces the old
one (same key columns, so every statement it served it still serves): one index written per
member, not two.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "8b3f5d1e9c42"
down_revision: Union[str, Sequence[str], None] = "8e2f5c1a9d47"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index("ix_members_search_name", table_name="members")
    op.create_index(
        "ix_members_search_name",
        "members",
        ["search_name", "id"],
        unique=False,
        postgresql_include=["union_id", "status", "gender"],
    )


def downgrade() -> None:
    op.drop_index("ix_members_search_name", table_name="members")
    op.create_index("ix_members_search_name", "members", ["search_name", "id"], unique=False)
