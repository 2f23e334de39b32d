"""ckanext-scheming's dataset plugin, letting a draft be saved page by page.

ckanext-scheming 3.1 validates the required fields of every form page when
the first page is saved (its #386; `draft_fields_required` only comes with
CKAN 2.12), so a multi-page form such as MS-Keg could never be started.
CKAN's stage flow saves pages with ``state=draft``; for those saves only
"missing value" errors are dropped, every other check still applies, and the
workflow's completeness gate refuses to submit a dataset whose required
fields are still empty. This is INDAH's own split between fields required
for a draft and fields required for submission.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckanext.scheming.plugins import SchemingDatasetsPlugin


def is_draft(data_dict: dict) -> bool:
    return data_dict.get("state") == "draft"


def without_missing(errors: dict) -> dict:
    """ERRORS less the ones that only say a field is still empty."""
    missing = {tk._("Missing value"), tk._("Add at least one entry")}
    kept = {}
    for field, messages in errors.items():
        if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
            messages = [m for m in messages if m not in missing]
        if messages:
            kept[field] = messages
    return kept


class SatudataSchemingPlugin(SchemingDatasetsPlugin):
    def validate(self, context, data_dict, schema, action):
        data, errors = super().validate(context, data_dict, schema, action)
        if errors and is_draft(data_dict):
            errors = without_missing(errors)
        return data, errors
