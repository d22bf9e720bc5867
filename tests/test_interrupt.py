"""An interrupted ingest keeps every article it had finished: Ctrl-C (KeyboardInterrupt) or
SIGTERM writes what is complete, says how many, exits 130, and a rerun does the rest."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

import kg
from kg.pipeline import Interrupted
from kg.sources import article_from_text


def story(k: int) -> str:
    return (f"Raid Number {k} On Kandar Post\n\nGunmen attacked a police post in Kandar on Monday, killing {k % 7 + 1} "
            f"officers, officials said. The attackers fled towards the hills, police chief Omar Tal{k} said.\n")


def test_ctrl_c_keeps_the_articles_already_extracted(tmp_path):
    arts = [article_from_text(story(k), {"published": "2020-05-01"}, f"s{k:03d}") for k in range(24)]

    def stopped_after(n: int):
        for a in arts[:n]:
            yield a
        raise KeyboardInterrupt  # Ctrl-C while the next articles are read

    with kg.open_store(tmp_path / "store") as st:
        with pytest.raises(Interrupted) as caught:
            kg.ingest([], st, articles=stopped_after(20))
        # the first 16 were extracted (one chunk) before the stop; all of them are stored
        assert caught.value.report.added == 16 and caught.value.report.failed == []
        assert len(st.articles()) == 16
        assert kg.validate(st) == []
        rest = kg.ingest([], st, articles=iter(arts))
        assert (rest.unchanged, rest.added) == (16, 8)


def test_sigterm_stores_what_is_complete_and_a_rerun_does_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(300):
        (folder / f"{k:03d}.txt").write_text(story(k), encoding="utf-8")
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(folder), "--store", str(store), "-q",
                             "--no-precompute"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (store / "CURRENT").exists():  # the store is open: the ingest (and its handler) runs
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
        time.sleep(0.05)
    time.sleep(3)  # the model is loaded and some articles are extracted, few or none written yet
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the ingest finished before the signal (a very fast machine)")
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "run the same kg ingest again" in err and "Traceback" not in err
    stored_said = int(err.split("interrupted: ", 1)[1].split(" added", 1)[0])
    with kg.open_store(store, read_only=True) as st:
        assert len(st.articles()) == stored_said
    rerun = subprocess.run([sys.executable, "-m", "kg", "ingest", str(folder), "--store", str(store),
                            "--no-precompute"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{300 - stored_said} added, 0 replaced, {stored_said} unchanged" in rerun.stdout
