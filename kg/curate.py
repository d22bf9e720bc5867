"""Analyst corrections and entity listings: ``kg entities``, ``kg merge``, ``kg split``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import NotFound, UsageError
from kg.rdf.namespaces import DATA_NS

TYPE_CLASSES = {"person": "foaf:Person", "organisation": "org:Organization", "group": "foaf:Group",
                "place": "sem:Place"}


@dataclass
class EntityRow:
    iri: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    articles: int = 0
    mentions: int = 0
    merges: list[str] = field(default_factory=list)  # "alias (rule score)"


def entities(store: Any, *, type_: str | None = None, search: str | None = None, limit: int | None = None) -> list[EntityRow]:
    """Entities with their aliases, how many articles mention them, and why names were merged."""
    if type_ and type_ not in TYPE_CLASSES:
        raise UsageError(f"--type {type_}: use one of {', '.join(TYPE_CLASSES)}")
    classes = [TYPE_CLASSES[type_]] if type_ else list(TYPE_CLASSES.values())
    q = f"""SELECT ?e ?t ?label (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases)
                   (COUNT(DISTINCT ?g) AS ?articles) (COUNT(DISTINCT ?s) AS ?mentions) WHERE {{
              VALUES ?t {{ {' '.join(classes)} }}
              ?e a ?t ; rdfs:label ?label .
              OPTIONAL {{ ?e skos:altLabel ?alias }}
              OPTIONAL {{ GRAPH ?g {{ ?e kg:denotedBy ?s }} }}
            }} GROUP BY ?e ?t ?label ORDER BY DESC(?articles) DESC(?mentions) ?label"""
    from kg.resolve.names import norm_key

    needle = norm_key(search) if search else ""
    out = []
    for row in store.query(q):
        t = row["t"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        aliases = [a for a in row["aliases"].value.split("\u001f") if a] if row["aliases"] is not None else []
        if needle and not any(needle in norm_key(n) for n in [row["label"].value, *aliases]):
            continue
        out.append(EntityRow(row["e"].value, t, row["label"].value, aliases, int(row["articles"].value),
                             int(row["mentions"].value)))
        if limit and len(out) >= limit:
            break
    merges_q = """SELECT ?e ?alias ?rule ?score WHERE { ?e kg:aliasMerge ?m . ?m kg:alias ?alias ; kg:mergeRule ?rule ;
                    kg:mergeScore ?score FILTER(?rule != "in-document") }"""
    by_iri = {r.iri: r for r in out}
    for row in store.query(merges_q):
        r = by_iri.get(row["e"].value)
        if r is not None:
            text = f"{row['alias'].value} ({row['rule'].value} {row['score'].value})"
            if text not in r.merges:
                r.merges.append(text)
    return out


def _entity(store: Any, name: str) -> tuple[str, str]:
    from kg.explanation import find_entities

    found = [f for f in find_entities(store, name) if f[0].startswith(DATA_NS) and "/graph/" not in f[0]]
    if not found:
        raise NotFound(f"{name}: no store-wide entity by that name (see `kg entities --search ...`)")
    return found[0][0], found[0][1]


def merge(store: Any, keep: str, other: str) -> tuple[str, str]:
    """Record that ``other`` is the same entity as ``keep`` and rewrite it everywhere.
    Returns (kept label, merged label)."""
    from kg.extract import now_iso
    from kg.resolve.curation import curation_triples

    keep_iri, keep_label = _entity(store, keep)
    other_iri, other_label = _entity(store, other)
    if keep_iri == other_iri:
        raise UsageError(f"{keep} and {other} are already one entity ({keep_label})")
    from kg.rdf.namespaces import KG_NS
    from kg.rdf.rewrites import Rewrite

    # the kept entity's kind and actor type stay its only ones (one of each, as the shapes
    # require), here and in the later ingests that meet the merged name
    sole = []
    for name in ("orgKind", "actorType"):
        q = f"SELECT DISTINCT ?v WHERE {{ <{keep_iri}> <{KG_NS}{name}> ?v }} ORDER BY ?v LIMIT 1"
        for row in store.query(q):
            sole.append((f"<{KG_NS}{name}>", str(row["v"])))  # the term in N-Triples form
    _, triples = curation_triples("merge", other_iri, keep_iri, None, keep_label, now_iso())
    triples += [(f"<{keep_iri}>", pred, value) for pred, value in sole]
    store.curate(triples, rewrites=[Rewrite(other_iri, keep_iri, keep_label, sole=tuple(sole))])
    return keep_label, other_label



def split(store: Any, entity: str, alias: str) -> tuple[str, list[str]]:
    """Record that mentions written ``alias`` are not ``entity`` and re-extract the articles
    that mention it. Returns (entity label, re-extracted article ids)."""
    import kg
    from kg.extract import now_iso
    from kg.resolve.curation import curation_triples
    from kg.resolve.names import norm_key

    iri, label = _entity(store, entity)
    key = norm_key(alias)
    q = f"""SELECT DISTINCT ?id ?exact WHERE {{ GRAPH ?g {{ <{iri}> kg:denotedBy ?s . ?s oa:hasSelector ?q .
              ?q oa:exact ?exact . ?g prov:wasDerivedFrom ?a . ?a kg:articleId ?id }} }}"""
    affected = sorted({row["id"].value for row in store.query(q) if norm_key(row["exact"].value) == key})
    if not affected:
        raise NotFound(f"{alias}: no mention of {label} is written that way")
    _, triples = curation_triples("split", iri, None, alias, None, now_iso())
    store.curate(triples)
    articles = [stored_article(store, aid) for aid in affected]
    kg.ingest([], store, articles=articles, force=True)
    return label, affected


def stored_article(store: Any, article_id: str) -> Any:
    """Rebuild an :class:`~kg.model.Article` from its graph (text and metadata as stored)."""
    import pyoxigraph as ox

    from kg.model import Article, DatePrecision, DateValue

    q = """SELECT ?id ?body ?title ?url ?issued ?prec ?inferred ?expr ?byline ?pub WHERE { GRAPH ?g {
             ?a kg:articleId ?id ; schema:articleBody ?body .
             OPTIONAL { ?a dct:title ?title } OPTIONAL { ?a schema:url ?url } OPTIONAL { ?a dct:issued ?issued }
             OPTIONAL { ?a kg:datePrecision ?prec } OPTIONAL { ?a kg:dateInferred ?inferred }
             OPTIONAL { ?a kg:dateExpression ?expr } OPTIONAL { ?a kg:byline ?byline }
             OPTIONAL { ?a dct:publisher/rdfs:label ?pub } } }"""
    rows = list(store.query(q, substitutions={"id": ox.Literal(article_id)}))
    if not rows:
        raise NotFound(f"{article_id}: no such article in the store")
    r = rows[0]

    def v(name: str) -> str | None:
        return r[name].value if r[name] is not None else None

    authors = [row["n"].value for row in store.query(
        "SELECT ?id ?n WHERE { ?a kg:articleId ?id ; dct:creator/rdfs:label ?n } ORDER BY ?n",
        substitutions={"id": ox.Literal(article_id)})]
    published = None
    if v("issued"):
        precision = DatePrecision((v("prec") or "#DayPrecision").rsplit("#", 1)[-1].replace("Precision", "").lower())
        from kg.dates import day_value, month_value, year_value

        y, m, d = (int(x) for x in v("issued").split("-"))
        base = {DatePrecision.DAY: lambda: day_value(y, m, d), DatePrecision.MONTH: lambda: month_value(y, m),
                DatePrecision.YEAR: lambda: year_value(y)}[precision]()
        published = DateValue(base.value, base.precision, base.end, v("expr") or "", v("inferred") == "true")
    text, title = v("body") or "", v("title")
    return Article(id=v("id"), text=text, title=title, url=v("url"), published=published, authors=tuple(authors),
                   publisher=v("pub"), byline=v("byline"), source=None,
                   title_end=len(title) if title and text.startswith(title) else 0)
