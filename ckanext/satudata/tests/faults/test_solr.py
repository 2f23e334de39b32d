"""Solr down: a step is refused and nothing changes on either side; the index
and the database agree after Solr returns; the reconciliation repairs any
difference (`ckan satudata reindex --stale`, also run by the worker)."""
from __future__ import annotations

import uuid

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckan.tests import helpers

from ckanext.satudata.model import WorkflowEvent, WorkflowState
from ckanext.satudata.recovery import index
from ckanext.satudata.tests.faults.conftest import ckan, solr_down

REFUSED = ("Indeks pencarian tidak dapat diperbarui saat ini, jadi tidak ada yang berubah. "
           "Coba lagi beberapa menit lagi; jika berlanjut, beri tahu administrator portal.")


def _db(dataset):
    model.Session.remove()
    row = model.Session.get(WorkflowState, dataset["id"])
    events = model.Session.query(WorkflowEvent).filter_by(package_id=dataset["id"]).count()
    return row.state, row.version, events, model.Package.get(dataset["id"]).private


def _indexed(dataset, user=None):
    """(state, public) of the dataset's Solr document as a reviewer's search finds it."""
    context = {"user": user["name"], "ignore_auth": False} if user else {"ignore_auth": True}
    found = helpers.call_action("package_search", context, q=f'id:"{dataset["id"]}"',
                                include_private=True)["results"]
    return [(d.get("satudata_state"), not d["private"]) for d in found]


def _public_search(dataset):
    return [d["id"] for d in helpers.call_action(
        "package_search", {"ignore_auth": False, "user": ""}, q=f'id:"{dataset["id"]}"')["results"]]


def test_steps_with_solr_down_are_refused_and_change_nothing(app, portal, token):
    checked, published = portal.dataset(), portal.dataset()
    portal.reach(checked, "diperiksa_walidata")
    portal.reach(published, "terpublikasi")
    before = {d["id"]: _db(d) for d in (checked, published)}
    walidata = token(portal.walidata)

    with solr_down():
        for dataset, action in ((checked, "forward"), (published, "withdraw")):
            answer = app.post("/api/3/action/satudata_workflow_transition",
                              json={"id": dataset["id"], "action": action, "comment": "Uji"},
                              headers={"Authorization": walidata}, status=409).json
            assert answer["error"]["search_index"] == [REFUSED]
            assert _db(dataset) == before[dataset["id"]]
        # The worker's recovery round survives Solr being down (and says so).
        recovery = ckan("satudata", "reindex", "--stale")
        assert recovery.returncode == 1 and "search index unavailable" in recovery.stderr

    # Nothing moved on either side: the reviewer's queue and search agree.
    assert _indexed(checked, portal.walidata) == [("diperiksa_walidata", False)]
    assert _public_search(published) == [published["id"]]
    assert index.reconcile(dry_run=True).as_dict() == {
        "checked": 2, "missing": 0, "outdated": 0, "removed": 0, "failed": 0}

    # With Solr back the same steps go through, and the index follows.
    helpers.call_action("satudata_workflow_transition", {"user": portal.walidata["name"]},
                        id=published["id"], action="withdraw", comment="Data keliru")
    assert _public_search(published) == []
    assert _indexed(published) == [("ditarik", False)]


def test_reindex_stale_repairs_every_kind_of_difference(portal):
    moved, missing, fine = (portal.dataset() for _ in range(3))
    # What a commit the index missed leaves behind: the database moved on
    # (state, visibility), a document is missing, one outlived its dataset.
    model.Session.query(WorkflowState).filter_by(package_id=moved["id"]).update(
        {"state": "terpublikasi"})
    model.Session.execute(model.package_table.update()
                          .where(model.package_table.c.id == moved["id"]).values(private=False))
    model.Session.commit()
    search.clear(missing["id"])
    ghost = str(uuid.uuid4())  # a document whose dataset was purged while Solr was down
    make_connection().add([{
        "id": ghost, "index_id": f"hantu-{ghost}", "site_id": tk.config["ckan.site_id"],
        "entity_type": "package", "dataset_type": "dataset", "name": "hantu", "title": "Hantu",
        "capacity": "public", "metadata_modified": "2026-01-01T00:00:00Z"}])
    search.commit()
    assert _public_search(moved) == []  # the index still says private

    assert index.reconcile(dry_run=True).as_dict() == {
        "checked": 3, "missing": 1, "outdated": 1, "removed": 1, "failed": 0}
    assert _public_search(moved) == []

    done = ckan("satudata", "reindex", "--stale")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("checked 3, missing 1, outdated 1, removed 1, failed 0")
    assert _public_search(moved) == [moved["id"]]
    assert _indexed(moved) == [("terpublikasi", True)]
    assert _indexed(missing) == [("draf", False)]
    assert _indexed({"id": ghost}) == []  # its document is gone
    assert _indexed(fine) == [("draf", False)]
    assert index.reconcile().as_dict() == {
        "checked": 3, "missing": 0, "outdated": 0, "removed": 0, "failed": 0}
