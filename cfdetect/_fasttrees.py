"""Evaluation of a fitted HistGradientBoostingClassifier from its own trees, one row or many.

``predict_proba`` on one row costs about a millisecond in scikit-learn (validation, thread pool
start-up). ``CompiledForest`` lays the fitted trees' nodes out once as flat arrays and walks all
trees together, one level per numpy step, for one row or a block of rows. It reads the
estimator's fitted state; it does not re-implement training, and it refuses models it cannot
reproduce exactly (categorical splits, multi-class).

Layout: each tree is renumbered breadth first so that a node's right child directly follows its
left child (``child = left + go_right``), and a leaf is its own left child, so every row can take
``depth`` steps whatever the depth of its leaf. A missing value goes the way the node's
``missing_go_to_left`` says: each row is given as ``[row with NaN = -inf, row with NaN = +inf]``
and a node reads the first half when missing values go left, the second when they go right, and
sends the row right when the value is above the threshold. Thresholds of ``+inf`` (all
non-missing values go left) become the largest float, and infinite inputs are clipped to it.
Many nodes share a split (the same column and threshold): for one row, ``leaves_row`` decides
each distinct split once and the walk then only looks the answers up.

Explanations follow each tree's decision path (Saabas): moving from a node to its child adds the
change in the expected tree output (training-count weighted) to the node's split feature. They
depend only on the leaf a row reaches, so ``table`` precomputes them per leaf, optionally summed
into groups of features; the contributions of a row are then the sum of its leaves' rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cfdetect._treewalk import kernels

if TYPE_CHECKING:
    from sklearn.ensemble import HistGradientBoostingClassifier

_BIG = np.finfo(np.float64).max
_BLOCK = 256  # rows walked at once by the batch methods (keeps the working set in cache)


class CompiledForest:
    """The fitted trees of a binary ``HistGradientBoostingClassifier`` as flat arrays.

    Parameters
    ----------
    classifier : HistGradientBoostingClassifier
        Fitted, binary, without categorical splits.

    Attributes
    ----------
    feature : ndarray of intp
        Split feature of each node (0 for leaves).
    threshold : ndarray of float64
        Split threshold of each node (``+inf`` for leaves).
    missing_left : ndarray of bool
        Whether missing values go left at each node.
    left : ndarray of intp
        Left child of each node; the right child is ``left + 1``; a leaf is its own left child.
    value : ndarray of float64
        Leaf values (raw log-odds contributions).
    expected : ndarray of float64
        Training-count weighted mean leaf value below each node.
    is_leaf : ndarray of bool
    roots : ndarray of intp
        The root node of each tree.
    depth : int
        Largest tree depth.
    baseline : float
        The model's baseline log-odds.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((500, 3)); y = (X[:, 0] > 0.5).astype(int)
    >>> clf = HistGradientBoostingClassifier(max_iter=20).fit(X, y)
    >>> forest = CompiledForest(clf)
    >>> bool(np.isclose(forest.raw_score(X[0]), clf.decision_function(X[:1])[0]))
    True
    >>> bool(np.allclose(forest.raw_scores(X), clf.decision_function(X)))
    True
    """

    def __init__(self, classifier: HistGradientBoostingClassifier) -> None:
        predictors = classifier._predictors
        if any(len(per_iter) != 1 for per_iter in predictors):
            raise ValueError("only binary classifiers can be compiled")
        trees = [per_iter[0].nodes for per_iter in predictors]
        if any(n["is_categorical"].any() for n in trees):
            raise ValueError("categorical splits are not supported by the compiled path")
        self.n_features = int(classifier.n_features_in_)
        parts, roots, offset = [], [], 0
        for nodes in trees:
            order = _breadth_first(nodes)
            position = np.empty(len(nodes), dtype=np.intp)
            position[order] = np.arange(len(nodes))
            tree = nodes[order]
            leaf = tree["is_leaf"].astype(bool)
            own = np.arange(len(tree), dtype=np.intp)
            left = np.where(leaf, own, position[np.where(leaf, 0, tree["left"]).astype(np.intp)])
            parts.append((tree, leaf, left + offset))
            roots.append(offset)
            offset += len(tree)
        stacked = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, trees_dtype())
        self.is_leaf = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, bool)
        self.left = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.intp)
        leaf = self.is_leaf
        self.feature = np.where(leaf, 0, stacked["feature_idx"]).astype(np.intp)
        self.threshold = np.where(leaf, np.inf, stacked["num_threshold"]).astype(np.float64)
        self.missing_left = stacked["missing_go_to_left"].astype(bool) & ~leaf
        self.value = stacked["value"].astype(np.float64)
        self.roots = np.asarray(roots, dtype=np.intp)
        self.expected = _expected_values(
            self.value, self.left, stacked["count"].astype(np.float64), leaf
        )
        self.depth = int(max(p[0].get_max_depth() for p in predictors)) if predictors else 0
        self.baseline = float(np.ravel(classifier._baseline_prediction)[0])
        # what a node compares: its column of the two-sided row, its threshold (leaves: never)
        self._column = self.feature + np.where(self.missing_left | leaf, 0, self.n_features)
        self._cut = np.where(np.isposinf(self.threshold) & ~leaf, _BIG, self.threshold)
        # one row: each distinct (column, cut) split is decided once, then looked up per node
        splits, split = np.unique(np.rec.fromarrays([self._column, self._cut]), return_inverse=True)
        self._split = np.asarray(split, dtype=np.intp).reshape(-1)
        self._split_column = np.ascontiguousarray(splits["f0"], dtype=np.intp)
        self._split_cut = np.ascontiguousarray(splits["f1"], dtype=np.float64)
        self._missing = np.repeat([-np.inf, np.inf], self.n_features)
        self._clip_low = bool(np.isneginf(self._split_cut).any())
        self._root_left = self.left[self.roots]
        self._root_split = self._split[self.roots]
        kernels()  # numba's import and cached machine code now, not in the first call's latency

    # -- walking ------------------------------------------------------------------------------

    def _sides(self, X: np.ndarray) -> np.ndarray:
        """``[X with NaN = -inf, X with NaN = +inf]`` along the last axis (infinities clipped)."""
        X = np.asarray(X, dtype=np.float64)
        clipped = np.minimum(np.maximum(X, -_BIG), _BIG)  # NaN stays NaN
        missing = np.isnan(X)
        return np.concatenate(
            (np.where(missing, -np.inf, clipped), np.where(missing, np.inf, clipped)), axis=-1
        )

    def _sides_row(self, row: np.ndarray) -> np.ndarray:
        """``_sides`` of one row, with fewer numpy calls.

        Clipping ``-inf`` to ``-_BIG`` changes no comparison unless a cut is ``-inf``, so it is
        skipped for forests without one (``_clip_low``).
        """
        clipped = np.minimum(row, _BIG)  # NaN stays NaN
        if self._clip_low:
            np.maximum(clipped, -_BIG, out=clipped)
        sides = np.concatenate((clipped, clipped))
        np.copyto(sides, self._missing, where=np.isnan(sides))
        return sides

    def leaves_row(self, row: np.ndarray) -> np.ndarray:
        """The leaf (node index) each tree sends one feature row to.

        The row's side of every distinct split is decided up front (a few thousand
        comparisons in one numpy call), so each level of the walk is three lookups and an add
        (the first level one lookup: the roots' children and splits are known).
        """
        row = np.asarray(row, dtype=np.float64)
        compiled = kernels()
        if compiled is not None and self.depth:
            out = np.empty((1, len(self.roots)), dtype=np.intp)
            compiled.walk(np.ascontiguousarray(row)[None, :], *self._walk_args(), out)
            return out[0]
        goes_right = self._sides_row(row)[self._split_column] > self._split_cut
        if not self.depth:
            return self.roots.copy()
        split, left = self._split, self.left
        node = self._root_left + goes_right[self._root_split]  # the first level: known nodes
        for _ in range(self.depth - 1):
            node = left[node] + goes_right[split[node]]
        return node

    def leaves(self, X: np.ndarray) -> np.ndarray:
        """The leaf of every tree for each row of ``X``: an ``(n_rows, n_trees)`` array."""
        X = np.asarray(X, dtype=np.float64)
        out = np.empty((len(X), len(self.roots)), dtype=np.intp)
        compiled = kernels()
        if compiled is not None and X.ndim == 2 and len(X):
            compiled.walk(np.ascontiguousarray(X), *self._walk_args(), out)
            return out
        column, cut, left = self._column, self._cut, self.left
        for lo in range(0, len(X), _BLOCK):
            sides = self._sides(X[lo : lo + _BLOCK])
            offsets = (np.arange(len(sides), dtype=np.intp) * sides.shape[1])[:, None]
            flat = sides.ravel()
            node = np.broadcast_to(self.roots, (len(sides), len(self.roots))).copy()
            for _ in range(self.depth):
                node = left[node] + (flat[column[node] + offsets] > cut[node])
            out[lo : lo + len(sides)] = node
        return out

    def _walk_args(self) -> tuple:
        """The arrays the compiled walk reads (``_treewalk``)."""
        args = self.__dict__.get("_walk_arrays")
        if args is None:  # forests pickled before the compiled walk existed build them here
            args = self.__dict__["_walk_arrays"] = (
                np.ascontiguousarray(self._column, dtype=np.intp),
                np.ascontiguousarray(self._cut, dtype=np.float64),
                np.ascontiguousarray(self.left, dtype=np.intp),
                np.ascontiguousarray(self.roots, dtype=np.intp),
                int(self.depth),
                int(self.n_features),
            )
        return args

    def ordered_sums(self, X: np.ndarray, values: np.ndarray) -> np.ndarray:
        """For each row of ``X``, ``values`` of its leaves added one tree at a time, in tree
        order, starting from 0.0 (the same additions, so the same bits, with or without numba)."""
        X = np.asarray(X, dtype=np.float64)
        out = np.zeros(len(X), dtype=np.float64)
        compiled = kernels()
        if compiled is not None and len(X):
            values = np.ascontiguousarray(values, dtype=np.float64)
            compiled.walk_sum(np.ascontiguousarray(X), *self._walk_args(), values, out)
            return out
        for lo in range(0, len(X), _BLOCK):
            leaves = values[self.leaves(X[lo : lo + _BLOCK]).T]
            total = np.zeros(leaves.shape[1], dtype=np.float64)
            for tree in leaves:  # one tree at a time: numpy's own sum would pair them up
                total += tree
            out[lo : lo + len(total)] = total
        return out

    # -- scores and explanations --------------------------------------------------------------

    def raw_score(self, row: np.ndarray) -> float:
        """Return the decision function (log-odds) for one feature row."""
        return self.baseline + float(self.value[self.leaves_row(row)].sum())

    def raw_scores(self, X: np.ndarray) -> np.ndarray:
        """Return the decision function (log-odds) for each row of ``X``."""
        return self.baseline + self.value[self.leaves(X)].sum(axis=1)

    def contributions(self, row: np.ndarray) -> tuple[float, np.ndarray]:
        """Return (raw score, per-feature contributions) for one row.

        Contributions follow each tree's decision path: moving from a node to its child adds the
        change in the expected tree output (training-count weighted) to the node's split feature
        (Saabas' path attribution). ``raw score == baseline + sum(expected at roots) +
        contributions.sum()`` exactly, so the contributions explain the model's own score.
        """
        sides = self._sides(row)
        column, cut, left = self._column, self._cut, self.left
        path = np.empty((self.depth + 1, len(self.roots)), dtype=np.intp)
        path[0] = node = self.roots
        for level in range(self.depth):
            node = path[level + 1] = left[node] + (sides[column[node]] > cut[node])
        parents = path[:-1]
        deltas = self.expected[path[1:]] - self.expected[parents]  # 0 once at a leaf
        contrib = np.bincount(
            self.feature[parents].ravel(), weights=deltas.ravel(), minlength=self.n_features
        )
        return self.baseline + float(self.value[node].sum()), contrib.astype(np.float64)

    def table(self, groups: np.ndarray | None = None, n_groups: int | None = None) -> np.ndarray:
        """Per-node table ``[value, contributions...]`` for explaining rows from their leaves.

        Row ``i`` holds, for a leaf ``i``, its value and the Saabas contributions of the path
        from the root to it, summed per group of features (``groups[feature]``; default one
        group per feature); rows of inner nodes hold their partial path. Summing the rows of
        the leaves a feature row reaches gives its raw score minus ``baseline`` and its
        contributions (see ``explain``).

        Parameters
        ----------
        groups : ndarray of int, optional
            Group of each feature.
        n_groups : int, optional
            Number of groups (default ``groups.max() + 1``).

        Returns
        -------
        ndarray of shape (n_nodes, 1 + n_groups)
        """
        if groups is None:
            groups = np.arange(self.n_features)
        groups = np.asarray(groups, dtype=np.intp)
        k = int(n_groups if n_groups is not None else (groups.max() + 1 if len(groups) else 0))
        out = np.zeros((len(self.value), 1 + k), dtype=np.float64)
        out[self.is_leaf, 0] = self.value[self.is_leaf]
        inner = np.flatnonzero(~self.is_leaf)
        # breadth-first numbering: parents come before their children
        for parent in inner:
            for child in (self.left[parent], self.left[parent] + 1):
                out[child, 1:] = out[parent, 1:]
                out[child, 1 + groups[self.feature[parent]]] += (
                    self.expected[child] - self.expected[parent]
                )
        return out

    def explain(self, X: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw scores and grouped contributions of rows, from a ``table`` of this forest.

        Returns
        -------
        raw : ndarray of shape (n_rows,)
        contributions : ndarray of shape (n_rows, table.shape[1] - 1)
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            sums = table[self.leaves_row(X)].sum(axis=0)
            return np.array([self.baseline + sums[0]]), sums[None, 1:]
        sums = np.empty((len(X), table.shape[1]), dtype=np.float64)
        for lo in range(0, len(X), _BLOCK):
            sums[lo : lo + _BLOCK] = table[self.leaves(X[lo : lo + _BLOCK])].sum(axis=1)
        return self.baseline + sums[:, 0], sums[:, 1:]

    @property
    def bias(self) -> float:
        """The score of a row that moves no tree from its root's expectation."""
        return self.baseline + float(self.expected[self.roots].sum())


def trees_dtype() -> np.dtype:
    """The node dtype of scikit-learn's tree predictors."""
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

    return np.dtype(PREDICTOR_RECORD_DTYPE)


def _breadth_first(nodes: np.ndarray) -> np.ndarray:
    """Node indices of one tree in breadth-first order (each left child before its right)."""
    order = [0]
    leaf, left, right = nodes["is_leaf"], nodes["left"], nodes["right"]
    i = 0
    while i < len(order):
        node = order[i]
        if not leaf[node]:
            order.append(int(left[node]))
            order.append(int(right[node]))
        i += 1
    if len(order) != len(nodes):
        raise ValueError("a tree has unreachable nodes; it cannot be compiled")
    return np.asarray(order, dtype=np.intp)


def _expected_values(
    value: np.ndarray, left: np.ndarray, count: np.ndarray, leaf: np.ndarray
) -> np.ndarray:
    """Training-count weighted mean leaf value below every node (children follow parents)."""
    expected = value.astype(np.float64).copy()
    weight = count.astype(np.float64)
    for i in range(len(value) - 1, -1, -1):
        if not leaf[i]:
            lo, hi = left[i], left[i] + 1
            lw, rw = weight[lo], weight[hi]
            total = lw + rw
            expected[i] = (lw * expected[lo] + rw * expected[hi]) / total if total else 0.0
    return expected
