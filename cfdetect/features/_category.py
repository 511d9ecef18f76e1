"""Map a listing's free-text category to the registry's categories (``watches``, ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from cfdetect.features._text import normalize_text
from cfdetect.features._vocab import CATEGORY_WORDS

_SEPARATORS = ">&_:+|,/-"


def category_words(text: str) -> list[str]:
    """Split a normalised category text into words (``"Jewelry & Watches > Wristwatches"``)."""
    for ch in _SEPARATORS:
        text = text.replace(ch, " ")
    return text.split()


def build_category_lookup(table: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """Invert ``{category: words}`` into ``{word or two-word phrase: categories}``."""
    lookup: dict[str, set[str]] = {}
    for category, words in table.items():
        for word in (*words, category.replace("_", " ")):
            lookup.setdefault(" ".join(category_words(normalize_text(word))), set()).add(category)
    return {k: frozenset(v) for k, v in lookup.items()}


_DEFAULT_LOOKUP = build_category_lookup(CATEGORY_WORDS)


@lru_cache(maxsize=4096)
def listing_categories(text: str) -> frozenset[str]:
    """Return the registry categories a listing's category text names (empty if none).

    A category written as the registry writes it (``bags_luxury_fashion``) maps to itself; other
    texts map through the words of ``CATEGORY_WORDS`` (``"Jewelry & Watches > Wristwatches"`` ->
    ``{"jewelry", "watches"}``).

    Examples
    --------
    >>> sorted(listing_categories("Jewelry & Watches > Wristwatches"))
    ['jewelry', 'watches']
    >>> listing_categories("bags_luxury_fashion")
    frozenset({'bags_luxury_fashion'})
    """
    norm = normalize_text(text)
    if not norm:
        return frozenset()
    if norm in CATEGORY_WORDS:
        return frozenset({norm})
    words = category_words(norm)
    found: set[str] = set()
    for i, word in enumerate(words):
        found |= _DEFAULT_LOOKUP.get(word, frozenset())
        if i + 1 < len(words):
            found |= _DEFAULT_LOOKUP.get(f"{word} {words[i + 1]}", frozenset())
    return frozenset(found)
