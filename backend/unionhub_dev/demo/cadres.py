"""Union posts of the demo: the executive committee of every grassroots union, leaders of union
groups, full-time officers of the direct-superior unions, and a few pending transfers.

Posts follow the register's rules (members.cadres): held in the member's union or one above
it, group posts only in union groups, one chair at a time, never before the admission date,
never by a foreign member.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from unionhub_dev.demo.specs import DemoPlan, UnionSpec

TERM_FROM, TERM_TO = date(2023, 3, 1), date(2023, 6, 30)  # congresses of the 2023-2028 term
PREVIOUS_TERM_FROM = date(2018, 3, 1)
REORG_DAY = date(2025, 7, 1)
TRAINING = "Bồi dưỡng nghiệp vụ công tác công đoàn"
POOL_SIZE = 8  # candidates kept per direct-superior union for its full-time posts


def grassroots_posts(size: int) -> list[str]:
    """The committee a grassroots union of `size` members elects (chair first)."""
    committee = (
        3 if size < 30 else 5 if size < 100 else 7 if size < 300 else 9 if size < 1000 else 13
    )
    posts = ["chair"]
    if size >= 10:
        posts.append("vice_chair")
    if size >= 300:
        posts.append("vice_chair")
    posts += ["executive_member"] * (committee - len(posts))
    if size >= 30:
        posts += ["inspection_chair", "inspection_member", "inspection_member"]
    return posts


def group_posts(size: int) -> list[str]:
    return ["group_leader", "group_deputy"] if size >= 6 else ["group_leader"]


def today_parents(plan: DemoPlan) -> dict[str, str]:
    """Union code -> its parent's code in today's tree (after the July 2025 moves)."""
    moved = {m.code: m.new_parent for m in plan.moves}
    return {
        u.code: moved.get(u.code, u.parent)
        for u in [*plan.unions, *plan.new_unions]
        if u.parent is not None
    }


@dataclass
class Candidate:
    member_id: str
    admitted: date


@dataclass
class Pools:
    """Members kept aside while the register is written, for posts decided afterwards."""

    by_parent_now: dict[str, list[Candidate]] = field(default_factory=dict)
    by_parent_then: dict[str, list[Candidate]] = field(default_factory=dict)
    chairs_by_parent_now: dict[str, list[Candidate]] = field(default_factory=dict)
    transfer: list[tuple[Candidate, str, str]] = field(
        default_factory=list
    )  # (who, union, district)

    def offer(self, key: str | None, pool: dict[str, list[Candidate]], c: Candidate) -> bool:
        if key is None:
            return False
        bucket = pool.setdefault(key, [])
        if len(bucket) >= POOL_SIZE:
            return False
        bucket.append(c)
        return True


class CadreMaker:
    def __init__(self, rng: random.Random, end: date) -> None:
        self.rng = rng
        self.end = end

    def term_start(self, u: UnionSpec) -> date:
        if u.founded_on >= TERM_FROM:
            return min(self.end, u.founded_on + timedelta(days=self.rng.randint(0, 10)))
        return TERM_FROM + timedelta(days=self.rng.randint(0, (TERM_TO - TERM_FROM).days))

    def start_for(self, admitted: date, term: date) -> date:
        if admitted <= term:
            return term
        return min(self.end, admitted + timedelta(days=self.rng.randint(30, 120)))

    def decision(self, issuer: str) -> str:
        return f"{self.rng.randint(1, 350)}/QĐ-{issuer}"

    def trainings(self, since: date) -> str:
        year = self.rng.randint(max(since.year, 2018), self.end.year)
        return (
            f'[{{"name": "{TRAINING}", "year": {year}, '
            f'"organiser": "Liên đoàn Lao động tỉnh Tiền Giang"}}]'
        )


def pick_full_time(
    rng: random.Random, pool: list[Candidate], count: int, not_after: date, taken: set[str]
) -> list[Candidate]:
    """Up to `count` pool members admitted by `not_after` and holding no full-time post yet."""
    out: list[Candidate] = []
    for c in pool:
        if len(out) == count:
            break
        if c.admitted <= not_after and c.member_id not in taken:
            out.append(c)
            taken.add(c.member_id)
    return out
