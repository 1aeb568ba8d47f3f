"""RFC 9457 problem+json: one error shape for every failure.

Each problem carries a stable ``code`` the web app translates; validation problems list
``errors[]`` with the field path (``field``), where it came from (``in``), a code and a message.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("unionhub.errors")

PROBLEM_JSON = "application/problem+json"
POOL_RETRY_AFTER_SECONDS = 5
TYPE_BASE = "https://unionhub.vn/problems/"


class FieldError(BaseModel):
    field: str
    in_: str = "body"
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "in": self.in_, "code": self.code, "message": self.message}


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    code: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, str]] | None = None
    extra: dict[str, Any] | None = None


class AppError(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors
        self.extra = extra
        self.headers = headers


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    title = "Not signed in"

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        super().__init__(detail, code=code, headers={"WWW-Authenticate": "Bearer"})


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    code = "precondition_failed"
    title = "Precondition failed"


class PreconditionRequired(AppError):
    """A conditional request (If-Match) is required of this caller and none was sent."""

    status = 428
    code = "precondition_required"
    title = "Precondition required"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    title = "Too many requests"


class Unprocessable(AppError):
    """A request that is well-formed but breaks a business rule on a field."""

    status = 422
    code = "validation_error"
    title = "Invalid input"

    def __init__(self, field: str, code: str, message: str, *, in_: str = "body") -> None:
        super().__init__(
            message,
            code="validation_error",
            errors=[FieldError(field=field, in_=in_, code=code, message=message)],
        )


def _problem(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str | None,
    errors: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "code": code,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_PYDANTIC_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "json_invalid": "malformed_json",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "int_parsing": "not_integer",
    "int_type": "not_integer",
    "uuid_parsing": "invalid_uuid",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "enum": "invalid_choice",
    "literal_error": "invalid_choice",
    "string_type": "not_string",
    "bool_parsing": "not_boolean",
    "bool_type": "not_boolean",
    "model_attributes_type": "not_object",
    "dict_type": "not_object",
    "list_type": "not_list",
    "string_pattern_mismatch": "invalid_format",
    "string_unicode": "invalid_character",
    "uuid_type": "invalid_uuid",
    "uuid_version": "invalid_uuid",
    "date_from_datetime_inexact": "invalid_date",
    "date_future": "date_in_future",
    "int_from_float": "not_integer",
    "int_parsing_size": "too_large",
    "value_error": "invalid",
    "json_type": "malformed_json",
}


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        where = loc[0] if loc and loc[0] in {"body", "query", "path", "header", "cookie"} else ""
        path = loc[1:] if where else loc
        kind = str(err.get("type", "invalid"))
        code = _PYDANTIC_CODES.get(kind, kind)
        if kind == "json_invalid":
            # FastAPI puts the character offset where the field would be: not a field.
            path = []
        message = str(err.get("msg", "Invalid value"))
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        out.append(
            {
                "field": ".".join(path) if path else where or "body",
                "in": where or "body",
                "code": code,
                "message": message,
            }
        )
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return _problem(
            request,
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            [e.to_dict() for e in exc.errors] if exc.errors else None,
            exc.extra,
            exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        malformed = any(e["code"] == "malformed_json" for e in errors)
        return _problem(
            request,
            422,
            "malformed_json" if malformed else "validation_error",
            "Invalid input",
            "The request body is not valid JSON."
            if malformed
            else "Some fields are invalid; see errors.",
            errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's only 400: a JSON or form body it could not decode (bad UTF-8, nesting
            # too deep). Answer in the shape of every other invalid input.
            message = "The request body could not be read."
            return _problem(
                request,
                422,
                "malformed_body",
                "Invalid input",
                message,
                [{"field": "body", "in": "body", "code": "malformed_body", "message": message}],
            )
        codes = {
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthorized",
            403: "forbidden",
            413: "payload_too_large",
            415: "unsupported_media_type",
        }
        return _problem(
            request,
            exc.status_code,
            codes.get(exc.status_code, "http_error"),
            str(exc.detail) if exc.detail else "Error",
            str(exc.detail) if exc.detail else None,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc.orig)
        return _problem(
            request, 409, "conflict", "Conflict", "The change conflicts with existing data."
        )

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every database connection is busy: the service is overloaded, not broken. The
        # client may retry; the log says so without a traceback per waiting request.
        log.warning("database pool exhausted: %s", exc)
        return _problem(
            request,
            503,
            "service_busy",
            "Service busy",
            "The service is busy; try again in a few seconds.",
            headers={"Retry-After": str(POOL_RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(ConnectionError)
    async def _unreachable(request: Request, exc: ConnectionError) -> JSONResponse:
        # The database refused or dropped the connection (down, restarting, failing over).
        log.error("database unreachable: %s", exc)
        return _unavailable(request)

    @app.exception_handler(DBAPIError)
    async def _dbapi(request: Request, exc: DBAPIError) -> JSONResponse:
        # Data errors (class 22: bad values that slipped past validation) are the client's;
        # anything else is ours.
        sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
        if sqlstate.startswith("22"):
            return _problem(request, 400, "invalid_value", "Invalid value", "A value is invalid.")
        if sqlstate.startswith(_UNAVAILABLE_CLASSES) or sqlstate in _UNAVAILABLE_STATES:
            log.error("database unavailable (%s): %s", sqlstate, exc.orig)
            return _unavailable(request)
        log.exception("database error")
        return _problem(request, 500, "internal_error", "Internal error", None)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _problem(request, 500, "internal_error", "Internal error", None)


# Connection exceptions (08) and insufficient resources (53: too many connections, out of
# memory or disk), and a server shutting down or starting (57P01-57P03): the request was
# fine, the database cannot take it now.
_UNAVAILABLE_CLASSES = ("08", "53")
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03"})


def _unavailable(request: Request) -> JSONResponse:
    return _problem(
        request,
        503,
        "service_unavailable",
        "Service unavailable",
        "The database cannot be reached just now; try again in a few seconds.",
        headers={"Retry-After": str(POOL_RETRY_AFTER_SECONDS)},
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry declaring problem+json for the given statuses."""
    return {
        s: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Problem"}
        for s in statuses
    }
