"""``Scorer``: score listings with a model directory — one at a time or a DataFrame at once.

The single-listing path builds no DataFrame: it validates the mapping with the schema's parsers,
runs each fitted transformer's ``transform_record`` (the same fitted state and code as the frame
path), walks the boosted trees with ``CompiledForest`` and applies the isotonic calibration. Its
scores equal ``score_frame``'s to 1e-9 (tested).

Both paths explain a listing the same way: the trees' path contributions (Saabas), summed per
reason code, are precomputed for every leaf (``CompiledForest.table``), so the score and the
reasons of a listing come from one walk of the trees and one sum over the leaves it reaches.

Which listings get reasons is the ``explain`` argument: ``True`` (the default) explains the
listings the model flags (decision ``review`` or ``block``: the queue a reviewer reads; an allowed
listing is published and its reasons would go unread), ``"all"`` explains every listing, ``False``
none. Scores and decisions do not depend on it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from cfdetect import _pipeline as steps
from cfdetect._fasttrees import CompiledForest
from cfdetect.artifact import ModelCard, Trust, load_model
from cfdetect.errors import InputError
from cfdetect.policy import FAMILIARITY_FIELDS, Evidence, admit_doubt, decide, policy_gates
from cfdetect.reasons import RECORD_FIELDS, Reason, ReasonWriter
from cfdetect.schema import COLUMN_NAMES, REQUIRED_COLUMNS, canonical_frame, parse_record

DECISIONS = ("block", "review", "allow")
Explain: TypeAlias = bool | Literal["all"]
"""Which listings get reasons: ``True`` the flagged ones (review, block), ``"all"``, ``False``."""
OUTPUT_COLUMNS = ("listing_id", "score", "decision", "reasons", "in_favour")
_BLOCK = 4096  # rows walked per call when no contributions are needed


def explain_mode(explain: Explain) -> Literal["flagged", "all", "none"]:
    """``"flagged"``, ``"all"`` or ``"none"`` for an ``explain`` argument.

    Examples
    --------
    >>> explain_mode(True), explain_mode("all"), explain_mode(False)
    ('flagged', 'all', 'none')
    """
    if explain == "all":
        return "all"
    if isinstance(explain, bool | np.bool_):
        return "flagged" if explain else "none"
    raise ValueError(f"explain must be True, False or 'all', not {explain!r}")


def resolve_thresholds(
    defaults: tuple[float, float], block: float | None, review: float | None
) -> tuple[float, float]:
    """``(block, review)``: the overrides given, else the model's; review no higher than block.

    Examples
    --------
    >>> resolve_thresholds((0.7, 0.2), None, None), resolve_thresholds((0.7, 0.2), 0.5, 0.6)
    ((0.7, 0.2), (0.5, 0.5))
    """
    block_at = float(defaults[0] if block is None else block)
    review_at = min(float(defaults[1] if review is None else review), block_at)
    if not 0 <= review_at <= block_at:
        raise ValueError("thresholds must satisfy 0 <= review <= block")
    return block_at, review_at


def card_thresholds(card: Mapping[str, Any]) -> tuple[float, float]:
    """The model card's ``(block, review)`` thresholds (``load_model`` checks that they are the
    model file's)."""
    typed = ModelCard.of(card)
    return typed.block, typed.review


@dataclass(frozen=True)
class ScoreResult:
    """The score of one listing.

    Attributes
    ----------
    listing_id : str
    score : float
        Calibrated probability that the listing infringes (0..1).
    decision : str
        ``block``, ``review`` or ``allow``.
    reasons : tuple of Reason
        Ranked reason codes with a sentence each: what raised the score, with the listing's
        values (empty when nothing pushed the score up). A listing the decision policy found
        unfamiliar starts with ``unfamiliar`` reasons saying why it was not blocked.
    in_favour : tuple of Reason
        What lowered the score, with the values ("seller account is 3,385 days old"); never a
        code of ``reasons``.

    Examples
    --------
    >>> result = Scorer.load().score(
    ...     {"listing_id": "7", "title": "Casio F-91W", "price": 19, "seller_id": "s"})
    >>> result.listing_id, result.decision, 0 <= result.score <= 1, result.reasons
    ('7', 'allow', True, ())
    """

    listing_id: str
    score: float
    decision: str
    reasons: tuple[Reason, ...]
    in_favour: tuple[Reason, ...] = ()


def format_reasons(reasons: Iterable[Reason]) -> str:
    """Join reasons as ``code: sentence; code: sentence`` for tabular outputs."""
    return "; ".join(str(r) for r in reasons)


def reason_records(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """Reasons as ``[{"code", "text", "weight"}, ...]`` for JSON Lines and Parquet outputs.

    Examples
    --------
    >>> reason_records([Reason("replica_words", 'title says "replica"', 1.25)])
    [{'code': 'replica_words', 'text': 'title says "replica"', 'weight': 1.25}]
    """
    return [{"code": r.code, "text": r.text, "weight": float(r.weight)} for r in reasons]


class Scorer:
    """Scores listings with a fitted, calibrated model and its thresholds.

    Use ``Scorer.load(path)``; ``None`` loads the shipped default model. Instances are
    thread-safe: scoring reads fitted state and never changes it.

    Parameters
    ----------
    estimator : CalibratedClassifierCV
        The calibrated pipeline of a model directory.
    block_threshold, review_threshold : float
        Decision thresholds on the calibrated score.
    card : dict, optional
        The model card.

    Examples
    --------
    >>> scorer = Scorer.load()  # doctest: +SKIP
    >>> scorer.score({"listing_id": "1", "title": "Rolex Submariner AAA 1:1 clone",
    ...               "price": 120, "seller_id": "s1"}).decision  # doctest: +SKIP
    'block'
    """

    def __init__(
        self,
        estimator: Any,
        block_threshold: float,
        review_threshold: float,
        card: dict[str, Any] | None = None,
    ) -> None:
        if not 0 <= review_threshold <= block_threshold:
            raise ValueError("thresholds must satisfy 0 <= review <= block")
        calibrated = estimator.calibrated_classifiers_[0]
        self.estimator = estimator
        self.pipeline = calibrated.estimator.estimator
        self.calibrator = calibrated.calibrators[0]
        self.block_threshold = float(block_threshold)
        self.review_threshold = float(review_threshold)
        self.card = card or {}  # the card as written (``card.json``)
        self.model_card = ModelCard.of(self.card)  # the same, typed: what cfdetect reads
        named = self.pipeline.named_steps
        self._normalizer = named[steps.NORMALIZE]
        self._brands = named[steps.BRANDS]
        self._features = named[steps.FEATURES]
        self._classifier = named[steps.CLASSIFIER]
        self._forest = CompiledForest(self._classifier)
        self._parts = [
            (name, transformer)
            for name, transformer, _ in self._features.transformers_
            if name != "remainder" and transformer != "drop"
        ]
        self.feature_names = [str(n) for n in self._features.get_feature_names_out()]
        terms = dict(self._parts).get("terms")
        price = dict(self._parts).get("price")
        self._reasons = ReasonWriter(
            self.feature_names,
            terms=getattr(terms, "explain_terms", None),
            reference=getattr(price, "reference_for", None),
        )
        # the decision policy of the card (issue 19); a card without one: thresholds alone
        policy = self.model_card.decision_policy or {}
        self._evidence = (
            Evidence(self.feature_names, policy) if policy.get("block_requires_evidence") else None
        )
        self._familiarity = (
            getattr(estimator, "cfdetect_familiarity_", None)
            if policy.get("unfamiliar_never_blocked")
            else None
        )
        ceiling = policy.get("unfamiliar_score_ceiling") if self._familiarity is not None else None
        self._ceiling: float | None = None if ceiling is None else float(ceiling)
        self._declared = self._brands._declared
        # leaf values and per-code path contributions: score and reasons from one tree walk
        self._table = self._forest.table(self._reasons.code_index, len(self._reasons.unique_codes))
        self._leaf_values = np.ascontiguousarray(self._table[:, 0])  # the score without reasons
        self._iso_x = np.asarray(self.calibrator.X_thresholds_, dtype=np.float64)
        self._iso_y = np.asarray(self.calibrator.y_thresholds_, dtype=np.float64)
        self._iso_steps = (self._iso_x.tolist(), self._iso_y.tolist())

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        block_threshold: float | None = None,
        review_threshold: float | None = None,
        trust: Trust | None = None,
    ) -> Scorer:
        """Load a model directory (default: the shipped model), checking trust, hash, versions.

        Parameters
        ----------
        path : str or Path, optional
            Model directory; ``None`` loads the shipped default model.
        block_threshold, review_threshold : float, optional
            Override the card's thresholds.
        trust : bool, path or paths, optional
            A model file is a pickle: loading it runs code. Directories under the shipped
            ``models/``, under ``CFDETECT_TRUSTED_MODELS`` and models this process trained load
            as they are; ``trust=True`` vouches for ``path``, a path or paths add trusted roots.

        Raises
        ------
        ModelError
            When the directory is missing, untrusted, tampered with or written by other library
            versions.

        Examples
        --------
        >>> Scorer.load("models/team-2025-06", trust=True)  # doctest: +SKIP
        """
        estimator, thresholds, card = load_model(path, trust=trust)
        block, review = resolve_thresholds(
            (thresholds.block, thresholds.review), block_threshold, review_threshold
        )
        return cls(estimator, block, review, card)

    def decide(
        self, score: float, *, evidence: bool | None = None, unfamiliar: bool | None = None
    ) -> str:
        """Map a score to a decision with this scorer's thresholds (``cfdetect.policy.decide``).

        ``evidence`` / ``unfamiliar``: the policy's gates for this listing (None: not applied).

        Examples
        --------
        >>> scorer = Scorer.load()
        >>> scorer.decide(0.9), scorer.decide(0.9, evidence=False), scorer.decide(0.1)
        ('block', 'review', 'allow')
        """
        return str(
            decide(
                np.array([score]),
                self.block_threshold,
                self.review_threshold,
                evidence=None if evidence is None else np.array([evidence]),
                unfamiliar=None if unfamiliar is None else np.array([unfamiliar]),
            )[0]
        )

    def _gates(
        self, scores: np.ndarray, matrix: np.ndarray, columns: Any, explained: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray | None, dict[int, list[str]]]:
        """The policy's gates of scored rows: evidence, unfamiliar, and the unfamiliar rows'
        sentences (for the rows over the block threshold and the explained rows)."""
        lowest = min(self.block_threshold, 1.0 if self._ceiling is None else self._ceiling)
        rows = np.union1d(np.flatnonzero(scores >= lowest), explained)
        return policy_gates(
            self._evidence, self._familiarity, matrix, columns, rows.tolist(), self._declared
        )

    # -- one listing ---------------------------------------------------------------------------

    def features_record(self, listing: Mapping[str, Any]) -> tuple[np.ndarray, dict[str, Any]]:
        """Validated model features of one listing, and the enriched record (for reasons).

        Examples
        --------
        >>> listing = {"listing_id": "1", "title": "Rolex replica", "price": 95, "seller_id": "s"}
        >>> row, record = Scorer.load().features_record(listing)
        >>> row.dtype, record["detected_brand"]
        (dtype('float64'), 'Rolex')
        """
        record = self._normalizer.transform_record(parse_record(listing, labels=False))
        detection = self._brands.detect_record(record)
        record.update(detection.as_dict())
        parts = []
        for name, transformer in self._parts:
            if name == "brand":
                parts.append(detection.values)
            else:
                parts.append(transformer.transform_record(record))
        return np.concatenate(parts, dtype=np.float64), record

    def score(self, listing: Mapping[str, Any], *, explain: Explain = True) -> ScoreResult:
        """Score one listing given as a mapping of canonical fields.

        Training-only fields (``is_counterfeit``, ``published_at``, ``first_sale_at``,
        ``reported_at``) are ignored: a listing is scored at submission.

        Parameters
        ----------
        listing : mapping
            Field name -> value (``listing_id``, ``title``, ``price``, ``seller_id``, ...).
        explain : bool or "all"
            Reasons when the listing is flagged (``True``, decision ``review`` or ``block``),
            always (``"all"``) or never (``False``); the score is the same either way.

        Raises
        ------
        InvalidListing
            A ``ValueError`` naming the field and the reason when the listing cannot be read.

        Examples
        --------
        >>> result = Scorer.load().score({
        ...     "listing_id": "1", "title": "Rolex Submariner AAA 1:1 replica", "price": 95,
        ...     "seller_id": "s1", "seller_age_days": 3, "description": "top quality replica"})
        >>> result.decision, [reason.code for reason in result.reasons][:2]
        ('block', ['price_far_below_reference', 'suspicious_wording'])
        """
        mode = explain_mode(explain)
        row, record = self.features_record(listing)
        leaves = self._forest.leaves_row(row)
        # the trees added in order, as the frame path does (the reasons' sums give the same bits)
        raw = float(np.add.accumulate(self._leaf_values.take(leaves))[-1])
        score = self._calibrate_one(self._forest.baseline + raw)
        explain_it = mode == "all" or (mode == "flagged" and score >= self.review_threshold)
        evidence, unfamiliar, notes = self._gates(
            np.array([score]),
            row[None, :],
            lambda: {k: [v] for k, v in record.items()},
            np.array([0] if explain_it else [], dtype=np.intp),
        )
        score = float(admit_doubt(np.array([score]), unfamiliar, self._ceiling)[0])
        decision = self.decide(
            score,
            evidence=None if evidence is None else bool(evidence[0]),
            unfamiliar=None if unfamiliar is None else bool(unfamiliar[0]),
        )
        reasons: tuple[Reason, ...] = ()
        in_favour: tuple[Reason, ...] = ()
        if mode == "all" or (mode == "flagged" and decision != "allow"):
            sums = np.add.reduce(self._table.take(leaves, axis=0), axis=0)
            reasons = _unfamiliar(notes.get(0, [])) + self._reasons.reasons(sums[1:], record)
            in_favour = self._reasons.in_favour(sums[1:], record)
        return ScoreResult(str(record["listing_id"]), score, decision, reasons, in_favour)

    def score_records(
        self, listings: Iterable[Mapping[str, Any]], *, explain: Explain = True
    ) -> Iterator[ScoreResult]:
        """Score an iterable of listings one by one (lazily).

        Examples
        --------
        >>> listings = [{"listing_id": "1", "title": "Casio F-91W", "price": 19, "seller_id": "s"}]
        >>> [(r.listing_id, r.decision) for r in Scorer.load().score_records(listings)]
        [('1', 'allow')]
        """
        for listing in listings:
            yield self.score(listing, explain=explain)

    # -- many listings -------------------------------------------------------------------------

    def score_frame(
        self,
        frame: pd.DataFrame,
        *,
        explain: Explain = True,
        reasons_as: Literal["text", "records"] = "text",
    ) -> pd.DataFrame:
        """Score a frame of listings: validated ones (``iter_valid_chunks``, ``validate_frame``)
        as they are, raw ones validated first with the same parsers as ``score`` and the CLI.

        Parameters
        ----------
        frame : DataFrame
            Listings. A frame that is not in canonical dtypes (built by hand, ``read_csv``) is
            validated: ``price="US $95"`` scores as ``95.0``; a row that validation rejects
            raises ``InvalidListing`` (to score the valid rows and keep the rejects, call
            ``cfdetect.validate_frame`` and score its ``rows``).
        explain : bool or "all"
            Reasons for the flagged rows (``True``, decision ``review`` or ``block``), for every
            row (``"all"``) or none (``False``); scores and decisions are the same either way.
        reasons_as : "text" or "records"
            ``reasons`` and ``in_favour`` as readable text (``"code: sentence; ..."``, CSV) or
            as lists of ``{"code", "text", "weight"}`` (JSON Lines and Parquet outputs).

        Returns
        -------
        DataFrame
            ``listing_id``, ``score``, ``decision``, ``reasons`` (the explained rows' ranked
            reasons, as ``score`` gives them; ``""`` for rows not explained and when nothing
            pushed the score up), then the input's extra columns, in input order.

        Raises
        ------
        InputError
            The frame lacks a required column (``listing_id``, ``title``, ``price``,
            ``seller_id``).
        InvalidListing
            A row validation rejects: ``row`` (1-based), ``field`` and ``reason`` name it.

        Examples
        --------
        >>> frame = pd.DataFrame({"listing_id": ["1"], "title": ["Casio F-91W"],
        ...                       "price": ["US $19"], "seller_id": ["s"]})
        >>> Scorer.load().score_frame(frame)[["listing_id", "decision"]].to_dict("records")
        [{'listing_id': '1', 'decision': 'allow'}]
        """
        mode = explain_mode(explain)
        absent = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
        if absent:
            raise InputError(
                f"<frame>: required column(s) {', '.join(absent)} missing; score_frame scores "
                "validated listings (Validator, iter_valid_chunks)"
            )
        extras = [c for c in frame.columns if c not in COLUMN_NAMES and c != "row_number"]
        if len(frame) == 0:
            empty = {name: pd.Series(dtype=object) for name in OUTPUT_COLUMNS}
            empty["score"] = pd.Series(dtype=np.float64)
            return pd.DataFrame({**empty, **{name: frame[name] for name in extras}})
        from cfdetect.validate import require_valid  # reads files too: loaded where used

        frame = require_valid(frame)  # a raw frame is validated first (the same parsers)
        canonical = canonical_frame(frame)
        enriched = self._brands.transform(self._normalizer.transform(canonical))
        matrix = np.asarray(self._features.transform(enriched), dtype=np.float64)
        scores, decisions, explained, grouped, notes = self._decide_frame(matrix, enriched, mode)
        reasons, in_favour = self._reason_columns(
            len(scores), explained, grouped, notes, enriched, reasons_as == "records"
        )
        return pd.DataFrame(
            {
                "listing_id": canonical["listing_id"].astype("string").to_numpy(),
                "score": scores,
                "decision": decisions,
                "reasons": reasons,
                "in_favour": in_favour,
                **{name: frame[name].to_numpy() for name in extras},  # at once: no inserts
            }
        )

    def _decide_frame(
        self, matrix: np.ndarray, enriched: pd.DataFrame, mode: str
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any, dict[int, Any]]:
        """Scores, decisions, the rows to explain, their grouped contributions and the
        unfamiliar rows' notes, for a feature matrix (``score_frame``'s decision steps)."""
        if mode == "all":
            raw, grouped = self._forest.explain(matrix, self._table)
        else:
            raw = self._raw_scores(matrix)
        scores = self._calibrate(raw)
        explained = np.arange(len(scores)) if mode == "all" else np.array([], dtype=np.intp)
        if mode == "flagged":
            explained = np.flatnonzero(scores >= self.review_threshold)

        def gate_columns() -> dict[str, np.ndarray]:
            return {
                name: enriched[name].to_numpy(dtype=object, na_value=None)
                for name in FAMILIARITY_FIELDS
                if name in enriched
            }

        evidence, unfamiliar, notes = self._gates(scores, matrix, gate_columns, explained)
        scores = admit_doubt(scores, unfamiliar, self._ceiling)
        decisions = decide(
            scores,
            self.block_threshold,
            self.review_threshold,
            evidence=evidence,
            unfamiliar=unfamiliar,
        )
        if mode == "flagged":
            # the same sums as ``explain`` over all rows: the leaves' table rows, tree by tree
            _, grouped = self._forest.explain(matrix[explained], self._table)
        elif mode != "all":
            grouped = None
        return scores, decisions, explained, grouped, notes

    def _reason_columns(
        self,
        n: int,
        explained: np.ndarray,
        grouped: Any,
        notes: dict[int, Any],
        enriched: pd.DataFrame,
        records: bool,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``reasons`` and ``in_favour`` columns: the explained rows' reasons (text or
        records), empty for the others (each row its own empty list as records)."""
        reasons = np.full(n, "", dtype=object)
        in_favour = np.full(n, "", dtype=object)
        if records:  # each row its own empty list
            reasons[:] = [[] for _ in range(n)]
            in_favour[:] = [[] for _ in range(n)]
        if not len(explained):
            return reasons, in_favour
        columns = {
            name: enriched[name].to_numpy(dtype=object, na_value=None)[explained].tolist()
            for name in RECORD_FIELDS
            if name in enriched
        }
        found = self._reasons.reasons_many(grouped, columns)
        favour = self._reasons.favour_many(grouped, columns)
        for j, i in enumerate(explained.tolist()):
            if i in notes:
                found[j] = _unfamiliar(notes[i]) + found[j]
        form = reason_records if records else format_reasons
        for j, i in enumerate(explained.tolist()):
            reasons[i] = form(found[j])
            in_favour[i] = form(favour[j])
        return reasons, in_favour

    def _raw_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Raw scores of feature rows, the trees added in order as ``score`` and ``explain`` do."""
        return self._forest.baseline + self._forest.ordered_sums(matrix, self._leaf_values)

    def _calibrate(self, raw: np.ndarray) -> np.ndarray:
        """Isotonic calibration: linear interpolation between the fitted steps, clipped at the
        ends (what ``IsotonicRegression.predict`` computes, without its input validation)."""
        return np.clip(np.interp(raw, self._iso_x, self._iso_y), 0.0, 1.0)

    def _calibrate_one(self, raw: float) -> float:
        """``_calibrate`` of one raw score as a Python float: ``np.interp``'s arithmetic in
        plain Python (the same bits, without a numpy call per listing)."""
        return min(max(interp_one(raw, *self._iso_steps), 0.0), 1.0)


def _unfamiliar(notes: list[str]) -> tuple[Reason, ...]:
    """The ``unfamiliar`` reasons of a listing the policy does not block on its score."""
    return tuple(Reason("unfamiliar", note, 0.0) for note in notes)


def interp_one(x: float, xp: list[float], fp: list[float]) -> float:
    """``float(np.interp(x, xp, fp))`` for increasing ``xp``, computed as numpy computes it.

    Examples
    --------
    >>> interp_one(0.25, [0.0, 1.0], [0.0, 10.0]), interp_one(-1.0, [0.0, 1.0], [3.0, 4.0])
    (2.5, 3.0)
    """
    if x != x or len(xp) < 2:  # NaN, or a constant: numpy's own edge rules
        return float(np.interp(x, xp, fp))
    if x >= xp[-1]:
        return fp[-1]
    if x < xp[0]:
        return fp[0]
    j = bisect.bisect_right(xp, x) - 1
    if x == xp[j]:
        return fp[j]
    slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
    out = slope * (x - xp[j]) + fp[j]
    if out != out:  # what numpy does when the slope is infinite or NaN
        out = slope * (x - xp[j + 1]) + fp[j + 1]
        if out != out and fp[j] == fp[j + 1]:
            out = fp[j]
    return out
