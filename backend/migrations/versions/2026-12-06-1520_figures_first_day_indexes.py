"""enterprises, worker surveys: the first day any enterprise has a worker figure, read from two
index ends

Revision ID: 5c2e8f1a9d47
Revises: c6e2a9d4f1b7
Create Date: 2026-12-06 15:20:00.000000+00:00

The enterprise indicators that compare an enterprise's workers (`enterprises_with_union`, the
two member coverages) count only enterprises with a figure on the day: a survey on or before
it, or a current figure dated on or before it. A programme asks them on the last day of every
year of its term, and on the days before the first figure they count nothing, yet each such
day scanned all operating enterprises and their surveys (at 1M members: 46,015 enterprises and
67,063 surveys, none before 2023, for five of programme 05's six days). The statement now
skips a day before the first figure (`indicators.queries._operating_on`), and that first day
is the smaller of the two minimums below: one index end each, not two table scans.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "5c2e8f1a9d47"
down_revision: Union[str, Sequence[str], None] = "c6e2a9d4f1b7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_worker_surveys_surveyed_on", "worker_surveys", ["surveyed_on"])
    op.create_index("ix_enterprises_surveyed_on", "enterprises", ["surveyed_on"])


def downgrade() -> None:
    op.drop_index("ix_enterprises_surveyed_on", table_name="enterprises")
    op.drop_index("ix_worker_surveys_surveyed_on", table_name="worker_surveys")
