"""The code keeps its shape (issue 20): no library function over 80 lines (a CLI command whose
length is its option-only signature excepted), no module over 600 lines (data tables excepted).

The counting is ``benchmarks/code_stats.py``'s, which prints the same lists for a person.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _code_stats() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "code_stats", ROOT / "benchmarks" / "code_stats.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_long_functions() -> None:
    stats = _code_stats()
    counted, _ = stats.long_functions(ROOT)
    assert not counted, f"functions over {stats.MAX_FUNCTION_LINES} lines: {counted}"


def test_no_long_modules() -> None:
    stats = _code_stats()
    modules = stats.long_modules(ROOT)
    assert not modules, f"modules over {stats.MAX_MODULE_LINES} lines: {modules}"


def test_no_import_cycles() -> None:
    stats = _code_stats()
    assert not stats.import_cycles(stats.import_graph(ROOT))
