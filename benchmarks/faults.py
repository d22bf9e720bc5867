"""Fault injection: kill ``kg ingest`` with SIGKILL at random moments, many times, and check that
nothing stored is ever lost or half-written.

    python benchmarks/faults.py --kills 30            # on 120 BBC articles (../shared/corpora/bbc)
    python benchmarks/faults.py --kills 12 --limit 480   # several 128-article batches per ingest
    python benchmarks/faults.py --kills 10 --corpus seeds --copies 12

Each round starts ``kg ingest`` on the same folder and store and kills it after a random delay
drawn over the length of a whole uninterrupted run; a round that finishes before its kill starts
a fresh store. After every round the store must open, conform to the SHACL shapes, hold every
article graph exactly as an uninterrupted reference run wrote it (no partial article), keep its
union default graph equal to the union of the article graphs, and still hold every article that
was stored before the kill (lost articles: 0). Every stored article graph must be complete: the
same claims, evidence spans and content hash as in an uninterrupted reference run (entity IRIs
and labels may still change when later articles merge names). At the end a rerun must complete
the store, and the result must equal the reference triple for triple.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}


def graphs(store_path: Path) -> dict[str, frozenset]:
    import kg

    out: dict[str, set] = {}
    with kg.open_store(store_path, read_only=True) as s:
        for q in s.quads():
            out.setdefault(str(q.graph_name), set()).add((str(q.subject), str(q.predicate), str(q.object)))
    return {g: frozenset(v) for g, v in out.items()}


CLAIM = "<https://w3id.org/kg-news/ns#Claim>"
SPAN = "<http://www.w3.org/ns/oa#SpecificResource>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
HASH = "<https://w3id.org/kg-news/ns#contentHash>"


def shape(triples: frozenset) -> tuple[int, int, tuple]:
    """What a complete article graph must have however later articles renamed its entities
    (entity IRIs and labels change when a later article merges a name into another entity;
    claims, evidence spans and the content hash belong to the article and never change)."""
    claims = sum(1 for s, p, o in triples if p == TYPE and o == CLAIM)
    spans = sum(1 for s, p, o in triples if p == TYPE and o == SPAN)
    return claims, spans, tuple(sorted(o for s, p, o in triples if p == HASH))


def check(store_path: Path, expected: dict[str, frozenset], exact: bool = False) -> tuple[set[str], list[str]]:
    """(article graphs in the store, problems found). ``exact``: every graph as the reference has
    it, triple for triple (the final state); otherwise every graph complete (see :func:`shape`)."""
    import kg

    problems = []
    with kg.open_store(store_path, read_only=True) as s:
        bad = kg.validate(s)
        if bad:
            problems.append(f"{len(bad)} SHACL violations, first: {bad[0]}")
    got = graphs(store_path)
    union = set(got.pop("DEFAULT", frozenset()))
    named = {g for g in got if g.startswith("<")}
    for g in named:
        if g not in expected:
            problems.append(f"{g}: not in the reference")
        elif exact and got[g] != expected[g]:
            problems.append(f"{g}: differs from the reference")
        elif shape(got[g]) != shape(expected[g]):
            problems.append(f"{g}: incomplete (claims, spans, hash {shape(got[g])} vs {shape(expected[g])})")
    if union != {t for g in named for t in got[g]}:
        problems.append("the union default graph does not match the article graphs")
    return named, problems


def prepare(corpus: Path, work: Path, limit: int, copies: int) -> Path:
    folder = work / "corpus"
    folder.mkdir()
    files = sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus or corpus.name == "seeds")[:limit]
    for k in range(copies):
        for f in files:
            dest = folder / f"c{k}" / f.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_bytes()
            dest.write_bytes(text + f"\n\nCopy {k}.\n".encode() if copies > 1 else text)
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=120, help="articles taken from the corpus")
    ap.add_argument("--copies", type=int, default=1, help="copies of them (for a small corpus such as seeds)")
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: corpus not found (pass --corpus)", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="kg-faults-"))
    rng = random.Random(args.seed)
    try:
        corpus = prepare(args.corpus, work, args.limit, args.copies)
        reference = work / "reference"
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(reference), "-q"],
                       env=ENV, check=True)
        full = time.perf_counter() - began
        expected = graphs(reference)
        total = sum(1 for g in expected if g.startswith("<"))
        kills, rounds, lost, problems, points = 0, 0, 0, [], []
        store_n = 0
        store = work / f"store{store_n}"
        before: set[str] = set()
        while kills < args.kills and rounds < args.kills * 3:
            rounds += 1
            proc = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), "-q"],
                                    env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            delay = rng.uniform(0.05, 1.0) * full
            time.sleep(delay)
            killed = proc.poll() is None
            if killed:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            if not (store / "CURRENT").exists():  # killed before the store was created
                points.append({"after_s": round(delay, 2), "killed": killed, "stored": 0})
                continue
            named, found = check(store, expected)
            lost += len(before - named)
            problems += found
            points.append({"after_s": round(delay, 2), "killed": killed, "stored": len(named)})
            print(f"round {rounds}: {'killed' if killed else 'finished'} after {delay:.1f} s, "
                  f"{len(named)}/{total} articles stored, {len(found)} problems, lost so far {lost}", flush=True)
            before = named
            if not killed or len(named) == total:
                store_n += 1
                store = work / f"store{store_n}"
                before = set()
        r = subprocess.run([sys.executable, "-m", "kg", "ingest", str(corpus), "--store", str(store), "-q"], env=ENV)
        final_named, final_problems = check(store, expected, exact=True)
        complete = r.returncode == 0 and len(final_named) == total and not final_problems
        result = {"articles": total, "uninterrupted_s": round(full, 1), "kills": kills, "rounds": rounds,
                  "articles_lost": lost, "problems": problems + final_problems, "rerun_completes": complete,
                  "kill_points": points}
        print(f"\n{kills} kills in {rounds} rounds over a {full:.0f} s ingest of {total} articles: "
              f"articles lost {lost}, integrity problems {len(result['problems'])}, "
              f"rerun completes the store: {'yes' if complete else 'NO'}")
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n")
        return 0 if lost == 0 and not result["problems"] and complete else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
