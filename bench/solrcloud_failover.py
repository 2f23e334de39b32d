"""A SolrCloud node stops mid-load: do searches keep answering, do writes resume,
is anything indexed lost?

    scripts/satudata bench-solrcloud bench/solrcloud_failover.py [--seconds 60] [--datasets 50]

Runs against a two-node SolrCloud (one shard, two replicas; CKAN's solr_url names
node 1) started by the command above. It RESETS the test database. The load is one
loop of alternating searches and dataset creations (each creation indexes the dataset);
a third of the way in, node 2 is stopped, two thirds in it is started again. Prints
search and write outcomes before, during and after the outage (baseline: before), the
time from the stop to the first successful write after it, and at the end whether the
database and the index agree (ids in both), before and after CKAN's own
`search-index rebuild --only-missing` for what failed to index during the outage.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def node(verb: str, k: int) -> subprocess.Popen:
    """solrcloud_node VERB K from the run command's own library, in the background."""
    script = ("source scripts/lib/common.sh; source scripts/lib/solr.sh; "
              f"source scripts/lib/solrcloud.sh; solrcloud_node {verb} {k}")
    return subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=os.environ.copy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--datasets", type=int, default=50, help="indexed before the load")
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ckan_ini))
    with app._wsgi_app.test_request_context():
        run(args)


def run(args) -> None:
    from ckan.cli.db import _get_pending_plugins, _run_migrations
    from ckan.lib import search
    from ckan.tests import helpers
    import ckan.model as model

    from ckanext.satudata.tests import factories
    from ckanext.satudata.tests.workflow.conftest import Portal

    helpers.reset_db()
    for plugin in _get_pending_plugins():
        _run_migrations(plugin)
    search.clear_all()
    portal = Portal()
    org = portal.opd["name"]
    sysadmin = {"user": portal.sysadmin["name"]}
    for _ in range(args.datasets):
        factories.create_data_sektoral(org)
    print(f"setup: {args.datasets} datasets indexed in the replicated collection")

    phases = {"before": {"search": [], "search_err": 0, "write": [], "write_err": 0},
              "during": {"search": [], "search_err": 0, "write": [], "write_err": 0},
              "after": {"search": [], "search_err": 0, "write": [], "write_err": 0}}
    start = time.monotonic()
    stop_at, restart_at = args.seconds / 3, 2 * args.seconds / 3
    stopper = starter = None
    stopped_at = first_write_after_stop = None
    n = 0
    while (elapsed := time.monotonic() - start) < args.seconds:
        if stopper is None and elapsed >= stop_at:
            stopper, stopped_at = node("stop", 2), time.monotonic()
        if starter is None and elapsed >= restart_at:
            starter = node("start", 2)
        phase = phases["before" if stopper is None else "during" if starter is None else "after"]
        t = time.perf_counter()
        try:
            helpers.call_action("package_search", dict(sysadmin), q="penduduk", rows=10,
                                include_private=True)
            phase["search"].append((time.perf_counter() - t) * 1000)
        except Exception:  # noqa: BLE001 (every failure is counted, whatever its kind)
            phase["search_err"] += 1
        t = time.perf_counter()
        try:
            n += 1
            factories.create_data_sektoral(org, name=f"beban-{n}")
            phase["write"].append((time.perf_counter() - t) * 1000)
            if stopped_at and first_write_after_stop is None:
                first_write_after_stop = time.monotonic() - stopped_at
        except Exception:  # noqa: BLE001
            model.Session.rollback()
            phase["write_err"] += 1
    for proc in (stopper, starter):
        if proc is not None:
            proc.wait(timeout=300)

    base = statistics.median(phases["before"]["search"] or [float("nan")])
    print(f"{'phase':8} {'searches':>9} {'errors':>7} {'p50 ms':>8} {'/ before':>9} "
          f"{'writes':>7} {'errors':>7} {'p50 ms':>8}")
    for label, p in phases.items():
        s50 = statistics.median(p["search"]) if p["search"] else float("nan")
        w50 = statistics.median(p["write"]) if p["write"] else float("nan")
        print(f"{label:8} {len(p['search']):9} {p['search_err']:7} {s50:8.1f} {s50 / base:9.2f} "
              f"{len(p['write']):7} {p['write_err']:7} {w50:8.1f}")
    if first_write_after_stop is not None:
        print(f"first successful write after node 2 stopped: {first_write_after_stop:.1f} s")
    print("database and index agree:", agreement())
    done = subprocess.run([str(Path(sys.executable).with_name("ckan")), "-c", args.ckan_ini,
                           "search-index", "rebuild", "--only-missing"],
                          capture_output=True, text=True)
    print("after `ckan search-index rebuild --only-missing`:", agreement(),
          "" if done.returncode == 0 else done.stderr[-500:])


def agreement() -> str:
    import ckan.model as model
    from ckan.lib.search import query

    in_db = {row.id for row in model.Session.query(model.Package.id).filter(
        model.Package.state == "active")}
    in_index = set(query.PackageSearchQuery().get_all_entity_ids(max_results=100000))
    missing, extra = in_db - in_index, in_index - in_db
    return (f"{len(in_db)} in the database, {len(in_index)} in the index, "
            f"{len(missing)} missing from the index, {len(extra)} only in the index")


if __name__ == "__main__":
    main()
