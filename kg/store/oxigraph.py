"""The embedded store: an on-disk Oxigraph (RocksDB) database, one named graph per article.

Writers hold an advisory lock that names their process; readers open the database read-only,
so ``kg query`` and ``kg export`` work while an ingest runs. A batch of new article graphs is
written by Oxigraph's bulk loader, which sorts the batch into files beside the database and adds
them in one RocksDB ingestion, recorded atomically (pyoxigraph 0.5.13, ``IngestExternalFiles``);
a replaced article graph goes in one SPARQL update, which Oxigraph applies as one transaction.
Either way a crash, or a reader, sees the batch or the article all in or all out, never half.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import NotFound, QueryError, StoreError
from kg.rdf.iris import CURATION_GRAPH, key_of
from kg.rdf.mapping import ArticleGraph
from kg.rdf.namespaces import DATA_NS, KG_NS, PREFIXES
from kg.rdf.rewrites import Rewrite
from kg.store.lock import WriterLock, holder

GRAPH_PREFIX = DATA_NS + "graph/"
# RocksDB keeps recent writes in memory tables, one per index, and writes them out only when one
# reaches its size limit: on a long ingest that is over 1.5 GB held for nothing. kg flushes
# after this many triples written in transactions instead (replaced articles; new ones are
# bulk-loaded as files and skip the memory tables).
FLUSH_TRIPLES = 200_000
# Those flushes and the bulk loads leave many small files, which every later lookup must consult
# (RocksDB merges them only gradually): after an ingest that wrote at least this many triples,
# kg compacts the database (RocksDB full compaction: 3 s for 1 M triples, queries 1.2-1.55x
# faster, the store 40% smaller: benchmarks/compaction.py).
COMPACT_TRIPLES = FLUSH_TRIPLES


def _ox():
    import pyoxigraph

    return pyoxigraph


class OxigraphStore:
    """An open store. Use :func:`kg.open_store`, or as a context manager."""

    kind = "oxigraph"

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock: WriterLock | None = None
        self._unflushed = 0  # triples written since the last flush
        self._uncompacted = 0  # triples written since the store was opened or compacted
        # the state of the database this handle sees, for answers computed ahead (kg.answers):
        # taken before a read-only open; a writer's view moves as it writes, so it has none
        self.state: str | None = None
        ox = _ox()
        if read_only:
            if not (self.path / "CURRENT").exists():
                raise StoreError(f"{self.path}: no kg store here (run `kg ingest` first, or pass --store)")
            from kg.answers import store_state

            for attempt in range(6):
                self.state = store_state(self.path)
                try:
                    self._store = ox.Store.read_only(str(self.path))
                    return
                except (OSError, RuntimeError) as exc:
                    # a writer beside us may be compacting: the file list it read is already
                    # stale; a moment later the store opens (RocksDB read-only views)
                    if attempt == 5 or not _TRANSIENT.search(str(exc)):
                        raise StoreError(f"{self.path}: cannot open the store read-only ({exc})") from exc
                    time.sleep(0.05 * 2 ** attempt)
        if not create and not (self.path / "CURRENT").exists():
            raise StoreError(f"{self.path}: no kg store here (run `kg ingest` first, or pass --store)")
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: exists and is not a directory (choose another --store)")
        if self.path.is_dir() and any(self.path.iterdir()) and not (self.path / "CURRENT").exists() \
                and not (self.path / "kg-writer.lock").exists():
            raise StoreError(f"{self.path}: is a non-empty folder that is not a kg store (choose another --store)")
        self._lock = WriterLock(self.path)
        self._lock.acquire()
        try:
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            self._lock.release()
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        _remove_unloaded_files(self.path)

    # --- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None:
            if not self.read_only:
                try:
                    store.flush()
                except OSError:
                    pass
            del self._store
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self) -> Any:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        return self._store

    # --- writing -----------------------------------------------------------------------------------
    # The default graph holds the union (a set) of all article graphs, kept up to date by every
    # write, so queries over the default graph see each triple once however many articles state it.

    def write_articles(self, graphs: Iterable[ArticleGraph], rewrites: Iterable[Rewrite] = ()) -> None:
        """Add or replace each article's graph, and apply entity rewrites
        (:class:`~kg.rdf.rewrites.Rewrite`), in three atomic steps: the rewrites (one SPARQL update), the new articles
        (one bulk load of N-Quads: each quad in its article graph and in the union; 2.6x less
        CPU than a transactional load, see benchmarks/write_paths.py), the replaced
        articles (one SPARQL update that drops and re-inserts each graph). Every article is all
        in or all out; the rewrites go first so that a crash never leaves stored articles
        pointing at an entity the resolver has already retired (the articles of an interrupted
        batch are simply ingested again)."""
        graphs = list(graphs)
        rewrites = list(rewrites)
        store = self._writable()
        ox = _ox()
        fresh, replaced = [], []
        for g in graphs:
            (replaced if store.contains_named_graph(ox.NamedNode(g.graph)) else fresh).append(g)
        try:
            if rewrites:
                store.update(rewrite_updates(rewrites, lambda old: _facts(self, old)))
            if fresh:
                data = "".join(g.nquads() + g.ntriples() for g in fresh)
                store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            parts = []
            for g in replaced:
                parts.append(_drop_update(g.graph))
                body = "".join(f"{s} {p} {o} .\n" for s, p, o in g.triples)
                parts.append(f"INSERT DATA {{ GRAPH <{g.graph}> {{\n{body}}}\n{body} }}")
            if parts:
                store.update(" ;\n".join(parts))
            self._unflushed += sum(len(g.triples) for g in replaced)
            self._uncompacted += sum(len(g.triples) for g in graphs)
            if self._unflushed >= FLUSH_TRIPLES:
                store.flush()  # write the memory tables out: RocksDB's memory stays bounded
                self._unflushed = 0
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.path}: write failed, articles of this batch that were not stored will "
                             f"be ingested again on the next run ({exc})") from exc

    def curate(self, triples: list[tuple[str, str, str]], rewrites: Iterable[Rewrite] = ()) -> None:
        """Add curation triples (and the entity rewrites they decide) in one transaction."""
        from kg.rdf.iris import CURATION_GRAPH

        body = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
        parts = [_rewrite_update(rw) for rw in rewrites]
        parts.append(f"INSERT DATA {{ GRAPH <{CURATION_GRAPH}> {{\n{body}}}\n{body} }}")
        try:
            self._writable().update(" ;\n".join(parts))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.path}: curation failed, nothing was changed ({exc})") from exc

    def remove_graph(self, graph: str) -> None:
        try:
            self._writable().update(_drop_update(graph))
        except OSError as exc:
            raise StoreError(f"{self.path}: remove failed ({exc})") from exc

    def update(self, sparql: str, *, limits: Any = None) -> None:
        """Run a user's SPARQL update, then bring the default graph (the union of the article
        graphs) back in line with the named graphs, in the same transaction. Updates should
        therefore target named graphs: a triple inserted only into the default graph belongs to
        no article and is dropped. With ``limits`` (:class:`kg.store.limits.Limits`) the
        transaction runs in a child process stopped at its time and memory limits: this handle
        lets go of the database meanwhile (kg's writer lock stays held), and a stopped update
        leaves the store as it was."""
        from kg.sparqltext import check

        check(sparql)  # no SERVICE, no LOAD, nothing nested deep enough to crash the parser
        body = sparql.rstrip().rstrip(";").rstrip()
        text = f"{body}\n;\n{_RESYNC_UNION}" if body else sparql
        store = self._writable()
        if limits is None or not limits.active:
            _apply_update(store, text, self.path)
            return
        from kg.store.limits import run_limited

        try:
            store.flush()
        except OSError as exc:
            raise StoreError(f"{self.path}: update failed ({exc})") from exc
        del store, self._store  # RocksDB's own lock goes with the last reference to the handle
        try:
            run_limited(("kg.store.oxigraph", "_update_at", (str(self.path), text)), limits, "update")
        finally:
            self._store = _ox().Store(str(self.path))

    def flush(self) -> None:
        if not self.read_only:
            self._store.flush()

    def compact(self, *, force: bool = False) -> bool:
        """Compact the database if this session wrote at least ``COMPACT_TRIPLES`` triples (or
        ``force``). Returns whether it did. Readers may query meanwhile."""
        if self.read_only or not (force or self._uncompacted >= COMPACT_TRIPLES):
            return False
        try:
            self._store.flush()
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"{self.path}: compaction failed, the stored data is unchanged ({exc})") from exc
        self._unflushed = self._uncompacted = 0
        return True

    # --- reading -------------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query. The default graph is the union (a set) of all article graphs.
        ``substitutions`` bind variables to RDF terms (never pasted into the text)."""
        from kg.sparqltext import check

        check(sparql)  # no SERVICE, no LOAD, nothing nested deep enough to crash the parser
        ox = _ox()
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        if subs:
            # Oxigraph applies substitutions after evaluating the pattern, so a query that looks
            # up one name would read every mention in the store (22 s instead of 0.2 s on 4 M
            # triples): the same values also go in as a VALUES clause at the start of each group
            # that uses them, built from escaped terms (never pasted text), where the planner
            # starts from them. The substitutions stay, for their projection check.
            from kg.store.remote import rewrite

            sparql = rewrite(sparql, bindings=dict(substitutions or {}))
        try:
            return self._store.query(sparql, prefixes=PREFIXES, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc)) from exc
        except RuntimeError as exc:
            msg = str(exc)
            if "projection" in msg and subs:
                raise QueryError(f"{msg}: a --param variable must be in the SELECT list") from exc
            raise QueryError(f"query failed: {msg}") from exc
        except OSError as exc:
            pid = holder(self.path)
            if pid:
                raise StoreError(f"{self.path}: the store changed while reading it (an ingest by process "
                                 f"{pid} is writing); retry when it finishes") from exc
            raise StoreError(f"{self.path}: query failed ({exc})") from exc

    def articles(self) -> dict[str, tuple[str, str, str]]:
        """article id -> (graph IRI, content hash, article IRI)."""
        out = {}
        q = f"""SELECT ?g ?a ?id ?hash WHERE {{ GRAPH ?g {{ ?g a <{KG_NS}DocumentGraph> ;
                 <http://www.w3.org/ns/prov#wasDerivedFrom> ?a . ?a <{KG_NS}articleId> ?id ;
                 <{KG_NS}contentHash> ?hash }} }}"""
        for row in self.query(q):
            out[row["id"].value] = (row["g"].value, row["hash"].value, row["a"].value)
        return out

    def find_article(self, ref: str) -> tuple[str, str]:
        """(graph IRI, article id) for an article id, article IRI, graph IRI or file path."""
        arts = self.articles()
        if ref in arts:
            return arts[ref][0], ref
        for aid, (graph, _, article) in arts.items():
            if ref in (graph, article):
                return graph, aid
        stem = ref.rstrip("/").rsplit(".", 1)[0] if "." in ref.rsplit("/", 1)[-1] else ref.rstrip("/")
        hits = [aid for aid in arts if stem == aid or stem.endswith("/" + aid) or aid.endswith("/" + stem)]
        if len(hits) == 1:
            return arts[hits[0]][0], hits[0]
        if len(hits) > 1:
            raise NotFound(f"{ref}: matches {len(hits)} articles ({', '.join(sorted(hits)[:3])}...); give the full id")
        raise NotFound(f"{ref}: no such article in the store (list them with `kg query articles`)")

    def __len__(self) -> int:
        return len(self._store)

    def graphs(self) -> list[str]:
        return [g.value for g in self._store.named_graphs()]

    def quads(self) -> Iterator[Any]:
        return iter(self._store)

    def quads_in(self, graph: str) -> Iterator[Any]:
        ox = _ox()
        return self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def dump(self, output: Any, fmt: str) -> None:
        """turtle: the default graph (the union); trig, nquads, jsonld: the named graphs."""
        ox = _ox()
        if fmt == "turtle":
            self._store.dump(output, format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
            return
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
        named = (q for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
        ox.serialize(named, output, format=formats[fmt], prefixes=PREFIXES if fmt == "trig" else None)

    def load_dataset(self, data: bytes, fmt: str) -> None:
        """Load named graphs (TriG / N-Quads, e.g. a kg export) and rebuild the union."""
        ox = _ox()
        formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        store = self._writable()
        store.load(data, format=formats[fmt])
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def entities(self, types: Iterable[str]) -> Iterator[tuple[str, str, str | None, list[str]]]:
        """(entity IRI, type IRI, label, labels and aliases) of every store-wide entity of one of
        ``types`` (class IRIs), for the resolver. Read by pattern from the union default graph, which holds
        each triple once however many article graphs repeat it (at 1M triples: 0.5 s, against
        1.5-2 s for :func:`entity_rows` over the article graphs). The label is the least of the
        entity's ``rdfs:label`` values (every article graph carries the same canonical label),
        None if it has none."""
        ox = _ox()
        default = ox.DefaultGraph()
        rdf_type = ox.NamedNode(RDF_TYPE)
        label, alias = ox.NamedNode(RDFS_LABEL), ox.NamedNode(SKOS_ALT_LABEL)
        for type_iri in types:
            for quad in self._store.quads_for_pattern(None, rdf_type, ox.NamedNode(type_iri), default):
                entity = quad.subject
                if not isinstance(entity, ox.NamedNode) or key_of(entity.value) is None:
                    continue
                labels = [q.object.value for q in self._store.quads_for_pattern(entity, label, None, default)]
                aliases = [q.object.value for q in self._store.quads_for_pattern(entity, alias, None, default)]
                yield entity.value, type_iri, min(labels) if labels else None, labels + aliases


RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_ALT_LABEL = PREFIXES["skos"] + "altLabel"


def entity_rows(store: Any, types: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(entity IRI, type IRI, label-or-alias) of every store-wide entity of one of ``types``, by
    SPARQL over the article graphs: what :meth:`OxigraphStore.entities` reads, for any store
    that answers SPARQL."""
    values = " ".join(f"<{t}>" for t in types)
    q = f"""SELECT DISTINCT ?e ?t ?n WHERE {{
        GRAPH ?g {{ ?e a ?t . {{ ?e <{RDFS_LABEL}> ?n }} UNION {{ ?e <{SKOS_ALT_LABEL}> ?n }} }}
        VALUES ?t {{ {values} }}
        FILTER(STRSTARTS(STR(?e), "{DATA_NS}") && !STRSTARTS(STR(?e), "{GRAPH_PREFIX}"))
    }}"""
    for row in store.query(q):
        yield row["e"].value, row["t"].value, row["n"].value


def entity_labels(store: Any) -> dict[str, str]:
    """entity IRI -> the least of its ``rdfs:label`` values in any article graph, by SPARQL."""
    q = f"SELECT ?e (MIN(?l) AS ?label) WHERE {{ GRAPH ?g {{ ?e <{RDFS_LABEL}> ?l }} }} GROUP BY ?e"
    return {row["e"].value: row["label"].value for row in store.query(q)}


def syntax_message(exc: Exception, what: str = "SPARQL") -> str:
    """Oxigraph's parse error on one line: where, and the start of what was expected."""
    import re

    text = " ".join(str(exc).split())
    m = re.search(r"error at (\d+):(\d+):?\s*(.*)", text)
    if not m:
        return f"{what} syntax error: {text[:200]}"
    detail = m.group(3)
    if len(detail) > 90:
        detail = detail[:90].rsplit(",", 1)[0] + ", ..."
    return f"{what} syntax error at line {m.group(1)}, column {m.group(2)}: {detail}"


def _apply_update(store: Any, text: str, path: Path | str) -> None:
    try:
        store.update(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(syntax_message(exc, "SPARQL update")) from exc
    except OSError as exc:
        raise StoreError(f"{path}: update failed ({exc})") from exc


def _update_at(path: str, text: str) -> None:
    """In a limited child: open the database (its owner holds kg's writer lock and has let go
    of its handle) and apply the update in one transaction."""
    try:
        store = _ox().Store(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store for the update ({exc})") from exc
    _apply_update(store, text, path)
    store.flush()


def _remove_unloaded_files(path: Path) -> None:
    """Oxigraph's bulk loader writes ``bulk-*.sst`` files beside the database and moves them in
    when it commits; a crash before that leaves them behind, holding nothing the database uses.
    Called with the writer lock held, so no bulk load of ours is under way."""
    for stray in path.glob("bulk-*.sst"):
        try:
            stray.unlink()
        except OSError:
            pass


_TRANSIENT = re.compile(r"No such file or directory|Corruption", re.I)
_RESYNC_UNION = (
    "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;\n"
    "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")


def _drop_update(graph: str) -> str:
    """Drop a graph and remove from the default graph (the union) the triples no other graph
    states."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }} ;\n"
            f"DROP SILENT GRAPH <{graph}>")


def _facts(store: Any, old: str) -> list[tuple[str, str, str | None]]:
    from kg.rdf.rewrites import facts_from, facts_query

    return facts_from(store.query(facts_query(old)))


def rewrite_updates(rewrites: Iterable[Rewrite], facts: Any) -> str:
    """One SPARQL update that applies ``rewrites`` (:func:`kg.rdf.rewrites.plan`) to every graph
    and to the union."""
    from kg.rdf.rewrites import additions_by_graph, plan

    moves, added = plan(rewrites, facts)
    parts = [_rewrite_update(rw) for rw in moves]
    for graph, body in additions_by_graph(added).items():
        parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}}\n{body} }}")
    return " ;\n".join(parts)


def _rewrite_update(rw: Rewrite) -> str:
    """Rewrite every use of entity ``rw.old`` to ``rw.new`` in every graph and in the union; the
    old graphs' labels of it become alternative labels (the new entity keeps one label)."""
    from kg.rdf.terms import lit

    old, new = rw.old, rw.new
    rdfs_label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    alt = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    parts = []
    for scope_open, scope_close in (("GRAPH ?g {", "}"), ("", "")):
        parts += [
            f"DELETE {{ {scope_open} <{old}> ?p ?o {scope_close} }} INSERT {{ {scope_open} <{new}> ?p ?o {scope_close} }} "
            f"WHERE {{ {scope_open} <{old}> ?p ?o {scope_close} }}",
            f"DELETE {{ {scope_open} ?s ?p <{old}> {scope_close} }} INSERT {{ {scope_open} ?s ?p <{new}> {scope_close} }} "
            f"WHERE {{ {scope_open} ?s ?p <{old}> {scope_close} }}",
        ]
        if rw.label is not None:
            lab = lit(rw.label)
            parts.append(
                f"DELETE {{ {scope_open} <{new}> {rdfs_label} ?l {scope_close} }} "
                f"INSERT {{ {scope_open} <{new}> {alt} ?l . <{new}> {rdfs_label} {lab} {scope_close} }} "
                f"WHERE {{ {scope_open} <{new}> {rdfs_label} ?l {scope_close} FILTER(?l != {lab}) }}")
        parts.append(
            f"DELETE WHERE {{ {scope_open} <{new}> <http://www.w3.org/2004/02/skos/core#closeMatch> <{new}> {scope_close} }}")
        parts += [f"DELETE {{ {scope_open} <{new}> {pred} ?x {scope_close} }} "
                  f"WHERE {{ {scope_open} <{new}> {pred} ?x {scope_close} FILTER(?x != {value}) }}"
                  for pred, value in rw.sole]
    return " ;\n".join(parts)


def open_store(path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
               create: bool = True) -> Any:
    """Open the store at ``path`` (default ``$KG_STORE`` or ``./kg-store``): a folder opens the
    embedded store, an ``http(s)://`` SPARQL endpoint URL a :class:`~kg.store.remote.RemoteStore`."""
    target = path or os.environ.get("KG_STORE") or "kg-store"
    from kg.store.remote import RemoteStore, remote_url

    url = remote_url(target)
    if url:
        return RemoteStore(url, read_only=read_only, create=create)
    return OxigraphStore(target, read_only=read_only, create=create)


__all__ = ["OxigraphStore", "open_store", "CURATION_GRAPH", "PREFIXES"]
