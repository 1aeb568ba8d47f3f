"""Request parameters without FastAPI's per-request walk of their declared types.

FastAPI (0.165) asks, on every request and for every declared query, header and cookie
parameter, whether the parameter's declared type is a sequence (`list[MemberStatus] | None`
is read with `getlist`; asked twice) and whether it is a model of parameters, by walking the
type: `typing.get_origin`, each member of a union, `issubclass` checks. The member list's 20
query parameters made that about a seventh of a name search's CPU (issue 9). The answers
depend on the declared type alone, so `install()` keeps them per type; a type that cannot be
a dictionary key is walked as before.

It also reads the parameters a request does not send without FastAPI's per-parameter work
(`request_params_to_args`): a search sends two of the member list's 19 query parameters, and
for each of the other 17 FastAPI worked out the parameter's names, looked the value up and
copied the default (`copy.deepcopy`), about 4 µs each (issue 9). What it answers for an absent
parameter depends on the parameter alone (its names, whether it is required, its default), so
that is worked out once per parameter; a parameter the request sends, a required or a
validated default, a default from a factory or one that is not an immutable scalar, or a model
of parameters, is read by FastAPI's own code, as before, except a sent query, header or cookie
parameter of one value (not a list, a JSON value or a model): that one is validated by its
field directly, as FastAPI's function does it (the value by the first of its names the request
sends, `field.validate` with the location `(where, name)`), without the name, model and
sequence checks around it (a name search's two sent parameters: about a tenth of its
parameter reading, issue 9).
"""

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from fastapi import params
from fastapi.dependencies import utils
from starlette.datastructures import QueryParams

T = TypeVar("T")

# Defaults that `copy.deepcopy` returns as they are: used as they are.
_IMMUTABLE = (type(None), bool, int, float, str, bytes, Enum)


def _per_type(walk: Callable[[Any], T]) -> Callable[[Any], T]:
    known = lru_cache(maxsize=4096)(walk)

    def answer(annotation: Any) -> T:
        try:
            return known(annotation)
        except TypeError:  # unhashable
            return walk(annotation)

    answer.__wrapped__ = walk  # type: ignore[attr-defined]
    return answer


# Per parameter (by identity; the parameter is kept so its id is not reused): the names a
# request may send it by and its value when absent, or None when FastAPI must read it.
_ABSENT: dict[int, tuple[Any, tuple[str, ...] | None, Any]] = {}


def _when_absent(field: Any) -> tuple[tuple[str, ...] | None, Any]:
    known = _ABSENT.get(id(field))
    if known is None or known[0] is not field:
        names: tuple[str, ...] | None = None
        default = field.default
        info = field.field_info
        if (
            utils._get_param_model(field) is None
            and not info.is_required()
            and not info.validate_default
            and info.default_factory is None
            and isinstance(default, _IMMUTABLE)
        ):
            names = tuple(request_key for _, request_key in utils._get_param_aliases(field))
        known = (field, names, default)
        _ABSENT[id(field)] = known
    return known[1], known[2]


# Per parameter (by identity, kept as `_ABSENT` keeps it): (where it is sent, the names it may
# be sent by) for a parameter a request sends that is read by its one value (not a list, a
# JSON value or a model of parameters), or None when FastAPI's code must read it.
_DIRECT: dict[int, tuple[Any, tuple[str, tuple[str, ...]] | None]] = {}


def _read_directly(field: Any) -> tuple[str, tuple[str, ...]] | None:
    known = _DIRECT.get(id(field))
    if known is None or known[0] is not field:
        how: tuple[str, tuple[str, ...]] | None = None
        info = field.field_info
        if (
            isinstance(info, params.Param)
            and utils._get_param_model(field) is None
            and not utils._is_json_field(field)
            and not utils.field_annotation_is_sequence(info.annotation)  # type: ignore[attr-defined]
        ):
            names = tuple(request_key for _, request_key in utils._get_param_aliases(field))
            how = (info.in_.value, names)
        known = (field, how)
        _DIRECT[id(field)] = known
    return known[1]


def _read_sent(
    read: Callable[..., tuple[dict[str, Any], list[Any]]],
    sent: Sequence[Any],
    received_params: Mapping[str, Any],
    values: dict[str, Any],
) -> list[Any]:
    """The parameters a request sends, into `values`, in their declared order; the errors.
    One that `_read_directly` may read is validated as FastAPI does it (its value by the first
    of its names the request sends, `field.validate` with the same location), without the
    per-parameter work of `request_params_to_args` around it; any other by `read` itself."""
    errors: list[Any] = []
    for field in sent:
        how = _read_directly(field)
        value = None
        if how is not None:
            where, names = how
            alias = next((name for name in names if name in received_params), names[0])
            value = received_params.get(alias)
        if value is None:
            read_values, wrong = read([field], received_params)
            values.update(read_values)
            errors.extend(wrong)
            continue
        result, wrong = field.validate(value, values, loc=(where, alias))
        if wrong:
            errors.extend(wrong)
        else:
            values[field.name] = result
    return errors


class _Plan(NamedTuple):
    """A route's query parameters (one list of FastAPI's, kept so its id is not reused): the
    values of those `_when_absent` answers, the positions of each by the names a request may
    send it by, and the positions of those FastAPI reads every time."""

    fields: Sequence[Any]
    length: int
    defaults: dict[str, Any]
    by_name: dict[str, list[int]]
    always: list[int]


_PLANS: dict[int, _Plan] = {}


def _plan(fields: Sequence[Any]) -> _Plan:
    known = _PLANS.get(id(fields))
    if known is None or known.fields is not fields or known.length != len(fields):
        defaults: dict[str, Any] = {}
        by_name: dict[str, list[int]] = {}
        always: list[int] = []
        for position, field in enumerate(fields):
            names, default = _when_absent(field)
            if names is None:
                always.append(position)
                continue
            defaults[field.name] = default
            for name in names:
                by_name.setdefault(name, []).append(position)
        known = _Plan(fields, len(fields), defaults, by_name, always)
        _PLANS[id(fields)] = known
    return known


def _params_to_args(
    read: Callable[..., tuple[dict[str, Any], list[Any]]],
) -> Callable[..., tuple[dict[str, Any], list[Any]]]:
    """FastAPI's `request_params_to_args` (`read`), answering the parameters a request does
    not send from what `_when_absent` worked out; the others are read by `read`, in their
    declared order. Query parameters by the names the request sends (`_plan`: a search sends
    2 of 19), headers and cookies parameter by parameter."""

    def params_to_args(
        fields: Sequence[Any], received_params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[Any]]:
        if not fields:
            return {}, []
        values: dict[str, Any]
        if isinstance(received_params, QueryParams):
            plan = _plan(fields)
            values = plan.defaults.copy()
            positions = set(plan.always)
            for name in received_params:
                found = plan.by_name.get(name)
                if found:
                    positions.update(found)
            sent = [fields[p] for p in sorted(positions)]
            for field in sent:
                values.pop(field.name, None)
        else:
            values = {}
            sent = []
            for field in fields:
                names, default = _when_absent(field)
                if names is None or any(name in received_params for name in names):
                    sent.append(field)
                else:
                    values[field.name] = default
        if not sent:
            return values, []
        return values, _read_sent(read, sent, received_params, values)

    params_to_args.__wrapped__ = read  # type: ignore[attr-defined]
    return params_to_args


def install() -> None:
    """Keep FastAPI's answers per type and per parameter where it reads request parameters
    (idempotent)."""
    for name in ("field_annotation_is_sequence", "_get_model_type"):
        walk = getattr(utils, name)
        setattr(utils, name, _per_type(getattr(walk, "__wrapped__", walk)))
    read = utils.request_params_to_args
    utils.request_params_to_args = _params_to_args(getattr(read, "__wrapped__", read))
