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
def timeliness_report(ignore_missing, unicode_safe, isodate):
    return {
        "organization": [ignore_missing, unicode_safe],
        "date_from": [ignore_missing, isodate],
        "date_to": [ignore_missing, isodate],
    }


@tk.validator_args
def notification_list(ignore_missing, boolean_validator, natural_number_validator,
                      limit_to_configured_maximum):
    return {
        "unread_only": [ignore_missing, boolean_validator],
        "limit": [ignore_missing, natural_number_validator,
                  limit_to_configured_maximum("ckan.search.rows_max", 100)],
        "offset": [ignore_missing, natural_number_validator],
    }


@tk.validator_args
def notification_mark_read(ignore_missing, boolean_validator, list_of_strings,
                           as_list):
    return {
        "ids": [ignore_missing, as_list, list_of_strings],
        "all": [ignore_missing, boolean_validator],
    }
