"""Scope is decided in one place: a hand-written scope or path check anywhere else fails here.

Each rule is first shown catching a deliberately wrong snippet (so the checker cannot silently
pass everything), then run over the whole `unionhub` package.
"""

import pytest

from tests.architecture.rules import Finding, exempt, modules, scope_findings

# Written out as a domain module would, with the imports the checker resolves names from.
HEADER = """
from sqlalchemy import select, cast
from sqlalchemy.orm import aliased
from unionhub.authz import scope
from unionhub.authz.scope import union_filter, subtree_ids
from unionhub.core.db import Ltree
from unionhub.unions.models import Union
Parent = aliased(Union)
"""

WRONG = {
    "path-compare": [
        "ok = union.path == other.path",
        'ok = member_union.path.startswith(union.path + ".")',
        'ok = any(union_path.startswith(p + ".") for p in paths)',
        "stmt = select(Union.id).where(Union.path.descendant_of(root.path), union_filter(p))",
        'stmt = select(Member).where(Parent.path.op("@>")(cast(path, Ltree())))',
        'stmt = text("SELECT id FROM unions WHERE path <@ :root")',
        'depth = len(union.path.split("."))',
    ],
    "session-get-union": [
        "union = await session.get(Union, union_id)",
        "parent = await session.get(Parent, union_id)",
    ],
    "union-rows": [
        "union = (await session.execute(select(Union).where(Union.id == union_id))).scalar()",
        "ids = select(Union.id).where(Union.sector == 'state')",
        "stmt = select(Member).where(Member.union_id.in_(select(Parent.id)))",
    ],
    "union-id-filter": [
        "rows = select(Union.name).where(Union.id.in_(union_ids))",
    ],
    "unscoped-reason": [
        "stmt = scope.unscoped(select(Union))",
        'stmt = scope.unscoped(select(Union), reason="  ")',
        "union = await scope.get_union_unscoped(session, union_id, reason=why)",
    ],
}

RIGHT = [
    "union = await scope.get_union_in_scope(session, principal, union_id)",
    "ok = principal.holds_at(union.path, permission)",
    "ok = scope.within(member_union.path, union.path)",
    "stmt = select(Union).where(Union.id == union_id, union_filter(principal))",
    "stmt = select(Union.id).where(scope.subtree(root.path))",
    "stmt = select(Member).where(Member.union_id.in_(subtree_ids(root_id)))",
    "ids = select(Union.name).where(Union.id.in_(subtree_ids(root_id)))",
    'u = scope.unscoped(select(Union).where(Union.code == code), reason="codes are unique")',
    'u = await scope.get_union_unscoped(session, i, reason="the union of a member in scope")',
    'ok = request.url.path.startswith(("/api/", "/docs"))',
    "ok = union.path is None",
]


def _rules(snippet: str, module: str = "unionhub.example.service") -> list[str]:
    return [f.rule for f in scope_findings(module, HEADER + snippet)]


@pytest.mark.parametrize(
    ("rule", "snippet"), [(rule, s) for rule, snippets in WRONG.items() for s in snippets]
)
def test_the_checker_flags_a_hand_written_scope_decision(rule: str, snippet: str) -> None:
    assert rule in _rules(snippet), f"{rule} not flagged in: {snippet}"


@pytest.mark.parametrize("snippet", RIGHT)
def test_the_checker_accepts_the_scope_api(snippet: str) -> None:
    assert _rules(snippet) == []


def test_authz_itself_may_compare_paths() -> None:
    assert _rules(WRONG["path-compare"][0], module="unionhub.authz.scope") == []


def test_no_module_outside_authz_decides_scope_by_hand() -> None:
    findings: list[Finding] = []
    for module, source in modules():
        if not exempt(module):
            findings += scope_findings(module, source)
    assert not findings, "Use unionhub.authz.scope instead:\n" + "\n".join(map(str, findings))
