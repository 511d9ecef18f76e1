"""The ``cfdetect`` typer app, its global options (``--version``, ``-q``) and the signal handler."""

from __future__ import annotations

from typing import Annotated

import typer

from cfdetect._terminal import err
from cfdetect._version import __version__
from cfdetect.errors import Interrupted

app = typer.Typer(
    name="cfdetect",
    help="Flag counterfeit and IP-infringing marketplace listings before they are published.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cfdetect {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "-q", "--quiet", envvar="CFDETECT_QUIET", help="No summaries or progress on stderr."
        ),
    ] = False,
) -> None:
    """cfdetect: score listings, train models, evaluate catch rates."""
    err.quiet = quiet  # errors still print: _error writes them past quiet


def _on_signal(signum: int, frame: object) -> None:
    """SIGTERM and SIGHUP stop a command as Ctrl-C does: cleanup runs, workers are ended."""
    raise Interrupted(signum)
