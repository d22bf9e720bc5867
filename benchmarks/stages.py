"""Where `kg ingest` spends its time: each stage timed on its own, in one thread, in one run.

    python benchmarks/stages.py                    # 400 BBC articles from ../shared/corpora/bbc
    python benchmarks/stages.py --n 200 --top 15   # fewer articles, the 15 costliest kg functions

`kg ingest` overlaps its stages (store writes run in a background thread while the next batch is
parsed), which hides where the time goes. Here the same code runs stage by stage on the same
articles, each stage timed separately:

1. read: ``read_articles`` (decode, boilerplate removal, hashing);
2. spaCy: ``nlp.pipe`` of kg's own pipeline (the components kg does not use are disabled) alone;
3. kg rules: ``Extractor.extract_many`` (spaCy again plus kg's rules) minus stage 2;
4. resolve: the cross-document resolver against the growing index, with curation;
5. RDF: building each article's graph as N-Quads;
6. SHACL: validating the graphs as ``kg ingest``'s writer does (``kg.rdf.shacl.validate_graphs``);
7. store: writing the batches to a fresh on-disk Oxigraph store, then compacting it as
   ``kg ingest`` does at the end (RocksDB's background merging of the batches' files included).

Article ids are the files' paths under the corpus (``business/001``), as ``kg ingest`` gives them.

Then a cProfile of stage 3 (a separate run on 100 of the articles) lists kg's costliest functions by own time (``--top``). The machine is
shared and noisy: read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc"
PROFILED = 100  # articles run again under cProfile


def pick(corpus: Path, n: int) -> list[Path]:
    """N articles spread evenly over the (sorted) corpus, so every section is in."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus)
    if n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=400, help="articles (default 400)")
    ap.add_argument("--top", type=int, default=12, help="kg functions to list (default 12)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: corpus not found (pass --corpus)", file=sys.stderr)
        return 1
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

    from kg.extract import Extractor
    from kg.model import Article
    from kg.pipeline import BATCH_ARTICLES
    from kg.rdf import shacl
    from kg.rdf.mapping import build_graph
    from kg.resolve.resolver import Resolver
    from kg.sources import read_articles
    from kg.store.oxigraph import open_store

    files = pick(args.corpus, args.n)
    t: dict[str, float] = {}

    t0 = time.perf_counter()
    # ids as `kg ingest CORPUS` gives them (business/001, sport/001, ...): the bare file names
    # repeat across sections, and repeated ids would be measured as replacements, not additions
    articles = [a for f in files for a in read_articles(f, id_prefix=f"{f.parent.name}/")
                if isinstance(a, Article)]
    assert len({a.id for a in articles}) == len(articles)
    t["read"] = time.perf_counter() - t0
    words = sum(len(a.text.split()) for a in articles)

    t0 = time.perf_counter()
    extractor = Extractor()
    t["model load (once per process)"] = time.perf_counter() - t0

    for _ in extractor.extract_many(articles[:16]):  # warm up both, so neither pays for first use
        pass
    t0 = time.perf_counter()
    for _ in extractor.nlp.pipe((a.text for a in articles), batch_size=extractor.batch_size):
        pass
    t["spaCy nlp.pipe (kg's components)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    extractions = list(extractor.extract_many(articles))
    t["kg rules (extract_many minus nlp.pipe)"] = time.perf_counter() - t0 - t["spaCy nlp.pipe (kg's components)"]

    t0 = time.perf_counter()
    resolver = Resolver()
    resolved = []
    for ex in extractions:
        res, absorbed = resolver.resolve(ex)
        ex, res = resolver.curate(ex, res)
        resolver.commit(res, absorbed)
        resolved.append((ex, res))
    t["resolve"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    graphs = [build_graph(ex, res) for ex, res in resolved]
    t["RDF graph building"] = time.perf_counter() - t0

    batches = [graphs[i:i + BATCH_ARTICLES] for i in range(0, len(graphs), BATCH_ARTICLES)]
    t0 = time.perf_counter()
    violations = len(shacl.validate_graphs(graphs))
    t["SHACL validation"] = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="kg-profile-") as tmp:
        t0, c0 = time.perf_counter(), os.times()
        with open_store(Path(tmp) / "store") as store:
            for b in batches:
                store.write_articles(b)
            store.compact(force=True)
            quads = len(store)
        t["store writes (Oxigraph)"] = time.perf_counter() - t0
        c1 = os.times()
        store_cpu = c1.user + c1.system - c0.user - c0.system  # all threads: the loader's, RocksDB's

    per_article = {k: v for k, v in t.items() if not k.startswith("model load")}
    total = sum(per_article.values())
    print(f"{len(articles)} BBC articles, {words:,} words, {quads:,} quads stored, {violations} SHACL violations\n")
    print("| stage | seconds | ms per article | share |")
    print("|---|--:|--:|--:|")
    for k, v in t.items():
        share = f"{100 * v / total:.0f}%" if k in per_article else "–"
        print(f"| {k} | {v:.2f} | {1000 * v / len(articles):.1f} | {share} |")
    print(f"| **all stages but the model load** | {total:.2f} | {1000 * total / len(articles):.1f} | 100% |")
    print(f"\nThe store writes kept {store_cpu:.2f} s of CPU busy ({1000 * store_cpu / len(articles):.1f} ms per "
          "article) across Oxigraph's threads (bulk loader, RocksDB merging its files).")

    profiler = cProfile.Profile()  # a separate run: the profiler's overhead must not skew the table
    profiled = articles[:PROFILED]
    profiler.enable()
    for _ in extractor.extract_many(profiled):
        pass
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if f"{os.sep}kg{os.sep}" in file and "site-packages" not in file:
            rows.append((tottime, cumtime, ncalls, f"{Path(file).relative_to(REPO)}:{line} {func}"))
    rows.sort(reverse=True)
    own = sum(r[0] for r in rows)
    print(f"\ncProfile of stage 3 on {len(profiled)} articles: kg's own code took {own:.2f} s of own time "
          "(inflated by the profiler); its costliest functions:\n")
    print("| function | own s | cumulative s | calls |")
    print("|---|--:|--:|--:|")
    for tottime, cumtime, ncalls, name in rows[:args.top]:
        print(f"| `{name}` | {tottime:.2f} | {cumtime:.2f} | {ncalls} |")
    if args.json:
        args.json.write_text(json.dumps({"articles": len(articles), "words": words, "quads": quads,
                                         "store_cpu_seconds": store_cpu,
                                         "seconds": t, "top": [
                                             {"function": n, "own_s": a, "cumulative_s": b, "calls": c}
                                             for a, b, c, n in rows[:args.top]]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
