"""Random action sequences by random roles against the sdi workflow.

A reference model, read straight from the workflow definition, says what
each step should do; after every step the invariants must hold:
no illegal transition succeeds and every legal one does, the audit trail
records exactly the successful steps, and visibility matches the state.
"""
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.model import WorkflowEvent
from ckanext.satudata.workflow import roles, service

ACTORS = ["produsen", "produsen_lain", "walidata", "pembina", "sysadmin"]
ACTIONS = ["submit", "forward", "approve", "return", "reject", "publish", "withdraw"]
def _expected_step(workflow, state, actor_roles, action, with_reason):
    """The target state if the step is legal, else None."""
    step = workflow.transition(state, action)
    if step is None or not actor_roles & set(step.by):
        return None
    if step.reason_required and not with_reason:
        return None
    return step.to  # the datasets here pass both gates (complete, no files)


def _anonymous_can_see(dataset_id) -> bool:
    try:
        helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=dataset_id)
        return True
    except helpers.logic.NotAuthorized:
        return False


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_sequences_keep_the_invariants(portal, data):
    dataset = portal.dataset()
    pkg = model.Package.get(dataset["id"])
    workflow = service.workflow_of(pkg)
    state, successes = workflow.initial_state.id, 0
    role_of = {who: roles.roles_of(model.User.get(getattr(portal, who)["name"]), workflow,
                                   pkg.owner_org) for who in ACTORS}

    for _ in range(data.draw(st.integers(1, 10), label="steps")):
        # Half the time a step that is legal now, so sequences get deep into
        # the workflow; otherwise any actor with any action.
        legal = [(who, t.action) for t in workflow.transitions_from(state)
                 for who in ACTORS if role_of[who] & set(t.by)]
        if legal and data.draw(st.booleans(), label="legal"):
            who, action = data.draw(st.sampled_from(legal), label="step")
        else:
            who = data.draw(st.sampled_from(ACTORS), label="actor")
            action = data.draw(st.sampled_from(ACTIONS), label="action")
        with_reason = data.draw(st.booleans(), label="reason")
        user = getattr(portal, who)
        target = _expected_step(workflow, state, role_of[who], action, with_reason)
        try:
            shown = helpers.call_action(
                "satudata_workflow_transition", {"user": user["name"]}, id=dataset["id"],
                action=action, comment="Alasan" if with_reason else "")
            succeeded = True
        except (helpers.logic.ValidationError, helpers.logic.NotAuthorized):
            succeeded = False

        assert succeeded == (target is not None), (state, who, action, with_reason)
        if succeeded:
            state, successes = target, successes + 1
            assert shown["state"] == state
            event(f"reached {state}")
        events = (model.Session.query(WorkflowEvent).filter_by(package_id=dataset["id"])
                  .order_by(WorkflowEvent.timestamp).all())
        assert len(events) == successes
        if succeeded:
            assert (events[-1].action, events[-1].to_state) == (action, state)
        public = workflow.state(state).public
        assert _anonymous_can_see(dataset["id"]) == public
        model.Session.expire_all()
        assert model.Package.get(dataset["id"]).private is (not public)
