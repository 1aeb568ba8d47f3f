"""`unionhub counts rebuild` and `unionhub counts check`: the maintained counts against the
registers they are derived from (members; enterprises and their unions).

What each count must be is defined once, in the database: the views `<table>_expected`
(migrations e6c931c550fc, b7d41e2c9a05 and 671387ab1238) apply to the whole register the same
functions the triggers apply to each changed row. `rebuild` copies them; `check` compares, and
also compares today's totals with the members table itself (a member whose current period
disagrees with their row in `members` is drift in the register, not in the counts, and is
reported as such).

`member_names` (every name of the register once, for the full-name search: members.search) is
checked and rebuilt here too: a member's name missing from it is drift (a full-name search of a
large scope would not find that member); a name no member bears any more is not (it finds
nothing) and is dropped by `rebuild`."""

from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.members import subtree

# table -> (key columns, value columns)
COUNTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "member_count_deltas": (("union_id", "status", "gender", "day"), ("delta",)),
    "member_count_totals": (("union_id", "status", "gender"), ("n",)),
    "member_flow_counts": (("union_id", "kind", "gender", "day"), ("n",)),
    # The per-day rows summed per month and year (what a figure as of any day reads).
    "member_count_rollups": (("union_id", "status", "gender", "span", "start"), ("delta",)),
    "member_flow_rollups": (("union_id", "kind", "gender", "span", "start"), ("n",)),
    "enterprise_counts": (
        ("union_id", "operating_status", "with_union", "founding_size"),
        ("n", "workers"),
    ),
    # Each union's whole subtree (members.subtree): several rows per key until folded, so
    # compared summed per key, and written back folded.
    "member_subtree_totals": (("union_id", "status", "gender"), ("n",)),
    "member_subtree_flows": (("union_id", "kind", "gender", "month"), ("n",)),
}
SUBTREE = ("member_subtree_totals", "member_subtree_flows")
# The register's own current figures, beside the totals kept from the periods.
REGISTER = (
    "(SELECT union_id, status, gender, count(*)::int AS n FROM members "
    "GROUP BY union_id, status, gender)"
)
SAMPLE = 20
NAMES = "member_names"
# Members' names that member_names lacks.
NAMES_MISSING = (
    "SELECT count(DISTINCT m.search_name) FROM members m WHERE NOT EXISTS "
    "(SELECT 1 FROM member_names n WHERE n.search_name = m.search_name)"
)


@dataclass
class Drift:
    """Rows of one table that differ from what the register says (a sample of them)."""

    table: str
    rows: int = 0
    sample: list[str] = field(default_factory=list)


async def rebuild(session: AsyncSession) -> dict[str, int]:
    """Recompute every count from the register; rows written per table.

    The register's tables are locked against writes meanwhile (reads go on), so no change
    slips between the recomputation and the switch. The caller commits.
    """
    await session.execute(
        text(
            "LOCK TABLE members, membership_periods, member_events, enterprises, unions "
            "IN SHARE MODE"
        )
    )
    # The subtree sums' fold waits (and the writers, which the table locks hold already).
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": subtree.LOCK_KEY})
    written = {}
    for table, (keys, values) in COUNTS.items():
        columns = ", ".join((*keys, *values))
        into, picked = (
            (f"{columns}, folded", f"{columns}, true") if table in SUBTREE else (columns, columns)
        )
        await session.execute(text(f"DELETE FROM {table}"))
        result = await session.execute(
            text(f"INSERT INTO {table} ({into}) SELECT {picked} FROM {table}_expected")
        )
        written[table] = int(getattr(result, "rowcount", 0) or 0)
    dropped = await session.execute(
        text(
            "DELETE FROM member_names n WHERE NOT EXISTS "
            "(SELECT 1 FROM members m WHERE m.search_name = n.search_name)"
        )
    )
    added = await session.execute(
        text(
            "INSERT INTO member_names (search_name) SELECT DISTINCT search_name FROM members "
            "ORDER BY 1 ON CONFLICT DO NOTHING"
        )
    )
    written[NAMES] = sum(int(getattr(r, "rowcount", 0) or 0) for r in (dropped, added))
    return written


def _stored(table: str, keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    """What `table` holds per key: itself, or a subtree table's rows summed per key."""
    if table not in SUBTREE:
        return table
    listed = ", ".join(keys)
    sums = ", ".join(f"sum({v})::int AS {v}" for v in values)
    nonzero = " OR ".join(f"sum({v}) <> 0" for v in values)
    return f"(SELECT {listed}, {sums} FROM {table} GROUP BY {listed} HAVING {nonzero})"


def _diff_query(table: str, expected: str, keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    on = " AND ".join(f"s.{k} = e.{k}" for k in keys)
    shown = ", ".join(f"coalesce(s.{k}, e.{k})::text" for k in keys)

    def side(alias: str) -> str:
        return "concat_ws(' ', " + ", ".join(f"coalesce({alias}.{v}, 0)" for v in values) + ")"

    return (
        f"SELECT concat_ws(' ', {shown}) AS key, {side('s')} AS stored, "
        f"{side('e')} AS expected "
        f"FROM {table} s FULL JOIN {expected} e ON {on} "
        f"WHERE {side('s')} <> {side('e')} ORDER BY 1"
    )


async def check(session: AsyncSession) -> list[Drift]:
    """The tables (and the register) that disagree; empty when the counts are right."""
    out = []
    comparisons = [
        (_stored(table, keys, values), f"{table}_expected", keys, values)
        for table, (keys, values) in COUNTS.items()
    ]
    comparisons.append(("member_count_totals", REGISTER, COUNTS["member_count_totals"][0], ("n",)))
    for table, expected, keys, values in comparisons:
        rows = (await session.execute(text(_diff_query(table, expected, keys, values)))).all()
        if rows:
            name = (
                expected.removesuffix("_expected")
                if expected.endswith("_expected")
                else "members (the register)"
            )
            out.append(
                Drift(
                    name,
                    len(rows),
                    [f"{r.key}: stored {r.stored}, expected {r.expected}" for r in rows[:SAMPLE]],
                )
            )
    missing = int(await session.scalar(text(NAMES_MISSING)) or 0)
    if missing:
        # No sample: the names are personal data, and the count says what to do.
        out.append(Drift(NAMES, missing, [f"{missing} names borne by members are not in {NAMES}"]))
    return out
