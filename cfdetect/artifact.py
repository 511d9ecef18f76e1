"""The model directory: ``model.joblib`` plus ``card.json``; integrity, version and trust checks.

A model file is a pickle: loading it runs code. cfdetect therefore loads a model only when

- the directory lies under a trusted root (``trusted_roots``: the shipped ``models/``, the
  directories in ``CFDETECT_TRUSTED_MODELS``, and what the caller names with ``trust=`` or the
  CLI's ``--trust``), or this process wrote the model itself and the file is unchanged since;
- the sha256 of ``model.joblib`` equals the one its card records (the bytes hashed are the bytes
  unpickled: the file is read once);
- the card format and the library versions it was written with match the running ones (the
  minor of scikit-learn and cfdetect, the major of numpy: ``COMPATIBLE_PARTS``);
- neither the directory nor the file is writable by every user.

See ``SECURITY.md`` for the threat model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib
import numpy as np
import pandas as pd

from cfdetect._checks import loads_json
from cfdetect._parsers import USD_PER_UNIT
from cfdetect._pickling import dump as dump_sorted
from cfdetect._version import __version__
from cfdetect.errors import ModelError, UsageError
from cfdetect.policy import Thresholds

if TYPE_CHECKING:  # the model module imports scikit-learn: loaded where a model is unpickled
    from cfdetect.model import TrainedModel

MODEL_FILE = "model.joblib"
CARD_FILE = "card.json"
MONITOR_REFERENCE = "monitor_reference"  # the card's entry for the drift monitor's reference
CARD_VERSION = 1
TRUST_ENV = "CFDETECT_TRUSTED_MODELS"
"""Environment variable: more trusted roots, separated like ``PATH`` (``:``; ``;`` on Windows)."""

Trust = bool | str | Path | Iterable[str | Path]
"""What a caller may pass as ``trust``: ``True`` (this directory), or one or more trusted roots."""

# model directories this process saved itself -> the sha256 of the file it wrote
_WRITTEN: dict[Path, str] = {}


def default_model_dir() -> Path:
    """Return the shipped default model directory (``models/default``)."""
    packaged = resources.files("cfdetect").joinpath("_models/default")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "models" / "default"


def _project_models_dir() -> Path | None:
    """The ``models/`` directory of the source checkout cfdetect runs from, if it runs from one.

    Only a directory beside a ``pyproject.toml`` that names the ``cfdetect`` project counts, so
    an installed package never trusts a stray ``site-packages/models``.
    """
    root = Path(__file__).resolve().parent.parent
    try:
        project = (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return None
    return root / "models" if 'name = "cfdetect"' in project else None


def _as_roots(trust: Trust | None) -> list[Path]:
    if trust is None or isinstance(trust, bool):
        return []
    if isinstance(trust, str | Path):
        return [Path(trust)]
    return [Path(p) for p in trust]


def trusted_roots(trust: Trust | None = None) -> list[Path]:
    """Return the directories under which a model directory is trusted, resolved.

    The shipped ``models/`` (inside the installed package, or the source checkout's
    ``models/``), every directory in the ``CFDETECT_TRUSTED_MODELS`` environment variable
    (absolute paths only: ``env_roots``), and the roots passed as ``trust`` (a path or paths;
    ``True`` adds none).

    Examples
    --------
    >>> roots = trusted_roots(["/srv/models"])
    >>> Path("/srv/models").resolve() in roots and default_model_dir().parent.resolve() in roots
    True
    """
    roots = [default_model_dir().parent]
    project = _project_models_dir()
    if project is not None:
        roots.append(project)
    roots += env_roots()
    roots += _as_roots(trust)
    return [r.expanduser().resolve() for r in roots]


def env_roots() -> list[Path]:
    """Return the trusted roots listed in ``CFDETECT_TRUSTED_MODELS`` (empty entries ignored).

    Raises
    ------
    UsageError
        An entry is a relative path: it would trust a different directory in every working
        directory, so it is refused rather than resolved.
    """
    roots = []
    for entry in os.environ.get(TRUST_ENV, "").split(os.pathsep):
        if not entry.strip():
            continue
        root = Path(entry).expanduser()
        if not root.is_absolute():
            raise UsageError(
                f"{TRUST_ENV}: {entry!r} is a relative path; list absolute directories "
                "(a relative one would trust a different directory in every working directory)"
            )
        roots.append(root)
    return roots


def is_trusted(
    directory: str | Path, trust: Trust | None = None, sha256: str | None = None
) -> bool:
    """Return whether a model directory may be loaded (unpickled).

    Parameters
    ----------
    directory : path
        The model directory; symbolic links are resolved before the check.
    trust : bool, path or paths, optional
        ``True``: the caller vouches for this directory. A path or paths: more trusted roots.
    sha256 : str, optional
        The model file's hash; a directory this process saved itself is trusted while its file
        still has the hash it was written with.

    Examples
    --------
    >>> is_trusted(default_model_dir())
    True
    >>> is_trusted("/tmp/someone-elses-model"), is_trusted("/tmp/x", trust="/tmp")
    (False, True)
    """
    if trust is True:
        return True
    where = Path(directory).expanduser().resolve()
    if sha256 is not None and _WRITTEN.get(where) == sha256:
        return True
    return any(where == root or where.is_relative_to(root) for root in trusted_roots(trust))


def pin_trusted(directory: str | Path, sha256: str) -> None:
    """Trust a model directory in this process while its model file has this sha256.

    ``save_model`` pins what it writes; a worker process pins the model its parent checked.
    """
    _WRITTEN[Path(directory).expanduser().resolve()] = sha256


def _world_writable(path: Path) -> bool:
    try:
        return os.name == "posix" and bool(path.stat().st_mode & stat.S_IWOTH)
    except OSError:
        return False


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
        "scikit-learn": _sklearn_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "joblib": joblib.__version__,
        "python": platform.python_version(),
    }


def _sklearn_version() -> str:
    """scikit-learn's version, without importing it where it is not loaded yet (checking a
    model in the parent of ``--jobs`` workers needs no scikit-learn: about a CPU second)."""
    loaded = sys.modules.get("sklearn")
    if loaded is not None:
        return str(loaded.__version__)
    return importlib.metadata.version("scikit-learn")


COMPATIBLE_PARTS = {"scikit-learn": 2, "numpy": 1, "cfdetect": 2}
"""How much of a library's version a model's card and the running library must share: the
minor of scikit-learn (its pickles load only in the minor that wrote them) and of cfdetect, the
major of numpy (arrays pickle across numpy 2 minors). ``pyproject.toml`` declares the same ranges
around the shipped model's card (``tests/test_dependencies.py`` checks it)."""


def _prefix(version: str, parts: int) -> str:
    return ".".join(version.split(".")[:parts])


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
        dump_sorted(payload, tmp)  # the same bytes for the same model, whatever the hash seed
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
        **({"decision_policy": model.policy} if model.policy is not None else {}),
        **(extra or {}),
    }
    text = json.dumps(_finite(card), indent=2, default=_jsonable, allow_nan=False)
    tmp_card = directory / f".{CARD_FILE}.part"
    tmp_card.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp_card, directory / CARD_FILE)
    pin_trusted(directory, digest)  # this process trusts what it wrote, while unchanged
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
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{directory}: no {CARD_FILE}; not a cfdetect model directory") from None
    except OSError as exc:
        raise ModelError(f"{path}: the card cannot be read ({exc.strerror or exc})") from exc
    try:  # cards are written as UTF-8: anything else (UTF-16, a 200,000-deep array) is damaged
        card = loads_json(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ModelError(f"{path}: the card is damaged (not UTF-8 text)") from None
    except ValueError as exc:
        raise ModelError(f"{path}: the card is damaged ({exc})") from None
    if not isinstance(card, dict) or "model_sha256" not in card:
        raise ModelError(f"{path}: not a cfdetect model card")
    return card


def _table(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class ModelCard:
    """A model card, typed: the entries of ``card.json`` cfdetect acts on, read in one place.

    ``document`` is the card as written (``card.json``'s format is unchanged; the CLI shows it);
    the fields are what the checks, scoring and evaluation read. A missing or malformed table
    reads as empty.

    Examples
    --------
    >>> card = ModelCard.of({"model_sha256": "ab", "thresholds": {"block": 0.9, "review": 0.5}})
    >>> card.model_file, card.block, card.review, card.decision_policy
    ('model.joblib', 0.9, 0.5, None)
    """

    document: Mapping[str, Any] = field(repr=False)
    model_sha256: str | None
    name: str | None = None
    model_file: str = MODEL_FILE
    card_version: object = CARD_VERSION
    versions: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    decision_policy: Mapping[str, Any] | None = None
    training: Mapping[str, Any] = field(default_factory=dict)
    monitor_reference: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, document: Mapping[str, Any] | None) -> ModelCard:
        """The typed card of a card document (``read_card``'s dict); None: an empty card."""
        doc = document or {}
        sha = doc.get("model_sha256")
        name = doc.get("name")
        return cls(
            document=doc,
            model_sha256=str(sha) if sha else None,
            name=str(name) if name else None,
            model_file=str(doc.get("model_file", MODEL_FILE)),
            card_version=doc.get("card_version", CARD_VERSION),
            versions=_table(doc.get("versions")),
            thresholds=_table(doc.get("thresholds")),
            decision_policy=doc.get("decision_policy") or None,
            training=_table(doc.get("training")),
            monitor_reference=_table(doc.get(MONITOR_REFERENCE)) or None,
        )

    @property
    def block(self) -> float:
        """The block threshold the card records (``KeyError`` when it records none)."""
        return float(self.thresholds["block"])

    @property
    def review(self) -> float:
        """The review threshold the card records (``KeyError`` when it records none)."""
        return float(self.thresholds["review"])

    @property
    def review_capacity(self) -> float | None:
        """Reviews per day the review band was sized for, when the card says."""
        value = self.thresholds.get("review_capacity")
        return None if value is None else float(value)


@dataclass(frozen=True)
class ModelInspection:
    """What ``cfdetect info`` reports of a model directory without loading (unpickling) it.

    Attributes
    ----------
    directory : Path
    card : ModelCard
        The typed card (``card.document`` is the card as written).
    file_sha256 : str
        The model file's sha256 as read now, or ``"unreadable (...)"``.
    matches_card : bool
        Whether ``file_sha256`` is the sha256 the card records.
    trusted : bool
        Whether the directory may be loaded (``is_trusted``).
    """

    directory: Path
    card: ModelCard
    file_sha256: str
    matches_card: bool
    trusted: bool


def inspect_model(
    directory: str | Path | None = None, *, trust: Trust | None = None
) -> ModelInspection:
    """Read a model directory's card, hash its model file and check trust; never unpickle.

    Examples
    --------
    >>> found = inspect_model()  # the shipped model
    >>> found.matches_card, found.trusted, found.card.model_file
    (True, True, 'model.joblib')
    """
    path = Path(directory) if directory is not None else default_model_dir()
    card = ModelCard.of(read_card(path))
    try:
        digest = sha256_of(path / Path(card.model_file).name)
    except OSError as exc:
        digest = f"unreadable ({exc.strerror or exc})"
    same = digest == card.model_sha256
    return ModelInspection(path, card, digest, same, is_trusted(path, trust, digest))


@dataclass(frozen=True)
class VerifiedModel:
    """A model directory whose card, versions, trust and file hash were checked (not loaded).

    ``blob`` holds the model file's bytes that were hashed: unpickle those, not the file again.
    """

    directory: Path
    model_path: Path
    card: dict[str, Any]
    sha256: str
    blob: bytes = field(repr=False)


def verify_model(
    directory: str | Path | None = None, *, trust: Trust | None = None
) -> VerifiedModel:
    """Every check ``load_model`` makes before it unpickles: card, versions, trust, hash.

    Cheap (no code of the model runs); ``load_model`` calls it first. A parent process that
    starts workers checks the model this way and pins its hash for them.

    Raises
    ------
    ModelError
        As ``load_model``.
    UsageError
        ``CFDETECT_TRUSTED_MODELS`` lists a relative path (``env_roots``).

    Examples
    --------
    >>> verify_model().sha256 == read_card(default_model_dir())["model_sha256"]  # doctest: +SKIP
    True
    """
    directory = Path(directory) if directory is not None else default_model_dir()
    card = read_card(directory)
    typed = ModelCard.of(card)
    name = typed.model_file
    if Path(name).name != name or name in ("", ".", ".."):
        raise ModelError(
            f"{directory}: the card names the model file {name!r}, outside the directory"
        )
    model_path = directory / name
    if not model_path.is_file():
        raise ModelError(f"{directory}: the model file {model_path.name} is missing")
    try:
        blob = model_path.read_bytes()  # hashed and unpickled from the same bytes
    except OSError as exc:
        raise ModelError(f"{model_path}: cannot be read ({exc.strerror or exc})") from exc
    actual = hashlib.sha256(blob).hexdigest()
    if actual != card["model_sha256"]:
        raise ModelError(
            f"{model_path}: sha256 {actual[:12]}… differs from the card's "
            f"{str(card['model_sha256'])[:12]}…; the file was changed after training — "
            "refusing to load"
        )
    card_version = typed.card_version
    if card_version != CARD_VERSION:
        raise ModelError(
            f"{directory}: card format {card_version!r} is not the format {CARD_VERSION} this "
            f"cfdetect {__version__} reads; use the cfdetect version that wrote it, or retrain"
        )
    written = typed.versions
    running = versions()
    if not isinstance(written, dict):
        written = {}
    for lib, parts in COMPATIBLE_PARTS.items():
        if _prefix(str(written.get(lib, "?")), parts) != _prefix(running[lib], parts):
            raise ModelError(
                f"{directory}: written with {lib} {written.get(lib, '?')}, running "
                f"{running[lib]}; retrain the model or install {lib}=={written.get(lib, '?')} "
                "(pip install -c constraints.txt installs the shipped model's versions)"
            )
    if not (
        is_trusted(directory, trust, actual)
        and is_trusted(model_path.resolve().parent, trust, actual)
    ):
        raise ModelError(
            f"{directory}: not a trusted model directory; a model file is a pickle and loading "
            f"it runs code. If you trust whoever wrote it, pass --trust {directory} (CLI), "
            f"trust=True (Python) or add it to {TRUST_ENV} (see SECURITY.md)"
        )
    for path in (directory, model_path):
        if _world_writable(path):
            raise ModelError(
                f"{path}: every user on this machine may write it, so anyone could replace the "
                f"model; refusing to load (chmod o-w {path})"
            )
    return VerifiedModel(directory, model_path, card, actual, blob)


def load_model(
    directory: str | Path | None = None, *, trust: Trust | None = None
) -> tuple[Any, Thresholds, dict[str, Any]]:
    """Load a model directory after checking its trust, the file's hash and the versions.

    Parameters
    ----------
    directory : str or Path, optional
        Default: the shipped ``models/default``.
    trust : bool, path or paths, optional
        ``True`` trusts this directory (the caller vouches for whoever wrote it); a path or
        paths add trusted roots. Without it only ``trusted_roots()`` and models this process
        saved itself are loaded. Loading a model runs code: see ``SECURITY.md``.

    Returns
    -------
    (estimator, thresholds, card)

    Raises
    ------
    ModelError
        Missing files; a hash that differs from the card (the file was changed or replaced); a
        card format or library versions that differ from the running ones; a directory outside
        the trusted roots; a directory or file every user may write.
    UsageError
        ``CFDETECT_TRUSTED_MODELS`` lists a relative path (``env_roots``).

    Examples
    --------
    >>> estimator, thresholds, card = load_model()  # the shipped model  # doctest: +SKIP
    >>> load_model("/tmp/downloaded")  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    cfdetect.errors.ModelError: /tmp/downloaded: not a trusted model directory ...
    """
    verified = verify_model(directory, trust=trust)
    blob, model_path, card = verified.blob, verified.model_path, verified.card
    directory = verified.directory
    try:
        payload = joblib.load(io.BytesIO(blob))
    except Exception as exc:  # a pickle can raise anything
        raise ModelError(f"{model_path}: cannot be loaded ({type(exc).__name__}: {exc})") from exc
    if not isinstance(payload, dict) or not {"estimator", "thresholds"} <= set(payload):
        raise ModelError(f"{model_path}: not a cfdetect model file")
    try:
        thresholds = Thresholds(**payload["thresholds"])
    except TypeError as exc:
        raise ModelError(f"{model_path}: the thresholds cannot be read ({exc})") from exc
    written = card.get("thresholds")  # the document's: a malformed entry is refused
    if not isinstance(written, dict) or (written.get("block"), written.get("review")) != (
        thresholds.block,
        thresholds.review,
    ):  # workers' parents read the card's: they must be the file's
        raise ModelError(
            f"{directory}: the card's thresholds differ from the model file's; the card was "
            "edited after training (pass --block-threshold / --review-threshold instead)"
        )
    policy = getattr(payload["estimator"], "cfdetect_policy_", None)
    # as written ({} is not None): an edited card must not drop the gates
    if _finite(policy) != card.get("decision_policy"):
        raise ModelError(
            f"{directory}: the card's decision policy differs from the model file's; the card "
            "was edited after training"
        )
    return payload["estimator"], thresholds, card
