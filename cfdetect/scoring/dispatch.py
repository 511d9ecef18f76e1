"""Dispatch a scoring run to its engine: this machine, a Dask cluster or Spark.

``score`` is what ``cfdetect score`` calls. The local runner is imported here; the engines
(``cfdetect.engines.dask``, ``cfdetect.engines.spark``) only when asked for, inside ``score``:
they depend on this package, never the reverse at import time.
"""

from __future__ import annotations

from pathlib import Path

from cfdetect.errors import UsageError
from cfdetect.scoring.local import run_local
from cfdetect.scoring.options import EngineOptions, ScoreOptions
from cfdetect.scoring.report import ScoreReport

_DEFAULTS = ScoreOptions()
# options of local scoring an engine run refuses unless they keep these values (Parquet in and
# out, no workers of its own, a new output directory), and why
_LOCAL_ONLY = {
    "fmt": ((None, "parquet"), "the engines read and write Parquet"),
    "output_format": ((None, "parquet"), "the engines read and write Parquet"),
    "encoding": (("utf-8",), "the engines read and write Parquet"),
    "jobs": ((1,), "use --workers with --engine dask, --master with --engine spark"),
    "resume": ((False,), "an engine run writes its output directory anew"),
}


def check_engine_options(options: ScoreOptions) -> None:
    """Refuse the options of local scoring in a Dask or Spark run.

    Raises
    ------
    UsageError
        ``--format`` or ``--output-format`` other than Parquet, ``--encoding``, ``--jobs``,
        ``--resume``.
    """
    for name, (allowed, why) in _LOCAL_ONLY.items():
        if getattr(options, name) not in allowed:
            flag = "--" + {"fmt": "format"}.get(name, name).replace("_", "-")
            raise UsageError(f"{flag} is an option of --engine local ({why})")


def score(
    input: str | Path,
    output: str | Path,
    options: ScoreOptions = _DEFAULTS,
    engine: EngineOptions | None = None,
) -> ScoreReport:
    """Score a listing file with the chosen engine (what ``cfdetect score`` runs).

    ``local`` scores any file format on this machine (``run_local``: one process or
    ``options.jobs`` workers). ``dask`` and ``spark`` score a Parquet file, directory (hive
    partitions become columns) or glob into a Parquet output directory, with the same rows and
    scores as local scoring (``cfdetect.engines.dask.run_dask``,
    ``cfdetect.engines.spark.run_spark``).

    Parameters
    ----------
    input, output : path
    options : ScoreOptions
        The engines take ``model``, ``columns``, ``rejects`` (one file, written by the client),
        ``chunk_size``, ``explain``, the thresholds, ``progress`` (Dask), ``escape_formulas``
        and ``trust``; ``jobs``, ``resume`` and text formats belong to local scoring.
    engine : EngineOptions, optional
        The engine and its own options; default local.

    Returns
    -------
    ScoreReport

    Raises
    ------
    UsageError
        Unknown engine, options of another engine, the engine's extra not installed.

    Examples
    --------
    >>> dask = EngineOptions("dask", workers=2)
    >>> report = score("dump/", "scored/", ScoreOptions(), dask)  # doctest: +SKIP
    """
    engine = engine if engine is not None else EngineOptions()
    engine.check()
    if engine.name == "local":
        return run_local(input, output, options)
    check_engine_options(options)
    if engine.name == "dask":
        try:
            import dask.dataframe  # noqa: F401
            import distributed  # noqa: F401
        except ImportError as exc:
            raise UsageError(
                f"--engine dask needs Dask ({exc.name} is missing): pip install 'cfdetect[dask]'"
            ) from None
        from cfdetect.engines.dask import run_dask

        return run_dask(input, output, options, workers=engine.workers, scheduler=engine.scheduler)
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise UsageError(
            "--engine spark needs PySpark and Java 17+: pip install 'cfdetect[spark]'"
        ) from None
    from cfdetect.engines.spark import run_spark

    return run_spark(input, output, options, master=engine.master)
