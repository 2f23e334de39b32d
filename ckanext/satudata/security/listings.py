"""Listings give published datasets only unless private ones are asked for.

CKAN's listing actions widen themselves for a sysadmin (organization_show,
group_show and user_show pass include_private to their search,
current_package_list_with_resources and package_autocomplete skip the
permission labels), so a harvester holding a sysadmin token copies drafts.
Here they answer like package_search: published datasets, plus the private
ones only with ``include_private=true``. Database listings (member_list,
package_list, tags) are held to what the caller may read.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import visibility

__all__ = [
    "organization_show", "group_show", "user_show", "current_package_list_with_resources",
    "package_autocomplete", "package_list", "member_list", "tag_list", "tag_search",
    "tag_autocomplete", "tag_show",
]

_published_only: ContextVar[bool] = ContextVar("satudata_published_only", default=False)


def _sysadmin(context) -> bool:
    return bool(context.get("user")) and authz.is_sysadmin(context.get("user"))


def _private_asked(data_dict) -> bool:
    try:
        return tk.asbool(data_dict.get("include_private", False))
    except ValueError:
        return False


@contextlib.contextmanager
def _listing(context, data_dict):
    """Searches run inside give published datasets only, if a sysadmin did not ask for more."""
    token = _published_only.set(_published_only.get()
                                or (_sysadmin(context) and not _private_asked(data_dict)))
    try:
        yield
    finally:
        _published_only.reset(token)


def narrow_search(params: dict[str, Any]) -> None:
    """Called for every package_search (before_dataset_search)."""
    if _published_only.get():
        params["include_private"] = False
        params["include_drafts"] = False


def _listed(name: str):
    @tk.chained_action
    def action(up_func, context, data_dict):
        with _listing(context, data_dict):
            return up_func(context, data_dict)
    action.__name__ = action.__qualname__ = name
    action.__doc__ = f"CKAN's {name}; for a sysadmin, private datasets only with include_private."
    return action


organization_show = tk.side_effect_free(_listed("organization_show"))
group_show = tk.side_effect_free(_listed("group_show"))


def _own_account(context, data_dict) -> bool:
    caller = model.User.get(context.get("user") or "")
    # the dashboard passes only a User as user_obj; CKAN's other views pass the id
    name_or_id = data_dict.get("id") or getattr(data_dict.get("user_obj"), "name", None)
    return caller is not None and bool(name_or_id) and name_or_id in (caller.name, caller.id)


@tk.side_effect_free
@tk.chained_action
def user_show(up_func, context, data_dict):
    """CKAN's; for a sysadmin, another user's private datasets only with include_private.

    On their own account (the dashboard's "My datasets", their profile) a
    sysadmin sees the datasets they created, drafts too, as every user does."""
    if _own_account(context, data_dict):
        return up_func(context, data_dict)
    with _listing(context, data_dict):
        return up_func(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def current_package_list_with_resources(up_func, context, data_dict):
    """CKAN's, but a sysadmin gets private datasets only with include_private."""
    if _sysadmin(context) and not _private_asked(data_dict):
        # CKAN passes include_private=is_sysadmin to its search; run it as a
        # plain search: package_search(include_private=False) is the same list.
        tk.check_access("current_package_list_with_resources", context, data_dict)
        limit = data_dict.get("limit")
        offset = data_dict.get("offset", 0)
        if "offset" not in data_dict and "page" in data_dict and limit:
            offset = (int(data_dict["page"]) - 1) * int(limit)
        found = tk.get_action("package_search")(
            dict(context), {"q": "", "rows": limit, "start": offset, "include_private": False})
        return found.get("results", [])
    return up_func(context, data_dict)


def _readable(context, pkg_ids) -> set[str]:
    """Of PKG_IDS, those the caller may read; for a sysadmin published ones
    unless include_private asked for more (see module docstring)."""
    public = visibility.published(pkg_ids)
    if context.get("ignore_auth"):
        return set(pkg_ids)
    rest = set(pkg_ids) - public
    user = model.User.get(context.get("user") or "") if context.get("user") else None
    labels = set(visibility.user_labels(user))
    for pkg_id in rest:
        pkg = model.Package.get(pkg_id)
        if pkg is not None and labels & set(visibility.dataset_labels(pkg)):
            public.add(pkg_id)
    return public


@tk.side_effect_free
@tk.chained_action
def package_autocomplete(up_func, context, data_dict):
    """CKAN's, but a sysadmin's answer holds published datasets only (no labels apply)."""
    if not _sysadmin(context) or _private_asked(data_dict):
        return up_func(context, data_dict)
    # CKAN cuts at LIMIT before we filter: ask for more, so hidden matches
    # cannot crowd the published ones out.
    limit = tk.asint(data_dict.get("limit", 10))
    found = up_func(context, dict(data_dict, limit=max(limit * 10, 100)))
    keep = visibility.published([d["name"] for d in found], column="name")
    return [d for d in found if d["name"] in keep][:limit]


@tk.side_effect_free
@tk.chained_action
def package_list(up_func, context, data_dict):
    """CKAN's (names or, in API v2, ids of public datasets), held to the workflow's rule too."""
    found = up_func(context, data_dict)
    column = "id" if context.get("api_version") == 2 else "name"
    keep = visibility.published(found, column=column)
    return [key for key in found if key in keep]


@tk.side_effect_free
@tk.chained_action
def member_list(up_func, context, data_dict):
    """CKAN's, without datasets the caller may not read (CKAN lists every one)."""
    found = up_func(context, data_dict)
    pkg_ids = [m[0] for m in found if m[1] == "package"]
    if not pkg_ids:
        return found
    if _sysadmin(context) and not _private_asked(data_dict):
        keep = visibility.published(pkg_ids)
    elif _sysadmin(context):
        keep = set(pkg_ids)
    else:
        keep = _readable(context, pkg_ids)
    return [m for m in found if m[1] != "package" or m[0] in keep]


def _public_tag_names(names) -> set[str]:
    names = list(names)
    if not names:
        return set()
    rows = (model.Session.query(model.Tag.name, model.PackageTag.package_id)
            .join(model.PackageTag, model.PackageTag.tag_id == model.Tag.id)
            .filter(model.Tag.name.in_(names), model.PackageTag.state == "active")
            .all())
    public = visibility.published({pkg_id for _, pkg_id in rows})
    return {name for name, pkg_id in rows if pkg_id in public}


def _tags_held(found):
    """Tags used by at least one published dataset: a tag only drafts carry names them."""
    names = [t["name"] if isinstance(t, dict) else t for t in found]
    keep = _public_tag_names(names)
    return [t for t, n in zip(found, names) if n in keep]


def _held_tags(name: str):
    @tk.chained_action
    def action(up_func, context, data_dict):
        return _tags_held(up_func(context, data_dict))
    action.__name__ = action.__qualname__ = name
    action.__doc__ = f"CKAN's {name}, with tags of published datasets only."
    return tk.side_effect_free(action)


tag_list = _held_tags("tag_list")
tag_autocomplete = _held_tags("tag_autocomplete")


@tk.side_effect_free
@tk.chained_action
def tag_search(up_func, context, data_dict):
    """CKAN's, with tags of published datasets only (count after filtering)."""
    found = dict(up_func(context, data_dict))
    found["results"] = _tags_held(found.get("results", []))
    found["count"] = len(found["results"])
    return found


@tk.side_effect_free
@tk.chained_action
def tag_show(up_func, context, data_dict):
    """CKAN's; a tag no published dataset carries is not found, as a missing one."""
    found = up_func(context, data_dict)
    if not _tags_held([found["name"]]):
        raise tk.ObjectNotFound()
    # Its datasets come from the index, unvalidated: links and relationships
    # to unpublished datasets are dropped there too.
    visibility.hide_unpublished_references(found.get("packages") or [])
    return found
