from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response

from unionhub.auth import clients, service
from unionhub.auth.dependencies import CurrentPrincipal, SessionDep, client_ip
from unionhub.auth.schemas import ClientToken, Me, RefreshRequest, TokenPair
from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unauthorized, Unprocessable, problem_responses

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

REFRESH_COOKIE = "uh_refresh"
# A hint the web app can read, holding no secret: "a refresh cookie may exist". Without it a
# fresh page load skips POST /auth/refresh, which could only answer 401 (a console error).
SESSION_HINT_COOKIE = "uh_session"


def _set_cookie(response: Response, pair: TokenPair) -> None:
    secure = get_settings().environment == "production"
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=pair.refresh_expires_in,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/api/v1/auth",
    )
    response.set_cookie(
        SESSION_HINT_COOKIE,
        "1",
        max_age=pair.refresh_expires_in,
        httponly=False,
        secure=secure,
        samesite="strict",
        path="/",
    )


def _drop_cookies(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path="/api/v1/auth")
    response.delete_cookie(SESSION_HINT_COOKIE, path="/")


def _form(description: str, max_length: int = 256) -> Any:
    return Form(description=description, max_length=max_length)


@router.post(
    "/token",
    operation_id="auth-token",
    response_model=TokenPair | ClientToken,
    responses=problem_responses(401, 422, 429),
    summary="Get an access token: OAuth2 password flow (people) or client credentials "
    "(integration clients)",
)
async def token(
    request: Request,
    response: Response,
    session: SessionDep,
    grant_type: Annotated[
        str | None,
        Form(
            pattern="^(password|client_credentials)$",
            description="password (the default) or client_credentials",
        ),
    ] = None,
    username: Annotated[str | None, _form("password grant: the username")] = None,
    password: Annotated[str | None, _form("password grant: the password")] = None,
    scope: Annotated[str, _form("Ignored: a token carries every permission held")] = "",
    client_id: Annotated[
        str | None, _form("client_credentials: the client id (or HTTP Basic)", 64)
    ] = None,
    client_secret: Annotated[
        str | None, _form("client_credentials: the secret (or HTTP Basic)")
    ] = None,
) -> TokenPair | ClientToken:
    if grant_type == "client_credentials":
        return await _client_credentials(request, session, client_id, client_secret)
    if username is None or password is None:
        field = "username" if username is None else "password"
        raise Unprocessable(field, ErrorCode.REQUIRED, "Username and password are required.")
    if len(username) > 64 or len(password) > 256 or "\x00" in username + password:
        raise Unprocessable(
            "username", ErrorCode.INVALID, "Username or password is too long or invalid."
        )
    result = await service.login(session, username, password, client_ip(request))
    if isinstance(result, service.LoginFailed):
        await session.commit()  # keep the failure count
        raise Unauthorized(result.detail, code=ErrorCode.INVALID_CREDENTIALS)
    _set_cookie(response, result)
    return result


async def _client_credentials(
    request: Request, session: SessionDep, client_id: str | None, client_secret: str | None
) -> ClientToken:
    basic = clients.basic_credentials(request.headers.get("Authorization"))
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise Unauthorized(
            "Send client_id and client_secret (HTTP Basic or form fields).",
            code=ErrorCode.INVALID_CLIENT,
        )
    result = await service.client_login(session, client_id, client_secret, client_ip(request))
    if result is None:
        await session.commit()  # keep the failure count
        raise Unauthorized(
            "Unknown client, wrong secret or revoked client.", code=ErrorCode.INVALID_CLIENT
        )
    return ClientToken(
        access_token=result.access_token, expires_in=result.expires_in, scope=result.scope
    )


@router.post(
    "/refresh",
    operation_id="auth-refresh",
    response_model=TokenPair,
    responses=problem_responses(401, 422),
    summary="Exchange a refresh token for a new pair (the old one is spent)",
)
async def refresh(
    request: Request,
    response: Response,
    session: SessionDep,
    body: RefreshRequest | None = None,
) -> TokenPair:
    raw = (body.refresh_token if body else None) or request.cookies.get(REFRESH_COOKIE)
    if not raw:
        raise Unauthorized("No refresh token was sent.", code=ErrorCode.TOKEN_MISSING)
    try:
        pair = await service.refresh(session, raw)
    except service.ReuseDetected:
        await session.commit()  # keep the revocation
        _drop_cookies(response)
        raise
    _set_cookie(response, pair)
    return pair


@router.post(
    "/logout",
    operation_id="auth-logout",
    status_code=204,
    responses=problem_responses(401),
    summary="Sign out: ends this sign-in and every token it issued",
)
async def logout(principal: CurrentPrincipal, session: SessionDep, response: Response) -> None:
    await service.logout(session, principal.session_id, principal.user_id)
    _drop_cookies(response)


@router.get(
    "/me",
    operation_id="auth-me",
    response_model=Me,
    responses=problem_responses(401),
    summary="The signed-in user, their roles and scope",
)
async def me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    return await service.me(session, principal)
