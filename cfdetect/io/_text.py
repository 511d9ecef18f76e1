"""Frames as text: delimited (CSV, TSV) and JSON Lines, the one writer of each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cfdetect.io._escape import escape_formulas


def delimited_text(
    frame: pd.DataFrame, sep: str = ",", *, header: bool = True, escape: bool = False
) -> str:
    r"""Write ``frame`` as CSV (``sep=","``) or TSV (``sep="\t"``) text, rows ending with ``\n``.

    The one writer of every delimited output (scored rows, the rejects of validate, score and
    evaluate). TSV is quoted as CSV is: a cell or column name holding the delimiter, a double
    quote, a line feed or a carriage return is written in double quotes, its quotes doubled, so
    that ``pandas.read_csv(sep="\t")`` and Python's ``csv`` module read every cell back as it
    was; other cells are written as they are. With ``escape``, ``escape_formulas`` first.

    Examples
    --------
    >>> delimited_text(pd.DataFrame({"a": ["x\ry", "=1"], "b": [1.5, 2.0]}), escape=True)
    'a,b\n"x\ry",1.5\n\'=1,2.0\n'
    """
    if escape:
        frame = escape_formulas(frame)
    text = frame.to_csv(index=False, header=header, sep=sep)
    if "\r" not in text:
        return text
    # the csv module quotes only the delimiter, the quote and the characters of its line
    # terminator: end the rows with a run of CR LF that no cell holds, so that every cell holding
    # a CR is quoted, then end them with LF again (unquoted cells hold no CR or LF, so each run
    # found is a row end)
    end = "\r\n"
    while end in text:
        end += "\r\n"
    return frame.to_csv(index=False, header=header, sep=sep, lineterminator=end).replace(end, "\n")


def jsonl_text(frame: pd.DataFrame) -> str:
    r"""Write ``frame`` as JSON Lines, one object per row, floats in full.

    pandas writes floats to 10 significant decimals; here every float (of a float column, or
    in an object column) is written as Python's ``repr``, the shortest text that reads back as
    the same float, as CSV output has it; NaN and infinities are ``null``. The rest is pandas'
    ``to_json`` (ISO dates, text as it is).

    Examples
    --------
    >>> jsonl_text(pd.DataFrame({"id": ["a/b"], "score": [0.1 + 0.2]}))
    '{"id":"a\\/b","score":0.30000000000000004}\n'
    """
    fields: list[str] = []  # '{"name":' or ',"name":' of each float column
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if column.dtype.kind != "f" and not (column.dtype == object and _floats_no_text(column)):
            continue
        if not fields:
            frame = frame.copy()
        empty = _to_json(pd.DataFrame({0: [None]}).set_axis(frame.columns[i : i + 1], axis=1))
        fields.append(("{" if i == 0 else ",") + empty[1 : empty.rindex("null}")])
        frame.isetitem(i, pd.Series(_float_texts(column), index=frame.index, dtype=object))
    text = _to_json(frame)
    # the floats were written as JSON strings: unquote them. A quote after { or , is never
    # escaped, so it opens a key: '{"name":"' or ',"name":"' is found only where the float
    # column's field starts (or that column's null, which is not followed by a quote)
    for field_ in fields:
        pieces = text.split(field_ + '"')  # each piece after the first: 'float"...'
        rest = [piece.replace('"', "", 1) for piece in pieces[1:]]  # a float holds no quote
        text = field_.join([pieces[0], *rest])
    return text


def _floats_no_text(column: pd.Series) -> bool:
    """An object column holding floats and no text (a JSON Lines input's number field)."""
    kinds = {type(v) for v in column.to_numpy().tolist()}
    return float in kinds and str not in kinds


def _float_texts(column: pd.Series) -> list[object]:
    """Each float as ``repr`` (NaN, infinities: None, written null); other values as they are."""
    if column.dtype.kind == "f":
        values = column.to_numpy(dtype=np.float64)
        texts: list[object] = list(map(repr, values.tolist()))
        for j in np.flatnonzero(~np.isfinite(values)).tolist():
            texts[j] = None
        return texts
    return [
        (repr(v) if v - v == 0 else None) if isinstance(v, float) else v
        for v in column.to_numpy(dtype=object).tolist()
    ]


def _to_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
