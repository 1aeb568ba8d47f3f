from typing import Annotated

from fastapi import APIRouter, Query, Response

from unionhub.auth.dependencies import SessionDep, StaffPrincipal
from unionhub.changes import service
from unionhub.changes.schemas import ChangePage
from unionhub.core.errors import problem_responses
from unionhub.core.pagination import json_response

router = APIRouter(prefix="/api/v1/changes", tags=["changes"])

MAX_LIMIT = 5000
TYPE_PATTERN = r"^[a-z_]+(\.[a-z_]+)?(,[a-z_]+(\.[a-z_]+)?)*$"


@router.get(
    "",
    operation_id="changes-list",
    response_model=ChangePage,
    responses=problem_responses(401, 422),
    summary="What changed, in commit-safe order, from a cursor (the events you may see)",
)
async def list_changes(
    principal: StaffPrincipal,
    session: SessionDep,
    cursor: Annotated[
        str | None,
        Query(max_length=64, description="next_cursor of the previous page; none: the oldest"),
    ] = None,
    types: Annotated[
        str | None,
        Query(
            max_length=500,
            pattern=TYPE_PATTERN,
            description="Comma-separated entity types (member) or actions (member.admit)",
        ),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Events a page (bulk readers: 5000)")
    ] = 100,
) -> Response:
    wanted = [t for t in (types or "").split(",") if t]
    return json_response(await service.changes(session, principal, cursor, wanted, limit))
