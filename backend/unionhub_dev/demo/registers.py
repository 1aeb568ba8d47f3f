"""Generator steps for the registers: enterprises with their surveys, then members with their
periods, events and grassroots posts, all written with COPY (see bulk.py).

Each step draws from its own random stream derived from the seed, so the data are the same
for a seed whatever the sizes of the other registers; ids are fresh UUIDv7s on every load.
"""

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from unionhub.enterprises.service import search_text as enterprise_search_text
from unionhub_dev.demo.bulk import (
    Copier,
    Ids,
    IndexHold,
    Row,
    raw_connection,
    reserve_card_numbers,
)
from unionhub_dev.demo.cadres import (
    PREVIOUS_TERM_FROM,
    REORG_DAY,
    CadreMaker,
    Candidate,
    Pools,
    grassroots_posts,
    group_posts,
    today_parents,
)
from unionhub_dev.demo.firms import EnterpriseSpec, plan_enterprises
from unionhub_dev.demo.members import (
    HOLDING_LEVELS,
    MEMBERS_AT_FULL_SCALE,
    REASONS,
    Drawn,
    MemberMaker,
    member_sizes,
    occupation_of,
    profile_of,
)
from unionhub_dev.demo.people import folded
from unionhub_dev.demo.places import DISTRICT_BY_KEY, OLD_COMMUNE_CODES
from unionhub_dev.demo.run import Run
from unionhub_dev.demo.specs import UnionSpec

ENTERPRISE_COLUMNS = (
    "id", "tax_code", "name", "short_name", "ownership", "vsic_code", "commune_code", "address",
    "industrial_zone", "responsible_union_id", "operating_status", "phone", "email",
    "representative", "total_workers", "female_workers", "surveyed_on", "search_text", "version",
)  # fmt: skip
SURVEY_COLUMNS = ("id", "enterprise_id", "surveyed_on", "total_workers", "female_workers", "note")
MEMBER_COLUMNS = (
    "id", "full_name", "search_name", "date_of_birth", "gender", "ethnicity", "nationality",
    "personal_id", "passport_no", "phone", "email", "commune_code", "education_level",
    "professional_qualification", "political_theory", "occupation", "enterprise_id",
    "party_member", "admission_date", "admitted_by_union_id", "card_number", "union_id",
    "status", "status_since", "trainings", "version",
)  # fmt: skip
PERIOD_COLUMNS = ("id", "member_id", "union_id", "status", "valid_from", "valid_to")
EVENT_COLUMNS = ("id", "member_id", "event_type", "effective_date", "union_id", "reason", "details")
CADRE_COLUMNS = (
    "id", "member_id", "union_id", "post", "full_time", "from_date", "to_date", "decision_no",
    "version",
)  # fmt: skip
IN_MEMBERSHIP_SHARE = 0.96  # of a union's member rows, those active or suspended
TRANSFER_POOL = 400
# Members of a grassroots union moved to another under the same parent since the July 2025
# reorganisation (more of them lately, some in the current month).
TRANSFERRED_SHARE = 0.02
BULK_MEMBERS = 50_000


@dataclass
class Registers:
    """Sizes planned up front and what the later steps need from the earlier ones."""

    sizes: dict[str, int]
    firms: list[EnterpriseSpec]
    ids: Ids
    enterprise_of_union: dict[str, str] = field(default_factory=dict)  # union code -> id
    pools: Pools = field(default_factory=Pools)
    counts: dict[str, int] = field(default_factory=dict)
    cadre_member_ids: set[str] = field(default_factory=set)
    copy_seconds: dict[str, float] = field(default_factory=dict)


def plan_registers(run: Run) -> Registers:
    plan = run.plan
    total = run.members if run.members is not None else round(MEMBERS_AT_FULL_SCALE * plan.scale)
    sizes = member_sizes(plan, random.Random(f"{plan.seed}:sizes"), total)
    in_membership: dict[str, int] = {}
    for u in plan.unions:
        if u.code in sizes:
            owner = u.parent if u.level == "union_group" and u.parent else u.code
            in_membership[owner] = in_membership.get(owner, 0) + round(
                sizes[u.code] * IN_MEMBERSHIP_SHARE
            )
    firms = plan_enterprises(
        plan, in_membership, random.Random(f"{plan.seed}:enterprises"), run.enterprises
    )
    return Registers(sizes=sizes, firms=firms, ids=Ids(random.Random()))


async def write_enterprises(run: Run) -> None:
    """Enterprises and surveys; each enterprise union is linked to its enterprise."""
    reg = run.registers = plan_registers(run)
    await run.session.flush()
    driver = await raw_connection(run.session)
    copier = Copier(driver, {"enterprises": ENTERPRISE_COLUMNS, "worker_surveys": SURVEY_COLUMNS})
    ids, links = reg.ids, []
    for f in reg.firms:
        eid = ids()
        day, total, female = f.surveys[-1]
        copier.add(
            "enterprises",
            (
                eid, f.tax_code, f.name, f.short_name, f.ownership, f.vsic_code,
                f.commune_code, f.address, f.industrial_zone, run.union_ids[f.responsible],
                f.operating_status, f.phone, f.email, f.representative, total, female, day,
                enterprise_search_text(f.name, f.short_name, f.tax_code), 1,
            ),
        )  # fmt: skip
        for s_day, s_total, s_female in f.surveys:
            copier.add("worker_surveys", (ids(), eid, s_day, s_total, s_female, None))
        if f.union is not None:
            reg.enterprise_of_union[f.union] = eid
            links.append((run.union_ids[f.union], eid))
        await copier.flush_if_full("worker_surveys")
    await copier.flush()
    await driver.executemany(
        "UPDATE unions SET enterprise_id = $2, updated_at = now() WHERE id = $1", links
    )
    reg.counts.update(copier.counts)


class MemberWriter:
    """Turns drawn members into rows of members, periods, events and grassroots posts."""

    def __init__(self, run: Run, reg: Registers, copier: Copier, first_card: int) -> None:
        self.run, self.reg, self.copier = run, reg, copier
        rng = random.Random(f"{run.plan.seed}:members")
        self.rng = rng
        self.maker = MemberMaker(rng)
        self.cadres = CadreMaker(rng, self.maker.end)
        self.card = first_card
        self.parents_now = today_parents(run.plan)
        self.by_code = run.plan.by_code()
        # A stream of its own: the other members come out as they did before transfers.
        self.moves = random.Random(f"{run.plan.seed}:transfers")
        self.siblings: dict[str, list[str]] = {}
        for u in run.plan.unions:
            if u.level == "grassroots" and u.code in reg.sizes:
                self.siblings.setdefault(self.parents_now.get(u.code, ""), []).append(u.code)

    def _home_codes(self, u: UnionSpec) -> tuple[str, ...]:
        home = u if u.commune_code else self.by_code[u.parent or ""]
        d = DISTRICT_BY_KEY.get(home.district or "")
        near = tuple(OLD_COMMUNE_CODES[(d.key, c)] for c in d.old_communes) if d else ()
        return (home.commune_code or "", *near)

    def batches(self, unions: list[UnionSpec]) -> Iterator[dict[str, list[Row]]]:
        """Rows of every member of `unions`, a batch of about BATCH_ROWS members at a time."""
        for u in unions:
            self.union(u)
            if self.copier.full("members"):
                yield self.copier.take()
        yield self.copier.take()

    def union(self, u: UnionSpec) -> None:
        reg, ids = self.reg, self.reg.ids
        grassroots = u if u.level != "union_group" else self.by_code[u.parent or ""]
        uid = str(self.run.union_ids[u.code])
        admitted_by = str(self.run.union_ids[grassroots.code])
        enterprise = reg.enterprise_of_union.get(grassroots.code)
        profile = profile_of(grassroots)
        occupation = occupation_of(grassroots)
        foreign_ok = enterprise is not None and "Công ty TNHH" in grassroots.name
        size = reg.sizes[u.code]
        posts = group_posts(size) if u.level == "union_group" else grassroots_posts(size)
        term = self.cadres.term_start(u)
        homes = self._home_codes(u)
        pooled = 0
        for _ in range(size):
            d = self.maker.draw(u.founded_on, profile, foreign_ok)
            mid = ids()
            extra = self.maker.details(d, profile, occupation)
            trainings = "[]"
            eligible = d.status == "active" and d.nationality == "VN"
            if eligible and posts:
                trainings = self._post(u, mid, d, posts.pop(0), term, uid, extra)
            elif eligible and u.level != "union_group" and pooled < 2:
                pooled += 1
                self._offer(u, Candidate(mid, d.admitted))
            elif (
                eligible
                and u.level != "union_group"
                and pooled == 2
                and len(self.reg.pools.transfer) < TRANSFER_POOL
            ):
                # The next one may ask to move (never one of the officers picked from the pools).
                pooled += 1
                self.reg.pools.transfer.append(
                    (Candidate(mid, d.admitted), u.code, u.district or "")
                )
            elif eligible and u.level == "grassroots":
                moved = self._transfer(u, d)
                if moved is not None:
                    self._moved(d, mid, uid, admitted_by, extra, homes, *moved)
                    continue
            self._rows(d, mid, uid, admitted_by, enterprise, extra, trainings, homes)

    def _transfer(self, u: UnionSpec, d: Drawn) -> tuple[str, date] | None:
        """Where and when this member moved, if they are one of the few who did."""
        rng, end = self.moves, self.maker.end
        if rng.random() >= TRANSFERRED_SHARE:
            return None
        first = max(REORG_DAY, d.admitted + timedelta(days=60))
        others = [c for c in self.siblings.get(self.parents_now.get(u.code, ""), []) if c != u.code]
        if first >= end or not others:
            return None
        # Squared: recent days are likelier, so the current month has some.
        day = end - timedelta(days=int(rng.random() ** 2 * (end - first).days))
        return rng.choice(others), day

    def _moved(
        self,
        d: Drawn,
        mid: str,
        uid: str,
        admitted_by: str,
        x: dict[str, Any],
        homes: tuple[str, ...],
        to_code: str,
        day: date,
    ) -> None:
        """A member who moved to `to_code` on `day`: two periods and a `transferred` event."""
        ids, add = self.reg.ids, self.copier.add
        to = str(self.run.union_ids[to_code])
        self._rows(d, mid, to, admitted_by, self.reg.enterprise_of_union.get(to_code), x, "[]",
                   homes, first_union=uid, moved_on=day)  # fmt: skip
        add(
            "member_events",
            (ids(), mid, "transferred", day, to, "Chuyển công tác",
             f'{{"from_union_id": "{uid}", "to_union_id": "{to}"}}'),
        )  # fmt: skip

    def _offer(self, u: UnionSpec, c: Candidate) -> None:
        pools = self.reg.pools
        pools.offer(self.parents_now.get(u.code), pools.by_parent_now, c)
        pools.offer(u.parent, pools.by_parent_then, c)

    def _post(
        self, u: UnionSpec, mid: str, d: Drawn, post: str, term: Any, uid: str, extra: Any
    ) -> str:
        cm, ids = self.cadres, self.reg.ids
        start = cm.start_for(d.admitted, term)
        issuer = "CĐCS" if u.level == "union_group" else "LĐLĐ"
        self.copier.add(
            "cadre_assignments",
            (ids(), mid, uid, post, False, start, None, cm.decision(issuer), 1),
        )
        self.reg.cadre_member_ids.add(mid)
        if post == "chair":
            self.reg.pools.offer(
                self.parents_now.get(u.code),
                self.reg.pools.chairs_by_parent_now,
                Candidate(mid, d.admitted),
            )
            if extra["political_theory"] in (None, "none"):
                extra["political_theory"] = "so_cap"
            if (
                d.admitted <= PREVIOUS_TERM_FROM
                and u.founded_on <= PREVIOUS_TERM_FROM
                and start.year == 2023
                and self.rng.random() < 0.4
            ):
                began = PREVIOUS_TERM_FROM + timedelta(days=self.rng.randint(0, 120))
                self.copier.add(
                    "cadre_assignments",
                    (ids(), mid, uid, "vice_chair", False, began, start - timedelta(days=1),
                     cm.decision(issuer), 1),
                )  # fmt: skip
        return cm.trainings(start) if self.rng.random() < 0.92 else "[]"

    def _rows(
        self,
        d: Drawn,
        mid: str,
        uid: str,
        admitted_by: str,
        enterprise: str | None,
        x: dict[str, Any],
        trainings: str,
        homes: tuple[str, ...],
        first_union: str | None = None,
        moved_on: date | None = None,
    ) -> None:
        ids, add = self.reg.ids, self.copier.add
        card = f"CD{self.card:010d}"
        self.card += 1
        commune = homes[0] if self.rng.random() < 0.7 or len(homes) == 1 else self.rng.choice(homes)
        since = d.changed or d.admitted
        add(
            "members",
            (
                mid, d.full_name, folded(d.full_name), d.born, d.gender, x["ethnicity"],
                d.nationality, d.personal_id, d.passport_no, x["phone"], x["email"], commune,
                x["education_level"], x["professional_qualification"], x["political_theory"],
                x["occupation"], enterprise, x["party_member"], d.admitted, admitted_by, card,
                uid, d.status, since, trainings, 1,
            ),
        )  # fmt: skip
        add(
            "member_events",
            (ids(), mid, "admitted", d.admitted, first_union or uid, None,
             f'{{"card_number": "{card}", "admitted_by_union_id": "{admitted_by}"}}'),
        )  # fmt: skip
        if first_union is not None and moved_on is not None:
            add("membership_periods", (ids(), mid, first_union, "active", d.admitted, moved_on))
            add("membership_periods", (ids(), mid, uid, "active", moved_on, None))
            return
        if d.changed is None:
            add("membership_periods", (ids(), mid, uid, "active", d.admitted, None))
            return
        add("membership_periods", (ids(), mid, uid, "active", d.admitted, d.changed))
        add("membership_periods", (ids(), mid, uid, d.status, d.changed, None))
        reason = self.rng.choice(REASONS[d.status])
        add(
            "member_events",
            (ids(), mid, d.status, d.changed, uid, reason, '{"from_status": "active"}'),
        )


async def write_members(run: Run) -> None:
    """Every member of every grassroots union and union group, in plan order.

    A load of BULK_MEMBERS or more into an empty register builds the register's indexes after
    the rows are in (bulk.IndexHold) instead of row by row.
    """
    reg: Registers = run.registers
    driver = await raw_connection(run.session)
    copier = Copier(
        driver,
        {
            "members": MEMBER_COLUMNS,
            "membership_periods": PERIOD_COLUMNS,
            "member_events": EVENT_COLUMNS,
            "cadre_assignments": CADRE_COLUMNS,
        },
    )
    total = sum(reg.sizes.values())
    first = await reserve_card_numbers(run.session, total)
    writer = MemberWriter(run, reg, copier, first)
    holders = [u for u in run.plan.unions if u.level in HOLDING_LEVELS and u.code in reg.sizes]
    hold = None
    if total >= BULK_MEMBERS and not await driver.fetchval("SELECT EXISTS (SELECT FROM members)"):
        hold = IndexHold(driver, ("members", "membership_periods", "member_events"))
        await hold.drop()
    await copier.pipeline(writer.batches(holders))
    if hold is not None:
        started = time.perf_counter()
        await hold.restore()
        reg.copy_seconds["indexes"] = time.perf_counter() - started
    reg.counts.update(copier.counts)
    reg.copy_seconds.update(copier.seconds)


async def analyze(run: Run) -> None:
    """Fresh planner statistics: the tables grew from nothing inside this transaction."""
    for table in (
        "unions", "enterprises", "worker_surveys", "members", "membership_periods",
        "member_events", "cadre_assignments", "transfer_requests",
    ):  # fmt: skip
        await run.session.execute(text(f"ANALYZE {table}"))
