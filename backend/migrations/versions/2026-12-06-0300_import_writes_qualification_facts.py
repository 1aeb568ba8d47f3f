"""qualification facts of an import's new members written by the import (one COPY per batch)
while its transaction says so; every other write still goes through the triggers

Revision ID: c7e4a2f9b1d6
Revises: 8b3f5d1e9c42
Create Date: 2026-12-06 03:00:00.000000+00:00

The statement trigger on inserts into `qualifications` (migration b3f5a9c1d2e4) recomputes the
facts of the people a statement touched: it locks their member rows, deletes and reinserts their
facts from the view `qualification_facts_expected` (an aggregate over their records). For a
members import that is 20 batches of 5,000 people who did not exist before the batch: the lock
rewrites each new member row's header, and the aggregate re-reads the records just written.
The import knows each new person's records (an undated diploma per level given in the file:
imports.member_levels.for_new_member), so it knows their facts too. While the transaction has
set `unionhub.facts_by_caller` to 'on' (SET LOCAL, around the COPY of new members' records and
their facts only), the insert trigger skips the statement. Updates and deletes, and inserts by
anyone else (an update import's records for members already on the register included), still
go through the trigger. `unionhub counts check` compares the stored facts with the view.
"""

from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "c7e4a2f9b1d6"
down_revision: Union[str, Sequence[str], None] = "8b3f5d1e9c42"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_BY_CALLER = "current_setting('unionhub.facts_by_caller', true) IS DISTINCT FROM 'on'"


def _insert_trigger(when: str) -> None:
    op.execute("DROP TRIGGER qualification_facts_insert ON qualifications")
    op.execute(
        "CREATE TRIGGER qualification_facts_insert AFTER INSERT ON qualifications "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT {when} "
        "EXECUTE FUNCTION qualification_facts_on_change()"
    )


def upgrade() -> None:
    _insert_trigger(f"WHEN ({_BY_CALLER})")


def downgrade() -> None:
    _insert_trigger("")
