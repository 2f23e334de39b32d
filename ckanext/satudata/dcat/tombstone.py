"""Withdrawn datasets in DCAT: a record that says so, and nothing of the data.

A harvester that copied a dataset while it was published learns here that it
was withdrawn (CKAN's harvesters never delete on their own): the entry keeps
the dataset's URI, title and publisher, and adds adms:status WITHDRAWN, the
date and the reason. No distributions, no statistical metadata.

Records are the dicts of ``satudata_tombstone_list`` / ``satudata_tombstone_show``:
``{id, name, title, type, organization: {name, title}, state, withdrawn_at, reason}``.
"""
from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF
from ckanext.dcat.utils import dataset_uri

from ckanext.satudata.dcat.vocab import EU_DATASET_STATUS, PREFIXES

WITHDRAWN = EU_DATASET_STATUS.WITHDRAWN


def add(g: Graph, record: dict[str, Any]) -> URIRef:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("adms", ADMS)
    ref = URIRef(dataset_uri({"id": record["id"], "name": record.get("name")}))
    g.add((ref, RDF.type, DCAT.Dataset))
    g.add((ref, DCT.identifier, Literal(record["id"])))
    g.add((ref, DCT.title, Literal(record.get("title") or record.get("name") or record["id"])))
    g.add((ref, ADMS.status, WITHDRAWN))
    if record.get("withdrawn_at"):
        g.add((ref, DCT.modified, Literal(str(record["withdrawn_at"]), datatype=XSD.dateTime)))
    if record.get("reason"):
        g.add((ref, SKOS.changeNote, Literal(record["reason"])))
    organization = record.get("organization") or {}
    if organization.get("title") or organization.get("name"):
        publisher = BNode()
        g.add((ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, Literal(organization.get("title") or organization["name"])))
    return ref
