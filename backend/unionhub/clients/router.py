import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.clients import service
from unionhub.clients.schemas import (
    ClientCreate,
    ClientRead,
    ClientRotate,
    ClientUpdate,
    ClientWithSecret,
)
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/api/v1/clients", tags=["clients"])

Manager = Annotated[Principal, Depends(require(Permission.CLIENTS_MANAGE))]


@router.post(
    "",
    operation_id="clients-create",
    response_model=ClientWithSecret,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Register an integration client (its secret is in this answer only)",
)
async def create_client(
    body: ClientCreate, principal: Manager, session: SessionDep, response: Response
) -> ClientWithSecret:
    client = await service.create(session, principal, body)
    set_etag(response, client.version)
    response.headers["Location"] = f"/api/v1/clients/{client.id}"
    return client


@router.get(
    "",
    operation_id="clients-list",
    response_model=Page[ClientRead],
    responses=problem_responses(401, 403, 422),
    summary="Integration clients of the unions in your scope, with their usage",
)
async def list_clients(
    principal: Manager,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[Literal["active", "revoked"] | None, Query()] = None,
) -> Page[ClientRead]:
    return await service.list_clients(session, principal, page, status)


@router.get(
    "/{client_id:uuid}",
    operation_id="clients-get",
    response_model=ClientRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One integration client with its usage",
)
async def get_client(
    client_id: uuid.UUID, principal: Manager, session: SessionDep, response: Response
) -> ClientRead:
    client = await service.get(session, principal, client_id)
    set_etag(response, client.version)
    return client


@router.patch(
    "/{client_id:uuid}",
    operation_id="clients-update",
    response_model=ClientRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Change a client's details, permissions or rate limit",
)
async def update_client(
    client_id: uuid.UUID,
    body: ClientUpdate,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> ClientRead:
    client = await service.update(session, principal, client_id, body, if_match)
    set_etag(response, client.version)
    return client


@router.post(
    "/{client_id:uuid}/rotate",
    operation_id="clients-rotate",
    response_model=ClientWithSecret,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="A new secret (shown once); the previous one works until the overlap ends",
)
async def rotate_client(
    client_id: uuid.UUID,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
    body: ClientRotate | None = None,
) -> ClientWithSecret:
    client = await service.rotate(session, principal, client_id, body or ClientRotate(), if_match)
    set_etag(response, client.version)
    return client


@router.post(
    "/{client_id:uuid}/revoke",
    operation_id="clients-revoke",
    response_model=ClientRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Revoke a client now: its secrets and tokens stop working",
)
async def revoke_client(
    client_id: uuid.UUID,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> ClientRead:
    client = await service.revoke(session, principal, client_id, if_match)
    set_etag(response, client.version)
    return client
