"""How to read an OPD's file: what it is, its encoding, delimiter, sheet and header row.

Files from OPDs are rarely tidy CSV: Excel exports in Windows-1252, a BOM,
semicolons (Excel in an Indonesian locale writes them), workbooks whose
first sheet is a cover page or whose table starts under a title. The
sniffing here reads a bounded sample only, so it costs the same for a
1 KB and a 1 GB file.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import re
import os
import zipfile
import zlib
from typing import Any, Iterator

from ckanext.satudata.validation import archive
from ckanext.satudata.validation.problems import Unreadable

SAMPLE_BYTES = 256 * 1024
# What openpyxl raises on a workbook whose zip passed the check but whose parts are damaged.
BROKEN_XLSX = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
               IndexError, AttributeError, SyntaxError)  # SyntaxError: ElementTree's ParseError
HEADER_SEARCH_ROWS = 30
# A line longer than this is no table row (a file of one repeated byte, a minified
# page): readers stop there instead of holding the line in memory.
MAX_LINE_CHARS = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_HTML = re.compile(r"\s*(<!doctype html|<html|<head|<body|<\?xml|<!--)", re.I)

# Leading bytes of files OPDs upload by mistake under a .csv/.xlsx name.
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),  # legacy .xls / .doc
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
)


@dataclasses.dataclass
class Layout:
    """What Frictionless needs to be told to read the file as its producer meant it."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    sheets: list[str] = dataclasses.field(default_factory=list)
    # A CSV whose table seems to start lower down (title lines above it): that row.
    header_hint: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, [])}


def kind_of(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def detect(path: str, format_: str, overrides: dict[str, Any] | None = None) -> Layout:
    """The layout of a local file; ``overrides`` (a resource's options) win over sniffing."""
    overrides = overrides or {}
    if os.path.getsize(path) == 0:
        raise Unreadable("empty-file")
    with open(path, "rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    kind = kind_of(sample)
    format_ = format_.lower()
    if format_ in ("xlsx", "xls") or kind in ("zip", "ole"):
        return _excel_layout(path, format_, kind, overrides)
    encoding = overrides.get("encoding") or detect_encoding(sample, at_end=len(sample) < SAMPLE_BYTES)
    if kind is not None or (b"\x00" in sample[:8192] and not encoding.startswith("utf-16")):
        raise Unreadable("not-tabular", kind=kind or "binary")
    text = sample.decode(encoding, errors="replace")
    if not text.strip():
        raise Unreadable("empty-file")
    if _HTML.match(text[:1024]):
        raise Unreadable("not-tabular", kind="html")
    delimiter = overrides.get("delimiter") or detect_delimiter(text)
    layout = Layout(format="csv", encoding=encoding, delimiter=delimiter,
                    header_row=int(overrides.get("header_row") or 1))
    if not overrides.get("header_row"):
        layout.header_hint = header_hint(text, delimiter)
    return layout


def header_hint(text: str, delimiter: str) -> int | None:
    """The row a table's header seems to be on when lines above it are a title; else None."""
    lines = text.splitlines()[:HEADER_SEARCH_ROWS + 20]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]
    widths = [_width(row) for row in csv.reader(lines, delimiter=delimiter)]
    found = _table_start(widths)
    return found[0] if found and found[0] > 1 else None


def detect_encoding(sample: bytes, at_end: bool = True) -> str:
    """utf-8-sig for a BOM, utf-8 when the sample decodes, else the Windows code page.

    The sample may end inside a multi-byte character, hence the incremental
    decoder (final only when the sample is the whole file).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a BOM: text of Latin letters has a zero byte in every other place.
    pairs = sample[:4096]
    if len(pairs) >= 8:
        odd, even = pairs[1::2].count(0), pairs[0::2].count(0)
        if odd > 0.9 * (len(pairs) // 2) and even == 0:
            return "utf-16-le"
        if even > 0.9 * (len(pairs) // 2) and odd == 0:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=at_end)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Five bytes are undefined in Windows-1252; a file using them is Latin-1.
    if any(b in sample for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
        return "latin-1"
    return "cp1252"


def detect_delimiter(text: str) -> str:
    """The candidate found the same number of times (and most often) on the first lines."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not text.endswith("\n"):
        lines = lines[:-1]  # possibly cut by the sample
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [_count_outside_quotes(line, delimiter) for line in lines]
        # The count most lines share (a title line above the table has none).
        found = [c for c in counts if c]
        if not found:
            continue
        usual = max(set(found), key=lambda c: (found.count(c), c))
        consistent = sum(1 for c in counts if c == usual)
        score = (consistent, usual)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _excel_layout(path: str, format_: str, kind: str | None, overrides: dict) -> Layout:
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as zipped:
                if "xl/workbook.xml" not in zipped.namelist():
                    raise Unreadable("not-tabular", kind="zip")
        except zipfile.BadZipFile:
            raise Unreadable("broken-archive") from None
        archive.check(path)
        try:
            return _xlsx_layout(path, overrides)
        except Unreadable:
            raise
        except BROKEN_XLSX:
            raise Unreadable("broken-archive") from None
    if kind == "ole":
        return Layout(format="xls", header_row=int(overrides.get("header_row") or 1),
                      sheet=overrides.get("sheet"))
    raise Unreadable("not-tabular", kind=kind or ("text" if format_ in ("xlsx", "xls") else "binary"))


def _xlsx_layout(path: str, overrides: dict) -> Layout:
    import openpyxl

    # A stream: openpyxl refuses paths without an .xlsx suffix, like CKAN's stored uploads.
    stream = open(path, "rb")
    book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    try:
        sheets = list(book.sheetnames)
        candidates = [overrides["sheet"]] if overrides.get("sheet") else sheets
        best = None
        for name in candidates:
            if name not in sheets:
                raise Unreadable("sheet-not-found", sheet=name, sheets=sheets)
            rows = [_width(row) for row in book[name].iter_rows(
                max_row=HEADER_SEARCH_ROWS + 20, values_only=True)]
            table = _table_start(rows)
            if table is not None and (best is None or table[1] > best[2]):
                best = (name, table[0], table[1])
            if overrides.get("sheet"):
                break
        if best is None:
            raise Unreadable("no-table", sheets=sheets)
        name, header_row, _ = best
        if overrides.get("header_row"):
            header_row = int(overrides["header_row"])
        return Layout(format="xlsx", sheet=name, header_row=header_row, sheets=sheets)
    finally:
        book.close()
        stream.close()


def _width(row: tuple) -> int:
    """Index of the last filled cell + 1, counting only runs that start at a filled cell."""
    return sum(1 for cell in row if cell not in (None, ""))


def _table_start(widths: list[int]) -> tuple[int, int] | None:
    """(1-based header row, width) of the first row as wide as the table under it.

    Titles, notes and blank lines above a table fill one or two cells; the
    header is the first row whose width matches most of the rows after it.
    """
    if not any(widths):
        return None
    widest = max(widths)
    for index, width in enumerate(widths[:HEADER_SEARCH_ROWS]):
        if width >= 2 and width >= widest * 0.6:
            following = [w for w in widths[index + 1:index + 6] if w]
            if not following or sum(1 for w in following if w >= width * 0.5) >= len(following) / 2:
                return index + 1, width
    first = next(i for i, w in enumerate(widths) if w)
    return first + 1, widths[first]


def lines(path: str, encoding: str | None) -> Iterator[str]:
    """The text lines of a CSV, each read with a bound (``Unreadable("line-too-long")``)."""
    with open(path, newline="", encoding=encoding or "utf-8", errors="replace") as text:
        while line := text.readline(MAX_LINE_CHARS + 1):
            if len(line) > MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                raise Unreadable("line-too-long", limit=MAX_LINE_CHARS)
            yield line


def csv_rows(path: str, layout: Layout) -> Iterator[list[str]]:
    """The rows of a CSV as LAYOUT reads it, from its header row on."""
    rows = csv.reader(lines(path, layout.encoding), delimiter=layout.delimiter or ",")
    try:
        for number, row in enumerate(rows, 1):
            if number >= layout.header_row:
                yield row
    except csv.Error as problem:
        raise Unreadable("line-too-long", limit=MAX_LINE_CHARS) from problem


def csv_sample(path: str, layout: Layout, limit: int) -> list[dict[str, str]]:
    """Up to LIMIT data rows of a CSV as {column: text}."""
    rows = csv_rows(path, layout)
    header = [name.strip() for name in next(rows, [])]
    return [dict(zip(header, row)) for _, row in zip(range(limit), rows)]
