"""Findings of the outside probe on the read side (issue 10: 7, 9, 10, 13), each
reproduced as the attacker did it: through the API and pages, auth on."""
import re

import pytest

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import Portal

ValidationError = helpers.logic.ValidationError


def as_user(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


@pytest.fixture
def read_fix_portal(clean_db, clean_index, clean_queues):
    return Portal()


def _published(portal, upload_resource, **fields):
    dataset = sd.create(sd.data_sektoral(portal.opd["id"], **{"kegiatan": None, **fields}),
                        portal.produsen["name"])
    resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
    portal.validate(dataset["id"])
    portal.reach(dataset, "terpublikasi")
    return helpers.call_action("package_show", id=dataset["id"]), resource


# -- 7. old activities of a withdrawn dataset ------------------------------------------------

def test_a_withdrawn_dataset_leaves_no_readable_activity(app, read_fix_portal, upload_resource):
    portal = read_fix_portal
    dataset, resource = _published(portal, upload_resource, name="akan-ditarik")
    # An edit while public: CKAN stamps that activity with the public label.
    helpers.call_action("package_patch", {"user": portal.sysadmin["name"]}, id=dataset["id"],
                        maintainer="Seksi Data")
    listed = helpers.call_action("recently_changed_packages_activity_list", as_user(None))
    assert resource["id"] in str(listed)  # readable while published

    portal.reach(dataset, "ditarik")
    produsen_lain_token = ckan_factories.APIToken(user=portal.produsen_lain["name"])["token"]
    for user, headers in ((None, {}), (portal.produsen_lain, {"Authorization": produsen_lain_token})):
        seen = [helpers.call_action("recently_changed_packages_activity_list", as_user(user)),
                helpers.call_action("user_activity_list", as_user(user), id=portal.sysadmin["name"]),
                app.get(f"/user/activity/{portal.sysadmin['name']}", headers=headers).body,
                app.get("/dashboard/", headers=headers).body if user else ""]
        assert [s for s in seen if resource["id"] in str(s)] == [], user
    # Its own OPD still reads its history.
    mine = helpers.call_action("package_activity_list", as_user(portal.produsen), id=dataset["id"])
    assert resource["id"] in str(mine)


def test_a_sysadmin_token_lists_activities_of_published_datasets_unless_it_asks(
        read_fix_portal, upload_resource):
    portal = read_fix_portal
    draft = portal.dataset(name="draf-aktivitas")
    sysadmin = as_user(portal.sysadmin)
    for action, params in (("recently_changed_packages_activity_list", {}),
                           ("user_activity_list", {"id": portal.produsen["name"]})):
        assert draft["id"] not in str(helpers.call_action(action, sysadmin, **params)), action
        assert draft["id"] in str(helpers.call_action(action, sysadmin, include_private=True,
                                                      **params)), action
    # The producer's own view of their activity is unchanged.
    assert draft["id"] in str(helpers.call_action("user_activity_list", as_user(portal.produsen),
                                                  id=portal.produsen["name"]))


# -- 9. relationships to drafts --------------------------------------------------------------

def test_relationships_to_unreadable_datasets_are_not_shown(app, read_fix_portal, upload_resource):
    portal = read_fix_portal
    published, _ = _published(portal, upload_resource, name="data-terbit")
    draft = portal.dataset(name="draf-terkait-rahasia")
    # Made by a sysadmin: a producer may no longer change a published dataset in place.
    helpers.call_action("package_relationship_create", as_user(portal.sysadmin),
                        subject=published["id"], object=draft["id"], type="links_to")
    for user in (None, portal.produsen_lain):
        assert helpers.call_action("package_relationships_list", as_user(user), id=published["id"]) == []
        shown = helpers.call_action("package_show", as_user(user), id=published["id"])
        assert draft["id"] not in str(shown) and draft["name"] not in str(shown)
        found = helpers.call_action("package_search", as_user(user), q="name:data-terbit")
        assert draft["id"] not in str(found)
    assert draft["name"] not in app.get("/dataset/data-terbit").body
    mine = helpers.call_action("package_relationships_list", as_user(portal.produsen), id=published["id"])
    assert [r["object"] for r in mine] == ["draf-terkait-rahasia"]


# -- 10. kegiatan / indikator links ----------------------------------------------------------

def test_a_link_must_name_a_dataset_the_editor_can_read(read_fix_portal):
    portal = read_fix_portal
    secret = sd.create(sd.kegiatan(portal.opd["id"], name="kegiatan-draf-dinkes"),
                       portal.produsen["name"])
    for reference in (secret["id"], secret["name"]):
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("package_create", as_user(portal.produsen_lain), **sd.data_sektoral(
                portal.opd_lain["id"], kegiatan=reference, indikator=[reference]))
        # Refused like an unknown name: the UUID is not turned into its name.
        assert secret["name"] not in str(refused.value.error_dict) or reference == secret["name"]
        assert set(refused.value.error_dict) >= {"kegiatan", "indikator"}
    # Its own OPD links it.
    own = sd.create(sd.data_sektoral(portal.opd["id"], kegiatan=secret["id"]), portal.produsen["name"])
    assert own["kegiatan"] == "kegiatan-draf-dinkes"


def test_public_readers_see_links_to_published_datasets_only(app, read_fix_portal, upload_resource):
    portal = read_fix_portal
    secret = sd.create(sd.kegiatan(portal.opd["id"], name="kegiatan-draf-dinkes"),
                       portal.produsen["name"])
    indikator = sd.create(sd.indikator(portal.opd["id"], name="indikator-terbit"),
                          portal.produsen["name"])
    portal.reach(indikator, "terpublikasi")
    published, _ = _published(portal, upload_resource, name="data-bertaut",
                              kegiatan=secret["name"], indikator=["indikator-terbit"])
    for user in (None, portal.produsen_lain):
        shown = helpers.call_action("package_show", as_user(user), id=published["id"])
        assert (shown["kegiatan"], shown["indikator"]) == ("", ["indikator-terbit"])
        (found,) = helpers.call_action("package_search", as_user(user), q="name:data-bertaut")["results"]
        assert "kegiatan-draf-dinkes" not in str(found)
    assert "kegiatan-draf-dinkes" not in app.get("/dataset/data-bertaut").body
    assert "kegiatan-draf-dinkes" not in app.get("/dataset/data-bertaut.ttl").body
    own = helpers.call_action("package_show", as_user(portal.produsen), id=published["id"])
    assert own["kegiatan"] == "kegiatan-draf-dinkes"


# -- 13. restricted data ---------------------------------------------------------------------

def test_restricted_data_is_served_by_no_path(app, read_fix_portal, upload_resource):
    portal = read_fix_portal
    restricted, resource = _published(portal, upload_resource, name="data-terbatas", akses="TERBATAS")
    open_, open_resource = _published(portal, upload_resource, name="data-terbuka")
    base = f"/dataset/{restricted['name']}/resource/{resource['id']}"
    paths = [f"/dataset/{restricted['id']}/resource/{resource['id']}/download/penduduk_valid.csv",
             f"{base}/convert/csv", f"{base}/convert/xlsx", f"{base}/chart.json"]
    tokens = {who: ckan_factories.APIToken(user=u["name"])["token"]
              for who, u in (("produsen_lain", portal.produsen_lain), ("produsen", portal.produsen),
                             ("sysadmin", portal.sysadmin))}
    for who in ("anonymous", "produsen_lain"):
        headers = {"Authorization": tokens[who]} if who in tokens else {}
        assert [app.get(p, headers=headers).status_code for p in paths] == [403] * len(paths), who
        page = app.get(f"{base}", headers=headers).body
        assert "satudata-preview" not in page and "/convert/" not in page
        rdf = app.get(f"/dataset/{restricted['name']}.ttl", headers=headers).body
        assert f"{resource['id']}/download" not in rdf
        # The metadata stays public, and open data is served.
        assert helpers.call_action("resource_show", as_user(None), id=resource["id"])["id"] == resource["id"]
        assert app.get(f"/dataset/{open_['id']}/resource/{open_resource['id']}/download/penduduk_valid.csv",
                       headers=headers).status_code == 200
        assert re.search(f"{open_resource['id']}/download",
                         app.get(f"/dataset/{open_['name']}.ttl", headers=headers).body)
    for who in ("produsen", "sysadmin"):
        headers = {"Authorization": tokens[who]}
        codes = [app.get(p, headers=headers).status_code for p in paths]
        assert codes[:3] == [200] * 3 and codes[3] in (200, 404), (who, codes)  # 404: no chart


# -- 5xx the probe found: CKAN views letting NotFound escape ---------------------------------

def test_views_that_let_not_found_escape_answer_404(app, read_fix_portal):
    for path in ("/dataset/changes_multiple", "/organization/changes_multiple",
                 "/dataset/dinas-kesehatan/resource/new",
                 "/dataset/nope/resource/nope/views"):
        assert app.get(path).status_code == 404, path


@pytest.mark.parametrize("action", ["group_autocomplete", "organization_autocomplete",
                                    "resource_validation_show"])
def test_read_actions_missing_a_parameter_answer_409_not_500(app, read_fix_portal, action):
    response = app.get(f"/api/3/action/{action}")
    assert response.status_code == 409
