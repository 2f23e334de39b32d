"""Template helpers of the satudata plugin (registered by tk.blanket.helpers)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["satudata_region", "satudata_role_organizations"]


def satudata_region() -> dict[str, str]:
    """The region this portal serves, as configured."""
    return {
        "code": tk.config.get("ckanext.satudata.region.code"),
        "name": tk.config.get("ckanext.satudata.region.name"),
    }


def satudata_role_organizations() -> dict[str, str]:
    """Slugs of the organizations that stand for the Walidata and the Pembina Data."""
    return {
        "walidata": tk.config.get("ckanext.satudata.walidata_organization"),
        "pembina": tk.config.get("ckanext.satudata.pembina_organization"),
    }

