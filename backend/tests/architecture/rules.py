"""Static rules over the source of `unionhub`, read with `ast` (nothing is imported or run).

Scope rules: outside `unionhub.authz`, no code decides by itself whether a union is in scope or
under another one. Each rule names what it catches:

- `path-compare`: an ltree path compared by hand: `a.path == b.path`, `path.startswith(...)`,
  `.descendant_of(...)`, `.op("<@")`, `ltree_array(...)`, `CAST(... AS ltree)`, raw SQL with
  `<@`/`@>`. Use `principal.holds_at`, `scope.within`, `scope.subtree`, `scope.ancestor_ids`.
- `session-get-union`: `session.get(Union, id)` reads a union whatever the caller's scope.
  Use `scope.get_union_in_scope`, or `scope.get_union_unscoped(..., reason=...)`.
- `union-rows`: `select(Union)` or `select(Union.id, ...)` whose statement has no scope call
  (`union_filter`, `subtree`, ...) in it: a read of unions, or a hand-made union-id set, that
  ignores the scope. Build it on a scope function or wrap it in `scope.unscoped(..., reason=...)`.
- `union-id-filter`: `Union.id.in_(...)` on anything but a scope function's result.
- `unscoped-reason`: `scope.unscoped`/`scope.get_union_unscoped` without a literal, non-empty
  `reason="..."`: an exception nobody explained.

Import rules: no `unionhub` import inside a function body (`function-import`): a cycle between
packages is fixed by moving code (see docs/architecture.md), not hidden by a late import. No
`_private` module or name of another package (`private-import`): what two packages share is
public, in the lower one.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import unionhub
import unionhub_dev

# The application and the development tools (demo data, benchmark) that write through it.
PACKAGE_DIRS = tuple(Path(p.__file__).resolve().parent for p in (unionhub, unionhub_dev))
SCOPE_MODULE = "unionhub.authz.scope"
UNION_MODEL_MODULE = "unionhub.unions.models"
ALLOWED_PACKAGE = "unionhub.authz"

LTREE_OPERATORS = frozenset({"<@", "@>"})
# `path.startswith(other + ".")` (a URL path against literals is fine); `path.split(".")`.
PREFIX_METHODS = frozenset({"startswith", "endswith"})
SPLIT_METHODS = frozenset({"split", "rsplit", "partition", "rpartition"})
UNSCOPED_FUNCTIONS = frozenset({"unscoped", "get_union_unscoped"})


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    rule: str
    code: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: [{self.rule}] {self.code}"


# The benchmark (a development tool, not in the production package) measures the database
# with raw SQL, on purpose.
EXEMPT_PACKAGES = ("unionhub_dev.bench",)


def exempt(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in EXEMPT_PACKAGES)


def modules() -> Iterator[tuple[str, str]]:
    """(dotted module name, source) for every module of `unionhub` and `unionhub_dev`."""
    for package_dir in PACKAGE_DIRS:
        for path in sorted(package_dir.rglob("*.py")):
            parts = path.relative_to(package_dir.parent).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path.read_text(encoding="utf-8")


def _is_path_like(node: ast.AST) -> bool:
    """An expression that names a union path: `x.path`, `x.union_path`, `path`, `old_path`."""
    if isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Name):
        name = node.id
    else:
        return False
    return name == "path" or name.endswith("_path")


def _mentions_path(node: ast.AST) -> bool:
    return any(_is_path_like(n) for n in ast.walk(node))


def _is_constant(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts)


class _ScopeVisitor(ast.NodeVisitor):
    def __init__(self, module: str, source: str) -> None:
        self.module = module
        self.source = source
        self.findings: list[Finding] = []
        self.scope_names: set[str] = set()  # names imported from unionhub.authz.scope
        self.scope_modules: set[str] = set()  # `scope` in `from unionhub.authz import scope`
        self.union_names: set[str] = set()  # `Union` and its aliases
        self.parents: dict[ast.AST, ast.AST] = {}

    # -------------------------------------------------------------- bookkeeping
    def run(self, tree: ast.Module) -> list[Finding]:
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    bound = alias.asname or alias.name
                    if node.module == SCOPE_MODULE:
                        self.scope_names.add(bound)
                    elif node.module == "unionhub.authz" and alias.name == "scope":
                        self.scope_modules.add(bound)
                    elif node.module == UNION_MODEL_MODULE and alias.name == "Union":
                        self.union_names.add(bound)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and _call_name(node.value) == "aliased"
                and node.value.args
                and self._is_union(node.value.args[0])
            ):
                self.union_names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        self.visit(tree)
        return self.findings

    def _flag(self, node: ast.AST, rule: str) -> None:
        line = getattr(node, "lineno", 0)
        code = ast.get_source_segment(self.source, node) or ""
        self.findings.append(Finding(self.module, line, rule, " ".join(code.split())[:100]))

    def _is_union(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.union_names

    def _is_union_id(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "id" and self._is_union(node.value)

    def _is_scope_call(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if isinstance(func, ast.Name):
            return func.id in self.scope_names
        return (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in self.scope_modules
        )

    def _inside_unscoped(self, node: ast.AST) -> bool:
        current: ast.AST | None = node
        while current is not None:
            if self._is_scope_call(current) and _call_name(current) in UNSCOPED_FUNCTIONS:
                return True
            current = self.parents.get(current)
        return False

    def _statement_of(self, node: ast.AST) -> ast.AST:
        """The whole method chain a `select(...)` starts: `select(...).where(...).limit(1)`."""
        current = node
        while True:
            attribute = self.parents.get(current)
            call = self.parents.get(attribute) if attribute is not None else None
            if (
                isinstance(attribute, ast.Attribute)
                and isinstance(call, ast.Call)
                and call.func is attribute
            ):
                current = call
            else:
                return current

    # -------------------------------------------------------------- rules
    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        if (
            any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
            and any(_is_path_like(o) for o in operands)
            and not any(_is_constant(o) for o in operands)
        ):
            self._flag(node, "path-compare")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and any(op in node.value for op in LTREE_OPERATORS):
            self._flag(node, "path-compare")

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        func = node.func
        if isinstance(func, ast.Attribute):
            if name in {"descendant_of", "ancestor_of"} or (
                name == "op"
                and any(
                    isinstance(a, ast.Constant) and a.value in LTREE_OPERATORS for a in node.args
                )
            ):
                self._flag(node, "path-compare")
            elif name in PREFIX_METHODS and not all(_is_constant(a) for a in node.args):
                if _is_path_like(func.value) or any(_mentions_path(a) for a in node.args):
                    self._flag(node, "path-compare")
            elif name in SPLIT_METHODS and _is_path_like(func.value):
                self._flag(node, "path-compare")
            elif (
                name == "get"
                and node.args
                and self._is_union(node.args[0])
                and not self._inside_unscoped(node)
            ):
                self._flag(node, "session-get-union")
            elif (
                name in {"in_", "not_in"}
                and self._is_union_id(func.value)
                and not (node.args and self._is_scope_call(node.args[0]))
                and not self._inside_unscoped(node)
            ):
                self._flag(node, "union-id-filter")
        elif isinstance(func, ast.Name):
            if name == "ltree_array" or (
                name == "cast"
                and any(isinstance(a, ast.Call) and _call_name(a) == "Ltree" for a in node.args)
            ):
                self._flag(node, "path-compare")
            elif name == "select" and any(
                self._is_union(a) or self._is_union_id(a) for a in node.args
            ):
                statement = self._statement_of(node)
                scoped = any(self._is_scope_call(n) for n in ast.walk(statement))
                if not scoped and not self._inside_unscoped(node):
                    self._flag(statement, "union-rows")
        if name in UNSCOPED_FUNCTIONS and self._is_scope_call(node):
            reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
            if not (
                isinstance(reason, ast.Constant)
                and isinstance(reason.value, str)
                and reason.value.strip()
            ):
                self._flag(node, "unscoped-reason")
        self.generic_visit(node)


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def scope_findings(module: str, source: str) -> list[Finding]:
    """Hand-written scope and path decisions in one module (none inside `unionhub.authz`)."""
    if module == ALLOWED_PACKAGE or module.startswith(ALLOWED_PACKAGE + "."):
        return []
    return _ScopeVisitor(module, source).run(ast.parse(source))


def function_import_findings(module: str, source: str) -> list[Finding]:
    """`unionhub` imports inside a function body."""
    findings: list[Finding] = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):  # relative: always inside unionhub
                targets = ["unionhub"]
            else:
                continue
            for target in targets:
                if target == "unionhub" or target.startswith("unionhub."):
                    findings.append(
                        Finding(module, node.lineno, "function-import", f"{func.name}: {target}")
                    )
    return findings


def _package(module: str) -> str:
    """`unionhub.members.service` -> `unionhub.members`; a top-level module is its own."""
    return ".".join(module.split(".")[:2])


def private_import_findings(module: str, source: str) -> list[Finding]:
    """A `_private` name of another `unionhub` package, imported or reached as `module._name`."""
    findings: list[Finding] = []
    own = _package(module)
    modules_by_alias: dict[str, str] = {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if not node.module.startswith("unionhub."):
            continue
        for alias in node.names:
            target = f"{node.module}.{alias.name}"
            modules_by_alias[alias.asname or alias.name] = target
            private = any(
                part.startswith("_") and not part.startswith("__") for part in target.split(".")
            )
            if private and _package(node.module) != own:
                findings.append(Finding(module, node.lineno, "private-import", target))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in modules_by_alias
            and _package(modules_by_alias[node.value.id]) != own
        ):
            target = f"{modules_by_alias[node.value.id]}.{node.attr}"
            findings.append(Finding(module, node.lineno, "private-import", target))
    return findings
