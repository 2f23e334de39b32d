"""roles.capacities: every organization a lookup needs, in one query, with capacity()'s answers."""
import sqlalchemy as sa

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)
from ckanext.satudata.workflow import roles, visibility


class Queries:
    """Counts the statements sent to PostgreSQL that name TABLE."""

    def __init__(self, table: str):
        self.table, self.count = table, 0

    def __enter__(self):
        sa.event.listen(model.meta.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(model.meta.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, *args):
        if f" {self.table} " in statement or f"{self.table}." in statement:
            self.count += 1


def test_capacities_answer_as_capacity_does(portal):  # noqa: F811
    walidata = model.User.get(portal.walidata["name"])
    diskominfo = model.Group.get("diskominfo")
    asked = ["diskominfo", diskominfo.id, "bps", portal.opd["id"], "tidak-ada", None]
    with Queries("member") as queries:
        found = roles.capacities(walidata, asked)
    assert queries.count == 1
    assert found == {ref: roles.capacity(walidata, ref) for ref in asked if ref}
    assert found["diskominfo"] == found[diskominfo.id] == "editor"
    assert found["bps"] is None and found["tidak-ada"] is None


def test_a_membership_just_removed_counts_no_more(portal):  # noqa: F811
    helpers.call_action("organization_member_delete", {"user": portal.sysadmin["name"]},
                        id="diskominfo", username=portal.walidata["name"])
    walidata = model.User.get(portal.walidata["name"])
    assert roles.capacities(walidata, ["diskominfo"]) == {"diskominfo": None}
    assert not any(label.endswith("-walidata") for label in visibility.user_labels(walidata))


def test_reviewer_labels_come_from_one_membership_query(portal):  # noqa: F811
    pembina = model.User.get(portal.pembina["name"])
    with Queries("member") as queries:
        labels = visibility.user_labels(pembina)
    # CKAN's own organization_list_for_user asks too; ours adds one, whatever the roles.
    with Queries("member") as ckan_only:
        from ckan.lib.plugins import DefaultPermissionLabels
        DefaultPermissionLabels().get_user_dataset_labels(pembina)
    assert queries.count - ckan_only.count == 1
    assert any(label.endswith("-pembina") for label in labels)


def test_anonymous_visitors_get_the_public_label_without_asking_the_database(portal):  # noqa: F811
    with Queries("member") as queries:
        assert visibility.user_labels(model.AnonymousUser()) == ["public"]
        assert visibility.user_labels(None) == ["public"]
    assert queries.count == 0
