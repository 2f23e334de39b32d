"""RDF/XML of the portal's profiles, by rdflib's plain writer (rdflib format ``satudata-rdfxml``).

ckanext-dcat writes RDF/XML with rdflib's ``pretty-xml`` serializer. That writer
puts an RDF list in ``rdf:parseType="Collection"`` and loses the triples of list
members it has not written before: the MS-Var columns of a table schema
(``csvw:column``) went missing from about one table in three, depending on the
order of the graph. rdflib's plain ``xml`` serializer writes every triple (blank
nodes by ``rdf:nodeID``): what an RDF/XML harvester reads is the graph the
Turtle carries (tests/dcat/test_formats.py).
"""
from __future__ import annotations

from rdflib.plugin import register
from rdflib.serializer import Serializer

#: The rdflib format name (``Graph.serialize(format=FORMAT)``).
FORMAT = "satudata-rdfxml"

register(FORMAT, Serializer, "rdflib.plugins.serializers.rdfxml", "XMLSerializer")
