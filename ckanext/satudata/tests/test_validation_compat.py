"""One test per ckanext-validation 2.2.0 defect that validation_compat mends.

Each ``test_upstream_*`` pins the defect in the released package: when it
fails, upstream has fixed it and the matching mend can be deleted.
"""

import flask
import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

import ckan.model as model
from ckan.exceptions import CkanConfigurationException
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories, helpers

import ckanext.validation.logic.action as upstream_action
import ckanext.validation.model as upstream_model
from ckanext.validation import common as upstream_common
from ckanext.validation.plugin import ValidationPlugin

from ckanext.satudata.tests.factories import create_data_sektoral, data_sektoral
from ckanext.satudata.validation_compat import (
    SatudataValidationPlugin,
    validation_table_exists,
)


def _report(resource_id):
    # Ours stores and returns the report as an object (upstream: JSON text).
    validation = helpers.call_action("resource_validation_show", resource_id=resource_id)
    return validation["status"], validation["report"]


def _queued_validations():
    return [job for job in jobs.get_queue().jobs
            if job.func_name == "ckanext.satudata.validation.jobs.validate_resource"]


@pytest.fixture
def producer():
    user = factories.User(name="produsen-dinkes")
    org = factories.Organization(
        name="dinas-kesehatan",
        users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org}


# Mend 1: the plugin loads, the table exists after `db init` and `clean_db`.

def test_upstream_tables_exist_needs_bound_metadata():
    with pytest.raises(sa.exc.UnboundExecutionError):
        upstream_model.tables_exist()


@pytest.mark.usefixtures("clean_db")
def test_validation_table_exists_after_clean_db():
    assert validation_table_exists()
    assert p.plugin_loaded("satudata_validation")


def test_upstream_table_is_lost_when_ckan_rebuilds_its_tables(reset_db, migrate_db_for):
    model.repo.tables_created_and_initialised = False  # force the drop of the first reset
    reset_db()
    assert not validation_table_exists()

    migrate_db_for("satudata_validation")
    assert validation_table_exists()


# Mend 2: async validation is queued by package_create, resource_create,
# package_update and resource_update, and the worker writes the report.

def test_upstream_lacks_the_ckan_210_hook_names():
    for hook in ("after_dataset_create", "after_dataset_update"):
        assert hook not in vars(ValidationPlugin)
        assert hook in vars(SatudataValidationPlugin)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestAsyncValidation:
    def test_resource_create_queues_and_worker_writes_success(
            self, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", producer["user"]["name"])

        assert len(_queued_validations()) == 1
        run_worker()

        status, report = _report(resource["id"])
        assert status == "success"
        assert report["valid"] is True
        assert report["stats"]["errors"] == 0
        shown = helpers.call_action("resource_show", id=resource["id"])
        assert shown["validation_status"] == "success"

    def test_faulty_file_ends_in_failure_with_row_errors(
            self, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload_resource(
            dataset["id"], "kasus_dbd_blank_row_extra_cell.csv", producer["user"]["name"])
        run_worker()

        status, report = _report(resource["id"])
        assert status == "failure"
        errors = report["tasks"][0]["errors"]
        assert sorted(e["type"] for e in errors) == ["blank-row", "extra-cell"]

    def test_package_create_with_resource_queues_validation(self, producer):
        helpers.call_action(
            "package_create", {"user": producer["user"]["name"]},
            **data_sektoral(producer["org"]["id"], name="data-via-url",
                            resources=[{"url": "http://127.0.0.1:9/data.csv", "format": "CSV"}]))

        assert len(_queued_validations()) == 1

    def test_package_update_queues_a_resource_whose_schema_changed(self, producer):
        dataset = helpers.call_action(
            "package_create", {"user": producer["user"]["name"]},
            **data_sektoral(producer["org"]["id"], name="data-via-url",
                            resources=[{"url": "http://127.0.0.1:9/data.csv", "format": "CSV"}]))
        jobs.get_queue().empty()
        resources = [dict(dataset["resources"][0],
                          variabel=[{"name": "tahun", "type": "year"}])]

        helpers.call_action("package_patch", {"user": producer["user"]["name"]},
                            id=dataset["id"], resources=resources)

        assert len(_queued_validations()) == 1

    def test_unrelated_package_update_does_not_queue_again(self, producer):
        # Upstream re-queues every resource on any package_update.
        dataset = helpers.call_action(
            "package_create", {"user": producer["user"]["name"]},
            **data_sektoral(producer["org"]["id"], name="data-via-url",
                            resources=[{"url": "http://127.0.0.1:9/data.csv", "format": "CSV"}]))
        jobs.get_queue().empty()

        helpers.call_action("package_patch", {"user": producer["user"]["name"]},
                            id=dataset["id"], notes="Diperbarui")

        assert _queued_validations() == []

    def test_resource_update_with_new_url_queues_validation(self, producer):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = helpers.call_action(
            "resource_create", {"user": producer["user"]["name"]},
            package_id=dataset["id"], url="http://127.0.0.1:9/a.csv", format="CSV")
        jobs.get_queue().empty()

        helpers.call_action("resource_patch", {"user": producer["user"]["name"]},
                            id=resource["id"], url="http://127.0.0.1:9/b.csv")

        assert len(_queued_validations()) == 1

    def test_worker_result_does_not_silence_the_next_update(
            self, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", producer["user"]["name"])
        run_worker()  # the stored result must not leave the dataset marked "skip"

        helpers.call_action("resource_patch", {"user": producer["user"]["name"]},
                            id=resource["id"], variabel=[{"name": "tahun", "type": "year"}])

        assert len(_queued_validations()) == 1


# Mend 3: sync mode is refused at start-up instead of crashing on upload.

@pytest.mark.ckan_config(
    "ckan.plugins", "satudata satudata_validation satudata_scheming example_iresourcecontroller")
@pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
def test_upstream_sync_create_calls_removed_hook(monkeypatch):
    dataset = create_data_sektoral(factories.Organization()["id"])
    monkeypatch.setitem(tk.config, "ckanext.validation.run_on_create_sync", True)
    sysadmin = factories.Sysadmin()

    with pytest.raises(AttributeError, match="before_create"):
        upstream_action.resource_create(
            lambda context, data_dict: None,
            {"user": sysadmin["name"], "model": model},
            {"package_id": dataset["id"], "url": "http://127.0.0.1:9/x.csv", "format": "CSV"})


@pytest.mark.parametrize("option", [
    "ckanext.validation.run_on_create_sync",
    "ckanext.validation.run_on_update_sync",
])
def test_sync_mode_is_refused_with_a_clear_message(option):
    with pytest.raises(CkanConfigurationException, match="RQ worker"):
        SatudataValidationPlugin().configure({option: "true"})


# Mend 4: the report page is reached by the dataset's slug.

@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestReportPage:
    def test_report_page_by_slug(self, app, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"], name="kasus-dbd")
        resource = upload_resource(
            dataset["id"], "kasus_dbd_blank_row_extra_cell.csv", producer["user"]["name"])
        run_worker()

        token = factories.APIToken(user=producer["user"]["name"])["token"]
        for id_ in ("kasus-dbd", dataset["id"]):
            response = app.get(f"/dataset/{id_}/resource/{resource['id']}/validation",
                               headers={"Authorization": token})
            assert response.status_code == 200
            assert "extra-cell" in response.body

    def test_unknown_dataset_is_404(self, app, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", producer["user"]["name"])
        run_worker()

        token = factories.APIToken(user=producer["user"]["name"])["token"]
        response = app.get(f"/dataset/tidak-ada/resource/{resource['id']}/validation",
                           headers={"Authorization": token})
        assert response.status_code == 404

    def test_unpublished_report_is_hidden_from_the_public(self, app, producer, upload_resource,
                                                          run_worker):
        dataset = create_data_sektoral(producer["org"]["id"], name="kasus-dbd")
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", producer["user"]["name"])
        run_worker()

        response = app.get(f"/dataset/kasus-dbd/resource/{resource['id']}/validation")
        assert response.status_code == 403

    @pytest.mark.usefixtures("with_request_context")
    def test_upstream_view_rejects_the_slug(self, producer, upload_resource, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"], name="kasus-dbd")
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", producer["user"]["name"])
        run_worker()

        flask.g.user = producer["user"]["name"]
        with pytest.raises(NotFound):
            upstream_common.validation(resource["id"], id="kasus-dbd")


# Mend 6: validation of a private dataset's resource outside a request.

@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestValidationRunOutsideARequest:
    def _private_resource(self, producer):
        dataset = create_data_sektoral(producer["org"]["id"], resources=[
            {"url": "http://127.0.0.1:9/a.csv", "format": "CSV"}])
        assert model.Package.get(dataset["id"]).private  # unpublished
        return dataset["resources"][0]["id"]

    def test_upstream_looks_the_resource_up_as_nobody(self, producer):
        resource_id = self._private_resource(producer)
        with pytest.raises(tk.NotAuthorized):
            upstream_action.resource_validation_run(
                {"ignore_auth": True, "user": "", "model": model}, {"resource_id": resource_id})

    def test_ours_passes_the_context_on(self, producer):
        resource_id = self._private_resource(producer)
        jobs.get_queue().empty()
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource_id)
        assert len(_queued_validations()) == 1
