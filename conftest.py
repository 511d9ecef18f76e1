"""Collection rules for the whole tree (doctests of ``cfdetect`` and the tests)."""

import importlib.util

# the compiled tree walk is an optional extra (``fast``): without numba its module cannot import
collect_ignore = [] if importlib.util.find_spec("numba") else ["cfdetect/_treewalk_numba.py"]
