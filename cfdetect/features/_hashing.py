"""Hashed character n-gram counts, computed with numpy over a whole batch of texts at once.

scikit-learn's ``HashingVectorizer``/``TfidfVectorizer`` build n-grams in Python, one text at a
time: measured here at 170-450 µs per title and 3-10 ms for a single-title call, which is too slow
both for training on a million listings and for sub-millisecond single-listing scoring. This
module lays a batch of texts end to end as one array of Unicode code points (each text padded
with a space on either side and followed by a NUL separator) and hashes every n-gram window with
vectorised 32-bit polynomial arithmetic; the counts go into a CSR matrix that scikit-learn's
``TfidfTransformer`` and linear models consume as usual. Texts are truncated to ``max_chars``
code points. One text and a million texts go through the same function, so the single-listing
and the batch paths give the same buckets.

The hash of an n-gram ``c[0] .. c[n-1]`` of size ``n`` is ``reference_hash`` below: start from
``n + 16 * seed``, then ``h = h * 1_000_003 + c[k]`` for each code point (modulo 2**32); its
bucket is the top bits of ``h * 0x9E3779B1`` (Fibonacci hashing). An n-gram that contains a NUL
code point is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

_MULTIPLIER = np.uint32(0x9E3779B1)  # Fibonacci hashing constant (32 bit)
_BASE = np.uint32(1_000_003)
_MASK32 = 0xFFFFFFFF


def _check(ngram_range: tuple[int, int], n_features: int) -> tuple[int, int, np.uint32]:
    if n_features < 2 or n_features & (n_features - 1):
        raise ValueError(f"n_features must be a power of two, got {n_features}")
    low, high = ngram_range
    if not 1 <= low <= high:
        raise ValueError(f"bad ngram_range {ngram_range}")
    return low, high, np.uint32(32 - int(n_features).bit_length() + 1)


def reference_hash(gram: str, seed: int = 0, n_features: int = 2**20) -> int:
    """The bucket of one n-gram, written out in plain Python (the definition; used in tests).

    Examples
    --------
    >>> bucket = char_ngram_buckets(["r"], (2, 2), 2**10)[1][0]
    >>> reference_hash(" r", n_features=2**10) == int(bucket)
    True
    """
    h = (len(gram) + 16 * seed) & _MASK32
    for ch in gram:
        h = (h * int(_BASE) + ord(ch)) & _MASK32
    shift = 32 - int(n_features).bit_length() + 1
    return ((h * int(_MULTIPLIER)) & _MASK32) >> shift


@lru_cache(maxsize=64)
def _polynomials(low: int, high: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(powers, starts)``: a window of ``high`` code points times ``powers[:, j]`` is the
    polynomial part of the hash of its first ``low + j`` code points; ``starts[j]`` the rest."""
    sizes = range(low, high + 1)
    powers = np.zeros((high, len(sizes)), dtype=np.uint32)
    for j, s in enumerate(sizes):
        for k in range(s):
            powers[k, j] = pow(int(_BASE), s - 1 - k, 2**32)
    starts = np.array(
        [((s + 16 * seed) * pow(int(_BASE), s, 2**32)) & _MASK32 for s in sizes], dtype=np.uint32
    )
    return powers, starts


@lru_cache(maxsize=1024)
def _window_index(length: int, high: int) -> np.ndarray:
    """Indices of the ``high``-wide windows starting at each of ``length`` positions."""
    return np.arange(length)[:, None] + np.arange(high)[None, :]


@lru_cache(maxsize=1024)
def _inside(length: int, low: int, high: int) -> np.ndarray:
    """Which (start, size) windows of one text of ``length`` code points end inside it."""
    sizes = np.arange(low, high + 1)
    return np.arange(length)[:, None] + sizes[None, :] <= length


_SMALL = 512  # code points up to which windows are gathered with a cached index


def char_ngram_buckets(
    texts: Sequence[str],
    ngram_range: tuple[int, int] = (2, 5),
    n_features: int = 2**20,
    max_chars: int = 128,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(row, bucket)`` of every character n-gram of ``texts`` (one entry per n-gram).

    Each text is cut to ``max_chars`` code points and padded with one space on either side (an
    empty text is a single space). ``seed`` separates hash spaces (e.g. title and description
    n-grams in one matrix). The order of the entries is unspecified (rows are not sorted).

    All texts are laid end to end, separated by NUL code points, as one array, and the hashes of
    every start position are computed for one n-gram size after the other (integer arithmetic
    modulo 2**32); windows that contain a NUL are not n-grams. One short text takes a shortcut
    with the same result (``_one_text``).

    Parameters
    ----------
    texts : sequence of str
    ngram_range : (int, int)
        Smallest and largest n-gram size, in code points.
    n_features : int
        Number of buckets (a power of two).
    max_chars : int
        Code points of each text that are hashed.
    seed : int
        Hash space.

    Returns
    -------
    rows, buckets : ndarray of int64
    """
    low, high, shift = _check(ngram_range, n_features)
    n = len(texts)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if n == 1:
        text = texts[0]
        joined = f" {text[:max_chars]} " if text else " "
        if len(joined) <= _SMALL and "\0" not in joined:
            return _one_text(joined, low, high, shift, seed)
        pieces = [joined]
    else:
        pieces = [f" {t[:max_chars]} " if t else " " for t in texts]
    joined = "\0".join(pieces)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    size = len(codes)
    zeros = np.zeros(size + 1, dtype=np.int32)  # NUL code points before each position
    np.cumsum(codes == 0, out=zeros[1:])
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=n) + 1
    row_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    rows_parts, cols_parts = [], []
    prefix = codes  # sum of codes[i + k] * BASE**(s - 1 - k) over k < s, for every start i
    for s in range(1, high + 1):
        windows = size - s + 1
        if windows <= 0:
            break
        if s > 1:
            prefix = prefix[:windows] * _BASE + codes[s - 1 :]
        if s < low:
            continue
        start = np.uint32(((s + 16 * seed) * pow(int(_BASE), s, 2**32)) & _MASK32)
        positions = np.flatnonzero(zeros[s:] == zeros[:windows])
        rows_parts.append(row_of[positions])
        cols_parts.append((((prefix[positions] + start) * _MULTIPLIER) >> shift).astype(np.int64))
    if not rows_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_parts), np.concatenate(cols_parts)


def _one_text(
    joined: str, low: int, high: int, shift: np.uint32, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``char_ngram_buckets`` of one short padded text without NUL: every window of ``high``
    code points times a matrix of powers of the base gives the hashes of all sizes at once."""
    powers, starts = _polynomials(low, high, seed)
    length = len(joined)
    codes = np.frombuffer((joined + "\0" * high).encode("utf-32-le", "surrogatepass"), np.uint32)
    hashes = ((codes[_window_index(length, high)] @ powers + starts) * _MULTIPLIER) >> shift
    buckets = hashes[_inside(length, low, high)].astype(np.int64)
    return np.zeros(len(buckets), np.int64), buckets


def char_ngram_counts(
    texts: Sequence[str],
    ngram_range: tuple[int, int] = (2, 5),
    n_features: int = 2**20,
    max_chars: int = 128,
    seed: int = 0,
) -> sp.csr_matrix:
    """Return the hashed character n-gram counts of ``texts`` as a CSR matrix.

    Each text is padded with one space on either side (so word starts and ends form n-grams);
    n-grams of different sizes hash to different buckets. Counts are float64 so that the batch and
    single-listing paths give the same scores to the last bits.

    Examples
    --------
    >>> m = char_ngram_counts(["ab", "ab", ""], ngram_range=(2, 2), n_features=2**10)
    >>> m.shape, float(m[0].sum()), (m[0] != m[1]).nnz, float(m[2].sum())
    ((3, 1024), 3.0, 0, 0.0)
    """
    rows, cols = char_ngram_buckets(texts, ngram_range, n_features, max_chars, seed)
    data = np.ones(len(rows), dtype=np.float64)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(len(texts), n_features))
    matrix.sum_duplicates()
    return matrix
