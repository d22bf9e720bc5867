"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the store, with a small query page.

``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=`` or ``update=``) or with an
``application/sparql-query`` / ``application/sparql-update`` body. The default graph is the
union of all article graphs, as for ``kg query``; use ``GRAPH ?g`` when the source matters. The
prefixes of :data:`kg.rdf.namespaces.PREFIXES` (``kg:``, ``org:``, ``prov:``...) are predeclared.

Results are negotiated with ``Accept``; a ``format=`` (or ``output=``) parameter takes precedence
because a browser address bar cannot set ``Accept``. SELECT and ASK: SPARQL results JSON (the
default), XML, CSV, TSV. CONSTRUCT and DESCRIBE: Turtle (the default), N-Triples, JSON-LD,
RDF/XML.

Reading beside an ingest. Every query opens its own read-only view of the store, so it sees
every article committed before the request started and nothing committed after: a reader never
sees half an article, and a long query keeps answering from the snapshot it started with. A
query that overlaps a commit can fail with 503 and a message to retry (RocksDB read-only views
are not guaranteed across a concurrent writer's compaction).

Limits. With a ``timeout`` or a ``memory_mb`` ceiling (the defaults: 60 s and
:data:`kg.store.limits.DEFAULT_MEMORY_MB`), each query and update runs in a child process forked
by a helper process (:class:`kg.store.limits.Runner`) and is killed when it runs past either
limit (503): Oxigraph cannot interrupt a running query in-process, and a query that crashes or
runs out of memory takes only its child down, never the server. The fork costs a few
milliseconds per request. With neither limit, requests run in threads of the server process.

Updates. Refused with 403 unless the app is created with ``allow_update=True``; then each update
takes the store's writer lock (503 while an ingest holds it), runs as one transaction, and
answers 204; an update stopped at a limit leaves the store as it was. Like ``kg query --update``, the same transaction then
brings the default graph back in line with the union of the named graphs, so updates should
target named graphs (``GRAPH <...>``): a triple inserted only into the default graph belongs to
no graph and is dropped. A browser page from another origin cannot send updates (requests
whose ``Origin`` is not this server on a loopback address are refused), so a web page cannot use
the local server to change the store.

Closed by default. No CORS header unless the origin is named (``cors_origins``; ``kg serve
--cors-origin https://yasgui.triply.cc``), so a web page the analyst visits cannot read the
answers; a request whose ``Host`` is not one of the server's names (:func:`server_names`, plus
``--allow-host``) is refused (403), so a page on a site whose DNS name the attacker points at
127.0.0.1 (DNS rebinding) reads nothing either; and updates on an address beyond loopback need a
token (``--token`` or ``KG_SERVE_TOKEN``), sent as ``Authorization: Bearer TOKEN`` (401 without).

Federated ``SERVICE`` queries and ``LOAD`` updates are refused (403): the server would fetch any
URL for whoever sends them. A text
nested deeper than :data:`kg.sparqltext.MAX_DEPTH` or longer than :data:`kg.sparqltext.MAX_CHARS`
is refused (400) before the engine parses it (Oxigraph's parser overflows its stack on a few
thousand nested groups, which would take the whole server down).
"""

from __future__ import annotations

import hmac
import json
import math
import os
import secrets
import socket
import urllib.parse
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, MissingExtra, QueryError, QueryTimeout, ServeError, StoreError, StoreLocked, UsageError
from kg.sparqltext import operation_kind, refusal, uses_service
from kg.store.limits import DEFAULT_MEMORY_MB, Limits, QueryTooLarge, Runner

ENDPOINT = "/sparql"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 60.0
MAX_BODY = 8 * 1024 * 1024  # bytes of query or update text accepted in one POST
EXTRA_MISSING = ("kg serve needs the serve extra: pip install 'kg-news[serve]' (from a clone of the repository: "
                 ".venv/bin/pip install -c constraints.txt -e '.[serve]')")

_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"


# --- result formats and content negotiation ------------------------------------------------------


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation the endpoint can answer with."""

    name: str  #: canonical ``format=`` value
    media_type: str  #: Content-Type of the response
    accepts: tuple[str, ...]  #: media types in ``Accept`` (or ``format=``) that select it
    aliases: tuple[str, ...] = ()  #: other ``format=`` values that select it


#: SELECT and ASK results, in order of preference (the first is the default).
SOLUTION_FORMATS = (
    ResultFormat("json", "application/sparql-results+json",
                 ("application/sparql-results+json", "application/json"), ("srj",)),
    ResultFormat("xml", "application/sparql-results+xml", ("application/sparql-results+xml",), ("srx",)),
    ResultFormat("csv", "text/csv; charset=utf-8", ("text/csv",)),
    ResultFormat("tsv", "text/tab-separated-values; charset=utf-8", ("text/tab-separated-values",)),
)

#: CONSTRUCT and DESCRIBE results, in order of preference (the first is the default).
GRAPH_FORMATS = (
    ResultFormat("turtle", "text/turtle; charset=utf-8",
                 ("text/turtle", "application/turtle", "application/x-turtle"), ("ttl", "n3")),
    ResultFormat("ntriples", "application/n-triples", ("application/n-triples", "text/plain"), ("nt", "n-triples")),
    ResultFormat("jsonld", "application/ld+json",
                 ("application/ld+json", "application/json", "application/x-json+ld"), ("json-ld", "json")),
    ResultFormat("rdfxml", "application/rdf+xml", ("application/rdf+xml",), ("rdf+xml", "rdf", "xml")),
)


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, quality) pairs; parameters other than ``q`` are ignored."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0) if math.isfinite(q) else 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The quality the most specific matching range gives ``media_type`` (0 when none match)."""
    kind = media_type.split("/", 1)[0]
    best_specificity, best_q = -1, 0.0
    for media, q in ranges:
        if media == media_type:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q


def negotiate(formats: Sequence[ResultFormat], accept: str | None,
              requested: Sequence[str] = ()) -> ResultFormat | None:
    """The format to answer with, or None when nothing acceptable is offered.

    ``requested`` are ``format=`` / ``output=`` values: the first one that names one of
    ``formats`` wins over ``Accept``. Otherwise the offered format with the highest quality in
    ``Accept`` wins, ties going to the order of ``formats``; no ``Accept`` means the first."""
    if requested:
        for value in requested:
            token = value.split(";", 1)[0].strip().lower()
            for fmt in formats:
                if token == fmt.name or token in fmt.aliases or token in fmt.accepts:
                    return fmt
        return None
    ranges = parse_accept(accept or "")
    if not ranges:
        return formats[0]
    best, best_q = None, 0.0
    for fmt in formats:
        q = max(_quality(m, ranges) for m in fmt.accepts)
        if q > best_q:
            best, best_q = fmt, q
    return best


# --- running one query (in a thread or in a child process) --------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A finished request: status, Content-Type and body (picklable, to cross processes)."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def error(cls, status: int, message: str, *headers: tuple[str, str]) -> Outcome:
        return cls(status, _TEXT, (message + "\n").encode("utf-8"), tuple(headers))


def execute_query(store_path: str, text: str, accept: str | None, requested: tuple[str, ...]) -> Outcome:
    """Open the store read-only, run ``text``, negotiate the format from the result's kind and
    serialise it. Every failure becomes an :class:`Outcome` with a one-line message."""
    import pyoxigraph as ox

    from kg.rdf.namespaces import PREFIXES
    from kg.store.lock import holder
    from kg.store.oxigraph import OxigraphStore

    try:
        with OxigraphStore(store_path, read_only=True) as store:
            try:
                result = store.query(text)
            except QueryError as exc:
                if operation_kind(text) == "update":
                    return Outcome.error(400, f"{exc}: this is a SPARQL update; send it as update= in a POST "
                                              "form or as an application/sparql-update body")
                return Outcome.error(400, str(exc))
            if isinstance(result, ox.QueryTriples):
                formats, kind = GRAPH_FORMATS, "CONSTRUCT and DESCRIBE"
            else:
                formats, kind = SOLUTION_FORMATS, "SELECT and ASK"
            fmt = negotiate(formats, accept, requested)
            if fmt is None:
                offered = ", ".join(f"{f.name} ({f.accepts[0]})" for f in formats)
                asked = f"format={','.join(requested)}" if requested else f"Accept: {accept}"
                return Outcome.error(406, f"cannot answer {asked}: {kind} results are available as {offered}")
            try:
                body = _serialize(ox, result, fmt, PREFIXES)
            except OSError as exc:
                pid = holder(Path(store_path))
                if pid:
                    return Outcome.error(503, f"the store changed while reading it (an ingest by process {pid} "
                                              "is writing); retry", ("Retry-After", "1"))
                return Outcome.error(500, f"query failed: {exc}")
            except (RuntimeError, ValueError, TypeError) as exc:
                return Outcome.error(500, f"query failed: {exc}")
            return Outcome(200, fmt.media_type, body, (("Vary", "Accept"), ("Cache-Control", "no-cache")))
    except StoreError as exc:
        return Outcome.error(503, str(exc), ("Retry-After", "1"))
    except KgError as exc:
        return Outcome.error(400, str(exc))


def _serialize(ox: Any, result: Any, fmt: ResultFormat, prefixes: dict[str, str]) -> bytes:
    if fmt in SOLUTION_FORMATS:
        formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
        return result.serialize(format=formats[fmt.name])
    rdf = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt.name]
    return ox.serialize(result, format=rdf, prefixes=prefixes if fmt.name in ("turtle", "rdfxml") else None)


def _safe_execute(store_path: str, text: str, accept: str | None, requested: tuple[str, ...]) -> Outcome:
    try:
        return execute_query(store_path, text, accept, requested)
    except Exception as exc:  # noqa: BLE001 - any bug becomes a 500 with its message, not a dead child
        return Outcome.error(500, f"query failed: {type(exc).__name__}: {exc}")


def _limited(runner: Runner, limits: Limits, job: tuple[str, str, tuple[Any, ...]], what: str) -> Outcome:
    """Run a handler in a limited child of the runner; a stop or a death becomes an error status."""
    try:
        return runner.run(job, limits, what, ("the server's kg serve --timeout", "the server's kg serve --memory"))
    except (QueryTimeout, QueryTooLarge) as exc:
        return Outcome.error(503, str(exc))
    except KgError as exc:
        return Outcome.error(500, str(exc))


def execute_update(store_path: str, text: str) -> Outcome:
    """Apply one SPARQL update as one transaction, holding the store's writer lock."""
    from kg.store.oxigraph import OxigraphStore

    try:
        with OxigraphStore(store_path, create=False) as store:
            store.update(text)
    except StoreLocked as exc:
        return Outcome.error(503, str(exc), ("Retry-After", "5"))
    except QueryError as exc:
        if operation_kind(text) == "query":
            return Outcome.error(400, f"{exc}: this is a query; send it as query= or as an "
                                      "application/sparql-query body")
        return Outcome.error(400, str(exc))
    except StoreError as exc:
        return Outcome.error(500, str(exc))
    return Outcome(204, _TEXT, b"")


# --- the web app ---------------------------------------------------------------------------------------


class _Refused(Exception):
    """A request the protocol handler answers with an error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Endpoint:
    """The endpoint's settings and its request handlers."""

    store_path: str
    allow_update: bool
    limits: Limits
    page: str
    hosts: frozenset[str] = frozenset()  # the Host names this server answers to (DNS rebinding)
    token: str | None = field(default=None, repr=False)  # updates need "Authorization: Bearer TOKEN"
    query_slots: Any = None
    update_slot: Any = None
    runner: Runner | None = field(default=None, repr=False)

    # lifecycle
    def _ready(self) -> None:
        """Create the concurrency limits and the query runner (inside the event loop; also when
        the app is mounted somewhere that does not run its lifespan)."""
        import anyio

        if self.query_slots is None:
            self.query_slots = anyio.CapacityLimiter(max(2, os.cpu_count() or 2))
            self.update_slot = anyio.CapacityLimiter(1)  # one writer at a time: the others queue
        if self.limits.active and self.runner is None:
            self.runner = Runner()

    @asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """Start the query runner before the first request; stop it at shutdown."""
        import anyio.to_thread

        self._ready()
        if self.runner is not None:
            await anyio.to_thread.run_sync(self.runner.start)
        try:
            yield
        finally:
            if self.runner is not None:
                await anyio.to_thread.run_sync(self.runner.close)
                self.runner = None

    def _host_refusal(self, request: Any) -> Any:
        """A 403 for a request whose ``Host`` is not a name of this server: a page on another
        site whose name the attacker points at this machine (DNS rebinding) reads nothing."""
        from starlette.responses import Response

        name = _host_name(request.headers.get("host", ""))
        if name in self.hosts:
            return None
        return Response(f"the Host header {name or '(none)'!r} is not a name of this server; a request for "
                        "another site is refused (add the name with kg serve --allow-host NAME)",
                        status_code=403, media_type="text/plain; charset=utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})

    # handlers
    async def home(self, request: Any) -> Any:
        """The query page."""
        from starlette.responses import Response

        refused = self._host_refusal(request)
        if refused is not None:
            return refused
        nonce = secrets.token_urlsafe(16)
        csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
               "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
        return Response(self.page.replace("__NONCE__", nonce), media_type=_HTML,
                        headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"})

    async def sparql(self, request: Any) -> Any:
        """The SPARQL 1.1 Protocol: query and update operations."""
        from starlette.responses import RedirectResponse, Response

        refused = self._host_refusal(request)
        if refused is not None:
            return refused
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
        self._ready()
        try:
            operation, text, params = await _read_operation(request)
            if operation is None:
                if "text/html" in request.headers.get("accept", ""):
                    return RedirectResponse("/", status_code=303)
                raise _Refused(400, "no query: send query= (GET or POST form), update= (POST form), or a "
                                    "POST body of type application/sparql-query or application/sparql-update; "
                                    "the query page is at /")
            refused = refusal(text)  # SERVICE and LOAD would fetch any URL for whoever sends them
            if refused is not None:
                raise _Refused(403 if refused[0] == "network" else 400, refused[1])
            if operation == "update":
                outcome = await self._update(request, text, params)
            else:
                outcome = await self._query(request, text, params)
        except _Refused as exc:
            outcome = Outcome.error(exc.status, str(exc))
        headers = {"X-Content-Type-Options": "nosniff", **dict(outcome.headers)}
        if outcome.status == 204:
            return Response(status_code=204, headers=headers)
        return Response(outcome.body, status_code=outcome.status, media_type=outcome.media_type, headers=headers)

    async def _query(self, request: Any, text: str, params: list[tuple[str, str]]) -> Outcome:
        import anyio.to_thread

        names = {k for k, _ in params}
        if names & {"default-graph-uri", "named-graph-uri"}:
            raise _Refused(400, "default-graph-uri and named-graph-uri are not supported: the default graph "
                                "is the union of all article graphs; use FROM / FROM NAMED or GRAPH <iri> "
                                "in the query instead")
        requested = tuple(v for k, v in params if k in ("format", "output") and v.strip())
        accept = request.headers.get("accept")
        if self.runner is None:
            return await anyio.to_thread.run_sync(_safe_execute, self.store_path, text, accept, requested,
                                                  limiter=self.query_slots)
        job = ("kg.serve", "_safe_execute", (self.store_path, text, accept, requested))
        return await anyio.to_thread.run_sync(_limited, self.runner, self.limits, job, "query",
                                              limiter=self.query_slots)

    async def _update(self, request: Any, text: str, params: list[tuple[str, str]]) -> Outcome:
        import anyio.to_thread

        if not self.allow_update:
            raise _Refused(403, "this endpoint is read-only: SPARQL updates are refused (start the server "
                                "with updates allowed, e.g. kg serve --allow-update, to accept them)")
        if not _same_loopback_origin(request):
            raise _Refused(403, "updates from a web page of another origin are refused; send them from "
                                "this server's own page or from a non-browser client")
        if self.token is not None:
            given = request.headers.get("authorization", "")
            scheme, _, value = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), self.token.encode()):
                raise _Refused(401, "updates need the server's token: send the header "
                                    "'Authorization: Bearer TOKEN' (the --token given to kg serve)")
        names = {k for k, _ in params}
        if names & {"using-graph-uri", "using-named-graph-uri"}:
            raise _Refused(400, "using-graph-uri and using-named-graph-uri are not supported; use USING / "
                                "USING NAMED or WITH in the update instead")
        if self.runner is None:
            return await anyio.to_thread.run_sync(execute_update, self.store_path, text, limiter=self.update_slot)
        job = ("kg.serve", "execute_update", (self.store_path, text))
        return await anyio.to_thread.run_sync(_limited, self.runner, self.limits, job, "update",
                                              limiter=self.update_slot)


def _host_name(header: str) -> str:
    """The host name of a ``Host`` header, without its port ("[::1]:7878" -> "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def server_names(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names a server bound to ``host`` answers to: the loopback names always, the
    bound address, and for a wildcard bind (0.0.0.0, ::) this machine's names and addresses;
    ``extra`` adds names (a DNS name or a proxy's)."""
    names = {n.strip("[]") for n in _LOOPBACK}
    bound = host.strip("[]").lower()
    if bound in {"0.0.0.0", "::", ""}:
        hostname = socket.gethostname()
        names |= {hostname.lower(), socket.getfqdn().lower()}
        try:
            names |= {info[4][0].lower() for info in socket.getaddrinfo(hostname, None)}
        except OSError:
            pass
    else:
        names.add(bound)
    names |= {_host_name(e) for e in extra if e}
    return frozenset(names)


def _is_loopback(host: str) -> bool:
    return host.lower() in _LOOPBACK or host.strip("[]") == "::1" or host.startswith("127.")


def _same_loopback_origin(request: Any) -> bool:
    """True for non-browser clients (no ``Origin``), and for pages served by this server on a
    loopback address. Checking the host name as well defeats DNS rebinding."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    parsed = urllib.parse.urlsplit(origin)
    return origin == f"{request.url.scheme}://{host}" and (parsed.hostname or "") in _LOOPBACK


async def _read_body(request: Any) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _Refused(413, f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _Refused(413, f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset)
    except LookupError as exc:
        raise _Refused(415, f"unknown charset {charset!r} (send UTF-8)") from exc
    except UnicodeDecodeError as exc:
        raise _Refused(400, f"the request body is not valid {charset} ({exc.reason} at byte {exc.start})") from exc


async def _read_operation(request: Any) -> tuple[str | None, str, list[tuple[str, str]]]:
    """(``query`` | ``update`` | None, its text, every other parameter) from a protocol request."""
    params = list(request.query_params.multi_items())
    if request.method in ("GET", "HEAD"):
        if any(k == "update" for k, _ in params):
            raise _Refused(405, "a SPARQL update must be sent with POST")
        return _pick(params, allowed=("query",))
    if request.method != "POST":
        raise _Refused(405, f"{request.method} is not supported (use GET or POST)")
    ctype = request.headers.get("content-type", "")
    media = ctype.split(";", 1)[0].strip().lower()
    charset = "utf-8"
    for param in ctype.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or "utf-8"
    if media not in (_FORM, _QUERY_BODY, _UPDATE_BODY):
        raise _Refused(415, f"unsupported Content-Type {media or '(none)'!r}: POST {_FORM}, "
                            f"{_QUERY_BODY} or {_UPDATE_BODY}")
    body = _decode(await _read_body(request), charset)
    if media == _FORM:
        try:
            form = urllib.parse.parse_qsl(body, keep_blank_values=True, encoding=charset, errors="strict")
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Refused(400, f"the form is not valid {charset}: {exc}") from exc
        return _pick(params + form, allowed=("query", "update"))
    if any(k in ("query", "update") for k, _ in params):
        raise _Refused(400, f"send the operation either in the {media} body or as a parameter, not both")
    return ("query" if media == _QUERY_BODY else "update"), body, params


def _pick(params: list[tuple[str, str]], allowed: tuple[str, ...]) -> tuple[str | None, str, list[tuple[str, str]]]:
    found = [(k, v) for k, v in params if k in allowed]
    rest = [(k, v) for k, v in params if k not in allowed]
    if not found:
        return None, "", rest
    if len(found) > 1:
        names = " and ".join(sorted({k + "=" for k, _ in found}))
        raise _Refused(400, f"one operation per request: got {len(found)} ({names})")
    kind, text = found[0]
    if not text.strip():
        raise _Refused(400, f"{kind}= is empty")
    return kind, text, rest


def create_app(store_path: str | os.PathLike[str], *, allow_update: bool = False,
               cors_origins: Iterable[str] = (), timeout: float | None = DEFAULT_TIMEOUT,
               memory_mb: int | None = DEFAULT_MEMORY_MB, host: str = DEFAULT_HOST,
               allowed_hosts: Iterable[str] = (), token: str | None = None) -> Any:
    """The endpoint as a Starlette app: ``/sparql`` (SPARQL 1.1 Protocol) and ``/`` (query page).

    ``allow_update`` accepts SPARQL updates (refused with 403 otherwise); ``cors_origins`` are
    the web origins whose pages may read the answers (YASGUI: ``https://yasgui.triply.cc``; none
    by default, so a page the analyst visits cannot read the store); ``timeout`` stops a query
    or update after that many seconds and ``memory_mb`` above that many MiB of memory (None: no
    limit; with neither, queries run in threads of the server process). Requests whose ``Host`` is not a name of a server
    bound to ``host`` (:func:`server_names`, plus ``allowed_hosts``) are refused (403). With
    ``token``, updates need ``Authorization: Bearer TOKEN``; updates on an address beyond
    loopback need one. Raises :class:`~kg.errors.StoreError` when there is no store at
    ``store_path``, :class:`~kg.errors.KgError` when Starlette is not installed or a token is
    missing."""
    try:
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware
        from starlette.routing import Route
    except ImportError as exc:
        raise MissingExtra(EXTRA_MISSING) from exc
    from kg.store.oxigraph import OxigraphStore

    if timeout is not None and timeout <= 0:
        raise UsageError(f"timeout must be a positive number of seconds, not {timeout:g} (or none for no limit)")
    if memory_mb is not None and memory_mb <= 0:
        raise UsageError(f"memory_mb must be a positive number of MiB, not {memory_mb} (or none for no limit)")
    if allow_update and not token and not _is_loopback(host):
        raise UsageError(f"--allow-update on {host} lets anyone who can reach the port change the store: give a "
                      "token with --token SECRET (or KG_SERVE_TOKEN), which updates must send as "
                      "'Authorization: Bearer SECRET'")
    path = Path(store_path).resolve()
    OxigraphStore(path, read_only=True).close()  # fail now, with kg's message, when there is no store
    endpoint = _Endpoint(str(path), allow_update, Limits(timeout, memory_mb), _page(allow_update),
                         server_names(host, allowed_hosts), token or None)
    middleware = []
    origins = [o.rstrip("/") for o in cors_origins if o]
    if origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "OPTIONS"],
                                     allow_headers=["Content-Type", "Accept", "Authorization"], max_age=600))
    routes = [Route("/", endpoint.home, methods=["GET"]),
              Route(ENDPOINT, endpoint.sparql, methods=["GET", "POST", "OPTIONS"])]
    return Starlette(routes=routes, middleware=middleware, lifespan=endpoint.lifespan)


def serve(store_path: str | os.PathLike[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          allow_update: bool = False, *, cors_origins: Iterable[str] = (), timeout: float | None = DEFAULT_TIMEOUT,
          memory_mb: int | None = DEFAULT_MEMORY_MB, allowed_hosts: Iterable[str] = (), token: str | None = None,
          log_level: str = "info",
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the store at ``http://host:port/sparql`` until interrupted (Ctrl+C or SIGTERM; a
    SIGTERM is re-raised after the graceful shutdown, as uvicorn does).

    Binds the loopback interface unless ``host`` says otherwise: anyone who can reach the port
    can read the whole store (and change it, with ``allow_update``). ``port=0`` picks a free port
    (the log line says which). Raises :class:`~kg.errors.KgError` when the address cannot be
    bound, instead of uvicorn's ``SystemExit``."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingExtra(EXTRA_MISSING) from exc
    app = create_app(store_path, allow_update=allow_update, cors_origins=cors_origins, timeout=timeout,
                     memory_mb=memory_mb, host=host, allowed_hosts=allowed_hosts, token=token)
    sock = _listen(host, port)
    if ready is not None:  # said only once the settings are accepted and the port is ours
        bound = sock.getsockname()
        name = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        ready(f"http://{name}:{bound[1]}")
    try:
        config = uvicorn.Config(app, host=host, port=port, log_level=log_level, ws="none", lifespan="on",
                                server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or a :class:`~kg.errors.KgError` that says what to change."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}: unknown host ({exc.strerror}); use an address such as "
                      f"{DEFAULT_HOST}") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port") from exc
    return sock


# --- the query page ----------------------------------------------------------------------------------


def _page(allow_update: bool) -> str:
    """The self-contained HTML query page. Every value from the store or the query files reaches
    the document through ``textContent`` only; the data block is JSON with ``<``, ``>`` and ``&``
    escaped so it cannot close its script element."""
    from kg.queries import canned_queries
    from kg.rdf.namespaces import PREFIXES

    canned = canned_queries()
    example = canned["affiliations"].text if "affiliations" in canned else _FALLBACK_EXAMPLE
    data = {
        "endpoint": ENDPOINT.lstrip("/"),
        "example": example,
        "prefixes": PREFIXES,
        "updates": allow_update,
        "queries": [{"name": q.name, "description": q.description, "text": q.text,
                     "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params]}
                    for q in canned.values()],
    }
    blob = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return _PAGE.replace("__DATA__", blob)


_FALLBACK_EXAMPLE = """# Which group is each person said to belong to, and who says so?
SELECT ?person ?group ?modality ?speaker WHERE {
  ?c a kg:Claim ; rdf:subject ?p ; rdf:predicate org:memberOf ; rdf:object ?o ;
     kg:modality ?m ; prov:wasAttributedTo ?w .
  ?p rdfs:label ?person . ?o rdfs:label ?group . ?w rdfs:label ?speaker .
  BIND(STRAFTER(STR(?m), "#") AS ?modality)
}
ORDER BY ?person
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kg SPARQL endpoint</title>
<link rel="icon" href="data:,">
<style nonce="__NONCE__">
  :root { color-scheme: light dark; --line: #8884; --muted: #777; --accent: #2563eb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
  header { padding: 12px 20px; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 18px; margin: 0 0 4px; }
  header p { margin: 0; color: var(--muted); }
  code, textarea, pre, td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 20px; padding: 16px 20px; }
  @media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
  textarea { width: 100%; min-height: 260px; font-size: 13px; padding: 8px; resize: vertical; }
  .bar { display: flex; gap: 12px; align-items: center; margin: 8px 0 12px; flex-wrap: wrap; }
  button { font: inherit; padding: 5px 14px; cursor: pointer; }
  #run { background: var(--accent); color: #fff; border: 0; border-radius: 4px; }
  .hint, .status { color: var(--muted); }
  .status.error { color: #dc2626; }
  .downloads a { margin-left: 8px; }
  .scroll { overflow: auto; max-height: 70vh; border: 1px solid var(--line); }
  table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
  th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
  th { position: sticky; top: 0; background: Canvas; }
  td.uri { color: var(--accent); }
  td { max-width: 60ch; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--line); padding: 8px; margin: 0; }
  pre.error { color: #dc2626; }
  aside h2 { font-size: 15px; margin: 0 0 8px; }
  aside ul { list-style: none; padding: 0; margin: 0; }
  aside li { margin-bottom: 10px; }
  aside button { padding: 0; border: 0; background: none; color: var(--accent); font-weight: 600; }
  aside .desc { display: block; color: var(--muted); font-size: 12.5px; }
  aside .params { display: block; font-size: 12px; font-style: italic; }
</style>
</head>
<body>
<header>
  <h1>kg SPARQL endpoint</h1>
  <p>SPARQL 1.1 Protocol at <code>/sparql</code>. The default graph is the union of all article graphs
     (use <code>GRAPH ?g</code> when the source matters); prefixes such as <code>kg:</code>,
     <code>org:</code>, <code>prov:</code> and <code>rdfs:</code> are predeclared.
     <span id="mode"></span></p>
</header>
<main>
  <section>
    <label for="query" class="hint">Query</label>
    <textarea id="query" spellcheck="false" autocomplete="off"></textarea>
    <div class="bar">
      <button id="run" type="button">Run query</button>
      <span class="hint">Ctrl+Enter</span>
      <span id="status" class="status" role="status"></span>
      <span id="downloads" class="downloads"></span>
    </div>
    <div id="results"></div>
  </section>
  <aside>
    <h2>Canned queries</h2>
    <ul id="canned"></ul>
  </aside>
</main>
<script type="application/json" id="kg-data">__DATA__</script>
<script nonce="__NONCE__">
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const editor = document.getElementById("query");
  const statusEl = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const MAX_ROWS = 2000;
  const prefixes = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);
  const FORMATS = {
    solutions: [["csv", "csv"], ["tsv", "tsv"], ["json", "srj"], ["xml", "srx"]],
    graph: [["turtle", "ttl"], ["ntriples", "nt"], ["jsonld", "jsonld"]],
  };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function setStatus(text, isError) {
    statusEl.textContent = text;
    statusEl.className = isError ? "status error" : "status";
  }

  function shorten(iri) {
    for (const [prefix, ns] of prefixes) {
      if (iri.startsWith(ns) && iri.length > ns.length) return prefix + ":" + iri.slice(ns.length);
    }
    return iri;
  }

  function termText(term) {
    if (!term) return "";
    if (term.type === "uri") return shorten(term.value);
    if (term.type === "bnode") return "_:" + term.value;
    if (term.type === "triple") {
      const t = term.value;
      return "<< " + termText(t.subject) + " " + termText(t.predicate) + " " + termText(t.object) + " >>";
    }
    return String(term.value);
  }

  function termTitle(term) {
    if (!term) return "";
    if (term.type === "uri") return term.value;
    if (term["xml:lang"]) return "@" + term["xml:lang"];
    if (term.datatype) return shorten(term.datatype);
    return "";
  }

  function showDownloads(query, kind) {
    downloads.replaceChildren();
    if (!kind) return;
    downloads.append(el("span", "Download:", "hint"));
    for (const [format, ext] of FORMATS[kind]) {
      const link = el("a", format);
      link.href = data.endpoint + "?" + new URLSearchParams({ query: query, format: format }).toString();
      link.download = "results." + ext;
      downloads.append(link);
    }
  }

  function renderSolutions(json, ms) {
    const vars = json.head.vars || [];
    const rows = json.results.bindings;
    const table = el("table");
    const headRow = el("tr");
    for (const v of vars) headRow.append(el("th", "?" + v));
    table.append(el("thead"));
    table.tHead.append(headRow);
    const body = el("tbody");
    for (const row of rows.slice(0, MAX_ROWS)) {
      const tr = el("tr");
      for (const v of vars) {
        const term = row[v];
        const td = el("td", termText(term), term && term.type === "uri" ? "uri" : "");
        const title = termTitle(term);
        if (title) td.title = title;
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    const wrap = el("div", null, "scroll");
    wrap.append(table);
    results.append(wrap);
    const shown = rows.length > MAX_ROWS ? " (first " + MAX_ROWS + " shown; download for all)" : "";
    setStatus(rows.length + (rows.length === 1 ? " row" : " rows") + " in " + ms + " ms" + shown);
  }

  async function run() {
    const query = editor.value;
    results.replaceChildren();
    showDownloads(query, null);
    setStatus("Running\\u2026");
    const started = performance.now();
    let response, text;
    try {
      response = await fetch(data.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query: query }),
      });
      text = await response.text();
    } catch (err) {
      setStatus("The server did not answer: " + err.message, true);
      return;
    }
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      setStatus(response.status + " " + response.statusText, true);
      results.append(el("pre", text, "error"));
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("sparql-results+json")) {
      const json = JSON.parse(text);
      if (typeof json.boolean === "boolean") {
        results.append(el("pre", String(json.boolean)));
        setStatus("ASK answered in " + ms + " ms");
      } else {
        renderSolutions(json, ms);
        showDownloads(query, "solutions");
      }
    } else {
      results.append(el("pre", text));
      setStatus("graph in " + ms + " ms");
      showDownloads(query, "graph");
    }
  }

  const PLACEHOLDERS = { string: '""', iri: "<https://w3id.org/kg-news/id/>", integer: "0",
                         decimal: "0.0", date: '"2000-01-01"^^xsd:date' };

  function withParams(q) {
    if (!q.params.length) return q.text;
    const lines = q.params.map((p) =>
      "  VALUES ?" + p.name + " { " + (PLACEHOLDERS[p.type] || '""') + " }  # fill in: " +
      (p.description || p.type));
    const match = /WHERE\\s*\\{/i.exec(q.text);
    if (!match) return q.text + "\\n" + lines.join("\\n") + "\\n";
    const at = match.index + match[0].length;
    return q.text.slice(0, at) + "\\n" + lines.join("\\n") + q.text.slice(at);
  }

  const list = document.getElementById("canned");
  for (const q of data.queries) {
    const item = el("li");
    const button = el("button", q.name);
    button.type = "button";
    button.addEventListener("click", () => {
      editor.value = withParams(q);
      editor.focus();
      results.replaceChildren();
      showDownloads("", null);
      setStatus(q.params.length ? "Fill in the VALUES line for " +
        q.params.map((p) => "?" + p.name).join(", ") + ", then run." : "");
    });
    item.append(button, el("span", q.description, "desc"));
    if (q.params.length) {
      item.append(el("span", "needs " + q.params.map((p) => "?" + p.name + " (" + p.type + ")").join(", "),
                     "params"));
    }
    list.append(item);
  }

  document.getElementById("mode").textContent = data.updates
    ? "Updates are allowed (POST update=)." : "Read-only: updates are refused.";
  editor.value = data.example;
  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
})();
</script>
</body>
</html>
"""

__all__ = ["create_app", "serve", "ENDPOINT", "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT",
           "SOLUTION_FORMATS", "GRAPH_FORMATS", "negotiate", "uses_service"]
