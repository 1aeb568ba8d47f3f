"""Generator step after the members: full-time officers of the direct-superior unions, the
executive committees above the grassroots, and a few transfers waiting for acceptance.

Full-time posts of the district federations and sector unions end on 30 June 2025, the day
before they were dissolved; the commune/ward unions' officers start on 1 July 2025.
"""

import random
from datetime import date, datetime, time, timedelta, timezone

from unionhub_dev.demo.bulk import Copier, raw_connection
from unionhub_dev.demo.cadres import REORG_DAY, CadreMaker, Candidate, pick_full_time
from unionhub_dev.demo.members import REFERENCE_DAY
from unionhub_dev.demo.registers import CADRE_COLUMNS, Registers, analyze
from unionhub_dev.demo.run import Run
from unionhub_dev.demo.specs import UnionSpec

TRANSFER_COLUMNS = (
    "id", "member_id", "from_union_id", "to_union_id", "status", "effective_date", "reason",
    "requested_by", "requested_at",
)  # fmt: skip
TRANSFER_REASONS = (
    "Chuyển công tác đến đơn vị mới",
    "Chuyển nơi làm việc theo gia đình",
    "Điều động công tác",
)
MEMBERS_PER_PENDING_TRANSFER = 25_000
# The first pending request has waited this long: the inbox flags requests over 30 days.
OLDEST_PENDING_DAYS = 45
VIETNAM = timezone(timedelta(hours=7))


def _posts_for(u: UnionSpec) -> tuple[str, ...]:
    if u.level == "province_federation":
        return ("chair", "vice_chair", "vice_chair", "standing_member")
    return ("chair", "vice_chair")


async def write_officers(run: Run) -> None:
    reg: Registers = run.registers
    plan, ids = run.plan, reg.ids
    rng = random.Random(f"{plan.seed}:officers")
    end = min(REFERENCE_DAY, date.today())
    cm = CadreMaker(rng, end)
    driver = await raw_connection(run.session)
    copier = Copier(
        driver, {"cadre_assignments": CADRE_COLUMNS, "transfer_requests": TRANSFER_COLUMNS}
    )
    dissolved = {d.code for d in plan.dissolutions}
    before, after = set[str](), set[str]()
    full_time: list[str] = []

    def post(
        c: Candidate, u: UnionSpec, name: str, start: date, last: date | None, ft: bool
    ) -> None:
        copier.add(
            "cadre_assignments",
            (ids(), c.member_id, run.union_ids[u.code], name, ft, max(start, c.admitted), last,
             cm.decision("LĐLĐ"), 1),
        )  # fmt: skip
        if ft:
            full_time.append(c.member_id)

    for u in [*plan.unions, *plan.new_unions]:
        if u.level not in ("direct_superior", "province_federation"):
            continue
        if u.code in dissolved:
            # Their officers served until the day before the reorganisation.
            last = REORG_DAY - timedelta(days=1)
            start = cm.term_start(u)
            pool = reg.pools.by_parent_then.get(u.code, [])
            for name, c in zip(
                _posts_for(u), pick_full_time(rng, pool, 2, last, before), strict=False
            ):
                post(c, u, name, start, last, True)
            continue
        start = REORG_DAY if u.kind == "commune_union" else cm.term_start(u)
        pool = reg.pools.by_parent_now.get(u.code, [])
        wanted = _posts_for(u)
        for name, c in zip(
            wanted, pick_full_time(rng, pool, len(wanted), end, after), strict=False
        ):
            post(c, u, name, start, None, True)
        # Chairs of the grassroots unions below sit on the executive committee part-time.
        for c in reg.pools.chairs_by_parent_now.get(u.code, [])[:3]:
            post(c, u, "executive_member", start, None, False)
    await copier.flush()
    if full_time:
        # Programme 05 wants every full-time officer with a degree and political theory.
        await driver.execute(
            "UPDATE members SET education_level = CASE WHEN education_level IN "
            "('master', 'doctorate') THEN education_level ELSE 'university' END, "
            "political_theory = CASE WHEN political_theory IN ('cao_cap', 'cu_nhan') "
            "THEN political_theory ELSE 'trung_cap' END WHERE id = ANY($1::uuid[])",
            full_time,
        )
    _transfers(run, reg, copier, rng, end, before | after)
    await copier.flush()
    reg.counts["cadre_assignments"] = (
        reg.counts.get("cadre_assignments", 0) + copier.counts["cadre_assignments"]
    )
    reg.counts["transfer_requests"] = copier.counts["transfer_requests"]
    reg.counts["full_time_cadres"] = len(full_time)
    await analyze(run)


def _transfers(
    run: Run, reg: Registers, copier: Copier, rng: random.Random, end: date, busy: set[str]
) -> None:
    """A few members waiting to move to a union in another district."""
    members = sum(reg.sizes.values())
    wanted = max(3, members // MEMBERS_PER_PENDING_TRANSFER)
    targets = [
        (u.code, u.district)
        for u in run.plan.unions
        if u.level == "grassroots" and u.code in reg.sizes
    ]
    requester = run.user_ids.get("tinh")
    filed: list[datetime] = []
    for c, code, district in reg.pools.transfer:
        if wanted == 0:
            break
        if c.member_id in busy:
            continue
        dest = [t for t, dk in targets if dk != district]
        if not dest:
            continue
        day = max(c.admitted + timedelta(days=1), end - timedelta(days=rng.randint(0, 25)))
        # Filed a few days before the move; the first one long ago, still unanswered.
        waited = OLDEST_PENDING_DAYS if not filed else rng.randint(2, 20)
        filed.append(datetime.combine(date.today() - timedelta(days=waited), time(9), VIETNAM))
        copier.add(
            "transfer_requests",
            (reg.ids(), c.member_id, run.union_ids[code], run.union_ids[rng.choice(dest)],
             "pending", min(day, end), rng.choice(TRANSFER_REASONS), requester, filed[-1]),
        )  # fmt: skip
        wanted -= 1
