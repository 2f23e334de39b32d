"""A schema guessed from the data: the action (with auth) and the confirm form on the resource."""
import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.validation import inference

from ckanext.satudata.tests.validation.conftest import FILES

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def test_inferred_fields_of_an_indonesian_file():
    result = inference.infer(str(FILES / "angka_indonesia.csv"), "csv")
    assert [(f["name"], f["type"], f["title"], f.get("constraints")) for f in
            result["schema"]["fields"]] == [
        ("tahun", "year", "Tahun", {"required": True}),
        ("kecamatan", "string", "Kecamatan", {"required": True}),
        ("jumlah", "integer", "Jumlah", {"required": True}),
        ("luas_km2", "number", "Luas km2", {"required": True}),
    ]
    assert result["number_format"] == {"decimal_char": ",", "group_char": "."}


def test_inference_finds_the_table_in_a_workbook_and_short_code_lists(tmp_path):
    result = inference.infer(str(FILES / "multi_sheet_title_rows.xlsx"), "xlsx")
    assert result["layout"]["sheet"] == "Data" and result["layout"]["header_row"] == 4
    path = tmp_path / "jk.csv"
    path.write_text("jk,jumlah\n" + "L,1\nP,2\n" * 5 + "L,\n")
    fields = inference.infer(str(path), "csv")["schema"]["fields"]
    assert fields[0]["constraints"] == {"required": True, "enum": ["L", "P"]}
    assert "constraints" not in fields[1]  # one empty cell: not required


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestAction:
    def test_producer_gets_variables_other_opd_does_not(self, producer, upload):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload(dataset["id"], "cp1252_semicolon.csv", producer["user"]["name"])
        result = helpers.call_action("satudata_schema_infer",
                                     {"user": producer["user"]["name"], "ignore_auth": False},
                                     resource_id=resource["id"])
        assert [v["name"] for v in result["variabel"]] == ["tahun", "kecamatan", "keterangan"]
        assert result["layout"]["encoding"] == "cp1252"
        assert result["variabel"][1]["wajib_diisi"] is True

        stranger = factories.User()
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_schema_infer",
                                {"user": stranger["name"], "ignore_auth": False},
                                resource_id=resource["id"])

    def test_a_link_to_the_portals_own_solr_is_refused(self, producer):
        """The web process fetched the link too (SSRF from satudata_schema_infer)."""
        import os

        import ckan.plugins.toolkit as tk

        solr = os.environ.get("CKAN_SOLR_URL") or tk.config["solr_url"]
        dataset = create_data_sektoral(producer["org"]["id"], resources=[
            {"url": f"{solr}/select?q=*:*&wt=csv", "format": "CSV", "name": "solr"}])
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_schema_infer",
                                {"user": producer["user"]["name"], "ignore_auth": False},
                                resource_id=dataset["resources"][0]["id"])
        message = refused.value.error_dict["url"][0]
        assert message.startswith("The link to the resource's file points to an address inside "
                                  "the portal's own network (127.0.0.1)")
        assert "responseHeader" not in message and "title" not in message

    def test_a_pdf_gets_a_clear_error(self, producer, upload):
        dataset = create_data_sektoral(producer["org"]["id"])
        resource = upload(dataset["id"], "laporan.pdf.csv", producer["user"]["name"])
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_schema_infer", resource_id=resource["id"])
        assert refused.value.error_dict["file"][0].startswith(
            "The file is not a table but a pdf file.")

    def test_confirm_form_fills_ms_var_and_validates(self, app, producer, upload, run_worker):
        dataset = create_data_sektoral(producer["org"]["id"], name="penduduk-2023")
        resource = upload(dataset["id"], "angka_indonesia.csv", producer["user"]["name"])
        run_worker()
        auth = {"Authorization": factories.APIToken(user=producer["user"]["name"])["token"]}
        page = app.get(f"/dataset/penduduk-2023/resource/{resource['id']}", headers=auth).body
        assert "Turunkan variabel dari berkas" in page
        url = f"/dataset/penduduk-2023/resource/{resource['id']}/schema"
        form = app.get(url, headers=auth).body
        assert 'name="variabel-2-name" value="jumlah"' in form
        assert 'name="decimal_char" value=","' in form

        # What the form posts (CSRF is off for token-authenticated requests).
        app.post(url, headers=auth, data={
            "variabel-0-keep": "true", "variabel-0-name": "tahun", "variabel-0-title": "Tahun",
            "variabel-0-type": "year", "variabel-0-wajib_diisi": "true",
            "variabel-1-keep": "true", "variabel-1-name": "kecamatan",
            "variabel-1-title": "Kecamatan", "variabel-1-type": "string",
            "variabel-2-keep": "true", "variabel-2-name": "jumlah",
            "variabel-2-title": "Jumlah penduduk", "variabel-2-type": "integer",
            "variabel-3-keep": "true", "variabel-3-name": "luas_km2",
            "variabel-3-title": "Luas wilayah", "variabel-3-type": "number",
            "decimal_char": ",", "group_char": "."}, follow_redirects=False)
        shown = helpers.call_action("resource_show", id=resource["id"])
        assert [(f["name"], f["type"], f.get("title")) for f in shown["schema"]["fields"]] == [
            ("tahun", "year", "Tahun"), ("kecamatan", "string", "Kecamatan"),
            ("jumlah", "integer", "Jumlah penduduk"), ("luas_km2", "number", "Luas wilayah")]
        assert shown["validation_options"]["decimal_char"] == ","
        assert shown["validation_status"] == "pending"
        run_worker()
        assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == \
            "success"
