"""Training on a prior: a small own-labelled set combined with a trained model's knowledge.

``cfdetect train OWN --prior models/default`` adds the prior model's log-odds as one more feature,
``prior__prior_logit`` (:class:`PriorScore`), constrained increasing (``cfdetect.constraints``):
a new model learns from the platform's own labels where the prior is right and where it is not,
and starts from everything the prior learned. The other features, the monotonic constraints,
the calibration, the thresholds and the evidence-gated decision policy are those of any
``cfdetect train``. ``benchmarks/prior_check.py`` measured this against prior-sampled
pseudo-labels (its ``pseudo_labelled``) and both together (``docs/model.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

PRIOR_FEATURE = "prior_logit"


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


def boosting_params(n_rows: int, max_iter: int) -> dict[str, float | int]:
    """Gradient boosting settings when training on a prior with ``n_rows`` own training rows.

    The prior's log-odds carries most of what a small set can say, so the boosting takes fewer,
    slower steps with smaller leaves (measured in ``benchmarks/prior_check.py``): on 1,400
    training rows the defaults (300 steps at 0.08) overfit the other features and ranked the
    shifted world's test set worse than the prior alone.
    """
    if n_rows >= 20_000:
        return {}
    return {
        "max_iter": int(min(max_iter, max(40, n_rows // 25))),
        "learning_rate": 0.05,
        "min_samples_leaf": 20,
    }
