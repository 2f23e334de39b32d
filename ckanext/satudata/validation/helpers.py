"""Template helpers of the validation pages and badges (registered by satudata_validation)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import g, has_request_context
from markupsafe import Markup, escape
from ckanext.validation import settings as validation_settings

from ckanext.satudata import lang, request_memo
from ckanext.satudata.validation import report, state

# Worst first: the dataset's badge shows the worst status of its files.
_SEVERITY = (state.ERROR, state.FAILURE, None, state.RUNNING, state.PENDING, state.SUCCESS)


def _checked(pkg: dict[str, Any], formats) -> list[dict[str, Any]]:
    return [r for r in pkg.get("resources", []) if (r.get("format") or "").lower() in formats]


def _prefetched() -> dict[str, Any] | None:
    """This request's badges made by satudata_validation_prefetch, by dataset id
    (None outside a request)."""
    if not has_request_context():
        return None
    return g.setdefault("satudata_validation_badges", {})


def satudata_validation_prefetch(packages: list[dict[str, Any]] | None) -> str:
    """Make the badges of every listed dataset, their files' statuses looked up in one query.

    A listing shows a badge per dataset; without this each badge asked the
    database on its own (20 queries a search page), and working each badge out
    on its own cost more than the query. Each badge made here is used once, by
    the next badge of its dataset in this request. Returns '' (called from a template).
    """
    badges = _prefetched()
    if badges is None or not packages:
        return ""
    formats = validation_settings.get_supported_formats()
    files = {pkg["id"]: _checked(pkg, formats) for pkg in packages if pkg.get("id")}
    rows = state.statuses(r["id"] for resources in files.values() for r in resources if r.get("id"))
    for pkg_id, resources in files.items():
        badges[pkg_id] = _badge([_status(r, rows.get(r.get("id"))) for r in resources])
    return ""


def _status(resource: dict[str, Any], row: Any) -> str | None:
    # Listings come from the search index, written before a check was queued.
    return state.status_name(row.status) if row else resource.get("validation_status") or None


def _file_statuses(pkg: dict[str, Any]) -> list[tuple[dict[str, Any], str | None]]:
    """(resource, status) of each of the dataset's CSV/XLSX resources."""
    resources = _checked(pkg, validation_settings.get_supported_formats())
    live = state.statuses([r["id"] for r in resources])
    return [(resource, _status(resource, live.get(resource["id"]))) for resource in resources]


def _worst(statuses: list[str | None]) -> str | None:
    return min(statuses, key=lambda s: _SEVERITY.index(s) if s in _SEVERITY else 2)


def validated_resources(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's CSV/XLSX resources with their status, label and report link."""
    return [{"id": resource["id"], "name": resource.get("name") or resource["id"],
             "status": status, "label": report.status_label(status),
             "timestamp": resource.get("validation_timestamp"),
             "url": tk.url_for("validation.read", id=pkg.get("name") or pkg["id"],
                               resource_id=resource["id"])}
            for resource, status in _file_statuses(pkg)]


def satudata_validation_summary(pkg: dict[str, Any]) -> dict[str, Any]:
    """{status (the worst), label, resources} of a dataset; status None when nothing to validate."""
    resources = validated_resources(pkg)
    if not resources:
        return {"status": None, "label": "", "resources": []}
    worst = _worst([r["status"] for r in resources])
    return {"status": worst or "none", "label": report.status_label(worst), "resources": resources}


def satudata_validation_badge(pkg: dict[str, Any]) -> Markup:
    """A listing's badge: the worst status of the dataset's files, without the
    files' links and labels (made by satudata_validation_prefetch for a listing)."""
    made = (_prefetched() or {}).pop(pkg.get("id"), None)
    return made if made is not None else _badge([status for _, status in _file_statuses(pkg)])


def _badge(statuses: list[str | None]) -> Markup:
    """Each badge of a status is rendered once a request per language (a snippet's
    render, its label and its translations were most of a listing's time)."""
    if not statuses:
        return Markup("")
    worst = _worst(statuses)
    return request_memo.remembered(
        ("validation_badge", worst, lang.current()),
        lambda: tk.render_snippet("satudata/snippets/validation_badge.html",
                                  {"status": worst or "none", "label": report.status_label(worst)}))


def satudata_validation_label(status: str | None) -> str:
    return report.status_label(status)


def get_validation_badge(resource: dict[str, Any], in_listing: bool = False) -> Markup:
    """Upstream's badge helper, with every status of ours and in the user's language."""
    if in_listing and not tk.asbool(tk.config.get("ckanext.validation.show_badges_in_listings")):
        return Markup("")
    formats = validation_settings.get_supported_formats()
    if (resource.get("format") or "").lower() not in formats:
        return Markup("")
    status = resource.get("validation_status") or "none"
    url = tk.url_for("validation.read", id=resource["package_id"], resource_id=resource["id"])
    return Markup(
        '<a href="{url}" class="satudata-validation-badge status-{status}">'
        '<span class="badge">{label}</span></a>').format(
            url=url, status=escape(status), label=report.status_label(resource.get("validation_status")))


def satudata_validation_groups(validation: dict | None, resource: dict) -> list[dict]:
    limit = tk.config.get("ckanext.satudata.validation.report_examples")
    return report.grouped((validation or {}).get("report"), resource.get("schema"), int(limit),
                          resource=resource)


def satudata_validation_report_summary(validation: dict | None) -> dict[str, Any]:
    return report.summary((validation or {}).get("report"))


def satudata_validation_error_text(validation: dict | None, resource: dict | None = None) -> list[str]:
    """What went wrong when the check itself failed (status ``error``)."""
    error = (validation or {}).get("error") or {}
    if error.get("type"):
        what, fix = report.explain({k: v for k, v in error.items() if k != "message"},
                                   report.fix_messages(resource))
        return [what, fix]
    return [str(m) for m in error.get("message", [])]


def helpers() -> dict[str, Any]:
    return {f.__name__: f for f in (
        satudata_validation_summary, satudata_validation_badge, satudata_validation_prefetch,
        satudata_validation_label, get_validation_badge,
        satudata_validation_groups, satudata_validation_report_summary,
        satudata_validation_error_text)}
