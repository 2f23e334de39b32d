"""Complete, realistic records of each dataset type, for tests to start from."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from ckan.tests import factories

ORG_PROFILE = {
    "alamat": "Jl. Raya Raci Km 9, Bangil",
    "telepon": "(0343) 429064",
    "email": "dinkes@pasuruankab.go.id",
    "faksimile": "(0343) 429065",
    "kode_wilayah": "35.14",
}


def opd(name: str = "dinas-kesehatan", title: str = "Dinas Kesehatan", **extra) -> dict:
    return factories.Organization(name=name, title=title, **dict(ORG_PROFILE, **extra))


def data_sektoral(owner_org: str, **overrides: Any) -> dict[str, Any]:
    fields = {
        "type": "dataset",
        "name": f"penduduk-{uuid.uuid4().hex[:8]}",
        "title": "Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin",
        "notes": "Jumlah penduduk per kecamatan, posisi akhir tahun.",
        "owner_org": owner_org,
        "sektor": "DEMOGRAFI_DAN_KEPENDUDUKAN",
        "akses": "TERBUKA",
        "license_id": "cc-by",
        "maintainer": "Seksi Statistik",
        "maintainer_email": "statistik@pasuruankab.go.id",
        "tags": [{"name": "penduduk"}],
        "konsep": "Penduduk adalah setiap orang yang berdomisili di wilayah Kabupaten Pasuruan.",
        "definisi": "Jumlah penduduk menurut data administrasi kependudukan per 31 Desember.",
        "klasifikasi": "Jenis kelamin",
        "ukuran": "Jumlah",
        "satuan": "Jiwa",
        "kode_wilayah": ["35.14"],
        "level_penyajian": "KECAMATAN",
        "tahun_data": [2021, 2022, 2023],
        "frekuensi": "TAHUNAN",
        "jadwal_rilis_berikutnya": "2025-03-31",
        "id_sds": "SP00055.35.14",
        "data_prioritas": True,
        "prioritas_tahun": 2024,
    }
    fields.update(overrides)
    return fields


VARIABLES = [
    {"name": "tahun", "title": "Tahun", "description": "Tahun data", "type": "year",
     "wajib_diisi": True, "konsep": "Tahun kalender"},
    {"name": "kecamatan", "title": "Kecamatan", "description": "Nama kecamatan", "type": "string",
     "wajib_diisi": True, "klasifikasi_rujukan": "Kepmendagri 300.2.2-2138/2025",
     "konsep": "Wilayah administrasi kecamatan"},
    {"name": "laki_laki", "title": "Penduduk laki-laki", "description": "Jumlah penduduk laki-laki",
     "type": "integer", "minimum": 0, "ukuran": "Jumlah", "satuan": "Jiwa", "konsep": "Penduduk"},
    {"name": "perempuan", "title": "Penduduk perempuan", "description": "Jumlah penduduk perempuan",
     "type": "integer", "minimum": 0, "ukuran": "Jumlah", "satuan": "Jiwa", "konsep": "Penduduk"},
    {"name": "jumlah", "title": "Jumlah penduduk", "description": "Laki-laki ditambah perempuan",
     "type": "integer", "minimum": 0, "ukuran": "Jumlah", "satuan": "Jiwa",
     "aturan_validasi": "HARUS TERISI", "akses_umum": True, "konsep": "Penduduk"},
]


def kegiatan(owner_org: str, **overrides: Any) -> dict[str, Any]:
    """A fully filled MS-Keg of a survey (so Block V applies)."""
    fields = {
        "type": "kegiatan",
        "name": f"survei-{uuid.uuid4().hex[:8]}",
        "title": "Survei Kepuasan Layanan Kesehatan 2024",
        "notes": "Survei tahunan kepuasan pasien puskesmas.",
        "owner_org": owner_org,
        "jenis_statistik": "STATISTIK_SEKTORAL",
        "rekomendasi_dari_bps": True,
        "identitas_rekomendasi": "B-123/35140/VS.300/2024",
        "tanggal_rekomendasi": "2024-01-15",
        "tahun_kegiatan": 2024,
        "cara_pengumpulan_data": "SURVEI",
        "sektor_kegiatan": "KESEHATAN",
        "i_instansi_penyelenggara": "Dinas Kesehatan Kabupaten Pasuruan",
        "i_alamat": "Jl. Raya Raci Km 9, Bangil",
        "i_telepon": "(0343) 429064",
        "i_email": "dinkes@pasuruankab.go.id",
        "i_faksimile": "(0343) 429065",
        "ii_unit_eselon1": "Dinas Kesehatan",
        "ii_unit_eselon2": "Bidang Pelayanan Kesehatan",
        "ii_pj_nama": "dr. Siti Rahma",
        "ii_pj_jabatan": "Kepala Bidang Pelayanan Kesehatan",
        "ii_pj_alamat": "Jl. Raya Raci Km 9, Bangil",
        "ii_pj_telepon": "(0343) 429064",
        "ii_pj_email": "yankes@pasuruankab.go.id",
        "ii_pj_faksimile": "(0343) 429065",
        "iii_latar_belakang_kegiatan": "Mengukur mutu layanan puskesmas.",
        "iii_tujuan_kegiatan": "Memperoleh indeks kepuasan pasien per puskesmas.",
        "iii_variabel_yang_dikumpulkan": [
            {"nama": "Kepuasan pasien", "konsep": "Penilaian pasien atas layanan",
             "definisi": "Skor 1–5 atas sembilan unsur layanan", "referensi_waktu": "Saat kunjungan"},
        ],
        "iv_kegiatan_ini_dilakukan": "BERULANG",
        "iv_frekuensi_penyelenggaraan": "TAHUNAN",
        "iv_tipe_pengumpulan_data": "CROSS_SECTIONAL",
        "iv_cakupan_wilayah_pengumpulan_data": "SEBAGIAN_WILAYAH_INDONESIA",
        "iv_wilayah_pengumpulan_data": [
            {"kode_provinsi": "35", "nama_provinsi": "Jawa Timur",
             "kode_kabupaten_kota": "35.14", "nama_kabupaten_kota": "Kabupaten Pasuruan"},
        ],
        "iv_metode_pengumpulan_data": ["WAWANCARA", "LAINNYA"],
        "iv_metode_pengumpulan_data_lainnya": "Kotak saran elektronik",
        "iv_sarana_pengumpulan_data": ["CAPI"],
        "iv_unit_pengumpulan_data": ["INDIVIDU"],
        "v_jenis_rancangan_sampel": "MULTI_STAGE_ATAU_PHASE",
        "v_metode_pemilihan_sampel_tahap_terakhir": "SAMPEL_PROBABILITAS",
        "v_metode_yang_digunakan": "SYSTEMATIC_RANDOM_SAMPLING",
        "v_kerangka_sampel_tahap_terakhir": "LIST_FRAME",
        "v_fraksi_sampel_keseluruhan": "0,05",
        "v_nilai_perkiraan_sampling_error_variabel_utama": "2,5%",
        "v_unit_sampel": "Pasien rawat jalan",
        "v_unit_observasi": "Pasien",
        "vi_apakah_melakukan_uji_coba": True,
        "vi_metode_pemeriksaan_kualitas_pengumpulan_data": ["SUPERVISI"],
        "vi_apakah_melakukan_penyesuaian_nonrespon": False,
        "vi_petugas_pengumpulan_data": "STAF_INSTANSI_PENYELENGGARA",
        "vi_persyaratan_pendidikan_terendah_petugas_pengumpulan_data": "SMA_SMK",
        "vi_jumlah_petugas_supervisor": 5,
        "vi_jumlah_petugas_enumerator": 40,
        "vi_apakah_melakukan_pelatihan_petugas": True,
        "vii_tahapan_pengolahan_data": ["EDITING", "DATA_ENTRY", "VALIDASI"],
        "vii_metode_analisis": "DESKRIPTIF",
        "vii_unit_analisis": ["INDIVIDU"],
        "vii_tingkat_penyajian_hasil_analisis": ["KABUPATEN_ATAU_KOTA"],
        "viii_ketersediaan_produk_tercetak": False,
        "viii_ketersediaan_produk_digital": True,
        "viii_rencana_jadwal_rilis_produk_digital": ["2024-12-15"],
        "viii_ketersediaan_produk_mikrodata": False,
    }
    for stage in ("perencanaan", "desain", "pengumpulan_data", "pengolahan_data", "analisis",
                  "diseminasi_hasil", "evaluasi"):
        fields[f"iii_jadwal_{stage}_awal"] = "2024-02-01"
        fields[f"iii_jadwal_{stage}_akhir"] = "2024-11-30"
    fields.update(overrides)
    if fields["rekomendasi_dari_bps"] is False and "tanggal_rekomendasi" not in overrides:
        del fields["tanggal_rekomendasi"]  # no recommendation, no date of one
    return fields


def indikator(owner_org: str, **overrides: Any) -> dict[str, Any]:
    fields = {
        "type": "indikator",
        "name": f"indikator-{uuid.uuid4().hex[:8]}",
        "title": "Rasio Jenis Kelamin",
        "notes": "Perbandingan penduduk laki-laki dan perempuan.",
        "owner_org": owner_org,
        "id_sds": "SP00060.35.14",
        "definisi": "Banyaknya penduduk laki-laki per 100 penduduk perempuan.",
        "konsep": ["Penduduk", "Jenis kelamin"],
        "interpretasi": "Di atas 100 berarti laki-laki lebih banyak.",
        "metode_perhitungan": "Jumlah laki-laki dibagi jumlah perempuan dikali 100.",
        "rumus": r"RJK = \frac{P_L}{P_P} \times 100",
        "ukuran": "Rasio",
        "satuan": "Persen",
        "klasifikasi_penyajian": ["WILAYAH", "TAHUN"],
        "variabel_disaggregasi": [{"nama": "Wilayah", "sumber": "Kepmendagri"}],
        "apakah_indikator_komposit": False,
        "variabel_pembangun": [{"nama": "Jumlah penduduk laki-laki",
                                "kegiatan_penghasil": ["Registrasi penduduk"]}],
        "level_estimasi": "KECAMATAN",
        "apakah_indikator_bisa_diakses_umum": True,
        "kode_kegiatan": "REG-2024",
    }
    fields.update(overrides)
    return fields


LETTER_PDF = Path(__file__).parent / "fixtures" / "surat_rekomendasi.pdf"


def create(fields: dict[str, Any], user: str | None = None,
           letter: bool | None = None) -> dict[str, Any]:
    """package_create as USER (a new sysadmin when None).

    A kegiatan that says it has BPS's recommendation gets its letter too (LETTER None),
    as the recommendation gate asks for number, date and letter; LETTER True or False
    says so explicitly."""
    from ckan.tests import helpers

    user = user or factories.Sysadmin()["name"]
    created = helpers.call_action("package_create", {"user": user}, **fields)
    if letter is None:
        letter = fields.get("type") == "kegiatan" and fields.get("rekomendasi_dari_bps") is True
    if letter:
        attach_letter(created["id"], user)
        created = helpers.call_action("package_show", {"user": user}, id=created["id"])
    return created


def attach_letter(kegiatan_id: str, user: str, path: Path = LETTER_PDF,
                  content_type: str = "application/pdf") -> dict[str, Any]:
    """Upload PATH as the kegiatan's BPS recommendation letter, as USER (auth on)."""
    from ckan.tests import helpers
    from werkzeug.datastructures import FileStorage

    with path.open("rb") as stream:
        return helpers.call_action("resource_create", {"user": user, "ignore_auth": False}, **{
            "package_id": kegiatan_id, "name": "Surat rekomendasi BPS",
            "resource_type": "surat_rekomendasi", "url": path.name,
            "upload": FileStorage(stream=stream, filename=path.name,
                                  content_type=content_type)})


def create_data_sektoral(owner_org: str, user: str | None = None, **overrides: Any) -> dict:
    return create(data_sektoral(owner_org, **overrides), user)
