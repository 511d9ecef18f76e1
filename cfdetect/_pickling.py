"""Model files that are the same bytes for the same model: joblib's format, sets in order.

A pickled ``set`` or ``frozenset`` lists its elements in iteration order, which for strings
depends on the process's hash seed (``PYTHONHASHSEED``, random by default). The fitted brand
registry, term matcher and familiarity hold hundreds of such sets, so the same training gave a
different ``model.joblib`` (and ``model_sha256``) in every process. :func:`dump` writes what
``joblib.dump(value, path, compress=3)`` writes, except that sets are pickled sorted; they load
back as the same sets with any joblib.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joblib.compressor import BinaryZlibFile
from joblib.numpy_pickle import NumpyPickler

COMPRESS_LEVEL = 3


class _SortedSetPickler(NumpyPickler):
    """joblib's pickler (arrays written inline), with sets pickled in sorted order."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is set or type(obj) is frozenset:
            try:
                items = sorted(obj)
            except TypeError:  # mixed types (words and word tuples): by type, then as written
                items = sorted(obj, key=lambda item: (type(item).__qualname__, repr(item)))
            return type(obj), (items,)
        return NotImplemented


def dump(value: Any, path: str | Path) -> None:
    """Write ``value`` to ``path`` as ``joblib.dump(value, path, compress=3)`` does, with every
    set in sorted order, so the bytes do not depend on the hash seed.

    Examples
    --------
    >>> import tempfile, joblib, os
    >>> path = os.path.join(tempfile.mkdtemp(), "m.joblib")
    >>> dump({"words": {"b", "a"}}, path)
    >>> joblib.load(path) == {"words": {"a", "b"}}
    True
    """
    with BinaryZlibFile(str(path), "wb", compresslevel=COMPRESS_LEVEL) as handle:
        _SortedSetPickler(handle).dump(value)
