"""Input schemas of the satudata actions."""
from __future__ import annotations

import datetime

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


def utc_datetime(value):
    """An ISO 8601 date or date-time; one without a zone is taken as UTC."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise tk.Invalid(tk._("Use an ISO 8601 date or date-time, e.g. 2026-11-21T08:00:00Z"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _at_most(maximum: int):
    def validator(value):
        if value > maximum:
            raise tk.Invalid(tk._("At most {maximum}").format(maximum=maximum))
        return value
    return validator


@tk.validator_args
def tombstone_show(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def tombstone_list(ignore_missing, natural_number_validator, default):
    return {
        "since": [ignore_missing, utc_datetime],
        "limit": [default(100), natural_number_validator, _at_most(1000)],
        "offset": [default(0), natural_number_validator],
    }
