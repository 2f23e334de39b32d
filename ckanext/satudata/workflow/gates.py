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

from ckanext.satudata import completeness as completeness_score, lang
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


def registry() -> dict[str, Gate]:
    from ckanext.satudata.indah import romantik

    gates: dict[str, Gate] = {"completeness": completeness, "validation": validation,
                              "rekomendasi_bps": romantik.gate}
    for plugin in p.PluginImplementations(ISatudataWorkflowGates):
        gates.update(plugin.get_workflow_gates())
    return gates


def check(names: list[str], dataset: dict) -> list[str]:
    gates = registry()
    return [problem for name in names for problem in gates[name](dataset)]
