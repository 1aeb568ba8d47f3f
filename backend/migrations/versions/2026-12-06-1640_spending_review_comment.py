"""union_spending: the superior's comment on returned figures in its own column

Revision ID: 7b4d1e9c3a58
Revises: 5c2e8f1a9d47
Create Date: 2026-12-06 16:40:00.000000+00:00

Returning a union's spending figures needs the superior's comment; it was written into the
figures' `note`, overwriting the union's own note. `review_comment` (as long as the note) keeps
it apart: a return sets it, the union's note stays. The comment stays visible until the next
return replaces it (earlier ones stay in the audit trail). Existing rows start without one.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "7b4d1e9c3a58"
down_revision: Union[str, Sequence[str], None] = "5c2e8f1a9d47"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("union_spending", sa.Column("review_comment", sa.String(1000), nullable=True))


def downgrade() -> None:
    op.drop_column("union_spending", "review_comment")
