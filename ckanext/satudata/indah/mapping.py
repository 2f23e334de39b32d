"""The portal's records as INDAH v2 ``data`` objects, by the ``indah_key`` annotations.

The schemas (schemas/kegiatan.yaml, indikator.yaml, and the ``variabel``
rows of dataset.yaml's resources) are the one mapping: a field's
``indah_key`` is its dotted place in INDAH's ``data`` (``blok_ii.unit_penanggung_jawab.eselon1``;
a number is a list position, ``…perencanaan_kegiatan.0.awal``). A field
without one is not sent. Rows of a repeating field keep their subfields'
names unless a subfield has its own ``indah_key``.

``indah_format`` says how a value is written where it is not written as is:

- ``flags``: a multi-select as INDAH's object of booleans, one per codelist
  value (``WAWANCARA`` → ``wawancara: true``); the ``_lainnya`` text lands
  inside the same object through its own ``indah_key``;
- ``label``: the codelist's Indonesian label (INDAH takes free text);
- ``codelist_indah``: the codelist entry's ``indah`` value (MS-Var tipe_data);
- ``list``: text as a list of one; ``value_domain``: ``1=a; 2=b`` as ``[{kode, nilai}]``;
- ``digits``: a code without its dots (``35.14`` → ``3514``, INDAH's style).

``indah_default`` fills an empty value (INDAH's templates write ``-``);
``indah_fallback`` names a field whose value stands in for an empty one.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Iterator

import yaml

from ckanext.satudata import codelists, msvar

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


@functools.lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"{name}.yaml").read_text(encoding="utf-8"))


def kegiatan_fields() -> list[dict]:
    return _schema("kegiatan")["dataset_fields"]


def indikator_fields() -> list[dict]:
    return _schema("indikator")["dataset_fields"]


def variabel_fields() -> list[dict]:
    """The subfields of a resource's ``variabel`` rows (MS-Var)."""
    field = next(f for f in _schema("dataset")["resource_fields"] if f["field_name"] == "variabel")
    return field["repeating_subfields"]


def mapped(fields: list[dict]) -> Iterator[tuple[dict, str]]:
    """(field, its INDAH path) for every field sent to INDAH, subfields of rows included
    (as ``parent.N.sub`` paths, with ``N`` the row: ``*``)."""
    for field in fields:
        key = field.get("indah_key")
        if not key:
            continue
        yield field, key
        for sub in field.get("repeating_subfields") or []:
            label = {lang: f"{field['label'].get(lang, '')} — {text}"
                     for lang, text in (sub.get("label") or {}).items()}
            yield (dict(sub, field_name=f"{field['field_name']}.{sub['field_name']}", label=label),
                   f"{key}.*.{sub.get('indah_key') or sub['field_name']}")


# ---------------------------------------------------------------- values


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _truth(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if _empty(value):
        return None
    return str(value).strip().lower() in ("true", "1", "ya", "yes", "on")


def _as_list(value: Any) -> list:
    if _empty(value):
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if not _empty(v)]
    if isinstance(value, str) and value.strip().startswith("["):
        import json
        try:
            return _as_list(json.loads(value))
        except ValueError:
            pass
    return [value]


def _integer(value: Any) -> Any:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value  # the JSON Schema names the problem


def convert(field: dict, value: Any) -> Any:
    """VALUE of FIELD (as package_show returns it) as INDAH wants it."""
    fmt = field.get("indah_format")
    preset = field.get("preset", "")
    if fmt == "flags":
        chosen = {str(v).upper() for v in _as_list(value)}
        return {str(e["value"]).lower(): str(e["value"]) in chosen
                for e in codelists.values(field["codelist"])}
    if _empty(value):
        if "indah_default" in field:
            default = field["indah_default"]
            if fmt == "value_domain":  # INDAH's templates: one "-" item when there is none
                return [{"kode": default, "nilai": default}]
            return [default] if fmt == "list" else default
        return [] if preset in ("satudata_date_list", "satudata_text_list") else None
    if fmt == "label":
        return codelists.label(field["codelist"], str(value), "id")
    if fmt == "codelist_indah":
        entry = next((e for e in codelists.values(field["codelist"]) if str(e["value"]) == str(value)), None)
        return entry.get("indah") if entry else str(value)
    if fmt == "list":
        return [str(v) for v in _as_list(value)]
    if fmt == "value_domain":
        return msvar.parse_value_domain(value) if isinstance(value, str) else value
    if fmt == "digits":
        return "".join(c for c in str(value) if c.isdigit())
    if preset == "satudata_yes_no" or isinstance(value, bool):
        return _truth(value)
    if preset in ("satudata_year", "satudata_integer"):
        return _integer(value)
    if preset in ("satudata_date_list", "satudata_text_list"):
        return [str(v) for v in _as_list(value)]
    if field.get("repeating_subfields"):
        return [row_data(field["repeating_subfields"], row) for row in _as_list(value)]
    return value


def row_data(subfields: list[dict], row: dict) -> dict:
    out: dict[str, Any] = {}
    for sub in subfields:
        out[sub.get("indah_key") or sub["field_name"]] = convert(sub, row.get(sub["field_name"]))
    return out


def _put(target: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = target
    for part, following in zip(parts, parts[1:]):
        nxt: Any = [] if following.isdigit() else {}
        if part.isdigit():
            index = int(part)
            while len(node) <= index:
                node.append(None)
            if node[index] is None:
                node[index] = nxt
            node = node[index]
        else:
            node = node.setdefault(part, nxt)
    last = parts[-1]
    if isinstance(node, dict) and isinstance(node.get(last), dict) and isinstance(value, dict):
        node[last].update(value)  # a flags object and its _lainnya text share one object
    else:
        node[last] = value


def data_of(fields: list[dict], record: dict) -> dict:
    """The INDAH ``data`` object of RECORD (a dataset dict, or an MS-Var row) by FIELDS."""
    data: dict[str, Any] = {}
    for field in (f for f in fields if f.get("indah_key")):
        value = record.get(field["field_name"])
        if _empty(value) and field.get("indah_fallback"):
            value = record.get(field["indah_fallback"])
        _put(data, field["indah_key"], convert(field, value))
    return data


def field_for_path(fields: list[dict], path: list) -> tuple[dict | None, int | None]:
    """The portal field whose INDAH place is PATH (a JSON Schema error path inside
    ``data``), the closest enclosing one when none is exact; and the row number
    (1-based) when PATH points into a repeating field's rows."""
    text = [str(p) for p in path]
    best: tuple[int, dict | None, int | None] = (-1, None, None)
    for field, key in mapped(fields):
        parts = key.split(".")
        row = None
        if len(parts) > len(text):
            continue
        matches = True
        for want, got in zip(parts, text):
            if want == "*" and got.isdigit():
                row = int(got) + 1
            elif want != got:
                matches = False
                break
        if matches and len(parts) > best[0]:
            best = (len(parts), field, row)
    return best[1], best[2]
