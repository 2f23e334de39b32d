import json

from frictionless import Schema

from ckanext.satudata import msvar

ROWS = [
    {"name": "tahun", "title": "Tahun", "type": "year", "wajib_diisi": "true"},
    {"name": "jenis_kelamin", "title": "Jenis kelamin", "description": "Jenis kelamin penduduk",
     "type": "string", "value_domain": "L=Laki-laki; P=Perempuan", "wajib_diisi": True,
     "alias": "JK", "konsep": "Perbedaan biologis", "referensi_waktu": "31 Desember",
     "kalimat_pertanyaan": "-", "akses_umum": "true"},
    {"name": "jumlah", "title": "Jumlah penduduk", "type": "integer", "minimum": 0,
     "ukuran": "Jumlah", "satuan": "Jiwa", "aturan_validasi": "HARUS TERISI"},
]


def test_rows_become_a_valid_frictionless_schema():
    schema = msvar.table_schema(ROWS)
    Schema.from_descriptor(schema)  # raises when not a valid Table Schema
    gender = schema["fields"][1]
    assert gender["constraints"] == {"required": True, "enum": ["L", "P"]}
    assert gender["msvar"]["value_domain"] == [{"kode": "L", "nilai": "Laki-laki"},
                                               {"kode": "P", "nilai": "Perempuan"}]
    assert gender["msvar"]["akses_umum"] is True
    assert schema["fields"][2]["constraints"] == {"minimum": 0}


def test_schema_gives_back_the_rows():
    back = msvar.variables(json.dumps(msvar.table_schema(ROWS)))
    assert [r["name"] for r in back] == ["tahun", "jenis_kelamin", "jumlah"]
    assert back[1]["value_domain"] == "L=Laki-laki; P=Perempuan"
    assert back[1]["wajib_diisi"] is True and back[2]["wajib_diisi"] is False
    assert back[2]["satuan"] == "Jiwa" and back[2]["minimum"] == 0


def test_rows_without_a_name_are_dropped_and_urls_show_nothing():
    assert msvar.table_schema([{"title": "x"}]) == {"fields": []}
    assert msvar.variables("https://example.org/schema.json") == []
    assert msvar.variables(None) == []


def test_enum_without_msvar_still_shows_its_codes():
    assert msvar.variables({"fields": [{"name": "k", "constraints": {"enum": ["1", "2"]}}]})[0][
        "value_domain"] == "1; 2"
