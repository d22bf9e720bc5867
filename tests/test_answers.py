"""Answers of the canned queries computed ahead (kg.answers): used only for the exact state of the
store they were computed from, equal to what the database answers, and never stale after a write."""

from __future__ import annotations

import json
import shutil

import pytest

import kg
from kg import answers, queries
from kg.answers import ANSWERS_DIR

from .conftest import SEEDS


def _kept_names():
    return sorted(n for n, q in queries.canned_queries().items() if answers.cacheable(q, None))


@pytest.fixture()
def store_path(seed_store_path, tmp_path):
    """A private copy of the seed store, without any answers kept so far."""
    target = tmp_path / "store"
    shutil.copytree(seed_store_path, target,
                    ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK", ANSWERS_DIR))
    return target


def _no_database(monkeypatch):
    """From here on, asking the database fails: a result must come from a kept answer."""
    def refuse(*a, **k):
        raise AssertionError("the database was asked")

    monkeypatch.setattr(queries, "_engine", refuse)


def _values(result):
    return [[c.value if c else None for c in row] for row in result.rows]


def test_every_kept_answer_equals_the_databases(store_path, monkeypatch):
    names = _kept_names()
    assert len(names) >= 10 and "mentions" not in names  # mentions takes a parameter
    with kg.open_store(store_path, read_only=True) as st:
        computed = {n: kg.query(st, n) for n in names}
    assert sorted(p.stem for p in (store_path / ANSWERS_DIR).glob("*.json")) == names
    _no_database(monkeypatch)
    with kg.open_store(store_path, read_only=True) as st:
        for n in names:
            kept = kg.query(st, n)
            assert kept.variables == computed[n].variables
            assert kept.rows == computed[n].rows, n  # Cells: value, kind, datatype, language
            assert kept.rows, n  # the seed store has an answer to each
        limited = kg.query(st, "people", limit=3)
        assert _values(limited) == _values(computed["people"])[:3] and limited.truncated
        whole = kg.query(st, "people", limit=len(computed["people"].rows))
        assert not whole.truncated and len(whole.rows) == len(computed["people"].rows)


def test_a_write_makes_every_kept_answer_unusable(store_path, monkeypatch):
    with kg.open_store(store_path, read_only=True) as st:
        before = kg.query(st, "articles")
    assert len(before.rows) == 2
    with kg.open_store(store_path) as st:
        kg.remove(st, before.rows[0][0].value)
    calls = []
    real = queries._engine
    monkeypatch.setattr(queries, "_engine", lambda *a, **k: calls.append(a[1].name) or real(*a, **k))
    with kg.open_store(store_path, read_only=True) as st:
        after = kg.query(st, "articles")
        assert calls == ["articles"]  # the kept answer was for the store before the removal
        assert [r[0].value for r in after.rows] == [before.rows[1][0].value]
        assert kg.query(st, "articles").rows == after.rows and calls == ["articles"]  # kept now


def test_a_reader_open_across_a_write_keeps_its_answer_for_the_state_it_sees(store_path):
    """A read-only handle sees the database as it was when it opened; what it computes after a
    writer has changed the store must not be taken for the new state's answer. Without limits
    the query reads through the handle's old view; under limits a child reads the store as
    committed, and its answer is kept for the state that child saw."""
    reader = kg.open_store(store_path, read_only=True)
    try:
        with kg.open_store(store_path) as writer:
            gone = kg.query(writer, "articles").rows[0][0].value
            kg.remove(writer, gone)
        old_view = kg.query(reader, "articles", timeout=0, memory_mb=0)  # the view of before the removal
        assert gone in [r[0].value for r in old_view.rows]
        limited = kg.query(reader, "articles", fresh=True)  # a child: the store as committed now
        assert gone not in [r[0].value for r in limited.rows]
    finally:
        reader.close()
    with kg.open_store(store_path, read_only=True) as st:
        assert gone not in [r[0].value for r in kg.query(st, "articles").rows]
        assert gone not in [r[0].value for r in kg.query(st, "articles", timeout=0, memory_mb=0).rows]


def test_an_ingest_in_the_same_process_is_seen(store_path, tmp_path):
    with kg.open_store(store_path, read_only=True) as st:
        assert len(kg.query(st, "articles").rows) == 2
    with kg.open_store(store_path) as st:
        assert kg.ingest([SEEDS], st, id_prefix="again/").added == 2
        assert len(kg.query(st, "articles").rows) == 4  # a writer asks its own database
    assert not [p for p in (store_path / ANSWERS_DIR).glob("*.json")
                if json.loads(p.read_text())["state"] == answers.store_state(store_path)]
    with kg.open_store(store_path, read_only=True) as st:
        assert len(kg.query(st, "articles").rows) == 4


def test_a_broken_or_foreign_answer_file_is_not_used(store_path, monkeypatch):
    with kg.open_store(store_path, read_only=True) as st:
        good = kg.query(st, "people")
    f = store_path / ANSWERS_DIR / "people.json"
    data = json.loads(f.read_text())
    for broken in ("{not json", json.dumps({**data, "query": "0" * 64}),
                   json.dumps({**data, "format": data["format"] + 1}),
                   json.dumps({**data, "rows": [[10 ** 6]]})):
        f.write_text(broken)
        with kg.open_store(store_path, read_only=True) as st:
            assert kg.query(st, "people").rows == good.rows
        assert json.loads(f.read_text()) == {**data, "computed": json.loads(f.read_text())["computed"]}
    data["rows"] = data["rows"][:1]  # an answer that is not the database's, for this very state
    f.write_text(json.dumps(data))
    with kg.open_store(store_path, read_only=True) as st:
        assert len(kg.query(st, "people").rows) == 1  # (proof the file is what is read)
        assert kg.query(st, "people", fresh=True).rows == good.rows
        assert kg.query(st, "people").rows == good.rows  # --fresh keeps its answer


def test_only_kgs_own_parameterless_queries_on_readers_are_kept(store_path, tmp_path):
    own = queries.canned_queries()["people"]
    copy = tmp_path / "people.rq"
    copy.write_text(own.text)
    with kg.open_store(store_path, read_only=True) as st:
        kg.query(st, sparql=own.text)
        kg.query(st, str(copy))
        kg.query(st, "mentions", params={"name": "Kyrgyzstan"})
    assert not (store_path / ANSWERS_DIR).exists()
    with kg.open_store(store_path) as st:
        kg.query(st, "people")
    assert not (store_path / ANSWERS_DIR).exists()


def test_a_folder_that_cannot_keep_answers_still_answers(store_path):
    (store_path / ANSWERS_DIR).write_text("not a folder")  # so nothing can be written under it
    with kg.open_store(store_path, read_only=True) as st:
        assert len(kg.query(st, "articles").rows) == 2
    assert not answers.save(store_path, "x", queries.canned_queries()["articles"],
                            queries.QueryResult("select", ["id"], []))


def test_the_state_is_the_databases_files_and_not_kgs_own(store_path):
    s0 = answers.store_state(store_path)
    (store_path / "kg-writer.lock").write_text("")
    (store_path / ANSWERS_DIR).mkdir()
    (store_path / ANSWERS_DIR / "x.json").write_text("{}")
    assert answers.store_state(store_path) == s0
    some = next(p for p in store_path.iterdir() if p.is_file() and p.name not in {"kg-writer.lock"})
    with some.open("ab") as f:
        f.write(b"\0")
    assert answers.store_state(store_path) != s0


def test_precompute_keeps_an_answer_for_the_current_state(store_path, monkeypatch):
    import os
    import time

    (store_path / ANSWERS_DIR).mkdir()
    old, young = store_path / ANSWERS_DIR / ".people.a.tmp", store_path / ANSWERS_DIR / ".people.b.tmp"
    for f in (old, young):
        f.write_text("{")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    done = kg.precompute(store_path)
    assert not old.exists() and young.exists()  # a save that never finished; one perhaps under way
    young.unlink()
    assert [n for n, _ in done] == _kept_names() and all(t >= 0 for _, t in done)
    state = answers.store_state(store_path)
    assert {json.loads(p.read_text())["state"] for p in (store_path / ANSWERS_DIR).glob("*.json")} == {state}
    _no_database(monkeypatch)
    with kg.open_store(store_path, read_only=True) as st:
        assert len(kg.query(st, "articles").rows) == 2


@pytest.mark.parametrize("how", ["api", "command"])
def test_workers_share_the_queries_out_and_keep_the_same_answers(store_path, monkeypatch, how):
    import subprocess
    import sys

    with kg.open_store(store_path, read_only=True) as st:  # the database's answers, nothing kept
        st.state = None
        expected = {n: kg.query(st, n) for n in _kept_names()}
    assert not (store_path / ANSWERS_DIR).exists()
    if how == "api":  # this process has threads (pytest's, stores'): workers are started fresh
        done = [n for n, _ in kg.precompute(store_path, workers=3)]
    else:  # what the writing commands run: one thread, so workers are forked
        out = subprocess.run([sys.executable, "-m", "kg.answers", str(store_path)], capture_output=True,
                             text=True, check=True).stdout
        done = [line.split("\t")[0] for line in out.splitlines()]
    assert done == _kept_names()
    kept = {json.loads(p.read_text())["state"] for p in (store_path / ANSWERS_DIR).glob("*.json")}
    assert kept == {answers.store_state(store_path)}
    _no_database(monkeypatch)
    with kg.open_store(store_path, read_only=True) as st:
        for n, result in expected.items():
            got = kg.query(st, n)
            assert got.variables == result.variables and got.rows == result.rows, n
