"""Listings and refusals name no dataset the caller cannot read (issue 10, findings 6 and 11).

A sysadmin token without include_private (a harvester's) gets published
datasets only from every listing, as from package_search."""
import json
import uuid

import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd

API = "/api/3/action"


def _api(app, world, who, action, status=200, **params):
    page = app.post(f"{API}/{action}", json=params, headers=world.headers(who))
    assert page.status_code == status, (action, who, page.body[:500])
    return page


def _names(datasets):
    return sorted(d["name"] for d in datasets)


def test_sysadmin_listings_give_published_datasets_unless_private_asked(app, search_world):
    world = search_world
    published = [world.published["name"]]
    opd = world.portal.opd["name"]
    group = ckan_factories.Group(name="kelompok-uji")
    for dataset in world.datasets.values():
        helpers.call_action("member_create", id=group["id"], object=dataset["id"],
                            object_type="package", capacity="public")
    produsen = world.portal.produsen["name"]
    listings = {
        "current_package_list_with_resources": (
            {"limit": 100}, lambda r: r),
        "organization_show": ({"id": opd, "include_datasets": True}, lambda r: r["packages"]),
        "group_show": ({"id": group["name"], "include_datasets": True}, lambda r: r["packages"]),
        "user_show": ({"id": produsen, "include_datasets": True}, lambda r: r["datasets"]),
        "package_autocomplete": ({"q": "rahasia"}, lambda r: r),
    }
    for action, (params, datasets) in listings.items():
        page = _api(app, world, "sysadmin", action, **params)
        assert _names(datasets(page.json["result"])) == published, action
        assert world.leaked(page.body) == [], action
        asked = _api(app, world, "sysadmin", action, include_private=True, **params)
        # CKAN never lists a group's private datasets, whoever asks.
        wanted = 1 if action == "group_show" else len(world.datasets)
        assert len(datasets(asked.json["result"])) == wanted, action
    page = app.get("/api/2/util/dataset/autocomplete?incomplete=rahasia",
                   headers=world.headers("sysadmin"))
    assert [d["name"] for d in page.json["ResultSet"]["Result"]] == published
    assert world.leaked(page.body) == []


def test_a_sysadmin_lists_their_own_drafts_on_their_own_account_only(app, search_world):
    world = search_world
    admin = world.portal.sysadmin
    own = sd.create(sd.data_sektoral(world.portal.opd["id"], kegiatan=None, name="draf-admin"),
                    admin["name"])
    other_admin = ckan_factories.Sysadmin()
    other_headers = {"Authorization": ckan_factories.APIToken(user=other_admin["name"])["token"]}

    mine = _api(app, world, "sysadmin", "user_show", id=admin["name"], include_datasets=True)
    assert _names(mine.json["result"]["datasets"]) == [own["name"]]
    page = app.get("/dashboard/datasets", headers=world.headers("sysadmin"))
    assert own["title"] in page.body
    # another sysadmin (a harvester's token) looking at that account gets published ones only
    theirs = app.post(f"{API}/user_show", json={"id": admin["name"], "include_datasets": True},
                      headers=other_headers)
    assert theirs.json["result"]["datasets"] == [] and "draf-admin" not in theirs.body


@pytest.mark.parametrize("who", ["anonymous", "produsen_lain", "sysadmin"])
def test_database_listings_hold_published_datasets_only(app, search_world, who):
    world = search_world
    opd = world.portal.opd["name"]
    listed = _api(app, world, who, "package_list")
    assert listed.json["result"] == [world.published["name"]]
    members = _api(app, world, who, "member_list", id=opd, object_type="package")
    assert [m[0] for m in members.json["result"]] == [world.published["id"]]
    for action, params in [("tag_list", {}), ("tag_list", {"all_fields": True}),
                           ("tag_search", {"query": "tagrahasia"}),
                           ("tag_autocomplete", {"q": "tagrahasia"}),
                           ("package_list", {}), ("member_list", {"id": opd})]:
        page = _api(app, world, who, action, **params)
        assert world.leaked(page.body) == [], (action, params)
    assert "tagrahasiaterbit" in _api(app, world, who, "tag_list").json["result"]
    _api(app, world, who, "tag_show", id="tagrahasiaterbit")
    hidden = _api(app, world, who, "tag_show", status=404, id="tagrahasiadraf")
    missing = _api(app, world, who, "tag_show", status=404, id="tidakadatagini")
    assert hidden.json["error"] == missing.json["error"]


def test_members_of_the_opd_still_list_their_own_datasets(app, search_world):
    world = search_world
    found = helpers.call_action("member_list", {"user": world.portal.produsen["name"],
                                                "ignore_auth": False},
                                id=world.portal.opd["id"], object_type="package")
    assert sorted(m[0] for m in found) == sorted(d["id"] for d in world.datasets.values())


@pytest.mark.parametrize("who", ["anonymous", "produsen_lain"])
def test_refused_package_show_does_not_name_the_hidden_id(app, search_world, who):
    world = search_world
    for state in ("draf", "diperiksa_walidata", "disetujui"):
        dataset = world.datasets[state]
        page = _api(app, world, who, "package_show", status=403, id=dataset["name"])
        assert dataset["id"] not in page.body, state
        resource = world.resources[state]
        page = _api(app, world, who, "resource_show", status=403, id=resource["id"])
        assert dataset["id"] not in page.body and dataset["name"] not in page.body, state


def test_a_chosen_resource_id_is_refused_alike_whether_or_not_it_exists(app, search_world):
    world = search_world
    own = sd.create(sd.data_sektoral(world.portal.opd_lain["id"], kegiatan=None,
                                     name="milik-disdik"), world.portal.produsen_lain["name"])
    answers = []
    for resource_id in (world.resources["draf"]["id"], str(uuid.uuid4())):
        page = _api(app, world, "produsen_lain", "resource_create", status=409,
                    package_id=own["id"], id=resource_id, url="http://contoh.go.id/a.csv",
                    name="a")
        answers.append(page.json["error"])
        page = _api(app, world, "produsen_lain", "package_patch", status=409, id=own["id"],
                    resources=[{"id": resource_id, "url": "http://contoh.go.id/a.csv"}])
        answers.append(page.json["error"])
    assert answers[0] == answers[2] and answers[1] == answers[3]
    assert "already exists" not in json.dumps(answers)


def test_request_fulfil_answers_a_hidden_dataset_like_a_missing_one(search_world):
    world = search_world
    made = helpers.call_action("satudata_request_create",
                               {"user": world.portal.walidata["name"], "ignore_auth": False},
                               title="Data pendidikan", organization="dinas-pendidikan",
                               description="Untuk uji")
    errors = []
    for dataset_id in (world.datasets["draf"]["name"], world.datasets["draf"]["id"],
                       "tidak-ada-dataset-ini"):
        with pytest.raises(helpers.logic.ValidationError) as refused:
            helpers.call_action("satudata_request_fulfil",
                                {"user": world.portal.produsen_lain["name"], "ignore_auth": False},
                                id=made["id"], dataset_id=dataset_id)
        errors.append(refused.value.error_dict)
    assert errors[0] == errors[1] == errors[2]
