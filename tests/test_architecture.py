"""The package's import graph has no cycles: every ``import`` of a cfdetect module counts,
at module level and inside functions (hidden cycles are cycles too); only the imports under
``if TYPE_CHECKING:`` (annotations, never run) are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cfdetect"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, outside ``if TYPE_CHECKING:`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
            else:
                stack.append(child)
    return found


def _owner(name: str) -> str | None:
    """The package module that defines ``name`` (a module, or an attribute of one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str) -> set[str]:
    """The cfdetect modules module ``name`` imports (a package's own submodules excepted)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            # "from pkg import sub" imports pkg and pkg.sub; "from mod import obj" imports mod
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            owner = _owner(target)
            if owner and owner != name and not owner.startswith(name + "."):
                out.add(owner)
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for succ in sorted(graph.get(node, ())):
            if state.get(succ) == 1:
                return path[path.index(succ) :] + [succ]
            if succ not in state:
                found = visit(succ)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle() -> None:
    graph = {name: imports_of(name) for name in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_walk_sees_function_level_imports() -> None:
    assert "cfdetect.model" in imports_of("cfdetect.training") or any(
        "cfdetect.model" in imports_of(m) for m in MODULES if m.startswith("cfdetect.training")
    )
    assert "cfdetect._processes" in imports_of("cfdetect._comparisons")  # inside a function


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"a"}}, True),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_find_cycle(graph: dict[str, set[str]], has_cycle: bool) -> None:
    assert (find_cycle(graph) is not None) is has_cycle


# the local runner: the engines reuse the chunk loop, the options and the report, not this
LOCAL_RUNNER = {
    "cfdetect.scoring",  # the package's __init__ imports the runner and the dispatch
    "cfdetect.scoring.dispatch",
    "cfdetect.scoring.local",
    "cfdetect.scoring.outputs",
    "cfdetect.scoring.parallel",
    "cfdetect.scoring.writing",
}


def _module_level_imports(name: str) -> set[str]:
    """The cfdetect modules ``name`` imports when it is imported (not inside its functions)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {owner for owner in map(_owner, found) if owner}


@pytest.mark.parametrize("engine", sorted(m for m in MODULES if m.startswith("cfdetect.engines")))
def test_the_engines_do_not_import_the_local_runner(engine: str) -> None:
    assert not imports_of(engine) & LOCAL_RUNNER, sorted(imports_of(engine) & LOCAL_RUNNER)


def test_scoring_imports_the_engines_only_inside_the_dispatch() -> None:
    scoring = [m for m in MODULES if m == "cfdetect.scoring" or m.startswith("cfdetect.scoring.")]
    for name in scoring:
        engines = {m for m in _module_level_imports(name) if m.startswith("cfdetect.engines")}
        assert not engines, f"{name} imports {sorted(engines)} at module level"
        if name != "cfdetect.scoring.dispatch":
            assert not {m for m in imports_of(name) if m.startswith("cfdetect.engines")}, name
    assert "cfdetect.engines.dask" in imports_of("cfdetect.scoring.dispatch")
