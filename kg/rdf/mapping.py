"""Map one article's :class:`~kg.model.Extraction` and :class:`~kg.model.Resolution` to its
named graph, per the ontology contract (DESIGN.md section 3).

The graph is self-contained (it declares the type and label of every entity it mentions), has no
blank nodes (every node has a deterministic IRI), and writes a bare relation triple only for a
claim the article asserts in its own voice: modality Asserted and attributed to the article's
narrator (its publisher, or an agent standing for the narrator; the article node is
``prov:wasAttributedTo`` it). "Official Z says X is in group Y" stays a claim of Z's: an asserted
claim with Z as its speaker, and no bare ``X org:memberOf Y``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from kg import __version__
from kg.model import (
    Claim,
    DatePrecision,
    EntityType,
    Event,
    Extraction,
    Modality,
    Relation,
    Resolution,
    ResolvedEntity,
    Span,
)
from kg.rdf import iris, rewrites
from kg.rdf import terms as t
from kg.rdf.namespaces import KG_NS, PREFIXES
from kg.resolve.names import norm_key

_P = PREFIXES


def _i(prefix: str, local: str) -> str:
    return f"<{_P[prefix]}{local}>"


def _k(local: str) -> str:
    return f"<{KG_NS}{local}>"


A = _i("rdf", "type")
LABEL = _i("rdfs", "label")
ALT = _i("skos", "altLabel")
NAME_KEY = _k("nameKey")
EXACT = _i("skos", "exactMatch")
CLOSE = _i("skos", "closeMatch")
PERSON = _i("foaf", "Person")
AGENT = _i("foaf", "Agent")
GROUP = _i("foaf", "Group")
ORG = _i("org", "Organization")
PLACE = _i("sem", "Place")
FEATURE = _i("geo", "Feature")
EVENT = _i("sem", "Event")
JOB = _i("schema", "jobTitle")
CONTAINED = _i("schema", "containedInPlace")
PARENT_ORG = _i("schema", "parentOrganization")
AREA = _i("schema", "areaServed")
DENOTED = _k("denotedBy")
DERIVED = _i("prov", "wasDerivedFrom")
ATTRIBUTED = _i("prov", "wasAttributedTo")
RELATION_PREDICATES = {
    Relation.MEMBER_OF: _i("org", "memberOf"),
    Relation.HEAD_OF: _i("org", "headOf"),
    Relation.FORMER_MEMBER_OF: _k("formerMemberOf"),
    Relation.LINKED_TO: _k("linkedTo"),
    Relation.ALLIED_WITH: _k("alliedWith"),
    Relation.SUB_ORGANIZATION_OF: _i("org", "subOrganizationOf"),
    Relation.RELATIVE_OF: _k("relativeOf"),
    Relation.HOLDS: _i("org", "holds"),
    Relation.BASED_IN: _k("basedIn"),
    Relation.RESPONSIBLE_FOR: _k("responsibleFor"),
}
MODALITY = {Modality.ASSERTED: _k("Asserted"), Modality.ALLEGED: _k("Alleged"),
            Modality.SPECULATED: _k("Speculated"), Modality.DENIED: _k("Denied")}
PRECISION = {DatePrecision.DAY: _k("DayPrecision"), DatePrecision.MONTH: _k("MonthPrecision"),
             DatePrecision.YEAR: _k("YearPrecision")}
ACTOR_TYPES = {
    "state forces": "StateForces", "rebel group": "RebelGroup", "political militia": "PoliticalMilitia",
    "identity militia": "IdentityMilitia", "rioters": "Rioters", "protesters": "Protesters",
    "civilians": "Civilians", "external/other": "ExternalOther",
}
ROLE_PREDICATES = {"perpetrator": _k("perpetrator"), "target": _k("target"), "victim": _k("victim"),
                   "detainee": _k("detainee"), "actor": _i("sem", "hasActor")}


@dataclass(frozen=True, slots=True)
class ArticleGraph:
    """One article's named graph as N-Triples terms."""

    graph: str  # graph IRI
    article: str  # article IRI
    article_id: str
    content_hash: str
    triples: tuple[tuple[str, str, str], ...]

    def nquads(self) -> str:
        g = f"<{self.graph}>"
        return "".join(f"{s} {p} {o} {g} .\n" for s, p, o in self.triples)

    def ntriples(self) -> str:
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.triples)

    def to_rdflib(self):  # -> rdflib.Graph (import kept local: rdflib is not on the hot path)
        import rdflib

        g = rdflib.Graph(identifier=rdflib.URIRef(self.graph))
        g.parse(data=self.ntriples(), format="nt")
        return g


class _Builder:
    def __init__(self, text: str = "", sentences: tuple[tuple[int, int], ...] = ()) -> None:
        self.triples: list[tuple[str, str, str]] = []
        self.seen: set[tuple[str, str, str]] = set()
        self.text = text
        self.sentences = sentences

    def add(self, s: str, p: str, o: str) -> None:
        triple = (s, p, o)
        if triple not in self.seen:
            self.seen.add(triple)
            self.triples.append(triple)


def build_graph(ex: Extraction, res: Resolution) -> ArticleGraph:
    art = ex.article
    g = iris.graph_iri(art.id)
    a = iris.article_iri(art)
    G, AI = t.iri(g), t.iri(a)
    b = _Builder(art.text, ex.sentences)
    add = b.add

    # provenance of the graph
    run = t.iri(g + "/run")
    agent = t.iri(iris.AGENT_IRI)
    add(G, A, _k("DocumentGraph"))
    add(G, DERIVED, AI)
    add(G, _i("prov", "wasGeneratedBy"), run)
    add(run, A, _k("ExtractionRun"))
    add(run, A, _i("prov", "Activity"))
    add(run, _i("prov", "used"), AI)
    add(run, _i("prov", "wasAssociatedWith"), agent)
    model_name, _, model_version = ex.model.partition(" ")
    add(run, _k("model"), t.lit(model_name or "unknown"))
    add(run, _k("modelVersion"), t.lit(model_version or "unknown"))
    add(run, _k("softwareVersion"), t.lit(f"kg {__version__}"))
    if ex.started:
        add(run, _i("prov", "startedAtTime"), t.datetime(ex.started))
    if ex.ended:
        add(run, _i("prov", "endedAtTime"), t.datetime(ex.ended))
    add(agent, A, _i("prov", "SoftwareAgent"))
    add(agent, LABEL, t.lit("kg"))

    by_id = res.by_id()
    graph_of = g

    def node(r: ResolvedEntity) -> str:
        return t.iri(iris.entity_iri(r.key, graph_of))

    # the article
    add(AI, A, _i("schema", "NewsArticle"))
    add(AI, _k("articleId"), t.lit(art.id))
    add(AI, _k("contentHash"), t.lit(art.content_hash))
    add(AI, _i("schema", "articleBody"), t.lit(art.text))
    if art.title:
        add(AI, _i("dct", "title"), t.lit(art.title))
    if art.url:
        url = t.safe_iri(art.url)
        add(AI, _i("schema", "url"), t.typed(url or art.url, PREFIXES["xsd"] + "anyURI"))
    if art.byline:
        add(AI, _k("byline"), t.lit(art.byline))
    if art.published:
        d = art.published
        add(AI, _i("dct", "issued"), t.date(d.value))
        if d.inferred or d.precision != DatePrecision.DAY:
            add(AI, _k("datePrecision"), PRECISION[d.precision])
        if d.inferred:
            add(AI, _k("dateInferred"), t.boolean(True))
        if d.expression:
            add(AI, _k("dateExpression"), t.lit(d.expression))
    for n in range(1, len(art.authors) + 1):
        r = by_id.get(f"author{n}")
        if r:
            add(AI, _i("dct", "creator"), node(r))
    publisher = by_id.get("publisher")
    if publisher:
        add(AI, _i("dct", "publisher"), node(publisher))
    narrator = node(publisher) if publisher else t.iri(a + "#narrator") if a.startswith(iris.DATA_NS) \
        else t.iri(g + "/narrator")
    if not publisher:
        add(narrator, A, _i("prov", "Agent"))
        add(narrator, LABEL, t.lit("the article's narrator"))
    add(AI, ATTRIBUTED, narrator)  # the article's own voice: what it asserts itself becomes a bare triple

    # entities
    ents = {e.id: e for e in ex.entities}
    declared: set[str] = set()
    merge_n = 0
    for r in (*res.entities, *res.context):
        n_iri = node(r)
        if n_iri not in declared:
            declared.add(n_iri)
            _declare(b, r, n_iri, g)
        for alt in r.alt_labels:
            add(n_iri, ALT, t.lit(alt))
        for key in dict.fromkeys(norm_key(name) for name in (r.label, *r.alt_labels)):
            if key:
                add(n_iri, NAME_KEY, t.lit(key))  # indexed lookup by any name, any case
        e = ents.get(r.id)
        if e is not None:
            for title in e.job_titles:
                add(n_iri, JOB, t.lit(title))
            for span in e.mentions:
                sp = _span(b, g, AI, span)
                add(n_iri, DENOTED, sp)
        for m in r.merges:
            merge_n += 1
            for triple in rewrites.merge_triples(g, n_iri[1:-1], m.alias, m.rule, m.score):
                add(*triple)

    # posts
    for post in ex.posts:
        holder = by_id.get(post.holder)
        if holder is None:
            continue
        p_iri = t.iri(_post_iri(post, holder, by_id))
        add(p_iri, A, _i("org", "Post"))
        add(p_iri, LABEL, t.lit(post.title))
        role = t.iri(f"{iris.DATA_NS}role/{_slug(post.role)}")
        add(p_iri, _i("org", "role"), role)
        add(role, A, _i("org", "Role"))
        add(role, LABEL, t.lit(post.role))
        if post.organisation and post.organisation in by_id:
            add(p_iri, _i("org", "postIn"), node(by_id[post.organisation]))
        add(p_iri, DERIVED, _span(b, g, AI, post.evidence))

    # claims
    posts_by_id = {p.id: p for p in ex.posts}
    events_by_id = {ev.id: ev for ev in ex.events}
    # a claim's IRI is minted from what the article itself says (its entities' local ids, the
    # first of those that resolve to one entity), not from the store's IRIs: an entity absorbed
    # later (a lone surname that a full name explains) must not leave other IRIs than the same
    # articles ingested in another order
    local = {}
    for r in sorted(by_id.values(), key=lambda r: r.id):
        local.setdefault(r.key, r.id)
    for c in ex.claims:
        s = by_id.get(c.subject)
        if s is None:
            continue
        if c.relation == Relation.HOLDS:
            post = posts_by_id.get(c.object)
            if post is None:
                continue
            o_iri = t.iri(_post_iri(post, s, by_id))
            o_local = f"post {post.id}"
        elif c.relation == Relation.RESPONSIBLE_FOR:
            if c.object not in events_by_id:
                continue
            o_iri = t.iri(iris.local_iri(g, "event", c.object))
            o_local = f"event {c.object}"
        else:
            o = by_id.get(c.object)
            if o is None:
                continue
            o_iri = node(o)
            o_local = local[o.key]
        s_iri = node(s)
        pred = RELATION_PREDICATES[c.relation]
        speaker = by_id.get(c.speaker) if c.speaker else None
        cl = t.iri(_claim_iri(g, c, local[s.key], pred, o_local, local[speaker.key] if speaker else ""))
        add(cl, A, _k("Claim"))
        add(cl, _i("rdf", "subject"), s_iri)
        add(cl, _i("rdf", "predicate"), pred)
        add(cl, _i("rdf", "object"), o_iri)
        add(cl, _k("modality"), MODALITY[c.modality])
        voice = node(speaker) if speaker else narrator
        add(cl, ATTRIBUTED, voice)
        add(cl, _k("confidence"), t.decimal(c.confidence))
        add(cl, DERIVED, _span(b, g, AI, c.evidence))
        if c.cue:
            add(cl, _k("cue"), t.lit(c.cue))
        if c.modality == Modality.ASSERTED and voice == narrator:
            add(s_iri, pred, o_iri)  # the article says so itself; a source's word stays a claim

    # events
    for ev in ex.events:
        _event(b, g, AI, ev, by_id, node)

    return ArticleGraph(g, a, art.id, art.content_hash, tuple(b.triples))


def _declare(b: _Builder, r: ResolvedEntity, n: str, graph: str) -> None:
    add = b.add
    if r.type == EntityType.PERSON:
        add(n, A, PERSON)
    elif r.type == EntityType.ORGANISATION:
        add(n, A, ORG)
        if r.kind:
            add(n, _k("orgKind"), t.lit(r.kind))
    elif r.type == EntityType.GROUP:
        add(n, A, GROUP)
    else:
        add(n, A, PLACE)
        add(n, A, FEATURE)
        if r.kind:
            add(n, _k("placeKind"), t.lit(r.kind))
        if r.lat is not None and r.lon is not None:
            geom = t.iri(iris.entity_iri(r.key, graph) + "/geometry")
            add(n, _i("geo", "hasGeometry"), geom)
            add(geom, A, _i("geo", "Geometry"))
            add(geom, _i("geo", "asWKT"), t.typed(f"POINT({r.lon:.5f} {r.lat:.5f})", PREFIXES["geo"] + "wktLiteral"))
        if r.iso:
            add(n, _k("iso3166Code"), t.lit(r.iso))
    add(n, LABEL, t.lit(r.label))
    if r.actor_type in ACTOR_TYPES:
        add(n, _k("actorType"), _k(ACTOR_TYPES[r.actor_type]))
    for link in r.links:
        safe = t.safe_iri(link)
        if safe:
            add(n, EXACT, t.iri(safe))
    for other in r.close:
        add(n, CLOSE, t.iri(iris.entity_iri(other, graph)))
    if r.parent:
        parent = t.iri(iris.entity_iri(r.parent, graph))
        if r.type == EntityType.PLACE:
            add(n, CONTAINED, parent)
        elif r.parent.startswith("place/"):
            add(n, AREA, parent)
        else:
            add(n, PARENT_ORG, parent)


def _span(b: _Builder, graph: str, article: str, span: Span) -> str:
    s = t.iri(iris.span_iri(graph, span.start, span.end))
    if (s, A, _i("oa", "SpecificResource")) in b.seen:
        return s
    pos = t.iri(iris.span_iri(graph, span.start, span.end) + "/position")
    quote = t.iri(iris.span_iri(graph, span.start, span.end) + "/quote")
    b.add(s, A, _i("oa", "SpecificResource"))
    b.add(s, _i("oa", "hasSource"), article)
    b.add(s, _k("sentenceIndex"), t.non_negative(span.sentence))
    b.add(s, _i("oa", "hasSelector"), pos)
    b.add(s, _i("oa", "hasSelector"), quote)
    b.add(pos, A, _i("oa", "TextPositionSelector"))
    b.add(pos, _i("oa", "start"), t.non_negative(span.start))
    b.add(pos, _i("oa", "end"), t.non_negative(span.end))
    b.add(quote, A, _i("oa", "TextQuoteSelector"))
    b.add(quote, _i("oa", "exact"), t.lit(span.text))
    # the rest of the sentence around a mention, so the sentence reads prefix + exact + suffix
    if 0 <= span.sentence < len(b.sentences):
        s_start, s_end = b.sentences[span.sentence]
        if s_start <= span.start and span.end <= s_end:
            prefix, suffix = b.text[s_start:span.start], b.text[span.end:s_end]
            if prefix:
                b.add(quote, _i("oa", "prefix"), t.lit(prefix))
            if suffix:
                b.add(quote, _i("oa", "suffix"), t.lit(suffix.rstrip()))
    return s


def _event(b: _Builder, g: str, article: str, ev: Event, by_id: dict[str, ResolvedEntity], node) -> None:
    add = b.add
    e = t.iri(iris.local_iri(g, "event", ev.id))
    add(e, A, EVENT)
    add(e, LABEL, t.lit(ev.label))
    for typ in ev.type.split():
        add(e, _i("sem", "eventType"), _k(typ))
    for mention in ev.mentions or (ev.trigger,):  # every wording of the event, the trigger first
        add(e, DENOTED, _span(b, g, article, mention))
    for span in ev.evidence:
        add(e, DERIVED, _span(b, g, article, span))
    add(e, _k("confidence"), t.decimal(ev.confidence))
    if ev.place and ev.place in by_id:
        add(e, _i("sem", "hasPlace"), node(by_id[ev.place]))
    for role in ev.roles:
        if role.entity in by_id:
            add(e, ROLE_PREDICATES.get(role.role, ROLE_PREDICATES["actor"]), node(by_id[role.entity]))
    if ev.date:
        d = ev.date
        if d.value.startswith("--"):  # a day whose year the text does not give: "--10-31"
            add(e, _k("monthDay"), t.typed(d.value, t.XSD + "gMonthDay"))
        elif d.precision == DatePrecision.DAY and not d.end:
            add(e, _i("sem", "hasTimeStamp"), t.date(d.value))
        else:
            add(e, _i("sem", "hasEarliestBeginTimeStamp"), t.date(d.value))
            add(e, _i("sem", "hasLatestEndTimeStamp"), t.date(d.end or d.value))
        add(e, _k("datePrecision"), PRECISION[d.precision])
        if d.expression:
            add(e, _k("dateExpression"), t.lit(d.expression))
    if ev.fatalities is not None:
        add(e, _k("fatalities"), t.non_negative(ev.fatalities))
    if ev.injured is not None:
        add(e, _k("injured"), t.non_negative(ev.injured))
    for sub in ev.sub_events:
        add(e, _i("sem", "hasSubEvent"), t.iri(iris.local_iri(g, "event", sub)))


def _slug(text: str) -> str:
    from kg.resolve.names import slugify

    return slugify(text)


def _post_iri(post, holder: ResolvedEntity, by_id: dict[str, ResolvedEntity]) -> str:
    org = by_id.get(post.organisation) if post.organisation else None
    return rewrites.post_iri(holder.key, post.role, org.key if org else None)


def _claim_iri(graph: str, c: Claim, s: str, p: str, o: str, speaker: str) -> str:
    """``s``, ``o`` and ``speaker`` are the article's own ids of the subject, object and speaker."""
    basis = "\x00".join((s, p, o, c.modality.value, speaker, str(c.evidence.start), str(c.evidence.end)))
    return f"{graph}/claim/{hashlib.sha1(basis.encode('utf-8', 'replace')).hexdigest()[:16]}"
