"""The model a fork server loads once for every worker it forks (see ``cfdetect._processes``).

Imported by the fork server only (it is in ``PRELOAD``). When the parent named a model in
``CFDETECT_PRELOAD_MODEL`` before starting the server, the model is loaded here with the same
checks as anywhere else (trust, hash, versions); the workers forked afterwards share its arrays
(memory pages are copied only when written), so two workers hold one copy of the model in memory
and in the CPU caches instead of two, and none of them loads it again. A worker uses it only when
its hash is the one the parent checked (``scoring.parallel._init_worker``); any failure here leaves
``SCORER`` empty and the workers load the model themselves (and report what is wrong).
"""

from __future__ import annotations

import json
import os
from typing import Any

from cfdetect._processes import PRELOAD_ENV as ENV


def _load() -> Any:
    spec = os.environ.get(ENV)
    if not spec:
        return None
    try:
        wanted = json.loads(spec)
        from cfdetect.scorer import Scorer

        return Scorer.load(wanted["model"], trust=wanted["trust"])
    except Exception:  # the workers load the model themselves and say what is wrong
        return None


SCORER = _load()
