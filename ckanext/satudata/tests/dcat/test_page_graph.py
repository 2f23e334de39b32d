"""A catalog page of the portal's profiles is built in dcat/page_graph.py's graph: the
triples are those ckanext-dcat's own ConjunctiveGraph holds, in every format."""
import random

import pytest
import rdflib
from rdflib.namespace import DCAT, XSD

from ckanext.satudata.dcat import page_graph
from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.dcat.conftest import reach
from ckanext.satudata.tests.dcat.test_turtle import _isomorphic

RDFLIB_FORMATS = {"ttl": "turtle", "xml": "xml", "jsonld": "json-ld", "n3": "n3"}


@pytest.fixture
def page(portal, upload_resource):
    """Two published datasets with an upload each: euro_dcat_ap_3 rewrites every
    dcat:byteSize of the graph while it iterates them, which a store yielding from
    its live indexes refuses once there are two."""
    for name in ("penduduk-kecamatan", "penduduk-desa"):
        dataset = sd.create(sd.data_sektoral(portal.opd["id"], name=name, kegiatan=None),
                            portal.produsen["name"])
        upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                        variabel=sd.VARIABLES)
        portal.validate(dataset["id"])
        reach(portal, dataset, "terpublikasi")


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_the_same_triples_as_ckanext_dcats_graph(app, page, monkeypatch, fmt):
    ours = rdflib.Graph().parse(data=app.get(f"/catalog.{fmt}").body, format=RDFLIB_FORMATS[fmt])
    monkeypatch.setattr(page_graph, "PageGraph", rdflib.ConjunctiveGraph)
    theirs = rdflib.Graph().parse(data=app.get(f"/catalog.{fmt}").body, format=RDFLIB_FORMATS[fmt])
    _isomorphic(ours, theirs)
    sizes = list(ours.objects(None, DCAT.byteSize))
    assert len(sizes) == 2 and {size.datatype for size in sizes} == {XSD.nonNegativeInteger}


def _random_graph(graph_class, seed: int):
    """The same random adds and removes on GRAPH_CLASS: repeated triples, equal
    literals made apart, blank nodes, and removals by every kind of pattern."""
    rnd = random.Random(seed)
    subjects = [rdflib.URIRef(f"https://example.org/d/{i}") for i in range(6)] + [rdflib.BNode(f"b{i}")
                                                                                  for i in range(3)]
    predicates = [rdflib.URIRef(f"https://example.org/p/{i}") for i in range(5)]
    objects = subjects + [rdflib.Literal("2024", datatype=XSD.gYear), rdflib.Literal("teks", lang="id"),
                          rdflib.Literal(7)]
    g = graph_class()
    for _ in range(300):
        triple = (rnd.choice(subjects), rnd.choice(predicates), rnd.choice(objects))
        # A literal equal to one in the graph, but another object.
        triple = triple[:2] + (rdflib.Literal(triple[2], datatype=triple[2].datatype, lang=triple[2].language)
                               if isinstance(triple[2], rdflib.Literal) else triple[2],)
        g.add(triple)
        if rnd.random() < 0.15:
            pattern = [rnd.choice(subjects), rnd.choice(predicates), rnd.choice(objects)]
            for i in rnd.sample(range(3), rnd.randint(1, 3)):
                pattern[i] = None
            g.remove(tuple(pattern))
    return g, subjects, predicates, objects


@pytest.mark.parametrize("seed", range(5))
def test_the_page_store_answers_every_pattern_as_rdflibs_store(seed):
    ours, subjects, predicates, objects = _random_graph(page_graph.PageGraph, seed)
    theirs, *_ = _random_graph(rdflib.Graph, seed)
    assert len(ours) == len(theirs) > 0
    assert set(ours) == set(theirs)
    for s in subjects + [None]:
        for p in predicates + [None]:
            for o in objects + [None]:
                assert sorted(ours.triples((s, p, o))) == sorted(theirs.triples((s, p, o))), (s, p, o)
    # Changing the graph while going through a match (euro_dcat_ap_3 does).
    for s, p, o in ours.triples((None, predicates[0], None)):
        ours.remove((s, p, o))
        ours.add((s, p, rdflib.Literal("baru")))
    assert set(ours.objects(None, predicates[0])) <= {rdflib.Literal("baru")}
    # Removing everything leaves no empty subject behind (the Turtle writer reads the index).
    ours.remove((None, None, None))
    assert len(ours) == 0 and ours.store.spo == {}


def test_the_page_graph_refuses_what_is_not_a_term_as_rdflib_does():
    with pytest.raises(AssertionError):
        page_graph.PageGraph().add((rdflib.URIRef("https://example.org/a"), "p", rdflib.Literal(1)))
