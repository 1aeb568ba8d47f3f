"""member_names: every name in the register once, kept by triggers; a large scope's full-name
search looks the name up there and reads its members from the name index alone

Revision ID: f3b7d1a9c5e2
Revises: e5a1c7d3b9f2
Create Date: 2026-12-07 06:00:00.000000+00:00

A full-name search in a large scope (members.search) looked up the pair keys of the name in a
GIN index over all members, then read every candidate's row from the table to recheck the name,
count the matches and sort them: one table page per match, as members with the same name are
scattered over the table (a common name has hundreds; 1.6 ms of a 1.6 ms statement for 344
matches at 1M members, docs/benchmarks.md).

The register holds far fewer names than members (66,506 for 1M in the bench's data). The pair
keys now index `member_names`, which holds each accent-free name (`members.search_name`) once:
the lookup and the LIKE's recheck run on the few distinct names that contain the query, and
their members are then found by equality in `ix_members_search_name`, whose entries carry the
list's filter columns (union, status, gender): the matches are counted and sorted without
reading the table. The GIN index on members is dropped: a member written no longer updates it
(an import's cost), only a name never seen before adds a row here.

Kept in the same transaction as the members:
- an INSERT (and COPY) adds the statement's new names once per statement (a transition
  table, as `register_references_check`), in name order, so two writers adding the same
  names wait on each other in the same order instead of deadlocking;
- an UPDATE that changes a member's name adds the new one (a WHEN clause: other updates cost
  nothing).
A name is never removed when its last member goes (renamed, deleted): it then finds no member,
which costs one index probe. `unionhub counts check` reports a member whose name is missing
here (drift), and `unionhub counts rebuild` adds the missing and drops the unused, with the
register locked against writes.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "f3b7d1a9c5e2"
down_revision: Union[str, Sequence[str], None] = "e5a1c7d3b9f2"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE member_names (search_name text NOT NULL, CONSTRAINT pk_member_names PRIMARY KEY (search_name))"
    )
    op.execute(
        "INSERT INTO member_names (search_name) SELECT DISTINCT search_name FROM members ORDER BY 1"
    )
    op.execute(
        "CREATE INDEX ix_member_names_keys ON member_names "
        "USING gin (member_name_keys(search_name))"
    )
    op.execute(
        """
CREATE FUNCTION member_names_add_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_names (search_name)
    SELECT DISTINCT search_name FROM new_rows ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""
    )
    op.execute(
        """
CREATE FUNCTION member_names_add_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_names (search_name) VALUES (NEW.search_name) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
"""
    )
    op.execute(
        "CREATE TRIGGER members_names_insert AFTER INSERT ON members "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION member_names_add_statement()"
    )
    op.execute(
        "CREATE TRIGGER members_names_update AFTER UPDATE OF search_name ON members "
        "FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name) "
        "EXECUTE FUNCTION member_names_add_row()"
    )
    op.drop_index("ix_members_name_keys", table_name="members")


def downgrade() -> None:
    op.execute(
        "CREATE INDEX ix_members_name_keys ON members USING gin (member_name_keys(search_name))"
    )
    op.execute("DROP TRIGGER members_names_update ON members")
    op.execute("DROP TRIGGER members_names_insert ON members")
    op.execute("DROP FUNCTION member_names_add_row()")
    op.execute("DROP FUNCTION member_names_add_statement()")
    op.execute("DROP TABLE member_names")
