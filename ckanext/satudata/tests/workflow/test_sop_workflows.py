"""The two SOP workflows end to end through the API, with a real user for each role.

tanjabbar (SOP 000): data request with deadline, delivery, completeness check that
returns, processing, Seksi → Bidang → Dinas sign-off with returns one level down,
publication, withdrawal. pasuruan (SOP 002): OPD → Walidata → BPS rounds, BPS
returning to the Walidata or to the OPD (the caller says where with ``to``).
"""
import datetime

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata.model import Notification
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.workflow.conftest import member
from ckanext.satudata.workflow import calendar

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def public(dataset) -> bool:
    try:
        helpers.call_action("package_show", {"user": "", "ignore_auth": False}, id=dataset["id"])
        return True
    except NotAuthorized:
        return False


def trail(shown):
    return [(e["action"], e["from_state"], e["to_state"], e["user"]) for e in shown["history"]]


def when(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment)


@pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
class TestTanjabbar:
    @pytest.fixture
    def people(self, portal):
        # Diskominfo's levels by capacity (tanjabbar.yaml): staff are members, the Kepala
        # Seksi an editor (portal.walidata), Kepala Bidang and Kepala Dinas admins.
        return {
            "produsen": portal.produsen,
            "staf": member("staf-pds", "diskominfo", "member"),
            "kasi": portal.walidata,
            "kabid": member("kabid-tik", "diskominfo", "admin"),
            "kadis": member("kadis-kominfo", "diskominfo", "admin"),
        }

    def test_request_delivery_checks_signoff_publication_withdrawal(
            self, portal, people, delivered):
        p = people
        asked = helpers.call_action("satudata_request_create", {"user": p["kasi"]["name"]},
                                    title="Penduduk per kecamatan", organization="dinas-kesehatan")
        cal = calendar.WorkCalendar.from_config(tk.config)
        assert when(asked["due"]) == cal.due(when(asked["created"]), 60, "working_days")

        dataset = delivered()
        done = helpers.call_action("satudata_request_fulfil", {"user": p["produsen"]["name"]},
                                   id=asked["id"], dataset_id=dataset["id"])
        assert done["status"] == "open" and done["late"] is None  # a linked draft is not a delivery
        show = helpers.call_action("satudata_workflow_show", {"user": "produsen-dinkes"},
                                   id=dataset["id"])
        assert (show["workflow"], show["state"]) == ("tanjabbar", "draf")

        # Step 2: delivery, returned as incomplete, delivered again, complete.
        assert act(p["produsen"], dataset, "submit")["state"] == "diperiksa_walidata"
        done = helpers.call_action("satudata_request_show", {"user": p["kasi"]["name"]},
                                   id=asked["id"])
        assert done["status"] == "fulfilled" and done["late"] is False
        queue = helpers.call_action("satudata_workflow_queue", {"user": "staf-pds"})
        assert [q["name"] for q in queue] == [dataset["name"]]
        with pytest.raises(ValidationError):
            act(p["staf"], dataset, "return")  # a reason is required
        assert act(p["staf"], dataset, "return",
                   comment="Metadata satuan belum diisi")["state"] == "dikembalikan"
        returned = model.Session.query(Notification).filter_by(package_id=dataset["id"]).all()
        assert "produsen-dinkes" in {model.User.get(n.user_id).name for n in returned}
        act(p["produsen"], dataset, "submit")
        assert act(p["staf"], dataset, "forward")["state"] == "diolah"

        # Steps 3-4, then 5-7: each level checks; a return goes one level down.
        assert act(p["staf"], dataset, "forward")["state"] == "diperiksa_kasi"
        with pytest.raises(NotAuthorized):
            act(p["staf"], dataset, "forward")  # staff are not the Kepala Seksi
        assert act(p["kasi"], dataset, "return", comment="Tabel salah judul")["state"] == "diolah"
        act(p["staf"], dataset, "forward")
        shown = act(p["kasi"], dataset, "forward")
        assert shown["state"] == "diperiksa_kabid"
        assert when(shown["due"]) == cal.due(when(shown["entered"]), 1, "working_days")
        with pytest.raises(NotAuthorized):
            act(p["kasi"], dataset, "forward")  # an editor is not the Kepala Bidang
        assert act(p["kabid"], dataset, "forward")["state"] == "diperiksa_kadis"
        assert act(p["kadis"], dataset, "return",
                   comment="Sumber data perlu disebut")["state"] == "diperiksa_kabid"
        act(p["kabid"], dataset, "forward")
        assert not public(dataset)
        with pytest.raises(NotAuthorized):
            act(p["staf"], dataset, "approve")
        assert act(p["kadis"], dataset, "approve")["state"] == "disetujui"

        # Step 8: publication by the staff; withdrawal is the Kepala Dinas's decision.
        with pytest.raises(NotAuthorized):
            act(p["produsen"], dataset, "publish")
        shown = act(p["staf"], dataset, "publish")
        assert shown["state"] == "terpublikasi" and public(dataset)
        with pytest.raises(NotAuthorized):
            act(p["staf"], dataset, "withdraw", comment="x")
        shown = act(p["kadis"], dataset, "withdraw", comment="Diganti data BPS")
        assert shown["state"] == "ditarik" and not public(dataset)
        stone = helpers.call_action("satudata_tombstone_show", {"user": "", "ignore_auth": False},
                                    id=dataset["id"])
        assert stone["reason"] == "Diganti data BPS"

        assert trail(shown) == [
            ("submit", "draf", "diperiksa_walidata", "produsen-dinkes"),
            ("return", "diperiksa_walidata", "dikembalikan", "staf-pds"),
            ("submit", "dikembalikan", "diperiksa_walidata", "produsen-dinkes"),
            ("forward", "diperiksa_walidata", "diolah", "staf-pds"),
            ("forward", "diolah", "diperiksa_kasi", "staf-pds"),
            ("return", "diperiksa_kasi", "diolah", "walidata"),
            ("forward", "diolah", "diperiksa_kasi", "staf-pds"),
            ("forward", "diperiksa_kasi", "diperiksa_kabid", "walidata"),
            ("forward", "diperiksa_kabid", "diperiksa_kadis", "kabid-tik"),
            ("return", "diperiksa_kadis", "diperiksa_kabid", "kadis-kominfo"),
            ("forward", "diperiksa_kabid", "diperiksa_kadis", "kabid-tik"),
            ("approve", "diperiksa_kadis", "disetujui", "kadis-kominfo"),
            ("publish", "disetujui", "terpublikasi", "staf-pds"),
            ("withdraw", "terpublikasi", "ditarik", "kadis-kominfo"),
        ]
        comments = [e["comment"] for e in shown["history"] if e["action"] == "return"]
        assert comments == ["Metadata satuan belum diisi", "Tabel salah judul",
                            "Sumber data perlu disebut"]

    def test_incomplete_data_cannot_go_on_to_processing(self, portal, people, delivered):
        dataset = delivered()
        act(people["produsen"], dataset, "submit")
        # The producer empties recommended metadata after delivery.
        helpers.call_action("package_patch", {"user": "produsen-dinkes"}, id=dataset["id"],
                            notes="", maintainer="", maintainer_email="", tags=[],
                            jadwal_rilis_berikutnya="", id_sds="", klasifikasi="")
        with pytest.raises(ValidationError) as refused:
            act(people["staf"], dataset, "forward")
        assert "gates" in refused.value.error_dict


@pytest.mark.ckan_config("ckanext.satudata.workflow", "pasuruan")
class TestPasuruan:
    def test_rounds_between_opd_walidata_and_bps(self, portal, delivered):
        opd, walidata, bps = portal.produsen, portal.walidata, portal.pembina
        dataset = delivered()

        cal = calendar.WorkCalendar.from_config(tk.config)
        shown = act(opd, dataset, "submit")  # step 2
        assert shown["workflow"] == "pasuruan" and shown["state"] == "diperiksa_walidata"
        # "3 Hari" read as working days (days_are), minutes as office minutes.
        assert when(shown["due"]) == cal.due(when(shown["entered"]), 3, "working_days")
        shown = act(walidata, dataset, "return", comment="Formulir belum lengkap")  # steps 3-4
        assert shown["state"] == "dikembalikan"
        assert when(shown["due"]) == cal.due(when(shown["entered"]), 30, "minutes")
        act(opd, dataset, "submit")
        assert act(walidata, dataset, "forward")["state"] == "direview_pembina"  # step 8

        # Step 9: BPS returns, and must say to whom.
        with pytest.raises(ValidationError) as refused:
            act(bps, dataset, "return", comment="Definisi tidak baku")
        assert "to" in refused.value.error_dict
        with pytest.raises(NotAuthorized):
            act(walidata, dataset, "approve")
        shown = act(bps, dataset, "return", to="diperbaiki_walidata", comment="Definisi tidak baku")
        assert shown["state"] == "diperbaiki_walidata"  # step 10
        shown = act(walidata, dataset, "forward")
        assert shown["state"] == "persetujuan_pembina"  # step 11
        assert when(shown["due"]) == cal.due(when(shown["entered"]), 15, "minutes")
        shown = act(bps, dataset, "return", to="dikembalikan", comment="Perlu data OPD")
        assert shown["state"] == "dikembalikan"  # step 5
        act(opd, dataset, "submit")
        act(walidata, dataset, "forward")
        assert not public(dataset)
        assert act(bps, dataset, "approve")["state"] == "disetujui"
        with pytest.raises(NotAuthorized):
            act(bps, dataset, "publish")
        shown = act(walidata, dataset, "publish")  # step 12
        assert shown["state"] == "terpublikasi" and public(dataset)

        assert trail(shown) == [
            ("submit", "draf", "diperiksa_walidata", "produsen-dinkes"),
            ("return", "diperiksa_walidata", "dikembalikan", "walidata"),
            ("submit", "dikembalikan", "diperiksa_walidata", "produsen-dinkes"),
            ("forward", "diperiksa_walidata", "direview_pembina", "walidata"),
            ("return", "direview_pembina", "diperbaiki_walidata", "pembina-bps"),
            ("forward", "diperbaiki_walidata", "persetujuan_pembina", "walidata"),
            ("return", "persetujuan_pembina", "dikembalikan", "pembina-bps"),
            ("submit", "dikembalikan", "diperiksa_walidata", "produsen-dinkes"),
            ("forward", "diperiksa_walidata", "direview_pembina", "walidata"),
            ("approve", "direview_pembina", "disetujui", "pembina-bps"),
            ("publish", "disetujui", "terpublikasi", "walidata"),
        ]
        assert not any(a["action"] == "reject" for a in helpers.call_action(
            "satudata_workflow_show", {"user": "walidata"}, id=dataset["id"])["allowed_actions"])
        shown = act(walidata, dataset, "withdraw", comment="Metadata diganti")
        assert shown["state"] == "ditarik"


@pytest.mark.ckan_config("ckanext.satudata.workflow", "sdi")
@pytest.mark.ckan_config("ckanext.satudata.workflow.kegiatan", "pasuruan")
def test_workflow_per_dataset_type(portal):
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"]), portal.produsen["name"])
    dataset = portal.dataset()
    show = lambda d: helpers.call_action(  # noqa: E731
        "satudata_workflow_show", {"user": "produsen-dinkes"}, id=d["id"])
    assert (show(kegiatan)["workflow"], show(kegiatan)["state"]) == ("pasuruan", "draf")
    assert (show(dataset)["workflow"], show(dataset)["state"]) == ("sdi", "draf")
    cal = calendar.WorkCalendar.from_config(tk.config)
    assert when(show(kegiatan)["due"]) == cal.due(when(show(kegiatan)["entered"]), 1, "working_days")
