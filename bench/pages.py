"""The pages people open, at scale: server time against vanilla CKAN.

Loads N published datasets with bench/dissemination.py's fast loader (default
10,000) plus a review queue of --queue datasets walked the real way to
`diperiksa_walidata`, then measures, in two fresh processes on the same
database and Solr core, the server time of each page through the whole WSGI
stack (CKAN's test client, no network, no browser):

- satudata: test.ini; vanilla: dissemination.py's vanilla ini (CKAN + scheming's
  default dataset schema + activity);
- landing, dataset search, dataset page, resource page, the producer's
  "My Datasets" and news feed: both apps (the vanilla page of the same URL);
- the review queue (/dashboard/antrean, the Walidata) and the Dasbor
  (/dashboard/ringkasan, the producer and the Walidata): satudata only, vanilla
  has none.

Logged-in pages are requested with an API token of the person (CKAN's
request loader accepts it on any page). p50/p95 per page and the ratio
satudata/vanilla. --profile PAGE prints cProfile's top functions of that page
(satudata).

    scripts/satudata bench bench/pages.py --datasets 10000

It RESETS the test database named in test.ini (never point it at real data).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dissemination
from dissemination import ROOT, VANILLA_INI, app_context, dataset_name, percentiles

USERS = ("produsen-dinkes", "walidata")  # dissemination's Portal: the OPD's producer, the Walidata


def pages(names: list[str], resources: dict[str, str], rnd: random.Random, sample: int) -> dict:
    """label → (user or None, [urls]); both apps unless marked satudata-only by `only_ours`."""
    picked = [rnd.choice(names) for _ in range(sample)]
    return {
        "landing /": (None, ["/"]),
        "search /dataset/?q=": (None, ["/dataset/?q=penduduk"]),
        "dataset page": (None, [f"/dataset/{n}" for n in picked]),
        "resource page": (None, [f"/dataset/{n}/resource/{resources[n]}" for n in picked]),
        "my datasets (producer)": ("produsen-dinkes", ["/dashboard/datasets"]),
        "news feed (producer)": ("produsen-dinkes", ["/dashboard/"]),
        "review queue (walidata)": ("walidata", ["/dashboard/antrean"]),
        "dasbor (producer)": ("produsen-dinkes", ["/dashboard/ringkasan"]),
        "dasbor (walidata)": ("walidata", ["/dashboard/ringkasan"]),
    }


ONLY_OURS = {"review queue (walidata)", "dasbor (producer)", "dasbor (walidata)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--queue", type=int, default=30, help="datasets awaiting the Walidata")
    parser.add_argument("--repeat", type=int, default=20, help="requests per fixed page")
    parser.add_argument("--pages", type=int, default=50, help="dataset/resource pages sampled per app")
    parser.add_argument("--profile", help="a page label to profile (satudata), e.g. 'dataset page'")
    parser.add_argument("--only", help="measure only these pages (labels, comma-separated)")
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--skip-load", action="store_true", help="measure what a previous run loaded")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args)))
        return

    if not args.skip_load:
        load(args)
    dissemination.write_vanilla_ini(Path(args.ckan_ini))
    results = {}
    for label, ini in (("satudata", args.ckan_ini), ("vanilla", str(VANILLA_INI))):
        started = time.perf_counter()
        command = [sys.executable, __file__, "--measure", ini, "--datasets", str(args.datasets),
                   "--repeat", str(args.repeat), "--pages", str(args.pages)]
        if args.profile and label == "satudata":
            command += ["--profile", args.profile]
        if args.only:
            command += ["--only", args.only]
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        if out.returncode:
            sys.exit(f"{label} measurement failed:\n{out.stderr[-4000:]}")
        lines = out.stdout.strip().splitlines()
        print("\n".join(lines[:-1]))  # the profile, if asked
        results[label] = json.loads(lines[-1])
        print(f"measured {label} in {time.perf_counter() - started:.0f} s", flush=True)
    report(results, args)


def load(args) -> None:
    with app_context(args.ckan_ini):
        names, portal = dissemination.load_datasets(args.datasets)
        started = time.perf_counter()
        for i in range(args.queue):
            dissemination.real_dataset(portal, f"antrean-{i:03d}", "diperiksa_walidata")
        print(f"queue: {args.queue} datasets submitted to the Walidata in "
              f"{time.perf_counter() - started:.0f} s", flush=True)


def measure(ini: str, args) -> dict:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib.uploader import get_resource_uploader
    from ckan.tests.helpers import CKANTestApp

    ours = ini != str(VANILLA_INI)
    with app_context(ini) as app:
        tokens = {user: tk.get_action("api_token_create")({"ignore_auth": True, "user": user},
                                                          {"user": user, "name": "bench-pages"})["token"]
                  for user in USERS}
        names = [dataset_name(i) for i in range(args.datasets)]
        rnd = random.Random(11)
        rows = (model.Session.query(model.Package.name, model.Resource.id)
                .join(model.Resource, model.Resource.package_id == model.Package.id)
                .filter(model.Package.name.like("bench-%"), model.Resource.state == "active"))
        resources = dict(rows)
        plan = pages(names, resources, rnd, args.pages)
        # The copies share the template's file by content, not on disk: give the
        # sampled ones their file (the resource page previews it).
        template = model.Package.get("bench-template").resources[0]
        source = get_resource_uploader(template.as_dict()).get_path(template.id)
        for url in plan["resource page"][1]:
            rid = url.rpartition("/")[2]
            target = Path(get_resource_uploader({"id": rid, "url_type": "upload", "url": "x.csv"}).get_path(rid))
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)
    client = CKANTestApp(app).test_client()

    def get(url: str, user: str | None) -> float:
        headers = {"Authorization": tokens[user]} if user else {}
        t = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, (url, user, response.status_code)
        if user:  # logged in, not redirected to the login page
            assert f"/user/{user}" in response.get_data(as_text=True), (url, user)
        return elapsed

    out: dict = {}
    only = set(args.only.split(",")) if args.only else set(plan)
    for label, (user, urls) in plan.items():
        if (label in ONLY_OURS and not ours) or label not in only:
            continue
        for url in urls[:3]:  # warm-up: templates, caches, connections
            get(url, user)
        repeat = args.repeat if len(urls) == 1 else 1
        out[label] = [get(url, user) for url in urls for _ in range(repeat)]
    if args.profile and ours:
        user, urls = plan[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for url in urls[:10]:
            get(url, user)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
        print(text.getvalue(), file=sys.stdout)
    return out


def report(results: dict, args) -> None:
    ours, base = results["satudata"], results["vanilla"]
    print(f"\n{args.datasets} published datasets, {args.queue} in the Walidata's queue; "
          "server time p50/p95 in ms (ratio = satudata p50 / vanilla p50)")
    print(f"{'page':28} {'satudata p50':>12} {'p95':>8} {'vanilla p50':>12} {'p95':>8} {'ratio':>6}")
    for label, samples in ours.items():
        if not samples:
            continue
        p50, p95 = percentiles(samples)
        if label in base:
            b50, b95 = percentiles(base[label])
            print(f"{label:28} {p50:12.1f} {p95:8.1f} {b50:12.1f} {b95:8.1f} {p50 / b50:6.2f}")
        else:
            print(f"{label:28} {p50:12.1f} {p95:8.1f} {'–':>12} {'–':>8} {'':>6}")


if __name__ == "__main__":
    main()
