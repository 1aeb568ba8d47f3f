"""membership_periods: no overlap checked by statement triggers instead of a gist exclusion
constraint (docs/adr/0014)

Revision ID: c6e2a9d4f1b7
Revises: a3d6f0b9c2e7
Create Date: 2026-12-06 15:10:00.000000+00:00

A member's periods never overlap. `ex_membership_periods_no_overlap` (EXCLUDE USING gist) kept
that with a gist index written and searched for every period: more than half of the 3.7-3.8 s
of database CPU an import of 100,000 new members spent on its membership_periods COPY at 1M
members (1.6 s without it; docs/benchmarks.md). Two statement triggers (after INSERT, after
UPDATE) check the same rule once per statement through the btree (member_id, valid_from)
index every period already has, and answer a clash with the same SQLSTATE (23P01,
exclusion_violation) and constraint name, so callers see the same error.

Concurrency: the trigger first locks (FOR NO KEY UPDATE, in id order) every member whose
periods the statement wrote, then looks for overlaps in a fresh snapshot. Two transactions
writing one member's periods are serialised by that lock: the second checks after the first
has committed and sees its periods. That holds under READ COMMITTED (every statement of the
trigger takes a new snapshot); under REPEATABLE READ or SERIALIZABLE the check could miss a
period committed after the snapshot, so a write of periods there is refused (no writer uses
them).

membership_periods_check_all() checks every period at once (bulk loads, which disable the
triggers while they COPY: unionhub_dev.demo.bulk.IndexHold).
"""

from typing import Sequence, Union

from alembic import op

revision: str = "c6e2a9d4f1b7"
down_revision: Union[str, Sequence[str], None] = "a3d6f0b9c2e7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CONSTRAINT = "ex_membership_periods_no_overlap"

_CLASH = f"""
        RAISE EXCEPTION USING
            ERRCODE = 'exclusion_violation',
            CONSTRAINT = '{CONSTRAINT}',
            TABLE = 'membership_periods',
            SCHEMA = current_schema(),
            MESSAGE = 'conflicting key value violates exclusion constraint "{CONSTRAINT}"',
            DETAIL = format('Periods of member %s overlap: [%s, %s) and [%s, %s).',
                            clash.member_id, clash.a_from, coalesce(clash.a_to::text, ''),
                            clash.b_from, coalesce(clash.b_to::text, ''));"""

_FUNCTIONS = f"""
CREATE FUNCTION membership_periods_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    clash record;
    found_rows bigint;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'feature_not_supported',
            MESSAGE = 'membership periods are written in READ COMMITTED transactions only',
            HINT = 'The overlap check locks the member and reads in a fresh snapshot.';
    END IF;
    -- One writer of a member's periods at a time (see the revision's notes). EXECUTE: planned
    -- for this statement's number of rows (a plan cached from a 20,000-row COPY could read
    -- every member for the next single period).
    EXECUTE 'SELECT count(*) FROM (SELECT 1 FROM members m
              WHERE m.id IN (SELECT n.member_id FROM new_rows n)
              ORDER BY m.id FOR NO KEY UPDATE OF m) locked';
    EXECUTE 'SELECT n.member_id, n.valid_from AS a_from, n.valid_to AS a_to,
                    p.valid_from AS b_from, p.valid_to AS b_to
               FROM new_rows n
               JOIN membership_periods p
                 ON p.member_id = n.member_id AND p.id <> n.id
                AND p.valid_from < coalesce(n.valid_to, ''infinity''::date)
                AND n.valid_from < coalesce(p.valid_to, ''infinity''::date)
              LIMIT 1' INTO clash;
    GET DIAGNOSTICS found_rows = ROW_COUNT;
    IF found_rows > 0 THEN{_CLASH}
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION membership_periods_check_all() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    clash record;
BEGIN
    SELECT * INTO clash FROM (
        SELECT member_id, lag(valid_from) OVER w AS a_from, lag(valid_to) OVER w AS a_to,
               valid_from AS b_from, valid_to AS b_to
          FROM membership_periods
        WINDOW w AS (PARTITION BY member_id ORDER BY valid_from)) x
     WHERE x.a_from IS NOT NULL AND (x.a_to IS NULL OR x.a_to > x.b_from)
     LIMIT 1;
    IF FOUND THEN{_CLASH}
    END IF;
END $$;
"""

# One trigger per event: a trigger with transition tables has one event and no column list.
_TRIGGERS = (
    ("membership_periods_no_overlap_insert", "INSERT"),
    ("membership_periods_no_overlap_update", "UPDATE"),
)


def upgrade() -> None:
    for function in _FUNCTIONS.split("$$;\n")[:-1]:
        op.execute(function + "$$")
    for name, event in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON membership_periods "
            "REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION membership_periods_no_overlap()"
        )
    op.execute(f"ALTER TABLE membership_periods DROP CONSTRAINT {CONSTRAINT}")


def downgrade() -> None:
    op.execute(
        f"ALTER TABLE membership_periods ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (member_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)"
    )
    for name, _ in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON membership_periods")
    op.execute("DROP FUNCTION membership_periods_check_all()")
    op.execute("DROP FUNCTION membership_periods_no_overlap()")
