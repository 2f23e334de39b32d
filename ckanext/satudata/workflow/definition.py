"""Workflow definitions: the states, roles, transitions and SLAs of an SOP, from YAML.

One file per workflow in ckanext/satudata/workflows/; the format and the rules
checked at load are in the README.md there. Definitions are data so that a
region runs its own SOP by configuration. A broken one must stop CKAN at
start-up rather than strand datasets in a state nobody can leave, so
:func:`load` checks every rule and reports all problems of a file at once.

A file is read once per process (it changes only with a release or a
configuration change, both of which restart CKAN); everything loaded is
immutable, because the cached objects are shared by all requests.
"""
from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Optional, get_args

import yaml

WORKFLOWS_DIR = Path(__file__).resolve().parent.parent / "workflows"

#: Checks a transition may name in ``gates:`` (implemented in gates.py).
KNOWN_GATES = ("completeness", "validation", "has_data", "msvar_complete", "rekomendasi_bps",
               "perlu_rekomendasi")
#: Gates that choose between paths rather than check the record (perlu_rekomendasi: the
#: recommendation pass is for a kegiatan that needs one). A step into a public state
#: does not re-run them: a kegiatan that took the other path is not wrong for it.
PATH_GATES = ("perlu_rekomendasi",)
#: The verbs a transition's ``action`` may be.
ACTIONS = ("submit", "forward", "approve", "return", "reject", "publish", "withdraw",
           "request_revision")
#: Actions that send work back, end it, or take data from the public: the reason is part
#: of the record the producer and the public see, so it may not be left out.
REASON_REQUIRED_ACTIONS = ("return", "reject", "withdraw")
REASONS = ("required", "optional")
#: What a transition's ``indah:`` may say: ``report`` sends the kegiatan to BPS's INDAH.
INDAH_ROLES = ("report",)
#: The statuses INDAH gives a submission (``indah_statuses:`` maps them onto transitions).
INDAH_STATUSES = ("DRAFT", "SUBMITTED", "UNDER_REVIEW", "CORRECTION_REQUIRED", "REVISED",
                  "APPROVED", "REJECTED")
#: CKAN's organization capacities: the only ones a role can be recognised by.
CAPACITIES = ("member", "editor", "admin")
#: Languages every label must have (Indonesian first).
LANGUAGES = ("id", "en")

SlaUnit = Literal["working_days", "days", "hours", "minutes"]
SLA_UNITS: tuple[str, ...] = get_args(SlaUnit)
#: What ``{days: N}`` counts (the workflow's ``days_are``): an SOP's bare "Hari" is read as
#: working days unless the workflow says calendar days.
DAYS_ARE = ("working_days", "calendar_days")
#: What a state's SLA does when a return brings the work back (``sla_on_return``): a fresh
#: SLA, or the time the returned delivery had left.
SLA_ON_RETURN = ("restart", "resume")

# Workflow names become file names and database values: no paths, no spaces.
_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")

_TOP_KEYS = ("name", "title", "source", "days_are", "request_sla", "daftar_sla",
             "distinct_signers", "roles",
             "states", "transitions", "indah_statuses")
_ROLE_KEYS = ("label", "organization", "capacities", "jabatan")
_STATE_KEYS = ("label", "holder", "sla", "sla_on_return", "public", "tombstone", "editors")
_TRANSITION_KEYS = ("action", "from", "to", "by", "gates", "reason", "label", "indah")
_INDAH_STATUS_KEYS = ("action", "to")


class WorkflowDefinitionError(Exception):
    """A workflow file that cannot be used; ``problems`` lists everything wrong with it."""

    def __init__(self, file: Path | str, problems: Iterable[str]):
        self.file = Path(file)
        self.problems = list(problems)
        super().__init__(f"{file}: {'; '.join(self.problems)}")


class Label(dict):
    """An ``{id: …, en: …}`` text.

    A dict, so that lang.text() and scheming_language_text() take it as any
    other label; read-only and hashable, because loaded definitions are shared.
    """

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("workflow labels are read-only")

    __setitem__ = __delitem__ = __ior__ = _read_only  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _read_only  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self):
        # copy/deepcopy/pickle would otherwise refill the copy item by item.
        return type(self), (dict(self),)


@dataclass(frozen=True)
class Sla:
    """How long a state may hold a dataset: ``amount`` ``unit`` (see calendar.py)."""

    amount: int
    unit: SlaUnit

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class Role:
    id: str
    label: Label
    #: ``owner`` (the dataset's OPD), ``walidata`` or ``pembina`` (configured organizations).
    organization: str
    capacities: tuple[str, ...]
    #: A named position (jabatan) members of the organization are given by its admin
    #: (workflow/jabatan.py); once someone holds it, only they play the role, until
    #: then the capacities decide.
    jabatan: Optional[str] = None


@dataclass(frozen=True)
class State:
    id: str
    label: Label
    #: The role whose queue the dataset sits in; None for final and public states.
    holder: Optional[str] = None
    sla: Optional[Sla] = None
    public: bool = False
    tombstone: bool = False
    #: The roles that may edit the dataset (metadata, resources, views) in this state;
    #: nobody else may. Empty: nobody (public states change through a revision, a
    #: tombstone is frozen at withdrawal).
    editors: tuple[str, ...] = ()
    #: ``resume``: a return into this state gives the time the returned delivery had left
    #: (service.py); ``restart``: the full SLA again.
    sla_on_return: str = "restart"


@dataclass(frozen=True)
class Transition:
    action: str
    from_states: tuple[str, ...]
    to: str
    by: tuple[str, ...]
    label: Label
    gates: tuple[str, ...] = ()
    reason: str = "optional"
    #: ``report``: this step reports the kegiatan to BPS through INDAH (indah/sync.py).
    indah: str = ""

    @property
    def reason_required(self) -> bool:
        return self.reason == "required"


@dataclass(frozen=True)
class IndahStatus:
    """The step INDAH's status ``status`` takes, where the dataset's state has one."""

    status: str
    action: str
    to: Optional[str] = None


@dataclass(frozen=True)
class Workflow:
    name: str
    title: Label
    source: str
    roles: Mapping[str, Role] = field(hash=False)
    #: In file order: the first is where every dataset starts.
    states: Mapping[str, State] = field(hash=False)
    transitions: tuple[Transition, ...] = ()
    #: Time an OPD has to deliver a data request (data_request.py); None: the first
    #: state's SLA.
    request_sla: Optional[Sla] = None
    #: Time the Walidata has to draft and send a Daftar Data Sektoral (workflow/daftar.py),
    #: counted from its creation; None: daftar.FALLBACK_SLA.
    daftar_sla: Optional[Sla] = None
    #: States whose sign-off steps (forward, approve) must each be taken by a different
    #: account within one climb through them (separation of duties, service.py).
    distinct_signers: tuple[str, ...] = ()
    #: INDAH status → the step it takes in this workflow (indah/sync.py's pull).
    indah_statuses: Mapping[str, IndahStatus] = field(hash=False, default_factory=dict)
    #: What ``{days: N}`` counts: ``working_days`` (default) or ``calendar_days``.
    days_are: str = "working_days"

    def clock_unit(self, sla: Sla) -> str:
        """The calendar unit (calendar.py) SLA is counted in under this workflow."""
        if sla.unit == "days" and self.days_are == "working_days":
            return "working_days"
        return sla.unit

    @property
    def initial_state(self) -> State:
        return next(iter(self.states.values()))

    def state(self, state_id: str) -> State:
        """The state STATE_ID; KeyError if the workflow has none such."""
        return self.states[state_id]

    @property
    def public_states(self) -> tuple[State, ...]:
        return tuple(s for s in self.states.values() if s.public)

    def transitions_from(self, state_id: str) -> tuple[Transition, ...]:
        """The transitions that can leave STATE_ID, in file order."""
        return tuple(t for t in self.transitions if state_id in t.from_states)

    def transition(self, state_id: str, action: str, to: str | None = None) -> Transition | None:
        """The transition ACTION from STATE_ID (to TO), or None if there is none.

        One action may lead to several states (BPS returns to the Walidata or to
        the OPD); then TO must say which, else ValueError.
        """
        matches = [t for t in self.transitions_from(state_id)
                   if t.action == action and (to is None or t.to == to)]
        if len(matches) > 1:
            raise ValueError(f"{self.name}: {action!r} from {state_id!r} leads to "
                             f"{', '.join(t.to for t in matches)}: say which")
        return matches[0] if matches else None

    def action_label(self, action: str) -> Label | None:
        """The label of ACTION (its first transition's), None if no transition has it."""
        return next((t.label for t in self.transitions if t.action == action), None)

    def editors_of(self, state_id: str) -> frozenset[str]:
        """The roles that may edit a dataset in STATE_ID (KeyError for an unknown state)."""
        return frozenset(self.state(state_id).editors)

    def gates_of(self, step: Transition) -> tuple[str, ...]:
        """The gates STEP must pass: its own, and for a step into a public state every
        gate of the workflow (but the PATH_GATES), so that nothing changed since an
        earlier check reaches the public unchecked."""
        if not self.state(step.to).public:
            return step.gates
        every = [g for t in self.transitions for g in t.gates if g not in PATH_GATES]
        return tuple(dict.fromkeys(list(step.gates) + every))

    def is_final(self, state_id: str) -> bool:
        """True if no transition leaves STATE_ID (KeyError for an unknown state)."""
        self.state(state_id)
        return not self.transitions_from(state_id)


# ---------------------------------------------------------------- loading


def available(directory: Path | str | None = None) -> list[str]:
    """The names of the workflows present (files ``<name>.yaml``), sorted."""
    folder = Path(directory) if directory else WORKFLOWS_DIR
    return sorted(p.stem for p in folder.glob("*.yaml") if _NAME.fullmatch(p.stem))


@functools.lru_cache(maxsize=None)
def load(name: str, directory: Path | str | None = None,
         known_gates: tuple[str, ...] = KNOWN_GATES) -> Workflow:
    """The workflow NAME, read from ``<directory>/<name>.yaml`` and checked.

    Raises WorkflowDefinitionError naming the file and every problem found.
    DIRECTORY defaults to the shipped workflows; KNOWN_GATES can be widened by
    the caller with gates that plugins add.
    """
    folder = Path(directory) if directory else WORKFLOWS_DIR
    file = folder / f"{name}.yaml"
    if not _NAME.fullmatch(name or ""):
        raise WorkflowDefinitionError(file, [f"{name!r} is not a workflow name "
                                             "(lowercase letters, digits, _)"])
    if not file.is_file():
        raise WorkflowDefinitionError(file, [
            f"no such workflow; available: {', '.join(available(folder)) or 'none'}"])
    try:
        with file.open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=_StrictLoader)  # _StrictLoader is a SafeLoader
    except yaml.YAMLError as e:
        raise WorkflowDefinitionError(file, [f"not valid YAML: {e}"]) from e

    workflow, problems = _parse(data)
    if workflow is None:
        raise WorkflowDefinitionError(file, problems)
    if workflow.name != name:
        problems.append(f"name {workflow.name!r} is not the file's name {name!r}")
    problems += check(workflow, known_gates)
    if problems:
        raise WorkflowDefinitionError(file, problems)
    return workflow


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice: PyYAML would keep the last silently,
    and a state or role defined twice is a mistake to report, not to guess at."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                break  # SafeLoader's own error names the unhashable key
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


# Parsing turns the YAML into the dataclasses and reports only what has the wrong
# shape (types, unknown keys, SLAs); what the values mean is check()'s business.


def _parse(data: Any) -> tuple[Workflow | None, list[str]]:
    problems: list[str] = []
    if not isinstance(data, dict):
        return None, ["expected a mapping with " + ", ".join(_TOP_KEYS)]
    _unknown_keys(data, _TOP_KEYS, "the workflow", problems)

    roles = {}
    for role_id, raw in _mapping(data, "roles", "the workflow", problems).items():
        where = f"role {role_id!r}"
        raw = _entry(raw, where, problems)
        _unknown_keys(raw, _ROLE_KEYS, where, problems)
        roles[str(role_id)] = Role(
            id=str(role_id),
            label=_label(raw.get("label"), where, problems),
            organization=_text(raw.get("organization"), where, "organization", problems),
            capacities=_names(raw.get("capacities"), where, "capacities", problems),
            jabatan=_text(raw.get("jabatan"), where, "jabatan", problems) or None)

    states = {}
    for state_id, raw in _mapping(data, "states", "the workflow", problems).items():
        where = f"state {state_id!r}"
        raw = _entry(raw, where, problems)
        _unknown_keys(raw, _STATE_KEYS, where, problems)
        states[str(state_id)] = State(
            id=str(state_id),
            label=_label(raw.get("label"), where, problems),
            holder=_text(raw.get("holder"), where, "holder", problems) or None,
            sla=_sla(raw.get("sla"), where, problems),
            sla_on_return=_choice(raw.get("sla_on_return"), SLA_ON_RETURN, where,
                                  "sla_on_return", problems),
            public=_flag(raw.get("public"), where, "public", problems),
            tombstone=_flag(raw.get("tombstone"), where, "tombstone", problems),
            editors=_names(raw.get("editors"), where, "editors", problems))

    transitions = []
    raw_transitions = data.get("transitions") or []
    if not isinstance(raw_transitions, list):
        problems.append("the workflow: 'transitions' must be a list")
        raw_transitions = []
    for number, raw in enumerate(raw_transitions, start=1):
        where = _where(number, raw.get("action") if isinstance(raw, dict) else None)
        raw = _entry(raw, where, problems)
        _unknown_keys(raw, _TRANSITION_KEYS, where, problems)
        transitions.append(Transition(
            action=_text(raw.get("action"), where, "action", problems),
            from_states=_names(raw.get("from"), where, "from", problems),
            to=_text(raw.get("to"), where, "to", problems),
            by=_names(raw.get("by"), where, "by", problems),
            label=_label(raw.get("label"), where, problems),
            gates=_names(raw.get("gates"), where, "gates", problems),
            reason=_text(raw.get("reason"), where, "reason", problems) or "optional",
            indah=_text(raw.get("indah"), where, "indah", problems)))

    indah_statuses = {}
    for status, raw in _mapping(data, "indah_statuses", "the workflow", problems).items():
        where = f"INDAH status {status!r}"
        raw = _entry(raw, where, problems)
        _unknown_keys(raw, _INDAH_STATUS_KEYS, where, problems)
        indah_statuses[str(status)] = IndahStatus(
            status=str(status), action=_text(raw.get("action"), where, "action", problems),
            to=_text(raw.get("to"), where, "to", problems) or None)

    workflow = Workflow(
        name=_text(data.get("name"), "the workflow", "name", problems),
        title=_label(data.get("title"), "the workflow's title", problems),
        source=_text(data.get("source"), "the workflow", "source", problems),
        roles=MappingProxyType(roles),
        states=MappingProxyType(states),
        transitions=tuple(transitions),
        request_sla=_sla(data.get("request_sla"), "the workflow's request_sla", problems),
        daftar_sla=_sla(data.get("daftar_sla"), "the workflow's daftar_sla", problems),
        distinct_signers=_names(data.get("distinct_signers"), "the workflow",
                                "distinct_signers", problems),
        indah_statuses=MappingProxyType(indah_statuses),
        days_are=_choice(data.get("days_are"), DAYS_ARE, "the workflow", "days_are", problems))
    return workflow, problems


def _choice(value: Any, allowed: tuple[str, ...], where: str, key: str,
            problems: list[str]) -> str:
    """One of ALLOWED; the first when not given."""
    if value is None:
        return allowed[0]
    if value not in allowed:
        problems.append(f"{where}: {key!r} must be one of {', '.join(allowed)}, not {value!r}")
        return allowed[0]
    return value


def _where(number: int, action: Any) -> str:
    return f"transition #{number} ({action or '?'})"


def _unknown_keys(raw: dict, allowed: tuple[str, ...], where: str, problems: list[str]) -> None:
    # A misspelt key (`holdr:`) would otherwise be ignored and change the meaning silently.
    for key in raw:
        if key not in allowed:
            problems.append(f"{where}: unknown key {key!r} (expected {', '.join(allowed)})")


def _mapping(data: dict, key: str, where: str, problems: list[str]) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f"{where}: {key!r} must be a mapping of id to definition")
        return {}
    return value


def _entry(raw: Any, where: str, problems: list[str]) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected a mapping, not {raw!r}")
        return {}
    return raw


def _text(value: Any, where: str, key: str, problems: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: {key!r} must be text, not {value!r}")
        return ""
    return value


def _names(value: Any, where: str, key: str, problems: list[str]) -> tuple[str, ...]:
    """A list of ids; a single id is accepted for a list of one (`by: walidata`)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where}: {key!r} must be a list of names, not {value!r}")
    return ()


def _flag(value: Any, where: str, key: str, problems: list[str]) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        problems.append(f"{where}: {key!r} must be true or false, not {value!r}")
        return False
    return value


def _label(value: Any, where: str, problems: list[str]) -> Label:
    if value is None:
        return Label()
    # An unquoted comma in a flow mapping ({id: A, b, en: C}) yields keys without text.
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        problems.append(f"{where}: label must be {{id: text, en: text}}, not {value!r} "
                        "(quote texts that contain a comma)")
        return Label()
    return Label(value)


def _sla(value: Any, where: str, problems: list[str]) -> Sla | None:
    if value is None:
        return None
    if isinstance(value, dict) and len(value) == 1:
        (unit, amount), = value.items()
        # bool is an int to Python; `sla: {days: yes}` is still a mistake.
        if (unit in SLA_UNITS and isinstance(amount, int) and not isinstance(amount, bool)
                and amount > 0):
            return Sla(amount, unit)
    problems.append(f"{where}: sla must be one of " + ", ".join(f"{{{u}: N}}" for u in SLA_UNITS)
                    + f" with N a positive whole number, not {value!r}")
    return None


# ---------------------------------------------------------------- rules


def check(workflow: Workflow, known_gates: Iterable[str] = KNOWN_GATES) -> list[str]:
    """The problems of WORKFLOW against the rules of workflows/README.md; [] if none."""
    return (_check_labels(workflow) + _check_roles(workflow) + _check_states(workflow)
            + _check_transitions(workflow, tuple(known_gates)) + _check_graph(workflow)
            + _check_indah(workflow))


def _check_indah(workflow: Workflow) -> list[str]:
    problems = [f"{_where(n, t.action)}: indah must be one of {', '.join(INDAH_ROLES)}, "
                f"not {t.indah!r}"
                for n, t in enumerate(workflow.transitions, start=1)
                if t.indah and t.indah not in INDAH_ROLES]
    for mapped in workflow.indah_statuses.values():
        where = f"INDAH status {mapped.status!r}"
        if mapped.status not in INDAH_STATUSES:
            problems.append(f"{where}: unknown (INDAH has {', '.join(INDAH_STATUSES)})")
        if not any(t.action == mapped.action and (mapped.to is None or t.to == mapped.to)
                   for t in workflow.transitions):
            problems.append(f"{where}: no transition {mapped.action!r}"
                            + (f" to {mapped.to!r}" if mapped.to else ""))
    return problems


def _check_labels(workflow: Workflow) -> list[str]:
    labelled = [("the workflow's title", workflow.title)]
    labelled += [(f"role {r.id!r}", r.label) for r in workflow.roles.values()]
    labelled += [(f"state {s.id!r}", s.label) for s in workflow.states.values()]
    labelled += [(_where(n, t.action), t.label)
                 for n, t in enumerate(workflow.transitions, start=1)]
    return [f"{where}: label lacks {lang!r}"
            for where, label in labelled for lang in LANGUAGES
            if not (label.get(lang) or "").strip()]


def _check_roles(workflow: Workflow) -> list[str]:
    problems = []
    for role in workflow.roles.values():
        where = f"role {role.id!r}"
        if not role.organization:
            problems.append(f"{where}: no organization (owner, walidata or pembina)")
        if not role.capacities:
            problems.append(f"{where}: no capacities")
        problems += [f"{where}: unknown capacity {c!r} (CKAN has {', '.join(CAPACITIES)})"
                     for c in role.capacities if c not in CAPACITIES]
        if role.jabatan and role.organization == "owner":
            problems.append(f"{where}: a jabatan is given by the Walidata's or the Pembina's "
                            "admin, not in an OPD")
    return problems


def _check_states(workflow: Workflow) -> list[str]:
    problems = []
    if not workflow.states:
        problems.append("no states")
    for state in workflow.states.values():
        where = f"state {state.id!r}"
        if state.holder and state.holder not in workflow.roles:
            problems.append(f"{where}: holder {state.holder!r} is an unknown role")
        if state.public and state.tombstone:
            problems.append(f"{where}: both public and tombstone")
        problems += [f"{where}: 'editors' names unknown role {r!r}"
                     for r in state.editors if r not in workflow.roles]
        # What the public sees changes only through a reviewed revision; a tombstone is
        # the record harvesters keep, frozen at withdrawal.
        if state.editors and (state.public or state.tombstone):
            problems.append(f"{where}: a {'public' if state.public else 'tombstone'} state "
                            "has no editors (published data changes through a revision)")
        # Resuming needs a clock to resume and someone whose delivery was returned.
        if state.sla_on_return == "resume":
            if state.sla is None or not state.holder:
                problems.append(f"{where}: sla_on_return: resume needs an sla and a holder")
            if not any(t.action == "return" and t.to == state.id for t in workflow.transitions):
                problems.append(f"{where}: sla_on_return: resume but no 'return' leads here")
    if not workflow.public_states:
        problems.append("no state is public: nothing could ever be published")
    problems += [f"the workflow: 'distinct_signers' names unknown state {s!r}"
                 for s in workflow.distinct_signers if s not in workflow.states]
    return problems


def _check_transitions(workflow: Workflow, known_gates: tuple[str, ...]) -> list[str]:
    problems = []
    seen = set()
    for number, t in enumerate(workflow.transitions, start=1):
        where = _where(number, t.action)
        if t.action not in ACTIONS:
            problems.append(f"{where}: unknown action {t.action!r} "
                            f"(allowed: {', '.join(ACTIONS)})")
        if not t.from_states:
            problems.append(f"{where}: no 'from' state")
        problems += [f"{where}: 'from' names unknown state {s!r}"
                     for s in t.from_states if s not in workflow.states]
        if not t.to:
            problems.append(f"{where}: no 'to' state")
        elif t.to not in workflow.states:
            problems.append(f"{where}: 'to' names unknown state {t.to!r}")
        if not t.by:
            problems.append(f"{where}: no role in 'by'")
        problems += [f"{where}: 'by' names unknown role {r!r}"
                     for r in t.by if r not in workflow.roles]
        problems += [f"{where}: unknown gate {g!r} (known: {', '.join(known_gates)})"
                     for g in t.gates if g not in known_gates]
        # A withdrawal must leave a public record, or harvesters never learn of it.
        if t.action == "withdraw" and t.to in workflow.states and not workflow.states[t.to].tombstone:
            problems.append(f"{where}: 'withdraw' must lead to a tombstone state, "
                            f"{t.to!r} is not one")
        if t.reason not in REASONS:
            problems.append(f"{where}: reason must be required or optional, not {t.reason!r}")
        elif t.action in REASON_REQUIRED_ACTIONS and not t.reason_required:
            problems.append(f"{where}: {t.action!r} must have reason: required")
        # Workflow.transition() finds a transition by (state, action, to): it must be unique.
        for source in t.from_states:
            if (source, t.action, t.to) in seen:
                problems.append(f"{where}: {t.action!r} from {source!r} to {t.to!r} "
                                "is defined twice")
            seen.add((source, t.action, t.to))
    return problems


def _check_graph(workflow: Workflow) -> list[str]:
    """Reachability, ways out, and where tombstones may be entered from."""
    states = workflow.states
    if not states:
        return []
    first = workflow.initial_state.id
    edges = [(source, t) for t in workflow.transitions if t.to in states
             for source in t.from_states if source in states]
    problems = []

    reachable = _closure(first, {s: [t.to for f, t in edges if f == s] for s in states})
    problems += [f"state {s!r} is unreachable from the first state {first!r}"
                 for s in states if s not in reachable]

    # A final state (nothing leaves it) sits in nobody's queue; one with a holder is a
    # dead end: the holder is waited on but can do nothing.
    final = {s for s in states if workflow.is_final(s)}
    problems += [f"state {s!r} is a dead end: it waits on {states[s].holder!r} "
                 "but no transition leaves it"
                 for s in states if s in final and states[s].holder]

    # Every other state must lead somewhere a dataset can rest (public or final); a loop
    # of reviews with no exit would hold a dataset for ever.
    rests = final | {s.id for s in workflow.public_states}
    backwards = {s: [f for f, t in edges if t.to == s] for s in states}
    can_rest = set().union(*(_closure(s, backwards) for s in rests)) if rests else set()
    problems += [f"state {s!r} has no way out: no public or final state can be reached from it"
                 for s in states if s in reachable and s not in final and s not in can_rest]

    # A tombstone keeps a public record of a withdrawal: only something that was public
    # can become one.
    if states[first].tombstone:
        problems.append(f"the first state {first!r} is a tombstone; tombstones are entered "
                        "only from public states")
    for number, t in enumerate(workflow.transitions, start=1):
        if t.to in states and states[t.to].tombstone:
            problems += [f"{_where(number, t.action)}: leads to tombstone {t.to!r} from {s!r}, "
                         "which is not public; tombstones are entered only from public states"
                         for s in t.from_states if s in states and not states[s].public]
    return problems


def _closure(start: str, neighbours: Mapping[str, list[str]]) -> set[str]:
    """START and every state reachable from it through NEIGHBOURS (breadth first)."""
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in neighbours.get(todo.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
