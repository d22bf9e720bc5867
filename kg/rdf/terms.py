"""RDF terms as N-Triples text, built without rdflib on the hot path.

An article graph is a list of ``(subject, predicate, object)`` strings in N-Triples syntax, which
is also valid inside SPARQL ``INSERT DATA`` and N-Quads. Escaping follows N-Triples: every string
from an article is escaped here, so no article text can end a literal early.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from kg.rdf.namespaces import PREFIXES

XSD = PREFIXES["xsd"]
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


def escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        return _NEEDS_ESCAPE.sub(_escape_char, text)
    return text


def iri(value: str) -> str:
    """An IRI term. ``value`` must be a valid absolute IRI (see :func:`safe_iri`)."""
    return f"<{value}>"


def safe_iri(value: str) -> str | None:
    """``value`` as a valid absolute IRI (unsafe characters percent-encoded), or None when it is
    not an absolute IRI at all."""
    value = value.strip()
    if not _SCHEME.match(value):
        return None
    if _IRI_BAD.search(value):
        value = _IRI_BAD.sub(lambda m: quote(m.group(0), safe=""), value)
    # lone surrogates cannot be encoded; drop them
    value = value.encode("utf-8", "ignore").decode("utf-8")
    return value


def lit(text: str, lang: str | None = None) -> str:
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text
    return f'"{escape(text)}"@{lang}' if lang else f'"{escape(text)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{escape(str(value))}"^^<{datatype}>'


def integer(n: int) -> str:
    return f'"{int(n)}"^^<{XSD}integer>'


def non_negative(n: int) -> str:
    """A count or offset. Typed xsd:integer, not xsd:nonNegativeInteger: Oxigraph and Virtuoso
    store derived integer types as xsd:integer (oxigraph issue #526), so the store could not give
    back what was written; the shapes require the value to be >= 0."""
    if n < 0:
        raise ValueError(f"negative count {n}")
    return f'"{int(n)}"^^<{XSD}integer>'


def decimal(x: float) -> str:
    return f'"{x:.2f}"^^<{XSD}decimal>'


def boolean(b: bool) -> str:
    return f'"{"true" if b else "false"}"^^<{XSD}boolean>'


def date(value: str) -> str:
    return f'"{value}"^^<{XSD}date>'


def datetime(value: str) -> str:
    return f'"{value}"^^<{XSD}dateTime>'


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
