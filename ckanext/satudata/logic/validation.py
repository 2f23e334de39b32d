"""Actions about resource validation (imported into logic/action.py)."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.logic import validate

from ckanext.satudata import msvar
from ckanext.satudata.logic import schema
from ckanext.satudata.net import fetch
from ckanext.satudata.validation import inference, jobs, reading, report


@tk.side_effect_free
@validate(schema.schema_infer)
def satudata_schema_infer(context, data_dict) -> dict[str, Any]:
    """Guess a resource's Table Schema (MS-Var columns) from its file.

    Reads at most ``sample_rows`` rows with the layout validation uses
    (encoding, delimiter, sheet, header row). Nothing is saved: the producer
    confirms or edits the result, which is then stored as the resource's
    ``variabel`` rows (resource_patch) and validated.

    :param resource_id: id of a CSV/XLSX resource
    :type resource_id: string
    :param sample_rows: rows to read (default ``ckanext.satudata.validation.infer_sample_rows``)
    :type sample_rows: int
    :returns: ``{"schema": Table Schema, "variabel": MS-Var rows, "layout": {format,
        encoding, delimiter, sheet, header_row}, "rows_sampled": n,
        "number_format": {decimal_char, group_char} (only for Indonesian numbers)}``
    :rtype: dict
    """
    tk.check_access("satudata_schema_infer", context, data_dict)
    resource = tk.get_action("resource_show")(dict(context), {"id": data_dict["resource_id"]})
    sample = data_dict.get("sample_rows") or tk.config.get(
        "ckanext.satudata.validation.infer_sample_rows")
    options = resource.get("validation_options") or {}
    if isinstance(options, str):
        options = json.loads(options) if options.strip() else {}
    try:
        with jobs.local_copy(resource) as path:
            if path is None:
                raise tk.ValidationError({"resource_id": [tk._("The uploaded file is missing")]})
            result = inference.infer(path, resource.get("format") or "", options, int(sample))
    except reading.Unreadable as problem:
        what, fix = report.explain({"type": problem.code, **problem.details})
        raise tk.ValidationError({"file": [f"{what} {fix}"]})
    except fetch.FetchError as problem:
        # The reason only: what the link answered stays out of the message.
        raise tk.ValidationError({"url": [problem.message("file")]})
    except OSError:
        raise tk.ValidationError({"url": [tk._("The file could not be fetched.")]})
    result["variabel"] = msvar.variables(result["schema"])
    return result
