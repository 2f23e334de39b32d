"""The lifecycle pages through the real CKAN app with a real user per role:
the panel on the dataset page, the step form (dialog and page), the queue,
the dashboard with the timeliness report, notifications."""
from __future__ import annotations

import csv
import datetime as dt
import io

import lxml.html
import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.model import Notification, WorkflowEvent, WorkflowState, utcnow
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def parse(response):
    return lxml.html.fromstring(response.body)


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def page(app, url, headers=None, status=200):
    response = app.get(url, headers=headers, follow_redirects=False)
    assert response.status_code == status, (url, response.status_code)
    return parse(response)


def buttons(doc) -> list[str]:
    return [e.get("data-satudata-action") for e in doc.xpath("//*[@data-satudata-action]")]


def post_step(app, headers, dataset, status=302, **form):
    response = app.post(f"/dataset/{dataset['name']}/workflow", data=form, headers=headers,
                        follow_redirects=False)
    assert response.status_code == status, (response.status_code, response.body[-2000:])
    return response


def state_of(dataset) -> str:
    return model.Session.get(WorkflowState, dataset["id"]).state


def version_of(dataset) -> int:
    model.Session.expire_all()
    return model.Session.get(WorkflowState, dataset["id"]).version


def trail(dataset) -> list[WorkflowEvent]:
    return (model.Session.query(WorkflowEvent).filter_by(package_id=dataset["id"])
            .order_by(WorkflowEvent.timestamp).all())


class TestPanel:
    def test_producer_sees_draft_badge_and_submit(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.produsen))
        (badge,) = doc.xpath("//section[contains(@class,'satudata-workflow')]//*[@data-satudata-state]")
        assert badge.get("data-satudata-state") == "draf" and _text(badge) == "Draf"
        assert "satudata-state-draft" in badge.get("class")  # colour of the draft kind
        assert buttons(doc) == ["submit"]
        assert _text(doc.xpath("//*[@data-satudata-holder]")[0]) == "Produsen Data"
        assert "hari kerja" in _text(doc.xpath("//*[@data-satudata-due]")[0])
        assert doc.xpath("//*[@data-satudata-overdue]") == []

    def test_walidata_sees_its_actions_with_reason_dialogs(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.walidata))
        assert buttons(doc) == ["forward", "reject", "return"]
        for action in ("reject", "return"):
            (link,) = doc.xpath(f"//a[@data-satudata-action='{action}']")
            assert link.get("href") == f"/dataset/{dataset['name']}/workflow/{action}"  # no-JS page
            (dialog,) = doc.xpath(f"//*[@id='{link.get('data-bs-target')[1:]}']")
            (comment,) = dialog.xpath(".//textarea[@name='comment']")
            assert comment.get("required") is not None
            (label,) = dialog.xpath(f".//label[@for='{comment.get('id')}']")
            assert "Alasan" in _text(label)
            assert dialog.xpath(".//button[@data-satudata-confirm]")
            assert dialog.xpath(".//select[@name='note_field']") and dialog.xpath(".//input[@name='note_text']")
            assert dialog.xpath(".//input[@name='version']")[0].get("value") == str(version_of(dataset))
        # forward needs no reason: a plain form button, with an optional comment
        (forward,) = doc.xpath("//button[@data-satudata-action='forward']")
        assert forward.getparent().get("method") == "post"
        (comment,) = forward.getparent().xpath(".//textarea[@name='comment']")
        assert comment.get("required") is None
        (label,) = doc.xpath(f"//label[@for='{comment.get('id')}']")
        assert _text(label) == "Komentar (opsional)"

    def test_pembina_sees_approve_and_return(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        act(portal.walidata, dataset, "forward")
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.pembina))
        assert buttons(doc) == ["return", "approve"]
        assert doc.xpath("//*[@data-satudata-state]")[0].get("data-satudata-state") == "direview_pembina"

    def test_producer_after_submit_sees_history_but_no_buttons(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.produsen))
        assert buttons(doc) == []
        (row,) = doc.xpath("//details[contains(@class,'satudata-workflow-history')]//tbody/tr")
        assert row.get("data-satudata-event") == "submit"
        # "Oleh" names the person (full name), not the login
        assert "Draf → Diperiksa Walidata" in _text(row) and portal.produsen["fullname"] in _text(row)

    def test_the_public_sees_no_panel_on_a_published_dataset(self, app, portal):  # noqa: F811
        dataset = portal.dataset()
        for who, action in ((portal.produsen, "submit"), (portal.walidata, "forward"),
                            (portal.pembina, "approve"), (portal.walidata, "publish")):
            act(who, dataset, action)
        doc = page(app, f"/dataset/{dataset['name']}")
        assert doc.xpath("//section[contains(@class,'satudata-workflow')]") == []
        assert buttons(doc) == []

    def test_overdue_is_flagged(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        row = model.Session.get(WorkflowState, dataset["id"])
        row.due = utcnow() - dt.timedelta(days=10)
        model.repo.commit()
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.produsen))
        assert doc.xpath("//*[@data-satudata-overdue]")
        assert "hari kerja terlambat" in _text(doc.xpath("//*[@data-satudata-due]")[0])

    def test_in_english(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        doc = page(app, f"/en/dataset/{dataset['name']}", login(portal.produsen))
        (badge,) = doc.xpath("//*[@data-satudata-state]")
        assert _text(badge) == "Draft"
        assert _text(doc.xpath("//*[@data-satudata-action='submit']")[0]) == "Submit to the data steward"
        assert "Review status" in _text(doc.xpath("//section[contains(@class,'satudata-workflow')]")[0])
        assert "working days left" in _text(doc.xpath("//*[@data-satudata-due]")[0])


class TestStepForm:
    def test_submit_button_takes_the_step(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        response = post_step(app, login(portal.produsen), dataset, action="submit",
                             version=str(version_of(dataset)))
        assert response.headers["Location"].endswith(f"/dataset/{dataset['name']}")
        assert state_of(dataset) == "diperiksa_walidata"
        (event,) = trail(dataset)
        assert (event.action, event.from_state, event.to_state) == ("submit", "draf", "diperiksa_walidata")

    def test_success_is_flashed_on_the_page_it_returns_to(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        # one client follows the redirect, so the session (and its flash) carries over
        response = app.post(f"/dataset/{dataset['name']}/workflow", headers=login(portal.produsen),
                            data={"action": "submit", "version": str(version_of(dataset))},
                            follow_redirects=True)
        doc = parse(response)
        (flash,) = doc.xpath("//*[contains(@class,'alert-success')]")
        assert "Berhasil" in _text(flash) and "Diperiksa Walidata" in _text(flash)

    def test_return_with_reason_and_field_notes(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        response = post_step(app, login(portal.walidata), dataset, action="return",
                             version=str(version_of(dataset)), comment="Satuan belum sesuai",
                             note_field=["satuan", ""], note_text=["Gunakan Jiwa", ""])
        # the Walidata keeps reading what was submitted (steward oversight): back to its page
        assert response.headers["Location"].endswith(f"/dataset/{dataset['name']}")
        assert state_of(dataset) == "dikembalikan"
        event = trail(dataset)[-1]
        assert event.comment == "Satuan belum sesuai" and event.field_notes == {"satuan": "Gunakan Jiwa"}
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.produsen))
        (row,) = doc.xpath("//tr[@data-satudata-event='return']")
        assert "Satuan belum sesuai" in _text(row) and "Satuan: Gunakan Jiwa" in _text(row)

    def test_missing_reason_is_shown_and_typed_input_kept(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        response = post_step(app, login(portal.walidata), dataset, status=400, action="return",
                             version=str(version_of(dataset)), comment="  ",
                             note_field=["satuan", "konsep"], note_text=["Gunakan Jiwa", "Perjelas"])
        doc = parse(response)
        assert state_of(dataset) == "diperiksa_walidata" and trail(dataset)[-1].action == "submit"
        (error,) = doc.xpath("//*[@data-satudata-error='comment']")
        # The action as people know it, not its id
        assert "Alasan wajib diisi untuk “Kembalikan ke Produsen Data”" in _text(error)
        assert doc.xpath("//textarea[@name='comment']")[0].get("aria-describedby")
        kept = [(s.xpath(".//option[@selected]/@value") or [""])[0]
                for s in doc.xpath("//select[@name='note_field']")]
        assert kept[:2] == ["satuan", "konsep"]
        assert [i.get("value") for i in doc.xpath("//input[@name='note_text']")][:2] == ["Gunakan Jiwa", "Perjelas"]
        assert len(doc.xpath("//h1")) == 1

    def test_note_without_field_keeps_the_reason(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        response = post_step(app, login(portal.walidata), dataset, status=400, action="return",
                             comment="Lengkapi metadata", note_field=[""], note_text=["Tanpa isian"])
        doc = parse(response)
        assert doc.xpath("//textarea[@name='comment']")[0].text == "Lengkapi metadata"
        assert doc.xpath("//*[@data-satudata-error='field_notes']")
        assert state_of(dataset) == "diperiksa_walidata"

    def test_stale_version_is_a_conflict_and_keeps_the_text(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        seen = version_of(dataset)
        act(portal.produsen, dataset, "submit")
        response = post_step(app, login(portal.produsen), dataset, status=409, action="submit",
                             version=str(seen), comment="Sudah lengkap")
        doc = parse(response)
        alert = _text(doc.xpath("//*[@data-satudata-errors]")[0])
        assert "Pihak lain" in alert and "Diperiksa Walidata" in alert
        assert doc.xpath("//textarea[@name='comment']")[0].text == "Sudah lengkap"
        assert len(trail(dataset)) == 1

    def test_refused_gates_are_each_listed(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset(notes="", maintainer="", maintainer_email="", tags=[],
                                 jadwal_rilis_berikutnya="", id_sds="", klasifikasi="")
        response = post_step(app, login(portal.produsen), dataset, status=400, action="submit",
                             version=str(version_of(dataset)))
        doc = parse(response)
        gates = [_text(li) for li in doc.xpath("//*[@data-satudata-error='gates']")]
        assert gates and any("Klasifikasi" in g for g in gates)
        assert "pemeriksaan" in _text(doc.xpath("//*[@data-satudata-errors]")[0])
        assert state_of(dataset) == "draf"

    def test_forward_keeps_its_optional_comment(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        post_step(app, login(portal.walidata), dataset, action="forward",
                  comment="Cek angka Kecamatan Bangil", version=str(version_of(dataset)))
        assert trail(dataset)[-1].comment == "Cek angka Kecamatan Bangil"

    def test_a_refused_gate_offers_no_confirm_but_the_failing_report(
            self, app, portal, login, upload_resource):  # noqa: F811
        dataset = portal.dataset()
        resource = upload_resource(dataset["id"], "kasus_dbd_blank_row_extra_cell.csv",
                                   portal.produsen["name"])
        portal.validate(dataset["id"])
        response = post_step(app, login(portal.produsen), dataset, status=400, action="submit",
                             comment="Mohon diperiksa", version=str(version_of(dataset)))
        doc = parse(response)
        assert doc.xpath("//*[@data-satudata-error='gates']")
        assert not doc.xpath("//button[@data-satudata-confirm]")  # confirming cannot help
        assert not doc.xpath("//select[@name='note_field']")
        (report,) = doc.xpath("//a[@data-satudata-report]")
        assert report.get("href") == f"/dataset/{dataset['name']}/resource/{resource['id']}/validation"
        assert doc.xpath("//textarea[@readonly]")[0].text == "Mohon diperiksa"  # the text is kept
        (status,) = doc.xpath("//*[@data-satudata-state]")
        assert _text(status) == "Draf" and "satudata-state-draft" in status.get("class")
        assert state_of(dataset) == "draf"

    @pytest.mark.parametrize("who", ["pembina", "produsen_lain"])
    def test_someone_without_rights_gets_403(self, app, portal, login, who):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        post_step(app, login(getattr(portal, who)), dataset, status=403, action="forward",
                  version=str(version_of(dataset)))
        assert state_of(dataset) == "diperiksa_walidata"

    def test_producer_cannot_forward_its_own_dataset(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        post_step(app, login(portal.produsen), dataset, status=403, action="forward")
        assert state_of(dataset) == "diperiksa_walidata"

    def test_anonymous_gets_403(self, app, portal):  # noqa: F811
        dataset = portal.dataset()
        response = app.post(f"/dataset/{dataset['name']}/workflow", data={"action": "submit"},
                            follow_redirects=False)
        assert response.status_code in (400, 403)  # CSRF or login: either way nothing happens
        assert state_of(dataset) == "draf"

    def test_page_fallback_without_javascript(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        doc = page(app, f"/dataset/{dataset['name']}/workflow/reject", login(portal.walidata))
        (form,) = doc.xpath("//form[.//button[@data-satudata-confirm]]")
        assert form.get("action") == f"/dataset/{dataset['name']}/workflow"
        assert form.xpath(".//input[@name='action']")[0].get("value") == "reject"
        assert form.xpath(".//textarea[@name='comment']")[0].get("required") is not None
        assert len(doc.xpath("//h1")) == 1

    def test_page_for_an_action_not_possible_goes_back(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        response = app.get(f"/dataset/{dataset['name']}/workflow/publish",
                           headers=login(portal.produsen), follow_redirects=False)
        assert response.status_code == 302


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
class TestSeveralTargets:
    def test_bps_chooses_where_to_return(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        # pasuruan's submission needs data (has_data): a link to it
        helpers.call_action("resource_create", {"user": portal.produsen["name"]},
                            package_id=dataset["id"], name="Data", format="JSON",
                            url="http://example.com/penduduk.json")
        act(portal.produsen, dataset, "submit")
        act(portal.walidata, dataset, "forward")
        doc = page(app, f"/dataset/{dataset['name']}", login(portal.pembina))
        assert buttons(doc).count("return") == 1
        (dialog,) = doc.xpath("//*[@id='satudata-dialog-return']")
        targets = {r.get("value"): _text(doc.xpath(f"//label[@for='{r.get('id')}']")[0])
                   for r in dialog.xpath(".//input[@name='to']")}
        assert targets == {"diperbaiki_walidata": "Kembalikan ke Walidata", "dikembalikan": "Kembalikan ke OPD"}

        response = post_step(app, login(portal.pembina), dataset, status=400, action="return",
                             comment="Periksa definisi", version=str(version_of(dataset)))
        doc = parse(response)
        assert doc.xpath("//*[@data-satudata-error='to']")
        assert doc.xpath("//textarea[@name='comment']")[0].text == "Periksa definisi"

        post_step(app, login(portal.pembina), dataset, action="return", to="diperbaiki_walidata",
                  comment="Periksa definisi", version=str(version_of(dataset)))
        assert state_of(dataset) == "diperbaiki_walidata"


def _make_overdue(dataset, days=10):
    row = model.Session.get(WorkflowState, dataset["id"])
    row.due = utcnow() - dt.timedelta(days=days)
    model.repo.commit()


class TestQueue:
    def test_walidata_queue_most_urgent_first_with_overdue_highlighted(self, app, portal, login):  # noqa: F811
        calm = portal.dataset(title="Data tenang")
        late = portal.dataset(title="Data terlambat")
        act(portal.produsen, calm, "submit")
        act(portal.produsen, late, "submit")
        _make_overdue(late)
        doc = page(app, "/dashboard/antrean", login(portal.walidata))
        rows = doc.xpath("//tr[@data-satudata-queue-item]")
        assert [r.get("data-satudata-queue-item") for r in rows] == [late["name"], calm["name"]]
        assert rows[0].get("data-satudata-overdue") is not None and "table-danger" in rows[0].get("class")
        assert rows[1].get("data-satudata-overdue") is None
        assert "Dinas Kesehatan" in _text(rows[0])
        assert len(doc.xpath("//h1")) == 1 and _text(doc.xpath("//h1")[0]) == "Antrean saya"

        doc = page(app, "/dashboard/antrean?overdue=1", login(portal.walidata))
        assert [r.get("data-satudata-queue-item") for r in doc.xpath("//tr[@data-satudata-queue-item]")] \
            == [late["name"]]

    def test_pembina_queue_is_empty_until_forwarded(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        assert page(app, "/dashboard/antrean", login(portal.pembina)).xpath("//*[@data-satudata-empty]")
        act(portal.walidata, dataset, "forward")
        doc = page(app, "/dashboard/antrean", login(portal.pembina))
        assert [r.get("data-satudata-queue-item") for r in doc.xpath("//tr[@data-satudata-queue-item]")] \
            == [dataset["name"]]

    def test_in_english_and_linked_from_the_header(self, app, portal, login):  # noqa: F811
        doc = page(app, "/en/dashboard/antrean", login(portal.walidata))
        assert _text(doc.xpath("//h1")[0]) == "My queue"
        assert doc.xpath("//a[@href='/en/dashboard/antrean']")
        assert doc.xpath("//a[@href='/en/dashboard/notifikasi']")

    def test_anonymous_is_refused(self, app, portal):  # noqa: F811
        assert app.get("/dashboard/antrean", follow_redirects=False).status_code == 403


class TestBulk:
    def _queued(self, portal, n=2):  # noqa: F811
        datasets = [portal.dataset(title=f"Data {i}") for i in range(n)]
        for dataset in datasets:
            act(portal.produsen, dataset, "submit")
        return datasets

    def test_walidata_forwards_several_at_once(self, app, portal, login):  # noqa: F811
        one, two = self._queued(portal)
        doc = page(app, "/dashboard/antrean", login(portal.walidata))
        (form,) = doc.xpath("//form[@data-satudata-bulk]")
        options = [o.get("value") for o in form.xpath(".//select[@name='action']/option") if o.get("value")]
        assert options == ["forward", "reject", "return"]
        boxes = form.xpath(".//input[@type='checkbox'][@name='id']")
        assert {b.get("value") for b in boxes} == {one["id"], two["id"]}
        assert all(doc.xpath(f"//label[@for='{b.get('id')}']") for b in boxes)

        response = app.post("/dashboard/antrean", headers=login(portal.walidata),
                            data={"id": [one["id"], two["id"]], "action": "forward"},
                            follow_redirects=False)
        assert response.status_code == 302
        assert (state_of(one), state_of(two)) == ("direview_pembina", "direview_pembina")
        assert [e.user_id for e in trail(one)][-1] == portal.walidata["id"]

    def test_failures_are_listed_and_stay_selected(self, app, portal, login):  # noqa: F811
        one, two = self._queued(portal)
        response = app.post("/dashboard/antrean", headers=login(portal.walidata),
                            data={"id": [one["id"], two["id"]], "action": "return", "comment": ""},
                            follow_redirects=False)
        assert response.status_code == 200
        doc = parse(response)
        errors = {e.get("data-satudata-bulk-error"): _text(e)
                  for e in doc.xpath("//*[@data-satudata-bulk-error]")}
        assert set(errors) == {one["id"], two["id"]} and all("Alasan" in m for m in errors.values())
        checked = {b.get("value") for b in doc.xpath("//input[@name='id'][@checked]")}
        assert checked == {one["id"], two["id"]}
        assert doc.xpath("//select[@name='action']/option[@selected]")[0].get("value") == "return"
        assert (state_of(one), state_of(two)) == ("diperiksa_walidata", "diperiksa_walidata")

    def test_nothing_selected(self, app, portal, login):  # noqa: F811
        self._queued(portal, 1)
        response = app.post("/dashboard/antrean", headers=login(portal.walidata),
                            data={"action": "forward", "comment": "Lanjut"}, follow_redirects=False)
        assert response.status_code == 400
        doc = parse(response)
        assert doc.xpath("//*[@data-satudata-error='id']")
        assert doc.xpath("//textarea[@name='comment']")[0].text == "Lanjut"


class TestDashboard:
    def test_counts_overdue_and_timeliness_for_the_walidata(self, app, portal, login):  # noqa: F811
        one, two = portal.dataset(), portal.dataset()
        act(portal.produsen, one, "submit")
        act(portal.produsen, two, "submit")
        _make_overdue(two)
        act(portal.walidata, two, "forward")  # late: forwarded after its due date
        other = sd.create(sd.data_sektoral(portal.opd_lain["id"], kegiatan=None),
                          portal.produsen_lain["name"])
        act(portal.produsen_lain, other, "submit")

        doc = page(app, "/dashboard/ringkasan", login(portal.walidata))
        (count,) = doc.xpath("//tr[@data-satudata-state-count='diperiksa_walidata']")
        assert [_text(c) for c in count.xpath("./td")] == ["Diperiksa Walidata", "2", "0"]
        report = {r.get("data-satudata-report-org"): [_text(c) for c in r.xpath("./th|./td")]
                  for r in doc.xpath("//tr[@data-satudata-report-org]")}
        # On screen: OPD, steps, on time, late, % on time, mean delay, longest, overdue now,
        # data requests (deliveries, roles and states are in the CSV)
        assert report["dinas-kesehatan"][:4] == ["Dinas Kesehatan", "3", "2", "1"]
        assert len(report["dinas-kesehatan"]) == 9
        assert float(report["dinas-kesehatan"][5].replace(",", ".")) >= 1  # id: decimal comma
        assert report["dinas-pendidikan"][1:4] == ["1", "1", "0"]
        csv_link = doc.xpath("//a[@data-satudata-csv]")[0].get("href")

        response = app.get(csv_link, headers=login(portal.walidata))
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
        assert rows[0][:5] == ["OPD", "Kode OPD", "Langkah", "Tepat waktu", "Terlambat"]
        by_code = {r[1]: r for r in rows[1:]}
        assert by_code["dinas-kesehatan"][2:5] == ["3", "2", "1"]
        assert by_code["dinas-pendidikan"][2:5] == ["1", "1", "0"]
        # the Walidata's own lateness is told apart from the OPD's
        walidata_late = rows[0].index("Walidata: terlambat")
        produsen_late = rows[0].index("Produsen Data: terlambat")
        assert (by_code["dinas-kesehatan"][walidata_late], by_code["dinas-kesehatan"][produsen_late]) \
            == ("1", "0")

    def test_timeliness_table_becomes_cards_on_a_phone(self, app, portal, login):  # noqa: F811
        # At 390 px its nine columns scrolled sideways (a walk): as the EPSS table, it
        # is laid out as one card per OPD there (satudata-cards in satudata.css), each
        # cell naming its column.
        act(portal.produsen, portal.dataset(), "submit")
        doc = page(app, "/dashboard/ringkasan", login(portal.walidata))
        (table,) = doc.xpath("//table[@data-satudata-report]")
        assert "satudata-cards" in table.get("class").split()
        header = [_text(c) for c in table.xpath("./thead//th")]
        (row,) = table.xpath(".//tr[@data-satudata-report-org='dinas-kesehatan']")
        assert [c.get("data-label") for c in row.xpath("./td")] == header[1:]
        assert header[1:3] == ["Langkah", "Tepat waktu"]

    def test_producer_sees_no_timeliness_report(self, app, portal, login):  # noqa: F811
        doc = page(app, "/dashboard/ringkasan", login(portal.produsen))
        assert doc.xpath("//*[@data-satudata-timeliness]") == []
        assert len(doc.xpath("//h1")) == 1
        app_response = app.get("/dashboard/ringkasan/ketepatan-waktu.csv", headers=login(portal.produsen),
                               follow_redirects=False)
        assert app_response.status_code == 403

    def test_bad_period_is_explained(self, app, portal, login):  # noqa: F811
        doc = page(app, "/dashboard/ringkasan?date_from=2026-05-02&date_to=2026-05-01", login(portal.walidata))
        section = _text(doc.xpath("//*[@data-satudata-timeliness]")[0])
        assert "Tanggal awal" in section
        assert doc.xpath("//input[@name='date_from']")[0].get("value") == "2026-05-02"

    def test_csv_neutralises_formulas(self, app, portal, login):  # noqa: F811
        act(portal.produsen, portal.dataset(), "submit")
        org = model.Group.by_name("dinas-kesehatan")
        org.title = '=HYPERLINK("http://x","klik")'
        model.Session.commit()
        response = app.get("/dashboard/ringkasan/ketepatan-waktu.csv", headers=login(portal.walidata))
        rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
        by_code = {r[1]: r for r in rows[1:]}
        assert by_code["dinas-kesehatan"][0] == "'=HYPERLINK(\"http://x\",\"klik\")"

    def test_csv_in_english(self, app, portal, login):  # noqa: F811
        response = app.get("/en/dashboard/ringkasan/ketepatan-waktu.csv", headers=login(portal.walidata))
        rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
        assert rows[0][:5] == ["OPD", "OPD code", "Steps", "On time", "Late"]


class TestNotifications:
    def test_list_and_mark_read(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset(title="Penduduk 2023")
        act(portal.produsen, dataset, "submit")
        doc = page(app, "/dashboard/notifikasi", login(portal.walidata))
        (item,) = doc.xpath("//*[@data-satudata-notification]")
        assert item.get("data-satudata-read") == "false" and "Penduduk 2023" in _text(item)
        assert doc.xpath("//*[@data-satudata-unread='1']")
        response = app.post("/dashboard/notifikasi", data={"id": item.get("data-satudata-notification")},
                            headers=login(portal.walidata), follow_redirects=False)
        assert response.status_code == 302
        model.Session.expire_all()
        assert model.Session.query(Notification).filter_by(read=False).count() == 0
        doc = page(app, "/dashboard/notifikasi?unread=1", login(portal.walidata))
        assert doc.xpath("//*[@data-satudata-empty]")

    def test_cannot_mark_someone_elses(self, app, portal, login):  # noqa: F811
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        (notice,) = model.Session.query(Notification).all()
        app.post("/dashboard/notifikasi", data={"id": notice.id}, headers=login(portal.produsen))
        model.Session.expire_all()
        assert model.Session.get(Notification, notice.id).read is False


class TestListingBadge:
    def test_badge_for_unpublished_none_for_published(self, app, portal, login):  # noqa: F811
        draft = portal.dataset(title="Draf satu")
        done = portal.dataset(title="Sudah terbit")
        for who, action in ((portal.produsen, "submit"), (portal.walidata, "forward"),
                            (portal.pembina, "approve"), (portal.walidata, "publish")):
            act(who, done, action)
        doc = page(app, "/dataset/", login(portal.produsen))
        states = {e.get("data-satudata-state") for e in doc.xpath("//*[@data-satudata-state]")}
        assert states == {"draf"}
        assert page(app, "/dataset/").xpath("//*[@data-satudata-state]") == []


class TestDataRequestsOnTheDashboard:
    def test_opd_sees_its_open_requests_overdue_first(self, app, portal, login, plain_wednesday):  # noqa: F811
        as_walidata = {"user": portal.walidata["name"]}
        yesterday = (utcnow() - dt.timedelta(days=1)).date().isoformat()
        later = (utcnow() + dt.timedelta(days=40)).date().isoformat()
        late = helpers.call_action("satudata_request_create", dict(as_walidata), title="Kasus DBD",
                                   organization="dinas-kesehatan", due_date=yesterday)
        calm = helpers.call_action("satudata_request_create", dict(as_walidata), title="Imunisasi",
                                   organization="dinas-kesehatan", due_date=later)
        helpers.call_action("satudata_request_create", dict(as_walidata), title="Sekolah",
                            organization="dinas-pendidikan", due_date=later)
        doc = page(app, "/dashboard/ringkasan", login(portal.produsen))
        rows = doc.xpath("//tr[@data-satudata-request]")
        assert [r.get("data-satudata-request") for r in rows] == [late["id"], calm["id"]]
        assert rows[0].get("data-satudata-overdue") is not None
        assert rows[1].get("data-satudata-overdue") is None
        assert doc.xpath("//a[@href='/permintaan-data/']")
