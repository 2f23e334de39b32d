"""After the resource form saves a table file, the operator is led to its
variables in the compact table; what was entered before is kept."""
import io

import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.validation.conftest import FILES

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")


def _auth(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _post_file(app, auth, dataset, name="angka_indonesia.csv", save="again"):
    return app.post(f"/dataset/{dataset['name']}/resource/new", headers=auth, data={
        "id": "", "name": "Penduduk", "format": "CSV", "url": "", "save": save,
        "upload": (io.BytesIO((FILES / name).read_bytes()), name)}, follow_redirects=False)


def test_a_saved_table_file_leads_to_its_variables(app, producer):
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
    response = _post_file(app, _auth(producer["user"]), dataset)
    assert response.status_code == 302
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][-1]
    assert f"/dataset/penduduk-2023/resource/{resource['id']}/schema" in response.location
    assert response.location.endswith("?next=/dataset/penduduk-2023/resource/new")


def test_a_file_with_variables_goes_where_the_form_goes(app, producer):
    link = {"url": "https://data.example.org/penduduk.csv", "format": "CSV", "name": "Penduduk"}
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023", resources=[
        dict(link, variabel=[{"name": "tahun", "type": "year"}]), dict(link, name="Tanpa")])
    described, bare = dataset["resources"]
    auth = _auth(producer["user"])
    rows = {"variabel-0-name": "tahun", "variabel-0-type": "year"}  # as the form shows them
    for resource, posted, leads in ((described, rows, False), (bare, {}, True)):
        response = app.post(f"/dataset/penduduk-2023/resource/{resource['id']}/edit",
                            headers=auth, data=dict(link, save="", **posted),
                            follow_redirects=False)
        assert response.status_code == 302
        assert (f"/resource/{resource['id']}/schema" in response.location) is leads


def test_the_table_page_shows_labels_keeps_entries_and_tahun_is_a_year(app, producer, upload):
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
    resource = upload(dataset["id"], "angka_indonesia.csv", producer["user"]["name"])
    helpers.call_action("resource_patch", {"user": producer["user"]["name"]},
                        id=resource["id"], variabel=[
        {"name": "jumlah", "title": "Jumlah penduduk", "description": "Banyaknya penduduk",
         "type": "integer", "satuan": "Jiwa", "konsep": "Penduduk adalah ..."}])
    auth = _auth(producer["user"])
    url = f"/dataset/penduduk-2023/resource/{resource['id']}/schema"
    page = app.get(url, headers=auth).body
    assert "{'id'" not in page and ">Bilangan bulat<" in page
    assert 'value="Banyaknya penduduk"' in page and 'value="Jiwa"' in page
    assert '<option value="year" selected>' in page  # tahun
    assert page.count("<details") == 4  # the rarer fields fold away, one per column

    # The table posts no konsep: saving keeps it (and changes what was posted).
    app.post(url, headers=auth, data={
        "variabel-0-keep": "true", "variabel-0-name": "tahun", "variabel-0-type": "year",
        "variabel-1-keep": "true", "variabel-1-name": "jumlah", "variabel-1-type": "integer",
        "variabel-1-title": "Jumlah penduduk", "variabel-1-satuan": "Orang"},
        follow_redirects=False)
    fields = helpers.call_action("resource_show", id=resource["id"])["schema"]["fields"]
    jumlah = next(f for f in fields if f["name"] == "jumlah")
    assert jumlah["description"] == "Banyaknya penduduk"
    assert jumlah["msvar"] == {"satuan": "Orang", "konsep": "Penduduk adalah ..."}


def test_next_goes_only_to_this_portal(app, producer, upload):
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
    resource = upload(dataset["id"], "angka_indonesia.csv", producer["user"]["name"])
    url = f"/dataset/penduduk-2023/resource/{resource['id']}/schema"
    data = {"variabel-0-keep": "true", "variabel-0-name": "tahun", "variabel-0-type": "year"}
    auth = _auth(producer["user"])
    away = app.post(url + "?next=//evil.example/x", headers=auth, data=data, follow_redirects=False)
    assert "evil" not in away.location
    on = app.post(url, headers=auth, data=dict(data, next="/dataset/penduduk-2023"),
                  follow_redirects=False)
    assert on.location.endswith("/dataset/penduduk-2023")


def test_other_opd_gets_no_table(app, producer, upload):
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
    resource = upload(dataset["id"], "angka_indonesia.csv", producer["user"]["name"])
    stranger = factories.User()
    url = f"/dataset/penduduk-2023/resource/{resource['id']}/schema"
    app.get(url, headers=_auth(stranger), status=403)
