"""Checks shared by the library and the command line: numbers, encodings, small JSON documents.

Each raises an error whose message is one readable line naming what was wrong, so that the CLI
shows it as it is (``UsageError``: exit code 2) and Python callers get a clear exception.
"""

from __future__ import annotations

import codecs
import json
import math
from typing import Any

from cfdetect.errors import UsageError


def check_number(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a float when it is a finite number from ``low`` to ``high``.

    Parameters
    ----------
    name : str
        What the value is, as the caller knows it (``--horizon-days``, ``horizon_days``).
    value : number
    low, high : float
        The inclusive bounds.

    Raises
    ------
    UsageError
        NaN, an infinity, a number outside the bounds, or no number at all.

    Examples
    --------
    >>> check_number("--horizon-days", 30, 0, 36_525)
    30.0
    >>> check_number("--horizon-days", float("nan"), 0, 36_525)
    Traceback (most recent call last):
    ...
    cfdetect.errors.UsageError: --horizon-days must be a number from 0 to 36,525, not nan
    """
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not low <= number <= high:  # NaN fails every comparison
        shown = value if isinstance(value, int | float) else repr(value)
        raise UsageError(f"{name} must be a number from {low:,g} to {high:,g}, not {shown}")
    return number


def check_encoding(encoding: str) -> str:
    """Return ``encoding`` when Python knows it as a text encoding.

    Raises
    ------
    UsageError
        An unknown encoding, or a codec that is not one (``rot13``, ``hex``, ``base64``, ``zlib``:
        they turn bytes into bytes or text into text).

    Examples
    --------
    >>> check_encoding("latin-1")
    'latin-1'
    >>> check_encoding("rot13")
    Traceback (most recent call last):
    ...
    cfdetect.errors.UsageError: --encoding rot13: not a text encoding (try utf-8, latin-1, cp1251)
    """
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise UsageError(f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"--encoding {encoding}: not a text encoding (try utf-8, latin-1, cp1251)")
    return encoding


def loads_json(text: str | bytes) -> Any:
    """Parse a small JSON document from someone else (a listing, a card, a progress file).

    Raises
    ------
    ValueError
        With a one-line reason: not JSON, nested too deeply for Python's parser, a number past
        Python's 4,300-digit limit, or bytes that are not UTF-8.

    Examples
    --------
    >>> loads_json('{"a": [1]}')
    {'a': [1]}
    >>> loads_json("[" * 100_000)
    Traceback (most recent call last):
    ...
    ValueError: nested too deeply
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, position {exc.pos})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except ValueError as exc:
        if "digits" in str(exc):
            raise ValueError("a number has more than 4,300 digits") from None
        raise ValueError(str(exc).splitlines()[0] if str(exc) else "not valid JSON") from None
