"""dcat/turtle.py writes the graph rdflib's Turtle serializer writes: both outputs parsed
by rdflib are isomorphic (rdflib.compare), hostile literals included, and ckanext-dcat's
parser reads the catalog and dataset Turtle of the portal back."""
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from ckan.tests import helpers
from ckanext.dcat.processors import RDFParser

from ckanext.satudata.dcat import page_graph, rdfxml, turtle
from ckanext.satudata.logic.dcat import _rdf_format
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach

EX = Namespace("https://example.org/ns#")
HOSTILE = ['Kutip "ganda" dan \'tunggal\'', "baris\nbaru\r\ndan\ttab", "garis\\miring \\n bukan baris",
           "Ünïcødé ꦱꦠꦸ 中文 🚀", "panjang " * 2000, "akhir \\", 'akhir "', '"""tiga kutip"""',
           "'''", "", "  spasi  "]
CONTROL = "\x00\x01\x08\x0b\x0c\x1f\x7f"


def _isomorphic(ours: Graph, theirs: Graph) -> None:
    _, only_ours, only_theirs = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
    assert (sorted(only_ours), sorted(only_theirs)) == ([], [])


def _same_graph(g: Graph) -> str:
    ours = g.serialize(format=turtle.FORMAT)
    parsed = Graph().parse(data=ours, format="turtle")
    assert isomorphic(parsed, Graph().parse(data=g.serialize(format="turtle"), format="turtle"))
    assert isomorphic(parsed, g)
    return ours


@pytest.mark.parametrize("graph", [Graph, page_graph.PageGraph])
def test_hostile_literals_blank_nodes_and_lists_give_the_same_graph(graph):
    g = graph()
    g.bind("ex", EX)
    for i in range(3):
        s = URIRef(f"https://example.org/dataset/{i}")
        g.add((s, RDF.type, EX.Dataset))
        for j, text in enumerate(HOSTILE + [CONTROL]):
            g.add((s, EX[f"plain{j}"], Literal(text)))
            g.add((s, EX[f"lang{j}"], Literal(text, lang="id")))
            g.add((s, EX[f"string{j}"], Literal(text, datatype=XSD.string)))
        g.add((s, EX.json, Literal('{"a": [1, "\\n\\""]}', datatype=RDF.JSON)))
        for value in (5, 1.5, True, "2024-01-31"):
            g.add((s, EX.typed, Literal(value)))
        g.add((s, EX.date, Literal("2024-01-31", datatype=XSD.date)))
        g.add((s, EX.place, URIRef("https://w3id.org/satudata/kode/wilayah/35.14")))
        g.add((s, EX.urn, URIRef("urn:isbn:9786020000000")))
        period = BNode()  # used once: nested
        g.add((s, DCTERMS.temporal, period))
        g.add((period, EX.start, Literal("2021")))
        shared = BNode()  # used twice: labelled
        g.add((s, EX.first, shared))
        g.add((s, EX.second, shared))
        g.add((shared, EX.value, Literal(i)))
        g.add((s, EX.nothing, BNode()))
        columns = [BNode() for _ in range(3)]
        for n, column in enumerate(columns):
            g.add((column, EX.name, Literal(f"kolom {n}")))
        head = BNode()
        g.add((s, EX.columns, head))
        Collection(g, head, columns)
        g.add((s, EX.empty, RDF.nil))
    one, two, alone = BNode(), BNode(), BNode()  # blank nodes only each other's objects
    g.add((one, EX.next, two))
    g.add((two, EX.next, one))
    g.add((alone, EX.next, alone))
    ours = _same_graph(g)
    assert "( [" in ours and "@prefix ex: <https://example.org/ns#>" in ours


def test_an_iri_turtle_cannot_hold_is_refused_as_rdflib_refuses_it():
    g = Graph()
    g.add((EX.a, EX.link, URIRef("https://example.org/a b")))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        g.serialize(format="turtle")
    with pytest.raises(Exception, match="does not look like a valid URI"):
        g.serialize(format=turtle.FORMAT)


def test_the_portal_profiles_turtle_and_rdfxml_go_to_its_writers_other_sets_to_rdflib():
    assert _rdf_format({"format": "ttl"}) == turtle.FORMAT
    assert _rdf_format({"format": "ttl", "profiles": ["euro_dcat_ap_3", "satudata"]}) == turtle.FORMAT
    assert _rdf_format({"format": "ttl", "profiles": ["euro_dcat_ap_3"]}) == "ttl"
    assert _rdf_format({"format": "rdf"}) == _rdf_format({"format": "xml"}) == rdfxml.FORMAT
    assert _rdf_format({}) == rdfxml.FORMAT  # ckanext-dcat's default format is RDF/XML
    assert _rdf_format({"format": "rdf", "profiles": ["euro_dcat_ap_3"]}) == "rdf"
    assert _rdf_format({"format": "jsonld"}) == "jsonld"


@pytest.fixture
def hostile(portal, upload_resource):
    org, user = portal.opd["id"], portal.produsen["name"]
    kegiatan = sd.create(sd.kegiatan(org, name="survei-kutip", title='Survei "kutip"\ndua baris'), user)
    indikator = sd.create(sd.indikator(org, name="rasio-garis", title="Rasio \\ garis miring"), user)
    dataset = sd.create(sd.data_sektoral(
        org, name="penduduk-kutip", title='Penduduk "Kecamatan" \\ Ünïcødé 中文',
        notes="Baris satu\nbaris dua\r\n\ttab " + "panjang " * 1000, konsep='Konsep "kutip" \\n',
        kegiatan="survei-kutip", indikator=["rasio-garis"]), user)
    resource = upload_resource(dataset["id"], "penduduk_valid.csv", user, variabel=sd.VARIABLES)
    helpers.call_action("resource_validation_run", {"ignore_auth": True},
                        resource_id=resource["id"], **{"async": False})
    for record in (kegiatan, indikator, dataset):
        reach(portal, record, "terpublikasi")
    return dataset


def test_catalog_and_dataset_turtle_are_rdflibs_graph_and_ckanext_dcat_reads_them(app, hostile):
    for path in ("/catalog", f"/dataset/{hostile['name']}"):
        ours = app.get(f"{path}.ttl").body
        # .n3 is rdflib's Turtle serializer (N3 is a superset of Turtle) on the same graph.
        # (the catalog's paging links name the format they were asked in)
        theirs = app.get(f"{path}.n3").body.replace("/catalog.n3", "/catalog.ttl")
        theirs = Graph().parse(data=theirs, format="n3")
        _isomorphic(Graph().parse(data=ours, format="turtle"), theirs)
        for profiles in (["euro_dcat_ap_3", "satudata"], ["euro_dcat_ap_3"]):
            parser = RDFParser(profiles=profiles)
            parser.parse(ours, _format="turtle")
            parsed = {d["title"]: d for d in parser.datasets()}
            assert parsed[hostile["title"]]["notes"] == hostile["notes"]
            if "satudata" in profiles:
                assert parsed[hostile["title"]]["konsep"] == hostile["konsep"]
