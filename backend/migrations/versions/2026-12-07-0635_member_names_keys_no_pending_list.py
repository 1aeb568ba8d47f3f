"""member_names: the pair-key index written at once (fastupdate off), so a search never reads a
pending list

Revision ID: a7c2e9f4b1d6
Revises: f3b7d1a9c5e2
Create Date: 2026-12-07 06:35:00.000000+00:00

A GIN index with `fastupdate` (PostgreSQL's default) queues new entries in a pending list that
every search reads through, unindexed, until a vacuum or `gin_pending_list_limit` (4 MB) merges
it. `member_names` gets few inserts (only names never seen before), so autovacuum's insert
threshold (1,000 + 20% of the table) is far away: after the bench's import of 100,000 rows
(1,654 new names, 84 pending pages) the key lookup of a full-name search took 0.50 ms instead of
0.04 ms, and stayed so. Written at once, a new name's ten or so keys go into the index as the
name is added (docs/benchmarks.md, "Full names looked up among names": the import's cost).
"""

from typing import Sequence, Union

from alembic import op

revision: str = "a7c2e9f4b1d6"
down_revision: Union[str, Sequence[str], None] = "f3b7d1a9c5e2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("ALTER INDEX ix_member_names_keys SET (fastupdate = off)")
    # Turning it off leaves what is queued in the list: merge it now.
    op.execute("SELECT gin_clean_pending_list('ix_member_names_keys'::regclass)")


def downgrade() -> None:
    op.execute("ALTER INDEX ix_member_names_keys RESET (fastupdate)")
