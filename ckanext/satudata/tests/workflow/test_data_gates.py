"""Data before publication (issue #14 item 4): the gates `has_data` (at least one data
resource) and `msvar_complete` (every column of a table described as MS-Var asks: nama,
definisi, tipe, konsep, and the meaning of each code of a coded column), run at
submission in the SOP workflows and again on every step into a public state."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.conftest import FIXTURES
from ckanext.satudata.workflow import gates

ValidationError = helpers.logic.ValidationError
CSV = (FIXTURES / "penduduk_valid.csv").read_bytes()


def as_user(user) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def submit_problems(portal, dataset) -> list[str]:
    try:
        helpers.call_action("satudata_workflow_transition", as_user(portal.produsen),
                            id=dataset["id"], action="submit")
    except ValidationError as refused:
        return refused.error_dict["gates"]
    return []


def validate(resource):
    helpers.call_action("resource_validation_run", {"ignore_auth": True},
                        resource_id=resource["id"], **{"async": False})


def variables(**changes):
    rows = [dict(v) for v in sd.VARIABLES]
    for name, fields in changes.items():
        row = next(r for r in rows if r["name"] == name)
        row.update(fields)
    return rows


@pytest.mark.parametrize("workflow", [
    pytest.param(name, marks=pytest.mark.ckan_config("ckanext.satudata.workflow", name))
    for name in ("pasuruan", "tanjabbar")])
def test_submission_needs_data_and_described_variables(portal, workflow):
    dataset = portal.dataset()
    problems = submit_problems(portal, dataset)
    assert any("no data yet" in p or "belum memiliki data" in p for p in problems), problems

    # A document is not data.
    helpers.call_action("resource_create", as_user(portal.produsen), package_id=dataset["id"],
                        name="Laporan", format="PDF", url="http://contoh.go.id/laporan.pdf")
    assert any("no data yet" in p or "belum memiliki data" in p
               for p in submit_problems(portal, dataset))

    # A table without its variables described.
    table = helpers.call_action(
        "resource_create", as_user(portal.produsen), package_id=dataset["id"], name="Penduduk",
        format="CSV", url="penduduk.csv", upload=FileStorage(io.BytesIO(CSV), "penduduk.csv"))
    validate(table)
    problems = submit_problems(portal, dataset)
    assert not any("no data yet" in p or "belum memiliki data" in p for p in problems)
    assert [p for p in problems if "Penduduk" in p and "MS-Var" in p], problems

    # Described, but a definition and a concept missing and a code without its meaning.
    helpers.call_action("resource_patch", as_user(portal.produsen), id=table["id"],
                        variabel=variables(jumlah={"description": "", "konsep": ""},
                                           kecamatan={"type": "string",
                                                      "value_domain": "01=Purwodadi; 02"}))
    problems = submit_problems(portal, dataset)
    described = [p for p in problems if "jumlah" in p]
    assert described and "Definisi" in described[0] and "Konsep" in described[0], problems
    assert "kecamatan (Domain nilai)" in described[0], problems
    assert "tahun" not in described[0]

    helpers.call_action("resource_patch", as_user(portal.produsen), id=table["id"],
                        variabel=variables())
    validate(table)
    assert submit_problems(portal, dataset) == []


def test_kinds_without_data_files_pass_the_data_gates(portal):
    kegiatan = {"type": "kegiatan", "resources": []}
    assert gates.has_data(kegiatan) == [] and gates.msvar_complete(kegiatan) == []
    assert gates.has_data({"type": "dataset", "resources": []}) != []
    linked = {"type": "dataset", "resources": [
        {"id": "r1", "url": "https://contoh.go.id/api/penduduk", "format": "JSON"}]}
    assert gates.has_data(linked) == [] and gates.msvar_complete(linked) == []


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
def test_removing_the_data_after_submission_stops_publication(portal, delivered):
    """Publishing re-runs every gate: data a reviewer removed on the way is missed."""
    dataset = delivered()
    portal.reach(dataset, "diperbaiki_walidata")
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
    helpers.call_action("resource_delete", as_user(portal.walidata), id=resource["id"])
    portal.reach(dataset, "disetujui")
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("satudata_workflow_transition", as_user(portal.walidata),
                            id=dataset["id"], action="publish")
    assert any("no data yet" in p or "belum memiliki data" in p
               for p in refused.value.error_dict["gates"])
