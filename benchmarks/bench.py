"""kg's speed, memory and scale benchmarks, against bare spaCy in the same run.

    python benchmarks/bench.py                      # everything, on ../shared/corpora/bbc (~25 min)
    python benchmarks/bench.py --limit 200 --copies 2 --sections ingest,cli   # a quick look
    make bench                                      # the full run, results in benchmarks/results.json
    python benchmarks/bench.py --sections store,cli --store STORE   # queries and exports of a store

Sections (``--sections``, comma-separated; default all):

- ``ingest``: ``kg ingest`` of the corpus into a fresh on-disk store against the baseline, bare
  ``nlp.pipe`` of the same spaCy model (its full default pipeline) over the same texts. Both run
  as fresh processes and are timed from start to exit (interpreter, model load and all), so the
  ratio is what a user sees. The two alternate, ``--repeat`` times each; medians are reported.
- ``workers``: ``kg ingest --workers N`` for N = 1 .. the number of cores.
- ``memory``: peak resident memory of ``kg ingest`` (one worker) for the corpus and for
  ``--copies`` times the corpus (copies under other ids): ingest streams, so it should not grow.
- ``store``: the smallest store of at least a million distinct triples (the corpus once when it
  is that big, else the ``--copies`` store): every canned query, run
  ``--query-runs`` times in one process, median and p95, both as ``kg query`` answers it (from
  the answer computed ahead for the store's state, when the query takes no parameters) and as
  the database computes it (``--fresh``); the time to compute every answer ahead (what
  ``kg ingest`` adds at its end); ``kg query posts`` as a whole command, both ways;
  ``kg export`` throughput.
- ``cli``: wall time of ``kg --help`` and ``kg query --list`` against ``python -c pass``.

The machine is shared and noisy: compare ratios within one run, not seconds across runs.
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

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc"
SECTIONS = ("ingest", "workers", "memory", "store", "cli")

BASELINE = r"""
import sys, time
from pathlib import Path
import spacy
from kg.extract.nlp import model_package
from kg.sources import read_articles
t0 = time.perf_counter()
texts = [a.text for p in sys.argv[1:] for a in read_articles(p) if not isinstance(a, Exception)]
nlp = spacy.load(model_package())          # the model's full default pipeline
n = 0
for doc in nlp.pipe(texts, batch_size=32):
    n += 1
print(n, sum(len(t.split()) for t in texts))
"""

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
print(code, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command in a fresh process; (wall seconds, peak RSS in MB of its largest process)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, check=True).stdout.split()
    code, wall, rss_kb = int(out[0]), float(out[1]), int(out[2])
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
    return wall, rss_kb // 1024


def kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


def prepare(corpus: Path, work: Path, limit: int | None, copies: int) -> tuple[Path, Path, int, int]:
    """Copy the corpus's articles (category folders, not its README) into work/one and ``copies``
    times into work/many/copyK, so every article has its own id."""
    files = sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus)[:limit]
    if not files:
        raise SystemExit(f"{corpus}: no articles (pass --corpus with the BBC folder)")
    one, many = work / "one", work / "many"
    for k in range(copies):
        for f in files:
            dest = many / f"copy{k}" / f.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
    shutil.copytree(many / "copy0", one)
    words = sum(len(f.read_bytes().decode("latin-1").split()) for f in files)
    return one, many, len(files), words


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))] if xs else float("nan")


def machine() -> dict[str, object]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import spacy

    from kg.extract.nlp import model_package

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "spacy": spacy.__version__, "model": model_package(), "os": platform.platform(),
            "load_average_at_start": os.getloadavg()[0]}


# --- sections ----------------------------------------------------------------------------------------


def bench_ingest(one: Path, work: Path, n: int, words: int, repeat: int, env: dict[str, str]) -> dict:
    base, ours, rss = [], [], []
    for r in range(repeat):
        t, _ = run([sys.executable, "-c", BASELINE, str(one)], env)
        base.append(t)
        store = work / f"ingest-{r}"
        t, m = run(kg("ingest", str(one), "--store", str(store), "-q"), env)
        ours.append(t)
        rss.append(m)
        if r:
            shutil.rmtree(store)
    b, o = median(base), median(ours)
    return {"articles": n, "words": words, "baseline_s": base, "kg_s": ours,
            "baseline_words_per_s": words / b, "kg_words_per_s": words / o,
            "baseline_articles_per_s": n / b, "kg_articles_per_s": n / o, "ratio": b / o,
            "kg_peak_rss_mb": max(rss), "store": str(work / "ingest-0")}


def bench_workers(one: Path, work: Path, n: int, env: dict[str, str], first: float | None) -> dict:
    out = {}
    for w in range(1, (os.cpu_count() or 1) + 1):
        if w == 1 and first is not None:
            out[w] = first
            continue
        store = work / f"workers-{w}"
        t, _ = run(kg("ingest", str(one), "--store", str(store), "-q", "--workers", str(w)), env)
        shutil.rmtree(store)
        out[w] = t
    return {"seconds": out, "articles_per_s": {w: n / t for w, t in out.items()},
            "speedup": {w: out[1] / t for w, t in out.items()}}


def bench_memory(many: Path, work: Path, copies: int, n: int, env: dict[str, str], one_rss: int | None,
                 one: Path) -> dict:
    if one_rss is None:
        store = work / "memory-1"
        _, one_rss = run(kg("ingest", str(one), "--store", str(store), "-q"), env)
        shutil.rmtree(store)
    store = work / "many-store"
    t, many_rss = run(kg("ingest", str(many), "--store", str(store), "-q"), env)
    return {"articles_1x": n, "articles_nx": n * copies, "copies": copies, "peak_rss_mb_1x": one_rss,
            "peak_rss_mb_nx": many_rss, "growth": many_rss / one_rss - 1, "nx_ingest_s": t,
            "store": str(store)}


def distinct_triples(store_path: Path) -> int:
    import kg as kgapi

    with kgapi.open_store(store_path, read_only=True) as store:
        return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)


def bench_store(store_path: Path, work: Path, runs: int) -> dict:
    import kg as kgapi

    params = {"mentions": {"name": "BBC"}}
    with kgapi.open_store(store_path, read_only=True) as store:
        distinct = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
        quads = len(store)
        queries = {}
        state = store.state
        for name, _ in kgapi.list_queries():
            queries[name] = {}
            # "computed": the database evaluates the query (a handle without a state reads and
            # keeps no answer, as a writer's; --fresh would also write the answer it computes).
            # "answered": what kg query does by default, which reads the answer computed ahead for
            # the store's state when the query takes no parameters (kg.answers).
            for how in ("computed", "answered"):
                store.state = None if how == "computed" else state
                times, rows = [], 0
                kgapi.query(store, name, params=params.get(name, {}))  # warm the caches once
                for _ in range(runs):
                    t = time.perf_counter()
                    res = kgapi.query(store, name, params=params.get(name, {}))
                    times.append(time.perf_counter() - t)
                    rows = len(res.rows) if res.rows is not None else 0
                queries[name][how] = {"median_ms": median(times) * 1000, "p95_ms": p95(times) * 1000, "rows": rows}
    # what a writing command adds: computing every answer ahead, in a fresh process, as kg ingest does
    ahead, _ = run([sys.executable, "-m", "kg.answers", str(store_path)])
    cli_query = {f"kg query posts{' --fresh' if fresh else ''}": median(
        [run(kg("query", "posts", "--store", str(store_path), "--format", "csv", *(["--fresh"] if fresh else [])))[0]
         for _ in range(3)]) for fresh in (False, True)}
    exports = {}
    for fmt in ("nquads", "turtle"):
        out = work / f"export.{fmt}"
        t, _ = run(kg("export", "--store", str(store_path), "--format", fmt, "-o", str(out)))
        exports[fmt] = {"seconds": t, "mb": out.stat().st_size / 1e6}
        out.unlink()
    return {"store": str(store_path), "distinct_triples": int(distinct), "quads": quads, "queries": queries,
            "median_of_medians_ms": {how: median([q[how]["median_ms"] for q in queries.values()])
                                     for how in ("computed", "answered")},
            "precompute_s": ahead, "cli_query_s": cli_query, "exports": exports,
            "export_quads_per_s": quads / exports["nquads"]["seconds"]}


def bench_one_more(store_path: Path, work: Path, corpus: Path, runs: int = 3) -> dict:
    """`kg ingest` of one new article into a copy of the store, as a whole command: what adding
    today's article to a big archive costs (model load, the resolver's index of the stored
    entities, the write, and the answers computed ahead; then the same without that last step).
    Alternating, ``runs`` of each, each with another article of the corpus under a new id."""
    copy = work / "store-one-more"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store_path, copy, ignore=shutil.ignore_patterns("kg-writer.lock", "LOCK"))
    files = sorted(p for p in corpus.rglob("*.txt") if p.parent != corpus)[:2 * runs]
    times: dict[str, list[float]] = {"--precompute": [], "--no-precompute": []}
    try:
        for i, f in enumerate(files):
            flag = "--precompute" if i % 2 == 0 else "--no-precompute"
            new = work / f"one-more-{i}.txt"
            shutil.copyfile(f, new)
            times[flag].append(run(kg("ingest", str(new), "--store", str(copy), "--quiet", flag))[0])
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return {flag: {"runs_s": ts, "median_s": median(ts)} for flag, ts in times.items()}


def bench_cli(runs: int) -> dict:
    def timed(cmd: list[str]) -> float:
        xs = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            xs.append(time.perf_counter() - t)
        return median(xs)

    return {"python_pass_s": timed([sys.executable, "-c", "pass"]),
            "kg_help_s": timed(kg("--help")), "kg_query_list_s": timed(kg("query", "--list"))}


# --- report ----------------------------------------------------------------------------------------------


def report(res: dict) -> str:
    lines = []
    m = res["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}, spaCy "
                 f"{m['spacy']} ({m['model']}); load average at start {m['load_average_at_start']:.2f}")
    if "ingest" in res:
        r = res["ingest"]
        lines += ["", f"Ingest, {r['articles']} articles, {r['words']:,} words (median of {len(r['kg_s'])}):", "",
                  "| | seconds | words/s | articles/s |", "|---|--:|--:|--:|",
                  f"| bare `nlp.pipe` (baseline) | {median(r['baseline_s']):.1f} | {r['baseline_words_per_s']:,.0f} "
                  f"| {r['baseline_articles_per_s']:.1f} |",
                  f"| `kg ingest` | {median(r['kg_s']):.1f} | {r['kg_words_per_s']:,.0f} | {r['kg_articles_per_s']:.1f} |",
                  "", f"kg / baseline speed: **{r['ratio']:.2f}x**"]
    if "workers" in res:
        r = res["workers"]
        lines += ["", "| workers | seconds | articles/s | speed-up |", "|--:|--:|--:|--:|"]
        for w, t in r["seconds"].items():
            lines.append(f"| {w} | {t:.1f} | {r['articles_per_s'][w]:.1f} | {r['speedup'][w]:.2f}x |")
    if "memory" in res:
        r = res["memory"]
        lines += ["", f"Peak RSS: {r['peak_rss_mb_1x']} MB for {r['articles_1x']} articles, {r['peak_rss_mb_nx']} MB "
                  f"for {r['articles_nx']} ({r['copies']}x): {r['growth'] * 100:+.0f}%"]
    if "store" in res:
        r = res["store"]
        lines += ["", f"Store: {r['distinct_triples']:,} distinct triples ({r['quads']:,} quads with the union "
                  f"default graph)", "",
                  "| canned query | answered: median ms | p95 ms | computed by the database: median ms | p95 ms | rows |",
                  "|---|--:|--:|--:|--:|--:|"]
        for name, q in r["queries"].items():
            a, c = q["answered"], q["computed"]
            lines.append(f"| {name} | {a['median_ms']:.1f} | {a['p95_ms']:.1f} | {c['median_ms']:.1f} "
                         f"| {c['p95_ms']:.1f} | {c['rows']} |")
        mm = r["median_of_medians_ms"]
        lines.append(f"| **median of medians** | {mm['answered']:.1f} | | {mm['computed']:.1f} | | |")
        lines.append(f"\nComputing every answer ahead (`python -m kg.answers STORE`, as `kg ingest` does "
                     f"at its end): {r['precompute_s']:.1f} s")
        for cmd, t in r["cli_query_s"].items():
            lines.append(f"\n`{cmd} --format csv` (whole command, median of 3): {t:.2f} s")
        for fmt, e in r["exports"].items():
            lines.append(f"\n`kg export --format {fmt}`: {e['seconds']:.1f} s, {e['mb']:.0f} MB")
        lines.append(f"\nExport throughput (N-Quads): {r['export_quads_per_s']:,.0f} quads/s")
        for flag, o in r.get("one_more_article", {}).items():
            lines.append(f"\n`kg ingest ONE_ARTICLE --store STORE {flag}` (whole command, median of "
                         f"{len(o['runs_s'])}): {o['median_s']:.1f} s")
    if "cli" in res:
        r = res["cli"]
        lines += ["", "| command | median wall s |", "|---|--:|",
                  f"| `python -c pass` | {r['python_pass_s']:.3f} |",
                  f"| `kg --help` | {r['kg_help_s']:.3f} |", f"| `kg query --list` | {r['kg_query_list_s']:.3f} |"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--copies", type=int, default=4, help="corpus copies for the memory and store sections")
    ap.add_argument("--repeat", type=int, default=2, help="runs of kg and of the baseline (alternating)")
    ap.add_argument("--query-runs", type=int, default=10)
    ap.add_argument("--sections", default=",".join(SECTIONS))
    ap.add_argument("--json", type=Path, help="write all figures here")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one, removed)")
    ap.add_argument("--store", type=Path, help="time the store section's queries and exports on this "
                                               "existing store instead of ingesting one (with --sections store,cli)")
    args = ap.parse_args(argv)
    sections = [s for s in args.sections.split(",") if s]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    if not args.corpus.is_dir() and set(sections) - {"cli"}:
        print(f"{args.corpus}: corpus not found (pass --corpus)", file=sys.stderr)
        return 1
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    work = args.keep or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"machine": machine(), "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
                 "date": time.strftime("%Y-%m-%d")}
    try:
        if args.store is not None and set(sections) - {"store", "cli"}:
            ap.error("--store goes with --sections store,cli (the other sections ingest)")
        if args.store is not None and "store" in sections:
            if not (args.store / "CURRENT").exists():
                ap.error(f"{args.store}: no kg store here")
            res["store"] = bench_store(args.store, work, args.query_runs)
            if args.corpus.is_dir():
                res["store"]["one_more_article"] = bench_one_more(args.store, work, args.corpus)
            sections = [s for s in sections if s != "store"]
        if set(sections) - {"cli"}:
            one, many, n, words = prepare(args.corpus, work, args.limit, max(args.copies, 1))
        if "ingest" in sections:
            res["ingest"] = bench_ingest(one, work, n, words, args.repeat, env)
            print(report({"machine": res["machine"], "ingest": res["ingest"]}), flush=True)
        if "workers" in sections:
            first = median(res["ingest"]["kg_s"]) if "ingest" in res else None
            res["workers"] = bench_workers(one, work, n, env, first)
        if "memory" in sections or "store" in sections:
            one_rss = res["ingest"]["kg_peak_rss_mb"] if "ingest" in res else None
            res["memory"] = bench_memory(many, work, args.copies, n, env, one_rss, one)
        if "store" in sections:
            # the smallest store of at least a million distinct triples: the corpus once if it
            # is that big, else the --copies store
            target = Path(res["memory"]["store"])
            if "ingest" in res and distinct_triples(Path(res["ingest"]["store"])) >= 1_000_000:
                target = Path(res["ingest"]["store"])
            res["store"] = bench_store(target, work, args.query_runs)
            res["store"]["one_more_article"] = bench_one_more(target, work, args.corpus)
        if "cli" in sections:
            res["cli"] = bench_cli(10)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
