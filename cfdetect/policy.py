"""Decisions a platform can enforce (issue 19): evidence-gated blocking, abstaining on the
unfamiliar, and the one decision rule every scoring path uses.

A score over the block threshold is a ranking, not proof. ``block`` therefore needs

1. the score at or over the block threshold, **and**
2. at least one listing-level evidence code (``EVIDENCE``: replica or slang words, a disguised or
   misspelled brand, a product line named without its brand, a declared-brand mismatch, a price
   far below a product's reference, a seller with earlier takedowns), computed from the feature
   values, **and**
3. a listing like the training data (``Familiarity``: a brand, a price range for its brand and
   product type, a script and a seller history that training saw).

A listing over the threshold that fails 2 or 3 goes to ``review``. The policy is written into the
model card (``decision_policy``) and into the model file; a card without it (models trained before
issue 19) keeps the plain threshold rule.
"""

from __future__ import annotations

import math
import operator
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

POLICY_VERSION = 1

# (code, condition in words, conditions: (feature, op, value), all of which must hold).
# Rows sharing a code are alternatives. A rule whose feature the model lacks never fires.
# Replica words count in the title only: descriptions of genuine goods negate and quote them
# ("not a replica", "receipt copy"). A low price counts only for goods not sold as used or
# refurbished (by the condition field or in words: "usadas pocas veces", "pre-owned"), nor named as
# a small format or factory-store line (a sample, decant, tester, travel size): a used item or a
# 1.5 ml sample sells far below the full product's price by nature. A product line's own
# reference is learned from training prices, so a low price against it alone is no evidence (a
# simulator's line prices are invented; a cheap line of an expensive range looks "far below"):
# besides 20% of the reference, a price counts when it is under the registry's lowest retail
# price for the brand's product type, a floor researched from real retail. A misspelled brand
# counts only for goods not sold as used: people selling their own used things misspell brands
# ("Micheal Kors"); a deliberate misspelling, which dodges a brand filter, sells new stock. A
# counterfeiter who calls the goods used thereby moves from block to review, never to allow.
_NOT_USED: tuple[tuple[str, str, float], ...] = (
    ("listing__condition_used", "<=", 0.0), ("listing__condition_refurbished", "<=", 0.0),
    ("terms__terms_used", "<=", 0.0), ("terms__terms_used_desc", "<=", 0.0),
)  # fmt: skip
EVIDENCE: tuple[tuple[str, str, tuple[tuple[str, str, float], ...]], ...] = (
    ("replica_words", "title names a copy (replica, fake, 1:1 ...)",
     (("terms__terms_replica", ">=", 1.0),)),
    ("replica_slang", "title uses community slang (rep, UA, PK batch ...)",
     (("terms__terms_slang", ">=", 1.0),)),
    ("replica_slang", "description uses community slang",
     (("terms__terms_slang_desc", ">=", 1.0),)),
    ("euphemism", "title uses a euphemism for a copy (inspired by, dupe, AAA ...)",
     (("terms__terms_euphemism", ">=", 1.0),)),
    ("obfuscated_brand", "the brand is named only in a disguised spelling (G U C C I, R0lex)",
     (("brand__brand_match_deobfuscated", ">=", 1.0),)),
    ("misspelled_brand", "the brand is named only in a misspelling, not used",
     (("brand__brand_match_fuzzy", ">=", 1.0), *_NOT_USED)),
    ("brand_omitted", "a brand's product line is named with the brand left out",
     (("brand__brand_line_only", ">=", 1.0),)),
    ("declared_brand_mismatch", "the declared brand is not the brand the title names",
     (("brand__declared_brand_mismatch", ">=", 1.0),)),
    ("price_far_below_reference",
     "price under the registry's lowest retail price for the brand's product type and under "
     "half of the reference, not used",
     (("price__price_below_floor", ">=", 1.0), ("price__price_reference_level", ">=", 3.0),
      ("price__price_ratio", "<=", 0.5), *_NOT_USED, ("terms__terms_formats", "<=", 0.0))),
    ("price_far_below_reference",
     "price under 20% of the brand and product type's reference, not used",
     (("price__price_reference_level", ">=", 3.0), ("price__price_ratio", "<=", 0.2),
      *_NOT_USED, ("terms__terms_formats", "<=", 0.0))),
    ("seller_takedowns", "seller had takedowns on about 1% or more of their listings",
     (("seller__seller_has_takedowns", ">=", 1.0), ("seller__seller_takedown_rate", ">=", 0.01))),
)  # fmt: skip

UNFAMILIAR_CHECKS: tuple[tuple[str, str], ...] = (
    ("unknown_brand", "the declared brand is neither a registered brand nor one training saw"),
    ("price_range", "the price is outside the range training saw for its brand and product type"),
    ("script", "the title is written in a script the model was not trained on"),
    ("no_seller_history", "the listing has no seller history"),
)


# The highest score an unfamiliar listing gets: a model has no grounds for 0.99 on a listing unlike
# its training data (calibration was measured on listings like the training data).
UNFAMILIAR_CEILING = 0.95


def admit_doubt(
    scores: np.ndarray, unfamiliar: np.ndarray | None, ceiling: float | None
) -> np.ndarray:
    """Scores with the unfamiliar rows' lowered to ``ceiling`` (unchanged without one).

    Examples
    --------
    >>> admit_doubt(np.array([0.999, 0.999, 0.4]), np.array([True, False, True]), 0.95).tolist()
    [0.95, 0.999, 0.4]
    """
    if ceiling is None or unfamiliar is None:
        return scores
    return np.where(np.asarray(unfamiliar, dtype=bool), np.minimum(scores, ceiling), scores)


def policy_card() -> dict[str, Any]:
    """The ``decision_policy`` entry of a model card (what ``Scorer`` enforces)."""
    return {
        "version": POLICY_VERSION,
        "block_requires_evidence": True,
        "evidence": [
            {"code": code, "condition": text, "features": [list(c) for c in conditions]}
            for code, text, conditions in EVIDENCE
        ],
        "unfamiliar_never_blocked": True,
        "unfamiliar_score_ceiling": UNFAMILIAR_CEILING,
        "unfamiliar": [{"check": name, "condition": text} for name, text in UNFAMILIAR_CHECKS],
    }


_OPS = {">=": np.greater_equal, "<=": np.less_equal}
_ROW_OPS = {">=": operator.ge, "<=": operator.le}


class Evidence:
    """The evidence codes of a model's features: ``codes(matrix)`` for any number of rows."""

    def __init__(
        self, feature_names: Sequence[str], policy: Mapping[str, Any] | None = None
    ) -> None:
        """``policy``: a card's ``decision_policy``, whose ``evidence`` rules are applied (the
        rules the model was trained and measured with); default the rules of ``EVIDENCE``."""
        index = {name: i for i, name in enumerate(feature_names)}
        table = (
            EVIDENCE
            if policy is None
            else [(e["code"], e["condition"], e["features"]) for e in policy["evidence"]]
        )
        self.rules: list[tuple[str, list[tuple[int, Any, float]]]] = []
        self._row_rules: list[list[tuple[int, Any, float]]] = []  # the same, on Python floats
        for code, _text, conditions in table:
            if all(feature in index for feature, _, _ in conditions):
                self.rules.append(
                    (code, [(index[f], _OPS[op], float(v)) for f, op, v in conditions])
                )
                self._row_rules.append(
                    [(index[f], _ROW_OPS[op], float(v)) for f, op, v in conditions]
                )

    def mask(self, matrix: np.ndarray) -> np.ndarray:
        """(rows, rules) booleans: which rule holds for which row.

        One row (``Scorer.score``) is tested on Python floats, a frame with numpy; the operators
        agree on every float, NaN included (never holds).
        """
        matrix = np.atleast_2d(matrix)
        if len(matrix) == 1:
            row = matrix[0].tolist()
            hits = [all(op(row[c], v) for c, op, v in rule) for rule in self._row_rules]
            return np.array([hits], dtype=bool).reshape(1, len(self._row_rules))
        out = np.zeros((len(matrix), len(self.rules)), dtype=bool)
        for j, (_code, conditions) in enumerate(self.rules):
            hold = np.ones(len(matrix), dtype=bool)
            for column, op, value in conditions:
                hold &= op(matrix[:, column], value)
            out[:, j] = hold
        return out

    def any(self, matrix: np.ndarray) -> np.ndarray:
        """Whether each row has at least one evidence code."""
        return self.mask(matrix).any(axis=1)

    def codes(self, row: np.ndarray) -> list[str]:
        """The evidence codes of one feature row, without repeats, in ``EVIDENCE`` order."""
        hits = self.mask(row)[0]
        found = [code for (code, _), hit in zip(self.rules, hits, strict=True) if hit]
        return list(dict.fromkeys(found))


def decide(
    scores: np.ndarray,
    block: float,
    review: float,
    *,
    evidence: np.ndarray | None = None,
    unfamiliar: np.ndarray | None = None,
) -> np.ndarray:
    """The one decision rule: ``block`` / ``review`` / ``allow`` for each score.

    ``block`` when the score reaches ``block`` and (when given) the row has evidence and is not
    unfamiliar; such a row without evidence, or unfamiliar, goes to ``review``. Without
    ``evidence`` and ``unfamiliar`` (a card without a decision policy) the plain threshold rule.

    Examples
    --------
    >>> decide(np.array([0.9, 0.9, 0.9, 0.5, 0.1]), 0.8, 0.3,
    ...        evidence=np.array([True, False, True, False, False]),
    ...        unfamiliar=np.array([False, False, True, False, False])).tolist()
    ['block', 'review', 'review', 'review', 'allow']
    """
    scores = np.asarray(scores, dtype=np.float64)
    over = scores >= block
    if evidence is not None:
        over = over & np.asarray(evidence, dtype=bool)
    if unfamiliar is not None:
        over = over & ~np.asarray(unfamiliar, dtype=bool)
    flagged = (scores >= review) | (scores >= block)
    return np.where(over, "block", np.where(flagged, "review", "allow"))


def policy_gates(
    evidence: Evidence | None,
    familiarity: Familiarity | None,
    matrix: np.ndarray,
    columns: Callable[[], Mapping[str, Any]],
    rows: Sequence[int],
    declared_status: Any,
) -> tuple[np.ndarray | None, np.ndarray | None, dict[int, list[str]]]:
    """The decision policy's gates for ``decide``: evidence, unfamiliar, and the notes.

    ``evidence`` is checked on every row of ``matrix``; familiarity only on ``rows`` (the
    unfamiliar rows' sentences, by row). A gate the model has not (None) is not applied.
    Training (the hold-out's decisions) and scoring call this one function.
    """
    found_evidence = evidence.any(matrix) if evidence is not None else None
    if familiarity is None:
        return found_evidence, None, {}
    notes = familiarity.check_many(columns(), list(rows), declared_status)
    unfamiliar = np.zeros(matrix.shape[0], dtype=bool)
    unfamiliar[list(notes)] = True
    return found_evidence, unfamiliar, notes


@dataclass
class Thresholds:
    """Operating thresholds on the calibrated score and how they were chosen."""

    block: float
    review: float
    method: str
    target_precision: float
    review_capacity: int
    achieved_precision: float
    achieved_recall: float
    review_per_day: float

    def decide(self, scores: np.ndarray) -> np.ndarray:
        """Map scores to ``block`` / ``review`` / ``allow`` by the thresholds alone
        (``cfdetect.policy.decide`` without the policy's gates)."""
        return decide(scores, self.block, self.review)


# -- familiarity --------------------------------------------------------------------------------

_HISTORY = (
    "seller_age_days", "seller_rating", "seller_n_ratings", "seller_n_listings",
    "seller_n_takedowns", "seller_n_brands", "seller_gmv_90d", "seller_orders_90d",
    "seller_returns_90d",
)  # fmt: skip
FAMILIARITY_FIELDS: tuple[str, ...] = (
    "title", "brand", "price", "currency", "detected_brand", "detected_product_type", *_HISTORY,
)  # fmt: skip
DOMINANT_SCRIPT = 0.25  # share of a title's letters from which a script counts
MIN_ROWS = 20  # training rows a brand / type, a declared brand or a script needs to be familiar
PRICE_QUANTILES = (0.001, 0.999)
PRICE_MARGIN = math.log(1.25)  # around the range training saw


def scripts_of(title: str) -> frozenset[str]:
    """The scripts that write at least a quarter of a title's letters.

    Examples
    --------
    >>> sorted(scripts_of("Ролекс Submariner")), sorted(scripts_of("Gucсi bag"))
    (['CYRILLIC', 'LATIN'], ['LATIN'])
    """
    if title.isascii():
        return frozenset(("LATIN",)) if any(c.isalpha() for c in title) else frozenset()
    counts: Counter[str] = Counter()
    for ch in title:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            counts[name.split(" ", 1)[0] if name else "OTHER"] += 1
    total = sum(counts.values())
    return frozenset(s for s, n in counts.items() if n >= DOMINANT_SCRIPT * total)


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@dataclass
class Familiarity:
    """What training saw, fitted on the training window: ``check`` names what a listing lacks.

    Attributes
    ----------
    price_ranges : dict
        (detected brand, product type) -> (low, high) log USD price over the training rows, and
        (brand, "") for the brand overall; brands with fewer than ``MIN_ROWS`` rows are absent
        (their prices are not checked: a registered brand is not unfamiliar for being rare).
    declared_brands : set of str
        Normalised declared brands training saw at least ``MIN_ROWS`` times that the registry
        does not resolve (small genuine brands, generic labels).
    scripts : set of str
        Scripts that dominate at least ``MIN_ROWS`` training titles.
    """

    price_ranges: dict[tuple[str, str], tuple[float, float]]
    declared_brands: set[str]
    scripts: set[str]

    @classmethod
    def fit(cls, enriched: Any, declared_status: Any) -> Familiarity:
        """Fit from the enriched training frame and a ``declared -> (status, brand)`` function."""
        import pandas as pd

        from cfdetect.features._price import usd_rate

        brand = enriched["detected_brand"].fillna("").astype(str).to_numpy()
        ptype = enriched["detected_product_type"].fillna("").astype(str).to_numpy()
        rates = np.array([usd_rate(_text(c)) for c in enriched["currency"]], dtype=np.float64)
        usd = pd.to_numeric(enriched["price"], errors="coerce").to_numpy(dtype=np.float64) * rates
        with np.errstate(all="ignore"):
            log_usd = np.where(usd > 0, np.log(usd), np.nan)
        frame = pd.DataFrame({"brand": brand, "ptype": ptype, "log": log_usd})
        frame = frame[(frame["brand"] != "") & frame["log"].notna()]
        ranges: dict[tuple[str, str], tuple[float, float]] = {}
        for keys in (["brand", "ptype"], ["brand"]):
            grouped = frame.groupby(keys)["log"]
            counts = grouped.size()
            low = grouped.quantile(PRICE_QUANTILES[0])
            high = grouped.quantile(PRICE_QUANTILES[1])
            for key, n in counts.items():
                if n >= MIN_ROWS:
                    k = (key[0], key[1]) if isinstance(key, tuple) else (key, "")
                    ranges[k] = (float(low[key]) - PRICE_MARGIN, float(high[key]) + PRICE_MARGIN)
        declared = Counter(
            _text(d) for d in enriched["brand"] if declared_status(_text(d))[0] == "unknown"
        )
        scripts = Counter(s for t in enriched["title"] for s in scripts_of(_text(t)))
        return cls(
            ranges,
            {_norm(d) for d, n in declared.items() if n >= MIN_ROWS},
            {s for s, n in scripts.items() if n >= MIN_ROWS},
        )

    def check(self, record: Mapping[str, Any], declared_status: Any) -> list[str]:
        """What makes one listing unfamiliar, as sentences (empty: familiar)."""
        from cfdetect.features._price import usd_rate

        out = []
        declared = _text(record.get("brand"))
        if (
            declared
            and declared_status(declared)[0] == "unknown"
            and _norm(declared) not in self.declared_brands
        ):
            out.append(f"brand {declared!r} is neither registered nor seen in training")
        brand = _text(record.get("detected_brand"))
        if brand:
            ptype = _text(record.get("detected_product_type"))
            usd = _number(record.get("price")) * usd_rate(_text(record.get("currency")))
            span = self.price_ranges.get((brand, ptype)) or self.price_ranges.get((brand, ""))
            what = f"{brand} {ptype.replace('_', ' ')}".strip()
            if span is not None and usd > 0 and not span[0] <= math.log(usd) <= span[1]:
                low, high = math.exp(span[0]), math.exp(span[1])
                out.append(
                    f"price ${usd:,.0f} is outside the range training saw for {what} "
                    f"(${low:,.0f} to ${high:,.0f})"
                )
        new = sorted(scripts_of(_text(record.get("title"))) - self.scripts)
        if new:
            out.append(f"title written in {', '.join(s.title() for s in new)} script, "
                       "which the model was not trained on")  # fmt: skip
        if all(math.isnan(_number(record.get(name))) for name in _HISTORY):
            out.append("no seller history")
        return out

    def check_many(
        self, columns: Mapping[str, Sequence[Any]], rows: Iterable[int], declared_status: Any
    ) -> dict[int, list[str]]:
        """``check`` of some rows of a frame's columns (row -> sentences).

        Familiar rows are left out.
        """
        names = [name for name in FAMILIARITY_FIELDS if name in columns]
        out = {}
        for i in rows:
            found = self.check({name: columns[name][i] for name in names}, declared_status)
            if found:
                out[i] = found
        return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())
