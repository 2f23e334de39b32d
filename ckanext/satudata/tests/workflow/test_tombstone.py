"""Withdrawal tombstones: the API (show, list), the 410 page, and that nothing
but the tombstone fields of a withdrawn dataset reaches the public."""
import datetime

import lxml.html
import pytest

import ckan.model as model
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.model import WorkflowState
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.workflow import service

NotAuthorized = helpers.logic.NotAuthorized
NotFound = helpers.logic.NotFound
ValidationError = helpers.logic.ValidationError

TOMBSTONE_KEYS = {"id", "name", "title", "type", "organization", "state", "state_label",
                  "withdrawn_at", "reason"}
REASON = "Data ganda dengan publikasi BPS; gunakan tabel BPS"
SECRET = "Catatan internal yang tidak boleh bocor"


def anonymous():
    return {"user": "", "ignore_auth": False}


def reach(portal, dataset, goal, reason=REASON):
    pkg = model.Package.get(dataset["id"])
    actors = {"produsen": portal.produsen, "walidata": portal.walidata, "pembina": portal.pembina}
    for step in service.path(service.workflow_of(pkg), service.state_id(pkg), goal):
        helpers.call_action("satudata_workflow_transition", {"user": actors[step.by[0]]["name"]},
                            id=dataset["id"], action=step.action, to=step.to,
                            comment=reason if step.reason_required else "")


@pytest.fixture
def withdrawn(portal, upload_resource):
    dataset = portal.dataset(name="kasus-dbd-2023", title="Kasus DBD 2023", notes=SECRET)
    resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
    helpers.call_action("resource_validation_run", {"ignore_auth": True},
                        resource_id=resource["id"], **{"async": False})
    reach(portal, dataset, "ditarik")
    return dataset, resource


class TestShow:
    def test_anonymous_sees_exactly_the_tombstone_fields(self, portal, withdrawn):
        dataset, _ = withdrawn
        before = datetime.datetime.now(datetime.timezone.utc)
        found = helpers.call_action("satudata_tombstone_show", anonymous(), id=dataset["name"])

        assert set(found) == TOMBSTONE_KEYS
        assert found["id"] == dataset["id"] and found["name"] == "kasus-dbd-2023"
        assert found["title"] == "Kasus DBD 2023" and found["type"] == "dataset"
        assert found["organization"] == {"name": "dinas-kesehatan", "title": "Dinas Kesehatan"}
        assert found["state"] == "ditarik" and found["reason"] == REASON
        assert found["withdrawn_at"].endswith("Z")
        withdrawn_at = datetime.datetime.fromisoformat(found["withdrawn_at"].replace("Z", "+00:00"))
        assert abs((withdrawn_at - before).total_seconds()) < 600  # the withdrawal, not creation
        assert SECRET not in str(found)

    @pytest.mark.parametrize("state", ["draf", "diperiksa_walidata", "terpublikasi", "ditolak"])
    def test_other_states_have_no_tombstone(self, portal, state):
        dataset = portal.dataset()
        reach(portal, dataset, state) if state != "ditolak" else (
            reach(portal, dataset, "diperiksa_walidata"),
            helpers.call_action("satudata_workflow_transition", {"user": "walidata"},
                                id=dataset["id"], action="reject", comment="Bukan data sektoral"))
        with pytest.raises(NotFound):
            helpers.call_action("satudata_tombstone_show", anonymous(), id=dataset["id"])

    def test_unknown_and_deleted_datasets_have_none(self, portal, withdrawn):
        with pytest.raises(NotFound):
            helpers.call_action("satudata_tombstone_show", anonymous(), id="tidak-ada")
        dataset, _ = withdrawn
        helpers.call_action("package_delete", {"user": portal.sysadmin["name"]}, id=dataset["id"])
        with pytest.raises(NotFound):
            helpers.call_action("satudata_tombstone_show", anonymous(), id=dataset["id"])

    def test_the_withdrawn_dataset_itself_stays_hidden(self, portal, withdrawn):
        dataset, resource = withdrawn
        with pytest.raises(NotAuthorized):
            helpers.call_action("package_show", anonymous(), id=dataset["id"])
        with pytest.raises(NotAuthorized):
            helpers.call_action("resource_show", anonymous(), id=resource["id"])
        assert helpers.call_action("package_search", anonymous(), q="*:*")["count"] == 0

    def test_the_tombstone_follows_the_current_state(self, portal, withdrawn):
        dataset, _ = withdrawn
        row = model.Session.get(WorkflowState, dataset["id"])
        row.state = "terpublikasi"  # as if re-published (no such transition: set directly)
        model.Session.commit()
        with pytest.raises(NotFound):
            helpers.call_action("satudata_tombstone_show", anonymous(), id=dataset["id"])


class TestList:
    def _withdraw(self, portal, name, reason=REASON):
        dataset = portal.dataset(name=name, title=name.title())
        reach(portal, dataset, "ditarik", reason)
        return dataset

    def test_list_orders_by_withdrawal_and_pages(self, portal):
        names = [self._withdraw(portal, f"data-{n}")["name"] for n in ("c", "a", "b")]
        published = portal.dataset(name="data-terbit")
        reach(portal, published, "terpublikasi")

        listed = helpers.call_action("satudata_tombstone_list", anonymous())
        assert listed["count"] == 3
        assert [r["name"] for r in listed["results"]] == names  # withdrawal order, not names
        assert all(set(r) == TOMBSTONE_KEYS for r in listed["results"])
        assert all(r["reason"] == REASON for r in listed["results"])

        page = helpers.call_action("satudata_tombstone_list", anonymous(), limit=1, offset=1)
        assert page["count"] == 3 and [r["name"] for r in page["results"]] == names[1:2]

    def test_since_gives_only_later_withdrawals(self, portal):
        first = self._withdraw(portal, "data-lama")
        cut = helpers.call_action("satudata_tombstone_show", id=first["id"])["withdrawn_at"]
        second = self._withdraw(portal, "data-baru", reason="Diganti dataset baru")

        later = helpers.call_action("satudata_tombstone_list", anonymous(), since=cut)
        assert [r["name"] for r in later["results"]] == ["data-lama", "data-baru"]  # at or after
        after = datetime.datetime.fromisoformat(cut.replace("Z", "+00:00")) + \
            datetime.timedelta(microseconds=1)
        later = helpers.call_action("satudata_tombstone_list", anonymous(),
                                    since=after.isoformat())
        assert [(r["name"], r["reason"]) for r in later["results"]] == [
            (second["name"], "Diganti dataset baru")]
        # A time without a zone is UTC.
        naive = after.replace(tzinfo=None).isoformat()
        assert helpers.call_action("satudata_tombstone_list", since=naive)["count"] == 1

    @pytest.mark.parametrize("bad", [{"limit": 1001}, {"limit": -1}, {"offset": "x"},
                                     {"since": "kemarin"}])
    def test_bad_parameters_are_refused(self, portal, bad):
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("satudata_tombstone_list", anonymous(), **bad)
        assert set(refused.value.error_dict) == set(bad)

    def test_empty(self, portal):
        assert helpers.call_action("satudata_tombstone_list", anonymous()) == {
            "count": 0, "results": []}


def _text(response) -> str:
    return " ".join(lxml.html.fromstring(response.body).text_content().split())


class TestPage:
    def test_anonymous_gets_410_with_the_tombstone_only(self, app, portal, withdrawn):
        dataset, resource = withdrawn
        response = app.get(f"/dataset/{dataset['name']}")
        assert response.status_code == 410
        text = _text(response)
        assert "Kasus DBD 2023" in text and REASON in text and "Dinas Kesehatan" in text
        assert "telah ditarik dari publikasi" in text and "Alasan penarikan" in text
        assert SECRET not in text and resource["name"] not in text
        assert "penduduk_valid" not in response.body

    def test_english_under_en(self, app, portal, withdrawn):
        dataset, _ = withdrawn
        response = app.get(f"/en/dataset/{dataset['id']}")
        assert response.status_code == 410
        assert "has been withdrawn from publication" in _text(response)
        assert "Reason for withdrawal" in _text(response)

    def test_resource_page_and_download_are_gone_too(self, app, portal, withdrawn):
        dataset, resource = withdrawn
        base = f"/dataset/{dataset['id']}/resource/{resource['id']}"
        for url in (base, f"{base}/download/penduduk_valid.csv"):
            response = app.get(url)
            assert response.status_code == 410, url
            assert "jumlah" not in response.body.lower()  # no file content

    def test_the_type_route_answers_too(self, app, portal):
        kegiatan = sd.create(sd.kegiatan(portal.opd["id"], name="survei-ditarik"),
                             portal.produsen["name"])
        row = model.Session.get(WorkflowState, kegiatan["id"])
        row.state = "ditarik"  # the full MS-Keg path is tested elsewhere
        model.Session.commit()
        assert app.get("/kegiatan/survei-ditarik").status_code == 410
        assert app.get("/dataset/survei-ditarik").status_code == 404  # wrong type route

    def test_who_can_still_read_it_sees_the_normal_page(self, app, portal, withdrawn):
        dataset, _ = withdrawn
        for user in (portal.produsen, portal.sysadmin):
            token = ckan_factories.APIToken(user=user["name"])["token"]
            response = app.get(f"/dataset/{dataset['name']}", headers={"Authorization": token})
            assert response.status_code == 200
            assert SECRET in _text(response)

    def test_unpublished_datasets_stay_404(self, app, portal):
        dataset = portal.dataset(name="masih-draf")
        assert app.get("/dataset/masih-draf").status_code == 404
        reach(portal, dataset, "terpublikasi")
        assert app.get("/dataset/masih-draf").status_code == 200
