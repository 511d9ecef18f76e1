"""Reason codes: the model's own feature contributions, grouped and put into words.

Reasons are derived from the tree model's path attributions (``CompiledForest.table``):
each model feature belongs to one reason code, a code's weight is the sum of its features'
contributions to the log-odds, and the codes that push the score up most are shown with a
sentence filled in from the listing. There is no separate rule list: a reason appears only when
the model actually leaned on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

# The listing fields the sentences read.
RECORD_FIELDS: tuple[str, ...] = (
    "title", "brand", "category", "currency", "price", "quantity", "ships_from",
    "seller_age_days", "seller_n_takedowns", "detected_brand", "detected_term",
    "detected_product_type", "detected_line", "seller_rating", "seller_n_ratings",
    "seller_n_listings", "seller_n_brands", "brand_match_deobfuscated", "brand_match_fuzzy",
    "brand_line_only", "declared_brand_mismatch", "declared_brand_missing",
    "declared_brand_generic", "brand_category_mismatch",
)  # fmt: skip
# Codes whose sentence states a fact the listing's flags must show (a flag at 0 can raise a
# score too, but then the sentence would be false): code -> flags, any of which must be set.
_FLAG_OF_CODE: dict[str, tuple[str, ...]] = {
    "obfuscated_brand": ("brand_match_deobfuscated",),
    "misspelled_brand": ("brand_match_fuzzy",),
    "brand_omitted": ("brand_line_only",),
    "declared_brand_mismatch": ("declared_brand_mismatch",),
    "brand_not_declared": ("declared_brand_missing", "declared_brand_generic"),
    "implausible_category": ("brand_category_mismatch",),
}
MIN_CONTRIBUTION = 0.05  # log-odds; smaller pushes are not worth a reviewer's attention
MAX_REASONS = 3


@dataclass(frozen=True)
class Reason:
    """One reason for a score: a stable code, a sentence, and its weight in log-odds."""

    code: str
    text: str
    weight: float

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


# Feature name (after the ColumnTransformer prefix) -> reason code.
_CODE_OF_FEATURE: dict[str, str] = {
    "text__text_logit": "suspicious_wording",
    "terms__terms_replica": "replica_words",
    "terms__terms_slang": "replica_slang",
    "terms__terms_euphemism": "euphemism",
    "terms__terms_bulk": "bulk_lot",
    "brand__brand_match_deobfuscated": "obfuscated_brand",
    "brand__brand_match_fuzzy": "misspelled_brand",
    "brand__brand_line_only": "brand_omitted",
    "brand__declared_brand_mismatch": "declared_brand_mismatch",
    "brand__declared_brand_missing": "brand_not_declared",
    "brand__declared_brand_generic": "brand_not_declared",
    "brand__brand_category_mismatch": "implausible_category",
    "brand__brand_fake_appeal": "often_counterfeited_brand",
    "listing__quantity_log": "bulk_quantity",
    "listing__quantity_bulk": "bulk_quantity",
    "listing__ships_from_risk": "ships_from_risk",
    # the seller's history, one code per direction a reader can argue (issue 19)
    "seller__seller_log_age": "seller_age",
    "seller__seller_age_missing": "seller_age",
    "seller__seller_new": "seller_age",
    "seller__seller_rating_shrunk": "seller_ratings",
    "seller__seller_log_n_ratings": "seller_ratings",
    "seller__seller_takedown_rate": "seller_takedowns",
    "seller__seller_has_takedowns": "seller_takedowns",
    "seller__seller_log_listings": "seller_activity",
    "seller__seller_velocity": "seller_activity",
    "seller__seller_brand_diversity": "seller_activity",
    "seller__seller_log_gmv": "seller_activity",
    "seller__seller_return_rate": "seller_returns",
    "seller__seller_authorised": "seller_authorised",
}
# Codes a listing's ``in_favour`` list may name (what lowered its score), with the values.
IN_FAVOUR_CODES: frozenset[str] = frozenset(
    ("seller_age", "seller_ratings", "seller_takedowns", "seller_activity",
     "price_far_below_reference", "ships_from_risk")
)  # fmt: skip
OLD_SELLER_DAYS = 365  # an account at least this old is cited in its favour
YOUNG_SELLER_DAYS = 90  # an account younger than this is cited against it


def code_of(feature: str) -> str:
    """Return the reason code of a model feature name.

    Examples
    --------
    >>> code_of("price__price_log_ratio"), code_of("seller__seller_log_age")
    ('price_far_below_reference', 'seller_age')
    """
    if feature in _CODE_OF_FEATURE:
        return _CODE_OF_FEATURE[feature]
    family = feature.split("__", 1)[0]
    return {
        "price": "price_far_below_reference",
        "seller": "seller_history",
        "terms": "suspicious_wording",
        "brand": "brand_signals",
        "listing": "listing_shape",
        "text": "suspicious_wording",
    }.get(family, "other")


def price_in_usd(record: Mapping[str, Any]) -> float | None:
    """The listing's price in USD (``None`` when the price or the currency is unknown)."""
    from cfdetect._parsers import USD_PER_UNIT

    price, currency = record.get("price"), record.get("currency") or "USD"
    rate = USD_PER_UNIT.get(str(currency))
    try:
        return float(price) * rate if rate is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _quote(words: list[str]) -> str:
    return ", ".join(f'"{w}"' for w in words[:3])


def _counted(n: int, noun: str) -> str:
    """``1 listing``, ``2 listings``, ``1,200 ratings``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _days(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "of unknown age"
    return f"{float(value):,.0f} days old"


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _count(value: Any) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return 0 if math.isnan(number) else int(number)


class ReasonWriter:
    """Turns per-feature contributions and a listing's values into ranked ``Reason`` objects.

    Parameters
    ----------
    feature_names : list of str
        The model's feature names, in the order of the contributions.
    terms : callable, optional
        ``text -> {family: [matched words]}`` (``RiskTerms.explain_terms``), for quoting.
    reference : callable, optional
        ``(brand, product_type, category) -> (usd, scale) | None`` (``PriceReference``).
    """

    def __init__(
        self,
        feature_names: list[str],
        *,
        terms: Callable[[object], dict[str, list[str]]] | None = None,
        reference: Callable[..., tuple[float, float] | None] | None = None,
    ) -> None:
        self.codes = [code_of(f) for f in feature_names]
        self._text_model = "text__text_logit" in feature_names
        self.unique_codes = sorted(set(self.codes))
        index = {c: i for i, c in enumerate(self.unique_codes)}
        self.code_index = np.array([index[c] for c in self.codes], dtype=np.int64)
        self.terms = terms
        self.reference = reference
        # memos of pure lookups (thread-safe; bounded)
        self._matched = lru_cache(maxsize=4096)(self._match) if terms is not None else None
        self._reference = lru_cache(maxsize=4096)(reference) if reference is not None else None

    def _match(self, title: str) -> dict[str, list[str]]:
        assert self.terms is not None
        return self.terms(title)

    def group(self, contributions: np.ndarray) -> np.ndarray:
        """Sum contributions per reason code (rows x codes for a 2-D input)."""
        if contributions.ndim == 1:
            return np.bincount(
                self.code_index, weights=contributions, minlength=len(self.unique_codes)
            )
        out = np.zeros((contributions.shape[0], len(self.unique_codes)))
        for j, code in enumerate(self.code_index):
            out[:, code] += contributions[:, j]
        return out

    def reasons(self, grouped: np.ndarray, record: Mapping[str, Any]) -> tuple[Reason, ...]:
        """The top reasons (positive weight above ``MIN_CONTRIBUTION``) for one listing."""
        values = np.asarray(grouped, dtype=np.float64).tolist()
        if not values or max(values) < MIN_CONTRIBUTION:
            return ()  # what ``_top`` would find: no code pushes the score up enough
        # the order of ``rank`` (a stable sort on -weight; ``reverse`` keeps ties in order)
        order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
        return self._top(order, [values[i] for i in order], record)

    def in_favour(self, grouped: np.ndarray, record: Mapping[str, Any]) -> tuple[Reason, ...]:
        """What lowered one listing's score (``IN_FAVOUR_CODES`` with a negative weight beyond
        ``MIN_CONTRIBUTION``), most first, with the values: never a code of ``reasons``."""
        values = np.asarray(grouped, dtype=np.float64).tolist()
        order = sorted(range(len(values)), key=values.__getitem__)
        out = []
        for i in order:
            weight = values[i]
            if weight > -MIN_CONTRIBUTION or len(out) == MAX_REASONS:
                break
            code = self.unique_codes[i]
            found = self._favour_sentence(code, record) if code in IN_FAVOUR_CODES else None
            if found is not None:
                out.append(Reason(found[0], found[1], round(weight, 4)))
        return tuple(out)

    def rank(self, grouped: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The codes of each row of ``grouped``, heaviest first, and their weights.

        Ties keep the order of ``unique_codes`` (a stable sort), for one row as for many.
        """
        k = grouped.shape[1]
        order = np.argsort(-grouped, axis=1, kind="stable")[:, :k]
        return order, np.take_along_axis(grouped, order, axis=1)

    def _top(
        self, order: Sequence[int], weights: Sequence[float], record: Mapping[str, Any]
    ) -> tuple[Reason, ...]:
        out = []
        for i, weight in zip(order, weights, strict=True):
            if weight < MIN_CONTRIBUTION or len(out) == MAX_REASONS:
                break
            code = self.unique_codes[i]
            if not self._applies(code, record):
                continue
            if code == "price_far_below_reference":  # the price features read either way
                code, sentence = self._price_reason(record)
                if code != "price_far_below_reference":
                    continue  # a higher price never raises risk (the constraints): not cited
            else:
                sentence = self.sentence(code, record)
                if code == "suspicious_wording" and '"' not in sentence and not self._text_model:
                    continue  # no word to quote: an absent word raised it, nothing to argue
            out.append(Reason(code, sentence, round(weight, 4)))
        return tuple(out)

    def format_many(self, grouped: np.ndarray, columns: Mapping[str, Sequence[Any]]) -> list[str]:
        """``"code: sentence; ..."`` for each row of ``grouped`` (``""`` when no reason).

        Parameters
        ----------
        grouped : ndarray of shape (n_rows, n_codes)
            Contributions summed per code (``group``).
        columns : mapping
            Column name -> values of the rows (the listing fields the sentences quote, as in
            ``RECORD_FIELDS``; missing columns read as missing values).

        Returns
        -------
        list of str
        """
        return ["; ".join(str(r) for r in row) for row in self.reasons_many(grouped, columns)]

    def reasons_many(
        self, grouped: np.ndarray, columns: Mapping[str, Sequence[Any]]
    ) -> list[tuple[Reason, ...]]:
        """The ranked ``Reason`` objects of each row of ``grouped`` (``format_many`` joins them)."""
        n = len(grouped)
        out: list[tuple[Reason, ...]] = [()] * n
        if n == 0:
            return out
        order, weights = self.rank(grouped)
        rows = np.flatnonzero(weights[:, 0] >= MIN_CONTRIBUTION)
        fields = [(name, columns[name]) for name in RECORD_FIELDS if name in columns]
        for i, top, top_weights in zip(
            rows.tolist(), order[rows].tolist(), weights[rows].tolist(), strict=True
        ):
            record = {name: values[i] for name, values in fields}
            out[i] = tuple(self._top(top, top_weights, record))
        return out

    def format_favour(self, grouped: np.ndarray, columns: Mapping[str, Sequence[Any]]) -> list[str]:
        """``in_favour`` of each row of ``grouped`` as ``"code: sentence; ..."``."""
        return ["; ".join(str(r) for r in row) for row in self.favour_many(grouped, columns)]

    def favour_many(
        self, grouped: np.ndarray, columns: Mapping[str, Sequence[Any]]
    ) -> list[tuple[Reason, ...]]:
        """The ``in_favour`` ``Reason`` objects of each row of ``grouped``."""
        fields = [(name, columns[name]) for name in RECORD_FIELDS if name in columns]
        out: list[tuple[Reason, ...]] = []
        for i, row in enumerate(np.asarray(grouped)):
            if row.min() > -MIN_CONTRIBUTION:
                out.append(())
                continue
            record = {name: values[i] for name, values in fields}
            out.append(tuple(self.in_favour(row, record)))
        return out

    def _favour_sentence(self, code: str, record: Mapping[str, Any]) -> tuple[str, str] | None:
        """(code, sentence) citing a value that lowers risk, or None when the listing's value
        is not one the constraints (``cfdetect.constraints``) count in its favour."""
        age = _number(record.get("seller_age_days"))
        if code == "seller_age":
            if age >= OLD_SELLER_DAYS:
                return code, f"seller account is {age:,.0f} days old"
            return None
        if code == "seller_ratings":
            n, stars = _number(record.get("seller_n_ratings")), _number(record.get("seller_rating"))
            if n >= 20 and stars >= 4.5:
                return code, f"seller has {n:,.0f} ratings averaging {stars:.1f}"
            return None
        if code == "seller_takedowns":
            takedowns = _number(record.get("seller_n_takedowns"))
            if takedowns == 0:
                return code, "seller has no earlier takedowns"
            return None
        if code == "seller_activity":
            listings = _number(record.get("seller_n_listings"))
            if listings >= 20 and age >= OLD_SELLER_DAYS:
                return code, f"seller has {listings:,.0f} listings over {age:,.0f} days"
            return None
        if code == "price_far_below_reference":
            _, sentence = self._price_reason(record)
            share = self._price_share(record)
            if share is not None and share >= 60:
                return "price_in_line_with_reference", sentence
            return None
        if code == "ships_from_risk" and record.get("ships_from"):
            return "ships_from", f"ships from {record.get('ships_from')}"
        return None

    def _price_share(self, record: Mapping[str, Any]) -> float | None:
        brand = record.get("detected_brand") or ""
        if self._reference is None or not brand:
            return None
        ref = self._reference(
            brand,
            (record.get("detected_product_type") or None),
            category=str(record.get("category") or ""),
            line=record.get("detected_line") or "",
        )
        price_usd = price_in_usd(record)
        if ref is None or not price_usd:
            return None
        return 100.0 * float(price_usd) / ref[0]

    @staticmethod
    def _applies(code: str, record: Mapping[str, Any]) -> bool:
        """Codes whose sentence would not describe this listing are not shown; a seller value
        the constraints count in the seller's favour is never cited against the listing."""
        if code == "seller_age":
            age = _number(record.get("seller_age_days"))
            return math.isnan(age) or age < YOUNG_SELLER_DAYS
        if code == "seller_ratings":
            n, stars = _number(record.get("seller_n_ratings")), _number(record.get("seller_rating"))
            return not n >= 5 or stars < 4.0
        if code == "seller_takedowns":
            return _count(record.get("seller_n_takedowns")) >= 1
        if code in ("seller_authorised", "seller_returns"):
            return False
        if code == "seller_activity":
            return not math.isnan(_number(record.get("seller_n_listings")))
        flags = _FLAG_OF_CODE.get(code)
        if flags is not None and any(name in record for name in flags):
            return any(_number(record.get(name)) >= 1 for name in flags)
        if code == "bulk_quantity":
            return _count(record.get("quantity")) >= 5
        if code == "ships_from_risk":
            return bool(record.get("ships_from"))
        if code == "price_far_below_reference":
            return bool(record.get("detected_brand"))
        return code not in ("listing_shape", "brand_signals", "other")

    def sentence(self, code: str, record: Mapping[str, Any]) -> str:
        """A sentence a reviewer understands, filled in from the listing's values."""
        brand = record.get("detected_brand") or ""
        term = record.get("detected_term") or ""
        title = record.get("title") or ""

        def matched() -> dict[str, list[str]]:
            return self._matched(title) if self._matched is not None else {}

        if code in ("price_far_below_reference", "price_far_above_reference"):
            return self._price_reason(record)[1]
        if code == "seller_age":
            return f"seller account is {_days(record.get('seller_age_days'))}"
        if code == "seller_ratings":
            n = _count(record.get("seller_n_ratings"))
            stars = _number(record.get("seller_rating"))
            if n == 0 or math.isnan(stars):
                return "seller has no ratings"
            return f"seller has {_counted(n, 'rating')} averaging {stars:.1f}"
        if code == "seller_takedowns":
            takedowns = _count(record.get("seller_n_takedowns"))
            return f"seller had {_counted(takedowns, 'earlier takedown')}"
        if code == "seller_activity":
            age = _number(record.get("seller_age_days"))
            brands = _count(record.get("seller_n_brands"))
            listings = _count(record.get("seller_n_listings"))
            when = f" within {age:,.0f} days of joining" if age < YOUNG_SELLER_DAYS else ""
            if brands:
                return (
                    f"seller sells {_counted(brands, 'brand')} over "
                    f"{_counted(listings, 'listing')}{when}"
                )
            return f"seller has {_counted(listings, 'listing')}{when}"
        if code == "seller_history":
            return "no seller history"
        if code in ("replica_words", "replica_slang", "euphemism", "bulk_lot"):
            family = {"replica_words": "replica", "replica_slang": "slang",
                      "euphemism": "euphemism", "bulk_lot": "bulk"}[code]  # fmt: skip
            words = matched().get(family, [])
            return f"title says {_quote(words)}" if words else "title uses such wording"
        if code == "obfuscated_brand":
            return f'"{term}" reads as {brand}' if term and brand else "the brand name is disguised"
        if code == "misspelled_brand":
            return f'"{term}" looks like a misspelling of {brand}' if brand else "misspelled brand"
        if code == "brand_omitted":
            return (
                f'"{term}" is a {brand} product line, but {brand} is not named'
                if brand
                else "a brand's product line is named without the brand"
            )
        if code == "declared_brand_mismatch":
            declared = record.get("brand") or "none"
            return f"declared brand {declared!r} but the title names {brand or 'another brand'}"
        if code == "brand_not_declared":
            return f"no brand declared for a listing naming {brand}" if brand else "no brand"
        if code == "implausible_category":
            return f"{brand} is not usually sold in category {record.get('category')!r}"
        if code == "often_counterfeited_brand":
            return f"{brand} is among the most counterfeited brands"
        if code == "bulk_quantity":
            return f"offers {_count(record.get('quantity'))} units in one listing"
        if code == "ships_from_risk":
            return f"ships from {record.get('ships_from')}, an origin with many infringing listings"
        if code == "suspicious_wording":
            found = matched()
            words = [w for fam in ("replica", "slang", "euphemism") for w in found.get(fam, [])]
            if not words:  # the other word families the model weighs ("original", "outlet")
                words = [w for fam in ("official", "used", "outlet", "compat", "bulk")
                         for w in found.get(fam, [])]  # fmt: skip
            extra = f" ({_quote(words)})" if words else ""
            return f"the wording resembles infringing listings{extra}"
        return code.replace("_", " ")

    def _price_reason(self, record: Mapping[str, Any]) -> tuple[str, str]:
        """The price code and sentence: ``price_far_above_reference`` when it is above."""
        brand = record.get("detected_brand") or ""
        product = record.get("detected_product_type") or ""
        line = record.get("detected_line") or ""
        ref = None
        if self._reference is not None and brand:
            category = str(record.get("category") or "")
            ref = self._reference(brand, product or None, category=category, line=line)
        price_usd = price_in_usd(record)
        below = "price_far_below_reference"
        if ref is None or not price_usd:
            return below, "price is unusual for what is offered"
        share = 100.0 * float(price_usd) / ref[0]
        what = f"{brand} {line or product.replace('_', ' ')}".strip()
        if share < 100:
            return below, f"price is {share:.0f}% of the usual {what} price (about ${ref[0]:,.0f})"
        return (
            "price_far_above_reference",
            f"price is {share / 100:.1f}x the usual {what} price (about ${ref[0]:,.0f})",
        )
