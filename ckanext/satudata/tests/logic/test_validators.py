"""Each validator of the scheme, called directly (no database)."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing

from ckanext.satudata.logic import validators as v

Invalid = tk.Invalid


def _run(validator, value, key=("f",)):
    data, errors = {key: value}, {key: []}
    validator(key, data, errors, {})
    return data[key], errors[key]


class TestSdsn:
    @pytest.mark.parametrize("code", ["SP00055.35.14", "sd12345.00.00", " UL00001.31.71 "])
    def test_accepts_the_pattern(self, code):
        assert v.satudata_sdsn(code) == code.strip().upper()

    @pytest.mark.parametrize("code", ["SP0055.35.14", "XX00055.35.14", "SP00055.3514",
                                      "SP00055.35", "SP00055-35-14", "00055.35.14"])
    def test_rejects_anything_else(self, code):
        with pytest.raises(Invalid, match="SDSN"):
            v.satudata_sdsn(code)

    def test_empty_is_left_to_required(self):
        assert v.satudata_sdsn("") == ""
        assert v.satudata_sdsn(missing) is missing


class TestCodelist:
    field = {"field_name": "sektor", "codelist": "sektor_kegiatan"}

    def test_known_code_passes(self):
        assert v.satudata_codelist(self.field, {})("KESEHATAN") == "KESEHATAN"

    def test_unknown_code_names_it(self):
        with pytest.raises(Invalid, match="KESEHATAN_JIWA"):
            v.satudata_codelist(self.field, {})("KESEHATAN_JIWA")

    def test_multiple_keeps_codelist_order_once(self):
        field = {"field_name": "m", "codelist": "sarana_pengumpulan_data"}
        value, errors = _run(v.satudata_codelist_multiple(field, {}), ["CAWI", "PAPI", "CAWI"])
        assert errors == []
        assert json.loads(value) == ["PAPI", "CAWI"]

    def test_multiple_reports_unknown(self):
        field = {"field_name": "m", "codelist": "sarana_pengumpulan_data"}
        _, errors = _run(v.satudata_codelist_multiple(field, {}), "PAPI,FAX")
        assert len(errors) == 1 and "FAX" in errors[0]


class TestBooleanYearNumber:
    @pytest.mark.parametrize("given, stored", [(True, "true"), ("ya", "true"), ("False", "false"),
                                               ("tidak", "false"), ("0", "false")])
    def test_boolean(self, given, stored):
        assert v.satudata_boolean(given) == stored
        assert v.satudata_boolean_output(stored) is (stored == "true")

    def test_boolean_rejects(self):
        with pytest.raises(Invalid):
            v.satudata_boolean("mungkin")

    @pytest.mark.parametrize("year", ["1899", "2101", "20x3", "2023.5"])
    def test_year_rejects(self, year):
        with pytest.raises(Invalid, match="1900"):
            v.satudata_year(year)

    def test_year_and_number(self):
        assert v.satudata_year(2023) == "2023"
        assert v.satudata_integer_output("2023") == 2023
        assert v.satudata_natural_number("0") == "0"
        with pytest.raises(Invalid):
            v.satudata_natural_number("-1")

    def test_years_are_sorted_once(self):
        value, errors = _run(v.satudata_years, "2023, 2021,2023")
        assert errors == [] and json.loads(value) == [2021, 2023]

    def test_years_report_bad_entry(self):
        _, errors = _run(v.satudata_years, ["2021", "dua ribu"])
        assert errors and "1900" in errors[0]


class TestDates:
    def test_date(self):
        assert v.satudata_date("2024-02-29") == "2024-02-29"

    @pytest.mark.parametrize("bad", ["2023-02-29", "31-01-2024", "2024/01/31", "kemarin"])
    def test_malformed_date(self, bad):
        with pytest.raises(Invalid, match="YYYY-MM-DD"):
            v.satudata_date(bad)

    def test_date_list(self):
        value, errors = _run(v.satudata_date_list, ["2024-06-01", "2024-01-15"])
        assert errors == [] and json.loads(value) == ["2024-01-15", "2024-06-01"]
        _, errors = _run(v.satudata_date_list, ["2024-06-01", "Juni"])
        assert errors


class TestKodeWilayah:
    def test_known_codes_are_normalised(self):
        value, errors = _run(v.satudata_kode_wilayah, [" 35.14", "35"])
        assert errors == [] and json.loads(value) == ["35", "35.14"]

    @pytest.mark.parametrize("bad", ["35.99", "3514", "99", "Pasuruan"])
    def test_unknown_code(self, bad):
        _, errors = _run(v.satudata_kode_wilayah, [bad])
        assert errors and bad in errors[0]
