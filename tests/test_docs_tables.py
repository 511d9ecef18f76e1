"""docs/model.md's constraint and evidence tables are the code's tables, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdetect.constraints import MONOTONIC
from cfdetect.policy import EVIDENCE

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def constraint_rows() -> list[str]:
    """The Markdown rows of ``MONOTONIC``, as docs/model.md shows them."""
    return [f"| `{name}` | {d:+d} | {why} |" for name, (d, why) in MONOTONIC.items()]


def evidence_rows() -> list[str]:
    """The Markdown rows of ``EVIDENCE``, as docs/model.md shows them."""
    rows = []
    for code, text, conditions in EVIDENCE:
        features = ", ".join(f"`{f}` {op} {value:g}" for f, op, value in conditions)
        rows.append(f"| `{code}` | {text} | {features} |")
    return rows


@pytest.mark.parametrize("rows", [constraint_rows, evidence_rows], ids=["constraints", "evidence"])
def test_docs_show_the_code_tables(rows) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [row for row in rows() if row not in text]
    assert not missing, "docs/model.md lacks (or shows an old form of):\n" + "\n".join(missing)


if __name__ == "__main__":  # print the rows to paste into docs/model.md
    print("\n".join(constraint_rows()), "\n")
    print("\n".join(evidence_rows()))
