"""What a dataset search may ask Solr: nothing that reaches past the caller's results.

CKAN 2.11's package_search forwards exactly ``ckan.lib.search.query.VALID_SOLR_PARAMETERS``
to Solr (any other key is refused by the query): q, fq, fq_list, fl, sort, rows, start,
facet, facet.field, facet.limit, facet.mincount, qf, bf, boost, tie, mm, defType, df, wt
(``extras``/``ext_*`` stay in CKAN). The permission labels filter the *results*, but
several of these read the whole index: ``facet.mincount=0`` lists every term of a field,
drafts' included; function queries (``docfreq()``, ``termfreq()``…) in fl, sort, bf or
boost and a function ``defType`` read index-wide statistics; local params ``{!…}`` switch
parsers (join, frange…); fl transformers (``[explain]``, ``[child]``…) and sorting on text
fields fail or explain the index. Each parameter is therefore held to what the portal
itself uses, and a request asking for more is refused (HTTP 400, the message names the
parameter) rather than silently changed, so a client learns why its answer differs.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from ckan.lib.search.query import VALID_SOLR_PARAMETERS

from ckanext.satudata import search

_ = tk._

# Keys package_search consumes itself before the query reaches Solr.
CKAN_KEYS = frozenset({"include_private", "include_drafts", "include_deleted",
                       "use_default_schema", "abort_search", "extras"})
# Read whole-index statistics or run arbitrary functions: no safe form.
REFUSED = frozenset({"bf", "boost"})
# CKAN's own parsers (dismax by default, the standard one for fielded queries).
DEF_TYPES = frozenset({"dismax", "edismax", "lucene"})
# Facets the portal shows (search.FACET_ORDER) and CKAN's default "groups".
FACET_FIELDS = frozenset(search.FACET_ORDER) | {"groups"}
# Stored fields a result may carry: the dataset's own dicts and plain metadata.
FL_FIELDS = frozenset({
    "id", "name", "title", "notes", "url", "version", "type", "dataset_type", "state",
    "owner_org", "organization", "license_id", "author", "maintainer", "metadata_created",
    "metadata_modified", "num_resources", "num_tags", "tags", "groups", "res_format",
    "res_name", "validated_data_dict", "data_dict", "score", "kelengkapan",
}) | set(search.FACETS)
# Single-valued, untokenized fields Solr can sort on.
SORT_FIELDS = frozenset({"score", "id", "name", "title_string", "metadata_modified",
                         "metadata_created", "views_recent", "views_total", "kelengkapan"})
SORT_RE = re.compile(r"^\s*([A-Za-z_]+)\s+(asc|desc)\s*$")
QF_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\^\d+(\.\d+)?)?$")
MM_RE = re.compile(r"^[0-9<>%\- ]{1,40}$")
LOCAL_PARAMS = "{!"


def refuse(param: str, message: str) -> None:
    raise SearchQueryError(_("Search parameter {param}: {message}").format(
        param=param, message=message))


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [str(k) for k in value] + [str(v) for v in value.values()]
    return [str(value)]


def _as_list(value: Any) -> list[str]:
    """facet.field / fl arrive as a list, a JSON list or a space/comma separated string."""
    values = [value] if isinstance(value, str) else [str(v) for v in (value or [])]
    return [v for text in values for v in re.split(r"[\s,]+", text) if v]


def check(params: dict[str, Any]) -> dict[str, Any]:
    """Refuse (SearchQueryError) any parameter that could reveal an unreadable dataset.

    Also keeps ``+capacity:public`` as a filter of its own when private datasets
    are not asked for: CKAN prepends it to the caller's ``fq`` string, where a
    leading ``OR`` in that ``fq`` makes it optional (classic parser with q.op=AND),
    which opens drafts to a sysadmin token used without include_private.
    """
    unknown = sorted(k for k in params
                     if k not in VALID_SOLR_PARAMETERS and k not in CKAN_KEYS)
    if unknown:
        refuse(", ".join(unknown), _("not supported"))
    for key in sorted(REFUSED & set(params)):
        refuse(key, _("not supported"))
    for key, value in params.items():
        if key == "extras":
            continue
        if any(LOCAL_PARAMS in text for text in _texts(value)):
            refuse(key, _("local parameters ({!...}) are not supported"))

    def_type = params.get("defType")
    if def_type not in (None, "") and def_type not in DEF_TYPES:
        refuse("defType", _("must be one of {values}").format(values=", ".join(sorted(DEF_TYPES))))
    if params.get("wt") not in (None, "", "json"):
        refuse("wt", _("must be json"))
    params["df"] = "text"

    fields = _as_list(params.get("facet.field"))
    bad = [f for f in fields if f not in FACET_FIELDS]
    if bad:
        refuse("facet.field", _("{fields} cannot be faceted; allowed: {allowed}").format(
            fields=", ".join(bad), allowed=", ".join(sorted(FACET_FIELDS))))
    if "facet.mincount" in params:
        try:
            mincount = int(params["facet.mincount"])
        except (TypeError, ValueError):
            mincount = 0
        if mincount < 1:
            refuse("facet.mincount", _("must be at least 1"))
    if str(params.get("facet", "true")).lower() not in ("true", "false", "on", "off"):
        refuse("facet", _("must be true or false"))

    bad = [f for f in _as_list(params.get("fl")) if f not in FL_FIELDS]
    if bad:
        refuse("fl", _("{fields} cannot be returned; allowed: {allowed}").format(
            fields=", ".join(bad), allowed=", ".join(sorted(FL_FIELDS))))
    sort = params.get("sort")
    if sort not in (None, "", "rank"):
        for part in str(sort).split(","):
            match = SORT_RE.match(part)
            if not match or match.group(1) not in SORT_FIELDS:
                refuse("sort", _("sort by one of {fields}, then asc or desc").format(
                    fields=", ".join(sorted(SORT_FIELDS))))
    if params.get("qf") not in (None, ""):
        if not all(QF_RE.match(f) for f in str(params["qf"]).split()):
            refuse("qf", _("field names with an optional ^weight only"))
    if params.get("mm") not in (None, "") and not MM_RE.match(str(params["mm"])):
        refuse("mm", _("not a minimum-match expression"))
    if params.get("tie") not in (None, ""):
        try:
            if not 0 <= float(params["tie"]) <= 1:
                raise ValueError
        except (TypeError, ValueError):
            refuse("tie", _("must be a number between 0 and 1"))
    fq_list = params.get("fq_list")
    if fq_list is not None and not isinstance(fq_list, list):
        refuse("fq_list", _("must be a list"))

    if not tk.asbool(params.get("include_private", False)):
        params["fq_list"] = list(fq_list or []) + ["+capacity:public"]
    return params
