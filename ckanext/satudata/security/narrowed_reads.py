"""CKAN read actions whose answers are narrowed to what the caller may see.

Activity listings a sysadmin token reads like a harvester: ckanext-activity gives a sysadmin every activity, including those of drafts
and datasets under review, in the site-wide and per-user listings. A token
used to harvest those listings must get what the public gets, as with
package_search: unpublished datasets' activities only when asked for with
``include_private=True``. Activities of a dataset the caller names
(package_activity_list) and the caller's own dashboard are not listings of
this kind and stay as they are.

group_autocomplete and organization_autocomplete refuse a call without ``q``
(CKAN's KeyError answered 500).

Relationships: CKAN lists a dataset's relationships to any dataset; those to
a dataset the caller cannot read are left out (see workflow/visibility.py).
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import visibility

__all__ = ["package_relationships_list", "group_autocomplete",
           "organization_autocomplete"]
#: Chains of ckanext-activity's actions, registered when that plugin is loaded.
ACTIVITY = ["recently_changed_packages_activity_list", "user_activity_list",
            "dashboard_activity_list"]


def _public_unless_private_asked(name: str):
    """CKAN's NAME; a sysadmin's answer is the public one unless include_private."""
    @tk.chained_action
    def action(up_func, context, data_dict):
        data_dict = dict(data_dict)
        include_private = tk.asbool(data_dict.pop("include_private", False))
        if include_private or not authz.is_sysadmin(context.get("user")):
            return up_func(context, data_dict)
        # The anonymous reader's labels are exactly the public ones; both actions
        # are open to anonymous readers, so their auth checks pass unchanged.
        return up_func(dict(context, user="", auth_user_obj=None), data_dict)
    action.__name__ = action.__qualname__ = name
    action.__doc__ = """:param include_private: a sysadmin's listing includes unpublished datasets
        (default False: published ones only, like package_search)
    :type include_private: bool
    """
    return tk.side_effect_free(action)


recently_changed_packages_activity_list = _public_unless_private_asked(
    "recently_changed_packages_activity_list")
user_activity_list = _public_unless_private_asked("user_activity_list")


@tk.side_effect_free
@tk.chained_action
def dashboard_activity_list(up_func, context, data_dict):
    """A sysadmin's dashboard holds activities of published datasets only, unless it
    asks ``include_private=True`` (its token used by a harvester reads this too).

    :param include_private: include unpublished datasets' activities (default False)
    :type include_private: bool
    """
    data_dict = dict(data_dict)
    include_private = tk.asbool(data_dict.pop("include_private", False))
    found = up_func(context, data_dict)
    if include_private or not authz.is_sysadmin(context.get("user")):
        return found
    datasets = {a["object_id"] for a in found if a.get("activity_type", "").endswith("package")}
    keep = visibility.published(datasets)
    return [a for a in found if a["object_id"] not in datasets or a["object_id"] in keep]


@tk.side_effect_free
@tk.chained_action
def package_relationships_list(up_func, context, data_dict):
    readable = visibility.readable_by(context)
    return [r for r in up_func(context, data_dict)
            if readable(r.get("subject")) and readable(r.get("object"))]


def _needs_q(up_func, context, data_dict):
    # CKAN reads data_dict["q"] unchecked: a missing q was a 500.
    if not data_dict.get("q"):
        raise tk.ValidationError({"q": [tk._("Missing value")]})
    return up_func(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def group_autocomplete(up_func, context, data_dict):
    return _needs_q(up_func, context, data_dict)


@tk.side_effect_free
@tk.chained_action
def organization_autocomplete(up_func, context, data_dict):
    return _needs_q(up_func, context, data_dict)
