"""Where `kg ingest`'s CPU goes, thread by thread: the main thread (parse, rules, resolution,
graph building), kg's writer thread (SHACL, store writes) and RocksDB's background threads
(flushes and the merging of the files each batch adds), read from /proc while it runs (Linux).

    python benchmarks/threads.py                              # ../shared/corpora/bbc, one process
    python benchmarks/threads.py --batch 32 --json out.json   # with 32-article batches instead

``--batch N`` sets ``kg.pipeline.BATCH_ARTICLES`` for the run (in this script's own launcher of
the CLI; kg has no such option). CPU seconds are what each thread had used when last
sampled (every 0.2 s), so a thread that ends between samples loses at most 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc"
LAUNCH = """
import sys
import kg.pipeline
kg.pipeline.BATCH_ARTICLES = int(sys.argv.pop(1))
from kg.cli import main
sys.argv[0] = "kg"
main()
"""


def sample(pid: int, seen: dict[int, tuple[str, float]]) -> None:
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
            name = (task / "comm").read_text().strip()
        except OSError:
            continue  # the thread ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        seen[int(task.name)] = (name, (int(fields[11]) + int(fields[12])) / tick)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--batch", type=int, default=None, help="articles per write batch (default: kg's)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no corpus here (pass --corpus)", file=sys.stderr)
        return 1
    from kg.pipeline import BATCH_ARTICLES

    batch = args.batch or BATCH_ARTICLES
    with tempfile.TemporaryDirectory(prefix="kg-threads-") as tmp:
        cmd = [sys.executable, "-c", LAUNCH, str(batch), "ingest", str(args.corpus), "--store", f"{tmp}/s", "-q"]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=REPO)
        seen: dict[int, tuple[str, float]] = {}
        while proc.poll() is None:
            try:
                sample(proc.pid, seen)
            except OSError:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - began
    if proc.returncode != 0:
        print(f"kg ingest failed (exit {proc.returncode})", file=sys.stderr)
        return 1
    groups = {"main thread": 0.0, "other kg threads (writer)": 0.0, "RocksDB threads": 0.0}
    for tid, (name, cpu) in seen.items():
        if tid == proc.pid:
            groups["main thread"] += cpu
        elif name.startswith("rocksdb"):
            groups["RocksDB threads"] += cpu
        else:
            groups["other kg threads (writer)"] += cpu
    total = sum(groups.values())
    print(f"kg ingest {args.corpus.name}, {batch}-article batches: {wall:.1f} s wall, {total:.1f} s CPU")
    for name, cpu in groups.items():
        print(f"  {name:28s} {cpu:6.1f} s")
    if args.json:
        args.json.write_text(json.dumps({"batch": batch, "wall_s": wall, "cpu_s": groups}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
