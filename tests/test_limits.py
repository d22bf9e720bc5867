"""Time and memory limits on queries and updates (kg.store.limits): a runaway or memory-hungry
query is stopped in its child process, in the Python API, the CLI and the server, and the caller,
the store and the server go on."""

from __future__ import annotations

import inspect
import resource
import subprocess
import sys
import textwrap
import time

import pytest

import kg
from kg.errors import QueryTimeout
from kg.store.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Limits, QueryTooLarge

from .conftest import running

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# a sorted cross product of the store with itself, three times over: its memory grows until stopped
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?c ?f ?i"
HUNGRY_UPDATE = "INSERT { GRAPH <http://example.org/g> { ?a ?b ?i } } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def kg_cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def count(store) -> int:
    return int(kg.query(store, None, sparql=COUNT).rows[0][0].value)


def test_the_api_and_the_cli_have_limits_by_default():
    for fn in (kg.query, kg.update):
        params = inspect.signature(fn).parameters
        assert params["timeout"].default == DEFAULT_TIMEOUT > 0
        assert params["memory_mb"].default == DEFAULT_MEMORY_MB > 0
    assert Limits().active and not Limits(None, None).active
    help_text = kg_cli("query", "--help").stdout
    assert "--timeout" in help_text and "--memory" in help_text


def test_a_slow_query_is_stopped_at_its_time_limit_and_the_next_one_answers(seed_store):
    before = count(seed_store)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="longer than 1 s"):
        kg.query(seed_store, None, sparql=SLOW, timeout=1)
    assert time.monotonic() - started < 10
    assert count(seed_store) == before > 0


def test_a_memory_hungry_query_is_stopped_at_its_ceiling(seed_store):
    started = time.monotonic()
    with pytest.raises(QueryTooLarge, match="more than 200 MiB"):
        kg.query(seed_store, None, sparql=HUNGRY, memory_mb=200, timeout=120)
    assert time.monotonic() - started < 60
    assert count(seed_store) > 0


def test_without_limits_a_query_runs_in_this_process(seed_store):
    assert kg.query(seed_store, None, sparql=COUNT, timeout=0, memory_mb=0).rows == \
        kg.query(seed_store, None, sparql=COUNT).rows


def test_a_stopped_update_leaves_the_store_as_it_was_and_writable(seed_store_copy):
    store = seed_store_copy
    before = count(store)
    with pytest.raises(QueryTooLarge, match="update needed more than 200 MiB"):
        kg.update(store, HUNGRY_UPDATE, memory_mb=200, timeout=120)
    with pytest.raises(QueryTimeout, match="update ran longer than 1 s"):
        kg.update(store, HUNGRY_UPDATE, timeout=1, memory_mb=0)
    assert count(store) == before
    # the same handle writes and reads on: it took the database back after each child
    kg.update(store, 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> '
                     '<http://example.org/b> "c" } }')
    assert count(store) == before + 1
    assert kg.query(store, None, sparql='ASK { GRAPH <http://example.org/g> { ?s ?p "c" } }').boolean


def test_the_cli_stops_a_hungry_query_and_update_with_one_line(seed_store_path, tmp_path):
    import shutil

    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target)
    r = kg_cli("query", "--store", target, "--memory", "200", "--sparql", HUNGRY)
    assert r.returncode == 1, r.stderr
    assert r.stderr.strip().count("\n") == 0 and "more than 200 MiB" in r.stderr and "--memory" in r.stderr
    r = kg_cli("query", "--store", target, "--update", "--timeout", "1", "--sparql", HUNGRY_UPDATE)
    assert r.returncode == 1 and "update ran longer than 1 s" in r.stderr, r.stderr
    r = kg_cli("query", "--store", target, "--format", "csv", "--sparql", COUNT)
    with kg.open_store(seed_store_path, read_only=True) as seed:
        assert r.stdout.split()[1] == str(count(seed))
    for flag in ("--timeout", "--memory"):
        r = kg_cli("query", "--store", target, flag, "-1", "--sparql", COUNT)
        assert r.returncode == 2 and f"{flag} -1" in r.stderr


def test_the_address_space_ceiling_stops_a_child_nobody_watches(seed_store_path):
    """The second guard: with no caller reading its memory, a child's own RLIMIT_AS stops the
    query near its ceiling (an allocation fails) instead of letting it take the machine."""
    script = textwrap.dedent(f"""
        from kg.queries import CannedQuery, _run
        from kg.store.limits import Limits, _arm
        from kg.store.oxigraph import OxigraphStore
        store = OxigraphStore({str(seed_store_path)!r}, read_only=True)
        _arm(Limits(timeout=120, memory_mb=100))
        _run(store, CannedQuery("hungry", "", {HUNGRY!r}), None, None)
        print("finished")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "finished" not in proc.stdout
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 3000, peak_mb  # the ceiling (its address space at start + 2 x 100 MiB + 1 GiB)


def test_the_server_survives_a_hungry_query_and_update_and_answers_the_next(seed_store_path, tmp_path):
    import http.client
    import shutil
    import urllib.parse

    pytest.importorskip("starlette", reason="kg serve needs the serve extra")
    from kg.serve import create_app

    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target)

    def send(url, method, body=None, query=None):
        parts = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        path = "/sparql" + (f"?{urllib.parse.urlencode({'query': query})}" if query else "")
        headers = {"Content-Type": "application/sparql-update"} if body else {}
        conn.request(method, path, body=body.encode() if body else None, headers=headers)
        try:
            reply = conn.getresponse()
            return reply.status, reply.read().decode()
        finally:
            conn.close()

    with running(create_app(target, allow_update=True, timeout=60, memory_mb=200)) as url:
        status, text = send(url, "GET", query=HUNGRY)
        assert status == 503 and "more than 200 MiB" in text and "kg serve --memory" in text
        status, text = send(url, "POST", body=HUNGRY_UPDATE)
        assert status == 503 and "update needed more than 200 MiB" in text
        status, text = send(url, "GET", query=COUNT)
        assert status == 200 and '"n"' in text
        status, _ = send(url, "POST", body='INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> '
                                           '<http://example.org/b> "c" } }')
        assert status == 204
        status, text = send(url, "GET", query='ASK { GRAPH <http://example.org/g> { ?s ?p "c" } }')
        assert status == 200 and "true" in text
