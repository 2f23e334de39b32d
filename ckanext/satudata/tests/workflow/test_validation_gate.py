"""The validation gate: submit and approve wait for every CSV/XLSX file to pass, naming the others.

Real users per role (``portal``), real uploads, the real RQ worker.
"""
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.tests.validation.conftest import FILES, VARIABLES

ValidationError = helpers.logic.ValidationError


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def upload(dataset, name, user, title, **fields):
    path = FILES / name
    with Path(path).open("rb") as stream:
        return tk.get_action("resource_create")({"user": user["name"]}, {
            "package_id": dataset["id"], "name": title, "url": name,
            "format": "XLSX" if name.endswith(".xlsx") else "CSV",
            "upload": FileStorage(stream=stream, filename=name), "variabel": VARIABLES, **fields})


def refusal(user, dataset, action):
    with pytest.raises(ValidationError) as refused:
        act(user, dataset, action)
    return refused.value.error_dict["gates"]


def test_submit_waits_for_every_file_and_names_those_at_fault(portal, run_worker):
    dataset = portal.dataset()
    upload(dataset, "valid.csv", portal.produsen, "Penduduk 2023")
    upload(dataset, "bad_values.csv", portal.produsen, "Penduduk 2024")
    helpers.call_action("resource_create", {"user": portal.produsen["name"]},
                        package_id=dataset["id"], name="Metadata PDF",
                        url="http://127.0.0.1:9/catatan.pdf", format="PDF")

    assert refusal(portal.produsen, dataset, "submit") == [
        "Resource Penduduk 2023 has not passed validation (status: Waiting for validation)",
        "Resource Penduduk 2024 has not passed validation (status: Waiting for validation)",
    ]
    run_worker()
    # Only the invalid file is left; the PDF is no data file and is not checked.
    assert refusal(portal.produsen, dataset, "submit") == [
        "Resource Penduduk 2024 has not passed validation (status: Invalid)"]

    bad = next(r for r in helpers.call_action("package_show", id=dataset["id"])["resources"]
               if r["name"] == "Penduduk 2024")
    helpers.call_action("resource_delete", {"user": portal.produsen["name"]}, id=bad["id"])
    assert act(portal.produsen, dataset, "submit")["state"] == "diperiksa_walidata"


def test_approve_is_refused_while_a_file_is_unchecked_or_invalid(portal, run_worker):
    dataset = portal.dataset()
    upload(dataset, "valid.csv", portal.produsen, "Penduduk 2023")
    run_worker()
    act(portal.produsen, dataset, "submit")
    act(portal.walidata, dataset, "forward")

    # A file added during the review (by the portal's administrator) holds the approval.
    late = upload(dataset, "invalid.xlsx", portal.sysadmin, "Penduduk 2024 (Excel)")
    assert refusal(portal.pembina, dataset, "approve") == [
        "Resource Penduduk 2024 (Excel) has not passed validation (status: Waiting for validation)"]
    run_worker()
    assert refusal(portal.pembina, dataset, "approve") == [
        "Resource Penduduk 2024 (Excel) has not passed validation (status: Invalid)"]

    with (FILES / "multi_sheet_title_rows.xlsx").open("rb") as stream:
        tk.get_action("resource_patch")({"user": portal.sysadmin["name"]}, {
            "id": late["id"], "url": "multi_sheet_title_rows.xlsx",
            "upload": FileStorage(stream=stream, filename="multi_sheet_title_rows.xlsx")})
    run_worker()
    assert act(portal.pembina, dataset, "approve")["state"] == "disetujui"


def test_the_gate_message_speaks_the_users_language(app, portal, run_worker):
    dataset = portal.dataset()
    upload(dataset, "laporan.pdf.csv", portal.produsen, "Penduduk")
    run_worker()
    token = factories.APIToken(user=portal.produsen["name"])["token"]
    for prefix, expected in (
            ("", "Sumber data Penduduk belum lolos validasi (status: Tidak valid)"),
            ("/en", "Resource Penduduk has not passed validation (status: Invalid)")):
        error = app.post(f"{prefix}/api/3/action/satudata_workflow_transition",
                         json={"id": dataset["id"], "action": "submit"},
                         headers={"Authorization": token}, status=409).json["error"]
        assert error["gates"] == [expected]
