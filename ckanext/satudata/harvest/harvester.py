"""The ``satudata`` harvester: a Satu Data portal harvesting another one.

For a portal that runs this extension and harvests portals that run it too (a
province harvesting its regencies). It is ckanext-harvest's CKAN harvester
(``package_search`` paging, incremental runs, organization filters, ``api_key``)
with these differences:

- every scheme field and the dataset type (dataset, kegiatan, indikator) are kept:
  the copy is created through this portal's schemas, so nothing goes to extras
  (the source's data.go.id-named extras, harvest/national.py, are dropped);
- the source's OPD becomes a local organization, matched by name (``organization_map``
  or ``organization_prefix`` + the source's name), created from the source's
  ``organization_show`` when missing;
- links to kegiatan and indikator follow the copies of the linked records (by id,
  asked of the source), so they never point to a same-named record of another source;
- only published datasets are imported (a private one is refused);
- copies skip this portal's review: a copy goes straight to the workflow's public
  state with one audit event ``harvest`` naming the source (workflow/service.py:
  ``follow_source``); it was reviewed where it was produced;
- withdrawals: ``satudata_tombstone_list`` of the source, since the last run; the
  copy of a withdrawn dataset is withdrawn here too (tombstone state, event
  ``harvest_withdraw`` with the source's reason) or deleted (``"withdrawn": "delete"``);
- a staged revision published at the source updates the copy (its
  ``metadata_modified`` changed there).

Source config (JSON), on top of the CKAN harvester's keys::

    {"withdrawn": "withdraw" | "delete",          # default "withdraw"
     "organization_prefix": "kab-pasuruan-",      # default ""
     "organization_map": {"dinkes": "dinkes-kab-pasuruan"}}
"""
from __future__ import annotations

import datetime
import json
import logging
from typing import Any
from urllib.parse import quote, urlencode

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.harvest.harvesters.ckanharvester import (CKANHarvester, ContentFetchError,
                                                      RemoteResourceError)
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

from ckanext.satudata.harvest import national
from ckanext.satudata.workflow import service

log = logging.getLogger(__name__)

WITHDRAWN_MODES = ("withdraw", "delete")
#: Scheme fields that link to other records by name.
LINK_FIELDS = ("kegiatan", "indikator")
#: What the source computes for a resource; this portal computes its own.
_RESOURCE_COMPUTED = ("validation_status", "validation_timestamp", "url_type", "revision_id",
                      "datastore_active")
#: What the source adds to a dataset dict for its own readers.
_DATASET_COMPUTED = ("satudata_state", "organization", "creator_user_id", "relationships_as_object",
                     "relationships_as_subject", "tracking_summary")
TOMBSTONE_PAGE = 1000
#: The CKAN harvester's margin for clocks apart, used for tombstones too.
_MARGIN = datetime.timedelta(hours=1)


class SatudataHarvester(CKANHarvester):
    """ckanext-harvest's CKAN harvester for Satu Data sources (see the module)."""

    def info(self) -> dict[str, str]:
        return {
            "name": "satudata",
            "title": "Satu Data (ckanext-satudata)",
            "description": "Portal Satu Data lain yang memakai ckanext-satudata: semua field "
                           "standar data, jenis dataset, OPD dan penarikan ikut dipanen.",
            "form_config_interface": "Text",
        }

    # ------------------------------------------------------------ config

    def validate_config(self, config: str) -> str:
        config = super().validate_config(config)
        if not config:
            return config
        values = json.loads(config)
        if values.get("withdrawn", "withdraw") not in WITHDRAWN_MODES:
            raise ValueError("withdrawn must be one of: " + ", ".join(WITHDRAWN_MODES))
        if not isinstance(values.get("organization_prefix", ""), str):
            raise ValueError("organization_prefix must be a string")
        mapping = values.get("organization_map", {})
        if not isinstance(mapping, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
            raise ValueError("organization_map must map source organization names to local names")
        return config

    def _set_config(self, config_str):
        super()._set_config(config_str)
        # Organizations are always mapped here (modify_package_dict); groups are not
        # part of a Satu Data portal.
        self.config.pop("remote_orgs", None)
        self.config.pop("remote_groups", None)

    # ------------------------------------------------------------ gather

    def gather_stage(self, harvest_job) -> list[str] | None:
        self._cache = {}
        ids = super().gather_stage(harvest_job)
        # kegiatan and indikator first: data sektoral link to them
        if ids:
            order, position = {"kegiatan": 0, "indikator": 1}, {i: n for n, i in enumerate(ids)}
            objects = model.Session.query(HarvestObject).filter(HarvestObject.id.in_(ids)).all()
            ids = [o.id for o in sorted(objects, key=lambda o: (
                order.get(json.loads(o.content).get("type"), 2), position[o.id]))]
        try:
            withdrawn = self._gather_tombstones(harvest_job)
        except (ContentFetchError, ValueError, KeyError) as e:
            self._save_gather_error(f"Unable to read satudata_tombstone_list: {e}", harvest_job)
            return ids
        return (ids or []) + withdrawn if (ids is not None or withdrawn) else ids

    def _gather_tombstones(self, harvest_job) -> list[str]:
        """One harvest object (extra status=withdrawn) per tombstone of the source whose
        dataset this source's harvests copied and whose copy is still here."""
        base = harvest_job.source.url.rstrip("/")
        params: dict[str, Any] = {"limit": TOMBSTONE_PAGE, "offset": 0}
        last = self.last_error_free_job(harvest_job)
        if last is not None and not self.config.get("force_all", False):
            params["since"] = (last.gather_started - _MARGIN).isoformat()
        found = []
        while True:
            url = f"{base}{self._get_action_api_offset()}/satudata_tombstone_list?{urlencode(params)}"
            page = json.loads(self._get_content(url))["result"]
            found += page["results"]
            params["offset"] += TOMBSTONE_PAGE
            if params["offset"] >= page["count"] or not page["results"]:
                break
        copies = dict(model.Session.query(HarvestObject.guid, HarvestObject.package_id)
                      .join(model.Package, model.Package.id == HarvestObject.package_id)
                      .filter(HarvestObject.harvest_source_id == harvest_job.source.id,
                              HarvestObject.current == True,  # noqa: E712
                              HarvestObject.guid.in_([t["id"] for t in found] or [""]),
                              model.Package.state == "active").all())
        ids = []
        for stone in found:
            if stone["id"] not in copies:
                continue
            obj = HarvestObject(guid=stone["id"], job=harvest_job, package_id=copies[stone["id"]],
                                content=json.dumps(stone),
                                extras=[HarvestObjectExtra(key="status", value="withdrawn")])
            obj.save()
            ids.append(obj.id)
        return ids

    # ------------------------------------------------------------ import

    def import_stage(self, harvest_object):
        if not hasattr(self, "_cache"):
            self._cache = {}
        self._set_config(harvest_object.job.source.config)
        if _extra(harvest_object, "status") == "withdrawn":
            return self._withdraw(harvest_object)
        remote = json.loads(harvest_object.content or "{}")
        if remote.get("private", False):
            self._save_object_error(f"{remote.get('name')} is not published at the source: not imported",
                                    harvest_object, "Import")
            return False
        result = super().import_stage(harvest_object)
        if result is True or result == "unchanged":
            pkg = model.Package.get(remote["id"])
            if pkg is not None and pkg.state == "active":
                service.follow_source(pkg, self._user(), public=True, action="harvest",
                                      comment=harvest_object.job.source.url)
        return result

    def modify_package_dict(self, package_dict: dict, harvest_object) -> dict:
        source = harvest_object.job.source.url.rstrip("/")
        national.strip(package_dict)
        remote_org = package_dict.get("organization") or {}
        for key in _DATASET_COMPUTED:
            package_dict.pop(key, None)
        package_dict.pop("groups", None)
        for resource in package_dict.get("resources", []):
            for key in _RESOURCE_COMPUTED:
                resource.pop(key, None)
        if remote_org.get("name"):
            package_dict["owner_org"] = self._local_organization(source, remote_org["name"])
        for field in LINK_FIELDS:
            if field in package_dict:
                package_dict[field] = self._local_links(source, package_dict[field])
        return package_dict

    def _user(self) -> model.User:
        return model.User.get(self._get_user_name())

    def _context(self) -> dict[str, Any]:
        return {"model": model, "session": model.Session, "user": self._get_user_name(),
                "ignore_auth": True}

    def _local_organization(self, source: str, remote_name: str) -> str:
        """The id of the local organization of the source's REMOTE_NAME (made if missing)."""
        key = ("org", source, remote_name)
        if key in self._cache:
            return self._cache[key]
        mapping = self.config.get("organization_map") or {}
        name = mapping.get(remote_name) or (self.config.get("organization_prefix") or "") + remote_name
        try:
            org = tk.get_action("organization_show")(self._context(), {"id": name})
        except tk.ObjectNotFound:
            try:
                remote = self._get_organization(source, remote_name)
            except RemoteResourceError:
                remote = {"title": remote_name}
            fields = _organization_fields()
            wanted = {k: v for k, v in remote.items() if k in fields and v not in (None, "")}
            wanted["name"] = name
            org = tk.get_action("organization_create")(self._context(), wanted)
            log.info("Organization %s made for %s of %s", name, remote_name, source)
        self._cache[key] = org["id"]
        return org["id"]

    def _local_links(self, source: str, value: Any) -> Any:
        """VALUE's names of records at the source, as names of their copies here; links to
        a record that has no copy here are left out (logged)."""
        many = isinstance(value, list)
        names = value if many else ([value] if value else [])
        local = []
        for remote_name in names:
            key = ("link", source, remote_name)
            if key not in self._cache:
                self._cache[key] = self._local_copy_name(source, remote_name)
            if self._cache[key]:
                local.append(self._cache[key])
            else:
                log.warning("%s links to %s, which has no copy here: link left out",
                            source, remote_name)
        return local if many else (local[0] if local else "")

    def _local_copy_name(self, source: str, remote_name: str) -> str | None:
        url = f"{source}{self._get_action_api_offset()}/package_show?id={quote(remote_name)}"
        try:
            remote_id = json.loads(self._get_content(url))["result"]["id"]
        except (ContentFetchError, ValueError, KeyError, TypeError):
            return None
        pkg = model.Package.get(remote_id)
        return pkg.name if pkg is not None and pkg.state == "active" else None

    def _withdraw(self, harvest_object) -> bool:
        stone = json.loads(harvest_object.content)
        pkg = model.Package.get(harvest_object.package_id)
        if pkg is None or pkg.state != "active":
            return "unchanged"
        source = harvest_object.job.source.url.rstrip("/")
        mode = self.config.get("withdrawn", "withdraw")
        if mode == "withdraw" and service.workflow_of(pkg) is not None:
            reason = stone.get("reason") or ""
            event = service.follow_source(pkg, self._user(), public=False, action="harvest_withdraw",
                                          comment=f"{source}: {reason}" if reason else source)
            if event is None:
                return "unchanged"
            _make_current(harvest_object, pkg.id)
            return True
        tk.get_action("package_delete")(self._context(), {"id": pkg.id})
        # not current: ckanext-harvest reports the object as deleted
        (model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg.id)
         .update({"current": False}))
        harvest_object.current = False
        harvest_object.save()
        return True


def _make_current(harvest_object, package_id: str) -> None:
    (model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id)
     .update({"current": False}))
    harvest_object.package_id, harvest_object.current = package_id, True
    harvest_object.save()


def _extra(harvest_object, key: str) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == key), None)


def _organization_fields() -> set[str]:
    schema = tk.get_action("scheming_organization_schema_show")({}, {"type": "organization"})
    return {f["field_name"] for f in schema["fields"]} | {"image_url"}
