"""Shared fixtures. The real spaCy model is loaded once per session; stores live in tmp dirs."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # reproducible PROV times in tests


@pytest.fixture(scope="session")
def extractor():
    from kg.extract import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory):
    """The two sample articles ingested once with the real model (read-only use)."""
    import kg

    path = tmp_path_factory.mktemp("seedstore") / "store"
    with kg.open_store(path) as store:
        report = kg.ingest([SEEDS], store)
    assert report.added == 2, report.failed
    return path


@pytest.fixture()
def seed_store(seed_store_path):
    import kg

    with kg.open_store(seed_store_path, read_only=True) as store:
        yield store


@pytest.fixture()
def seed_store_copy(seed_store_path, tmp_path):
    """A writable copy of the seed store for tests that change it."""
    import kg

    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    with kg.open_store(target) as store:
        yield store


def rows(store, sparql, **params):
    """Query helper: list of dicts of plain values."""
    import kg

    result = kg.query(store, sparql=sparql, params=params or None)
    return [{v: (c.value if c else None) for v, c in zip(result.variables, row)} for row in result.rows]


def make_doc(vocab, text_tokens, ents=(), tags=None, sent_starts=None):
    """A spaCy Doc built by hand (no model): tokens, entity spans (start, end, label), tags."""
    from spacy.tokens import Doc, Span

    words = [w for w, _ in text_tokens]
    spaces = [s for _, s in text_tokens]
    doc = Doc(vocab, words=words, spaces=spaces, tags=tags, sent_starts=sent_starts)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


@contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its base URL; stop
    the server and join the thread on the way out."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="kg-serve-test", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        assert not thread.is_alive(), "the server thread did not stop"
