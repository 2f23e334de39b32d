"""The SDI/BPS scheme through CKAN's API: round trips, rules and errors."""
import copy

import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd

ValidationError = helpers.logic.ValidationError


@pytest.fixture
def org():
    return sd.opd()


def _errors(fields):
    with pytest.raises(ValidationError) as raised:
        sd.create(fields)
    return raised.value.error_dict


def _same(given: dict, shown: dict):
    """Every given field comes back with the same value."""
    for key, value in given.items():
        if key in ("tags", "resources"):
            continue
        assert shown[key] == value, key


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestRoundTrip:
    def test_full_kegiatan(self, org):
        given = sd.kegiatan(org["id"])
        shown = helpers.call_action("package_show", id=sd.create(copy.deepcopy(given))["id"])
        _same(given, shown)

    def test_data_sektoral_with_msvar_and_indicator(self, org):
        indikator = sd.create(sd.indikator(org["id"]))
        kegiatan = sd.create(sd.kegiatan(org["id"]))
        given = sd.data_sektoral(org["id"], kegiatan=kegiatan["name"], indikator=[indikator["name"]])
        resource = {"url": "http://127.0.0.1:9/penduduk.csv", "format": "CSV",
                    "name": "Penduduk", "variabel": sd.VARIABLES}
        created = sd.create(dict(copy.deepcopy(given), resources=[resource]))

        shown = helpers.call_action("package_show", id=created["id"])
        _same(given, shown)
        columns = shown["resources"][0]["schema"]["fields"]
        assert [c["name"] for c in columns] == [v["name"] for v in sd.VARIABLES]
        assert columns[4]["msvar"] == {"konsep": "Penduduk", "ukuran": "Jumlah", "satuan": "Jiwa",
                                       "aturan_validasi": "HARUS TERISI", "akses_umum": True}

    def test_table_schema_sent_directly_comes_back_unchanged(self, org):
        schema = {"fields": [
            {"name": "jk", "type": "string", "title": "Jenis kelamin",
             "constraints": {"required": True, "enum": ["L", "P"]},
             "msvar": {"value_domain": [{"kode": "L", "nilai": "Laki-laki"},
                                        {"kode": "P", "nilai": "Perempuan"}], "alias": "JK"}}]}
        created = sd.create(sd.data_sektoral(org["id"], resources=[
            {"url": "http://127.0.0.1:9/a.csv", "format": "CSV", "schema": copy.deepcopy(schema)}]))
        assert helpers.call_action("resource_show", id=created["resources"][0]["id"])["schema"] == schema

    def test_indicator(self, org):
        given = sd.indikator(org["id"])
        shown = helpers.call_action("package_show", id=sd.create(copy.deepcopy(given))["id"])
        _same(given, shown)

    def test_scheme_types_are_listed(self):
        assert sorted(helpers.call_action("scheming_dataset_schema_list")) == [
            "dataset", "indikator", "kegiatan"]


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestKegiatanRules:
    def test_block_v_required_for_a_survey(self, org):
        errors = _errors(sd.kegiatan(org["id"], v_unit_sampel="", v_jenis_rancangan_sampel=""))
        assert set(errors) == {"v_unit_sampel", "v_jenis_rancangan_sampel"}

    def test_block_v_refused_without_a_survey(self, org):
        errors = _errors(sd.kegiatan(org["id"], cara_pengumpulan_data="KOMPILASI_PRODUK_ADMINISTRASI"))
        assert {k for k in errors if k.startswith("v_")} == {
            "v_jenis_rancangan_sampel", "v_metode_pemilihan_sampel_tahap_terakhir",
            "v_metode_yang_digunakan", "v_kerangka_sampel_tahap_terakhir",
            "v_fraksi_sampel_keseluruhan", "v_nilai_perkiraan_sampling_error_variabel_utama",
            "v_unit_sampel", "v_unit_observasi"}

    def test_without_a_survey_block_v_stays_empty(self, org):
        fields = {k: v for k, v in sd.kegiatan(org["id"]).items() if not k.startswith("v_")}
        fields["cara_pengumpulan_data"] = "KOMPILASI_PRODUK_ADMINISTRASI"
        assert sd.create(fields)["cara_pengumpulan_data"] == "KOMPILASI_PRODUK_ADMINISTRASI"

    def test_recommendation_identity_follows_the_recommendation(self, org):
        assert "identitas_rekomendasi" in _errors(
            sd.kegiatan(org["id"], identitas_rekomendasi=""))
        assert "identitas_rekomendasi" in _errors(
            sd.kegiatan(org["id"], rekomendasi_dari_bps=False))

    def test_frequency_only_when_repeated(self, org):
        assert "iv_frekuensi_penyelenggaraan" in _errors(
            sd.kegiatan(org["id"], iv_frekuensi_penyelenggaraan=""))
        assert "iv_frekuensi_penyelenggaraan" in _errors(
            sd.kegiatan(org["id"], iv_kegiatan_ini_dilakukan="HANYA_SEKALI"))

    def test_region_list_only_for_part_of_indonesia(self, org):
        assert "iv_wilayah_pengumpulan_data" in _errors(
            sd.kegiatan(org["id"], iv_wilayah_pengumpulan_data=[]))
        assert "iv_wilayah_pengumpulan_data" in _errors(sd.kegiatan(
            org["id"], iv_cakupan_wilayah_pengumpulan_data="SELURUH_WILAYAH_INDONESIA"))

    def test_lainnya_needs_its_text_and_only_then(self, org):
        assert "iv_metode_pengumpulan_data_lainnya" in _errors(
            sd.kegiatan(org["id"], iv_metode_pengumpulan_data_lainnya=""))
        assert "iv_metode_pengumpulan_data_lainnya" in _errors(
            sd.kegiatan(org["id"], iv_metode_pengumpulan_data=["WAWANCARA"]))

    def test_release_dates_only_for_available_products(self, org):
        assert "viii_rencana_jadwal_rilis_produk_digital" in _errors(
            sd.kegiatan(org["id"], viii_rencana_jadwal_rilis_produk_digital=[]))
        assert "viii_rencana_jadwal_rilis_produk_tercetak" in _errors(
            sd.kegiatan(org["id"], viii_rencana_jadwal_rilis_produk_tercetak=["2024-12-01"]))

    def test_unanswered_yes_no_question(self, org):
        fields = sd.kegiatan(org["id"])
        del fields["viii_ketersediaan_produk_digital"]
        assert set(_errors(fields)) == {"viii_ketersediaan_produk_digital",
                                        "viii_rencana_jadwal_rilis_produk_digital"}

    def test_reversed_date_range(self, org):
        errors = _errors(sd.kegiatan(org["id"], iii_jadwal_analisis_awal="2024-09-01",
                                     iii_jadwal_analisis_akhir="2024-08-01"))
        assert list(errors) == ["iii_jadwal_analisis_akhir"]

    def test_malformed_date(self, org):
        assert "iii_jadwal_desain_awal" in _errors(
            sd.kegiatan(org["id"], iii_jadwal_desain_awal="1 Februari 2024"))

    def test_required_repeating_group(self, org):
        assert "iii_variabel_yang_dikumpulkan" in _errors(
            sd.kegiatan(org["id"], iii_variabel_yang_dikumpulkan=[]))

    def test_values_outside_codelists(self, org):
        errors = _errors(sd.kegiatan(org["id"], sektor_kegiatan="PARIWISATA",
                                     iv_sarana_pengumpulan_data=["PAPI", "TELEGRAM"]))
        assert set(errors) == {"sektor_kegiatan", "iv_sarana_pengumpulan_data"}

    def test_block_i_is_prefilled_from_the_opd_profile(self, org):
        fields = sd.kegiatan(org["id"])
        for key in ("i_instansi_penyelenggara", "i_alamat", "i_telepon", "i_email", "i_faksimile"):
            fields.pop(key)
        shown = sd.create(fields)
        assert shown["i_instansi_penyelenggara"] == org["title"]
        assert shown["i_alamat"] == sd.ORG_PROFILE["alamat"]
        assert shown["i_faksimile"] == sd.ORG_PROFILE["faksimile"]

    def test_typed_block_i_wins_over_the_profile(self, org):
        shown = sd.create(sd.kegiatan(org["id"], i_telepon="(0343) 000000"))
        assert shown["i_telepon"] == "(0343) 000000"


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestDataSektoralRules:
    def test_sdsn_pattern(self, org):
        assert "id_sds" in _errors(sd.data_sektoral(org["id"], id_sds="SP55.35.14"))

    def test_unknown_region_code(self, org):
        assert "kode_wilayah" in _errors(sd.data_sektoral(org["id"], kode_wilayah=["35.99"]))

    def test_priority_year_follows_priority(self, org):
        assert "prioritas_tahun" in _errors(sd.data_sektoral(org["id"], prioritas_tahun=None))
        assert "prioritas_tahun" in _errors(sd.data_sektoral(org["id"], data_prioritas=False))

    def test_link_to_a_missing_kegiatan(self, org):
        assert "kegiatan" in _errors(sd.data_sektoral(org["id"], kegiatan="tidak-ada"))

    def test_bad_variables_are_reported_per_resource(self, org):
        rows = [{"name": "a", "type": "string"}, {"title": "no name"}, {"name": "a", "type": "uang"}]
        errors = _errors(sd.data_sektoral(org["id"], resources=[
            {"url": "http://127.0.0.1:9/a.csv", "format": "CSV", "variabel": rows}]))
        assert len(errors["resources"][0]["variabel"]) == 3

    def test_composite_indicator_needs_its_components(self, org):
        errors = _errors(sd.indikator(org["id"], apakah_indikator_komposit=True))
        assert {"indikator_pembangun", "variabel_pembangun"} <= set(errors)


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestErrorsAndSafety:
    def _post(self, app, prefix, fields):
        token = factories.APIToken(user=factories.Sysadmin()["name"])["token"]
        return app.post(f"{prefix}/api/3/action/package_create", json=fields,
                        headers={"Authorization": token}, status=409).json["error"]

    def test_errors_speak_indonesian_by_default(self, app, org):
        error = self._post(app, "", sd.data_sektoral(org["id"], kode_wilayah=["35.99"],
                                                      prioritas_tahun=None))
        assert error["kode_wilayah"] == ["Kode wilayah Kemendagri tidak dikenal: 35.99"]
        assert error["prioritas_tahun"][0].startswith("Wajib diisi bila Data prioritas = Ya")

    def test_errors_speak_english_under_en(self, app, org):
        error = self._post(app, "/en", sd.data_sektoral(org["id"], kode_wilayah=["35.99"],
                                                         prioritas_tahun=None))
        assert error["kode_wilayah"] == ["Unknown Kemendagri region code: 35.99"]
        assert error["prioritas_tahun"][0].startswith("Required when Priority data = Yes")

    def test_failed_update_loses_nothing(self, org):
        created = sd.create(sd.data_sektoral(org["id"]))
        sysadmin = factories.Sysadmin()["name"]
        with pytest.raises(ValidationError):
            helpers.call_action("package_patch", {"user": sysadmin}, id=created["id"],
                                satuan="Orang", id_sds="bukan-kode")
        after = helpers.call_action("package_show", id=created["id"])
        assert after["satuan"] == created["satuan"] == "Jiwa"
        assert after["id_sds"] == created["id_sds"]
        assert after["metadata_modified"] == created["metadata_modified"]
