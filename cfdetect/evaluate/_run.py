"""Evaluate a model on a listing file: read, validate, score, replay, report.

:func:`evaluate_file` is what ``cfdetect evaluate`` calls. It reads the file through the one
chunk loop (``cfdetect.scoring.run_chunks``: read, validate with column maps, score), scores
each valid chunk with the model's :class:`~cfdetect.scorer.Scorer` (thresholds from the model
card) and with the baseline, joins the brand registry's ``registered`` flag to each listing's
declared brand, and hands the scored period to :func:`~cfdetect.evaluate.evaluate_scored`; with
``out`` it writes the report.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cfdetect._checks import check_number
from cfdetect._settings import ESCAPE_FORMULAS
from cfdetect.artifact import ModelCard
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, UsageError
from cfdetect.evaluate._baselines import keyword_baseline, no_screening
from cfdetect.evaluate._metrics import evaluate_scored
from cfdetect.evaluate._replay import DEFAULT_HORIZON_DAYS
from cfdetect.evaluate._report import commit_report, stage_report
from cfdetect.evaluate._result import EvaluationResult
from cfdetect.io import DEFAULT_CHUNK_SIZE, RawChunk, commit_together, open_writer, read_chunks
from cfdetect.registry import BrandRegistry, load_registry, normalise_key
from cfdetect.schema import REQUIRED_COLUMNS, Validator
from cfdetect.scoring.chunks import ScoreRows, run_chunks
from cfdetect.validate import ValidationReport, check_columns, finish_rejects

if TYPE_CHECKING:
    from cfdetect.artifact import Trust

DEFAULT_REVIEW_CAPACITY = 200.0
"""Reviews per day when neither the caller nor the model card says (the card's
``thresholds.review_capacity`` is what the review band was sized for)."""
DEFAULT_NOTICE_CAPACITY = 500.0
"""Takedown notices the notice team handles per day by default."""
MAX_CAPACITY = 1e9
"""Most reviews or notices per day ``evaluate_file`` accepts (a billion: no team, and no NaN)."""
MAX_HORIZON_DAYS = 36_525.0
"""Longest replay past the last listing: a century (dates past 2100 are not read anyway)."""
BASELINES = ("none", "keywords")
KEPT_COLUMNS = (
    "listing_id", "seller_id", "brand", "category", "created_at", "is_counterfeit",
    "first_sale_at", "reported_at", "review_probability", "review_label",
)  # fmt: skip
"""The columns of a validated chunk the evaluation keeps (everything else is dropped early)."""
GENERIC_BRANDS = frozenset(
    normalise_key(b)
    for b in ("generic", "unbranded", "no brand", "non-branded", "does not apply", "none", "oem")
)
"""Declared brands that name no brand: counted as "(none)" in the registered split."""


@dataclass
class EvaluationRun:
    """What :func:`evaluate_file` did.

    Attributes
    ----------
    result : EvaluationResult
        Every figure, table and curve (``result.to_dict()`` is ``metrics.json``).
    validation : ValidationReport
        Rows read, valid and rejected (rejected rows are in no figure).
    files : dict of str to Path
        The report files written, by name (empty without ``out``).
    model : str
        The model directory scored with.
    baseline : str
        ``none``, ``keywords`` or the baseline model directory.
    seconds : float
        Wall time of the whole run.
    """

    result: EvaluationResult
    validation: ValidationReport
    files: dict[str, Path] = field(default_factory=dict)
    model: str = ""
    baseline: str = "none"
    seconds: float = 0.0


@dataclass(frozen=True)
class _Settings:
    """``evaluate_file``'s keyword options, passed whole to its steps."""

    baseline: str | Path = "none"
    review_capacity: float | None = None
    notice_capacity: float = DEFAULT_NOTICE_CAPACITY
    columns: ColumnMap | str | Path | None = None
    out: str | Path | None = None
    registry: str | Path | BrandRegistry | None = None
    horizon_days: float = DEFAULT_HORIZON_DAYS
    block_threshold: float | None = None
    review_threshold: float | None = None
    fmt: str | None = None
    encoding: str = "utf-8"
    chunk_size: int = DEFAULT_CHUNK_SIZE
    rejects: str | Path | None = None
    title: str | None = None
    progress: Callable[[int, int], None] | None = None
    seller_logs: str | Path | None = None
    trust: Trust | None = None
    escape_formulas: bool = ESCAPE_FORMULAS


def evaluate_file(
    data: str | Path | pd.DataFrame,
    model: Any = None,
    *,
    baseline: str | Path = "none",
    review_capacity: float | None = None,
    notice_capacity: float = DEFAULT_NOTICE_CAPACITY,
    columns: ColumnMap | str | Path | None = None,
    out: str | Path | None = None,
    registry: str | Path | BrandRegistry | None = None,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
    block_threshold: float | None = None,
    review_threshold: float | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    rejects: str | Path | None = None,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    seller_logs: str | Path | None = None,
    trust: Trust | None = None,
    escape_formulas: bool = ESCAPE_FORMULAS,
) -> EvaluationRun:
    """Score a labelled period of listings with a model, replay it and report the figures.

    Parameters
    ----------
    data : path or DataFrame
        A listing file (CSV, TSV, JSONL, Parquet, optionally ``.gz``; ``-`` with ``fmt``) or a
        frame in the input's own columns. The full evaluation needs ``is_counterfeit``,
        ``created_at``, ``first_sale_at`` and ``reported_at``; without the last three it gives
        the classification figures, without labels the score distribution and decisions only.
    model : path, Scorer or None
        Model directory (default: the shipped ``models/default``) or a loaded ``Scorer``.
    baseline : str or path
        ``none`` (no proactive screening), ``keywords`` (the title keyword filter) or another
        model directory, whose card thresholds make its decisions.
    review_capacity, notice_capacity : float
        Reviews and takedown notices handled per day; the review default is the capacity the
        model's review band was sized for (its card), else 200.
    columns, fmt, encoding, chunk_size, block_threshold, review_threshold, progress, trust
        As for ``cfdetect.scoring.ScoreOptions`` (``trust`` covers the baseline too).
    out : path, optional
        Directory to write ``metrics.json``, ``report.md``, ``report.html`` and the plots to.
    registry : path or BrandRegistry, optional
        Brand registry for the registered-brand split; default: the shipped one.
    horizon_days : float
        The replay runs this many days past the last submission.
    rejects, escape_formulas
        Where the rows validation rejected are written (CSV or JSONL), formulas escaped.
    title : str, optional
        First heading of the report.
    seller_logs : path, optional
        Raw logs (``docs/seller_history.md``): the seller_* fields are recomputed from them as
        of each listing's ``created_at`` before scoring (``data`` is then read twice).

    Returns
    -------
    EvaluationRun

    Raises
    ------
    InputError
        The file cannot be read, has no valid listing, or its labels are not 0/1.
    ModelError
        The model or baseline directory cannot be loaded.
    UsageError
        A bad capacity, baseline name or option.

    Examples
    --------
    >>> run = evaluate_file("data/sample_listings.csv", out="out/eval")  # doctest: +SKIP
    """
    settings = _Settings(  # in the signature's order (tests/test_evaluate.py checks it)
        baseline, review_capacity, notice_capacity, columns, out, registry, horizon_days,
        block_threshold, review_threshold, fmt, encoding, chunk_size, rejects, title, progress,
        seller_logs, trust, escape_formulas,
    )  # fmt: skip
    return _evaluate(data, model, settings)


def _check(settings: _Settings) -> None:
    """Refuse capacities, horizons and chunk sizes no replay can use."""
    review_capacity = settings.review_capacity
    if settings.notice_capacity < 0 or (review_capacity is not None and review_capacity < 0):
        raise UsageError("review and notice capacities must be 0 or more per day")
    for name, value, most in (
        ("--review-capacity", review_capacity, MAX_CAPACITY),
        ("--notice-capacity", settings.notice_capacity, MAX_CAPACITY),
        ("--horizon-days", settings.horizon_days, MAX_HORIZON_DAYS),
    ):  # NaN, infinities and numbers no replay can span
        if value is not None:
            check_number(name, value, 0, most)
    if settings.chunk_size < 1:
        raise UsageError("chunk size must be at least 1")


def _load_model(model: Any, settings: _Settings) -> tuple[Any, str]:
    """The scorer (loaded here, or the caller's) and the model's name in the report."""
    from cfdetect.scorer import Scorer

    if isinstance(model, Scorer):
        if settings.block_threshold is not None or settings.review_threshold is not None:
            raise UsageError("pass threshold overrides to Scorer.load, not with a loaded Scorer")
        return model, ModelCard.of(model.card).name or "(a loaded Scorer)"
    scorer = Scorer.load(
        model,
        block_threshold=settings.block_threshold,
        review_threshold=settings.review_threshold,
        trust=settings.trust,
    )
    return scorer, str(model) if model is not None else "default (models/default)"


def _evaluate(data: str | Path | pd.DataFrame, model: Any, settings: _Settings) -> EvaluationRun:
    """Read, score, replay and report (``evaluate_file`` with its options gathered)."""
    started = time.perf_counter()
    _check(settings)
    scorer, model_name = _load_model(model, settings)
    base_scorer, baseline_name = _load_baseline(settings.baseline, settings.trust)
    registry = settings.registry
    brands = registry if isinstance(registry, BrandRegistry) else load_registry(registry)
    review_capacity = settings.review_capacity
    if review_capacity is None:
        card_capacity = ModelCard.of(scorer.card).review_capacity
        review_capacity = float(
            card_capacity if card_capacity is not None else DEFAULT_REVIEW_CAPACITY
        )
    source = "<frame>" if isinstance(data, pd.DataFrame) else str(data)
    report = ValidationReport(source)

    def score_rows(rows: pd.DataFrame) -> pd.DataFrame:
        return _score_chunk(rows, scorer, base_scorer, baseline_name, brands)

    # the rejects file and the report are renamed into place together, at the very end
    rejects_writer = None
    if settings.rejects is not None:
        rejects_writer = open_writer(settings.rejects, escape_formulas=settings.escape_formulas)
    try:
        frame = _scored_period(data, settings, score_rows, rejects_writer, report)
        moved = int(frame.pop("_moved").astype(bool).sum())
        result = evaluate_scored(
            frame,
            frame.pop("_score").to_numpy(),
            frame.pop("_decision").to_numpy(),
            thresholds={"block": scorer.block_threshold, "review": scorer.review_threshold},
            review_capacity=review_capacity,
            notice_capacity=settings.notice_capacity,
            baseline_decisions=frame.pop("_baseline").to_numpy(),
            baseline_name=baseline_name,
            horizon_days=settings.horizon_days,
        )
        result.counts["moved_by_decision_policy"] = moved
        _describe(result, report, scorer, model_name, source, brands)
        files = _commit(result, settings, rejects_writer)
    except BaseException:
        if rejects_writer is not None:
            rejects_writer.abort()
        raise
    seconds = time.perf_counter() - started
    return EvaluationRun(result, report, files, model_name, baseline_name, seconds)


def _scored_period(
    data: str | Path | pd.DataFrame,
    settings: _Settings,
    score_rows: ScoreRows,
    rejects: Any,
    report: ValidationReport,
) -> pd.DataFrame:
    """Every valid listing of ``data`` with the evaluation's columns, through the chunk loop
    (``cfdetect.scoring.run_chunks``); seller history attached first when asked for."""
    cmap = settings.columns
    cmap = cmap if isinstance(cmap, ColumnMap) else load_column_map(cmap)
    history = None
    if settings.seller_logs is not None:
        from cfdetect.history import seller_fields

        history = seller_fields(
            data, settings.seller_logs, columns=cmap, fmt=settings.fmt,
            encoding=settings.encoding, chunk_size=settings.chunk_size, strict=False,
        )  # fmt: skip
    step = score_rows if history is None else (lambda rows: score_rows(history.attach(rows)))
    parts: list[pd.DataFrame] = []
    with history or contextlib.nullcontext():
        chunks, first = _raw_chunks(data, cmap, settings, report)
        loop = run_chunks(
            chunks, Validator(cmap), step, validation=report, first=first, rejects=rejects
        )
        for done in loop:
            assert done.scored is not None
            parts.append(done.scored)
            if settings.progress is not None:
                settings.progress(report.rows_read, done.chunk.bytes_read)
    if rejects is not None:
        finish_rejects(rejects)
        rejects.finish()
    if not parts or sum(len(p) for p in parts) == 0:
        raise InputError(
            f"{report.source}: no valid listings to evaluate ({report.rows_read:,} rows read, "
            f"{report.rejected:,} rejected)"
        )
    return pd.concat(parts, ignore_index=True)


def _commit(result: EvaluationResult, settings: _Settings, rejects: Any) -> dict[str, Path]:
    """Write the report (with ``out``) and rename it into place with the rejects file."""
    together = [rejects] if rejects is not None else []
    if settings.out is None:
        commit_together(together)
        return {}
    staged = stage_report(result, settings.out, title=settings.title or "cfdetect evaluation")
    return commit_report(*staged, together=together)


def _load_baseline(baseline: str | Path, trust: Trust | None = None) -> tuple[Any, str]:
    from cfdetect.scorer import Scorer

    name = str(baseline)
    if name in BASELINES:
        return None, name
    if not Path(name).is_dir():
        raise UsageError(
            f"--baseline {name}: use none, keywords or a model directory (no such directory)"
        )
    return Scorer.load(name, trust=trust), name


def _raw_chunks(
    data: str | Path | pd.DataFrame,
    cmap: ColumnMap,
    settings: _Settings,
    report: ValidationReport,
) -> tuple[Iterable[RawChunk], Callable[[RawChunk], None] | None]:
    """The raw chunks of a file or a frame, and the header check of the first one."""
    size = settings.chunk_size
    if not isinstance(data, pd.DataFrame):
        chunks = read_chunks(data, settings.fmt, size, settings.encoding)
        return chunks, lambda chunk: check_columns(data, chunk, cmap, report)
    recognised, missing, ignored = cmap.recognised([str(c) for c in data.columns])
    report.recognised, report.missing, report.ignored = recognised, missing, ignored
    absent = [c for c in REQUIRED_COLUMNS if c in missing]
    if absent:
        raise InputError(f"<frame>: required column(s) {', '.join(absent)} missing")
    return _frame_chunks(data, size), None


def _frame_chunks(data: pd.DataFrame, size: int) -> Iterator[RawChunk]:
    """A frame as raw chunks of ``size`` rows, numbered from 1."""
    for start in range(0, len(data), size):
        piece = data.iloc[start : start + size].reset_index(drop=True)
        yield RawChunk(piece, np.arange(start + 1, start + 1 + len(piece), dtype=np.int64))


def _score_chunk(
    chunk: pd.DataFrame,
    scorer: Any,
    base_scorer: Any,
    baseline_name: str,
    brands: BrandRegistry,
) -> pd.DataFrame:
    """The evaluation's columns of one validated chunk, with the scores and decisions."""
    kept = chunk[[c for c in KEPT_COLUMNS if c in chunk.columns]].copy()
    if len(chunk) == 0:
        for name in ("_score", "_decision", "_baseline", "_moved"):
            kept[name] = pd.Series(dtype=object)
        return kept
    scored = scorer.score_frame(chunk, explain=False)
    kept["_score"] = scored["score"].to_numpy()
    kept["_decision"] = scored["decision"].to_numpy()
    # over the block threshold but sent to review by the card's decision policy (issue 19)
    kept["_moved"] = (scored["score"] >= scorer.block_threshold).to_numpy() & (
        scored["decision"] == "review"
    ).to_numpy()
    if base_scorer is not None:
        kept["_baseline"] = base_scorer.score_frame(chunk, explain=False)["decision"].to_numpy()
    elif baseline_name == "keywords":
        kept["_baseline"] = keyword_baseline(chunk)
    else:
        kept["_baseline"] = no_screening(chunk)
    if "brand" in chunk.columns:
        canonical, registered = registry_flags(chunk["brand"], brands)
        kept["brand"] = canonical
        kept["registered"] = registered
    return kept


def registry_flags(declared: pd.Series, brands: BrandRegistry) -> tuple[pd.Series, pd.Series]:
    """Canonical brand names and the registered flag of declared brands.

    A declared brand the registry knows (by name or alias, any case) becomes its canonical name
    and is ``True`` when the registry marks it registered, ``False`` otherwise; a declared brand
    the registry does not know keeps its text and is ``False`` (not in the registry); a missing
    or generic one ("Generic", "Unbranded", "No Brand", ...) is missing (``<NA>``).

    Examples
    --------
    >>> reg = load_registry()
    >>> names, flags = registry_flags(pd.Series(["LV", "Acme Tools", "Generic", None]), reg)
    >>> names.tolist(), flags.tolist()
    (['Louis Vuitton', 'Acme Tools', 'Generic', <NA>], [True, False, <NA>, <NA>])
    """
    registered_brands = set(brands.brands.loc[brands.brands["registered"], "brand"])
    codes, uniques = pd.factorize(declared, use_na_sentinel=True)
    names: list[object] = []
    flags: list[object] = []
    for value in uniques:
        text = str(value).strip()
        key = normalise_key(text)
        canonical = brands.names.get(key)
        if not text or key in GENERIC_BRANDS:
            names.append(text or pd.NA)
            flags.append(pd.NA)
        elif canonical is not None:
            names.append(canonical)
            flags.append(canonical in registered_brands)
        else:
            names.append(text)
            flags.append(False)
    names.append(pd.NA)
    flags.append(pd.NA)
    lookup_names = np.array(names, dtype=object)
    lookup_flags = np.array(flags, dtype=object)
    return (
        pd.Series(lookup_names[codes], index=declared.index, dtype="string"),
        pd.Series(lookup_flags[codes], index=declared.index, dtype="boolean"),
    )


def _describe(
    result: EvaluationResult,
    report: ValidationReport,
    scorer: Any,
    model_name: str,
    source: str,
    brands: BrandRegistry,
) -> None:
    """Record the run's inputs in the result (they go to metrics.json and the report)."""
    card = ModelCard.of(scorer.card)
    training = card.training
    result.config.update(
        data=source,
        model=model_name,
        model_trained_on=training.get("trained_on"),
        model_simulated=training.get("simulated"),
        model_sha256=card.model_sha256,
        block_threshold=scorer.block_threshold,
        review_threshold=scorer.review_threshold,
        registry_brands=len(brands.brands),
    )
    result.counts["rows_read"] = report.rows_read
    result.counts["rows_rejected"] = report.rejected
    if report.rejected:
        result.notes.append(
            f"{report.rejected:,} of {report.rows_read:,} rows were rejected by validation and "
            "are in no figure (write them with --rejects, or rejects= in Python, to see why)."
        )
    if training.get("simulated"):
        result.notes.append(
            "The model was trained on simulated listings; figures on real data will differ."
        )
