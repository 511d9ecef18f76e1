"""Settings of a training run: ``TrainConfig``, the feature families and the boosting's
hyperparameters (shared by the final model, the ablation variants and training on a prior)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.ensemble import HistGradientBoostingClassifier

from cfdetect.errors import UsageError

FAMILIES: tuple[str, ...] = ("title", "price", "seller", "listing")


ABLATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("title only", ("title",)),
    ("+ price", ("title", "price")),
    ("+ seller", ("title", "price", "seller")),
    ("all", FAMILIES),
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
    monitor_reference_rows : int
        Hold-out listings written to the model directory as the drift monitor's reference
        (``reference.parquet``, ``cfdetect._reference``); 0 writes none.
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
    monitor_reference_rows: int = 20_000

    def __post_init__(self) -> None:
        if self.max_train_rows < 0:
            raise UsageError(f"max_train_rows must be >= 0, got {self.max_train_rows}")
        if self.side_process_rows < 0:
            raise UsageError(f"side_process_rows must be >= 0, got {self.side_process_rows}")
        if self.monitor_reference_rows < 0:
            raise UsageError(
                f"monitor_reference_rows must be >= 0, got {self.monitor_reference_rows}"
            )
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


def _constraints(names: Sequence[str]) -> list[int] | None:
    """``monotonic_cst`` for these feature names (None when no feature is constrained)."""
    from cfdetect.constraints import monotonic_cst

    cst = monotonic_cst(names)
    return cst if any(cst) else None
