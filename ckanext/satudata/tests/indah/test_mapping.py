"""The indah_key annotations are a complete mapping onto INDAH v2's required fields."""
from __future__ import annotations

import pytest

from ckanext.satudata import msvar
from ckanext.satudata.indah import mapping, payload
from ckanext.satudata.tests import factories as sd


def _required_paths(schema: dict, defs: dict, prefix: tuple = ()) -> set[tuple]:
    """Every leaf the JSON Schema requires (in `required`, also inside if/then branches),
    as paths with `*` for list items."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    found = set()
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    for branch in schema.get("allOf", []) + [schema.get("then"), schema.get("else")]:
        if not branch:
            continue
        found |= _required_paths(branch, defs, prefix)
    for key in required:
        sub = props.get(key, {})
        found.add(prefix + (key,))
        if sub.get("type") == "object" or "properties" in sub:
            found |= _required_paths(sub, defs, prefix + (key,))
        items = sub.get("items") or {}
        if items.get("required"):
            found |= _required_paths(items, defs, prefix + (key, "*"))
    return found


def _leaves(paths: set[tuple]) -> set[tuple]:
    return {p for p in paths if not any(o[:len(p)] == p and o != p for o in paths)}


def _covered(path: tuple, keys: list[tuple]) -> bool:
    """PATH is written by a mapped field: one whose key is PATH, an object/list field
    that holds it (a flags object writes all its booleans), or fields inside it (an
    object whose members are all optional)."""
    normal = tuple("0" if p == "*" else p for p in path)
    return any(normal[:len(k)] == k or k[:len(normal)] == normal for k in keys)


@pytest.mark.parametrize("definition, fields", [
    ("mskeg_data", mapping.kegiatan_fields),
    ("msvar_data", mapping.variabel_fields),
    ("msind_data", mapping.indikator_fields),
])
def test_every_field_indah_requires_for_submission_is_mapped(definition, fields):
    defs = payload.json_schema()["$defs"]
    required = _leaves(_required_paths(defs[definition], defs))
    keys = [tuple(k.replace("*", "0").split(".")) for _, k in mapping.mapped(fields())]
    unmapped = sorted(".".join(p) for p in required if not _covered(p, keys))
    assert required and not unmapped


def test_mapped_keys_are_known_to_the_json_schema():
    """A misspelt indah_key (INDAH's own spellings are odd) would send a key INDAH ignores."""
    defs = payload.json_schema()["$defs"]

    def known(schema, parts):
        if not parts:
            return True
        if "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[1]]
        head, rest = parts[0], parts[1:]
        if head in ("*", "0"):
            return known(schema.get("items") or {}, rest)
        props = schema.get("properties", {})
        return head in props and known(props[head], rest)

    for definition, fields in (("mskeg_data", mapping.kegiatan_fields),
                               ("msvar_data", mapping.variabel_fields),
                               ("msind_data", mapping.indikator_fields)):
        unknown = [k for _, k in mapping.mapped(fields()) if not known(defs[definition], k.split("."))]
        assert unknown == [], definition


def _bundle(**overrides):
    kegiatan = sd.kegiatan("opd", **overrides)
    kegiatan["organization"] = {"title": "Dinas Kesehatan", "kode_wilayah": "35.14"}
    variables = [dict(v, konsep="Penduduk", referensi_waktu="31 Desember") for v in sd.VARIABLES]
    dataset = {"name": "penduduk", "resources": [
        {"id": "r1", "schema": msvar.table_schema(variables)}]}
    return payload.build(kegiatan, [dataset], [sd.indikator("opd")])


def test_a_complete_kegiatan_is_valid_in_indah_shapes():
    bundle = _bundle()
    assert payload.problems(bundle, str) == []
    data = bundle["kegiatan"]["data"]
    assert data["tahun"] == 2024 and data["blok_i"]["instansi_penyelanggara"]
    assert data["blok_iii"]["rencana_jadwal_kegiatan"]["evaluasi"] == [
        {"awal": "2024-02-01", "akhir": "2024-11-30"}]
    assert data["blok_iv"]["metode_pengumpulan_data"] == {
        "wawancara": True, "mengisi_kuesioner_sendiri": False, "pengamatan": False,
        "pengumpulan_data_sekunder": False, "lainnya": True,
        "metode_pengumpulan_lainnya": "Kotak saran elektronik"}
    assert data["blok_vii"]["tahapan_pengolahan_data"] == {
        "editing": True, "coding": False, "data_entry": True, "validasi": True}
    assert data["blok_vii"]["unit_analsis"]["individu"] is True
    assert data["blok_iv"]["sebagian_cakupan_wilayah_pengumpulan_data"][0]["kode_kabupaten_kota"] == "3514"
    assert bundle["kegiatan"]["produsen_data"] == {
        "id": None, "name": "Dinas Kesehatan", "province_code": "35", "city_code": "3514"}
    assert [v["data"]["nama"] for v in bundle["variabel"]][:2] == ["Tahun", "Kecamatan"]
    jumlah = bundle["variabel"][4]["data"]
    assert jumlah["tipe_data"] == "NUMERIC" and jumlah["aturan_validasi"] == ["HARUS TERISI"]
    assert jumlah["value_domain"] == [{"kode": "-", "nilai": "-"}] and jumlah["alias"] == "-"
    assert bundle["indikator"][0]["data"]["level_estimasi"] == "Kecamatan"


def test_problems_name_the_portal_field_to_fix():
    bundle = _bundle(ii_unit_eselon1="", iii_jadwal_desain_akhir=None, vii_unit_analisis=[],
                     iv_sarana_pengumpulan_data=["LAINNYA"], v_unit_sampel="",
                     viii_rencana_jadwal_rilis_produk_digital=[],
                     iii_variabel_yang_dikumpulkan=[{"nama": "x", "konsep": "", "definisi": "d",
                                                     "referensi_waktu": "r"}])
    found = {(p["field"], p["row"]) for p in payload.problems(bundle, str)}
    assert found == {("ii_unit_eselon1", None), ("iii_jadwal_desain_akhir", None),
                     ("vii_unit_analisis", None), ("iv_sarana_pengumpulan_data_lainnya", None),
                     ("v_unit_sampel", None), ("viii_rencana_jadwal_rilis_produk_digital", None),
                     ("iii_variabel_yang_dikumpulkan.konsep", 1)}


def test_blok_v_is_required_only_for_a_survey():
    empty = {f"v_{k}": None for k in ("jenis_rancangan_sampel", "metode_pemilihan_sampel_tahap_terakhir",
                                      "metode_yang_digunakan", "kerangka_sampel_tahap_terakhir",
                                      "fraksi_sampel_keseluruhan", "unit_sampel", "unit_observasi",
                                      "nilai_perkiraan_sampling_error_variabel_utama")}
    assert payload.problems(_bundle(cara_pengumpulan_data="KOMPILASI_PRODUK_ADMINISTRASI", **empty), str) == []
    assert len(payload.problems(_bundle(**empty), str)) == 8


def test_msvar_problems_name_the_column_and_its_dataset():
    kegiatan = sd.kegiatan("opd")
    kegiatan["organization"] = {"title": "Dinas Kesehatan"}
    dataset = {"name": "penduduk", "resources": [{"id": "r1", "schema": msvar.table_schema(sd.VARIABLES)}]}
    found = payload.problems(payload.build(kegiatan, [dataset], []), str)
    assert {(p["source"]["column"], p["field"]) for p in found} == {
        (c, f) for c in ("tahun", "kecamatan", "laki_laki", "perempuan", "jumlah")
        for f in ("referensi_waktu",)}  # the factory's variables carry konsep (MS-Var asks it)
