"""The production package `unionhub` never imports the development package `unionhub_dev`
(demo data, benchmark), which the production image does not contain."""

import ast
from pathlib import Path

import unionhub

PACKAGE = Path(unionhub.__file__).resolve().parent
DEV = "unionhub_dev"


def _is_dev(module: str) -> bool:
    return module == DEV or module.startswith(f"{DEV}.")


def dev_imports(source: str) -> list[int]:
    """Line numbers in `source` that import unionhub_dev: import statements anywhere (also
    inside functions), importlib.import_module(...) and __import__(...) of a literal name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            is_literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            names = (
                [first.value] if called in {"import_module", "__import__"} and is_literal else []
            )
        else:
            continue
        if any(_is_dev(name) for name in names):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_check_sees_every_form_of_import() -> None:
    source = "\n".join(
        [
            "import unionhub_dev",
            "from unionhub_dev.demo import plan",
            "def f():",
            "    import unionhub_dev.bench as b",
            "importlib.import_module('unionhub_dev.cli')",
            "__import__('unionhub_dev')",
            "import unionhub_development_notes, unionhub.core",
            "from . import unionhub_dev",
            "from unionhub import demo",
        ]
    )
    assert dev_imports(source) == [1, 2, 4, 5, 6]


def test_unionhub_does_not_import_unionhub_dev() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50, f"found only {len(files)} modules under {PACKAGE}"
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in files
        for line in dev_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"unionhub imports the development package: {found}"
