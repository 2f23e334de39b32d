"""Two reviewers act on the same dataset at once: the loser gets 409 Conflict
with a clear message, also when the winner's step handed the dataset back to
the OPD (the Walidata still reads it: steward oversight), never 403."""
from __future__ import annotations

import threading

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

CHANGED = "Dataset sudah diubah oleh pengguna lain (kini: Dikembalikan untuk perbaikan); " \
          "muat ulang lalu coba lagi"


@pytest.fixture
def second_walidata(portal):
    user = factories.User(name="walidata-dua")
    helpers.call_action("organization_member_create", id="diskominfo", username=user["name"],
                        role="editor")
    return user


def _transition(app, token, dataset, action, status, **extra):
    return app.post("/api/3/action/satudata_workflow_transition",
                    json={"id": dataset["id"], "action": action, **extra},
                    headers={"Authorization": token}, status=status).json


def test_the_loser_of_a_race_the_winner_handed_back_gets_a_conflict(app, portal, token,
                                                                      second_walidata):
    dataset = portal.dataset()
    portal.reach(dataset, "diperiksa_walidata")
    seen = helpers.call_action("satudata_workflow_show", id=dataset["id"])["version"]
    # The winner returns the dataset to the OPD; the loser's page still shows the check.
    _transition(app, token(portal.walidata), dataset, "return", 200, comment="Belum lengkap",
                version=seen)

    # The review page sends the version it showed: the stale version decides.
    error = _transition(app, token(second_walidata), dataset, "forward", 409, version=seen)
    assert error["error"]["version"] == [CHANGED]
    # A client that sends none learns why the step no longer fits the state.
    error = _transition(app, token(second_walidata), dataset, "forward", 409)["error"]
    assert error["action"] == ["Tindakan “Teruskan ke Pembina Data” tidak dapat dilakukan "
                               "selagi dataset berstatus Dikembalikan untuk perbaikan"]
    # Neither attempt moved anything, and the loser still reads what it once held.
    shown = app.get(f"/api/3/action/satudata_workflow_show?id={dataset['id']}",
                    headers={"Authorization": token(second_walidata)}).json["result"]
    assert (shown["state"], shown["version"]) == ("dikembalikan", seen + 1)


@pytest.mark.parametrize("outsider", ["produsen_lain", "pembina"])
def test_those_who_could_not_have_acted_are_still_refused(app, portal, token, outsider):
    dataset = portal.dataset()
    portal.reach(dataset, "diperiksa_walidata")
    _transition(app, token(portal.walidata), dataset, "return", 200, comment="Belum lengkap")
    # Another OPD's producer, and the Pembina (no step at the Walidata's check):
    # no conflict, nothing learnt about the dataset.
    error = _transition(app, token(getattr(portal, outsider)), dataset, "forward", 403)["error"]
    assert "version" not in error


def test_anonymous_is_refused(app, portal):
    dataset = portal.dataset()
    portal.reach(dataset, "dikembalikan", reason="Belum lengkap")
    _transition(app, "", dataset, "forward", 403)


def test_simultaneous_pairs_always_give_one_winner_and_one_conflict(app, portal, token,
                                                                     second_walidata):
    tokens = {"return": token(portal.walidata), "forward": token(second_walidata)}
    for round_ in range(6):
        dataset = portal.dataset()
        portal.reach(dataset, "diperiksa_walidata")
        barrier, statuses = threading.Barrier(2), []

        def review(action):
            barrier.wait()
            answer = app.post(
                "/api/3/action/satudata_workflow_transition",
                json={"id": dataset["id"], "action": action, "comment": "Belum lengkap"},
                headers={"Authorization": tokens[action]}, expect_errors=True)
            statuses.append((answer.status_code, action, answer.json.get("error")))
            model.Session.remove()

        threads = [threading.Thread(target=review, args=(a,)) for a in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(s for s, _, _ in statuses) == [200, 409], (round_, statuses)
