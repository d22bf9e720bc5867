"""Speed-up of ``kg ingest --executor dask-local --workers 2`` over one process.

Ingests the same N articles of the BBC corpus (``../shared/corpora/bbc`` beside the checkout)
into fresh on-disk stores with ``kg ingest`` (one process, the default) and with
``kg ingest --executor dask-local --workers 2``, timing the whole command (interpreter start,
model loading, cluster start and stop included: what a user waits for). The machine this runs on
may be shared and noisy, so each configuration runs ``--repeat`` times (default 2), alternating,
and the ratio is of the medians.

    .venv/bin/python benchmarks/dask_local.py --n 400 --json dask_local.json

Prints a markdown table; ``--json`` also writes every run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
CONFIGS = {
    "one process": [],
    "dask-local, 2 workers": ["--executor", "dask-local", "--workers", "2"],
}
POOL = {"local pool, 2 workers": ["--workers", "2"]}


def pick(corpus: Path, n: int) -> list[Path]:
    """N articles spread evenly over the whole (sorted) corpus, so every section is in."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.name.upper() != "README.TXT")
    if n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def stage(files: list[Path], corpus: Path, target: Path) -> None:
    for f in files:
        dest = target / f.relative_to(corpus)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)


def run(folder: Path, store: Path, extra: list[str]) -> tuple[float, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    cmd = [sys.executable, "-m", "kg", "ingest", str(folder), "--store", str(store), "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stderr.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=400, help="articles (default 400)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of .txt articles")
    ap.add_argument("--repeat", type=int, default=2, help="runs per configuration, alternating (default 2)")
    ap.add_argument("--with-pool", action="store_true", help="also time the built-in pool: --workers 2")
    ap.add_argument("--json", type=Path, help="write every run here")
    args = ap.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} not found (give one with --corpus)", file=sys.stderr)
        return 0
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("skipped: needs the dask extra: pip install 'kg-news[dask]'", file=sys.stderr)
        return 0
    files = pick(args.corpus, args.n)
    configs = {**CONFIGS, **(POOL if args.with_pool else {})}
    runs: dict[str, list[float]] = {name: [] for name in configs}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = Path(tmp) / "articles"
        stage(files, args.corpus, folder)
        words = sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)
        for r in range(args.repeat):
            for name, extra in configs.items():
                store = Path(tmp) / f"store-{r}-{len(runs[name])}-{extra[-1] if extra else 'one'}"
                seconds, _ = run(folder, store, extra)
                shutil.rmtree(store, ignore_errors=True)
                runs[name].append(seconds)
                print(f"  run {r + 1}: {name}: {seconds:.1f} s", file=sys.stderr)

    base = statistics.median(runs["one process"])
    print(f"{len(files)} BBC articles ({words:,} words), {os.cpu_count()} cores, "
          f"wall time of the whole `kg ingest` command, {args.repeat} runs each (alternating)\n")
    print("| configuration | runs (s) | median (s) | articles/s | speed-up vs one process |")
    print("|---|---|---|---|---|")
    table = []
    for name, times in runs.items():
        med = statistics.median(times)
        row = {"configuration": name, "args": configs[name], "seconds": times, "median": med,
               "articles_per_s": len(files) / med, "speedup": base / med}
        table.append(row)
        print(f"| {name} | {' / '.join(f'{t:.1f}' for t in times)} | {med:.1f} | "
              f"{row['articles_per_s']:.1f} | {row['speedup']:.2f}x |")
    if args.json:
        args.json.write_text(json.dumps({
            "articles": len(files), "words": words, "corpus": str(args.corpus), "cores": os.cpu_count(),
            "python": platform.python_version(), "repeat": args.repeat, "results": table,
        }, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
