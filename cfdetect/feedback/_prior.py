"""Training on a prior: a small own-labelled set combined with a trained model's knowledge.

``cfdetect train OWN --prior models/default`` keeps the prior model whole and learns a small,
shrunken correction from the platform's own labels (:func:`fit_on_prior`, issue 23):

1. the prior's log-odds, rescaled by a Platt fit on the own training rows (slope > 0: the same
   ranking), is the offset;
2. a few shallow boosted trees, monotone-constrained like every cfdetect model
   (``cfdetect.constraints``), are fitted to the own labels on top of that offset, their number
   (0 included: the prior alone) chosen by 5-fold cross-validation inside the own training rows;
   the five folds' fits are averaged;
3. the prior's trees (rescaled) and the new trees form one ``HistGradientBoostingClassifier`` on
   the prior's own fitted features, so scoring, reasons and the evidence-gated decision policy
   work as for any model; the policy's familiarity is the prior's merged with the own rows';
4. the calibration is strictly increasing (:func:`increasing_calibration`, a Platt fit shrunk
   towards the raw log-odds, stored as the steps of the isotonic calibrator the scorer
   interpolates): an isotonic fit on a small calibration split ties most listings and loses the
   ranking;
5. with few infringing listings on the threshold split, ``block`` is the target precision
   itself (:func:`guard_block_threshold`).

``benchmarks/prior_check.py`` measured this against the earlier design (the prior's log-odds as a
feature of a freshly trained booster, :class:`PriorScore`, kept so that models trained that way
still load) in ``docs/model.md``.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

PRIOR_FEATURE = "prior_logit"

# Correction trees on top of the prior (measured in benchmarks/prior_check.py, docs/model.md).
TREE_COUNTS: tuple[int, ...] = (0, 10, 20, 40, 80, 160)
TREE_PARAMS: dict[str, float | int] = {
    "learning_rate": 0.02,
    "max_leaf_nodes": 3,
    "min_samples_leaf": 30,
    "l2_regularization": 1.0,
}
# Fewer infringing listings on the threshold split than this: block only where the calibrated
# score itself reaches the target precision (``guard_block_threshold``).
MIN_POSITIVES_TO_PLACE_BLOCK = 30
# Penalty of the calibration towards the raw log-odds: as strong as ~10 listings' evidence.
CALIBRATION_SHRINKAGE = 10.0


def load_prior(prior: str | Path | None) -> tuple[Any, Any, dict[str, Any]]:
    """Load a prior model directory with cfdetect's trusted loader (``None`` or ``"default"``:
    the shipped model): ``(features ColumnTransformer, classifier, card)``.

    Raises
    ------
    ModelError
        Missing, untrusted or tampered model directory.
    """
    from cfdetect.artifact import load_model

    path = None if prior in (None, "default") else prior
    estimator, _, card = load_model(path)
    pipeline = estimator.calibrated_classifiers_[0].estimator.estimator
    return pipeline.named_steps["features"], pipeline.named_steps["classifier"], card


class PriorScore(TransformerMixin, BaseEstimator):
    """The prior model's log-odds of infringement as a feature (``prior__prior_logit``).

    Works on the enriched frame of the cfdetect pipeline (after ``normalize`` and ``brands``):
    the prior's own fitted feature step and classifier compute its raw score. Fitting loads the
    prior and never changes it.

    Parameters
    ----------
    prior : str
        The prior model directory (``"default"``: the shipped model).
    """

    def __init__(self, prior: str = "default") -> None:
        self.prior = prior

    def fit(self, X: Any, y: Any = None) -> PriorScore:
        """Load the prior (trusted loader)."""
        self.features_, self.classifier_, card = load_prior(self.prior)
        self.prior_card_ = {
            "name": card.get("name"),
            "model_sha256": card.get("model_sha256"),
            "directory": str(self.prior),
        }
        return self

    def transform(self, X: Any) -> np.ndarray:
        """The prior's raw score (log-odds) of each row, shape (n, 1)."""
        seen = getattr(self.features_, "feature_names_in_", None)
        if seen is not None and isinstance(X, pd.DataFrame):
            # the prior saw columns (e.g. the simulator's) that no feature reads: fill them in
            missing = [str(c) for c in seen if c not in X.columns]
            if missing:
                X = X.assign(**dict.fromkeys(missing, pd.NA))
        matrix = np.asarray(self.features_.transform(X), dtype=np.float64)
        return np.asarray(self.classifier_.decision_function(matrix), dtype=np.float64)[:, None]

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``["prior_logit"]``."""
        return np.array([PRIOR_FEATURE], dtype=object)


def platt(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(slope, intercept)`` of a logistic fit of ``y`` on ``raw`` (L2, C=1); the slope kept in
    [0.2, 5] so that it never reverses or flattens the ranking."""
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    fit = LogisticRegression(C=1.0).fit(np.asarray(raw, dtype=np.float64)[:, None], y)
    slope = float(np.clip(fit.coef_[0, 0], 0.2, 5.0))
    return slope, float(fit.intercept_[0])


def residual_trees(
    X: np.ndarray, y: np.ndarray, offset: np.ndarray, cst: Sequence[int] | None, n_trees: int,
    seed: int = 0,
) -> list[Any]:  # fmt: skip
    """``n_trees`` gradient-boosting trees (log loss) fitted on top of ``offset`` log-odds.

    The trees are grown by scikit-learn's own ``TreeGrower`` as ``HistGradientBoostingClassifier``
    grows them (``TREE_PARAMS``, monotonic constraints ``cst``), but from a per-row starting
    margin, which the public estimator does not take; the result: ``TreePredictor`` objects on
    raw feature values, to append to a fitted classifier's ``_predictors``.
    """
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
    from sklearn.ensemble._hist_gradient_boosting.common import G_H_DTYPE
    from sklearn.ensemble._hist_gradient_boosting.grower import TreeGrower

    mapper = _BinMapper(n_bins=256, random_state=seed)
    binned = np.asfortranarray(mapper.fit_transform(np.asarray(X, dtype=np.float64)))
    missing = (binned == mapper.missing_values_bin_idx_).any(axis=0).astype(np.uint8)
    constraints = None if cst is None else np.asarray(cst, dtype=np.int8)
    raw = np.asarray(offset, dtype=np.float64).copy()
    trees = []
    for _ in range(n_trees):
        p = expit(raw)
        grower = TreeGrower(
            binned,
            (p - y).astype(G_H_DTYPE),
            np.maximum(p * (1 - p), 1e-6).astype(G_H_DTYPE),
            max_leaf_nodes=TREE_PARAMS["max_leaf_nodes"],
            min_samples_leaf=TREE_PARAMS["min_samples_leaf"],
            l2_regularization=TREE_PARAMS["l2_regularization"],
            shrinkage=TREE_PARAMS["learning_rate"],
            n_bins=256,
            n_bins_non_missing=mapper.n_bins_non_missing_,
            has_missing_values=missing,
            monotonic_cst=constraints,
            n_threads=1,
        )
        grower.grow()
        tree = grower.make_predictor(binning_thresholds=mapper.bin_thresholds_)
        raw += tree.predict_binned(binned, mapper.missing_values_bin_idx_, 1)
        trees.append(tree)
    return trees


def _tree_scores(trees: list[Any], X: np.ndarray) -> np.ndarray:
    no_bitsets = np.zeros((0, 8), dtype=np.uint32)
    no_map = np.zeros(0, dtype=np.uint32)
    out = np.zeros(len(X), dtype=np.float64)
    for tree in trees:
        out += tree.predict(np.asarray(X, dtype=np.float64), no_bitsets, no_map, 1)
    return out


def choose_tree_count(
    X: np.ndarray, y: np.ndarray, raw: np.ndarray, cst: Sequence[int] | None, seed: int = 0
) -> tuple[int, dict[int, float], list[tuple[float, float, list[Any]]]]:
    """The number of correction trees (``TREE_COUNTS``, 0: the rescaled prior alone) with the
    lowest 5-fold cross-validated log loss on the own training rows, each count's loss, and the
    folds' fits ``(slope, intercept, trees)``.

    Each fold refits the Platt rescaling and the trees on its other four fifths.
    """
    folds = int(min(5, np.bincount(y, minlength=2).min()))
    if folds < 2:
        return 0, {}, []
    losses = dict.fromkeys(TREE_COUNTS, 0.0)
    fits = []
    split = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for a, b in split.split(X, y):
        slope, intercept = platt(raw[a], y[a])
        trees = residual_trees(X[a], y[a], slope * raw[a] + intercept, cst, max(TREE_COUNTS), seed)
        fits.append((slope, intercept, trees))
        z = slope * raw[b] + intercept
        done = 0
        for k in TREE_COUNTS:
            z = z + _tree_scores(trees[done:k], X[b])
            done = k
            p = np.clip(expit(z), 1e-12, 1 - 1e-12)
            losses[k] -= float(np.sum(y[b] * np.log(p) + (1 - y[b]) * np.log(1 - p)))
    losses = {k: v / len(y) for k, v in losses.items()}
    return min(losses, key=lambda k: (losses[k], k)), losses, fits


def fit_on_prior(
    prior: str, fit_X: np.ndarray, fit_y: np.ndarray, names: Sequence[str], classifier: Any,
    *, monotonic: bool = True, seed: int = 0,
) -> tuple[Any, dict[str, Any]]:  # fmt: skip
    """The prior's classifier, its log-odds rescaled and corrected by the average of the
    cross-validation folds' fits (:func:`choose_tree_count`: each fold's Platt rescaling and its
    first chosen number of trees; averaging the folds steadies a correction learned from a few
    dozen infringing listings); and what was fitted (for the card).

    ``fit_X`` are the prior's features of the own training rows, ``classifier`` its fitted
    ``HistGradientBoostingClassifier`` (not changed: a copy is returned).
    """
    from cfdetect.constraints import monotonic_cst

    cst = monotonic_cst(list(names)) if monotonic else None
    cst = cst if cst is not None and any(cst) else None
    raw = np.asarray(classifier.decision_function(fit_X), dtype=np.float64)
    n_trees, losses, fits = choose_tree_count(fit_X, fit_y, raw, cst, seed)
    if not fits:  # too few infringing (or genuine) rows to cross-validate: rescale only
        fits = [(*platt(raw, fit_y), [])]
    slope = float(np.mean([f[0] for f in fits]))
    intercept = float(np.mean([f[1] for f in fits]))
    model = copy.deepcopy(classifier)
    for (tree,) in model._predictors:
        tree.nodes["value"] *= slope
    model._baseline_prediction = slope * model._baseline_prediction + intercept
    added = []
    for _, _, trees in fits:
        for tree in trees[:n_trees]:
            tree.nodes["value"] /= len(fits)
            added.append([tree])
    model._predictors = [*model._predictors, *added]
    model.max_iter = max(int(model.max_iter), model.n_iter_)
    summary = {
        "directory": str(prior),
        "rescaling": {"slope": slope, "intercept": intercept},
        "correction_trees": n_trees,
        "folds": len(fits),
        "cv_log_loss": {str(k): round(v, 6) for k, v in losses.items()},
        "tree_params": dict(TREE_PARAMS),
    }
    return model, summary


def shrunk_platt(
    raw: np.ndarray, y: np.ndarray, strength: float = CALIBRATION_SHRINKAGE
) -> tuple[float, float]:
    """``(slope, intercept)`` of a logistic fit of ``y`` on ``raw`` log-odds, shrunk towards the
    identity (slope 1, intercept 0) by a penalty ``strength * ((slope - 1)**2 + intercept**2)``.

    The raw log-odds of a model trained on a prior are already fitted to the own training rows;
    a calibration split of 50 listings with four infringing ones says little more, and an
    unshrunk fit to it was worse calibrated on new listings than the raw log-odds
    (``docs/model.md``). The slope stays in [0.2, 5].
    """
    from scipy.optimize import minimize

    raw = np.asarray(raw, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        slope, intercept = params
        z = slope * raw + intercept
        p = expit(z)
        value = float(np.sum(np.logaddexp(0.0, z) - y * z))
        value += strength * ((slope - 1.0) ** 2 + intercept**2)
        gradient = np.array(
            [np.sum((p - y) * raw) + 2 * strength * (slope - 1.0),
             np.sum(p - y) + 2 * strength * intercept]
        )  # fmt: skip
        return value, gradient

    found = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B",
                     bounds=[(0.2, 5.0), (None, None)])  # fmt: skip
    return float(found.x[0]), float(found.x[1])


def increasing_calibration(raw: np.ndarray, y: np.ndarray, span: np.ndarray) -> IsotonicRegression:
    """A strictly increasing calibration of raw log-odds: :func:`shrunk_platt` on ``(raw, y)``
    written as the steps of an ``IsotonicRegression`` (what ``CalibratedClassifierCV`` and the
    scorer interpolate), from well below to well above the raw scores ``span`` seen.

    Unlike an isotonic fit on a few dozen infringing listings, it keeps the ranking: every step
    is higher than the one before, so no two listings with different raw scores tie.
    """
    slope, intercept = shrunk_platt(raw, y)
    span = np.asarray(span, dtype=np.float64)
    low, high = float(np.min(span)) - 20.0, float(np.max(span)) + 20.0
    xs = np.unique(
        np.concatenate([np.linspace(low, high, 401), np.quantile(span, np.linspace(0, 1, 201))])
    )
    tiny = 1e-9  # keeps the steps strictly increasing where the logistic rounds to 0 or 1
    ys = (1 - tiny) * expit(slope * xs + intercept) + tiny * np.linspace(0.0, 1.0, len(xs))
    calibrator = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
    return calibrator.fit(xs, ys)


def fit_pipeline_on_prior(
    config: Any, fit_frame: pd.DataFrame, fit_y: np.ndarray
) -> tuple[Any, Any, np.ndarray, list[str], Any, dict[str, Any]]:
    """``cfdetect.model``'s fitting step when training on a prior (``config.prior``).

    The prior's fitted pipeline is copied whole (text normalisation, brand mentions, features: the
    prior's own, as its trees read them); its classifier becomes :func:`fit_on_prior`'s. Returns
    ``(pipeline, feature steps, training features, feature names, familiarity, card summary)``
    as ``cfdetect.model._fit_pipeline`` does. ``--registry`` and the feature-family options do
    not apply: the prior's features are kept.
    """
    from sklearn.pipeline import Pipeline

    from cfdetect import _pipeline as steps
    from cfdetect.artifact import load_model
    from cfdetect.policy import Familiarity

    path = None if config.prior in (None, "default") else config.prior
    estimator, _, card = load_model(path)
    pipeline = copy.deepcopy(estimator.calibrated_classifiers_[0].estimator.estimator)
    features = Pipeline(pipeline.steps[:-1])  # the same (shared) step objects
    enriched = fit_frame
    for _, step in features.steps[:-1]:
        enriched = step.transform(enriched)
    fit_X = np.asarray(features.steps[-1][1].transform(enriched), dtype=np.float64)
    names = [str(n) for n in features.get_feature_names_out()]
    classifier, summary = fit_on_prior(
        str(config.prior), fit_X, fit_y, names, pipeline.steps[-1][1],
        monotonic=config.monotonic, seed=config.seed,
    )  # fmt: skip
    pipeline.steps[-1] = (steps.CLASSIFIER, classifier)
    summary = {"name": card.get("name"), "model_sha256": card.get("model_sha256"), **summary}
    own = Familiarity.fit(enriched, pipeline.named_steps[steps.BRANDS]._declared)
    familiarity = merged_familiarity(getattr(estimator, "cfdetect_familiarity_", None), own)
    return pipeline, features, fit_X, names, familiarity, summary


def merged_familiarity(prior: Any, own: Any) -> Any:
    """What the prior's training saw and what the own rows show, together (``Familiarity``).

    The combined model keeps the prior's trees, so a listing like the prior's training rows is
    not unfamiliar to it; a few hundred own rows alone would make most brands and scripts
    unfamiliar and lower their scores to the policy's ceiling. Price ranges seen by both are
    widened to cover both.
    """
    if prior is None:
        return own
    ranges = dict(prior.price_ranges)
    for key, (low, high) in own.price_ranges.items():
        old = ranges.get(key)
        ranges[key] = (low, high) if old is None else (min(old[0], low), max(old[1], high))
    return type(own)(
        ranges, set(prior.declared_brands) | own.declared_brands, set(prior.scripts) | own.scripts
    )


def calibrate_increasing(
    calibrated: Any,
    pipeline: Any,
    fit_part: pd.DataFrame,
    fit_X: np.ndarray,
    calib_part: pd.DataFrame,
) -> None:
    """Fit ``calibrated`` (a ``CalibratedClassifierCV`` of the frozen ``pipeline``) with
    :func:`increasing_calibration` on the calibration rows as its calibrator (in place).

    The calibration rows may all be genuine (a few hundred own labels): the shrunk fit is still
    defined, while scikit-learn's own fit needs both classes. Its isotonic fit, which is replaced,
    then also sees the training split's infringing rows, only to build the fitted object.
    """
    from cfdetect.schema import canonical_frame

    calib_y = calib_part["_y"].to_numpy()
    shell = calib_part
    if np.unique(calib_y).size < 2:
        shell = pd.concat([fit_part[fit_part["_y"] == 1], calib_part])
    calibrated.fit(canonical_frame(shell), shell["_y"].to_numpy())
    (fitted,) = calibrated.calibrated_classifiers_
    raw = np.asarray(pipeline.decision_function(canonical_frame(calib_part)), dtype=np.float64)
    fit_raw = np.asarray(pipeline.steps[-1][1].decision_function(fit_X), dtype=np.float64)
    fitted.calibrators = [increasing_calibration(raw, calib_y, np.concatenate([raw, fit_raw]))]


def guard_block_threshold(thresholds: Any, y: np.ndarray, scores: np.ndarray) -> Any:
    """``thresholds`` with ``block`` raised to the target precision itself when the threshold
    split holds fewer than ``MIN_POSITIVES_TO_PLACE_BLOCK`` infringing listings.

    "The lowest threshold with 98% precision" on 50 listings with four infringing ones is the
    lowest score with no genuine listing above it, often far too low: on the shifted world, models
    trained on 500 own labels blocked five times as many genuine listings as the prior. Blocking
    only scores at or above the target (a calibrated score of 0.98 or more) keeps the promised
    precision as long as the calibration holds. The achieved figures are recomputed.
    """
    positives = int(np.sum(y))
    target = float(thresholds.target_precision)
    if positives >= MIN_POSITIVES_TO_PLACE_BLOCK or thresholds.block >= target:
        return thresholds
    above = np.asarray(scores) >= target
    return dataclasses.replace(
        thresholds,
        block=target,
        method=f"{thresholds.method}; block raised to score {target:g}: the threshold split "
        f"holds {positives} infringing listings, fewer than {MIN_POSITIVES_TO_PLACE_BLOCK}",
        achieved_precision=float(np.mean(y[above])) if above.any() else 1.0,
        achieved_recall=float(np.sum(y[above]) / max(positives, 1)),
    )
