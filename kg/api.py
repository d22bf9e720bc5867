"""kg's public API. The CLI calls only these functions; they are re-exported from ``kg``.

>>> import kg
>>> with kg.open_store("kg-store") as store:
...     report = kg.ingest(["seeds"], store)
...     result = kg.query(store, "people")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from kg.errors import ValidationFailed
from kg.store.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               create: bool = True) -> Any:
    """Open the on-disk store at ``path`` (default ``$KG_STORE`` or ``./kg-store``), or the store
    on a SPARQL 1.1 server when ``path`` is an ``http(s)://`` endpoint URL (see
    :mod:`kg.store.remote`).

    Writers take an exclusive lock; ``read_only=True`` opens beside a running writer."""
    from kg.store.oxigraph import open_store as _open

    return _open(path, read_only=read_only, create=create)


def ingest(paths: Iterable[str | os.PathLike[str]], store: Any, *, workers: int = 1,
           executor: str = "local", scheduler: str | None = None, id_prefix: str = "",
           id_from: str | os.PathLike[str] | None = None, max_bytes: int | None = None, encoding: str | None = None,
           progress: Callable[[Any], None] | None = None, articles: Iterable[Any] | None = None,
           force: bool = False, replace: bool = False) -> Any:
    """Read, extract, resolve, validate and store every article under ``paths``.
    Returns an :class:`~kg.pipeline.IngestReport`. An article that takes the id of a stored
    article from another source is refused unless ``replace``; see :func:`kg.pipeline.ingest`."""
    from kg.pipeline import ingest as _ingest
    from kg.sources import DEFAULT_MAX_BYTES

    return _ingest(paths, store, workers=workers, executor=executor, scheduler=scheduler,
                   id_prefix=id_prefix, id_from=id_from, max_bytes=max_bytes or DEFAULT_MAX_BYTES, encoding=encoding,
                   progress=progress, articles=articles, force=force, replace=replace)


def query(store: Any, query: str | None = None, *, sparql: str | None = None,
          params: dict[str, str] | None = None, limit: int | None = None, fresh: bool = False,
          timeout: float | None = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY_MB) -> Any:
    """Run a canned query by name, a ``.rq`` file, or ``sparql`` text (read-only).
    Returns a :class:`~kg.queries.QueryResult`. A canned query without parameters on a store
    opened read-only is answered from the answer kept for the store's current state, if any
    (:mod:`kg.answers`); ``fresh=True`` asks the database. On a local store the database answers
    in a child process stopped after ``timeout`` seconds (:class:`~kg.errors.QueryTimeout`) or
    above ``memory_mb`` MiB of memory (:class:`~kg.store.limits.QueryTooLarge`); 0 or None: no
    limit, and the query runs in this process."""
    from kg.queries import resolve_query, run
    from kg.store.limits import limits

    return run(store, resolve_query(query, sparql), params, limit=limit, fresh=fresh,
               limits=limits(timeout, memory_mb))


def precompute(store: str | os.PathLike[str], *, workers: int = 1) -> list[tuple[str, float]]:
    """Compute the answers of the canned queries without parameters for the store's current
    state and keep them in its folder (see :mod:`kg.answers`); ``(name, seconds)`` for each.
    Takes the store's path: it opens the store read-only itself (once per process, with
    ``workers`` processes sharing the queries out). Does nothing for a SPARQL server."""
    from kg.answers import precompute as _precompute

    return _precompute(store, workers=workers)


def update(store: Any, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT,
           memory_mb: int | None = DEFAULT_MEMORY_MB) -> None:
    """Run a SPARQL update (the CLI asks for ``--update`` before calling this) as one
    transaction; on a local store it runs in a child process under the same limits as
    :func:`query`, and an update stopped at a limit leaves the store as it was."""
    from kg.queries import run_update
    from kg.store.limits import limits

    run_update(store, sparql, limits(timeout, memory_mb))


def list_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every canned query."""
    from kg.queries import canned_queries

    return [(q.name, q.description) for q in canned_queries().values()]


def export(store: Any, fmt: str, output: str | os.PathLike[str] | BinaryIO) -> None:
    """Write the store as turtle (union), trig or nquads (a graph per article), or jsonld."""
    from kg.exports import export as _export

    _export(store, fmt, output)


def visualize(store: Any, output: str | os.PathLike[str], *, timeline: bool = False, **filters: Any) -> Any:
    """Write the actor network (or the event timeline) as one self-contained HTML file."""
    from kg.actors import Filters

    f = Filters(**filters)
    if timeline:
        from kg.timeline import write as write_timeline

        return write_timeline(store, output, f)
    from kg.viz import write

    return write(store, output, f)


def stats(store: Any) -> Any:
    """Counts: articles, entities by type, claims by modality, events, triples."""
    from kg.counts import stats as _stats

    return _stats(store)


def validate(store: Any, *, engine: str = "sparql") -> list[Any]:
    """Check every article graph against the SHACL shapes; returns the violations."""
    from kg.rdf import shacl

    if engine == "sparql":
        return shacl.violations(store)
    if engine == "pyshacl":
        return _validate_pyshacl(store)
    raise ValidationFailed(f"unknown validation engine {engine!r} (use sparql or pyshacl)")


def _validate_pyshacl(store: Any) -> list[Any]:
    from kg.rdf import shacl

    out = []
    for graph in store.graphs():
        if not graph.startswith(_graph_prefix()) or graph.endswith("/curation"):
            continue
        nt = "".join(f"{_n3(q.subject)} {_n3(q.predicate)} {_n3(q.object)} .\n"
                     for q in store.quads_in(graph))
        conforms, text = shacl.validate_pyshacl(nt)
        if not conforms:
            out.append(shacl.Violation(graph, graph, "pyshacl", text.strip().splitlines()[0] if text else "does not conform"))
    return out


def _graph_prefix() -> str:
    from kg.store.oxigraph import GRAPH_PREFIX

    return GRAPH_PREFIX


def _n3(term: Any) -> str:
    return str(term)


def remove(store: Any, article: str) -> str:
    """Drop one article's graph (by id, article IRI, graph IRI or file path); returns its id."""
    graph, aid = store.find_article(article)
    store.remove_graph(graph)
    return aid


def explain(store: Any, name: str) -> Any:
    """Everything the store says about the entity called ``name``, with sentences and sources.
    Returns a :class:`~kg.explanation.Explanation`."""
    from kg.explanation import explain as _explain

    return _explain(store, name)


def entities(store: Any, *, type_: str | None = None, search: str | None = None, limit: int | None = None) -> list[Any]:
    """Entities with aliases, article counts and the rules that merged their names."""
    from kg.curate import entities as _entities

    return _entities(store, type_=type_, search=search, limit=limit)


def merge(store: Any, keep: str, other: str) -> tuple[str, str]:
    """Analyst correction: ``other`` is the same entity as ``keep`` (kept in the curation graph
    and applied to later ingests)."""
    from kg.curate import merge as _merge

    return _merge(store, keep, other)


def split(store: Any, entity: str, alias: str) -> tuple[str, list[str]]:
    """Analyst correction: mentions written ``alias`` are not ``entity``; re-extracts the
    articles concerned."""
    from kg.curate import split as _split

    return _split(store, entity, alias)


def network(store: Any, **filters: Any) -> Any:
    """The actor network as a networkx MultiDiGraph with evidence on every edge."""
    from kg.actors import Filters, load

    return load(store, Filters(**filters)).graph


def network_stats(store: Any, top: int = 10, **filters: Any) -> Any:
    """Degree and betweenness centrality and communities of the actor network."""
    from kg.analysis import stats

    return stats(network(store, **{"max_nodes": 10**9, **filters}), top)


def network_paths(store: Any, a: str, b: str, limit: int = 3, **filters: Any) -> list[Any]:
    """The shortest chains of claims and events between two actors, each hop with evidence."""
    from kg.analysis import paths

    return paths(network(store, **{"max_nodes": 10**9, **filters}), a, b, limit)


def network_export(store: Any, fmt: str, output: str | os.PathLike[str], **filters: Any) -> Any:
    """The actor network as GraphML or GEXF for Gephi; returns the graph written."""
    from kg.analysis import export as _export

    g = network(store, **{"max_nodes": 10**9, **filters})
    _export(g, fmt, output)
    return g


def push(store: Any, url: str, *, progress: Callable[[int, int, str], None] | None = None) -> Any:
    """Copy every named graph of ``store`` (open, e.g. read-only) to the SPARQL server at ``url``,
    replacing graphs of the same name there; the server's union default graph follows. Returns a
    :class:`~kg.store.remote.PushReport`."""
    from kg.errors import UsageError
    from kg.store.remote import RemoteStore, remote_url
    from kg.store.remote import push as _push

    target = remote_url(url)
    if target is None:
        raise UsageError(f"{url}: push needs a SPARQL endpoint URL, e.g. http://localhost:8890/sparql")
    with RemoteStore(target) as remote:
        return _push(store, remote, progress)


def run_eval(dataset: str, data: str | os.PathLike[str] | None = None, limit: int | None = None,
             errors: int = 0, progress: Callable[[int, int], None] | None = None, split: str | None = None) -> Any:
    """Score kg's extractor and a plain-spaCy baseline on annotated news (dwie | re3d |
    wikievents | newsclaims; ``split`` tune | check | all for newsclaims); see :mod:`kg.evaluate`."""
    from kg.evaluate import run_eval as _run

    return _run(dataset, data, limit, errors, progress=progress, split=split)


def serve_sparql(store_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 7878, *,
                 allow_update: bool = False, cors_origins: Iterable[str] = (), timeout: float | None = 60.0,
                 memory_mb: int | None = DEFAULT_MEMORY_MB, allowed_hosts: Iterable[str] = (),
                 token: str | None = None, log_level: str = "info",
                 ready: Callable[[str], None] | None = None) -> None:
    """Serve the store as a SPARQL 1.1 Protocol endpoint at ``http://host:port/sparql`` (needs the
    ``serve`` extra). Closed by default: no CORS header unless ``cors_origins`` names the origin,
    only this server's names in ``Host``, and a ``token`` for updates beyond loopback. ``ready``
    is called with the base URL once the port is bound. Each query and update runs in a child
    process stopped after ``timeout`` seconds or above ``memory_mb`` MiB; see :mod:`kg.serve`."""
    from kg.serve import serve

    serve(store_path, host, port, allow_update, cors_origins=cors_origins, timeout=timeout, memory_mb=memory_mb,
          allowed_hosts=allowed_hosts, token=token, log_level=log_level, ready=ready)


__all__ = ["entities", "explain", "export", "ingest", "list_queries", "merge", "network", "network_export",
           "network_paths", "network_stats", "open_store", "precompute", "push", "query", "remove", "run_eval",
           "serve_sparql", "split", "stats", "update", "validate", "visualize"]
