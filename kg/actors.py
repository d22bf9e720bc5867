"""The actor network as a networkx multigraph, read from the store.

Nodes are people, organisations, unnamed groups, places and events; edges are claims (one edge
per subject, relation, object, modality and speaker, so competing claims stay apart) and event
roles. Every edge keeps its evidence: sentences, speakers, articles and dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg.errors import NotFound, UsageError

NODE_TYPES = ("person", "organisation", "group", "place", "event")
MODALITIES = ("asserted", "alleged", "speculated", "denied")
_TYPE_OF = {
    "http://xmlns.com/foaf/0.1/Person": "person",
    "http://www.w3.org/ns/org#Organization": "organisation",
    "http://xmlns.com/foaf/0.1/Group": "group",
    "http://semanticweb.cs.vu.nl/2009/11/sem/Place": "place",
    "http://semanticweb.cs.vu.nl/2009/11/sem/Event": "event",
}


@dataclass
class Filters:
    focus: str | None = None
    depth: int = 1
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    query_file: str | None = None
    max_nodes: int = 500
    include_places: bool = True


@dataclass
class Evidence:
    sentence: str
    speaker: str
    article: str
    title: str
    date: str


@dataclass
class NetworkData:
    graph: Any  # networkx.MultiDiGraph
    dropped_nodes: int = 0
    dropped_edges: int = 0
    notes: list[str] = field(default_factory=list)


def load(store: Any, filters: Filters | None = None) -> NetworkData:
    """Read the network from ``store`` and apply ``filters``."""
    import networkx as nx

    f = filters or Filters()
    for t in f.types:
        if t not in NODE_TYPES:
            raise UsageError(f"--type {t}: unknown node type (use {', '.join(NODE_TYPES)})")
    for m in f.modalities:
        if m not in MODALITIES:
            raise UsageError(f"--modality {m}: unknown modality (use {', '.join(MODALITIES)})")
    g = nx.MultiDiGraph()
    articles = _articles(store)
    wanted_articles = _match_articles(articles, f.articles)

    # nodes
    q = """SELECT ?e ?t ?label ?kind ?pkind ?actor ?g WHERE { GRAPH ?g {
             ?e a ?t ; rdfs:label ?label .
             VALUES ?t { foaf:Person org:Organization foaf:Group sem:Place sem:Event }
             OPTIONAL { ?e kg:orgKind ?kind } OPTIONAL { ?e kg:placeKind ?pkind }
             OPTIONAL { ?e kg:actorType ?actor } } }"""
    mentioned: dict[str, set[str]] = defaultdict(set)
    for row in store.query("SELECT DISTINCT ?e ?g WHERE { GRAPH ?g { ?e kg:denotedBy ?s } }"):
        mentioned[row["e"].value].add(row["g"].value)
    for row in store.query(q):
        iri = row["e"].value
        graph_iri = row["g"].value
        if wanted_articles is not None and graph_iri not in wanted_articles:
            continue
        ntype = _TYPE_OF[row["t"].value]
        if not g.has_node(iri):
            g.add_node(iri, label=row["label"].value, type=ntype, kind=None, actor_type=None,
                       aliases=set(), titles=set(), articles=set(), posts=set(), date=None, fatalities=None)
        data = g.nodes[iri]
        for key, var in (("kind", "kind"), ("kind", "pkind")):
            if row[var] is not None and not data[key]:
                data[key] = row[var].value
        if row["actor"] is not None:
            data["actor_type"] = row["actor"].value.rsplit("#", 1)[-1]
        data["articles"] |= mentioned.get(iri, set()) & ({graph_iri} if wanted_articles is not None else mentioned.get(iri, set()))
    for row in store.query("SELECT ?e ?a WHERE { GRAPH ?g { ?e skos:altLabel ?a } }"):
        if g.has_node(row["e"].value):
            g.nodes[row["e"].value]["aliases"].add(row["a"].value)
    for row in store.query("SELECT ?e ?t WHERE { GRAPH ?g { ?e schema:jobTitle ?t } }"):
        if g.has_node(row["e"].value):
            g.nodes[row["e"].value]["titles"].add(row["t"].value)
    for row in store.query("""SELECT ?e ?post ?org WHERE { GRAPH ?g { ?c a kg:Claim ; rdf:subject ?e ;
                                 rdf:predicate org:holds ; rdf:object ?p . ?p rdfs:label ?post .
                                 OPTIONAL { ?p org:postIn/rdfs:label ?org } } }"""):
        if g.has_node(row["e"].value):
            post = row["post"].value + (f" ({row['org'].value})" if row["org"] is not None else "")
            g.nodes[row["e"].value]["posts"].add(post)
    for row in store.query("""SELECT ?e ?d ?b ?md ?f WHERE { GRAPH ?g { ?e a sem:Event .
                                 OPTIONAL { ?e sem:hasTimeStamp ?d } OPTIONAL { ?e sem:hasEarliestBeginTimeStamp ?b }
                                 OPTIONAL { ?e kg:monthDay ?md } OPTIONAL { ?e kg:fatalities ?f } } }"""):
        if g.has_node(row["e"].value):
            d = row["d"] or row["b"] or row["md"]  # a day without its year: "--05-12"
            g.nodes[row["e"].value]["date"] = d.value if d is not None else None
            if row["f"] is not None:
                g.nodes[row["e"].value]["fatalities"] = int(row["f"].value)

    # claim edges
    q = """SELECT ?c ?s ?p ?o ?m ?who ?sentence ?g WHERE { GRAPH ?g {
             ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:modality ?m ;
                prov:wasAttributedTo ?w ; prov:wasDerivedFrom ?span .
             ?w rdfs:label ?who . ?span oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?sentence } }"""
    edges: dict[tuple, dict] = {}
    for row in store.query(q):
        graph_iri = row["g"].value
        if wanted_articles is not None and graph_iri not in wanted_articles:
            continue
        s, o = row["s"].value, row["o"].value
        rel = row["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if rel == "holds":
            continue  # posts are shown on the person
        modality = row["m"].value.rsplit("#", 1)[-1].lower()
        key = (s, o, rel, modality, row["who"].value)
        art = articles.get(graph_iri, {})
        ev = Evidence(row["sentence"].value, row["who"].value, art.get("id", ""), art.get("title", ""), art.get("date", ""))
        entry = edges.setdefault(key, {"relation": rel, "modality": modality, "speaker": row["who"].value,
                                       "evidence": [], "articles": set()})
        if ev not in entry["evidence"]:
            entry["evidence"].append(ev)
        entry["articles"].add(graph_iri)
    # event roles
    q = """SELECT ?e ?role ?x ?g WHERE { GRAPH ?g { ?e a sem:Event ; ?role ?x .
             VALUES ?role { kg:perpetrator kg:target kg:victim kg:detainee sem:hasActor sem:hasPlace } } }"""
    for row in store.query(q):
        graph_iri = row["g"].value
        if wanted_articles is not None and graph_iri not in wanted_articles:
            continue
        role = row["role"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        x, e = row["x"].value, row["e"].value
        art = articles.get(graph_iri, {})
        source, target = (x, e) if role in ("perpetrator", "hasActor") else (e, x)
        key = (source, target, role, "asserted", "narrator")
        entry = edges.setdefault(key, {"relation": role, "modality": "asserted", "speaker": art.get("publisher", ""),
                                       "evidence": [], "articles": set()})
        entry["articles"].add(graph_iri)
    event_sentences = defaultdict(list)
    q = """SELECT ?e ?sentence ?g WHERE { GRAPH ?g { ?e a sem:Event ; prov:wasDerivedFrom ?span .
             ?span oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?sentence } }"""
    for row in store.query(q):
        art = articles.get(row["g"].value, {})
        event_sentences[row["e"].value].append(Evidence(row["sentence"].value, art.get("publisher", ""),
                                                        art.get("id", ""), art.get("title", ""), art.get("date", "")))
    for (s, o, rel, modality, who), data in edges.items():
        if not (g.has_node(s) and g.has_node(o)):
            continue
        if not data["evidence"]:  # an event role: the event's sentences that name the participant
            event, other = (o, s) if g.nodes[o]["type"] == "event" else (s, o)
            names = [n.lower() for n in (g.nodes[other]["label"], *g.nodes[other]["aliases"]) if n]
            sentences = event_sentences.get(event, [])
            naming = [ev for ev in sentences if any(n in ev.sentence.lower() for n in names)]
            data["evidence"] = (naming or sentences)[:5]
        g.add_edge(s, o, key=f"{rel}|{modality}|{who}", **data)
    for n, data in g.nodes(data=True):
        if data["type"] == "event":
            data["evidence"] = event_sentences.get(n, [])

    notes: list[str] = []
    g = _apply_filters(g, f, store, notes)
    before_nodes, before_edges = g.number_of_nodes(), g.number_of_edges()
    if g.number_of_nodes() > f.max_nodes:
        keep = sorted(g.nodes, key=lambda n: (-g.degree(n), -len(g.nodes[n]["articles"]), n))[: f.max_nodes]
        g = g.subgraph(keep).copy()
        notes.append(f"{before_nodes - g.number_of_nodes()} of {before_nodes} nodes left out "
                     f"(kept the {f.max_nodes} most connected; raise --max-nodes to see more)")
    return NetworkData(g, before_nodes - g.number_of_nodes(), before_edges - g.number_of_edges(), notes)


def _articles(store: Any) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    q = """SELECT ?g ?id ?title ?date ?precision ?pub WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?a .
             ?a kg:articleId ?id . OPTIONAL { ?a dct:title ?title }
             OPTIONAL { ?a dct:issued ?date OPTIONAL { ?a kg:datePrecision ?precision } }
             OPTIONAL { ?a dct:publisher/rdfs:label ?pub } } }"""
    for row in store.query(q):
        out[row["g"].value] = {
            "id": row["id"].value,
            "title": row["title"].value if row["title"] is not None else row["id"].value,
            "date": shown_date(row["date"].value if row["date"] is not None else "",
                               row["precision"].value if row["precision"] is not None else ""),
            "publisher": row["pub"].value if row["pub"] is not None else "narrator",
        }
    return out


def shown_date(value: str, precision: str = "") -> str:
    """A date as precise as it is known: "2006-05" for an article dated to the month."""
    if precision.endswith("#YearPrecision"):
        return value[:4]
    if precision.endswith("#MonthPrecision"):
        return value[:7]
    return value


def _match_articles(articles: dict[str, dict[str, str]], wanted: tuple[str, ...]) -> set[str] | None:
    if not wanted:
        return None
    out = set()
    for w in wanted:
        hits = {g for g, a in articles.items() if w in (a["id"], g) or a["id"].endswith("/" + w)
                or w.lower() in a["title"].lower()}
        if not hits:
            raise NotFound(f"--article {w}: no such article in the store")
        out |= hits
    return out


def find_node(g: Any, name: str) -> str:
    """The node whose label, alias or IRI is ``name`` (case-insensitive), best connected first."""
    from kg.resolve.names import norm_key

    key = norm_key(name)
    exact = [n for n, d in g.nodes(data=True) if n == name or norm_key(d["label"]) == key]
    if not exact:
        exact = [n for n, d in g.nodes(data=True) if any(norm_key(a) == key for a in d["aliases"])]
    if not exact:
        exact = [n for n, d in g.nodes(data=True) if key and key in norm_key(d["label"])]
    if not exact:
        raise NotFound(f"{name}: no person, group, place or event by that name (try `kg query people`)")
    return max(exact, key=lambda n: (g.degree(n), n))


def _apply_filters(g: Any, f: Filters, store: Any, notes: list[str]) -> Any:
    import networkx as nx

    if f.modalities:
        drop = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d["modality"] not in f.modalities]
        g.remove_edges_from(drop)
    if f.since or f.until:
        since = _date(f.since, "--since")
        until = _date(f.until, "--until")
        drop_events = [n for n, d in g.nodes(data=True) if d["type"] == "event" and (
            not d["date"] or (since and d["date"] < since) or (until and d["date"] > until))]
        g.remove_nodes_from(drop_events)
    if f.query_file:
        keep = _nodes_from_query(store, f.query_file)
        g = g.subgraph([n for n in g.nodes if n in keep]).copy()
        notes.append(f"drawn from the results of {f.query_file}")
    if f.types:
        g = g.subgraph([n for n, d in g.nodes(data=True) if d["type"] in f.types]).copy()
    if f.focus:
        center = find_node(g, f.focus)
        und = nx.Graph(g)
        near = nx.single_source_shortest_path_length(und, center, cutoff=max(0, f.depth))
        g = g.subgraph(near).copy()
        g.graph["focus"] = center
    else:
        g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0 and g.nodes[n]["type"] == "place"
                             and len(g.nodes[n]["articles"]) < 2 and g.number_of_nodes() > 50])
    return g


def _date(value: str | None, flag: str) -> str | None:
    if not value:
        return None
    from kg.dates import parse_date

    d = parse_date(value)
    if d is None:
        raise UsageError(f"{flag} {value}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return d.value


def _nodes_from_query(store: Any, path: str) -> set[str]:
    from pathlib import Path

    from kg.queries import parse_query_file, run
    from kg.store.limits import Limits

    result = run(store, parse_query_file(Path(path)), limits=Limits())  # the default time and memory limits
    out: set[str] = set()
    if result.kind == "graph":
        for s, _, o in result.triples:
            out |= {c.value for c in (s, o) if c.kind == "uri"}
    else:
        for row in result.rows:
            out |= {c.value for c in row if c is not None and c.kind == "uri"}
    if not out:
        raise UsageError(f"{path}: the query returned no entity IRIs to draw")
    return out


def today() -> str:
    return dt.date.today().isoformat()
