"""Chunked readers and atomic writers for CSV, JSON Lines and Parquet; ``-`` is stdin/stdout.

Readers yield ``RawChunk`` objects: the raw values of up to ``chunk_size`` rows (strings for
text formats, so the schema's parsers see what the file says), their 1-based row numbers, and the
rows the reader could not split into fields (a CSV line with the wrong number of fields, a JSON
Lines line that is not an object), which validation turns into rejects. Nothing is dropped.

Writers write to a temporary file beside the target and rename it into place only when the whole
output has been written, so an interrupted run never leaves a partial file under the final name.

The package's modules, one concern each (every name is imported from ``cfdetect.io``):

- ``_formats``: the formats, the suffixes that tell them, ``detect_format``, ``input_size``;
- ``_chunks``: ``RawChunk`` and the column limit the readers share;
- ``_sniff``: opening a text input (gzip, byte order marks, binary content refused);
- ``_csv``, ``_jsonl``, ``_parquet``: one reader each (``_parquet`` also types reason lists);
- ``_readers``: ``read_chunks``, the one entry to the readers;
- ``_escape``: formula escaping; ``_text``: frames as CSV/TSV and JSON Lines text;
- ``_atomic``: temporary names, ``StagedFile``, ``commit_together``;
- ``_writers``: ``TableWriter``, ``open_writer``, ``write_table``.
"""

from __future__ import annotations

from cfdetect.io._atomic import StagedFile, commit_together, partial_path, same_file
from cfdetect.io._chunks import MAX_COLUMNS, RawChunk
from cfdetect.io._escape import _PLAIN_NUMBER as _PLAIN_NUMBER
from cfdetect.io._escape import FORMULA_BLANKS, FORMULA_STARTS, escape_formula, escape_formulas
from cfdetect.io._formats import DEFAULT_CHUNK_SIZE, FORMATS, detect_format, input_size
from cfdetect.io._parquet import REASON_COLUMNS, plain_columns, reason_list_type
from cfdetect.io._readers import read_chunks
from cfdetect.io._text import delimited_text, jsonl_text
from cfdetect.io._writers import TableWriter, WriterState, open_writer, write_table

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FORMATS",
    "FORMULA_BLANKS",
    "FORMULA_STARTS",
    "MAX_COLUMNS",
    "REASON_COLUMNS",
    "RawChunk",
    "StagedFile",
    "TableWriter",
    "WriterState",
    "commit_together",
    "delimited_text",
    "detect_format",
    "escape_formula",
    "escape_formulas",
    "input_size",
    "jsonl_text",
    "open_writer",
    "partial_path",
    "plain_columns",
    "read_chunks",
    "reason_list_type",
    "same_file",
    "write_table",
]
