"""Formula escaping: cell texts a spreadsheet would read as formulas (CSV injection)."""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP, CSV injection)."""
FORMULA_BLANKS = " \xa0\x00"
"""Leading characters a spreadsheet may skip before a formula: spaces, NBSP (U+00A0), NUL."""
_MAYBE_FORMULA = FORMULA_STARTS + tuple(FORMULA_BLANKS)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_formula(value: str) -> str:
    """Neutralise one cell text for spreadsheets: prefix ``'`` when it could start a formula.

    Text whose first character other than a space, NBSP (U+00A0) or NUL is ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading single quote (OWASP's advice against CSV
    injection), so a spreadsheet shows it as text instead of evaluating it. Plain numbers
    (``-5``, ``+1.5e3``, also after leading spaces) cannot be formulas and are kept.

    Examples
    --------
    >>> escape_formula("=1+1"), escape_formula("@SUM(A1)"), escape_formula(" =1")
    ("'=1+1", "'@SUM(A1)", "' =1")
    >>> escape_formula("-12.5"), escape_formula("Rolex")
    ('-12.5', 'Rolex')
    """
    return "'" + value if _is_formula(value) else value


def _is_formula(value: str) -> bool:
    if not value.startswith(_MAYBE_FORMULA):  # the common case: one C-level check
        return False
    head = value.lstrip(FORMULA_BLANKS)
    return head.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(head)


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``escape_formula`` applied to every text cell and column name.

    Numeric columns are left alone; the frame is copied only when a cell changes.

    Examples
    --------
    >>> escape_formulas(pd.DataFrame({"t": ["=1+1", "ok"], "n": [-1, 2]}))["t"].tolist()
    ["'=1+1", 'ok']
    """
    names = [escape_formula(str(c)) for c in frame.columns]
    out = frame if names == [str(c) for c in frame.columns] else frame.set_axis(names, axis=1)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
            continue
        values = column.to_numpy(dtype=object, na_value=None)
        hits = [j for j, v in enumerate(values) if type(v) is str and _is_formula(v)]
        if hits:
            if out is frame:
                out = frame.copy()
            fixed = values.copy()
            for j in hits:
                fixed[j] = "'" + fixed[j]
            out.isetitem(i, pd.Series(fixed, index=out.index, dtype=column.dtype))
    return out
