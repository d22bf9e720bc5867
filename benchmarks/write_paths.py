"""Oxigraph's two ways to write kg's batches: the transactional ``load`` kg used before, and the
``bulk_load`` it uses now for new articles, on the same article graphs, in one run.

    kg ingest ../shared/corpora/bbc --store /tmp/bbc-store          # any kg store to copy from
    python benchmarks/write_paths.py --store /tmp/bbc-store --graphs 2225

The article graphs are read from ``--store`` and written, in batches as `kg ingest` writes them
(``kg.pipeline.BATCH_ARTICLES``; each quad in its graph and in the union default graph), to a
fresh store, each way twice, alternating; then the store is compacted, as `kg ingest` does after
a large ingest. Wall time and CPU time (all threads: the bulk loader's and RocksDB's background
merging of the files each batch adds) are reported for the writes and for the whole. Since
pyoxigraph 0.5 the bulk loader is atomic too: it adds all the files of one call in one RocksDB
ingestion. The machine is shared and noisy: read the ratio.
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a kg store to read article graphs from")
    ap.add_argument("--graphs", type=int, default=2225, help="article graphs to write (default 2225)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    import pyoxigraph as ox

    from kg.pipeline import BATCH_ARTICLES
    from kg.store.oxigraph import GRAPH_PREFIX

    if not (args.store / "CURRENT").exists():
        print(f"{args.store}: no kg store here (pass --store)", file=sys.stderr)
        return 1
    source = ox.Store.read_only(str(args.store))
    graphs = [g for g in source.named_graphs() if g.value.startswith(GRAPH_PREFIX)][: args.graphs]
    batches = []
    for i in range(0, len(graphs), BATCH_ARTICLES):
        parts = []
        for g in graphs[i:i + BATCH_ARTICLES]:
            quads = list(source.quads_for_pattern(None, None, None, g))
            parts.append("".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads))
            parts.append("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads))
        batches.append("".join(parts).encode("utf-8"))
    work = Path(tempfile.mkdtemp(prefix="kg-write-paths-"))
    runs: dict[str, list[dict[str, float]]] = {"load": [], "bulk_load": []}

    def cpu() -> float:
        t = os.times()
        return t.user + t.system

    try:
        for mode in ("load", "bulk_load", "load", "bulk_load"):
            target = work / mode
            shutil.rmtree(target, ignore_errors=True)
            store = ox.Store(str(target))
            t0, c0 = time.perf_counter(), cpu()
            for batch in batches:
                getattr(store, mode)(batch, format=ox.RdfFormat.N_QUADS)
            store.flush()
            t1, c1 = time.perf_counter(), cpu()
            store.optimize()
            t2, c2 = time.perf_counter(), cpu()
            runs[mode].append({"write_s": t1 - t0, "write_cpu_s": c1 - c0, "total_s": t2 - t0, "total_cpu_s": c2 - c0})
            del store
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {mode: min(rs, key=lambda r: r["total_s"]) for mode, rs in runs.items()}
    res = {"graphs": len(graphs), "batches": len(batches), "mb": sum(map(len, batches)) / 1e6, "runs": runs,
           "ratio_wall": best["load"]["total_s"] / best["bulk_load"]["total_s"],
           "ratio_cpu": best["load"]["total_cpu_s"] / best["bulk_load"]["total_cpu_s"]}
    n = len(graphs)
    print(f"{n} article graphs in {len(batches)} batches ({res['mb']:.0f} MB of N-Quads); best of 2, with the compaction")
    for mode, r in best.items():
        print(f"{mode:10s} writes {r['write_s']:.1f} s ({r['write_cpu_s']:.1f} s CPU), with the compaction "
              f"{r['total_s']:.1f} s ({r['total_cpu_s']:.1f} s CPU): {r['total_s'] / n * 1000:.1f} ms, "
              f"{r['total_cpu_s'] / n * 1000:.1f} ms CPU per article")
    print(f"bulk_load: {res['ratio_wall']:.1f}x less wall time, {res['ratio_cpu']:.1f}x less CPU")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
