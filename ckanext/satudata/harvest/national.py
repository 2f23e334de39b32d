"""SDI fields as dataset extras under data.go.id's names, for plain downstreams.

A CKAN without this extension's schemas keeps, of a harvested dataset dict,
only CKAN's own fields and its ``extras`` list: ckanext-harvest's CKAN harvester
reads package_search and drops every scheme field. So each package_search
result also carries the standar data as extras, named as the national portal
(data.go.id) names them where it has a name (``id_sds``, ``kodereferensi``,
``satuan``, ``ukuran``, ``prioritas_tahun``, ``accrualPeriodicity``,
``accessRights``, ``theme``, ``jenis``, ``id_mskeg``, ``id_msind``,
``produsen_data_*``) and by the scheme's name otherwise (``konsep``,
``definisi``, ``klasifikasi``, ``level_penyajian``, ``tahun_data``,
``kode_wilayah``, ``jadwal_rilis_berikutnya``, ``data_prioritas``). Values are text (lists comma-separated).

Only search results: package_show stays the scheme's own dict (an update fed
with it must not meet extras named like its fields), and the DCAT catalog
strips them (``strip``) because ckanext-dcat would read ``theme`` as its own.
Switch: ``ckanext.satudata.harvest.national_extras`` (default on). Added to the
API's answers (and calls outside a request), not to the portal's own pages (``wanted``).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context

#: extra name → scheme field (a value is taken as it is shown, links already
#: limited to published records by security/visibility).
SAME_VALUE = (
    ("id_sds", "id_sds"), ("kodereferensi", "id_sds"), ("satuan", "satuan"), ("ukuran", "ukuran"),
    ("accrualPeriodicity", "frekuensi"), ("accessRights", "akses"), ("theme", "sektor"),
    ("id_mskeg", "kegiatan"), ("id_msind", "indikator"),
    ("konsep", "konsep"), ("definisi", "definisi"), ("klasifikasi", "klasifikasi"),
    ("level_penyajian", "level_penyajian"), ("tahun_data", "tahun_data"),
    ("kode_wilayah", "kode_wilayah"), ("jadwal_rilis_berikutnya", "jadwal_rilis_berikutnya"),
    ("data_prioritas", "data_prioritas"),
)
NAMES = {name for name, _ in SAME_VALUE} | {
    "jenis", "prioritas_tahun", "id_kegiatan_mms", "produsen_data_name",
    "produsen_data_province_code", "produsen_data_city_code"}


def enabled() -> bool:
    return tk.asbool(tk.config.get("ckanext.satudata.harvest.national_extras", True))


def wanted() -> bool:
    """Whether this search's results get the extras: when enabled, for the API and
    calls outside a request, not for the portal's own pages (the search page, an
    OPD's page, the DCAT catalog): they show none of them, and building them for
    every result cost each page time for nothing."""
    if not enabled():
        return False
    if not has_request_context():
        return True
    endpoint = tk.request.endpoint or ""
    return not endpoint or endpoint.startswith("api.")


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def extras_of(result: dict[str, Any]) -> list[dict[str, str]]:
    """The national extras of one dataset dict (empty values left out)."""
    found: dict[str, str] = {}
    for name, field in SAME_VALUE:
        found[name] = _text(result.get(field))
    found["jenis"] = result.get("type") or "dataset"
    if tk.asbool(result.get("data_prioritas")):
        found["prioritas_tahun"] = _text(result.get("prioritas_tahun"))
    found["id_kegiatan_mms"] = _text(result.get("id_kegiatan_mms"))
    found["produsen_data_name"] = _text((result.get("organization") or {}).get("title"))
    wilayah = result.get("kode_wilayah")
    kode = (wilayah[0] if isinstance(wilayah, list) and wilayah else wilayah) or ""
    digits = str(kode).replace(".", "")
    if len(digits) >= 2:
        found["produsen_data_province_code"] = digits[:2]
    if len(digits) >= 4:
        found["produsen_data_city_code"] = digits[:4]
    return [{"key": k, "value": v} for k, v in found.items() if v]


def add(result: dict[str, Any]) -> None:
    """Append the national extras to a search result (its own extras win)."""
    if "metadata_created" not in result:
        return  # a partial result (package_search's fl): not a dataset a harvester copies
    own = result.get("extras") or []
    taken = {e.get("key") for e in own}
    result["extras"] = own + [e for e in extras_of(result) if e["key"] not in taken]


def strip(result: dict[str, Any]) -> None:
    """Take them out again (the DCAT catalog serializes search results)."""
    if result.get("extras"):
        result["extras"] = [e for e in result["extras"] if e.get("key") not in NAMES]
