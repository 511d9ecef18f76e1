"""Rates with their numerator, denominator and a 95% Wilson interval.

Every figure of the evaluation is a :class:`Rate`: it carries the counts it was computed from and
a sentence that names its denominator, so a report can never show "98%" without "of what".
A rate whose denominator is 0 has no value (``None``, rendered "n/a (0 of 0)"); it never raises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054
"""The two-sided 95% normal quantile."""


def wilson_interval(k: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """Return the Wilson score interval of ``k`` successes in ``n`` trials, or None if ``n == 0``.

    Parameters
    ----------
    k : float
        Successes, ``0 <= k <= n``.
    n : float
        Trials.
    z : float
        Normal quantile; the default gives a 95% interval.

    Returns
    -------
    (low, high) or None
        Bounds in [0, 1]; None when there are no trials.

    Examples
    --------
    >>> low, high = wilson_interval(5, 10)
    >>> round(low, 4), round(high, 4)
    (0.2366, 0.7634)
    >>> wilson_interval(0, 0) is None
    True
    """
    if n <= 0:
        return None
    if k < 0 or k > n:
        raise ValueError(f"wilson_interval: k={k} is outside 0..n={n}")
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z / denom * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Rate:
    """One figure of the evaluation with the counts behind it.

    Attributes
    ----------
    name : str
        Key of the figure in ``metrics.json``.
    numerator, denominator : int, float or None
        What was counted; for a proportion ``value == numerator / denominator``. Scores that are
        not proportions (PR-AUC, calibration error) leave ``numerator`` None and name what
        ``denominator`` counts in ``definition``.
    value : float or None
        None when the denominator is 0 (or the figure cannot be computed from the data).
    low, high : float or None
        95% interval (Wilson for proportions; the definition says which otherwise).
    definition : str
        A sentence naming the numerator and the denominator.
    kind : {"proportion", "change", "score"}
        How to read ``value``: ``numerator / denominator``; ``numerator / denominator - 1`` (two
        counts compared); or a score that is not a ratio of the two fields.

    Examples
    --------
    >>> r = Rate.of("proactive_recall", 3, 4, "proactive takedowns ÷ all infringing listings")
    >>> r.value, r.text()
    (0.75, '75.0% (3 of 4) [95% CI 30.1–95.4%]')
    >>> Rate.of("x", 0, 0, "x").text()
    'n/a (0 of 0)'
    """

    name: str
    numerator: int | float | None
    denominator: int | float | None
    value: float | None
    low: float | None
    high: float | None
    definition: str
    kind: str = "proportion"

    @classmethod
    def of(cls, name: str, numerator: int, denominator: int, definition: str) -> Rate:
        """A proportion ``numerator / denominator`` with its Wilson interval."""
        numerator, denominator = int(numerator), int(denominator)
        bounds = wilson_interval(numerator, denominator)
        if bounds is None:
            return cls(name, numerator, denominator, None, None, None, definition)
        return cls(
            name, numerator, denominator, numerator / denominator, bounds[0], bounds[1], definition
        )

    @classmethod
    def missing(cls, name: str, definition: str) -> Rate:
        """A figure the data cannot give (its ``definition`` should say why)."""
        return cls(name, None, None, None, None, None, definition, "score")

    def percent(self) -> str:
        """The value as a percentage (more digits below 1%), or "n/a"."""
        return "n/a" if self.value is None else format_percent(self.value)

    def interval_text(self, percent: bool = True) -> str:
        """The interval as "[95% CI a–b]", or an empty string when there is none."""
        if self.low is None or self.high is None:
            return ""
        if self.kind == "change":
            return f"[95% CI {format_percent(self.low)} to {format_percent(self.high)}]"
        if percent:
            return f"[95% CI {format_percent(self.low)[:-1]}–{format_percent(self.high)}]"
        return f"[95% CI {self.low:.3f}–{self.high:.3f}]"

    def counts_text(self) -> str:
        """The counts as "(k of n)" for a proportion, "(a vs b)" for a change, "" otherwise."""
        if self.numerator is None or self.denominator is None:
            return ""
        if self.kind == "proportion":
            return f"({self.numerator:,} of {self.denominator:,})"
        if self.kind == "change":
            return f"({self.numerator:,} vs {self.denominator:,})"
        return ""

    def text(self) -> str:
        """Value, counts and interval in one short string."""
        if self.value is None:
            return f"n/a {self.counts_text()}".rstrip()
        if self.kind == "proportion":
            return f"{self.percent()} {self.counts_text()} {self.interval_text()}".rstrip()
        if self.kind == "change":
            sign = "+" if self.value > 0 else ""
            value = f"{sign}{self.percent()}"
            return f"{value} {self.counts_text()} {self.interval_text()}".rstrip()
        return f"{self.value:.4f} {self.interval_text(percent=False)}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        """The ``metrics.json`` form: value, numerator, denominator, low, high, definition."""
        return {
            "value": _clean(self.value),
            "numerator": _clean(self.numerator),
            "denominator": _clean(self.denominator),
            "low": _clean(self.low),
            "high": _clean(self.high),
            "definition": self.definition,
        }


def format_percent(x: float) -> str:
    """A share as a percentage: one decimal, more when it is within 1% of 0 or 100% (so a
    Wilson bound of 0.02% or 99.98% is not shown as 0.0% or 100.0%).

    Examples
    --------
    >>> format_percent(0.98), format_percent(0.0002134), format_percent(0.0), format_percent(1.0)
    ('98.0%', '0.021%', '0.0%', '100.0%')
    >>> format_percent(0.99993516), format_percent(-0.25)
    ('99.9935%', '-25.0%')
    """
    size = 100.0 * x
    edge = min(abs(size), abs(100.0 - size))
    digits = 1 if edge == 0 or edge >= 1 else min(6, 1 - math.floor(math.log10(edge)))
    return f"{size:.{digits}f}%"


def _clean(x: int | float | None) -> int | float | None:
    if x is None:
        return None
    if isinstance(x, int):
        return x
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def ratio_change(name: str, count: int, baseline: int, definition: str, z: float = Z95) -> Rate:
    """Relative change ``count / baseline - 1`` of two counts, with an approximate interval.

    The interval treats both counts as independent Poisson counts over the same exposure: given
    their total, ``count`` is binomial with ``p = r / (1 + r)``, so the Wilson interval of
    ``count`` out of ``count + baseline`` maps to an interval of the ratio ``r``.

    Examples
    --------
    >>> r = ratio_change("notices_change", 75, 100, "notices with the model ÷ baseline − 1")
    >>> round(r.value, 2), r.numerator, r.denominator
    (-0.25, 75, 100)
    >>> ratio_change("c", 3, 0, "d").value is None
    True
    """
    count, baseline = int(count), int(baseline)
    if baseline == 0:
        return Rate(name, count, baseline, None, None, None, definition, "change")
    value = count / baseline - 1.0
    bounds = wilson_interval(count, count + baseline, z)
    assert bounds is not None
    p_low, p_high = bounds
    low = p_low / (1.0 - p_low) - 1.0
    high = math.inf if p_high >= 1.0 else p_high / (1.0 - p_high) - 1.0
    top = None if math.isinf(high) else high
    return Rate(name, count, baseline, value, low, top, definition, "change")
