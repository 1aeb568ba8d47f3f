"""Admitting members and editing their personal data.

The status and the union change only through the dated actions (members.lifecycle,
members.transfers). Services only flush; the request commits once.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz import scope
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.db import CommitFirst
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.text import fold
from unionhub.members import id_search, lookups, reads
from unionhub.members import repository as repo
from unionhub.members.models import (
    Member,
    MemberEvent,
    MemberEventType,
    MembershipPeriod,
    MemberStatus,
)
from unionhub.members.schemas import MemberCreate, MemberRead, MemberUpdate
from unionhub.members.validation import Problem, check_member, fmt
from unionhub.unions.models import Union, UnionLevel, UnionStatus

P = Permission
# Levels whose unions hold members directly (a federation holds unions, not people).
MEMBER_LEVELS = frozenset(
    {
        UnionLevel.GRASSROOTS.value,
        UnionLevel.OCCUPATIONAL.value,
        UnionLevel.MEMBER_UNION.value,
        UnionLevel.DEPARTMENTAL.value,
        UnionLevel.UNION_GROUP.value,
    }
)
# Personal data: the member history names the fields changed, never the values.
PII_FIELDS = frozenset({"personal_id", "passport_no", "phone", "email"})
_AUDIT_EXCLUDE = frozenset({"search_name"})


# Neutral on purpose: the same answer whether the holder is in another subtree or not.
PERSONAL_ID_UNUSABLE = Problem(
    "personal_id",
    ErrorCode.PERSONAL_ID_UNUSABLE,
    "This personal ID number cannot be used here. If the person is a member of another union, "
    "ask the upper-level union to transfer them.",
)
PASSPORT_UNUSABLE = Problem(
    "passport_no",
    ErrorCode.PASSPORT_UNUSABLE,
    "This passport number cannot be used here. If the person is a member of another union, "
    "ask the upper-level union to transfer them.",
)


class HiddenHolderRefused(CommitFirst, Unprocessable):
    """A 422 whose request keeps its audit entry and identifier-search count."""


def invalid(problems: list[Problem], cls: type[Unprocessable] = Unprocessable) -> Unprocessable:
    """One 422 listing every problem found."""
    err = cls.of(problems)
    if len(problems) > 1:
        err.detail = "Some fields are invalid; see errors."
    return err


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise invalid(problems)


_UNIQUE: dict[str, Problem] = {
    # A concurrent request took the number: whose subtree it went to is not ours to tell.
    "uq_members_personal_id_on_books": PERSONAL_ID_UNUSABLE,
    "uq_members_card_number": Problem(
        "card_number",
        ErrorCode.CARD_NUMBER_TAKEN,
        "This card number is already issued to a member.",
    ),
}


async def flush_unique(session: AsyncSession) -> None:
    """Flush; a concurrent request that took the same ID or card number first is reported
    on the field, like the check before it, instead of as a bare conflict."""
    try:
        await session.flush()
    except IntegrityError as exc:
        for constraint, problem in _UNIQUE.items():
            if constraint in str(exc.orig):
                raise invalid([problem]) from None
        raise


def member_snapshot(member: Member) -> dict[str, Any]:
    return audit.snapshot(member, exclude=_AUDIT_EXCLUDE)


async def require_write(session: AsyncSession, principal: Principal, member: Member) -> Union:
    """The member's union, if the caller may change members there (403 otherwise)."""
    union = await scope.get_union_unscoped(
        session, member.union_id, reason="the union of a member read through the scope"
    )
    assert union is not None
    if not principal.holds_at(union.path, P.MEMBERS_WRITE):
        raise Forbidden(
            "Your role does not allow changing members of this union.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    return union


async def check_member_union(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, field: str = "union_id"
) -> tuple[Union | None, list[Problem]]:
    """A union the caller manages members of, active, and of a level that holds members."""
    union = await lookups.union_in_scope(session, principal, union_id, P.MEMBERS_WRITE)
    if union is None:
        return None, [
            Problem(
                field,
                ErrorCode.UNION_NOT_FOUND,
                "No union with this id where you may manage members.",
            )
        ]
    if union.status != UnionStatus.ACTIVE.value:
        return None, [Problem(field, ErrorCode.UNION_INACTIVE, "The union is dissolved or merged.")]
    if union.level not in MEMBER_LEVELS:
        return None, [
            Problem(
                field,
                ErrorCode.UNION_LEVEL_HOLDS_NO_MEMBERS,
                f"A {union.level} union holds unions, not members; choose a grassroots "
                "union or a unit inside one.",
            )
        ]
    return union, []


async def _check_references(
    session: AsyncSession,
    principal: Principal,
    values: dict[str, Any],
    union: Union | None,
    member_id: uuid.UUID | None,
    problems: list[Problem],
) -> None:
    """Checks needing the database: employer, uniqueness of ID and card number."""
    if values.get("enterprise_id") and not await lookups.enterprise_usable(
        session, principal, values["enterprise_id"], union
    ):
        problems.append(
            Problem(
                "enterprise_id",
                ErrorCode.ENTERPRISE_NOT_FOUND,
                "No enterprise with this id that you may link members to.",
            )
        )
    pid = values.get("personal_id")
    bad_pid = any(p.field == "personal_id" for p in problems)
    if pid and not bad_pid:
        problems += personal_id_problem(
            principal,
            await lookups.personal_id_holder(session, pid, member_id),
            pid,
            "A member with this personal ID number is already on the register; "
            "transfer that member instead of admitting them again.",
        )
    card = values.get("card_number")
    bad_card = any(p.field == "card_number" for p in problems)
    if card and not bad_card and await lookups.card_number_taken(session, card):
        problems.append(
            Problem(
                "card_number",
                ErrorCode.CARD_NUMBER_TAKEN,
                f"The card number {card} is already issued to another member.",
                {"value": card},
            )
        )


def personal_id_problem(
    principal: Principal, holder: str | None, personal_id: str, taken: str
) -> list[Problem]:
    """The problem of a personal ID held by the member in union `holder` (None: free): named
    as such only to a caller who may see that member's personal ID."""
    if holder is None:
        return []
    if principal.holds_at(holder, P.MEMBERS_PII):
        return [Problem("personal_id", ErrorCode.PERSONAL_ID_TAKEN, taken, {"value": personal_id})]
    return [PERSONAL_ID_UNUSABLE]


async def raise_problems(
    session: AsyncSession, principal: Principal, problems: list[Problem], personal_id: str | None
) -> None:
    """raise_if, except that a refusal hiding where a personal ID is held rolls the request's
    writes back and keeps only its audit entry (members.id_search.refuse_hidden_holder)."""
    if not problems:
        return
    if personal_id and PERSONAL_ID_UNUSABLE in problems:
        await session.rollback()
        await id_search.refuse_hidden_holder(session, principal, personal_id)
        raise invalid(problems, HiddenHolderRefused)
    raise invalid(problems)


async def admit_member(session: AsyncSession, principal: Principal, data: MemberCreate) -> Member:
    """Admit a member (kết nạp mới) into a union the caller manages members of.

    Validates every field and reports all problems together (422), issues a card number from
    the federation sequence unless one is given, opens the first membership period, and
    records the `admitted` event (what "new members recruited" counts) and an audit entry.
    """
    values, problems = check_member(data.model_dump())
    union, found = await check_member_union(session, principal, data.union_id)
    problems += found
    deciding = data.admitted_by_union_id
    if deciding is not None and union is not None and deciding != union.id:
        decider = await scope.get_union_unscoped(
            session, deciding, reason="the deciding union may sit above the caller's subtree"
        )
        if decider is None or not scope.within(union.path, decider.path):
            problems.append(
                Problem(
                    "admitted_by_union_id",
                    ErrorCode.NOT_ABOVE_MEMBER_UNION,
                    "The deciding union must be the member's union or one above it.",
                )
            )
    await _check_references(session, principal, values, union, None, problems)
    await raise_problems(session, principal, problems, values.get("personal_id"))
    assert union is not None
    card = values["card_number"] or await lookups.next_card_number(session)
    # A period cannot start before the union existed: members admitted earlier (records
    # carried over from paper) count in this union from its founding.
    founded = await lookups.union_founded_on(session, union.id)
    since = max(data.admission_date, founded) if founded else data.admission_date
    member = Member(
        full_name=values["full_name"],
        search_name=fold(values["full_name"]),
        date_of_birth=values["date_of_birth"],
        gender=values["gender"],
        ethnicity=values["ethnicity"],
        nationality=values["nationality"],
        personal_id=values["personal_id"],
        passport_no=values["passport_no"],
        phone=values["phone"],
        email=values["email"],
        commune_code=values["commune_code"],
        professional_qualification=values["professional_qualification"],
        occupation=values["occupation"],
        enterprise_id=values["enterprise_id"],
        party_member=values["party_member"],
        admission_date=data.admission_date,
        admitted_by_union_id=deciding or union.id,
        card_number=card,
        union_id=union.id,
        status=MemberStatus.ACTIVE.value,
        status_since=since,
        trainings=values["trainings"],
        version=1,
    )
    session.add(member)
    await flush_unique(session)
    session.add(
        MembershipPeriod(
            member_id=member.id,
            union_id=union.id,
            status=MemberStatus.ACTIVE.value,
            valid_from=since,
        )
    )
    session.add(
        MemberEvent(
            member_id=member.id,
            event_type=MemberEventType.ADMITTED.value,
            effective_date=data.admission_date,
            union_id=union.id,
            details={"card_number": card, "admitted_by_union_id": str(member.admitted_by_union_id)},
            actor_id=None if principal.system else principal.user_id,
        )
    )
    await audit.record(
        session,
        principal,
        "member.admit",
        "member",
        member.id,
        union_id=union.id,
        after=member_snapshot(member),
    )
    await session.flush()
    return member


async def admit(session: AsyncSession, principal: Principal, data: MemberCreate) -> MemberRead:
    """Admit a member (see admit_member) and return them as the API shows them."""
    member = await admit_member(session, principal, data)
    return await reads.read_written(session, principal, member.id)


_REQUIRED = ("full_name", "date_of_birth", "gender", "nationality", "party_member", "trainings")
# A changed field must agree with these others (e.g. a new birth date with the personal ID).
_DEPENDENT = {
    "date_of_birth": {"personal_id", "admission_date"},
    "gender": {"personal_id"},
    "nationality": {"personal_id", "passport_no"},
}
_CHECKED = (
    "full_name",
    "date_of_birth",
    "gender",
    "nationality",
    "personal_id",
    "passport_no",
    "phone",
    "admission_date",
)


async def update_member(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    data: MemberUpdate,
    if_match: int | None,
) -> MemberRead:
    """Edit a member's personal data (If-Match); the new values must pass every member rule.

    Returns the member as the API shows them.
    """
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    union = await require_write(session, principal, member)
    check_version(member, if_match, "member")
    await apply_update(session, principal, member, union, data.model_dump(exclude_unset=True))
    return await reads.read_written(session, principal, member.id)


def checked_changes(
    member: Member, changes: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """The member rules on the record as `changes` would leave it: the cleaned values, and
    the problems of the fields the change touches (or that must agree with them). A required
    field removed is refused first, alone."""
    raise_if(
        [
            Problem(k, ErrorCode.REQUIRED, "This field cannot be removed.")
            for k in _REQUIRED
            if k in changes and changes[k] is None
        ]
    )
    merged = {k: getattr(member, k) for k in _CHECKED} | changes
    values, found = check_member(merged)
    # Rules on values the edit did not touch were checked when they were stored; an old
    # record's flaw must not block an unrelated edit, but a changed field must agree with them.
    touched = set(changes)
    for key in changes:
        touched |= _DEPENDENT.get(key, set())
    return values, [p for p in found if p.field in touched]


async def apply_update(
    session: AsyncSession,
    principal: Principal,
    member: Member,
    union: Union,
    changes: dict[str, Any],
    *,
    details: dict[str, Any] | None = None,
) -> bool:
    """Write `changes` (field -> value) to a member loaded for update, once every member rule
    passes; the member history and the audit trail name the fields (and `details`, e.g. the
    request that asked for them). False when nothing differed."""
    values, problems = checked_changes(member, changes)
    lookups: dict[str, Any] = {
        k: values[k] for k in ("personal_id", "enterprise_id") if k in changes
    }
    await _check_references(session, principal, lookups, union, member.id, problems)
    await raise_problems(session, principal, problems, lookups.get("personal_id"))
    new = {k: values.get(k, v) for k, v in changes.items()}
    diff = {k: v for k, v in new.items() if getattr(member, k) != v}
    if not diff:
        return False
    before = member_snapshot(member)
    for key, value in diff.items():
        setattr(member, key, value)
    member.search_name = fold(member.full_name)
    member.version += 1
    session.add(
        MemberEvent(
            member_id=member.id,
            event_type=MemberEventType.UPDATED.value,
            effective_date=date.today(),
            union_id=member.union_id,
            details={
                "fields": sorted(diff),
                "changes": {
                    k: {"from": audit.jsonable(before.get(k)), "to": audit.jsonable(v)}
                    for k, v in diff.items()
                    if k not in PII_FIELDS
                },
                **(details or {}),
            },
            actor_id=None if principal.system else principal.user_id,
        )
    )
    await audit.record(
        session,
        principal,
        "member.update",
        "member",
        member.id,
        union_id=member.union_id,
        before={k: before.get(k) for k in diff},
        after={**{k: audit.jsonable(v) for k, v in diff.items()}, **(details or {})},
    )
    await session.flush()
    return True


def check_effective_date(
    effective: date, not_before: date | None, field: str = "effective_date"
) -> None:
    """Not in the future, and not before the member's last recorded change."""
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
            f"The effective date cannot be before {fmt(not_before)}, the date of this member's "
            "last recorded change.",
            params={"value": effective, "earliest": not_before},
        )
