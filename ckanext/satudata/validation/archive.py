"""An XLSX file is checked here before any reader opens it.

An XLSX is a zip of XML parts; openpyxl (even read-only) holds every shared
string in memory, and a zip states sizes it does not have to keep. A
400 KB "shared-strings bomb" took the worker to 1.6 GB. So every reader
(validation, inference, preview, chart, conversions) first asks ``check``:
the zip must open, each part's declared size and the whole must stay under
the limits, the compression ratio must be one real data reaches, and the
shared strings and the sheets' stated cells are counted. The parts that
openpyxl keeps in memory (shared strings, workbook, styles) are inflated
for real, in bounded chunks, so a size that lies is caught too.
"""
from __future__ import annotations

import re
import zipfile
import zlib

from ckanext.satudata.validation.problems import Unreadable

# Bounds a file must stay under; a real sectoral workbook is far below them.
MAX_TOTAL_BYTES = 1024 ** 3            # all parts inflated
MAX_MEMBER_BYTES = 512 * 1024 ** 2     # one part inflated
MAX_IN_MEMORY_BYTES = 48 * 1024 ** 2   # a part openpyxl keeps whole (shared strings, styles)
MAX_SHARED_STRINGS = 500_000
MAX_CELLS = 30_000_000                 # stated by the sheets' <dimension>
MAX_RATIO = 200                        # inflated / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 ** 2
MAX_MEMBERS = 10_000
_IN_MEMORY = re.compile(r"^xl/(sharedStrings|workbook|styles)\.xml$|^xl/_rels/|^\[Content_Types\]\.xml$")
_DIMENSION = re.compile(rb'<dimension[^>]*ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SI = re.compile(rb"<si[ >/]")
CHUNK = 256 * 1024


def check(path: str) -> None:
    """Raise ``Unreadable`` (code ``broken-archive`` or ``archive-too-large``) unless the
    XLSX at PATH is safe to open; returns quickly (it reads the small parts only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise Unreadable("archive-too-large", reason="parts", count=len(members))
            total = sum(m.file_size for m in members)
            if total > MAX_TOTAL_BYTES:
                raise Unreadable("archive-too-large", reason="size", size=total)
            for member in members:
                _check_member(archive, member)
    except zipfile.BadZipFile:
        raise Unreadable("broken-archive") from None
    except (zlib.error, EOFError, NotImplementedError):
        raise Unreadable("broken-archive") from None


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    if member.file_size > MAX_MEMBER_BYTES:
        raise Unreadable("archive-too-large", reason="size", size=member.file_size)
    if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(1, member.compress_size):
        raise Unreadable("archive-too-large", reason="ratio",
                         ratio=member.file_size // max(1, member.compress_size))
    if _IN_MEMORY.match(member.filename):
        _inflate_in_memory_part(archive, member)
    elif member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
        _check_dimension(archive, member)


def _inflate_in_memory_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Inflate the part in chunks: its real size (not the stated one) and its strings."""
    size = strings = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > MAX_IN_MEMORY_BYTES:
                raise Unreadable("archive-too-large", reason="strings", size=size)
            window = tail + chunk
            strings += len(_SI.findall(window)) - len(_SI.findall(tail))
            if strings > MAX_SHARED_STRINGS:
                raise Unreadable("archive-too-large", reason="strings", count=strings)
            tail = chunk[-8:]


def _check_dimension(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The cells a sheet says it spans (its first KB); openpyxl streams the rest."""
    with archive.open(member) as stream:
        head = stream.read(4096)
    found = _DIMENSION.search(head)
    if not found or not found.group(3):
        return
    rows = int(found.group(4)) - int(found.group(2)) + 1
    cols = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
    if rows * cols > MAX_CELLS:
        raise Unreadable("archive-too-large", reason="cells", count=rows * cols)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode():
        number = number * 26 + ord(letter) - 64
    return number
