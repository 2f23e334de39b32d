"""The graph a DCAT catalog page is built in.

ckanext-dcat builds it in a ConjunctiveGraph, whose context-aware store keeps
each triple's context: about 3.5 times the cost of every one of a page's
≈ 11,700 adds (bench/README.md), for a page that has one graph. rdflib's plain
``SimpleMemory`` store still keeps three indexes (spo, pos, osp): a literal is
hashed and compared (both in Python, rdflib's ``Literal.__hash__``/``__eq__``)
three times an add. A page is written once and asked few kinds of questions
(a subject's values, a predicate's triples), so ``PageStore`` keeps one index by
subject and the subjects of each predicate. The output differs from
ckanext-dcat's graph only in the order rdflib's XML and N-Triples writers list
subjects (tests/dcat/test_page_graph.py).
"""
from __future__ import annotations

from typing import Iterator

import rdflib
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import BNode, Literal, URIRef

#: Term types an add may skip rdflib's checks for (Graph.add asserts each is a
#: Node: three ``isinstance`` calls against an ABC, a tenth of an add's time).
_TERMS = frozenset((URIRef, Literal, BNode))


class PageStore(SimpleMemory):
    """Triples by subject and predicate (``spo[s][p]`` = the objects, in order of
    addition), the subjects of each predicate, and SimpleMemory's namespaces."""

    def __init__(self) -> None:
        super().__init__()
        self.spo: dict = {}
        self.subjects_of: dict = {}
        self.size = 0

    def add(self, triple, context, quoted=False) -> None:
        s, p, o = triple
        po = self.spo.get(s)
        if po is None:
            po = self.spo[s] = {}
        objects = po.get(p)
        if objects is None:
            objects = po[p] = {}
            self.subjects_of.setdefault(p, {})[s] = None
        if o not in objects:
            objects[o] = None
            self.size += 1

    def remove(self, triple_pattern, context=None) -> None:
        for s, p, o in self.match(*triple_pattern):
            po = self.spo[s]
            del po[p][o]
            self.size -= 1
            if not po[p]:
                del po[p]
                del self.subjects_of[p][s]
                if not po:
                    del self.spo[s]

    def match(self, s, p, o) -> list:
        """The triples matching the pattern (None: any term), taken at once: the
        profiles change the graph while they go through the matches."""
        if s is not None:
            po = self.spo.get(s)
            if po is None:
                return []
            if p is None:
                pairs = po.items()
            elif p in po:
                pairs = ((p, po[p]),)
            else:
                return []
            if o is not None:
                return [(s, p_, o) for p_, objects in pairs if o in objects]
            return [(s, p_, x) for p_, objects in pairs for x in objects]
        if p is not None:
            found = []
            for s_ in self.subjects_of.get(p, ()):
                objects = self.spo[s_][p]
                if o is None:
                    found.extend((s_, p, x) for x in objects)
                elif o in objects:
                    found.append((s_, p, o))
            return found
        return [(s_, p_, x) for s_, po in self.spo.items() for p_, objects in po.items()
                for x in objects if o is None or x == o]

    def triples(self, triple_pattern, context=None) -> Iterator:
        for triple in self.match(*triple_pattern):
            yield triple, iter(())

    def __len__(self, context=None) -> int:
        return self.size


class PageGraph(rdflib.Graph):
    """A Graph on a ``PageStore``."""

    def __init__(self) -> None:
        super().__init__(store=PageStore())

    def add(self, triple):
        s, p, o = triple
        if type(s) in _TERMS and type(p) is URIRef and type(o) in _TERMS:
            self.store.add(triple, self)
            return self
        return super().add(triple)
