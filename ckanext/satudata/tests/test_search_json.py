"""API search results written by the standard library (search_json.py): the bytes
CKAN's simplejson writes, in an API request only, and what ``json`` cannot write
still written. Real app, real Solr."""
from __future__ import annotations

import datetime

import simplejson

import ckan.plugins.toolkit as tk

from ckanext.satudata.search_json import Results
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import portal, reach  # noqa: F401  (fixture)

TITLE = "Penduduk — Kecamatan Bangil ± 2023"
NOTES = 'Catatan "kutip", garis miring \\ dan\nbaris baru; ½ persen'


def test_an_api_search_answers_the_bytes_ckans_encoder_writes(app, portal):  # noqa: F811
    dataset = sd.create(sd.data_sektoral(portal.opd["id"], title=TITLE, notes=NOTES), portal.produsen["name"])
    reach(portal, dataset, "terpublikasi")
    body = app.get("/api/3/action/package_search", query_string={"q": "penduduk"}).get_data(as_text=True)
    answer = simplejson.loads(body)
    (result,) = answer["result"]["results"]
    assert (result["title"], result["notes"]) == (TITLE, NOTES)
    # what CKAN's own encoder writes for the same answer: escapes, spacing, order
    assert body == simplejson.dumps(answer, for_json=True)
    assert "\\u2014" in body and "—" not in body


def test_only_an_api_requests_results_write_themselves(app, portal):  # noqa: F811
    flask_app = app.flask_app
    with flask_app.test_request_context("/api/3/action/package_search"):
        assert type(tk.get_action("package_search")({}, {})["results"]) is Results
    with flask_app.test_request_context("/dataset/"):
        assert type(tk.get_action("package_search")({}, {})["results"]) is list
    assert type(tk.get_action("package_search")({}, {})["results"]) is list  # CLI, worker


def test_what_json_cannot_write_goes_to_simplejson_and_its_default():
    results = Results([{"tanggal": datetime.date(2024, 1, 2), "judul": TITLE}])
    written = simplejson.dumps({"results": results}, for_json=True, default=lambda o: o.isoformat())
    assert written == simplejson.dumps({"results": list(results)}, default=lambda o: o.isoformat())
    assert simplejson.loads(written)["results"] == [{"tanggal": "2024-01-02", "judul": TITLE}]
    # and what it can write, it writes as simplejson would
    plain = [{"judul": TITLE, "angka": [1, 2.5, None, True]}]
    assert simplejson.dumps(Results(plain), for_json=True) == simplejson.dumps(plain)
