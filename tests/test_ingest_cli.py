"""`kg ingest` as a user runs it: the number of worker processes never changes the store, and
progress shows as a bar on a terminal, as plain lines otherwise, and not at all with --quiet."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time

import pytest

import kg

from .conftest import SEEDS

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}

TEXTS = [
    "Gunmen attack police post in Osh\n\nGunmen attacked a police post in Osh on Tuesday, killing two "
    "officers, the interior ministry said. Officials suggested the attackers belonged to the Islamic "
    "Movement of Uzbekistan.",
    "Talks in Dushanbe\n\nTajik foreign minister Sirojiddin Muhriddin met his Kyrgyz counterpart in "
    "Dushanbe on Monday. He said the border dispute would be settled by spring.",
    "Protest in Bishkek\n\nSeveral hundred people protested in Bishkek against rising prices, police said. "
    "Five men were detained.",
    "Border clash\n\nKyrgyz and Tajik border guards exchanged fire near Batken on Friday, according to the "
    "Kyrgyz border service. Three soldiers were wounded.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for f in SEEDS.iterdir():
        shutil.copy(f, folder / f.name)
    for n, text in enumerate(TEXTS):
        (folder / f"extra_{n}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def ingest(corpus, store, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), *args],
                          capture_output=True, text=True, env=ENV, timeout=600)


def quads(path) -> set[tuple[str, str, str, str]]:
    with kg.open_store(path, read_only=True) as st:
        return {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in st.quads()}


@pytest.fixture(scope="module")
def runs(corpus, tmp_path_factory):
    """The same corpus ingested with one and with two worker processes."""
    base = tmp_path_factory.mktemp("stores")
    one = ingest(corpus, base / "one")
    two = ingest(corpus, base / "two", "--workers", "2", "--quiet")
    return base, one, two


def test_the_number_of_workers_does_not_change_the_store(runs):
    base, one, two = runs
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    a, b = quads(base / "one"), quads(base / "two")
    assert len(a) > 1000
    assert a == b
    graphs = {q[3] for q in a}
    assert sum(1 for g in graphs if "/graph/" in g) == 2 + len(TEXTS)  # one graph per article


def test_plain_progress_lines_when_not_a_terminal(runs):
    _, one, _ = runs
    lines = one.stderr.strip().splitlines()
    assert lines, "no progress lines"
    assert lines[-1].startswith(f"[{2 + len(TEXTS)}/{2 + len(TEXTS)}] ")  # the last line: all done
    assert all(" articles/s " in line for line in lines)
    assert "\x1b[" not in one.stderr  # no terminal control codes in a log
    assert one.stdout.startswith("ingested into ")


def test_quiet_prints_nothing(runs):
    _, _, two = runs
    assert two.stdout == "" and two.stderr == ""


def test_a_progress_bar_with_rate_and_eta_on_a_terminal(corpus, tmp_path):
    """Run under a pseudo-terminal, as a user at a shell does."""
    leader, follower = pty.openpty()
    env = {**ENV, "TERM": "xterm-256color", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(tmp_path / "s")],
                            stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    out = b""
    deadline = time.time() + 600
    while time.time() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(timeout=60) == 0, out.decode(errors="replace")
    raw = out.decode(errors="replace")
    assert "\x1b[" in raw  # drawn and redrawn in place, not written as log lines
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    total = 2 + len(TEXTS)
    # "ingest ━━━━━━━━━━━━ 3/6 2.1 articles/s 0:00:02": a bar, a count, the rate and an ETA
    assert re.search(rf"ingest\s+\S*━+\S*\s+\d+/{total}\s+\d+\.\d articles/s\s+(-:--:--|\d+:\d\d:\d\d)", text), text
    assert not re.search(r"^\[\d+/\d+\]", text, re.M)  # no plain log lines on a terminal
    assert "ingested into" in text


def test_where_a_batch_ends_does_not_change_the_store(tmp_path):
    """A lone surname stored earlier is absorbed when a later article names the full name; that
    must hold whether the two articles are ingested in one batch or in two runs."""
    a = tmp_path / "in" / "a.txt"
    b = tmp_path / "in" / "b.txt"
    a.parent.mkdir()
    a.write_text("Talks on the border\n\nKarimov said the talks on the border would go on. "
                 "Karimov spoke in Tashkent on Monday.\n", encoding="utf-8")
    b.write_text("Minister visits Osh\n\nAziz Karimov, the interior minister of Uzbekistan, visited Osh on "
                 "Friday. Karimov met police officers there.\n", encoding="utf-8")
    one = ingest(tmp_path / "in", tmp_path / "one", "-q")
    assert one.returncode == 0, one.stderr
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(a, first / "a.txt")
    assert ingest(first, tmp_path / "two", "-q").returncode == 0
    assert ingest(tmp_path / "in", tmp_path / "two", "-q").returncode == 0
    together, apart = quads(tmp_path / "one"), quads(tmp_path / "two")
    assert together == apart
    labels = {o for s, p, o, g in together if p == "<http://www.w3.org/2000/01/rdf-schema#label>"}
    assert '"Aziz Karimov"' in labels and '"Karimov"' not in labels  # absorbed, in both stores
