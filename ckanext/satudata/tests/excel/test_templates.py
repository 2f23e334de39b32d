"""The Excel metadata templates both ways, as real users with auth on: export →
import gives back the same records; a file with any error is refused whole."""
from __future__ import annotations

import io

import openpyxl
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.excel import layout
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.excel.conftest import (
    column_of, export, import_file, indexed, records, refused, saved, set_cell, show,
    template_values, variables_of)

PRODUSEN = "produsen-dinkes"


def _purge(*names):
    for name in names:
        helpers.call_action("dataset_purge", {"user": "admin-satudata"}, id=name)


@pytest.fixture
def bundle(portal, upload_resource):
    """A kegiatan with a dataset (a file whose columns carry MS-Var) and an indicator."""
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"], title="=HYPERLINK(\"http://x\")"), PRODUSEN)
    dataset = sd.create_data_sektoral(portal.opd["id"], PRODUSEN, kegiatan=kegiatan["name"])
    upload_resource(dataset["id"], "penduduk_valid.csv", PRODUSEN,
                    variabel=[dict(v, referensi_waktu="31 Desember", alias="-",
                                   value_domain="1=Laki-laki; 2=Perempuan" if v["name"] == "kecamatan" else "")
                              for v in sd.VARIABLES])
    indikator = sd.create(sd.indikator(portal.opd["id"], kegiatan=kegiatan["name"]), PRODUSEN)
    return {"kegiatan": show(kegiatan["name"]), "dataset": show(dataset["name"]),
            "indikator": show(indikator["name"])}


def test_kegiatan_file_has_the_templates_sheets_and_safe_cells(bundle):
    book = export(PRODUSEN, id=bundle["kegiatan"]["name"])
    assert book.sheetnames == ["MS-Keg", "MS-Ind", "Data Sektoral", "MS-Var"]
    keg = book["MS-Keg"]
    rows = layout.rows()
    # Block titles and MS-Keg's Blok I–VIII order, labels numbered, keys in their row.
    blocks = [c.value for c in keg[rows["block"]] if c.value]
    assert blocks[0] == "Informasi Umum" and any(str(b).startswith("Blok VIII") for b in blocks), blocks
    assert keg.cell(rows["label"], 1).value == "1. Judul Kegiatan *"
    assert keg.cell(rows["key"], 1).value == "title"
    # A producer's text that a spreadsheet would run is written as text.
    assert keg.cell(rows["first_record"], 1).value == "'=HYPERLINK(\"http://x\")"
    assert keg.cell(rows["first_record"], column_of(book, "MS-Keg", "cara_pengumpulan_data")).value == "Survei"
    assert records(book, "MS-Var") and len(records(book, "MS-Var")) == len(sd.VARIABLES)
    assert len(records(book, "MS-Ind")) == 1 and len(records(book, "Data Sektoral")) == 1
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for sheet in book for row in sheet.iter_rows() for c in row)


def test_round_trip_of_kegiatan_msvar_msind_updates_back_to_the_export(bundle):
    book = export(PRODUSEN, id=bundle["kegiatan"]["name"])
    content = saved(book)
    # Everything changed after the export…
    helpers.call_action("package_patch", {"user": PRODUSEN}, id=bundle["kegiatan"]["id"],
                        title="Judul lain", iv_sarana_pengumpulan_data=["PAPI", "CAWI"],
                        iii_variabel_yang_dikumpulkan=[{"nama": "Lain", "konsep": "K", "definisi": "D",
                                                        "referensi_waktu": "R"}])
    helpers.call_action("package_patch", {"user": PRODUSEN}, id=bundle["indikator"]["id"],
                        konsep=["Lain"], apakah_indikator_komposit=True, variabel_pembangun=[],
                        indikator_pembangun=[{"nama": "X", "sumber_publikasi": ["A"]}])
    resource = bundle["dataset"]["resources"][0]
    helpers.call_action("resource_patch", {"user": PRODUSEN}, id=resource["id"],
                        variabel=[{"name": "tahun", "title": "Tahun saja", "type": "string"}])
    # … the file gives back what was exported.
    done = import_file("produsen-dinkes-2", content)
    assert sorted(done["updated"]) == sorted(bundle[k]["name"] for k in ("kegiatan", "dataset", "indikator"))
    assert done["created"] == []
    for kind, template in (("kegiatan", "ms_keg"), ("indikator", "ms_ind"), ("dataset", "data_sektoral")):
        assert template_values(show(bundle[kind]["name"]), template) == \
            template_values(bundle[kind], template), kind
    assert variables_of(show(bundle["dataset"]["name"])) == variables_of(bundle["dataset"])
    assert show(bundle["kegiatan"]["name"])["title"] == '=HYPERLINK("http://x")'


def test_round_trip_recreates_purged_kegiatan_and_indicator_as_drafts(bundle):
    book = export(PRODUSEN, id=bundle["kegiatan"]["name"])
    for sheet in ("Data Sektoral", "MS-Var"):
        del book[sheet]
    _purge(bundle["indikator"]["name"], bundle["kegiatan"]["name"])
    done = import_file(PRODUSEN, saved(book))
    # The indicator links to the kegiatan the same file creates.
    assert done["created"] == [bundle["kegiatan"]["name"], bundle["indikator"]["name"]]
    for kind, template in (("kegiatan", "ms_keg"), ("indikator", "ms_ind")):
        again = show(bundle[kind]["name"])
        assert template_values(again, template) == template_values(bundle[kind], template), kind
        assert again["satudata_state"] == "draf" and again["private"]
        assert indexed(again["name"]) == 1


def test_round_trip_of_many_data_sektoral(portal):
    names = [sd.create_data_sektoral(portal.opd["id"], PRODUSEN, title=f"Data {i}", kegiatan=None)["name"]
             for i in range(4)]
    before = {n: show(n) for n in names}
    book = export(PRODUSEN, organization=portal.opd["name"])
    assert len(records(book, "Data Sektoral")) == 4
    _purge(*names)
    done = import_file(PRODUSEN, saved(book))
    assert sorted(done["created"]) == sorted(names)
    for name in names:
        assert template_values(show(name), "data_sektoral") == template_values(before[name], "data_sektoral")


def test_one_bad_row_in_the_middle_refuses_the_whole_file(portal):
    names = [sd.create_data_sektoral(portal.opd["id"], PRODUSEN, title=f"Data {i}", kegiatan=None)["name"]
             for i in range(5)]
    book = export(PRODUSEN, organization=portal.opd["name"])
    del book["MS-Var"]
    rows = records(book, "Data Sektoral")
    new_names = [f"baru-{i}" for i in range(len(rows))]
    for row, name in zip(rows, new_names):
        set_cell(book, "Data Sektoral", row, "name", name)
    set_cell(book, "Data Sektoral", rows[2], "sektor", "Pariwisata Luar Angkasa")
    set_cell(book, "Data Sektoral", rows[2], "akses", "")
    set_cell(book, "Data Sektoral", rows[3], "tahun_data", "dua ribu")
    problems = refused(PRODUSEN, saved(book))
    where = {(p["sheet"], p["row"], p["column"]) for p in problems}
    assert ("Data Sektoral", rows[2], layout.letter(column_of(book, "Data Sektoral", "sektor"))) in where
    assert ("Data Sektoral", rows[2], layout.letter(column_of(book, "Data Sektoral", "akses"))) in where
    assert ("Data Sektoral", rows[3], layout.letter(column_of(book, "Data Sektoral", "tahun_data"))) in where
    for name in new_names:
        assert model.Package.get(name) is None
        assert indexed(name) == 0
    assert all(model.Package.get(n) is not None for n in names)


def test_errors_are_in_indonesian_with_sheet_row_and_column(portal, app):
    book = export("")  # the empty template, anyone
    sheet = book["MS-Ind"]
    row = layout.rows()["first_record"]
    set_cell(book, "MS-Ind", row, "name", "ind-baru")
    set_cell(book, "MS-Ind", row, "owner_org", portal.opd["name"])
    set_cell(book, "MS-Ind", row, "apakah_indikator_komposit", "mungkin")
    assert sheet.title == "MS-Ind"
    from ckan.tests import factories as ckan_factories
    token = ckan_factories.APIToken(user=PRODUSEN)["token"]
    response = app.post("/metadata/import", headers={"Authorization": token},
                        data={"upload": (io.BytesIO(saved(book)), "isi.xlsx")}, status=400)
    text = response.body
    assert "Berkas ditolak" in text, text[:3000]
    assert "Tulis Ya atau Tidak" in text
    assert model.Package.get("ind-baru") is None


# ---------------------------------------------------------------- who may


def _datasets_file(portal, names=("data-impor",)) -> bytes:
    """An empty template filled with new data sektoral NAMES of the portal's OPD."""
    from ckanext.satudata.excel import cells

    book = export("")
    for row, name in enumerate(names, start=layout.rows()["first_record"]):
        for key, value in sd.data_sektoral(portal.opd["name"], name=name, kegiatan=None).items():
            if key in ("type", "tags"):
                continue
            column = layout.template("data_sektoral").column(key)
            set_cell(book, "Data Sektoral", row, key, cells.to_cell(column.field, value))
        set_cell(book, "Data Sektoral", row, "tag_string", "penduduk")
    return saved(book)


def _one_dataset_file(portal):
    return _datasets_file(portal)


def test_who_may_import(portal):
    content = _one_dataset_file(portal)
    with pytest.raises(tk.NotAuthorized):
        import_file("", content)
    # Another OPD, the Walidata: the row is refused (the workflow's editors are the OPD's).
    for user in ("produsen-disdik", "walidata"):
        problems = refused(user, content)
        assert problems[0]["sheet"] == "Data Sektoral" and problems[0]["row"] == layout.rows()["first_record"]
        assert model.Package.get("data-impor") is None
    assert import_file(PRODUSEN, content)["created"] == ["data-impor"]
    assert show("data-impor")["satudata_state"] == "draf"
    # The OPD's sheet: its members get the draft; a sysadmin's token (a harvester) only what
    # is published unless it asks for the rest, as every listing of the portal answers it.
    opd = portal.opd["name"]
    assert len(records(export(PRODUSEN, organization=opd), "Data Sektoral")) == 1
    assert records(export("admin-satudata", organization=opd), "Data Sektoral") == []
    assert len(records(export("admin-satudata", organization=opd, include_private=True),
                       "Data Sektoral")) == 1
    # A second member of the OPD updates the draft; the other OPD may not.
    assert import_file("produsen-dinkes-2", content)["updated"] == ["data-impor"]
    assert refused("produsen-disdik", content)
    # Once it is with the Walidata, the producers no longer edit it.
    portal.reach(show("data-impor"), "diperiksa_walidata")
    assert refused("produsen-dinkes-2", content)
    # Another OPD naming the hidden draft learns nothing of it: not its id, not its kind.
    hidden_id = show("data-impor")["id"]
    (problem,) = refused("produsen-disdik", content)
    assert hidden_id not in str(problem)
    assert (problem["column_label"], problem["message"]) == (
        "URL", "“data-impor” is already used by a record you may not change; choose another URL name")


def test_who_may_export(bundle):
    name = bundle["kegiatan"]["name"]
    for user in (PRODUSEN, "produsen-dinkes-2", "admin-satudata"):
        assert export(user, id=name)["MS-Keg"].max_row >= layout.rows()["first_record"]
    for user in ("", "produsen-disdik", "walidata"):
        with pytest.raises(tk.NotAuthorized) as refusal:
            export(user, id=name)
        # the refusal repeats what was asked, never the id of a record the caller may not read
        assert bundle["kegiatan"]["id"] not in str(refusal.value), user
    # An OPD's sheet lists only what the caller reads.
    assert records(export("produsen-disdik", organization="dinas-kesehatan"), "Data Sektoral") == []


# ---------------------------------------------------------------- hostile files


def test_hostile_and_broken_files_are_refused_whole(portal, tmp_path):
    from ckanext.satudata.tests.faults import hostile

    bomb = hostile.shared_strings_bomb(tmp_path / "bom.xlsx").read_bytes()
    for content in (b"not a workbook", b"PK\x03\x04broken", bomb):
        problems = refused(PRODUSEN, content)
        assert len(problems) == 1 and problems[0]["row"] is None, problems
    book = openpyxl.Workbook()
    book.active.title = "Lain"
    assert "MS-Keg" in refused(PRODUSEN, saved(book))[0]["message"]


def test_size_and_record_limits(portal, monkeypatch, ckan_config):
    monkeypatch.setitem(ckan_config, "ckanext.satudata.excel.max_bytes", 1000)
    content = _one_dataset_file(portal)
    assert "MB" in refused(PRODUSEN, content)[0]["message"]
    monkeypatch.setitem(ckan_config, "ckanext.satudata.excel.max_bytes", 10 * 1024 ** 2)
    monkeypatch.setitem(ckan_config, "ckanext.satudata.excel.max_records", 0)
    assert "0" in refused(PRODUSEN, content)[0]["message"]
    assert model.Package.get("data-impor") is None


def test_a_failure_while_applying_rolls_back_the_records_already_written(portal, tmp_path):
    """What is checked can still fail when written (a change in between): the records
    the file wrote before it are rolled back, in the database and in Solr."""
    from ckanext.satudata.excel import importing, reading

    names = ["satu", "dua", "tiga"]
    path = tmp_path / "isi.xlsx"
    path.write_bytes(_datasets_file(portal, names))
    entries, problems = reading.read(str(path), 100, tk._)
    plans, problems = importing.plan(entries, PRODUSEN, tk._)
    assert not problems and [p.name for p in plans] == names
    plans[1].data["sektor"] = "BUKAN_SEKTOR"
    done, problems = importing.apply(plans, PRODUSEN)
    assert done == {"created": [], "updated": []}
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("Data Sektoral", layout.rows()["first_record"] + 1,
         layout.template("data_sektoral").column("sektor").letter)]
    for name in names:
        assert model.Package.get(name) is None
        assert indexed(name) == 0
    # The same file, unchanged, imports whole.
    assert import_file(PRODUSEN, path.read_bytes())["created"] == names
    assert all(indexed(n) == 1 for n in names)


def test_a_link_to_a_record_the_file_creates_later_is_an_error(portal):
    book = openpyxl.load_workbook(io.BytesIO(_datasets_file(portal, ["data-baru"])))
    row = layout.rows()["first_record"]
    ind = sd.indikator(portal.opd["name"], name="ind-baru", kegiatan="data-baru")
    from ckanext.satudata.excel import cells
    for key, value in ind.items():
        column = layout.template("ms_ind").column(key)
        if column:
            set_cell(book, "MS-Ind", row, key, cells.to_cell(column.field, value))
    problems = refused(PRODUSEN, saved(book))
    assert [(p["sheet"], p["column"]) for p in problems] == [
        ("MS-Ind", layout.template("ms_ind").column("kegiatan").letter)]
    assert model.Package.get("data-baru") is None


@pytest.mark.ckan_config("ckanext.satudata.workflow.kegiatan", "pasuruan")
def test_the_walidata_imports_where_the_workflow_lets_it_edit(portal):
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"]), PRODUSEN)
    content = saved(export(PRODUSEN, id=kegiatan["name"]))
    assert refused("walidata", content)  # a draft is its OPD's
    portal.reach(show(kegiatan["name"]), "diperbaiki_walidata")
    book = export("walidata", id=kegiatan["name"])
    set_cell(book, "MS-Keg", layout.rows()["first_record"], "ii_pj_nama", "dr. Budi")
    assert import_file("walidata", saved(book))["updated"] == [kegiatan["name"]]
    assert show(kegiatan["name"])["ii_pj_nama"] == "dr. Budi"
    assert refused(PRODUSEN, saved(book))  # now the Walidata's to fix


def test_download_buttons_and_file(bundle, app):
    from ckan.tests import factories as ckan_factories

    token = ckan_factories.APIToken(user=PRODUSEN)["token"]
    for kind in ("kegiatan", "dataset", "indikator"):
        page = app.get(f"/{bundle[kind]['type']}/{bundle[kind]['name']}", headers={"Authorization": token})
        assert "data-satudata-excel-download" in page.body and "/metadata/template.xlsx?id=" in page.body
        assert "data-satudata-excel-import" in page.body
    response = app.get(f"/metadata/template.xlsx?id={bundle['kegiatan']['name']}",
                       headers={"Authorization": token})
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(response.get_data())).sheetnames[0] == "MS-Keg"
    app.get(f"/metadata/template.xlsx?id={bundle['kegiatan']['name']}", status=403)
    app.get("/metadata/import", status=403)
    assert app.get("/metadata/template.xlsx").status_code == 200
