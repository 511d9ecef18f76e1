"""Pipeline assembly, fitting, calibration and the choice of operating thresholds.

The model is one scikit-learn ``Pipeline``:

1. ``TextNormalizer`` and ``BrandMentions`` enrich the listing frame (normalised text, the brand
   a title mentions and how);
2. a ``ColumnTransformer`` builds the feature families: text (cross-fitted character n-gram
   score, risk terms, brand mention), price against reference, seller risk, listing shape;
3. ``HistGradientBoostingClassifier`` ranks;

and is calibrated (isotonic) on a time-later split. Thresholds are chosen on a further time-later
split: ``block`` at the target precision, ``review`` so that the review band holds about
``review_capacity`` listings per day. Hold-out metrics come from the last, untouched split.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from cfdetect import _pipeline as steps
from cfdetect._comparisons import BASELINE_NUMERIC, _ablation_table, _Comparisons, baseline_pipeline
from cfdetect._holdout import (
    _calibrated_scores,
    _decision_metrics,
    _policy_decisions,
    choose_thresholds,
)
from cfdetect._ranking import calibration_curve, ranking_metrics
from cfdetect._reference import holdout_sample
from cfdetect._train_config import (
    ABLATIONS,
    FAMILIES,
    FAMILY_PREFIXES,
    TrainConfig,
    _boosting,
    _constraints,
)
from cfdetect.errors import InputError
from cfdetect.policy import (
    UNFAMILIAR_CEILING,
    Familiarity,
    Thresholds,
    admit_doubt,
    policy_card,
)
from cfdetect.schema import canonical_frame

__all__ = [
    "ABLATIONS",
    "BASELINE_NUMERIC",
    "FAMILIES",
    "FAMILY_PREFIXES",
    "TrainConfig",
    "TrainedModel",
    "baseline_pipeline",
    "build_pipeline",
    "canonical_frame",
    "choose_thresholds",
    "ranking_metrics",
    "train",
]


def build_pipeline(
    registry: str | None = None,
    families: Sequence[str] = FAMILIES,
    *,
    max_iter: int = 300,
    seed: int = 0,
    text_model: bool = True,
    prior: str | None = None,
) -> Pipeline:
    """Assemble the (unfitted) cfdetect pipeline for the given feature families.

    Examples
    --------
    >>> [name for name, _ in build_pipeline().steps]
    ['normalize', 'brands', 'features', 'classifier']
    """
    from cfdetect.features import (
        BRAND_NUMERIC_FEATURES,
        BrandMentions,
        ListingShape,
        PriceReference,
        RiskTerms,
        SellerRisk,
        TextNormalizer,
        TextRiskScore,
    )

    everything = make_column_selector(pattern=".*")
    parts: list[tuple[str, Any, Any]] = []
    if "title" in families:
        if text_model:
            parts.append(("text", TextRiskScore(random_state=seed), everything))
        parts.append(("terms", RiskTerms(), everything))
        parts.append(("brand", "passthrough", list(BRAND_NUMERIC_FEATURES)))
    if "price" in families:
        parts.append(("price", PriceReference(registry=registry), everything))
    if "seller" in families:
        parts.append(("seller", SellerRisk(registry=registry), everything))
    if "listing" in families:
        parts.append(("listing", ListingShape(), everything))
    if prior is not None:  # the prior's log-odds as a feature (issue 23's first design)
        from cfdetect.feedback._prior import PriorScore

        parts.append(("prior", PriorScore(str(prior)), everything))
    features = ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)
    classifier = _boosting(max_iter, seed)
    return Pipeline(
        [
            (steps.NORMALIZE, TextNormalizer()),
            (steps.BRANDS, BrandMentions(registry=registry)),
            (steps.FEATURES, features),
            (steps.CLASSIFIER, classifier),
        ]
    )


BASELINE_DESCRIPTIONS: dict[bool, str] = {
    False: "TfidfVectorizer(title) + median-imputed, scaled numeric columns + LogisticRegression",
    True: "TfidfVectorizer(title, 1-2 grams, sublinear) + log numeric columns + LogisticRegression",
}


@dataclass
class TrainedModel:
    """A fitted, calibrated model with its thresholds and what training measured."""

    estimator: Any
    thresholds: Thresholds
    metrics: dict[str, Any]
    ablation: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    config: TrainConfig = field(default_factory=TrainConfig)
    policy: dict[str, Any] | None = None
    reference: pd.DataFrame | None = field(default=None, repr=False)  # for the drift monitor

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of infringement for each row of a frame; a raw frame is
        validated first, as ``Scorer.score_frame`` does (``InvalidListing`` for a rejected row)."""
        from cfdetect.validate import require_valid

        return self.estimator.predict_proba(canonical_frame(require_valid(frame)))[:, 1]


def _time_splits(
    frame: pd.DataFrame, shares: Sequence[float], time_column: str
) -> list[pd.DataFrame]:
    if time_column in frame.columns and frame[time_column].notna().any():
        order = np.argsort(frame[time_column].to_numpy(dtype="datetime64[ns]"), kind="stable")
        frame = frame.iloc[order].reset_index(drop=True)
    bounds = np.round(np.cumsum([0, *shares]) * len(frame)).astype(int)
    return [frame.iloc[a:b].reset_index(drop=True) for a, b in itertools.pairwise(bounds)]


def _days_spanned(frame: pd.DataFrame, time_column: str) -> float:
    if time_column not in frame.columns or frame[time_column].isna().all():
        return 1.0
    times = pd.to_datetime(frame[time_column], utc=True)
    return max((times.max() - times.min()).total_seconds() / 86_400, 1.0)


def train(
    frame: pd.DataFrame,
    config: TrainConfig | None = None,
    *,
    registry: str | None = None,
    label_column: str = "is_counterfeit",
    time_column: str = "created_at",
    progress: Callable[[str], None] | None = None,
) -> TrainedModel:
    """Fit, calibrate and set thresholds on a labelled, canonical listing frame.

    Parameters
    ----------
    frame : DataFrame
        Validated listings with a 0/1 label column and (ideally) a submission time column.
    config : TrainConfig, optional
    registry : str, optional
        Brand registry CSV; default the shipped one.
    label_column, time_column : str
    progress : callable, optional
        Called with a short description of each stage.

    Returns
    -------
    TrainedModel

    Raises
    ------
    InputError
        When the label is missing or a split lacks one of the classes (on a prior, only the
        training split must hold both).
    """
    config = config or TrainConfig()
    say = progress or (lambda _msg: None)
    if label_column not in frame.columns:
        raise InputError(f"the training data has no label column {label_column!r}")
    labelled = frame[frame[label_column].notna()].copy()
    labelled["_y"] = labelled[label_column].astype("int64")
    if len(labelled) < 200:
        raise InputError(f"training needs at least 200 labelled rows, got {len(labelled)}")
    fit_part, calib_part, thresh_part, hold_part = _time_splits(
        labelled, config.splits, time_column
    )
    # On a prior, the calibration is shrunk towards the prior's scale and ``block`` is guarded
    # (``feedback._prior``): a few hundred own labels often leave these splits all genuine.
    checked = [("train", fit_part)]
    if config.prior is None:
        checked += [("calibration", calib_part), ("threshold", thresh_part)]
    for name, part in checked:
        if part["_y"].nunique() < 2:
            raise InputError(f"the time-ordered {name} split has only one class; need more data")

    train_split_rows = len(fit_part)
    if 0 < config.max_train_rows < len(fit_part):
        fit_part = fit_part.iloc[-config.max_train_rows :]
        if fit_part["_y"].nunique() < 2:
            raise InputError("the most recent training rows have only one class; raise the window")
    say(f"fitting on {len(fit_part):,} rows")
    fit_y = fit_part["_y"].to_numpy()
    pipeline, features, fit_X, names, familiarity, prior = _fit_pipeline(
        config, registry, fit_part, fit_y
    )
    calibrated, thresholds, metrics, ablation, policy = _calibrate_and_measure(
        config, (pipeline, features, fit_X, names, familiarity), (fit_part, fit_y),
        (calib_part, thresh_part, hold_part), time_column, say,
    )  # fmt: skip
    data = _data_summary(frame, labelled, (fit_part, calib_part, thresh_part, hold_part),
                         train_split_rows, time_column)  # fmt: skip
    if prior is not None:
        data["prior"] = prior
    reference = holdout_sample(hold_part, config.monitor_reference_rows, config.seed)
    return TrainedModel(calibrated, thresholds, metrics, ablation, data, config, policy, reference)


def _fit_pipeline(
    config: TrainConfig, registry: str | None, fit_part: pd.DataFrame, fit_y: np.ndarray
) -> tuple[Pipeline, Pipeline, Any, list[str], Familiarity, dict[str, Any] | None]:
    """Fit the pipeline on the training rows: ``(pipeline, its feature steps, training
    features, feature names, familiarity, what training on a prior fitted or None)``."""
    if config.prior is not None:  # issue 23: the prior's model plus a correction
        from cfdetect.feedback._prior import fit_pipeline_on_prior

        with threadpool_limits(limits=config.n_threads, user_api="openmp"):
            return fit_pipeline_on_prior(config, canonical_frame(fit_part), fit_y)
    pipeline = build_pipeline(
        registry,
        config.families,
        max_iter=config.max_iter,
        seed=config.seed,
        text_model=config.text_model,
    )
    features = Pipeline(pipeline.steps[:-1])  # the same (shared) step objects
    with threadpool_limits(limits=config.n_threads, user_api="openmp"):
        enriched = canonical_frame(fit_part)
        for _, step in features.steps[:-1]:  # what features.fit_transform does, step by step
            enriched = step.fit_transform(enriched, fit_y)
        fit_X = features.steps[-1][1].fit_transform(enriched, fit_y)
        names = [str(n) for n in features.get_feature_names_out()]
        if config.monotonic:
            pipeline.steps[-1][1].set_params(monotonic_cst=_constraints(names))
        pipeline.steps[-1][1].fit(fit_X, fit_y)
    brands = pipeline.named_steps[steps.BRANDS]
    familiarity = Familiarity.fit(enriched, brands._declared)
    return pipeline, features, fit_X, names, familiarity, None


def _calibrate_and_measure(
    config: TrainConfig,
    fitted: tuple[Pipeline, Pipeline, Any, list[str], Familiarity],
    training: tuple[pd.DataFrame, np.ndarray],
    later: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    time_column: str,
    say: Callable[[str], None],
) -> tuple[CalibratedClassifierCV, Thresholds, dict[str, Any], list[dict[str, Any]], Any]:
    """Calibrate, choose thresholds, measure the hold-out with and without the decision policy,
    and the comparisons (baselines, ablation): ``(calibrated, thresholds, metrics, ablation,
    policy)``."""
    pipeline, features, fit_X, names, familiarity = fitted
    fit_part, fit_y = training
    calib_part, thresh_part, hold_part = later
    brands = pipeline.named_steps[steps.BRANDS]
    hold_frame = canonical_frame(hold_part)
    comparisons = _Comparisons(config, len(fit_part))
    try:
        comparisons.start(canonical_frame(fit_part), fit_y, fit_X, hold_frame, names)

        say(f"calibrating on {len(calib_part):,} later rows")
        calibrated = CalibratedClassifierCV(FrozenEstimator(pipeline), method="isotonic")
        if config.prior is None:
            calibrated.fit(canonical_frame(calib_part), calib_part["_y"].to_numpy())
        else:  # issue 23: a small calibration split must not tie scores
            from cfdetect.feedback._prior import calibrate_increasing

            calibrate_increasing(calibrated, pipeline, fit_part, fit_X, calib_part)

        say("choosing thresholds")
        thresholds = _thresholds(config, calibrated, thresh_part, time_column)

        say(f"measuring on {len(hold_part):,} hold-out rows")
        hold_y = hold_part["_y"].to_numpy()
        hold_enriched = features.steps[1][1].transform(features.steps[0][1].transform(hold_frame))
        hold_X = np.asarray(features.steps[-1][1].transform(hold_enriched), dtype=np.float64)
        hold_scores = _calibrated_scores(calibrated, pipeline.steps[-1][1], hold_X)
        metrics = ranking_metrics(hold_y, hold_scores)
        policy = policy_card()
        calibrated.cfdetect_familiarity_ = familiarity  # in the model file: state of the policy
        calibrated.cfdetect_policy_ = policy
        say("applying the decision policy to the hold-out")
        gated, moved, unfamiliar = _policy_decisions(
            hold_scores, hold_X, hold_enriched, names, thresholds, familiarity, brands._declared
        )
        doubted = admit_doubt(hold_scores, unfamiliar, UNFAMILIAR_CEILING)
        moved["lowered_to_ceiling"] = int((doubted < hold_scores).sum())
        metrics["calibration_curve"] = calibration_curve(hold_y, doubted)
        metrics["calibration_curve_unfamiliar"] = calibration_curve(
            hold_y[unfamiliar], doubted[unfamiliar]
        )
        metrics["at_thresholds_without_policy"] = _decision_metrics(
            hold_y, thresholds.decide(hold_scores)
        )
        metrics["at_thresholds"] = _decision_metrics(hold_y, gated)
        metrics["decision_policy"] = moved
        del hold_enriched

        baseline_scores, variants = comparisons.result(say)
    finally:
        comparisons.close()
    for tuned, key in ((False, "baseline"), (True, "baseline_tuned")):
        if tuned in baseline_scores:
            metrics[key] = {
                "pipeline": BASELINE_DESCRIPTIONS[tuned],
                **ranking_metrics(hold_y, baseline_scores[tuned]),
            }
    ablation = _ablation_table(variants, np.asarray(hold_X), hold_y)
    return calibrated, thresholds, metrics, ablation, policy


def _thresholds(
    config: TrainConfig,
    calibrated: CalibratedClassifierCV,
    thresh_part: pd.DataFrame,
    time_column: str,
) -> Thresholds:
    """The operating thresholds chosen on the threshold split."""
    thresh_y = thresh_part["_y"].to_numpy()
    thresh_scores = calibrated.predict_proba(canonical_frame(thresh_part))[:, 1]
    thresholds = choose_thresholds(
        thresh_y,
        thresh_scores,
        _days_spanned(thresh_part, time_column),
        config.target_precision,
        config.review_capacity,
        config.review_min_score,
    )
    if config.prior is not None:  # a few infringing listings cannot place ``block``
        from cfdetect.feedback._prior import guard_block_threshold

        thresholds = guard_block_threshold(thresholds, thresh_y, thresh_scores)
    return thresholds


def _data_summary(
    frame: pd.DataFrame,
    labelled: pd.DataFrame,
    parts: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame],
    train_split_rows: int,
    time_column: str,
) -> dict[str, Any]:
    """The card's ``training_data``: rows, positive rate, split sizes, time span."""
    fit_part, calib_part, thresh_part, hold_part = parts
    data: dict[str, Any] = {
        "rows": len(frame),
        "labelled_rows": len(labelled),
        "positive_rate": float(labelled["_y"].mean()),
        "split_rows": {
            "train": len(fit_part),
            "train_split": train_split_rows,
            "calibration": len(calib_part),
            "threshold": len(thresh_part),
            "holdout": len(hold_part),
        },
    }
    if time_column in labelled.columns and labelled[time_column].notna().any():
        times = pd.to_datetime(labelled[time_column], utc=True)
        data["time_span"] = [times.min().isoformat(), times.max().isoformat()]
        data["holdout_from"] = pd.to_datetime(hold_part[time_column], utc=True).min().isoformat()
    return data
