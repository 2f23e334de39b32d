"""Actions of ckanext-satudata (registered by tk.blanket.actions)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import codelists, msvar, wilayah
from ckanext.satudata.logic import schema

__all__ = [
    "satudata_wilayah_search",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
]


@tk.side_effect_free
@validate(schema.wilayah_search)
def satudata_wilayah_search(context, data_dict) -> list[dict[str, Any]]:
    """Search the Kemendagri region codes (kode wilayah) shipped with the portal.

    Drives the region autocomplete of the forms and a dependent
    province → kabupaten/kota select.

    :param q: part of a name or the start of a code, e.g. ``pasuruan`` or ``35.1``
    :type q: string
    :param parent: only the children of this code, e.g. ``35``
    :type parent: string
    :param limit: at most this many results (default 10)
    :type limit: int
    :returns: ``[{"kode": "35.14", "nama": "Kabupaten Pasuruan", "tingkat": "kabupaten"}, …]``
    :rtype: list of dicts
    """
    tk.check_access("satudata_wilayah_search", context, data_dict)
    return wilayah.search(data_dict.get("q", ""), limit=int(data_dict.get("limit", 10)),
                          parent=data_dict.get("parent") or None)


# MS-Var rows → Table Schema. Done before CKAN validates, so the stored
# resource keeps one source of truth (``schema``) and ckanext-validation
# checks the result like any schema a client sends.

def _variables_into_schema(resource: dict) -> list[str]:
    rows = msvar.pop_variables(resource)
    if rows is None:
        return []
    found = msvar.problems(rows, codelists.allowed("tipe_data_variabel"), tk._)
    if not found:
        resource["schema"] = msvar.table_schema(rows) if rows else ""
    return found


def _convert_dataset(data_dict: dict) -> None:
    errors = [_variables_into_schema(r) for r in data_dict.get("resources") or []]
    if any(errors):
        raise tk.ValidationError({"resources": [{"variabel": e} if e else {} for e in errors]})


def _convert_resource(data_dict: dict) -> None:
    found = _variables_into_schema(data_dict)
    if found:
        raise tk.ValidationError({"variabel": found})


@tk.chained_action
def package_create(up_func, context, data_dict):
    _convert_dataset(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func, context, data_dict):
    _convert_dataset(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_create(up_func, context, data_dict):
    _convert_resource(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_update(up_func, context, data_dict):
    _convert_resource(data_dict)
    return up_func(context, data_dict)
