"""Code-shape numbers for cfdetect: long functions, long modules and import cycles.

Run ``python benchmarks/code_stats.py`` from the repository root. It prints the
library functions longer than 80 lines, the modules longer than 600 lines (data
tables excepted) and every import cycle between ``cfdetect`` modules, counting
both module-level and function-level imports (not those under ``if TYPE_CHECKING:``,
which never run). ``--json`` prints the counts only.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "cfdetect"
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 600
# modules that are data tables (vocabularies, word lists): exempt from the module limit
DATA_TABLES = frozenset(
    {
        "cfdetect.simulate._vocab",
        "cfdetect.simulate._languages",
        "cfdetect.simulate._titles",
    }
)
# option-only CLI signatures are exempt from the function limit
CLI_PACKAGE = "cfdetect.cli"


def module_name(path: Path, root: Path = ROOT) -> str:
    """The dotted name of the module at ``path``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node outside ``if TYPE_CHECKING:`` blocks (imports for annotations never run)."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)  # type: ignore[union-attr]
            else:
                stack.append(child)
    return out


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that module ``name`` imports anywhere (top level or in a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, is_package, node)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            # "from pkg import sub" imports the submodule; "from mod import obj" the module
            targets = [t for t in targets if t in modules] or [base]
            if any(f"{base}.{alias.name}" in modules for alias in node.names):
                targets = [t for t in targets if t != base] or targets
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target.startswith(PACKAGE) and target != name:
                found.add(target)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the package modules it imports."""
    modules = package_modules(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            components.append(sorted(component))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others.

    A package ``__init__`` that re-exports its own submodules is not a cycle on
    its own: edges from a package to its submodules are left out.
    """
    trimmed = {
        name: {t for t in targets if not t.startswith(name + ".")}
        for name, targets in graph.items()
    }
    return [c for c in _strongly_connected(trimmed) if len(c) > 1]


def long_functions(
    root: Path = ROOT, limit: int = MAX_FUNCTION_LINES
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Functions longer than ``limit`` lines, as ``(module:function, lines)``.

    Returns the counted ones and the exempt ones: CLI commands whose length is
    their option-only signature (the body after the signature fits the limit).
    """
    counted, exempt = [], []
    for name, path in package_modules(root).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines = node.end_lineno - start + 1
            if lines <= limit:
                continue
            body = node.end_lineno - node.body[0].lineno + 1
            in_cli = name == CLI_PACKAGE or name.startswith(CLI_PACKAGE + ".")
            target = exempt if in_cli and body <= limit else counted
            target.append((f"{name}:{node.name}", lines))
    return sorted(counted, key=lambda x: -x[1]), sorted(exempt, key=lambda x: -x[1])


def long_modules(root: Path = ROOT, limit: int = MAX_MODULE_LINES) -> list[tuple[str, int]]:
    """``(module, lines)`` for every module over ``limit`` lines, data tables excepted."""
    out = []
    for name, path in package_modules(root).items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit and name not in DATA_TABLES:
            out.append((name, lines))
    return sorted(out, key=lambda x: -x[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args(argv)
    functions, exempt = long_functions()
    modules = long_modules()
    cycles = import_cycles(import_graph())
    counts = {
        f"functions_over_{MAX_FUNCTION_LINES}": len(functions),
        "option_only_cli_signatures_over_limit": len(exempt),
        f"modules_over_{MAX_MODULE_LINES}": len(modules),
        "import_cycles": len(cycles),
    }
    if args.json:
        print(json.dumps(counts))
        return 0
    print(f"functions over {MAX_FUNCTION_LINES} lines: {len(functions)}")
    for fn, n in functions:
        print(f"  {n:5d}  {fn}")
    print(f"  (exempt, option-only CLI signatures: {len(exempt)})")
    for fn, n in exempt:
        print(f"  {n:5d}  {fn} (exempt)")
    print(f"modules over {MAX_MODULE_LINES} lines (data tables excepted): {len(modules)}")
    for mod, n in modules:
        print(f"  {n:5d}  {mod}")
    print(f"import cycles: {len(cycles)}")
    for cycle in cycles:
        print("  " + " <-> ".join(cycle))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
