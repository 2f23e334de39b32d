"""The downstream CKAN's side of tests/harvest, run in its own process.

usage: python downstream.py INI setup SOURCE_URL   sysadmin, organization, the two sources
       python downstream.py INI harvest SOURCE     one job, synchronously, then `dump`
       python downstream.py INI dump               every active dataset (package_show)

Prints one JSON document on stdout. The harvest is ckanext-harvest's own
synchronous run (``ckan harvester run-test``: job, gather, fetch, import).
"""
from __future__ import annotations

import json
import sys
import time


def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))


def setup(source_url: str) -> dict:
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    admin = model.User(name="harvest-admin", email="admin@downstream.test", password="x" * 12,
                       sysadmin=True)
    model.Session.add(admin)
    model.Session.commit()
    context = {"user": admin.name, "ignore_auth": True}
    org = tk.get_action("organization_create")(dict(context), {"name": "provinsi"})
    sources = {}
    for name, url, kind, config in (
            ("satudata-ckan", source_url, "ckan", {}),
            ("satudata-dcat", source_url + "/catalog.ttl", "dcat_rdf", {"rdf_format": "text/turtle"})):
        sources[name] = tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": name, "url": url, "source_type": kind, "owner_org": org["id"],
            "config": json.dumps(config) if config else "", "frequency": "MANUAL"})["id"]
    return sources


def harvest(source: str) -> dict:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest import utils
    from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

    source_id = tk.get_action("harvest_source_show")({"ignore_auth": True}, {"id": source})["id"]
    started = time.monotonic()
    utils.run_test_harvester(source, None)
    seconds = time.monotonic() - started
    job = (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source_id)
           .order_by(HarvestJob.created.desc()).first())
    gather = [e.message for e in model.Session.query(HarvestGatherError)
              .filter(HarvestGatherError.harvest_job_id == job.id)]
    objects = [e.message for e in model.Session.query(HarvestObjectError)
               .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
               .filter(HarvestObject.harvest_job_id == job.id)]
    return {"seconds": round(seconds, 2), "status": job.status, "gather_errors": gather,
            "object_errors": objects, "datasets": dump()}


def dump() -> dict[str, list[dict]]:
    """{harvest source name: [package_show of each active copy it made]}."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.harvest.model import HarvestObject, HarvestSource

    rows = (model.Session.query(HarvestSource.url, HarvestSource.type, model.Package.id)
            .join(HarvestObject, HarvestObject.harvest_source_id == HarvestSource.id)
            .join(model.Package, model.Package.id == HarvestObject.package_id)
            .filter(HarvestObject.current == True, model.Package.state == "active")  # noqa: E712
            .distinct().all())
    found: dict[str, list[dict]] = {}
    for _url, kind, package_id in sorted(rows):
        found.setdefault(kind, []).append(
            tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id}))
    return found


def main(argv: list[str]) -> int:
    ini, command, *args = argv
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        result = {"setup": setup, "harvest": harvest, "dump": dump}[command](*args)
    sys.stdout.write("\n@@RESULT@@" + json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
