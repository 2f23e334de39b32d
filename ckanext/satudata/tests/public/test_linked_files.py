"""A linked CSV gets the same preview, chart and conversions as an upload,
from the copy its check fetched (net.fetch), and a report whose advice fits
a link ("perbarui tautan", not "unggah ulang")."""
import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories
from ckanext.satudata.tests.net.conftest import send, server  # noqa: F401 (fixture)
from ckanext.satudata.validation import jobs

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues"),
              pytest.mark.ckan_config("ckanext.satudata.fetch_allowed_hosts", "127.0.0.1")]

GOOD = b"tahun,jumlah\n2022,1200\n2023,1250\n"
BAD = b"tahun,jumlah\n2022,banyak\n2023,1250\n"
VARIABLES = [{"name": "tahun", "type": "year"}, {"name": "jumlah", "type": "integer"}]


@pytest.fixture
def producer():
    user = ckan_factories.User()
    org = factories.opd(users=[{"name": user["name"], "capacity": "editor"}])
    token = ckan_factories.APIToken(user=user["name"])["token"]
    return {"name": user["name"], "org": org, "headers": {"Authorization": token}}


def _linked(producer, url):
    dataset = factories.create_data_sektoral(producer["org"]["id"], producer["name"], resources=[
        {"url": url, "format": "CSV", "name": "Penduduk", "variabel": VARIABLES}])
    return dataset, dataset["resources"][0]


def test_a_linked_table_is_previewed_charted_and_converted_after_its_check(
        app, producer, server):  # noqa: F811
    server.routes["/penduduk.csv"] = lambda h: send(h, GOOD, content_type="text/csv")
    dataset, resource = _linked(producer, server.url("/penduduk.csv"))
    page_url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    convert = f"{page_url}/convert/csv"

    before = app.get(page_url, headers=producer["headers"]).body
    assert "satudata-linked-waiting" in before and "satudata-preview" not in before
    app.get(convert, headers=producer["headers"], status=404)

    assert jobs.validate_resource(resource["id"]) == "success"
    after = app.get(page_url, headers=producer["headers"]).body
    assert "satudata-preview" in after and ">1.250<" in after  # the id locale groups thousands
    assert "satudata-linked-waiting" not in after
    body = app.get(convert, headers=producer["headers"], status=200).body
    assert body.splitlines()[:2] == ["tahun,jumlah", "2022,1200"]
    dataset_page = app.get(f"/dataset/{dataset['name']}", headers=producer["headers"]).body
    assert f"/resource/{resource['id']}/convert/xlsx" in dataset_page

    # Another link: nothing is shown from the old file until its own check.
    helpers.call_action("resource_patch", {"user": producer["name"]}, id=resource["id"],
                        url=server.url("/lain.csv"))
    again = app.get(page_url, headers=producer["headers"]).body
    assert "satudata-preview" not in again and "satudata-linked-waiting" in again
    assert [p for p, _ in server.seen] == ["/penduduk.csv"]  # pages never fetch


def test_the_report_of_a_linked_file_says_update_the_link(app, producer, server):  # noqa: F811
    server.routes["/penduduk.csv"] = lambda h: send(h, BAD, content_type="text/csv")
    dataset, resource = _linked(producer, server.url("/penduduk.csv"))
    assert jobs.validate_resource(resource["id"]) == "failure"
    report = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validation",
                     headers=producer["headers"]).body
    assert "perbarui tautan" in report
    assert "unggah ulang" not in report


def test_an_empty_link_is_fixed_by_a_new_link(app, producer, server):  # noqa: F811
    server.routes["/kosong.csv"] = lambda h: send(h, b"", content_type="text/csv")
    dataset, resource = _linked(producer, server.url("/kosong.csv"))
    jobs.validate_resource(resource["id"])
    report = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validation",
                     headers=producer["headers"]).body
    assert "perbarui tautan ke berkas datanya" in report and "Unggah ulang" not in report
