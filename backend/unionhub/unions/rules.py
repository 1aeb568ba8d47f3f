"""Which level may sit under which, and the date rules every tree operation obeys."""

from datetime import date

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.unions.models import UnionLevel as L

ALLOWED_PARENTS: dict[L, frozenset[L | None]] = {
    L.PROVINCE_FEDERATION: frozenset({None}),
    L.DIRECT_SUPERIOR: frozenset({L.PROVINCE_FEDERATION}),
    L.GRASSROOTS: frozenset({L.PROVINCE_FEDERATION, L.DIRECT_SUPERIOR}),
    L.OCCUPATIONAL: frozenset({L.PROVINCE_FEDERATION, L.DIRECT_SUPERIOR}),
    L.MEMBER_UNION: frozenset({L.GRASSROOTS}),
    L.DEPARTMENTAL: frozenset({L.GRASSROOTS, L.MEMBER_UNION}),
    L.UNION_GROUP: frozenset({L.GRASSROOTS, L.MEMBER_UNION, L.DEPARTMENTAL}),
}


def may_sit_under(child: L | str, parent: L | str | None) -> bool:
    return (L(parent) if parent else None) in ALLOWED_PARENTS[L(child)]


def check_parent_level(child: L | str, parent: L | str | None, field: str = "parent_id") -> None:
    if not may_sit_under(child, parent):
        allowed = sorted(
            p.value if p else "(none: top of the tree)" for p in ALLOWED_PARENTS[L(child)]
        )
        raise Unprocessable(
            field,
            ErrorCode.PARENT_LEVEL_NOT_ALLOWED,
            f"A {L(child).value} union cannot sit under a {L(parent).value if parent else 'no'} "
            f"union; allowed parents: {', '.join(allowed)}.",
            params={"level": L(child).value, "parent_level": L(parent).value if parent else None},
        )


def check_effective_date(
    effective: date, not_before: date | None, field: str = "effective_date"
) -> None:
    """No future dates (the tree changes now), and no date before the union's last change."""
    if effective > date.today():
        raise Unprocessable(
            field,
            ErrorCode.DATE_IN_FUTURE,
            "The effective date cannot be in the future.",
            params={"value": effective, "today": date.today()},
        )
    if not_before is not None and effective < not_before:
        raise Unprocessable(
            field,
            ErrorCode.DATE_BEFORE_LAST_CHANGE,
            f"The effective date cannot be before {not_before.strftime('%d/%m/%Y')}, "
            "the date of this union's last recorded change.",
            params={"value": effective, "earliest": not_before},
        )
