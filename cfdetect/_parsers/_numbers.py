"""Numbers as exports write them: either separator convention, counts (``1.2k``), plain floats,
percentages, 0-5 ratings, yes/no values."""

from __future__ import annotations

import math
import re

from cfdetect._parsers._missing import ParseError, _show

_NUMBER_RE = re.compile(r"^[+-]?[0-9][0-9.,' \u00a0\u202f]*$")


def parse_number(raw: object, *, integer: bool = False) -> float:
    """Read a number written with either separator convention.

    ``1,549.00`` and ``1.549,00`` are both 1549.0; ``1 549``, ``1'549`` and ``1549`` too. A single
    separator followed by exactly three digits is a thousands separator (prices and counts do not
    carry three decimals); more than one decimal separator, or groups that are not three digits
    long, are errors.

    Examples
    --------
    >>> parse_number("1.549,00"), parse_number("1,549"), parse_number("12,5")
    (1549.0, 1549.0, 12.5)
    """
    if isinstance(raw, bool):
        raise ParseError(f"{_show(raw)} is a yes/no value, not a number")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond float range
            raise ParseError(f"{_show(raw)} is not a finite number") from None
    else:
        text = str(raw).strip()
        if not _NUMBER_RE.match(text):
            raise ParseError(f"{_show(raw)} is not a number")
        sign = -1.0 if text.startswith("-") else 1.0
        text = text.lstrip("+-")
        for space in (" ", "\u00a0", "\u202f", "'"):
            if space in text:
                groups = text.split(space)
                tail = re.split(r"[.,]", groups[-1])[0]
                if any(len(g) != 3 for g in groups[1:-1]) or len(tail) != 3:
                    raise ParseError(f"{_show(raw)}: digit groups are not thousands")
                text = text.replace(space, "")
        value = sign * _read_separators(text, raw)
    if not math.isfinite(value):
        raise ParseError(f"{_show(raw)} is not a finite number")
    if integer and value != int(value):
        raise ParseError(f"{_show(raw)} is not a whole number")
    return value


def _read_separators(text: str, raw: object) -> float:
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if text.count(decimal) > 1:
            raise ParseError(f"{_show(raw)} has more than one decimal separator")
        whole, frac = text.split(decimal)
        groups = whole.split(thousands)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]) or not groups[0]:
            raise ParseError(f"{_show(raw)}: digit groups are not thousands")
        return float("".join(groups) + "." + frac)
    sep = "," if commas else "." if dots else ""
    if not sep:
        return float(text)
    parts = text.split(sep)
    if not parts[0] or not parts[-1]:
        raise ParseError(f"{_show(raw)} is not a number")
    if len(parts) > 2:
        if len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
            raise ParseError(f"{_show(raw)}: digit groups are not thousands")
        return float("".join(parts))
    whole, frac = parts
    if len(frac) == 3 and len(whole) <= 3 and not whole.startswith("0"):
        return float(whole + frac)  # "1,549": a thousands separator, prices have no 3 decimals
    return float(whole + "." + frac)


_SUFFIX = {"k": 1e3, "m": 1e6}


def parse_count(raw: object) -> int:
    """Read a non-negative whole count: ``"2,009"``, ``"1 234"``, ``"1.2k"``, ``"(13992)"``.

    Examples
    --------
    >>> parse_count("2,009"), parse_count("1.2k"), parse_count("(13992)")
    (2009, 1200, 13992)
    """
    if isinstance(raw, str):
        text = raw.strip().strip("()").strip()
        mult = _SUFFIX.get(text[-1:].lower()) if text else None
        if mult:
            value = parse_number(text[:-1].replace(",", ".")) * mult
            return _check_count(round(value), raw)
        value = parse_number(text, integer=True)
    else:
        value = parse_number(raw, integer=True)
    return _check_count(int(value), raw)


def _check_count(value: int, raw: object) -> int:
    if value < 0:
        raise ParseError(f"count {_show(raw)} is negative")
    if value > 10**12:
        raise ParseError(f"count {_show(raw)} is implausibly large")
    return value


def parse_float(raw: object, *, minimum: float | None = 0.0) -> float:
    """Read a plain number (either separator convention), by default non-negative.

    Examples
    --------
    >>> parse_float("1 234,5")
    1234.5
    """
    value = parse_number(raw)
    if minimum is not None and value < minimum:
        raise ParseError(f"{_show(raw)} is below {minimum:g}")
    return value


_PERCENT_RE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*%")


def parse_percentage(raw: object) -> float:
    """Read a percentage such as ``"99.4% Positive feedback"``; return it as 0..100.

    Examples
    --------
    >>> parse_percentage("99.4% Positive feedback")
    99.4
    """
    match = _PERCENT_RE.match(str(raw))
    if not match:
        raise ParseError(f"{_show(raw)} is not a percentage")
    value = float(match.group(1).replace(",", "."))
    if value > 100:
        raise ParseError(f"{_show(raw)} is above 100%")
    return value


_RATING_RE = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:/\s*5|out of 5(?: stars)?|stars?)?\s*$", re.I
)


def parse_rating(raw: object) -> float:
    """Read a 0..5 star rating (``4.8``, ``"4,8"``, ``"4.8/5"``, ``"4.8 out of 5 stars"``).

    A percentage is an error here: map it with the ``percent_to_rating`` transform instead.

    Examples
    --------
    >>> parse_rating("4.8 out of 5 stars")
    4.8
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw) if not isinstance(raw, int) or abs(raw) < 2**64 else math.inf
    else:
        text = str(raw)
        if "%" in text:
            raise ParseError(
                f"{_show(raw)} is a percentage, not a 0-5 rating; map it with percent_to_rating"
            )
        match = _RATING_RE.match(text)
        if not match:
            raise ParseError(f"{_show(raw)} is not a 0-5 rating")
        value = float(match.group(1).replace(",", "."))
    if not 0 <= value <= 5:
        raise ParseError(f"rating {_show(raw)} is outside 0-5")
    return value


def percent_to_rating(raw: object) -> float:
    """Map a positive-feedback percentage to the 0..5 scale (100% -> 5.0).

    Examples
    --------
    >>> percent_to_rating("99.4% Positive feedback")
    4.97
    """
    return round(parse_percentage(raw) / 20.0, 4)


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on", "counterfeit", "fake", "infringing"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off", "genuine", "authentic", "ok"})


def parse_bool(raw: object) -> bool:
    """Read a yes/no value: 1/0, true/false, yes/no, counterfeit/genuine.

    Examples
    --------
    >>> parse_bool("Yes"), parse_bool(0)
    (True, False)
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(f"{_show(raw)} is not a yes/no value")
