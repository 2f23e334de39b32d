"""The write probe: every registered action that changes a dataset or a resource,
called by every kind of caller on a dataset in every state of the default workflow,
is allowed exactly when the workflow definition says so.

Nothing here is a hand-kept list of actions: they come from CKAN's action registry
(an action that writes is one not marked side-effect free), those that take an
existing dataset or resource are the ones named after one (``package_…``,
``dataset_…``, ``resource_…``, ``bulk_update_…``), so a new action of a plugin is
probed without touching this file. The expectation is derived from the
definition's ``editors`` per state (see workflows/README.md), not from a table.

A cell expected refused calls the action itself (it must raise NotAuthorized and
change nothing); a cell expected allowed asks CKAN's check_access, so that the world
is not consumed by the probe (the real changes are tried in test_editing.py).
"""
from __future__ import annotations

import ckan.logic as logic
import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.workflow import revision
from ckanext.satudata.tests.security.write_world import as_user, write_world  # noqa: F401

# The nouns of CKAN's action names that denote an existing dataset or resource.
DATASET_NOUNS = ("package_", "dataset_", "resource_", "bulk_update_")
# Workflow steps and revisions have their own rule (who acts in `transitions: by`),
# probed in tests/workflow; creating a dataset takes no existing one.
OWN_RULE = {"package_create"}
# Operations on every dataset of the site at once (sysadmins only): no caller probed
# here may run them on any state.
SITE_WIDE = {"resource_view_clear", "resource_validation_run_batch"}


def write_actions() -> list[str]:
    logic.get_action("package_show")  # fills the registry
    return sorted(name for name, fn in logic._actions.items()
                  if not getattr(fn, "side_effect_free", False)
                  and name.startswith(DATASET_NOUNS) and name not in OWN_RULE)


def kind_of(action: str) -> str:
    """What the action does to a dataset, from its name (the workflow engine's kinds)."""
    if action in ("package_delete", "bulk_update_delete"):
        return "delete"
    if action == "dataset_purge" or action in SITE_WIDE:
        return "sysadmin"
    if action == "package_owner_org_update":
        return "move"
    if action.startswith(("bulk_update_", "package_collaborator_")):  # who sees it
        return "visibility"
    return "edit"


def expected(world, action: str, caller: str, state: str) -> bool:
    """Allowed by the definition: edits by the state's editors; deletion only in the
    first state before any step (a dataset there was never submitted) by its editors;
    purges, site-wide operations, moves and visibility changes by nobody. Batch
    operations on an organization also need CKAN's organization-admin capacity."""
    workflow, entry = world.workflow, world.by_state[state]
    mine = world.roles(caller, entry["dataset"])
    kind = kind_of(action)
    if kind == "edit":
        allowed = bool(mine & set(workflow.state(state).editors))
    elif kind == "delete":
        first = workflow.initial_state
        allowed = state == first.id and bool(mine & set(first.editors))
    else:
        allowed = False
    if action.startswith("bulk_update_"):
        allowed = allowed and caller == "admin_opd"
    return allowed


def data_for(world, action: str, entry: dict) -> dict:
    """Arguments naming the dataset (or its resource / view) of ENTRY."""
    dataset, resource, view = entry["dataset"], entry["resource"], entry["view"]
    other = world.other["dataset"]
    base = {"id": dataset["id"], "package_id": dataset["id"], "resource_id": resource["id"],
            "subject": dataset["id"], "object": other["id"], "type": "links_to",
            "datasets": [dataset["id"]], "org_id": dataset["owner_org"],
            "organization_id": world.opd_lain["id"], "user_id": world.produsen_lain["id"],
            "capacity": "member", "title": "Diubah penyerang", "name": dataset["name"],
            "url": "https://example.go.id/baru.json", "format": "JSON",
            "view_type": "image_view", "order": [resource["id"]],
            "resource": resource, "package": dataset, "match": {"id": dataset["id"]},
            "update": {"id": dataset["id"], "title": "Diubah penyerang"}}
    if action.startswith("resource_view_"):
        base["id"] = view["id"] if action != "resource_view_create" else resource["id"]
        base["order"] = [view["id"]]
    elif action.startswith("resource_"):
        base["id"] = resource["id"]
    return base


def probe(world, action: str, caller: str, state: str) -> bool:
    """True if CALLER may do ACTION on the dataset in STATE (see the module)."""
    entry = world.by_state[state]
    context = as_user(world.callers[caller])
    data = data_for(world, action, entry)
    if expected(world, action, caller, state):
        # The objects CKAN's actions put in the context before asking auth.
        pkg = model.Package.get(entry["dataset"]["id"])
        context.update(package=pkg, resource=model.Resource.get(entry["resource"]["id"]),
                       relationship=pkg.get_relationships()[0])
        try:
            tk.check_access(action, context, data)
            return True
        except tk.NotAuthorized:
            return False
    try:
        logic.get_action(action)(context, data)
    except (tk.NotAuthorized, revision.RevisionError):  # the latter: "make a revision"
        return False
    except (tk.ValidationError, tk.ObjectNotFound, TypeError, KeyError):
        # Refused before auth by a missing argument: ask auth itself, with the same data.
        try:
            tk.check_access(action, as_user(world.callers[caller]), data)
        except tk.NotAuthorized:
            return False
        except Exception:  # noqa: BLE001 an earlier wrong "allowed" consumed the object
            return True
        return True  # auth let it through; only the arguments stopped it
    return True


def test_every_dataset_write_is_allowed_exactly_as_the_workflow_says(write_world):
    actions = write_actions()
    cells, mismatches = 0, []
    for action in actions:
        for state in write_world.workflow.states:
            for caller in write_world.callers:
                cells += 1
                got, want = probe(write_world, action, caller, state), expected(
                    write_world, action, caller, state)
                if got != want:
                    mismatches.append(f"{action} by {caller} in {state}: "
                                      f"{'allowed' if got else 'refused'}, "
                                      f"the definition says {'allowed' if want else 'refused'}")
    print("write probe actions:", ", ".join(actions))
    print(f"write probe: {len(actions)} actions × {len(write_world.callers)} callers × "
          f"{len(write_world.workflow.states)} states = {cells} cells, "
          f"{len(mismatches)} mismatches")
    assert len(actions) >= 20, actions  # the registry was read, not an empty list
    assert mismatches == [], "\n".join(mismatches)


def test_the_probe_covers_the_writes_an_attacker_used(write_world):
    found = set(write_actions())
    assert {"package_patch", "resource_create", "resource_delete", "resource_view_create",
            "package_relationship_create", "bulk_update_public", "package_delete",
            "package_owner_org_update", "dataset_purge"} <= found
