"""Staged revisions: a published dataset changes only when its revision is published."""
import io

import lxml.html
import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
from ckan.lib import uploader
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.model import Revision, WorkflowEvent
from ckanext.satudata.tests.conftest import FIXTURES
from ckanext.satudata.workflow import revision

NotAuthorized = helpers.logic.NotAuthorized
NotFound = helpers.logic.NotFound
ValidationError = helpers.logic.ValidationError

OLD_NOTES = "Jumlah penduduk per kecamatan, posisi akhir tahun."
NEW_NOTES = "Revisi: angka 2023 diperbarui dari data Dispendukcapil terbaru."
ORIGINAL_CSV = (FIXTURES / "penduduk_valid.csv").read_bytes()
REVISED_CSV = ORIGINAL_CSV.replace(b"29168", b"29170").replace(b"14452", b"14454")


def as_user(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def stored(resource_id) -> bytes:
    with open(uploader.get_resource_uploader({}).get_path(resource_id), "rb") as f:
        return f.read()


@pytest.fixture
def published(portal, upload_resource):
    dataset = portal.dataset(name="penduduk-2023", notes=OLD_NOTES)
    upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
    portal.validate(dataset["id"])
    portal.reach(dataset, "terpublikasi")
    return helpers.call_action("package_show", id=dataset["id"])


def revise(portal, published, user=None):
    return helpers.call_action("satudata_revision_create", as_user(user or portal.produsen),
                               id=published["name"])


def edit_revision(portal, copy):
    """The producer changes the notes and replaces the file, as in the forms."""
    helpers.call_action("package_patch", as_user(portal.produsen), id=copy["id"], notes=NEW_NOTES)
    (resource,) = copy["resources"]
    helpers.call_action("resource_patch", as_user(portal.produsen), id=resource["id"],
                        upload=FileStorage(io.BytesIO(REVISED_CSV), "penduduk_valid.csv"),
                        url="penduduk_valid.csv")
    portal.validate(copy["id"])


class TestCreate:
    def test_a_revision_is_a_private_copy_with_its_files(self, portal, published):
        copy = revise(portal, published)

        assert copy["id"] != published["id"] and copy["name"] != published["name"]
        assert (copy["type"], copy["owner_org"], copy["title"], copy["notes"]) == (
            published["type"], published["owner_org"], published["title"], published["notes"])
        assert copy["private"] is True and copy["satudata_state"] == "draf"
        assert [t["name"] for t in copy["tags"]] == ["penduduk"]  # kept (was lost)
        (resource,) = copy["resources"]
        (original_resource,) = published["resources"]
        assert resource["id"] != original_resource["id"]
        assert resource["url_type"] == "upload" and resource["url"].endswith("/penduduk_valid.csv")
        assert stored(resource["id"]) == ORIGINAL_CSV
        assert model.Package.get(copy["id"]).creator_user_id == portal.produsen["id"]

        shown = helpers.call_action("satudata_workflow_show", as_user(portal.produsen),
                                    id=copy["id"])
        assert shown["revision_of"] == {"id": published["id"], "name": "penduduk-2023",
                                        "title": published["title"]}
        assert [a["action"] for a in shown["allowed_actions"]] == ["submit"]

    def test_workflow_show_reports_the_open_revision_to_those_who_may_see_it(
            self, portal, published):
        show = lambda user: helpers.call_action(  # noqa: E731
            "satudata_workflow_show", as_user(user), id=published["id"])
        assert show(portal.produsen)["revision"] is None
        assert show(portal.produsen)["can_revise"] is True
        assert show(portal.walidata)["can_revise"] is True
        for outsider in (None, portal.produsen_lain, portal.pembina):
            assert show(outsider)["can_revise"] is False

        copy = revise(portal, published)
        assert show(portal.produsen)["revision"] == {"id": copy["id"], "name": copy["name"],
                                                     "title": copy["title"],
                                                     "state": "draf", "state_label": "Draf"}
        assert show(portal.produsen)["can_revise"] is False
        assert show(None)["revision"] is None  # the public does not learn of it

    def test_one_open_revision_at_a_time(self, portal, published):
        copy = revise(portal, published)
        with pytest.raises(ValidationError) as refused:
            revise(portal, published, portal.produsen)
        message = refused.value.error_dict["revision"][0]
        assert copy["name"] in message and " / " not in message  # one language
        # the Walidata may revise, but not read the OPD's draft: not told its name
        with pytest.raises(ValidationError) as refused:
            revise(portal, published, portal.walidata)
        message = refused.value.error_dict["revision"][0]
        assert "open revision" in message and copy["name"] not in message
        assert model.Session.query(Revision).filter_by(package_id=published["id"]).count() == 1

    @pytest.mark.parametrize("who", [None, "produsen_lain", "pembina", "sysadmin"])
    def test_only_producer_and_walidata_may_revise(self, portal, published, who):
        with pytest.raises(NotAuthorized):
            revise(portal, published, getattr(portal, who) if who else {"name": ""})

    def test_the_walidata_may_revise(self, portal, published):
        copy = revise(portal, published, portal.walidata)
        assert copy["owner_org"] == published["owner_org"]

    @pytest.mark.parametrize("state", ["draf", "diperiksa_walidata", "ditarik"])
    def test_only_published_datasets_are_revised(self, portal, state):
        dataset = portal.dataset()
        portal.reach(dataset, state)
        with pytest.raises((ValidationError, NotAuthorized)) as refused:
            helpers.call_action("satudata_revision_create", as_user(portal.walidata),
                                id=dataset["id"])
        if refused.type is ValidationError:
            assert "Only a published dataset can be revised" in str(refused.value.error_dict)

    def test_a_revision_is_not_revised(self, portal, published):
        copy = revise(portal, published)
        with pytest.raises(ValidationError):
            helpers.call_action("satudata_revision_create", as_user(portal.produsen),
                                id=copy["id"])


class TestDirectEdits:
    def test_a_published_dataset_is_not_edited_in_place(self, portal, published):
        # Refused by auth (workflow/editing.py), naming the way.
        with pytest.raises(NotAuthorized) as refused:
            helpers.call_action("package_patch", as_user(portal.produsen), id=published["id"],
                                notes=NEW_NOTES)
        message = str(refused.value)
        assert "satudata_revision_create" not in message and " / " not in message
        assert "revision" in message.lower()
        # Refused by auth (workflow/editing.py), with the same advice.
        with pytest.raises(NotAuthorized, match="(?i)revision"):
            helpers.call_action("resource_create", as_user(portal.produsen),
                                package_id=published["id"], name="Tambahan",
                                url="http://example.com/a.csv")
        assert helpers.call_action("package_show", id=published["id"])["notes"] == OLD_NOTES

    def test_the_refusal_names_the_open_revision(self, portal, published):
        copy = revise(portal, published)
        with pytest.raises(NotAuthorized) as refused:
            helpers.call_action("package_patch", as_user(portal.produsen), id=published["id"],
                                notes=NEW_NOTES)
        assert copy["name"] in str(refused.value)

    def test_the_refusal_tells_to_revise_only_those_who_may(self, portal, published):
        pkg = model.Package.get(published["id"])
        for who in ("produsen", "walidata"):
            assert "Create a revision" in revision.direct_edit_refusal(
                pkg, model.User.get(getattr(portal, who)["name"]))
        for who in ("pembina", "produsen_lain"):  # BPS reviews, another OPD: neither revises
            refusal = revision.direct_edit_refusal(pkg, model.User.get(getattr(portal, who)["name"]))
            assert "Create a revision" not in refusal and "producer or the Walidata" in refusal
        # once a revision is open, nobody is told to start one; only its OPD reads its name
        copy = revise(portal, published)
        for who in ("walidata", "pembina", "produsen_lain"):
            refusal = revision.direct_edit_refusal(pkg, model.User.get(getattr(portal, who)["name"]))
            assert "under way" in refusal and "revise it" not in refusal and copy["name"] not in refusal
        assert copy["name"] in revision.direct_edit_refusal(pkg, model.User.get(portal.produsen["name"]))

    def test_internal_updates_still_pass(self, portal, published):
        """The validation worker patches resources of published datasets."""
        (resource,) = published["resources"]
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource["id"], **{"async": False})
        assert helpers.call_action("package_show", id=published["id"])["notes"] == OLD_NOTES


class TestPublication:
    def test_public_sees_the_original_until_the_revision_is_published(
            self, app, portal, published):
        copy = revise(portal, published)
        edit_revision(portal, copy)
        portal.reach(copy, "disetujui")  # approved by BPS, not yet published
        queue = helpers.call_action("satudata_workflow_queue", {"user": "walidata"})
        assert [(q["id"], q["revision_of"]) for q in queue] == [(copy["id"], published["id"])]

        public = helpers.call_action("package_show", as_user(None), id=published["id"])
        assert public["notes"] == OLD_NOTES
        (resource,) = public["resources"]
        assert stored(resource["id"]) == ORIGINAL_CSV
        with pytest.raises(NotAuthorized):
            helpers.call_action("package_show", as_user(None), id=copy["id"])
        found = helpers.call_action("package_search", as_user(None), q="Dispendukcapil")
        assert found["count"] == 0
        assert NEW_NOTES not in app.get(f"/dataset/{published['name']}").body
        assert app.get(f"/dataset/{copy['name']}").status_code == 404

    def test_publishing_the_revision_replaces_the_original(self, app, portal, published):
        copy = revise(portal, published)
        edit_revision(portal, copy)
        portal.reach(copy, "disetujui")
        shown = helpers.call_action("satudata_workflow_transition", {"user": "walidata"},
                                    id=copy["id"], action="publish")

        assert shown["state"] == "terpublikasi" and shown["revision"] is None
        public = helpers.call_action("package_show", as_user(None), id=published["id"])
        assert public["name"] == "penduduk-2023" and public["notes"] == NEW_NOTES
        (resource,) = public["resources"]
        assert resource["id"] == published["resources"][0]["id"]  # links keep working
        assert stored(resource["id"]) == REVISED_CSV
        download = app.get(f"/dataset/{published['id']}/resource/{resource['id']}/download/"
                           "penduduk_valid.csv")
        assert download.status_code == 200 and b"29170" in download.data

        with pytest.raises(NotFound):
            helpers.call_action("package_show", id=copy["id"])
        assert helpers.call_action("package_search", as_user(None), q="*:*")["count"] == 1
        record = model.Session.get(Revision, copy["id"])
        assert record.status == "applied"

        trail = helpers.call_action("satudata_workflow_show", as_user(portal.produsen),
                                    id=published["id"])["history"]
        revised = [(e["action"], e["revision_id"]) for e in trail if e["revision_id"]]
        assert revised == [("revise", copy["id"]), ("submit", copy["id"]),
                           ("forward", copy["id"]), ("approve", copy["id"]),
                           ("publish", copy["id"])]
        assert model.Session.query(WorkflowEvent).filter_by(package_id=copy["id"]).count() == 0
        # A new revision can start now.
        assert revise(portal, published)["notes"] == NEW_NOTES

    def test_the_revision_s_tags_replace_the_original_s(self, portal, published):
        copy = revise(portal, published)
        helpers.call_action("package_patch", as_user(portal.produsen), id=copy["id"],
                            tag_string="penduduk,sensus")
        portal.validate(copy["id"])
        portal.reach(copy, "terpublikasi")
        public = helpers.call_action("package_show", as_user(None), id=published["id"])
        assert sorted(t["name"] for t in public["tags"]) == ["penduduk", "sensus"]

    def test_a_rejected_revision_closes_and_another_may_start(self, portal, published):
        copy = revise(portal, published)
        portal.validate(copy["id"])
        portal.reach(copy, "diperiksa_walidata")
        helpers.call_action("satudata_workflow_transition", {"user": "walidata"},
                            id=copy["id"], action="reject", comment="Tidak diperlukan")
        assert model.Session.get(Revision, copy["id"]).status == "rejected"
        assert helpers.call_action("package_show", id=published["id"])["notes"] == OLD_NOTES
        assert revise(portal, published)["id"] != copy["id"]

    def test_discard(self, portal, published):
        copy = revise(portal, published)
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_revision_discard", as_user(portal.produsen_lain),
                                id=copy["id"])
        done = helpers.call_action("satudata_revision_discard", as_user(portal.produsen),
                                   id=published["id"], reason="Salah mulai")
        assert done == {"id": published["id"], "revision_id": copy["id"], "status": "discarded"}
        with pytest.raises(NotFound):
            helpers.call_action("package_show", id=copy["id"])
        with pytest.raises(NotFound):
            helpers.call_action("satudata_revision_discard", as_user(portal.produsen),
                                id=published["id"])
        assert revise(portal, published)


class TestPanel:
    def test_the_dataset_page_offers_and_links_revisions(self, app, portal, published):
        token = ckan_factories.APIToken(user=portal.produsen["name"])["token"]
        headers = {"Authorization": token}
        page = app.get(f"/dataset/{published['name']}", headers=headers)
        assert "Buat revisi" in page.body
        assert "Buat revisi" not in app.get(f"/dataset/{published['name']}").body

        response = app.post(f"/dataset/{published['name']}/revisi", headers=headers,
                            follow_redirects=False)
        assert response.status_code == 302
        record = model.Session.query(Revision).filter_by(package_id=published["id"]).one()
        copy = model.Package.get(record.revision_id)
        assert f"/dataset/{copy.name}" in response.headers["Location"]

        page = app.get(f"/dataset/{published['name']}", headers=headers)
        assert copy.name in page.body and "Buat revisi" not in page.body
        assert copy.name not in app.get(f"/dataset/{published['name']}").body

    def test_the_notice_names_the_revision_by_its_title_only_to_its_readers(
            self, app, portal, published):
        """The notice named the revision by its address (and the edit form's refusal as
        plain text, a walk); its title is a draft's, so only those who may read the
        revision (package_show) learn it, or its address."""
        copy = revise(portal, published)
        title = "Penduduk 2023 (angka diperbarui)"
        edit_revision(portal, copy)
        helpers.call_action("package_patch", as_user(portal.produsen), id=copy["id"], title=title)
        headers = lambda user: {"Authorization": ckan_factories.APIToken(  # noqa: E731
            user=user["name"])["token"]} if user else {}

        def notices(user, path):
            page = lxml.html.fromstring(app.get(path, headers=headers(user),
                                                follow_redirects=True).body)
            return [(" ".join(n.text_content().split()), [(" ".join(a.text_content().split()),
                                                           a.get("href")) for a in n.xpath(".//a")])
                    for n in page.xpath("//*[contains(@class, 'alert-info')]")]

        link = (title, f"/dataset/{copy['name']}")
        panel, = notices(portal.produsen, f"/dataset/{published['name']}")
        assert panel == (f"Revisi dataset ini sedang berjalan: {title} (Draf).", [link])
        # the published dataset's edit form sends its producer to the revision
        refusal, panel = notices(portal.produsen, f"/dataset/edit/{published['name']}")
        assert refusal == (f"Dataset ini sudah terpublikasi; ubah revisinya ({title}), "
                           "bukan dataset ini.", [link])

        # the Walidata may not read a draft: told only that a revision is under way
        refusal, = notices(portal.walidata, f"/dataset/edit/{published['name']}")
        assert refusal == ("Dataset ini sudah terpublikasi dan tidak dapat diubah langsung; "
                           "revisinya sedang berjalan.", [])
        for outsider in (None, portal.walidata, portal.produsen_lain, portal.pembina):
            body = app.get(f"/dataset/{published['name']}", headers=headers(outsider)).body
            assert title not in body, outsider
        assert copy["name"] not in app.get(f"/dataset/{published['name']}").body

        # once it reaches the Walidata, the Walidata reads it, and the notice links it
        portal.reach(copy, "diperiksa_walidata")
        panel, = notices(portal.walidata, f"/dataset/{published['name']}")
        assert panel[1] == [link], panel
        assert title not in app.get(f"/dataset/{published['name']}").body

    def test_the_edit_form_of_a_published_dataset_points_to_the_revision(self, app, portal,
                                                                          published):
        token = ckan_factories.APIToken(user=portal.produsen["name"])["token"]
        headers = {"Authorization": token}
        # Before anything is typed: the form would be refused, the revision is the way.
        page = app.get(f"/dataset/edit/{published['name']}", headers=headers)
        assert "Buat revisi" in page.body
        draft = portal.dataset()
        assert "Buat revisi" not in app.get(f"/dataset/edit/{draft['name']}", headers=headers).body

    def test_another_types_address_and_the_file_forms_point_to_the_revision_too(
            self, app, portal, published):
        headers = {"Authorization": ckan_factories.APIToken(user=portal.produsen["name"])["token"]}
        (resource,) = published["resources"]
        # CKAN serves a dataset's form under any type's address; both were a bare 403.
        for path in (f"/indikator/edit/{published['name']}",
                     f"/dataset/{published['name']}/resource/{resource['id']}/edit",
                     f"/dataset/{published['name']}/resource/new",
                     f"/dataset/resources/{published['name']}"):
            page = app.get(path, headers=headers, follow_redirects=False)
            assert page.status_code == 302, (path, page.status_code)
            assert page.headers["Location"].endswith(f"/dataset/{published['name']}"), path

    def test_publishing_a_revision_from_its_page_lands_on_the_original(self, app, portal,
                                                                        published):
        copy = revise(portal, published)
        edit_revision(portal, copy)
        portal.reach(copy, "disetujui")
        headers = {"Authorization": ckan_factories.APIToken(user="walidata")["token"]}
        version = helpers.call_action("satudata_workflow_show", as_user(portal.walidata),
                                      id=copy["id"])["version"]
        # one client follows the redirect, so the session (and its flash) carries over
        page = app.post(f"/dataset/{copy['name']}/workflow", headers=headers,
                        data={"action": "publish", "version": str(version)},
                        follow_redirects=True)
        assert page.status_code == 200, page.body[-2000:]  # was a 500: the copy is purged
        assert page.request.path == f"/dataset/{published['name']}"
        (flash,) = lxml.html.fromstring(page.body).xpath("//*[contains(@class,'alert-success')]")
        assert ("Berhasil. Revisi telah dipublikasikan dan kini menggantikan dataset ini."
                in " ".join(flash.text_content().split()))
        assert NEW_NOTES in page.body

    def test_saving_the_edit_form_of_a_published_dataset_says_why_in_indonesian(
            self, app, portal, published):
        headers = {"Authorization": ckan_factories.APIToken(user=portal.produsen["name"])["token"]}
        form = {k: v for k, v in published.items() if isinstance(v, str)}
        form.update(notes=NEW_NOTES, save="")
        # Sent to the dataset page (views/revision.py), where the advice and the
        # "Buat revisi" button are; one client follows, so the flash carries over.
        page = app.post(f"/dataset/edit/{published['name']}", data=form, headers=headers,
                        follow_redirects=True)
        assert page.request.path == f"/dataset/{published['name']}"
        text = " ".join(lxml.html.fromstring(page.body).text_content().split())
        assert ("Dataset ini sudah terpublikasi dan tidak dapat diubah langsung. "
                "Buat revisinya") in text
        assert "satudata_revision_create" not in text and "This dataset" not in text
        assert helpers.call_action("package_show", id=published["id"])["notes"] == OLD_NOTES
