"""Analyst corrections to entity resolution, kept in the store's curation graph and applied to
every later ingest:

- merge: entity B is entity A (B's IRI is rewritten to A's everywhere, now and in later ingests);
- split: the mentions written ALIAS are not entity E but an entity of their own.

The curation graph is a named graph like any other (``kgr:graph/curation``), so it survives
re-ingesting articles and travels with exports.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

from kg.model import AliasMerge, Entity, Extraction, Resolution, ResolvedEntity
from kg.resolve.names import norm_key, slugify


@dataclass
class Curation:
    merges: dict[str, str] = field(default_factory=dict)  # old key -> kept key
    labels: dict[str, str] = field(default_factory=dict)  # kept key -> its label
    kinds: dict[str, str] = field(default_factory=dict)  # kept key -> its organisation kind
    splits: dict[str, set[str]] = field(default_factory=dict)  # entity key -> norm keys of split aliases

    def __bool__(self) -> bool:
        return bool(self.merges or self.splits)

    def target(self, key: str) -> str:
        seen = set()
        while key in self.merges and key not in seen:
            seen.add(key)
            key = self.merges[key]
        return key

    def split_key(self, key: str, alias: str) -> str:
        prefix = key.split("/", 1)[0]
        new = f"{prefix}/{slugify(alias)}"
        return new if new != key else f"{new}-split"

    def apply(self, ex: Extraction, res: Resolution) -> tuple[Extraction, Resolution]:
        """The extraction and resolution with merges and splits applied."""
        if not self:
            return ex, res
        entities = list(ex.entities)
        by_id = {e.id: e for e in entities}
        resolved: list[ResolvedEntity] = []
        n_split = 0
        for r in res.entities:
            key = self.target(r.key)
            if key != r.key:
                r = dataclasses.replace(r, key=key, label=self.labels.get(key, r.label), kind=self.kinds.get(key, r.kind),
                                        alt_labels=tuple(dict.fromkeys((*r.alt_labels, r.label))),
                                        merges=(*r.merges, AliasMerge(r.label, "curated", 1.0)))
            aliases = self.splits.get(r.key, set())
            e = by_id.get(r.id)
            if aliases and e is not None:
                moved = tuple(m for m in e.mentions if norm_key(m.text) in aliases)
                if moved and len(moved) == len(e.mentions):
                    alias = moved[0].text
                    r = dataclasses.replace(r, key=self.split_key(r.key, alias), label=alias, alt_labels=(),
                                            merges=(AliasMerge(alias, "curated-split", 1.0),), links=(), close=())
                elif moved:
                    n_split += 1
                    alias = moved[0].text
                    new_id = f"{e.id}s{n_split}"
                    entities[entities.index(e)] = dataclasses.replace(
                        e, mentions=tuple(m for m in e.mentions if m not in moved),
                        aliases=tuple(a for a in e.aliases if norm_key(a) not in aliases))
                    entities.append(Entity(new_id, e.type, alias, (), moved, (), e.kind, e.country, "", e.confidence))
                    resolved.append(ResolvedEntity(new_id, self.split_key(r.key, alias), r.type, alias, (), r.kind,
                                                   r.actor_type, merges=(AliasMerge(alias, "curated-split", 1.0),)))
                    r = dataclasses.replace(r, alt_labels=tuple(a for a in r.alt_labels if norm_key(a) not in aliases))
            resolved.append(r)
        return dataclasses.replace(ex, entities=tuple(entities)), dataclasses.replace(res, entities=tuple(resolved))


def load_curation(store: Any) -> Curation:
    """The curation decisions stored in ``store``."""
    from kg.rdf.iris import CURATION_GRAPH, key_of

    cur = Curation()
    q = f"""SELECT ?action ?subject ?target ?alias ?label ?kind ?t WHERE {{ GRAPH <{CURATION_GRAPH}> {{
             ?c a kg:Curation ; kg:curationAction ?action ; kg:curationSubject ?subject ; prov:generatedAtTime ?t .
             OPTIONAL {{ ?c kg:curationTarget ?target }} OPTIONAL {{ ?c kg:alias ?alias }}
             OPTIONAL {{ ?c kg:curationTarget/rdfs:label ?label }}
             OPTIONAL {{ ?c kg:curationTarget/kg:orgKind ?kind }} }} }} ORDER BY ?t"""
    for row in store.query(q):
        action = row["action"].value
        subject = key_of(row["subject"].value)
        if subject is None:
            continue
        if action == "merge" and row["target"] is not None:
            target = key_of(row["target"].value)
            if target:
                cur.merges[subject] = target
                if row["label"] is not None:
                    cur.labels[target] = row["label"].value
                if row["kind"] is not None:
                    cur.kinds[target] = row["kind"].value
        elif action == "split" and row["alias"] is not None:
            cur.splits.setdefault(subject, set()).add(norm_key(row["alias"].value))
    return cur


def curation_triples(action: str, subject: str, target: str | None, alias: str | None, target_label: str | None,
                     when: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(curation node IRI, triples) recording one decision (N-Triples terms)."""
    from kg.rdf import terms as t
    from kg.rdf.iris import CURATION_GRAPH
    from kg.rdf.namespaces import KG_NS, PREFIXES

    digest = hashlib.sha1("\x00".join((action, subject, target or "", alias or "")).encode()).hexdigest()[:16]
    node = t.iri(f"{CURATION_GRAPH}/{action}/{digest}")
    a = f"<{PREFIXES['rdf']}type>"
    out = [
        (node, a, f"<{KG_NS}Curation>"),
        (node, f"<{KG_NS}curationAction>", t.lit(action)),
        (node, f"<{KG_NS}curationSubject>", t.iri(subject)),
        (node, f"<{PREFIXES['prov']}generatedAtTime>", t.datetime(when)),
        (node, f"<{PREFIXES['rdfs']}label>", t.lit(f"{action} {subject}" + (f" into {target}" if target else "")
                                                  + (f" alias {alias}" if alias else ""))),
    ]
    if target:
        out.append((node, f"<{KG_NS}curationTarget>", t.iri(target)))
        if target_label:
            out.append((t.iri(target), f"<{PREFIXES['rdfs']}label>", t.lit(target_label)))
    if alias:
        out.append((node, f"<{KG_NS}alias>", t.lit(alias)))
    return node, out
