"""Checks a transition's `gates:` run before it may happen.

Each gate takes the dataset (as package_show gives it) and returns the
problems it finds, as messages for the user; none means the gate passes.
Other plugins add gates through ISatudataWorkflowGates.
"""
from __future__ import annotations

from typing import Callable

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.validation import settings as validation_settings

from ckanext.satudata import completeness as completeness_score, lang, msvar
from ckanext.satudata.interfaces import ISatudataWorkflowGates
from ckanext.satudata.validation import report as validation_report

Gate = Callable[[dict], list]
_ = tk._


def completeness(dataset: dict) -> list[str]:
    schema = tk.h.scheming_get_dataset_schema(dataset.get("type", "dataset"))
    if not schema:
        return []
    labels = {f["field_name"]: lang.text(f.get("label", f["field_name"]))
              for f in schema["dataset_fields"]}
    problems = []
    # A draft may be saved with required fields empty; it may not be submitted so.
    required = completeness_score.missing_required(schema, dataset)
    if required:
        problems.append(_("Required fields are still empty: {fields}").format(
            fields=", ".join(labels[name] for name in required)))
    minimum = tk.config.get("ckanext.satudata.gate.completeness_min")
    score = completeness_score.score(schema, dataset)
    if score < minimum:
        missing = [labels[name] for name in completeness_score.missing_fields(schema, dataset)]
        problems.append(_("Metadata completeness is {score}%, below the required {minimum}%; "
                          "fill in: {fields}").format(score=score, minimum=minimum,
                                                      fields=", ".join(missing)))
    return problems


def validation(dataset: dict) -> list[str]:
    """Every CSV/XLSX resource passed validation; one message per resource that has not.

    The status is the live one (package_show reads it from the validation
    table): a file still pending or running holds the dataset back too.
    """
    formats = validation_settings.get_supported_formats()
    problems = []
    for resource in dataset.get("resources", []):
        if (resource.get("format") or "").lower() not in formats:
            continue
        status = resource.get("validation_status")
        if status != "success":
            problems.append(_("Resource {name} has not passed validation (status: {status})").format(
                name=resource.get("name") or resource["id"],
                status=validation_report.status_label(status)))
    return problems


# Formats that carry data rather than describe it (a PDF report, a web page, an image
# do not); the tabular ones (ckanext.validation.formats) count too.
DATA_FORMATS = {"json", "geojson", "xml", "api", "ods", "tsv", "shp", "kml", "kmz", "parquet",
                "sav", "dta"}
# What the data standard (MS-Var) asks of every column before submission (variable keys:
# nama, definisi, tipe, konsep).
MSVAR_REQUIRED = ("name", "description", "type", "konsep")


def _carries_data(dataset: dict) -> bool:
    """True when the dataset's scheme has data files at all (kegiatan, indikator do not)."""
    schema = tk.h.scheming_get_dataset_schema(dataset.get("type", "dataset")) or {}
    return bool(schema.get("resource_fields"))


def _tabular(resource: dict) -> bool:
    return (resource.get("format") or "").lower() in validation_settings.get_supported_formats()


def has_data(dataset: dict) -> list[str]:
    """At least one data resource: a file or link in a tabular or data format."""
    if not _carries_data(dataset):
        return []
    formats = DATA_FORMATS | set(validation_settings.get_supported_formats())
    if any(r.get("url") and (r.get("format") or "").lower() in formats
           for r in dataset.get("resources", [])):
        return []
    return [_("The dataset has no data yet: add at least one data file (CSV, XLSX) or a link "
              "to the data; documents such as PDF do not count")]


def _variable_labels(dataset: dict) -> dict[str, str]:
    schema = tk.h.scheming_get_dataset_schema(dataset.get("type", "dataset")) or {}
    found = {}
    for field in schema.get("resource_fields", []):
        for sub in field.get("repeating_subfields") or []:
            found[sub["field_name"]] = lang.text(sub.get("label", sub["field_name"]))
    return found


def msvar_complete(dataset: dict) -> list[str]:
    """Every column of every tabular resource is described as MS-Var asks: name,
    definition, type and concept; a coded column (a value domain) says what each code means."""
    if not _carries_data(dataset):
        return []
    labels = _variable_labels(dataset)
    problems = []
    for resource in dataset.get("resources", []):
        if not _tabular(resource):
            continue
        name = resource.get("name") or resource["id"]
        try:
            variables = msvar.variables(resource.get("schema"))
        except ValueError:
            variables = []
        if not variables:
            problems.append(_("File {name} has no variables (MS-Var) yet: describe its columns")
                            .format(name=name))
            continue
        lacking = []
        for var in variables:
            missing = [labels.get(k, k) for k in MSVAR_REQUIRED if not str(var.get(k) or "").strip()]
            codes = msvar.parse_value_domain(var.get("value_domain", ""))
            if any(not c.get("nilai") for c in codes):
                missing.append(labels.get("value_domain", "value_domain"))
            if missing:
                lacking.append(f"{var.get('name') or '?'} ({', '.join(missing)})")
        if lacking:
            problems.append(_("File {name}: variables not described completely: {variables}")
                            .format(name=name, variables="; ".join(lacking)))
    return problems


def registry() -> dict[str, Gate]:
    from ckanext.satudata.indah import romantik

    gates: dict[str, Gate] = {"completeness": completeness, "validation": validation,
                              "has_data": has_data, "msvar_complete": msvar_complete,
                              "rekomendasi_bps": romantik.gate,
                              "perlu_rekomendasi": romantik.gate_needed}
    for plugin in p.PluginImplementations(ISatudataWorkflowGates):
        gates.update(plugin.get_workflow_gates())
    return gates


def check(names: list[str], dataset: dict) -> list[str]:
    gates = registry()
    return [problem for name in names for problem in gates[name](dataset)]
