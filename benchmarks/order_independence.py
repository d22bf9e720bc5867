"""Does the store depend on the order articles arrive in? Ingest a random set of BBC articles,
edit some of them (a paragraph dropped) and ingest the folder again into the same store; then
ingest the final files into a fresh store, and count the N-Quads lines that differ (PROV times
aside). Zero means re-ingesting edits gives the graph a fresh ingest gives.

    python benchmarks/order_independence.py --seeds 1 2 3          # needs ../shared/corpora/bbc

Figures in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import kg  # noqa: E402

TIMES = ("generatedAtTime", "startedAtTime", "endedAtTime")


def lines(store) -> set[str]:
    return {str(q) for q in store.quads() if not any(t in str(q.predicate) for t in TIMES)}


def one(corpus: Path, seed: int, articles: int, changed: int, work: Path,
        show: int = 3) -> tuple[int, int, list[str]]:
    rng = random.Random(seed)
    picked = rng.sample(sorted(corpus.glob("*/*.txt")), articles)
    folder, final = work / "articles", work / "final"
    folder.mkdir(parents=True)
    for f in picked:
        (folder / f"{f.parent.name}-{f.name}").write_text(f.read_text(encoding="latin-1"), encoding="utf-8")
    shutil.copytree(folder, final)
    for name in rng.sample(sorted(p.name for p in final.iterdir()), changed):
        paragraphs = (final / name).read_text(encoding="utf-8").split("\n\n")
        if len(paragraphs) > 3:
            del paragraphs[rng.randrange(1, len(paragraphs))]
        (final / name).write_text("\n\n".join(paragraphs), encoding="utf-8")
    with kg.open_store(work / "reingested") as st:
        kg.ingest([folder], st)
    shutil.rmtree(folder)
    shutil.copytree(final, folder)  # the same files, edited in place
    with kg.open_store(work / "reingested") as st:
        kg.ingest([folder], st)
        again = lines(st)
    with kg.open_store(work / "fresh") as st:
        kg.ingest([folder], st)
        fresh = lines(st)
    only_again, only_fresh = sorted(again - fresh), sorted(fresh - again)
    return len(only_again), len(only_fresh), (["+ " + x for x in only_again[:show]]
                                             + ["- " + x for x in only_fresh[:show]])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpora" / "bbc")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--changed", type=int, default=10)
    ap.add_argument("--show", type=int, default=3, help="differing lines to print per side (+ re-ingested, - fresh)")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no BBC corpus here (pass --corpus)", file=sys.stderr)
        return 1
    total = 0
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="kg-order-") as tmp:
            a, b, sample = one(args.corpus, seed, args.articles, args.changed, Path(tmp), args.show)
        total += a + b
        print(f"seed {seed}: {a} lines only in the re-ingested store, {b} only in the fresh one")
        for line in sample:
            print("   ", line[:400])
    print(f"total differing lines: {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
