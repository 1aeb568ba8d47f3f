"""docs/architecture.md draws the layers that backend/pyproject.toml's import-linter contracts
enforce: every independent domain and every declared upward import is named there, so the
picture a newcomer reads cannot fall behind the contracts."""

import tomllib
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
DOC = (BACKEND.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
CONTRACTS = {
    c["id"]: c
    for c in tomllib.loads((BACKEND / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]["contracts"]
}


def _domains_row() -> str:
    (row,) = [line for line in DOC.splitlines() if line.startswith("| `domains` |")]
    return row


def test_every_independent_domain_is_in_the_picture_and_the_table() -> None:
    row = _domains_row()
    picture = DOC.split("## Layers", 1)[1].split("```")[1]
    for module in CONTRACTS["domains"]["modules"]:
        name = module.removeprefix("unionhub.")
        assert f"`{name}`" in row, f"{name} missing from the domains row of the contracts table"
        assert f"{name}/" in picture, f"{name}/ missing from the layers picture"


def test_every_shared_table_module_is_named() -> None:
    row = _domains_row()
    for ignored in CONTRACTS["domains"]["ignore_imports"]:
        target = ignored.split(" -> ")[1].removeprefix("unionhub.")
        assert f"`{target}`" in row, f"{target} missing from the domains row"


def test_every_upward_import_of_the_tree_table_is_named() -> None:
    for ignored in CONTRACTS["layers"]["ignore_imports"]:
        source = ignored.split(" -> ")[0].removeprefix("unionhub.")
        assert f"`{source}`" in DOC, f"{source}'s upward import is not explained"
