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
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from cfdetect import _pipeline as steps
from cfdetect._holdout import (
    _calibrated_scores,
    _decision_metrics,
    _policy_decisions,
    choose_thresholds,
)
from cfdetect._ranking import calibration_curve, ranking_metrics
from cfdetect.errors import InputError, UsageError
from cfdetect.policy import (
    UNFAMILIAR_CEILING,
    Familiarity,
    Thresholds,
    admit_doubt,
    policy_card,
)
from cfdetect.schema import canonical_frame

FAMILIES: tuple[str, ...] = ("title", "price", "seller", "listing")
ABLATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("title only", ("title",)),
    ("+ price", ("title", "price")),
    ("+ seller", ("title", "price", "seller")),
    ("all", FAMILIES),
)
BASELINE_NUMERIC: tuple[str, ...] = (
    "price",
    "seller_age_days",
    "seller_rating",
    "seller_n_ratings",
    "seller_n_listings",
    "seller_n_takedowns",
)


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run.

    Parameters
    ----------
    target_precision : float
        Precision the ``block`` threshold must reach on the threshold split.
    review_capacity : int
        Listings reviewers can work per day; sizes the ``review`` band.
    seed : int
    splits : tuple of float
        Time-ordered shares of train, calibration, threshold and hold-out rows.
    families : tuple of str
        Feature families to use (see ``FAMILIES``).
    ablation : bool
        Also train the ablation variants (title only, + price, + seller, all).
    ablation_rows : int
        Training rows used by each ablation variant (a random sample of the training split).
    baseline : bool
        Also fit the plain baseline (``baseline_pipeline``) and measure it on the hold-out.
    max_iter : int
        Boosting iterations.
    text_model : bool
        Include the learned character n-gram text score (``TextRiskScore``). Off for models
        trained on simulated listings: a text model learns the simulator's vocabulary, and the
        shipped model flagged real retail titles for it (see ``docs/model.md``); on a
        marketplace's own labelled history it learns the real one.
    max_train_rows : int
        Fit on at most this many of the most recent rows of the training split (0: all). Recent
        listings teach the current tactics best, and the window keeps training on a million
        listings within minutes; the card records the rows used.
    n_threads : int
        OpenMP threads of the gradient boosting fit. 1 by default: on this project's 2-core
        machine, shared with other work, two threads ran the fit 8x slower than one (OpenMP
        spin-waits on busy cores) and gained only 1.25x when the machine was idle.
    review_min_score : float
        Lowest calibrated score worth a reviewer's time: the ``review`` band never reaches below
        it, even when capacity is left: a queue where fewer than one listing in five infringes
        wastes reviewers' time (listings under a 20% chance of infringing are allowed).
    monotonic : bool
        Constrain the boosting with the directions known a priori
        (``cfdetect.constraints.MONOTONIC``): more takedowns never lower the score, an older or
        better rated seller never raises it, and so on.
    side_process_rows : int
        When the training window holds at least this many rows (0: never), the comparison
        models (both baselines and the ablation variants) are fitted in a second process while
        this one calibrates, chooses thresholds and measures the hold-out: they use the second
        core. The results are the same either way; the second process holds a copy of the
        training window and its features while it runs.
    prior : str, optional
        A prior model directory (``"default"``: the shipped model) to start from: its features
        and trees are kept, its log-odds rescaled and corrected by a few monotone-constrained
        trees learned from these labels, and calibrated strictly increasing
        (``cfdetect.feedback._prior``, issue 23). ``families`` and ``text_model`` then do not
        apply (the prior's features are kept).
    """

    target_precision: float = 0.98
    review_capacity: int = 200
    seed: int = 0
    splits: tuple[float, float, float, float] = (0.7, 0.1, 0.1, 0.1)
    families: tuple[str, ...] = FAMILIES
    ablation: bool = True
    ablation_rows: int = 50_000
    baseline: bool = True
    max_iter: int = 300
    review_min_score: float = 0.2
    n_threads: int = 1
    max_train_rows: int = 200_000
    text_model: bool = True
    side_process_rows: int = 50_000
    monotonic: bool = True
    prior: str | None = None

    def __post_init__(self) -> None:
        if self.max_train_rows < 0:
            raise UsageError(f"max_train_rows must be >= 0, got {self.max_train_rows}")
        if self.side_process_rows < 0:
            raise UsageError(f"side_process_rows must be >= 0, got {self.side_process_rows}")
        if self.n_threads < 1:
            raise UsageError(f"n_threads must be at least 1, got {self.n_threads}")
        if not 0 <= self.review_min_score <= 1:
            raise UsageError(f"review min score must be in [0, 1], got {self.review_min_score}")
        if not 0.5 <= self.target_precision < 1:
            raise UsageError(f"target precision must be in [0.5, 1), got {self.target_precision}")
        if self.review_capacity < 0:
            raise UsageError("review capacity must be >= 0 listings per day")
        if len(self.splits) != 4 or abs(sum(self.splits) - 1) > 1e-9 or min(self.splits) <= 0:
            raise UsageError("splits must be four positive shares summing to 1")
        unknown = set(self.families) - set(FAMILIES)
        if unknown or not self.families:
            raise UsageError(f"families must be among {', '.join(FAMILIES)}")


# Feature-name prefixes (ColumnTransformer part names) of each family.
FAMILY_PREFIXES: dict[str, tuple[str, ...]] = {
    "title": ("text__", "terms__", "brand__"),
    "price": ("price__",),
    "seller": ("seller__",),
    "listing": ("listing__",),
}


def _boosting(
    max_iter: int, seed: int, monotonic: Sequence[int] | None = None
) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        monotonic_cst=list(monotonic) if monotonic is not None and any(monotonic) else None,
        max_iter=max_iter,
        learning_rate=0.08,
        max_leaf_nodes=31,
        max_depth=8,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )


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


def _log_numeric(values: Any) -> np.ndarray:
    frame = pd.DataFrame(values).astype("float64")
    return np.log1p(frame.clip(lower=0).fillna(0.0)).to_numpy()


def baseline_pipeline(seed: int = 0, *, tuned: bool = False) -> Pipeline:
    """The plain scikit-learn baseline a user would write first (DESIGN.md).

    ``TfidfVectorizer`` on the title, the numeric columns (median-imputed, scaled) and a
    ``LogisticRegression``, in one ``Pipeline`` over the canonical frame. ``tuned=True`` gives a
    stronger variant a careful user might reach after some work (word bigrams, sublinear tf,
    log-scaled numeric columns, weaker regularisation); cards report both.

    Examples
    --------
    >>> baseline_pipeline().steps[-1][0]
    'classifier'
    """
    numeric = list(BASELINE_NUMERIC)
    if tuned:
        text = TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True)
        scale = Pipeline(
            [
                ("log", FunctionTransformer(_log_numeric, feature_names_out="one-to-one")),
                ("scale", StandardScaler()),
            ]
        )
        classifier = LogisticRegression(max_iter=1000, C=4.0, random_state=seed)
    else:
        text = TfidfVectorizer()
        scale = Pipeline(
            [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
        )
        classifier = LogisticRegression(max_iter=1000, random_state=seed)
    features = ColumnTransformer([("title", text, "title"), ("numeric", scale, numeric)])
    return Pipeline([(steps.FEATURES, features), (steps.CLASSIFIER, classifier)])


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
        When the label is missing or a split lacks one of the classes.
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
    for name, part in (
        ("train", fit_part),
        ("calibration", calib_part),
        ("threshold", thresh_part),
    ):
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
    return TrainedModel(calibrated, thresholds, metrics, ablation, data, config, policy)


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
        calibrated.fit(canonical_frame(calib_part), calib_part["_y"].to_numpy())
        if config.prior is not None:  # issue 23: a small calibration split must not tie scores
            from cfdetect.feedback._prior import calibrate_increasing

            calibrate_increasing(calibrated, pipeline, fit_X, calib_part)

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


def _constraints(names: Sequence[str]) -> list[int] | None:
    """``monotonic_cst`` for these feature names (None when no feature is constrained)."""
    from cfdetect.constraints import monotonic_cst

    cst = monotonic_cst(names)
    return cst if any(cst) else None


@dataclass
class _Variant:
    """One fitted ablation variant: its families, the feature columns it saw, the model."""

    name: str
    families: tuple[str, ...]
    columns: list[int]
    train_rows: int
    model: HistGradientBoostingClassifier


class _Comparisons:
    """The baselines and the ablation fits of one training run, in a second process or here.

    ``start`` hands the work to a spawned process when the training window is large enough
    (``TrainConfig.side_process_rows``); ``result`` returns the baselines' hold-out scores and
    the fitted ablation variants, computing them here when no process ran or it broke.
    ``close`` stops the process (at once, when training failed or was interrupted).
    """

    def __init__(self, config: TrainConfig, window_rows: int) -> None:
        self.config = config
        rows = config.side_process_rows
        wanted = config.baseline or config.ablation
        self.parallel = wanted and rows > 0 and window_rows >= rows
        self.pool: Any = None
        self.future: Any = None
        self.args: tuple[Any, ...] = ()

    def start(
        self,
        fit_frame: pd.DataFrame,
        fit_y: np.ndarray,
        fit_X: Any,
        hold_frame: pd.DataFrame,
        names: list[str],
    ) -> None:
        self.args = (fit_frame, fit_y, np.asarray(fit_X), hold_frame, names, self.config)
        if self.parallel:
            from cfdetect._processes import exit_with_parent, worker_pool

            self.pool = worker_pool(1, initializer=exit_with_parent)
            self.future = self.pool.submit(_fit_comparisons, *self.args)

    def result(self, say: Callable[[str], None]) -> tuple[dict[bool, np.ndarray], list[_Variant]]:
        if self.future is not None:
            from concurrent.futures.process import BrokenProcessPool

            say("waiting for the baselines and the ablation (fitted in a second process)")
            try:
                return self.future.result()
            except BrokenProcessPool:
                # the process could not start or died (a script importing cfdetect without an
                # ``if __name__ == "__main__":`` guard, memory): do the same work here
                say("the second process stopped; fitting the baselines and the ablation here")
        if self.config.baseline or self.config.ablation:
            say("fitting the baselines and the ablation variants for comparison")
        return _fit_comparisons(*self.args)

    def close(self) -> None:
        if self.pool is not None:
            from cfdetect._processes import stop_pool

            stop_pool(self.pool)
            self.pool = None


def _fit_comparisons(
    fit_frame: pd.DataFrame,
    fit_y: np.ndarray,
    fit_X: np.ndarray,
    hold_frame: pd.DataFrame,
    names: list[str],
    config: TrainConfig,
) -> tuple[dict[bool, np.ndarray], list[_Variant]]:
    """Fit both baselines on the training window and score the hold-out with them; fit the
    boosting of each ablation variant on its families' columns of a random sample of
    ``ablation_rows`` training rows.

    The feature steps are the final model's (fitted on the training window; the text score is
    cross-fitted there), so the variants differ only in the columns they see.
    """
    baseline_scores: dict[bool, np.ndarray] = {}
    if config.baseline:
        for tuned in (False, True):
            baseline = baseline_pipeline(config.seed, tuned=tuned).fit(fit_frame, fit_y)
            baseline_scores[tuned] = baseline.predict_proba(hold_frame)[:, 1]
    variants: list[_Variant] = []
    if not config.ablation:
        return baseline_scores, variants
    sample = np.arange(len(fit_y))
    if len(sample) > config.ablation_rows:
        rng = np.random.default_rng(config.seed)
        sample = np.sort(rng.choice(len(fit_y), config.ablation_rows, replace=False))
    for name, families in ABLATIONS:
        prefixes = tuple(p for f in families for p in FAMILY_PREFIXES[f])
        columns = [i for i, n in enumerate(names) if n.startswith(prefixes)]
        if not columns:
            continue
        cst = _constraints([names[i] for i in columns]) if config.monotonic else None
        model = _boosting(config.max_iter, config.seed, cst)
        with threadpool_limits(limits=config.n_threads, user_api="openmp"):
            model.fit(fit_X[np.ix_(sample, columns)], fit_y[sample])
        variants.append(_Variant(name, families, columns, len(sample), model))
    return baseline_scores, variants


def _ablation_table(
    variants: list[_Variant], hold_X: np.ndarray, hold_y: np.ndarray
) -> list[dict[str, Any]]:
    """The card's ablation table: each fitted variant measured on the whole hold-out."""
    rows = []
    for variant in variants:
        scores = variant.model.predict_proba(hold_X[:, variant.columns])[:, 1]
        metrics = ranking_metrics(hold_y, scores)
        rows.append(
            {
                "variant": variant.name,
                "families": list(variant.families),
                "train_rows": variant.train_rows,
                "pr_auc": metrics.get("pr_auc"),
                "recall_at_98_precision": metrics.get("recall_at_98_precision"),
            }
        )
    return rows
