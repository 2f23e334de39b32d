"""A portal with a dataset in every state of the default workflow and one user per
caller the write tests try (fixture ``write_world``, one per module: walking eight
datasets through the review takes a while)."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.workflow.conftest import Portal
from ckanext.satudata.workflow import service


def as_user(user) -> dict:
    """A context that checks auth as USER (None: anonymous)."""
    return {"user": user["name"] if user else "", "ignore_auth": False}


class WriteWorld(Portal):
    def __init__(self, with_datasets: bool = True):
        super().__init__()
        self.opd_admin = factories.User(name="admin-dinkes")
        self.anggota = factories.User(name="anggota-dinkes")
        for user, capacity in ((self.opd_admin, "admin"), (self.anggota, "member")):
            helpers.call_action("organization_member_create", id=self.opd["id"],
                                username=user["name"], role=capacity)
        self.workflow = service.load(service.workflow_name("dataset"))
        #: The callers, by the name tests report them with; None is anonymous.
        self.callers = {
            "produsen": self.produsen, "admin_opd": self.opd_admin,
            "anggota_opd": self.anggota, "produsen_opd_lain": self.produsen_lain,
            "walidata": self.walidata, "pembina": self.pembina, "anonim": None,
        }
        if with_datasets:
            # Linked to by relationships: editable by the producer, in the first state.
            self.other = self.make("lain")
            self.by_state = {state: self.make(state) for state in self.workflow.states}

    def make(self, label: str) -> dict:
        """A dataset with one linked resource (no validation needed) and a view on it."""
        dataset = self.dataset(name=f"tulis-{label.replace('_', '-')}")
        resource = helpers.call_action(
            "resource_create", {"user": self.produsen["name"]}, package_id=dataset["id"],
            name=f"Tautan {label}", url=f"https://data.example.go.id/{label}.json",
            format="JSON")
        view = helpers.call_action(
            "resource_view_create", {"user": self.produsen["name"]}, resource_id=resource["id"],
            view_type="image_view", title="Gambar", image_url="https://example.go.id/a.png")
        if label in self.workflow.states:
            helpers.call_action("package_relationship_create", {"user": self.produsen["name"]},
                                subject=dataset["id"], object=self.other["dataset"]["id"],
                                type="links_to")
            self.reach(dataset, label)
        return {"dataset": helpers.call_action("package_show", id=dataset["id"]),
                "resource": resource, "view": view}

    def roles(self, caller: str, dataset: dict) -> set[str]:
        from ckanext.satudata.workflow import roles
        user = self.callers[caller]
        return roles.roles_of(model.User.get(user["name"]) if user else None, self.workflow,
                              dataset["owner_org"])


@pytest.fixture(scope="module")
def write_world():
    reset_world()
    return WriteWorld()
