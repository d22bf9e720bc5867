"""A kg store on a SPARQL 1.1 server (Virtuoso, Apache Jena Fuseki, GraphDB, Neptune...).

``--store http://host:port/sparql`` opens a :class:`RemoteStore`: the same methods as
:class:`~kg.store.oxigraph.OxigraphStore`, spoken over the SPARQL 1.1 Protocol (query and update)
and, where the server offers it, the SPARQL 1.1 Graph Store HTTP Protocol (one ``PUT`` replaces
an article's graph). Only the standard library talks HTTP; pyoxigraph parses what comes back, so
the rest of kg consumes remote results exactly as it consumes local ones.

The store on the server is the set of named graphs whose IRI starts with
:data:`~kg.store.oxigraph.GRAPH_PREFIX` (one per article, and the curation graph), plus their
union, which kg materialises on every write as it does locally, so the canned queries give the
same answers. Where the union lives depends on the server:

- servers with a real default graph of their own (Fuseki, Oxigraph, ``kg serve``): there;
- servers whose default graph is already the union of *all* their graphs, with duplicates and
  system graphs (Virtuoso; GraphDB and Neptune behave alike): in the named graph
  :data:`UNION_GRAPH`, which every query names as its default graph (``default-graph-uri``).

Either way ``GRAPH ?g`` must range over the article graphs only, so kg adds
``FILTER(STRSTARTS(STR(?g), GRAPH_PREFIX))`` after each ``GRAPH ?var { }`` pattern of a query's or
update's WHERE clause (a lexer finds them; nothing else in the text is touched).

Writes. A server may apply an update request as one transaction (Fuseki, Oxigraph) or not
(Virtuoso 7.2 commits each operation of a request on its own, and a failed Graph Store ``PUT``
leaves the graph empty or half loaded: checked against the real server). So every write is made
crash-safe by bookkeeping instead of relying on the server: the graphs about to be written are
first listed in :data:`PENDING_GRAPH`; they leave the list only when the graph and the union are
both written. Opening the store for writing repairs what an interrupted write left: each listed
graph is dropped with its share of the union, and :meth:`RemoteStore.articles` never reports a
listed graph, so the next ingest simply writes those articles again. Every step is idempotent.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.rdf.iris import CURATION_GRAPH
from kg.rdf.namespaces import DATA_NS, PREFIXES
from kg.store.oxigraph import GRAPH_PREFIX, OxigraphStore, syntax_message

UNION_GRAPH = DATA_NS + "union"
PENDING_GRAPH = DATA_NS + "pending"
_MEMBER = "<http://www.w3.org/2000/01/rdf-schema#member>"
_RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
_CLOSE_MATCH = "<http://www.w3.org/2004/02/skos/core#closeMatch>"
_XSD = PREFIXES["xsd"]
_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
_WKT = PREFIXES["geo"] + "wktLiteral"

# Virtuoso compiles INSERT DATA into SQL and gives up past ~1,400 short triples ("generated SQL
# text has exceeded 10000 lines"); 400 triples or 256 kB per operation stays well inside.
CHUNK_TRIPLES = 400
CHUNK_BYTES = 256 * 1024
BATCH_GRAPHS = 32  # graphs per pending-list entry when pushing
DEFAULT_TIMEOUT = 300.0
_USER_AGENT = "kg (knowledge graphs from news; SPARQL 1.1 Protocol client)"


def remote_url(target: str | os.PathLike[str]) -> str | None:
    """The SPARQL endpoint URL a ``--store`` value names, or None when it names a folder. An
    ``http://`` URL that went through :class:`pathlib.Path` (which folds ``//`` into ``/``) is
    mended."""
    text = target if isinstance(target, str) else os.fsdecode(os.fspath(target))
    if not isinstance(target, str):
        text = re.sub(r"^(https?):/(?!/)", r"\1://", text, flags=re.I)
    return text if _URL.match(text) else None


def is_remote(target: str | os.PathLike[str]) -> bool:
    """Whether a ``--store`` value names a SPARQL endpoint rather than a folder."""
    return remote_url(target) is not None


_URL = re.compile(r"^https?://", re.I)


# --- configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach the server. ``union`` is the named graph that holds the union, or
    None when it is the server's own default graph; ``gsp`` is the Graph Store Protocol URL or
    None to write with SPARQL Update only."""

    query: str
    update: str
    gsp: str | None
    union: str | None
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def display(self) -> str:
        return self.query


_KG_PARAMS = ("update", "gsp", "union")


def parse_endpoint(url: str, env: dict[str, str] | None = None, *, server: str = "") -> Endpoint:
    """Read the endpoint configuration from the URL and the environment.

    ``http://host/sparql?update=/update&gsp=/data&union=default`` (kg's own parameters, removed
    from the URL; a value starting with ``/`` is a path on the same server) or the environment:
    ``KG_UPDATE_URL``, ``KG_GSP_URL`` (``none``: SPARQL Update only), ``KG_UNION_GRAPH``
    (``default``: the server's default graph; or an IRI), ``KG_STORE_USER``,
    ``KG_STORE_PASSWORD``, ``KG_STORE_TIMEOUT`` (seconds). URL parameters win over the
    environment. ``server`` is the server's ``Server`` header: on Virtuoso the Graph Store
    endpoint and the union graph have good defaults."""
    env = dict(os.environ if env is None else env)
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise StoreError(f"{url}: not a SPARQL endpoint URL (write http://host:port/sparql)")
    kept, ours = [], {}
    for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if k in _KG_PARAMS:
            ours[k] = v
        else:
            kept.append((k, v))
    user = urllib.parse.unquote(parts.username) if parts.username else env.get("KG_STORE_USER") or None
    password = (urllib.parse.unquote(parts.password) if parts.password is not None
                else env.get("KG_STORE_PASSWORD", ""))
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    query = urllib.parse.urlunsplit((parts.scheme.lower(), netloc, parts.path or "/",
                                     urllib.parse.urlencode(kept), ""))
    base = f"{parts.scheme.lower()}://{netloc}"

    def resolve(value: str) -> str:
        return base + value if value.startswith("/") else value

    update = resolve(ours.get("update") or env.get("KG_UPDATE_URL") or query)
    virtuoso = "virtuoso" in server.lower()
    gsp_value = ours.get("gsp") or env.get("KG_GSP_URL") or ""
    if gsp_value.lower() == "none":
        gsp = None
    elif gsp_value:
        gsp = resolve(gsp_value)
    elif virtuoso:
        gsp = base + ("/sparql-graph-crud-auth" if user else "/sparql-graph-crud")
    else:
        gsp = None
    union_value = ours.get("union") or env.get("KG_UNION_GRAPH") or ""
    if union_value.lower() == "default":
        union = None
    elif union_value:
        if not _URL.match(union_value) and not union_value.startswith("urn:"):
            raise StoreError(f"{union_value}: KG_UNION_GRAPH is `default` or a graph IRI")
        union = union_value
    else:
        union = UNION_GRAPH if virtuoso else None
    try:
        timeout = float(env.get("KG_STORE_TIMEOUT") or DEFAULT_TIMEOUT)
    except ValueError as exc:
        raise StoreError(f"KG_STORE_TIMEOUT={env['KG_STORE_TIMEOUT']!r}: write a number of seconds") from exc
    return Endpoint(query, update, gsp, union, user, password, timeout)


# --- SPARQL text: terms, VALUES, graph filters -----------------------------------------------------


def sparql_term(term: Any) -> str:
    """An RDF term (pyoxigraph NamedNode or Literal) as SPARQL text. Strings are escaped as in
    N-Triples, so no value can end a literal or an IRI early; anything else is refused."""
    import pyoxigraph as ox

    from kg.rdf.terms import escape

    if isinstance(term, ox.NamedNode):
        if _IRI_BAD.search(term.value):
            raise QueryError(f"<{term.value}>: not a valid IRI")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        body = f'"{escape(term.value)}"'
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise QueryError(f"@{term.language}: not a valid language tag")
            return f"{body}@{term.language}"
        dt = term.datatype.value
        if dt == _XSD + "string":
            return body
        if _IRI_BAD.search(dt):
            raise QueryError(f"<{dt}>: not a valid datatype IRI")
        return f"{body}^^<{dt}>"
    raise QueryError(f"{term!r}: only IRIs and literals can be bound to a query variable")


_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_VAR = re.compile(r"[A-Za-z_]\w*")


def values_clause(substitutions: dict[str, Any]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }``: how the query is told a parameter's value."""
    names = list(substitutions)
    for name in names:
        if not _VAR.fullmatch(name):
            raise QueryError(f"{name!r}: a query variable name is letters, digits and _")
    terms = " ".join(sparql_term(substitutions[n]) for n in names)
    return f" VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }} "


@dataclass(frozen=True)
class _Tok:
    kind: str  # string | iri | word | other
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        if self.kind == "word" and self.text[0] not in "?$" and ":" not in self.text:
            return self.text.upper()
        return None

    @property
    def is_var(self) -> bool:
        return self.kind == "word" and self.text[0] in "?$"


def _tokens(text: str) -> list[_Tok]:
    """The tokens of a SPARQL text that matter here: no whitespace, no comments. Strings and IRIs
    are single tokens (the lexer of :mod:`kg.sparqltext`), so braces inside them never count."""
    from kg.sparqltext import _LEXEME

    out = []
    for m in _LEXEME.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "comment" or (kind == "other" and m.group().isspace()):
            continue
        out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _expand_short_forms(text: str) -> str:
    """``DELETE WHERE { P }`` as ``DELETE { P } WHERE { P }`` and ``CONSTRUCT WHERE { P }`` as
    ``CONSTRUCT { P } WHERE { P }``: the same operations, whose WHERE clause can now carry graph
    filters and parameter values (the short forms allow neither)."""
    toks = _tokens(text)
    for i in range(len(toks) - 2, 0, -1):
        if toks[i].keyword == "WHERE" and toks[i - 1].keyword in ("DELETE", "CONSTRUCT") \
                and toks[i + 1].text == "{" and _depth_at(toks, i) == 0:
            close = _matching(toks, i + 1)
            if close is None:
                return text
            body = text[toks[i + 1].start:toks[close].end]
            text = text[:toks[i].start] + body + " WHERE " + body + text[toks[close].end:]
    return text


def _depth_at(toks: Sequence[_Tok], index: int) -> int:
    depth = 0
    for t in toks[:index]:
        depth += t.text == "{"
        depth -= t.text == "}"
    return depth


def _matching(toks: Sequence[_Tok], open_index: int, pair: str = "{}") -> int | None:
    """The index of the token that closes the bracket at ``open_index`` (``pair``: "{}" or "()")."""
    depth = 0
    for j in range(open_index, len(toks)):
        depth += toks[j].text == pair[0]
        depth -= toks[j].text == pair[1]
        if depth == 0:
            return j
    return None


def rewrite(text: str, *, graph_filter: Callable[[str], str] | None = None,
            bindings: dict[str, Any] | None = None, named_constants: bool = False,
            virtuoso: bool = False) -> str:
    """The query or update as kg sends it to a server. Nothing else in the text changes; a text
    the lexer cannot follow is returned as it is (the server reports it).

    - ``graph_filter``: every ``GRAPH ?v { P }`` of a WHERE clause (not of INSERT/DELETE templates
      or data) becomes ``{ GRAPH ?v { P } FILTER(graph_filter(?v)) }``: the same pattern,
      restricted. The group of its own matters: Virtuoso 7.2 mis-joins a query whose filter on ?v
      sits beside BINDs and UNIONs (queries/attributions.rq gave 61 rows instead of 28).
    - ``bindings`` (variable -> RDF term): a ``VALUES`` clause at the start of the WHERE group and of
      every group inside it that mentions one of the variables, so that, as with a local store's
      substitutions, the value is seen everywhere (a FILTER inside ``GRAPH ?g { }`` too).
    - ``named_constants``: ``GRAPH <g> { P }`` becomes ``{ SELECT vars(P) WHERE { GRAPH ?_kg_gN { P }
      FILTER(?_kg_gN = <g>) } }`` (or a FILTER EXISTS when P has no variables): the same answers,
      for servers that, given ``default-graph-uri`` and no named graphs, find nothing in
      ``GRAPH <g>`` while ``GRAPH ?v`` still ranges over every graph (Virtuoso 7.2).
    - ``virtuoso``: work around two Virtuoso 7.2 defects. Each ``CONCAT`` argument goes through
      ``STR()``: its CONCAT fails on long stored strings ("SR066 ... incomplete RDF box",
      virtuoso-opensource issue #298) otherwise, and it already takes the plain string of every
      argument (it drops language tags, accepts numbers and IRIs), so no answer changes. And
      ``DATATYPE(x)`` says ``geo:wktLiteral`` where Virtuoso says ``virtrdf:Geometry`` (it converts
      WKT literals on load, issue #456), as kg's results do. And ORDER BY sorts strings by their
      text (see :func:`_order_keys`).
    """
    text = _expand_short_forms(text)
    if virtuoso:
        text = _order_keys(text)
    toks = _tokens(text)
    closing = _pairs(toks)
    if closing is None:
        return text  # unbalanced braces
    names = set(bindings or ())
    clause = values_clause(bindings) if bindings else ""
    bound_at = [i for i, t in enumerate(toks) if t.is_var and t.text[1:] in names]
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement); start == end inserts
    stack: list[str] = []  # pattern | template | data, for each open brace
    graph_vars: dict[int, str] = {}  # stack depth of a GRAPH ?v group -> ?v
    constants: dict[int, tuple[str, str, bool]] = {}  # stack depth of a GRAPH <g> group -> (<g>, ?fresh, vars?)
    last = None  # the last keyword at depth 0 that decides what the next top-level brace opens
    top_done = False
    for i, t in enumerate(toks):
        kw = t.keyword
        if not stack and kw in ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT", "WHERE", "INSERT", "DELETE", "DATA",
                                "VALUES"):
            last = kw
        if t.text == "{":
            if stack:
                kind = stack[-1]
            elif last in ("WHERE", "SELECT", "ASK", "DESCRIBE"):
                kind = "pattern"
            elif last in ("CONSTRUCT", "INSERT", "DELETE"):
                kind = "template"
            else:
                kind = "data"
            stack.append(kind)
            graph_kw = kind == "pattern" and i >= 2 and toks[i - 2].keyword == "GRAPH"
            if graph_kw and toks[i - 1].is_var and graph_filter is not None:
                graph_vars[len(stack)] = toks[i - 1].text
                edits.append((toks[i - 2].start, toks[i - 2].start, "{ "))
            elif graph_kw and named_constants and (toks[i - 1].kind == "iri" or ":" in toks[i - 1].text):
                fresh = f"?_kg_g{i}"
                inner = list(dict.fromkeys("?" + x.text[1:] for x in toks[i + 1:closing[i]] if x.is_var))
                opening = f"{{ SELECT {' '.join(inner)} WHERE {{ " if inner else "FILTER EXISTS { "
                constants[len(stack)] = (toks[i - 1].text, fresh, bool(inner))
                edits.append((toks[i - 2].start, toks[i - 2].start, opening))
                edits.append((toks[i - 1].start, toks[i - 1].end, fresh))
            if clause and kind == "pattern" and (i + 1 >= len(toks) or toks[i + 1].keyword != "SELECT"):
                top = len(stack) == 1 and not top_done
                top_done = top_done or len(stack) == 1
                if top or bisect.bisect_right(bound_at, i) < bisect.bisect_left(bound_at, closing[i]):
                    edits.append((t.end, t.end, clause))
        elif t.text == "}":
            var = graph_vars.pop(len(stack), None)
            const = constants.pop(len(stack), None)
            stack.pop()
            if var:
                edits.append((t.end, t.end, f" FILTER({graph_filter(var)}) }}"))  # type: ignore[misc]
            if const:
                iri, fresh, subselect = const
                edits.append((t.end, t.end, f" FILTER({fresh} = {iri}) }}" + (" }" if subselect else "")))
    if virtuoso:
        edits += [(pos, pos, snippet) for pos, snippet in _str_concat_args(toks) + _virtuoso_datatype(text, toks)]
    ordered = sorted(((a, b, seq, snippet) for seq, (a, b, snippet) in enumerate(edits)), reverse=True)
    for a, b, _, snippet in ordered:  # same position: in the order recorded
        text = text[:a] + snippet + text[b:]
    return text


_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


def _order_keys(text: str) -> str:
    """Each ``ORDER BY`` condition ``X`` as two keys, ``IF(isNumeric(X), X, 0)`` then ``STR(X)``.

    Virtuoso 7.2 does not sort longer strings by their text ("Islamic Movement of Uzbekistan"
    came before "... of Turkestan"), so a LIMIT kept other rows than a local store; sorting by
    STR() is right. The first key keeps numbers in numeric order; ISO dates sort right as text.
    An aggregate's alias (``DESC(?n)`` for ``(COUNT(...) AS ?n)``) stays as it is: Virtuoso refuses
    it inside an expression, and numbers sort right anyway."""
    toks = _tokens(text)
    aliases = _aggregate_aliases(toks)
    edits: list[tuple[int, int, str]] = []
    i = 0
    while i < len(toks) - 1:
        if not (toks[i].keyword == "ORDER" and toks[i + 1].keyword == "BY"):
            i += 1
            continue
        j = i + 2
        while j < len(toks):
            t = toks[j]
            direction, first, last = "ASC", j, j
            if t.is_var:
                expr = t.text
            elif t.keyword in ("ASC", "DESC") and j + 1 < len(toks) and toks[j + 1].text == "(":
                found = _call_args(toks, j)
                if not found or len(found[0]) != 1:
                    return text
                (a, b), last = found[0][0], found[1]
                direction, expr = t.keyword, text[toks[a].start:toks[b].end]
            elif t.text == "(" or ((t.kind == "iri" or ":" in t.text or (t.keyword and t.keyword not in
                                   ("LIMIT", "OFFSET", "VALUES"))) and j + 1 < len(toks) and toks[j + 1].text == "("):
                start = j if t.text == "(" else j + 1
                last = _matching(toks, start, "()")
                if last is None:
                    return text
                expr = text[t.start:toks[last].end]
            else:
                break
            if expr[0] in "?$" and expr[1:] in aliases:
                j = last + 1
                continue
            edits.append((toks[first].start, toks[last].end,
                          f"{direction}(IF(isNumeric({expr}), {expr}, 0)) {direction}(STR({expr}))"))
            j = last + 1
        i = j
    for a, b, snippet in sorted(edits, reverse=True):
        text = text[:a] + snippet + text[b:]
    return text


def _aggregate_aliases(toks: Sequence[_Tok]) -> set[str]:
    """Names bound by ``(AGGREGATE(...) AS ?name)``."""
    out = set()
    for i, t in enumerate(toks):
        if t.keyword != "AS" or i + 1 >= len(toks) or not toks[i + 1].is_var:
            continue
        depth, j = 0, i - 1
        while j >= 0:
            x = toks[j].text
            if x == ")":
                depth += 1
            elif x == "(":
                if depth == 0:
                    break
                depth -= 1
            elif toks[j].keyword in _AGGREGATES:
                out.add(toks[i + 1].text[1:])
                break
            j -= 1
    return out


def _pairs(toks: Sequence[_Tok]) -> dict[int, int] | None:
    """Index of each ``{`` -> index of its ``}``; None when they do not balance."""
    out, opened = {}, []
    for i, t in enumerate(toks):
        if t.text == "{":
            opened.append(i)
        elif t.text == "}":
            if not opened:
                return None
            out[opened.pop()] = i
    return None if opened else out


def _call_args(toks: Sequence[_Tok], i: int) -> tuple[list[tuple[int, int]], int] | None:
    """For a function name at ``i`` followed by ``(``: the (first, last) token index of each
    argument, and the index of the closing ``)``."""
    if i + 1 >= len(toks) or toks[i + 1].text != "(":
        return None
    args, depth, start = [], 0, i + 2
    for j in range(i + 1, len(toks)):
        x = toks[j].text
        if x == "(":
            depth += 1
        elif x == ")":
            depth -= 1
        if depth == 0 or (depth == 1 and x == ","):
            if start < j:
                args.append((start, j - 1))
            start = j + 1
            if depth == 0:
                return args, j
    return None


def _virtuoso_datatype(text: str, toks: Sequence[_Tok]) -> list[tuple[int, str]]:
    """Insertions that turn ``DATATYPE(x)`` into ``IF(DATATYPE(x) = virtrdf:Geometry,
    geo:wktLiteral, DATATYPE(x))``."""
    out: list[tuple[int, str]] = []
    for i, t in enumerate(toks):
        found = _call_args(toks, i) if t.keyword == "DATATYPE" else None
        if not found or len(found[0]) != 1:
            continue
        (first, last_), close = found[0][0], found[1]
        arg = text[toks[first].start:toks[last_].end]
        out += [(t.start, "IF("), (toks[close].end, f" = <{_GEOMETRY}>, <{_WKT}>, DATATYPE({arg}))")]
    return out


def _str_concat_args(toks: Sequence[_Tok]) -> list[tuple[int, str]]:
    """Insertions that turn ``CONCAT(a, b)`` into ``CONCAT(STR(a), STR(b))``."""
    out: list[tuple[int, str]] = []
    for i, t in enumerate(toks):
        found = _call_args(toks, i) if t.keyword == "CONCAT" else None
        for first, last_ in found[0] if found else ():
            out += [(toks[first].start, "STR("), (toks[last_].end, ")")]
    return out


def kg_graph_filter(var: str) -> str:
    """The condition that keeps ``var`` to kg's graphs (articles and curation)."""
    return f'STRSTARTS(STR({var}), "{GRAPH_PREFIX}")'


def prologue() -> str:
    """PREFIX lines for the prefixes that kg predeclares locally."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def chunks(lines: Sequence[str], *, max_lines: int = CHUNK_TRIPLES, max_bytes: int = CHUNK_BYTES) -> Iterator[str]:
    """N-Triples lines in groups small enough for one INSERT DATA operation on any server (one
    line longer than ``max_bytes`` still goes, alone)."""
    group: list[str] = []
    size = 0
    for line in lines:
        n = len(line.encode("utf-8"))
        if group and (len(group) >= max_lines or size + n > max_bytes):
            yield "".join(group)
            group, size = [], 0
        group.append(line)
        size += n
    if group:
        yield "".join(group)


# --- results -----------------------------------------------------------------------------------------


def _fix_json_term(term: dict[str, Any]) -> dict[str, Any]:
    """Mend what some servers send in SPARQL JSON results: ``typed-literal`` (SPARQL 1.0 JSON),
    booleans as 1/0 and Virtuoso's geometry type (see :func:`_wkt_from_virtuoso`)."""
    if term.get("type") == "typed-literal":
        term = {**term, "type": "literal"}
    dt = term.get("datatype")
    if dt == _XSD + "boolean" and term.get("value") in ("1", "0"):
        term = {**term, "value": "true" if term["value"] == "1" else "false"}
    elif dt == _GEOMETRY:
        term = {**term, "datatype": _WKT, "value": _wkt_from_virtuoso(term.get("value", ""))}
    return term


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _wkt_from_virtuoso(value: str) -> str:
    """Virtuoso stores ``geo:wktLiteral`` values as its own single-precision geometry type and
    gives them back as ``virtrdf:Geometry`` with 12 decimals (virtuoso-opensource issues #456 and
    #808). kg writes points with 5 decimals (about 1 m); rounding back to 5 decimals restores
    what was written (to within 1e-5 degrees beyond 128 degrees of longitude)."""
    if not value.upper().startswith("POINT"):
        return value
    return _NUMBER.sub(lambda m: f"{float(m.group()):.5f}", value)


def _fix_rdf_term(term: Any) -> Any:
    import pyoxigraph as ox

    if isinstance(term, ox.Literal) and term.datatype is not None:
        dt = term.datatype.value
        if dt == _GEOMETRY:
            return ox.Literal(_wkt_from_virtuoso(term.value), datatype=ox.NamedNode(_WKT))
        if dt == _XSD + "boolean" and term.value in ("1", "0"):
            return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


def _triples(data: bytes, media_type: str) -> list[Any]:
    """Parse an RDF answer (CONSTRUCT, DESCRIBE) into pyoxigraph triples."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
    try:
        return [ox.Triple(_fix_rdf_term(q.subject), q.predicate, _fix_rdf_term(q.object))
                for q in ox.parse(data, format=fmt)]
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"the server sent {media_type or 'RDF'} that does not parse ({exc})") from exc


def _as_query_triples(triples: list[Any]) -> Any:
    """A pyoxigraph ``QueryTriples`` holding ``triples``, as a local CONSTRUCT returns it."""
    import pyoxigraph as ox

    mem = ox.Store()
    mem.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return mem.query("CONSTRUCT WHERE { ?s ?p ?o }")


# --- HTTP ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class _Http:
    """urllib with HTTP basic and digest authentication, a time limit, and every failure turned
    into one line that names the URL and says what to do."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        handlers: list[Any] = []
        if endpoint.user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoint.query, endpoint.update, endpoint.gsp or endpoint.query}:
                passwords.add_password(None, url, endpoint.user, endpoint.password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords),
                         urllib.request.HTTPDigestAuthHandler(passwords)]
        self.opener = urllib.request.build_opener(*handlers)

    def send(self, method: str, url: str, *, body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, what: str = "request") -> Response:
        headers = {"User-Agent": _USER_AGENT}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        shown = url.split("?", 1)[0]  # messages name the endpoint, not the query string
        try:
            with self.opener.open(req, timeout=self.endpoint.timeout) as resp:
                return Response(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
        except urllib.error.HTTPError as exc:
            error = _http_error(shown, exc.code, _error_text(exc), what, bool(self.endpoint.user))
            error.status = exc.code  # type: ignore[attr-defined]
            raise error from None
        except (TimeoutError, socket.timeout) as exc:
            raise self._timeout(shown, what) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise self._timeout(shown, what) from exc
            if body and isinstance(reason, (BrokenPipeError, ConnectionResetError)):
                # a server that refuses a request (no credentials, too large) may answer and close
                # before reading the body: the refusal, not the broken pipe, is what to report
                refusal = self._refusal(url, headers, shown, what)
                if refusal is not None:
                    raise refusal from exc
            text = getattr(reason, "strerror", None) or str(reason)
            raise StoreError(f"{shown}: cannot reach the SPARQL server ({text}); is it running, and is the "
                             "--store URL right?") from exc
        except (ConnectionError, OSError) as exc:
            raise StoreError(f"{shown}: the connection to the SPARQL server failed ({exc}); retry, or check "
                             "the server") from exc


    def _refusal(self, url: str, headers: dict[str, str], shown: str, what: str) -> StoreError | None:
        """The refusal (401, 403, 413) the server gives the same URL without a body, if any."""
        probe = urllib.request.Request(url, method="HEAD", headers={
            k: v for k, v in headers.items() if k.lower() not in {"content-type", "content-length"}})
        try:
            with self.opener.open(probe, timeout=self.endpoint.timeout):
                return None
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403, 413):
                error = _http_error(shown, exc.code, _error_text(exc), what, bool(self.endpoint.user))
                error.status = exc.code  # type: ignore[attr-defined]
                return error
            return None
        except (OSError, ValueError):
            return None

    def _timeout(self, url: str, what: str) -> StoreError | QueryTimeout:
        message = (f"{url}: no answer within {self.endpoint.timeout:g} s to the {what} (a slow or overloaded "
                   "server; raise KG_STORE_TIMEOUT")
        if what.startswith("query"):
            return QueryTimeout(message + ", or narrow the query)")
        return StoreError(message + ")")


def _error_text(exc: urllib.error.HTTPError) -> str:
    """The first meaningful line of a server's error page (Virtuoso: ``Virtuoso 37000 Error
    SP030: ...``; HTML pages reduced to their text), never the echoed query."""
    try:
        raw = exc.read(4096).decode("utf-8", "replace")
    except OSError:
        raw = ""
    finally:
        exc.close()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", "\n", text)
    lines = [" ".join(x.split()) for x in text.splitlines()]
    lines = [x for x in lines if x and not x.lower().startswith(("<!doctype", "http/1.1", "error "))]
    skip = re.compile(r"^(SPARQL (query|request|Graph Protocol request)[^:]*:?|Error \d+|.*request failed)$", re.I)
    for line in lines:
        if skip.match(line):
            continue
        return line[:240]
    return exc.reason if isinstance(exc.reason, str) else ""


def _http_error(url: str, status: int, detail: str, what: str, credentials: bool = False) -> StoreError:
    detail = f": {detail}" if detail else ""
    if status in (401, 403):
        who = ("check KG_STORE_USER and KG_STORE_PASSWORD" if credentials
               else "give credentials in KG_STORE_USER and KG_STORE_PASSWORD")
        return StoreError(
            f"{url}: the server refused the {what} ({status}{detail}); {who}, or grant the right to write "
            "(Virtuoso: isql-vt PORT dba PASSWORD exec='GRANT SPARQL_UPDATE TO \"SPARQL\";')")
    if status == 404:
        return StoreError(f"{url}: no such endpoint on the server (404{detail}); check the --store URL "
                          "(and KG_UPDATE_URL / KG_GSP_URL)")
    if status in (400, 405, 415, 501) and what.startswith("query"):
        return QueryError(f"the server rejected the query ({status}{detail})")
    if status in (502, 503, 504):
        return StoreError(f"{url}: the server is unavailable ({status}{detail}); retry later")
    return StoreError(f"{url}: the {what} failed ({status}{detail})")


# --- the store ------------------------------------------------------------------------------------------


class RemoteStore:
    """A kg store on a SPARQL server. Use :func:`kg.open_store` with an ``http(s)://`` URL.

    No lock is taken (the server serialises requests; run one kg writer per store at a time)."""

    kind = "sparql"

    def __init__(self, url: str, *, read_only: bool = False, create: bool = True,
                 env: dict[str, str] | None = None) -> None:
        first = parse_endpoint(url, env)
        self._http = _Http(first)
        probe = self._http.send("GET", _with_params(first.query, {"query": "ASK {}"}),
                                accept="application/sparql-results+json", what="query (ASK {})")
        self.server = probe.headers.get("server", "")
        self.virtuoso = "virtuoso" in self.server.lower()
        self.endpoint = parse_endpoint(url, env, server=self.server)
        self._http = _Http(self.endpoint)
        self.path = self.endpoint.display
        self.url = self.endpoint.query
        self.read_only = read_only
        self._closed = False
        if not read_only:
            self.repair()

    # --- lifecycle --------------------------------------------------------------------------------
    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Nothing to do: the server has committed every request that returned."""

    def compact(self, *, force: bool = False) -> bool:
        """Nothing to do: the server manages its own storage."""
        return False

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        union = self.endpoint.union or "the default graph"
        return f"<RemoteStore {self.url} ({mode}; union in {union}; GSP {self.endpoint.gsp or 'off'})>"

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url}: opened read-only")

    # --- low-level requests --------------------------------------------------------------------------
    def _update(self, sparql: str, what: str = "update") -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
        self._http.send("POST", self.endpoint.update, body=body, content_type="application/x-www-form-urlencoded",
                        accept="*/*", what=what)

    def _select(self, sparql: str, *, what: str = "query") -> Response:
        params: list[tuple[str, str]] = [("query", sparql)]
        if self.endpoint.union and "FROM" not in {t.keyword for t in _tokens(sparql)}:
            params.append(("default-graph-uri", self.endpoint.union))
        body = urllib.parse.urlencode(params).encode("utf-8")
        return self._http.send("POST", self.endpoint.query, body=body, content_type="application/x-www-form-urlencoded",
                               accept=_ACCEPT, what=what)

    def _u(self, body: str) -> str:
        """A template or pattern on the union: in the union graph, or bare (the default graph)."""
        return f"GRAPH <{self.endpoint.union}> {{ {body} }}" if self.endpoint.union else body

    # --- writing -------------------------------------------------------------------------------------
    def write_articles(self, graphs: Iterable[Any], rewrites: Iterable[Any] = ()) -> None:
        """Add or replace each article's graph and apply the entity rewrites
        (:class:`~kg.rdf.rewrites.Rewrite`), rewrites first (as locally). Each article is written with one update request
        (DROP, INSERT DATA in chunks, union maintenance), or with one Graph Store ``PUT`` between
        two small union updates; the pending list makes an interrupted write repairable."""
        self._writable()
        graphs = list(graphs)
        rewrites = list(rewrites)
        try:
            if rewrites:
                self._update(self._rewrites(rewrites), "update (entity rewrites)")
            if graphs:
                self.replace_graphs([(g.graph, g.ntriples()) for g in graphs])
        except StoreError as exc:
            raise StoreError(f"{exc}; the articles of this batch that were not stored will be ingested again "
                             "on the next run") from exc

    def replace_graphs(self, graphs: Sequence[tuple[str, str]],
                       progress: Callable[[str], None] | None = None) -> None:
        """Replace named graphs ``(IRI, N-Triples text)`` and bring the union in line."""
        self._writable()
        if not graphs:
            return
        iris = [g for g, _ in graphs]
        for iri in iris:
            if _IRI_BAD.search(iri):
                raise StoreError(f"<{iri}>: not a valid graph IRI")
        members = " ".join(f"<{PENDING_GRAPH}> {_MEMBER} <{g}> ." for g in iris)
        self._update(f"INSERT DATA {{ GRAPH <{PENDING_GRAPH}> {{ {members} }} }}", "update (pending list)")
        if self.endpoint.gsp:
            self._update(self._union_delete(iris), "update (union)")
            try:
                for iri, ntriples in graphs:
                    self._put(iri, ntriples)
                    if progress:
                        progress(iri)
            except StoreError as exc:
                if getattr(exc, "status", None) in _REFUSED:  # the server changed nothing: undo at once
                    self._update(f"{self._union_insert(iris)} ;\n"
                                 f"DELETE DATA {{ GRAPH <{PENDING_GRAPH}> {{ {members} }} }}", "update (union)")
                raise
            self._update(f"{self._union_insert(iris)} ;\n"
                         f"DELETE DATA {{ GRAPH <{PENDING_GRAPH}> {{ {members} }} }}", "update (union)")
            return
        for iri, ntriples in graphs:
            lines = ntriples.splitlines(keepends=True)
            ops = [self._union_delete([iri]), f"DROP SILENT GRAPH <{iri}>"]
            ops += [f"INSERT DATA {{ GRAPH <{iri}> {{\n{part}}} }}" for part in chunks(lines)]
            ops.append(self._union_insert([iri]))
            if self.virtuoso:
                # Virtuoso 7.2 takes time that grows faster than linearly with the operations of
                # one request (4,500 triples as 12 INSERT DATA: 8 s in one request, 0.7 s in 12;
                # 12,000 triples did not finish in 300 s) and commits each operation on its own
                # anyway (checked: a failing second operation leaves the first applied). So there
                # the operations go one by one; the pending list keeps the write repairable.
                for op in ops:
                    self._update(op, f"update (graph <{iri}>)")
            else:
                self._update(" ;\n".join(ops), f"update (graph <{iri}>)")
            if progress:
                progress(iri)
        self._update(f"DELETE DATA {{ GRAPH <{PENDING_GRAPH}> {{ {members} }} }}", "update (pending list)")

    def _put(self, iri: str, ntriples: str) -> None:
        url = _with_params(self.endpoint.gsp or "", {"graph": iri})
        self._http.send("PUT", url, body=ntriples.encode("utf-8"), content_type="application/n-triples",
                        what=f"Graph Store PUT of <{iri}>")

    def _union_delete(self, iris: Sequence[str]) -> str:
        """Remove from the union the triples that only these graphs state."""
        listed = " ".join(f"<{g}>" for g in iris)
        others = ", ".join(f"<{g}>" for g in iris)
        return (f"DELETE {{ {self._u('?s ?p ?o')} }} WHERE {{ VALUES ?g0 {{ {listed} }} GRAPH ?g0 {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                f"FILTER(?other NOT IN ({others}) && {kg_graph_filter('?other')}) }} }}")

    def _union_insert(self, iris: Sequence[str]) -> str:
        listed = " ".join(f"<{g}>" for g in iris)
        return f"INSERT {{ {self._u('?s ?p ?o')} }} WHERE {{ VALUES ?g0 {{ {listed} }} GRAPH ?g0 {{ ?s ?p ?o }} }}"

    def _resync(self) -> str:
        """The union brought back in line with the graphs (after a user's update)."""
        kg_g = kg_graph_filter("?g")
        return (f"DELETE {{ {self._u('?s ?p ?o')} }} WHERE {{ {self._u('?s ?p ?o')} "
                f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({kg_g}) }} }} ;\n"
                f"INSERT {{ {self._u('?s ?p ?o')} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({kg_g}) }}")

    def _rewrites(self, rewrites: Iterable[Any]) -> str:
        """One update applying the rewrites (:func:`kg.rdf.rewrites.plan`, as locally)."""
        from kg.rdf.rewrites import additions_by_graph, facts_from, facts_query, plan

        def facts(old: str) -> list[tuple[str, str, str | None]]:
            return facts_from(self._solutions(facts_query(old, f"FILTER({kg_graph_filter('?g')})")))

        moves, added = plan(rewrites, facts)
        parts = [self._rewrite(rw) for rw in moves]
        for graph, body in additions_by_graph(added).items():
            parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} {self._u(body)} }}")
        return " ;\n".join(parts)

    def _rewrite(self, rw: Any) -> str:
        """Every use of entity ``rw.old`` becomes ``rw.new``, in every kg graph and in the union;
        the old labels become alternative labels (as :func:`kg.store.oxigraph._rewrite_update`)."""
        from kg.rdf.terms import lit

        old, new = rw.old, rw.new
        kg_g = f"FILTER({kg_graph_filter('?g')})"
        parts = []
        for scope, cond in ((lambda b: f"GRAPH ?g {{ {b} }}", kg_g), (self._u, "")):
            parts += [
                f"DELETE {{ {scope(f'<{old}> ?p ?o')} }} INSERT {{ {scope(f'<{new}> ?p ?o')} }} "
                f"WHERE {{ {scope(f'<{old}> ?p ?o')} {cond} }}",
                f"DELETE {{ {scope(f'?s ?p <{old}>')} }} INSERT {{ {scope(f'?s ?p <{new}>')} }} "
                f"WHERE {{ {scope(f'?s ?p <{old}>')} {cond} }}",
            ]
            if rw.label is not None:
                lab = lit(rw.label)
                parts.append(
                    f"DELETE {{ {scope(f'<{new}> {_RDFS_LABEL} ?l')} }} "
                    f"INSERT {{ {scope(f'<{new}> {_ALT_LABEL} ?l . <{new}> {_RDFS_LABEL} {lab}')} }} "
                    f"WHERE {{ {scope(f'<{new}> {_RDFS_LABEL} ?l')} {cond} FILTER(?l != {lab}) }}")
            parts.append(
                f"DELETE {{ {scope(f'<{new}> {_CLOSE_MATCH} <{new}>')} }} "
                f"WHERE {{ {scope(f'<{new}> {_CLOSE_MATCH} <{new}>')} {cond} }}")
            parts += [f"DELETE {{ {scope(f'<{new}> {pred} ?x')} }} "
                      f"WHERE {{ {scope(f'<{new}> {pred} ?x')} {cond} FILTER(?x != {value}) }}"
                      for pred, value in rw.sole]
        return " ;\n".join(parts)

    def curate(self, triples: list[tuple[str, str, str]], rewrites: Iterable[Any] = ()) -> None:
        """Add curation triples (and the entity rewrites they decide) in one update request."""
        self._writable()
        body = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
        parts = [self._rewrite(rw) for rw in rewrites]
        parts.append(f"INSERT DATA {{ GRAPH <{CURATION_GRAPH}> {{\n{body}}} {self._u(body)} }}")
        self._update(" ;\n".join(parts), "update (curation)")

    def remove_graph(self, graph: str) -> None:
        """Drop one graph and the triples of the union that only it states."""
        self._writable()
        self._update(f"{self._union_delete([graph])} ;\nDROP SILENT GRAPH <{graph}>", f"update (remove <{graph}>)")

    def repair(self) -> None:
        """Undo what an interrupted write left: every graph on the pending list is dropped with its
        share of the union (its article is written again by the next ingest)."""
        pending = self._pending()
        for graph in pending:
            self._update(f"{self._union_delete([graph])} ;\nDROP SILENT GRAPH <{graph}> ;\n"
                         f"DELETE DATA {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING_GRAPH}> {_MEMBER} <{graph}> }} }}",
                         "update (repair of an interrupted write)")

    def _pending(self) -> list[str]:
        rows = self._solutions(f"SELECT ?g WHERE {{ GRAPH <{PENDING_GRAPH}> {{ <{PENDING_GRAPH}> {_MEMBER} ?g }} }}")
        return sorted(r["g"].value for r in rows)

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL update, then bring the union back in line with the graphs, in the
        same request. As locally, updates should name their graphs; ``GRAPH ?g`` in a WHERE
        clause ranges over kg's graphs only."""
        import pyoxigraph as ox

        from kg.sparqltext import check

        self._writable()
        check(sparql)
        body = sparql.rstrip().rstrip(";").rstrip()
        if not body:
            return
        try:  # the same syntax check and message as a local store, before the server sees it
            ox.Store().update(body, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc, "SPARQL update")) from exc
        except (OSError, RuntimeError, ValueError):
            pass  # valid syntax; what it does on an empty store does not matter
        text = prologue() + rewrite(body, graph_filter=kg_graph_filter, virtuoso=self.virtuoso)
        self._update(f"{text}\n;\n{self._resync()}", "update")

    def load_dataset(self, data: bytes, fmt: str) -> None:
        """Load named graphs (TriG / N-Quads, e.g. a kg export): each replaces the graph of the
        same name, and the union follows."""
        import pyoxigraph as ox

        formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
        by_graph: dict[str, list[str]] = {}
        try:
            for q in ox.parse(data, format=formats[fmt]):
                if isinstance(q.graph_name, ox.DefaultGraph):
                    continue  # the union: rebuilt from the graphs
                by_graph.setdefault(q.graph_name.value, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
        except SyntaxError as exc:
            raise StoreError(f"the {fmt} data does not parse ({exc})") from exc
        items = [(g, "".join(lines)) for g, lines in by_graph.items()]
        for start in range(0, len(items), BATCH_GRAPHS):
            self.replace_graphs(items[start:start + BATCH_GRAPHS])

    # --- reading --------------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: dict[str, Any] | None = None) -> Any:
        """Run a SPARQL query; results as pyoxigraph objects, as a local store returns them. The
        default graph is the union; ``substitutions`` bind variables to RDF terms through a VALUES
        clause built from serialised terms (never pasted into the text)."""
        import pyoxigraph as ox

        from kg.sparqltext import check, operation_kind

        check(sparql)  # no SERVICE or LOAD, so the local check below fetches nothing, and cannot crash
        subs = dict(substitutions or {})
        if operation_kind(sparql) == "update":
            raise QueryError("this is a SPARQL update, and a query only reads")
        try:  # check locally on an empty store: same errors as a local store
            probe = ox.Store().query(sparql, prefixes=PREFIXES,
                                     substitutions={ox.Variable(k): v for k, v in subs.items()} or None)
        except SyntaxError as exc:
            raise QueryError(syntax_message(exc)) from exc
        except RuntimeError as exc:
            msg = str(exc)
            if "projection" in msg and subs:
                raise QueryError(f"{msg}: a --param variable must be in the SELECT list") from exc
            raise QueryError(f"query failed: {msg}") from exc
        kind = ("ask" if isinstance(probe, ox.QueryBoolean) else
                "graph" if isinstance(probe, ox.QueryTriples) else "select")
        resp = self._read(prologue() + sparql, subs)
        media = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "graph" or media in _RDF_MEDIA:
            return _as_query_triples(_triples(resp.body, media))
        return self._parse_results(resp, media)

    def _check_complete(self, resp: Response) -> None:
        """Refuse a result the server cut short instead of returning it as if it were whole."""
        state = resp.headers.get("x-sql-state", "")
        if state:
            msg = resp.headers.get("x-sql-message", "")
            raise QueryTimeout(f"{self.url}: the server stopped the query early and sent partial results "
                               f"({state} {msg}); narrow the query, or raise the server's time limit "
                               "(Virtuoso: [SPARQL] MaxQueryExecutionTime)")
        cap = resp.headers.get("x-sparql-maxrows")
        if cap:
            raise QueryError(f"{self.url}: the server cut the result at {cap} rows (Virtuoso: [SPARQL] "
                             "ResultSetMaxRows); raise that limit, or use LIMIT and OFFSET")

    @staticmethod
    def _parse_results(resp: Response, media: str) -> Any:
        import pyoxigraph as ox

        if media in ("application/sparql-results+json", "application/json", ""):
            try:
                data = json.loads(resp.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as exc:
                raise StoreError(f"the server's JSON results do not parse ({exc})") from exc
            for binding in data.get("results", {}).get("bindings", []):
                for var, term in binding.items():
                    binding[var] = _fix_json_term(term)
            return ox.parse_query_results(json.dumps(data).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
        fmt = ox.QueryResultsFormat.from_media_type(media)
        if fmt is None:
            raise StoreError(f"the server answered a query with {media!r}, not SPARQL results")
        try:
            return ox.parse_query_results(resp.body, format=fmt)
        except SyntaxError as exc:
            raise StoreError(f"the server's {media} results do not parse ({exc})") from exc

    def _read(self, sparql: str, bindings: dict[str, Any] | None = None, *, complete: bool = True) -> Response:
        """Send a query as the server needs it (see :func:`rewrite`); with ``complete``, refuse an
        answer the server cut short."""
        text = rewrite(sparql, graph_filter=kg_graph_filter, bindings=bindings,
                       named_constants=self.endpoint.union is not None, virtuoso=self.virtuoso)
        resp = self._select(text)
        if complete:
            self._check_complete(resp)
        return resp

    def _solutions(self, sparql: str) -> list[Any]:
        """Rows of one of kg's own SELECT queries (full IRIs, no prefixes)."""
        resp = self._read(sparql)
        return list(self._parse_results(resp, resp.headers.get("content-type", "").split(";")[0].strip().lower()))

    articles_all = OxigraphStore.articles  # the same queries as locally: they only call self.query
    find_article = OxigraphStore.find_article

    def entities(self, types: Iterable[str]) -> Iterator[tuple[str, str, str | None, list[str]]]:
        """As :meth:`OxigraphStore.entities`, by SPARQL over the article graphs."""
        from kg.store.oxigraph import entity_labels, entity_rows

        labels = entity_labels(self)
        for iri, type_iri, name in entity_rows(self, types):
            yield iri, type_iri, labels.get(iri), [name]

    def articles(self) -> dict[str, tuple[str, str, str]]:
        """article id -> (graph IRI, content hash, article IRI), leaving out graphs whose write was
        interrupted (so that the next ingest writes them again)."""
        pending = set(self._pending())
        return {aid: v for aid, v in self.articles_all().items() if v[0] not in pending}

    def _count(self, pattern: str) -> int:
        rows = self._solutions(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"].value) if rows else 0

    def __len__(self) -> int:
        """Quads in kg's graphs plus triples in the union, as a local store counts them."""
        return (self._count(f"GRAPH ?g {{ ?s ?p ?o }} FILTER({kg_graph_filter('?g')})")
                + self._count("?s ?p ?o"))

    def graphs(self) -> list[str]:
        rows = self._solutions(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({kg_graph_filter('?g')}) }}")
        return sorted(r["g"].value for r in rows)

    def triples_in(self, graph: str | None) -> list[Any]:
        """The triples of a named graph (None: the union), read in pages when the server caps
        result sizes, and checked against a count so that a cut result is never taken as whole."""
        import pyoxigraph as ox

        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
        resp = self._read(f"SELECT ?s ?p ?o WHERE {{ {pattern} }}", complete=False)
        cap = resp.headers.get("x-sparql-maxrows")
        if not cap:
            self._check_complete(resp)
            rows = list(self._parse_results(resp, "application/sparql-results+json"))
        else:
            page = int(cap)
            total = self._count(pattern)
            seen: dict[tuple[str, str, str], Any] = {}
            for offset in range(0, total, page):
                r = self._read(f"SELECT ?s ?p ?o WHERE {{ {pattern} }} LIMIT {page} OFFSET {offset}", complete=False)
                for row in self._parse_results(r, "application/sparql-results+json"):
                    seen[(str(row["s"]), str(row["p"]), str(row["o"]))] = row
            if len(seen) != total:
                raise StoreError(f"{self.url}: reading <{graph or 'the union'}> in pages of {page} gave {len(seen)} "
                                 f"of {total} triples; raise the server's ResultSetMaxRows above {total}")
            rows = list(seen.values())
        return [ox.Triple(r["s"], r["p"], r["o"]) for r in rows]

    def quads_in(self, graph: str) -> Iterator[Any]:
        import pyoxigraph as ox

        g = ox.NamedNode(graph)
        return iter([ox.Quad(t.subject, t.predicate, t.object, g) for t in self.triples_in(graph)])

    def quads(self) -> Iterator[Any]:
        """Every quad: the kg graphs, then the union as the default graph (as locally)."""
        import pyoxigraph as ox

        for graph in self.graphs():
            yield from self.quads_in(graph)
        for t in self.triples_in(None):
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())

    def dump(self, output: Any, fmt: str) -> None:
        """turtle: the union; trig, nquads, jsonld: the named graphs (read graph by graph)."""
        import pyoxigraph as ox

        if fmt == "turtle":
            triples = sorted(self.triples_in(None), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
            ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            return
        formats = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
        named = (q for g in self.graphs() for q in self.quads_in(g))
        ox.serialize(named, output, format=formats[fmt], prefixes=PREFIXES if fmt == "trig" else None)


_REFUSED = {400, 401, 403, 404, 405, 411, 413, 415}  # a request refused before anything was written
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
           "application/sparql-results+xml;q=0.5")
_RDF_MEDIA = {"application/n-triples", "text/plain", "text/turtle", "application/rdf+xml", "application/n-quads",
              "application/trig", "application/ld+json"}


def _with_params(url: str, params: dict[str, str]) -> str:
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + sep + urllib.parse.urlencode(params)


@dataclass(frozen=True)
class PushReport:
    url: str
    graphs: int
    triples: int
    seconds: float


def push(local: Any, remote: RemoteStore, progress: Callable[[int, int, str], None] | None = None) -> PushReport:
    """Copy every named graph of ``local`` to ``remote``, in batches of :data:`BATCH_GRAPHS`:
    graphs of the same name are replaced, others are left alone, and the remote union follows
    (it is the union of the graphs there, so it holds the local union). ``progress(done, total,
    graph)`` is called after each graph."""
    started = time.perf_counter()
    graphs = local.graphs()
    done = 0
    triples = 0

    def tick(graph: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(graphs), graph)

    for start in range(0, len(graphs), BATCH_GRAPHS):
        batch = []
        for g in graphs[start:start + BATCH_GRAPHS]:
            lines = [f"{q.subject} {q.predicate} {q.object} .\n" for q in local.quads_in(g)]
            triples += len(lines)
            batch.append((g, "".join(lines)))
        remote.replace_graphs(batch, progress=tick)
    return PushReport(remote.url, done, triples, time.perf_counter() - started)


__all__ = ["RemoteStore", "Endpoint", "parse_endpoint", "is_remote", "remote_url", "push", "rewrite", "values_clause",
           "sparql_term", "chunks", "PushReport", "UNION_GRAPH", "PENDING_GRAPH"]
