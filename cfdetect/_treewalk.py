"""Compiled tree walk for ``CompiledForest`` (numba, optional: ``pip install cfdetect[fast]``).

The kernels (``_treewalk_numba``) compute exactly what the numpy walk of ``_fasttrees`` computes:
the leaf each tree sends a row to (comparisons only, so the same integers), and the trees'
values added one at a time in tree order (the same additions in the same order, so the same
bits: no ``fastmath``). Without numba, or with ``CFDETECT_NO_NUMBA=1``, ``kernels()`` is None
and the numpy walk runs.
"""

from __future__ import annotations

import os
from types import ModuleType

_KERNELS: ModuleType | None = None
_LOADED = False


def kernels() -> ModuleType | None:
    """The compiled kernels (a module with ``walk`` and ``walk_sum``), or None without numba."""
    global _KERNELS, _LOADED
    if _LOADED:
        return _KERNELS
    _LOADED = True
    if os.environ.get("CFDETECT_NO_NUMBA", "") not in ("", "0"):
        return None
    try:
        from cfdetect import _treewalk_numba as compiled

        compiled.warm()  # a failure to compile here means numpy, not an error later
    except Exception:  # numba missing or unusable: the numpy walk gives the same results
        return None
    _KERNELS = compiled
    return _KERNELS
