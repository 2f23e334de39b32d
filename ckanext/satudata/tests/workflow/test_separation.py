"""Separation of duties (issue #14 item 2): tanjabbar's levels are signed by different
accounts (distinct_signers), and the Walidata's admin gives each member a named position
(jabatan) that decides who plays a level; CKAN capacities stay the fallback."""
import pytest

from ckan.tests import helpers

from ckanext.satudata.tests.workflow.conftest import member
from ckanext.satudata.workflow import definition

NotAuthorized = helpers.logic.NotAuthorized
NotFound = helpers.logic.NotFound
ValidationError = helpers.logic.ValidationError


def as_user(user) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def act(user, dataset, action, **extra):
    return helpers.call_action("satudata_workflow_transition", as_user(user),
                               id=dataset["id"], action=action, **extra)


def may(user, dataset) -> set[str]:
    return {a["action"] for a in helpers.call_action(
        "satudata_workflow_show", as_user(user), id=dataset["id"])["allowed_actions"]}


def give(by, user, jabatan):
    return helpers.call_action("satudata_jabatan_set", as_user(by), organization="diskominfo",
                               user=user["name"], jabatan=jabatan)


@pytest.fixture
def office(portal):
    """Diskominfo with a staff member, the Kepala Seksi (portal.walidata, an editor) and
    two admins (Kepala Bidang and Kepala Dinas share the admin capacity)."""
    return {"staf": member("staf-pds", "diskominfo", "member"), "kasi": portal.walidata,
            "admin_a": member("admin-a", "diskominfo", "admin"),
            "admin_b": member("admin-b", "diskominfo", "admin")}


def at_kabid(portal, office, dataset):
    act(portal.produsen, dataset, "submit")
    act(office["staf"], dataset, "forward")
    act(office["staf"], dataset, "forward")
    act(office["kasi"], dataset, "forward")


@pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
class TestDistinctSigners:
    def test_one_admin_does_not_sign_as_kepala_bidang_and_kepala_dinas(
            self, portal, office, delivered):
        dataset = delivered()
        at_kabid(portal, office, dataset)
        act(office["admin_a"], dataset, "forward")  # as Kepala Bidang
        assert "approve" not in may(office["admin_a"], dataset)
        with pytest.raises(NotAuthorized, match="separation of duties|pemisahan tugas"):
            act(office["admin_a"], dataset, "approve")
        # A return one level down keeps the climb: each may sign their own level again.
        act(office["admin_b"], dataset, "return", comment="Sumber data perlu disebut")
        act(office["admin_a"], dataset, "forward")
        assert "approve" in may(office["admin_b"], dataset)
        assert act(office["admin_b"], dataset, "approve")["state"] == "disetujui"

    def test_the_staff_who_prepared_it_does_not_check_it_as_kepala_seksi(
            self, portal, office, delivered):
        editor = member("editor-2", "diskominfo", "editor")  # JFU and Kasi by capacity
        dataset = delivered()
        act(portal.produsen, dataset, "submit")
        act(editor, dataset, "forward")       # completeness check: not a signing level
        act(editor, dataset, "forward")       # diolah -> Kepala Seksi: prepared by editor-2
        with pytest.raises(NotAuthorized):
            act(editor, dataset, "forward")
        assert act(office["kasi"], dataset, "forward")["state"] == "diperiksa_kabid"

    def test_a_new_climb_after_a_return_to_the_producer(self, portal, office, delivered):
        dataset = delivered()
        act(portal.produsen, dataset, "submit")
        act(office["kasi"], dataset, "forward")
        act(office["kasi"], dataset, "forward")  # the Kasi prepared it (as JFU)
        # The Kasi may not check what it prepared; the material goes back to the producer.
        with pytest.raises(NotAuthorized):
            act(office["kasi"], dataset, "forward")
        act(office["kasi"], dataset, "return", comment="Tabel salah judul")  # -> diolah
        act(office["staf"], dataset, "return", comment="Perlu data terbaru")  # -> OPD
        act(portal.produsen, dataset, "submit")
        act(office["staf"], dataset, "forward")
        act(office["staf"], dataset, "forward")  # a new climb, prepared by the staff
        assert act(office["kasi"], dataset, "forward")["state"] == "diperiksa_kabid"


@pytest.mark.ckan_config("ckanext.satudata.workflow", "tanjabbar")
class TestJabatan:
    def test_the_walidata_admin_gives_positions_and_they_decide_the_levels(
            self, portal, office, delivered):
        # Only the office's admin gives positions; a position must be one the workflows name.
        with pytest.raises(NotAuthorized):
            give(office["kasi"], office["admin_b"], "kepala_dinas")
        with pytest.raises(NotAuthorized):
            give(portal.produsen, office["admin_b"], "kepala_dinas")
        with pytest.raises(ValidationError):
            give(office["admin_a"], office["admin_b"], "bupati")
        with pytest.raises(ValidationError):
            give(office["admin_a"], portal.produsen, "kepala_dinas")  # not a member
        with pytest.raises(NotFound):
            helpers.call_action("satudata_jabatan_list", as_user(portal.sysadmin),
                                organization="dinas-kesehatan")  # an OPD has no positions
        listed = give(office["admin_a"], office["admin_b"], "kepala_dinas")
        assert {"kepala_seksi", "kepala_bidang", "kepala_dinas"} <= set(listed["choices"])
        assert {m["user"]: m["jabatan"] for m in listed["members"]}["admin-b"] == "kepala_dinas"
        with pytest.raises(NotAuthorized):
            helpers.call_action("satudata_jabatan_list", as_user(portal.produsen),
                                organization="diskominfo")

        dataset = delivered()
        at_kabid(portal, office, dataset)
        # admin-a (no position) still plays Kepala Bidang by capacity, no longer Kepala
        # Dinas: that position is held by admin-b.
        act(office["admin_a"], dataset, "forward")
        shown = helpers.call_action("satudata_workflow_queue", as_user(office["admin_a"]))
        assert dataset["name"] not in [q["name"] for q in shown]
        assert [q["name"] for q in helpers.call_action(
            "satudata_workflow_queue", as_user(office["admin_b"]))] == [dataset["name"]]
        act(office["admin_b"], dataset, "return", comment="Periksa lagi")
        # admin-b now holds only Kepala Dinas: it may not sign as Kepala Bidang.
        with pytest.raises(NotAuthorized):
            act(office["admin_b"], dataset, "forward")
        act(office["admin_a"], dataset, "forward")

        # The position's holder leaves the office: the capacity decides again.
        helpers.call_action("organization_member_delete", {"user": portal.sysadmin["name"]},
                            id="diskominfo", username="admin-b")
        with pytest.raises(NotAuthorized):
            act(office["admin_b"], dataset, "approve")
        assert "kepala_dinas" not in {m["jabatan"] for m in helpers.call_action(
            "satudata_jabatan_list", as_user(office["admin_a"]),
            organization="diskominfo")["members"]}

        # Taking a position away.
        give(office["admin_a"], office["kasi"], "kepala_seksi")
        listed = give(office["admin_a"], office["kasi"], "")
        assert {m["user"]: m["jabatan"] for m in listed["members"]}["walidata"] == ""


def test_definitions_check_signers_and_positions(tmp_path):
    text = (definition.WORKFLOWS_DIR / "tanjabbar.yaml").read_text()
    broken = text.replace("name: tanjabbar", "name: rusak").replace(
        "distinct_signers: [diolah,", "distinct_signers: [tidak_ada, diolah,").replace(
        "    organization: owner\n    capacities: [editor, admin]\n",
        "    organization: owner\n    capacities: [editor, admin]\n    jabatan: kepala_opd\n")
    (tmp_path / "rusak.yaml").write_text(broken)
    with pytest.raises(definition.WorkflowDefinitionError) as refused:
        definition.load("rusak", directory=tmp_path)
    problems = " ".join(refused.value.problems)
    assert "tidak_ada" in problems and "jabatan" in problems
