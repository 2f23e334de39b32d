"""package_search answers with nothing of a dataset the caller cannot read, whatever
Solr parameters it is given (issue 10, finding 1)."""
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckan.tests import helpers

SEARCH = "/api/3/action/package_search"
# Outsiders to the first OPD's hidden datasets, as a harvester would call.
CALLERS = ["anonymous", "produsen_lain", "sysadmin"]
ISSUE_REQUEST = {"rows": 0, "facet.mincount": 0, "facet.limit": -1,
                 "facet.field": json.dumps(["name", "title_string", "res_url", "konsep"])}


def _get(app, world, who, params):
    return app.get(f"{SEARCH}?{urlencode(params)}", headers=world.headers(who))


@pytest.mark.parametrize("who", CALLERS)
def test_the_reported_facet_request_is_refused_and_names_nothing(app, search_world, who):
    page = _get(app, search_world, who, ISSUE_REQUEST)
    assert page.status_code == 400
    assert "facet" in page.json["error"]["message"]
    assert search_world.leaked(page.body) == []


@pytest.mark.parametrize("who", CALLERS)
def test_allowed_facets_count_published_datasets_only(app, search_world, who):
    page = _get(app, search_world, who, {"rows": 10, "facet.limit": -1, "facet.mincount": 1,
                                        "facet.field": json.dumps(["tags", "organization",
                                                                   "res_format", "license_id"])})
    assert page.status_code == 200
    result = page.json["result"]
    assert [d["name"] for d in result["results"]] == [search_world.published["name"]]
    tags = {i["name"] for i in result["search_facets"]["tags"]["items"]}
    assert tags == {"penduduk", "tagrahasiaterbit"}
    assert search_world.leaked(page.body) == []


REFUSED = [
    {"facet.field": json.dumps(["tags"]), "facet.mincount": 0},
    {"facet.field": json.dumps(["name"])},
    {"facet.field": json.dumps(["{!key=x}tags"])},
    {"fl": "name,[explain]"},
    {"fl": "docfreq(name,'rahasiadraf-data')"},
    {"fl": "permission_labels"},
    {"sort": "docfreq(name,'rahasiadraf-data') desc"},
    {"sort": "notes asc"},
    {"bf": "docfreq(name,'rahasiadraf-data')"},
    {"boost": "docfreq(name,'rahasiadraf-data')"},
    {"defType": "func", "q": "docfreq(name,'rahasiadraf-data')"},
    {"q": "{!join from=name to=name}name:rahasiadraf-data"},
    {"fq": "{!frange l=1}docfreq(name,'rahasiadraf-data')"},
    {"wt": "xml"},
    {"qf": "name^4 docfreq(name,'x')"},
    {"facet.query": "name:rahasiadraf-data"},
    {"facet.pivot": "name,title_string"},
    {"stats": "true", "stats.field": "name"},
    {"terms": "true", "terms.fl": "name"},
    {"group": "true", "group.field": "name"},
    {"hl": "true", "hl.fl": "title"},
    {"json.facet": json.dumps({"n": {"type": "terms", "field": "name"}})},
    {"facet.prefix": "rahasia"},
    {"facet.sort": "index"},
    {"expand": "true"},
    {"mlt": "true"},
    {"spellcheck": "true"},
]


def test_parameters_that_reach_past_the_results_are_refused(app, search_world):
    for params in REFUSED:
        for who in CALLERS:
            page = _get(app, search_world, who, params)
            assert page.status_code == 400, (who, params, page.body[:300])
            assert search_world.leaked(page.body, sent=params) == [], (who, params)


def test_a_leading_or_in_fq_does_not_open_private_datasets_to_a_sysadmin(app, search_world):
    """CKAN prepends +capacity:public to the caller's fq; "OR …" made it optional."""
    for fq in ("OR *:*", "|| *:*", "OR capacity:private"):
        page = _get(app, search_world, "sysadmin", {"fq": fq, "rows": 100})
        assert page.status_code == 200, (fq, page.body[:300])
        assert [d["name"] for d in page.json["result"]["results"]] == \
            [search_world.published["name"]], fq


def test_include_private_still_gives_a_sysadmin_everything(app, search_world):
    page = _get(app, search_world, "sysadmin", {"include_private": "true", "rows": 100,
                                               "facet.field": json.dumps(["tags"])})
    assert page.status_code == 200
    assert page.json["result"]["count"] == len(search_world.datasets)


# Values an attacker would try for each parameter CKAN forwards (and some it does not).
FIELDS = ["name", "title", "title_string", "res_url", "res_name", "konsep", "text", "tags",
          "organization", "id", "capacity", "permission_labels", "index_id", "validated_data_dict",
          "data_dict", "score", "*", "[explain]", "[child]", "docfreq(name,'rahasiadraf-data')",
          "{!key=x}name", "vocab_sektor", "res_format"]
# The parameters CKAN forwards that harvesters use every day...
COMMON = {
    "q": st.sampled_from(["*:*", "rahasiadraf", "name:rahasia*", "title:Judulrahasiadraf",
                          "_query_:\"{!lucene}*:*\"", "{!join from=name to=name}*:*",
                          "capacity:private", "konsep:Konseprahasiadraf", ""]),
    "fq": st.sampled_from(["OR *:*", "+state:draft", "capacity:private", "|| name:*",
                           "{!frange l=1}docfreq(name,'rahasiadraf-data')", "-capacity:public",
                           "+dataset_type:dataset", None]),
    "fq_list": st.lists(st.sampled_from(["OR *:*", "capacity:private", "name:*"]), max_size=2),
    "facet.field": st.lists(st.sampled_from(FIELDS), max_size=4).map(json.dumps),
    "facet.mincount": st.sampled_from([-1, 0, 1, 2]),
    "facet.limit": st.sampled_from([-1, 0, 5, 1000]),
    "facet": st.sampled_from(["true", "false", "on"]),
    "fl": st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3).map(" ".join),
    "sort": st.sampled_from(["score desc, metadata_modified desc", "name asc", "title asc",
                             "notes desc", "docfreq(name,'x') desc", "title_string desc",
                             "id asc", "rank"]),
    "rows": st.sampled_from([0, 10, 1000]),
    "start": st.sampled_from([0, 1]),
    "include_drafts": st.sampled_from(["true", "false"]),
    "include_private": st.sampled_from(["true", "false"]),
}
# ...those that change how Solr parses and scores...
PARSING = {
    "defType": st.sampled_from(["dismax", "edismax", "lucene", "func", "join", "frange"]),
    "qf": st.sampled_from(["name^4 title^4", "text", "docfreq(name,'x')", "konsep"]),
    "bf": st.just("docfreq(name,'rahasiadraf-data')"),
    "boost": st.just("termfreq(name,'rahasiadraf-data')"),
    "mm": st.sampled_from(["2<-1 5<80%", "1", "{!x}"]),
    "tie": st.sampled_from(["0.1", "2", "x"]),
    "wt": st.sampled_from(["json", "xml", "csv", "python"]),
}
# ...and Solr features CKAN does not forward.
UNFORWARDED = {
    "facet.query": st.just("name:*"), "facet.pivot": st.just("name"),
    "stats": st.just("true"), "terms": st.just("true"), "group": st.just("true"),
    "hl": st.just("true"), "json.facet": st.just('{"x":{"type":"terms","field":"name"}}'),
    "expand": st.just("true"), "facet.prefix": st.just("rahasia"), "ext_bbox": st.just("1,2,3,4"),
}
# Mostly the common ones alone, so that a leak is not hidden behind a refusal of another.
PARAMS = st.tuples(
    st.fixed_dictionaries({}, optional=COMMON),
    st.one_of(st.just({}), st.just({}), st.fixed_dictionaries({}, optional=PARSING),
              st.fixed_dictionaries({}, optional=UNFORWARDED)),
).map(lambda both: {**both[0], **both[1]})


def test_random_solr_parameters_never_leak_nor_fail(app, search_world):
    """Any mix of parameters: never a 5xx, never a term of a hidden dataset."""
    world = search_world

    @settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(who=st.sampled_from(CALLERS),
           params=PARAMS)
    def check(who, params):
        if who == "sysadmin":
            params.pop("include_private", None)  # a sysadmin asking for private data gets it
        params = {k: v for k, v in params.items() if v is not None}
        body = {k: v for k, v in params.items() if k != "fq_list"}
        query = urlencode(body) + "".join(f"&fq_list={v}" for v in params.get("fq_list", []))
        page = app.get(f"{SEARCH}?{query}", headers=world.headers(who))
        assert page.status_code < 500, (who, params, page.body[:500])
        assert world.leaked(page.body, sent=params) == [], (who, params)
        if page.status_code == 200:
            names = {d.get("name") for d in page.json["result"]["results"] if isinstance(d, dict)}
            assert names <= {world.published["name"], None}, (who, params)

    check()


def test_search_via_call_action_as_a_sysadmin_without_include_private(search_world):
    found = helpers.call_action("package_search", {"user": search_world.portal.sysadmin["name"],
                                                   "ignore_auth": False},
                                q="*:*", rows=100, **{"facet.field": ["tags"]})
    assert [d["name"] for d in found["results"]] == [search_world.published["name"]]
    assert search_world.leaked(json.dumps(found)) == []
