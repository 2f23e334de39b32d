"""The sdi workflow end to end through the API, with a real user for each role."""
import threading

import pytest

import ckan.model as model
from ckan.lib import jobs
from ckan.tests import helpers

from ckanext.satudata.model import Notification, WorkflowEvent
from ckanext.satudata.workflow import notify

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", {"user": user["name"]},
                               id=dataset["id"], action=action, **extra)


def can_see(user, dataset) -> bool:
    try:
        # call_action skips auth unless told otherwise
        helpers.call_action("package_show", {"user": user["name"] if user else "",
                                             "ignore_auth": False}, id=dataset["id"])
        return True
    except NotAuthorized:
        return False


class TestHappyPath:
    def test_submit_forward_approve_publish(self, portal):
        dataset = portal.dataset()
        assert helpers.call_action("package_show", id=dataset["id"])["satudata_state"] == "draf"

        assert act(portal.produsen, dataset, "submit")["state"] == "diperiksa_walidata"
        assert act(portal.walidata, dataset, "forward")["state"] == "direview_pembina"
        assert act(portal.pembina, dataset, "approve")["state"] == "disetujui"
        shown = act(portal.walidata, dataset, "publish")

        assert shown["state"] == "terpublikasi" and shown["public"] is True
        trail = [(e["action"], e["from_state"], e["to_state"], e["user"]) for e in shown["history"]]
        assert trail == [
            ("submit", "draf", "diperiksa_walidata", "produsen-dinkes"),
            ("forward", "diperiksa_walidata", "direview_pembina", "walidata"),
            ("approve", "direview_pembina", "disetujui", "pembina-bps"),
            ("publish", "disetujui", "terpublikasi", "walidata"),
        ]
        assert can_see(None, dataset)
        assert model.Package.get(dataset["id"]).private is False

    def test_return_needs_a_reason_and_goes_back_to_the_producer(self, portal):
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")

        with pytest.raises(ValidationError) as refused:
            act(portal.walidata, dataset, "return")
        assert "comment" in refused.value.error_dict

        shown = act(portal.walidata, dataset, "return", comment="Satuan belum sesuai",
                    field_notes={"satuan": "Gunakan 'Jiwa'"})
        assert shown["state"] == "dikembalikan"
        assert shown["history"][-1]["field_notes"] == {"satuan": "Gunakan 'Jiwa'"}
        assert act(portal.produsen, dataset, "submit")["state"] == "diperiksa_walidata"


class TestRoles:
    @pytest.mark.parametrize("who", ["pembina", "produsen_lain", "sysadmin", "walidata"])
    def test_only_the_producer_submits(self, portal, who):
        dataset = portal.dataset()
        with pytest.raises(NotAuthorized):
            act(getattr(portal, who), dataset, "submit")

    def test_reviewer_cannot_skip_a_stage(self, portal):
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        with pytest.raises(NotAuthorized):
            act(portal.pembina, dataset, "forward")
        with pytest.raises(ValidationError):  # not possible from this state at all
            act(portal.walidata, dataset, "publish")

    def test_allowed_actions_follow_role_and_state(self, portal):
        dataset = portal.dataset()
        show = lambda user: helpers.call_action(  # noqa: E731
            "satudata_workflow_show", {"user": user["name"]}, id=dataset["id"])
        assert [a["action"] for a in show(portal.produsen)["allowed_actions"]] == ["submit"]
        act(portal.produsen, dataset, "submit")
        assert show(portal.produsen)["allowed_actions"] == []
        assert {a["action"] for a in show(portal.walidata)["allowed_actions"]} >= {"forward", "return"}


class TestVisibility:
    def test_each_state_shows_to_the_right_people(self, portal):
        dataset = portal.dataset()
        assert can_see(portal.produsen, dataset)
        for outsider in (None, portal.produsen_lain, portal.pembina, portal.walidata):
            assert not can_see(outsider, dataset)

        act(portal.produsen, dataset, "submit")
        assert can_see(portal.walidata, dataset) and not can_see(portal.pembina, dataset)
        act(portal.walidata, dataset, "forward")
        assert can_see(portal.pembina, dataset) and not can_see(None, dataset)

        found = helpers.call_action("package_search", {"user": "", "ignore_auth": False},
                                    q="*:*", include_private=True)
        assert dataset["id"] not in [d["id"] for d in found["results"]]

    def test_private_cannot_be_edited_away(self, portal):
        dataset = portal.dataset()
        helpers.call_action("package_patch", {"user": portal.produsen["name"]},
                            id=dataset["id"], private=False)
        assert model.Package.get(dataset["id"]).private is True
        assert not can_see(None, dataset)


class TestGates:
    def test_incomplete_metadata_cannot_be_submitted(self, portal):
        dataset = portal.dataset(notes="", maintainer="", maintainer_email="", tags=[],
                                 jadwal_rilis_berikutnya="", id_sds="", klasifikasi="")
        with pytest.raises(ValidationError) as refused:
            act(portal.produsen, dataset, "submit")
        (message,) = refused.value.error_dict["gates"]
        assert "Klasifikasi" in message and "Kode referensi (SDSN)" in message

    def test_a_draft_saves_with_required_fields_empty_but_cannot_be_submitted(self, portal):
        draft = helpers.call_action("package_create", {"user": portal.produsen["name"]},
                                    type="kegiatan", name="survei-baru", title="Survei baru",
                                    owner_org=portal.opd["id"], state="draft",
                                    cara_pengumpulan_data="SURVEI")
        assert draft["state"] == "draft"
        with pytest.raises(ValidationError) as refused:
            act(portal.produsen, draft, "submit")
        required = refused.value.error_dict["gates"][0]
        assert "Judul" not in required and "Jenis statistik" in required

    def test_a_draft_still_refuses_wrong_values(self, portal):
        with pytest.raises(ValidationError) as refused:
            helpers.call_action("package_create", {"user": portal.produsen["name"]},
                                type="kegiatan", name="survei-salah", title="Survei",
                                owner_org=portal.opd["id"], state="draft",
                                tahun_kegiatan="dua ribu", sektor_kegiatan="PARIWISATA")
        assert set(refused.value.error_dict) == {"tahun_kegiatan", "sektor_kegiatan"}

    def test_unvalidated_resource_blocks_submit_and_is_named(self, portal):
        dataset = portal.dataset(resources=[
            {"name": "Data penduduk", "url": "http://127.0.0.1:9/a.csv", "format": "CSV"}])
        with pytest.raises(ValidationError) as refused:
            act(portal.produsen, dataset, "submit")
        assert any("Data penduduk" in m for m in refused.value.error_dict["gates"])


class TestDueDatesQueueAndNotices:
    def test_queue_due_date_and_in_app_notice(self, portal):
        dataset = portal.dataset()
        shown = act(portal.produsen, dataset, "submit")
        assert shown["due"] and shown["overdue"] is False

        queue = helpers.call_action("satudata_workflow_queue", {"user": "walidata"})
        assert [(q["name"], q["state"]) for q in queue] == [(dataset["name"], "diperiksa_walidata")]
        assert helpers.call_action("satudata_workflow_queue", {"user": "pembina-bps"}) == []

        notices = model.Session.query(Notification).filter_by(package_id=dataset["id"]).all()
        assert [model.User.get(n.user_id).name for n in notices] == ["walidata"]
        emails = [j for j in jobs.get_queue().jobs if "send_emails" in j.func_name]
        assert len(emails) == 1

    def test_mail_failure_does_not_undo_the_transition(self, portal, run_worker):
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")  # smtp points at a closed port
        run_worker()
        assert helpers.call_action("satudata_workflow_show", id=dataset["id"],
                                   context={"user": "walidata"})["state"] == "diperiksa_walidata"


    @pytest.mark.ckan_config("smtp.mail_from", None)
    def test_without_a_sender_address_the_mail_job_ends_quietly(self, portal):
        # CKAN's mailer fails on a missing sender with an AttributeError, not its
        # MailerException: the job failed on the first notice (make run's config).
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        notices = model.Session.query(Notification).filter_by(package_id=dataset["id"]).all()
        assert notices and all(model.User.get(n.user_id).email for n in notices)
        assert notify.send_emails([n.id for n in notices]) == 0


class TestAuditTrailAndConcurrency:
    def test_trail_rows_cannot_be_changed(self, portal):
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        event = model.Session.query(WorkflowEvent).filter_by(package_id=dataset["id"]).one()
        event.comment = "diubah"
        with pytest.raises(Exception, match="append-only"):
            model.Session.commit()
        model.Session.rollback()

    def test_stale_version_is_a_conflict(self, portal):
        dataset = portal.dataset()
        seen = helpers.call_action("satudata_workflow_show", {"user": "produsen-dinkes"},
                                   id=dataset["id"])["version"]
        act(portal.produsen, dataset, "submit")
        with pytest.raises(ValidationError) as refused:
            act(portal.walidata, dataset, "forward", version=seen)
        assert "version" in refused.value.error_dict

    def test_two_reviewers_at_once_one_wins(self, portal):
        dataset = portal.dataset()
        # Both reviewers looked at the same version, as the review page sends it.
        seen = act(portal.produsen, dataset, "submit")["version"]
        barrier, outcomes = threading.Barrier(2), []

        def review(action, comment):
            try:
                barrier.wait()
                act(portal.walidata, dataset, action, comment=comment, version=seen)
                outcomes.append("won")
            except ValidationError:
                outcomes.append("conflict")
            except Exception as error:  # anything else is a failure of the test
                outcomes.append(repr(error))
            finally:
                model.Session.remove()

        threads = [threading.Thread(target=review, args=("forward", "")),
                   threading.Thread(target=review, args=("return", "Belum lengkap"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

        assert sorted(outcomes) == ["conflict", "won"]
        events = model.Session.query(WorkflowEvent).filter_by(package_id=dataset["id"]).all()
        assert len(events) == 2  # the submit and exactly one review


class TestRefusedStepsReleaseTheDataset:
    def test_a_refused_step_does_not_hold_the_lock(self, portal):
        dataset = portal.dataset()
        act(portal.produsen, dataset, "submit")
        with pytest.raises(NotAuthorized):
            act(portal.pembina, dataset, "forward")  # same session keeps running

        done = []

        def other_reviewer():
            try:
                act(portal.walidata, dataset, "forward")
                done.append("forwarded")
            finally:
                model.Session.remove()

        thread = threading.Thread(target=other_reviewer)
        thread.start()
        thread.join(15)
        assert done == ["forwarded"]  # it was not left waiting on the first session's lock


class TestActorsOutOfSight:
    def test_a_reviewer_passing_a_dataset_on_learns_its_new_state(self, portal):
        """After the step the reviewer has no say any more but still reads the dataset
        (steward oversight: BPS from its stage on); the step answers with the new state
        (auth checked, as the UI calls)."""
        dataset = portal.dataset()
        portal.reach(dataset, "direview_pembina")
        shown = helpers.call_action("satudata_workflow_transition",
                                    {"user": "pembina-bps", "ignore_auth": False},
                                    id=dataset["id"], action="approve")
        assert shown["state"] == "disetujui"
        assert can_see(portal.pembina, dataset)
        assert helpers.call_action("satudata_workflow_show",
                                   {"user": "pembina-bps", "ignore_auth": False},
                                   id=dataset["id"])["allowed_actions"] == []
