"""What compacting the store after a large ingest buys: canned-query latency and store size
before and after, on the same store, in one run.

    python benchmarks/compaction.py                 # the whole BBC corpus (~5 min)
    python benchmarks/compaction.py --limit 500     # a quick look

The corpus is ingested once with compaction switched off (as `kg ingest` did before it
compacted), every canned query is timed, the store is compacted (``OxigraphStore.compact``, what
`kg ingest` now runs after writing at least ``COMPACT_TRIPLES`` triples), and every query is timed
again. The machine is shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import DEFAULT_CORPUS, machine, median, p95  # noqa: E402


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def time_queries(store_path: Path, runs: int) -> dict[str, dict[str, float]]:
    import kg

    params = {"mentions": {"name": "BBC"}}
    out = {}
    with kg.open_store(store_path, read_only=True) as store:
        for name, _ in kg.list_queries():
            kg.query(store, name, params=params.get(name, {}))  # warm the caches once
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                kg.query(store, name, params=params.get(name, {}))
                times.append(time.perf_counter() - t)
            out[name] = {"median_ms": median(times) * 1000, "p95_ms": p95(times) * 1000}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--runs", type=int, default=5, help="runs of each query (default 5)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: corpus not found (pass --corpus)", file=sys.stderr)
        return 1
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    import kg
    import kg.store.oxigraph as oxigraph
    from kg.sources import iter_files

    work = Path(tempfile.mkdtemp(prefix="kg-compaction-"))
    try:
        source = args.corpus
        if args.limit:  # the first N articles, under their ids in the corpus
            source = work / "corpus"
            for f in sorted(iter_files(args.corpus))[: args.limit]:
                target = source / f.relative_to(args.corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
        store_path = work / "store"
        oxigraph.COMPACT_TRIPLES = 10**12  # ingest as before compaction existed
        t = time.perf_counter()
        with kg.open_store(store_path) as store:
            report = kg.ingest([source], store)
        ingest_s = time.perf_counter() - t
        with kg.open_store(store_path, read_only=True) as store:
            triples = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
        before_mb = folder_mb(store_path)
        before = time_queries(store_path, args.runs)
        t = time.perf_counter()
        with kg.open_store(store_path) as store:
            store.compact(force=True)
        compact_s = time.perf_counter() - t
        after_mb = folder_mb(store_path)
        after = time_queries(store_path, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "articles": report.added,
           "distinct_triples": triples, "ingest_s": ingest_s, "compact_s": compact_s,
           "store_mb": {"before": before_mb, "after": after_mb},
           "queries": {name: {"before": before[name], "after": after[name],
                              "speedup": before[name]["median_ms"] / after[name]["median_ms"]}
                       for name in before}}
    print(f"{report.added} articles, {triples:,} distinct triples, ingested in {ingest_s:.1f} s; "
          f"compaction {compact_s:.1f} s; store {before_mb:,.0f} MB -> {after_mb:,.0f} MB\n")
    print("| canned query | before, median ms | after, median ms | speed-up |")
    print("|---|--:|--:|--:|")
    for name, q in res["queries"].items():
        print(f"| {name} | {q['before']['median_ms']:,.1f} | {q['after']['median_ms']:,.1f} | {q['speedup']:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
