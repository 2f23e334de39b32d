"""Who may change a dataset that follows a workflow: decided from its state alone.

The workflow definition says per state which roles edit (``editors:``); everything
that changes a dataset (metadata, resources, views, relationships, its
organization, its deletion, its visibility) asks :func:`decide` through the auth
functions of logic/auth.py, so no CKAN path bypasses the review. ``None`` means the
dataset has no workflow and CKAN's own rule applies.

Kinds of change:

``edit``
    metadata, resources, views, relationships: the state's ``editors``.
``delete``
    only a dataset that was never submitted (first state, no step taken yet, not a
    staged revision), by an editor of the first state; anything else is withdrawn
    through the workflow, which keeps a public record.
``move``
    another organization (owner_org): never; the producer, the readers and the
    reviewers of a dataset follow from its organization.
``visibility``
    ``private`` (bulk_update_public/private, collaborators): never; a dataset
    becomes public only by a step into a public state.

Sysadmins do not reach these functions (CKAN's auth lets them through), the
portal's operators for emergencies.
"""
from __future__ import annotations

from dataclasses import dataclass

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata import lang
from ckanext.satudata.model import WorkflowEvent
from ckanext.satudata.workflow import roles, service

_ = tk._

KINDS = ("edit", "delete", "move", "visibility")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    message: str = ""

    def as_auth(self) -> dict:
        return {"success": self.allowed, "msg": self.message} if not self.allowed \
            else {"success": True}


def _roles_text(workflow, role_ids) -> str:
    return ", ".join(lang.text(workflow.roles[r].label) for r in sorted(role_ids))


def _withdraw_text(workflow) -> str:
    """How a published dataset leaves the public: the withdraw step, as people read it."""
    steps = [t for t in workflow.transitions if t.action == "withdraw"]
    if not steps:
        return _("it stays published; change it through a revision")
    return _("ask {roles} to withdraw it (“{label}”)").format(
        roles=_roles_text(workflow, {r for t in steps for r in t.by}),
        label=lang.text(steps[0].label))


def was_submitted(pkg: model.Package) -> bool:
    """True once any workflow step was taken on PKG."""
    return model.Session.query(
        model.Session.query(WorkflowEvent).filter_by(package_id=pkg.id).exists()).scalar()


def decide(pkg: model.Package | None, user: model.User | None, kind: str = "edit"
           ) -> Decision | None:
    """Whether USER may make a change of KIND (see the module) to PKG; None if PKG has
    no workflow (CKAN decides)."""
    if kind not in KINDS:
        raise ValueError(kind)
    workflow = service.workflow_of(pkg) if pkg is not None else None
    if workflow is None:
        return None
    state = workflow.state(service.state_id(pkg))
    mine = roles.roles_of(user, workflow, pkg.owner_org) if user is not None else set()
    label = lang.text(state.label)
    if kind == "visibility":
        return Decision(False, _("Whether a dataset is public follows its workflow state "
                                 "({state}); publish or withdraw it through the workflow")
                        .format(state=label))
    if kind == "move":
        return Decision(False, _("A dataset in a workflow stays in its organization; "
                                 "create it anew in the other organization"))
    if kind == "delete":
        from ckanext.satudata.workflow import revision  # imports service, like this module
        first = workflow.initial_state
        if revision.record_of(pkg) is not None:
            return Decision(False, _("This is a revision: discard it instead of deleting it"))
        if state.id != first.id or was_submitted(pkg):
            return Decision(False, _("Only a dataset that was never submitted may be deleted; "
                                     "this one is {state}: {how}").format(
                state=label, how=_withdraw_text(workflow)))
        if not mine & set(first.editors):
            return Decision(False, _("Only {roles} may delete this dataset").format(
                roles=_roles_text(workflow, first.editors)))
        return Decision(True)
    # edit
    if mine & set(state.editors):
        return Decision(True)
    if state.public:
        from ckanext.satudata.workflow import revision
        return Decision(False, revision.direct_edit_refusal(pkg, user))
    if state.tombstone:
        return Decision(False, _("This dataset was withdrawn; its public record is frozen"))
    if not state.editors:
        return Decision(False, _("Nobody edits a dataset while it is {state}").format(state=label))
    return Decision(False, _("Only {roles} may edit this dataset while it is {state}").format(
        roles=_roles_text(workflow, state.editors), state=label))

