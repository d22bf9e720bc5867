"""The RDF mapping, the ontology namespace, and SHACL validation (both engines agree)."""

from __future__ import annotations

import rdflib
import rdflib.compare
from rdflib.namespace import RDF, RDFS

from kg.model import (
    Article,
    Claim,
    DatePrecision,
    DateValue,
    Entity,
    EntityType,
    Extraction,
    Modality,
    Relation,
    Resolution,
    ResolvedEntity,
    Span,
)
from kg.rdf import shacl
from kg.rdf.mapping import build_graph
from kg.rdf.namespaces import KG, KG_NS
from kg.resources import ontology_file

TEXT = "Title\n\nAli Khan said Bo Li is a member of the Red Front."


def small_extraction(modality=Modality.ASSERTED, speaker="e1"):
    art = Article(id="t1", text=TEXT, title="Title", title_end=5, publisher="Daily",
                  published=DateValue("2020-05-01", DatePrecision.MONTH, "2020-05-31", "inferred", True))
    s0 = Span(7, 58, 1, TEXT[7:58])
    ents = (
        Entity("e1", EntityType.PERSON, "Ali Khan", mentions=(Span(7, 15, 1, "Ali Khan"),)),
        Entity("e2", EntityType.PERSON, "Bo Li", mentions=(Span(21, 26, 1, "Bo Li"),)),
        Entity("e3", EntityType.ORGANISATION, "Red Front", mentions=(Span(48, 57, 1, "Red Front"),)),
    )
    claim = Claim("c1", "e2", Relation.MEMBER_OF, "e3", modality, speaker, s0, 0.8, "said")
    ex = Extraction(art, ((0, 5), (7, 58)), ents, (), (claim,), (), "en_core_web_sm 3.8.0",
                    "2020-05-02T00:00:00Z", "2020-05-02T00:00:01Z")
    res = Resolution((
        ResolvedEntity("e1", "person/ali-han", EntityType.PERSON, "Ali Khan"),
        ResolvedEntity("e2", "person/bo-li", EntityType.PERSON, "Bo Li"),
        ResolvedEntity("e3", "org/red-front", EntityType.ORGANISATION, "Red Front", kind="armed group",
                       actor_type="rebel group"),
        ResolvedEntity("publisher", "org/daily", EntityType.ORGANISATION, "Daily"),
    ))
    return ex, res


def test_ontology_namespace_matches_kg_ttl():
    g = rdflib.Graph().parse(ontology_file("kg.ttl"))
    declared = {str(s)[len(KG_NS):] for s in g.subjects() if str(s).startswith(KG_NS) and str(s) != KG_NS}
    assert declared == {name for name in KG.__annotations__}
    assert str(KG.Claim) == KG_NS + "Claim"


def test_mapping_follows_the_contract():
    ex, res = small_extraction()
    graph = build_graph(ex, res).to_rdflib()
    assert not any(isinstance(t, rdflib.BNode) for triple in graph for t in triple)  # no blank nodes
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    claim = next(graph.subjects(RDF.type, KG.Claim))
    bo, red = graph.value(claim, RDF.subject), graph.value(claim, RDF.object)
    assert graph.value(claim, RDF.predicate) == org.memberOf
    assert graph.value(claim, KG.modality) == KG.Asserted
    assert str(graph.value(graph.value(claim, prov.wasAttributedTo), RDFS.label)) == "Ali Khan"
    # asserted by a source (Ali Khan), not by the article: a claim of his, no bare triple
    assert (bo, org.memberOf, red) not in graph
    span = graph.value(claim, prov.wasDerivedFrom)
    quotes = [s for s in graph.objects(span, oa.hasSelector) if (s, RDF.type, oa.TextQuoteSelector) in graph]
    assert str(graph.value(quotes[0], oa.exact)) == TEXT[7:58]
    arts = list(graph.subjects(RDF.type, rdflib.URIRef("https://schema.org/NewsArticle")))
    assert len(arts) == 1
    assert graph.value(arts[0], KG.datePrecision) == KG.MonthPrecision
    assert str(graph.value(arts[0], rdflib.URIRef("http://purl.org/dc/terms/issued"))) == "2020-05-01"


def test_only_what_the_article_asserts_itself_is_a_bare_triple():
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    own = build_graph(*small_extraction(speaker=None))
    graph = own.to_rdflib()
    claim = next(graph.subjects(RDF.type, KG.Claim))
    article = next(graph.subjects(RDF.type, rdflib.URIRef("https://schema.org/NewsArticle")))
    # the narrator's voice is the publisher's, and the article node says whose voice that is
    assert graph.value(claim, prov.wasAttributedTo) == graph.value(article, prov.wasAttributedTo)
    assert str(graph.value(graph.value(article, prov.wasAttributedTo), RDFS.label)) == "Daily"
    assert (graph.value(claim, RDF.subject), org.memberOf, graph.value(claim, RDF.object)) in graph
    assert shacl.validate_nquads(own.nquads()) == [] and shacl.validate_pyshacl(own.ntriples())[0]


def test_a_bare_triple_behind_a_source_s_claim_is_caught_by_both_engines():
    g = build_graph(*small_extraction())  # Ali Khan said it
    leak = ("<https://w3id.org/kg-news/id/person/bo-li> <http://www.w3.org/ns/org#memberOf> "
            "<https://w3id.org/kg-news/id/org/red-front> .\n")
    assert shacl.validate_nquads(g.nquads()) == []
    fast = shacl.validate_nquads(g.nquads() + leak.replace(" .\n", f" <{g.graph}> .\n"))
    assert {v.shape for v in fast} == {"ClaimShape", "BareRelationShape"}
    conforms, report = shacl.validate_pyshacl(g.ntriples() + leak)
    assert not conforms and "not asserted by the article itself" in report and "own voice" in report


def test_golden_graph_is_stable():
    """Building the same extraction twice gives isomorphic graphs (and equal triples)."""
    ex, res = small_extraction()
    a, b = build_graph(ex, res), build_graph(ex, res)
    assert a.triples == b.triples
    assert rdflib.compare.isomorphic(a.to_rdflib(), b.to_rdflib())


def test_alleged_claims_do_not_leak_as_bare_triples():
    ex, res = small_extraction(Modality.ALLEGED)
    g = build_graph(ex, res)
    rg = g.to_rdflib()
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    assert not list(rg.triples((None, org.memberOf, None)))
    assert shacl.validate_nquads(g.nquads()) == []
    assert shacl.validate_pyshacl(g.ntriples())[0]


def test_both_engines_catch_a_leak_and_agree():
    ex, res = small_extraction(Modality.ALLEGED)
    g = build_graph(ex, res)
    leak = ("<https://w3id.org/kg-news/id/person/bo-li> <http://www.w3.org/ns/org#memberOf> "
            "<https://w3id.org/kg-news/id/org/red-front> .\n")
    bad_nt = g.ntriples() + leak
    bad_nq = g.nquads() + leak.replace(" .\n", f" <{g.graph}> .\n")
    fast = shacl.validate_nquads(bad_nq)
    assert {v.shape for v in fast} == {"ClaimShape", "BareRelationShape"}
    conforms, report = shacl.validate_pyshacl(bad_nt)
    assert not conforms and "leaks as a bare triple" in report and "no asserted claim" in report


def test_a_bare_triple_of_every_relation_the_shape_targets_is_caught():
    """The shape checks each relation in its own branch: none of them may be missed."""
    shapes = rdflib.Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    sh = rdflib.Namespace(shacl.SH)
    shape = rdflib.URIRef(next(str(s) for s in shapes.subjects(RDF.type, sh.NodeShape)
                               if str(s).endswith("BareRelationShape")))
    relations = sorted(shapes.objects(shape, sh.targetSubjectsOf))
    assert len(relations) >= 10
    g = build_graph(*small_extraction())
    for rel in relations:
        leak = f"<https://w3id.org/kg-news/id/person/ali-khan> <{rel}> <https://w3id.org/kg-news/id/org/red-front> <{g.graph}> .\n"
        found = {v.shape for v in shacl.validate_nquads(g.nquads() + leak)}
        assert "BareRelationShape" in found, rel


def test_both_engines_agree_on_broken_graphs():
    ex, res = small_extraction()
    g = build_graph(ex, res)
    mutations = [
        lambda ts: [t for t in ts if "#modality>" not in t[1]],  # claim without modality
        lambda ts: [t for t in ts if not (t[1].endswith("label>") and "bo-li" in t[0])],  # undeclared entity
        lambda ts: ts + [(ts[0][0].replace("graph/t1", "graph/t1/span/9-3/position"),
                          "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
                          "<http://www.w3.org/ns/oa#TextPositionSelector>")],  # selector without offsets
        lambda ts: [(s, p, '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' if p.endswith("#confidence>") else o)
                    for s, p, o in ts],  # confidence out of range
    ]
    for mutate in mutations:
        triples = mutate(list(g.triples))
        nt = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
        nq = "".join(f"{s} {p} {o} <{g.graph}> .\n" for s, p, o in triples)
        fast_ok = shacl.validate_nquads(nq) == []
        ref_ok, report = shacl.validate_pyshacl(nt)
        assert fast_ok is False and ref_ok is False
        assert "Constraint Violation" in report and "Validation Failure" not in report


def test_all_shapes_compile():
    checks = shacl.compiled()
    assert len(checks) > 50
    assert {c.shape for c in checks} >= {"ClaimShape", "BareRelationShape", "ArticleShape", "SpanShape",
                                         "PersonShape", "PlaceShape", "EventShape"}
