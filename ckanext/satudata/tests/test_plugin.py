import pytest

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.config.declaration import Declaration

from ckanext.satudata import helpers as satudata_helpers


def test_plugins_are_loaded():
    assert p.plugin_loaded("satudata")
    assert p.plugin_loaded("satudata_validation")


def test_status_show_lists_the_plugins(app):
    result = app.get("/api/3/action/status_show").json["result"]
    assert "satudata" in result["extensions"]
    assert "satudata_validation" in result["extensions"]


def test_options_are_declared_with_defaults():
    declaration = Declaration()
    declaration.load_plugin("satudata")
    defaults = {
        str(key): declaration[key].default
        for key in declaration.iter_options()
        if str(key).startswith("ckanext.satudata.")
    }
    assert defaults == {
        "ckanext.satudata.recovery_interval": 300,
        "ckanext.satudata.excel.max_bytes": 10485760,
        "ckanext.satudata.excel.max_records": 500,
        "ckanext.satudata.conversions.inline_max_bytes": 10485760,
        "ckanext.satudata.job_memory_mb": 450,
        "ckanext.satudata.heartbeat_seconds": 10,
        "ckanext.satudata.fetch_allowed_hosts": "",
        "ckanext.satudata.fetch_max_bytes": 104857600,
        "ckanext.satudata.fetch_max_redirects": 5,
        "ckanext.satudata.fetch_timeout": 300,
        "ckanext.satudata.walidata_organization": "diskominfo",
        "ckanext.satudata.pembina_organization": "bps",
        "ckanext.satudata.region.code": "",
        "ckanext.satudata.region.name": "",
        "ckanext.satudata.workflow": "sdi",
        "ckanext.satudata.workflow.dataset": "",
        "ckanext.satudata.workflow.kegiatan": "",
        "ckanext.satudata.workflow.indikator": "",
        "ckanext.satudata.gate.completeness_min": 80,
        "ckanext.satudata.requests.refuse_late": False,
        "ckanext.satudata.holidays": "",
        "ckanext.satudata.holidays.cuti_bersama": True,
        "ckanext.satudata.timezone": "Asia/Jakarta",
        "ckanext.satudata.office_hours": "07:30-16:00",
        "ckanext.satudata.office_days": "mon tue wed thu fri",
        "ckanext.satudata.indah.url": "",
        "ckanext.satudata.indah.timeout": 30,
        "ckanext.satudata.indah.retry_delays": "5 30 120",
        "ckanext.satudata.indah.user": "",
        "ckanext.satudata.rekomendasi.max_size_mb": 10,
        "ckanext.satudata.harvest.national_extras": True,
        "ckanext.satudata.dcat.default_license": "",
    }


@pytest.mark.ckan_config("ckanext.satudata.region.code", "35.14")
@pytest.mark.ckan_config("ckanext.satudata.region.name", "Kabupaten Pasuruan")
def test_region_helper_reads_config():
    assert satudata_helpers.satudata_region() == {"code": "35.14", "name": "Kabupaten Pasuruan"}


def test_role_organizations_helper_reads_config():
    assert satudata_helpers.satudata_role_organizations() == {
        "walidata": "diskominfo", "pembina": "bps"}


def test_helpers_are_registered():
    assert tk.h.satudata_region() == satudata_helpers.satudata_region()
