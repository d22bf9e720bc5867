"""A light SPARQL lexer: the keywords of a query or update outside strings, IRIs and comments.

Used to tell a query from an update, and to refuse, before any engine sees the text, what kg
never runs (:func:`refusal`): federated ``SERVICE`` clauses and ``LOAD`` (both make the engine
fetch a URL: kg reaches no network), texts nested deeper than :data:`MAX_DEPTH` (Oxigraph's
parser recurses and a few thousand nested groups overflow its stack) and texts longer than
:data:`MAX_CHARS`. pyoxigraph would fetch a ``LOAD`` or ``SERVICE`` URL while "checking" a
text, so nothing here asks the engine.
"""

from __future__ import annotations

import re

from kg.errors import QueryError

_LEXEME = re.compile(r"""
      (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
               | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
               | '(?:[^'\\\n\r]|\\.)*'
               | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<word>[?$]?[^\W\d][\w.-]*(?::[\w.:%-]*)?|:[\w.:%-]*)
    | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

#: the deepest nesting of ``{ ( [`` kg lets an engine parse (real queries stay under 20)
MAX_DEPTH = 100
#: the longest SPARQL text kg lets an engine parse, in characters
MAX_CHARS = 1_000_000

_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
_QUERY_KEYWORDS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})


def _keywords(text: str) -> list[str]:
    """The bare words of a SPARQL text, upper-cased, in order: no strings, IRIs, comments,
    variables or prefixed names. The string and IRI rules follow the SPARQL grammar's
    terminals, so a keyword Oxigraph would parse is never hidden inside one."""
    out = []
    for m in _LEXEME.finditer(text):
        word = m.group("word")
        if word and word[0] not in "?$" and ":" not in word:
            out.append(word.upper())
    return out


def uses_service(text: str) -> bool:
    """Whether a query or update contains a federated ``SERVICE`` clause."""
    return "SERVICE" in _keywords(text)


def operation_kind(text: str) -> str | None:
    """``query`` or ``update`` by the first keyword after the prologue, or None."""
    for word in _keywords(text):  # prefix names and IRIs are not keywords: only these words to skip
        if word in ("BASE", "PREFIX", "VERSION"):
            continue
        if word in _QUERY_KEYWORDS:
            return "query"
        if word in _UPDATE_KEYWORDS:
            return "update"
        return None
    return None


def refusal(text: str) -> tuple[str, str] | None:
    """Why kg will not hand this SPARQL text to an engine, as ``(kind, message)`` with kind
    ``network`` (SERVICE, LOAD) or ``size`` (too long, nested too deeply); None when it may run.
    One pass of the lexer: keywords and the nesting of ``{ ( [`` outside strings, IRIs and
    comments."""
    if len(text) > MAX_CHARS:
        return "size", f"the query is too long ({len(text):,} characters; kg runs at most {MAX_CHARS:,})"
    network = None
    depth = deepest = 0
    for m in _LEXEME.finditer(text):
        ch = m.group("other")
        if ch is not None:
            if ch in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in "})]":
                depth -= 1
            continue
        word = m.group("word")
        if network is None and word and word[0] not in "?$" and ":" not in word and word.upper() in ("SERVICE", "LOAD"):
            network = word.upper()
    if network == "SERVICE":
        return "network", ("federated SERVICE queries are refused: kg never reaches the network; "
                           "query the other endpoint yourself, or load its data with `kg ingest`")
    if network == "LOAD":
        return "network", ("LOAD is refused: it makes the engine fetch a URL, and kg never reaches the "
                           "network; add articles with `kg ingest`")
    if deepest > MAX_DEPTH:
        return "size", f"the query is nested too deeply ({deepest} levels of {{, ( or [; kg allows {MAX_DEPTH})"
    return None


def check(text: str) -> None:
    """Raise :class:`~kg.errors.QueryError` for a text :func:`refusal` refuses."""
    refused = refusal(text)
    if refused is not None:
        raise QueryError(refused[1])
