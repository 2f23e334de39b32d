"""Validation throughput and peak memory: the portal's check against raw Frictionless.

Generates CSVs (200k rows x 10 columns, and a large one of --big-mb MB),
then validates each in a fresh subprocess: with ``frictionless.validate``
(same version, same Table Schema, its defaults), with
``ckanext.satudata.validation.run.validate_file`` (what the RQ job runs on
the stored file: layout sniffing, Indonesian numbers, the columnar fast
path, report post-processing) and, for the small file, with
``validate_file(fast=False)`` (the portal's Frictionless path). Prints
rows/s, peak RSS, which engine decided, and the ratios.

    .satudata/venv/bin/python bench/validation.py [--rows 200000] [--big-mb 1024] [--dir /tmp]

No database needed; runs in the venv directly (or via `scripts/satudata bench`).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

SCHEMA = {"fields": [
    {"name": "tahun", "type": "year", "constraints": {"required": True}},
    {"name": "kode_wilayah", "type": "string", "constraints": {"required": True}},
    {"name": "kecamatan", "type": "string"},
    {"name": "laki_laki", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "perempuan", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "jumlah", "type": "integer"},
    {"name": "luas_km2", "type": "number"},
    {"name": "kepadatan", "type": "number"},
    {"name": "status", "type": "string", "constraints": {"enum": ["desa", "kelurahan"]}},
    {"name": "tanggal", "type": "date"},
]}

CHILD = r"""
import json, resource, sys, time
path, schema_path, mode = sys.argv[1:4]
schema = json.load(open(schema_path))
engine = "frictionless"
# Imports come first: a worker has them loaded; the time is the check's own.
if mode.startswith("portal"):
    from ckanext.satudata.validation import run
else:
    from frictionless import Schema, system, validate
started = time.perf_counter()
if mode.startswith("portal"):
    status, report = run.validate_file(path, "csv", schema, fast=mode == "portal")
    valid, rows = status == "success", report["tasks"][0]["stats"]["rows"]
    engine = report["satudata"]["engine"]
else:
    with system.use_context(trusted=True):  # absolute paths, as ckanext-validation's job does
        report = validate(path, schema=Schema.from_descriptor(schema))
    valid, rows = report.valid, report.tasks[0].stats["rows"]
seconds = time.perf_counter() - started
print(json.dumps({"valid": valid, "rows": rows, "seconds": seconds, "engine": engine,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(path: str, rows: int | None = None, megabytes: int | None = None) -> int:
    written = 0
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f["name"] for f in SCHEMA["fields"]])
        i = 0
        while (rows is not None and i < rows) or \
                (megabytes is not None and out.tell() < megabytes * 1024 * 1024):
            i += 1
            writer.writerow([2000 + i % 25, f"35.14.{i % 24:02d}", f"Kecamatan {i % 24}",
                             i % 60000, (i * 7) % 60000, i % 60000 + (i * 7) % 60000,
                             f"{(i % 9000) / 100:.2f}", f"{(i % 50000) / 10:.1f}",
                             "desa" if i % 3 else "kelurahan",
                             f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"])
            written += 1
    return written


def measure(path: str, schema_path: str, mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, path, schema_path, mode],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--big-mb", type=int, default=1024)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()

    schema_path = os.path.join(args.dir, "bench-validation-schema.json")
    with open(schema_path, "w") as out:
        json.dump(SCHEMA, out)
    files = []
    small = os.path.join(args.dir, "bench-validation-small.csv")
    rows = generate(small, rows=args.rows)
    files.append(("small", small, rows))
    if args.big_mb:
        big = os.path.join(args.dir, "bench-validation-big.csv")
        files.append(("big", big, generate(big, megabytes=args.big_mb)))

    results = {}
    print(f"{'file':6} {'MB':>7} {'rows':>10} {'who':12} {'seconds':>8} {'rows/s':>9} "
          f"{'peak RSS MB':>11} {'valid':>5} engine")
    for label, path, count in files:
        size = os.path.getsize(path) / 1024 / 1024
        for mode in ("frictionless", "portal", "portal-slow")[:2 if label == "big" else 3]:
            r = results[(label, mode)] = measure(path, schema_path, mode)
            assert r["rows"] == count and r["valid"], r
            print(f"{label:6} {size:7.1f} {count:10d} {mode:12} {r['seconds']:8.1f} "
                  f"{count / r['seconds']:9.0f} {r['rss_mb']:11.1f} {str(r['valid']):>5} "
                  f"{r['engine']}")
        os.unlink(path)
    print()
    for label, _, _ in files:
        p, f = results[(label, "portal")], results[(label, "frictionless")]
        print(f"{label}: portal/frictionless time {p['seconds'] / f['seconds']:.3f}x "
              f"(frictionless/portal {f['seconds'] / p['seconds']:.1f}x faster), "
              f"peak RSS {p['rss_mb'] / f['rss_mb']:.2f}x")
        if (label, "portal-slow") in results:
            slow = results[(label, "portal-slow")]
            print(f"{label}: portal without the fast path / frictionless time "
                  f"{slow['seconds'] / f['seconds']:.2f}x")
    if args.big_mb:
        for mode in ("portal", "frictionless"):
            ratio = results[("big", mode)]["rss_mb"] / results[("small", mode)]["rss_mb"]
            print(f"{mode}: peak RSS of the big file / the small one {ratio:.2f}x")


if __name__ == "__main__":
    main()
