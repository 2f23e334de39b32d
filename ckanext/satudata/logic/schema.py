"""Input schemas of the satudata actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.validator_args
def wilayah_search(ignore_missing, unicode_safe, natural_number_validator,
                   limit_to_configured_maximum):
    return {
        "q": [ignore_missing, unicode_safe],
        "parent": [ignore_missing, unicode_safe],
        "limit": [ignore_missing, natural_number_validator,
                  limit_to_configured_maximum("ckan.search.rows_max", 50)],
    }
