"""Workflow transition latency and bulk approval, against a CKAN core write.

Prints p50/p95 of each sdi transition and of `package_patch` (the baseline,
measured in the same run on the same datasets), their ratio, and the time to
approve N datasets one after another as the Pembina Data would.

    scripts/satudata bench bench/workflow_transitions.py --datasets 1000
    scripts/satudata bench bench/workflow_transitions.py --bulk 1000

With ``--bulk N`` it instead creates N datasets and times
``satudata_workflow_bulk_transition`` (what the queue page and ``ckan satudata
bulk`` call) for each step to publication: submit, forward, approve, publish,
each for all N datasets at once by the role's user.

It RESETS the test database named in test.ini (never point it at real data).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--bulk", type=int, metavar="N",
                        help="time bulk steps of N datasets instead (at most 1000 a call)")
    parser.add_argument("--profile", metavar="FILE", help="with --bulk: cProfile of the bulk approval")
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ckan_ini))
    with app._wsgi_app.test_request_context():
        if args.bulk:
            run_bulk(args.bulk, args.profile)
        else:
            run(args.datasets)


def _fresh_portal():
    from ckan.cli.db import _get_pending_plugins, _run_migrations
    from ckan.lib.search import clear_all
    from ckan.tests import helpers

    from ckanext.satudata.tests.workflow.conftest import Portal

    helpers.reset_db()
    for plugin in _get_pending_plugins():
        _run_migrations(plugin)
    clear_all()
    _pooled_engine()
    return Portal()


def _pooled_engine() -> None:
    """Give the process back the pooled engine the portal runs with.

    CKAN's migration environment rebinds the model to its own NullPool engine,
    so after a reset in this process every commit would close the database
    connection and the next statement open a new one (a step of a bulk batch
    paid ≈ 30 ms for it on the shared machine). The web server and the CLI do not
    migrate in-process and keep their pool.
    """
    import ckan.model as model
    from ckan.common import config
    from sqlalchemy import engine_from_config

    model.init_model(engine_from_config(config))


class _Statements:
    """Counts the statements sent to PostgreSQL while it is entered."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        import sqlalchemy as sa
        import ckan.model as model

        self.engine = model.meta.engine
        sa.event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        import sqlalchemy as sa

        sa.event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def run_bulk(count: int, profile: str | None) -> None:
    from ckan.tests import helpers

    portal = _fresh_portal()
    started = time.perf_counter()
    ids = []
    for i in range(count):
        ids.append(portal.dataset()["id"])
        if (i + 1) % 100 == 0:
            print(f"  {i + 1} datasets created", flush=True)
    print(f"setup: {count} datasets created in {time.perf_counter() - started:.1f} s", flush=True)

    print(f"{'bulk step':10} {'datasets':>8} {'ok':>6} {'seconds':>8} {'ms each':>8} {'SQL each':>8}")
    for action, user in (("submit", portal.produsen), ("forward", portal.walidata),
                         ("approve", portal.pembina), ("publish", portal.walidata)):
        profiler = None
        if profile and action == "approve":
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        t = time.perf_counter()
        with _Statements() as statements:
            results = helpers.call_action("satudata_workflow_bulk_transition",
                                          {"user": user["name"], "ignore_auth": False},
                                          ids=ids, action=action)
        seconds = time.perf_counter() - t
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        ok = sum(1 for r in results if r["ok"])
        print(f"{action:10} {count:8d} {ok:6d} {seconds:8.1f} {seconds / count * 1000:8.1f} "
              f"{statements.count / count:8.1f}", flush=True)
        if ok != count:
            print("  first failure:", next(r for r in results if not r["ok"]))
    found = helpers.call_action("package_search", {}, q="*:*", rows=0)["count"]
    print(f"published datasets found by an anonymous search afterwards: {found} of {count}")


def run(count: int) -> None:
    from ckan.cli.db import _get_pending_plugins, _run_migrations
    from ckan.tests import helpers

    from ckanext.satudata.tests.workflow.conftest import Portal

    helpers.reset_db()
    for plugin in _get_pending_plugins():
        _run_migrations(plugin)
    portal = Portal()

    def act(user, dataset_id, action):
        helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                            id=dataset_id, action=action)

    started = time.perf_counter()
    ids = [portal.dataset()["id"] for _ in range(count)]
    print(f"setup: {count} datasets created in {time.perf_counter() - started:.1f} s")

    results: dict[str, list[float]] = {"package_patch (baseline)": [
        timed(lambda i=i: helpers.call_action(
            "package_patch", {"user": portal.produsen["name"]}, id=i, notes="Diperbarui"))
        for i in ids]}
    for label, user, action in (("submit", portal.produsen, "submit"),
                                ("forward", portal.walidata, "forward")):
        results[label] = [timed(lambda i=i: act(user, i, action)) for i in ids]

    bulk_start = time.perf_counter()
    results["approve"] = [timed(lambda i=i: act(portal.pembina, i, "approve")) for i in ids]
    bulk = time.perf_counter() - bulk_start
    results["publish"] = [timed(lambda i=i: act(portal.walidata, i, "publish")) for i in ids]

    base_p50, _ = percentiles(results["package_patch (baseline)"])
    print(f"{'operation':28} {'p50 ms':>8} {'p95 ms':>8} {'p50 / baseline':>15}")
    for label, samples in results.items():
        p50, p95 = percentiles(samples)
        print(f"{label:28} {p50:8.1f} {p95:8.1f} {p50 / base_p50:15.2f}")
    print(f"bulk approve: {count} datasets in {bulk:.1f} s ({bulk / count * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
