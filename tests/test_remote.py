"""The store on a SPARQL 1.1 server (kg.store.remote).

Three layers, all part of the default run:
- the pieces, with no server: URL detection and configuration, RDF terms in VALUES clauses, the
  query rewriter (checked against the local engine: a rewritten query gives the same answers),
  chunking, the mending of what servers send back;
- ``kg serve --allow-update`` as the server: one whose default graph is its own (like Fuseki's);
- a real Virtuoso Open Source server when KG_TEST_VIRTUOSO is its endpoint URL (CI starts one
  with .ci/virtuoso.sh); without it those tests are skipped, and say how to run them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import kg
from kg.errors import QueryError, StoreError
from kg.queries import canned_queries
from kg.rdf.namespaces import DATA_NS
from kg.store import remote
from kg.store.oxigraph import GRAPH_PREFIX
from kg.store.remote import RemoteStore, parse_endpoint, remote_url, rewrite

from .conftest import SEEDS, running

VIRTUOSO = os.environ.get("KG_TEST_VIRTUOSO", "")
PARAMS = {"mentions": {"name": "IMU"}}


def kg_cli(*args, env=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


# --- comparing answers --------------------------------------------------------------------------------


def _separators(text: str) -> dict[str, str]:
    """The GROUP_CONCAT separator of each variable a query defines with one."""
    return {m.group(3): m.group(2) for m in re.finditer(
        r"GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*;\s*separator\s*=\s*([\"'])(.*?)\1\s*\)\s+AS\s+\?(\w+)", text, re.I)}


def answers(store, name: str) -> list[tuple[str, ...]]:
    """A canned query's rows, sorted, as N-Triples cells. Two differences between engines that
    SPARQL allows are evened out: the order of GROUP_CONCAT's values, and an empty GROUP_CONCAT
    ("" on Virtuoso, unbound on Oxigraph)."""
    seps = _separators(canned_queries()[name].text)
    result = kg.query(store, name, params=PARAMS.get(name))
    out = []
    for row in result.rows:
        cells = []
        for var, c in zip(result.variables, row):
            if c is None or (var in seps and c.value == ""):
                cells.append("")
            elif var in seps:
                cells.append(seps[var].join(sorted(c.value.split(seps[var]))))
            else:
                cells.append(c.n3())
        out.append(tuple(cells))
    return sorted(out)


def assert_same_answers(local, other) -> None:
    for name in canned_queries():
        expected = answers(local, name)
        assert expected, name  # a comparison of two empty answers would prove nothing
        assert answers(other, name) == expected, name


def quads(store) -> set[str]:
    return {str(q) for g in store.graphs() for q in store.quads_in(g)}


def union(store) -> set[str]:
    return {f"{r['s']} {r['p']} {r['o']}" for r in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")}


def assert_union_is_the_graphs(store) -> None:
    """The default graph holds each triple of the article graphs once, and nothing else."""
    named = {f"{q.subject} {q.predicate} {q.object}" for g in store.graphs() for q in store.quads_in(g)}
    assert union(store) == named
    n = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    assert n == len(named)  # no duplicates


# --- no server: where a store is ---------------------------------------------------------------------


@pytest.mark.parametrize("target, url", [
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql"),
    ("HTTPS://db.example.org/repositories/news", "HTTPS://db.example.org/repositories/news"),
    (Path("http://localhost:8890/sparql"), "http://localhost:8890/sparql"),  # Path folded the //
    ("kg-store", None),
    ("./http/sparql", None),
    (Path("/data/http:/x"), None),
    ("ftp://host/sparql", None),
])
def test_a_store_url_is_told_from_a_folder(target, url):
    assert remote_url(target) == url


def test_endpoint_configuration_from_the_url_and_the_environment():
    e = parse_endpoint("http://h:3030/ds/sparql?update=/ds/update&gsp=/ds/data&x=1", {})
    assert (e.query, e.update, e.gsp, e.union) == ("http://h:3030/ds/sparql?x=1", "http://h:3030/ds/update",
                                                   "http://h:3030/ds/data", None)
    env = {"KG_UPDATE_URL": "http://h/u", "KG_GSP_URL": "none", "KG_UNION_GRAPH": "urn:x:union",
           "KG_STORE_USER": "ann", "KG_STORE_PASSWORD": "pw", "KG_STORE_TIMEOUT": "5"}
    e = parse_endpoint("http://h/sparql", env)
    assert (e.update, e.gsp, e.union, e.user, e.password, e.timeout) == (
        "http://h/u", None, "urn:x:union", "ann", "pw", 5.0)
    # Virtuoso: its Graph Store endpoint and a union graph by default; credentials pick the -auth one
    v = parse_endpoint("http://bob:s%40cret@h:8890/sparql", {}, server="Virtuoso/07.20.3229 (Linux)")
    assert (v.query, v.gsp, v.union, v.user, v.password) == (
        "http://h:8890/sparql", "http://h:8890/sparql-graph-crud-auth", remote.UNION_GRAPH, "bob", "s@cret")
    assert parse_endpoint("http://h/sparql?union=default", {}, server="Virtuoso").union is None


@pytest.mark.parametrize("url, env, message", [
    ("http://", {}, "not a SPARQL endpoint URL"),
    ("http://h/sparql", {"KG_UNION_GRAPH": "union"}, "is `default` or a graph IRI"),
    ("http://h/sparql", {"KG_STORE_TIMEOUT": "soon"}, "a number of seconds"),
])
def test_bad_endpoint_configuration_is_a_clear_error(url, env, message):
    with pytest.raises(StoreError, match=message):
        parse_endpoint(url, env)


# --- no server: a value is a term, never query text ---------------------------------------------------


HOSTILE = ["IMU", 'x" } } ; DROP ALL #', "x' . ?s ?p ?o", 'a\\"b', "\\u0022 } #", "line\nbreak\r\ttab",
           "é 中 😀 \u2028", "\x00\x07", "}}}{{{", '"""', "?name", "<http://x>"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_bound_value_comes_back_exactly_as_given(value):
    """A real SPARQL engine parses the VALUES clause and gives back the value unchanged, as one
    literal, whatever it holds."""
    import pyoxigraph as ox

    term = ox.Literal(value)
    rows = list(ox.Store().query(rewrite("SELECT ?v (COUNT(*) AS ?n) WHERE { } GROUP BY ?v", bindings={"v": term})))
    assert len(rows) == 1 and rows[0]["v"] == term and rows[0]["n"].value == "1"


def test_bound_values_of_every_kind_round_trip():
    import pyoxigraph as ox
    from hypothesis import given, settings
    from hypothesis import strategies as st

    xsd = "http://www.w3.org/2001/XMLSchema#"

    @settings(max_examples=300, deadline=None)
    @given(st.text(), st.sampled_from([None, "en", "kk-Cyrl", xsd + "string", xsd + "date", "http://x/dt?a=1#b"]))
    def check(text, kind):
        if kind is None or kind.startswith("http"):
            term = ox.Literal(text, datatype=ox.NamedNode(kind)) if kind else ox.Literal(text)
        else:
            term = ox.Literal(text, language=kind)
        rows = list(ox.Store().query(rewrite("SELECT ?v WHERE { }", bindings={"v": term})))
        assert rows[0]["v"] == term

    check()


def test_only_iris_and_literals_can_be_bound():
    import pyoxigraph as ox

    assert remote.sparql_term(ox.NamedNode("http://x/a?b=c#d")) == "<http://x/a?b=c#d>"
    with pytest.raises(QueryError, match="only IRIs and literals"):
        remote.sparql_term(ox.BlankNode("b1"))
    with pytest.raises(QueryError, match="variable name"):
        remote.values_clause({"a b": ox.Literal("x")})


# --- no server: the rewriter -----------------------------------------------------------------------


F = remote.kg_graph_filter


@pytest.mark.parametrize("text, expected", [
    # GRAPH ?v patterns get their filter, in a group of their own; braces in strings do not count
    ('SELECT * WHERE { GRAPH ?g { ?s ?p "}" } }',
     'SELECT * WHERE { { GRAPH ?g { ?s ?p "}" } FILTER(' + F("?g") + ') } }'),
    # templates and data are left alone; the WHERE clause of an update is filtered
    ("INSERT { GRAPH ?g { ?s <p> 1 } } WHERE { GRAPH ?g { ?s <q> 1 } }",
     "INSERT { GRAPH ?g { ?s <p> 1 } } WHERE { { GRAPH ?g { ?s <q> 1 } FILTER(" + F("?g") + ") } }"),
    ("INSERT DATA { GRAPH <g> { <s> <p> 1 } }", "INSERT DATA { GRAPH <g> { <s> <p> 1 } }"),
    # the short form gets a WHERE clause that can carry the filter
    ("DELETE WHERE { GRAPH ?x { <n> ?p ?o } }",
     "DELETE { GRAPH ?x { <n> ?p ?o } } WHERE { { GRAPH ?x { <n> ?p ?o } FILTER(" + F("?x") + ") } }"),
    # comments are not code
    ("# GRAPH ?g {\nSELECT * { ?s ?p ?o }", "# GRAPH ?g {\nSELECT * { ?s ?p ?o }"),
])
def test_graph_patterns_are_kept_to_kg_graphs(text, expected):
    assert rewrite(text, graph_filter=F) == expected


def test_values_reach_every_group_that_uses_them():
    import pyoxigraph as ox

    out = rewrite("SELECT ?e ?z WHERE { GRAPH ?g { ?c <p> ?s FILTER(?s = ?e) } OPTIONAL { ?z <q> ?y } "
                  "{ SELECT ?z WHERE { ?z <r> $e } } }", bindings={"e": ox.NamedNode("http://x/e")})
    values = " VALUES (?e) { (<http://x/e>) } "
    assert out == ("SELECT ?e ?z WHERE {" + values + " GRAPH ?g {" + values + " ?c <p> ?s FILTER(?s = ?e) } "
                   "OPTIONAL { ?z <q> ?y } { SELECT ?z WHERE {" + values + " ?z <r> $e } } }")


def test_virtuoso_workarounds():
    out = rewrite('SELECT (CONCAT(?a, "b,c") AS ?x) WHERE { FILTER(DATATYPE(?v) != <t>) }', virtuoso=True)
    assert out == ('SELECT (CONCAT(STR(?a), STR("b,c")) AS ?x) WHERE { FILTER(IF(DATATYPE(?v) = '
                   '<http://www.openlinksw.com/schemas/virtrdf#Geometry>, '
                   '<http://www.opengis.net/ont/geosparql#wktLiteral>, DATATYPE(?v)) != <t>) }')
    out = rewrite("SELECT ?a (COUNT(?x) AS ?n) WHERE { ?a <p> ?x } GROUP BY ?a ORDER BY DESC(?n) ?a LCASE(?a) "
                  "LIMIT 3", virtuoso=True)
    assert out.endswith("ORDER BY DESC(?n) ASC(IF(isNumeric(?a), ?a, 0)) ASC(STR(?a)) "
                        "ASC(IF(isNumeric(LCASE(?a)), LCASE(?a), 0)) ASC(STR(LCASE(?a))) LIMIT 3")


INTERNAL = [  # kg's own queries that name a graph, or bind a variable used inside GRAPH ?g
    ("SELECT ?t WHERE { GRAPH <%s> { ?s ?p ?t } } LIMIT 5" % (GRAPH_PREFIX + "curation"), {}),
    ("SELECT * WHERE { GRAPH kgr:nothing { ?s ?p ?o } }", {}),
    ("SELECT ?e ?s ?p WHERE { GRAPH ?g { ?c rdf:subject ?sn ; rdf:predicate ?p . FILTER(?sn = ?e) "
     "?sn rdfs:label ?s } }", {"e": "https://w3id.org/kg-news/id/org/islamic-movement-of-uzbekistan"}),
    ("ASK { GRAPH ?g { ?a kg:articleId ?id } }", {"id": "002_de8208fc292a2474"}),
]


@pytest.mark.parametrize("virtuoso", [False, True], ids=["plain", "virtuoso"])
@pytest.mark.parametrize("name", sorted(canned_queries()) + [f"internal-{i}" for i in range(len(INTERNAL))])
def test_a_rewritten_query_gives_the_same_answers(seed_store, name, virtuoso):
    """Every rewrite at once (graph filters, graph constants, VALUES for parameters, and the
    Virtuoso workarounds) on the local engine: the answers and their order do not change."""
    import pyoxigraph as ox

    from kg.queries import bind_params
    from kg.rdf.namespaces import PREFIXES

    if name.startswith("internal-"):
        text, raw = INTERNAL[int(name.split("-")[1])]
        subs = {k: ox.NamedNode(v) if v.startswith("http") else ox.Literal(v) for k, v in raw.items()}
    else:
        query = canned_queries()[name]
        text, subs = query.text, bind_params(query, PARAMS.get(name, {}))
    store = seed_store._store
    before = store.query(text, prefixes=PREFIXES, substitutions={ox.Variable(k): v for k, v in subs.items()} or None)
    after = store.query(rewrite(text, graph_filter=F, bindings=subs, named_constants=True, virtuoso=virtuoso),
                        prefixes=PREFIXES)
    if isinstance(before, ox.QueryBoolean):
        assert bool(before) == bool(after)
        return
    variables = [v.value for v in before.variables]
    order = re.findall(r"\?(\w+)", text.rsplit("ORDER BY", 1)[1]) if "ORDER BY" in text else []
    a = [{v: str(r[v]) for v in variables} for r in before]
    b = [{v: str(r[v]) for v in variables} for r in after]
    assert sorted(map(sorted, (x.items() for x in b))) == sorted(map(sorted, (x.items() for x in a)))
    keys = [v for v in order if v in variables]
    assert [[x[k] for k in keys] for x in b] == [[x[k] for k in keys] for x in a]  # the same order


# --- no server: pieces -----------------------------------------------------------------------------------


def test_chunks_keep_every_line_and_respect_both_limits():
    lines = [f"<s{i}> <p> \"{'x' * (i % 50)}\" .\n" for i in range(1000)]
    parts = list(remote.chunks(lines, max_lines=300, max_bytes=5000))
    assert "".join(parts) == "".join(lines)
    assert all(p.count("\n") <= 300 and len(p.encode()) <= 5000 for p in parts)
    big = ["<s> <p> \"" + "y" * 10_000 + "\" .\n"]
    assert list(remote.chunks(big + lines[:2], max_bytes=5000)) == [big[0], "".join(lines[:2])]


@pytest.mark.parametrize("term, expected", [
    ({"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "4"},
     {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "4"}),
    ({"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"},
     {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "true"}),
    ({"type": "literal", "datatype": "http://www.openlinksw.com/schemas/virtrdf#Geometry",
      "value": "POINT(74.589996337891 42.869998931885)"},
     {"type": "literal", "datatype": "http://www.opengis.net/ont/geosparql#wktLiteral", "value": "POINT(74.59000 42.87000)"}),
    ({"type": "literal", "value": "  kept  "}, {"type": "literal", "value": "  kept  "}),
])
def test_what_servers_send_is_mended(term, expected):
    assert remote._fix_json_term(term) == expected


def test_a_refusal_before_the_body_is_read_is_reported_as_the_refusal():
    """A server that answers 401 and closes before reading a large body (Virtuoso on its
    authenticated Graph Store endpoint): the refusal is reported, not the broken pipe."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]

    def serve() -> None:
        for _ in range(2):  # the upload, then the probe without a body
            conn, _ = server.accept()
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                conn.shutdown(socket.SHUT_RDWR)

    worker = threading.Thread(target=serve, daemon=True)
    worker.start()
    try:
        http = remote._Http(parse_endpoint(f"http://127.0.0.1:{port}/sparql"))
        with pytest.raises(StoreError) as info:
            http.send("PUT", f"http://127.0.0.1:{port}/gsp?graph=g", body=b"x" * 50_000_000,
                      content_type="application/n-triples", what="Graph Store PUT")
        message = str(info.value)
        assert "(401" in message and "KG_STORE_USER" in message and "Broken pipe" not in message, message
        assert getattr(info.value, "status", None) == 401
    finally:
        server.close()
        worker.join(5)


def test_a_server_error_page_becomes_one_line():
    import io
    import urllib.error

    page = (b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head><title>SPARQL Graph Protocol '
            b"request failed</title></head><body><h1>HTTP/1.1 500 Request Failed</h1><h3>Error 42000</h3>"
            b"<xmp>RDFGE: RDF box with a geometry RDF type and a non-geometry content</xmp></body></html>")
    exc = urllib.error.HTTPError("http://h/x", 500, "x", {}, io.BytesIO(page))
    assert remote._error_text(exc) == "RDFGE: RDF box with a geometry RDF type and a non-geometry content"
    text = b"Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error\n\nSPARQL query:\nSELECT secret"
    exc = urllib.error.HTTPError("http://h/x", 400, "x", {}, io.BytesIO(text))
    assert remote._error_text(exc) == "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error"


def test_an_unreachable_server_is_one_line_and_exit_1():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = kg_cli("query", "people", "--store", f"http://127.0.0.1:{port}/sparql")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().count("\n") == 0
    assert f"127.0.0.1:{port}/sparql: cannot reach the SPARQL server" in r.stderr
    r = kg_cli("push", "--to", "kg-elsewhere", "--store", "nothing-here")
    assert r.returncode != 0 and "Traceback" not in r.stderr


# --- a server with a default graph of its own: kg serve ----------------------------------------------


@contextmanager
def kg_server(path: Path) -> Iterator[str]:
    """``kg serve --allow-update`` on ``path`` in a thread, on a free loopback port."""
    pytest.importorskip("starlette", reason="kg serve needs the serve extra: pip install 'kg-news[serve]'")
    from kg.serve import create_app

    with running(create_app(path, allow_update=True, timeout=None, memory_mb=None)) as base:
        yield f"{base}/sparql"


@pytest.fixture(scope="module")
def served(tmp_path_factory, seed_store_path) -> Iterator[str]:
    """An empty store served by kg serve, with the seed store pushed to it."""
    path = tmp_path_factory.mktemp("served") / "store"
    kg.open_store(path).close()
    with kg_server(path) as url:
        with kg.open_store(seed_store_path, read_only=True) as local:
            report = kg.push(local, url)
            assert (report.graphs, report.triples) == (2, len(quads(local)))
        yield url


def test_push_to_a_plain_sparql_server_answers_as_locally(served, seed_store):
    with kg.open_store(served, read_only=True) as st:
        assert st.endpoint.union is None  # this server's default graph is its own
        assert_same_answers(seed_store, st)
        assert quads(st) == quads(seed_store)
        assert_union_is_the_graphs(st)
        assert len(st) == len(seed_store)


def test_write_paths_without_graph_store_protocol(served, seed_store):
    """Remove, curate, update and re-write through SPARQL Update alone."""
    with kg.open_store(served) as st:
        graph, aid = st.find_article("002_de8208fc292a2474")
        before = {str(q) for q in st.quads_in(graph)}
        kg.remove(st, aid)
        assert aid not in st.articles() and graph not in st.graphs()
        assert_union_is_the_graphs(st)
        kg.update(st, f"INSERT DATA {{ GRAPH <{GRAPH_PREFIX}curation> {{ <https://example.org/n> rdfs:comment 'c' }} }}")
        assert [r["c"].value for r in st.query("SELECT ?c WHERE { <https://example.org/n> rdfs:comment ?c }")] == ["c"]
        kg.update(st, "DELETE WHERE { GRAPH ?x { <https://example.org/n> ?p ?o } }")
        assert_union_is_the_graphs(st)
        remote.push(seed_store, st)
        assert {str(q) for q in st.quads_in(graph)} == before
        assert_union_is_the_graphs(st)
        assert_same_answers(seed_store, st)


def absorbed_on(url: str, local_path: Path) -> tuple[set[str], set[str]]:
    """The quads of an absorption applied through SPARQL at ``url`` and in a local store."""
    from .test_store import absorption_case

    graph, rewrites = absorption_case()
    with kg.open_store(local_path) as st:
        st.write_articles([graph])
        st.write_articles([], rewrites)
        local = quads(st)
    with RemoteStore(url) as st:
        st.write_articles([graph])
        st.write_articles([], rewrites)
        assert_union_is_the_graphs(st)
        return quads(st), local


def test_an_absorption_through_sparql_gives_the_local_quads(tmp_path):
    """The third copy of the rewrite (SPARQL Update to a server) against the embedded store's."""
    kg.open_store(tmp_path / "served").close()
    with kg_server(tmp_path / "served") as url:
        there, here = absorbed_on(url, tmp_path / "local")
    assert there == here and any("aliasMerge" in q for q in here)


def test_an_undone_surname_link_through_sparql_gives_the_local_quads(tmp_path):
    """A second carrier of a surname rewrites a stored article whose lone surname had joined the
    first one; through a server as in the embedded store."""
    import json

    texts = [("full", "President Kurmanbek Bakiyev of Kyrgyzstan dismissed the government on Tuesday."),
             ("lone", "Mr Bakiyev, the president, met opposition leaders in Bishkek on Monday."),
             ("other", "Marat Bakiyev opened a school in Osh on Friday.")]
    files = []
    for name, text in texts:
        files.append(tmp_path / f"{name}.json")
        files[-1].write_text(json.dumps({"id": name, "title": name, "text": text, "published": "2007-04-02"}))
    kg.open_store(tmp_path / "served").close()
    with kg.open_store(tmp_path / "local") as st:
        for f in files:
            kg.ingest([f], st)
        here = quads(st)
    with kg_server(tmp_path / "served") as url:
        with RemoteStore(url) as st:
            for f in files:
                kg.ingest([f], st)
            there = quads(st)
            assert_union_is_the_graphs(st)
    times = ("generatedAtTime", "startedAtTime", "endedAtTime")
    assert {q for q in there if not any(t in q for t in times)} == {q for q in here if not any(t in q for t in times)}
    assert any('"Bakiyev"' in q and "graph/lone" in q and "rdf-schema#label" in q for q in here)


def test_a_merge_of_two_kinds_through_sparql_gives_the_local_store(tmp_path, seed_store_copy):
    """kg merge through a server: the same quads as locally, and a valid store (one orgKind)."""
    kg.open_store(tmp_path / "served").close()
    pair = ("National Security Service of Kyrgyzstan", "Ministry of Defence of Kyrgyzstan")
    with kg_server(tmp_path / "served") as url:
        with RemoteStore(url) as st:
            kg.push(seed_store_copy, url)
            kg.merge(st, *pair)
            assert kg.validate(st) == []
            there = quads(st)
    kg.merge(seed_store_copy, *pair)
    here = quads(seed_store_copy)
    assert {q for q in there if "generatedAtTime" not in q} == {q for q in here if "generatedAtTime" not in q}


# --- a real Virtuoso server -------------------------------------------------------------------------------


needs_virtuoso = pytest.mark.skipif(
    not VIRTUOSO, reason="no Virtuoso server: start one with `bash .ci/virtuoso.sh start 8890 1111 /tmp/kg-virtuoso` "
                         "and set KG_TEST_VIRTUOSO=http://127.0.0.1:8890/sparql (.ci/run does)")


def clear(url: str) -> None:
    """Drop every kg graph, the union and the pending list (the tests own this server)."""
    with RemoteStore(url) as st:
        for g in st.graphs() + [st.endpoint.union or "", remote.PENDING_GRAPH]:
            if g:
                st._update(f"DROP SILENT GRAPH <{g}>")
        if st.endpoint.union is None:
            st._update("DROP SILENT DEFAULT")


@pytest.fixture()
def virtuoso() -> Iterator[str]:
    clear(VIRTUOSO)
    yield VIRTUOSO
    clear(VIRTUOSO)


@needs_virtuoso
def test_virtuoso_absorption_gives_the_local_quads(virtuoso, tmp_path):
    there, here = absorbed_on(virtuoso, tmp_path / "local")
    assert there == here and any("aliasMerge" in q for q in here)


@needs_virtuoso
@pytest.mark.slow
def test_virtuoso_ingest_answers_as_the_local_store(virtuoso, seed_store):
    started = time.perf_counter()
    r = kg_cli("ingest", SEEDS, "--store", virtuoso)
    assert r.returncode == 0, r.stderr
    assert "2 added" in r.stdout
    print(f"remote seed ingest: {time.perf_counter() - started:.1f} s")
    with kg.open_store(virtuoso, read_only=True) as st:
        assert st.virtuoso and st.endpoint.union == remote.UNION_GRAPH and st.endpoint.gsp
        assert_same_answers(seed_store, st)
        assert quads(st) == quads(seed_store)
        assert_union_is_the_graphs(st)
        assert len(st) == len(seed_store)
        assert st.graphs() == sorted(seed_store.graphs())
    r = kg_cli("validate", "--store", virtuoso)  # the compiled shapes run on the server
    assert r.returncode == 0 and "conforms: 2 graphs" in r.stdout, r.stdout + r.stderr
    r = kg_cli("ingest", SEEDS, "--store", virtuoso)
    assert r.returncode == 0 and "2 unchanged" in r.stdout


@needs_virtuoso
@pytest.mark.slow
def test_virtuoso_reingest_of_a_changed_article_replaces_exactly_its_graph(virtuoso, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    assert kg_cli("ingest", seeds, "--store", virtuoso).returncode == 0
    with kg.open_store(virtuoso, read_only=True) as st:
        kept_graph, _ = st.find_article("000_8957d6a2ab5e49c0")
        changed_graph, _ = st.find_article("002_de8208fc292a2474")
        kept = {str(q) for q in st.quads_in(kept_graph)}
        old = {str(q) for q in st.quads_in(changed_graph)}
    article = seeds / "002_de8208fc292a2474.txt"
    text = article.read_text(encoding="utf-8")
    bio = text.index("Toktobai Mulkubatov is a freelance journalist")  # before the closing lines
    article.write_text(text[:bio] + "The Kyrgyz interior ministry said Murat Sutalinov met Tajik border officials "
                       "in Isfara on Friday.\n\n" + text[bio:], encoding="utf-8")
    r = kg_cli("ingest", seeds, "--store", virtuoso)
    assert r.returncode == 0 and "1 replaced, 1 unchanged" in r.stdout, r.stdout + r.stderr
    local_path = tmp_path / "local"
    assert kg_cli("ingest", seeds, "--store", local_path).returncode == 0
    with kg.open_store(virtuoso, read_only=True) as st, kg.open_store(local_path, read_only=True) as local:
        assert st.graphs() == sorted(local.graphs()) == sorted([kept_graph, changed_graph])
        assert {str(q) for q in st.quads_in(kept_graph)} == kept  # nothing else changed
        new = {str(q) for q in st.quads_in(changed_graph)}
        assert new != old and new == {str(q) for q in local.quads_in(changed_graph)}
        assert_union_is_the_graphs(st)
        assert_same_answers(local, st)
        assert not st._pending()


@needs_virtuoso
def test_virtuoso_push_and_export(virtuoso, seed_store, tmp_path):
    import pyoxigraph as ox

    r = kg_cli("push", "--to", virtuoso, "--store", seed_store.path)
    assert r.returncode == 0 and "pushed 2 graphs" in r.stdout, r.stderr
    with kg.open_store(virtuoso, read_only=True) as st:
        assert_same_answers(seed_store, st)
    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
               "jsonld": ox.RdfFormat.JSON_LD}
    for fmt, rdf_format in formats.items():
        out = {}
        for where, store in (("remote", virtuoso), ("local", seed_store.path)):
            path = tmp_path / f"{where}.{fmt}"
            r = kg_cli("export", "--format", fmt, "-o", path, "--store", store)
            assert r.returncode == 0, r.stderr
            out[where] = {str(q) for q in ox.parse(path=str(path), format=rdf_format)}
        assert out["remote"] == out["local"] and len(out["local"]) > 1000, fmt


@needs_virtuoso
def test_virtuoso_hostile_parameters_cannot_change_the_query(virtuoso, seed_store):
    with kg.open_store(seed_store.path, read_only=True) as local, RemoteStore(virtuoso) as st:
        remote.push(local, st)
        before = len(st)
    for value in [v for v in HOSTILE[1:] if "\x00" not in v] + ['IMU" } UNION { ?entity ?p ?name } #']:
        r = kg_cli("query", "mentions", "--param", f"name={value}", "--format", "csv", "--store", virtuoso)
        assert r.returncode == 0 and r.stdout.strip() == "name,entity,label,exact,sentence,article,start", (value, r)
    r = kg_cli("query", "mentions", "--param", "name=imu", "--format", "csv", "--store", virtuoso)
    assert r.stdout.count("\n") > 3  # a real name still finds its mentions
    with RemoteStore(virtuoso, read_only=True) as st:
        assert len(st) == before


@needs_virtuoso
def test_virtuoso_interrupted_write_is_repaired_on_the_next_open(virtuoso, seed_store):
    with kg.open_store(seed_store.path, read_only=True) as local, RemoteStore(virtuoso) as st:
        remote.push(local, st)
        graph, aid = st.find_article("002_de8208fc292a2474")
        # a write that stopped half way: listed as pending, union already cut
        st._update(f"INSERT DATA {{ GRAPH <{remote.PENDING_GRAPH}> {{ <{remote.PENDING_GRAPH}> "
                   f"<http://www.w3.org/2000/01/rdf-schema#member> <{graph}> }} }}")
        st._update(st._union_delete([graph]))
        assert aid not in st.articles()  # an ingest now would write it again
    with RemoteStore(virtuoso) as st:  # opening for writing repairs
        assert not st._pending() and graph not in st.graphs()
        assert_union_is_the_graphs(st)
    with kg.open_store(virtuoso) as st:
        report = kg.ingest([SEEDS], st)
        assert (report.added, report.unchanged) == (1, 1)
        assert_same_answers(seed_store, st)


@needs_virtuoso
def test_virtuoso_sparql_update_path_and_result_limits(virtuoso, seed_store):
    """Without the Graph Store Protocol (KG_GSP_URL=none) the same graphs arrive through chunked
    INSERT DATA; and a result the server cuts at its row limit is refused, while graph reads page."""
    with kg.open_store(seed_store.path, read_only=True) as local, \
            RemoteStore(virtuoso, env={**os.environ, "KG_GSP_URL": "none"}) as st:
        assert st.endpoint.gsp is None
        remote.push(local, st)
        # the same quads, but for one quirk of Virtuoso's SPARQL parser (not of its Graph Store
        # loader, the default): a decimal written without a fraction is stored as an integer
        decimal, integer = "<http://www.w3.org/2001/XMLSchema#decimal>", "<http://www.w3.org/2001/XMLSchema#integer>"
        ours, theirs = quads(local), quads(st)
        assert theirs - ours and all(integer in q for q in theirs - ours)
        assert {q.replace(decimal, integer) for q in ours - theirs} == theirs - ours
        assert_union_is_the_graphs(st)
    with RemoteStore(virtuoso) as st:
        big = GRAPH_PREFIX + "big-test"
        lines = "".join(f"<{DATA_NS}t/{i}> <{DATA_NS}p> \"{i}\" .\n" for i in range(12_000))
        st.replace_graphs([(big, lines)])
        assert len(list(st.quads_in(big))) == 12_000  # read in pages under Virtuoso's 10,000-row cap
        with pytest.raises(QueryError, match="cut the result at"):
            list(st.query(f"SELECT ?s WHERE {{ GRAPH <{big}> {{ ?s ?p ?o }} }}"))
        st.remove_graph(big)
        assert_union_is_the_graphs(st)


@needs_virtuoso
def test_virtuoso_errors_are_one_line(virtuoso):
    base = virtuoso.rsplit("/", 1)[0]
    r = kg_cli("query", "people", "--store", base + "/no-such-endpoint")
    assert r.returncode == 1 and "no such endpoint" in r.stderr and r.stderr.count("\n") == 1
    r = kg_cli("push", "--to", virtuoso, "--store", "does-not-exist")
    assert r.returncode == 1 and "no kg store here" in r.stderr
    r = kg_cli("ingest", SEEDS, "--store", virtuoso, env={"KG_GSP_URL": "/sparql-graph-crud-auth"})
    assert r.returncode == 1 and "(401" in r.stderr and "KG_STORE_USER" in r.stderr and "Traceback" not in r.stderr
    with RemoteStore(virtuoso, read_only=True) as st:  # refused before anything was written: nothing left over
        assert not st._pending() and not st.graphs()
    r = kg_cli("query", "--sparql", "SELECT * WHERE { ?s ?p }", "--store", virtuoso)
    assert r.returncode == 1 and "syntax error" in r.stderr
