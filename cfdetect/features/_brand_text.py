"""What brand matching reads and returns: a title split into words (with its de-obfuscated
words, capitals and misspellings, computed when first needed), the working state of a title's
detection, the ``Detection`` of a listing, and the word rules that need only the brand index
(misspelt names, the text of a de-obfuscated match, "for"/"compatible with" before a name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cfdetect.features._brand_index import BrandIndex, Mention
from cfdetect.features._text import deobfuscate_normalized, deobfuscate_spans, split_words
from cfdetect.features._vocab import COMPAT_BEFORE, COMPAT_WITH_BEFORE

STRING_FEATURES: tuple[str, ...] = (
    "detected_brand",
    "detected_product_type",
    "detected_term",
    "detected_line",
)
NUMERIC_FEATURES: tuple[str, ...] = (
    "brand_mentioned",
    "brand_match_exact",
    "brand_match_alias",
    "brand_match_fuzzy",
    "brand_match_deobfuscated",
    "brand_line_only",
    "brand_in_description_only",
    "brand_declared_only",
    "n_brands_mentioned",
    "declared_brand_missing",
    "declared_brand_generic",
    "declared_brand_mismatch",
    "brand_after_compat",
    "brand_registered",
    "brand_fake_appeal",
    "brand_category_mismatch",
    "product_line_mentioned",
)


@dataclass(frozen=True, slots=True)
class Detection:
    """The brand a listing names and how (the output of ``BrandMentions.detect``).

    Attributes
    ----------
    brand : str
        Canonical registry brand, ``""`` if none.
    product_type : str
        Registry product type when known, else ``""``.
    term : str
        The text that matched, as written in the normalised title (``"gucc1"``, ``"rolax"``).
    how : str
        ``exact``, ``alias``, ``deobfuscated``, ``fuzzy``, ``line``, ``description``,
        ``declared`` or ``""``.
    values : tuple of float
        The numeric features, in the order of ``NUMERIC_FEATURES``.
    """

    brand: str = ""
    product_type: str = ""
    term: str = ""
    how: str = ""
    values: tuple[float, ...] = field(default=(0.0,) * len(NUMERIC_FEATURES))
    line: str = ""

    def as_dict(self) -> dict[str, object]:
        """All features by name: the four strings, then the numbers."""
        out: dict[str, object] = {
            "detected_brand": self.brand,
            "detected_product_type": self.product_type,
            "detected_term": self.term,
            "detected_line": self.line,
        }
        out.update(zip(NUMERIC_FEATURES, self.values, strict=True))
        return out


@dataclass
class _Text:
    """A title or description split into words, with what matching needs, computed lazily."""

    original: str
    norm: str
    deob: str | None
    words: list[str]
    mentions: list[Mention]
    _deob_words: list[str] | None = None
    _deob_mentions: list[Mention] | None = None
    _caps: list[str] | None = None
    _fuzzy: dict[bool, list[tuple[Mention, str, bool]]] = field(default_factory=dict)

    def deob_mentions(self, index: BrandIndex) -> list[Mention]:
        if self._deob_mentions is None:
            words = self.deob_words()
            self._deob_mentions = self.mentions if words is self.words else index.scan(words)
        return self._deob_mentions

    def caps(self) -> list[str] | None:
        """The original-case words aligned with ``words`` (None when alignment fails)."""
        if self._caps is None:
            text = self.original
            if not text.isascii():
                text = unicodedata.normalize("NFKC", text)
            self._caps = split_words(" ".join(text.split()))
        return self._caps if len(self._caps) == len(self.words) else None

    def deob_words(self) -> list[str]:
        if self._deob_words is None:
            deob = self.deob if self.deob is not None else deobfuscate_normalized(self.norm)
            self._deob_words = self.words if deob == self.norm else split_words(deob)
        return self._deob_words


@dataclass
class _Found:
    """What the title says about the brand (working state of ``BrandMentions._detect``)."""

    words: list[str]
    names: list[Mention] = field(default_factory=list)
    lines: list[Mention] = field(default_factory=list)
    brands: set[str] = field(default_factory=set)
    primary: Mention | None = None
    how: str = ""
    term: str = ""
    deob: bool = False


def fuzzy_mentions(index: BrandIndex, text: _Text, deob: bool) -> list[tuple[Mention, str, bool]]:
    """Misspelt names (single words, and two adjacent words joined) in the title, each with
    the words as written and whether the name is an ordinary word (needing evidence)."""
    if deob in text._fuzzy:
        return text._fuzzy[deob]
    words = text.deob_words() if deob else text.words
    covered = set()
    for m in text.deob_mentions(index) if deob else text.mentions:
        covered.update(range(m.start, m.end))
    found: list[tuple[Mention, str, bool]] = []
    for i, word in enumerate(words):
        if i in covered:
            continue
        hit = index.fuzzy(word)
        if hit is not None:
            found.append((Mention(hit[0], "fuzzy", "", i, i + 1), word, hit[2]))
            continue
        if i + 1 < len(words) and i + 1 not in covered and word.isalpha():
            pair = word + words[i + 1]
            if not words[i + 1].isalpha():
                continue
            shown = f"{word} {words[i + 1]}"
            joined = index.joined(pair)
            if joined is not None:
                found.append((Mention(joined[0], "joined", "", i, i + 2), shown, False))
                continue
            hit = index.fuzzy(pair) if len(pair) >= 6 else None
            if hit is not None:
                found.append((Mention(hit[0], "fuzzy", "", i, i + 2), shown, hit[2]))
    text._fuzzy[deob] = found
    return found


def deob_term(text: _Text, mention: Mention) -> str:
    """The text of a de-obfuscated match as written in the normalised title."""
    words = text.deob_words()
    first = words[mention.start]
    for token, start, end in deobfuscate_spans(text.norm):
        if first in split_words(token):
            return text.norm[start:end]
    return " ".join(words[mention.start : mention.end])


def after_compat(words: Sequence[str], mentions: Iterable[Mention]) -> bool:
    """Whether one of the mentions follows "for", "fits", "compatible with", ..."""
    for m in mentions:
        before = words[max(0, m.start - 2) : m.start]
        if not before:
            continue
        if before[-1] in COMPAT_BEFORE or (
            before[-1] == "with" and len(before) == 2 and before[0] in COMPAT_WITH_BEFORE
        ):
            return True
        if len(before) == 2 and before[0] in COMPAT_BEFORE:
            return True
    return False


def detection_values(
    index: BrandIndex,
    found: _Found,
    how: str,
    brand: str,
    declared: tuple[str, str],
    categories: frozenset[str],
    named: list[str],
) -> tuple[float, ...]:
    """The numeric features (``NUMERIC_FEATURES``) of a detection: how the title names
    ``brand`` (``how``), what the listing declares (status and brand), its categories and the
    brand's product lines named in the title."""
    status, declared_brand = declared
    in_title = how not in ("", "description", "declared")
    compat = in_title and after_compat(
        found.words, [m for m in (*found.names, *found.lines) if m.brand == brand]
    )
    brand_cats = index.categories.get(brand, frozenset())
    return (
        float((in_title and how != "line") or how == "description"),
        float(how == "exact"),
        float(how == "alias"),
        float(how == "fuzzy"),
        float(found.deob),
        float(how == "line"),
        float(how == "description"),
        float(how == "declared"),
        float(len(found.brands) if in_title else 0),
        float(status == "missing"),
        float(status == "generic"),
        float(
            bool(brand)
            and how != "declared"
            and (status == "unknown" or (status == "known" and declared_brand != brand))
        ),
        float(compat),
        index.registered.get(brand, 0.0),
        index.fake_appeal.get(brand, 0.0),
        float(bool(categories) and bool(brand_cats) and not (categories & brand_cats)),
        float(bool(brand) and bool(named)),
    )
