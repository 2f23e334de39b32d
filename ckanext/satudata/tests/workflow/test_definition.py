"""Workflow definitions: the shipped files, every load-time rule, the SOP numbers."""
from __future__ import annotations

import copy

import pytest
import yaml

from ckanext.satudata.workflow import definition
from ckanext.satudata.workflow.definition import Sla, WorkflowDefinitionError

SHIPPED = ("sdi", "tanjabbar", "pasuruan", "pasuruan_kegiatan")


def _label(text: str) -> dict:
    return {"id": text, "en": text}


# A small valid workflow; each broken case below changes one thing in a fresh copy.
VALID = {
    "name": "uji",
    "title": _label("Uji"),
    "source": "test",
    "roles": {
        "produsen": {"label": _label("Produsen"), "organization": "owner",
                     "capacities": ["editor", "admin"]},
        "walidata": {"label": _label("Walidata"), "organization": "walidata",
                     "capacities": ["editor", "admin"]},
    },
    "states": {
        "draf": {"label": _label("Draf"), "holder": "produsen", "sla": {"working_days": 5}},
        "diperiksa": {"label": _label("Diperiksa"), "holder": "walidata", "sla": {"days": 3}},
        "dikembalikan": {"label": _label("Dikembalikan"), "holder": "produsen",
                         "sla": {"minutes": 30}},
        "terpublikasi": {"label": _label("Terpublikasi"), "public": True},
        "ditarik": {"label": _label("Ditarik"), "tombstone": True},
        "ditolak": {"label": _label("Ditolak")},
    },
    "transitions": [
        {"action": "submit", "from": ["draf", "dikembalikan"], "to": "diperiksa",
         "by": ["produsen"], "gates": ["completeness", "validation"], "label": _label("Ajukan")},
        {"action": "return", "from": ["diperiksa"], "to": "dikembalikan", "by": ["walidata"],
         "reason": "required", "label": _label("Kembalikan")},
        {"action": "reject", "from": ["diperiksa"], "to": "ditolak", "by": ["walidata"],
         "reason": "required", "label": _label("Tolak")},
        {"action": "publish", "from": ["diperiksa"], "to": "terpublikasi", "by": ["walidata"],
         "label": _label("Publikasikan")},
        {"action": "withdraw", "from": ["terpublikasi"], "to": "ditarik", "by": ["walidata"],
         "reason": "required", "label": _label("Tarik")},
    ],
}


def _dump(data) -> str:
    # Key order matters: the first state is where datasets start.
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _write(tmp_path, data, name="uji"):
    (tmp_path / f"{name}.yaml").write_text(_dump(data), encoding="utf-8")


def _problems(tmp_path, data) -> list[str]:
    _write(tmp_path, data)
    with pytest.raises(WorkflowDefinitionError) as raised:
        definition.load("uji", tmp_path)
    return raised.value.problems


def _transition(data, action) -> dict:
    return next(t for t in data["transitions"] if t["action"] == action)


# ---------------------------------------------------------------- shipped files


def test_the_shipped_workflows_are_available():
    assert set(SHIPPED) <= set(definition.available())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_workflow_loads_and_passes_check(name):
    workflow = definition.load(name)
    assert workflow.name == name
    assert definition.check(workflow) == []
    kegiatan = name == "pasuruan_kegiatan"  # steps 1 and 13 of the Pasuruan SOP
    assert workflow.initial_state.id == ("cek_rekomendasi" if kegiatan else "draf")
    assert [s.id for s in workflow.public_states] == (
        ["terpublikasi", "terlaksana"] if kegiatan else ["terpublikasi"])


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_workflow_withdraws_published_data_to_a_tombstone_with_a_reason(name):
    workflow = definition.load(name)
    withdraw = workflow.transition("terpublikasi", "withdraw")
    assert withdraw.reason_required
    assert workflow.state(withdraw.to).tombstone
    assert workflow.is_final(withdraw.to)


def test_load_is_cached():
    assert definition.load("sdi") is definition.load("sdi")


def test_loaded_definitions_cannot_be_changed():
    draf = definition.load("sdi").state("draf")
    with pytest.raises(TypeError):
        draf.label["id"] = "Konsep"
    with pytest.raises(TypeError):
        definition.load("sdi").roles["hacker"] = None
    assert copy.deepcopy(draf) == draf


def test_sdi_happy_path_reaches_the_public_state():
    workflow = definition.load("sdi")
    state = workflow.initial_state.id
    for action, role in [("submit", "produsen"), ("forward", "walidata"),
                         ("approve", "pembina"), ("publish", "walidata")]:
        step = workflow.transition(state, action)
        assert step is not None, f"no {action} from {state}"
        assert role in step.by
        state = step.to
    assert workflow.state(state).public
    assert state == "terpublikasi"


def test_sdi_returns_and_rejections():
    workflow = definition.load("sdi")
    for source, role in [("diperiksa_walidata", "walidata"), ("direview_pembina", "pembina"),
                         ("disetujui", "walidata")]:
        step = workflow.transition(source, "return")
        assert (step.to, step.by, step.reason_required) == ("dikembalikan", (role,), True)
    reject = workflow.transition("diperiksa_walidata", "reject")
    assert reject.to == "ditolak" and reject.reason_required
    assert workflow.is_final("ditolak") and workflow.state("ditolak").holder is None
    assert workflow.transition("draf", "publish") is None
    assert workflow.transition("terpublikasi", "request_revision") is None
    assert [t.action for t in workflow.transitions_from("diperiksa_walidata")] == [
        "forward", "reject", "return"]
    assert workflow.transition("draf", "submit").gates == ("completeness", "validation")
    assert workflow.transition("direview_pembina", "approve").gates == ("validation",)


def test_tanjabbar_climbs_every_level_and_each_level_can_return():
    workflow = definition.load("tanjabbar")
    path = [("submit", "produsen"), ("forward", "walidata"), ("forward", "walidata"),
            ("forward", "kepala_seksi"), ("forward", "kepala_bidang"),
            ("approve", "kepala_dinas"), ("publish", "walidata")]
    state = "draf"
    for action, role in path:
        step = workflow.transition(state, action)
        assert role in step.by, (state, action)
        state = step.to
    assert state == "terpublikasi"
    for reviewer in ("diperiksa_walidata", "diperiksa_kasi", "diperiksa_kabid",
                     "diperiksa_kadis"):
        step = workflow.transition(reviewer, "return")
        assert step.reason_required and workflow.state(reviewer).holder in step.by


def test_tanjabbar_levels_are_distinct_roles():
    roles = definition.load("tanjabbar").roles
    assert set(roles) == {"produsen", "walidata", "kepala_seksi", "kepala_bidang",
                          "kepala_dinas"}
    assert roles["walidata"].capacities == ("member", "editor")
    assert roles["kepala_seksi"].capacities == ("editor",)
    assert roles["kepala_bidang"].capacities == roles["kepala_dinas"].capacities == ("admin",)
    assert {r.organization for name, r in roles.items() if name != "produsen"} == {"walidata"}


def test_pasuruan_bps_returns_to_the_walidata_or_to_the_opd():
    workflow = definition.load("pasuruan")
    with pytest.raises(ValueError, match="say which"):
        workflow.transition("direview_pembina", "return")
    to_walidata = workflow.transition("direview_pembina", "return", to="diperbaiki_walidata")
    to_opd = workflow.transition("direview_pembina", "return", to="dikembalikan")
    assert to_walidata.by == to_opd.by == ("pembina",)
    assert workflow.state(to_walidata.to).holder == "walidata"
    assert workflow.state(to_opd.to).holder == "produsen"
    # After the Walidata's correction BPS only approves (15 minutes), and the data is public
    # once the Walidata publishes.
    fixed = workflow.transition("diperbaiki_walidata", "forward")
    approved = workflow.transition(fixed.to, "approve")
    assert workflow.state(workflow.transition(approved.to, "publish").to).public


# ---------------------------------------------------------------- SLAs and the SOPs

# Every SLA of the shipped files, against the SOP numbers of notes/workflow.md
# (sdi: the portal's defaults; None: the state holds no SLA).
EXPECTED_SLAS = {
    "sdi": {
        "draf": Sla(5, "working_days"), "diperiksa_walidata": Sla(3, "working_days"),
        "direview_pembina": Sla(3, "working_days"), "disetujui": Sla(3, "working_days"),
        "dikembalikan": Sla(5, "working_days"),
        "terpublikasi": None, "ditarik": None, "ditolak": None,
    },
    "tanjabbar": {
        "draf": Sla(60, "working_days"),             # step 2: delivery
        "diperiksa_walidata": None,                  # within step 2
        "dikembalikan": Sla(60, "working_days"),     # step 2 again
        "diolah": Sla(75, "working_days"),           # steps 3 (60) + 4 (15)
        "diperiksa_kasi": Sla(1, "working_days"),    # step 5
        "diperiksa_kabid": Sla(1, "working_days"),   # step 6
        "diperiksa_kadis": Sla(1, "working_days"),   # step 7
        "disetujui": Sla(1, "working_days"),         # step 8
        "terpublikasi": None, "ditarik": None,
    },
    "pasuruan": {
        "draf": Sla(1, "days"),                      # step 2
        "diperiksa_walidata": Sla(3, "days"),        # step 3
        "dikembalikan": Sla(30, "minutes"),          # steps 4, 5
        "direview_pembina": Sla(3, "days"),          # step 9
        "diperbaiki_walidata": Sla(30, "minutes"),   # step 10
        "persetujuan_pembina": Sla(15, "minutes"),   # step 11
        "disetujui": Sla(3, "days"),                 # step 12
        "terpublikasi": None, "ditarik": None,
    },
    "pasuruan_kegiatan": {
        "cek_rekomendasi": Sla(15, "minutes"),       # step 1
        "draf": Sla(1, "days"),                      # step 2
        "diperiksa_walidata": Sla(3, "days"),        # step 3
        "dikembalikan": Sla(30, "minutes"),          # steps 4, 5
        "rekomendasi_bps": Sla(15, "minutes"),       # step 6
        "pelaporan_metadata": Sla(30, "minutes"),    # step 7
        "pelaporan_indah": Sla(30, "minutes"),       # step 8
        "direview_pembina": Sla(3, "days"),          # step 9
        "diperbaiki_walidata": Sla(30, "minutes"),   # step 10
        "persetujuan_pembina": Sla(15, "minutes"),   # step 11
        "disetujui": Sla(3, "days"),                 # step 12
        "terpublikasi": Sla(3, "days"),              # step 13
        "terlaksana": None, "ditarik": None,
    },
}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_sla_parses_and_matches_the_sop(name):
    workflow = definition.load(name)
    assert {s.id: s.sla for s in workflow.states.values()} == EXPECTED_SLAS[name]
    for state in workflow.states.values():
        if state.sla:
            assert state.sla.unit in definition.SLA_UNITS and state.sla.amount > 0
            assert state.holder, f"{state.id} has an SLA but nobody holds it"


def test_the_kegiatan_path_agrees_with_pasuruan_where_they_share_a_state():
    """pasuruan_kegiatan.yaml repeats the states it shares with pasuruan.yaml (same ids,
    so a kegiatan moved from one to the other carries on): their SLAs, holders and
    editors must not drift apart. terpublikasi differs on purpose (step 13)."""
    data, kegiatan = definition.load("pasuruan"), definition.load("pasuruan_kegiatan")
    shared = (set(data.states) & set(kegiatan.states)) - {"terpublikasi"}
    assert shared == {"draf", "diperiksa_walidata", "dikembalikan", "direview_pembina",
                      "diperbaiki_walidata", "persetujuan_pembina", "disetujui", "ditarik"}
    for state in shared:
        a, b = data.state(state), kegiatan.state(state)
        assert (a.sla, a.holder, a.editors, a.public, a.tombstone) == \
            (b.sla, b.holder, b.editors, b.public, b.tombstone), state
    assert data.roles == kegiatan.roles


def test_pasuruan_kegiatan_steps_1_6_7_13():
    """Step 1 ends in one of two gated steps; step 6 (BPS) only on the path of a kegiatan
    that needs a recommendation, completed behind the recommendation gate; step 13 after
    publication, the OPD's, ending in a public state of its own."""
    workflow = definition.load("pasuruan_kegiatan")
    assert workflow.initial_state.id == "cek_rekomendasi"
    request = workflow.transition("cek_rekomendasi", "forward", to="draf")
    skip = workflow.transition("cek_rekomendasi", "forward", to="pelaporan_metadata")
    assert (request.gates, skip.gates) == (("perlu_rekomendasi",), ("rekomendasi_bps",))
    issue = workflow.transition("rekomendasi_bps", "approve")
    assert issue.by == ("pembina",) and issue.to == "pelaporan_metadata"
    assert "rekomendasi_bps" in issue.gates
    assert workflow.state("rekomendasi_bps").holder == "pembina"
    report = workflow.transition("pelaporan_indah", "forward")
    assert report.indah == "report" and "rekomendasi_bps" in report.gates
    done = workflow.transition("terpublikasi", "forward")
    assert done.by == ("produsen",) and workflow.state(done.to).public
    assert workflow.state("terpublikasi").holder == "produsen"
    # A correction of the metadata goes back to step 7, never to the recommendation pass.
    for state in ("direview_pembina", "persetujuan_pembina", "diperbaiki_walidata",
                  "pelaporan_indah"):
        assert {t.to for t in workflow.transitions_from(state) if t.action == "return"} <= {
            "pelaporan_metadata", "diperbaiki_walidata"}


def test_sla_spot_checks():
    tanjabbar, pasuruan = definition.load("tanjabbar"), definition.load("pasuruan")
    assert tanjabbar.state("draf").sla == Sla(60, "working_days")
    assert tanjabbar.state("diperiksa_kasi").sla == Sla(1, "working_days")
    assert pasuruan.state("diperiksa_walidata").sla == Sla(3, "days")
    assert pasuruan.state("dikembalikan").sla == Sla(30, "minutes")
    assert pasuruan.state("persetujuan_pembina").sla == Sla(15, "minutes")


# ---------------------------------------------------------------- rules checked at load


@pytest.fixture
def valid(tmp_path):
    _write(tmp_path, VALID)
    return copy.deepcopy(VALID)


def test_days_are_working_days_unless_the_workflow_says_calendar_days(tmp_path, valid):
    workflow = definition.load("uji", tmp_path)
    assert workflow.days_are == "working_days"
    assert workflow.clock_unit(Sla(3, "days")) == "working_days"
    assert workflow.clock_unit(Sla(30, "minutes")) == "minutes"
    valid["days_are"] = "calendar_days"
    other = definition._parse(valid)[0]
    assert other.clock_unit(Sla(3, "days")) == "days"


def test_shipped_clock_settings():
    pasuruan, tanjabbar = definition.load("pasuruan"), definition.load("tanjabbar")
    # Pasuruan's "Hari" reads as working days, said in its file.
    assert pasuruan.days_are == "working_days"
    assert pasuruan.clock_unit(pasuruan.state("diperiksa_walidata").sla) == "working_days"
    # A returned delivery of Tanjabbar's step 2 resumes its 60 working days.
    assert tanjabbar.state("dikembalikan").sla_on_return == "resume"
    assert tanjabbar.state("draf").sla_on_return == "restart"
    assert {s.sla_on_return for s in definition.load("sdi").states.values()} == {"restart"}


def test_valid_example_loads(tmp_path, valid):
    workflow = definition.load("uji", tmp_path)
    assert workflow.initial_state.id == "draf"
    assert workflow.is_final("ditolak") and not workflow.is_final("terpublikasi")
    assert workflow.state("draf").sla == Sla(5, "working_days")


def _unreachable(d):
    d["states"]["terlupa"] = {"label": _label("Terlupa"), "holder": "walidata"}
    d["transitions"].append({"action": "publish", "from": ["terlupa"], "to": "terpublikasi",
                             "by": ["walidata"], "label": _label("P")})


def _dead_end(d):
    d["states"]["macet"] = {"label": _label("Macet"), "holder": "walidata"}
    d["transitions"].append({"action": "forward", "from": ["diperiksa"], "to": "macet",
                             "by": ["walidata"], "label": _label("F")})


def _review_loop_without_exit(d):
    d["states"]["a"] = {"label": _label("A"), "holder": "walidata"}
    d["states"]["b"] = {"label": _label("B"), "holder": "produsen"}
    d["transitions"] += [
        {"action": "forward", "from": ["diperiksa"], "to": "a", "by": ["walidata"],
         "label": _label("F")},
        {"action": "return", "from": ["a"], "to": "b", "by": ["walidata"],
         "reason": "required", "label": _label("R")},
        {"action": "submit", "from": ["b"], "to": "a", "by": ["produsen"], "label": _label("S")},
    ]


def _final_state_with_holder(d):
    d["states"]["ditolak"]["holder"] = "walidata"


def _unknown_role_in_by(d):
    _transition(d, "publish")["by"] = ["walidata", "bupati"]


def _unknown_holder(d):
    d["states"]["diperiksa"]["holder"] = "bupati"


def _unknown_to_state(d):
    _transition(d, "publish")["to"] = "terbit"


def _unknown_from_state(d):
    _transition(d, "submit")["from"] = ["draf", "revisi"]


def _unknown_gate(d):
    _transition(d, "submit")["gates"] = ["completeness", "signature"]


def _unknown_action(d):
    _transition(d, "publish")["action"] = "release"


def _return_without_reason(d):
    del _transition(d, "return")["reason"]


def _reject_with_optional_reason(d):
    _transition(d, "reject")["reason"] = "optional"


def _withdraw_without_reason(d):
    del _transition(d, "withdraw")["reason"]


def _no_public_state(d):
    del d["states"]["terpublikasi"]["public"]


def _tombstone_not_after_public(d):
    _transition(d, "withdraw")["from"] = ["terpublikasi", "draf"]


def _tombstone_first(d):
    d["states"] = {"ditarik": d["states"].pop("ditarik"), **d["states"]}


def _public_and_tombstone(d):
    d["states"]["ditarik"]["public"] = True


def _withdraw_without_tombstone(d):
    d["states"]["ditarik"]["tombstone"] = False


def _state_label_lacks_en(d):
    del d["states"]["draf"]["label"]["en"]


def _role_label_lacks_id(d):
    d["roles"]["walidata"]["label"] = {"en": "Data steward"}


def _transition_without_label(d):
    del _transition(d, "submit")["label"]


def _title_lacks_en(d):
    d["title"] = {"id": "Uji"}


def _name_is_not_the_file(d):
    d["name"] = "lain"


def _unknown_capacity(d):
    d["roles"]["walidata"]["capacities"] = ["editor", "kepala"]


def _misspelt_key(d):
    d["states"]["diperiksa"]["holdr"] = d["states"]["diperiksa"].pop("holder")


def _sla_in_weeks(d):
    d["states"]["draf"]["sla"] = {"weeks": 1}


def _sla_zero(d):
    d["states"]["draf"]["sla"] = {"working_days": 0}


def _sla_as_text(d):
    d["states"]["draf"]["sla"] = {"days": "3"}


def _same_transition_twice(d):
    d["transitions"].append(copy.deepcopy(_transition(d, "publish")))


def _no_by(d):
    del _transition(d, "publish")["by"]


def _unknown_editor(d):
    d["states"]["draf"]["editors"] = ["produsen", "bupati"]


def _editors_of_a_public_state(d):
    d["states"]["terpublikasi"]["editors"] = ["produsen"]


def _editors_of_a_tombstone(d):
    d["states"]["ditarik"]["editors"] = ["walidata"]


def _resume_without_a_return(d):
    d["states"]["draf"]["sla_on_return"] = "resume"


def _resume_without_an_sla(d):
    del d["states"]["dikembalikan"]["sla"]
    d["states"]["dikembalikan"]["sla_on_return"] = "resume"


def _sla_on_return_unknown(d):
    d["states"]["dikembalikan"]["sla_on_return"] = "continue"


def _days_are_unknown(d):
    d["days_are"] = "hari_kerja"


BROKEN = [
    (_unknown_editor, "state 'draf': 'editors' names unknown role 'bupati'"),
    (_editors_of_a_public_state, "state 'terpublikasi': a public state has no editors"),
    (_editors_of_a_tombstone, "state 'ditarik': a tombstone state has no editors"),
    (_resume_without_a_return, "state 'draf': sla_on_return: resume but no 'return' leads here"),
    (_resume_without_an_sla, "state 'dikembalikan': sla_on_return: resume needs an sla"),
    (_sla_on_return_unknown,
     "state 'dikembalikan': 'sla_on_return' must be one of restart, resume, not 'continue'"),
    (_days_are_unknown,
     "the workflow: 'days_are' must be one of working_days, calendar_days, not 'hari_kerja'"),
    (_unreachable, "state 'terlupa' is unreachable from the first state 'draf'"),
    (_dead_end, "state 'macet' is a dead end: it waits on 'walidata'"),
    (_review_loop_without_exit, "state 'a' has no way out"),
    (_final_state_with_holder, "state 'ditolak' is a dead end"),
    (_unknown_role_in_by, "transition #4 (publish): 'by' names unknown role 'bupati'"),
    (_unknown_holder, "state 'diperiksa': holder 'bupati' is an unknown role"),
    (_unknown_to_state, "transition #4 (publish): 'to' names unknown state 'terbit'"),
    (_unknown_from_state, "transition #1 (submit): 'from' names unknown state 'revisi'"),
    (_unknown_gate, "transition #1 (submit): unknown gate 'signature'"),
    (_unknown_action, "transition #4 (release): unknown action 'release'"),
    (_return_without_reason, "transition #2 (return): 'return' must have reason: required"),
    (_reject_with_optional_reason, "transition #3 (reject): 'reject' must have reason: required"),
    (_withdraw_without_reason, "transition #5 (withdraw): 'withdraw' must have reason: required"),
    (_no_public_state, "no state is public"),
    (_tombstone_not_after_public,
     "transition #5 (withdraw): leads to tombstone 'ditarik' from 'draf', which is not public"),
    (_tombstone_first, "the first state 'ditarik' is a tombstone"),
    (_public_and_tombstone, "state 'ditarik': both public and tombstone"),
    (_withdraw_without_tombstone,
     "transition #5 (withdraw): 'withdraw' must lead to a tombstone state, 'ditarik' is not one"),
    (_state_label_lacks_en, "state 'draf': label lacks 'en'"),
    (_role_label_lacks_id, "role 'walidata': label lacks 'id'"),
    (_transition_without_label, "transition #1 (submit): label lacks 'id'"),
    (_title_lacks_en, "the workflow's title: label lacks 'en'"),
    (_name_is_not_the_file, "name 'lain' is not the file's name 'uji'"),
    (_unknown_capacity, "role 'walidata': unknown capacity 'kepala'"),
    (_misspelt_key, "state 'diperiksa': unknown key 'holdr'"),
    (_sla_in_weeks, "state 'draf': sla must be one of"),
    (_sla_zero, "state 'draf': sla must be one of"),
    (_sla_as_text, "state 'draf': sla must be one of"),
    (_same_transition_twice, "'publish' from 'diperiksa' to 'terpublikasi' is defined twice"),
    (_no_by, "transition #4 (publish): no role in 'by'"),
]


@pytest.mark.parametrize("breaks, message", BROKEN, ids=[b.__name__[1:] for b, _ in BROKEN])
def test_a_broken_definition_fails_naming_the_problem(tmp_path, valid, breaks, message):
    breaks(valid)
    problems = _problems(tmp_path, valid)
    assert any(message in p for p in problems), problems


# Found while reading the file (shape, keys, SLAs) or by load() (only it knows the file name).
NOT_CHECK = {_name_is_not_the_file, _misspelt_key, _sla_in_weeks, _sla_zero, _sla_as_text,
             _sla_on_return_unknown, _days_are_unknown}
RULES = [(b, m) for b, m in BROKEN if b not in NOT_CHECK]


@pytest.mark.parametrize("breaks, message", RULES, ids=[b.__name__[1:] for b, _ in RULES])
def test_check_finds_the_rule_breaks(valid, breaks, message):
    breaks(valid)
    workflow, parse_problems = definition._parse(valid)
    assert parse_problems == []
    assert any(message in p for p in definition.check(workflow)), definition.check(workflow)


def test_the_error_names_the_file_and_lists_every_problem(tmp_path, valid):
    _unknown_gate(valid)
    _no_public_state(valid)
    _state_label_lacks_en(valid)
    _write(tmp_path, valid)
    with pytest.raises(WorkflowDefinitionError) as raised:
        definition.load("uji", tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'uji.yaml'}: ")
    assert "unknown gate 'signature'" in message
    assert "no state is public" in message
    assert "label lacks 'en'" in message
    assert message.count("; ") >= 2
    assert raised.value.file == tmp_path / "uji.yaml"


def test_a_key_given_twice_is_refused(tmp_path):
    text = _dump(VALID).replace("states:\n", "states:\n  draf:\n    label: {id: A, en: A}\n", 1)
    (tmp_path / "uji.yaml").write_text(text)
    with pytest.raises(WorkflowDefinitionError, match="'draf' appears twice"):
        definition.load("uji", tmp_path)


def test_an_unquoted_comma_in_a_label_is_reported(tmp_path):
    text = _dump(VALID).replace("title:\n  id: Uji\n  en: Uji\n",
                                "title: {id: Uji, coba, en: Test}\n")
    assert "coba" in text
    (tmp_path / "uji.yaml").write_text(text)
    with pytest.raises(WorkflowDefinitionError, match="quote texts that contain a comma"):
        definition.load("uji", tmp_path)


def test_gates_added_by_plugins_can_be_allowed(tmp_path, valid):
    _unknown_gate(valid)
    _write(tmp_path, valid)
    with pytest.raises(WorkflowDefinitionError):
        definition.load("uji", tmp_path)
    gates = definition.KNOWN_GATES + ("signature",)
    assert definition.load("uji", tmp_path, gates).transition("draf", "submit").gates == (
        "completeness", "signature")


def test_an_unknown_workflow_names_those_available(tmp_path, valid):
    with pytest.raises(WorkflowDefinitionError, match="no such workflow; available: uji"):
        definition.load("kabupaten", tmp_path)
    with pytest.raises(WorkflowDefinitionError, match="not a workflow name"):
        definition.load("../uji", tmp_path)
    assert definition.available(tmp_path) == ["uji"]


def test_invalid_yaml_is_reported(tmp_path):
    (tmp_path / "uji.yaml").write_text("name: uji\nstates: [unclosed\n")
    with pytest.raises(WorkflowDefinitionError, match="not valid YAML"):
        definition.load("uji", tmp_path)


# ---------------------------------------------------------------- editors


@pytest.mark.parametrize("name", definition.available())
def test_shipped_workflows_let_the_producer_edit_only_its_own_states(name):
    """The producer edits exactly the states it holds (draft, returned); nobody edits
    a public or withdrawn dataset in place."""
    workflow = definition.load(name)
    for state in workflow.states.values():
        owner_editors = {r for r in state.editors if workflow.roles[r].organization == "owner"}
        # pasuruan_kegiatan's terpublikasi is the OPD's (step 13) but, public, edited by nobody.
        held_by_owner = (bool(state.holder) and not state.public
                         and workflow.roles[state.holder].organization == "owner")
        assert bool(owner_editors) == held_by_owner, state.id
        if state.public or state.tombstone or workflow.is_final(state.id):
            assert state.editors == (), state.id


def test_sop_correction_steps_are_edits_of_their_holder():
    """SOP steps where a reviewer "checks and corrects" make that reviewer an editor."""
    tanjabbar, pasuruan = definition.load("tanjabbar"), definition.load("pasuruan")
    assert tanjabbar.editors_of("diperiksa_kasi") == {"kepala_seksi"}
    assert tanjabbar.editors_of("diperiksa_kabid") == {"kepala_bidang"}
    assert pasuruan.editors_of("diperbaiki_walidata") == {"walidata"}
    assert definition.load("sdi").editors_of("disetujui") == frozenset()


def test_publishing_reruns_every_gate_of_the_workflow():
    sdi = definition.load("sdi")
    publish = sdi.transition("disetujui", "publish")
    assert publish.gates == () and set(sdi.gates_of(publish)) == {
        "completeness", "validation", "rekomendasi_bps"}
    forward = sdi.transition("diperiksa_walidata", "forward")
    assert sdi.gates_of(forward) == ("rekomendasi_bps",)
