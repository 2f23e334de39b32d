"""satudata_workflow_bulk_transition: one action on many datasets, each on its own."""
import pytest

from ckan.tests import helpers

NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def bulk(user, ids, action, **extra):
    return helpers.call_action("satudata_workflow_bulk_transition",
                               {"user": user["name"], "ignore_auth": False},
                               ids=ids, action=action, **extra)


def state(dataset):
    return helpers.call_action("satudata_workflow_show", id=dataset["id"])["state"]


def test_each_dataset_succeeds_or_fails_on_its_own(portal):
    ready = [portal.dataset() for _ in range(3)]
    for dataset in ready:
        portal.reach(dataset, "direview_pembina")
    draft = portal.dataset()

    results = bulk(portal.pembina, [ready[0]["id"], draft["id"], ready[1]["name"], "tidak-ada",
                                    ready[2]["id"]], "approve")


    assert [(r["id"], r["ok"], r["state"]) for r in results] == [
        (ready[0]["id"], True, "disetujui"), (draft["id"], False, None),
        (ready[1]["name"], True, "disetujui"), ("tidak-ada", False, None),
        (ready[2]["id"], True, "disetujui")]
    assert all(r["error"] is None for r in results if r["ok"])
    assert results[1]["error"]  # the producer's draft: the BPS cannot even see it
    assert results[3]["error"]
    assert [state(d) for d in ready] == ["disetujui"] * 3
    assert state(draft) == "draf"


def test_a_gate_failure_does_not_stop_the_others(portal):
    good = portal.dataset()
    unvalidated = portal.dataset(resources=[
        {"name": "Data penduduk", "url": "http://127.0.0.1:9/a.csv", "format": "CSV"}])
    results = bulk(portal.produsen, f"{good['id']}, {unvalidated['id']}", "submit")
    assert [r["ok"] for r in results] == [True, False]
    assert "Data penduduk" in results[1]["error"]
    assert state(good) == "diperiksa_walidata" and state(unvalidated) == "draf"


def test_auth_and_roles_per_dataset(portal):
    mine, theirs = portal.dataset(), portal.dataset()
    portal.reach(theirs, "diperiksa_walidata")
    results = bulk(portal.produsen_lain, [mine["id"]], "submit")
    assert results[0]["ok"] is False and state(mine) == "draf"
    results = bulk(portal.walidata, [theirs["id"]], "return")  # a reason is required
    assert results[0]["ok"] is False and "reason" in results[0]["error"].lower()
    results = bulk(portal.walidata, [theirs["id"]], "return", comment="Belum lengkap")
    assert results[0]["ok"] is True and state(theirs) == "dikembalikan"
    with pytest.raises(NotAuthorized):
        bulk({"name": ""}, [mine["id"]], "submit")


@pytest.mark.parametrize("ids", [[], "", [""], ["a"] * 1001])
def test_bad_id_lists_are_refused(portal, ids):
    with pytest.raises(ValidationError) as refused:
        bulk(portal.produsen, ids, "submit")
    assert "ids" in refused.value.error_dict
