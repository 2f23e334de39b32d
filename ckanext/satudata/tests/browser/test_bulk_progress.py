"""The queue's bulk step shows its progress: the Pembina selects every waiting
dataset, approves them, and a progress bar counts them chunk by chunk; a
dataset someone else moved meanwhile is listed as not moved, with the reason.
Screenshots at 1280x900 and 390x844 in test-artifacts/."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.workflow.conftest import Portal

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-massal-2024"
WAITING = 27  # more than one chunk of bulk_progress.js (25)


@pytest.fixture(scope="module")
def world():
    reset_world()
    portal = Portal()
    datasets = [portal.dataset(title=f"Data Antre {i:02d}") for i in range(WAITING)]
    helpers.call_action("satudata_workflow_bulk_transition", {"user": portal.produsen["name"]},
                        ids=[d["id"] for d in datasets], action="submit")
    helpers.call_action("satudata_workflow_bulk_transition", {"user": portal.walidata["name"]},
                        ids=[d["id"] for d in datasets], action="forward")
    pembina = model.User.get(portal.pembina["name"])
    pembina.password = PASSWORD
    pembina.image_url = ""  # the factory's is an outside picture the page checks refuse
    model.repo.commit()
    return portal, datasets


def _state(dataset) -> str:
    return helpers.call_action("satudata_workflow_show", id=dataset["id"])["state"]


def test_bulk_approval_counts_its_progress_and_lists_what_was_not_moved(world, new_page, shots):
    portal, datasets = world
    page = new_page()
    page.goto("/user/login")
    page.fill("#field-login", portal.pembina["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.locator("#field-password").press("Enter")
    page.goto("/dashboard/antrean")
    assert page.locator("tr[data-satudata-queue-item]").count() == WAITING
    assert page.locator("[data-satudata-bulk-progress]").is_hidden()

    page.locator("input[name=id]").evaluate_all("boxes => boxes.forEach(b => { b.checked = true; })")
    page.select_option("#bulk-action", "approve")
    # Someone approves one of them after the page was loaded.
    helpers.call_action("satudata_workflow_transition", {"user": portal.pembina["name"]},
                        id=datasets[3]["id"], action="approve")
    page.click("[data-satudata-bulk-confirm]")
    page.wait_for_selector("[data-satudata-bulk-reload]", state="visible", timeout=120_000)

    box = page.locator("[data-satudata-bulk-progress]")
    assert page.locator("[data-satudata-bulk-progress] progress").evaluate("p => [p.value, p.max]") \
        == [WAITING, WAITING]
    assert "26 dipindahkan" in box.inner_text() and "1 tidak dipindahkan" in box.inner_text()
    failure = page.locator(f'[data-satudata-bulk-error="{datasets[3]["id"]}"]')
    assert "Data Antre 03" in failure.inner_text()
    assert page.locator("[data-satudata-bulk-confirm]").is_disabled()
    shots.look(page, "queue-after-bulk")
    assert [_state(d) for d in datasets] == ["disetujui"] * WAITING

    page.click("[data-satudata-bulk-reload]")
    assert page.locator("[data-satudata-empty]").is_visible()
    shots.assert_pages_ok()
