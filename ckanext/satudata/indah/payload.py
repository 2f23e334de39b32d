"""A kegiatan's INDAH v2 submission: its MS-Keg, the MS-Var of its data and its MS-Ind.

MS-Var comes from the Table Schemas of the resources of the datasets linked
to the kegiatan (their ``kegiatan`` field), MS-Ind from the indicators
linked to it. Only what the caller may read is included: the same call made
by an OPD member and by the Walidata may differ while a dataset is still a
draft of its OPD.

The bundle is checked against ``indah-v2.schema.json`` (INDAH's
required-for-submit rules as data); each problem names the portal field to
fix, in the reader's language.
"""
from __future__ import annotations

import datetime
import functools
import json
from pathlib import Path
from typing import Any, Callable

import jsonschema

import ckan.model as model

from ckanext.satudata import lang, msvar
from ckanext.satudata.indah import mapping

SCHEMA_FILE = Path(__file__).with_name("indah-v2.schema.json")


@functools.lru_cache(maxsize=None)
def json_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _validator(definition: str | None = None):
    schema = json_schema()
    if definition:
        schema = dict(schema["$defs"][definition], **{"$defs": schema["$defs"]})
    return jsonschema.Draft202012Validator(schema)


def _code(value: str | None) -> str | None:
    digits = "".join(c for c in str(value or "") if c.isdigit())
    return digits or None


def producer(organization: dict | None) -> dict:
    """INDAH's ``produsen_data`` from the OPD (its id at INDAH is not known to the
    portal: INDAH resolves the name within the submitter's region)."""
    organization = organization or {}
    code = _code(organization.get("kode_wilayah")) or ""
    return {"id": None, "name": organization.get("title") or organization.get("name"),
            "province_code": code[:2] or None, "city_code": code[:4] if len(code) >= 4 else None}


def _envelope(data: dict, period: Any, producer_: dict, status: str) -> dict:
    return {"submission_period": period, "data": data, "status": status,
            "reviews": None, "changes": None, "rejection_note": None, "submitter": None,
            "produsen_data": producer_, "walidata_pusat": None, "version": "v2"}


def _period(kegiatan: dict) -> int:
    try:
        return int(kegiatan.get("tahun_kegiatan"))
    except (TypeError, ValueError):
        return datetime.date.today().year


def build(kegiatan: dict, datasets: list[dict], indicators: list[dict],
          indah_id: Any = None, status: str = "SUBMITTED") -> dict:
    """The bundle ``{kegiatan, variabel, indikator}`` INDAH receives, one body per record.

    KEGIATAN, DATASETS and INDICATORS are package_show dicts; INDAH_ID the
    kegiatan's id at INDAH once known (``base_id`` and the children's ``ms_keg_id``).
    """
    period, producer_ = _period(kegiatan), producer(kegiatan.get("organization"))
    mskeg = _envelope(mapping.data_of(mapping.kegiatan_fields(), kegiatan), period, producer_, status)
    mskeg["base_id"] = indah_id
    variables, sources = [], []
    for dataset in datasets:
        for resource in dataset.get("resources") or []:
            for row in msvar.variables(resource.get("schema") or {}):
                body = _envelope(mapping.data_of(mapping.variabel_fields(), row), period,
                                 producer_, status)
                variables.append(dict(body, ms_keg_id=indah_id))
                sources.append({"dataset": dataset["name"], "resource": resource["id"],
                                "column": row.get("name")})
    indicators_ = [dict(_envelope(mapping.data_of(mapping.indikator_fields(), ind), period,
                                  producer_, status), ms_keg_id=indah_id)
                   for ind in indicators]
    return {"kegiatan": mskeg, "variabel": variables, "indikator": indicators_,
            "sources": {"variabel": sources, "indikator": [i["name"] for i in indicators]}}


# ---------------------------------------------------------------- problems


def _messages(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "required": _("Required by INDAH for submission"),
        "enum": _("Not a value INDAH knows: {value}"),
        "pattern": _("Not in the form INDAH expects: {value}"),
        "minItems": _("Fill in at least one"),
        "anyOf": _("Choose at least one"),
        "other": _("Not accepted by INDAH: {detail}"),
    }


def _kind(error) -> str:
    if error.validator == "required" or error.instance is None or error.instance == "":
        return "required"
    if error.validator in ("minLength",) or (error.validator == "pattern" and not str(error.instance).strip()):
        return "required"
    if error.validator in ("enum", "const"):
        return "enum"
    if error.validator == "pattern":
        return "pattern"
    if error.validator == "minItems":
        return "minItems"
    if error.validator == "anyOf":
        return "anyOf"
    return "other"


def _missing(error) -> list:
    """The path of the error's subject, a missing property included."""
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        path += missing[:1]
    return path


def _leaf_errors(validator, instance) -> list:
    """Errors worth telling: the branch an if/then chose, not the if/then itself."""
    found = []
    for error in validator.iter_errors(instance):
        found += _unwrap(error)
    return found


def _unwrap(error) -> list:
    if error.validator in ("allOf", "then", "else", "if", "$ref") and error.context:
        return [e for sub in error.context for e in _unwrap(sub)]
    return [error]


_RECORDS = {
    "kegiatan": ("mskeg", mapping.kegiatan_fields),
    "variabel": ("msvar", mapping.variabel_fields),
    "indikator": ("msind", mapping.indikator_fields),
}


def problems(bundle: dict, _: Callable[[str], str]) -> list[dict[str, Any]]:
    """What INDAH would refuse, per portal field:
    ``[{record, index, source, field, label, row, indah_key, message}]``."""
    texts = _messages(_)
    found = []
    for record, (definition, fields_of) in _RECORDS.items():
        items = [bundle[record]] if record == "kegiatan" else bundle[record]
        validator = _validator(definition)
        for index, item in enumerate(items):
            for error in _leaf_errors(validator, item):
                path = _missing(error)
                inside = path[1:] if path[:1] == ["data"] else None
                field, row = (mapping.field_for_path(fields_of(), inside)
                              if inside is not None else (None, None))
                kind = _kind(error)
                found.append({
                    "record": record,
                    "index": index,
                    "source": _source(bundle, record, index),
                    "field": field["field_name"] if field else None,
                    "label": lang.text(field["label"]) if field else ".".join(map(str, path)),
                    "row": row,
                    "indah_key": ".".join(map(str, path)),
                    "message": texts[kind].format(value=error.instance, detail=error.message),
                })
    return _unique(found)


def _source(bundle: dict, record: str, index: int) -> Any:
    if record == "kegiatan":
        return None
    return (bundle.get("sources") or {}).get(record, [None] * (index + 1))[index]


def _unique(found: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in found:
        key = (p["record"], p["index"], p["indah_key"], p["message"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def valid(body: dict, definition: str) -> list[str]:
    """Plain messages of what is wrong with one body (the contract server's check)."""
    return [f"{'.'.join(map(str, _missing(e)))}: {e.message}"
            for e in _leaf_errors(_validator(definition), body)]


# ---------------------------------------------------------------- collecting


def _names_of(package_id: str) -> list[str]:
    pkg = model.Package.get(package_id)
    return [pkg.id, pkg.name] if pkg else [package_id]


def linked(package_id: str, dataset_type: str) -> list[str]:
    """Ids of the active records of DATASET_TYPE whose ``kegiatan`` is PACKAGE_ID."""
    rows = (model.Session.query(model.Package.id)
            .join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id)
            # The link stores the kegiatan's name (logic/validators.py); an id is accepted too.
            .filter(model.PackageExtra.key == "kegiatan",
                    model.PackageExtra.value.in_(_names_of(package_id)),
                    model.PackageExtra.state == "active", model.Package.state == "active",
                    model.Package.type == dataset_type)
            .order_by(model.Package.name))
    return [r.id for r in rows]


def _readable(context: dict, ids: list[str], include=None) -> list[dict]:
    import ckan.plugins.toolkit as tk

    found = []
    for id_ in ids:
        if include is not None and not include(model.Package.get(id_)):
            continue
        try:
            found.append(tk.get_action("package_show")(dict(context), {"id": id_}))
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue  # not the caller's to read (yet): not part of what they see
    return found


def collect(context: dict, package_id: str, indah_id: Any = None, include=None) -> dict:
    """The bundle of kegiatan PACKAGE_ID with its problems: as the user of CONTEXT may
    read it, or (INCLUDE given, CONTEXT ignoring auth: a report already authorised)
    with the linked records for which INCLUDE(package) holds."""
    import ckan.plugins.toolkit as tk

    kegiatan = tk.get_action("package_show")(dict(context), {"id": package_id})
    bundle = build(kegiatan, _readable(context, linked(kegiatan["id"], "dataset"), include),
                   _readable(context, linked(kegiatan["id"], "indikator"), include), indah_id)
    bundle["problems"] = problems(bundle, tk._)
    return bundle
