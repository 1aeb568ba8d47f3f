"""import commit cheaper in the database: the member counts of an import's new members are
written by the import itself (one aggregated upsert per commit, from the rows in hand) while its
transaction says so; the name-words index expression without a query per name

Revision ID: a3d9e1f7c2b4
Revises: 9d3b6f1a2c84
Create Date: 2026-12-05 20:40:00.000000+00:00

The insert triggers of membership_periods and member_events (maintained counts, docs/adr/0009)
skip a statement when the transaction has set `unionhub.counts_by_caller` to 'on' (SET LOCAL:
it ends with the transaction). Only the import's commit sets it, and it then adds the same
deltas and flows itself, in the same transaction (imports.members_counts). Every other insert,
and every update and delete, still goes through the triggers. Measured at 1M members: the two
triggers cost about 2.2 s of database CPU for 100,000 new members (join to members for the
gender, per-row set-returning functions, one upsert per batch); docs/benchmarks.md.

member_name_lexemes: the same tsvector (checked equal on all 1,000,015 names of the benchmark
database, and for NULL, empty and badly spaced names in tests/members/test_name_lexemes.py)
from one expression instead of unnest/array_agg, a query of its own for every name: 0.73-0.86 s
against 1.37-1.55 s per 100,000 names at load average 12, paid by every member written (the
index) and every row a name search rechecks. The words of the name, and each word reversed
behind '~': reversing the whole name reverses every word (and their order, which a tsvector
does not keep). Its index stays valid: the function returns the same values.
"""

from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "a3d9e1f7c2b4"
down_revision: Union[str, Sequence[str], None] = "9d3b6f1a2c84"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TRIGGERS = (
    ("member_counts_periods_insert", "membership_periods", "member_counts_on_periods"),
    ("member_counts_events_insert", "member_events", "member_counts_on_events"),
)
_BY_CALLER = "current_setting('unionhub.counts_by_caller', true) IS DISTINCT FROM 'on'"

# Still a function PostgreSQL calls (STRICT, with a non-strict body, is never inlined): inlined,
# the planner would cost the search's filter as a few operators instead of a function call and
# choose other plans for name searches (a sequential scan under LIMIT, seen at 1M). NULL gives
# NULL, and a name without words NULL as before (not an empty tsvector). A lone '~' among the
# reversed words stands for an empty word (two spaces), never for a word.
_LEXEMES_EXPRESSION = """
CREATE OR REPLACE FUNCTION member_name_lexemes(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT nullif(array_to_tsvector(array_remove(
    string_to_array(name, ' ')
    || array_remove(string_to_array('~' || replace(reverse(name), ' ', ' ~'), ' '), '~'),
    '')), ''::tsvector)
$$
"""
# The body as revision 2026-12-05-1200 wrote it, to the whitespace (downgrade gives it back).
_LEXEMES_QUERY = (
    "CREATE OR REPLACE FUNCTION member_name_lexemes(name text) RETURNS tsvector\n"
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$\n"
    "          SELECT array_to_tsvector(array_agg(w) || array_agg('~' || reverse(w)))\n"
    "          FROM unnest(string_to_array(name, ' ')) AS w WHERE w <> ''\n"
    "        $$"
)


def _insert_triggers(when: str) -> None:
    for name, table, function in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute(
            f"CREATE TRIGGER {name} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT {when} EXECUTE FUNCTION {function}()"
        )


def upgrade() -> None:
    _insert_triggers(f"WHEN ({_BY_CALLER})")
    op.execute(_LEXEMES_EXPRESSION)


def downgrade() -> None:
    op.execute(_LEXEMES_QUERY)
    _insert_triggers("")
