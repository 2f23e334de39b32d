"""The INDAH keys of workflow definitions (indah: report, indah_statuses)."""
from __future__ import annotations

import copy

from ckanext.satudata.tests.workflow.test_definition import VALID, _problems, _transition, _write
from ckanext.satudata.workflow import definition


def test_pasuruan_reports_to_indah_and_maps_its_decisions():
    pasuruan = definition.load("pasuruan")
    assert [(t.from_states, t.to) for t in pasuruan.transitions if t.indah == "report"] == [
        (("diperiksa_walidata",), "direview_pembina"), (("diperbaiki_walidata",), "persetujuan_pembina")]
    assert {s: (m.action, m.to) for s, m in pasuruan.indah_statuses.items()} == {
        "APPROVED": ("approve", None), "CORRECTION_REQUIRED": ("return", "diperbaiki_walidata")}
    assert pasuruan.transition("persetujuan_pembina", "approve").to == "disetujui"


def test_indah_keys_are_checked_at_load(tmp_path):
    data = copy.deepcopy(VALID)
    _transition(data, "publish")["indah"] = "kirim"
    data["indah_statuses"] = {"APPROVED": {"action": "approve"}, "DISETUJUI": {"action": "publish"},
                              "REJECTED": {"action": "reject", "to": "terpublikasi", "by": "x"}}
    problems = _problems(tmp_path, data)
    assert "transition #4 (publish): indah must be one of report, not 'kirim'" in problems
    assert "INDAH status 'APPROVED': no transition 'approve'" in problems
    assert any(p.startswith("INDAH status 'DISETUJUI': unknown") for p in problems)
    assert "INDAH status 'REJECTED': no transition 'reject' to 'terpublikasi'" in problems
    assert any("INDAH status 'REJECTED': unknown key 'by'" in p for p in problems)


def test_a_workflow_without_indah_keys_still_loads(tmp_path):
    _write(tmp_path, VALID)
    loaded = definition.load("uji", tmp_path)
    assert dict(loaded.indah_statuses) == {} and all(t.indah == "" for t in loaded.transitions)
