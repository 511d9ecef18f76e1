"""Typer option types shared by the CLI's commands (``cfdetect.cli`` and the feedback commands)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cfdetect._terminal import error


def _trust_paths(paths: list[Path] | None) -> list[Path] | None:
    """``--trust`` callback: each value names one directory, made absolute here (so that the
    fork server and workers, whatever their working directory, trust the same one)."""
    for path in paths or []:
        if os.pathsep in str(path):
            error(
                f"--trust {path}: name one directory per --trust (repeat the option for more); "
                f"{os.pathsep!r} separates paths only in CFDETECT_TRUSTED_MODELS"
            )
            raise typer.Exit(2)
    return [path.expanduser().resolve() for path in paths] if paths else None


TrustOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--trust",
        help="Trust model directories under this one directory (repeatable). A model file is a "
        "pickle: loading it runs code. Trusted without it: the shipped models/ and "
        "CFDETECT_TRUSTED_MODELS. See SECURITY.md.",
        callback=_trust_paths,
    ),
]
