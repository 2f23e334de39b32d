"""The Daftar Data Sektoral (SOP Tanjab step 1) through the API, auth on, every role."""
import datetime

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.tests.documents.conftest import pdf_text
from ckanext.satudata.model import DaftarDataSektoral, DaftarEntry, DataRequest, Notification
from ckanext.satudata.tests.workflow.conftest import member
from ckanext.satudata.workflow import calendar

NotAuthorized = helpers.logic.NotAuthorized
NotFound = helpers.logic.NotFound
ValidationError = helpers.logic.ValidationError

UTC = datetime.timezone.utc
ANON = {"name": ""}


def as_user(user):
    return {"user": user["name"] if user else "", "ignore_auth": False}


def call(name, user, **data):
    return helpers.call_action(name, as_user(user), **data)


def parse(moment):
    return datetime.datetime.fromisoformat(moment)


def new_daftar(portal, user=None, **fields):
    return call("satudata_daftar_create", user or portal.walidata,
                **dict({"period": "2027", "notes": "Untuk Kabupaten Dalam Angka 2027"}, **fields))


ROWS = [
    {"organization": "dinas-kesehatan", "title": "Jumlah puskesmas per kecamatan",
     "standar_data": "SDI Kesehatan 1.2", "satuan": "unit", "frekuensi": "Tahunan"},
    {"organization": "dinas-kesehatan", "title": "Jumlah tenaga kesehatan", "satuan": "orang"},
    {"organization": "dinas-pendidikan", "title": "Jumlah sekolah dasar",
     "due_date": "2099-06-30"},
]


def with_entries(portal, rows=ROWS, user=None):
    made = new_daftar(portal, user)
    return call("satudata_daftar_entry_add", user or portal.walidata, id=made["id"],
                entries=[dict(r) for r in rows])


@pytest.fixture
def people(portal):
    """The roles beyond the portal's: a Walidata admin, a second member of the
    producer's OPD, a member whose membership was just removed."""
    return {
        "walidata_admin": member("kabid-diskominfo", "diskominfo", "admin"),
        "dinkes_member": member("staf-dinkes", "dinas-kesehatan", "member"),
        "removed": member("mantan-dinkes", "dinas-kesehatan", "editor"),
    }


def remove(org_name, user):
    org = model.Group.get(org_name)
    row = model.Session.query(model.Member).filter_by(
        group_id=org.id, table_name="user", table_id=model.User.get(user["name"]).id).one()
    row.state = "deleted"
    model.repo.commit()


class TestDrafting:
    def test_the_walidata_drafts_with_five_working_days(self, portal, plain_wednesday):
        made = new_daftar(portal)
        assert made["state"] == "draft" and made["period"] == "2027"
        assert made["entries"] == [] and made["late"] is None and made["overdue"] is False
        # Wed 11 Mar 2026 10:00 WIB + 5 working days (sdi.yaml's daftar_sla): the office's
        # closing time of the fifth working day after. Thu 12, Fri 13, Mon 16, Tue 17, then
        # Nyepi and Idul Fitri with its cuti bersama (18-24 March): Wed 25 at 16:00 WIB.
        cal = calendar.WorkCalendar.from_config(tk.config)
        assert parse(made["due"]) == cal.due(parse(made["created"]), 5, "working_days")
        assert parse(made["due"]) == datetime.datetime(2026, 3, 25, 9, 0, tzinfo=UTC)

    @pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
    def test_tanjabbar_counts_the_sop_step_1_time(self, portal, plain_wednesday):
        made = new_daftar(portal)
        assert parse(made["due"]) == datetime.datetime(2026, 3, 25, 9, 0, tzinfo=UTC)

    def test_the_walidata_admin_drafts_too(self, portal, people):
        made = new_daftar(portal, people["walidata_admin"], period="2027 Semester I")
        assert made["created_by"] == "kabid-diskominfo"

    @pytest.mark.parametrize("who", ["produsen", "produsen_lain", "pembina", "sysadmin",
                                     "dinkes_member", "anonymous"])
    def test_nobody_else_drafts(self, portal, people, who):
        user = people.get(who) or getattr(portal, who, None) or ANON
        with pytest.raises(NotAuthorized):
            new_daftar(portal, user)
        assert model.Session.query(DaftarDataSektoral).count() == 0

    @pytest.mark.parametrize("bad, field", [
        ({"period": "  "}, "period"),
        ({"period": "2027" * 100}, "period"),
        ({"notes": "x" * 5001}, "notes"),
        ({"entry_due_date": "2020-01-01"}, "entry_due_date"),
        ({"entry_due_date": "besok"}, "entry_due_date"),
    ])
    def test_hostile_input_is_named(self, portal, bad, field):
        with pytest.raises(ValidationError) as refused:
            new_daftar(portal, **bad)
        assert set(refused.value.error_dict) == {field}
        assert model.Session.query(DaftarDataSektoral).count() == 0


class TestEntries:
    def test_several_rows_at_once(self, portal):
        made = with_entries(portal)
        assert [e["title"] for e in made["entries"]] == [r["title"] for r in ROWS]
        first = made["entries"][0]
        assert (first["standar_data"], first["satuan"], first["frekuensi"]) == (
            "SDI Kesehatan 1.2", "unit", "Tahunan")
        assert first["request"] is None and first["dataset_type"] == "dataset"
        assert made["entries"][2]["due"].startswith("2099-06-30T09:00")
        assert [g["organization"]["name"] for g in made["by_organization"]] == [
            "dinas-kesehatan", "dinas-pendidikan"]
        assert [len(g["entries"]) for g in made["by_organization"]] == [2, 1]

    def test_a_bad_row_adds_none_and_each_row_says_what(self, portal, plain_wednesday):
        made = new_daftar(portal)
        rows = [dict(ROWS[0]),
                {"organization": "dinas-kesehatan", "title": "  "},
                {"organization": "dinas-tidak-ada", "title": "Data hantu"},
                {"organization": "diskominfo", "title": "Untuk diri sendiri"},
                {"organization": "dinas-kesehatan", "title": "Lampau", "due_date": "2026-03-10"},
                {"organization": "dinas-kesehatan", "title": "x" * 501},
                {"organization": "dinas-kesehatan", "title": "Peta", "dataset_type": "peta"},
                {"organization": "dinas-kesehatan", "title": "Tanggal", "due_date": "31/12"}]
        with pytest.raises(ValidationError) as refused:
            call("satudata_daftar_entry_add", portal.walidata, id=made["id"], entries=rows)
        problems = refused.value.error_dict["entries"]
        assert [sorted(p) for p in problems] == [
            [], ["title"], ["organization"], ["organization"], ["due_date"], ["title"],
            ["dataset_type"], ["due_date"]]
        assert "2026" in problems[4]["due_date"][0]  # the passed date is named
        assert model.Session.query(DaftarEntry).count() == 0
        with pytest.raises(ValidationError):
            call("satudata_daftar_entry_add", portal.walidata, id=made["id"], entries=[])

    def test_update_and_delete_an_entry(self, portal):
        made = with_entries(portal)
        entry = made["entries"][1]
        changed = call("satudata_daftar_entry_update", portal.walidata, id=entry["id"],
                       title="Jumlah dokter", organization="dinas-pendidikan",
                       due_date="2099-07-01")
        changed_entry = next(e for e in changed["entries"] if e["id"] == entry["id"])
        assert changed_entry["title"] == "Jumlah dokter"
        assert changed_entry["organization"]["name"] == "dinas-pendidikan"
        with pytest.raises(ValidationError):
            call("satudata_daftar_entry_update", portal.walidata, id=entry["id"], title="")
        left = call("satudata_daftar_entry_delete", portal.walidata, id=entry["id"])
        assert entry["id"] not in [e["id"] for e in left["entries"]]
        with pytest.raises(NotFound):
            call("satudata_daftar_entry_delete", portal.walidata, id=entry["id"])

    def test_only_the_walidata_changes_entries(self, portal, people):
        made = with_entries(portal)
        entry = made["entries"][0]
        for user in (portal.produsen, people["dinkes_member"], portal.pembina, portal.sysadmin,
                     ANON):
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_entry_add", user, id=made["id"], entries=[dict(ROWS[0])])
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_entry_update", user, id=entry["id"], title="Diubah")
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_entry_delete", user, id=entry["id"])
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_update", user, id=made["id"], period="2028")
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_send", user, id=made["id"])
        assert call("satudata_daftar_show", portal.walidata, id=made["id"])["entries"] == \
            made["entries"]


class TestSending:
    def test_sending_makes_one_request_per_entry_and_tells_each_opd_once(self, portal):
        made = with_entries(portal)
        sent = call("satudata_daftar_send", portal.walidata, id=made["id"])
        assert sent["state"] == "sent" and sent["sent"] and sent["late"] is False
        requests = model.Session.query(DataRequest).all()
        assert len(requests) == 3
        by_title = {r.title: r for r in requests}
        for entry in sent["entries"]:
            request = by_title[entry["title"]]
            assert entry["request"]["id"] == request.id and request.status == "open"
            assert request.organization_id == entry["organization"]["id"]
            assert "Daftar Data Sektoral 2027" in request.description
        assert "SDI Kesehatan 1.2" in by_title["Jumlah puskesmas per kecamatan"].description
        assert by_title["Jumlah sekolah dasar"].due == datetime.datetime(2099, 6, 30, 9,
                                                                         tzinfo=UTC)
        shown = call("satudata_request_show", portal.produsen,
                     id=by_title["Jumlah puskesmas per kecamatan"].id)
        assert shown["daftar"] == {"id": made["id"], "period": "2027"}

        notices = model.Session.query(Notification).all()
        assert sorted(model.User.get(n.user_id).name for n in notices) == [
            "produsen-dinkes", "produsen-disdik"]
        dinkes = next(n for n in notices if model.User.get(n.user_id).name == "produsen-dinkes")
        assert "Jumlah puskesmas" in dinkes.body and "Jumlah tenaga kesehatan" in dinkes.body
        assert "Jumlah sekolah dasar" not in dinkes.body
        assert {p["organization"]["name"]: (p["total"], p["open"], p["delivered"])
                for p in sent["progress"]} == {"dinas-kesehatan": (2, 2, 0),
                                                "dinas-pendidikan": (1, 1, 0)}

    def test_a_sent_daftar_is_not_changed(self, portal):
        made = with_entries(portal)
        call("satudata_daftar_send", portal.walidata, id=made["id"])
        entry = made["entries"][0]
        attempts = [("satudata_daftar_update", {"id": made["id"], "period": "2028"}),
                    ("satudata_daftar_entry_add", {"id": made["id"], "entries": [dict(ROWS[0])]}),
                    ("satudata_daftar_entry_update", {"id": entry["id"], "title": "Lain"}),
                    ("satudata_daftar_entry_delete", {"id": entry["id"]}),
                    ("satudata_daftar_send", {"id": made["id"]})]
        for name, data in attempts:
            with pytest.raises(ValidationError) as refused:
                call(name, portal.walidata, **data)
            assert "can no longer be changed" in refused.value.error_dict["state"][0]
        assert model.Session.query(DataRequest).count() == 3

    def test_an_empty_daftar_is_not_sent(self, portal):
        made = new_daftar(portal)
        with pytest.raises(ValidationError) as refused:
            call("satudata_daftar_send", portal.walidata, id=made["id"])
        assert "entries" in refused.value.error_dict

    def test_a_failure_in_the_middle_makes_no_request(self, portal):
        rows = [dict(ROWS[0]), dict(ROWS[2]), dict(ROWS[1])]
        made = with_entries(portal, rows)
        # The middle entry's OPD closes after it was listed.
        org = model.Group.get("dinas-pendidikan")
        org.state = "deleted"
        model.repo.commit()
        with pytest.raises(ValidationError) as refused:
            call("satudata_daftar_send", portal.walidata, id=made["id"])
        assert "Jumlah sekolah dasar" in refused.value.error_dict["entries"][0]
        assert model.Session.query(DataRequest).count() == 0
        assert model.Session.query(Notification).count() == 0
        again = call("satudata_daftar_show", portal.walidata, id=made["id"])
        assert again["state"] == "draft" and all(e["request"] is None for e in again["entries"])
        # Once the entry is removed the rest goes out.
        call("satudata_daftar_entry_delete", portal.walidata, id=again["entries"][1]["id"])
        sent = call("satudata_daftar_send", portal.walidata, id=made["id"])
        assert model.Session.query(DataRequest).count() == 2 and sent["state"] == "sent"

    def test_an_entry_due_date_that_passed_while_drafting_stops_the_sending(
            self, portal, plain_wednesday):
        made = with_entries(portal, [dict(ROWS[0], due_date="2026-03-12")])
        plain_wednesday.advance(days=2)  # Friday: Thursday's due date is gone
        with pytest.raises(ValidationError) as refused:
            call("satudata_daftar_send", portal.walidata, id=made["id"])
        assert "12 " in refused.value.error_dict["entries"][0]
        assert model.Session.query(DataRequest).count() == 0

    def test_sent_at_its_due_moment_is_on_time_one_second_later_late(self, portal,
                                                                      plain_wednesday):
        on_time, late = new_daftar(portal), new_daftar(portal, period="2027 Semester II")
        for made in (on_time, late):
            call("satudata_daftar_entry_add", portal.walidata, id=made["id"],
                 entries=[dict(ROWS[1], due_date="2026-12-01")])
        due = parse(on_time["due"])
        plain_wednesday.set(due)
        assert call("satudata_daftar_show", portal.walidata, id=late["id"])["overdue"] is False
        assert call("satudata_daftar_send", portal.walidata, id=on_time["id"])["late"] is False
        plain_wednesday.set(due + datetime.timedelta(seconds=1))
        listed = call("satudata_daftar_list", portal.walidata, state="draft")["results"]
        assert [(d["id"], d["overdue"]) for d in listed] == [(late["id"], True)]
        sent = call("satudata_daftar_send", portal.walidata, id=late["id"])
        assert sent["late"] is True and sent["overdue"] is False


def deliver(portal, request_id, user=None):
    dataset = portal.dataset()
    call("satudata_request_fulfil", user or portal.produsen, id=request_id,
         dataset_id=dataset["id"])
    call("satudata_workflow_transition", user or portal.produsen, id=dataset["id"],
         action="submit")
    return dataset


class TestProgressAndReading:
    def test_progress_per_opd_counts_submission_not_linking(self, portal, plain_wednesday):
        made = with_entries(portal, [dict(ROWS[0], due_date="2026-03-17"),
                                     dict(ROWS[1], due_date="2026-03-17"),
                                     dict(ROWS[2], due_date="2026-03-17")])
        sent = call("satudata_daftar_send", portal.walidata, id=made["id"])
        first, second = (e["request"]["id"] for e in sent["entries"][:2])
        deliver(portal, first)  # on time
        linked_only = portal.dataset()
        call("satudata_request_fulfil", portal.produsen, id=second, dataset_id=linked_only["id"])
        progress = {p["organization"]["name"]: p for p in call(
            "satudata_daftar_show", portal.walidata, id=made["id"])["progress"]}
        assert (progress["dinas-kesehatan"]["delivered"], progress["dinas-kesehatan"]["open"]) == (
            1, 1)  # a linked draft is not a delivery
        plain_wednesday.advance(days=14)
        call("satudata_workflow_transition", portal.produsen, id=linked_only["id"],
             action="submit")
        progress = {p["organization"]["name"]: p for p in call(
            "satudata_daftar_show", portal.walidata, id=made["id"])["progress"]}
        assert {k: progress["dinas-kesehatan"][k] for k in ("total", "delivered", "on_time",
                                                           "late", "open")} == {
            "total": 2, "delivered": 2, "on_time": 1, "late": 1, "open": 0}
        assert (progress["dinas-pendidikan"]["open"], progress["dinas-pendidikan"]["overdue"]) == (
            1, 1)

    def test_who_sees_what(self, portal, people):
        draft = with_entries(portal)
        sent = with_entries(portal)
        call("satudata_daftar_send", portal.walidata, id=sent["id"])
        for user in (portal.walidata, people["walidata_admin"]):
            for made in (draft, sent):
                assert len(call("satudata_daftar_show", user, id=made["id"])["entries"]) == 3
            assert call("satudata_daftar_list", user)["count"] == 2
        for user in (portal.produsen, people["dinkes_member"]):
            shown = call("satudata_daftar_show", user, id=sent["id"])
            assert {e["organization"]["name"] for e in shown["entries"]} == {"dinas-kesehatan"}
            assert [p["organization"]["name"] for p in shown["progress"]] == ["dinas-kesehatan"]
            with pytest.raises(NotAuthorized):  # drafts are the Walidata's
                call("satudata_daftar_show", user, id=draft["id"])
            assert [d["id"] for d in call("satudata_daftar_list", user)["results"]] == [sent["id"]]
            assert call("satudata_daftar_list", user, state="draft")["count"] == 0
        shown = call("satudata_daftar_show", portal.produsen_lain, id=sent["id"])
        assert [e["title"] for e in shown["entries"]] == ["Jumlah sekolah dasar"]

        only_health = with_entries(portal, ROWS[:1])
        call("satudata_daftar_send", portal.walidata, id=only_health["id"])
        remove("dinas-kesehatan", people["removed"])
        for user in (portal.produsen_lain, portal.pembina, people["removed"], ANON):
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_show", user, id=only_health["id"])
        for user in (portal.pembina, people["removed"]):
            assert call("satudata_daftar_list", user)["count"] == 0
        with pytest.raises(NotAuthorized):
            call("satudata_daftar_list", ANON)
        with pytest.raises(NotFound):
            call("satudata_daftar_show", portal.walidata, id="tidak-ada")


class TestRefuseLate:
    """The portal setting ckanext.satudata.requests.refuse_late, at the exact due moment."""

    def _request(self, portal, clock):
        made = call("satudata_request_create", portal.walidata, title="Data gizi",
                    organization="dinas-kesehatan", due_date="2026-03-13")
        return made, parse(made["due"])

    @pytest.mark.ckan_config("ckanext.satudata.requests.refuse_late", "true")
    def test_on_at_the_due_moment_accepted_after_it_refused(self, portal, plain_wednesday):
        first, due = self._request(portal, plain_wednesday)
        second, _ = self._request(portal, plain_wednesday)
        plain_wednesday.set(due)
        deliver(portal, first["id"])
        done = helpers.call_action("satudata_request_show", id=first["id"])
        assert done["status"] == "fulfilled" and done["late"] is False

        draft = portal.dataset()
        call("satudata_request_fulfil", portal.produsen, id=second["id"], dataset_id=draft["id"])
        plain_wednesday.set(due + datetime.timedelta(seconds=1))
        with pytest.raises(ValidationError) as refused:  # the submission is refused with it
            call("satudata_workflow_transition", portal.produsen, id=draft["id"],
                 action="submit")
        assert "13 Maret 2026" in refused.value.error_dict["due"][0] or \
            "13 March 2026" in refused.value.error_dict["due"][0]
        assert helpers.call_action("satudata_workflow_show", id=draft["id"])["state"] == "draf"
        assert helpers.call_action("satudata_request_show", id=second["id"])["status"] == "open"
        with pytest.raises(ValidationError):  # nor linked any more
            call("satudata_request_fulfil", portal.produsen, id=second["id"],
                 dataset_id=portal.dataset()["id"])

    def test_off_late_data_is_accepted_and_flagged(self, portal, plain_wednesday):
        made, due = self._request(portal, plain_wednesday)
        plain_wednesday.set(due + datetime.timedelta(seconds=1))
        deliver(portal, made["id"])
        done = helpers.call_action("satudata_request_show", id=made["id"])
        assert done["status"] == "fulfilled" and done["late"] is True


class TestLetter:
    """The Surat Permintaan Data per OPD (documents/surat_permintaan.py)."""

    def _pdf(self, user, daftar_id, organization):
        import base64

        made = call("satudata_daftar_letter", user, id=daftar_id, organization=organization)
        assert made["mimetype"] == "application/pdf"
        return pdf_text(base64.b64decode(made["content"]))

    def test_each_opd_reads_its_own_letter(self, portal, people):
        made = with_entries(portal)
        draft_text = self._pdf(portal.walidata, made["id"], "dinas-kesehatan")  # checked first
        assert "Jumlah puskesmas per kecamatan" in draft_text
        with pytest.raises(NotAuthorized):  # not the OPD's before it is sent
            call("satudata_daftar_letter", portal.produsen, id=made["id"],
                 organization="dinas-kesehatan")
        call("satudata_daftar_send", portal.walidata, id=made["id"])

        for user in (portal.walidata, people["walidata_admin"], portal.produsen,
                     people["dinkes_member"]):
            text = self._pdf(user, made["id"], "dinas-kesehatan")
            assert "Jumlah puskesmas per kecamatan" in text and "Jumlah tenaga kesehatan" in text
            assert "Jumlah sekolah dasar" not in text  # another OPD's
            assert "Dinas Kesehatan" in text and "2027" in text and "SDI Kesehatan 1.2" in text
        assert "Jumlah sekolah dasar" in self._pdf(portal.produsen_lain, made["id"],
                                                   "dinas-pendidikan")
        remove("dinas-kesehatan", people["removed"])
        for user in (portal.produsen_lain, portal.pembina, people["removed"], ANON):
            with pytest.raises(NotAuthorized):
                call("satudata_daftar_letter", user, id=made["id"],
                     organization="dinas-kesehatan")
        with pytest.raises(NotFound):  # the list asks nothing of the Walidata itself
            call("satudata_daftar_letter", portal.walidata, id=made["id"],
                 organization="diskominfo")
