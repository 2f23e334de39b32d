"""Leak matrix: every read path × every sdi state × every kind of user.

A dataset must be readable exactly by those its state allows: everyone once
published; otherwise its own OPD, sysadmins, and the reviewing offices it has
reached (the Walidata from the submission on, BPS from its stage on). Any difference, more or less, is reported. One listing is narrower
by design: an OPD's organization page lists its unpublished datasets only to
its own members (reviewers reach theirs through their queue and search; a
sysadmin's listings hold published data unless include_private is asked).
"""
import pytest

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.workflow import service

NotAuthorized = helpers.logic.NotAuthorized
ObjectNotFound = helpers.logic.NotFound

STATES = ["draf", "diperiksa_walidata", "direview_pembina", "disetujui", "dikembalikan",
          "terpublikasi", "ditarik", "ditolak"]
USERS = ["anonymous", "produsen", "produsen_lain", "walidata", "pembina", "sysadmin"]
# Who reads a dataset that took the shortest path to each state (steward oversight):
# its OPD always; the Walidata once it was submitted; BPS once it reached BPS's stage;
# both in every later state. A draft never submitted, another OPD, anonymous: never.
READERS = {
    "draf": {"produsen", "sysadmin"},
    "diperiksa_walidata": {"produsen", "sysadmin", "walidata"},
    "dikembalikan": {"produsen", "sysadmin", "walidata"},     # returned by the Walidata
    "ditolak": {"produsen", "sysadmin", "walidata"},          # rejected by the Walidata
    "direview_pembina": {"produsen", "sysadmin", "walidata", "pembina"},
    "disetujui": {"produsen", "sysadmin", "walidata", "pembina"},
    "ditarik": {"produsen", "sysadmin", "walidata", "pembina"},
    "terpublikasi": set(USERS),
}


def expected(state: str, who: str) -> bool:
    return who in READERS[state]


def expected_in_opd_listing(state: str, who: str) -> bool:
    return state == "terpublikasi" or who == "produsen"


def _reach(portal, dataset, goal):
    pkg = model.Package.get(dataset["id"])
    workflow = service.workflow_of(pkg)
    members = {"produsen": portal.produsen, "walidata": portal.walidata, "pembina": portal.pembina}
    for step in service.path(workflow, service.state_id(pkg), goal):
        actor = members[step.by[0]]
        helpers.call_action("satudata_workflow_transition", {"user": actor["name"]},
                            id=dataset["id"], action=step.action, to=step.to,
                            comment="Alasan uji" if step.reason_required else "")


@pytest.fixture
def world(portal, upload_resource):
    """One dataset with an uploaded, validated file in each state."""
    datasets = {}
    for state in STATES:
        dataset = portal.dataset(name=f"data-{state.replace('_', '-')}",
                                 title=f"Data uji status {state}")
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource["id"], **{"async": False})
        _reach(portal, dataset, state)
        datasets[state] = (dataset, resource)
    users = {"anonymous": None, "produsen": portal.produsen, "produsen_lain": portal.produsen_lain,
             "walidata": portal.walidata, "pembina": portal.pembina, "sysadmin": portal.sysadmin}
    tokens = {who: ckan_factories.APIToken(user=u["name"])["token"] for who, u in users.items() if u}
    return portal, datasets, users, tokens


def _as(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def _allowed(call) -> bool:
    try:
        return bool(call())
    except (NotAuthorized, ObjectNotFound):
        return False


READS = {
    "package_show": lambda u, d, r, app, h: _allowed(
        lambda: helpers.call_action("package_show", _as(u), id=d["id"])),
    "resource_show": lambda u, d, r, app, h: _allowed(
        lambda: helpers.call_action("resource_show", _as(u), id=r["id"])),
    "download": lambda u, d, r, app, h: app.get(
        f"/dataset/{d['id']}/resource/{r['id']}/download/penduduk_valid.csv",
        headers=h).status_code == 200,
    "dataset_page": lambda u, d, r, app, h: app.get(f"/dataset/{d['name']}", headers=h).status_code == 200,
    "package_search": lambda u, d, r, app, h: helpers.call_action(
        "package_search", _as(u), fq=f'name:"{d["name"]}"', include_private=True)["count"] == 1,
    "activity": lambda u, d, r, app, h: _allowed(
        lambda: helpers.call_action("package_activity_list", _as(u), id=d["id"]) is not None),
    "workflow_show": lambda u, d, r, app, h: _allowed(
        lambda: helpers.call_action("satudata_workflow_show", _as(u), id=d["id"])),
    "organization_datasets": lambda u, d, r, app, h: d["name"] in [
        p["name"] for p in helpers.call_action(
            "organization_show", _as(u), id=d["owner_org"], include_datasets=True)["packages"]],
}


def test_no_read_path_leaks_or_hides(app, world):
    portal, datasets, users, tokens = world
    wrong = []
    for state, (dataset, resource) in datasets.items():
        for who, user in users.items():
            headers = {"Authorization": tokens[who]} if who in tokens else {}
            for read, can in READS.items():
                seen = can(user, dataset, resource, app, headers)
                should = (expected_in_opd_listing if read == "organization_datasets"
                          else expected)(state, who)
                if seen != should:
                    wrong.append(f"{read}: {who} {'sees' if seen else 'cannot see'} a {state} dataset")
    assert wrong == []


def test_unpublished_never_reaches_anonymous_lists(app, world):
    """Counts and autocomplete, which read CKAN's private flag, agree with the states."""
    portal, datasets, _, _ = world
    published = {datasets["terpublikasi"][0]["name"]}
    org = helpers.call_action("organization_list", _as(None), all_fields=True)
    counts = {o["name"]: o["package_count"] for o in org}
    assert counts[portal.opd["name"]] == len(published)
    found = helpers.call_action("package_autocomplete", _as(None), q="Data uji status")
    assert {d["name"] for d in found} == published
    assert {d["name"] for d in helpers.call_action(
        "package_search", _as(None), q="*:*", rows=100)["results"]} == published


TOMBSTONE_KEYS = {"id", "name", "title", "type", "organization", "state", "state_label",
                  "withdrawn_at", "reason"}


def test_a_withdrawn_dataset_exposes_only_its_tombstone(app, world):
    """Every user gets the tombstone of the withdrawn dataset and of no other; its
    page answers 410 to those who cannot read it, without data or other metadata."""
    portal, datasets, users, tokens = world
    wrong = []
    for state, (dataset, resource) in datasets.items():
        for who, user in users.items():
            try:
                found = helpers.call_action("satudata_tombstone_show", _as(user), id=dataset["id"])
            except ObjectNotFound:
                found = None
            if (found is not None) != (state == "ditarik"):
                wrong.append(f"tombstone_show: {who} {'gets' if found else 'lacks'} one for {state}")
            elif found is not None and set(found) != TOMBSTONE_KEYS:
                wrong.append(f"tombstone_show: {who} gets fields {sorted(found)}")
    listed = helpers.call_action("satudata_tombstone_list", _as(None))["results"]
    assert [r["name"] for r in listed] == [datasets["ditarik"][0]["name"]]
    assert wrong == []

    dataset, resource = datasets["ditarik"]
    shown = helpers.call_action("package_show", id=dataset["id"])
    # The resource page's own URL (language links) holds the resource id: not a leak;
    # a link to its download would be.
    secrets = [resource["name"], f"{resource['id']}/download", shown["notes"], shown["konsep"],
               shown["definisi"], shown["maintainer_email"], shown["id_sds"]]
    for who in ("anonymous", "produsen_lain"):
        headers = {"Authorization": tokens[who]} if who in tokens else {}
        for url in (f"/dataset/{dataset['name']}", f"/en/dataset/{dataset['id']}",
                    f"/dataset/{dataset['id']}/resource/{resource['id']}"):
            page = app.get(url, headers=headers)
            assert page.status_code == 410, (who, url)
            assert [s for s in secrets if s in page.body] == [], (who, url)
    found = helpers.call_action("satudata_tombstone_show", _as(None), id=dataset["id"])
    assert [s for s in secrets if s in str(found)] == []


REVISION_STATES = ["draf", "diperiksa_walidata", "direview_pembina", "disetujui", "dikembalikan"]


@pytest.fixture
def revision_world(portal, upload_resource):
    """Published datasets, each with an open revision (new notes) in one review state."""
    revisions = {}
    for state in REVISION_STATES:
        slug = state.replace("_", "-")
        dataset = portal.dataset(name=f"asli-{slug}", title=f"Data asli {state}")
        upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
        portal.validate(dataset["id"])
        portal.reach(dataset, "terpublikasi")
        copy = helpers.call_action("satudata_revision_create", {"user": "produsen-dinkes"},
                                   id=dataset["id"])
        helpers.call_action("package_patch", {"user": "produsen-dinkes"}, id=copy["id"],
                            notes=f"isirevisirahasia {slug}")
        portal.validate(copy["id"])
        portal.reach(copy, state)
        copy = helpers.call_action("package_show", id=copy["id"])
        revisions[state] = (dataset, copy, copy["resources"][0])
    users = {"anonymous": None, "produsen": portal.produsen, "produsen_lain": portal.produsen_lain,
             "walidata": portal.walidata, "pembina": portal.pembina, "sysadmin": portal.sysadmin}
    tokens = {who: ckan_factories.APIToken(user=u["name"])["token"] for who, u in users.items() if u}
    return portal, revisions, users, tokens


def test_revisions_are_read_like_any_dataset_in_their_state_and_never_leak(app, revision_world):
    """A revision is seen exactly as a dataset in its state would be; its original
    shows the published content to everyone, whatever the revision holds."""
    portal, revisions, users, tokens = revision_world
    wrong = []
    for state, (original, copy, resource) in revisions.items():
        for who, user in users.items():
            headers = {"Authorization": tokens[who]} if who in tokens else {}
            for read, can in READS.items():
                seen = can(user, copy, resource, app, headers)
                should = (expected_in_opd_listing if read == "organization_datasets"
                          else expected)(state, who)
                if seen != should:
                    wrong.append(f"{read}: {who} {'sees' if seen else 'cannot see'} "
                                 f"a revision in {state}")
            shown = helpers.call_action("package_show", _as(user), id=original["id"])
            page = app.get(f"/dataset/{original['name']}", headers=headers).body
            if "isirevisirahasia" in shown["notes"] or "isirevisirahasia" in page:
                wrong.append(f"original: {who} sees revision content ({state})")
    for who, user in users.items():
        if who in ("anonymous", "produsen_lain"):
            found = helpers.call_action("package_search", _as(user), q="isirevisirahasia",
                                        include_private=True)["count"]
            if found:
                wrong.append(f"search: {who} finds {found} revisions")
    assert wrong == []
