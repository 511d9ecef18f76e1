"""Collection rules for the whole tree (doctests of ``cfdetect`` and the tests)."""

import importlib.util

# the compiled tree walk is an optional extra (``fast``): without numba its module cannot import
collect_ignore = [] if importlib.util.find_spec("numba") else ["cfdetect/_treewalk_numba.py"]

# property tests run the same examples on every run, so CI cannot fail by chance on a case no
# one has seen; set HYPOTHESIS_PROFILE=explore to search new examples (and fix what they find)
try:
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.register_profile("explore", derandomize=False, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # the lowest-versions venv may run without hypothesis
    pass
