"""The error contract: one ErrorCode enum, published in the OpenAPI, used at every raise site."""

import ast
from pathlib import Path
from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError

from tests.factories import Factory
from tests.unions.helpers import API, build_tree
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import validation_errors
from unionhub.main import create_app

PACKAGE = Path(__file__).resolve().parents[2] / "unionhub"

# Calls that take an error code, and where: positional index, or the `code` keyword.
CODE_ARGUMENT = {
    "Unprocessable": 1,
    "FieldError": 1,
    "FieldIssue": 1,
    "Problem": 1,
    "fail": 1,
    "CellError": 0,
    "TaxCodeError": 0,
    "file_error": 0,
}
RAISING = {
    "AppError",
    "NotFound",
    "Forbidden",
    "Unauthorized",
    "Conflict",
    "PreconditionFailed",
    "TooManyRequests",
    "Unprocessable",
    "FileRejected",
    "FileTooLarge",
    *CODE_ARGUMENT,
}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _loose(node: ast.expr | None) -> bool:
    """A code written as a plain or formatted string instead of an ErrorCode member."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def loose_codes(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in RAISING:
            name = _name(node.func)
            args: list[ast.expr | None] = [k.value for k in node.keywords if k.arg == "code"]
            at = CODE_ARGUMENT.get(name or "")
            if at is not None and len(node.args) > at:
                args.append(node.args[at])
            if any(_loose(a) for a in args):
                found.append(f"{filename}:{node.lineno} {name}(...)")
        elif isinstance(node, ast.ClassDef):
            # An error class's own code: `code = "..."` in its body.
            found += [
                f"{filename}:{item.lineno} {node.name}.code = ..."
                for item in node.body
                if isinstance(item, ast.Assign | ast.AnnAssign)
                and _loose(item.value)
                and any(_name(t) == "code" for t in _targets(item))
            ]
        elif isinstance(node, ast.Assign) and _loose(node.value):
            # `err.code = "..."` on an error already made.
            found += [
                f"{filename}:{node.lineno} .code = ..."
                for t in node.targets
                if isinstance(t, ast.Attribute) and t.attr == "code"
            ]
    return found


def test_raise_sites_use_the_enum() -> None:
    loose = [
        site
        for path in sorted(PACKAGE.rglob("*.py"))
        for site in loose_codes(path.read_text(), str(path.relative_to(PACKAGE)))
    ]
    assert loose == []


def test_the_check_catches_a_loose_string() -> None:
    # The scan above must be able to fail: these are the shapes it is there to catch.
    wrong = """
raise Conflict("Busy.", code="busy")
raise Unprocessable("name", "too_long", "Too long.")
row.fail("phone", f"{kind}_invalid", "Bad.")
class Odd(AppError):
    code = "odd"
err.code = "odd"
"""
    assert len(loose_codes(wrong, "wrong.py")) == 5
    right = 'raise Conflict("Busy.", code=ErrorCode.CONFLICT)\ncode = f"{a}-{b}"\n'
    assert loose_codes(right, "right.py") == []


def test_pydantic_custom_errors_use_our_codes() -> None:
    """A custom validator's error type becomes the field's code: it must be one of ours."""
    values = {c.value for c in ErrorCode}
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and _name(node.func) == "PydanticCustomError":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and first.value not in values | {
                    "string_too_long"
                }:
                    wrong.append(f"{path.name}:{node.lineno} {first.value}")
    assert wrong == []


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = create_app().openapi()["components"]["schemas"]
    return schemas


def test_every_code_is_in_the_openapi_enum() -> None:
    schemas = _schemas()
    assert set(schemas["ErrorCode"]["enum"]) == {c.value for c in ErrorCode}
    ref = {"$ref": "#/components/schemas/ErrorCode"}
    assert schemas["Problem"]["properties"]["code"] == ref
    assert schemas["FieldProblem"]["properties"]["code"] == ref
    assert schemas["Problem"]["properties"]["errors"]["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/FieldProblem"
    }
    assert "in" in schemas["FieldProblem"]["properties"]
    assert "params" in schemas["Problem"]["properties"]


def test_unknown_pydantic_types_read_as_invalid() -> None:
    errors = validation_errors(
        RequestValidationError(
            [
                {"type": "some_new_pydantic_type", "loc": ("body", "x"), "msg": "Odd."},
                {
                    "type": "string_too_long",
                    "loc": ("body", "name"),
                    "msg": "Too long",
                    "input": "x" * 300,
                    "ctx": {"max_length": 255},
                },
                {
                    "type": "greater_than_equal",
                    "loc": ("query", "page"),
                    "msg": "Too small",
                    "input": "0",
                    "ctx": {"ge": 1},
                },
                {
                    "type": "string_too_short",
                    "loc": ("body", "password"),
                    "msg": "Too short",
                    "input": "secret",
                    "ctx": {"min_length": 10},
                },
            ]
        )
    )
    assert [e["code"] for e in errors] == ["invalid", "too_long", "too_small", "too_short"]
    long_value = errors[1]["params"]
    assert long_value["max_length"] == 255
    # The offending value is quoted, cut short.
    assert long_value["value"].startswith("xxx") and len(long_value["value"]) == 80
    assert errors[2]["params"] == {"min": 1, "value": "0"}
    # A password is never echoed back.
    assert errors[3]["params"] == {"min_length": 10}


async def test_field_errors_carry_params(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(API, params={"size": 100_000}, headers=t.admin)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    [err] = body["errors"]
    assert err["code"] == "too_large" and err["params"]["value"] == "100000"
    assert isinstance(err["params"]["max"], int)


@pytest.mark.parametrize("code", list(ErrorCode))
def test_codes_are_snake_case(code: ErrorCode) -> None:
    assert code.value == code.name.lower()
