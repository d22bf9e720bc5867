"""Oxigraph's two ways to write kg's batches: the transactional ``load`` kg uses, and the
non-atomic ``bulk_load``, on the same article graphs, in one run.

    kg ingest ../shared/corpora/bbc --store /tmp/bbc-store          # any kg store to copy from
    python benchmarks/write_paths.py --store /tmp/bbc-store --graphs 640

The article graphs are read from ``--store`` and written, in batches of 32 articles as `kg ingest`
writes them (each quad in its graph and in the union default graph), to a fresh store, each way
twice, alternating. The machine is shared and noisy: read the ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a kg store to read article graphs from")
    ap.add_argument("--graphs", type=int, default=640, help="article graphs to write (default 640)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    import pyoxigraph as ox

    from kg.store.oxigraph import GRAPH_PREFIX

    if not (args.store / "CURRENT").exists():
        print(f"{args.store}: no kg store here (pass --store)", file=sys.stderr)
        return 1
    source = ox.Store.read_only(str(args.store))
    graphs = [g for g in source.named_graphs() if g.value.startswith(GRAPH_PREFIX)][: args.graphs]
    batches = []
    for i in range(0, len(graphs), 32):
        parts = []
        for g in graphs[i:i + 32]:
            quads = list(source.quads_for_pattern(None, None, None, g))
            parts.append("".join(f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n" for q in quads))
            parts.append("".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads))
        batches.append("".join(parts).encode("utf-8"))
    work = Path(tempfile.mkdtemp(prefix="kg-write-paths-"))
    seconds: dict[str, list[float]] = {"load": [], "bulk_load": []}
    try:
        for mode in ("load", "bulk_load", "load", "bulk_load"):
            target = work / mode
            shutil.rmtree(target, ignore_errors=True)
            store = ox.Store(str(target))
            t = time.perf_counter()
            for batch in batches:
                getattr(store, mode)(batch, format=ox.RdfFormat.N_QUADS)
            store.flush()
            seconds[mode].append(time.perf_counter() - t)
            del store
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {mode: min(ts) for mode, ts in seconds.items()}
    res = {"graphs": len(graphs), "batches": len(batches), "mb": sum(map(len, batches)) / 1e6,
           "seconds": seconds, "ratio": best["load"] / best["bulk_load"]}
    print(f"{len(graphs)} article graphs in {len(batches)} batches ({res['mb']:.0f} MB of N-Quads)")
    for mode, ts in seconds.items():
        print(f"{mode:10s} {' / '.join(f'{t:.2f}' for t in ts)} s  ({best[mode] / len(graphs) * 1000:.1f} ms per article)")
    print(f"bulk_load is {res['ratio']:.1f}x faster (and not atomic)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
