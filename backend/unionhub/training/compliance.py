"""The programme's five cadre indicators under a union, as of any day, by the tree and the
posts held on that day. Plain functions for other domains' readers (programme indicators):

    await compliance(session, principal, union_id, as_of, year=None, term_start=None)
    await people(session, principal, union_id, as_of, indicator, counted=None, page=...)

Definitions (a cadre is a member holding a post on `as_of` in a union under `union_id` in the
tree of that day, within the caller's scope of that day; a person counts once per row):
- full_time_degree: full-time cadres with a counting professional qualification of university
  level or above issued by `as_of` / full-time cadres (target 100%);
- full_time_postgraduate: the same with master or doctorate (target 15%);
- leader_political_theory: chairs and vice chairs of direct-superior unions with trung cấp
  political theory or higher / those leaders (target 100%);
- cadres_union_work: cadres with a union-work qualification issued between `term_start` and
  `as_of` / all cadres (target 95%);
- training_spend: approved training spend / approved total operating spend of `year` of the
  unions under `union_id` (target 15%); its "people" are the spending rows.
A record counts when it is a diploma or a confirmation issued before 2021-07-09.
"""

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, true
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.training import repository as repo
from unionhub.training.models import rank
from unionhub.training.schemas import (
    CompliancePerson,
    IndicatorCode,
)

IC = IndicatorCode
TARGETS: dict[IndicatorCode, Decimal] = {
    IC.FULL_TIME_DEGREE: Decimal("1"),
    IC.FULL_TIME_POSTGRADUATE: Decimal("0.15"),
    IC.LEADER_POLITICAL_THEORY: Decimal("1"),
    IC.CADRES_UNION_WORK: Decimal("0.95"),
    IC.TRAINING_SPEND: Decimal("0.15"),
}
UNIVERSITY = rank("professional", "university")
MASTER = rank("professional", "master")
TRUNG_CAP = rank("political_theory", "trung_cap")
# Congress terms the union-work indicator counts from, latest first: Programme 05's term
# (2018-2023), Tiền Giang's 2023-2028 term (start: verify), Đồng Tháp's first term (congress
# of 26/12/2025). A caller may name another start (`term_start`).
TERM_STARTS = (date(2025, 12, 26), date(2023, 7, 1), date(2018, 1, 1))

# Per indicator: (in the denominator, in the numerator), on a row of facts.
Rule = tuple[Callable[[Any], Any], Callable[[Any], Any]]
RULES: dict[IndicatorCode, Rule] = {
    IC.FULL_TIME_DEGREE: (lambda f: f.full_time, lambda f: f.prof >= UNIVERSITY),
    IC.FULL_TIME_POSTGRADUATE: (lambda f: f.full_time, lambda f: f.prof >= MASTER),
    IC.LEADER_POLITICAL_THEORY: (lambda f: f.ds_leader, lambda f: f.pt >= TRUNG_CAP),
    IC.CADRES_UNION_WORK: (lambda f: True, lambda f: f.uw),
}


def term_start_of(as_of: date) -> date:
    """The start of the congress term `as_of` falls in (see TERM_STARTS)."""
    for start in TERM_STARTS:
        if start <= as_of:
            return start
    return TERM_STARTS[-1]


# Per indicator: its code and target as the API writes them, the target in ten-thousandths.
_WRITTEN = {code: (code.value, str(t), int(t * 10_000)) for code, t in TARGETS.items()}


def indicator(code: IndicatorCode, numerator: int, denominator: int) -> dict[str, Any]:
    """One indicator as `CadreIndicator` serialises it: the answer is two thousand of these
    for a province (424 children x 5), whose models cost ~9 ms of CPU per request to validate
    and serialise (issue 11). The share is numerator / denominator rounded half up to four
    decimals, in integers (counts and VND are whole and not negative), written as the
    quantized `Decimal` writes it."""
    written, target, target_e4 = _WRITTEN[code]
    if not denominator:
        share, met = None, None
    else:
        e4 = (20_000 * numerator + denominator) // (2 * denominator)
        share, met = f"{e4 // 10_000}.{e4 % 10_000:04d}", e4 >= target_e4
    return {
        "code": written,
        "numerator": numerator,
        "denominator": denominator,
        "share": share,
        "target": target,
        "met": met,
    }


# (code, numerator's column, denominator's column) of `repo.cadre_counts`' rows.
_COLUMNS = [(code, f"{code}_num", f"{code}_den") for code in RULES]
_NONE = {code: (0, 0) for code in RULES}


def _figures(row: Any) -> dict[IndicatorCode, tuple[int, int]]:
    """(numerator, denominator) per cadre indicator from a row of `repo.cadre_counts` (a plain
    dict of it: a row's mapping, read 8 times for 424 children, cost ~5 ms per request)."""
    if row is None:
        return _NONE
    m = row._asdict()
    return {code: (int(m[num]), int(m[den])) for code, num, den in _COLUMNS}


def _facts(full_time: bool, ds_leader: bool, prof: int, pt: int, uw: bool) -> SimpleNamespace:
    """A person's facts under the names RULES use (the SQL subquery's column names), so one
    rule is both the SQL count and the marks of the drill-down."""
    return SimpleNamespace(full_time=full_time, ds_leader=ds_leader, prof=prof, pt=pt, uw=uw)


def _row(
    figures: dict[IndicatorCode, tuple[int, int]], spend: tuple[int, int]
) -> list[dict[str, Any]]:
    out = [indicator(code, n, d) for code, (n, d) in figures.items()]
    out.append(indicator(IC.TRAINING_SPEND, spend[0], spend[1]))
    return out


async def root_union(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None
) -> Any:
    if union_id is None:
        if not principal.assignments:
            raise Unprocessable("union_id", ErrorCode.REQUIRED, "Name the union.", in_="query")
        union_id = principal.assignments[0].union_id
    return await get_union_in_scope(session, principal, union_id, Permission.TRAINING_READ)


async def compliance(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID | None,
    as_of: date,
    *,
    year: int | None = None,
    term_start: date | None = None,
) -> dict[str, Any]:
    """The five indicators for the subtree of `union_id` (default: the caller's first role's
    union; 404 outside the caller's scope) and for each of its children on `as_of`, as the
    content of a `Compliance` (see `indicator`). `year` (default: the year of `as_of`) is the
    spending year; `term_start` defaults to the start of the term `as_of` falls in."""
    root = await root_union(session, principal, union_id)
    start = term_start or term_start_of(as_of)
    spend_year = year or as_of.year
    # One statement counts every child's figures and the whole subtree's (issue 11: the
    # people were fetched and counted here, 2 x 16,000 rows at the benchmark's scale).
    counted = await repo.cadre_counts(session, principal, root.id, as_of, start, RULES)
    total: Any = None
    by_child: dict[uuid.UUID | None, Any] = {}
    for r in counted:
        if r.whole:
            total = r
        else:
            by_child[r.child_id] = r
    spending = await repo.spending_by_child(session, principal, root.id, as_of, spend_year)
    spend_of = {c: (t, a) for c, t, a, _ in spending}
    all_spend = (sum(t for _, t, _, _ in spending), sum(a for _, _, a, _ in spending))
    children = []
    names = await repo.children_names(session, root.id, as_of)
    if None in by_child or None in spend_of:
        names = [(root.id, root.name), *names]
    for child_id, name in names:
        key = None if child_id == root.id else child_id
        children.append(
            {
                "union_id": child_id,
                "union_name": name,
                "own": key is None,
                "indicators": _row(_figures(by_child.get(key)), spend_of.get(key, (0, 0))),
            }
        )
    return {
        "union_id": root.id,
        "as_of": as_of,
        "term_start": start,
        "year": spend_year,
        "total": _row(_figures(total), all_spend),
        "children": children,
    }


async def people(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID | None,
    as_of: date,
    code: IndicatorCode,
    page: PageParams,
    *,
    counted: bool | None = None,
    term_start: date | None = None,
) -> Page[CompliancePerson]:
    """The people in an indicator's denominator (by name), each marked whether they are in
    the numerator; `counted` keeps only those who are (true) or are not (false)."""
    if code not in RULES:
        raise Unprocessable(
            "indicator", ErrorCode.NOT_A_CADRE_INDICATOR, "Spending has no people.", in_="query"
        )
    root = await root_union(session, principal, union_id)
    start = term_start or term_start_of(as_of)
    inside, numerator = RULES[code]

    def where(c: Any) -> Any:
        cond = inside(c)
        base = true() if cond is True else cond
        if counted is None:
            return base
        hit = numerator(c)
        return and_(base, hit if counted else ~hit)

    stmt = repo.people_query(principal, root.id, as_of, start, where)

    def items(rows: list[Any]) -> list[CompliancePerson]:
        out = []
        for r in rows:
            m = r._mapping
            view = _facts(m["full_time"], m["ds_leader"], m["prof"], m["pt"], m["uw"])
            out.append(
                CompliancePerson(
                    member_id=m["member_id"],
                    full_name=r[-3],
                    card_number=r[-2],
                    union_name=r[-1],
                    full_time=bool(m["full_time"]),
                    professional_rank=int(m["prof"]),
                    political_theory_rank=int(m["pt"]),
                    union_work_in_term=bool(m["uw"]),
                    counted=bool(numerator(view)),
                )
            )
        return out

    return await paginate(session, stmt, page, items)
