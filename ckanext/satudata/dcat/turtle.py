"""A Turtle writer for the catalog pages and dataset endpoints (rdflib format ``satudata-turtle``).

rdflib's own Turtle serializer spends most of a catalog page's time (≈ 300 ms for the
≈ 10,000 triples of a page of 100, bench/README.md) in its generic machinery: it
re-reads the graph several times to order subjects, to find lists and to decide which
blank nodes to nest. This writer reads the graph once, groups triples by subject and
writes each term once per page (a term's text is cached for the page). Its output is
the same graph (tests/dcat/test_turtle.py parses both with rdflib and compares them with
``rdflib.compare.isomorphic``), in the same Turtle style: prefixes, one block a subject
with ``;`` and ``,`` lists, blank nodes used once nested as ``[ … ]``, RDF lists as ``( … )``.

A graph with an IRI that Turtle cannot write (a space, ``<``…) is handed to rdflib's
serializer, which raises its usual error: the writer never writes what rdflib would not.
"""
from __future__ import annotations

import re
from typing import IO, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugin import register
from rdflib.serializer import Serializer

from ckanext.satudata.dcat.page_graph import PageStore

#: The rdflib format name (``Graph.serialize(format=FORMAT)``).
FORMAT = "satudata-turtle"

#: A local name written as prefix:local without escapes (a safe subset of Turtle's PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
#: Characters an IRIREF may not hold (Turtle 1.1 [18]), nor rdflib's serializer writes.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
#: String escapes: ECHAR where Turtle has one, UCHAR for other control characters.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
            ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_FIRST, _REST, _NIL, _TYPE = RDF.first, RDF.rest, RDF.nil, RDF.type
#: Datatypes Turtle writes bare when the lexical form is in the short syntax (as rdflib does).
_BARE = {XSD.integer: re.compile(r"[+-]?[0-9]+\Z"), XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
         XSD.boolean: re.compile(r"(true|false)\Z")}


class UnwritableIRI(ValueError):
    """An IRI Turtle cannot hold as it is (rdflib's serializer refuses it too)."""


class TurtleWriter(Serializer):
    """rdflib serializer plugin: ``graph.serialize(format="satudata-turtle")``."""

    def serialize(self, stream: IO[bytes], base: str | None = None, encoding: str | None = None,
                  **args: Any) -> None:
        try:
            text = write(self.store)
        except UnwritableIRI:
            self.store.serialize(stream, base=base, format="turtle", encoding=encoding)
            return
        stream.write(text.encode(encoding or "utf-8"))


register(FORMAT, Serializer, __name__, "TurtleWriter")


def write(graph) -> str:
    """GRAPH as Turtle text."""
    return _Writer(graph).text()


class _Writer:
    def __init__(self, graph):
        self.namespaces = {str(ns): prefix for prefix, ns in graph.namespace_manager.namespaces()}
        self.used: dict[str, str] = {}
        self.terms: dict[Any, str] = {}
        self.labels: dict[BNode, str] = {}
        # subject -> predicate -> objects (a catalog page's store holds them so already);
        # blank nodes: how often they are objects.
        if isinstance(graph.store, PageStore):
            self.subjects = graph.store.spo
        else:
            self.subjects = {}
            for s, p, o in graph:
                self.subjects.setdefault(s, {}).setdefault(p, {})[o] = None
        refs: dict[BNode, int] = {}
        for predicates in self.subjects.values():
            for objects in predicates.values():
                for o in objects:
                    if _kind(o) == _BLANK:
                        refs[o] = refs.get(o, 0) + 1
        # A blank node written nested: object of exactly one triple (else it gets a label).
        self.nested = {b for b, n in refs.items() if n == 1}
        self.done: set = set()

    def text(self) -> str:
        out: list[str] = []
        top = [s for s in self.subjects if not (_kind(s) == _BLANK and s in self.nested)]
        top.sort(key=_order)
        for subject in top:
            self._block(subject, out)
        # Blank nodes used once but only from each other (a cycle): label one, then go on.
        for subject in list(self.subjects):
            if subject not in self.done:
                self.nested.discard(subject)
                self._block(subject, out)
        head = [f"@prefix {prefix}: <{ns}> .\n" for ns, prefix in sorted(self.used.items(),
                                                                           key=lambda i: i[1])]
        return "".join(head) + ("\n" if head else "") + "".join(out)

    def _block(self, subject, out: list[str]) -> None:
        self.done.add(subject)
        out.append(self._term(subject))
        self._predicates(subject, out, "\n    ")
        out.append(" .\n\n")

    def _predicates(self, subject, out: list[str], indent: str) -> None:
        predicates = self.subjects.get(subject, {})
        first = True
        for predicate in sorted(predicates, key=_predicate_order):
            if not first:
                out.append(" ;")
            out.append(indent)
            out.append("a" if predicate == _TYPE else self._term(predicate))
            out.append(" ")
            objects = predicates[predicate]
            if len(objects) > 1:
                objects = sorted(objects, key=_order)
            for i, obj in enumerate(objects):
                if i:
                    out.append(" ,\n" + indent[1:] + "    ")
                self._object(obj, out, indent)
            first = False

    def _object(self, obj, out: list[str], indent: str) -> None:
        if _kind(obj) == _BLANK and obj in self.nested and obj not in self.done:
            items = self._list(obj)
            if items is not None:
                out.append("(")
                for item in items:
                    out.append(" ")
                    self._object(item, out, indent)
                out.append(" )")
                return
            self.done.add(obj)
            if not self.subjects.get(obj):
                out.append("[]")
                return
            out.append("[")
            self._predicates(obj, out, indent + "    ")
            out.append(indent + "]")
            return
        out.append(self._term(obj))

    def _list(self, node) -> list | None:
        """The items of the RDF list starting at NODE if it can be written as ( … )."""
        items, chain = [], []
        while node != _NIL:
            predicates = self.subjects.get(node)
            if (node not in self.nested or node in self.done
                    or predicates is None or len(predicates) != 2
                    or len(predicates.get(_FIRST, ())) != 1 or len(predicates.get(_REST, ())) != 1):
                return None
            chain.append(node)
            items.append(next(iter(predicates[_FIRST])))
            node = next(iter(predicates[_REST]))
            if node in chain:
                return None
        self.done.update(chain)
        return items

    def _term(self, term) -> str:
        text = self.terms.get(term)
        if text is None:
            kind = _kind(term)
            if kind == _IRI:
                text = self._iri(term)
            elif kind == _LITERAL:
                text = self._literal(term)
            else:
                text = self.labels.setdefault(term, f"_:b{len(self.labels)}")
            self.terms[term] = text
        return text

    def _iri(self, iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self.namespaces.get(iri[:cut]) if cut else None
        if prefix is not None and _LOCAL.match(iri, cut):
            self.used[iri[:cut]] = prefix
            return f"{prefix}:{iri[cut:]}"
        if _BAD_IRI.search(iri):
            raise UnwritableIRI(iri)
        return f"<{iri}>"

    def _literal(self, literal: Literal) -> str:
        lexical = str(literal)
        if _NEEDS_ESCAPE.search(lexical):
            lexical = lexical.translate(_ESCAPES)
        if literal.language:
            return f'"{lexical}"@{literal.language}'
        if literal.datatype is not None:
            bare = _BARE.get(literal.datatype)
            if bare is not None and bare.match(lexical):
                return lexical
            return f'"{lexical}"^^{self._term(literal.datatype)}'
        return f'"{lexical}"'


_IRI, _BLANK, _LITERAL = 0, 1, 2
#: Kind of each term type met (rdflib's terms are ABCs: an isinstance that fails is slow).
_KINDS: dict[type, int] = {URIRef: _IRI, BNode: _BLANK, Literal: _LITERAL}


def _kind(term) -> int:
    kind = _KINDS.get(type(term))
    if kind is None:
        kind = _KINDS[type(term)] = (_IRI if isinstance(term, URIRef) else
                                     _BLANK if isinstance(term, BNode) else _LITERAL)
    return kind


def _order(term) -> tuple:
    # IRIs first, then blank nodes, then literals; within a kind, by text.
    return (_kind(term), str(term))


def _predicate_order(predicate) -> tuple:
    return (predicate != _TYPE, str(predicate))
