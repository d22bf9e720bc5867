"""Build the resolver's :class:`~kg.resolve.resolver.EntityIndex` from what a store holds."""

from __future__ import annotations

from typing import Any

from kg.model import EntityType
from kg.rdf.iris import key_of
from kg.resolve.resolver import EntityIndex

_TYPES = {
    "http://xmlns.com/foaf/0.1/Person": EntityType.PERSON,
    "http://www.w3.org/ns/org#Organization": EntityType.ORGANISATION,
    "http://semanticweb.cs.vu.nl/2009/11/sem/Place": EntityType.PLACE,
}


def entity_index(store: Any) -> EntityIndex:
    """Every store-wide entity with its label and aliases. The first label seen is kept as the
    entity's label (all article graphs carry the same canonical label)."""
    index = EntityIndex()
    names: dict[str, tuple[EntityType, list[str]]] = {}
    for iri, type_iri, name in store.entity_rows():
        key = key_of(iri)
        if key is None:
            continue
        etype = _TYPES[type_iri]
        entry = names.setdefault(key, (etype, []))
        entry[1].append(name)
    labels = dict(store_labels(store))
    for key, (etype, ns) in names.items():
        index.add(key, etype, labels.get(key, ns[0]), ns)
    return index


def store_labels(store: Any):
    q = """SELECT ?e (MIN(?l) AS ?label) WHERE { GRAPH ?g { ?e rdfs:label ?l } } GROUP BY ?e"""
    for row in store.query(q):
        key = key_of(row["e"].value)
        if key:
            yield key, row["label"].value
