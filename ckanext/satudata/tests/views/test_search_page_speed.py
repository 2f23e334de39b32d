"""What the search page's speed-ups must not change (issue #16 item 1).

Per-request memos (request_memo.py) stay inside one request: two people in
turn see their own badges; the facet links built from the page's address
once a request (page_urls.py) are CKAN's own links; the sidebar rendered once
(render_once.py) is shown once, with the same facets; national extras are the
API's, not the pages'. Real app, real Solr, auth on.
"""
from __future__ import annotations

import lxml.html
import pytest

import ckan.lib.helpers as core_helpers
import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.satudata import request_memo
from ckanext.satudata.harvest import national
from ckanext.satudata.page_urls import add_url_param, remove_url_param
from ckanext.satudata.tests.dcat.conftest import reach
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)


def _badges(app, headers=None, url="/dataset/?q=penduduk"):
    doc = lxml.html.fromstring(app.get(url, headers=headers or {}).body)
    return {el.get("data-satudata-state") for el in doc.xpath("//*[@data-satudata-state]")}


def test_two_people_in_turn_see_their_own_state_badges(app, portal, login):  # noqa: F811
    draft = portal.dataset(title="Penduduk menurut Kecamatan (draf)")
    published = portal.dataset(title="Penduduk menurut Kecamatan")
    reach(portal, published, "terpublikasi")

    producer = login(portal.produsen)
    assert _badges(app, producer) == {"draf"}
    assert _badges(app) == set()  # anonymous: the draft is not found, a published one has no badge
    other = lxml.html.fromstring(app.get("/dataset/?q=penduduk", headers=login(portal.produsen_lain)).body)
    assert draft["name"] not in lxml.html.tostring(other).decode()
    assert _badges(app, producer) == {"draf"}


def test_state_badge_label_follows_each_request_language(app, portal, login):  # noqa: F811
    portal.dataset(title="Penduduk menurut Kecamatan")
    headers = login(portal.produsen)

    def label(url):
        doc = lxml.html.fromstring(app.get(url, headers=headers).body)
        (badge,) = doc.xpath("//*[@data-satudata-state]")
        return badge.text_content().strip()

    assert label("/dataset/?q=penduduk") == "Draf"
    assert label("/en/dataset/?q=penduduk") == "Draft"
    assert label("/dataset/?q=penduduk") == "Draf"


def test_request_memo_lasts_one_request(app):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    flask_app = app.flask_app
    with flask_app.test_request_context("/dataset/"):
        assert request_memo.remembered("k", compute) == 1
        assert request_memo.remembered("k", compute) == 1
    with flask_app.test_request_context("/dataset/"):
        assert request_memo.remembered("k", compute) == 2
    # outside a request (CLI, worker): computed every time
    assert request_memo.remembered("k", compute) == 3
    assert request_memo.remembered("k", compute) == 4


@pytest.mark.parametrize("query, active", [
    ("/dataset/?q=penduduk&organization=dinas-kesehatan&page=2", ("organization", "dinas-kesehatan")),
    ("/dataset/?tags=a&tags=b&sort=name+asc", ("tags", "a"))])
def test_facet_links_are_ckans_own(app, query, active):
    with app.flask_app.test_request_context(query):
        app.flask_app.preprocess_request()
        for kwargs in ({"new_params": {"res_format": "CSV"}}, {"new_params": {"tags": "c"}, "extras": {}}):
            assert add_url_param(core_helpers.add_url_param, **kwargs) == core_helpers.add_url_param(**kwargs)
        for args, kwargs in ((active, {}), (active[:1], {}), (("_tags_limit",), {"replace": 0})):
            assert (remove_url_param(core_helpers.remove_url_param, *args, **kwargs)
                    == core_helpers.remove_url_param(*args, **kwargs))
        # the registered helper is the chained one
        assert tk.h.add_url_param(new_params={"q": "x"}) == core_helpers.add_url_param(new_params={"q": "x"})


def test_sidebar_is_shown_once_with_every_facet(app, portal):  # noqa: F811
    published = portal.dataset(title="Penduduk menurut Kecamatan")
    reach(portal, published, "terpublikasi")
    doc = lxml.html.fromstring(app.get("/dataset/?q=penduduk").body)
    (sidebar,) = doc.xpath("//aside[contains(@class,'secondary')]")
    assert len(doc.xpath("//div[contains(@class,'filters')]")) == 1
    assert "no-nav" not in doc.xpath("//div[contains(@class,'wrapper')]")[0].get("class")
    links = sidebar.xpath(".//a[contains(@href,'organization=dinas-kesehatan')]")
    assert links and links[0].get("href").startswith("/dataset/?")
    # and a dataset page's sidebar (the OPD box) once too
    page = lxml.html.fromstring(app.get(f"/dataset/{published['name']}").body)
    assert len(page.xpath("//aside[contains(@class,'secondary')]")) == 1


def test_national_extras_in_the_api_not_on_pages(app, portal):  # noqa: F811
    published = portal.dataset(title="Penduduk menurut Kecamatan")
    reach(portal, published, "terpublikasi")
    result = app.get("/api/3/action/package_search", query_string={"q": "penduduk"}).json["result"]
    assert "id_sds" in {e["key"] for e in result["results"][0]["extras"]}
    # in-process calls (a CLI, a worker, a test) keep them too
    found = helpers.call_action("package_search", q="penduduk")["results"][0]
    assert "id_sds" in {e["key"] for e in found["extras"]}
    with app.flask_app.test_request_context("/dataset/"):
        assert not national.wanted()
    with app.flask_app.test_request_context("/api/3/action/package_search"):
        assert national.wanted()
