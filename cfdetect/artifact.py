"""The model directory: ``model.joblib`` plus ``card.json``, with integrity and version checks.

A model file is a pickle: loading it runs code. cfdetect therefore loads a model only when the
sha256 of ``model.joblib`` equals the one its card records, and only when the library versions
it was written with match the running ones. Load model directories you trust only (the shipped
``models/`` and directories your own team wrote); see SECURITY notes in the README.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import tempfile
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn

from cfdetect._parsers import USD_PER_UNIT
from cfdetect._version import __version__
from cfdetect.errors import ModelError
from cfdetect.model import Thresholds, TrainedModel

MODEL_FILE = "model.joblib"
CARD_FILE = "card.json"
CARD_VERSION = 1


def default_model_dir() -> Path:
    """Return the shipped default model directory (``models/default``)."""
    packaged = resources.files("cfdetect").joinpath("_models/default")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "models" / "default"


def sha256_of(path: str | Path) -> str:
    """Return the hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frame_fingerprint(frame: pd.DataFrame) -> str:
    """Return a sha256 of a frame's contents (row hashes of every column, in order)."""
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def versions() -> dict[str, str]:
    """The library versions a card records and a load compares."""
    return {
        "cfdetect": __version__,
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "joblib": joblib.__version__,
        "python": platform.python_version(),
    }


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def save_model(
    directory: str | Path,
    model: TrainedModel,
    *,
    feature_names: list[str],
    training: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write a model directory atomically: ``model.joblib`` then ``card.json``.

    Returns
    -------
    dict
        The card that was written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"estimator": model.estimator, "thresholds": asdict(model.thresholds)}
    handle, tmp = tempfile.mkstemp(dir=directory, prefix=".model.", suffix=".part")
    os.close(handle)
    try:
        joblib.dump(payload, tmp, compress=3)
        digest = sha256_of(tmp)
        os.replace(tmp, directory / MODEL_FILE)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    card = {
        "card_version": CARD_VERSION,
        "name": directory.name,
        "versions": versions(),
        "model_file": MODEL_FILE,
        "model_sha256": digest,
        "feature_schema": feature_names,
        "currencies_usd_per_unit": USD_PER_UNIT,
        "training": training,
        "training_data": model.data,
        "config": {k: v for k, v in asdict(model.config).items()},
        "thresholds": asdict(model.thresholds),
        "holdout_metrics": model.metrics,
        "ablation": model.ablation,
        **(extra or {}),
    }
    text = json.dumps(_finite(card), indent=2, default=_jsonable, allow_nan=False)
    tmp_card = directory / f".{CARD_FILE}.part"
    tmp_card.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp_card, directory / CARD_FILE)
    return card


def _finite(value: Any) -> Any:
    """Replace NaN and infinities by None, recursively (JSON has no NaN)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    return value


def _jsonable(value: object) -> object:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, tuple | set):
        return list(value)
    return str(value)


def read_card(directory: str | Path) -> dict[str, Any]:
    """Read and return a model directory's card, with a clear error when it is unusable."""
    path = Path(directory) / CARD_FILE
    if not Path(directory).is_dir():
        raise ModelError(f"{directory}: no such model directory")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{directory}: no {CARD_FILE}; not a cfdetect model directory") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: the card cannot be read ({exc})") from exc
    if not isinstance(card, dict) or "model_sha256" not in card:
        raise ModelError(f"{path}: not a cfdetect model card")
    return card


def load_model(directory: str | Path | None = None) -> tuple[Any, Thresholds, dict[str, Any]]:
    """Load a model directory after checking the file's hash and the library versions.

    Parameters
    ----------
    directory : str or Path, optional
        Default: the shipped ``models/default``.

    Returns
    -------
    (estimator, thresholds, card)

    Raises
    ------
    ModelError
        Missing files, a hash that differs from the card (the file was changed or replaced),
        or versions that differ from the running ones.
    """
    directory = Path(directory) if directory is not None else default_model_dir()
    card = read_card(directory)
    model_path = directory / card.get("model_file", MODEL_FILE)
    if not model_path.is_file():
        raise ModelError(f"{directory}: the model file {model_path.name} is missing")
    actual = sha256_of(model_path)
    if actual != card["model_sha256"]:
        raise ModelError(
            f"{model_path}: sha256 {actual[:12]}… differs from the card's "
            f"{card['model_sha256'][:12]}…; the file was changed after training — refusing to load"
        )
    written = card.get("versions", {})
    running = versions()
    for name in ("scikit-learn", "numpy", "cfdetect"):
        if _minor(str(written.get(name, "?"))) != _minor(running[name]):
            raise ModelError(
                f"{directory}: written with {name} {written.get(name, '?')}, running "
                f"{running[name]}; retrain the model or install {name}=={written.get(name, '?')}"
            )
    try:
        payload = joblib.load(model_path)
    except Exception as exc:  # a pickle can raise anything
        raise ModelError(f"{model_path}: cannot be loaded ({type(exc).__name__}: {exc})") from exc
    return payload["estimator"], Thresholds(**payload["thresholds"]), card
