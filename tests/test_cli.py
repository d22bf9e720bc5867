"""The command line, run as a user runs it (a subprocess), with exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEEDS


def kg_cli(*args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    r = kg_cli("ingest", SEEDS, "--store", path)
    assert r.returncode == 0, r.stderr
    assert "2 added" in r.stdout
    return path


def _commands():
    """Every registered command, as its words after ``kg`` ("ingest", "network stats")."""
    import typer.main

    from kg.cli import app

    def walk(cmd, words):
        if hasattr(cmd, "commands"):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, words + [name])
        else:
            yield " ".join(words), cmd

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize("words, command", _commands(), ids=[w for w, _ in _commands()])
def test_every_command_has_help_with_an_example_and_is_in_the_readme(words, command):
    assert "Example: kg " + words in " ".join((command.help or "").split()), words
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"kg {words}" in readme, f"kg {words} is not in the README"


def test_help_lists_the_commands():
    r = kg_cli("--help")
    assert r.returncode == 0
    for words, _ in _commands():
        assert words.split()[0] in r.stdout


def test_stats(cli_store):
    r = kg_cli("stats", "--json", "--store", cli_store)
    data = json.loads(r.stdout)
    assert data["articles"] == 2 and data["entities"]["person"] >= 15 and data["triples"] > 1000


def test_query_list_and_formats(cli_store):
    r = kg_cli("query", "--list")
    assert r.returncode == 0 and "affiliations" in r.stdout and "mentions" in r.stdout
    r = kg_cli("query", "people", "--format", "json", "--store", cli_store)
    names = {b["name"]["value"] for b in json.loads(r.stdout)["results"]["bindings"]}
    assert "Odinahmad Malikov" in names
    r = kg_cli("query", "mentions", "--param", "name=Januzakov", "--format", "csv", "--store", cli_store)
    assert r.returncode == 0 and r.stdout.count("\n") >= 8


def test_export_and_viz_write_files(cli_store, tmp_path):
    for fmt, name in (("turtle", "g.ttl"), ("trig", "g.trig"), ("nquads", "g.nq"), ("jsonld", "g.jsonld")):
        r = kg_cli("export", "--format", fmt, "-o", tmp_path / name, "--store", cli_store)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / name).stat().st_size > 10_000
    r = kg_cli("viz", "-o", tmp_path / "n.html", "--store", cli_store, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "n.html").read_text()
    assert "vis.Network" in html and "Odinahmad Malikov" in html
    assert not (tmp_path / "lib").exists()  # pyvis must not drop a lib/ folder
    assert "http://" not in html.split("<script>", 1)[0].replace("http://www.w3.org", "")


def test_validate_conforms(cli_store):
    r = kg_cli("validate", "--store", cli_store)
    assert r.returncode == 0 and "conforms" in r.stdout


@pytest.mark.parametrize("args, message", [
    (("query", "nonsense"), "no such canned query"),
    (("query", "--sparql", "SELECT ?x WHERE { ?x"), "SPARQL syntax error"),
    (("remove", "no-such-article"), "no such article"),
])
def test_user_errors_are_one_line_and_exit_1(cli_store, args, message):
    r = kg_cli(*args, "--store", cli_store)
    assert r.returncode == 1
    assert message in r.stderr and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_missing_input_is_listed_and_exit_1(tmp_path):
    r = kg_cli("ingest", tmp_path / "nope.txt", "--store", tmp_path / "s")
    assert r.returncode == 1 and "no such file or directory" in r.stderr


def test_usage_errors_exit_2(cli_store):
    r = kg_cli("query", "--format")
    assert r.returncode == 2
    r = kg_cli("query", "mentions", "--param", "oops", "--store", cli_store)
    assert r.returncode == 2 and "write name=value" in r.stderr and r.stderr.count("\n") == 1


def test_remove_and_reingest(cli_store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(cli_store, copy)
    r = kg_cli("remove", "002_de8208fc292a2474", "--store", copy)
    assert r.returncode == 0 and "removed 002_de8208fc292a2474" in r.stdout
    r = kg_cli("ingest", SEEDS, "--store", copy)
    assert "1 added" in r.stdout and "1 unchanged" in r.stdout


def test_writing_commands_compute_the_answers_ahead(cli_store, tmp_path):
    import shutil

    from kg.answers import ANSWERS_DIR, store_state

    def kept_states(store):
        return {p.stem: json.loads(p.read_text())["state"] for p in (store / ANSWERS_DIR).glob("*.json")}

    copy = tmp_path / "store"
    shutil.copytree(cli_store, copy, ignore=shutil.ignore_patterns(ANSWERS_DIR))
    r = kg_cli("ingest", SEEDS, "--store", copy, "--id-prefix", "again/", "--no-precompute")
    assert r.returncode == 0 and "computed ahead" not in r.stdout and not (copy / ANSWERS_DIR).exists()
    r = kg_cli("query", "articles", "--store", copy, "--format", "csv")  # computed, then kept
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1 + 4
    assert set(kept_states(copy)) == {"articles"}
    r = kg_cli("remove", "again/002_de8208fc292a2474", "--store", copy)
    assert r.returncode == 0 and r.stderr == ""
    assert len(kept_states(copy)) >= 10 and set(kept_states(copy).values()) == {store_state(copy)}
    for fresh in ((), ("--fresh",)):
        r = kg_cli("query", "articles", "--store", copy, "--format", "csv", *fresh)
        assert r.returncode == 0 and len(r.stdout.splitlines()) == 1 + 3
        assert "again/002_de8208fc292a2474" not in r.stdout and "again/000_8957d6a2ab5e49c0" in r.stdout
    r = kg_cli("ingest", SEEDS, "--store", copy, "--id-prefix", "again/")
    assert r.returncode == 0 and "answers of" in r.stdout and "computed ahead" in r.stdout
    assert len(kept_states(copy)) >= 10 and set(kept_states(copy).values()) == {store_state(copy)}
    r = kg_cli("query", "articles", "--store", copy, "--format", "csv", "--timeout", "60")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1 + 4


def test_python_api_is_declared():
    import kg

    assert set(kg.__all__) >= {"open_store", "ingest", "query", "export"}
    for name in kg.__all__:
        assert getattr(kg, name) is not None
    from kg import api

    assert set(api.__all__) <= set(kg.__all__)  # one declared API
    assert kg.__all__ == sorted(kg.__all__) and api.__all__ == sorted(api.__all__)


def test_all_is_exactly_the_public_names():
    """As httpx does: what ``kg`` exports is its public API, no more, no less."""
    import dataclasses
    import inspect

    import kg
    import kg.errors
    from kg import api

    functions = {n for n, f in inspect.getmembers(api, inspect.isfunction)
                 if not n.startswith("_") and f.__module__ == "kg.api"}
    assert set(api.__all__) == functions
    errors = {n for n, c in inspect.getmembers(kg.errors, inspect.isclass) if issubclass(c, kg.errors.KgError)}
    types = {n for n in kg.__all__ if n not in functions | errors | {"__version__"}}
    assert set(kg.__all__) == functions | errors | types | {"__version__"}
    for name in types:  # the results the API returns: dataclasses
        assert dataclasses.is_dataclass(getattr(kg, name)), name


def test_an_update_is_given_as_text_or_as_a_file(seed_store_path, tmp_path):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    text = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 'given in place of a file' } }"
    done = kg_cli("query", "--update", text, "--store", store)
    assert done.returncode == 0 and "update applied" in done.stdout, done.stderr
    ask = kg_cli("query", "--sparql", "ASK { <urn:x:a> <urn:x:p> 'given in place of a file' }", "--store", store)
    assert ask.stdout.strip() == "true"
    rq = tmp_path / "delete.rq"
    rq.write_text("DELETE DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 'given in place of a file' } }", encoding="utf-8")
    assert kg_cli("query", "--update", rq, "--store", store).returncode == 0
    assert kg_cli("query", "--sparql", "ASK { <urn:x:a> ?p ?o }", "--store", store).stdout.strip() == "false"
    missing = kg_cli("query", "--update", tmp_path / "nothing.rq", "--store", store)
    assert missing.returncode == 2 and "no such update file" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize("args, flag", [
    (("query", "articles", "--limit", "-5"), "--limit -5"),
    (("viz", "-o", "out.html", "--max-nodes", "-5"), "--max-nodes -5"),
    (("viz", "-o", "out.html", "--depth", "-1"), "--depth -1"),
    (("ingest", str(SEEDS), "--max-bytes", "-1"), "--max-bytes -1"),
    (("entities", "--limit", "-2"), "--limit -2"),
    (("network", "stats", "--top", "-3"), "--top -3"),
    (("network", "path", "a", "b", "--limit", "0"), "--limit 0"),
    (("query", "articles", "--timeout", "-1"), "--timeout -1"),
])
def test_negative_counts_and_sizes_are_usage_errors_that_change_nothing(seed_store_path, tmp_path, args, flag):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seed_store_path, store, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    before = sorted(p.name for p in store.iterdir())
    r = kg_cli(*args, "--store", store, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().startswith("error: ") and flag in r.stderr and r.stderr.strip().count("\n") == 0
    assert sorted(p.name for p in store.iterdir()) == before and not (tmp_path / "out.html").exists()
