"""What the public pages show, gathered from CKAN's actions as the current user.

Everything is read through package_search / package_show with the visitor's
own context, so permission labels decide what appears; nothing here filters
by state itself.
"""
from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.satudata import codelists, lang
from ckanext.satudata.workflow import calendar, roles, service

# The MS-Keg fields a reader of a dataset needs to judge its source.
KEGIATAN_SUMMARY = ("jenis_statistik", "tahun_kegiatan", "cara_pengumpulan_data",
                    "i_instansi_penyelenggara", "iii_tujuan_kegiatan", "iv_frekuensi_penyelenggaraan",
                    "iv_metode_pengumpulan_data", "identitas_rekomendasi")
# Shown in their own blocks of the dataset page, so not again in "Additional info".
SHOWN_ELSEWHERE = ("id", "title", "name", "notes", "tag_string", "license_id", "owner_org",
                   "konsep", "definisi", "klasifikasi", "ukuran", "satuan", "kegiatan", "indikator",
                   "jadwal_rilis_berikutnya")
LISTED = 5


def _context() -> dict:
    user = tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else ""
    return {"user": user}


def _search(**params) -> dict:
    # include_private=False: the public counts and lists, even for a signed-in producer.
    params.setdefault("fq", "+dataset_type:dataset")
    return tk.get_action("package_search")(_context(), dict(params, include_private=False))


def landing() -> dict[str, Any]:
    """Counts, sectors, OPDs, latest and most viewed published data sektoral (the
    sectors of every published kind)."""
    by_org = published_counts()
    # Every published kind's sectors (a kegiatan's sektor_kegiatan too): what the
    # search page's Sektor facet counts, and each sector's link opens.
    sectors = sorted(
        ({"value": value, "count": count,
          "label": codelists.label("sektor_kegiatan", value, lang.current())}
         for value, count in _published_facets()["vocab_sektor"].items()),
        key=lambda s: (-s["count"], s["label"]))
    opds = [{"name": name, "title": title or name, "count": by_org.get(name, 0),
             "role": organization_role(name)}
            for name, title in _organizations()]
    most_viewed = None
    if p.plugin_loaded("tracking"):
        most_viewed = _search(rows=LISTED, sort="views_recent desc")["results"]
    by_type = type_counts()
    return {
        "datasets": by_type.get("dataset", 0),
        "kegiatan": by_type.get("kegiatan", 0),
        "indikator": by_type.get("indikator", 0),
        "opds": len([n for n, c in by_org.items() if c]),
        "sectors": sectors,
        "organizations": opds,
        "latest": _search(rows=LISTED, sort="metadata_modified desc")["results"],
        "most_viewed": most_viewed,
    }


def published_counts() -> dict[str, int]:
    """Published records (data sektoral, kegiatan, indikator) per OPD name: what
    an OPD's page lists to the public, so the landing page, the OPD list and the
    OPD's page give one number. One search per request (with type_counts and
    the landing page's sectors)."""
    return _published_facets()["organization"]


def type_counts() -> dict[str, int]:
    """Published records per dataset type: the landing page's counts add up to
    what the search page finds."""
    return _published_facets()["dataset_type"]


def _published_facets() -> dict[str, dict[str, int]]:
    cached = getattr(tk.g, "_satudata_published_facets", None)
    if cached is None:
        fields = ["organization", "dataset_type", "vocab_sektor"]
        found = _search(rows=0, fq="", **{"facet.field": json.dumps(fields), "facet.limit": -1})
        cached = {field: {i["name"]: i["count"]
                          for i in found["search_facets"].get(field, {}).get("items", [])}
                  for field in fields}
        tk.g._satudata_published_facets = cached
    return cached


def organization_role(name: str) -> str:
    """The part an organization plays: Walidata, Pembina Data, else Produsen Data
    (labels of the data sektoral workflow's roles)."""
    workflow_name = service.workflow_name("dataset")
    if not workflow_name:
        return ""
    workflow = service.load(workflow_name)
    producer = ""
    for role in workflow.roles.values():
        if role.organization == "owner":
            producer = producer or lang.text(role.label)
        elif roles.organization_of(role, None) == name:
            return lang.text(role.label)
    return producer


def _organizations() -> list[tuple[str, str]]:
    """(name, title) of every active organization, by title. Organizations are
    public in CKAN; organization_list with all_fields stops at 25 (a regency
    has more OPDs) and counts each one's datasets again, so the table is read."""
    rows = (model.Session.query(model.Group.name, model.Group.title)
            .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
            .order_by(model.Group.title, model.Group.name))
    return [(name, title) for name, title in rows]


def readable(name: str | None) -> dict | None:
    """The linked dataset if the visitor may read it (published, or theirs)."""
    if not name:
        return None
    try:
        return tk.get_action("package_show")(_context(), {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def kegiatan_summary(name: str | None) -> dict | None:
    kegiatan = readable(name)
    if not kegiatan:
        return None
    schema = tk.h.scheming_get_dataset_schema(kegiatan["type"])
    fields = [f for f in schema["dataset_fields"]
              if f["field_name"] in KEGIATAN_SUMMARY and kegiatan.get(f["field_name"]) not in (None, "", [])]
    return {"dataset": kegiatan, "schema": schema, "fields": fields,
            "url": tk.h.url_for(f"{kegiatan['type']}.read", id=kegiatan["name"])}


def indicators(names: Any) -> list[dict]:
    if isinstance(names, str):
        try:
            names = json.loads(names)
        except ValueError:
            names = [names]
    found = []
    for name in names or []:
        indikator = readable(name)
        if indikator:
            indikator["url"] = tk.h.url_for(f"{indikator['type']}.read", id=indikator["name"])
            found.append(indikator)
    return found


def extra_fields(pkg: dict, schema: dict) -> list[dict]:
    """Schema fields with a value, not shown in a block of their own."""
    return [f for f in schema.get("dataset_fields", [])
            if f["field_name"] not in SHOWN_ELSEWHERE and f.get("display_snippet", "") is not None
            and pkg.get(f["field_name"]) not in (None, "", [], {})]


def dataset_url(pkg: dict) -> str:
    return tk.h.url_for(f"{pkg.get('type') or 'dataset'}.read", id=pkg["name"], qualified=True)


def citation(pkg: dict, now: datetime.datetime | None = None) -> str:
    """OPD. (year). Title [Dataset]. Portal. URL, accessed on date (the office's
    day at NOW, as the page's other dates: not the server's, which may be UTC's)."""
    now = now or calendar.now()
    today = calendar.WorkCalendar.from_config(tk.config).to_office_time(now).date()
    org = (pkg.get("organization") or {}).get("title") or tk.config.get("ckan.site_title")
    years = pkg.get("tahun_data")
    if isinstance(years, str):
        try:
            years = json.loads(years)
        except ValueError:
            years = [years]
    year = str(max(years)) if years else (pkg.get("metadata_modified") or "")[:4]
    # noon: the day stays the same in whatever timezone the date is displayed
    accessed = tk.h.render_datetime(datetime.datetime.combine(today, datetime.time(12)))
    return tk._("{org}. ({year}). {title} [Dataset]. {portal}. {url}, accessed on {date}.").format(
        org=org, year=year, title=pkg.get("title") or pkg["name"],
        portal=tk.config.get("ckan.site_title"), url=dataset_url(pkg), date=accessed)


def api_snippets(pkg: dict) -> dict[str, str]:
    site = tk.config.get("ckan.site_url").rstrip("/")
    return {
        "curl": f"curl '{site}/api/3/action/package_show?id={pkg['name']}'",
        "python": (
            "from ckanapi import RemoteCKAN\n\n"
            f"portal = RemoteCKAN('{site}')\n"
            f"dataset = portal.action.package_show(id='{pkg['name']}')\n"
            "for resource in dataset['resources']:\n"
            "    print(resource['name'], resource['url'])"),
    }
