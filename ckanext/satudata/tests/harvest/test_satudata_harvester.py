"""A province's Satu Data portal harvests the regency portal with the satudata harvester
(ckanext/satudata/harvest/harvester.py): a downstream CKAN 2.11.6 running this
extension's plugins, ckanext-harvest 1.6.3 and ``satudata_harvester``, in its own
processes, database and Solr core, against the live test portal.

One scenario: the exact published set, every scheme field of the three dataset types
(the per-field table goes to test-artifacts/harvest/satudata-fields.md), OPDs mapped,
copies published with a ``harvest`` audit event; then a withdrawal (the copy is
withdrawn), a published revision (the copy is updated) and a dataset published long
after its last edit (it arrives); then, configured to delete, a second withdrawal
deletes its copy. Unpublished datasets never arrive.
"""
from __future__ import annotations

import datetime
import json

import ckan.model as model
from ckan.lib import search
from ckan.tests import helpers

from ckanext.satudata.tests.conftest import ROOT
from ckanext.satudata.tests.dcat.conftest import portal, reach  # noqa: F401 (portal: fixture)
from ckanext.satudata.tests.harvest.conftest import PUBLISHED, REVISED_NOTES, make_world, revise

#: Set by each portal for itself, not part of what a dataset says.
NOT_COPIED = {"owner_org", "metadata_created", "metadata_modified", "creator_user_id", "organization",
              "revision_id", "num_resources", "num_tags", "state"}
#: Resource fields the source computes or stores as its own upload.
RESOURCE_OWN = {"url", "url_type", "validation_status", "validation_timestamp", "created",
                "metadata_modified", "last_modified", "package_id", "position", "cache_url",
                "cache_last_updated", "datastore_active", "mimetype", "size", "revision_id", "state",
                "tracking_summary"}


def _fields(dataset_type: str) -> list[str]:
    schema = helpers.call_action("scheming_dataset_schema_show", type=dataset_type)
    return [f["field_name"] for f in schema["dataset_fields"] if f["field_name"] not in NOT_COPIED]


def _field_table(made: dict, copies: dict) -> dict[tuple[str, str], str]:
    """{(type, field): "kept" | "(empty at source)" | "differs: …"} for every scheme field."""
    table = {}
    for key in ("dataset", "kegiatan", "indikator"):
        shown = helpers.call_action("package_show", id=made[key]["id"])
        copy = copies[shown["id"]]["shown"]
        for field in _fields(shown["type"]):
            value = shown.get(field)
            if value in (None, "", []):
                table[(shown["type"], field)] = "(empty at source)" if copy.get(field) in (
                    None, "", []) else f"differs: {copy.get(field)!r}"
            else:
                table[(shown["type"], field)] = "kept" if copy.get(field) == value else \
                    f"differs: {value!r} → {copy.get(field)!r}"
        for n, resource in enumerate(shown["resources"]):
            held = copy["resources"][n]
            for field in sorted(set(resource) - RESOURCE_OWN):
                table[(f"{shown['type']} resource", field)] = "kept" if held.get(field) == resource[
                    field] else f"differs: {resource[field]!r} → {held.get(field)!r}"
            # an upload at the source is a link to the source's file here
            table[(f"{shown['type']} resource", "url")] = "kept" if held["url"] == resource["url"] \
                else f"differs: {resource['url']!r} → {held['url']!r}"
    return table


def _write(table: dict, runs: dict) -> None:
    out = ROOT / "test-artifacts" / "harvest"
    out.mkdir(parents=True, exist_ok=True)
    lines = ["| type | field | satudata harvester |", "|---|---|---|"]
    lines += [f"| {t} | {f} | {v} |" for (t, f), v in table.items()]
    lines += ["", "| run | satudata harvester (s) |", "|---|---|"]
    lines += [f"| {name} | {run['seconds']} |" for name, run in runs.items()]
    (out / "satudata-fields.md").write_text("\n".join(lines) + "\n")


def _published_long_ago(portal, record: dict) -> None:
    """RECORD, approved after an edit 3 hours ago, is published now."""
    old = datetime.datetime.utcnow() - datetime.timedelta(hours=3)
    model.Session.query(model.Package).filter_by(id=record["id"]).update({"metadata_modified": old})
    model.Session.commit()
    search.rebuild(record["id"])
    reach(portal, record, "terpublikasi")


def _active(records: dict) -> set[str]:
    return {i for i, r in records.items() if r["state"] == "active"}


def test_satudata_harvester_copies_the_truth(satudata_downstream, live_server, portal, upload_resource):
    made = make_world(portal, upload_resource)
    published = {made[k]["id"] for k in PUBLISHED}
    never = {made[k]["id"] for k in ("withdrawn", "draft")}
    satudata_downstream.call("setup", live_server.url, "satudata")
    source = "satudata-satudata"

    runs = {"first": satudata_downstream.call("harvest", source)}
    assert not runs["first"]["gather_errors"] and not runs["first"]["object_errors"], runs["first"]
    copies = satudata_downstream.call("records")
    assert _active(copies) == published                      # the exact published set
    for record_id in published:
        copy, shown = copies[record_id], helpers.call_action("package_show", id=record_id)
        assert copy["shown"]["type"] == shown["type"]
        assert copy["shown"]["satudata_state"] == "terpublikasi" and not copy["shown"]["private"]
        # straight to published, with one audit event naming the source: no review here
        assert copy["events"] == [{"action": "harvest", "from": "draf", "to": "terpublikasi",
                                   "comment": live_server.url}]
        # the OPD, matched by name (the source's name with the source's prefix)
        assert copy["shown"]["organization"]["name"] == "kab-pasuruan-" + shown["organization"]["name"]
        assert copy["shown"]["organization"]["title"] == shown["organization"]["title"]
    table = _field_table(made, copies)
    _write(table, runs)
    assert {k: v for k, v in table.items() if v != "kept" and v != "(empty at source)"} == {}
    # the links point to the copies of the linked records
    assert copies[made["dataset"]["id"]]["shown"]["kegiatan"] == made["kegiatan"]["name"]
    assert copies[made["indikator"]["id"]]["shown"]["kegiatan"] == made["kegiatan"]["name"]
    assert len(copies[made["dataset"]["id"]]["shown"]["resources"]) == 1

    # at the source: a withdrawal, a published revision, one published long after its last edit
    reach(portal, made["to_withdraw"], "ditarik")
    revise(portal, made["to_revise"])
    _published_long_ago(portal, made["approved"])

    runs["second"] = satudata_downstream.call("harvest", source)
    assert not runs["second"]["gather_errors"] and not runs["second"]["object_errors"], runs["second"]
    after = satudata_downstream.call("records")
    withdrawn = after[made["to_withdraw"]["id"]]
    assert withdrawn["state"] == "active" and withdrawn["shown"]["satudata_state"] == "ditarik"
    assert withdrawn["events"][-1]["action"] == "harvest_withdraw"
    reason = helpers.call_action("satudata_tombstone_show", id=made["to_withdraw"]["id"])["reason"]
    assert reason and withdrawn["events"][-1]["comment"] == f"{live_server.url}: {reason}"
    assert after[made["to_revise"]["id"]]["shown"]["notes"] == REVISED_NOTES
    assert after[made["approved"]["id"]]["shown"]["satudata_state"] == "terpublikasi"
    assert _active(after) == published | {made["approved"]["id"]}
    assert not never & set(after)                             # never imported, in no state

    # configured to delete: the next withdrawal deletes the copy
    satudata_downstream.call("configure", source, json.dumps(
        {"organization_prefix": "kab-pasuruan-", "withdrawn": "delete"}))
    reach(portal, made["approved"], "ditarik")
    runs["third"] = satudata_downstream.call("harvest", source)
    assert not runs["third"]["gather_errors"] and not runs["third"]["object_errors"], runs["third"]
    last = satudata_downstream.call("records")
    assert last[made["approved"]["id"]]["state"] == "deleted"
    assert _active(last) == published - {made["to_withdraw"]["id"]}
    _write(table, runs)
