"""BPS recommendations: which kegiatan need one (romantik.yaml) and the gate on the
report to BPS."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.indah import romantik
from ckanext.satudata.tests import factories as sd


@pytest.mark.parametrize("jenis, cara, needed", [
    ("STATISTIK_SEKTORAL", "SURVEI", True),
    ("STATISTIK_SEKTORAL", "KOMPILASI_PRODUK_ADMINISTRASI", True),
    ("STATISTIK_SEKTORAL", "CARA_LAIN_SESUAI_DENGAN_PERKEMBANGAN_TI", False),
    ("STATISTIK_DASAR", "SURVEI", False),
])
def test_which_activities_need_a_recommendation(jenis, cara, needed):
    kegiatan = {"type": "kegiatan", "jenis_statistik": jenis, "cara_pengumpulan_data": cara}
    assert romantik.needs_recommendation(kegiatan) is needed
    assert not romantik.needs_recommendation(dict(kegiatan, type="dataset"))


def test_a_recommendation_is_its_number_date_and_letter():
    letter = {"resource_type": "surat_rekomendasi", "url": "surat.pdf"}
    given = {"rekomendasi_dari_bps": True, "identitas_rekomendasi": "B-1",
             "tanggal_rekomendasi": "2024-01-15", "resources": [letter]}
    assert romantik.has_recommendation(given)
    assert romantik.missing(dict(given, identitas_rekomendasi=" ")) == ["the recommendation number"]
    assert romantik.missing(dict(given, tanggal_rekomendasi="")) == ["the recommendation date"]
    assert romantik.missing(dict(given, resources=[dict(letter, resource_type=None)])) == [
        "the recommendation letter (PDF)"]
    assert len(romantik.missing({"rekomendasi_dari_bps": False})) == 3


def test_the_report_to_bps_waits_for_a_needed_recommendation(portal):
    kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="")
    portal.reach(kegiatan, "diperiksa_walidata")
    with pytest.raises(tk.ValidationError) as refused:
        helpers.call_action("satudata_workflow_transition", {"user": "walidata"},
                            id=kegiatan["id"], action="forward")
    assert refused.value.error_dict["gates"] == [
        "This activity needs a BPS recommendation (Romantik); still missing: the "
        "recommendation number, the recommendation date, the recommendation letter (PDF)"]
    # The OPD files it in Romantik, enters the number and date, and it is still held
    # back until the letter is there too.
    portal.reach(kegiatan, "dikembalikan")
    helpers.call_action("package_patch", {"user": "produsen-dinkes", "ignore_auth": False},
                        id=kegiatan["id"], rekomendasi_dari_bps=True,
                        identitas_rekomendasi="B-77/35140/VS.300/2024",
                        tanggal_rekomendasi="2024-01-15")
    portal.reach(kegiatan, "diperiksa_walidata")
    with pytest.raises(tk.ValidationError) as refused:
        helpers.call_action("satudata_workflow_transition", {"user": "walidata"},
                            id=kegiatan["id"], action="forward")
    assert refused.value.error_dict["gates"] == [
        "This activity needs a BPS recommendation (Romantik); still missing: the "
        "recommendation letter (PDF)"]
    portal.reach(kegiatan, "dikembalikan")
    sd.attach_letter(kegiatan["id"], "produsen-dinkes")
    portal.reach(kegiatan, "direview_pembina")
    shown = helpers.call_action("package_show", id=kegiatan["id"])
    assert shown["tanggal_rekomendasi"] == "2024-01-15"
    assert romantik.letter(shown)["format"] == "PDF"


def test_an_activity_that_needs_none_is_reported_without(portal):
    kegiatan = portal.kegiatan(rekomendasi_dari_bps=False, identitas_rekomendasi="",
                               cara_pengumpulan_data="CARA_LAIN_SESUAI_DENGAN_PERKEMBANGAN_TI",
                               **{f"v_{k}": None for k in (
                                   "jenis_rancangan_sampel", "metode_pemilihan_sampel_tahap_terakhir",
                                   "metode_yang_digunakan", "kerangka_sampel_tahap_terakhir",
                                   "fraksi_sampel_keseluruhan", "unit_sampel", "unit_observasi",
                                   "nilai_perkiraan_sampling_error_variabel_utama")})
    portal.reach(kegiatan, "direview_pembina")
