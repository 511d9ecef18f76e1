"""Single-row evaluation of a fitted HistGradientBoostingClassifier, reading its own trees.

``predict_proba`` on one row costs about a millisecond in scikit-learn (validation, thread pool
start-up). ``CompiledForest`` flattens the fitted trees' node arrays once and walks all trees
together, one level per numpy step, which gives the same raw score for one row in tens of
microseconds. It reads the estimator's fitted state; it does not re-implement training, and it
refuses models it cannot reproduce exactly (categorical splits, multi-class).
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier


class CompiledForest:
    """The fitted trees of a binary ``HistGradientBoostingClassifier`` as flat arrays.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((500, 3)); y = (X[:, 0] > 0.5).astype(int)
    >>> clf = HistGradientBoostingClassifier(max_iter=20).fit(X, y)
    >>> forest = CompiledForest(clf)
    >>> bool(np.isclose(forest.raw_score(X[0]), clf.decision_function(X[:1])[0]))
    True
    """

    def __init__(self, classifier: HistGradientBoostingClassifier) -> None:
        predictors = classifier._predictors
        if any(len(per_iter) != 1 for per_iter in predictors):
            raise ValueError("only binary classifiers can be compiled")
        nodes = [per_iter[0].nodes for per_iter in predictors]
        if any(n["is_categorical"].any() for n in nodes):
            raise ValueError("categorical splits are not supported by the compiled path")
        offsets = np.cumsum([0] + [len(n) for n in nodes[:-1]]).astype(np.int64)
        stacked = np.concatenate(nodes)
        tree_of_node = np.repeat(offsets, [len(n) for n in nodes])
        leaf = stacked["is_leaf"].astype(bool)
        index = np.arange(len(stacked), dtype=np.int64)
        self.feature = stacked["feature_idx"].astype(np.int64)
        self.threshold = stacked["num_threshold"].astype(np.float64)
        self.missing_left = stacked["missing_go_to_left"].astype(bool)
        self.left = np.where(leaf, index, stacked["left"].astype(np.int64) + tree_of_node)
        self.right = np.where(leaf, index, stacked["right"].astype(np.int64) + tree_of_node)
        self.value = stacked["value"].astype(np.float64)
        self.roots = offsets
        self.expected = _expected_values(self.value, self.left, self.right, stacked["count"], leaf)
        self.n_features = int(classifier.n_features_in_)
        self.depth = int(max(p[0].get_max_depth() for p in predictors)) if predictors else 0
        self.baseline = float(np.ravel(classifier._baseline_prediction)[0])

    def raw_score(self, row: np.ndarray) -> float:
        """Return the decision function (log-odds) for one feature row."""
        node = self.roots
        for _ in range(self.depth):
            x = row[self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(go_left, self.left[node], self.right[node])
        return self.baseline + float(self.value[node].sum())

    def contributions(self, row: np.ndarray) -> tuple[float, np.ndarray]:
        """Return (raw score, per-feature contributions) for one row.

        Contributions follow each tree's decision path: moving from a node to its child adds the
        change in the expected tree output (training-count weighted) to the node's split feature
        (Saabas' path attribution). ``raw score == baseline + sum(expected at roots) +
        contributions.sum()`` exactly, so the contributions explain the model's own score.
        """
        node = self.roots
        features, deltas = [], []
        for _ in range(self.depth):
            x = row[self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            child = np.where(go_left, self.left[node], self.right[node])
            features.append(self.feature[node])
            deltas.append(self.expected[child] - self.expected[node])
            node = child
        contrib = np.bincount(
            np.concatenate(features) if features else np.zeros(0, np.int64),
            weights=np.concatenate(deltas) if deltas else None,
            minlength=self.n_features,
        )
        return self.baseline + float(self.value[node].sum()), contrib.astype(np.float64)

    @property
    def bias(self) -> float:
        """The score of a row that moves no tree from its root's expectation."""
        return self.baseline + float(self.expected[self.roots].sum())


def _expected_values(
    value: np.ndarray, left: np.ndarray, right: np.ndarray, count: np.ndarray, leaf: np.ndarray
) -> np.ndarray:
    """Training-count weighted mean leaf value below every node (children follow parents)."""
    expected = value.astype(np.float64).copy()
    weight = count.astype(np.float64)
    for i in range(len(value) - 1, -1, -1):
        if not leaf[i]:
            lw, rw = weight[left[i]], weight[right[i]]
            total = lw + rw
            expected[i] = (
                (lw * expected[left[i]] + rw * expected[right[i]]) / total if total else 0.0
            )
    return expected
