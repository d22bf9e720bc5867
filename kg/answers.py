"""Answers of the canned queries, computed ahead and kept beside the store.

A canned query that takes no parameters (``people``, ``posts``, ``comentions``...) reads the
whole store, which costs 0.1 to 3 s on a million triples however the query is written (Oxigraph
looks up a few µs per pattern per row: docs/performance.md). Its answer only changes when the
store does, so kg computes it once per state of the store and keeps it in ``kg-answers/`` in the
store's folder; later runs read it back.

An answer is only used for the exact state it was computed from. That state is a fingerprint of
the database's files (name, size, modification time of each): every committed write changes them
(a write-ahead-log append, a new table file, a new manifest record), whoever makes it, while
readers change nothing. The fingerprint is taken *before* a read-only handle opens the database,
so an answer computed through that handle describes at least that state, and any write after it
gives the folder a fingerprint no answer is kept under. Writers compute no answers (their view
moves as they write), nor do stores on a SPARQL server.

``kg ingest``, ``kg remove``, ``kg merge``, ``kg split`` and ``kg query --update`` compute the
answers again when they have written (:func:`precompute`, run as ``python -m kg.answers STORE``
with one process per core); a store written some other way gets them at its first query.
``kg query NAME --fresh`` always asks the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

ANSWERS_DIR = "kg-answers"
# the files in the store's folder that are not the database's: kg's own
_NOT_DATA = {"kg-writer.lock", "kg-sources.json", "kg-sources.json.tmp"}
FORMAT = 1  # of the answer files; a change here makes older files unusable (they are recomputed)


def store_state(path: str | os.PathLike[str]) -> str:
    """A fingerprint of the database in ``path``: its files' names, sizes and modification times."""
    h = hashlib.sha256()
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return ""
    for e in entries:
        if e.name in _NOT_DATA or e.name == ANSWERS_DIR:
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:  # gone while we listed (a writer deleting an obsolete file)
            h.update(f"{e.name}\0gone\n".encode())
            continue
        h.update(f"{e.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def cacheable(query: Any, params: dict[str, str] | None) -> bool:
    """A canned query of kg's own (not a file or text of the user's) that takes no parameters."""
    from kg.resources import data_dir

    if query.params or params or query.path is None:
        return False
    try:
        return query.path.resolve().parent == data_dir("queries").resolve()
    except OSError:
        return False


def _file(store_path: Path, name: str) -> Path:
    return store_path / ANSWERS_DIR / f"{name}.json"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(store_path: Path, state: str, query: Any) -> Any | None:
    """The kept answer of ``query`` for this state of the store, or None."""
    import gc

    from kg.queries import Cell, QueryResult

    # tens of thousands of small objects, none in a cycle: the cyclic collector would only pause
    # on them (20 -> 16 ms median, 58 -> 16 ms worst of 30 for `people` at a million triples)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = json.loads(_file(store_path, query.name).read_text(encoding="utf-8"))
        if (data.get("format") != FORMAT or data.get("state") != state or not state
                or data.get("query") != _digest(query.text)):
            return None
        terms = [Cell(v, k, d, lang) for v, k, d, lang in data["terms"]]
        rows = [[terms[i] if i >= 0 else None for i in row] for row in data["rows"]]
        return QueryResult("select", list(data["variables"]), rows)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # none kept, or unreadable: ask the database
    finally:
        if was_enabled:
            gc.enable()


def save(store_path: Path, state: str, query: Any, result: Any) -> bool:
    """Keep ``result`` as the answer of ``query`` for this state. Written to a temporary file and
    renamed, so a reader sees a whole answer or none. A folder kg cannot write to keeps none."""
    if not state or result.kind != "select" or result.truncated:
        return False
    index: dict[Any, int] = {}
    terms: list[list[Any]] = []
    rows = []
    for row in result.rows:
        out = []
        for c in row:
            if c is None:
                out.append(-1)
                continue
            i = index.get(c)
            if i is None:
                i = index[c] = len(terms)
                terms.append([c.value, c.kind, c.datatype, c.lang])
            out.append(i)
        rows.append(out)
    data = {"format": FORMAT, "state": state, "query": _digest(query.text), "name": query.name,
            "computed": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "variables": result.variables,
            "terms": terms, "rows": rows}
    folder = store_path / ANSWERS_DIR
    try:
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{query.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            os.chmod(tmp, 0o644)  # readable like the database's own files (mkstemp makes 0600)
            os.replace(tmp, _file(store_path, query.name))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def precompute(store: str | os.PathLike[str], *, workers: int = 1) -> list[tuple[str, float]]:
    """Compute and keep the answer of every canned query without parameters for the store's
    current state; ``(query name, seconds)`` for each, in the canned queries' order. With
    ``workers`` > 1 the queries are shared out among that many processes, each with its own
    read-only handle (and so its own fingerprint, taken before it opens), a query at a time as
    each process comes free. Nothing for a store on a SPARQL server."""
    from kg.queries import canned_queries
    from kg.store.remote import remote_url

    if remote_url(str(store)):
        return []
    _remove_leftovers(Path(store) / ANSWERS_DIR)
    names = [q.name for q in canned_queries().values() if cacheable(q, None)]
    workers = max(1, min(workers, len(names)))
    if workers == 1:
        _open(store)
        try:
            done = [_answer(name) for name in names]
        finally:
            _close()
    else:
        import multiprocessing as mp

        # fork is cheap, and safe while this process runs one thread (kg.answers' own main);
        # a process with other threads (an application using the API) starts fresh ones
        ctx = mp.get_context("fork" if _one_thread() else "spawn")
        with ctx.Pool(workers, initializer=_open, initargs=(store,)) as pool:
            done = list(pool.imap_unordered(_answer, names))
    order = {name: i for i, name in enumerate(names)}
    return sorted(done, key=lambda d: order[d[0]])


_STORE: Any = None  # the read-only handle of this process (precompute, or one of its workers)


def _open(store: str | os.PathLike[str]) -> None:
    global _STORE
    from kg.store.oxigraph import OxigraphStore

    _STORE = OxigraphStore(store, read_only=True)


def _close() -> None:
    global _STORE
    if _STORE is not None:
        _STORE.close()
        _STORE = None


def _answer(name: str) -> tuple[str, float]:
    from kg.queries import canned_queries, run

    t = time.perf_counter()
    run(_STORE, canned_queries()[name], fresh=True)
    return name, time.perf_counter() - t


def _one_thread() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1  # native threads too, not only Python's
    except OSError:
        return False


def _remove_leftovers(folder: Path, age: float = 3600.0) -> None:
    """Temporary files of saves that never finished (a query stopped by --timeout, a crash)."""
    now = time.time()
    for tmp in folder.glob(".*.tmp"):
        try:
            if now - tmp.stat().st_mtime > age:
                tmp.unlink()
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    """``python -m kg.answers STORE``: what ``kg ingest`` and the other writing commands run after
    they write, in a fresh process, so that the memory the queries take is given back at once and
    does not add to the ingest's (whose parser and model stay resident)."""
    import sys

    from kg.errors import KgError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m kg.answers STORE", file=sys.stderr)
        return 2
    try:
        for name, seconds in precompute(args[0], workers=os.cpu_count() or 1):
            print(f"{name}\t{seconds:.3f}")
    except KgError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
