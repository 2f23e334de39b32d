"""Withdrawn datasets in DCAT: a record that says so, and nothing of the data.

The default catalog leaves withdrawn datasets out (ckanext-dcat's harvester
deletes its copy of what left the catalog). A harvester that wants to know why
asks on purpose: ``/catalog/withdrawn.{fmt}`` (``catalog`` below) or the 410
body of ``/dataset/<id>.{fmt}``. Each entry keeps the dataset's URI, title and
publisher, and adds adms:status WITHDRAWN, the date and the reason; it is a
``dcat:Resource``, never a ``dcat:Dataset``, so a DCAT parser pointed at it by
mistake imports nothing. No distributions, no statistical metadata.

Records are the dicts of ``satudata_tombstone_list`` / ``satudata_tombstone_show``:
``{id, name, title, type, organization: {name, title}, state, withdrawn_at, reason}``.
"""
from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF
from ckanext.dcat.utils import catalog_uri, dataset_uri

from ckanext.satudata.dcat.vocab import EU_DATASET_STATUS, HYDRA, PREFIXES

WITHDRAWN = EU_DATASET_STATUS.WITHDRAWN


def add(g: Graph, record: dict[str, Any]) -> URIRef:
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("adms", ADMS)
    ref = URIRef(dataset_uri({"id": record["id"], "name": record.get("name")}))
    g.add((ref, RDF.type, DCAT.Resource))
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


def catalog(g: Graph, records: list[dict[str, Any]], count: int, page: int, per_page: int,
            fmt: str) -> URIRef:
    """The tombstone catalog page: ``dcat:resource`` entries and Hydra paging."""
    ref = URIRef(catalog_uri().rstrip("/") + "/catalog/withdrawn")
    g.bind("dcat", DCAT)
    g.bind("dct", DCT)
    g.bind("hydra", HYDRA)
    g.add((ref, RDF.type, DCAT.Catalog))
    g.add((ref, DCT.title, Literal("Withdrawn datasets (tombstones)", lang="en")))
    g.add((ref, DCT.title, Literal("Dataset yang ditarik", lang="id")))
    for record in records:
        g.add((ref, DCAT.resource, add(g, record)))
    last = max(1, -(-count // per_page))
    here = URIRef(f"{ref}.{fmt}?page={page}")
    g.add((here, RDF.type, HYDRA.PagedCollection))
    g.add((here, HYDRA.totalItems, Literal(count)))
    g.add((here, HYDRA.itemsPerPage, Literal(per_page)))
    g.add((here, HYDRA.firstPage, URIRef(f"{ref}.{fmt}?page=1")))
    g.add((here, HYDRA.lastPage, URIRef(f"{ref}.{fmt}?page={last}")))
    if page < last:
        g.add((here, HYDRA.nextPage, URIRef(f"{ref}.{fmt}?page={page + 1}")))
    if page > 1:
        g.add((here, HYDRA.previousPage, URIRef(f"{ref}.{fmt}?page={page - 1}")))
    return ref
