"""The numba kernels of ``_treewalk`` (imported only when numba is installed).

Top-level functions, so that numba's on-disk cache (``cache=True``) finds them again in the next
process: a first run compiles for a few seconds, later runs load the machine code.
"""

from __future__ import annotations

import numba
import numpy as np

_BIG = np.finfo(np.float64).max


@numba.njit(cache=True, nogil=True, boundscheck=False, error_model="numpy")
def _row(x, sides, nodes, column, cut, left, roots, depth, n_features):  # type: ignore[no-untyped-def]
    # the row's two sides: missing values below every cut (go left) or above every one
    for j in range(n_features):
        v = x[j]
        if v != v:
            sides[j] = -np.inf
            sides[j + n_features] = np.inf
        else:
            v = min(max(v, -_BIG), _BIG)
            sides[j] = v
            sides[j + n_features] = v
    for t in range(roots.shape[0]):
        nodes[t] = roots[t]
    # every tree one level at a time (a leaf is its own left child): independent steps
    for _ in range(depth):
        for t in range(nodes.shape[0]):
            node = nodes[t]
            nodes[t] = left[node] + (sides[column[node]] > cut[node])


@numba.njit(cache=True, nogil=True, boundscheck=False, error_model="numpy")
def walk(X, column, cut, left, roots, depth, n_features, out):  # type: ignore[no-untyped-def]
    """The leaf of every tree for each row of ``X`` into ``out`` (n_rows, n_trees)."""
    sides = np.empty(2 * n_features, dtype=np.float64)
    for r in range(X.shape[0]):
        _row(X[r], sides, out[r], column, cut, left, roots, depth, n_features)


@numba.njit(cache=True, nogil=True, boundscheck=False, error_model="numpy")
def walk_sum(X, column, cut, left, roots, depth, n_features, values, out):  # type: ignore[no-untyped-def]
    """``values`` of each row's leaves added in tree order, one at a time, into ``out``."""
    sides = np.empty(2 * n_features, dtype=np.float64)
    nodes = np.empty(roots.shape[0], dtype=np.intp)
    for r in range(X.shape[0]):
        _row(X[r], sides, nodes, column, cut, left, roots, depth, n_features)
        total = 0.0
        for t in range(nodes.shape[0]):
            total += values[nodes[t]]
        out[r] = total


def warm() -> None:
    """Compile (or load from the cache) the signatures ``CompiledForest`` calls."""
    one, ints = np.zeros((1, 1)), np.zeros(1, dtype=np.intp)
    walk(one, ints, np.full(1, np.inf), ints, ints, 1, 1, np.zeros((1, 1), dtype=np.intp))
    walk_sum(one, ints, np.full(1, np.inf), ints, ints, 1, 1, np.zeros(1), np.zeros(1))
