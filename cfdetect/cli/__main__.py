"""``python -m cfdetect.cli``: the ``cfdetect`` command."""

import sys

from cfdetect.cli import main

sys.exit(main())
