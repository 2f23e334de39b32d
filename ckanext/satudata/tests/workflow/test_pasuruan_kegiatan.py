"""The Pasuruan SOP for a kegiatan statistik, steps 1 to 13, through the API with a real
user per role: the OPD's producer and a second member of the OPD, the Walidata, BPS, and
a producer of another OPD who is refused. Once with a kegiatan that needs BPS's
recommendation (steps 2-6 at Romantik, BPS issuing the letter), once with one that does
not (step 1 straight to step 7). Every due date is the calendar's for the state's SLA.
"""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories as ckan_factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.conftest import FIXTURES
from ckanext.satudata.workflow import calendar, service

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError

NOT_A_SURVEY = dict(
    cara_pengumpulan_data="CARA_LAIN_SESUAI_DENGAN_PERKEMBANGAN_TI",
    **{f"v_{k}": None for k in (
        "jenis_rancangan_sampel", "metode_pemilihan_sampel_tahap_terakhir",
        "metode_yang_digunakan", "kerangka_sampel_tahap_terakhir", "fraksi_sampel_keseluruhan",
        "unit_sampel", "unit_observasi", "nilai_perkiraan_sampling_error_variabel_utama")})


def act(user, kegiatan, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=kegiatan["id"], action=action, **extra)


def trail(shown):
    return [(e["action"], e["from_state"], e["to_state"], e["user"]) for e in shown["history"]]


def check_due(shown, amount, unit):
    """The state's SLA is AMOUNT UNIT (the SOP's), and its due date the calendar's count of it
    from when the state was entered, in the unit the workflow counts it in ("Hari" are
    working days unless the definition says ``days_are: calendar_days``)."""
    workflow = service.load(shown["workflow"])
    sla = workflow.states[shown["state"]].sla
    assert (sla.amount, sla.unit) == (amount, unit)
    cal = calendar.WorkCalendar.from_config(tk.config)
    entered = datetime.datetime.fromisoformat(shown["entered"])
    assert datetime.datetime.fromisoformat(shown["due"]) == cal.due(entered, amount, workflow.clock_unit(sla))


def refused_gates(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.error_dict["gates"]


def missing_message(*parts):
    return ("This activity needs a BPS recommendation (Romantik); still missing: "
            + ", ".join(parts))


NUMBER, DATE, LETTER = ("the recommendation number", "the recommendation date",
                        "the recommendation letter (PDF)")


@pytest.fixture
def people(portal):
    second = ckan_factories.User(name="produsen-dinkes-2")
    helpers.call_action("organization_member_create", {"ignore_auth": True},
                        id=portal.opd["id"], username=second["name"], role="editor")
    return {"opd": portal.produsen, "opd2": second, "other": portal.produsen_lain,
            "walidata": portal.walidata, "bps": portal.pembina}


def download(app, kegiatan_id, user=None):
    shown = helpers.call_action("package_show", {"ignore_auth": True}, id=kegiatan_id)
    letter = next(r for r in shown["resources"] if r["resource_type"] == "surat_rekomendasi")
    headers = {}
    if user is not None:
        headers = {"Authorization": ckan_factories.APIToken(user=user["name"])["token"]}
    path = letter["url"].split("://", 1)[-1].split("/", 1)[-1]
    return app.get("/" + path, headers=headers)


@pytest.mark.ckan_config("ckanext.satudata.workflow.kegiatan", "pasuruan_kegiatan")
class TestPasuruanKegiatan:
    def test_needed_recommendation_steps_1_to_13(self, app, portal, people):
        p = people
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
        shown = helpers.call_action("satudata_workflow_show", {"user": "produsen-dinkes"},
                                    id=kegiatan["id"])
        assert (shown["workflow"], shown["state"]) == ("pasuruan_kegiatan", "cek_rekomendasi")
        check_due(shown, 15, "minutes")                                      # step 1
        with pytest.raises(NotAuthorized):
            act(p["other"], kegiatan, "forward", to="draf")  # another OPD's
        # Step 1: a survey of sectoral statistics needs a recommendation; without one the
        # OPD may not skip to step 7.
        assert refused_gates(lambda: act(p["opd"], kegiatan, "forward", to="pelaporan_metadata")
                             ) == [missing_message(NUMBER, DATE, LETTER)]
        shown = act(p["opd2"], kegiatan, "forward", to="draf")
        assert shown["state"] == "draf"
        check_due(shown, 1, "days")                                          # step 2
        shown = act(p["opd"], kegiatan, "submit")
        assert shown["state"] == "diperiksa_walidata"
        check_due(shown, 3, "days")                                          # step 3
        shown = act(p["walidata"], kegiatan, "return", comment="Lampirkan kuesioner")
        assert shown["state"] == "dikembalikan"
        check_due(shown, 30, "minutes")                                      # step 4
        act(p["opd2"], kegiatan, "submit")
        shown = act(p["walidata"], kegiatan, "forward")
        assert shown["state"] == "rekomendasi_bps"
        check_due(shown, 15, "minutes")                                      # step 6
        queue = helpers.call_action("satudata_workflow_queue", {"user": "pembina-bps"})
        assert [q["name"] for q in queue] == [kegiatan["name"]]

        # Step 5: BPS returns the request to the OPD, which fixes it.
        with pytest.raises(NotAuthorized):
            act(p["walidata"], kegiatan, "approve")
        shown = act(p["bps"], kegiatan, "return", comment="Metode sampel belum jelas")
        assert shown["state"] == "dikembalikan"
        check_due(shown, 30, "minutes")                                      # step 5
        act(p["opd"], kegiatan, "submit")
        act(p["walidata"], kegiatan, "forward")

        # Step 6: BPS issues the letter; it is done only when number, date and letter
        # are on the kegiatan, and BPS (the state's editor) puts them there.
        assert refused_gates(lambda: act(p["bps"], kegiatan, "approve")) == [
            missing_message(NUMBER, DATE, LETTER)]
        with pytest.raises(NotAuthorized):  # the OPD does not edit while BPS holds it
            sd.attach_letter(kegiatan["id"], p["opd"]["name"])
        helpers.call_action("package_patch", {"user": "pembina-bps", "ignore_auth": False},
                            id=kegiatan["id"],
                            rekomendasi_dari_bps=True,
                            identitas_rekomendasi="B-77/35140/VS.300/2024",
                            tanggal_rekomendasi="2024-01-15")
        assert refused_gates(lambda: act(p["bps"], kegiatan, "approve")) == [
            missing_message(LETTER)]
        with pytest.raises(ValidationError) as refused:  # a PDF by its name only
            sd.attach_letter(kegiatan["id"], "pembina-bps",
                             path=FIXTURES / "penduduk_kecil.csv")
        assert refused.value.error_dict["upload"] == [
            "The recommendation letter must be a PDF file; this file is not one"]
        sd.attach_letter(kegiatan["id"], "pembina-bps")
        assert download(app, kegiatan["id"]).status_code in (403, 404)  # not public yet
        assert download(app, kegiatan["id"], p["other"]).status_code in (403, 404)
        assert download(app, kegiatan["id"], p["opd2"]).status_code == 200
        shown = act(p["bps"], kegiatan, "approve")
        assert shown["state"] == "pelaporan_metadata"
        check_due(shown, 30, "minutes")                                      # step 7

        # Steps 7-12: the metadata pass.
        shown = act(p["opd"], kegiatan, "submit")
        assert shown["state"] == "pelaporan_indah"
        check_due(shown, 30, "minutes")                                      # step 8
        shown = act(p["walidata"], kegiatan, "forward")
        assert shown["state"] == "direview_pembina"
        check_due(shown, 3, "days")                                          # step 9
        shown = act(p["bps"], kegiatan, "return", to="diperbaiki_walidata",
                    comment="Definisi variabel tidak baku")
        check_due(shown, 30, "minutes")                                      # step 10
        shown = act(p["walidata"], kegiatan, "forward")
        assert shown["state"] == "persetujuan_pembina"
        check_due(shown, 15, "minutes")                                      # step 11
        shown = act(p["bps"], kegiatan, "approve")
        assert shown["state"] == "disetujui"
        check_due(shown, 3, "days")                                          # step 12
        with pytest.raises(NotAuthorized):
            act(p["opd"], kegiatan, "publish")
        shown = act(p["walidata"], kegiatan, "publish")
        assert shown["state"] == "terpublikasi"
        check_due(shown, 3, "days")                                          # step 13
        assert download(app, kegiatan["id"]).status_code == 200  # public: its letter too
        page = app.get(f"/kegiatan/{kegiatan['name']}")
        assert "B-77/35140/VS.300/2024" in page.body and "surat_rekomendasi.pdf" in page.body

        # Step 13: the OPD (any of its producers) reports the activity carried out.
        queue = helpers.call_action("satudata_workflow_queue", {"user": "produsen-dinkes-2"})
        assert [q["name"] for q in queue] == [kegiatan["name"]]
        for outsider in (p["walidata"], p["other"]):
            with pytest.raises(NotAuthorized):
                act(outsider, kegiatan, "forward")
        shown = act(p["opd2"], kegiatan, "forward")
        assert shown["state"] == "terlaksana" and shown["due"] is None
        assert helpers.call_action("package_show", {"user": "", "ignore_auth": False},
                                   id=kegiatan["id"])["satudata_state"] == "terlaksana"
        assert trail(shown) == [
            ("forward", "cek_rekomendasi", "draf", "produsen-dinkes-2"),
            ("submit", "draf", "diperiksa_walidata", "produsen-dinkes"),
            ("return", "diperiksa_walidata", "dikembalikan", "walidata"),
            ("submit", "dikembalikan", "diperiksa_walidata", "produsen-dinkes-2"),
            ("forward", "diperiksa_walidata", "rekomendasi_bps", "walidata"),
            ("return", "rekomendasi_bps", "dikembalikan", "pembina-bps"),
            ("submit", "dikembalikan", "diperiksa_walidata", "produsen-dinkes"),
            ("forward", "diperiksa_walidata", "rekomendasi_bps", "walidata"),
            ("approve", "rekomendasi_bps", "pelaporan_metadata", "pembina-bps"),
            ("submit", "pelaporan_metadata", "pelaporan_indah", "produsen-dinkes"),
            ("forward", "pelaporan_indah", "direview_pembina", "walidata"),
            ("return", "direview_pembina", "diperbaiki_walidata", "pembina-bps"),
            ("forward", "diperbaiki_walidata", "persetujuan_pembina", "walidata"),
            ("approve", "persetujuan_pembina", "disetujui", "pembina-bps"),
            ("publish", "disetujui", "terpublikasi", "walidata"),
            ("forward", "terpublikasi", "terlaksana", "produsen-dinkes-2"),
        ]

    def test_no_recommendation_needed_goes_from_step_1_to_7(self, portal, people):
        p = people
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="",
                                   **NOT_A_SURVEY)
        # Step 6 is only on the path of a kegiatan that needs a recommendation.
        assert refused_gates(lambda: act(p["opd"], kegiatan, "forward", to="draf")) == [
            "This activity needs no BPS recommendation under BPS's rules; report its "
            "metadata to the data steward instead"]
        shown = act(p["opd"], kegiatan, "forward", to="pelaporan_metadata")
        check_due(shown, 30, "minutes")                                      # step 7
        with pytest.raises(NotAuthorized):
            act(p["other"], kegiatan, "submit")
        act(p["opd2"], kegiatan, "submit")
        shown = act(p["walidata"], kegiatan, "return", comment="Satuan belum diisi")
        assert shown["state"] == "pelaporan_metadata"
        act(p["opd"], kegiatan, "submit")
        act(p["walidata"], kegiatan, "forward")
        # BPS's notes that only the OPD can answer go back to step 7, not to Romantik.
        shown = act(p["bps"], kegiatan, "return", to="pelaporan_metadata", comment="Perlu OPD")
        assert shown["state"] == "pelaporan_metadata"
        act(p["opd"], kegiatan, "submit")
        act(p["walidata"], kegiatan, "forward")
        act(p["bps"], kegiatan, "approve")
        act(p["walidata"], kegiatan, "publish")
        shown = act(p["opd"], kegiatan, "forward")
        assert shown["state"] == "terlaksana"
        assert [e[:3] for e in trail(shown)] == [
            ("forward", "cek_rekomendasi", "pelaporan_metadata"),
            ("submit", "pelaporan_metadata", "pelaporan_indah"),
            ("return", "pelaporan_indah", "pelaporan_metadata"),
            ("submit", "pelaporan_metadata", "pelaporan_indah"),
            ("forward", "pelaporan_indah", "direview_pembina"),
            ("return", "direview_pembina", "pelaporan_metadata"),
            ("submit", "pelaporan_metadata", "pelaporan_indah"),
            ("forward", "pelaporan_indah", "direview_pembina"),
            ("approve", "direview_pembina", "disetujui"),
            ("publish", "disetujui", "terpublikasi"),
            ("forward", "terpublikasi", "terlaksana"),
        ]

    def test_a_kegiatan_with_its_recommendation_skips_the_request(self, portal, people):
        """Number, date and letter already there (filed in Romantik earlier): step 1 goes
        straight to step 7, and the step that reports to BPS passes its gate."""
        kegiatan = portal.kegiatan()
        act(people["opd"], kegiatan, "forward", to="pelaporan_metadata")
        act(people["opd"], kegiatan, "submit")
        assert act(people["walidata"], kegiatan, "forward")["state"] == "direview_pembina"


class TestLetter:
    """The letter: an uploaded PDF (judged by its content), within the size limit, on a
    kegiatan only."""

    def test_a_pdf_is_judged_by_its_content(self, portal, tmp_path):
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
        renamed = tmp_path / "surat.txt"
        renamed.write_bytes((FIXTURES / "surat_rekomendasi.pdf").read_bytes())
        made = sd.attach_letter(kegiatan["id"], "produsen-dinkes", path=renamed,
                                content_type="text/plain")
        assert (made["format"], made["mimetype"]) == ("PDF", "application/pdf")
        fake = tmp_path / "surat.pdf"
        fake.write_bytes(b"<html><body>%PDF-1.4 bukan PDF</body></html>")
        with pytest.raises(ValidationError) as refused:
            sd.attach_letter(kegiatan["id"], "produsen-dinkes", path=fake)
        assert refused.value.error_dict["upload"] == [
            "The recommendation letter must be a PDF file; this file is not one"]

    @pytest.mark.ckan_config("ckanext.satudata.rekomendasi.max_size_mb", "1")
    def test_the_size_is_capped(self, portal, tmp_path):
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
        big = tmp_path / "besar.pdf"
        big.write_bytes((FIXTURES / "surat_rekomendasi.pdf").read_bytes()
                        + b"%" + b"0" * (1024 * 1024) + b"\n")
        with pytest.raises(ValidationError) as refused:
            sd.attach_letter(kegiatan["id"], "produsen-dinkes", path=big)
        assert refused.value.error_dict["upload"] == [
            "The recommendation letter is larger than 1 MB, the most accepted"]

    def test_only_an_uploaded_letter_on_a_kegiatan(self, portal):
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("resource_create", {"user": "produsen-dinkes"},
                                package_id=kegiatan["id"], resource_type="surat_rekomendasi",
                                url="https://romantik.bps.go.id/surat/123.pdf")
        assert refused.value.error_dict["upload"] == [
            "Upload the recommendation letter as a PDF file"]
        dataset = portal.dataset()
        with pytest.raises(ValidationError) as refused:
            sd.attach_letter(dataset["id"], "produsen-dinkes")
        assert "resource_type" in refused.value.error_dict

    def test_another_file_does_not_become_the_letter(self, portal, upload_resource):
        kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
        table = upload_resource(kegiatan["id"], "penduduk_kecil.csv", "produsen-dinkes")
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("resource_patch", {"user": "produsen-dinkes", "ignore_auth": False},
                                id=table["id"], resource_type="surat_rekomendasi")
        assert refused.value.error_dict["upload"] == [
            "Upload the recommendation letter as a PDF file"]
