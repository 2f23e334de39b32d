"""Kemendagri region codes (kode wilayah): lookup, validation and search.

The data is ``reference/wilayah.csv`` (provinsi, kabupaten/kota, kecamatan;
see ``reference/README.md`` for its source, licence and Kepmendagri edition).
This module is pure Python with no CKAN import so validators, helpers, API
actions and tests can all use it cheaply; the CSV is parsed once, on first
use, and kept in memory (about 8,000 rows).

Codes are always in the dotted form: ``"35"`` (provinsi), ``"35.14"``
(kabupaten/kota), ``"35.14.01"`` (kecamatan). The undotted form ``"3514"`` is
deliberately *not* a valid code: it is ambiguous with BPS codes, which use
different numbers for many regions, so accepting it would let BPS codes slip
in as if they were Kemendagri ones.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple, TypedDict, Union

__all__ = [
    "CSV_PATH",
    "TINGKAT",
    "Wilayah",
    "children",
    "get",
    "is_valid",
    "name",
    "normalize",
    "search",
]

CSV_PATH = Path(__file__).parent / "reference" / "wilayah.csv"

#: Levels in the order of the hierarchy; also the values of ``tingkat``.
TINGKAT: Tuple[str, ...] = ("provinsi", "kabupaten", "kota", "kecamatan")

# Depth used for ordering search hits: kabupaten and kota are the same level.
_DEPTH = {"provinsi": 0, "kabupaten": 1, "kota": 1, "kecamatan": 2}

_CODE_RE = re.compile(r"^\d{2}(?:\.\d{2}){0,2}$")
_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DIGITS_AND_DOTS = re.compile(r"^[\d.]+$")

# Stripped before matching kab/kota names so that "pasuruan" ranks
# "Kabupaten Pasuruan" as an exact hit instead of below a kecamatan that
# merely starts with "Pasuruan". Longest first: "kota administrasi" must win
# over "kota".
_KABKOTA_PREFIXES = ("kabupaten administrasi ", "kota administrasi ",
                     "kabupaten ", "kota ")

# Abbreviations people actually type for provinces (official names rarely).
# Matching only: they are never returned as names.
_ALIASES: Dict[str, Tuple[str, ...]] = {
    "12": ("sumut",),
    "13": ("sumbar",),
    "16": ("sumsel",),
    "19": ("babel",),
    "21": ("kepri",),
    "31": ("dki", "dki jakarta", "dkj", "jakarta"),
    "32": ("jabar",),
    "33": ("jateng",),
    "34": ("diy", "di yogyakarta", "jogja", "jogjakarta"),
    "35": ("jatim",),
    "52": ("ntb",),
    "53": ("ntt",),
    "61": ("kalbar",),
    "62": ("kalteng",),
    "63": ("kalsel",),
    "64": ("kaltim",),
    "65": ("kaltara",),
    "71": ("sulut",),
    "72": ("sulteng",),
    "73": ("sulsel",),
    "74": ("sultra",),
    "76": ("sulbar",),
    "82": ("malut",),
}


class Wilayah(TypedDict):
    """One region as returned by this module (a fresh dict on every call)."""

    kode: str
    nama: str
    tingkat: str
    #: Code of the enclosing region; None for a provinsi.
    induk: Optional[str]


@dataclass(frozen=True)
class _Row:
    kode: str
    nama: str
    tingkat: str
    induk: Optional[str]
    # Normalised names and aliases to match queries against.
    keys: Tuple[str, ...]

    def as_dict(self) -> Wilayah:
        # A new dict each time so callers may mutate results without
        # corrupting the shared cache.
        return {"kode": self.kode, "nama": self.nama,
                "tingkat": self.tingkat, "induk": self.induk}


@dataclass(frozen=True)
class _Index:
    rows: Dict[str, _Row]
    # Parent code ("" for the root) -> child codes in code order.
    kids: Dict[str, Tuple[str, ...]]


def _fold(text: str) -> str:
    """Lowercase and reduce punctuation to single spaces, for matching only."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def _keys_for(kode: str, nama: str, tingkat: str) -> Tuple[str, ...]:
    folded = _fold(nama)
    keys = [folded]
    if tingkat in ("kabupaten", "kota"):
        for prefix in _KABKOTA_PREFIXES:
            if folded.startswith(prefix):
                keys.append(folded[len(prefix):])
                break
    keys.extend(_ALIASES.get(kode, ()))
    return tuple(keys)


@lru_cache(maxsize=1)
def _index() -> _Index:
    # lru_cache makes the load lazy and one-off; a race on first use at worst
    # parses the file twice, which is harmless, so no lock is needed.
    rows: Dict[str, _Row] = {}
    kids: Dict[str, List[str]] = {}
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            kode, nama, tingkat = rec["kode"], rec["nama"], rec["tingkat"]
            induk = kode.rsplit(".", 1)[0] if "." in kode else None
            rows[kode] = _Row(kode, nama, tingkat, induk,
                              _keys_for(kode, nama, tingkat))
            kids.setdefault(induk or "", []).append(kode)
    return _Index(rows, {k: tuple(sorted(v)) for k, v in kids.items()})


def normalize(kode: object) -> Optional[str]:
    """Return *kode* in canonical form, or None if it is not shaped like one.

    Surrounding and embedded whitespace is dropped (``" 35. 14 "`` becomes
    ``"35.14"``) because codes are often pasted from spreadsheets and PDFs.
    Shape only: whether the code exists is :func:`is_valid`'s job.
    """
    if not isinstance(kode, str):
        return None
    compact = _WHITESPACE.sub("", kode)
    return compact if _CODE_RE.match(compact) else None


def _row(kode: object) -> Optional[_Row]:
    norm = normalize(kode)
    return _index().rows.get(norm) if norm else None


def get(kode: object) -> Optional[Wilayah]:
    """The region with this code, or None if the code is malformed or unknown."""
    row = _row(kode)
    return row.as_dict() if row else None


def name(kode: object) -> Optional[str]:
    """The official name for a code (e.g. ``"35.14"`` → ``"Kabupaten Pasuruan"``)."""
    row = _row(kode)
    return row.nama if row else None


def _levels(tingkat: Union[str, Iterable[str], None]) -> Optional[frozenset]:
    if tingkat is None:
        return None
    levels = frozenset([tingkat] if isinstance(tingkat, str) else tingkat)
    unknown = levels - set(TINGKAT)
    if unknown:
        # A typo here would otherwise silently reject every code.
        raise ValueError(f"unknown tingkat: {', '.join(sorted(unknown))}")
    return levels


def is_valid(kode: object,
             tingkat: Union[str, Iterable[str], None] = None) -> bool:
    """Whether *kode* is an existing region code, optionally of given levels.

    ``is_valid("35.14", tingkat=("kabupaten", "kota"))`` is the check for a
    field that must hold a kabupaten/kota.
    """
    row = _row(kode)
    if row is None:
        return False
    levels = _levels(tingkat)
    return levels is None or row.tingkat in levels


def children(kode: Optional[str] = None) -> List[Wilayah]:
    """Direct children of a region in code order; no code → the provinces.

    An unknown or malformed code has no children (empty list), so a dependent
    select fed a stale value simply shows no options.
    """
    parent = ""
    if kode is not None and not (isinstance(kode, str) and not kode.strip()):
        norm = normalize(kode)
        if norm is None:
            return []
        parent = norm
    idx = _index()
    return [idx.rows[c].as_dict() for c in idx.kids.get(parent, ())]


def _code_query(q: str) -> Optional[str]:
    """Turn a query that looks like a code into a dotted code prefix.

    Unlike :func:`normalize` this accepts undotted digits ("3514" → "35.14"),
    because in a search box that is what people type; search only suggests,
    it never stores.
    """
    compact = _WHITESPACE.sub("", q)
    if not compact or not _DIGITS_AND_DOTS.match(compact):
        return None
    if "." in compact:
        return compact
    return ".".join(compact[i:i + 2] for i in range(0, len(compact), 2))


def _name_rank(keys: Tuple[str, ...], query: str,
               tokens: List[str]) -> Optional[int]:
    """0 exact, 1 prefix, 2 every word of the query starts a word, 3 substring."""
    best: Optional[int] = None
    for key in keys:
        # Every rank needs each token somewhere in the key; this cheap test
        # rejects almost all rows before the word-by-word comparison.
        if not all(t in key for t in tokens):
            continue
        if key == query:
            return 0
        if key.startswith(query):
            rank = 1
        elif all(any(w.startswith(t) for w in key.split()) for t in tokens):
            rank = 2
        elif query in key:
            rank = 3
        else:
            continue
        if best is None or rank < best:
            best = rank
    return best


def search(q: str, limit: Optional[int] = 10, parent: Optional[str] = None,
           tingkat: Union[str, Iterable[str], None] = None) -> List[Wilayah]:
    """Regions matching *q*, best first, for an autocomplete.

    Matching is case- and punctuation-insensitive on the name (with the
    "Kabupaten"/"Kota" prefix optional, and common province abbreviations
    such as "jatim" or "dki"), or on a code prefix when *q* is digits and
    dots. Hits are ordered by match quality, then higher levels first, then
    code, so "pasuruan" gives Kabupaten Pasuruan and Kota Pasuruan before any
    kecamatan.

    ``parent`` keeps only the direct children of that code (``parent="35"``:
    the kabupaten/kota of Jawa Timur), which is what a dependent select
    needs; an unknown parent gives no results. ``tingkat`` keeps only those
    levels. An empty *q* lists the children of *parent* (the provinces when
    there is no parent) in code order. ``limit=None`` means no limit.
    """
    if limit is not None and limit <= 0:
        return []
    levels = _levels(tingkat)
    idx = _index()

    if parent is not None:
        parent_code = normalize(parent)
        if parent_code is None or parent_code not in idx.rows:
            return []
        pool = idx.kids.get(parent_code, ())
    else:
        pool = None  # everything

    query = _fold(q or "")
    code_prefix = _code_query(q or "")

    if not query:
        codes = pool if pool is not None else idx.kids.get("", ())
        hits = [idx.rows[c] for c in codes]
        hits = [r for r in hits if levels is None or r.tingkat in levels]
        return [r.as_dict() for r in hits[:limit]]

    tokens = query.split()
    scored: List[Tuple[int, int, str]] = []
    for kode in (pool if pool is not None else idx.rows):
        row = idx.rows[kode]
        if levels is not None and row.tingkat not in levels:
            continue
        if code_prefix is not None:
            if not row.kode.startswith(code_prefix):
                continue
            rank = 0 if row.kode == code_prefix else 1
        else:
            found = _name_rank(row.keys, query, tokens)
            if found is None:
                continue
            rank = found
        scored.append((rank, _DEPTH[row.tingkat], row.kode))
    scored.sort()
    return [idx.rows[kode].as_dict() for _, _, kode in scored[:limit]]
