"""Auth functions of ckanext-satudata (registered by tk.blanket.auth_functions)."""
import ckan.plugins.toolkit as tk

__all__ = ["satudata_wilayah_search"]


@tk.auth_allow_anonymous_access
def satudata_wilayah_search(context, data_dict):
    """Region codes are public reference data."""
    return {"success": True}
