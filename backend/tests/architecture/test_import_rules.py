"""Imports that hide a cycle or reach into another package's privates fail here.

Each rule is first shown catching a deliberately wrong snippet, then run over `unionhub`.
"""

from tests.architecture.rules import (
    Finding,
    exempt,
    function_import_findings,
    modules,
    private_import_findings,
)


def test_the_checker_flags_an_import_inside_a_function() -> None:
    snippet = "def late():\n    from unionhub.members import service\n    return service\n"
    (finding,) = function_import_findings("unionhub.unions.hooks", snippet)
    assert finding.rule == "function-import"
    assert function_import_findings("unionhub.x", "def f():\n    import json\n") == []


def test_no_unionhub_import_inside_a_function_body() -> None:
    findings: list[Finding] = []
    for module, source in modules():
        if not exempt(module):
            findings += function_import_findings(module, source)
    assert not findings, "Import at module level; move code to break a cycle:\n" + "\n".join(
        map(str, findings)
    )


def test_the_checker_flags_another_packages_private_helper() -> None:
    snippet = (
        "from unionhub.unions.models import _check_in\n"
        "from unionhub.authz._paths import within\n"
        "from unionhub.core import audit\n"
        "after = audit._jsonable(before)\n"
    )
    found = {f.code for f in private_import_findings("unionhub.members.models", snippet)}
    assert found == {
        "unionhub.unions.models._check_in",
        "unionhub.authz._paths.within",
        "unionhub.core.audit._jsonable",
    }
    # Inside its own package a private helper is fine.
    own = "from unionhub.authz._paths import within\n"
    assert private_import_findings("unionhub.authz.scope", own) == []


def test_no_module_uses_another_packages_private_helper() -> None:
    findings: list[Finding] = []
    for module, source in modules():
        findings += private_import_findings(module, source)
    assert not findings, "Make it public in the lower package:\n" + "\n".join(map(str, findings))
