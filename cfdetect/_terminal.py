"""What the command line prints on the terminal: one console, input text made inert, errors as
one line with an exit code. Shared by ``cfdetect.cli`` and the feedback commands."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.text import Text

from cfdetect.errors import CfdetectError, Interrupted, UsageError

err = Console(stderr=True)  # summaries, progress and errors; ``cfdetect -q`` sets ``err.quiet``

# control characters (C0, DEL, C1: an ANSI escape rewrites the terminal), bidirectional
# controls (embeddings, overrides, isolates and marks reorder what is shown) and line or
# paragraph separators: input text is shown with them escaped, never interpreted
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def escaped(text: str) -> str:
    return UNSAFE.sub(
        lambda m: " " if m.group() in "\t\n\r" else m.group().encode("unicode_escape").decode(),
        text,
    )


def clean(value: object, style: str = "") -> Text:
    r"""Input-derived text for the terminal: one line, controls escaped, never read as markup.

    Every text that comes from input (file names, column names, listing ids, values, reasons,
    error messages) is printed through this (or ``_say``, which uses it).

    Examples
    --------
    >>> clean("[bold]x[/bold]\x1b[2J\u202e\u200f").plain
    '[bold]x[/bold]\\x1b[2J\\u202e\\u200f'
    """
    return Text(escaped(str(value)), style=style)


def error(exc: object) -> None:
    quiet, err.quiet = err.quiet, False  # --quiet silences summaries, never an error
    try:
        err.print(
            Text.assemble(("error:", "red"), " ", clean(exc)), highlight=False, soft_wrap=True
        )
    finally:
        err.quiet = quiet


@contextmanager
def errors(kept: Callable[[], str | None] | None = None) -> Iterator[None]:
    """Turn library errors into one line on stderr and an exit code; no tracebacks.

    ``kept`` says, on an interruption, what was kept for ``--resume`` (None: nothing).
    """
    try:
        yield
    except UsageError as exc:
        error(exc)
        raise typer.Exit(2) from None
    except CfdetectError as exc:
        error(exc)
        raise typer.Exit(1) from None
    except OSError as exc:  # the operating system refused something cfdetect did not foresee
        error(f"{exc.filename}: {exc.strerror or exc}" if exc.filename else exc)
        raise typer.Exit(1) from None
    except KeyboardInterrupt as exc:
        note = kept() if kept is not None else None
        line = Text.assemble(("interrupted", "red"), ": no output was left under its final name")
        if note:
            line.append("; ").append_text(clean(note))
        err.print(line, highlight=False, soft_wrap=True)  # one line, however long
        raise typer.Exit(exc.exit_code if isinstance(exc, Interrupted) else 130) from None
