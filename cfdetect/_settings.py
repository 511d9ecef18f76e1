"""Settings with one default shared by the command line and the Python API.

This module imports nothing from cfdetect, so the CLI can read it without loading pandas.
"""

ESCAPE_FORMULAS = True
"""Formula escaping of CSV/TSV outputs that carry listing text (scored rows, rejects).

The default of ``cfdetect score``, ``validate`` and ``evaluate`` (``--escape-formulas``) and of
``score_file``, ``validate_file``, ``evaluate_file`` and the engines (``escape_formulas=``): a
cell a spreadsheet would run as a formula gets a leading ``'`` (OWASP, CSV injection).
"""
