"""SPARQL queries over the store: canned queries from ``queries/*.rq``, query files, or text.

Parameters (``--param name=value``) are bound as RDF terms through Oxigraph's variable
substitution: a value is never pasted into the query text, so it cannot change the query's
structure. Results come back as plain :class:`Cell` values (no library objects).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import MissingExtra, QueryError, UsageError
from kg.resources import data_dir

_PARAM = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\((\w+)\))?\s*(?:[-–:]\s*(.*))?$")
PARAM_TYPES = ("string", "name", "iri", "integer", "date", "decimal")


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    description: str = ""


@dataclass(frozen=True)
class CannedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = ()
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    value: str
    kind: str  # uri | literal | bnode | triple
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        body = json.dumps(self.value, ensure_ascii=False)
        if self.lang:
            return f"{body}@{self.lang}"
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^<{self.datatype}>"
        return body


@dataclass
class QueryResult:
    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Cell, Cell, Cell]] = field(default_factory=list)
    truncated: bool = False

    def to_pandas(self) -> Any:
        """The result as a pandas DataFrame, one column per variable (a graph result: subject,
        predicate, object), each typed from its RDF terms: integers as ``Int64``, decimals and
        doubles as floats, ``xsd:date`` and ``xsd:dateTime`` as datetimes, booleans as
        ``boolean``, anything else (IRIs, text, mixed columns) as strings; an unbound cell is a
        missing value. Needs pandas (the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtra("to_pandas needs pandas: pip install 'kg-news[pandas]' (from a clone of the repository: "
                          ".venv/bin/pip install -c constraints.txt -e '.[pandas]')") from exc
        if self.kind == "ask":
            return pd.DataFrame({"boolean": pd.array([self.boolean], dtype="boolean")})
        if self.kind == "graph":
            names, rows = ["subject", "predicate", "object"], [list(t) for t in self.triples]
        else:
            names, rows = self.variables, self.rows
        columns = {}
        for k, name in enumerate(names):
            cells = [row[k] if k < len(row) else None for row in rows]
            columns[name] = _typed_column(pd, cells)
        return pd.DataFrame(columns, columns=names)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                                "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
_DATES = {_XSD + "date", _XSD + "dateTime", _XSD + "dateTimeStamp"}


def _typed_column(pd: Any, cells: list[Cell | None]) -> Any:
    """A pandas column for one variable's cells (see :meth:`QueryResult.to_pandas`)."""
    types = {c.datatype if c.kind == "literal" else c.kind for c in cells if c is not None}
    values = [None if c is None else c.value for c in cells]
    try:
        if types and types <= _INTEGERS:
            return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        if types and types <= _INTEGERS | _FLOATS:
            return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
        if types and types <= _DATES:
            zoned = any(v and (v.endswith("Z") or "+" in v[10:] or v[10:].count("-")) for v in values)
            return pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601", utc=zoned)
        if types == {_XSD + "boolean"}:
            return pd.array([None if v is None else v in {"true", "1"} for v in values], dtype="boolean")
    except (ValueError, TypeError, OverflowError):
        pass  # a value its datatype does not allow: the column stays text
    return pd.array(values, dtype="string")


def canned_queries() -> dict[str, CannedQuery]:
    out = {}
    for path in sorted(data_dir("queries").glob("*.rq")):
        out[path.stem] = parse_query_file(path)
    return out


def parse_query_file(path: Path) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise QueryError(f"{path}: the query file is not UTF-8") from exc
    description = ""
    params = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("#"):
            if s:
                break
            continue
        m = _PARAM.match(s)
        if m:
            ptype = (m.group(2) or "string").lower()
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path}: parameter {m.group(1)} has unknown type {ptype} (use {', '.join(PARAM_TYPES)})")
            params.append(Param(m.group(1), ptype, (m.group(3) or "").strip()))
        elif not description:
            description = s.lstrip("#").strip()
    return CannedQuery(path.stem, description, text, tuple(params), path)


def resolve_query(name_or_file: str | None, sparql: str | None) -> CannedQuery:
    """A canned query by name, a .rq file, or literal text."""
    if sparql is not None:
        if name_or_file:
            raise UsageError("give a query name or file, or --sparql, not both")
        return CannedQuery("--sparql", "", sparql)
    if not name_or_file:
        raise UsageError("give a query name (see `kg query --list`), a .rq file, or --sparql TEXT")
    canned = canned_queries()
    if name_or_file in canned:
        return canned[name_or_file]
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists():
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        return parse_query_file(path)
    names = ", ".join(sorted(canned))
    raise QueryError(f"{name_or_file}: no such canned query (known: {names}) and no such file")


def bind_params(query: CannedQuery, values: dict[str, str]) -> dict[str, Any]:
    """``--param`` values as pyoxigraph terms, typed as the query declares."""
    import pyoxigraph as ox

    declared = {p.name: p for p in query.params}
    out: dict[str, Any] = {}
    for name, raw in values.items():
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise UsageError(f"--param {name}: a parameter name is letters, digits and _")
        ptype = declared[name].type if name in declared else _guess_type(raw)
        try:
            if ptype == "iri":
                out[name] = ox.NamedNode(raw.strip("<>"))
            elif ptype == "integer":
                out[name] = ox.Literal(str(int(raw)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            elif ptype == "decimal":
                out[name] = ox.Literal(str(float(raw)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
            elif ptype == "date":
                from kg.dates import parse_date

                d = parse_date(raw)
                if d is None:
                    raise ValueError(raw)
                out[name] = ox.Literal(d.value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
            elif ptype == "name":  # matched against kg:nameKey: any case, accents, punctuation
                from kg.resolve.names import norm_key

                out[name] = ox.Literal(norm_key(raw))
            else:
                out[name] = ox.Literal(raw)
        except ValueError as exc:
            raise UsageError(f"--param {name}={raw!r}: not a valid {ptype}") from exc
    missing = [p.name for p in query.params if p.name not in values]
    if missing and query.name != "--sparql":
        raise UsageError(f"query {query.name} needs --param {missing[0]}=... "
                         f"({next(p.description for p in query.params if p.name == missing[0]) or 'a value'})")
    return out


def _guess_type(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">") or re.match(r"^(https?|urn):", raw):
        return "iri"
    return "string"


def cell(term: Any) -> Cell | None:
    if term is None:
        return None
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Cell(term.value, "uri")
    if isinstance(term, ox.BlankNode):
        return Cell(term.value, "bnode")
    if isinstance(term, ox.Literal):
        return Cell(term.value, "literal", term.datatype.value if term.datatype else None, term.language)
    return Cell(str(term), "triple")


def run(store: Any, query: CannedQuery, params: dict[str, str] | None = None, *,
        limit: int | None = None, fresh: bool = False, limits: Any = None) -> QueryResult:
    """Run a query read-only; the union of all graphs is the default graph. A canned query
    without parameters, on a store opened read-only, is answered from the answer kept for the
    store's current state when there is one, and its answer is kept otherwise (:mod:`kg.answers`);
    ``fresh`` always asks the database (and keeps the new answer).

    With ``limits`` (:class:`kg.store.limits.Limits`), on a store opened read-only, a query the
    database has to answer runs in a child process stopped at its time and memory limits; the
    child opens its own read-only view, so it reads the store as committed when the query starts
    (as ``kg serve`` does), which is newer than an old read-only handle's own view if a writer has
    written since that handle opened. Without limits, or on a handle opened for writing, the
    query reads through the handle."""
    from kg import answers

    state = getattr(store, "state", None)
    if state and answers.cacheable(query, params):
        kept = None if fresh else answers.load(store.path, state, query)
        if kept is None:
            seen, kept = _engine(store, query, params, None, limits)
            if seen:  # kept for the state the engine read, which a child may see newer
                answers.save(store.path, seen, query, kept)
        if limit is not None and len(kept.rows) > limit:
            return QueryResult(kept.kind, kept.variables, kept.rows[:limit], truncated=True)
        return kept
    return _engine(store, query, params, limit, limits)[1]


def _engine(store: Any, query: CannedQuery, params: dict[str, str] | None, limit: int | None,
            limits: Any) -> tuple[str | None, QueryResult]:
    """Ask the database; returns the state of the database the answer is for (None for a
    writer's view) and the answer. In a limited child for a local store opened read-only when
    ``limits`` has any, here otherwise: a server's store has its own time limit
    (``KG_STORE_TIMEOUT``), and a second, read-only view of a database this process is writing
    is not reliable (opened while the writer compacts, one query in about a hundred grew without
    bound), so a writer's handle answers through itself."""
    if limits is None or not limits.active or getattr(store, "kind", None) != "oxigraph" \
            or not getattr(store, "read_only", False):
        return getattr(store, "state", None), _run(store, query, params, limit)
    from kg.sparqltext import check
    from kg.store.limits import run_limited

    check(query.text)  # refused here, before a child is forked for it
    return run_limited(("kg.queries", "_run_at", (str(store.path), query, params, limit)), limits)


def _run_at(path: str, query: CannedQuery, params: dict[str, str] | None,
            limit: int | None) -> tuple[str | None, QueryResult]:
    """In a limited child: open the store read-only and run the query. A read-only view can
    fail while a writer compacts (the files it listed are gone): it is opened again, up to three
    times."""
    import time

    from kg.errors import StoreError
    from kg.store.oxigraph import OxigraphStore

    for attempt in range(3):
        try:
            with OxigraphStore(path, read_only=True) as store:
                return store.state, _run(store, query, params, limit)
        except StoreError:
            time.sleep(0.1 * 2 ** attempt)
    with OxigraphStore(path, read_only=True) as store:
        return store.state, _run(store, query, params, limit)


def _run(store: Any, query: CannedQuery, params: dict[str, str] | None, limit: int | None) -> QueryResult:
    import pyoxigraph as ox

    subs = bind_params(query, params or {})
    try:
        result = store.query(query.text, substitutions=subs)
    except QueryError as exc:
        if _is_update(query.text):
            raise QueryError("this is a SPARQL update, and `kg query` only reads; pass --update to run it") from exc
        raise
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples = [(cell(t.subject), cell(t.predicate), cell(t.object)) for t in result]
        return QueryResult("graph", triples=triples)  # type: ignore[arg-type]
    variables = [v.value for v in result.variables]
    rows = []
    truncated = False
    # A listing repeats its terms (the same article, organisation or type on many rows), so each
    # distinct term is converted once; a solution iterates its values in the order of the variables.
    cells: dict[Any, Cell] = {}
    for sol in result:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        row = []
        for term in sol:
            if term is None:
                row.append(None)
                continue
            c = cells.get(term)
            if c is None:
                c = cells[term] = cell(term)
            row.append(c)
        rows.append(row)
    return QueryResult("select", variables, rows, truncated=truncated)


def _is_update(text: str) -> bool:
    from kg.sparqltext import operation_kind

    return operation_kind(text) == "update"


def run_update(store: Any, text: str, limits: Any = None) -> None:
    """Apply a SPARQL update; on a local store under ``limits`` (see :meth:`OxigraphStore.update`;
    a server's store has its own time limit)."""
    if getattr(store, "kind", None) == "oxigraph":
        store.update(text, limits=limits)
    else:
        store.update(text)


# --- formatting -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-9;?]*[A-Za-z]")


def terminal_safe(text: str) -> str:
    """No escape sequences or control characters from article text reach the terminal."""
    return _CONTROL.sub("\ufffd", text)


def short(value: str, prefixes: dict[str, str]) -> str:
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns):]}"
    return value


def format_result(result: QueryResult, fmt: str, *, width: int = 60, max_rows: int | None = None) -> str:
    from kg.rdf.namespaces import PREFIXES

    if fmt not in {"table", "csv", "tsv", "json", "turtle", "ntriples"}:
        raise UsageError(f"unknown format {fmt!r} (use table, csv, tsv or json; turtle or ntriples for "
                         "CONSTRUCT and DESCRIBE)")
    if fmt in {"turtle", "ntriples"} and result.kind != "graph":
        raise UsageError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; use table, csv, tsv or json")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if result.kind == "graph":
        lines = [" ".join(c.n3() for c in t) + " ." for t in result.triples]
        if fmt == "turtle":
            import rdflib

            g = rdflib.Graph()
            for prefix, ns in PREFIXES.items():
                g.bind(prefix, ns)
            g.parse(data="\n".join(lines), format="nt")
            return g.serialize(format="turtle").rstrip("\n")
        return "\n".join(terminal_safe(x) if fmt == "table" else x for x in lines)
    if fmt == "json":
        return json.dumps(_results_json(result), ensure_ascii=False, indent=1)
    if fmt in {"csv", "tsv"}:
        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(result.variables)
            for row in result.rows:
                w.writerow([_spreadsheet_safe(c.value) if c else "" for c in row])
        else:  # SPARQL 1.1 TSV: terms in N-Triples syntax
            buf.write("\t".join("?" + v for v in result.variables) + "\n")
            for row in result.rows:
                buf.write("\t".join(_tsv_term(c) for c in row) + "\n")
        return buf.getvalue().rstrip("\n")
    # table
    rows = result.rows if max_rows is None else result.rows[:max_rows]
    texts = [[terminal_safe(short(c.value, PREFIXES) if c and c.kind == "uri" else (c.value if c else "")).replace("\n", " ")
              for c in row] for row in rows]
    widths = [min(width, max([len(v)] + [len(r[i]) for r in texts])) for i, v in enumerate(result.variables)]

    def fit(s: str, w: int) -> str:
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = ["  ".join(fit(v, w).ljust(w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in texts:
        lines.append("  ".join(fit(v, w).ljust(w) for v, w in zip(r, widths)).rstrip())
    shown = len(rows)
    if result.truncated or (max_rows is not None and len(result.rows) > max_rows):
        lines.append(f"({shown} rows shown; more were cut off: use --limit N or --format csv for all)")
    else:
        lines.append(f"({shown} row{'s' if shown != 1 else ''})")
    return "\n".join(lines)


def _spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @, tab, CR at the start)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _tsv_term(c: Cell | None) -> str:
    if c is None:
        return ""
    return c.n3().replace("\t", "\\t").replace("\n", "\\n")


def _results_json(result: QueryResult) -> dict[str, Any]:
    bindings = []
    for row in result.rows:
        b = {}
        for var, c in zip(result.variables, row):
            if c is None:
                continue
            if c.kind == "uri":
                b[var] = {"type": "uri", "value": c.value}
            elif c.kind == "bnode":
                b[var] = {"type": "bnode", "value": c.value}
            else:
                d: dict[str, str] = {"type": "literal", "value": c.value}
                if c.lang:
                    d["xml:lang"] = c.lang
                elif c.datatype and c.datatype != "http://www.w3.org/2001/XMLSchema#string":
                    d["datatype"] = c.datatype
                b[var] = d
        bindings.append(b)
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
