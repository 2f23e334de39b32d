"""The graph a DCAT catalog page is built in.

ckanext-dcat builds it in a ConjunctiveGraph, whose context-aware store keeps
each triple's context: about 3.5 times the cost of every one of a page's
≈ 11,700 adds (bench/README.md), for a page that has one graph. This is rdflib's
plain store with the same triples; the output differs only in the order rdflib's
XML and N-Triples writers list subjects.
"""
from __future__ import annotations

import rdflib


class PageGraph(rdflib.Graph):
    """A Graph on rdflib's ``SimpleMemory`` store."""

    def __init__(self) -> None:
        super().__init__(store="SimpleMemory")

    def triples(self, triple):
        # SimpleMemory yields straight from its indexes, and ckanext-dcat's profiles
        # change the graph while they iterate it (euro_dcat_ap_3 rewrites each
        # dcat:byteSize it finds): the matches are taken first, as the context-aware
        # store does.
        yield from list(super().triples(triple))
