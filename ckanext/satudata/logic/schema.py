"""Input schemas of the satudata actions."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk


@tk.validator_args
def dataset_link_search(not_empty, ignore_missing, unicode_safe, one_of, natural_number_validator,
                        limit_to_configured_maximum):
    return {
        "q": [ignore_missing, unicode_safe],
        "type": [not_empty, one_of(["kegiatan", "indikator", "dataset"])],
        "limit": [ignore_missing, natural_number_validator,
                  limit_to_configured_maximum("ckan.search.rows_max", 20)],
    }


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
def lembar_pengesahan(not_empty, unicode_safe):
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


def _whole_number(low: int, high: int, message: str):
    def validator(value):
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise tk.Invalid(tk._(message))
        if not low <= number <= high:
            raise tk.Invalid(tk._(message))
        return number
    return validator


@tk.validator_args
def epss_report(ignore_missing, unicode_safe, isodate):
    """A period as dates (date_from … date_to) or as a year, optionally one quarter of it."""
    return {
        "organization": [ignore_missing, unicode_safe],
        "date_from": [ignore_missing, isodate],
        "date_to": [ignore_missing, isodate],
        # tk._ is applied when the message is raised; these strings are its msgids.
        "year": [ignore_missing, _whole_number(2000, 2100, "Give a year from 2000 to 2100")],
        "quarter": [ignore_missing, _whole_number(1, 4, "Give a quarter from 1 to 4")],
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


@tk.validator_args
def revision_create(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def revision_discard(not_empty, unicode_safe, ignore_missing):
    return {"id": [not_empty, unicode_safe], "reason": [ignore_missing, unicode_safe]}


def iso_date(value):
    """A calendar date, YYYY-MM-DD."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Use a date as YYYY-MM-DD, e.g. 2026-12-31"))


REQUEST_STATUSES = ("open", "fulfilled", "cancelled")


@tk.validator_args
def request_create(not_empty, unicode_safe, ignore_missing, default, strip_value):
    return {
        "title": [not_empty, unicode_safe, strip_value, not_empty],
        "description": [ignore_missing, unicode_safe],
        "organization": [not_empty, unicode_safe],
        "due_date": [ignore_missing, iso_date],
        "dataset_type": [default("dataset"), unicode_safe],
    }


@tk.validator_args
def request_show(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def request_list(ignore_missing, unicode_safe, one_of, boolean_validator, default,
                 natural_number_validator):
    return {
        "organization": [ignore_missing, unicode_safe],
        "status": [ignore_missing, one_of(REQUEST_STATUSES)],
        "overdue": [ignore_missing, boolean_validator],
        "limit": [default(100), natural_number_validator, _at_most(1000)],
        "offset": [default(0), natural_number_validator],
    }


@tk.validator_args
def request_update(not_empty, unicode_safe, ignore_missing, strip_value):
    return {
        "id": [not_empty, unicode_safe],
        "title": [ignore_missing, unicode_safe, strip_value, not_empty],
        "description": [ignore_missing, unicode_safe],
        "due_date": [ignore_missing, iso_date],
        "dataset_type": [ignore_missing, unicode_safe],
    }


@tk.validator_args
def request_cancel(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe], "reason": [not_empty, unicode_safe]}


@tk.validator_args
def request_fulfil(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe], "dataset_id": [not_empty, unicode_safe]}


@tk.validator_args
def request_report(ignore_missing):
    return {"since": [ignore_missing, utc_datetime], "until": [ignore_missing, utc_datetime]}


def id_list(value):
    """Dataset ids or names: a list, or one string separated by commas or spaces."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise tk.Invalid(tk._("Give a list of dataset ids or names"))
    if not value:
        raise tk.Invalid(tk._("Missing value"))
    if len(value) > 1000:
        raise tk.Invalid(tk._("At most {maximum}").format(maximum=1000))
    return [v.strip() for v in value]


@tk.validator_args
def workflow_bulk_transition(not_empty, unicode_safe, ignore_missing, convert_to_json_if_string,
                             dict_only):
    return {
        "ids": [not_empty, id_list],
        "action": [not_empty, unicode_safe],
        "to": [ignore_missing, unicode_safe],
        "comment": [ignore_missing, unicode_safe],
        "field_notes": [ignore_missing, convert_to_json_if_string, dict_only],
    }


@tk.validator_args
def schema_infer(not_empty, unicode_safe, ignore_missing, natural_number_validator):
    return {"resource_id": [not_empty, unicode_safe],
            "sample_rows": [ignore_missing, natural_number_validator]}


@tk.validator_args
def jabatan_list(not_empty, unicode_safe):
    return {"organization": [not_empty, unicode_safe]}


@tk.validator_args
def jabatan_set(not_empty, unicode_safe, ignore_missing):
    return {"organization": [not_empty, unicode_safe], "user": [not_empty, unicode_safe],
            "jabatan": [ignore_missing, unicode_safe]}


@tk.validator_args
def template_export(ignore_missing, unicode_safe, boolean_validator):
    return {"id": [ignore_missing, unicode_safe], "organization": [ignore_missing, unicode_safe],
            "include_private": [ignore_missing, boolean_validator]}


@tk.validator_args
def template_import(not_empty):
    return {"upload": [not_empty]}


# ------------------------------------------------------------------ daftar data sektoral


def max_length(maximum: int):
    """Text of at most MAXIMUM characters (a pasted document is refused, not cut)."""
    def validator(value):
        if value is not None and len(str(value)) > maximum:
            raise tk.Invalid(tk._("At most {maximum} characters").format(maximum=maximum))
        return value
    return validator


def optional_iso_date(value):
    """A date as YYYY-MM-DD, or empty (None: use the default)."""
    if value in (None, ""):
        return None
    return iso_date(value)


DAFTAR_STATES = ("draft", "sent")


@tk.validator_args
def daftar_create(not_empty, unicode_safe, ignore_missing, strip_value, default):
    return {
        "period": [not_empty, unicode_safe, strip_value, not_empty, max_length(100)],
        "notes": [default(""), unicode_safe, max_length(5000)],
        "entry_due_date": [ignore_missing, optional_iso_date],
    }


@tk.validator_args
def daftar_update(not_empty, unicode_safe, ignore_missing, strip_value):
    return {
        "id": [not_empty, unicode_safe],
        "period": [ignore_missing, unicode_safe, strip_value, not_empty, max_length(100)],
        "notes": [ignore_missing, unicode_safe, max_length(5000)],
        "entry_due_date": [ignore_missing, optional_iso_date],
    }


@tk.validator_args
def daftar_show(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def daftar_list(ignore_missing, one_of, default, natural_number_validator):
    return {
        "state": [ignore_missing, one_of(DAFTAR_STATES)],
        "limit": [default(100), natural_number_validator, _at_most(1000)],
        "offset": [default(0), natural_number_validator],
    }


@tk.validator_args
def daftar_entry(not_empty, unicode_safe, ignore_missing, strip_value, default):
    """One entry: what an OPD is to deliver, with free standar data hints."""
    return {
        "organization": [not_empty, unicode_safe],
        "title": [not_empty, unicode_safe, strip_value, not_empty, max_length(500)],
        "standar_data": [default(""), unicode_safe, strip_value, max_length(500)],
        "satuan": [default(""), unicode_safe, strip_value, max_length(100)],
        "frekuensi": [default(""), unicode_safe, strip_value, max_length(100)],
        "notes": [default(""), unicode_safe, max_length(5000)],
        "dataset_type": [default("dataset"), unicode_safe],
        "due_date": [ignore_missing, optional_iso_date],
    }


@tk.validator_args
def daftar_entry_add(not_empty, unicode_safe):
    entry = daftar_entry()
    entry.pop("__before", None)
    return {"id": [not_empty, unicode_safe], "entries": entry}


@tk.validator_args
def daftar_entry_update(not_empty, unicode_safe, ignore_missing, strip_value):
    return {
        "id": [not_empty, unicode_safe],
        "organization": [ignore_missing, unicode_safe],
        "title": [ignore_missing, unicode_safe, strip_value, not_empty, max_length(500)],
        "standar_data": [ignore_missing, unicode_safe, strip_value, max_length(500)],
        "satuan": [ignore_missing, unicode_safe, strip_value, max_length(100)],
        "frekuensi": [ignore_missing, unicode_safe, strip_value, max_length(100)],
        "notes": [ignore_missing, unicode_safe, max_length(5000)],
        "dataset_type": [ignore_missing, unicode_safe],
        "due_date": [ignore_missing, optional_iso_date],
    }


@tk.validator_args
def daftar_entry_delete(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def daftar_letter(not_empty, unicode_safe):
    return {"id": [not_empty, unicode_safe], "organization": [not_empty, unicode_safe]}
