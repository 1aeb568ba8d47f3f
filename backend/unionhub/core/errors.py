"""RFC 9457 problem+json: one error shape for every failure.

Each problem carries a stable ``code`` (an `ErrorCode`) the web app translates, the values
its message needs in ``params`` (dates as ISO strings, numbers as numbers) and an English
``detail``. Validation problems list ``errors[]`` with the field path (``field``), where it
came from (``in``), a code, params and an English message.
"""

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from unionhub.core.error_codes import ErrorCode

log = logging.getLogger("unionhub.errors")

PROBLEM_JSON = "application/problem+json"
POOL_RETRY_AFTER_SECONDS = 5
TYPE_BASE = "https://unionhub.vn/problems/"

ParamValue = str | int | float | bool | date | None
Params = Mapping[str, ParamValue]
JsonParams = dict[str, str | int | float | bool | None]
# A quoted value is cut here: a message quotes what the officer typed, not a whole paragraph.
MAX_QUOTED = 80


def quoted(value: object) -> str:
    """A value as a message quotes it: text, a date as dd/mm/yyyy, cut to MAX_QUOTED."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if len(text) > MAX_QUOTED:
        text = text[: MAX_QUOTED - 1] + "\u2026"
    # A lone surrogate (valid in a JSON string, not in UTF-8) would break the response.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def jsonable_params(params: Params | None) -> JsonParams | None:
    """Params as JSON values: dates as ISO strings, numbers stay numbers."""
    if not params:
        return None
    out: JsonParams = {}
    for key, value in params.items():
        if isinstance(value, date):  # datetimes too
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


class FieldIssue(NamedTuple):
    """One problem with one field, as the pure checks (members.validation, imports) find it."""

    field: str
    code: ErrorCode
    message: str
    params: Params | None = None


class FieldError:
    """One invalid field of a request, as it goes out in `errors[]`."""

    __slots__ = ("code", "field", "in_", "message", "params")

    def __init__(
        self,
        field: str,
        code: ErrorCode,
        message: str,
        *,
        in_: str = "body",
        params: Params | None = None,
    ) -> None:
        self.field = field
        self.in_ = in_
        self.code = code
        self.message = message
        self.params = params

    @classmethod
    def of(cls, problem: FieldIssue, *, prefix: str = "") -> "FieldError":
        return cls(prefix + problem.field, problem.code, problem.message, params=problem.params)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field,
            "in": self.in_,
            "code": self.code.value,
            "message": self.message,
        }
        params = jsonable_params(self.params)
        if params:
            out["params"] = params
        return out


ParamsSchema = dict[str, str | int | float | bool | None]


class FieldProblem(BaseModel):
    """One invalid field in a problem's `errors[]`."""

    model_config = ConfigDict(populate_by_name=True)

    field: str = Field(description="Dotted path of the field, e.g. roles.0.union_id")
    in_: str = Field(alias="in", description="body, query, path or header")
    code: ErrorCode
    message: str = Field(description="English; translate by code and params")
    params: ParamsSchema | None = Field(
        default=None,
        description="Values the message names: limits (max_length, limit), the offending "
        "value (value), dates as ISO strings",
    )


class Problem(BaseModel):
    """The body of every error response (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = Field(default=None, description="English; translate by code and params")
    code: ErrorCode
    params: ParamsSchema | None = Field(
        default=None, description="Values the message names; dates as ISO strings"
    )
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


class AppError(Exception):
    status = 400
    code: ErrorCode = ErrorCode.BAD_REQUEST
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: ErrorCode | None = None,
        params: Params | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        if code:
            self.code = code
        self.params = params
        self.errors = errors
        self.extra = extra
        self.headers = headers


class NotFound(AppError):
    status = 404
    code = ErrorCode.NOT_FOUND
    title = "Not found"


class Forbidden(AppError):
    status = 403
    code = ErrorCode.FORBIDDEN
    title = "Forbidden"


class Unauthorized(AppError):
    status = 401
    code = ErrorCode.UNAUTHORIZED
    title = "Not signed in"

    def __init__(self, detail: str | None = None, *, code: ErrorCode | None = None) -> None:
        super().__init__(detail, code=code, headers={"WWW-Authenticate": "Bearer"})


class Conflict(AppError):
    status = 409
    code = ErrorCode.CONFLICT
    title = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    code = ErrorCode.PRECONDITION_FAILED
    title = "Precondition failed"


class PreconditionRequired(AppError):
    """A conditional request (If-Match) is required of this caller and none was sent."""

    status = 428
    code = ErrorCode.PRECONDITION_REQUIRED
    title = "Precondition required"


class TooManyRequests(AppError):
    status = 429
    code = ErrorCode.TOO_MANY_REQUESTS
    title = "Too many requests"


class Unprocessable(AppError):
    """A request that is well-formed but breaks a business rule on a field.

    The problem's own code is `validation_error` unless `problem_code` names another (a
    rule whose answer a client handles as a whole, e.g. `rejoin_too_soon`)."""

    status = 422
    code = ErrorCode.VALIDATION_ERROR
    title = "Invalid input"

    def __init__(
        self,
        field: str,
        code: ErrorCode,
        message: str,
        *,
        in_: str = "body",
        params: Params | None = None,
        problem_code: ErrorCode = ErrorCode.VALIDATION_ERROR,
    ) -> None:
        super().__init__(
            message,
            code=problem_code,
            params=params if problem_code != ErrorCode.VALIDATION_ERROR else None,
            errors=[FieldError(field, code, message, in_=in_, params=params)],
        )

    @classmethod
    def of(cls, problems: list[FieldIssue], *, prefix: str = "") -> "Unprocessable":
        """All problems at once (the first one's message is the detail)."""
        first = problems[0]
        err = cls(prefix + first.field, first.code, first.message, params=first.params)
        err.errors = [FieldError.of(p, prefix=prefix) for p in problems]
        return err


def _problem(
    request: Request,
    status: int,
    code: ErrorCode,
    title: str,
    detail: str | None,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    params: Params | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.value.replace("_", "-"),
        "title": title,
        "status": status,
        "code": code.value,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", None),
    }
    if detail:
        body["detail"] = detail
    json_params = jsonable_params(params)
    if json_params:
        body["params"] = json_params
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_PYDANTIC_CODES: dict[str, ErrorCode] = {
    "missing": ErrorCode.REQUIRED,
    "extra_forbidden": ErrorCode.UNKNOWN_FIELD,
    "json_invalid": ErrorCode.MALFORMED_JSON,
    "json_type": ErrorCode.MALFORMED_JSON,
    "string_too_long": ErrorCode.TOO_LONG,
    "string_too_short": ErrorCode.TOO_SHORT,
    "too_long": ErrorCode.TOO_LONG,
    "too_short": ErrorCode.TOO_SHORT,
    "int_parsing": ErrorCode.NOT_INTEGER,
    "int_type": ErrorCode.NOT_INTEGER,
    "int_from_float": ErrorCode.NOT_INTEGER,
    "int_parsing_size": ErrorCode.TOO_LARGE,
    "float_parsing": ErrorCode.NOT_NUMBER,
    "float_type": ErrorCode.NOT_NUMBER,
    "decimal_parsing": ErrorCode.NOT_NUMBER,
    "decimal_type": ErrorCode.NOT_NUMBER,
    "finite_number": ErrorCode.NOT_NUMBER,
    "uuid_parsing": ErrorCode.INVALID_UUID,
    "uuid_type": ErrorCode.INVALID_UUID,
    "uuid_version": ErrorCode.INVALID_UUID,
    "date_from_datetime_parsing": ErrorCode.INVALID_DATE,
    "date_from_datetime_inexact": ErrorCode.INVALID_DATE,
    "date_parsing": ErrorCode.INVALID_DATE,
    "date_type": ErrorCode.INVALID_DATE,
    "datetime_parsing": ErrorCode.INVALID_DATE,
    "datetime_type": ErrorCode.INVALID_DATE,
    "datetime_from_date_parsing": ErrorCode.INVALID_DATE,
    "date_future": ErrorCode.DATE_IN_FUTURE,
    "less_than_equal": ErrorCode.TOO_LARGE,
    "less_than": ErrorCode.TOO_LARGE,
    "greater_than_equal": ErrorCode.TOO_SMALL,
    "greater_than": ErrorCode.TOO_SMALL,
    "enum": ErrorCode.INVALID_CHOICE,
    "literal_error": ErrorCode.INVALID_CHOICE,
    "string_type": ErrorCode.NOT_STRING,
    "string_unicode": ErrorCode.INVALID_CHARACTER,
    "string_pattern_mismatch": ErrorCode.INVALID_FORMAT,
    "bool_parsing": ErrorCode.NOT_BOOLEAN,
    "bool_type": ErrorCode.NOT_BOOLEAN,
    "model_type": ErrorCode.NOT_OBJECT,
    "model_attributes_type": ErrorCode.NOT_OBJECT,
    "dict_type": ErrorCode.NOT_OBJECT,
    "list_type": ErrorCode.NOT_LIST,
    "value_error": ErrorCode.INVALID,
}
# Pydantic's context names -> our param names (the limits a message states).
_CTX_PARAMS = {
    "max_length": "max_length",
    "min_length": "min_length",
    "ge": "min",
    "gt": "above",
    "le": "max",
    "lt": "below",
    "expected": "expected",
    "first": "first",
    "last": "last",
}
# Fields whose input is never echoed back in `params.value`.
_SECRET_FIELDS = ("password", "token", "secret")


def error_code(kind: str) -> ErrorCode:
    """Our code for a pydantic error type; a custom error's type is already one of ours."""
    found = _PYDANTIC_CODES.get(kind)
    if found is not None:
        return found
    try:
        return ErrorCode(kind)
    except ValueError:
        return ErrorCode.INVALID


def _error_params(err: Any, field: str) -> dict[str, ParamValue] | None:
    params: dict[str, ParamValue] = {}
    for key, value in (err.get("ctx") or {}).items():
        name = _CTX_PARAMS.get(key)
        if name is not None and isinstance(value, str | int | float):
            params[name] = value
    raw = err.get("input")
    secret = any(word in field.lower() for word in _SECRET_FIELDS)
    if isinstance(raw, str | int | float) and not isinstance(raw, bool) and not secret:
        params["value"] = quoted(raw)
    return params or None


def validation_field_errors(exc: RequestValidationError) -> list[FieldError]:
    """Pydantic's errors as ours: our codes, field paths, the limits and value as params."""
    out: list[FieldError] = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        where = loc[0] if loc and loc[0] in {"body", "query", "path", "header", "cookie"} else ""
        path = loc[1:] if where else loc
        kind = str(err.get("type", "invalid"))
        code = error_code(kind)
        if kind == "json_invalid":
            # FastAPI puts the character offset where the field would be: not a field.
            path = []
        message = str(err.get("msg", "Invalid value"))
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        field = ".".join(path) if path else where or "body"
        params = None if kind in ("json_invalid", "missing") else _error_params(err, field)
        out.append(FieldError(field, code, message, in_=where or "body", params=params))
    return out


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [e.to_dict() for e in validation_field_errors(exc)]


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
            exc.params,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        malformed = any(e["code"] == ErrorCode.MALFORMED_JSON for e in errors)
        return _problem(
            request,
            422,
            ErrorCode.MALFORMED_JSON if malformed else ErrorCode.VALIDATION_ERROR,
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
                ErrorCode.MALFORMED_BODY,
                "Invalid input",
                message,
                [FieldError("body", ErrorCode.MALFORMED_BODY, message).to_dict()],
            )
        codes = {
            404: ErrorCode.NOT_FOUND,
            405: ErrorCode.METHOD_NOT_ALLOWED,
            401: ErrorCode.UNAUTHORIZED,
            403: ErrorCode.FORBIDDEN,
            413: ErrorCode.PAYLOAD_TOO_LARGE,
            415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        }
        return _problem(
            request,
            exc.status_code,
            codes.get(exc.status_code, ErrorCode.HTTP_ERROR),
            str(exc.detail) if exc.detail else "Error",
            str(exc.detail) if exc.detail else None,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc.orig)
        return _problem(
            request, 409, ErrorCode.CONFLICT, "Conflict", "The change conflicts with existing data."
        )

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
        # Every database connection is busy: the service is overloaded, not broken. The
        # client may retry; the log says so without a traceback per waiting request.
        log.warning("database pool exhausted: %s", exc)
        return _busy(request, "The service is busy; try again in a few seconds.")

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
            return _problem(
                request, 400, ErrorCode.INVALID_VALUE, "Invalid value", "A value is invalid."
            )
        if sqlstate == _STATEMENT_TIMEOUT:
            # Over its kind's time limit (core.db.statement_timeout): busy, not broken.
            log.warning("statement timed out: %s", exc.orig)
            return _busy(
                request, "The request took too long; try again in a few seconds or narrow it."
            )
        if sqlstate in _WAITED_TOO_LONG:
            # A lock not had in time (`scope.lock_tree`), or a deadlock PostgreSQL broke by
            # aborting this transaction: nothing was written; the same request can be sent
            # again.
            log.warning("lock not obtained (%s): %s", sqlstate, exc.orig)
            return _busy(
                request,
                "Other changes were being written; nothing was saved. Try again in a few seconds.",
            )
        if sqlstate.startswith(_UNAVAILABLE_CLASSES) or sqlstate in _UNAVAILABLE_STATES:
            log.error("database unavailable (%s): %s", sqlstate, exc.orig)
            return _unavailable(request)
        log.exception("database error")
        return _problem(request, 500, ErrorCode.INTERNAL_ERROR, "Internal error", None)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return _problem(request, 500, ErrorCode.INTERNAL_ERROR, "Internal error", None)


# Connection exceptions (08) and insufficient resources (53: too many connections, out of
# memory or disk), and a server shutting down or starting (57P01-57P03): the request was
# fine, the database cannot take it now.
_UNAVAILABLE_CLASSES = ("08", "53")
_UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03"})
_STATEMENT_TIMEOUT = "57014"  # query_canceled: statement_timeout
# lock_not_available (lock_timeout) and deadlock_detected.
_WAITED_TOO_LONG = frozenset({"55P03", "40P01"})


def _busy(request: Request, detail: str) -> JSONResponse:
    """503 `service_busy`: the request was fine and can be sent again after Retry-After."""
    return _problem(
        request,
        503,
        ErrorCode.SERVICE_BUSY,
        "Service busy",
        detail,
        headers={"Retry-After": str(POOL_RETRY_AFTER_SECONDS)},
        params={"retry_after": POOL_RETRY_AFTER_SECONDS},
    )


def _unavailable(request: Request) -> JSONResponse:
    return _problem(
        request,
        503,
        ErrorCode.SERVICE_UNAVAILABLE,
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
