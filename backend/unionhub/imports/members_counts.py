"""The maintained member counts (docs/adr/0009) of an import's new members, from the rows in
hand: what the insert triggers of membership_periods and member_events would add, summed over
the whole commit and written by one call of each of the counts' own functions.

The triggers join every inserted period and event back to its member for the gender and expand
each row through a set-returning function, once per batch: about 2.2 s of database CPU for
100,000 new members at 1M (docs/benchmarks.md). The import knows each new member's union,
gender, first day and admission date already. While the commit's transaction has
`unionhub.counts_by_caller` set (from `claim` to `apply`, SET LOCAL: it never outlives the
transaction), the two insert triggers skip its statements, and `apply` adds the counts before
the transaction commits: the counts stay all-or-nothing with the rows. Rows the import does not
create (the `updated` events of an update import) add no flow, as member_event_flows says.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from unionhub.members.models import MemberEventType, MemberStatus

_ACTIVE = MemberStatus.ACTIVE.value
_ADMITTED = MemberEventType.ADMITTED.value


@dataclass
class Counts:
    """Deltas per (union, status, gender, day) and flows per (union, kind, gender, day)."""

    deltas: Counter[tuple[uuid.UUID, str, str, date]] = field(default_factory=Counter)
    flows: Counter[tuple[uuid.UUID, str, str, date]] = field(default_factory=Counter)

    def admitted(self, union_id: uuid.UUID, gender: str, since: date, admitted: date) -> None:
        """A new active member: an open period from `since`, an `admitted` event on
        `admitted` (member_period_deltas and member_event_flows for those rows)."""
        self.deltas[(union_id, _ACTIVE, gender, since)] += 1
        self.flows[(union_id, _ADMITTED, gender, admitted)] += 1


async def claim(conn: Any) -> None:
    """From here until `apply`, the import writes the counts of its inserts itself (SET LOCAL:
    a rollback, to the start or to a savepoint before this, also undoes it)."""
    await conn.execute("SET LOCAL unionhub.counts_by_caller = 'on'")


async def apply(conn: Any, counts: Counts) -> None:
    """Add `counts` (the functions sort the keys, so writers lock rows in one order), and give
    the counting back to the triggers for whatever the transaction writes next."""
    deltas = [(k, n) for k, n in counts.deltas.items() if n]
    if deltas:
        await conn.execute(
            "SELECT member_counts_apply($1::uuid[], $2::text[], $3::text[], $4::date[], $5::int[])",
            *_columns(deltas),
        )
    flows = [(k, n) for k, n in counts.flows.items() if n]
    if flows:
        await conn.execute(
            "SELECT member_flows_apply($1::uuid[], $2::text[], $3::text[], $4::date[], $5::int[])",
            *_columns(flows),
        )
    counts.deltas.clear()
    counts.flows.clear()
    await conn.execute("SET LOCAL unionhub.counts_by_caller = 'off'")


def _columns(
    items: list[tuple[tuple[uuid.UUID, str, str, date], int]],
) -> tuple[list[Any], list[Any], list[Any], list[Any], list[int]]:
    return (
        [k[0] for k, _ in items],
        [k[1] for k, _ in items],
        [k[2] for k, _ in items],
        [k[3] for k, _ in items],
        [n for _, n in items],
    )
