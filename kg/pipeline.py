"""Ingest: files -> articles -> extraction -> resolution -> RDF -> SHACL -> store.

Extraction is a pure function of an article and can run in worker processes; resolution, graph
building, validation and writing run in this process, in input order, so the result does not
depend on the number of workers.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.model import Article, Extraction
from kg.rdf.namespaces import KG_NS
from kg.sources import DEFAULT_MAX_BYTES, iter_files, read_articles

# Articles are written in batches of this many, or of what is ready after this many seconds.
# Each batch of new articles becomes one set of files in the store, which RocksDB then merges in
# the background: 32-article batches cost 45 s of merging on the BBC corpus, 128-article ones 24 s
# (benchmarks/threads.py).
BATCH_ARTICLES = 128
BATCH_SECONDS = 8.0
# Articles go through the model this many at a time (spaCy's nlp.pipe): extractions arrive in
# chunks, so a write waits for at most BATCH_SECONDS plus one chunk's extraction.
EXTRACT_CHUNK = 16


@dataclass
class Failure:
    source: str
    message: str


@dataclass
class IngestReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # ids written
    words: int = 0
    seconds: float = 0.0
    merges: int = 0
    compact_seconds: float | None = None  # set when the ingest compacted the store
    sources: dict[str, str] = field(default_factory=dict, repr=False)  # id -> file, of the articles written

    @property
    def written(self) -> int:
        return self.added + self.replaced

    def summary(self) -> str:
        rate = self.written / self.seconds if self.seconds else 0.0
        parts = [f"{self.added} added", f"{self.replaced} replaced", f"{self.unchanged} unchanged"]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        text = f"{', '.join(parts)} in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        if self.compact_seconds is not None:
            text += f"; store compacted in {self.compact_seconds:.1f} s"
        return text


class Interrupted(KeyboardInterrupt):
    """An ingest stopped by Ctrl-C (or SIGTERM under the CLI) after writing every article it had
    finished: ``report`` says how many; a rerun does the rest."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(f"interrupted after storing {report.written} article(s)")
        self.report = report


@dataclass
class Progress:
    done: int
    total: int | None
    article: str
    status: str  # added | replaced | unchanged | failed


def count_files(paths: Iterable[str | os.PathLike[str]]) -> int:
    n = 0
    for p in paths:
        path = Path(p)
        if path.exists():
            n += sum(1 for _ in iter_files(path))
    return n


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Any,
    *,
    articles: Iterable[Article] | None = None,
    force: bool = False,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    id_prefix: str = "",
    id_from: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
    model: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    replace: bool = False,
) -> IngestReport:
    """Ingest every article under ``paths`` (or the given ``articles``) into ``store`` (an
    open, writable store). ``force`` re-extracts articles whose content has not changed.

    Identity: an article whose id is stored with other text replaces it only when it comes from
    the same source (the same file, edited) or when ``replace`` says so; an article from another
    source that takes a stored id is refused, naming both sources. Two articles with one id in
    the same run: the first is stored and the second reported as a duplicate."""
    from kg.rdf.iris import graph_iri
    from kg.rdf.mapping import build_graph
    from kg.resolve.curation import load_curation
    from kg.resolve.resolver import Resolver
    from kg.store.index import entity_index, forget_graph

    started = time.perf_counter()
    report = IngestReport()
    paths = list(paths)
    total = count_files(paths) if progress else None
    stored_articles = store.articles()
    stored = {aid: h for aid, (_, h, _) in stored_articles.items()}
    graphs = {g: aid for aid, (g, _, _) in stored_articles.items()}
    resolver = Resolver(entity_index(store), load_curation(store))
    sources: dict[str, str] | None = None  # the stored articles' sources, read on the first conflict
    seen: dict[str, str] = {}  # id -> source, in this run

    done = 0

    def tick(article: str, status: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(Progress(done, total, article, status))

    def refusal(item: Article) -> str | None:
        """Why this article may not be written under its id (None: it may)."""
        nonlocal sources
        where = item.source or item.id
        if item.id in seen:
            return (f"duplicate id {item.id!r}: {seen[item.id]} has the same id in this run and was taken; "
                    "give one of them another id (--id-from ROOT, --id-prefix, or an id field in the record)")
        owner = graphs.get(graph_iri(item.id))
        if owner is not None and owner != item.id:
            return (f"id {item.id!r} names the same graph as the stored article {owner!r}; "
                    "give this one another id (--id-prefix)")
        if item.id not in stored or stored[item.id] == item.content_hash or replace:
            return None
        if sources is None:
            sources = _stored_sources(store)
        before = sources.get(item.id)
        if before is None or before == _where(item.source):
            return None  # the same file, edited (or a store that kept no sources): replace it
        return (f"id {item.id!r} is taken by a different article, stored from {before}; {where} was not "
                f"stored (ingest it with --replace to replace that article, or with --id-from ROOT or "
                "--id-prefix PREFIX to keep both)")

    def admitted(item: Article) -> bool:
        if not force and stored.get(item.id) == item.content_hash and item.id not in seen:
            report.unchanged += 1
            seen[item.id] = item.source or item.id
            tick(item.id, "unchanged")
            return False
        why = refusal(item)
        if why is not None:
            report.failed.append(Failure(item.source or item.id, why))
            tick(item.id, "failed")
            return False
        seen[item.id] = item.source or item.id
        graphs.setdefault(graph_iri(item.id), item.id)  # "a_b" and "a-b" would share one graph
        return True

    def to_extract() -> Iterator[Article]:
        if articles is not None:
            for item in articles:
                if admitted(item):
                    yield item
        for p in paths:
            for item in read_articles(p, id_prefix=id_prefix, id_from=id_from, max_bytes=max_bytes, encoding=encoding):
                if isinstance(item, InputError):
                    report.failed.append(Failure(item.path, item.problem + (f" ({item.fix})" if item.fix else "")))
                    tick(item.path, "failed")
                    continue
                if admitted(item):
                    yield item

    pending: list[tuple[Extraction, Any, list]] = []
    committed: set[str] = set()  # entity keys this run's articles use (some not written yet)
    last_flush = time.perf_counter()
    writer = _Writer(store)

    def flush() -> None:
        nonlocal last_flush
        if not pending:
            return
        finished = writer.submit(list(pending))
        if finished:
            _report_batch(*finished, stored, report, tick)
        pending.clear()
        last_flush = time.perf_counter()

    try:
        for result in extract_all(to_extract(), workers=workers, executor=executor, scheduler=scheduler,
                                  model=model):
            if isinstance(result, tuple):  # (article, error message)
                article, message = result
                report.failed.append(Failure(article.source or article.id, f"extraction failed: {message}"))
                tick(article.id, "failed")
                continue
            try:
                aid = result.article.id
                if aid in stored and stored[aid] != result.article.content_hash:
                    # an edited article is resolved against the store without its old version:
                    # a full name only the old text had must not explain the new text's surname
                    forget_graph(store, stored_articles[aid][0], resolver.index, keep=committed)
                resolution, absorbed = resolver.resolve(result)
                result, resolution = resolver.curate(result, resolution)
                graph = build_graph(result, resolution)
            except Exception as exc:  # a defect in kg: report it and carry on with the rest
                report.failed.append(Failure(result.article.source or result.article.id,
                                             f"graph building failed: {type(exc).__name__}: {exc}"))
                tick(result.article.id, "failed")
                continue
            resolver.commit(resolution, absorbed)
            committed.update(r.key for r in (*resolution.entities, *resolution.context))
            report.merges += sum(1 for a in absorbed if not hasattr(a, "surname"))
            pending.append((result, graph, absorbed))
            if len(pending) >= BATCH_ARTICLES or time.perf_counter() - last_flush > BATCH_SECONDS:
                flush()
        flush()
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM under the CLI: keep what is complete
        interrupted = True
        flush()
    else:
        interrupted = False
    finally:
        finished = writer.close()
        if finished:
            _report_batch(*finished, stored, report, tick)
        _keep_sources(store, report.sources)  # also when interrupted: what was written is recorded
    if interrupted:
        report.seconds = time.perf_counter() - started
        raise Interrupted(report)
    compacting = time.perf_counter()
    try:
        if store.compact():  # after a large ingest: fewer, larger files make every query faster
            report.compact_seconds = time.perf_counter() - compacting
    except KeyboardInterrupt:  # everything is written; only the compaction stopped
        report.seconds = time.perf_counter() - started
        raise Interrupted(report) from None
    report.seconds = time.perf_counter() - started
    return report


class _Writer:
    """Validates and writes one batch in a background thread while the next batch is parsed
    (Oxigraph releases the GIL while it loads and queries). At most one batch is in flight, and
    batches are written in order; :meth:`submit` returns the previous batch and its result."""

    def __init__(self, store: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
        self.inflight: tuple[list, Any] | None = None

    def submit(self, batch: list) -> tuple[list, dict[str, list[str]]] | None:
        finished = self._wait()
        self.inflight = (batch, self.pool.submit(_write_batch, self.store, batch))
        return finished

    def _wait(self) -> tuple[list, dict[str, list[str]]] | None:
        if self.inflight is None:
            return None
        batch, future = self.inflight
        result = future.result()  # a Ctrl-C here leaves the batch in flight, to be reported later
        self.inflight = None
        return batch, result

    def close(self) -> tuple[list, dict[str, list[str]]] | None:
        try:
            return self._wait()
        finally:
            self.pool.shutdown(wait=True)


def _write_batch(store: Any, pending: list) -> dict[str, list[str]]:
    """Validate a batch against the shapes and write the conforming graphs (one transaction
    each for rewrites, new and replaced articles). Returns the violations by graph."""
    from kg.rdf import shacl
    from kg.rdf.iris import entity_iri
    from kg.rdf.rewrites import Rewrite
    from kg.resolve.resolver import Absorption, Unlink

    bad: dict[str, list[str]] = {}
    for v in shacl.validate_graphs([graph for _, graph, _ in pending]):
        bad.setdefault(v.graph, []).append(str(v))
    good = [(ex, g, ab) for ex, g, ab in pending if g.graph not in bad]
    rewrites: list[Rewrite] = []
    unlinks: list[str] = []  # IRIs of entities whose lone-surname links are undone
    graphs = []
    for _, graph, changes in reversed(good):  # the latest first
        # an absorption rewrites what is stored (below) and the graphs of this batch that came
        # before it, which are not stored yet: the store must not depend on where batches end
        if unlinks:
            graph = unlink_graph(graph, unlinks)
        graphs.append(rewrite_graph(graph, rewrites) if rewrites else graph)
        mine = [Rewrite(entity_iri(a.old, graph.graph), entity_iri(a.new, graph.graph),
                        _label_of(graph, entity_iri(a.new, graph.graph)), a.rule, a.score)
                for a in changes if isinstance(a, Absorption)]
        rewrites[:0] = mine
        unlinks[:0] = [entity_iri(a.old, graph.graph) for a in changes if isinstance(a, Unlink)]
    graphs = graphs[::-1]
    if unlinks:  # the stored articles whose lone surnames joined those entities: rewritten whole
        mine = {g.graph for g in graphs}
        for name in _linked_graphs(store, unlinks):
            if name not in mine:
                graph = unlink_graph(_stored_graph(store, name), unlinks)
                graphs.append(rewrite_graph(graph, rewrites) if rewrites else graph)
    store.write_articles(graphs, rewrites)
    return bad


def _linked_graphs(store: Any, entities: list[str]) -> list[str]:
    """The stored graphs in which a lone surname joined one of ``entities`` by the surname rule."""
    listed = " ".join(f"<{e}>" for e in entities)
    q = (f"SELECT DISTINCT ?g WHERE {{ VALUES ?e {{ {listed} }} GRAPH ?g {{ ?e <{KG_NS}aliasMerge> ?m . "
         f'?m <{KG_NS}mergeRule> "surname" }} }}')
    return sorted(r["g"].value for r in store.query(q))


def _stored_graph(store: Any, name: str) -> Any:
    from kg.rdf.mapping import ArticleGraph

    triples = tuple((str(q.subject), str(q.predicate), str(q.object)) for q in store.quads_in(name))
    return ArticleGraph(name, "", "", "", triples)


def unlink_graph(graph: Any, entities: list[str]) -> Any:
    """``graph`` with each lone surname that joined one of ``entities`` by the surname rule
    standing alone again, as a fresh resolution with two carriers of the surname leaves it:
    its own key, label and posts, no surname merge record, no name key of the full name."""
    import dataclasses

    from kg.rdf.iris import entity_iri
    from kg.rdf.rewrites import moved_post
    from kg.rdf.rewrites import unquote as text
    from kg.rdf.terms import lit
    from kg.resolve.names import norm_key, slugify, spelling_key

    label_p = "<http://www.w3.org/2000/01/rdf-schema#label>"
    alt_p = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    key_p, merge_p = f"<{KG_NS}nameKey>", f"<{KG_NS}aliasMerge>"
    triples = list(graph.triples)
    for entity in entities:
        e = f"<{entity}>"
        records = {o for s, p, o in triples if s == e and p == merge_p}
        surname = [m for m in records if (m, f"<{KG_NS}mergeRule>", lit("surname")) in triples]
        if not surname:
            continue
        m = surname[0]
        alias = next(text(o) for s, p, o in triples if s == m and p == f"<{KG_NS}alias>")
        target = entity_iri(f"person/{slugify(spelling_key(alias))}", graph.graph)
        t_iri = f"<{target}>"
        names = {norm_key(text(o)) for s, p, o in triples if s == e and p == alt_p}
        posts = {o[1:-1]: moved_post(o[1:-1], entity, target) for s, p, o in triples
                 if s == e and p == "<http://www.w3.org/ns/org#holds>"}
        moves = {e: t_iri, **{f"<{a}>": f"<{b}>" for a, b in posts.items() if b}}
        out = []
        for s, p, o in triples:
            if s == m or (s == e and p == merge_p and o == m):
                continue  # the surname merge record
            if s == e and p == label_p:
                o = lit(alias)
            elif s == e and p == alt_p and text(o) == alias:
                continue
            elif s == e and p == key_p and text(o) not in names:
                continue  # the full name's key (the lone name and its aliases keep theirs)
            out.append((moves.get(s, s), p, moves.get(o, o)))
        triples = list(dict.fromkeys(out))
    return dataclasses.replace(graph, triples=tuple(triples))


def rewrite_graph(graph: Any, rewrites: list[Any]) -> Any:
    """``graph`` with each :class:`~kg.rdf.rewrites.Rewrite` applied, in order, as the stores
    apply them to stored graphs (:func:`kg.rdf.rewrites.plan`): every use of the old entity
    becomes the new one, whose other labels become alternative labels, and an absorbed name
    gets the merge record, name key and post IRIs a direct match would have given it."""
    import dataclasses

    from kg.rdf.rewrites import facts_in, plan
    from kg.rdf.terms import lit

    label_p = "<http://www.w3.org/2000/01/rdf-schema#label>"
    alt_p = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    close_p = "<http://www.w3.org/2004/02/skos/core#closeMatch>"
    moves, added = plan(rewrites, facts_in(graph.triples, graph.graph))
    triples = list(graph.triples) + [triple for g, triple in added if g == graph.graph]
    for rw in moves:
        o_iri, n_iri = f"<{rw.old}>", f"<{rw.new}>"
        lab = lit(rw.label) if rw.label is not None else None
        moved = [(n_iri if s == o_iri else s, p, n_iri if o == o_iri else o) for s, p, o in triples]
        out = []
        for s, p, o in moved:
            if lab is not None and s == n_iri and p == label_p and o != lab:
                out += [(s, alt_p, o), (s, label_p, lab)]
            elif not (s == n_iri and p == close_p and o == n_iri):
                out.append((s, p, o))
        triples = list(dict.fromkeys(out))
        for pred, value in rw.sole:
            triples = [(s, p, o) for s, p, o in triples if not (s == n_iri and p == pred and o != value)]
    return dataclasses.replace(graph, triples=tuple(triples))


SOURCES_FILE = "kg-sources.json"


def _sources_file(store: Any) -> Path | None:
    """Where a local store keeps which file each article was read from (None for a server)."""
    path = getattr(store, "path", None)
    return Path(path) / SOURCES_FILE if path is not None and Path(path).is_dir() else None


def _where(source: str | None) -> str:
    """A source as a full path, so that the same file given from another folder is the same."""
    if not source or "://" in source:
        return source or ""
    return os.path.abspath(source)


def _stored_sources(store: Any) -> dict[str, str]:
    """article id -> the source it was read from (as given), as far as the store has kept it.
    Kept beside the store, not in the graphs: an article's graph depends on its text only."""
    file = _sources_file(store)
    if file is None or not file.exists():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # unreadable: every edited article replaces its own graph, as before
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _keep_sources(store: Any, written: dict[str, str]) -> None:
    """Record the sources of the articles just written (atomically: a crash leaves the old file)."""
    file = _sources_file(store)
    if file is None or not written:
        return
    data = _stored_sources(store)
    data.update(written)
    tmp = file.with_suffix(".json.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, file)
    except OSError:
        pass  # the store itself is written; only the check of later ingests is less strict


def _report_batch(pending: list, bad: dict[str, list[str]], stored: dict[str, str], report: IngestReport,
                  tick: Callable[[str, str], None]) -> None:
    for ex, graph, _ in pending:
        aid = ex.article.id
        if graph.graph in bad:
            first = bad[graph.graph][0]
            report.failed.append(Failure(ex.article.source or aid,
                                         f"graph does not conform to the shapes ({len(bad[graph.graph])} "
                                         f"violations, first: {first}); not stored"))
            tick(aid, "failed")
            continue
        status = "replaced" if aid in stored else "added"
        if status == "replaced":
            report.replaced += 1
        else:
            report.added += 1
        stored[aid] = ex.article.content_hash
        if ex.article.source:
            report.sources[aid] = _where(ex.article.source)
        report.articles.append(aid)
        report.words += len(ex.article.text.split())
        tick(aid, status)


def _label_of(graph: Any, iri: str) -> str:
    from kg.rdf.rewrites import unquote

    target = f"<{iri}>"
    for s, p, o in graph.triples:
        if s == target and p == "<http://www.w3.org/2000/01/rdf-schema#label>":
            return unquote(o)
    return ""


# --- extraction executors -----------------------------------------------------------------------

_WORKER: Any = None


def _init_worker(model: str | None) -> None:
    global _WORKER
    if _WORKER is not None and _WORKER.requested == model:
        return  # loaded before the fork: the workers share the parent's pages
    from kg.extract import Extractor

    _WORKER = Extractor(model)


def _pool_worker(model: str | None) -> None:
    """A worker process: the parent decides what a Ctrl-C or SIGTERM means (it writes what is
    finished, then stops the pool), so a worker ignores Ctrl-C and dies on SIGTERM quietly."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler, inherited by the fork
    _init_worker(model)


def _extract_chunk(articles: list[Article]) -> list[Extraction | tuple[Article, str]]:
    return _safe_extract(_WORKER, articles)


def _safe_extract(extractor: Any, articles: list[Article]) -> list[Extraction | tuple[Article, str]]:
    try:
        return list(extractor.extract_many(articles))
    except Exception:
        out: list[Extraction | tuple[Article, str]] = []
        for a in articles:  # find the one that fails
            try:
                out.append(extractor.extract(a))
            except Exception as exc:  # noqa: BLE001 - reported per article
                out.append((a, f"{type(exc).__name__}: {exc}"))
        return out


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_all(articles: Iterable[Article], *, workers: int = 1, executor: str = "local",
                scheduler: str | None = None, model: str | None = None,
                chunk: int = EXTRACT_CHUNK) -> Iterator[Extraction | tuple[Article, str]]:
    """Extractions in input order, computed here, in ``workers`` processes, or on Dask."""
    if executor in ("dask", "dask-local"):
        from kg.distributed import dask_extract

        yield from dask_extract(articles, scheduler=scheduler, workers=workers, model=model, chunk=chunk,
                                executor=executor)
        return
    if executor != "local":
        raise UsageError(f"unknown executor {executor!r} (use local, dask or dask-local)")
    if workers <= 1:
        from kg.extract import Extractor

        extractor = Extractor(model)
        for part in _chunks(articles, chunk):
            yield from _safe_extract(extractor, part)
        return
    import multiprocessing as mp

    fork = hasattr(os, "fork")
    ctx = mp.get_context("fork" if fork else "spawn")
    if fork:  # load the model once, here, and let the forked workers share it
        _init_worker(model)
    with ctx.Pool(workers, initializer=_pool_worker, initargs=(model,)) as pool:
        for results in pool.imap(_extract_chunk, _chunks(articles, chunk)):
            yield from results
