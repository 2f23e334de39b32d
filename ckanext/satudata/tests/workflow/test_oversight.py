"""Steward oversight (issue #14 item 3): the Walidata reads, without editing, every
dataset once submitted, in every later state, also while it waits at BPS; BPS reads
what reached its stage, and after. A draft never submitted stays its OPD's."""
import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import member

NotAuthorized = helpers.logic.NotAuthorized


def as_user(user) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def reads(user, dataset) -> bool:
    try:
        helpers.call_action("package_show", as_user(user), id=dataset["id"])
    except NotAuthorized:
        return False
    return True


def finds(user, dataset) -> bool:
    return helpers.call_action("package_search", as_user(user), fq=f'name:"{dataset["name"]}"',
                               include_private=True)["count"] == 1


def edits(user, dataset) -> bool:
    try:
        helpers.call_action("package_patch", as_user(user), id=dataset["id"], satuan="Orang")
    except NotAuthorized:
        return False
    return True


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", as_user(user),
                               id=dataset["id"], action=action, **extra)


def test_the_walidata_follows_a_dataset_from_submission_to_bps_and_back(portal, delivered, app):
    second = member("walidata-2", "diskominfo", "editor")  # another Walidata staff member
    dataset = delivered()
    assert not reads(portal.walidata, dataset) and not finds(portal.walidata, dataset)
    assert not reads(portal.pembina, dataset)

    act(portal.produsen, dataset, "submit")
    assert reads(portal.walidata, dataset) and reads(second, dataset)
    assert not reads(portal.pembina, dataset)  # not yet at BPS's stage

    act(portal.walidata, dataset, "forward")
    # At BPS: the Walidata still reads it (page, search, file), and does not edit it.
    for user in (portal.walidata, second, portal.pembina):
        assert reads(user, dataset) and finds(user, dataset), user["name"]
    assert not edits(portal.walidata, dataset)
    token = ckan_factories.APIToken(user=portal.walidata["name"])["token"]
    assert app.get(f"/dataset/{dataset['name']}",
                   headers={"Authorization": token}).status_code == 200
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
    assert app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/"
                   "penduduk_valid.csv", headers={"Authorization": token}).status_code == 200

    act(portal.pembina, dataset, "return", comment="Perbaiki satuan")
    # Back at the OPD: both offices that held it keep reading it, read-only.
    for user in (portal.walidata, portal.pembina):
        assert reads(user, dataset) and finds(user, dataset) and not edits(user, dataset)
    # Outsiders never read it: another OPD, anonymous.
    assert not reads(portal.produsen_lain, dataset) and not finds(portal.produsen_lain, dataset)
    assert not reads(None, dataset) and not finds(None, dataset)
    assert app.get(f"/dataset/{dataset['name']}").status_code in (403, 404)

    # A Walidata member whose membership was just removed no longer reads it.
    helpers.call_action("organization_member_delete", {"user": portal.sysadmin["name"]},
                        id="diskominfo", username="walidata-2")
    assert not reads(second, dataset) and not finds(second, dataset)


def test_bps_does_not_read_what_the_walidata_returned_before_forwarding(portal, delivered):
    dataset = delivered()
    act(portal.produsen, dataset, "submit")
    act(portal.walidata, dataset, "return", comment="Lengkapi")
    assert reads(portal.walidata, dataset) and not reads(portal.pembina, dataset)


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
def test_pasuruan_the_walidata_reads_what_it_reported_to_bps(portal, delivered):
    dataset = delivered()
    act(portal.produsen, dataset, "submit")
    act(portal.walidata, dataset, "forward")
    assert reads(portal.walidata, dataset) and not edits(portal.walidata, dataset)
    act(portal.pembina, dataset, "approve")
    act(portal.walidata, dataset, "publish")
    assert reads(None, dataset)
