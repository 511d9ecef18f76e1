"""Evaluate a model on a listing file: read, validate, score, replay, report.

:func:`evaluate_file` is what ``cfdetect evaluate`` calls. It reads the file through the one IO
path (``iter_valid_chunks``, with column maps), scores each valid chunk with the model's
:class:`~cfdetect.scorer.Scorer` (thresholds from the model card) and with the baseline, joins the
brand registry's ``registered`` flag to each listing's declared brand, and hands the scored period
to :func:`~cfdetect.evaluate.evaluate_scored`; with ``out`` it writes the report.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
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
from cfdetect.io import DEFAULT_CHUNK_SIZE, commit_together, open_writer
from cfdetect.registry import BrandRegistry, load_registry, normalise_key
from cfdetect.validate import ValidationReport, finish_rejects, iter_valid_chunks

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
        frame in the input's own columns. For the full evaluation it needs ``is_counterfeit``,
        ``created_at``, ``first_sale_at`` and ``reported_at``; without the last three it gives
        the classification figures, without labels the score distribution and decisions only.
    model : path, Scorer or None
        Model directory (default: the shipped ``models/default``) or a loaded ``Scorer``.
    baseline : str or path
        ``none`` (no proactive screening), ``keywords`` (the title keyword filter) or another
        model directory, whose card thresholds make its decisions.
    review_capacity : float, optional
        Reviews finished per day; default: the capacity the model's review band was sized for
        (its card), else 200.
    notice_capacity : float
        Takedown notices handled per day.
    columns : column map, preset name or mapping file, optional
    out : path, optional
        Directory to write ``metrics.json``, ``report.md``, ``report.html`` and the PNG plots to.
    registry : path or BrandRegistry, optional
        Brand registry for the registered-brand split; default: the shipped one.
    horizon_days : float
        The replay runs this many days past the last submission.
    block_threshold, review_threshold : float, optional
        Override the model card's thresholds.
    fmt, encoding, chunk_size
        How to read ``data`` (as for ``cfdetect score``).
    rejects : path, optional
        Write the rows validation rejected here (CSV or JSONL by suffix).
    escape_formulas : bool, default True
        CSV/TSV rejects: prefix ``'`` to cells a spreadsheet would run as a formula; the same
        default as the CLI's ``--escape-formulas`` (``cfdetect._settings.ESCAPE_FORMULAS``).
    title : str, optional
        First heading of the report.
    progress : callable, optional
        Called with ``(rows_read, bytes_read)`` after each chunk.
    seller_logs : path, optional
        Directory of raw logs (``docs/seller_history.md``): the seller_* fields are recomputed
        from them as of each listing's ``created_at`` before scoring
        (``cfdetect.history.seller_fields``; ``data`` is then read twice, so not stdin).
    trust : bool, path or paths, optional
        Trust for the model and baseline directories (``Scorer.load``; ``True`` vouches for
        both).

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
    >>> run.result["proactive_recall"].text()  # doctest: +SKIP
    """
    from cfdetect.scorer import Scorer

    started = time.perf_counter()
    if notice_capacity < 0 or (review_capacity is not None and review_capacity < 0):
        raise UsageError("review and notice capacities must be 0 or more per day")
    for name, value, most in (
        ("--review-capacity", review_capacity, MAX_CAPACITY),
        ("--notice-capacity", notice_capacity, MAX_CAPACITY),
        ("--horizon-days", horizon_days, MAX_HORIZON_DAYS),
    ):  # NaN, infinities and numbers no replay can span
        if value is not None:
            check_number(name, value, 0, most)
    if chunk_size < 1:
        raise UsageError("chunk size must be at least 1")
    if isinstance(model, Scorer):
        scorer = model
        if block_threshold is not None or review_threshold is not None:
            raise UsageError("pass threshold overrides to Scorer.load, not with a loaded Scorer")
        model_name = ModelCard.of(scorer.card).name or "(a loaded Scorer)"
    else:
        scorer = Scorer.load(
            model, block_threshold=block_threshold, review_threshold=review_threshold, trust=trust
        )
        model_name = str(model) if model is not None else "default (models/default)"
    base_scorer, baseline_name = _load_baseline(baseline, trust)
    brands = registry if isinstance(registry, BrandRegistry) else load_registry(registry)
    if review_capacity is None:
        card_capacity = ModelCard.of(scorer.card).review_capacity
        review_capacity = float(
            card_capacity if card_capacity is not None else DEFAULT_REVIEW_CAPACITY
        )
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)

    source = "<frame>" if isinstance(data, pd.DataFrame) else str(data)
    report = ValidationReport(source)
    parts: list[pd.DataFrame] = []
    history = None
    if seller_logs is not None:
        from cfdetect.history import seller_fields

        history = seller_fields(data, seller_logs, columns=cmap, fmt=fmt, encoding=encoding,
                                chunk_size=chunk_size, strict=False)  # fmt: skip
    # the rejects file and the report are renamed into place together, at the very end
    rejects_writer = None
    if rejects is not None:
        rejects_writer = open_writer(rejects, escape_formulas=escape_formulas)
    try:
        with history or contextlib.nullcontext():
            for chunk in _valid_chunks(data, cmap, fmt, chunk_size, encoding, rejects_writer,
                                       report, progress):  # fmt: skip
                if history is not None:
                    chunk = history.attach(chunk)
                parts.append(_score_chunk(chunk, scorer, base_scorer, baseline_name, brands))
        if rejects_writer is not None:
            finish_rejects(rejects_writer)
            rejects_writer.finish()
        if not parts or sum(len(p) for p in parts) == 0:
            raise InputError(
                f"{source}: no valid listings to evaluate ({report.rows_read:,} rows read, "
                f"{report.rejected:,} rejected)"
            )
        frame = pd.concat(parts, ignore_index=True)
        moved = int(frame.pop("_moved").astype(bool).sum())
        result = evaluate_scored(
            frame,
            frame.pop("_score").to_numpy(),
            frame.pop("_decision").to_numpy(),
            thresholds={"block": scorer.block_threshold, "review": scorer.review_threshold},
            review_capacity=review_capacity,
            notice_capacity=notice_capacity,
            baseline_decisions=frame.pop("_baseline").to_numpy(),
            baseline_name=baseline_name,
            horizon_days=horizon_days,
        )
        result.counts["moved_by_decision_policy"] = moved
        _describe(result, report, scorer, model_name, source, brands)
        files: dict[str, Path] = {}
        together = [rejects_writer] if rejects_writer is not None else []
        if out is not None:
            staged = stage_report(result, out, title=title or "cfdetect evaluation")
            files = commit_report(*staged, together=together)
        else:
            commit_together(together)
    except BaseException:
        if rejects_writer is not None:
            rejects_writer.abort()
        raise
    return EvaluationRun(
        result=result,
        validation=report,
        files=files,
        model=model_name,
        baseline=baseline_name,
        seconds=time.perf_counter() - started,
    )


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


def _valid_chunks(
    data: str | Path | pd.DataFrame,
    cmap: ColumnMap,
    fmt: str | None,
    chunk_size: int,
    encoding: str,
    rejects: Any,
    report: ValidationReport,
    progress: Callable[[int, int], None] | None,
) -> Any:
    if not isinstance(data, pd.DataFrame):
        yield from iter_valid_chunks(
            data, cmap, fmt=fmt, chunk_size=chunk_size, encoding=encoding, rejects=rejects,
            report=report, progress=progress,
        )  # fmt: skip
        return
    from cfdetect.schema import REQUIRED_COLUMNS, Validator

    recognised, missing, ignored = cmap.recognised([str(c) for c in data.columns])
    report.recognised, report.missing, report.ignored = recognised, missing, ignored
    absent = [c for c in REQUIRED_COLUMNS if c in missing]
    if absent:
        raise InputError(f"<frame>: required column(s) {', '.join(absent)} missing")
    validator = Validator(cmap)
    for start in range(0, len(data), chunk_size):
        piece = data.iloc[start : start + chunk_size]
        result = validator.validate(piece.reset_index(drop=True))
        report.add(len(piece), len(result.rows), result.rejects)
        if rejects is not None and len(result.rejects):
            rejects.write(result.rejects)
        if progress is not None:
            progress(report.rows_read, 0)
        yield result.rows


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
