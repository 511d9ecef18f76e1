"""Baselines the model's notices are compared with: no screening, and a title keyword filter."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cfdetect.errors import InputError

KEYWORDS = ("replica", "fake", "1:1", "aaa", "inspired")
"""Title words the keyword baseline blocks on (case-insensitive)."""
_KEYWORD_PATTERN = re.compile(
    r"(?<![a-z0-9])(?:replicas?|fakes?|1:1|aaa|inspired)(?![a-z0-9])", re.IGNORECASE
)


def keyword_baseline(frame: pd.DataFrame) -> np.ndarray:
    """Block listings whose title contains a give-away word; allow the rest.

    The words are ``replica``, ``fake`` (and their plurals), ``1:1``, ``aaa`` and ``inspired``,
    matched case-insensitively as whole words (a letter or digit may not touch either side, so
    "AAA+ quality" and "1:1 copy" match but "fakery" and "aaah" do not). This is the filter a
    marketplace would write first; cfdetect reports its notices as a baseline.

    Parameters
    ----------
    frame : DataFrame
        Listings with a ``title`` column.

    Returns
    -------
    ndarray of str
        "block" or "allow" per row.

    Examples
    --------
    >>> titles = ["Rolex Submariner REPLICA", "AAA+ quality bag", "Fakery guide", None]
    >>> keyword_baseline(pd.DataFrame({"title": titles})).tolist()
    ['block', 'block', 'allow', 'allow']
    """
    if "title" not in frame:
        raise InputError("the keywords baseline needs the title column")
    titles = frame["title"].astype("string")
    hit = titles.str.contains(_KEYWORD_PATTERN, regex=True).fillna(False)
    return np.where(hit.to_numpy(dtype=bool), "block", "allow").astype(object)


def no_screening(frame: pd.DataFrame) -> np.ndarray:
    """The ``none`` baseline: every listing is allowed (no proactive screening).

    Examples
    --------
    >>> no_screening(pd.DataFrame({"title": ["a", "b"]})).tolist()
    ['allow', 'allow']
    """
    return np.full(len(frame), "allow", dtype=object)
