"""Request dependencies: the session, the signed-in principal, and permission checks."""

from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from unionhub.auth import repository
from unionhub.auth.clients import load_client_principal
from unionhub.authz import principal_cache
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import own_member_id
from unionhub.core.config import get_settings
from unionhub.core.db import get_session, retry_on_dead_connection
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, PreconditionRequired, Unauthorized
from unionhub.core.etag import parse_if_match
from unionhub.core.security import TokenError, decode_token

TOKEN_URL = "/api/v1/auth/token"


class BearerToken(OAuth2):
    """`Authorization: Bearer <token>`, declared in the OpenAPI with both ways to get one:
    the password flow (people) and client credentials (integration clients)."""

    def __init__(self) -> None:
        super().__init__(
            flows=OAuthFlows(
                password=OAuthFlowPassword(tokenUrl=TOKEN_URL, scopes={}),
                clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes={}),
            ),
            scheme_name="OAuth2",
            description="People: the password flow. Integration clients: client credentials "
            "(client_id and client_secret by HTTP Basic or form fields).",
            auto_error=False,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        scheme, param = get_authorization_scheme_param(request.headers.get("Authorization"))
        if not param or scheme.lower() != "bearer":
            return None
        return param


oauth2_scheme = BearerToken()

SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def get_principal(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    return await _principal(request, session, token)


async def _principal(request: Request, session: AsyncSession, token: str | None) -> Principal:
    """The caller of a request from its bearer token: 401 without a valid one."""
    if not token:
        raise Unauthorized("Sign in first.", code=ErrorCode.NOT_AUTHENTICATED)
    try:
        claims = decode_token(token, "access")
    except TokenError:
        raise Unauthorized(
            "The access token is invalid or expired.", code=ErrorCode.TOKEN_INVALID
        ) from None
    if claims.get("knd") == "client":
        principal = await load_client_principal(session, claims["sub"], client_ip(request))
        if principal is None:
            raise Unauthorized("This client is revoked or unknown.", code=ErrorCode.CLIENT_REVOKED)
        request.state.user = principal.username
        return principal
    ip = client_ip(request)
    ttl = get_settings().principal_cache_seconds
    principal = principal_cache.get(claims["sub"], claims["sid"], ttl)
    if principal is None:
        generation = principal_cache.generation()
        principal = await retry_on_dead_connection(
            session,
            lambda: repository.load_principal(session, claims["sub"], claims["sid"], ip),
        )
        if principal is None:
            raise Unauthorized(
                "The sign-in has ended; sign in again.", code=ErrorCode.SESSION_ENDED
            )
        principal_cache.put(principal, ttl, generation)
    elif principal.client_ip != ip:
        principal = replace(principal, client_ip=ip)
    request.state.user = principal.username
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(permission: Permission) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """Dependency: the caller must hold `permission` somewhere (scope narrows it further)."""

    async def _dep(principal: CurrentPrincipal) -> Principal:
        return _holding(principal, permission)

    _dep.__name__ = f"require_{permission.name.lower()}"
    return _dep


def _holding(principal: Principal, permission: Permission) -> Principal:
    if not principal.has(permission):
        raise Forbidden(
            f"Your role does not include the permission {permission.value}.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    return principal


class Caller(NamedTuple):
    """The signed-in caller and the request's session (`CallerWith`)."""

    principal: Principal
    session: AsyncSession


class CallerWith(BearerToken):
    """One dependency for the busiest routes (the member list, search and detail): the
    caller, who must hold `permission` somewhere, and the request's session, as a `Caller`.

    It does what `principal: Annotated[Principal, Depends(require(p))]` beside
    `session: SessionDep` does (the same 401s and 403, `request.state.user`, the session
    committed before the answer), in one dependency: FastAPI solves each dependency of a
    route on every request (its parameters, its cache key, its own sub-dependencies), and
    that chain (the permission, the principal, the bearer token, the session twice) was a
    third of a member detail's framework CPU (issue 9). It is the bearer scheme itself (a
    `BearerToken` named "OAuth2"), so the route declares the same security in the OpenAPI
    document without a dependency for the token.
    """

    def __init__(self, permission: Permission) -> None:
        super().__init__()
        self.permission = permission

    async def __call__(  # type: ignore[override]
        self, request: Request, session: SessionDep
    ) -> Caller:
        token = await super().__call__(request)
        return Caller(_holding(await _principal(request, session, token), self.permission), session)


async def not_a_member_account(principal: CurrentPrincipal) -> Principal:
    """Dependency of routes that need no permission but are officers' and clients' (the change
    feed, webhooks): a member's own account is refused (403)."""
    if principal.kind == "member":
        raise Forbidden(
            "A member's own account has no access to this.", code=ErrorCode.PERMISSION_DENIED
        )
    return principal


StaffPrincipal = Annotated[Principal, Depends(not_a_member_account)]


async def require_member_account(principal: CurrentPrincipal) -> Principal:
    """Dependency: the caller is a member signed in to their own account (403
    `member_account_only` for officers and clients, who have no "own" record)."""
    own_member_id(principal)
    return principal


MemberSelf = Annotated[Principal, Depends(require_member_account)]


def must_send_if_match(principal: Principal) -> bool:
    """Integration clients must make their edits conditional; people may (REQUIRE_IF_MATCH)."""
    return principal.kind == "client" or get_settings().require_if_match == "everyone"


async def if_match_version(
    principal: CurrentPrincipal,
    version: Annotated[int | None, Depends(parse_if_match)],
) -> int | None:
    """The row version from If-Match; 428 when the caller must send one and did not.

    Without it an edit overwrites whatever changed since the caller's read (last write wins):
    tolerable for a person at a screen, not for a program syncing records unattended.
    """
    if version is None and must_send_if_match(principal):
        raise PreconditionRequired(
            'Send If-Match with the ETag of your last read (e.g. If-Match: "3"); '
            "edits without it would overwrite changes made since.",
            code=ErrorCode.IF_MATCH_REQUIRED,
        )
    return version


IfMatch = Annotated[int | None, Depends(if_match_version)]
