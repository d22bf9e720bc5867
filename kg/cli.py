"""The ``kg`` command line: a thin layer over :mod:`kg.api`.

Each command parses its options, calls one API function and formats the result. Errors a user
can cause are one line on stderr and exit code 1 (2 for bad usage); ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from kg.store.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

app = typer.Typer(
    name="kg",
    help="kg: build a knowledge graph from news articles, with every fact traceable to its sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

StoreOpt = Annotated[str, typer.Option("--store", "-s", envvar="KG_STORE", metavar="PATH|URL",
                                       help="The store folder, or a SPARQL endpoint URL such as "
                                            "http://host:8890/sparql (env KG_STORE).")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks.")]
DEFAULT_STORE = "kg-store"


def err(message: str) -> None:
    from kg.queries import terminal_safe

    sys.stderr.write(terminal_safe(message) + "\n")


def handle_errors(fn):
    """Turn KgError into one line and an exit code; tracebacks only with --debug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = kwargs.get("debug", False) or os.environ.get("KG_DEBUG") == "1"
        from kg.errors import KgError

        try:
            return fn(*args, **kwargs)
        except KgError as exc:
            if debug:
                raise
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # a defect in kg: one line, the traceback only on request
            if debug:
                raise
            err(f"error: internal error ({type(exc).__name__}: {exc}); run again with --debug for the "
                "traceback and report it")
            raise typer.Exit(1) from None

    return wrapper


def _open(store: str, *, write: bool = False) -> Any:
    """The store a --store value names: a folder, or a SPARQL endpoint URL (kept as text: a Path
    would fold the // of http://)."""
    import kg

    if write:
        return kg.open_store(store)
    return kg.open_store(store, read_only=True)


# --- ingest -----------------------------------------------------------------------------------


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt .md .html .json .jsonl).")],
    store: StoreOpt = DEFAULT_STORE,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")] = 1,
    executor: Annotated[str, typer.Option(help="local, dask (needs --scheduler) or dask-local.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")] = None,
    id_prefix: Annotated[str, typer.Option(help="Prefix for the ids of these articles.")] = "",
    id_from: Annotated[Optional[str], typer.Option("--id-from", help="Where ids come from: url (the default: a record's id, else the canonical URL, else the path), path (never the URL), hash (the text's hash: the same story saved twice is one article), or a folder that holds every input (paths relative to it, not to each folder given).")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse files larger than this many bytes.")] = 20 * 1024 * 1024,
    encoding: Annotated[Optional[str], typer.Option(help="Force a text encoding, e.g. cp1251.")] = None,
    precompute: Annotated[bool, typer.Option("--precompute/--no-precompute", help="Compute the canned queries' answers ahead when done (a few seconds per million triples), so that they answer at once.")] = True,
    replace: Annotated[bool, typer.Option("--replace", help="Let these articles replace stored articles of other sources that have their ids.")] = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Read articles, extract people, groups, places, claims and events, and store them.

    An article's id, after --id-prefix, is a JSON record's id field, else the article's
    canonical URL (a record's url, a page's canonical link), else its path without the extension
    relative to the folder given; --id-from path ignores URLs, --id-from hash names each article
    by its text's hash, and --id-from FOLDER makes paths relative to that folder. Re-ingesting an unchanged article changes
    nothing; an edited one (same file) replaces exactly its own graph. An article from another
    file that takes a stored id is refused unless --replace; two articles with one id in a run:
    the first is stored. Files that cannot be read are listed at the end (exit code 1).

    Example: kg ingest corpus/politics corpus/business --id-from corpus --store kg-store
    """
    _at_least(1, max_bytes=max_bytes)
    import signal

    import kg
    from kg.pipeline import Interrupted

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM as Ctrl-C: the articles already finished are written

    reporter = _Reporter(quiet)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with _open(store, write=True) as st:
            report = kg.ingest(paths, st, workers=workers, executor=executor, scheduler=scheduler,
                               id_prefix=id_prefix, id_from=id_from, max_bytes=max_bytes, encoding=encoding,
                               progress=reporter, replace=replace)
    except Interrupted as exc:
        reporter.close()
        done = exc.report
        err(f"interrupted: {done.added} added, {done.replaced} replaced before the stop, all of them complete "
            f"in {store}; run the same kg ingest again to do the rest")
        raise typer.Exit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    reporter.close()
    if not quiet:
        print(f"ingested into {store}: {report.summary()}")
    if precompute:
        _precompute(store, quiet=quiet)
    if report.failed:
        err(f"{len(report.failed)} could not be ingested:")
        for f in report.failed:
            err(f"  {f.source}: {f.message}")
        raise typer.Exit(1)


def _precompute(store: str, *, quiet: bool = True) -> None:
    """After a write: the canned queries' answers for the store's new state (kg.answers). The
    write itself is done; a failure here only means the queries will ask the database."""
    import subprocess

    from kg.store.remote import remote_url

    if remote_url(store):
        return
    start = time.perf_counter()
    # a fresh process (kg.answers' main): the queries' memory is given back when it exits
    proc = subprocess.run([sys.executable, "-m", "kg.answers", store], capture_output=True, text=True)
    if proc.returncode != 0:
        why = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        err(f"warning: the canned queries' answers were not computed ahead ({why}); queries will ask the store")
        return
    if not quiet:  # the child prints a line per answer
        print(f"answers of {len(proc.stdout.splitlines())} canned queries computed ahead in "
              f"{time.perf_counter() - start:.1f} s")


class _Reporter:
    """A progress bar with articles/s and ETA on a terminal, plain lines otherwise, nothing with
    --quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.task: Any = None
        self.last = 0.0
        self.start = time.perf_counter()

    def __call__(self, p: Any) -> None:
        if self.quiet:
            return
        if self.tty:
            if self.bar is None:
                from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

                self.bar = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                                    TextColumn("{task.fields[rate]:.1f} articles/s"), TimeRemainingColumn(),
                                    transient=True)
                self.bar.start()
                self.task = self.bar.add_task("ingest", total=p.total, rate=0.0)
            rate = p.done / max(time.perf_counter() - self.start, 1e-6)
            self.bar.update(self.task, completed=p.done, rate=rate)
            return
        now = time.perf_counter()
        if p.status == "failed" or now - self.last > 5 or (p.total and p.done == p.total):
            self.last = now
            rate = p.done / max(now - self.start, 1e-6)
            total = f"/{p.total}" if p.total else ""
            err(f"[{p.done}{total}] {rate:.1f} articles/s  {p.status}: {p.article}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- query --------------------------------------------------------------------------------------


@app.command()
@handle_errors
def query(
    name: Annotated[Optional[str], typer.Argument(help="A canned query name or a .rq file.")] = None,
    sparql: Annotated[Optional[str], typer.Option("--sparql", help="SPARQL text to run.")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="name=value, bound as an RDF term.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json (SPARQL results JSON); turtle or ntriples for CONSTRUCT and DESCRIBE.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the canned queries.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows in a table (0: no limit).")] = 200,
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL UPDATE (writes to the store).")] = False,
    timeout: Annotated[float, typer.Option(help="Stop the query or update after this many seconds (0: no limit).")] = DEFAULT_TIMEOUT,
    memory: Annotated[int, typer.Option(help="Stop the query or update above this many MiB of memory (0: no limit).")] = DEFAULT_MEMORY_MB,
    fresh: Annotated[bool, typer.Option("--fresh", help="Ask the database even when the answer for the store's current state was computed ahead.")] = False,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Ask the store a question in SPARQL. The union of all article graphs is the default graph.

    Example: kg query affiliations --format csv
    Example: kg query mentions --param name=Taliban
    Example: kg query --sparql 'SELECT ?p WHERE { ?p a foaf:Person }'
    """
    _at_least(0, limit=limit)
    import kg
    from kg.errors import UsageError

    if list_:
        for qname, desc in kg.list_queries():
            print(f"{qname:16} {desc}")
        return
    _at_least(0, timeout=timeout, memory=memory)
    params = _params(param or [])
    if update:
        text = sparql if sparql is not None else _update_text(name) if name else None
        if not text:
            raise UsageError("--update needs --sparql TEXT or an update file")
        with _open(store, write=True) as st:
            kg.update(st, text, timeout=timeout, memory_mb=memory)
        _precompute(store)
        print("update applied")
        return
    from kg.queries import format_result

    with _open(store) as st:
        result = kg.query(st, name, sparql=sparql, params=params,
                          limit=(limit or None) if fmt == "table" else None, fresh=fresh,
                          timeout=timeout, memory_mb=memory)
        print(format_result(result, fmt))


def _at_least(minimum: int, **values: float | None) -> None:
    """A usage error for a count or size option below ``minimum`` (``--limit -5``)."""
    from kg.errors import UsageError

    for name, value in values.items():
        if value is not None and value < minimum:
            raise UsageError(f"--{name.replace('_', '-')} {value:g}: give a number of at least {minimum}")


def _update_text(name: str) -> str:
    """``kg query --update FILE`` or ``kg query --update 'INSERT DATA { ... }'``."""
    from kg.errors import UsageError
    from kg.sparqltext import operation_kind

    path = Path(name)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read the update file ({exc})") from exc
    if operation_kind(name) == "update":
        return name  # the update itself, given in place of a file
    raise UsageError(f"{name}: no such update file; give the update with --sparql TEXT or as a .rq file")


def _params(items: list[str]) -> dict[str, str]:
    from kg.errors import UsageError

    out = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--param {item}: write name=value")
        k, v = item.split("=", 1)
        out[k.strip()] = v
    return out


# --- export, viz, stats, remove, validate --------------------------------------------------------------


@app.command()
@handle_errors
def export(
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="turtle (union), trig, nquads or jsonld.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Export the store. Turtle is the union of all graphs; TriG and N-Quads keep one graph per
    article.

    Example: kg export --format trig -o out/graph.trig
    """
    import kg
    from kg.exports import format_for

    f = format_for(str(output) if output else None, fmt)
    with _open(store) as st:
        if output:
            kg.export(st, f, output)
        else:
            kg.export(st, f, sys.stdout.buffer)
            sys.stdout.flush()


@app.command()
@handle_errors
def viz(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("network.html"),
    focus: Annotated[Optional[str], typer.Option(help="Draw the network around this name.")] = None,
    depth: Annotated[int, typer.Option(help="Steps from --focus.")] = 1,
    type_: Annotated[Optional[list[str]], typer.Option("--type", help="person, organisation, group, place, event.")] = None,
    modality: Annotated[Optional[list[str]], typer.Option(help="asserted, alleged, speculated, denied.")] = None,
    article: Annotated[Optional[list[str]], typer.Option(help="Only these articles (id or title words).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Events from this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Events up to this date.")] = None,
    query_file: Annotated[Optional[Path], typer.Option("--query", help="Draw the entities a SPARQL query returns.")] = None,
    max_nodes: Annotated[int, typer.Option(help="Keep the most connected nodes above this many.")] = 500,
    timeline: Annotated[bool, typer.Option("--timeline", help="Draw events on a time axis instead.")] = False,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Draw the actor network as one self-contained HTML file (opens offline, by double-click).

    Example: kg viz -o network.html --focus "Islamic Movement of Uzbekistan" --depth 2
    """
    _at_least(0, depth=depth)
    _at_least(1, max_nodes=max_nodes)
    import kg

    with _open(store) as st:
        data = kg.visualize(st, output, timeline=timeline, focus=focus, depth=depth,
                            types=tuple(type_ or ()), modalities=tuple(modality or ()),
                            articles=tuple(article or ()), since=since, until=until,
                            query_file=str(query_file) if query_file else None, max_nodes=max_nodes)
    g = data.graph
    if timeline:
        print(f"wrote {output}: {g.number_of_nodes()} dated events")
        return
    print(f"wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
          + (f" ({'; '.join(data.notes)})" if data.notes else ""))


@app.command()
@handle_errors
def stats(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Count articles, entities by type, claims by modality, events and triples.

    Example: kg stats
    """
    import json

    import kg

    with _open(store) as st:
        s = kg.stats(st)
    if json_:
        print(json.dumps(s.__dict__, indent=1))
        return
    print(f"articles  {s.articles}")
    print("entities  " + ", ".join(f"{k} {v}" for k, v in s.entities.items()))
    print("claims    " + ", ".join(f"{k} {v}" for k, v in s.claims.items()))
    print(f"events    {s.events}")
    print(f"triples   {s.triples} (union of all graphs; {s.quads} quads stored)")


@app.command()
@handle_errors
def remove(
    article: Annotated[str, typer.Argument(help="Article id, article IRI, graph IRI or file path.")],
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Drop one article's graph from the store; nothing else changes.

    Example: kg remove 000_8957d6a2ab5e49c0
    """
    import kg

    with _open(store, write=True) as st:
        aid = kg.remove(st, article)
    _precompute(store)
    print(f"removed {aid}")


@app.command()
@handle_errors
def push(
    to: Annotated[str, typer.Option("--to", metavar="URL", help="The SPARQL endpoint URL to copy to (env KG_UPDATE_URL, "
                                                 "KG_GSP_URL, KG_STORE_USER... as for --store).")],
    store: StoreOpt = DEFAULT_STORE,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Copy the store to a SPARQL server: every article graph (replacing the graph of the same name
    there) and with them the union default graph. Nothing else on the server changes.

    Example: kg push --to http://localhost:8890/sparql --store kg-store
    """
    import kg

    bar = _Bar("push", "graphs", quiet)
    last = [0.0]

    def progress(done: int, total: int, graph: str) -> None:
        bar(done, total)
        now = time.perf_counter()
        if not quiet and not bar.on and (now - last[0] > 5 or done == total):
            last[0] = now
            err(f"[{done}/{total}] pushed {graph}")

    try:
        with _open(store) as st:
            report = kg.push(st, to, progress=progress)
    finally:
        bar.close()
    if not quiet:
        print(f"pushed {report.graphs} graphs ({report.triples} triples) from {store} to {report.url} "
              f"in {report.seconds:.1f} s")


@app.command()
@handle_errors
def validate(
    engine: Annotated[str, typer.Option(help="sparql (fast, compiled shapes) or pyshacl (reference engine).")] = "sparql",
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Check every article graph in the store against ontology/shapes.ttl (exit 1 if not).

    Example: kg validate --engine pyshacl
    """
    import kg

    with _open(store) as st:
        violations = kg.validate(st, engine=engine)
        n = len([g for g in st.graphs() if "/graph/" in g])
    if not violations:
        print(f"conforms: {n} graphs checked against the shapes ({engine})")
        return
    err(f"does not conform: {len(violations)} violations")
    for v in violations[:50]:
        err(f"  {v.graph}: {v}")
    if len(violations) > 50:
        err(f"  ... and {len(violations) - 50} more")
    raise typer.Exit(1)


@app.command()
@handle_errors
def explain(
    name: Annotated[str, typer.Argument(help="A name or alias (any case) or an entity IRI.")],
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Print everything the store says about one entity, with the sentence and source behind
    each statement.

    Example: kg explain "Islamic Movement of Uzbekistan"
    """
    import kg
    from kg.explanation import format_explanation

    with _open(store) as st:
        print(format_explanation(kg.explain(st, name)))


@app.command()
@handle_errors
def entities(
    type_: Annotated[Optional[str], typer.Option("--type", help="person, organisation, group or place.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Only names (or aliases) containing this.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (0: all).")] = 100,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """List entities with their other names, how many articles mention them, and why names
    were merged (the rule and score).

    Example: kg entities --type organisation --search tahrir
    """
    _at_least(0, limit=limit)
    import kg
    from kg.queries import terminal_safe

    with _open(store) as st:
        found = kg.entities(st, type_=type_, search=search, limit=limit or None)
    for r in found:
        print(terminal_safe(f"{r.label}  [{r.type}, {r.articles} article(s), {r.mentions} mention(s)]  <{r.iri}>"))
        if r.aliases:
            print(terminal_safe("    also: " + "; ".join(r.aliases)))
        if r.merges:
            print(terminal_safe("    merged: " + "; ".join(r.merges)))
    print(f"({len(found)} entities)")


@app.command()
@handle_errors
def merge(
    keep: Annotated[str, typer.Argument(help="The entity to keep (name, alias or IRI).")],
    other: Annotated[str, typer.Argument(help="The entity that is the same thing.")],
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Analyst correction: OTHER is the same entity as KEEP. Rewrites it everywhere now, is kept
    in the curation graph, and applies to every later ingest.

    Example: kg merge "Islamic Movement of Uzbekistan" "Islamic Movement of Turkestan"
    """
    import kg

    with _open(store, write=True) as st:
        kept, merged = kg.merge(st, keep, other)
    _precompute(store)
    print(f"merged {merged} into {kept}")


@app.command()
@handle_errors
def split(
    entity: Annotated[str, typer.Argument(help="The entity (name, alias or IRI).")],
    alias: Annotated[str, typer.Argument(help="The name whose mentions are another entity.")],
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Analyst correction: mentions written ALIAS are not ENTITY but an entity of their own.
    Re-extracts the articles concerned; kept in the curation graph for later ingests.

    Example: kg split "Osh Region" "Osh"
    """
    import kg

    with _open(store, write=True) as st:
        label, articles = kg.split(st, entity, alias)
    _precompute(store)
    print(f"split {alias} from {label}; re-extracted {len(articles)} article(s): {', '.join(articles)}")


network_app = typer.Typer(help="Network analysis of the actor network (networkx).", no_args_is_help=True)
app.add_typer(network_app, name="network")


@network_app.command("stats")
@handle_errors
def network_stats(
    top: Annotated[int, typer.Option(help="How many central actors to list.")] = 10,
    type_: Annotated[Optional[list[str]], typer.Option("--type", help="Only these node types.")] = None,
    modality: Annotated[Optional[list[str]], typer.Option(help="Only claims with these modalities.")] = None,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Degree and betweenness centrality, and communities (Louvain) of the actor network.

    Example: kg network stats --top 15 --type person --type organisation --type group
    """
    _at_least(1, top=top)
    import kg
    from kg.queries import terminal_safe

    with _open(store) as st:
        s = kg.network_stats(st, top=top, types=tuple(type_ or ()), modalities=tuple(modality or ()))
    print(f"{s.nodes} nodes, {s.edges} edges, {s.components} connected components, density {s.density:.4f}")
    print("\nmost central (betweenness, degree, articles):")
    for c in s.central:
        print(terminal_safe(f"  {c.betweenness:6.3f}  {c.degree:6.3f}  {c.articles:3d}  {c.label} ({c.type})"))
    print(f"\n{len(s.communities)} communities of 2 or more:")
    for i, members in enumerate(s.communities[:10], 1):
        more = f" ... and {len(members) - 12} more" if len(members) > 12 else ""
        print(terminal_safe(f"  {i}. " + "; ".join(members[:12]) + more))


@network_app.command("path")
@handle_errors
def network_path(
    a: Annotated[str, typer.Argument(help="An actor's name.")],
    b: Annotated[str, typer.Argument(help="Another actor's name.")],
    limit: Annotated[int, typer.Option(help="At most this many shortest chains.")] = 3,
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """The shortest chains of claims and events linking two actors, each hop with its evidence.

    Example: kg network path "Hamid Karzai" "Taliban"
    """
    _at_least(1, limit=limit)
    import kg
    from kg.queries import terminal_safe

    with _open(store) as st:
        chains = kg.network_paths(st, a, b, limit)
    for n, hops in enumerate(chains, 1):
        print(f"chain {n} ({len(hops)} hop{'s' if len(hops) != 1 else ''}):")
        for h in hops:
            print(terminal_safe(f"  {h.source} —{h.relation} [{h.modality}, {h.speaker}]→ {h.target}"))
            if h.sentence:
                print(terminal_safe(f"      “{h.sentence}” ({h.article})"))


@network_app.command("export")
@handle_errors
def network_export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml or gexf.")] = "graphml",
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")] = Path("network.graphml"),
    store: StoreOpt = DEFAULT_STORE,
    debug: DebugOpt = False,
) -> None:
    """Write the actor network for Gephi, with node types and edge modality as attributes.

    Example: kg network export --format gexf -o actors.gexf
    """
    import kg

    with _open(store) as st:
        g = kg.network_export(st, fmt, output)
    print(f"wrote {output}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


# --- evaluation and serving ---------------------------------------------------------------------


@app.command("eval")
@handle_errors
def eval_(
    dataset: Annotated[str, typer.Argument(help="dwie, re3d, wikievents or newsclaims.")],
    data: Annotated[Optional[Path], typer.Option(help="The dataset's folder (default ../shared/eval/DATASET).")] = None,
    split: Annotated[Optional[str], typer.Option(
        help="newsclaims only: tune (read its errors), check (scores only) or all (default).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N documents.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the full report as JSON here.")] = None,
    errors: Annotated[int, typer.Option(help="List kg's N most frequent false positives and negatives per task.")] = 0,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Score kg's extractor and a plain-spaCy baseline on annotated news: precision, recall and F1
    for entities, coreference, relations and events; on newsclaims, attributed affiliation claims
    (speaker, modality) and events with their date, place, perpetrator and figures.

    Example: kg eval dwie --limit 20 --errors 5; kg eval newsclaims --split tune --errors 10
    """
    _at_least(1, limit=limit)
    _at_least(0, errors=errors)
    import json

    import kg
    from kg.evaluate import format_report, report_json

    bar = _Bar("eval", "documents", quiet)
    try:
        report = kg.run_eval(dataset, data, limit, errors, progress=bar, split=split)
    finally:
        bar.close()
    print(format_report(report))
    if json_out:
        try:
            json_out.write_text(json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            from kg.errors import OutputError

            raise OutputError(f"{json_out}: cannot write ({exc.strerror}); choose another --json path") from None


class _Bar:
    """A progress bar on a terminal (nothing otherwise, or with --quiet)."""

    def __init__(self, label: str, unit: str, quiet: bool) -> None:
        self.label, self.unit = label, unit
        self.on = not quiet and sys.stderr.isatty()
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
@handle_errors
def serve(
    store: StoreOpt = DEFAULT_STORE,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 7878,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Accept SPARQL updates (writes to the store).")] = False,
    timeout: Annotated[float, typer.Option(help="Stop a query or update after this many seconds (0: no limit).")] = 60.0,
    memory: Annotated[int, typer.Option(help="Stop a query or update above this many MiB of memory (0: no limit).")] = DEFAULT_MEMORY_MB,
    cors_origin: Annotated[Optional[list[str]], typer.Option("--cors-origin", help="A web origin whose pages may read the answers, e.g. https://yasgui.triply.cc (repeat for more; none by default).")] = None,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", help="Another name this server answers to in the Host header (a DNS name, a proxy's); repeat for more.")] = None,
    token: Annotated[Optional[str], typer.Option("--token", envvar="KG_SERVE_TOKEN", show_default=False, help="Updates must send 'Authorization: Bearer TOKEN' (needed with --allow-update beyond 127.0.0.1; or set KG_SERVE_TOKEN).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Warnings only, no access log.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql, with a query page at /.

    Needs the serve extra: pip install 'kg-news[serve]' (from a clone: .venv/bin/pip install
    -c constraints.txt -e '.[serve]').

    Example: kg serve --port 8000 --cors-origin https://yasgui.triply.cc
    """
    import kg

    _at_least(0, timeout=timeout, memory=memory)

    def ready(url: str) -> None:
        if not quiet:
            err(f"serving {store} at {url}/sparql (query page at {url}/); Ctrl+C stops")

    kg.serve_sparql(store, host, port, allow_update=allow_update, cors_origins=cors_origin or (),
                    allowed_hosts=allow_host or (), token=token, timeout=timeout or None, memory_mb=memory or None,
                    log_level="warning" if quiet else "info", ready=ready)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        from kg import __version__

        print(f"kg {__version__}")
        raise typer.Exit(0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
