"""IRI minting. Deterministic: the same article id or entity key always gives the same IRI,
and every IRI is valid for any Unicode input (property-tested)."""

from __future__ import annotations

import re

from kg.model import Article
from kg.rdf.namespaces import DATA_NS
from kg.rdf.terms import safe_iri
from kg.resolve.names import slugify

_KEY = re.compile(r"^[a-z]+(?:/[a-z0-9-]+)+$")


#: graph names kg keeps for itself: no article id may mint one of them
RESERVED_GRAPH_NAMES = frozenset({"curation", "ontology", "union", "meta", "answers"})


def graph_iri(article_id: str) -> str:
    """The article's named graph. An id whose name kg keeps for a graph of its own ("curation":
    the analysts' merges and splits) gets an ``article-`` prefix, so that no article can ever
    replace or drop one of kg's own graphs."""
    slug = slugify(article_id, max_len=80)
    if slug in RESERVED_GRAPH_NAMES or slug.startswith("article-") and slug[len("article-"):] in RESERVED_GRAPH_NAMES:
        slug = f"article-{slug}"
    return f"{DATA_NS}graph/{slug}"


def article_iri(article: Article) -> str:
    """The article's canonical URL when it has one, else an IRI minted from its id."""
    if article.url:
        url = safe_iri(article.url)
        if url and url.startswith(("http://", "https://")):
            return url
    return f"{DATA_NS}article/{slugify(article.id, max_len=80)}"


def entity_iri(key: str, graph: str) -> str:
    """``person/odinahmad-malikov`` -> DATA_NS + key; ``@group/e1`` is scoped to ``graph``."""
    if key.startswith("@"):
        return f"{graph}/{key[1:]}"
    if not _KEY.match(key):
        raise ValueError(f"not an entity key: {key!r}")
    return DATA_NS + key


def key_of(entity: str) -> str | None:
    """The entity key of a store-wide entity IRI (None for anything else)."""
    if not entity.startswith(DATA_NS):
        return None
    key = entity[len(DATA_NS):]
    return key if _KEY.match(key) and not key.startswith(("graph/", "article/")) else None


def span_iri(graph: str, start: int, end: int) -> str:
    return f"{graph}/span/{start}-{end}"


def local_iri(graph: str, kind: str, local_id: str) -> str:
    return f"{graph}/{kind}/{slugify(local_id, max_len=60)}"


AGENT_IRI = DATA_NS + "agent/kg"
CURATION_GRAPH = DATA_NS + "graph/curation"
ONTOLOGY_GRAPH = DATA_NS + "graph/ontology"
