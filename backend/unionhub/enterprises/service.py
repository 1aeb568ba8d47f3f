"""Business rules of the enterprise register: register, edit, record worker surveys.

Services only flush; the request commits once. Every write is audited against the
enterprise's responsible union, which is also what scopes who may see it.
"""

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.text import fold
from unionhub.enterprises import reads
from unionhub.enterprises import repository as repo
from unionhub.enterprises.models import Enterprise, WorkerSurvey
from unionhub.enterprises.schemas import (
    EnterpriseCreate,
    EnterpriseRead,
    EnterpriseUpdate,
    SurveyCreate,
    SurveyRead,
)
from unionhub.unions.models import Union, UnionLevel, UnionStatus

READ = Permission.ENTERPRISES_READ
WRITE = Permission.ENTERPRISES_WRITE

RESPONSIBLE_LEVELS = frozenset(
    {UnionLevel.PROVINCE_FEDERATION.value, UnionLevel.DIRECT_SUPERIOR.value}
)
_REQUIRED = frozenset({"name", "tax_code", "ownership", "responsible_union_id", "operating_status"})


def search_text(name: str, short_name: str | None, tax_code: str) -> str:
    return fold(" ".join(p for p in (name, short_name, tax_code) if p))


async def load(
    session: AsyncSession,
    principal: Principal,
    enterprise_id: uuid.UUID,
    permission: Permission = READ,
    *,
    for_update: bool = False,
) -> tuple[Enterprise, bool]:
    """The enterprise and whether it has an active union.

    404 when the caller cannot see it (an id from another subtree reveals nothing); 403 when
    seen but `permission` is not held over its responsible union.
    """
    row = await repo.get_scoped(session, principal, enterprise_id, for_update=for_update)
    if row is None:
        raise NotFound("No enterprise with this id.", code=ErrorCode.ENTERPRISE_NOT_FOUND)
    enterprise, has_union, path = row
    if permission != READ and not principal.holds_at(path, permission):
        raise Forbidden(
            "Your role does not allow changing this enterprise.", code=ErrorCode.PERMISSION_DENIED
        )
    return enterprise, has_union


async def get_enterprise(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID
) -> EnterpriseRead:
    """One enterprise in the caller's scope (404 otherwise), with its derived fields."""
    enterprise, has_union = await load(session, principal, enterprise_id)
    return (await reads.to_reads(session, [(enterprise, has_union)]))[0]


async def check_responsible_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    field: str = "responsible_union_id",
) -> Union:
    """A union the caller may register enterprises under: in their enterprises:write scope
    (404 outside what they see, 403 when seen but not theirs), active, and a province or
    direct-superior union."""
    union = await get_union_in_scope(session, principal, union_id, WRITE)
    if union.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            field,
            ErrorCode.RESPONSIBLE_UNION_INACTIVE,
            "The responsible union is dissolved or merged.",
        )
    if union.level not in RESPONSIBLE_LEVELS:
        raise Unprocessable(
            field,
            ErrorCode.RESPONSIBLE_UNION_LEVEL,
            "The responsible union must be the provincial federation or a direct-superior union.",
        )
    return union


async def _check_tax_code_free(
    session: AsyncSession, tax_code: str, exclude_id: uuid.UUID | None = None
) -> None:
    if await repo.tax_code_taken(session, tax_code, exclude_id):
        raise Unprocessable(
            "tax_code",
            ErrorCode.TAX_CODE_TAKEN,
            f"The tax code {tax_code} is already registered.",
            params={"value": tax_code},
        )


async def _flush(session: AsyncSession, tax_code: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        # Two requests registering the same code at once: the loser gets the same 422.
        if "uq_enterprises_tax_code" in str(exc.orig):
            raise Unprocessable(
                "tax_code",
                ErrorCode.TAX_CODE_TAKEN,
                f"The tax code {tax_code} is already registered.",
                params={"value": tax_code},
            ) from None
        raise


async def create_enterprise(
    session: AsyncSession, principal: Principal, data: EnterpriseCreate
) -> EnterpriseRead:
    """Register an enterprise under a responsible union in the caller's write scope."""
    await check_responsible_union(session, principal, data.responsible_union_id)
    await _check_tax_code_free(session, data.tax_code)
    enterprise = Enterprise(
        **data.model_dump(),
        search_text=search_text(data.name, data.short_name, data.tax_code),
        version=1,
    )
    session.add(enterprise)
    await _flush(session, data.tax_code)
    await audit.record(
        session,
        principal,
        "enterprise.create",
        "enterprise",
        enterprise.id,
        union_id=enterprise.responsible_union_id,
        after=snapshot(enterprise),
    )
    await session.flush()
    return await get_enterprise(session, principal, enterprise.id)


async def update_enterprise(
    session: AsyncSession,
    principal: Principal,
    enterprise_id: uuid.UUID,
    data: EnterpriseUpdate,
    if_match: int | None,
) -> EnterpriseRead:
    """Edit an enterprise (If-Match: a stale version answers 412 and changes nothing)."""
    enterprise, _ = await load(session, principal, enterprise_id, WRITE, for_update=True)
    check_version(enterprise, if_match, "enterprise")
    changes = {
        k: v for k, v in data.model_dump(exclude_unset=True).items() if getattr(enterprise, k) != v
    }
    for key in sorted(_REQUIRED & changes.keys()):
        if changes[key] is None:
            raise Unprocessable(key, ErrorCode.REQUIRED, "This field cannot be removed.")
    if not changes:
        return await get_enterprise(session, principal, enterprise.id)
    if "responsible_union_id" in changes:
        await check_responsible_union(session, principal, changes["responsible_union_id"])
    if "tax_code" in changes:
        await _check_tax_code_free(session, changes["tax_code"], enterprise.id)
    before = snapshot(enterprise)
    for key, value in changes.items():
        setattr(enterprise, key, value)
    enterprise.search_text = search_text(
        enterprise.name, enterprise.short_name, enterprise.tax_code
    )
    enterprise.version += 1
    await _flush(session, enterprise.tax_code)
    # updated_at is set by the database on UPDATE; load it rather than lazy-load it later.
    await session.refresh(enterprise, ["updated_at"])
    await audit.record(
        session,
        principal,
        "enterprise.update",
        "enterprise",
        enterprise.id,
        union_id=enterprise.responsible_union_id,
        before=before,
        after=snapshot(enterprise),
    )
    await session.flush()
    return await get_enterprise(session, principal, enterprise.id)


async def add_survey(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID, data: SurveyCreate
) -> tuple[SurveyRead, int]:
    """Record a worker survey; the latest by date becomes the enterprise's current size.

    An older survey entered late is kept in the history without changing the current size.
    Returns the survey (`is_current`: it became the current size) and the enterprise's version.
    """
    enterprise, _ = await load(session, principal, enterprise_id, WRITE, for_update=True)
    if data.female_workers > data.total_workers:
        raise Unprocessable(
            "female_workers",
            ErrorCode.FEMALE_EXCEEDS_TOTAL,
            "Female workers cannot outnumber all workers.",
            params={"value": data.female_workers, "total": data.total_workers},
        )
    if data.surveyed_on > date.today():
        raise Unprocessable(
            "surveyed_on",
            ErrorCode.DATE_IN_FUTURE,
            "The survey date cannot be in the future.",
            params={"value": data.surveyed_on, "today": date.today()},
        )
    survey = WorkerSurvey(
        enterprise_id=enterprise.id,
        surveyed_on=data.surveyed_on,
        total_workers=data.total_workers,
        female_workers=data.female_workers,
        note=data.note,
        recorded_by=None if principal.system else principal.user_id,
    )
    session.add(survey)
    before = snapshot(enterprise)
    # A same-day survey entered later corrects the earlier one.
    is_current = enterprise.surveyed_on is None or data.surveyed_on >= enterprise.surveyed_on
    if is_current:
        enterprise.total_workers = data.total_workers
        enterprise.female_workers = data.female_workers
        enterprise.surveyed_on = data.surveyed_on
        enterprise.version += 1
    await session.flush()
    if is_current:
        await session.refresh(enterprise, ["updated_at"])
    await audit.record(
        session,
        principal,
        "enterprise.survey",
        "enterprise",
        enterprise.id,
        union_id=enterprise.responsible_union_id,
        before=before,
        after={**snapshot(enterprise), "survey": snapshot(survey)},
    )
    await session.flush()
    return survey_read(survey, is_current=is_current), enterprise.version


def survey_read(survey: WorkerSurvey, *, is_current: bool) -> SurveyRead:
    data = {c.key: getattr(survey, c.key) for c in WorkerSurvey.__table__.columns}
    return SurveyRead.model_validate({**data, "is_current": is_current})


async def survey_history(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID
) -> list[SurveyRead]:
    """The worker surveys, newest first; the first one gives the current size."""
    enterprise, _ = await load(session, principal, enterprise_id)
    surveys = await repo.surveys(session, enterprise.id)
    return [survey_read(s, is_current=i == 0) for i, s in enumerate(surveys)]
