"""No unpublished dataset reaches search, DCAT or the harvester pattern.

One dataset (with an uploaded, validated file) in every workflow state, each
reached through real transitions; every caller a harvester may be: anonymous,
a producer of another OPD, and API tokens of the owner OPD, the reviewers and
a sysadmin. Whatever the caller, the dissemination interfaces give the
published dataset, and nothing of the others: not their URI, name, title or
files. The withdrawn one is a tombstone (title, status, reason, no data) only
where asked for on purpose: its own URL (410) and the tombstone catalog, and
there as a dcat:Resource, never a dcat:Dataset a DCAT harvester would import.
"""
import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.dcat.profiles import ADMS, DCAT, DCT
from ckanext.satudata.dcat.vocab import EU_DATASET_STATUS, SD
from ckanext.satudata.tests.dcat.conftest import STATES, reach

SITE = "http://test.ckan.net"
FORMATS = {"rdf": "xml", "xml": "xml", "ttl": "turtle", "n3": "n3", "jsonld": "json-ld"}
CALLERS = ["anonymous", "produsen", "produsen_lain", "walidata", "pembina", "sysadmin"]


@pytest.fixture
def world(portal, upload_resource):
    datasets = {}
    for state in STATES:
        dataset = portal.dataset(name=f"bocor-{state.replace('_', '-')}", title=f"Uji bocor {state}")
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"])
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource["id"], **{"async": False})
        reach(portal, dataset, state)
        datasets[state] = (dataset, resource)
    users = {"produsen": portal.produsen, "produsen_lain": portal.produsen_lain,
             "walidata": portal.walidata, "pembina": portal.pembina, "sysadmin": portal.sysadmin}
    headers = {"anonymous": {}}
    for who, user in users.items():
        headers[who] = {"Authorization": ckan_factories.APIToken(user=user["name"])["token"]}
    return portal, datasets, headers


def _search(app, headers, **params) -> dict:
    response = app.get("/api/3/action/package_search?" + urlencode(params), headers=headers)
    assert response.status_code == 200, response.body[:300]
    return json.loads(response.body)["result"]


def _harvest(app, headers, rows: int, **fq) -> list[dict]:
    """The CKAN harvester's gather stage: start/rows paging, sort id asc, fq filters."""
    found, start = [], 0
    while True:
        page = _search(app, headers, sort="id asc", rows=rows, start=start, **fq)
        found.extend(page["results"])
        start += rows
        if start >= page["count"]:
            return found


def _secrets(datasets) -> list[str]:
    """What of an unpublished (not withdrawn) dataset must never be served."""
    out = []
    for state, (dataset, resource) in datasets.items():
        if state not in ("terpublikasi", "ditarik"):
            out += [dataset["id"], dataset["name"], dataset["title"], resource["id"]]
    return out


def test_search_and_harvester_pattern_give_published_only(app, world):
    portal, datasets, headers = world
    published = datasets["terpublikasi"][0]["id"]
    wrong = []
    for who in CALLERS:
        h = headers[who]
        reads = {
            "search": [d["id"] for d in _search(app, h, q="*:*", rows=1000)["results"]],
            "harvest": [d["id"] for d in _harvest(app, h, rows=2,
                                                  fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")],
            "harvest_org": [d["id"] for d in _harvest(app, h, rows=1,
                                                      fq=f"organization:{portal.opd['name']}")],
            "search_text": [d["id"] for d in _search(app, h, q="Uji bocor")["results"]],
        }
        for read, ids in reads.items():
            if ids != [published]:
                wrong.append(f"{read} as {who}: {ids}")
    assert wrong == []


def test_dcat_endpoints_give_published_only_and_tombstones_on_purpose(app, world):
    _, datasets, headers = world
    secrets = _secrets(datasets)
    published, _ = datasets["terpublikasi"]
    withdrawn, withdrawn_resource = datasets["ditarik"]
    wrong = []
    for who in CALLERS:
        for fmt, parser in FORMATS.items():
            response = app.get(f"/catalog.{fmt}", headers=headers[who])
            body = response.body
            leaked = [s for s in secrets + [withdrawn["id"], withdrawn_resource["id"]] if s in body]
            g = Graph().parse(data=body, format=parser)
            listed = set(g.objects(URIRef(SITE), DCAT.dataset))
            if listed != {URIRef(f"{SITE}/dataset/{published['id']}")} or leaked:
                wrong.append(f"catalog.{fmt} as {who}: {listed} leaked {leaked}")
            if set(g.subjects(RDF.type, DCAT.Dataset)) != listed:
                wrong.append(f"catalog.{fmt} as {who}: datasets beyond the listed ones")
            response = app.get(f"/catalog/withdrawn.{fmt}", headers=headers[who])
            g = Graph().parse(data=response.body, format=parser)
            if response.status_code != 200 or [s for s in secrets if s in response.body]:
                wrong.append(f"catalog/withdrawn.{fmt} as {who}: {response.status_code}")
            if set(g.objects(URIRef(f"{SITE}/catalog/withdrawn"), DCAT.resource)) != {
                    URIRef(f"{SITE}/dataset/{withdrawn['id']}")}:
                wrong.append(f"catalog/withdrawn.{fmt} as {who}: wrong entries")
            wrong += _tombstone_problems(g, withdrawn, f"catalog/withdrawn.{fmt} as {who}")
            for state, (dataset, resource) in datasets.items():
                response = app.get(f"/dataset/{dataset['id']}.{fmt}", headers=headers[who])
                if state in ("terpublikasi", "ditarik"):
                    if response.status_code != (200 if state == "terpublikasi" else 410):
                        wrong.append(f"{fmt} of {state} as {who}: {response.status_code}")
                    elif state == "ditarik":
                        g = Graph().parse(data=response.body, format=parser)
                        wrong += _tombstone_problems(g, dataset, f"{fmt} of ditarik as {who}")
                        if resource["id"] in response.body:
                            wrong.append(f"{fmt} of ditarik as {who} names its file")
                elif response.status_code != 404 or dataset["title"] in response.body:
                    wrong.append(f"{fmt} of {state} as {who}: {response.status_code}")
    assert wrong == []


def _tombstone_problems(g: Graph, dataset: dict, where: str) -> list[str]:
    ref = URIRef(f"{SITE}/dataset/{dataset['id']}")
    problems = []
    if (ref, ADMS.status, EU_DATASET_STATUS.WITHDRAWN) not in g:
        problems.append(f"{where}: no withdrawn status")
    if (ref, RDF.type, DCAT.Resource) not in g or list(g.subjects(RDF.type, DCAT.Dataset)):
        problems.append(f"{where}: tombstone is not a dcat:Resource, or a dcat:Dataset is there")
    if (ref, SKOS.changeNote, Literal("Alasan uji")) not in g or not list(g.objects(ref, DCT.modified)):
        problems.append(f"{where}: tombstone without reason or date")
    if list(g.objects(ref, DCAT.distribution)) or list(g.objects(ref, SD.konsep)):
        problems.append(f"{where}: tombstone carries data or metadata")
    return problems
