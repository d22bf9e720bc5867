"""A light SPARQL lexer: the keywords of a query or update outside strings, IRIs and comments.

Used to tell a query from an update and to spot federated ``SERVICE`` clauses without running
anything (pyoxigraph would fetch a ``LOAD`` or ``SERVICE`` URL while "checking" a text).
"""

from __future__ import annotations

import re


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
