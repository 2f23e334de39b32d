"""`ckan satudata validate`: one dataset or all, progress, summary, exit code."""
import pytest
from click.testing import CliRunner

from ckan.lib import jobs as ckan_jobs
from ckan.tests import helpers

from ckanext.satudata.cli import satudata
from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.validation.conftest import VARIABLES

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")


def _run(*args):
    return CliRunner().invoke(satudata, ["validate", *args], catch_exceptions=False)


@pytest.fixture
def datasets(producer, upload):
    good = create_data_sektoral(producer["org"]["id"], name="penduduk-baik")
    upload(good["id"], "valid.csv", producer["user"]["name"], variabel=VARIABLES)
    upload(good["id"], "multi_sheet_title_rows.xlsx", producer["user"]["name"], variabel=VARIABLES)
    bad = create_data_sektoral(producer["org"]["id"], name="penduduk-buruk")
    upload(bad["id"], "bad_values.csv", producer["user"]["name"], variabel=VARIABLES)
    upload(bad["id"], "empty.csv", producer["user"]["name"])
    ckan_jobs.get_queue().empty()
    return good, bad


def test_one_good_dataset_in_sync_mode(datasets):
    result = _run("penduduk-baik", "--sync")
    assert result.exit_code == 0, result.output
    assert "summary: success 2" in result.output
    assert "validating" in result.output  # the progress bar's label


def test_all_datasets_in_sync_mode_fail_with_the_counts(datasets):
    result = _run("--all", "--sync")
    assert result.exit_code == 1
    assert "summary: failure 2, success 2" in result.output
    statuses = sorted(r["validation_status"] for r in helpers.call_action(
        "package_show", id="penduduk-buruk")["resources"])
    assert statuses == ["failure", "failure"]


def test_queueing_leaves_the_work_to_the_worker(datasets, run_worker):
    result = _run("penduduk-buruk")
    assert result.exit_code == 0
    assert "summary: pending 2" in result.output
    assert len(ckan_jobs.get_queue().jobs) == 2
    run_worker()
    assert _run("penduduk-buruk", "--sync").exit_code == 1


def test_dataset_or_all_is_required():
    assert _run().exit_code == 2
    assert _run("x", "--all").exit_code == 2
