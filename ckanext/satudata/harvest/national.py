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

Made when the dataset is indexed (``indexed``: kept in the dict search results are
read from, under ``STORED``), so a search only appends them; the links to MS-Keg
and MS-Ind (``LINKED``) are taken from the result as shown, because whether the
linked record may be named depends on its state at the time of the search.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context

#: extra name → scheme field, the value taken as it is.
SAME_VALUE = (
    ("id_sds", "id_sds"), ("kodereferensi", "id_sds"), ("satuan", "satuan"), ("ukuran", "ukuran"),
    ("accrualPeriodicity", "frekuensi"), ("accessRights", "akses"), ("theme", "sektor"),
    ("konsep", "konsep"), ("definisi", "definisi"), ("klasifikasi", "klasifikasi"),
    ("level_penyajian", "level_penyajian"), ("tahun_data", "tahun_data"),
    ("kode_wilayah", "kode_wilayah"), ("jadwal_rilis_berikutnya", "jadwal_rilis_berikutnya"),
    ("data_prioritas", "data_prioritas"),
)
#: extra name → link field, taken from the search result: links there are already
#: limited to published records (workflow/visibility.hide_unpublished_references).
LINKED = (("id_mskeg", "kegiatan"), ("id_msind", "indikator"))
#: where the indexed dict keeps the extras made at index time (never shown)
STORED = "satudata_national_extras"
NAMES = {name for name, _ in SAME_VALUE + LINKED} | {
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


def _extras(found: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in found.items() if v]


def indexed(validated: dict[str, Any]) -> list[dict[str, str]]:
    """The extras that do not depend on the reader, from the dict being indexed
    (empty values left out)."""
    found: dict[str, str] = {}
    for name, field in SAME_VALUE:
        found[name] = _text(validated.get(field))
    found["jenis"] = validated.get("type") or "dataset"
    if tk.asbool(validated.get("data_prioritas")):
        found["prioritas_tahun"] = _text(validated.get("prioritas_tahun"))
    found["id_kegiatan_mms"] = _text(validated.get("id_kegiatan_mms"))
    found["produsen_data_name"] = _text((validated.get("organization") or {}).get("title"))
    wilayah = validated.get("kode_wilayah")
    kode = (wilayah[0] if isinstance(wilayah, list) and wilayah else wilayah) or ""
    digits = str(kode).replace(".", "")
    if len(digits) >= 2:
        found["produsen_data_province_code"] = digits[:2]
    if len(digits) >= 4:
        found["produsen_data_city_code"] = digits[:4]
    return _extras(found)


def extras_of(result: dict[str, Any]) -> list[dict[str, str]]:
    """The national extras of one search result (empty values left out)."""
    stored = result.get(STORED)
    made = indexed(result) if stored is None else stored  # documents indexed before they were kept
    return made + _extras({name: _text(result.get(field)) for name, field in LINKED})


def finish(results: list[dict[str, Any]]) -> None:
    """Append the national extras to the search results when ``wanted`` (a result's
    own extras win), and take the kept copy out of every result."""
    add_them = wanted()
    for result in results:
        if add_them and "metadata_created" in result:  # not a partial result (package_search's fl)
            own = result.get("extras") or []
            taken = {e.get("key") for e in own}
            result["extras"] = own + [e for e in extras_of(result) if e["key"] not in taken]
        result.pop(STORED, None)


def strip(result: dict[str, Any]) -> None:
    """Take them out again (the DCAT catalog serializes search results)."""
    if result.get("extras"):
        result["extras"] = [e for e in result["extras"] if e.get("key") not in NAMES]
