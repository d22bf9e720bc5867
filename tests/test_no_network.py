"""kg reaches no network and no query crashes it: SERVICE and LOAD are refused before any engine
sees the text (a local listener must receive nothing), and a text nested deep enough to overflow
Oxigraph's parser is refused with one line, by the CLI, the Python API, `kg viz --query` and
`kg serve` (which keeps answering afterwards)."""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

import kg
from kg.errors import QueryError
from kg.sparqltext import MAX_DEPTH, refusal

NESTED = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000


class Listener:
    """A TCP server on loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture()
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture()
def store_copy(seed_store_path, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    return target


def kg_cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, timeout=timeout)


def service(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


def test_the_cli_refuses_service_and_load_and_sends_nothing(listener, store_copy, tmp_path):
    before = kg_cli("query", "--store", store_copy, "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                    "--format", "csv").stdout
    refused = kg_cli("query", "--store", store_copy, "--sparql", service(listener.port))
    assert refused.returncode == 1 and "SERVICE" in refused.stderr and "never reaches the network" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1

    load = kg_cli("query", "--store", store_copy, "--update",
                  f"LOAD <http://127.0.0.1:{listener.port}/data.ttl> INTO GRAPH <urn:x:g>")
    assert load.returncode == 1 and "LOAD is refused" in load.stderr, load.stderr
    silent = kg_cli("query", "--store", store_copy, "--update", f"LOAD SILENT <http://127.0.0.1:{listener.port}/x>")
    assert silent.returncode == 1 and "LOAD is refused" in silent.stderr

    rq = tmp_path / "federated.rq"
    rq.write_text(service(listener.port) + "\n", encoding="utf-8")
    viz = kg_cli("viz", "--store", store_copy, "--query", rq, "-o", tmp_path / "sub.html")
    assert viz.returncode == 1 and "SERVICE" in viz.stderr, viz.stderr
    assert not (tmp_path / "sub.html").exists()

    time.sleep(0.5)
    assert listener.received == []
    after = kg_cli("query", "--store", store_copy, "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                   "--format", "csv").stdout
    assert after == before  # nothing was written


def test_the_api_refuses_service_and_load(listener, store_copy):
    with kg.open_store(store_copy) as store:
        with pytest.raises(QueryError, match="SERVICE"):
            kg.query(store, sparql=service(listener.port))
        with pytest.raises(QueryError, match="LOAD"):
            kg.update(store, f"LOAD <http://127.0.0.1:{listener.port}/x.ttl>")
        # a word inside a string, an IRI or a comment is no clause
        ok = kg.query(store, sparql="SELECT ?x WHERE { BIND('SERVICE <http://127.0.0.1:9> {}' AS ?x) } # LOAD <x>")
        assert ok.rows
    time.sleep(0.3)
    assert listener.received == []


def test_a_query_nested_too_deeply_is_one_line_not_a_crash(store_copy):
    done = kg_cli("query", "--store", store_copy, "--sparql", NESTED)
    assert done.returncode == 1, (done.returncode, done.stderr[-300:])  # not 139 (a segmentation fault)
    assert "nested too deeply" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    with kg.open_store(store_copy, read_only=True) as store:
        with pytest.raises(QueryError, match="nested too deeply"):
            kg.query(store, sparql=NESTED)
        # the limit leaves room for every real query
        deep_enough = "SELECT * WHERE " + "{" * (MAX_DEPTH - 5) + " ?s ?p ?o " + "}" * (MAX_DEPTH - 5)
        assert refusal(deep_enough) is None
        kg.query(store, sparql=deep_enough, limit=1)


def _get(port: int, path: str, *, method: str = "GET", params=None, data=None) -> tuple[int, str]:
    body, headers = None, {}
    if params:
        path += "?" + urllib.parse.urlencode(params)
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize("options", [("--allow-update", "--timeout", "0", "--memory", "0"), ()])
def test_the_server_refuses_them_and_keeps_answering(listener, store_copy, tmp_path, options):
    pytest.importorskip("starlette", reason="kg serve needs the serve extra")
    pytest.importorskip("uvicorn", reason="kg serve needs the serve extra")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store_copy), "--port", str(port),
                             "-q", *options], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = _get(port, "/sparql", params={"query": "ASK {}"})
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1].decode()
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.1)
        assert status == 200
        status, text = _get(port, "/sparql", params={"query": service(listener.port)})
        assert status == 403 and "SERVICE" in text
        status, text = _get(port, "/sparql", method="POST", data={"update": f"LOAD <http://127.0.0.1:{listener.port}/x>"})
        assert status == 403 and "LOAD" in text
        status, text = _get(port, "/sparql", method="POST", data={"query": NESTED})
        assert status == 400 and "nested too deeply" in text
        assert proc.poll() is None  # still up
        status, text = _get(port, "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert status == 200 and int(json.loads(text)["results"]["bindings"][0]["n"]["value"]) > 100
        time.sleep(0.3)
        assert listener.received == []
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
