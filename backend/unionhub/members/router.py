"""/api/v1/members: the register, personal data and the dated membership actions.

`routers`: the member, transfer, account, photo and cadre routers, in the order the app
includes them. Ids in paths are typed (`{member_id:uuid}`), so a fixed path such as
/members/transfers never reaches an id route, whatever the order the routes are included in.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import Caller, CallerWith, IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import etag_of, set_etag
from unionhub.core.pagination import CursorParam, PageNumber, PageParams, PageSize, json_response
from unionhub.core.schemas import Day, SearchText
from unionhub.members import lifecycle, reads, service
from unionhub.members.account_router import router as account_router
from unionhub.members.cadre_router import router as cadre_router
from unionhub.members.models import Gender, MemberStatus
from unionhub.members.photo_router import router as photo_router
from unionhub.members.repository import MemberFilters, SortKey
from unionhub.members.schemas import (
    CardReissue,
    MemberAction,
    MemberActionWithReason,
    MemberCreate,
    MemberHistory,
    MemberPage,
    MemberRead,
    MemberRejoin,
    MemberUpdate,
)
from unionhub.members.transfer_router import router as transfer_router
from unionhub.unions.models import Sector

members = APIRouter(prefix="/api/v1/members", tags=["members"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
# The list, the search and the detail (most requests): the same check and session in one
# dependency (auth.dependencies.CallerWith; docs/architecture.md, the hot read path).
ReadingCaller = Annotated[Caller, Depends(CallerWith(Permission.MEMBERS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]


@members.get(
    "",
    operation_id="members-list",
    response_model=MemberPage,
    responses=problem_responses(401, 403, 404, 422),
    summary="List members in your scope (masked personal data unless reveal_pii)",
)
async def list_members(
    caller: ReadingCaller,
    q: Annotated[
        SearchText | None,
        Query(
            description="Name without accents or case ('nguyen van an', 'dang'); digits "
            "search personal ID and card number prefixes"
        ),
    ] = None,
    union_id: uuid.UUID | None = None,
    include_subtree: Annotated[bool, Query(description="With union_id: units under it")] = True,
    status: Annotated[list[MemberStatus] | None, Query()] = None,
    gender: Gender | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=120)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=120)] = None,
    admitted_from: Day | None = None,
    admitted_to: Day | None = None,
    enterprise_id: uuid.UUID | None = None,
    sector: Annotated[Sector | None, Query(description="Sector of the member's union")] = None,
    is_cadre: Annotated[bool | None, Query(description="Holds a union post")] = None,
    as_of: Annotated[
        Day | None,
        Query(
            description="Members (active or suspended, unless status says otherwise) in the "
            "unions on this date, by the membership history"
        ),
    ] = None,
    sort: SortKey = "name",
    reveal_pii: Annotated[
        bool, Query(description="Unmasked personal data (members:pii; the read is audited)")
    ] = False,
    cursor: CursorParam = None,
    exact_total: Annotated[
        bool,
        Query(
            description="Count every match even when that is slow (otherwise a large search "
            "answers an estimate, total_exact=false)"
        ),
    ] = False,
    # Declared here, last, as `page_params` declares them (the same OpenAPI parameters, in the
    # same place): one dependency fewer on the busiest route (issue 9).
    page: PageNumber = 1,
    size: PageSize = 20,
) -> Response:
    filters = MemberFilters(
        q=q,
        union_id=union_id,
        include_subtree=include_subtree,
        status=[s.value for s in status] if status else None,
        gender=gender.value if gender else None,
        age_min=age_min,
        age_max=age_max,
        admitted_from=admitted_from,
        admitted_to=admitted_to,
        enterprise_id=enterprise_id,
        sector=sector.value if sector else None,
        is_cadre=is_cadre,
        as_of=as_of,
    )
    return json_response(
        await reads.list_members(
            caller.session,
            caller.principal,
            filters,
            PageParams(page=page, size=size),
            sort,
            reveal_pii,
            cursor,
            exact_total=exact_total,
        )
    )


@members.post(
    "",
    operation_id="members-create",
    response_model=MemberRead,
    status_code=201,
    responses=problem_responses(401, 403, 409, 422),
    summary="Admit a member (kết nạp): a new member recruited",
)
async def create(
    body: MemberCreate, principal: Writer, session: SessionDep, response: Response
) -> MemberRead:
    member = await service.admit(session, principal, body)
    response.headers["Location"] = f"/api/v1/members/{member.id}"
    set_etag(response, member.version)
    return member


@members.get(
    "/{member_id:uuid}",
    operation_id="members-get",
    response_model=MemberRead,
    responses=problem_responses(401, 404, 422),
    summary="One member (masked unless reveal_pii; an unmasked read is audited)",
)
async def get_member(
    member_id: uuid.UUID,
    caller: ReadingCaller,
    reveal_pii: Annotated[
        bool,
        Query(
            description="Unmasked personal data (members:pii at the member's union; the read "
            "is audited). Opening a member's page does not ask for it; the reveal button does."
        ),
    ] = False,
) -> Response:
    item = await reads.member_item(
        caller.session, caller.principal, member_id, reveal_pii=reveal_pii
    )
    return json_response(item, headers={"ETag": etag_of(item["version"])})


@members.patch(
    "/{member_id:uuid}",
    operation_id="members-update",
    response_model=MemberRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Edit personal data (If-Match); union and status change only through the actions",
)
async def update(
    member_id: uuid.UUID,
    body: MemberUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> MemberRead:
    member = await service.update_member(session, principal, member_id, body, if_match)
    set_etag(response, member.version)
    return member


@members.get(
    "/{member_id:uuid}/history",
    operation_id="members-history",
    response_model=MemberHistory,
    responses=problem_responses(401, 404, 422),
    summary="The member's events and effective-dated membership periods",
)
async def history(member_id: uuid.UUID, principal: Reader, session: SessionDep) -> MemberHistory:
    return await reads.history(session, principal, member_id)


def _action(path: str, action: str, body_model: type[MemberAction], summary: str) -> None:
    async def endpoint(
        member_id: uuid.UUID,
        body: MemberAction,
        principal: Writer,
        session: SessionDep,
        response: Response,
        if_match: IfMatch,
    ) -> MemberRead:
        member = await lifecycle.change_status(
            session, principal, member_id, action, body, if_match
        )
        set_etag(response, member.version)
        return member

    endpoint.__name__ = f"member_{action}"
    # Each action has its own body model; FastAPI reads it from the annotation.
    endpoint.__annotations__["body"] = body_model
    members.add_api_route(
        f"/{{member_id:uuid}}/{path}",
        endpoint,
        methods=["POST"],
        response_model=MemberRead,
        operation_id=f"members-{path}",
        summary=summary,
        responses=problem_responses(401, 403, 404, 409, 412, 422),
    )


_action("suspend", "suspend", MemberAction, "Suspend membership (tạm dừng sinh hoạt)")
_action("resume", "resume", MemberAction, "Resume a suspended membership")
_action("leave", "leave", MemberActionWithReason, "Record that the member left (reason needed)")
_action(
    "strike-off",
    "strike_off",
    MemberActionWithReason,
    "Strike the member off the register (xóa tên; reason needed)",
)
_action("expel", "expel", MemberActionWithReason, "Expel the member (khai trừ; reason needed)")
_action("deceased", "deceased", MemberAction, "Record the member's death")
_action(
    "rejoin",
    "rejoin",
    MemberRejoin,
    "Rejoin a member who left or was struck off (3 months after leaving at the earliest)",
)


@members.post(
    "/{member_id:uuid}/reissue-card",
    operation_id="members-reissue-card",
    response_model=MemberRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Issue a new card number (the old one is kept in the history)",
)
async def reissue_card(
    member_id: uuid.UUID,
    body: CardReissue,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> MemberRead:
    member = await lifecycle.reissue_card(session, principal, member_id, body, if_match)
    set_etag(response, member.version)
    return member


# The register's routers, each included by the app itself (main.create_app), not bundled in
# a router of their own: every level of included routers is matched, and its routes' version
# checked, again on every request. The list and the detail first: routes are tried in order
# (typed ids: no path is shared).
routers = (members, transfer_router, account_router, photo_router, cadre_router)
# The list (and search) and the detail: most requests, served by `auth.direct_routes`.
served_directly = ("members-list", "members-get")
