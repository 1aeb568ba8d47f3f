"""Finding a union by what people type: any word order, no accents, the usual abbreviations.

"lien doan my tho", "LĐLĐ Mỹ Tho" and "ldld tp my tho" all find "Liên đoàn Lao động thành phố
Mỹ Tho"; "cdcs cty tnhh viet tien" finds "Công đoàn cơ sở Công ty TNHH Việt Tiến". A query is
folded (`core.text.fold`) and cut into terms; each term is a word or an abbreviation together
with what it stands for, and must start a word of the union's code, name or short name. Results
rank an exact name first, then the higher levels (a federation before its grassroots unions),
then names holding the query's words in order, then trigram similarity.

Today's tree is searched on `unions.search_text` (GIN trigram index, regular expressions on
word starts); a past date's on the names of the periods covering that date, within the
caller's scope of that date.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.principal import Principal
from unionhub.authz.scope import union_filter, union_ids_as_of
from unionhub.core.text import fold
from unionhub.unions import repository as repo
from unionhub.unions.models import Union, UnionLevel, UnionPeriod, UnionStatus
from unionhub.unions.schemas import UnionSearchHit

# What each abbreviation stands for, folded. A query may use either form; so may a name.
ABBREVIATIONS: dict[str, str] = {
    "ldld": "lien doan lao dong",
    "cdcs": "cong doan co so",
    "cdn": "cong doan nganh",
    "cd": "cong doan",
    "ld": "lien doan",
    "tp": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "ctcp": "cong ty co phan",
    "cty": "cong ty",
    "ct": "cong ty",
    "tnhh": "trach nhiem huu han",
    "mtv": "mot thanh vien",
    "cp": "co phan",
    "dntn": "doanh nghiep tu nhan",
    "htx": "hop tac xa",
    "kcn": "khu cong nghiep",
    "ubnd": "uy ban nhan dan",
    "thpt": "trung hoc pho thong",
    "thcs": "trung hoc co so",
    "mn": "mam non",
    "bv": "benh vien",
    "ttyt": "trung tam y te",
    "ccvc": "cong chuc vien chuc",
    "vc": "vien chuc",
}
# The long forms, longest first, as word lists: recognised in a query word by word.
_PHRASES = sorted(
    ((full.split(), abbr) for abbr, full in ABBREVIATIONS.items()),
    key=lambda p: -len(p[0]),
)
_WORD = re.compile(r"[a-z0-9]+")
# Levels from the top of the tree down: the rank of a hit when names match equally well.
LEVEL_RANK = {
    UnionLevel.PROVINCE_FEDERATION.value: 0,
    UnionLevel.DIRECT_SUPERIOR.value: 1,
    UnionLevel.GRASSROOTS.value: 2,
    UnionLevel.OCCUPATIONAL.value: 2,
    UnionLevel.MEMBER_UNION.value: 3,
    UnionLevel.DEPARTMENTAL.value: 4,
    UnionLevel.UNION_GROUP.value: 5,
}
MAX_TERMS = 8
Parent = aliased(Union)
ParentPeriod = aliased(UnionPeriod)


@dataclass(frozen=True)
class Query:
    folded: str  # the query's words, folded, in order
    terms: list[tuple[str, ...]]  # per term: the forms any of which must start a word


def parse(q: str) -> Query:
    """'LĐLĐ Mỹ Tho' -> terms (ldld | lien doan lao dong), (my), (tho)."""
    words = _WORD.findall(fold(q))
    terms: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        for phrase, abbr in _PHRASES:
            if words[i : i + len(phrase)] == phrase:
                terms.append((abbr, " ".join(phrase)))
                i += len(phrase)
                break
        else:
            word = words[i]
            full = ABBREVIATIONS.get(word)
            terms.append((word, full) if full else (word,))
            i += 1
    return Query(folded=" ".join(words), terms=terms[:MAX_TERMS])


def expand(text: str) -> str:
    """A folded name with every abbreviation written out: how names are compared for order."""
    return " ".join(ABBREVIATIONS.get(w, w) for w in _WORD.findall(text))


def _matches(column: Any, query: Query) -> ColumnElement[bool]:
    """Every term starts a word of `column` (folded text) in one of its forms."""
    return and_(
        *(
            or_(*(column.op("~")(rf"(^|[^a-z0-9]){re.escape(form)}") for form in term))
            for term in query.terms
        )
    )


def _folded(column: Any) -> ColumnElement[str]:
    """Accent- and case-free text in SQL, as `core.text.fold` makes it in Python."""
    return func.lower(func.unaccent(column))


async def search(
    session: AsyncSession,
    principal: Principal,
    q: str,
    *,
    as_of: date | None = None,
    active_only: bool = False,
    limit: int = 20,
) -> list[UnionSearchHit]:
    query = parse(q)
    if not query.terms:
        return []
    if as_of is None:
        name, short_name, status = Union.name, Union.short_name, Union.status
        text: Any = Union.search_text
        stmt = (
            select(Union.id.label("union_id"), Union.parent_id.label("parent_id"))
            .add_columns(Parent.name.label("parent_name"))
            .outerjoin(Parent, Parent.id == Union.parent_id)
            .where(union_filter(principal))
        )
    else:
        name, short_name, status = UnionPeriod.name, UnionPeriod.short_name, UnionPeriod.status
        text = _folded(func.concat_ws(" ", Union.code, UnionPeriod.name, UnionPeriod.short_name))
        stmt = (
            repo.periods_on(as_of)
            .with_only_columns(
                UnionPeriod.union_id.label("union_id"),
                UnionPeriod.parent_id.label("parent_id"),
                ParentPeriod.name.label("parent_name"),
            )
            .outerjoin(
                ParentPeriod,
                and_(
                    ParentPeriod.union_id == UnionPeriod.parent_id,
                    ParentPeriod.valid_from <= as_of,
                    or_(ParentPeriod.valid_to.is_(None), ParentPeriod.valid_to > as_of),
                ),
            )
            .where(UnionPeriod.union_id.in_(union_ids_as_of(principal, as_of)))
        )
    exact = or_(
        _folded(name) == query.folded,
        func.coalesce(_folded(short_name), "") == query.folded,
        func.lower(Union.code) == query.folded,
    )
    stmt = stmt.add_columns(
        Union.code,
        name.label("name"),
        short_name.label("short_name"),
        Union.level,
        Union.kind,
        status.label("status"),
        Union.merged_into_id,
        Union.ended_on,
    ).where(_matches(text, query))
    if active_only:
        stmt = stmt.where(status == UnionStatus.ACTIVE.value)
    stmt = stmt.order_by(
        case((exact, 0), else_=1),
        case((status == UnionStatus.ACTIVE.value, 0), else_=1),
        case(LEVEL_RANK, value=Union.level, else_=9),
        case((text.contains(query.folded, autoescape=True), 0), else_=1),
        func.similarity(text, expand(query.folded)).desc(),
        name,
        Union.code,
    ).limit(limit)
    rows = (await session.execute(stmt)).all()
    return [
        UnionSearchHit(
            id=r.union_id,
            code=r.code,
            name=r.name,
            short_name=r.short_name,
            level=r.level,
            kind=r.kind,
            status=r.status,
            parent_id=r.parent_id,
            parent_name=r.parent_name,
            merged_into_id=r.merged_into_id,
            ended_on=r.ended_on if r.status != UnionStatus.ACTIVE.value else None,
        )
        for r in rows
    ]
