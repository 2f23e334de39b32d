"""Reviewers correct (issue #14 item 1): the state's `editors` let a reviewer edit the
dataset it holds, through CKAN's own API with auth on; the producer cannot edit once it
submitted; every reviewer edit is kept as field-level before/after and shown to the producer."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import member

NotAuthorized = helpers.logic.NotAuthorized


def as_user(user) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", as_user(user),
                               id=dataset["id"], action=action, **extra)


def show(user, dataset):
    return helpers.call_action("satudata_workflow_show", as_user(user), id=dataset["id"])


def changes(user, dataset):
    """(who, state, target, field, before, after) of every correction USER is shown."""
    return [(c["user"], c["state"], ch["target"], ch["field"], ch["before"], ch["after"])
            for c in show(user, dataset)["corrections"] for ch in c["changes"]]


def refused(call) -> bool:
    try:
        call()
    except NotAuthorized:
        return True
    return False


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
class TestPasuruanStep10:
    def test_the_walidata_corrects_metadata_and_files_and_the_producer_sees_the_diffs(
            self, portal, delivered, app):
        dataset = delivered()
        act(portal.produsen, dataset, "submit")
        # Submitted: the producer no longer edits, nor adds files.
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(portal.produsen), id=dataset["id"], satuan="Orang"))
        act(portal.walidata, dataset, "forward")
        # At BPS nobody edits, the Walidata neither.
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(portal.walidata), id=dataset["id"], satuan="Orang"))
        act(portal.pembina, dataset, "return", to="diperbaiki_walidata",
            comment="Satuan dan definisi tidak baku")

        helpers.call_action("package_patch", as_user(portal.walidata), id=dataset["id"],
                            satuan="Orang", definisi="Definisi baku BPS")
        resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
        helpers.call_action("resource_patch", as_user(portal.walidata), id=resource["id"],
                            description="Sumber: Disdukcapil")
        added = helpers.call_action(
            "resource_create", as_user(portal.walidata), package_id=dataset["id"],
            name="Catatan BPS", format="CSV", url="catatan.csv",
            upload=FileStorage(io.BytesIO(b"kode,catatan\n1,baku\n"), "catatan.csv"))
        # The producer still waits: the stage is the Walidata's.
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(portal.produsen), id=dataset["id"], satuan="Jiwa"))
        assert refused(lambda: helpers.call_action(
            "resource_create", as_user(portal.produsen), package_id=dataset["id"],
            name="x", url="http://example.com/x.csv"))

        seen = changes(portal.produsen, dataset)
        assert ("walidata", "diperbaiki_walidata", "satuan", None, "Jiwa", "Orang") in seen
        assert ("walidata", "diperbaiki_walidata", "definisi", None,
                "Jumlah penduduk menurut data administrasi kependudukan per 31 Desember.",
                "Definisi baku BPS") in seen
        assert ("walidata", "diperbaiki_walidata", f"resource:{resource['id']}", "description",
                None, "Sumber: Disdukcapil") in seen
        assert ("walidata", "diperbaiki_walidata", f"resource:{added['id']}", None,
                None, "Catatan BPS") in seen
        # Only what changed: the untouched fields are not listed.
        assert not [c for c in seen if c[2] in ("title", "konsep", "sektor")]
        # The reviewers see the same trail; outsiders see none of it.
        assert changes(portal.pembina, dataset) == seen
        assert refused(lambda: show(portal.produsen_lain, dataset))

        # Once forwarded, the Walidata's edits stop again.
        act(portal.walidata, dataset, "forward")
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(portal.walidata), id=dataset["id"], satuan="Jiwa"))

        # The producer reads the corrections on the dataset page.
        token = helpers.call_action("api_token_create", {"user": portal.produsen["name"],
                                                         "ignore_auth": True},
                                    user=portal.produsen["name"], name="uji")["token"]
        page = app.get(f"/dataset/{dataset['name']}", headers={"Authorization": token})
        assert "data-satudata-corrections" in page.body
        assert "Definisi baku BPS" in page.body and "Sumber: Disdukcapil" in page.body

    def test_the_producers_own_edits_are_not_recorded_as_corrections(self, portal, delivered):
        dataset = delivered()
        helpers.call_action("package_patch", as_user(portal.produsen), id=dataset["id"],
                            satuan="Orang")
        act(portal.produsen, dataset, "submit")
        act(portal.walidata, dataset, "return", comment="Lengkapi")
        helpers.call_action("package_patch", as_user(portal.produsen), id=dataset["id"],
                            satuan="Jiwa")
        assert show(portal.produsen, dataset)["corrections"] == []


@pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
class TestTanjabbarSteps5And6:
    def test_kepala_seksi_and_kepala_bidang_check_and_correct(self, portal, delivered):
        kasi = portal.walidata  # an editor of Diskominfo (tanjabbar.yaml)
        staf = member("staf-pds", "diskominfo", "member")
        kabid = member("kabid-tik", "diskominfo", "admin")
        dataset = delivered()
        act(portal.produsen, dataset, "submit")
        act(staf, dataset, "forward")
        act(staf, dataset, "forward")
        assert show(kasi, dataset)["state"] == "diperiksa_kasi"
        # Step 5: the Kepala Seksi corrects; the staff and the Kepala Bidang do not now.
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(staf), id=dataset["id"], ukuran="Banyaknya"))
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(kabid), id=dataset["id"], ukuran="Banyaknya"))
        helpers.call_action("package_patch", as_user(kasi), id=dataset["id"], ukuran="Banyaknya")
        act(kasi, dataset, "forward")
        # Step 6: the Kepala Bidang corrects a file; the Kepala Seksi no longer edits.
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(kasi), id=dataset["id"], ukuran="Jumlah"))
        resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
        helpers.call_action("resource_patch", as_user(kabid), id=resource["id"],
                            name="Penduduk 2021-2023")
        assert refused(lambda: helpers.call_action(
            "package_patch", as_user(portal.produsen), id=dataset["id"], ukuran="Jumlah"))

        seen = changes(portal.produsen, dataset)
        assert seen == [
            ("walidata", "diperiksa_kasi", "ukuran", None, "Jumlah", "Banyaknya"),
            ("kabid-tik", "diperiksa_kabid", f"resource:{resource['id']}", "name",
             "penduduk_valid.csv", "Penduduk 2021-2023"),
        ]
