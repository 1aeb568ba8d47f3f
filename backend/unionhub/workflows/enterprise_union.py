"""Founding an enterprise's grassroots union together with its founding members: work of three
domains (enterprises, unions, members), so it lives above them.

Everything happens in the request's one transaction: the union, its link to the enterprise and
every admission. Any refusal raises, the request rolls back, and nothing is written.
"""

import uuid
from datetime import date
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import (
    AppError,
    Conflict,
    FieldError,
    Unprocessable,
    validation_field_errors,
)
from unionhub.enterprises import service
from unionhub.enterprises.models import Enterprise, OperatingStatus, Ownership
from unionhub.enterprises.schemas import FoundUnion, FoundUnionResult, UnionRef
from unionhub.members.schemas import MemberCreate
from unionhub.members.service import admit_member
from unionhub.unions import service as union_service
from unionhub.unions.models import Sector, UnionKind, UnionLevel
from unionhub.unions.schemas import UnionCreate

DEFAULT_NAME_PREFIX = "Công đoàn cơ sở "


def _invalid(errors: list[FieldError], detail: str) -> Unprocessable:
    first = errors[0]
    exc = Unprocessable(first.field, first.code, first.message, params=first.params)
    exc.errors = errors
    exc.detail = detail
    return exc


def _member_error(index: int, exc: AppError) -> Unprocessable:
    """Re-point an admission refusal at the founding member it is about."""
    prefix = f"founding_members.{index}"
    if exc.errors:
        errors = [
            FieldError(f"{prefix}.{e.field}", e.code, e.message, params=e.params)
            for e in exc.errors
        ]
    else:
        errors = [FieldError(prefix, exc.code, exc.detail or exc.title, params=exc.params)]
    return _invalid(errors, f"Founding member {index + 1}: {errors[0].message}")


def _parse_members(
    payloads: list[dict[str, Any]], enterprise: Enterprise, founded_on: date
) -> list[Any]:
    """Validate every founding member before anything is written; report all the bad ones."""
    if not payloads:
        return []
    parsed: list[Any] = []
    raw_errors: list[dict[str, Any]] = []
    for i, payload in enumerate(payloads):
        loc: tuple[Any, ...] = ("body", "founding_members", i)
        if "union_id" in payload:
            raw_errors.append(
                {
                    "type": "extra_forbidden",
                    "loc": (*loc, "union_id"),
                    "msg": "Founding members join the new union; union_id is not accepted.",
                }
            )
            continue
        data = dict(payload)
        # Founding members are the enterprise's workers, admitted by the founding decision.
        if "enterprise_id" in MemberCreate.model_fields and data.get("enterprise_id") is None:
            data["enterprise_id"] = str(enterprise.id)
        data.setdefault("admission_date", founded_on.isoformat())
        # The new union has no id yet: validate against a stand-in, then swap the real one in.
        data["union_id"] = str(enterprise.responsible_union_id)
        try:
            parsed.append(MemberCreate.model_validate(data))
        except ValidationError as exc:
            raw_errors.extend({**e, "loc": (*loc, *e["loc"])} for e in exc.errors())
    if raw_errors:
        errors = validation_field_errors(RequestValidationError(raw_errors))
        raise _invalid(errors, "Some founding members are invalid; see errors.")
    return parsed


def _union_data(enterprise: Enterprise, data: FoundUnion) -> UnionCreate:
    name = data.name or DEFAULT_NAME_PREFIX + enterprise.name
    if len(name) > 255:
        raise Unprocessable(
            "name", ErrorCode.TOO_LONG, "The default union name is too long; give a shorter name."
        )
    cooperative = enterprise.ownership == Ownership.COOPERATIVE.value
    return UnionCreate(
        code=data.code,
        name=name,
        short_name=data.short_name,
        level=UnionLevel.GRASSROOTS,
        kind=UnionKind.COOPERATIVE_UNION if cooperative else UnionKind.ENTERPRISE_UNION,
        sector=Sector.STATE if enterprise.ownership == Ownership.STATE.value else Sector.NON_STATE,
        parent_id=data.parent_id or enterprise.responsible_union_id,
        founded_on=data.founded_on,
        founding_decision_no=data.founding_decision_no,
        decision_date=data.decision_date,
        enterprise_id=enterprise.id,
        address=enterprise.address,
        commune_code=enterprise.commune_code,
    )


async def found_enterprise_union(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID, data: FoundUnion
) -> FoundUnionResult:
    """Found the grassroots union of an operating enterprise that has none, and admit its
    founding members into it; returns the enterprise (as the API shows it), the union and the
    new member ids.

    409 enterprise_has_union / enterprise_not_operating; 422 at founding_members.<i>.<field>
    for a member that cannot be admitted (and then nothing is written).
    """
    enterprise, has_union = await service.load(
        session, principal, enterprise_id, service.WRITE, for_update=True
    )
    if has_union:
        raise Conflict(
            "The enterprise already has an active union.", code=ErrorCode.ENTERPRISE_HAS_UNION
        )
    if enterprise.operating_status != OperatingStatus.OPERATING.value:
        raise Conflict(
            "A union can only be founded in an operating enterprise.",
            code=ErrorCode.ENTERPRISE_NOT_OPERATING,
        )
    members = _parse_members(data.founding_members, enterprise, data.founded_on)
    union = await union_service.found_union(session, principal, _union_data(enterprise, data))

    admitted: list[uuid.UUID] = []
    if members:
        for i, member_data in enumerate(members):
            try:
                member = await admit_member(
                    session, principal, member_data.model_copy(update={"union_id": union.id})
                )
            except AppError as exc:
                raise _member_error(i, exc) from exc
            admitted.append(member.id)
    await audit.record(
        session,
        principal,
        "enterprise.found_union",
        "enterprise",
        enterprise.id,
        union_id=enterprise.responsible_union_id,
        after={"union_id": union.id, "union_code": union.code, "founding_members": admitted},
    )
    await session.flush()
    return FoundUnionResult(
        enterprise=await service.get_enterprise(session, principal, enterprise.id),
        union=UnionRef.model_validate(union),
        admitted_member_ids=admitted,
    )
