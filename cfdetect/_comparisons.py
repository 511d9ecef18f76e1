"""What a trained model is compared with on its hold-out: the plain and the tuned scikit-learn
baselines, and the ablation of the feature families (fitted here or in a second process)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from cfdetect import _pipeline as steps
from cfdetect._ranking import ranking_metrics
from cfdetect._train_config import ABLATIONS, FAMILY_PREFIXES, TrainConfig, _boosting, _constraints

BASELINE_NUMERIC: tuple[str, ...] = (
    "price",
    "seller_age_days",
    "seller_rating",
    "seller_n_ratings",
    "seller_n_listings",
    "seller_n_takedowns",
)


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
