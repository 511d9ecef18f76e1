"""The compiled single-row tree path reproduces scikit-learn's scores and explains them exactly."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from cfdetect._fasttrees import CompiledForest


@pytest.fixture(scope="module")
def fitted() -> tuple[HistGradientBoostingClassifier, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.random((3000, 8))
    X[rng.random(X.shape) < 0.15] = np.nan
    y = ((np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 3]) + rng.random(3000)) > 1.5).astype(int)
    clf = HistGradientBoostingClassifier(max_iter=80, max_depth=6, random_state=0).fit(X, y)
    return clf, X


def test_raw_scores_match_sklearn(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    clf, X = fitted
    forest = CompiledForest(clf)
    expected = clf.decision_function(X[:500])
    mine = np.array([forest.raw_score(row) for row in X[:500]])
    np.testing.assert_allclose(mine, expected, rtol=0, atol=1e-9)


def test_contributions_sum_to_score(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
) -> None:
    clf, X = fitted
    forest = CompiledForest(clf)
    for row in X[:100]:
        raw, contrib = forest.contributions(row)
        assert raw == pytest.approx(forest.bias + contrib.sum(), abs=1e-9)
    # the informative features carry the largest attributions on average
    mean_abs = np.mean([np.abs(forest.contributions(r)[1]) for r in X[:300]], axis=0)
    assert set(np.argsort(-mean_abs)[:2]) == {0, 3}


def test_multiclass_is_refused() -> None:
    X = np.random.default_rng(1).random((300, 2))
    y = np.arange(300) % 3
    with pytest.raises(ValueError, match="binary"):
        CompiledForest(HistGradientBoostingClassifier(max_iter=3).fit(X, y))


def test_compiled_walk_is_the_numpy_walk(
    fitted: tuple[HistGradientBoostingClassifier, np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With numba (``cfdetect[fast]``) and without it, the same leaves and the same bits."""
    from cfdetect import _treewalk

    clf, X = fitted
    X = X[:700].copy()
    X[:5, 1] = [np.inf, -np.inf, 1e308, -1e308, np.nan]  # clipped, missing on either side
    values = np.random.default_rng(1).normal(size=len(CompiledForest(clf).value))
    results = []
    for kernels in (_treewalk.kernels(), None):
        monkeypatch.setattr(_treewalk, "_KERNELS", kernels)
        monkeypatch.setattr(_treewalk, "_LOADED", True)
        forest = CompiledForest(clf)
        results.append(
            (
                forest.leaves(X),
                np.array([forest.leaves_row(row) for row in X[:50]]),
                forest.ordered_sums(X, values),
                forest.raw_scores(X),
            )
        )
    for compiled, plain in zip(*results, strict=True):
        np.testing.assert_array_equal(compiled, plain)
    np.testing.assert_array_equal(results[0][1], results[0][0][:50])
