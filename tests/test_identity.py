"""Article identity: no article silently replaces another. An edited file replaces its own
graph; an article from another file that takes a stored id is refused (naming both) unless
--replace; two articles with one id in a run: the first is stored; no article id can mint one of
kg's own graphs (the analysts' curation)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kg
from kg.rdf.iris import CURATION_GRAPH, ONTOLOGY_GRAPH, graph_iri

from .conftest import rows

POLITICS = "Talks Collapse In Kandar\n\nThe Valley Front walked out of the talks in Kandar on Monday, officials said.\n"
BUSINESS = "Markets Rally In Lowa\n\nShares in Lowa rose on Tuesday after the central bank cut rates.\n"


def kg_cli(*args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def titles(store_path) -> dict[str, str]:
    with kg.open_store(store_path, read_only=True) as st:
        return {r["id"]: r["t"] for r in rows(st, """SELECT ?id ?t WHERE { GRAPH ?g {
            ?a kg:articleId ?id ; dct:title ?t } }""")}


@pytest.fixture()
def desks(tmp_path):
    for desk, text in (("politics", POLITICS), ("business", BUSINESS)):
        (tmp_path / desk).mkdir()
        (tmp_path / desk / "001.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_another_file_with_a_stored_id_is_refused_not_swapped_in(desks):
    store = desks / "store"
    first = kg_cli("ingest", "politics/", "--store", store, "--no-precompute", cwd=desks)
    assert first.returncode == 0 and "1 added" in first.stdout, first.stderr
    other = kg_cli("ingest", "business/001.txt", "--store", store, "--no-precompute", cwd=desks)
    assert other.returncode == 1 and "0 added, 0 replaced" in other.stdout
    message = other.stderr
    assert "business/001.txt" in message and "politics/001.txt" in message and "--replace" in message
    assert "--id-prefix" in message
    assert titles(store) == {"001": "Talks Collapse In Kandar"}  # the stored article is untouched
    # kept apart with a prefix, or replaced on purpose
    both = kg_cli("ingest", "business/001.txt", "--store", store, "--id-prefix", "business/", "--no-precompute",
                  cwd=desks)
    assert both.returncode == 0 and "1 added" in both.stdout
    assert titles(store) == {"001": "Talks Collapse In Kandar", "business/001": "Markets Rally In Lowa"}
    swapped = kg_cli("ingest", "business/001.txt", "--store", store, "--replace", "--no-precompute", cwd=desks)
    assert swapped.returncode == 0 and "1 replaced" in swapped.stdout
    assert titles(store)["001"] == "Markets Rally In Lowa"


def test_id_from_makes_ids_relative_to_one_root(desks):
    store = desks / "store"
    run = kg_cli("ingest", "politics/", "business/001.txt", "--id-from", ".", "--store", store, "--no-precompute",
                 cwd=desks)
    assert run.returncode == 0 and "2 added" in run.stdout, run.stderr
    assert titles(store) == {"politics/001": "Talks Collapse In Kandar", "business/001": "Markets Rally In Lowa"}
    # the same files named from elsewhere keep their ids: nothing changes
    again = kg_cli("ingest", desks / "politics" / "001.txt", "--id-from", desks, "--store", store, "--no-precompute")
    assert again.returncode == 0 and "0 added, 0 replaced" in again.stdout and "1 unchanged" in again.stdout, \
        again.stdout
    # a file outside the root is refused with the fix, and nothing is stored for it
    outside = kg_cli("ingest", "../business/001.txt", "--id-from", ".", "--store", store, "--no-precompute",
                     cwd=desks / "politics")
    assert outside.returncode == 1 and "not inside the --id-from folder" in outside.stderr, outside.stderr
    assert len(titles(store)) == 2
    api = kg.open_store(desks / "api-store")
    with api:
        assert kg.ingest([desks / "business"], api, id_from=desks).added == 1
    assert titles(desks / "api-store") == {"business/001": "Markets Rally In Lowa"}


def test_id_from_path_or_hash(tmp_path):
    import json

    (tmp_path / "in").mkdir()
    record = {"title": "Talks Collapse In Kandar", "text": POLITICS.split("\n\n", 1)[1],
              "url": "https://news.example/kandar-talks"}
    (tmp_path / "in" / "story.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "in" / "copy.json").write_text(json.dumps(record), encoding="utf-8")  # the same story saved twice
    run = kg_cli("ingest", tmp_path / "in" / "story.json", "--id-from", "path", "--store", tmp_path / "p",
                 "--no-precompute")
    assert run.returncode == 0, run.stderr
    assert set(titles(tmp_path / "p")) == {"story"}  # the path, not the URL
    run = kg_cli("ingest", tmp_path / "in", "--id-from", "hash", "--store", tmp_path / "h", "--no-precompute")
    stored = titles(tmp_path / "h")
    assert len(stored) == 1 and next(iter(stored)).startswith("hash-"), stored  # one article
    assert "duplicate id" in run.stderr
    run = kg_cli("ingest", tmp_path / "in", "--id-from", "no-such-folder", "--store", tmp_path / "x", "--no-precompute")
    assert run.returncode == 1 and "--id-from names no folder" in run.stderr


def test_an_edited_file_still_replaces_its_own_graph(desks):
    store = desks / "store"
    assert kg_cli("ingest", "politics/", "--store", store, "--no-precompute", cwd=desks).returncode == 0
    (desks / "politics" / "001.txt").write_text(POLITICS.replace("Talks Collapse In Kandar", "Talks Resume In Kandar"), encoding="utf-8")
    again = kg_cli("ingest", "politics/", "--store", store, "--no-precompute", cwd=desks)
    assert again.returncode == 0 and "1 replaced" in again.stdout, again.stderr
    assert titles(store) == {"001": "Talks Resume In Kandar"}
    # the same file, named from its own folder this time
    (desks / "politics" / "001.txt").write_text(POLITICS, encoding="utf-8")
    back = kg_cli("ingest", "001.txt", "--store", store, "--no-precompute", cwd=desks / "politics")
    assert back.returncode == 0 and "1 replaced" in back.stdout, back.stderr
    assert titles(store) == {"001": "Talks Collapse In Kandar"}


def test_two_articles_with_one_id_in_a_run_keep_the_first(tmp_path):
    (tmp_path / "story.txt").write_text(POLITICS, encoding="utf-8")
    (tmp_path / "story.md").write_text(BUSINESS, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"url": "https://news.example/a", "title": "One", "text": "Rebels took Kandar on Monday."}\n'
                    '{"url": "https://news.example/a", "title": "Two", "text": "Rebels left Kandar on Friday."}\n',
                    encoding="utf-8")
    with kg.open_store(tmp_path / "store") as st:
        report = kg.ingest([tmp_path / "story.txt", tmp_path / "story.md", feed], st)
    assert report.added == 2, report.failed
    assert len(report.failed) == 2 and all("duplicate id" in f.message for f in report.failed)
    assert any("story.txt" in f.message for f in report.failed)  # names the one that was taken
    stored = titles(tmp_path / "store")
    assert stored == {"story": "Talks Collapse In Kandar", "https://news.example/a": "One"}


def test_no_article_id_mints_one_of_kg_s_own_graphs(tmp_path, seed_store_copy):
    for reserved in ("curation", "Curation", "ontology", "union"):
        assert graph_iri(reserved) not in {CURATION_GRAPH, ONTOLOGY_GRAPH}
    assert graph_iri("article-curation") != graph_iri("curation")
    st = seed_store_copy
    kg.merge(st, "Islamic Movement of Uzbekistan", "Islamic Movement of Turkestan")
    with_merge = rows(st, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CURATION_GRAPH}> {{ ?s ?p ?o }} }}")
    assert int(with_merge[0]["n"]) > 0
    (tmp_path / "curation.txt").write_text(POLITICS, encoding="utf-8")
    for _ in range(2):  # an article called "curation", ingested and re-ingested changed
        report = kg.ingest([tmp_path / "curation.txt"], st)
        assert not report.failed, report.failed
        (tmp_path / "curation.txt").write_text(POLITICS + "\nIt was the second walk-out this year.\n", encoding="utf-8")
    assert rows(st, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CURATION_GRAPH}> {{ ?s ?p ?o }} }}") == with_merge
    assert not rows(st, "SELECT ?e WHERE { ?e rdfs:label 'Islamic Movement of Turkestan' }")  # the merge holds
    assert kg.validate(st) == []


def test_force_re_extracts_unchanged_articles(tmp_path):
    (tmp_path / "a.txt").write_text(POLITICS, encoding="utf-8")
    with kg.open_store(tmp_path / "store") as st:
        assert kg.ingest([tmp_path / "a.txt"], st).added == 1
        assert kg.ingest([tmp_path / "a.txt"], st).unchanged == 1
        forced = kg.ingest([tmp_path / "a.txt"], st, force=True)
    assert (forced.unchanged, forced.replaced) == (0, 1)


def test_two_ids_that_would_share_a_graph_are_not_both_written(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_b.txt").write_text(POLITICS, encoding="utf-8")
    (tmp_path / "in" / "a-b.txt").write_text(BUSINESS, encoding="utf-8")
    assert graph_iri("a_b") == graph_iri("a-b")
    with kg.open_store(tmp_path / "store") as st:
        report = kg.ingest([tmp_path / "in"], st)
        assert report.added == 1 and len(report.failed) == 1 and "same graph" in report.failed[0].message
        assert kg.validate(st) == []
