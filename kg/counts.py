"""Counts of what the store holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    articles: int = 0
    triples: int = 0  # distinct triples in the union of all graphs
    quads: int = 0  # stored quads (article graphs, the union, curation)
    entities: dict[str, int] = field(default_factory=dict)
    claims: dict[str, int] = field(default_factory=dict)
    events: int = 0
    graphs: int = 0


_ENTITY_TYPES = {"person": "foaf:Person", "organisation": "org:Organization", "group": "foaf:Group",
                 "place": "sem:Place"}


def stats(store: Any) -> Stats:
    s = Stats(quads=len(store))
    s.triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a kg:DocumentGraph } }"
    s.articles = int(next(iter(store.query(q)))["n"].value)
    for name, cls in _ENTITY_TYPES.items():
        q = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH ?g {{ ?e a {cls} }} }}"
        s.entities[name] = int(next(iter(store.query(q)))["n"].value)
    q = """SELECT ?m (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH ?g { ?c a kg:Claim ; kg:modality ?m } } GROUP BY ?m"""
    claims = {"asserted": 0, "alleged": 0, "speculated": 0, "denied": 0}
    for row in store.query(q):
        claims[row["m"].value.rsplit("#", 1)[-1].lower()] = int(row["n"].value)
    s.claims = claims
    q = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a sem:Event } }"
    s.events = int(next(iter(store.query(q)))["n"].value)
    s.graphs = len(store.graphs())
    return s
