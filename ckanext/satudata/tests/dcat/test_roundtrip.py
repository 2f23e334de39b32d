"""The satudata profile parses as it serializes: `/dataset/<id>.ttl` → ckanext-dcat's
RDFParser with ``euro_dcat_ap_3 satudata`` → the dataset dict package_show gives,
one test per scheme field of each dataset type (dataset, kegiatan, indikator).

The records are built once (the first test builds them, on a clean database) and
their package_show, Turtle and parse are kept for the other fields' tests: they
only read. package_show and the RDF are fetched anonymously over HTTP, as a
harvester does.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef

from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser
from ckanext.dcat.profiles import ADMS, DCAT, DCT

from ckanext.satudata.dcat.profile import CORE_FIELDS
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach

SCHEMAS = Path(__file__).parents[2] / "schemas"
KINDS = ("dataset", "kegiatan", "indikator")
PROFILES = ["euro_dcat_ap_3", "satudata"]


def _scheme_fields(kind: str) -> list[str]:
    schema = yaml.safe_load((SCHEMAS / f"{kind}.yaml").read_text())
    return [f["field_name"] for f in schema["dataset_fields"] if f["field_name"] not in CORE_FIELDS]


FIELDS = [(kind, field) for kind in KINDS for field in _scheme_fields(kind)]
_TRIPS: dict[str, tuple[dict, dict, str]] = {}


def _show(app, name: str) -> dict:
    response = app.get(f"/api/3/action/package_show?id={name}")
    assert response.status_code == 200, response.body[:300]
    return json.loads(response.body)["result"]


def parse(body: str, profiles=PROFILES) -> list[dict]:
    parser = RDFParser(profiles=profiles)
    parser.parse(body, _format="turtle")
    return list(parser.datasets())


@pytest.fixture
def trips(request, clean_db):
    """{kind: (package_show, parsed dict, turtle)} of one published record of each type."""
    if not _TRIPS:
        portal = request.getfixturevalue("portal")
        upload_resource = request.getfixturevalue("upload_resource")
        app = request.getfixturevalue("app")
        org, user = portal.opd["id"], portal.produsen["name"]
        kegiatan = sd.create(sd.kegiatan(org, name="survei-kepuasan"), user)
        reach(portal, kegiatan, "terpublikasi")
        indikator = sd.create(sd.indikator(
            org, name="rasio-jenis-kelamin", kegiatan="survei-kepuasan", apakah_indikator_komposit=True,
            variabel_pembangun=[],
            indikator_pembangun=[{"nama": "Penduduk", "sumber_publikasi": ["Kabupaten Dalam Angka"]}]),
            user)
        reach(portal, indikator, "terpublikasi")
        dataset = sd.create(sd.data_sektoral(org, name="penduduk-kecamatan", kegiatan="survei-kepuasan",
                                             indikator=["rasio-jenis-kelamin"]), user)
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", user, variabel=sd.VARIABLES)
        helpers.call_action("resource_validation_run", {"ignore_auth": True},
                            resource_id=resource["id"], **{"async": False})
        reach(portal, dataset, "terpublikasi")
        for record in (dataset, kegiatan, indikator):
            body = app.get(f"/dataset/{record['name']}.ttl").body
            parsed = parse(body)
            assert len(parsed) == 1, body[:500]
            _TRIPS[record["type"]] = (_show(app, record["name"]), parsed[0], body)
    return _TRIPS


def _empty(value):
    return None if value in (None, "", [], {}) else value


@pytest.mark.parametrize("kind,field", FIELDS, ids=[f"{k}-{f}" for k, f in FIELDS])
def test_field_round_trips(trips, kind, field):
    shown, parsed, body = trips[kind]
    assert parsed["type"] == kind
    assert _empty(parsed.get(field)) == _empty(shown.get(field)), body


def test_every_field_of_the_records_is_filled(trips):
    """The round trip is not vacuous: the records fill (nearly) every field."""
    empty = {kind: [f for f in _scheme_fields(kind) if _empty(trips[kind][0].get(f)) is None]
             for kind in KINDS}
    # fields that only apply in another case (sampling design of a non-survey…)
    assert sum(len(v) for v in empty.values()) <= 12, empty


def test_core_fields_and_licence_round_trip(trips):
    for kind in KINDS:
        shown, parsed, body = trips[kind]
        for key in ("title", "notes", "license_id"):
            assert _empty(parsed.get(key)) == _empty(shown.get(key)), (kind, key)
        if not shown.get("license_url"):
            continue
        g = Graph().parse(data=body, format="turtle")
        ref = URIRef(f"http://test.ckan.net/dataset/{shown['id']}")
        assert list(g.objects(ref, DCT.license)) == [URIRef(shown["license_url"])], kind
        for distribution in g.objects(ref, DCAT.distribution):
            assert (distribution, DCT.license, URIRef(shown["license_url"])) in g


@pytest.mark.ckan_config("ckanext.satudata.dcat.default_license", "odc-by")
def test_portal_default_licence_for_a_dataset_without_one(app, portal):
    dataset = sd.create(sd.data_sektoral(portal.opd["id"], license_id=""), portal.produsen["name"])
    reach(portal, dataset, "terpublikasi")
    body = app.get(f"/dataset/{dataset['name']}.ttl").body
    g = Graph().parse(data=body, format="turtle")
    ref = URIRef(f"http://test.ckan.net/dataset/{dataset['id']}")
    assert list(g.objects(ref, DCT.license)) == [URIRef("http://www.opendefinition.org/licenses/odc-by")]
    assert parse(body)[0]["license_id"] == "odc-by"


def test_plain_dcat_parser_keeps_the_kode_referensi(trips):
    """euro_dcat_ap_3 alone (a plain downstream) keeps adms:identifier's object as text:
    a URI ending in the id_sds, no blank-node id."""
    shown, _, body = trips["dataset"]
    plain = parse(body, ["euro_dcat_ap_3"])[0]
    extras = {e["key"]: e["value"] for e in plain["extras"]}
    assert json.loads(extras["alternate_identifier"]) == [
        f"https://w3id.org/satudata/kode/sdsn/{shown['id_sds']}"]
    g = Graph().parse(data=body, format="turtle")
    assert ADMS.Identifier in set(g.objects(URIRef(json.loads(extras["alternate_identifier"])[0]), None))


def test_unpublished_link_is_not_written(app, portal):
    """A link to an unpublished record travels neither as a term nor as sdf: (not its name)."""
    sd.create(sd.kegiatan(portal.opd["id"], name="survei-rahasia"), portal.produsen["name"])
    indikator = sd.create(sd.indikator(portal.opd["id"], kegiatan="survei-rahasia"),
                          portal.produsen["name"])
    reach(portal, indikator, "terpublikasi")
    body = app.get(f"/dataset/{indikator['name']}.ttl").body
    assert "survei-rahasia" not in body
    assert not _empty(parse(body)[0].get("kegiatan"))
