"""membership_periods, member_events, members: their references to unions, enterprises, users
and members checked once per statement by triggers instead of row by row by foreign keys; the
maintained counts' foreign keys to unions dropped (docs/adr/0016)

Revision ID: e5a1c7d3b9f2
Revises: 7b4d1e9c3a58
Create Date: 2026-12-06 18:30:00.000000+00:00

An import of 100,000 new members checked eight of these foreign keys per member, one query and
one row lock each: about 3 s of the commit's database CPU at 1M members, mostly for keys that
name the same few unions, employers and officer (docs/benchmarks.md). An INSERT now checks
each reference column once per statement (`register_references_check`, statement level, the
statement's rows as a transition table): the distinct keys are locked FOR KEY SHARE in key
order, as the foreign key locked each row's, and a key with no row raises SQLSTATE 23503
(foreign_key_violation) naming the dropped constraint, so callers see the same error. An
UPDATE that changes a reference column checks the new key row by row (a WHEN clause: an
update leaving the key alone costs nothing, as with the foreign key). Deleting a union, an
enterprise, a user or a member (or changing its id) applies the references' actions in an
AFTER row trigger on the parent: NO ACTION (refused while a row names it), SET NULL
(member_events.actor_id), CASCADE (a member's periods and events), and deletes a union's
maintained counts (the counts' ON DELETE CASCADE).

Concurrency is the foreign key's: a writer of a reference holds FOR KEY SHARE on the row it
names until it ends, so a delete of that row waits for it and then finds its rows (a fresh
snapshot per statement in READ COMMITTED); a delete that comes first makes the writer's lock
find no row. Deleting referenced rows is refused outside READ COMMITTED, where the check could
miss a reference committed after the snapshot (no writer does).

The constraints stay in the models (ORM flush order), marked `info=BY_TRIGGER`;
migrations/env.py leaves them out of `alembic check`.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "e5a1c7d3b9f2"
down_revision: Union[str, Sequence[str], None] = "7b4d1e9c3a58"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (child table, column, parent table, ON DELETE action, constraint name)
REFERENCES = (
    ("members", "union_id", "unions", "NO ACTION", "fk_members_union_id_unions"),
    (
        "members",
        "admitted_by_union_id",
        "unions",
        "NO ACTION",
        "fk_members_admitted_by_union_id_unions",
    ),
    ("members", "enterprise_id", "enterprises", "NO ACTION", "fk_members_enterprise_id_enterprises"),
    (
        "membership_periods",
        "union_id",
        "unions",
        "NO ACTION",
        "fk_membership_periods_union_id_unions",
    ),
    ("member_events", "union_id", "unions", "NO ACTION", "fk_member_events_union_id_unions"),
    ("member_events", "actor_id", "users", "SET NULL", "fk_member_events_actor_id_users"),
    # The member's own: locked already by the periods' overlap trigger (membership_periods
    # is written first), so their check costs an index probe per member.
    (
        "membership_periods",
        "member_id",
        "members",
        "CASCADE",
        "fk_membership_periods_member_id_members",
    ),
    ("member_events", "member_id", "members", "CASCADE", "fk_member_events_member_id_members"),
)
CHILDREN = ("members", "membership_periods", "member_events")
PARENTS = ("unions", "enterprises", "users", "members")
COUNT_TABLES = (
    "member_count_deltas",
    "member_count_totals",
    "member_count_rollups",
    "member_flow_counts",
    "member_flow_rollups",
)

_RAISE_MISSING = """
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            CONSTRAINT = {constraint},
            TABLE = TG_TABLE_NAME,
            SCHEMA = TG_TABLE_SCHEMA,
            MESSAGE = format('insert or update on table "%s" violates foreign key constraint "%s"',
                             TG_TABLE_NAME, {constraint}),
            DETAIL = format('Key (%s)=(%s) is not present in table "%s".',
                            {column}, {key}, {parent});"""

_STATEMENT_CHECK = f"""
CREATE FUNCTION register_references_check() RETURNS trigger LANGUAGE plpgsql AS $$
-- After an INSERT (new_rows): for each (column, parent table, constraint) of TG_ARGV, the
-- statement's distinct keys locked FOR KEY SHARE in key order; one missing: 23503.
-- EXECUTE: planned for this statement's keys (one COPY batch or one row).
DECLARE
    i int := 0;
    keys uuid[];
    locked bigint;
    missing uuid;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('SELECT array_agg(DISTINCT n.%I) FROM new_rows n WHERE n.%I IS NOT NULL',
                       TG_ARGV[i], TG_ARGV[i]) INTO keys;
        IF keys IS NOT NULL THEN
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I p WHERE p.id = ANY($1) '
                           'ORDER BY p.id FOR KEY SHARE OF p) locked', TG_ARGV[i + 1])
                INTO locked USING keys;
            IF locked < cardinality(keys) THEN
                EXECUTE format('SELECT k FROM unnest($1) k WHERE NOT EXISTS '
                               '(SELECT 1 FROM %I p WHERE p.id = k) LIMIT 1', TG_ARGV[i + 1])
                    INTO missing USING keys;
{_RAISE_MISSING.format(constraint="TG_ARGV[i + 2]", column="TG_ARGV[i]", key="missing",
                        parent="TG_ARGV[i + 1]")}
            END IF;
        END IF;
        i := i + 3;
    END LOOP;
    RETURN NULL;
END $$;
"""


def _row_check(table: str, column: str, parent: str, constraint: str) -> list[str]:
    """Row level, after an UPDATE that changed `column` (the trigger's WHEN): static SQL, so
    the plan is cached for a set-based update of many rows (a union merge)."""
    return [
        f"""
CREATE FUNCTION {table}_{column}_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.{column} IS NOT NULL THEN
        PERFORM 1 FROM {parent} p WHERE p.id = NEW.{column} FOR KEY SHARE OF p;
        IF NOT FOUND THEN
{_RAISE_MISSING.format(constraint=f"'{constraint}'", column=f"'{column}'", key=f"NEW.{column}",
                        parent=f"'{parent}'")}
        END IF;
    END IF;
    RETURN NULL;
END $$""",
        f"""
CREATE TRIGGER {constraint}_update AFTER UPDATE OF {column} ON {table}
    FOR EACH ROW WHEN (OLD.{column} IS DISTINCT FROM NEW.{column})
    EXECUTE FUNCTION {table}_{column}_check()""",
    ]


def _refuse(table: str, column: str, parent: str, constraint: str) -> str:
    return f"""    IF EXISTS (SELECT 1 FROM {table} c WHERE c.{column} = OLD.id) THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            CONSTRAINT = '{constraint}',
            TABLE = '{parent}',
            SCHEMA = TG_TABLE_SCHEMA,
            MESSAGE = 'update or delete on table "{parent}" violates foreign key constraint '
                      '"{constraint}" on table "{table}"',
            DETAIL = format('Key (id)=(%s) is still referenced from table "{table}".', OLD.id);
    END IF;"""


def _parent_function(parent: str) -> list[str]:
    """Row level, after a DELETE of `parent` or an UPDATE of its id: the references' actions
    (ON DELETE: NO ACTION refused while a row names it, SET NULL, CASCADE; ON UPDATE: NO
    ACTION for all), and for unions the maintained counts' cascade."""
    on_delete, on_update = [], []
    for table, column, p, action, constraint in REFERENCES:
        if p != parent:
            continue
        on_update.append(_refuse(table, column, parent, constraint))
        if action == "SET NULL":
            on_delete.append(f"        UPDATE {table} SET {column} = NULL WHERE {column} = OLD.id;")
        elif action == "CASCADE":
            # A member's periods and events: member_counts_member_delete (BEFORE DELETE) took
            # their counts back already; the delete triggers find no member here, as after
            # the foreign key's cascade.
            on_delete.append(f"        DELETE FROM {table} WHERE {column} = OLD.id;")
        else:
            on_delete.append(_refuse(table, column, parent, constraint))
    if parent == "unions":
        on_delete += [f"        DELETE FROM {t} WHERE union_id = OLD.id;" for t in COUNT_TABLES]
        on_update += [
            _refuse(t, "union_id", parent, f"fk_{t}_union_id_unions") for t in COUNT_TABLES
        ]
    deleted, updated = "\n".join(on_delete), "\n".join(on_update)
    return [
        f"""
CREATE FUNCTION {parent}_references_release() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'feature_not_supported',
            MESSAGE = '{parent} are deleted (or their ids changed) in READ COMMITTED only',
            HINT = 'The references to them are checked in a fresh snapshot (docs/adr/0016).';
    END IF;
    IF TG_OP = 'DELETE' THEN
{deleted}
    ELSE
{updated}
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {parent}_references_delete AFTER DELETE ON {parent} "
        f"FOR EACH ROW EXECUTE FUNCTION {parent}_references_release()",
        f"CREATE TRIGGER {parent}_references_update AFTER UPDATE OF id ON {parent} "
        "FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) "
        f"EXECUTE FUNCTION {parent}_references_release()",
    ]


def _truncate_check(parent: str) -> list[str]:
    """After a TRUNCATE of `parent` (AFTER: every table of the statement is empty by then):
    refused while a referencing table still has rows, as the foreign key refused a TRUNCATE
    that did not empty its table too (TRUNCATE ... CASCADE follows foreign keys only)."""
    tables = sorted({t for t, _, p, _, _ in REFERENCES if p == parent})
    found = " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in tables)
    return [
        f"""
CREATE FUNCTION {parent}_references_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {found} THEN
        RAISE EXCEPTION USING
            ERRCODE = 'foreign_key_violation',
            TABLE = '{parent}',
            SCHEMA = TG_TABLE_SCHEMA,
            MESSAGE = 'cannot truncate {parent}: {", ".join(tables)} refer to it',
            HINT = 'Truncate {", ".join(tables)} in the same statement (docs/adr/0016).';
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {parent}_references_truncate AFTER TRUNCATE ON {parent} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {parent}_references_truncated()",
    ]


def upgrade() -> None:
    op.execute(_STATEMENT_CHECK)
    for child in CHILDREN:
        args = ", ".join(
            f"'{column}', '{parent}', '{constraint}'"
            for table, column, parent, _, constraint in REFERENCES
            if table == child
        )
        op.execute(
            f"CREATE TRIGGER {child}_references_insert AFTER INSERT ON {child} "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION register_references_check({args})"
        )
    for table, column, parent, _, constraint in REFERENCES:
        for sql in _row_check(table, column, parent, constraint):
            op.execute(sql)
    for parent in PARENTS:
        for sql in _parent_function(parent) + _truncate_check(parent):
            op.execute(sql)
    # Last: a row written meanwhile by another transaction is checked by one or the other.
    for table, _, _, _, constraint in REFERENCES:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
    for table in COUNT_TABLES:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT fk_{table}_union_id_unions")


def downgrade() -> None:
    for table in COUNT_TABLES:
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_union_id_unions "
            "FOREIGN KEY (union_id) REFERENCES unions (id) ON DELETE CASCADE"
        )
    for table, column, parent, action, constraint in REFERENCES:
        on_delete = f" ON DELETE {action}" if action != "NO ACTION" else ""
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {constraint} "
            f"FOREIGN KEY ({column}) REFERENCES {parent} (id){on_delete}"
        )
    for parent in PARENTS:
        op.execute(f"DROP TRIGGER {parent}_references_truncate ON {parent}")
        op.execute(f"DROP FUNCTION {parent}_references_truncated()")
        op.execute(f"DROP TRIGGER {parent}_references_delete ON {parent}")
        op.execute(f"DROP TRIGGER {parent}_references_update ON {parent}")
        op.execute(f"DROP FUNCTION {parent}_references_release()")
    for table, column, _, _, constraint in REFERENCES:
        op.execute(f"DROP TRIGGER {constraint}_update ON {table}")
        op.execute(f"DROP FUNCTION {table}_{column}_check()")
    for child in CHILDREN:
        op.execute(f"DROP TRIGGER {child}_references_insert ON {child}")
    op.execute("DROP FUNCTION register_references_check()")
