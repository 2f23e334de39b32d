"""Load bench: readers, reviewers and producers at once against the portal `make run` serves.

    SATUDATA_..._PORT=... scripts/satudata start       # gunicorn + RQ worker, as make run
    .satudata/venv/bin/python bench/load.py [--readers 50] [--seconds 60]

1. Prepares, in the run database (.satudata/ckan.ini) and with the demo
   loader: --pool datasets of the Dinas Kesehatan walked to
   ``diperiksa_walidata`` (the reviewers' work), one draft per producer
   (where uploads go); collects the public datasets and their downloads.
2. Runs locust (bench/locustfile.py) headless from its own virtualenv
   (.satudata/bench-venv, from bench/requirements.txt: locust is not a
   dependency of the portal): --readers readers, 5 reviewers and 2
   producers for --seconds, all over HTTP with the demo users' API tokens.
3. Prints requests/s, p50/p95 per page, errors, and the time the RQ queue
   took to drain after the load stopped (the producers' validation jobs).

It adds datasets to the run database (names ``beban-*``); run it again and
it reuses them.
"""
from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("SATUDATA_STATE", ROOT / ".satudata"))
BENCH_VENV = STATE / "bench-venv"
ROLES = {"walidata": "walidata", "pembina": "pembina-bps", "produsen": "produsen-dinkes"}
TEMPLATE = "fasilitas-kesehatan-kecamatan"  # a demo dataset of the Dinas Kesehatan with a CSV


def prepare(pool: int, producers: int) -> dict:
    import yaml

    import ckan.model as model
    import ckan.plugins.toolkit as tk

    from ckanext.satudata.demo import loader

    spec = yaml.safe_load(loader.DEFAULT_SPEC.read_text(encoding="utf-8"))
    template = next(d for d in spec["datasets"] if d["name"] == TEMPLATE)
    made = 0
    for name, state in [(f"beban-{i:03d}", "diperiksa_walidata") for i in range(pool)] + \
            [(f"beban-draf-{i}", None) for i in range(producers)]:
        dataset = copy.deepcopy(template)
        dataset.update(name=name, title=f"{template['title']} (beban {name})")
        if loader._ensure_dataset(dataset):
            made += 1
            if state:
                loader._bring_to_state(dict(dataset, state=state), spec["users"])
    site = {"ignore_auth": True}
    public = tk.get_action("package_search")(site, {"rows": 1000, "fq": "-name:beban-*"})
    downloads = [urlparse(r["url"]).path for d in public["results"] for r in d["resources"]
                 if r.get("url_type") == "upload"]
    credentials = json.loads((STATE / "demo-credentials.json").read_text(encoding="utf-8"))
    tokens = {role: next(u["api_token"] for u in credentials["users"] if u["name"] == user)
              for role, user in ROLES.items()}
    model.Session.remove()
    print(f"prepared: {made} new datasets; {len(public['results'])} public datasets, "
          f"{len(downloads)} downloads")
    return {"tokens": tokens, "public": [d["name"] for d in public["results"]],
            "downloads": downloads, "pool": [f"beban-{i:03d}" for i in range(pool)],
            "drafts": [f"beban-draf-{i}" for i in range(producers)],
            "upload_file": str(loader.DEMO_DIR / "files" / template["resources"][0]["file"])}


def queue_depth() -> int:
    from rq.registry import StartedJobRegistry

    from ckan.lib import jobs

    return sum(q.count + StartedJobRegistry(queue=q).count for q in jobs.get_all_queues())


def locust_command() -> list[str]:
    locust = BENCH_VENV / "bin" / "locust"
    if not locust.exists():
        print("installing locust into", BENCH_VENV)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run([str(BENCH_VENV / "bin" / "pip"), "install", "-q",
                        "--disable-pip-version-check", "-r",
                        str(ROOT / "bench" / "requirements.txt")], check=True)
    return [str(locust)]


def report(prefix: Path) -> None:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{'request':46} {'count':>6} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(f"{row['Name'][:46]:46} {row['Request Count']:>6} {row['Failure Count']:>5} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = list(csv.DictReader(failures.open(newline="")))
        for line in lines[:10]:
            print(f"  error: {line['Method']} {line['Name']}: {line['Error'][:160]} "
                  f"x{line['Occurrences']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--producers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--pool", type=int, default=20, help="datasets the reviewers move")
    parser.add_argument("--ckan-ini", default=str(STATE / "ckan.ini"))
    parser.add_argument("--out", default=str(STATE / "bench-load"))
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    config = load_config(args.ckan_ini)
    app = make_app(config)
    host = config["ckan.site_url"]
    with app._wsgi_app.test_request_context():
        plan = prepare(args.pool, args.producers)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(plan))
    command = locust_command()
    with app._wsgi_app.test_request_context():
        # The preparation's own validation jobs first: the drain time is the load's.
        waited = time.monotonic()
        while queue_depth() and time.monotonic() - waited < 600:
            time.sleep(1)
        print(f"RQ jobs queued or running before the load: {queue_depth()} "
              f"(waited {time.monotonic() - waited:.0f} s for the preparation's)")
    users = args.readers + args.reviewers + args.producers
    prefix = out / "locust"
    env = dict(os.environ, SATUDATA_LOAD_PLAN=str(plan_path),
               SATUDATA_LOAD_REVIEWERS=str(args.reviewers),
               SATUDATA_LOAD_PRODUCERS=str(args.producers))
    print(f"locust: {args.readers} readers, {args.reviewers} reviewers, {args.producers} "
          f"producers for {args.seconds} s against {host} (gunicorn)")
    done = subprocess.run(command + [
        "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", host,
        "-u", str(users), "-r", str(users), "-t", f"{args.seconds}s", "--stop-timeout", "10",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"], env=env)
    ended = time.monotonic()
    with app._wsgi_app.test_request_context():
        depth = queue_depth()
        print(f"RQ jobs queued or running when the load stopped: {depth}")
        while depth and time.monotonic() - ended < 900:
            time.sleep(0.5)
            depth = queue_depth()
    drained = time.monotonic() - ended
    report(prefix)
    print(f"\nworker queue drained {drained:.1f} s after the load stopped"
          + (" (NOT drained after 900 s)" if depth else ""))
    print(f"locust exit code {done.returncode} (1 = some requests failed)")


if __name__ == "__main__":
    main()
