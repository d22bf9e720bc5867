"""The embedded Oxigraph store: locking, read-only use, the union default graph, exports."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kg
from kg.errors import StoreError, StoreLocked
from kg.store.index import _TYPES  # the resolver's classes: person, organisation, place

from .conftest import rows


def test_a_second_writer_is_refused_with_the_holder(tmp_path):
    path = tmp_path / "s"
    with kg.open_store(path):
        code = ("import kg\ntry:\n    kg.open_store(%r)\nexcept kg.KgError as e:\n    print(type(e).__name__, e)\n" % str(path))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
        assert out.startswith("StoreLocked") and "in use by process" in out
    with kg.open_store(path):  # released on close
        pass


def test_the_lock_is_per_process_too(tmp_path):
    with kg.open_store(tmp_path / "s"):
        with pytest.raises(StoreLocked):
            kg.open_store(tmp_path / "s")


def test_readers_open_beside_a_writer(seed_store_copy):
    reader = kg.open_store(seed_store_copy.path, read_only=True)
    try:
        assert len(rows(reader, "SELECT ?a WHERE { ?a a schema:NewsArticle }")) == 2
    finally:
        reader.close()


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no kg store here"):
        kg.open_store(tmp_path / "nothing", read_only=True)


def test_not_a_store_folder_is_refused(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("x")
    with pytest.raises(StoreError, match="not a kg store"):
        kg.open_store(tmp_path / "docs")


def test_union_default_graph_is_a_set(seed_store):
    # Kyrgyzstan is declared in both article graphs; the default graph holds its label once
    found = rows(seed_store, "SELECT ?l WHERE { <https://w3id.org/kg-news/id/place/kyrgyzstan> rdfs:label ?l }")
    assert found == [{"l": "Kyrgyzstan"}]
    per_graph = rows(seed_store, """SELECT ?g WHERE { GRAPH ?g {
                                      <https://w3id.org/kg-news/id/place/kyrgyzstan> rdfs:label ?l } }""")
    assert len(per_graph) == 2


def test_removing_keeps_shared_triples_in_the_union(seed_store_copy):
    kg.remove(seed_store_copy, "002_de8208fc292a2474")
    assert rows(seed_store_copy, "SELECT ?l WHERE { <https://w3id.org/kg-news/id/place/kyrgyzstan> rdfs:label ?l }")
    # triples only the removed article stated are gone from the union too
    assert not rows(seed_store_copy, "SELECT ?a WHERE { ?a kg:articleId '002_de8208fc292a2474' }")
    assert not rows(seed_store_copy, "SELECT ?p WHERE { ?p rdfs:label 'Bolot Januzakov' }")


def test_user_updates_keep_the_union_in_line(seed_store_copy):
    note = "<https://example.org/note>"
    g = rows(seed_store_copy, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a kg:articleId '002_de8208fc292a2474' } }")[0]["g"]
    kg.update(seed_store_copy, f"INSERT DATA {{ GRAPH <{g}> {{ {note} rdfs:comment 'checked' }} }} ;")
    assert rows(seed_store_copy, f"SELECT ?c WHERE {{ {note} rdfs:comment ?c }}") == [{"c": "checked"}]
    # Kyrgyzstan's label is in both article graphs: deleting it from one keeps it in the union
    kg.update(seed_store_copy, f"DELETE DATA {{ GRAPH <{g}> {{ <https://w3id.org/kg-news/id/place/kyrgyzstan> "
                               "rdfs:label 'Kyrgyzstan' } } # a comment at the end")
    assert len(rows(seed_store_copy, """SELECT ?g WHERE { GRAPH ?g {
                                        <https://w3id.org/kg-news/id/place/kyrgyzstan> rdfs:label ?l } }""")) == 1
    assert rows(seed_store_copy, "SELECT ?l WHERE { <https://w3id.org/kg-news/id/place/kyrgyzstan> rdfs:label ?l }")
    kg.update(seed_store_copy, f"DELETE WHERE {{ GRAPH ?x {{ {note} ?p ?o }} }}")
    assert not rows(seed_store_copy, f"SELECT ?c WHERE {{ {note} rdfs:comment ?c }}")


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_load_export_round_trips(seed_store, tmp_path, fmt):
    first = tmp_path / f"a.{fmt}"
    kg.export(seed_store, fmt, first)
    with kg.open_store(tmp_path / "copy") as copy:
        copy.load_dataset(first.read_bytes(), fmt)
        second = tmp_path / f"b.{fmt}"
        kg.export(copy, fmt, second)
        assert len(copy) == len(seed_store)  # the union was rebuilt
    import pyoxigraph as ox

    def quads(path):
        return {str(q) for q in ox.parse(path=str(path), format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)}
    assert quads(first) == quads(second) and len(quads(first)) > 1000


def test_turtle_export_is_the_union(seed_store, tmp_path):
    import rdflib

    out = tmp_path / "g.ttl"
    kg.export(seed_store, "turtle", out)
    g = rdflib.Graph().parse(out)
    n = int(rows(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert len(g) == n


def test_jsonld_export_parses(seed_store, tmp_path):
    import json

    out = tmp_path / "g.jsonld"
    kg.export(seed_store, "jsonld", out)
    data = json.loads(out.read_text())
    assert data


def absorption_case():
    """A stored lone surname (holding a post, with an in-article merge record) and the
    absorption of it into a full name: (graph, rewrites)."""
    from kg.rdf.mapping import ArticleGraph
    from kg.rdf.rewrites import Rewrite, merge_triples, post_iri

    ns = "https://w3id.org/kg-news/id/"
    g = f"{ns}graph/a"
    old, new, other = f"<{ns}person/karimov>", f"<{ns}person/aziz-karimov>", f"<{ns}org/interior-ministry>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    close = "<http://www.w3.org/2004/02/skos/core#closeMatch>"
    post = f"<{post_iri('person/karimov', 'minister', 'org/interior-ministry')}>"
    triples = ((old, label, '"Karimov"'), (old, "<http://www.w3.org/ns/org#memberOf>", other),
               (old, "<http://www.w3.org/ns/org#holds>", post), (post, label, '"minister"'),
               (f"<{g}/claim/1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>", post),
               (f"<{g}/claim/1>", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>", old),
               *merge_triples(g, old[1:-1], "Mr Karimov", "in-document", 0.9),
               (new, label, '"A. Karimov"'), (new, close, new), (other, label, '"Interior Ministry"'))
    graph = ArticleGraph(g, f"{ns}article/a", "a", "hash", triples)
    return graph, [Rewrite(old[1:-1], new[1:-1], "Aziz Karimov", "surname", 0.8)]


def store_quads(st):
    return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in st.quads()}


def test_rewriting_a_pending_graph_equals_rewriting_it_in_the_store(tmp_path):
    """An absorption rewrites stored graphs in the store (SPARQL) and the graphs of the same batch
    in memory (kg.pipeline.rewrite_graph); both must give the same quads, or the store would
    depend on where a batch ends. Both also give what a direct match writes: the merge record of
    the absorbed name, the name key of the new label, the post IRI of the new holder."""
    from kg.pipeline import rewrite_graph
    from kg.rdf.rewrites import merge_iri, post_iri

    graph, rewrites = absorption_case()
    with kg.open_store(tmp_path / "stored") as st:
        st.write_articles([graph])
        st.write_articles([], rewrites)
        stored = store_quads(st)
    with kg.open_store(tmp_path / "pending") as st:
        st.write_articles([rewrite_graph(graph, rewrites)])
        pending = store_quads(st)
    assert stored == pending
    text = str(pending)
    assert "person/karimov>" not in text and '"Aziz Karimov"' in text
    merge = merge_iri(graph.graph, "Karimov", "surname", 0.8)
    new = "https://w3id.org/kg-news/id/person/aziz-karimov"
    assert (f"<{new}>", "<https://w3id.org/kg-news/ns#aliasMerge>", f"<{merge}>", f"<{graph.graph}>") in pending
    assert (f"<{new}>", "<https://w3id.org/kg-news/ns#nameKey>", '"aziz karimov"', f"<{graph.graph}>") in pending
    assert f"<{post_iri('person/aziz-karimov', 'minister', 'org/interior-ministry')}>" in text
    assert f"<{merge_iri(graph.graph, 'Mr Karimov', 'in-document', 0.9)}>" in text


def test_compaction_keeps_every_quad(seed_store_copy):
    before = sorted(str(q) for q in seed_store_copy.quads())
    assert seed_store_copy.compact() is False  # nothing written in this session: nothing to do
    assert seed_store_copy.compact(force=True) is True
    assert sorted(str(q) for q in seed_store_copy.quads()) == before


def test_a_large_ingest_compacts_the_store_and_says_so(tmp_path, monkeypatch):
    import kg.store.oxigraph as oxigraph

    monkeypatch.setattr(oxigraph, "COMPACT_TRIPLES", 1)  # every ingest counts as large
    from .conftest import SEEDS

    with kg.open_store(tmp_path / "s") as store:
        report = kg.ingest([SEEDS], store)
        assert report.added == 2 and report.compact_seconds is not None
        assert "store compacted in" in report.summary()
        again = kg.ingest([SEEDS], store)  # nothing written: no compaction
        assert again.unchanged == 2 and again.compact_seconds is None
        assert "compacted" not in again.summary()
        assert len(rows(store, "SELECT ?a WHERE { ?a a schema:NewsArticle }")) == 2


def _article(name: str, *objects: str):
    from kg.rdf.mapping import ArticleGraph

    ns = "https://w3id.org/kg-news/id/"
    triples = tuple((f"<{ns}graph/{name}/claim/{i}>", "<http://www.w3.org/2000/01/rdf-schema#label>", o)
                    for i, o in enumerate(objects))
    return ArticleGraph(f"{ns}graph/{name}", f"{ns}article/{name}", name, "hash", triples)


def _all_quads(store):
    return sorted(str(q) for q in store.quads())


def test_a_batch_of_new_articles_is_written_all_or_nothing(tmp_path):
    """New articles go in through Oxigraph's bulk loader: a batch that cannot be loaded (here one
    graph holds a malformed literal) leaves the store exactly as it was, with no loader files
    left behind, and the next good batch goes in."""
    with kg.open_store(tmp_path / "s") as store:
        store.write_articles([_article("a", '"one"', '"two"')])
        before = _all_quads(store)
        assert len(before) == 4  # two triples, each in its graph and in the union
        with pytest.raises(StoreError, match="ingested again on the next run"):
            store.write_articles([_article("b", '"three"'), _article("c", '"unterminated')])
        assert _all_quads(store) == before
        assert not list((tmp_path / "s").glob("bulk-*.sst"))
        store.write_articles([_article("b", '"three"')])
        assert len(_all_quads(store)) == 6
        assert {g.rsplit("/", 1)[-1] for g in store.graphs()} == {"a", "b"}


def test_files_of_an_interrupted_bulk_load_are_removed_by_the_next_writer(tmp_path):
    with kg.open_store(tmp_path / "s") as store:
        store.write_articles([_article("a", '"one"')])
        before = _all_quads(store)
    stray = tmp_path / "s" / "bulk-123456789.sst"
    stray.write_bytes(b"half-written sorted file")  # what a crash mid-load leaves
    with kg.open_store(tmp_path / "s", read_only=True) as reader:  # readers never touch files
        assert stray.exists() and _all_quads(reader) == before
    with kg.open_store(tmp_path / "s") as store:
        assert not stray.exists()
        assert _all_quads(store) == before


def test_a_graph_that_breaks_the_shapes_is_kept_out_and_the_rest_of_its_batch_goes_in(tmp_path):
    """The writer validates a batch piece by piece; a bad graph in any piece is reported and not
    stored, and every other graph of the batch is."""
    import dataclasses

    from kg.pipeline import _write_batch
    from kg.rdf.mapping import build_graph
    from kg.rdf.shacl import PIECE_GRAPHS

    from .test_rdf import small_extraction

    ex, res = small_extraction()
    pending = []
    for i in range(PIECE_GRAPHS * 2 + 3):
        exi = dataclasses.replace(ex, article=dataclasses.replace(ex.article, id=f"t{i}"))
        graph = build_graph(exi, res)
        if i == PIECE_GRAPHS + 5:  # in the second piece: a claim without its modality
            graph = dataclasses.replace(graph, triples=tuple(t for t in graph.triples if "#modality>" not in t[1]))
        pending.append((exi, graph, []))
    bad_graph = pending[PIECE_GRAPHS + 5][1].graph
    with kg.open_store(tmp_path / "s") as store:
        bad = _write_batch(store, pending)
        assert list(bad) == [bad_graph] and any("modality" in v for v in bad[bad_graph])
        assert set(store.graphs()) == {g.graph for _, g, _ in pending} - {bad_graph}


def _entities_by_sparql(store):
    from kg.store.oxigraph import entity_labels, entity_rows

    labels = entity_labels(store)
    found: dict[tuple[str, str], set[str]] = {}
    for iri, type_iri, name in entity_rows(store, _TYPES):
        found.setdefault((iri, type_iri), set()).add(name)
    return {k: (labels.get(k[0]), frozenset(v)) for k, v in found.items()}


def _entities_read(store):
    return {(iri, t): (label, frozenset(names)) for iri, t, label, names in store.entities(_TYPES)}


def test_entities_read_from_the_union_equal_sparql_over_the_article_graphs(seed_store_copy):
    # the resolver's index is read by pattern from the union; the reference asks every
    # article graph by SPARQL, so the union must carry the same entities, labels and aliases
    read = _entities_read(seed_store_copy)
    assert read == _entities_by_sparql(seed_store_copy)
    assert read[("https://w3id.org/kg-news/id/place/kyrgyzstan", "http://semanticweb.cs.vu.nl/2009/11/sem/Place")][0] \
        == "Kyrgyzstan"
    assert any(len(names) > 1 for _, names in read.values())  # aliases are read too
    kinds = {t for _, t in read}
    assert kinds == {"http://xmlns.com/foaf/0.1/Person", "http://www.w3.org/ns/org#Organization",
                     "http://semanticweb.cs.vu.nl/2009/11/sem/Place"}
    # an entity that belongs to one article graph (an IRI under the graph's own) is not store-wide
    [g] = rows(seed_store_copy, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a kg:articleId '000_8957d6a2ab5e49c0' } }")
    local = f"<{g['g']}/person/local>"
    kg.update(seed_store_copy, f"INSERT DATA {{ GRAPH <{g['g']}> {{ {local} a foaf:Person ; rdfs:label 'Local' }} }}")
    assert _entities_read(seed_store_copy) == read == _entities_by_sparql(seed_store_copy)
    kg.remove(seed_store_copy, "002_de8208fc292a2474")
    after = _entities_read(seed_store_copy)
    assert after == _entities_by_sparql(seed_store_copy)
    assert len(after) < len(read)
