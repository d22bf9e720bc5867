"""Distributed ingest (``--executor dask`` / ``dask-local``): the same store as a local run,
streamed in input order, with one-line errors for a missing, wrong or unreachable scheduler.

One LocalCluster of two worker processes serves the whole module."""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import subprocess
import sys
import time

import pytest

import kg
from kg.errors import KgError, UsageError
from kg.model import Article, Extraction
from tests.conftest import ROOT, SEEDS

EPOCH = os.environ["SOURCE_DATE_EPOCH"]  # set by conftest; the workers inherit it

PLACES = ["Osh", "Bishkek", "Dushanbe", "Kabul", "Tashkent", "Almaty"]
PEOPLE = ["Aziz Karimov", "Nurlan Tokaev", "Dilnoza Rahimova", "Timur Saidov", "Gulnara Ismailova"]
GROUPS = ["the interior ministry", "the border guards", "the State Committee for National Security"]


def synthetic(n: int) -> str:
    """A short, plausible news text; ``n`` varies the names, places and numbers."""
    place, other = PLACES[n % len(PLACES)], PLACES[(n + 2) % len(PLACES)]
    person, group = PEOPLE[n % len(PEOPLE)], GROUPS[n % len(GROUPS)]
    return (f"Clashes near {place} leave {n % 7 + 1} dead\n\n"
            f"{place}, {n % 28 + 1} March 2006. Armed men attacked a border post near {place} on Tuesday, "
            f"killing {n % 7 + 1} soldiers, {person}, a spokesman for {group}, said. "
            f"Officials suggested the attackers could belong to a militant group based in {other}. "
            f"Police arrested {n % 5 + 2} men in {other} on Wednesday.\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The two sample articles plus 30 small texts: 32 articles, two chunks of 16."""
    folder = tmp_path_factory.mktemp("corpus")
    for f in SEEDS.iterdir():
        shutil.copy(f, folder / f.name)
    for n in range(30):
        (folder / f"synthetic_{n:02d}.txt").write_text(synthetic(n), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import logging

    from kg.distributed import LOCAL_SCHEDULER, _quiet_shutdown

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=logging.ERROR, scheduler_kwargs=LOCAL_SCHEDULER)
    yield cluster
    with _quiet_shutdown():
        cluster.close()


@pytest.fixture(scope="module")
def client(cluster):
    import distributed

    from kg.distributed import _quiet_shutdown

    client = distributed.Client(cluster, set_as_default=False)
    yield client
    with _quiet_shutdown():
        client.close()


def quads(path) -> list[str]:
    with kg.open_store(path, read_only=True) as store:
        return sorted(str(q) for q in store.quads())


def run_kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)


# --- the same store, whatever runs the extraction ------------------------------------------------


@pytest.mark.slow
def test_dask_runs_write_the_same_store_as_a_local_run(corpus, cluster, client, tmp_path):
    with kg.open_store(tmp_path / "local") as store:
        local = kg.ingest([corpus], store)
    assert local.added == 32 and not local.failed, local.failed

    cli = run_kg("ingest", str(corpus), "--store", str(tmp_path / "dask-local"), "--quiet",
                 "--executor", "dask-local", "--workers", "2")
    assert cli.returncode == 0, cli.stderr
    assert "Traceback" not in cli.stderr and "Warning" not in cli.stderr

    with kg.open_store(tmp_path / "dask") as store:
        remote = kg.ingest([corpus], store, executor="dask", scheduler=cluster.scheduler_address)
    assert remote.articles == local.articles  # same ids, written in the same order

    expected = quads(tmp_path / "local")
    assert len(expected) > 10_000
    assert quads(tmp_path / "dask-local") == expected
    assert quads(tmp_path / "dask") == expected

    from kg.distributed import _loads

    loads = client.run(_loads)  # two chunks: each worker loaded the model at most once
    assert sorted(loads.values()) in ([0, 1], [1, 1]), loads


def test_articles_and_extractions_pickle(extractor):
    article = Article(id="a", text=synthetic(3), title="t", authors=("A B",), source="a.txt")
    extraction = extractor.extract(article)
    assert pickle.loads(pickle.dumps(article)) == article
    assert pickle.loads(pickle.dumps(extraction)) == extraction
    assert isinstance(extraction, Extraction) and extraction.entities


# --- streaming in order --------------------------------------------------------------------------


def slow_square(x: int, boom: int) -> int:
    """Later items finish first (to scramble completion order); ``boom`` raises."""
    time.sleep(0.02 * (5 - x % 5))
    if x == boom:
        raise ValueError(f"no square for {x}")
    return x * x


def test_ordered_map_keeps_input_order_reads_lazily_and_isolates_a_failing_item(client):
    from kg.distributed import ordered_map

    pulled = []

    def items():
        for x in range(20):
            pulled.append(x)
            yield x

    seen_at_first = None
    out = []
    for result in ordered_map(client, slow_square, items(), args=(7,), window=3,
                              on_error=lambda x, exc: f"{x}: {type(exc).__name__}: {exc}"):
        if seen_at_first is None:
            seen_at_first = len(pulled)
        out.append(result)
    assert out == [x * x if x != 7 else "7: ValueError: no square for 7" for x in range(20)]
    assert seen_at_first <= 2 * 3  # at most `window` running and `window` waiting for an older one


def test_ordered_map_without_on_error_raises_the_task_error(client):
    from kg.distributed import ordered_map

    with pytest.raises(ValueError, match="no square for 2"):
        list(ordered_map(client, slow_square, range(5), args=(2,), window=2))


class FlakyExtractor:
    """Stands in for the spaCy extractor on the workers: article "bad" makes it raise."""

    def extract_many(self, articles):
        for a in articles:
            yield self.extract(a)

    def extract(self, article):
        if article.id == "bad":
            raise RuntimeError("cannot parse this one")
        return Extraction(article=article, sentences=((0, len(article.text)),), model="flaky")


def install_flaky() -> None:
    import kg.distributed

    kg.distributed._EXTRACTORS["flaky"] = FlakyExtractor()


def test_a_failing_article_fails_alone_and_in_place(cluster, client):
    from kg.distributed import dask_extract

    client.run(install_flaky)
    articles = [Article(id=i, text=f"text {i}") for i in ("a", "b", "bad", "c", "d", "e")]
    out = list(dask_extract(iter(articles), scheduler=cluster.scheduler_address, model="flaky", chunk=2))
    assert [r.article.id if isinstance(r, Extraction) else r for r in out] == [
        "a", "b", (articles[2], "RuntimeError: cannot parse this one"), "c", "d", "e"]


def test_a_model_missing_on_the_workers_stops_the_run_with_one_line(cluster):
    from kg.distributed import dask_extract

    with pytest.raises(KgError, match=r"^on a dask worker of tcp://.*spaCy model no_such_model is not installed"):
        list(dask_extract([Article(id="a", text="Text.")], scheduler=cluster.scheduler_address,
                          model="no_such_model"))


# --- errors a user can cause -------------------------------------------------------------------------


def test_executor_dask_without_a_scheduler_is_a_usage_error():
    from kg.distributed import dask_extract

    with pytest.raises(UsageError, match=r"--executor dask needs --scheduler tcp://host:8786"):
        next(dask_extract([], executor="dask"))
    with pytest.raises(UsageError, match="--scheduler is for --executor dask"):
        next(dask_extract([], executor="dask-local", scheduler="tcp://127.0.0.1:8786"))


def test_cli_executor_dask_without_a_scheduler(tmp_path):
    result = run_kg("ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--executor", "dask")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == ("error: --executor dask needs --scheduler tcp://host:8786 "
                                     "(or use --executor dask-local to start a cluster on this machine)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_unreachable_scheduler_is_one_line_and_exit_1(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.perf_counter()
    result = run_kg("ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--executor", "dask",
                    "--scheduler", address)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the dask scheduler at {address} ("), lines
    assert "dask scheduler" in lines[0] and "--executor dask-local" in lines[0]
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("address", ["http://host:8786", "tcp://host:port", "inproc://x"])
def test_a_malformed_scheduler_address_is_named(address):
    from kg.distributed import dask_extract

    with pytest.raises(KgError, match="is not a dask scheduler address"):
        next(dask_extract([], scheduler=address))


def test_a_scheduler_that_never_answers_times_out_in_seconds():
    pytest.importorskip("distributed")
    from kg.distributed import dask_extract

    with socket.socket() as silent:  # accepts connections, never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        address = "tcp://127.0.0.1:%d" % silent.getsockname()[1]
        started = time.perf_counter()
        with pytest.raises(KgError, match=f"cannot reach the dask scheduler at {address}"):
            next(dask_extract([], scheduler=address, timeout=1))
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("executor", ["dask", "dask-local"])
def test_without_dask_installed_the_error_says_which_extra(monkeypatch, executor):
    from kg.pipeline import extract_all

    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with pytest.raises(KgError, match=r"needs the dask extra: pip install 'kg-news\[dask\]'"):
        next(extract_all(iter([]), executor=executor, scheduler="tcp://127.0.0.1:8786"
                         if executor == "dask" else None))
