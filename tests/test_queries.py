"""Canned queries, parameters bound as RDF terms, result formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

import kg
from kg.errors import QueryError, UsageError
from kg.queries import Cell, QueryResult, format_result

REQUIRED = {"people", "groups", "places", "mentions", "affiliations", "events", "comentions", "articles"}


def test_canned_queries_have_descriptions():
    listed = dict(kg.list_queries())
    assert REQUIRED <= set(listed)
    assert all(desc and not desc.startswith("#") for desc in listed.values())


@pytest.mark.parametrize("name", sorted(REQUIRED - {"mentions"}))
def test_every_canned_query_runs(seed_store, name):
    result = kg.query(seed_store, name)
    assert result.kind == "select" and result.variables
    if name in {"people", "groups", "places", "articles", "comentions"}:
        assert result.rows


def test_mentions_of_an_alias_with_sentences(seed_store):
    result = kg.query(seed_store, "mentions", params={"name": "IMU"})
    labels = {row[result.variables.index("label")].value for row in result.rows}
    assert labels == {"Islamic Movement of Uzbekistan"}
    sentences = [row[result.variables.index("sentence")].value for row in result.rows]
    assert any("Islamic Movement of Uzbekistan, IMU, and Hizb-ut-Tahrir" in s for s in sentences)


@pytest.mark.parametrize("hostile", [
    'Malikov" } UNION { ?entity ?p ?o } #',
    "x' . ?s ?p ?o } #",
    "<https://w3id.org/kg-news/id/person/odinahmad-malikov>",
])
def test_a_param_cannot_change_the_query(seed_store, hostile):
    result = kg.query(seed_store, "mentions", params={"name": hostile})
    assert result.rows == []  # bound as a literal: matches no name, injects nothing


def test_missing_param_is_a_usage_error(seed_store):
    with pytest.raises(UsageError, match="needs --param name"):
        kg.query(seed_store, "mentions")


def test_syntax_errors_say_where(seed_store):
    with pytest.raises(QueryError, match=r"SPARQL syntax error at line 1, column \d+"):
        kg.query(seed_store, sparql="SELECT ?x WHERE { ?x a }")


def test_updates_need_the_update_flag(seed_store):
    with pytest.raises(QueryError, match="--update"):
        kg.query(seed_store, sparql="DELETE WHERE { ?s ?p ?o }")


def _result():
    return QueryResult("select", ["name", "n"], [
        [Cell("=HYPERLINK(\"http://evil\")", "literal"), Cell("3", "literal", "http://www.w3.org/2001/XMLSchema#integer")],
        [Cell("Bishkek", "literal", None, "en"), None],
    ])


def test_json_is_sparql_results_json():
    data = json.loads(format_result(_result(), "json"))
    assert data["head"]["vars"] == ["name", "n"]
    assert data["results"]["bindings"][0]["n"] == {"type": "literal", "value": "3",
                                                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert data["results"]["bindings"][1] == {"name": {"type": "literal", "value": "Bishkek", "xml:lang": "en"}}


def test_csv_cells_cannot_run_as_formulas():
    out = list(csv.reader(io.StringIO(format_result(_result(), "csv"))))
    assert out[1][0] == "'=HYPERLINK(\"http://evil\")"


def test_tsv_uses_rdf_terms():
    lines = format_result(_result(), "tsv").splitlines()
    assert lines[0] == "?name\t?n"
    assert lines[1].endswith('"3"^^<http://www.w3.org/2001/XMLSchema#integer>')


def test_construct_results_as_turtle(seed_store):
    import rdflib

    q = """CONSTRUCT { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:modality ?m }
           WHERE { ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:modality ?m }"""
    text = format_result(kg.query(seed_store, sparql=q), "turtle")
    assert "@prefix kg: <https://w3id.org/kg-news/ns#>" in text
    g = rdflib.Graph().parse(data=text, format="turtle")
    denied = rdflib.URIRef("https://w3id.org/kg-news/ns#Denied")
    assert (None, rdflib.URIRef("https://w3id.org/kg-news/ns#modality"), denied) in g
    nt = format_result(kg.query(seed_store, sparql=q), "ntriples")
    assert len(rdflib.Graph().parse(data=nt, format="nt")) == len(g)
    with pytest.raises(UsageError, match="CONSTRUCT"):
        format_result(_result(), "turtle")


def test_table_is_terminal_safe_and_capped():
    r = QueryResult("select", ["x"], [[Cell("evil\x1b[31mred\x07", "literal")]] * 3, truncated=True)
    text = format_result(r, "table")
    assert "\x1b" not in text and "\x07" not in text
    assert "more were cut off" in text


def test_a_query_file_with_typed_params(tmp_path, seed_store):
    f = tmp_path / "q.rq"
    f.write_text("# Articles issued after a date\n# param: after (date) - the date\n"
                 "SELECT ?after ?id WHERE { ?a kg:articleId ?id ; dct:issued ?d FILTER(?d > ?after) }\n")
    result = kg.query(seed_store, str(f), params={"after": "2005-01-01"})
    assert [r[1].value for r in result.rows] == ["000_8957d6a2ab5e49c0"]
    with pytest.raises(UsageError, match="not a valid date"):
        kg.query(seed_store, str(f), params={"after": "yesterday"})


def test_unknown_query_names_list_the_known_ones():
    with pytest.raises(QueryError, match="known: .*people"):
        kg.query(None, "nonsense")


def _mentions_by_graph(store):
    """From the stored quads, independently of SPARQL: graph -> entity -> sentence indexes, and
    graph -> entities it denotes."""
    from collections import defaultdict

    from kg.rdf.namespaces import DATA_NS, KG_NS

    sentence: dict[tuple[str, str], int] = {}
    denoted: list[tuple[str, str, str]] = []
    for q in store.quads():
        g = getattr(q.graph_name, "value", None)
        if not g or not g.startswith(DATA_NS + "graph/"):
            continue
        if q.predicate.value == KG_NS + "sentenceIndex":
            sentence[(g, q.subject.value)] = int(q.object.value)
        elif q.predicate.value == KG_NS + "denotedBy":
            denoted.append((g, q.subject.value, q.object.value))
    out: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for g, entity, span in denoted:
        out[g][entity].add(sentence[(g, span)])
    return out


def test_comentions_counts_equal_a_count_from_the_quads(seed_store):
    from collections import Counter, defaultdict
    from itertools import combinations

    sentences: Counter = Counter()
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g, entities in _mentions_by_graph(seed_store).items():
        by_sentence = defaultdict(set)
        for entity, idx in entities.items():
            for i in idx:
                by_sentence[i].add(entity)
        for members in by_sentence.values():
            for x, y in combinations(sorted(members), 2):
                sentences[(x, y)] += 1
                articles[(x, y)].add(g)
    result = kg.query(seed_store, "comentions")
    v = result.variables
    got = {(r[v.index("x")].value, r[v.index("y")].value): (int(r[v.index("sentences")].value),
                                                            int(r[v.index("articles")].value)) for r in result.rows}
    assert len(got) == min(200, len(sentences)) > 50
    for pair, (n, a) in got.items():
        assert (n, a) == (sentences[pair], len(articles[pair])), pair
    weakest = min(got.values())
    assert all((n, len(articles[p])) <= weakest for p, n in sentences.items() if p not in got)  # the top pairs


def test_people_and_articles_counts_equal_a_count_from_the_quads(seed_store_copy):
    from collections import Counter

    from .conftest import SEEDS

    store = seed_store_copy
    assert kg.ingest([SEEDS], store, id_prefix="again/").added == 2  # the same people, two articles each
    per_graph = _mentions_by_graph(store)
    mentioned_in = Counter(e for entities in per_graph.values() for e in entities)
    result = kg.query(store, "people")
    v = result.variables
    people = {r[v.index("person")].value: int(r[v.index("articles")].value) for r in result.rows}
    assert people and all(n == mentioned_in[p] for p, n in people.items())
    assert sum(n >= 2 for n in people.values()) >= 10
    result = kg.query(store, "articles")
    v = result.variables
    assert {r[v.index("graph")].value: int(r[v.index("entities")].value) for r in result.rows} == \
        {g: len(entities) for g, entities in per_graph.items()}


def test_results_become_typed_dataframes(seed_store):
    pd = pytest.importorskip("pandas", reason="to_pandas needs pandas: pip install 'kg-news[pandas]'")
    events = kg.query(seed_store, "events").to_pandas()
    assert list(events.columns) == kg.query(seed_store, "events").variables
    assert str(events["fatalities"].dtype) == "Int64" and str(events["date"].dtype).startswith("datetime64")
    assert events["label"].dtype == "string"
    dated = events.dropna(subset=["date"])
    assert len(dated) and dated["date"].min() >= pd.Timestamp("1999-01-01")
    killed = events[events["fatalities"].notna()]
    assert (killed["fatalities"] > 0).all()
    # the same figures as the rows themselves
    rows = kg.query(seed_store, "events").rows
    k = kg.query(seed_store, "events").variables.index("fatalities")
    assert sorted(int(r[k].value) for r in rows if r[k] is not None) == sorted(killed["fatalities"].tolist())
    ask = kg.query(seed_store, sparql="ASK { ?s a kg:Claim }").to_pandas()
    assert ask["boolean"].tolist() == [True]
    graph = kg.query(seed_store, sparql="CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } LIMIT 3").to_pandas()
    assert list(graph.columns) == ["subject", "predicate", "object"] and len(graph) == 3


def test_a_column_with_mixed_types_stays_text(seed_store):
    pytest.importorskip("pandas", reason="to_pandas needs pandas: pip install 'kg-news[pandas]'")
    df = kg.query(seed_store, sparql="SELECT ?v WHERE { VALUES ?v { 1 2.5 'x' } }").to_pandas()
    assert df["v"].dtype == "string" and df["v"].tolist() == ["1", "2.5", "x"]
    df = kg.query(seed_store, sparql="SELECT ?v WHERE { VALUES ?v { 1 2 UNDEF } }").to_pandas()
    assert str(df["v"].dtype) == "Int64" and df["v"].isna().sum() == 1
