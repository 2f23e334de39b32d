"""Validation badges in dataset listings: each dataset's own status, looked up in one query."""
import lxml.html

import ckan.model as model

from ckanext.satudata.tests.views.conftest import login  # noqa: F401  (fixture)
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)
from ckanext.satudata.tests.workflow.test_roles import Queries
from ckanext.satudata.validation import state


def _with_csv(portal, title):  # noqa: F811
    return portal.dataset(title=title, resources=[
        {"name": f"{title}.csv", "url": "http://127.0.0.1:9/data.csv", "format": "CSV"}])


def test_each_listed_dataset_shows_its_own_status_from_one_query(app, portal, login):  # noqa: F811
    statuses = {"Data valid": state.SUCCESS, "Data tidak valid": state.FAILURE,
                "Data gagal diperiksa": state.ERROR}
    datasets = {title: _with_csv(portal, title) for title in statuses}
    for title, status in statuses.items():
        state.finished(datasets[title]["resources"][0]["id"], status)
    # No row: the badge falls back to the status the search index holds (queued).
    without_row = _with_csv(portal, "Data belum diperiksa")
    model.Session.execute(state.table.delete().where(
        state.table.c.resource_id == without_row["resources"][0]["id"]))
    model.Session.commit()

    with Queries("validation") as queries:
        response = app.get("/dataset/", headers=login(portal.produsen))
    assert response.status_code == 200
    assert queries.count == 1  # one for the page, not one per dataset

    doc = lxml.html.fromstring(response.body)
    badges = {}
    for item in doc.xpath("//li[contains(@class, 'dataset-item')]"):
        title = " ".join(item.xpath(".//h2//a")[0].text_content().split())
        badge = item.xpath(".//span[contains(@class, 'satudata-validation-badge')]")
        badges[title] = badge[0].get("class").split("status-")[1] if badge else None
    assert badges == {"Data valid": "success", "Data tidak valid": "failure",
                      "Data gagal diperiksa": "error", "Data belum diperiksa": "pending"}


def test_badges_speak_the_language_of_each_request(app, portal, login):  # noqa: F811
    """A badge is rendered once a request per status and language: the next
    request, in the other language, renders its own."""
    dataset = _with_csv(portal, "Data tidak valid")
    state.finished(dataset["resources"][0]["id"], state.FAILURE)

    def badges(url):
        doc = lxml.html.fromstring(app.get(url, headers=login(portal.produsen)).body)
        return [(" ".join(span.text_content().split()), span.get("title")) for span in
                doc.xpath("//span[contains(@class, 'satudata-validation-badge')]")]

    assert badges("/dataset/") == [("Data: Tidak valid", "Validasi data: Tidak valid")]
    assert badges("/en/dataset/") == [("Data: Invalid", "Data validation: Invalid")]
    assert badges("/dataset/") == [("Data: Tidak valid", "Validasi data: Tidak valid")]
