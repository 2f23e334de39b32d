"""satudata_indah_payload and its JSON download, as real users with auth on."""
from __future__ import annotations

import pytest
import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.demo.loader import DEFAULT_SPEC
from ckanext.satudata.tests import factories as sd


def _payload(user, id_):
    return tk.get_action("satudata_indah_payload")({"user": user, "ignore_auth": False}, {"id": id_})


def _refused(user, id_):
    with pytest.raises(tk.NotAuthorized):
        _payload(user, id_)


def test_who_sees_the_payload_of_an_unpublished_kegiatan(portal):
    kegiatan = portal.kegiatan()
    outsider = factories.User()["name"]
    # A draft: its OPD (both members) and sysadmins; the reviewers do not read drafts.
    for user in ("produsen-dinkes", "produsen-dinkes-2", "admin-satudata"):
        assert _payload(user, kegiatan["id"])["valid"], user
    for user in ("", "produsen-disdik", outsider, "walidata", "pembina-bps"):
        _refused(user, kegiatan["id"])
    portal.reach(kegiatan, "diperiksa_walidata")
    assert _payload("walidata", kegiatan["id"])["valid"]
    portal.reach(kegiatan, "direview_pembina")
    # Steward oversight: the Walidata, having held it, still reads it while BPS has it.
    for user in ("produsen-dinkes", "pembina-bps", "walidata"):
        assert _payload(user, kegiatan["id"])["valid"], user
    for user in ("", "produsen-disdik", outsider):
        _refused(user, kegiatan["id"])


def test_membership_just_removed_loses_the_payload(portal):
    kegiatan = portal.kegiatan()
    assert _payload("produsen-dinkes-2", kegiatan["id"])
    helpers.call_action("organization_member_delete", {"ignore_auth": True, "user": "admin-satudata"},
                        id=portal.opd["id"], username="produsen-dinkes-2")
    _refused("produsen-dinkes-2", kegiatan["id"])


def test_a_published_kegiatan_payload_is_public(portal):
    kegiatan = portal.kegiatan()
    portal.reach(kegiatan, "terpublikasi")
    assert _payload("", kegiatan["id"])["kegiatan"]["data"]["judul_kegiatan"] == kegiatan["title"]
    # Its standing at INDAH (errors, BPS's notes) stays with the parties.
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("satudata_indah_status")({"user": "", "ignore_auth": False}, {"id": kegiatan["id"]})


def test_other_dataset_types_have_no_payload(portal):
    dataset = portal.dataset()
    _refused("walidata", dataset["id"])


def test_msvar_and_msind_come_from_linked_records_the_caller_may_read(portal, upload_resource):
    kegiatan = portal.kegiatan()
    dataset = sd.create_data_sektoral(portal.opd["id"], portal.produsen["name"], kegiatan=kegiatan["id"])
    upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                    variabel=[dict(v, konsep="Penduduk", referensi_waktu="31 Desember")
                              for v in sd.VARIABLES])
    indikator = sd.create(sd.indikator(portal.opd["id"], kegiatan=kegiatan["id"]), portal.produsen["name"])
    # The dataset and indicator are the OPD's drafts: its members see them in the payload…
    mine = _payload("produsen-dinkes", kegiatan["id"])
    assert [v["data"]["nama"] for v in mine["variabel"]] == [v["title"] for v in sd.VARIABLES]
    assert mine["sources"]["variabel"][0] == {"dataset": dataset["name"],
                                              "resource": mine["sources"]["variabel"][0]["resource"],
                                              "column": "tahun"}
    assert [i["data"]["nama"] for i in mine["indikator"]] == [indikator["title"]]
    assert mine["valid"], mine["problems"]
    # … the Walidata (checking the kegiatan) only once they are submitted to it.
    portal.reach(kegiatan, "diperiksa_walidata")
    theirs = _payload("walidata", kegiatan["id"])
    assert theirs["variabel"] == [] and theirs["indikator"] == []
    portal.validate(dataset["id"])
    portal.reach(dataset, "diperiksa_walidata")
    assert len(_payload("walidata", kegiatan["id"])["variabel"]) == len(sd.VARIABLES)


def test_the_demo_kegiatan_validates_against_the_json_schema(portal):
    spec = yaml.safe_load(DEFAULT_SPEC.read_text(encoding="utf-8"))
    entry = next(d for d in spec["datasets"] if d.get("type") == "kegiatan")
    assert entry["owner_org"] == portal.opd["name"]  # the portal's OPD stands in for the demo's
    fields = {k: v for k, v in entry.items() if k not in ("state", "revision", "creator", "resources")}
    fields.update(owner_org=portal.opd["id"], tags=[{"name": t} for t in entry.get("tags", [])])
    kegiatan = sd.create(fields, "produsen-dinkes")
    org = portal.opd
    bundle = _payload("produsen-dinkes", kegiatan["id"])
    assert bundle["problems"] == [] and bundle["valid"]
    # Block I came from the OPD profile (prefill), as INDAH needs it.
    assert bundle["kegiatan"]["data"]["blok_i"]["instansi_penyelanggara"] == org["title"]


def test_problems_are_in_indonesian_and_name_the_field(app, portal):
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"], state="draft", ii_unit_eselon1=""),
                         portal.produsen["name"])
    token = helpers.call_action("api_token_create", {"ignore_auth": True, "user": "produsen-dinkes"},
                                user="produsen-dinkes", name="t")["token"]
    found = app.get("/api/3/action/satudata_indah_payload", params={"id": kegiatan["id"]},
                    headers={"Authorization": token}, status=200).json["result"]
    assert not found["valid"]
    assert {(p["field"], p["label"], p["message"]) for p in found["problems"]} == {
        ("ii_unit_eselon1", "Unit eselon I", "Wajib diisi untuk pelaporan ke INDAH")}


def test_json_download_from_the_kegiatan_page(app, portal):
    kegiatan = portal.kegiatan()
    url = f"/kegiatan/{kegiatan['name']}/indah.json"
    assert app.get(url, status=403)  # anonymous, unpublished
    token = helpers.call_action("api_token_create", {"ignore_auth": True, "user": "produsen-dinkes"},
                                user="produsen-dinkes", name="t")["token"]
    response = app.get(url, headers={"Authorization": token}, status=200)
    assert response.headers["Content-Disposition"] == f'attachment; filename="indah-{kegiatan["name"]}.json"'
    assert response.json["kegiatan"]["data"]["judul_kegiatan"] == kegiatan["title"]
    page = app.get(f"/kegiatan/{kegiatan['name']}", headers={"Authorization": token}, status=200)
    assert "indah.json" in page.body and "Unduh muatan INDAH (JSON)" in page.body
    assert app.get(f"/dataset/{portal.dataset()['name']}/indah.json", status=404)
