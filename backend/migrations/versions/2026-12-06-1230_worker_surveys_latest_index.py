"""worker surveys: one index that answers "the survey in force on a day" without a sort

Revision ID: e6a1c9d3b7f5
Revises: d4b8e1a7c3f2
Create Date: 2026-12-06 12:30:00.000000+00:00

An enterprise indicator reads each enterprise's latest survey on or before the day
(`DISTINCT ON (enterprise_id) ... ORDER BY enterprise_id, surveyed_on DESC, recorded_at DESC`;
now also `id DESC`, the register's order for same-day surveys of one transaction).
With the index on (enterprise_id, surveyed_on) every survey up to the day was sorted: at 1M
members 67,063 surveys, a sort that spilled to disk, 60-120 ms per day asked (a programme asks
one day per year of its term). `ix_worker_surveys_latest` holds the whole order (read
backwards, every key descending) and the workers, so the latest surveys are an index-only read
without a sort. It serves every read the old index served (same leading columns), which is
dropped: still one index to write per survey.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "e6a1c9d3b7f5"
down_revision: Union[str, Sequence[str], None] = "d4b8e1a7c3f2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index(
        "ix_worker_surveys_latest",
        "worker_surveys",
        ["enterprise_id", "surveyed_on", "recorded_at", "id"],
        unique=False,
        postgresql_include=["total_workers"],
    )
    op.drop_index("ix_worker_surveys_enterprise_id_surveyed_on", table_name="worker_surveys")


def downgrade() -> None:
    op.create_index(
        "ix_worker_surveys_enterprise_id_surveyed_on",
        "worker_surveys",
        ["enterprise_id", "surveyed_on"],
        unique=False,
    )
    op.drop_index("ix_worker_surveys_latest", table_name="worker_surveys")
