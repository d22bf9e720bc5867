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


_ELSEWHERE = """SELECT ?e ?t ?p ?name WHERE {
  GRAPH <%s> { ?e a ?t } VALUES ?t { foaf:Person org:Organization sem:Place }
  OPTIONAL { GRAPH ?other { ?e ?p ?name } VALUES ?p { rdfs:label skos:altLabel } FILTER(?other != <%s>) }
}"""


def forget_graph(store: Any, graph: str, index: EntityIndex, *, keep: set[str]) -> None:
    """Take out of the resolver's ``index`` what only the stored ``graph`` brought: entities no
    other graph holds, and names of the others that no other graph gives them. An edited
    article is then resolved as a fresh ingest of the final files would resolve it (a full name
    only its old text had does not explain a surname of its new text). ``keep``: keys this run
    has used already, left as they are."""
    from kg.queries import CannedQuery, run

    found: dict[str, tuple[Any, list[str], list[str]]] = {}  # key -> type, labels, names
    for e, t, p, name in run(store, CannedQuery("elsewhere", "", _ELSEWHERE % (graph, graph))).rows:
        key = key_of(e.value)
        if key is None or key in keep:
            continue
        labels, names = found.setdefault(key, (_TYPES[t.value], [], []))[1:]
        if name is not None:
            (labels if p.value.endswith("#label") else names).append(name.value)
    for key, (etype, labels, names) in found.items():
        index.remove(key)
        if labels or names:
            index.add(key, etype, min(labels) if labels else min(names), names)
