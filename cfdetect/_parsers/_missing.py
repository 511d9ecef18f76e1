"""What every parser shares: ``ParseError``, missing values (NA markers), and how a raw value is
shown in a reason."""

from __future__ import annotations

import math

import pandas as pd

NA_MARKERS = frozenset(
    {"", "na", "n/a", "n.a.", "nan", "null", "none", "nil", "-", "--", "—", "?", "#n/a", "missing"}
)


class ParseError(ValueError):
    """A raw value that cannot be read unambiguously; the message says why."""


def is_missing(raw: object) -> bool:
    """Return True for None, NaN, NaT and NA markers such as ``""``, ``"N/A"`` or ``"null"``.

    Examples
    --------
    >>> is_missing(" N/A "), is_missing("0")
    (True, False)
    """
    if raw is None or raw is pd.NaT:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    if isinstance(raw, str):
        return raw.strip().casefold() in NA_MARKERS
    try:
        return bool(pd.isna(raw))
    except (TypeError, ValueError, ArithmeticError):  # arrays; Decimal("sNaN")
        return False


def _show(raw: object) -> str:
    try:
        text = str(raw)
    except Exception:  # an int past Python's digit limit, an object whose str() fails
        return f"a {type(raw).__name__} value"
    return repr(text if len(text) <= 40 else text[:37] + "...")
