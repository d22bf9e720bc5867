"""Everything the store says about one entity, with the sentences and sources behind each
statement (``kg explain``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.actors import shown_date
from kg.errors import NotFound

RELATION_WORDS = {
    "memberOf": "member of", "headOf": "head of", "formerMemberOf": "former member of", "linkedTo": "linked to",
    "alliedWith": "allied with", "subOrganizationOf": "part of", "relativeOf": "relative of", "holds": "holds the post",
    "basedIn": "based in", "responsibleFor": "responsible for",
}


@dataclass
class Statement:
    subject: str
    relation: str
    object: str
    modality: str
    speaker: str
    article: str
    title: str
    date: str
    sentence: str


@dataclass
class Explanation:
    iri: str
    label: str
    types: list[str]
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    events: list[tuple[str, str, str, str]] = field(default_factory=list)  # role, event label, date, article
    mentions: dict[str, int] = field(default_factory=dict)  # article id -> number of mentions
    merges: list[tuple[str, str, str]] = field(default_factory=list)  # alias, rule, score
    others: list[str] = field(default_factory=list)  # other entities with that name


def _select(store: Any, q: str, entity: Any, variables: list[str]) -> list[dict[str, str]]:
    out = []
    for row in store.query(q, substitutions={"e": entity}):
        out.append({v: (row[v].value if row[v] is not None else "") for v in variables})
    return out


def find_entities(store: Any, name: str) -> list[tuple[str, str, int]]:
    """(IRI, label, mentions) of entities whose label, alias or IRI is ``name``."""
    import pyoxigraph as ox

    from kg.resolve.names import norm_key

    iri = name.strip().strip("<>")
    if iri.startswith(("http://", "https://", "urn:")):
        q = """SELECT ?e ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
                 ?e rdfs:label ?label . OPTIONAL { ?e kg:denotedBy ?s } } GROUP BY ?e ?label"""
        subs = {"e": ox.NamedNode(iri)}
    else:  # any name or other name, in any case (kg:nameKey is indexed)
        q = """SELECT ?key ?e ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
                 ?e kg:nameKey ?key ; rdfs:label ?label .
                 OPTIONAL { ?e kg:denotedBy ?s } } GROUP BY ?key ?e ?label ORDER BY DESC(?n) ?label"""
        subs = {"key": ox.Literal(norm_key(name))}
    try:
        rows = list(store.query(q, substitutions=subs))
    except ValueError:  # not a valid IRI
        return []
    if not rows and "key" in subs and subs["key"].value:
        # a surname or another part of a name ("Tal"): whole words inside a name (a scan)
        q = """SELECT ?needle ?e ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
                 ?e kg:nameKey ?k ; rdfs:label ?label .
                 FILTER(CONTAINS(CONCAT(" ", ?k, " "), CONCAT(" ", ?needle, " ")))
                 OPTIONAL { ?e kg:denotedBy ?s } } GROUP BY ?needle ?e ?label ORDER BY DESC(?n) ?label"""
        rows = list(store.query(q, substitutions={"needle": subs["key"]}))
    return [(r["e"].value, r["label"].value, int(r["n"].value)) for r in rows]


def explain(store: Any, name: str) -> Explanation:
    import pyoxigraph as ox

    found = find_entities(store, name)
    if not found:
        raise NotFound(f"{name}: nothing in the store has that name (try `kg query people` or `kg entities --search`)")
    iri, label, _ = found[0]
    e = ox.NamedNode(iri)
    types = [r["t"] for r in _select(store, "SELECT DISTINCT ?e ?t WHERE { ?e a ?t }", e, ["t"])]
    ex = Explanation(iri, label, sorted({t.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in types}))
    ex.others = [f"{lab} <{other}>" for other, lab, _ in found[1:]]
    ex.aliases = sorted({r["a"] for r in _select(store, "SELECT DISTINCT ?e ?a WHERE { ?e skos:altLabel ?a }", e, ["a"])})
    ex.titles = sorted({r["t"] for r in _select(store, "SELECT DISTINCT ?e ?t WHERE { ?e schema:jobTitle ?t }", e, ["t"])})
    ex.links = sorted({r["l"] for r in _select(store, "SELECT DISTINCT ?e ?l WHERE { ?e skos:exactMatch|skos:closeMatch ?l }", e, ["l"])})
    q = """SELECT ?e ?s ?p ?o ?m ?who ?sentence ?id ?title ?date ?precision WHERE { GRAPH ?g {
             ?c a kg:Claim ; rdf:subject ?sn ; rdf:predicate ?p ; rdf:object ?on ; kg:modality ?m ;
                prov:wasAttributedTo ?w ; prov:wasDerivedFrom ?span .
             FILTER(?sn = ?e || ?on = ?e)
             ?sn rdfs:label ?s . ?on rdfs:label ?o . ?w rdfs:label ?who .
             ?span oa:hasSelector ?qq . ?qq a oa:TextQuoteSelector ; oa:exact ?sentence .
             ?g prov:wasDerivedFrom ?a . ?a kg:articleId ?id .
             OPTIONAL { ?a dct:title ?title }
             OPTIONAL { ?a dct:issued ?date OPTIONAL { ?a kg:datePrecision ?precision } } } }
           ORDER BY ?date ?id"""
    for r in _select(store, q, e, ["s", "p", "o", "m", "who", "sentence", "id", "title", "date", "precision"]):
        r["date"] = shown_date(r["date"] or "", r["precision"] or "")
        rel = r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        ex.statements.append(Statement(r["s"], RELATION_WORDS.get(rel, rel), r["o"], r["m"].rsplit("#", 1)[-1].lower(),
                                       r["who"], r["id"], r["title"], r["date"], r["sentence"]))
    q = """SELECT ?e ?role ?label ?date ?id WHERE { GRAPH ?g { ?ev a sem:Event ; rdfs:label ?label ; ?role ?e .
             FILTER(?role IN (kg:perpetrator, kg:victim, kg:target, kg:detainee, sem:hasActor, sem:hasPlace))
             OPTIONAL { ?ev sem:hasTimeStamp|sem:hasEarliestBeginTimeStamp|kg:monthDay ?date }
             ?g prov:wasDerivedFrom ?a . ?a kg:articleId ?id } } ORDER BY ?date"""
    for r in _select(store, q, e, ["role", "label", "date", "id"]):
        ex.events.append((r["role"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], r["label"], r["date"], r["id"]))
    q = """SELECT ?e ?id (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?e kg:denotedBy ?s .
             ?g prov:wasDerivedFrom ?a . ?a kg:articleId ?id } } GROUP BY ?e ?id ORDER BY ?id"""
    ex.mentions = {r["id"]: int(r["n"]) for r in _select(store, q, e, ["id", "n"])}
    q = """SELECT DISTINCT ?e ?alias ?rule ?score WHERE { ?e kg:aliasMerge ?m . ?m kg:alias ?alias ;
             kg:mergeRule ?rule ; kg:mergeScore ?score } ORDER BY ?alias"""
    ex.merges = [(r["alias"], r["rule"], r["score"]) for r in _select(store, q, e, ["alias", "rule", "score"])]
    return ex


def format_explanation(ex: Explanation) -> str:
    from kg.queries import terminal_safe

    lines = [f"{ex.label}  ({', '.join(ex.types)})  <{ex.iri}>"]
    if ex.aliases:
        lines.append("also called: " + "; ".join(ex.aliases))
    if ex.titles:
        lines.append("titles: " + "; ".join(ex.titles))
    if ex.links:
        lines.append("links: " + " ".join(ex.links))
    if ex.mentions:
        lines.append("mentioned: " + ", ".join(f"{n}x in {a}" for a, n in ex.mentions.items()))
    if ex.merges:
        lines.append("merged names: " + "; ".join(f"{a} ({rule} {score})" for a, rule, score in ex.merges))
    if ex.statements:
        lines.append("")
        lines.append("statements:")
        for s in ex.statements:
            lines.append(f"  {s.subject} — {s.relation} — {s.object}  [{s.modality}, according to {s.speaker}]")
            lines.append(f"      “{s.sentence}”")
            lines.append(f"      {s.title or s.article}{', ' + s.date if s.date else ''}")
    if ex.events:
        lines.append("")
        lines.append("events:")
        for role, label, date, article in ex.events:
            lines.append(f"  {role}: {label}{' ' + date if date else ''} ({article})")
    if ex.others:
        lines.append("")
        lines.append("other entities with this name: " + "; ".join(ex.others))
    return "\n".join(terminal_safe(x) for x in lines)
