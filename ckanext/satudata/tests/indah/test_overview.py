"""The Dasbor's view of the activities reported to INDAH, by INDAH status: the Walidata and
BPS see it (every capacity), each kegiatan only if they read it; nobody else does."""
from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.model import IndahSync


def overview(user: str) -> dict:
    return helpers.call_action("satudata_indah_overview", {"user": user, "ignore_auth": False})


def reported(kegiatan: dict, status: str, indah_id: str | None = None, error: str | None = None):
    """Where INDAH's answers (or the portal's failed sending) left the kegiatan's report."""
    model.Session.add(IndahSync(package_id=kegiatan["id"], status=status, indah_id=indah_id,
                                error=error, children={}, notes=[], attempts=1,
                                synced=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)))
    model.Session.commit()


@pytest.fixture
def reports(portal):
    approved = portal.kegiatan(title="Survei Angkatan Kerja Daerah")
    failed = portal.kegiatan(title="Survei Harga Konsumen")
    unread = portal.kegiatan(title="Survei Masih Draf")
    for kegiatan in (approved, failed):
        portal.reach(kegiatan, "direview_pembina")
    reported(approved, "APPROVED", indah_id="MSKEG-77")
    reported(failed, "ERROR", error="INDAH menjawab 500")
    reported(unread, "QUEUED")  # a draft neither reviewing office reads
    return {"approved": approved, "failed": failed, "unread": unread}


def test_the_walidata_and_bps_see_the_reports_by_status(portal, reports):
    for user in ("walidata", "pembina-bps", "indah-bps"):  # indah-bps: a plain BPS member
        seen = overview(user)
        assert seen["count"] == 2, user
        assert [(s["status"], s["label"], s["count"]) for s in seen["statuses"]] == [
            ("ERROR", "Not sent", 1), ("APPROVED", "Approved by BPS", 1)], user
        (failed,) = seen["statuses"][0]["kegiatan"]
        assert (failed["name"], failed["error"]) == (reports["failed"]["name"], "INDAH menjawab 500")
        (approved,) = seen["statuses"][1]["kegiatan"]
        assert (approved["title"], approved["indah_id"], approved["organization"]) == (
            "Survei Angkatan Kerja Daerah", "MSKEG-77", "Dinas Kesehatan")


def test_nobody_else_sees_it(portal, reports):
    for user in ("", "produsen-dinkes", "produsen-dinkes-2", "produsen-disdik", factories.User()["name"]):
        with pytest.raises(tk.NotAuthorized):
            overview(user)


def test_a_membership_just_removed_loses_it(portal, reports):
    helpers.call_action("organization_member_delete", {"ignore_auth": True, "user": "admin-satudata"},
                        id="bps", username="indah-bps")
    with pytest.raises(tk.NotAuthorized):
        overview("indah-bps")


def test_the_dasbor_lists_them_for_the_walidata_only(app, portal, reports):
    def page(user):
        token = factories.APIToken(user=user)["token"]
        response = app.get("/dashboard/ringkasan", headers={"Authorization": token})
        assert response.status_code == 200
        return lxml.html.fromstring(response.body)

    doc = page("walidata")
    (section,) = doc.xpath("//section[@data-satudata-indah-overview]")
    groups = [" ".join(h.text_content().split()) for h in section.xpath(".//h3")]
    assert groups == ["Gagal dikirim (1)", "Disetujui BPS (1)"]
    assert [li.get("data-satudata-indah-kegiatan") for li in section.xpath(".//li")] == [
        reports["failed"]["name"], reports["approved"]["name"]]
    text = " ".join(section.text_content().split())
    assert "INDAH menjawab 500" in text and "MSKEG-77" in text and "1 Desember 2026 16.00 WIB" in text
    assert not page("produsen-dinkes").xpath("//section[@data-satudata-indah-overview]")
