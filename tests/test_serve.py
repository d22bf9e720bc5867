"""`kg serve`: a real uvicorn server over the seed store, driven by the SPARQLWrapper client
(and by plain http.client requests where SPARQLWrapper cannot look at status codes and headers)."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="kg serve needs the serve extra: pip install 'kg-news[serve]'")
pytest.importorskip("uvicorn", reason="kg serve needs the serve extra: pip install 'kg-news[serve]'")
pytest.importorskip("SPARQLWrapper", reason="the endpoint tests use the SPARQLWrapper client (dev extra)")

from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper  # noqa: E402 - after the skips
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed  # noqa: E402

from kg.errors import KgError, StoreError  # noqa: E402
from kg.serve import GRAPH_FORMATS, SOLUTION_FORMATS, create_app, negotiate, uses_service  # noqa: E402

from .conftest import rows, running  # noqa: E402

pytestmark = pytest.mark.slow

PEOPLE = "SELECT ?name WHERE { ?p a foaf:Person ; rdfs:label ?name } ORDER BY ?name"
MALIKOV = "Odinahmad Malikov"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class Reply:
    status_code: int
    headers: http.client.HTTPMessage  # case-insensitive
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.content)


class Client:
    """Just enough HTTP for protocol checks: one request per connection, redirects not followed."""

    def __init__(self, base_url: str, timeout: float = 30) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout

    def request(self, method: str, path: str, *, params: dict | None = None, headers: dict | None = None,
                data: dict | None = None, content: str | bytes | None = None) -> Reply:
        headers = dict(headers or {})
        if params:
            path += "?" + urllib.parse.urlencode(params)
        body = content.encode("utf-8") if isinstance(content, str) else content
        if data is not None:
            body = urllib.parse.urlencode(data).encode("ascii")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method.upper(), path, body=body, headers=headers)
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Reply:
        return self.request("POST", path, **kwargs)

    def options(self, path: str, **kwargs) -> Reply:
        return self.request("OPTIONS", path, **kwargs)

    def delete(self, path: str, **kwargs) -> Reply:
        return self.request("DELETE", path, **kwargs)


YASGUI = "https://yasgui.example"


@pytest.fixture(scope="module")
def base(seed_store_path) -> Iterator[str]:
    """Read-only, queries in child processes with a time limit, one CORS origin named."""
    with running(create_app(seed_store_path, cors_origins=[YASGUI])) as url:
        yield url


@pytest.fixture(scope="module")
def client(base) -> Client:
    return Client(base)


def wrapper(base: str, query: str, fmt: str, *, method: str = "GET", direct: bool = False) -> SPARQLWrapper:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == POST:
        sparql.setMethod(POST)
        if direct:
            sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def people_in_store(store) -> list[str]:
    """The answer to PEOPLE from the store itself, to compare the endpoint's answers with."""
    return [row["name"] for row in rows(store, PEOPLE)]


# --- SPARQLWrapper: the protocol as a real client speaks it ------------------------------------------


def test_select_json_over_get(base, seed_store):
    results = wrapper(base, PEOPLE, JSON).queryAndConvert()
    assert results["head"]["vars"] == ["name"]
    names = [b["name"]["value"] for b in results["results"]["bindings"]]
    assert names == people_in_store(seed_store)
    assert MALIKOV in names


def test_select_xml_over_post_form(base, seed_store):
    doc = wrapper(base, PEOPLE, XML, method=POST).queryAndConvert()
    names = [node.firstChild.data for node in doc.getElementsByTagName("literal")]
    assert names == people_in_store(seed_store)


def test_select_csv_over_post_body(base, seed_store):
    raw = wrapper(base, PEOPLE, CSV, method=POST, direct=True).queryAndConvert()
    table = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert table[0] == ["name"]
    assert [r[0] for r in table[1:]] == people_in_store(seed_store)


def test_select_tsv(base):
    raw = wrapper(base, PEOPLE, TSV).queryAndConvert().decode("utf-8")
    lines = raw.rstrip("\n").split("\n")
    assert lines[0] == "?name" and f'"{MALIKOV}"' in lines


def test_canned_query_with_predeclared_prefixes(base):
    from kg.queries import canned_queries

    results = wrapper(base, canned_queries()["affiliations"].text, JSON, method=POST).queryAndConvert()
    rows = [{k: v["value"] for k, v in b.items()} for b in results["results"]["bindings"]]
    assert any(r["object"] == "Islamic Movement of Uzbekistan" and r["modality"] == "Alleged" for r in rows)


@pytest.mark.parametrize("query, expected", [
    (f'ASK {{ ?p rdfs:label "{MALIKOV}" }}', True),
    ('ASK { ?p rdfs:label "Nobody Of That Name" }', False),
])
def test_ask(base, query, expected):
    assert wrapper(base, query, JSON).queryAndConvert()["boolean"] is expected
    doc = wrapper(base, query, XML, method=POST).queryAndConvert()
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == str(expected).lower()


def test_construct_turtle(base, seed_store):
    import rdflib

    query = "CONSTRUCT { ?p a foaf:Person ; rdfs:label ?n } WHERE { ?p a foaf:Person ; rdfs:label ?n }"
    raw = wrapper(base, query, TURTLE).queryAndConvert()
    assert raw.startswith(b"@prefix ")
    graph = rdflib.Graph().parse(data=raw.decode("utf-8"), format="turtle")
    labels = sorted(str(o) for o in graph.objects(None, rdflib.RDFS.label))
    assert labels == people_in_store(seed_store)
    assert len(graph) == 2 * len(labels)


def test_update_is_refused_by_default(base):
    sparql = wrapper(base, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", JSON, method=POST)
    with pytest.raises(urllib.error.HTTPError) as info:
        sparql.query()
    err = info.value
    try:
        assert err.code == 403
        assert "read-only" in err.read().decode("utf-8")
    finally:
        err.close()
    assert wrapper(base, "ASK { <urn:x:a> ?p ?o }", JSON).queryAndConvert()["boolean"] is False


def test_syntax_error_is_400_with_the_parser_message(base):
    with pytest.raises(QueryBadFormed) as info:
        wrapper(base, "SELECT ?x WHERE { ?x ?p }", JSON).query()
    assert "syntax error at line 1, column" in str(info.value)


# --- protocol details, with plain HTTP ----------------------------------------------------------------------


@pytest.mark.parametrize("query, headers, params, expected", [
    (PEOPLE, {}, {}, "application/sparql-results+json"),
    (PEOPLE, {"Accept": "*/*"}, {}, "application/sparql-results+json"),
    (PEOPLE, {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, {},
     "application/sparql-results+json"),
    (PEOPLE, {"Accept": "application/sparql-results+xml, */*;q=0.1"}, {}, "application/sparql-results+xml"),
    (PEOPLE, {"Accept": "text/csv;q=0.5, text/tab-separated-values"}, {}, "text/tab-separated-values"),
    (PEOPLE, {"Accept": "application/sparql-results+xml"}, {"format": "csv"}, "text/csv"),
    (PEOPLE, {}, {"output": "xml"}, "application/sparql-results+xml"),
    ("CONSTRUCT WHERE { ?p a foaf:Person } LIMIT 3", {}, {}, "text/turtle"),
    ("CONSTRUCT WHERE { ?p a foaf:Person } LIMIT 3", {"Accept": "application/n-triples"}, {}, "application/n-triples"),
    ("CONSTRUCT WHERE { ?p a foaf:Person } LIMIT 3", {"Accept": "application/ld+json"}, {}, "application/ld+json"),
    ("CONSTRUCT WHERE { ?p a foaf:Person } LIMIT 3", {}, {"format": "xml"}, "application/rdf+xml"),
    (f"DESCRIBE ?p WHERE {{ ?p rdfs:label '{MALIKOV}' }}", {"Accept": "text/*"}, {}, "text/turtle"),
])
def test_content_negotiation(client, query, headers, params, expected):
    response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    if expected.endswith("json"):
        response.json()


@pytest.mark.parametrize("query, headers, params", [
    (PEOPLE, {"Accept": "text/turtle"}, {}),
    (PEOPLE, {}, {"format": "turtle"}),
    ("CONSTRUCT WHERE { ?p a foaf:Person }", {"Accept": "application/sparql-results+json"}, {}),
    ("CONSTRUCT WHERE { ?p a foaf:Person }", {}, {"format": "csv"}),
])
def test_unacceptable_format_is_406(client, query, headers, params):
    response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    assert "available as" in response.text


def test_json_ld_construct(client):
    response = client.post("/sparql", content="CONSTRUCT WHERE { ?p a foaf:Person }",
                           headers={"Content-Type": "application/sparql-query", "Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    nodes = response.json()
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert nodes and all(n[rdf_type] == [{"@id": "http://xmlns.com/foaf/0.1/Person"}] for n in nodes)


@pytest.mark.parametrize("method, kwargs, status, message", [
    ("post", {"content": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
              "headers": {"Content-Type": "application/sparql-update"}}, 403, "read-only"),
    ("get", {"params": {"update": "CLEAR ALL"}}, 405, "POST"),
    ("get", {}, 400, "no query"),
    ("get", {"params": {"query": "  "}}, 400, "empty"),
    ("post", {"data": {"query": PEOPLE, "update": "CLEAR ALL"}}, 400, "one operation"),
    ("get", {"params": {"query": PEOPLE, "default-graph-uri": "urn:x:g"}}, 400, "not supported"),
    ("post", {"content": PEOPLE, "headers": {"Content-Type": "text/plain"}}, 415, "unsupported Content-Type"),
    ("post", {"content": PEOPLE.encode("utf-16"),
              "headers": {"Content-Type": "application/sparql-query; charset=utf-8"}}, 400, "not valid utf-8"),
    ("get", {"params": {"query": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}}, 400, "this is a SPARQL update"),
    ("get", {"params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}},
     403, "SERVICE"),
    ("delete", {"params": {"query": PEOPLE}}, 405, ""),
])
def test_protocol_errors(client, method, kwargs, status, message):
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert message in response.text


def test_query_parameters_in_a_non_ascii_form(client):
    query = 'SELECT ?x WHERE { BIND("Ош – Баткен" AS ?x) }'
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
    assert response.text.splitlines() == ["x", "Ош – Баткен"]


def test_cors_only_for_the_origins_named(client, seed_store_path):
    preflight = client.options("/sparql", headers={
        "Origin": YASGUI, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == YASGUI
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "accept" in allowed
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": YASGUI})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == YASGUI
    # a page of any other origin gets no CORS header: the browser keeps the answer from it
    other = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    plain = client.options("/sparql")
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]
    # and by default no origin at all
    with running(create_app(seed_store_path)) as url:
        default = Client(url).get("/sparql", params={"query": "ASK {}"}, headers={"Origin": YASGUI})
        assert default.status_code == 200 and "access-control-allow-origin" not in default.headers


def test_a_request_for_another_host_name_is_refused(seed_store_path):
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends Host:
    evil.example; the server answers only to its own names."""
    with running(create_app(seed_store_path, allowed_hosts=["kg.lan"])) as url:
        c = Client(url)
        port = urllib.parse.urlsplit(url).port
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}"):
            for path in ("/sparql?query=ASK%7B%7D", "/"):
                refused = c.get(path, headers={"Host": host})
                assert refused.status_code == 403 and "not a name of this server" in refused.text, (host, path)
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "kg.lan", f"KG.LAN:{port}"):
            assert c.get("/sparql", params={"query": "ASK {}"}, headers={"Host": host}).status_code == 200, host


def test_updates_beyond_loopback_need_a_token(seed_store_path, writable_copy):
    with pytest.raises(KgError, match="token"):
        create_app(seed_store_path, allow_update=True, host="0.0.0.0")
    app = create_app(writable_copy, allow_update=True, host="0.0.0.0", token="s3cret-token")
    insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:t> <urn:x:p> 1 } }"
    with running(app) as url:
        c = Client(url)
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"}):
            refused = c.post("/sparql", data={"update": insert}, headers=headers)
            assert refused.status_code == 401 and "token" in refused.text, headers
        assert c.get("/sparql", params={"query": "ASK { <urn:x:t> ?p ?o }"}).json()["boolean"] is False
        done = c.post("/sparql", data={"update": insert}, headers={"Authorization": "Bearer s3cret-token"})
        assert done.status_code == 204
        assert c.get("/sparql", params={"query": "ASK { <urn:x:t> ?p ?o }"}).json()["boolean"] is True


def test_query_page(client):
    from kg.queries import canned_queries

    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<textarea" in page and "kg SPARQL endpoint" in page
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in page
    assert "innerHTML" not in page and "outerHTML" not in page and "insertAdjacentHTML" not in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", page)  # no CDN
    assert "@import" not in page and "url(" not in page
    blob = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in blob
    data = json.loads(blob)
    assert {q["name"] for q in data["queries"]} == set(canned_queries())
    assert "SELECT" in data["example"] and data["endpoint"] == "sparql"
    assert client.get("/", headers={"Accept": "text/html"}).headers["content-security-policy"] != \
        response.headers["content-security-policy"]  # a fresh nonce per response
    redirect = client.get("/sparql", headers={"Accept": "text/html"})
    assert redirect.status_code == 303 and redirect.headers["location"] == "/"


# --- time limit, threads, updates, start-up ---------------------------------------------------------------


def query_runners() -> dict[int, list[int]]:
    """Query-runner helpers started by this process -> their live children (Linux /proc)."""
    procs = {}
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if b"_runner_main" in cmdline and fields[0] != "Z":
            procs[int(entry.name)] = int(fields[1])
    runners = [pid for pid, ppid in procs.items() if ppid == os.getpid()]
    return {r: [pid for pid, ppid in procs.items() if ppid == r] for r in runners}


def eventually(check, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_runaway_query_is_stopped(seed_store_path):
    linux = Path("/proc/self/stat").exists()
    before = set(query_runners()) if linux else set()
    with running(create_app(seed_store_path, timeout=0.5)) as url:
        c = Client(url)
        mine = set(query_runners()) - before if linux else set()
        started = time.monotonic()
        response = c.get("/sparql", params={"query": RUNAWAY})
        assert response.status_code == 503 and "longer than 0.5 s" in response.text
        assert time.monotonic() - started < 10
        if linux:  # the runaway child is gone, not left burning a core
            assert len(mine) == 1
            assert eventually(lambda: not any(query_runners().get(r) for r in mine))
        assert c.get("/sparql", params={"query": f'ASK {{ ?p rdfs:label "{MALIKOV}" }}'}).json()["boolean"]
    if linux:  # shutting the server down stops its runner
        assert eventually(lambda: not (set(query_runners()) & mine))


def test_without_limits_queries_run_in_threads(seed_store_path, seed_store):
    with running(create_app(seed_store_path, timeout=None, memory_mb=None)) as url:
        results = wrapper(url, PEOPLE, JSON).queryAndConvert()
        assert [b["name"]["value"] for b in results["results"]["bindings"]] == people_in_store(seed_store)
        c = Client(url)
        response = c.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in response.headers
        assert c.get("/sparql", params={"query": "SELECT ?x WHERE {"}).status_code == 400


@pytest.fixture()
def writable_copy(seed_store_path, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    return target


def test_updates_when_allowed(writable_copy):
    import kg

    app = create_app(writable_copy, allow_update=True)
    with running(app) as url:
        c = Client(url)
        insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> rdfs:label 'added over the protocol' } }"
        sparql = wrapper(url, insert, JSON, method=POST)
        sparql.query().response.close()
        assert wrapper(url, "ASK { <urn:x:a> rdfs:label 'added over the protocol' }", JSON).queryAndConvert()["boolean"]

        direct = c.post("/sparql", content="DELETE DATA { GRAPH <urn:x:g> { <urn:x:a> rdfs:label 'added over the protocol' } }",
                        headers={"Content-Type": "application/sparql-update"})
        assert direct.status_code == 204
        assert c.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"}).json()["boolean"] is False

        foreign = c.post("/sparql", data={"update": "CLEAR ALL"}, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403 and "another origin" in foreign.text
        rebound = c.post("/sparql", data={"update": "CLEAR ALL"},
                         headers={"Origin": "http://evil.example:1", "Host": "evil.example:1"})
        assert rebound.status_code == 403
        own = url.replace("http://", "")
        same = c.post("/sparql", data={"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:b> <urn:x:p> 1 } }"},
                      headers={"Origin": url, "Host": own})
        assert same.status_code == 204

        bad = c.post("/sparql", data={"update": "INSERT DATA { <urn:x:b> }"})
        assert bad.status_code == 400 and "syntax error" in bad.text
        wrong = c.post("/sparql", data={"update": PEOPLE})
        assert wrong.status_code == 400 and "this is a query" in wrong.text

        with kg.open_store(writable_copy):  # an ingest holds the writer lock
            locked = c.post("/sparql", data={"update": "CLEAR ALL"})
            assert locked.status_code == 503 and "in use by process" in locked.text
            assert c.get("/sparql", params={"query": "ASK { <urn:x:b> ?p ?o }"}).json()["boolean"]
    with kg.open_store(writable_copy, read_only=True) as store:
        assert len(store.articles()) == 2


def test_each_query_sees_what_a_concurrent_writer_committed(writable_copy):
    import kg

    ask = "ASK { <urn:x:late> rdfs:label 'written beside the server' }"
    with running(create_app(writable_copy)) as url:
        c = Client(url)
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is False
        with kg.open_store(writable_copy) as writer:  # e.g. an ingest, holding the writer lock
            kg.update(writer, "INSERT DATA { GRAPH <urn:x:g> { <urn:x:late> rdfs:label 'written beside the server' } }")
            assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True


def test_create_app_needs_a_store(tmp_path):
    with pytest.raises(StoreError, match="no kg store here"):
        create_app(tmp_path / "nothing")


def test_serve_reports_a_busy_port(seed_store_path):
    from kg.serve import serve

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(KgError, match=f"cannot listen on 127.0.0.1:{port} .*choose another --port"):
            serve(seed_store_path, port=port)


def test_create_app_without_the_extra(monkeypatch, seed_store_path):
    for name in list(sys.modules):
        if name == "starlette" or name.startswith("starlette."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "starlette", None)
    with pytest.raises(KgError, match=re.escape("pip install 'kg-news[serve]'")):
        create_app(seed_store_path)


@pytest.mark.parametrize("how", ["script", "cli"])
def test_serve_binds_loopback_and_stops_on_sigterm(seed_store_path, tmp_path, how):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if how == "script":
        # A script with no __main__ guard: serving must not import it a second time (as
        # multiprocessing's spawn and forkserver start methods would, starting a server per query).
        script = tmp_path / "serve_it.py"
        script.write_text(f"from kg.serve import serve\nserve({str(seed_store_path)!r}, port={port}, log_level='warning')\n")
        command = [sys.executable, str(script)]
    else:
        command = [sys.executable, "-m", "kg", "serve", "--store", str(seed_store_path), "--port", str(port), "-q"]
    proc = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONWARNINGS": "error"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = Client(f"http://127.0.0.1:{port}").get("/sparql", params={"query": "ASK {}"})
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1].decode()
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.1)
        assert response.json() == {"head": {}, "boolean": True}
        people = Client(f"http://127.0.0.1:{port}").get("/sparql", params={"query": PEOPLE, "format": "csv"})
        assert MALIKOV in people.text.splitlines()
        if shutil.which("ss"):  # the listening socket's local address is the loopback one only
            listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
            assert [line.split()[3] for line in listening.stdout.splitlines()] == [f"127.0.0.1:{port}"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status still tells a supervisor
    assert proc.returncode in (0, -signal.SIGTERM), err.decode()
    assert "Traceback" not in err.decode()


# --- pure helpers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }", True),
    ("select * where { service silent ?endpoint { ?s ?p ?o } }", True),
    ("SELECT * WHERE { SERVICE<http://x>{?s ?p ?o} }", True),
    ('SELECT * WHERE { ?o rdfs:label "National Security Service" }', False),
    ("SELECT ?service WHERE { ?service ex:service svc:SERVICE } # SERVICE <x> {}", False),
    ("SELECT * WHERE { ?s ?p '''a SERVICE <x> {} b''' }", False),
    ("SELECT * WHERE { ?s ?p <http://x/SERVICE> }", False),
    ("SELECT * WHERE { BIND('''a'''' AS ?x) SERVICE <http://x> {} }", True),  # the long string ends at '''
])
def test_service_detection(text, expected):
    assert uses_service(text) is expected


@pytest.mark.parametrize("formats, accept, requested, expected", [
    (SOLUTION_FORMATS, None, (), "json"),
    (SOLUTION_FORMATS, "application/sparql-results+json;q=0.5, application/sparql-results+xml", (), "xml"),
    (SOLUTION_FORMATS, "text/*", (), "csv"),
    (SOLUTION_FORMATS, "application/json", (), "json"),
    (SOLUTION_FORMATS, "image/png", (), None),
    (SOLUTION_FORMATS, "*/*;q=0", (), None),
    (SOLUTION_FORMATS, "text/csv", ("tsv", "text/tab-separated-values"), "tsv"),
    (SOLUTION_FORMATS, None, ("application/sparql-results+xml",), "xml"),
    (GRAPH_FORMATS, "application/turtle,text/turtle", (), "turtle"),
    (GRAPH_FORMATS, "application/rdf+xml", (), "rdfxml"),
    (GRAPH_FORMATS, None, ("json-ld", "application/ld+json"), "jsonld"),
    (GRAPH_FORMATS, None, ("n3",), "turtle"),
])
def test_negotiate(formats, accept, requested, expected):
    found = negotiate(formats, accept, requested)
    assert (found.name if found else None) == expected
