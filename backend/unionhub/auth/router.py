from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from unionhub.auth import service
from unionhub.auth.dependencies import CurrentPrincipal, SessionDep, client_ip
from unionhub.auth.schemas import Me, RefreshRequest, TokenPair
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


@router.post(
    "/token",
    operation_id="auth-token",
    response_model=TokenPair,
    responses=problem_responses(401, 422, 429),
    summary="Sign in (OAuth2 password flow)",
)
async def token(
    request: Request,
    response: Response,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> TokenPair:
    if (
        len(form.username) > 64
        or len(form.password) > 256
        or "\x00" in form.username + form.password
    ):
        raise Unprocessable(
            "username", ErrorCode.INVALID, "Username or password is too long or invalid."
        )
    result = await service.login(session, form.username, form.password, client_ip(request))
    if isinstance(result, service.LoginFailed):
        await session.commit()  # keep the failure count
        raise Unauthorized(result.detail, code=ErrorCode.INVALID_CREDENTIALS)
    _set_cookie(response, result)
    return result


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
