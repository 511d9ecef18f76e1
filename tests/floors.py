"""Print a pip constraints file pinning each runtime dependency to its declared floor.

``make test-lowest`` installs with it: ``python tests/floors.py pyproject.toml > floors.txt``.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement


def floors(pyproject: Path) -> list[str]:
    """``name==floor`` for every core dependency with a ``>=`` floor."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    out = []
    for text in project["dependencies"]:
        req = Requirement(text)
        for spec in req.specifier:
            if spec.operator == ">=":
                out.append(f"{req.name}=={spec.version}")
    return out


if __name__ == "__main__":
    print("\n".join(floors(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml"))))
