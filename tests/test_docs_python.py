"""The public Python API is documented: every name ``cfdetect`` exports appears in
docs/python.md, and every public function, class and method it exports (errors aside) has a
numpydoc docstring with an ``Examples`` section (the doctests then run in ``make test``)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import cfdetect

DOC = (Path(__file__).resolve().parent.parent / "docs" / "python.md").read_text(encoding="utf-8")
EXPORTED = sorted(name for name in cfdetect.__all__ if not name.startswith("__"))


def _documented_objects() -> list[tuple[str, object]]:
    found = []
    for name in EXPORTED:
        obj = getattr(cfdetect, name)
        if inspect.ismodule(obj) or (inspect.isclass(obj) and issubclass(obj, Exception)):
            continue
        found.append((name, obj))
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr.startswith("_") or not callable(getattr(obj, attr)):
                    continue
                if isinstance(value, property):
                    continue
                found.append((f"{name}.{attr}", getattr(obj, attr)))
    return found


@pytest.mark.parametrize("name", EXPORTED)
def test_exported_name_is_in_the_python_docs(name: str) -> None:
    assert f"`{name}" in DOC or f".{name}" in DOC, f"docs/python.md does not mention {name}"


@pytest.mark.parametrize(("name", "obj"), _documented_objects(), ids=lambda v: str(v)[:40])
def test_public_api_has_an_example(name: str, obj: object) -> None:
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc, f"{name} has no Examples section in its docstring"
