"""Who may change a workflow dataset follows from its state (workflow/editing.py):
edits after review, visibility, deletion, tombstones, the 500s of refused writes."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.conftest import FIXTURES
from ckanext.satudata.tests.security.write_world import WriteWorld, as_user

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError
CSV = (FIXTURES / "penduduk_valid.csv").read_bytes()


@pytest.fixture
def edit_world(clean_db, clean_index, clean_queues):
    """Users and organizations of the write world, datasets made by each test."""
    return WriteWorld(with_datasets=False)


def _published_like(world, goal, **fields):
    dataset = world.dataset(**fields)
    helpers.call_action("resource_create", {"user": world.produsen["name"]},
                        package_id=dataset["id"], name="Data", format="CSV", url="data.csv",
                        upload=FileStorage(io.BytesIO(CSV), "penduduk_valid.csv"),
                        variabel=sd.VARIABLES)
    world.validate(dataset["id"])
    world.reach(dataset, goal)
    return helpers.call_action("package_show", id=dataset["id"])


def _upload(user, dataset_id):
    return helpers.call_action("resource_create", as_user(user), package_id=dataset_id,
                               name="Baru", format="CSV", url="baru.csv",
                               upload=FileStorage(io.BytesIO(b"a,b\n1,2\n"), "baru.csv"))


def _anonymous_sees(dataset) -> dict:
    anonymous = as_user(None)
    return {
        "package_list": dataset["name"] in helpers.call_action("package_list", anonymous),
        "package_search": dataset["id"] in {d["id"] for d in helpers.call_action(
            "package_search", anonymous, q="*:*", rows=1000)["results"]},
        "package_show": _can(lambda: helpers.call_action("package_show", anonymous,
                                                         id=dataset["id"])),
    }


def _can(call) -> bool:
    try:
        call()
        return True
    except NotAuthorized:
        return False


class TestEditsAfterReview:
    def test_the_producer_cannot_change_an_approved_dataset(self, edit_world):
        world = edit_world
        dataset = _published_like(world, "disetujui", title="Judul yang direviu")

        with pytest.raises(NotAuthorized, match="(?i)nobody|siapa pun"):
            helpers.call_action("package_patch", as_user(world.produsen), id=dataset["id"],
                                title="Judul yang belum direviu")
        with pytest.raises(NotAuthorized):
            _upload(world.produsen, dataset["id"])

        shown = helpers.call_action("package_show", id=dataset["id"])
        assert shown["title"] == "Judul yang direviu" and len(shown["resources"]) == 1

    def test_the_producer_edits_what_was_returned_to_it(self, edit_world):
        world = edit_world
        dataset = _published_like(world, "dikembalikan")

        helpers.call_action("package_patch", as_user(world.produsen), id=dataset["id"],
                            title="Judul diperbaiki")
        _upload(world.produsen, dataset["id"])

        assert helpers.call_action("package_show", id=dataset["id"])["title"] == "Judul diperbaiki"

    def test_publishing_reruns_the_gates(self, edit_world):
        """A file added after approval (here by a sysadmin, who may edit) has not passed
        validation: the Walidata cannot publish it."""
        world = edit_world
        dataset = _published_like(world, "disetujui")
        _upload(world.sysadmin, dataset["id"])

        with pytest.raises(ValidationError, match="gates"):
            helpers.call_action("satudata_workflow_transition", as_user(world.walidata),
                                id=dataset["id"], action="publish")
        shown = helpers.call_action("package_show", id=dataset["id"])
        assert shown["satudata_state"] == "disetujui"

    @pytest.mark.parametrize("write", ["resource_view_create", "package_relationship_create"])
    def test_views_and_relationships_of_a_published_dataset_need_a_revision(
            self, edit_world, write):
        world = edit_world
        dataset = _published_like(world, "terpublikasi")
        other = world.dataset()
        data = {"resource_view_create": dict(resource_id=dataset["resources"][0]["id"],
                                             view_type="image_view", title="Gambar"),
                "package_relationship_create": dict(subject=dataset["id"], object=other["id"],
                                                    type="links_to")}[write]

        with pytest.raises(NotAuthorized, match="(?i)revision|revisi"):
            helpers.call_action(write, as_user(world.produsen), **data)


class TestVisibilityIsTheWorkflows:
    def test_bulk_update_public_is_refused_and_the_draft_stays_hidden(self, edit_world):
        world = edit_world
        draft = world.dataset()

        with pytest.raises(NotAuthorized, match="(?i)workflow|alur"):
            helpers.call_action("bulk_update_public", as_user(world.opd_admin),
                                datasets=[draft["id"]], org_id=world.opd["id"])

        assert model.Package.get(draft["id"]).private is True
        assert _anonymous_sees(draft) == dict.fromkeys(
            ["package_list", "package_search", "package_show"], False)

    def test_private_in_a_patch_is_ignored(self, edit_world):
        world = edit_world
        draft = world.dataset()

        helpers.call_action("package_patch", as_user(world.produsen), id=draft["id"],
                            private=False)

        assert model.Package.get(draft["id"]).private is True
        assert not any(_anonymous_sees(draft).values())

    def test_a_dataset_does_not_move_to_another_organization(self, edit_world):
        world = edit_world
        helpers.call_action("organization_member_create", id=world.opd_lain["id"],
                            username=world.opd_admin["name"], role="admin")
        draft = world.dataset()

        with pytest.raises(NotAuthorized):
            helpers.call_action("package_owner_org_update", as_user(world.opd_admin),
                                id=draft["id"], organization_id=world.opd_lain["id"])
        with pytest.raises(NotAuthorized):
            helpers.call_action("package_patch", as_user(world.opd_admin), id=draft["id"],
                                owner_org=world.opd_lain["id"])
        assert model.Package.get(draft["id"]).owner_org == world.opd["id"]


class TestDeletion:
    def test_a_draft_never_submitted_is_deleted_by_its_producer(self, edit_world):
        world = edit_world
        draft = world.dataset()

        helpers.call_action("package_delete", as_user(world.produsen), id=draft["id"])

        assert model.Package.get(draft["id"]).state == "deleted"

    @pytest.mark.parametrize("goal", ["dikembalikan", "terpublikasi"])
    def test_a_submitted_dataset_is_withdrawn_not_deleted(self, edit_world, goal):
        world = edit_world
        dataset = _published_like(world, goal)

        for user in (world.produsen, world.opd_admin):
            with pytest.raises(NotAuthorized, match="(?i)withdraw|tarik"):
                helpers.call_action("package_delete", as_user(user), id=dataset["id"])
        assert model.Package.get(dataset["id"]).state == "active"

    def test_the_tombstone_is_frozen_at_withdrawal(self, edit_world):
        world = edit_world
        dataset = _published_like(world, "ditarik", title="Judul saat ditarik")

        with pytest.raises(NotAuthorized):
            helpers.call_action("package_patch", as_user(world.produsen), id=dataset["id"],
                                title="Judul baru")
        helpers.call_action("package_patch", as_user(world.sysadmin), id=dataset["id"],
                            title="Diubah operator")

        found = helpers.call_action("satudata_tombstone_show", as_user(None), id=dataset["id"])
        assert found["title"] == "Judul saat ditarik"
        listed = helpers.call_action("satudata_tombstone_list", as_user(None))["results"]
        assert [t["title"] for t in listed] == ["Judul saat ditarik"]


class TestRefusalsAreNot500s:
    def test_deleting_a_published_resource_is_a_403_and_deletes_nothing(self, app, edit_world):
        world = edit_world
        dataset = _published_like(world, "terpublikasi")
        token = ckan_factories.APIToken(user=world.produsen["name"])["token"]
        resource_id = dataset["resources"][0]["id"]

        response = app.post("/api/3/action/resource_delete", json={"id": resource_id},
                            headers={"Authorization": token}, status=403)

        assert response.json["success"] is False
        assert model.Resource.get(resource_id).state == "active"

    def test_anonymous_collaborator_list_is_a_403(self, app, edit_world):
        draft = edit_world.dataset()
        response = app.get("/api/3/action/package_collaborator_list",
                           query_string={"id": draft["id"]}, status=403)
        assert response.json["success"] is False

    @pytest.mark.parametrize("query", [{}, {"new_id": "x", "old_id": "y"}])
    def test_changes_multiple_with_bad_ids_is_a_4xx(self, app, edit_world, query):
        response = app.get("/dataset/changes_multiple", query_string=query, expect_errors=True)
        assert response.status_code in (400, 403, 404), response.status_code


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
class TestReviewersCorrections:
    def test_the_walidata_corrects_in_its_correction_state_and_the_producer_waits(
            self, edit_world):
        """pasuruan step 10 ("Walidata fixes after the Pembina's notes"): the same
        mechanism as the producer's edits, from the definition's `editors`."""
        world = edit_world
        dataset = _published_like(world, "direview_pembina")
        helpers.call_action("satudata_workflow_transition", as_user(world.pembina),
                            id=dataset["id"], action="return", to="diperbaiki_walidata",
                            comment="Definisi tidak baku")

        with pytest.raises(NotAuthorized, match="Walidata"):
            helpers.call_action("package_patch", as_user(world.produsen), id=dataset["id"],
                                definisi="Diubah produsen")
        helpers.call_action("package_patch", as_user(world.walidata), id=dataset["id"],
                            definisi="Definisi baku BPS")

        assert helpers.call_action("package_show", id=dataset["id"])["definisi"] == \
            "Definisi baku BPS"
        helpers.call_action("satudata_workflow_transition", as_user(world.walidata),
                            id=dataset["id"], action="forward")
        with pytest.raises(NotAuthorized):
            helpers.call_action("package_patch", as_user(world.walidata), id=dataset["id"],
                                definisi="Lagi")
