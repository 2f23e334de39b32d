import json
import os
import stat

import pytest
import yaml

import ckan.model as model
from ckan.lib import jobs
from ckan.tests import factories, helpers

from ckanext.satudata.demo.loader import DEFAULT_SPEC, load_demo
from ckanext.satudata.model import DataRequest, Revision

SPEC = yaml.safe_load(DEFAULT_SPEC.read_text(encoding="utf-8"))


def search(**params):
    """Everything a sysadmin finds, except open revisions (private working copies)."""
    found = helpers.call_action("package_search", {"user": factories.Sysadmin()["name"]},
                                include_private=True, **params)
    copies = {r.revision_id for r in model.Session.query(Revision)}
    results = [d for d in found["results"] if d["id"] not in copies]
    return dict(found, results=results, count=found["count"] - (len(found["results"]) - len(results)))


@pytest.fixture
def credentials(tmp_path):
    return str(tmp_path / "demo-credentials.json")


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestLoadDemo:
    def test_first_load_creates_everything(self, credentials):
        created = load_demo(credentials)

        assert created == {
            "organizations": len(SPEC["organizations"]),
            "users": len(SPEC["users"]),
            "datasets": len(SPEC["datasets"]),
        }
        found = {d["name"]: d for d in search(rows=100)["results"]}
        assert sorted(found) == sorted(d["name"] for d in SPEC["datasets"])
        for spec in SPEC["datasets"]:
            assert found[spec["name"]]["type"] == spec.get("type", "dataset")
            assert len(found[spec["name"]]["resources"]) == len(spec.get("resources", []))

    def test_datasets_use_the_scheme_and_link_up(self, credentials):
        load_demo(credentials)

        penduduk = helpers.call_action("package_show", id="jumlah-penduduk-kecamatan-jenis-kelamin")
        assert penduduk["sektor"] == "DEMOGRAFI_DAN_KEPENDUDUKAN"
        assert penduduk["kode_wilayah"] == ["35.14"] and penduduk["tahun_data"] == [2021, 2022, 2023]
        assert penduduk["indikator"] == ["rasio-jenis-kelamin"]
        columns = penduduk["resources"][0]["schema"]["fields"]
        assert [c["name"] for c in columns] == ["tahun", "kecamatan", "laki_laki", "perempuan", "jumlah"]
        kegiatan = helpers.call_action("package_show", id="survei-kepuasan-layanan-kesehatan-2024")
        # Block I came from the OPD profile.
        assert kegiatan["i_instansi_penyelenggara"] == "Dinas Kesehatan"
        assert kegiatan["i_email"] == "dinkes@pasuruankab.go.id"
        imunisasi = helpers.call_action("package_show", id="imunisasi-dasar-lengkap-kecamatan")
        assert imunisasi["kegiatan"] == kegiatan["name"]

    def test_every_resource_is_queued_for_validation(self, credentials):
        load_demo(credentials)

        queued = [j for j in jobs.get_queue().jobs
                  if j.func_name == "ckanext.satudata.validation.jobs.validate_resource"]
        # Data files are validated; a letter (PDF) is not a table to validate.
        assert len(queued) == sum(1 for d in SPEC["datasets"] for r in d.get("resources", [])
                                  if r["format"] in ("CSV", "XLSX"))

    def test_datasets_stand_in_their_demo_states(self, credentials):
        load_demo(credentials)

        for spec in SPEC["datasets"]:
            shown = helpers.call_action("satudata_workflow_show", {"user": "walidata"},
                                        id=spec["name"])
            assert shown["state"] == spec["state"], spec["name"]
        published = helpers.call_action("package_search", {"user": "", "ignore_auth": False})
        assert sorted(d["name"] for d in published["results"]) == sorted(
            d["name"] for d in SPEC["datasets"] if d["state"] == "terpublikasi")
        returned = helpers.call_action("satudata_workflow_show", {"user": "walidata"},
                                       id="sekolah-murid-guru-kecamatan")
        assert returned["history"][-1]["comment"].startswith("Jumlah guru SMP")

    def test_one_user_per_role_with_working_token(self, app, credentials):
        load_demo(credentials)

        document = json.loads(open(credentials, encoding="utf-8").read())
        roles = {u["role"] for u in document["users"]}
        assert roles == {"sysadmin", "walidata", "pembina", "produsen"}
        assert stat.S_IMODE(os.stat(credentials).st_mode) == 0o600
        for user in document["users"]:
            me = app.get("/api/3/action/user_show", query_string={"id": user["name"]},
                         headers={"Authorization": user["api_token"]}).json["result"]
            assert me["name"] == user["name"]
        assert model.User.get("admin-satudata").sysadmin

    def test_memberships_follow_the_spec(self, credentials):
        load_demo(credentials)

        for user in SPEC["users"]:
            for org, capacity in user.get("memberships", {}).items():
                members = helpers.call_action("member_list", id=org, object_type="user")
                assert (model.User.get(user["name"]).id, "user", capacity.capitalize()) in [
                    tuple(m) for m in members]

    def test_second_load_keeps_data_and_credentials(self, credentials):
        load_demo(credentials)
        first = open(credentials, encoding="utf-8").read()

        assert load_demo(credentials) == {"organizations": 0, "users": 0, "datasets": 0}
        assert open(credentials, encoding="utf-8").read() == first
        assert search()["count"] == len(SPEC["datasets"])

    def test_lost_credentials_are_issued_again(self, app, credentials):
        load_demo(credentials)
        os.remove(credentials)

        load_demo(credentials)

        user = json.loads(open(credentials, encoding="utf-8").read())["users"][0]
        me = app.get("/api/3/action/user_show", query_string={"id": user["name"]},
                     headers={"Authorization": user["api_token"]}).json["result"]
        assert me["name"] == user["name"]

    def test_half_loaded_dataset_gets_its_missing_resource(self, credentials):
        load_demo(credentials)
        name = next(d["name"] for d in SPEC["datasets"] if d.get("resources"))
        resource = helpers.call_action("package_show", id=name)["resources"][0]
        helpers.call_action("resource_delete", {"user": "admin-satudata"}, id=resource["id"])

        assert load_demo(credentials)["datasets"] == 0
        assert len(helpers.call_action("package_show", id=name)["resources"]) == 1


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
def test_lifecycle_demo_withdrawal_revision_and_requests(tmp_path):
    load_demo(str(tmp_path / "demo-credentials.json"))

    stone = helpers.call_action("satudata_tombstone_show", {"user": "", "ignore_auth": False},
                                id="jumlah-penduduk-kecamatan-2020")
    assert stone["state"] == "ditarik" and stone["reason"].startswith("Diganti oleh data")

    survei = "survei-kepuasan-layanan-kesehatan-2024"
    shown = helpers.call_action("satudata_workflow_show", {"user": "produsen-dinkes"}, id=survei)
    assert shown["state"] == "terpublikasi" and shown["revision"]["state"] == "diperiksa_walidata"
    public = helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=survei)
    assert "Revisi" not in public["notes"]
    copy = helpers.call_action("package_show", id=shown["revision"]["id"])
    assert "Revisi: jumlah sampel" in copy["notes"]

    requests = {r.title: r for r in model.Session.query(DataRequest)}
    assert len(requests) == 3
    overdue = requests["Angka Partisipasi Sekolah menurut Kecamatan, 2024"]
    assert overdue.status == "open"
    listed = helpers.call_action("satudata_request_list", {"user": "walidata"}, overdue=True)
    assert [r["title"] for r in listed["results"]] == [overdue.title]
    fulfilled = requests["Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin"]
    assert fulfilled.status == "fulfilled" and fulfilled.late is False
