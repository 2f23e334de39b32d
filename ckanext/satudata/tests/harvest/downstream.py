"""The downstream CKAN's side of tests/harvest, run in its own process.

usage: python downstream.py INI setup SOURCE_URL [KINDS]   sysadmin, organization, the sources
                                                    (KINDS: ckan,dcat (default) or satudata)
       python downstream.py INI harvest SOURCE     one job, synchronously, then `dump`
       python downstream.py INI dump               every active dataset (package_show)
       python downstream.py INI records            every dataset in the database, any state,
                                                    with its package_show and audit trail
       python downstream.py INI configure SOURCE JSON   a new config for the source

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


SOURCES = {
    "ckan": ("satudata-ckan", "", "ckan", {}),
    "dcat": ("satudata-dcat", "/catalog.ttl", "dcat_rdf", {"rdf_format": "text/turtle"}),
    # a province keeps each regency's OPDs apart by a prefix
    "satudata": ("satudata-satudata", "", "satudata", {"organization_prefix": "kab-pasuruan-"}),
}


def setup(source_url: str, kinds: str = "ckan,dcat") -> dict:
    import ckan.model as model
    import ckan.plugins.toolkit as tk

    admin = model.User(name="harvest-admin", email="admin@downstream.test", password="x" * 12,
                       sysadmin=True)
    model.Session.add(admin)
    model.Session.commit()
    context = {"user": admin.name, "ignore_auth": True}
    org = tk.get_action("organization_create")(dict(context), {"name": "provinsi"})
    sources = {}
    for name, path, kind, config in (SOURCES[k] for k in kinds.split(",")):
        sources[name] = tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": name, "url": source_url + path, "source_type": kind,
            "owner_org": org["id"],
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


def records() -> dict[str, dict]:
    """{id: {state, shown (package_show, None once deleted), events}} of every dataset."""
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckanext.satudata.model import WorkflowEvent

    found = {}
    for pkg in model.Session.query(model.Package).filter(model.Package.type != "harvest"):
        shown = (tk.get_action("package_show")({"ignore_auth": True}, {"id": pkg.id})
                 if pkg.state == "active" else None)
        events = (model.Session.query(WorkflowEvent).filter_by(package_id=pkg.id)
                  .order_by(WorkflowEvent.timestamp))
        found[pkg.id] = {"state": pkg.state, "shown": shown, "events": [
            {"action": e.action, "from": e.from_state, "to": e.to_state, "comment": e.comment}
            for e in events]}
    return found


def configure(source: str, config: str) -> dict:
    import ckan.plugins.toolkit as tk

    return tk.get_action("harvest_source_patch")({"ignore_auth": True, "user": "harvest-admin"},
                                                 {"id": source, "config": config})["config"]


def main(argv: list[str]) -> int:
    ini, command, *args = argv
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        result = {"setup": setup, "harvest": harvest, "dump": dump, "records": records,
                  "configure": configure}[command](*args)
    sys.stdout.write("\n@@RESULT@@" + json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
