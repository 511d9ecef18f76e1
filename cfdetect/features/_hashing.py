"""Hashed character n-gram counts, computed with numpy over a whole batch of texts at once.

scikit-learn's ``HashingVectorizer``/``TfidfVectorizer`` build n-grams in Python, one text at a
time: measured here at 170-450 µs per title and 3-10 ms for a single-title call, which is too slow
both for training on a million listings and for sub-millisecond single-listing scoring. This
module lays a batch of texts end to end as one array of Unicode code points (each text padded
with a space on either side and followed by a NUL separator) and hashes every n-gram window with
vectorised 32-bit polynomial arithmetic; the counts go into a CSR matrix that scikit-learn's
``TfidfTransformer`` and linear models consume as usual. Texts are truncated to ``max_chars``
code points. One text and a million texts go through the same function, so the single-listing
and the batch paths give the same buckets; ``title_description_buckets`` hashes the title and the
description of one listing in one matrix product, with the same arithmetic (tested equal).

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


@lru_cache(maxsize=64)
def _folded(low: int, high: int, seed: int) -> np.ndarray:
    """``_polynomials`` folded into one ``(high + 1, sizes)`` matrix, times the multiplier.

    Hashing is linear modulo 2**32: ``(window @ powers + starts) * MULTIPLIER`` equals ``[window,
    1] @ folded`` where ``folded`` is ``[powers; starts] * MULTIPLIER`` (modulo 2**32), so one
    matrix product gives the multiplied hashes of every size; their top bits are the buckets.
    """
    powers, starts = _polynomials(low, high, seed)
    stacked = np.vstack((powers, starts[None, :])).astype(np.uint64)
    folded = (stacked * np.uint64(_MULTIPLIER)) & np.uint64(_MASK32)
    folded = folded.astype(np.uint32)
    folded.setflags(write=False)
    return folded


@lru_cache(maxsize=1024)
def _window_index(length: int, high: int) -> np.ndarray:
    """Indices of the ``high``-wide windows starting at each of ``length`` positions, then the
    index ``length + high`` (where ``_one_text`` puts a constant 1) in a last column."""
    index = np.empty((length, high + 1), dtype=np.intp)
    index[:, :high] = np.arange(length)[:, None] + np.arange(high)[None, :]
    index[:, high] = length + high
    index.setflags(write=False)
    return index


@lru_cache(maxsize=1024)
def _inside(length: int, low: int, high: int) -> np.ndarray:
    """Which (start, size) windows of one text of ``length`` code points end inside it."""
    sizes = np.arange(low, high + 1)
    inside = np.arange(length)[:, None] + sizes[None, :] <= length
    inside.setflags(write=False)
    return inside


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
    """``char_ngram_buckets`` of one short padded text without NUL (see ``_one_text_buckets``)."""
    buckets = _one_text_buckets(joined, low, high, shift, seed).astype(np.int64)
    return np.zeros(len(buckets), np.int64), buckets


def _one_text_buckets(joined: str, low: int, high: int, shift: np.uint32, seed: int) -> np.ndarray:
    """Buckets (uint32) of one short padded text without NUL: every window of ``high`` code
    points, followed by a constant 1, times ``_folded`` gives the hashes of all sizes at once."""
    length = len(joined)
    codes = np.frombuffer(
        (joined + (_TAILS.get(high) or "\0" * high + "\x01")).encode("utf-32-le", "surrogatepass"),
        dtype=np.uint32,
    )
    hashes = codes[_window_index(length, high)] @ _folded(low, high, seed)
    return hashes[_inside(length, low, high)] >> shift


def title_description_buckets(
    title: str,
    description: str,
    title_range: tuple[int, int],
    description_range: tuple[int, int],
    n_features: int,
    title_chars: int,
    description_chars: int,
) -> np.ndarray:
    """The buckets of one listing's text: each title n-gram twice, each description n-gram once.

    The single-listing path of ``TextRiskScore``: ``char_ngram_buckets([title], title_range,
    ...)`` (seed 0) twice and ``char_ngram_buckets([description], description_range, ...)``
    (seed 1) once, in no particular order, so that half the number of entries of a bucket is
    its weighted count (a title n-gram counts 1, a description n-gram 1/2). An empty
    description has no n-grams (not even the padding's).

    Both texts go through one gather and one matrix product: the padded description, then the
    padded title are laid out after two constants (1 and 0), and every window of ``high`` code
    points takes the constant of its text's seed in one of two more columns (see ``_folded``).

    Parameters
    ----------
    title, description : str
    title_range, description_range : (int, int)
        N-gram sizes of each text.
    n_features : int
        Number of buckets (a power of two).
    title_chars, description_chars : int
        Code points of each text that are hashed.

    Returns
    -------
    ndarray of uint32 (int64 when ``n_features`` is above 2**31)

    Examples
    --------
    >>> both = title_description_buckets("ab", "abc", (2, 2), (2, 3), 2**10, 10, 10)
    >>> title = char_ngram_buckets(["ab"], (2, 2), 2**10, 10)[1].tolist()
    >>> text = char_ngram_buckets(["abc"], (2, 3), 2**10, 10, 1)[1].tolist()
    >>> sorted(both.tolist()) == sorted(title * 2 + text)
    True
    """
    key = (title_range[0], title_range[1], description_range[0], description_range[1])
    key += (n_features, title_chars, description_chars)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _Plan(*key)  # a benign race: both threads build the same plan
    t = f" {title[:title_chars]} " if title else " "
    d = f" {description[:description_chars]} " if description else ""
    if plan.fast and "\0" not in t and "\0" not in d:
        joined = "\x01\0" + d.ljust(plan.gap, "\0") + t + plan.tail
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        title_index, title_inside = plan.title(len(t))  # the title's windows twice
        if d:
            text_index, text_inside = plan.description(len(d))
            index = np.concatenate((title_index, text_index))
            inside = np.concatenate((title_inside, text_inside))
        else:
            index, inside = title_index, title_inside
        return (codes[index] @ plan.folded)[inside] >> plan.shift
    once = char_ngram_buckets([title], title_range, n_features, title_chars)[1]
    parts = [once, once]
    if description:
        args = (description_range, n_features, description_chars, 1)
        parts.append(char_ngram_buckets([description], *args)[1])
    return np.concatenate(parts)


class _Plan:
    """The cached layout of ``title_description_buckets`` for one set of parameters: the n-gram
    sizes of the title and of the description, then ``n_features``, ``title_chars`` and
    ``description_chars``."""

    def __init__(self, t_low: int, t_high: int, d_low: int, d_high: int, *sizes: int) -> None:
        n_features, t_chars, d_chars = sizes
        _, _, self.shift = _check((t_low, t_high), n_features)
        _check((d_low, d_high), n_features)
        self.low, self.high = min(t_low, d_low), max(t_high, d_high)
        self.ranges = ((t_low, t_high), (d_low, d_high))
        high = self.high
        self.gap = d_chars + 2  # the description's region (a padded description fits)
        self.tail = "\0" * high
        # the polynomial rows are those of either seed; then each seed's starts
        powers, title_starts = _polynomials(self.low, high, 0)
        _, text_starts = _polynomials(self.low, high, 1)
        stacked = np.vstack((powers, title_starts, text_starts)).astype(np.uint64)
        folded = ((stacked * np.uint64(_MULTIPLIER)) & np.uint64(_MASK32)).astype(np.uint32)
        folded.setflags(write=False)
        self.folded = folded
        self.fast = n_features <= 2**31 and t_chars + d_chars <= 4 * _SMALL
        self.title = lru_cache(maxsize=1024)(self._title)  # by length; pure, thread-safe
        self.description = lru_cache(maxsize=1024)(self._description)

    def _windows(
        self, length: int, offset: int, size_range: tuple[int, int], one: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(gather index, which windows are n-grams) of a text of ``length`` code points at
        ``offset``; the constant columns read the 1 (at 0) in column ``high + one``."""
        high = self.high
        index = np.empty((length, high + 2), dtype=np.intp)
        index[:, :high] = offset + np.arange(length)[:, None] + np.arange(high)[None, :]
        index[:, high + one] = 0
        index[:, high + 1 - one] = 1
        sizes = np.arange(self.low, high + 1)[None, :]
        ends = np.arange(length)[:, None] + sizes
        inside = (ends <= length) & (sizes >= size_range[0]) & (sizes <= size_range[1])
        index.setflags(write=False)
        inside.setflags(write=False)
        return index, inside

    def _title(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """The windows of a padded title of ``length`` code points, twice."""
        index, inside = self._windows(length, 2 + self.gap, self.ranges[0], 0)
        index, inside = np.concatenate((index, index)), np.concatenate((inside, inside))
        index.setflags(write=False)
        inside.setflags(write=False)
        return index, inside

    def _description(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """The windows of a padded description of ``length`` code points."""
        return self._windows(length, 2, self.ranges[1], 1)


_PLANS: dict[tuple[int, ...], _Plan] = {}
_TAILS = {high: "\0" * high + "\x01" for high in range(1, 17)}  # zero padding, then the 1


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
