"""Uploads go through the real RQ worker; statuses and reports through the API."""
import json
import os

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import jobs as ckan_jobs
from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd

from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.validation.conftest import VARIABLES, write_csv
from ckanext.satudata.validation import jobs, state

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")


def _validation(resource_id):
    return helpers.call_action("resource_validation_show", resource_id=resource_id)


def _types(report):
    return [e["type"] for task in report["tasks"] for e in task["errors"]]


@pytest.mark.parametrize("name, fields, status, types", [
    ("valid.csv", {"variabel": VARIABLES}, "success", []),
    ("bom_semicolon.csv", {"variabel": VARIABLES}, "success", []),
    ("cp1252_semicolon.csv", {}, "success", []),
    ("angka_indonesia.csv", {"variabel": VARIABLES,
                             "validation_options": json.dumps(
                                 {"decimal_char": ",", "group_char": "."})}, "success", []),
    # No option: the Indonesian convention is detected from the numeric columns.
    ("angka_indonesia.csv", {"variabel": VARIABLES}, "success", []),
    ("trailing_blank_rows.csv", {"variabel": VARIABLES}, "success", []),
    ("bad_values.csv", {"variabel": VARIABLES}, "failure",
     ["type-error", "constraint-error", "constraint-error", "constraint-error", "type-error",
      "extra-cell"]),
    ("empty.csv", {"variabel": VARIABLES}, "failure", ["empty-file"]),
    ("laporan.pdf.csv", {}, "failure", ["not-tabular"]),
    ("arsip.zip.csv", {}, "failure", ["not-tabular"]),
    ("multi_sheet_title_rows.xlsx", {"variabel": VARIABLES}, "success", []),
    ("invalid.xlsx", {"variabel": VARIABLES}, "failure", ["type-error"]),
])
def test_upload_is_validated_by_the_worker(producer, upload, run_worker, name, fields, status,
                                           types):
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], name, producer["user"]["name"], **fields)
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == "pending"

    done = run_worker()

    validation = _validation(resource["id"])
    assert validation["error"] is None, done.stderr[-3000:]
    assert isinstance(validation["report"], dict)  # an object, not JSON text
    assert (validation["status"], _types(validation["report"])) == (status, types)
    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == status
    assert shown["validation_timestamp"] == validation["finished"]
    found = helpers.call_action("package_search", q=f"id:{dataset['id']}",
                                include_private=True)["results"][0]
    assert found["resources"][0]["validation_status"] == status  # the index knows it too


def test_a_missing_upload_ends_in_error(producer, upload, run_worker):
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], "valid.csv", producer["user"]["name"])
    from ckan.lib import uploader
    import os
    os.remove(uploader.get_resource_uploader(resource).get_path(resource["id"]))
    run_worker()
    validation = _validation(resource["id"])
    assert (validation["status"], validation["error"]["type"]) == ("error", "file-missing")


def test_an_unreachable_url_ends_in_error(producer, run_worker):
    dataset = create_data_sektoral(producer["org"]["id"], resources=[
        {"url": "http://no-such-host.invalid/data.csv", "format": "CSV", "name": "jauh"}])
    run_worker()
    validation = _validation(dataset["resources"][0]["id"])
    assert (validation["status"], validation["error"]["type"]) == ("error", "fetch-unreachable")


def _solr_url() -> str:
    return os.environ.get("CKAN_SOLR_URL") or tk.config["solr_url"]


@pytest.mark.parametrize("field", ["url", "schema"])
def test_links_to_the_portals_own_solr_are_refused(producer, run_worker, app, field):
    """SSRF with read-back: the worker fetched Solr and stored what it answered."""
    other = sd.opd(name="dinas-rahasia", title="Dinas Rahasia")
    create_data_sektoral(other["id"], title="Draf Rahasia Zebra Ungu")  # in Solr, unpublished
    solr = _solr_url()
    links = {"url": f"{solr}/select?q=*:*&wt=csv&fl=title,name",
             "schema": f"{solr}/select?q=*:*&wt=json&fl=title,name"}
    dataset = create_data_sektoral(producer["org"]["id"], user=producer["user"]["name"])
    fields = {"package_id": dataset["id"], "name": "tautan", "format": "CSV",
              "url": links["url"] if field == "url" else "https://data.example.org/a.csv"}
    if field == "schema":
        fields["schema"] = links["schema"]
    # The producer, auth on, through the API.
    resource = tk.get_action("resource_create")(
        {"user": producer["user"]["name"], "ignore_auth": False}, fields)

    run_worker()

    validation = _validation(resource["id"])
    assert validation["status"] == "error"
    assert validation["error"]["type"] == "fetch-refused"
    assert validation["error"]["target"] == ("file" if field == "url" else "schema")
    text = json.dumps(validation)
    for leak in ("Zebra Ungu", "responseHeader", "numFound", "dinas-rahasia"):
        assert leak not in text
    token = factories.APIToken(user=producer["user"]["name"])["token"]
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validation",
                   headers={"Authorization": token}).body
    assert "menunjuk ke alamat di dalam jaringan portal sendiri (127.0.0.1)" in page
    assert "Zebra Ungu" not in page


def test_a_schema_change_queues_and_revalidates(producer, upload, run_worker):
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], "valid.csv", producer["user"]["name"])
    run_worker()
    assert _validation(resource["id"])["status"] == "success"

    wrong = [dict(v, type="integer") if v["name"] == "kecamatan" else v for v in VARIABLES]
    helpers.call_action("resource_patch", {"user": producer["user"]["name"]},
                        id=resource["id"], variabel=wrong)
    assert _validation(resource["id"])["status"] == "pending"
    run_worker()
    assert (_validation(resource["id"])["status"],
            _types(_validation(resource["id"])["report"])) == ("failure", ["type-error"] * 3)


def test_an_unrelated_dataset_edit_keeps_the_result(producer, upload, run_worker):
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], "valid.csv", producer["user"]["name"], variabel=VARIABLES)
    run_worker()
    ckan_jobs.get_queue().empty()

    helpers.call_action("package_patch", {"user": producer["user"]["name"]},
                        id=dataset["id"], notes="Catatan baru")

    assert [j.func_name for j in ckan_jobs.get_queue().jobs
            if "validat" in j.func_name] == []
    assert _validation(resource["id"])["status"] == "success"


def test_report_of_an_old_row_stored_as_json_text_is_an_object(producer, upload, run_worker):
    # Rows written by upstream's job hold the report as JSON text.
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], "valid.csv", producer["user"]["name"])
    run_worker()
    import ckan.model as model
    model.Session.execute(state.table.update().where(
        state.table.c.resource_id == resource["id"]).values(
            report=json.dumps({"valid": True, "tasks": []}), status="created"))
    model.Session.commit()
    validation = _validation(resource["id"])
    assert validation["report"] == {"valid": True, "tasks": []}
    assert validation["status"] == "pending"


@pytest.mark.ckan_config("ckanext.satudata.validation.decimal_char", ",")
@pytest.mark.ckan_config("ckanext.satudata.validation.group_char", ".")
def test_portal_number_format_option(producer, upload):
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], "angka_indonesia.csv", producer["user"]["name"],
                      variabel=VARIABLES)
    helpers.call_action("resource_validation_run", resource_id=resource["id"], **{"async": False})
    assert _validation(resource["id"])["status"] == "success"


@pytest.mark.ckan_config("ckan.max_resource_size", 100)
def test_large_upload_through_the_worker(producer, upload, run_worker, tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=50_000, bad_at=49_999, blanks_at_end=2)
    dataset = create_data_sektoral(producer["org"]["id"])
    resource = upload(dataset["id"], path, producer["user"]["name"], variabel=VARIABLES)
    run_worker(timeout=600)
    validation = _validation(resource["id"])
    assert validation["status"] == "failure"
    assert [(e["type"], e["rowNumber"]) for e in validation["report"]["tasks"][0]["errors"]] == \
        [("type-error", 50_000)]
    assert validation["report"]["tasks"][0]["stats"]["rows"] == 50_000


def test_job_is_queued_with_the_configured_timeout(producer, upload):
    dataset = create_data_sektoral(producer["org"]["id"])
    upload(dataset["id"], "valid.csv", producer["user"]["name"])
    [job] = [j for j in ckan_jobs.get_queue().jobs
             if j.func_name == "ckanext.satudata.validation.jobs.validate_resource"]
    assert job.timeout == 3600
    assert jobs.settings()["job_timeout"] == 3600
