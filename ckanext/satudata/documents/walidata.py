"""The Walidata's organization profile, whose fields make every document's letterhead."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def profile() -> dict[str, Any]:
    """``organization_show`` of ``ckanext.satudata.walidata_organization`` (the profile
    is public); the site's title alone when none is configured or it is missing."""
    reference = tk.config.get("ckanext.satudata.walidata_organization")
    if reference:
        try:
            return tk.get_action("organization_show")(
                {"ignore_auth": True}, {"id": reference, "include_datasets": False,
                                        "include_users": False, "include_groups": False,
                                        "include_tags": False, "include_followers": False,
                                        "include_extras": True})
        except tk.ObjectNotFound:
            pass
    return {"name": "", "title": tk.config.get("ckan.site_title") or "Satu Data"}
