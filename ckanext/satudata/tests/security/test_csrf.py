"""CSRF: every route of this extension that accepts a POST refuses a cookie-session
POST without CKAN's token, and accepts the token (finding 3 of issue 10).

The routes come from the Flask app's url_map (view functions of ckanext.satudata),
not from a hand-kept list: a new form is covered without touching this file.
"""
from __future__ import annotations

import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.satudata.tests.security.write_world import WriteWorld

PASSWORD = "Rahasia-Uji-12345"
_TOKEN = re.compile(r'name="(?P<field>_csrf_token)" value="(?P<value>[^"]+)"')


def satudata_post_rules(flask_app) -> list:
    found = []
    for rule in flask_app.url_map.iter_rules():
        view = flask_app.view_functions.get(rule.endpoint)
        if view is not None and "POST" in (rule.methods or ()) and \
                getattr(view, "__module__", "").startswith("ckanext.satudata"):
            found.append(rule)
    return sorted(found, key=lambda r: r.rule)


@pytest.fixture
def csrf_world(clean_db, clean_index, clean_queues):
    world = WriteWorld(with_datasets=False)
    world.penguji = factories.User(name="penguji-csrf", password=PASSWORD)
    helpers.call_action("organization_member_create", id=world.opd["id"],
                        username="penguji-csrf", role="editor")
    world.draft = world.dataset()
    world.resource = helpers.call_action(
        "resource_create", {"user": world.produsen["name"]}, package_id=world.draft["id"],
        name="Tautan", url="https://data.example.go.id/a.json", format="JSON")
    return world


def _logged_in(app, world):
    """A browser: a test client holding the session cookie of a form login."""
    client = app.test_client()
    token = _TOKEN.search(client.get("/user/login").get_data(as_text=True))
    response = client.post("/user/login", data={"login": "penguji-csrf", "password": PASSWORD,
                                                 token["field"]: token["value"]},
                           follow_redirects=False)
    assert response.status_code == 302, response.status_code
    return client


def _url(rule, world) -> str:
    values = {"id": world.draft["name"], "package_type": "dataset",
              "resource_id": world.resource["id"]}
    return rule.build({arg: values.get(arg, "x") for arg in rule.arguments},
                      append_unknown=False)[1]


def test_the_extension_is_not_exempt_from_csrf():
    assert tk.config.get("ckan.csrf_protection.ignore_extensions") is False


def test_every_post_route_refuses_a_cookie_post_without_token(app, csrf_world):
    rules = satudata_post_rules(app.flask_app)
    client = _logged_in(app, csrf_world)
    page = client.get("/dashboard/notifikasi").get_data(as_text=True)
    token = _TOKEN.search(page)
    assert token, "a page of the extension carries the CSRF field"

    refused, accepted = {}, {}
    for rule in rules:
        url = _url(rule, csrf_world)
        without = client.post(url, data={"action": "submit", "comment": "x"},
                              follow_redirects=False)
        refused[rule.rule] = (without.status_code in (400, 403)
                              and "CSRF" in without.get_data(as_text=True))
        with_token = client.post(url, data={"action": "submit", "comment": "x",
                                            token["field"]: token["value"]},
                                 follow_redirects=False)
        accepted[rule.rule] = "CSRF" not in with_token.get_data(as_text=True)

    print(f"CSRF: {len(rules)} POST routes of ckanext.satudata: {sorted(refused)}")
    # The forms named by the finding are among them (the enumeration found them).
    assert {"/dataset/<id>/workflow", "/dashboard/notifikasi", "/permintaan-data/baru",
            "/dashboard/antrean"} <= set(refused)
    assert any("validation/run" in r for r in refused)
    assert [r for r, ok in refused.items() if not ok] == []
    assert [r for r, ok in accepted.items() if not ok] == []
