"""What the SDI/BPS scheme adds to the Solr index and to the search facets."""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.satudata import codelists, completeness

# Solr field → (codelist of its values or None, label). vocab_* are CKAN's
# multi-valued string fields; every facet is filled by index_fields below.
FACETS: "OrderedDict[str, tuple[str | None, dict[str, str]]]" = OrderedDict([
    ("vocab_sektor", ("sektor_kegiatan", {"id": "Sektor", "en": "Sector"})),
    ("vocab_tahun", (None, {"id": "Tahun data", "en": "Data year"})),
    ("vocab_frekuensi", ("frekuensi", {"id": "Frekuensi", "en": "Frequency"})),
    ("vocab_kelengkapan", (None, {"id": "Kelengkapan metadata (%)", "en": "Metadata completeness (%)"})),
])


def _loaded(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in "[{":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def validated(index_dict: dict) -> dict:
    """The dataset as package_show gives it, from the dict CKAN is indexing."""
    return json.loads(index_dict["validated_data_dict"])


def store_state(index_dict: dict, validated_dict: dict) -> None:
    """Keep the workflow state in the dict search results are read from.

    CKAN returns each result's ``validated_data_dict``, which the scheme's
    validation leaves without ``satudata_state``; with it stored there, a search
    page needs no query of the states (workflow/display.add_states). The state is
    the one package_show gave the indexer (after_dataset_show reads the database,
    inside the step's transaction: service._index_before_commit), the same value
    CKAN indexes as the ``satudata_state`` field the reconciliation compares.
    """
    state = index_dict.get("satudata_state")
    if state and validated_dict.get("satudata_state") != state:
        validated_dict["satudata_state"] = state
        index_dict["validated_data_dict"] = json.dumps(validated_dict)


def index_fields(pkg_dict: dict) -> dict:
    """Fields added to a dataset's Solr document (from its validated dict)."""
    schema = tk.h.scheming_get_dataset_schema(pkg_dict.get("type", "dataset"))
    fields: dict[str, Any] = {}
    if not schema:
        return fields
    score = completeness.score(schema, pkg_dict)
    fields["kelengkapan"] = score
    fields["vocab_kelengkapan"] = [completeness.bucket(score)]
    sektor = pkg_dict.get("sektor") or pkg_dict.get("sektor_kegiatan")
    if sektor:
        fields["vocab_sektor"] = [sektor]
    years = _loaded(pkg_dict.get("tahun_data")) or pkg_dict.get("tahun_kegiatan")
    if years:
        fields["vocab_tahun"] = [str(y) for y in (years if isinstance(years, list) else [years])]
    frekuensi = pkg_dict.get("frekuensi") or pkg_dict.get("iv_frekuensi_penyelenggaraan")
    if frekuensi:
        fields["vocab_frekuensi"] = [frekuensi]
    fields["text"] = _flattened_text(schema, pkg_dict)
    return fields


def _flattened_text(schema: dict, pkg_dict: dict) -> list[str]:
    """Repeating subfields and lists as plain text, so free-text search finds them."""
    text = []
    for field in schema.get("dataset_fields", []):
        value = _loaded(pkg_dict.get(field["field_name"]))
        if isinstance(value, list):
            for item in value:
                text.extend(str(v) for v in (item.values() if isinstance(item, dict) else [item])
                            if v not in (None, ""))
    for resource in pkg_dict.get("resources", []):
        schema_value = _loaded(resource.get("schema"))
        if isinstance(schema_value, dict):
            for column in schema_value.get("fields", []):
                text.extend(str(column[k]) for k in ("name", "title", "description") if column.get(k))
    return text


def drop_nested(index_dict: dict) -> None:
    """Remove values Solr would read as child documents (repeating subfields).

    Their text is indexed through ``text`` (see _flattened_text); the JSON
    stays searchable in CKAN's own ``extras_*`` copy.
    """
    for key in [k for k, v in index_dict.items()
                if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(i, dict) for i in v))]:
        del index_dict[key]


# CKAN's own facets, relabelled for the portal; shown between ours in this order.
CORE_FACETS = {
    # The search page lists data sektoral, kegiatan and indikator together.
    "dataset_type": {"id": "Jenis", "en": "Kind"},
    "organization": {"id": "Produsen Data (OPD)", "en": "Data producer (agency)"},
    "res_format": {"id": "Format", "en": "Format"},
    "tags": {"id": "Kata kunci", "en": "Tags"},
    "license_id": {"id": "Lisensi", "en": "License"},
}
FACET_ORDER = ("dataset_type", "vocab_sektor", "vocab_tahun", "organization", "vocab_frekuensi", "res_format",
               "vocab_kelengkapan", "tags", "license_id")


def type_label(dataset_type: str, lang: str) -> str:
    """What a person reads for a dataset type (its schema's ``type_label``)."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    label = schema.get("type_label") or {}
    return label.get(lang) or label.get("id") or dataset_type


def label_facets(search_facets: dict, lang: str) -> None:
    """Facet items of codelist fields and of the dataset type read as labels in LANG
    (display_name), wherever CKAN shows them: the facet lists and the filter pills
    above the results, which showed stored codes such as DEMOGRAFI_DAN_KEPENDUDUKAN."""
    for field, facet in search_facets.items():
        codelist = FACETS.get(field, (None, None))[0]
        if field != "dataset_type" and not codelist:
            continue
        for item in facet.get("items", []):
            item["display_name"] = (type_label(item["name"], lang) if field == "dataset_type"
                                    else codelists.label(codelist, item["name"], lang))


def facet_titles(lang: str, without: tuple[str, ...] = ()) -> "OrderedDict[str, str]":
    """Title of each search facet in LANG, in the order the search page shows them."""
    labels = {name: label for name, (_, label) in FACETS.items()}
    labels.update(CORE_FACETS)
    return OrderedDict((name, labels[name].get(lang) or labels[name]["id"])
                       for name in FACET_ORDER if name not in without)
