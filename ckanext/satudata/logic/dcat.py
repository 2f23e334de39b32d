"""ckanext-dcat's actions, limited to what is disseminated.

DCAT is a dissemination interface: it carries published datasets to everyone,
whoever asks (a producer previews its own drafts on the portal, not through a
harvesting format). Unpublished datasets are already invisible to the public by
their permission labels; here they are also refused to their own OPD and to
sysadmins, so a harvester configured with a privileged token never copies a draft.

The catalog (``/catalog.{fmt}``) lists published datasets only: a DCAT harvester
(ckanext-dcat's) deletes its copy of what left the catalog, so a withdrawn
dataset must simply be absent. Tombstones are served where a harvester asks
for them on purpose: ``satudata_tombstone_list`` and ``/catalog/withdrawn.{fmt}``
(views/dcat.py), never as ``dcat:Dataset``.
"""
from __future__ import annotations

import datetime

from dateutil.parser import parse as dateutil_parse

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.dcat import logic as dcat_logic
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import url_to_rdflib_format

from ckanext.satudata.dcat import page_graph, profile, rdfxml, tombstone, turtle
from ckanext.satudata.harvest import national
from ckanext.satudata.workflow import service


@tk.chained_action
def dcat_dataset_show(up_func, context, data_dict):
    """The RDF of a published dataset, or the tombstone of a withdrawn one.

    Any other state is ``ObjectNotFound`` (HTTP 404) for every caller.
    A withdrawn dataset gives its tombstone graph (``adms:status`` WITHDRAWN),
    which ``/dataset/<id>.<format>`` sends with HTTP 410 (views/dcat.py).
    """
    tk.check_access("dcat_dataset_show", context, data_dict)
    pkg = model.Package.get(data_dict.get("id") or "")
    if pkg is None or pkg.state != "active":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    if service.is_public(pkg):
        return up_func(context, dict(data_dict, format=_rdf_format(data_dict)))
    record = _tombstone(pkg)
    if record is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    tombstone.add(serializer.g, record)
    return serializer.g.serialize(format=url_to_rdflib_format(_rdf_format(data_dict) or "xml"))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(up_func, context, data_dict):
    """The catalog page: published datasets only (no tombstone, see the module)."""
    tk.check_access("dcat_catalog_show", context, data_dict)
    return _catalog(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(up_func, context, data_dict):
    """As ``dcat_catalog_show`` (ckanext-dcat's search variant)."""
    tk.check_access("dcat_catalog_search", context, data_dict)
    return _catalog(context, data_dict)


def _catalog(context, data_dict):
    # package_search without include_private: published datasets only, for any caller.
    data_dict = dict(data_dict, modified_since=_utc_naive(data_dict.get("modified_since")))
    query = dcat_logic._search_ckan_datasets(context, data_dict)
    for result in query["results"]:
        national.strip(result)  # ckanext-dcat would read their "theme" as its own
    pagination = dcat_logic._pagination_info(query, data_dict)
    serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    if _portal_profiles(data_dict):
        serializer.g = page_graph.PageGraph()
    profile.catalog_page(serializer.g, query["results"])
    return serializer.serialize_catalog({}, query["results"], _format=_rdf_format(data_dict),
                                        pagination_info=pagination)


def _portal_profiles(data_dict) -> bool:
    """Whether the output is the portal's (its ``satudata`` profile among those asked for).

    Only the portal's output is built in its own graph (dcat/page_graph.py) and, as
    Turtle, written by its own writer (dcat/turtle.py: rdflib's serializer took half a
    catalog page's time, bench/README.md); profile sets without ``satudata`` give
    ckanext-dcat's output as it is, the baseline bench/dissemination.py compares with.
    """
    profiles = data_dict.get("profiles") or tk.config.get("ckanext.dcat.rdf.profiles", "").split()
    if isinstance(profiles, str):
        profiles = profiles.replace(",", " ").split()
    return "satudata" in profiles


def _rdf_format(data_dict) -> str | None:
    """The portal's profiles go to the portal's writers: Turtle (dcat/turtle.py) and
    RDF/XML (dcat/rdfxml.py: rdflib's pretty writer loses MS-Var columns)."""
    fmt = data_dict.get("format")
    if not _portal_profiles(data_dict):
        return fmt
    writers = {"turtle": turtle.FORMAT, "pretty-xml": rdfxml.FORMAT}
    return writers.get(url_to_rdflib_format(fmt or "xml"), fmt)


def _utc_naive(value: str | None) -> str | None:
    """ckanext-dcat appends "Z" to modified_since: give it UTC without a zone."""
    if not value:
        return None
    try:
        moment = dateutil_parse(value)
    except (ValueError, OverflowError):
        raise tk.ValidationError({"modified_since": [
            tk._("Use an ISO 8601 date or date-time, e.g. 2026-11-21T08:00:00Z")]})
    if moment.tzinfo:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.isoformat()


def _tombstone(pkg: model.Package) -> dict | None:
    try:
        return tk.get_action("satudata_tombstone_show")({"ignore_auth": True}, {"id": pkg.id})
    except tk.ObjectNotFound:
        return None
