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


@tk.validator_args
def workflow_transition(not_empty, unicode_safe, ignore_missing, int_validator,
                        convert_to_json_if_string, dict_only):
    return {
        "id": [not_empty, unicode_safe],
        "action": [not_empty, unicode_safe],
        "to": [ignore_missing, unicode_safe],
        "comment": [ignore_missing, unicode_safe],
        "field_notes": [ignore_missing, convert_to_json_if_string, dict_only],
        "version": [ignore_missing, int_validator],
    }


@tk.validator_args
def workflow_show(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def workflow_queue(ignore_missing, boolean_validator):
    return {"overdue_only": [ignore_missing, boolean_validator]}


@tk.validator_args
def schema_infer(not_empty, unicode_safe, ignore_missing, natural_number_validator):
    return {"resource_id": [not_empty, unicode_safe],
            "sample_rows": [ignore_missing, natural_number_validator]}
