"""Chunked readers and atomic writers: round trips in every format, across chunk boundaries."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdetect.errors import InputError, UsageError
from cfdetect.io import RawChunk, detect_format, open_writer, read_chunks

FORMATS = ["data.csv", "data.csv.gz", "data.tsv", "data.jsonl", "data.jsonl.gz", "data.parquet"]


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "listing_id": [f"id{i}" for i in range(n)],
            "title": [f'Title "{i}", with, commas\nand a newline' for i in range(n)],
            "price": [f"{i + 1}.50" for i in range(n)],
        }
    )


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize(("n", "chunk_size"), [(0, 3), (1, 3), (7, 3), (9, 3), (10, 100)])
def test_round_trip_across_chunk_boundaries(
    tmp_path: Path, name: str, n: int, chunk_size: int
) -> None:
    frame = _frame(n)
    path = tmp_path / name
    with open_writer(path) as writer:
        for start in range(0, max(n, 1), 4):  # written in chunks of 4, read in chunks of 3
            writer.write(frame.iloc[start : start + 4])
    chunks = list(read_chunks(path, chunk_size=chunk_size))
    assert all(c.n_rows <= chunk_size for c in chunks)
    back = pd.concat([c.frame for c in chunks], ignore_index=True)
    numbers = [int(x) for c in chunks for x in c.row_numbers]
    assert numbers == list(range(1, n + 1))
    if n:
        pd.testing.assert_frame_equal(back.astype(str), frame.astype(str))


def test_broken_csv_lines_become_broken_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,2\n3,4,5\n"6\n7",8\n9\n', encoding="utf-8")
    chunks = list(read_chunks(path, chunk_size=2))
    rows = sum(len(c.frame) for c in chunks)
    broken = [b for c in chunks for b in c.broken]
    assert rows == 2 and [b[0] for b in broken] == [2, 4]
    assert "3 fields" in broken[0][2]


def test_semicolon_csv_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("listing_id;price\n1;1.549,00 €\n", encoding="utf-8")
    frame = next(read_chunks(path)).frame
    assert frame.loc[0, "price"] == "1.549,00 €"


def test_broken_jsonl_lines_become_broken_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"a": \n\n[1, 2]\n{"a": {"nested": true}}\n', encoding="utf-8")
    chunk = next(read_chunks(path))
    assert len(chunk.frame) == 2 and [b[0] for b in chunk.broken] == [2, 3]
    assert chunk.frame.loc[1, "a"] == '{"nested": true}'


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1,caf\xe9\n")
    assert "\ufffd" in next(read_chunks(path)).frame.loc[0, "b"]
    assert next(read_chunks(path, encoding="cp1252")).frame.loc[0, "b"] == "café"


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"PAR1\x00\x00garbage", "x.parquet", "not a readable Parquet file"),
        (b"PAR1" + b"\x00" * 50, "x.csv", "not a text file"),
        (b"", "x.csv", "empty"),
        (gzip.compress(b"a,b\n1,2\n" * 1000)[:-30], "x.csv.gz", "gzip"),
    ],
)
def test_malformed_files_are_one_line_errors(
    tmp_path: Path, content: bytes, name: str, fragment: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=fragment) as info:
        list(read_chunks(path))
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_chunks(tmp_path / "nope.csv"))
    with pytest.raises(UsageError, match="suffix"):
        detect_format(tmp_path / "x.xlsx")
    with pytest.raises(UsageError, match="--format"):
        detect_format("-")


def test_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), open_writer(out) as writer:
        writer.write(pd.DataFrame({"a": [1]}))
        raise RuntimeError("boom")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_writer_output_directory_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        open_writer(tmp_path / "missing" / "out.csv")


def test_stdin_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    fake = io.TextIOWrapper(io.BytesIO(b'{"a": 1}\n{"a": 2}\n'))
    monkeypatch.setattr(sys, "stdin", fake)
    chunk = next(read_chunks("-", "jsonl"))
    assert list(chunk.frame["a"]) == [1, 2]


def _csv_with_broken_rows(path: Path, n: int) -> Path:
    """``n`` data records; every fifth has a field too many (a broken row)."""
    lines = ["listing_id,title"]
    for i in range(n):
        lines.append(f'{i},"title {i}\nsecond line"' + (",extra" if i % 5 == 4 else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _as_chunks(pieces: list[RawChunk]) -> list[tuple[list[list[str]], list[int], list]]:
    """Pieces joined back into the chunks they came from (``ends_chunk`` ends one)."""
    chunks, rows, numbers, broken = [], [], [], []
    for piece in pieces:
        rows += piece.frame.to_numpy().tolist()
        numbers += piece.row_numbers.tolist()
        broken += piece.broken
        if piece.ends_chunk:
            chunks.append((rows, numbers, broken))
            rows, numbers, broken = [], [], []
    assert not (rows or numbers or broken), "rows after the last chunk's end"
    return chunks


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 40), chunk_size=st.integers(1, 12), piece_size=st.integers(1, 15))
def test_csv_read_in_pieces_gives_the_same_chunks(
    tmp_path_factory: pytest.TempPathFactory, n: int, chunk_size: int, piece_size: int
) -> None:
    """``piece_size`` only cuts chunks finer: joined by ``ends_chunk`` they are the chunks."""
    path = _csv_with_broken_rows(tmp_path_factory.mktemp("pieces") / "x.csv", n)
    whole = list(read_chunks(path, chunk_size=chunk_size))
    pieces = list(read_chunks(path, chunk_size=chunk_size, piece_size=piece_size))
    assert all(c.ends_chunk for c in whole)
    assert all(p.n_rows <= min(piece_size, chunk_size) for p in pieces)
    assert _as_chunks(pieces) == _as_chunks(whole)
    assert [list(p.frame.columns) for p in pieces] == [["listing_id", "title"]] * len(pieces)


@pytest.mark.parametrize("name", ["data.jsonl", "data.parquet"])
def test_piece_size_leaves_other_formats_in_whole_chunks(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with open_writer(path) as writer:
        writer.write(_frame(7))
    chunks = list(read_chunks(path, chunk_size=3, piece_size=2))
    assert [c.n_rows for c in chunks] == [3, 3, 1] and all(c.ends_chunk for c in chunks)
