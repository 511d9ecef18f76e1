"""The ``cfdetect`` command line: thin commands over the library.

Each command parses its options, makes one library call and maps library errors to exit codes
(2 for usage errors, 1 for everything else). Progress and summaries go to stderr; data goes to
stdout or files, so pipes stay clean.

The commands live by concern: ``_data`` (validate, simulate, seller-history), ``_scoring``
(score, explain), ``_models`` (train, evaluate, info), ``_feedback`` (labels, monitor, replay)
and ``_serve``; ``_common`` holds their shared options and terminal helpers, ``_card`` shows a
model card.
"""

from __future__ import annotations

import sys

from cfdetect.cli._app import _on_signal, app
from cfdetect.cli._data import seller_history, simulate, validate
from cfdetect.cli._feedback import labels, monitor, replay
from cfdetect.cli._models import evaluate, info, train
from cfdetect.cli._scoring import explain, score
from cfdetect.cli._serve import serve

__all__ = ["app", "main"]

# the commands, in the order --help lists them
for _command in (validate, train, score, evaluate, explain, info, simulate):
    app.command()(_command)
app.command("seller-history")(seller_history)
app.command()(serve)
for _command in (labels, monitor, replay):
    app.command()(_command)


def main() -> None:
    """Entry point of the ``cfdetect`` console script."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    app(prog_name="cfdetect")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
