"""The report a producer reads: grouped, in plain words (Indonesian and English), downloadable."""
import csv
import io

import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.validation.conftest import VARIABLES
from ckanext.satudata.validation import report, run

from ckanext.satudata.tests.validation.conftest import SCHEMA

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")


@pytest.fixture
def failed(producer, upload, run_worker):
    dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
    resource = upload(dataset["id"], "bad_values.csv", producer["user"]["name"],
                      variabel=VARIABLES)
    run_worker()
    token = factories.APIToken(user=producer["user"]["name"])["token"]
    return dataset, resource, {"Authorization": token}


def test_groups_count_explain_and_cap(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("tahun,kecamatan,jumlah,luas_km2\n" + "2023,A,x,1\n" * 30 + ",B,1,1\n")
    _, result = run.validate_file(str(path), "csv", SCHEMA)
    groups = report.grouped(result, SCHEMA, limit=5)
    assert [(g["type"], g["count"], len(g["examples"])) for g in groups] == [
        ("type-error", 30, 5), ("constraint-error", 1, 1)]
    first = groups[0]["examples"][0]
    assert (first["row"], first["column"], first["column_title"], first["value"]) == \
        (2, "jumlah", "Jumlah penduduk", "x")
    assert first["what"] == "The value is not of the column's data type (a whole number, e.g. 1234)."
    assert groups[1]["examples"][0]["what"] == \
        "The value breaks a rule of the column: it may not be empty."


def test_report_page_in_indonesian(app, failed):
    dataset, resource, auth = failed
    page = app.get(f"/dataset/penduduk-2023/resource/{resource['id']}/validation",
                   headers=auth).body
    assert "Laporan validasi" in page
    assert "Tidak valid" in page
    assert "Nilai tidak sesuai tipe data kolom (bilangan bulat, mis. 1234)." in page
    assert "Nilai melanggar aturan kolom: tidak boleh kosong." in page
    assert "Jumlah penduduk" in page and "<code>jumlah</code>" in page
    assert "Cara memperbaiki" in page
    assert "Validasi ulang" in page  # the producer may run it again


def test_report_page_in_english(app, failed):
    dataset, resource, auth = failed
    page = app.get(f"/en/dataset/penduduk-2023/resource/{resource['id']}/validation",
                   headers=auth).body
    assert "The row has more cells than the table has columns." in page
    assert "How to fix it" in page


def test_downloads(app, failed):
    dataset, resource, auth = failed
    base = f"/dataset/penduduk-2023/resource/{resource['id']}/validation"
    as_json = app.get(f"{base}/report.json", headers=auth)
    assert as_json.json["status"] == "failure"
    assert as_json.headers["Content-Disposition"].endswith('.json"')
    as_csv = app.get(f"/en{base}/report.csv", headers=auth)
    rows = list(csv.reader(io.StringIO(as_csv.body.lstrip("\ufeff"))))
    assert rows[0] == ["Row", "Column name", "Variable name", "Value", "Problem",
                       "What is wrong", "How to fix it"]
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        ("2", "jumlah", "type-error"), ("3", "tahun", "constraint-error"),
        ("3", "luas_km2", "constraint-error"), ("4", "kecamatan", "constraint-error"),
        ("4", "luas_km2", "type-error"), ("5", "", "extra-cell")]


def test_downloads_are_hidden_from_the_public(app, failed):
    dataset, resource, auth = failed
    app.get(f"/dataset/penduduk-2023/resource/{resource['id']}/validation/report.csv",
            status=403)


def test_statuses_on_dataset_page_resource_page_and_listing(app, failed, producer, upload):
    dataset, resource, auth = failed
    upload(dataset["id"], "valid.csv", producer["user"]["name"], name="Penduduk baru",
           variabel=VARIABLES)  # queued, not yet run
    page = app.get("/dataset/penduduk-2023", headers=auth).body
    assert "Validasi data" in page and "Tidak valid" in page and "Menunggu validasi" in page
    page = app.get(f"/dataset/penduduk-2023/resource/{resource['id']}", headers=auth).body
    assert "Lihat laporan validasi" in page
    page = app.get("/dataset/", headers=auth).body
    assert "Data: Tidak valid" in page  # the worst status of the dataset's files


def test_rerun_from_the_report_page(app, failed):
    dataset, resource, auth = failed
    response = app.post(f"/dataset/penduduk-2023/resource/{resource['id']}/validation/run",
                        headers=auth, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/dataset/penduduk-2023/resource/{resource['id']}/validation")
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == \
        "pending"


def test_rerun_is_for_editors_only(app, failed):
    dataset, resource, auth = failed
    stranger = factories.APIToken(user=factories.User()["name"])["token"]
    app.post(f"/dataset/penduduk-2023/resource/{resource['id']}/validation/run",
             headers={"Authorization": stranger}, status=403)


def test_report_csv_neutralises_formulas_in_cells(tmp_path):
    path = tmp_path / "jahat.csv"
    path.write_text('tahun,kecamatan,jumlah,luas_km2\n2023,A,"=HYPERLINK(""http://x"",""klik"")",1\n'
                    "2023,B,-7,-1\n")
    _, result = run.validate_file(str(path), "csv", SCHEMA)
    rows = list(csv.reader(io.StringIO(report.csv_text(result, SCHEMA))))
    assert rows[1][:4] == ["2", "jumlah", "Jumlah penduduk", "'=HYPERLINK(\"http://x\",\"klik\")"]
    assert rows[2][:4] == ["3", "luas_km2", "Luas wilayah", "-1"]  # a number stays a number
