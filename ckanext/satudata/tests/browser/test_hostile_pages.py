"""What a producer sees of a file a reader refuses, and of a report's hints (issue #12):
the resource page says why the bomb is not previewed; the report of a CSV under a
title names the header row and the number format it applied. Screenshots at 1280x900
and 390x844."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.faults import hostile
from ckanext.satudata.tests.validation.conftest import VARIABLES
from ckanext.satudata.tests.workflow.conftest import Portal
from ckanext.satudata.validation import state

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    reset_world()
    portal = Portal()
    dataset = portal.dataset()
    folder = tmp_path_factory.mktemp("berkas")

    def upload(path: Path, fmt: str) -> dict:
        with path.open("rb") as stream:
            return tk.get_action("resource_create")({"user": portal.produsen["name"]}, {
                "package_id": dataset["id"], "name": path.name, "url": path.name,
                "format": fmt, "variabel": json.dumps(VARIABLES),
                "upload": FileStorage(stream=stream, filename=path.name)})
    return {"dataset": dataset,
            "bomb": upload(hostile.shared_strings_bomb(folder / "bom.xlsx"), "XLSX"),
            "title": upload(hostile.title_rows_csv(folder / "judul.csv"), "CSV"),
            "user": portal.produsen["name"]}


def _checked(resource_id: str, seconds: int = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        model.Session.remove()
        row = state.row(resource_id)
        if row is not None and row.status in ("success", "failure", "error"):
            return row.status
        time.sleep(1)
    raise AssertionError("not checked")


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_refused_file_and_report_hints(world, browser, live_server, shots, viewport):
    assert _checked(world["bomb"]["id"]) == "failure"
    assert _checked(world["title"]["id"]) == "failure"
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": viewport[0], "height": viewport[1]},
                                  extra_http_headers={"Authorization": live_server.token(world["user"])})
    try:
        page = context.new_page()
        base = f"/dataset/{world['dataset']['name']}/resource"
        answer = page.goto(f"{base}/{world['bomb']['id']}")
        assert answer.status == 200
        refused = page.locator(".satudata-refused")
        assert "Berkas Excel ini terurai menjadi data yang jauh lebih besar" in refused.inner_text()
        refused.scroll_into_view_if_needed()
        shots(page, "resource-refused-bomb")
        answer = page.goto(f"{base}/{world['title']['id']}/validation")
        assert answer.status == 200
        assert "Judul kolom ada di baris 4?" in page.locator(".satudata-header-hint").inner_text()
        shots(page, "report-header-hint")
    finally:
        context.close()
