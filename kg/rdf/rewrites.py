"""Entity rewrites: one entity's IRI replaced by another's in graphs already written.

An *absorption* (a lone surname or acronym of an earlier article that a later full name
explains) must leave the earlier article's graph exactly as if the name had matched the full name
when that article was first resolved: the IRIs moved, the old label an alternative label, plus
what a direct match writes and a bare move cannot know of, namely the merge record of the name
(``kg:aliasMerge``), the name key of the new label, and the IRIs of the posts the entity holds
(they are built from the holder's key). :func:`plan` turns rewrites into IRI moves and the quads
to add; the in-memory graphs of a batch (:func:`kg.pipeline.rewrite_graph`), the embedded store
and a SPARQL server all apply the same plan, so the three cannot drift apart.

Merge records and post IRIs are built here, for :mod:`kg.rdf.mapping` too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kg.rdf import terms as t
from kg.rdf.namespaces import DATA_NS, KG_NS
from kg.resolve.names import norm_key, slugify

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ORG_HOLDS = "<http://www.w3.org/ns/org#holds>"


@dataclass(frozen=True)
class Rewrite:
    """Every use of ``old`` becomes ``new`` (both full IRIs). ``label``: the new entity's label
    (the old one's labels become alternative labels); None moves an IRI and touches no label.
    ``rule`` and ``score``: set for an absorption, the rule by which the old entity's name
    joined the new one (``surname``, ``acronym``), recorded as a merge in each graph it was in."""

    old: str
    new: str
    label: str | None
    rule: str | None = None
    score: float | None = None
    # (predicate, object) terms the new entity keeps as its only value of that predicate, in
    # every graph (an analyst's merge of two kinds of organisation keeps the kept one's kind)
    sole: tuple[tuple[str, str], ...] = ()


def merge_iri(graph: str, alias: str, rule: str, score: float) -> str:
    """A merge record's IRI: what was merged and how, within one article graph (so that the same
    record is minted whether the name joined at once or was absorbed later)."""
    basis = f"{alias}\x00{rule}\x00{score:.2f}"
    return f"{graph}/merge/{hashlib.sha1(basis.encode('utf-8', 'replace')).hexdigest()[:12]}"


def merge_triples(graph: str, entity: str, alias: str, rule: str, score: float) -> list[tuple[str, str, str]]:
    """The triples of one merge record of ``entity`` (a full IRI)."""
    m = t.iri(merge_iri(graph, alias, rule, score))
    return [(t.iri(entity), t.iri(KG_NS + "aliasMerge"), m), (m, RDF_TYPE, t.iri(KG_NS + "AliasMerge")),
            (m, t.iri(KG_NS + "alias"), t.lit(alias)), (m, t.iri(KG_NS + "mergeRule"), t.lit(rule)),
            (m, t.iri(KG_NS + "mergeScore"), t.decimal(score))]


def holder_segment(key: str) -> str:
    """The path segment of a post IRI that names its holder."""
    return slugify(key.replace("/", " "))


def post_iri(holder_key: str, role: str, org_key: str | None) -> str:
    """``…/post/<holder>/<role and organisation>``: one node for the same post in every article."""
    rest = slugify(f"{role} {org_key.replace('/', ' ')}" if org_key else role)
    return f"{DATA_NS}post/{holder_segment(holder_key)}/{rest}"


def _key(entity_iri: str) -> str | None:
    return entity_iri[len(DATA_NS):] if entity_iri.startswith(DATA_NS) else None


def moved_post(post: str, old: str, new: str) -> str | None:
    """The IRI a post held by ``old`` gets when ``old`` becomes ``new`` (None: not a post of it)."""
    old_key, new_key = _key(old), _key(new)
    if old_key is None or new_key is None:
        return None
    prefix = f"{DATA_NS}post/{holder_segment(old_key)}/"
    return f"{DATA_NS}post/{holder_segment(new_key)}/{post[len(prefix):]}" if post.startswith(prefix) else None


# (graph IRI, the old entity's label there, a post it holds there or None), per graph it is in
Facts = Callable[[str], Iterable[tuple[str, str, str | None]]]


def plan(rewrites: Iterable[Rewrite], facts: Facts) -> tuple[list[Rewrite], list[tuple[str, tuple[str, str, str]]]]:
    """The IRI moves (entities, then the posts they hold) and the ``(graph, triple)`` additions
    that apply ``rewrites``; ``facts(old)`` reads where an old entity is (before any move)."""
    moves: list[Rewrite] = []
    added: list[tuple[str, tuple[str, str, str]]] = []
    for rw in rewrites:
        moves.append(rw)
        if rw.rule is None or rw.score is None or rw.label is None:
            continue
        posts: dict[str, str] = {}
        for graph, label, post in facts(rw.old):
            for triple in merge_triples(graph, rw.new, label, rw.rule, rw.score):
                added.append((graph, triple))
            key = norm_key(rw.label)
            if key:
                added.append((graph, (t.iri(rw.new), t.iri(KG_NS + "nameKey"), t.lit(key))))
            if post:
                target = moved_post(post, rw.old, rw.new)
                if target and target != post:
                    posts[post] = target
        moves += [Rewrite(p, q, None) for p, q in sorted(posts.items())]
    return moves, list(dict.fromkeys(added))


def additions_by_graph(added: Iterable[tuple[str, tuple[str, str, str]]]) -> dict[str, str]:
    """The ``(graph, triple)`` additions of :func:`plan` as N-Triples text per graph, for the
    stores' ``INSERT DATA``."""
    out: dict[str, list[str]] = {}
    for graph, (s, p, o) in added:
        out.setdefault(graph, []).append(f"{s} {p} {o} .\n")
    return {graph: "".join(lines) for graph, lines in out.items()}


def facts_query(old: str, graph_filter: str = "") -> str:
    """SPARQL SELECT of the :data:`Facts` of ``old`` (columns ?g ?l ?post)."""
    return (f"SELECT DISTINCT ?g ?l ?post WHERE {{ GRAPH ?g {{ <{old}> {RDFS_LABEL} ?l "
            f"OPTIONAL {{ <{old}> {ORG_HOLDS} ?post }} }} {graph_filter} }}")


def facts_from(rows: Iterable[Any]) -> list[tuple[str, str, str | None]]:
    """:data:`Facts` from the solutions of :func:`facts_query` (either store's rows)."""
    return [(r["g"].value, r["l"].value, r["post"].value if r["post"] is not None else None) for r in rows]


def facts_in(triples: Iterable[tuple[str, str, str]], graph: str) -> Facts:
    """:data:`Facts` read from one graph's triples (the graphs of a batch not yet stored)."""
    triples = list(triples)

    def read(old: str) -> list[tuple[str, str, str | None]]:
        o = t.iri(old)
        labels = [unquote(obj) for s, p, obj in triples if s == o and p == RDFS_LABEL]
        posts = [obj[1:-1] for s, p, obj in triples if s == o and p == ORG_HOLDS] or [None]
        return [(graph, label, post) for label in labels for post in posts]

    return read


def unquote(term: str) -> str:
    """The text of an N-Triples literal."""
    import json

    body = term[: term.rfind('"') + 1]
    try:
        return json.loads(body)
    except ValueError:
        return body.strip('"')
