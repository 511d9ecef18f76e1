"""``cfdetect.train``: read labelled listings, fit and calibrate, write a model directory."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from cfdetect import _pipeline as steps
from cfdetect._reference import write_reference
from cfdetect.artifact import MONITOR_REFERENCE, frame_fingerprint, save_model, sha256_of
from cfdetect.columns import ColumnMap, load_column_map
from cfdetect.errors import InputError, UsageError
from cfdetect.model import TrainConfig, TrainedModel
from cfdetect.model import train as fit_model
from cfdetect.registry import default_registry_path
from cfdetect.validate import ValidationReport, iter_valid_chunks


def read_training_frame(
    data: str | Path | pd.DataFrame,
    columns: ColumnMap | str | Path | None = None,
    *,
    label_column: str = "is_counterfeit",
    time_column: str = "created_at",
    fmt: str | None = None,
    report: ValidationReport | None = None,
) -> pd.DataFrame:
    """Read and validate labelled listings into one canonical frame.

    ``label_column`` / ``time_column`` name the input's own label and submission-time columns when
    they are not ``is_counterfeit`` / ``created_at``.
    """
    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    renames = dict(cmap.renames)
    for theirs, ours in ((label_column, "is_counterfeit"), (time_column, "created_at")):
        if theirs != ours:
            renames[theirs] = ours
    cmap = ColumnMap(renames, cmap.transforms, cmap.constants, cmap.carried, cmap.name)
    named = {"--label-column": label_column, "--time-column": time_column}
    if isinstance(data, pd.DataFrame):
        from cfdetect.schema import Validator

        _check_named(named, [str(c) for c in data.columns], "<frame>")
        result = Validator(cmap).validate(data)
        if report is not None:
            report.add(len(data), len(result.rows), result.rejects)
        return result.rows
    report = report if report is not None else ValidationReport(str(data))
    chunks = []
    for chunk in iter_valid_chunks(data, cmap, fmt=fmt, report=report):
        if not chunks:  # the header is known once the first chunk is read
            _check_named(named, report.columns, report.source)
        chunks.append(chunk)
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame()


def _check_named(named: dict[str, str], columns: list[str], source: str) -> None:
    """A label or time column named other than the default must be in the input (else the
    input's ``is_counterfeit`` / ``created_at`` would be used instead, silently)."""
    defaults = {"--label-column": "is_counterfeit", "--time-column": "created_at"}
    for option, name in named.items():
        if name != defaults[option] and name not in columns:
            found = ", ".join(columns[:12]) + (", ..." if len(columns) > 12 else "")
            raise UsageError(f"{option} {name}: {source} has no such column (found: {found})")


def train(
    data: str | Path | pd.DataFrame,
    output_dir: str | Path,
    *,
    registry: str | Path | None = None,
    columns: ColumnMap | str | Path | None = None,
    label_column: str = "is_counterfeit",
    time_column: str = "created_at",
    config: TrainConfig | None = None,
    command: str | None = None,
    progress: Callable[[str], None] | None = None,
    seller_logs: str | Path | None = None,
    check_set: str | Path | None = None,
) -> dict[str, Any]:
    """Train a model on labelled listings and write its model directory.

    Parameters
    ----------
    data : path or DataFrame
        Labelled listings (CSV, JSONL, Parquet) or a frame in the input's columns.
    output_dir : path
        The model directory to write (``model.joblib`` + ``card.json``).
    registry : path, optional
        Brand registry CSV; default the shipped ``data/brands.csv``.
    columns : column map, preset or file, optional
    label_column, time_column : str
        The input's label (0/1) and submission-time columns.
    config : TrainConfig, optional
    command : str, optional
        The command line that produced the model, recorded in the card.
    progress : callable, optional
        Called with a description of each stage.
    seller_logs : path, optional
        Directory of raw logs (``docs/seller_history.md``): the seller_* fields are recomputed
        from them as of each listing's ``created_at`` (``cfdetect.history.seller_fields``).
    check_set : path, optional
        Labelled listings written outside the training data's source (the shipped model uses the
        hand-written field set, ``data/field/listings.csv``): scored by the trained model and
        reported in the card (``training.check_set``: PR-AUC, block precision, genuine listings
        blocked, calibration curve). A check only: nothing is fitted or chosen on it.

    Returns
    -------
    dict
        The model card.

    Examples
    --------
    >>> from cfdetect.simulate import SimulationConfig, simulate  # doctest: +SKIP
    >>> card = train(simulate(SimulationConfig(n_listings=5000)), "models/mine")  # doctest: +SKIP
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    config = config or TrainConfig()
    report = ValidationReport(str(data) if not isinstance(data, pd.DataFrame) else "<frame>")
    frame = _labelled_rows(data, columns, label_column, time_column, seller_logs, report, say)
    registry_path = str(registry) if registry is not None else None
    if registry_path is not None and not Path(registry_path).is_file():
        raise UsageError(f"--registry {registry_path}: no such file")
    model: TrainedModel = fit_model(frame, config, registry=registry_path, progress=say)
    feature_names = _feature_names(model)
    training = {
        "trained_on": report.source,
        "command": command,
        "simulated": bool("tactic" in frame.columns and "case" in frame.columns),
        "registry": registry_path or str(default_registry_path().name),
        "rows_read": report.rows_read,
        "rows_rejected": report.rejected,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if seller_logs is not None:
        training["seller_logs"] = str(seller_logs)
    if check_set is not None:
        say(f"scoring the check set {check_set}")
        training["check_set"] = check_set_report(model, check_set)
    _fingerprint(model, data, frame)
    return _save(output_dir, model, feature_names, training)


def _save(
    output_dir: str | Path, model: TrainedModel, feature_names: list[str], training: dict[str, Any]
) -> dict[str, Any]:
    """Write the model directory: the drift monitor's reference first (if any), then the model
    and the card that names both."""
    extra = None
    if model.reference is not None:
        extra = {MONITOR_REFERENCE: write_reference(output_dir, model.reference)}
    return save_model(
        output_dir, model, feature_names=feature_names, training=training, extra=extra
    )


def _labelled_rows(
    data: str | Path | pd.DataFrame,
    columns: ColumnMap | str | Path | None,
    label_column: str,
    time_column: str,
    seller_logs: str | Path | None,
    report: ValidationReport,
    say: Callable[[str], None],
) -> pd.DataFrame:
    """The validated labelled rows to train on, with the seller history from logs if given."""
    say("reading and validating the training data")
    frame = read_training_frame(
        data, columns, label_column=label_column, time_column=time_column, report=report
    )
    if frame.empty or "is_counterfeit" not in frame.columns:
        raise InputError(f"{report.source}: no labelled rows (label column {label_column!r})")
    if seller_logs is not None:
        say("computing the seller history from the logs")
        frame = with_seller_logs(data, frame, seller_logs, columns, time_column)
    return frame


def _fingerprint(model: TrainedModel, data: str | Path | pd.DataFrame, frame: pd.DataFrame) -> None:
    """Record the training data's sha256 in the model's data record (the card shows it)."""
    if isinstance(data, pd.DataFrame) or str(data) == "-":
        rows = frame.drop(columns=["row_number"], errors="ignore")
        model.data["sha256"] = frame_fingerprint(rows)
        model.data["sha256_of"] = "the validated rows"
    else:  # the file's bytes: the same fingerprint anyone can compute, in a fraction of the time
        model.data["sha256"] = sha256_of(data)
        model.data["sha256_of"] = "the training file's bytes"


def check_set_report(model: TrainedModel, path: str | Path) -> dict[str, Any]:
    """How a freshly trained model does on a labelled check set, with its decision policy.

    The card's ``training.check_set``: rows, PR-AUC, block precision, genuine listings blocked,
    recall at block and the calibration curve of the scores ``Scorer`` gives.
    """
    import numpy as np
    from sklearn.metrics import average_precision_score

    from cfdetect._ranking import calibration_curve
    from cfdetect.scorer import Scorer

    report = ValidationReport(str(path))
    frame = read_training_frame(path, report=report)
    if frame.empty or "is_counterfeit" not in frame.columns:
        raise InputError(f"--check-set {path}: no labelled rows (is_counterfeit)")
    scorer = Scorer(
        model.estimator,
        model.thresholds.block,
        model.thresholds.review,
        {"decision_policy": model.policy} if model.policy else None,
    )
    scored = scorer.score_frame(frame.drop(columns=["row_number"], errors="ignore"), explain=False)
    y = frame["is_counterfeit"].to_numpy(dtype=int)
    scores = scored["score"].to_numpy(dtype=np.float64)
    blocked = (scored["decision"] == "block").to_numpy()
    genuine = y == 0
    return {
        "path": str(path),
        "rows": len(y),
        "rows_rejected": report.rejected,
        "infringing": int(y.sum()),
        "pr_auc": float(average_precision_score(y, scores)) if 0 < y.sum() < len(y) else None,
        "block_precision": float(y[blocked].mean()) if blocked.any() else None,
        "genuine_blocked": int((blocked & genuine).sum()),
        "genuine": int(genuine.sum()),
        "recall_at_block": float(blocked[~genuine].mean()) if (~genuine).any() else None,
        "calibration_curve": calibration_curve(y, scores),
        "note": "a check of generalisation: never trained or tuned on",
    }


def with_seller_logs(
    data: str | Path | pd.DataFrame,
    rows: pd.DataFrame,
    seller_logs: str | Path,
    columns: ColumnMap | str | Path | None = None,
    time_column: str = "created_at",
) -> pd.DataFrame:
    """Replace the seller_* fields of validated ``rows`` of ``data`` by those rebuilt from logs.

    ``data`` is read again by ``cfdetect.history.seller_fields`` (rows it cannot read get empty
    fields; validation rejected them already), and the fields are attached by ``row_number``.
    """
    from cfdetect.history import seller_fields

    cmap = columns if isinstance(columns, ColumnMap) else load_column_map(columns)
    if time_column != "created_at":
        renames = {**cmap.renames, time_column: "created_at"}
        cmap = ColumnMap(renames, cmap.transforms, cmap.constants, cmap.carried, cmap.name)
    with seller_fields(data, seller_logs, columns=cmap, strict=False) as fields:
        return fields.attach(rows)


def _feature_names(model: TrainedModel) -> list[str]:
    pipeline = model.estimator.estimator.estimator  # CalibratedClassifierCV > Frozen > Pipeline
    return [str(n) for n in pipeline.named_steps[steps.FEATURES].get_feature_names_out()]
