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
    """Every store-wide entity with its label and aliases (``store.entities()``). An entity's
    label is the least of its labels (all article graphs carry the same canonical label)."""
    index = EntityIndex()
    found: dict[str, tuple[EntityType, str | None, list[str]]] = {}
    for iri, type_iri, label, names in store.entities(_TYPES):
        key = key_of(iri)
        if key is None:
            continue
        found.setdefault(key, (_TYPES[type_iri], label, []))[2].extend(names)
    for key, (etype, label, names) in found.items():
        index.add(key, etype, label or names[0], names)
    return index
