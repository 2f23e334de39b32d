"""MS-Var (BPS variable metadata) kept inside the resource's Frictionless Table Schema.

The Table Schema in the resource's ``schema`` field is the one source of
truth, the place ckanext-validation reads from. Standard Table Schema
properties carry what Frictionless checks (name, title, description, type,
constraints); the rest of MS-Var rides along in each field's ``msvar``
object, which Frictionless keeps but ignores.

Forms and API clients may instead send the flat ``variabel`` list (one
dict per column, the resource form's repeating subfields); it is turned
into the Table Schema on save and derived from it on show.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

# Flat variabel keys that live in field["msvar"], in form order.
MSVAR_KEYS = (
    "alias", "konsep", "referensi_pemilihan", "referensi_waktu", "ukuran",
    "satuan", "klasifikasi_rujukan", "aturan_validasi", "kalimat_pertanyaan",
    "akses_umum", "id_sds",
)
_TRUE = ("true", "1", "ya", "yes", "on")


def _bool(v: Any) -> bool:
    return v is True or str(v).strip().lower() in _TRUE


def parse_value_domain(text: str) -> list[dict[str, str]]:
    """'1=Laki-laki; 2=Perempuan' → [{kode: '1', nilai: 'Laki-laki'}, …]."""
    domain = []
    for part in str(text or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        kode, _, nilai = part.partition("=")
        domain.append({"kode": kode.strip(), "nilai": nilai.strip()})
    return domain


def format_value_domain(domain: list[dict[str, str]]) -> str:
    return "; ".join(f"{d['kode']}={d.get('nilai', '')}".rstrip("=") for d in domain or [])


def field_from_variable(var: dict[str, Any]) -> dict[str, Any]:
    field: dict[str, Any] = {"name": str(var["name"]).strip(), "type": var.get("type") or "string"}
    for key, prop in (("title", "title"), ("description", "description")):
        if var.get(key):
            field[prop] = var[key]
    constraints: dict[str, Any] = {}
    if _bool(var.get("wajib_diisi")):
        constraints["required"] = True
    domain = parse_value_domain(var.get("value_domain", ""))
    if domain:
        constraints["enum"] = [d["kode"] for d in domain]
    for bound in ("minimum", "maximum"):
        if str(var.get(bound, "")).strip():
            constraints[bound] = var[bound]
    if constraints:
        field["constraints"] = constraints
    extra = {k: var[k] for k in MSVAR_KEYS if var.get(k) not in (None, "")}
    if "akses_umum" in extra:
        extra["akses_umum"] = _bool(extra["akses_umum"])
    if domain:
        extra["value_domain"] = domain
    if extra:
        field["msvar"] = extra
    return field


def variable_from_field(field: dict[str, Any]) -> dict[str, Any]:
    constraints = field.get("constraints", {})
    extra = field.get("msvar", {})
    var: dict[str, Any] = {
        "name": field.get("name", ""),
        "title": field.get("title", ""),
        "description": field.get("description", ""),
        "type": field.get("type", "string"),
        "wajib_diisi": bool(constraints.get("required", False)),
        "value_domain": format_value_domain(extra.get("value_domain")) or
        "; ".join(str(v) for v in constraints.get("enum", [])),
    }
    for bound in ("minimum", "maximum"):
        if bound in constraints:
            var[bound] = constraints[bound]
    var.update({k: extra[k] for k in MSVAR_KEYS if k in extra})
    return var


def table_schema(variables: list[dict[str, Any]]) -> dict[str, Any]:
    return {"fields": [field_from_variable(v) for v in variables if str(v.get("name", "")).strip()]}


def variables(schema: Any) -> list[dict[str, Any]]:
    """The flat variabel list of a resource's Table Schema (dict or JSON text)."""
    if isinstance(schema, str):
        if not schema.strip().startswith("{"):
            return []  # a URL to a remote schema: nothing to show inline
        schema = json.loads(schema)
    return [variable_from_field(f) for f in (schema or {}).get("fields", [])]


# The columns the compact variables table shows in every row; the rest of
# MS-Var (MSVAR_KEYS less satuan, and the bounds) folds away per row.
TABLE_KEYS = ("title", "description", "type", "satuan", "wajib_diisi")
MORE_KEYS = ("value_domain", "minimum", "maximum") + tuple(k for k in MSVAR_KEYS if k != "satuan")


def with_inferred(stored: list[dict[str, Any]], inferred: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows to confirm: each column of the file, with what the producer
    already entered for it kept and only the gaps filled from the guess.

    Stored columns the file no longer has come last, marked ``in_file: False``.
    """
    by_name = {str(v.get("name", "")): v for v in stored}
    rows = []
    for guess in inferred:
        known = by_name.pop(str(guess.get("name", "")), None)
        if known is None:
            rows.append(dict(guess, in_file=True))
            continue
        row = dict(known, in_file=True)
        for key, value in guess.items():
            if row.get(key) in (None, ""):
                row[key] = value
        rows.append(row)
    return rows + [dict(v, in_file=False) for v in by_name.values()]


def updated_rows(stored: list[dict[str, Any]], posted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """POSTED rows laid over the STORED ones of the same column name: a key the
    form did not send keeps its stored value, so saving never erases it."""
    by_name = {str(v.get("name", "")): v for v in stored}
    return [dict(by_name.get(str(row.get("name", "")).strip(), {}), **row) for row in posted]


_FORM_KEY = re.compile(r"^variabel-(\d+)-(\w+)$")


def pop_variables(resource: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Take the ``variabel`` rows out of a resource dict (API list or form keys).

    None when the resource carries no rows at all, so its ``schema`` is
    left as the client sent it.
    """
    rows = resource.pop("variabel", None)
    form: dict[int, dict[str, Any]] = {}
    for key in [k for k in resource if _FORM_KEY.match(k)]:
        index, sub = _FORM_KEY.match(key).groups()
        form.setdefault(int(index), {})[sub] = resource.pop(key)
    if rows is None and not form:
        return None
    if isinstance(rows, str):
        rows = json.loads(rows) if rows.strip() else []
    rows = list(rows or []) + [form[i] for i in sorted(form)]
    return [r for r in rows if any(str(v).strip() for v in r.values() if v is not None)]


def problems(rows: list[dict[str, Any]], allowed_types: set[str],
             _: Callable[[str], str]) -> list[str]:
    """What is wrong with the rows, as messages for the user."""
    found = []
    for number, row in enumerate(rows, start=1):
        if not str(row.get("name", "")).strip():
            found.append(_("Variable {n} has no column name").format(n=number))
        elif row.get("type") and row["type"] not in allowed_types:
            found.append(_("Variable {name}: unknown data type {type}").format(
                name=row["name"], type=row["type"]))
    names = [str(r.get("name", "")).strip() for r in rows]
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        found.append(_("Column names used twice: {names}").format(names=", ".join(duplicated)))
    return found
