"""Readers for the annotated evaluation sets, and the mapping of their labels onto kg's.

Each reader turns a dataset into :class:`GoldDoc` records: the document text exactly as the
annotations' character offsets expect it, the annotated mentions (typed ``person`` /
``organisation`` / ``place``, or ``None`` for a type kg does not extract), the entities
("clusters") they belong to, relations between clusters grouped into kg's relation classes,
and events. The data is read from where it lies (``../shared/eval`` or ``--data``); nothing is
copied into the repository.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.extract.coref import UnionFind

# --- mappings: dataset labels -> kg's ----------------------------------------------------------

#: DWIE concept tags -> kg entity types, first match wins (a concept has several tags).
DWIE_TYPES = (("type::person", "person"), ("type::organization", "organisation"), ("type::location", "place"))
#: re3d entity types -> kg entity types; Nationality, Weapon, Temporal, ... are not scored.
RE3D_TYPES = {"Person": "person", "Organisation": "organisation", "Location": "place"}

#: Relation classes: gold relation labels per dataset. Subject and object are entities.
DWIE_RELATIONS = {
    "membership": {"member_of"},
    "head-of": {"head_of", "head_of_state", "head_of_gov"},
    "affiliation": {"member_of", "head_of", "head_of_state", "head_of_gov", "minister_of", "spokesperson_of",
                    "advisor_of", "agent_of", "coach_of", "player_of", "founder_of"},
    "based-in": {"based_in0", "based_in1", "based_in2"},
    "located-in": {"in0", "in1", "in2"},
}
RE3D_RELATIONS = {
    "membership": {"BelongsTo"},
    "head-of": {"InChargeOf"},
    "affiliation": {"BelongsTo", "InChargeOf"},
    "allied-with": {"AlliesOf"},
}
#: re3d relation endpoints that are in scope: (subject types, object types) per class
RE3D_ENDPOINTS = {
    "membership": ({"person", "organisation"}, {"organisation"}),
    "head-of": ({"person", "organisation"}, {"organisation", "place"}),
    "affiliation": ({"person", "organisation"}, {"organisation", "place"}),
    "allied-with": ({"person", "organisation"}, {"person", "organisation"}),
}
SYMMETRIC = {"allied-with"}
#: DWIE demonym concepts ("German", tag gpe0-x) stand for the place their gpe* relation names.
DWIE_DEMONYM_LINKS = {"gpe0", "gpe1", "gpe2"}

#: KAIROS event types (WikiEvents) -> the kg event types (local names of kg's ACLED-based SKOS
#: concepts, ontology/kg.ttl) that count as the same kind of event.
EXPLOSIONS = frozenset({"RemoteExplosive", "SuicideBomb", "Grenade", "ShellingArtilleryMissileAttack",
                        "AirDroneStrike"})
KAIROS_TO_KG: dict[str, frozenset[str]] = {
    "Conflict.Attack.DetonateExplode": EXPLOSIONS,
    "Conflict.Attack.Unspecified": frozenset({"Attack", "Killing", "ArmedClash", "Raid"}) | EXPLOSIONS,
    "Life.Die.Unspecified": frozenset({"Killing"}),
    "Justice.ArrestJailDetain.Unspecified": frozenset({"Arrests"}),
    "Conflict.Demonstrate.Unspecified": frozenset({"PeacefulProtest"}),
    "Conflict.Demonstrate.DemonstrateWithViolence": frozenset({"MobViolence", "ViolentDemonstration"}),
    "Contact.Contact.Meet": frozenset({"Meeting"}),
    "Contact.RequestCommand.Meet": frozenset({"Meeting"}),
    "Justice.Convict.Unspecified": frozenset({"Sentencing"}),
    "Justice.Sentence.Unspecified": frozenset({"Sentencing"}),
    "ArtifactExistence.DamageDestroyDisableDismantle.Damage": frozenset({"LootingPropertyDestruction"}),
    "ArtifactExistence.DamageDestroyDisableDismantle.Destroy": frozenset({"LootingPropertyDestruction"}),
}
#: kg event types that have a KAIROS counterpart; predicted events of other types are not scored
MAPPED_EVENT_TYPES = frozenset().union(*KAIROS_TO_KG.values())
#: KAIROS argument roles -> kg event roles (``place`` is ``Event.place``)
KAIROS_ROLES = {
    "Attacker": "perpetrator", "Killer": "perpetrator", "Injurer": "perpetrator", "Damager": "perpetrator",
    "Destroyer": "perpetrator", "DamagerDestroyer": "perpetrator", "Perpetrator": "perpetrator",
    "Victim": "victim", "Target": "target", "Detainee": "detainee",
    "Jailer": "actor", "Participant": "actor", "Demonstrator": "actor", "Place": "place",
}


def mapping_notes(dataset: str) -> list[str]:
    """The label mappings used for ``dataset``, as lines for the report."""
    if dataset == "dwie":
        return [
            "entity types: type::person -> person; type::organization -> organisation; "
            "type::location (gpe, regio, waterbody, facility, ...) -> place; other concepts "
            "(demonyms gpe0-x, roles, values, events, works, footer) are not scored",
            "membership: member_of; head-of: head_of, head_of_state, head_of_gov; affiliation: "
            + ", ".join(sorted(DWIE_RELATIONS["affiliation"])),
            "based-in: based_in0/1/2 (organisation -> place); located-in: in0/1/2 (place -> place)",
            "a demonym concept ('German') stands for the place its gpe0/1/2 relation names ('Germany')",
            "kg relations: membership = memberOf, formerMemberOf, and headOf of organisations that are not state "
            "institutions (W3C ORG: headOf is a sub-property of memberOf; DWIE annotates heads of state, of "
            "government and ministers with their own relations); head-of = headOf; affiliation = those and posts",
        ]
    if dataset == "re3d":
        return [
            "entity types: Person -> person; Organisation -> organisation; Location -> place; "
            "Nationality, Weapon, Temporal, Quantity, ... are not scored",
            "crowd confidence: per span the best-rated type is kept; annotations rated 0 < c < 0.5 "
            "are dropped (0 means unrated and is kept)",
            "entities: mentions with the same normalised text (case, leading article, possessive) "
            "or joined by IsSynonymOf form one entity, and so do a full name and the same name after a "
            "title ('Foreign Secretary Philip Hammond'); re3d has no coreference annotation, so this is "
            "approximate and counts a correct merge of 'Mr Hammond' with 'Philip Hammond' as a split; "
            "pronoun mentions (I, we, they, ...) are not scored",
            "membership: BelongsTo (person/organisation -> organisation); head-of: InChargeOf "
            "(-> organisation/place); affiliation: both; allied-with: AlliesOf (unordered)",
        ]
    return [
        "event types (KAIROS -> kg): " + "; ".join(
            f"{k} -> {'|'.join(sorted(v)) if len(v) < 5 else 'violent types'}" for k, v in KAIROS_TO_KG.items()),
        "other KAIROS types (Life.Injure, Contact.Broadcast, Movement.*, Justice.ChargeIndict, ...) are "
        "not scored, nor kg events of types outside the mapping (Agreement, Abduction, MilitaryExercise, ...)",
        "roles: " + ", ".join(f"{k}->{v}" for k, v in KAIROS_ROLES.items()),
        "triggers: every wording of a kg event is one, with the event's arguments named in its sentence; "
        "incident level counts each kg event once",
    ]


# --- the gold model ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of a document's text that names an entity of ``cluster``."""

    start: int
    end: int
    type: str | None  # person | organisation | place | group; None: a type not scored
    cluster: str
    text: str


@dataclass(frozen=True, slots=True)
class GoldArg:
    role: str  # kg role: perpetrator | victim | target | detainee | actor | place
    head: tuple[int, int]  # the last token of the argument's span
    coref_heads: tuple[tuple[int, int], ...]  # heads of every mention coreferent with it
    text: str


@dataclass(frozen=True, slots=True)
class GoldEvent:
    start: int
    end: int
    kind: str  # KAIROS type
    text: str
    args: tuple[GoldArg, ...]


@dataclass
class GoldDoc:
    id: str
    text: str
    mentions: list[Mention] = field(default_factory=list)
    types: dict[str, str | None] = field(default_factory=dict)  # cluster -> type
    names: dict[str, str] = field(default_factory=dict)  # cluster -> a readable name
    links: dict[str, str] = field(default_factory=dict)  # cluster -> Wikipedia title
    redirect: dict[str, str] = field(default_factory=dict)  # demonym cluster -> place cluster
    relations: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # class -> pairs
    events: list[GoldEvent] = field(default_factory=list)


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise InputError(path, "evaluation file not found", "pass --data with the dataset folder")
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


# --- DWIE --------------------------------------------------------------------------------------


def _dwie_type(tags: list[str]) -> str | None:
    for tag, kind in DWIE_TYPES:
        if tag in tags:
            return kind
    return None


def read_dwie(folder: Path, limit: int | None = None) -> list[GoldDoc]:
    """DWIE ``dev.jsonl``: mentions with offsets into ``content``, concepts, relations, links."""
    docs = []
    for rec in _lines(folder / "dev.jsonl"):
        if limit is not None and len(docs) >= limit:
            break
        doc = GoldDoc(rec["id"], rec["content"])
        for c in rec["concepts"]:
            cid = str(c["concept"])
            tags = c.get("tags") or []
            doc.types[cid] = _dwie_type(tags)
            doc.names[cid] = c.get("text") or c.get("link") or cid
            link = c.get("link")
            if link and link != "?" and not link.startswith("wikidata:"):
                doc.links[cid] = link
        for m in rec["mentions"]:
            cid = str(m["concept"])
            doc.mentions.append(Mention(m["begin"], m["end"], doc.types.get(cid), cid, m["text"]))
        demonyms = {str(c["concept"]) for c in rec["concepts"]
                    if any(t.endswith("-x") for t in c.get("tags") or [])}
        for r in rec["relations"]:
            s, o = str(r["s"]), str(r["o"])
            if s in demonyms and r["p"] in DWIE_DEMONYM_LINKS:
                doc.redirect[s] = o
        for r in rec["relations"]:
            for cls, labels in DWIE_RELATIONS.items():
                if r["p"] in labels:
                    pair = (doc.redirect.get(str(r["s"]), str(r["s"])), doc.redirect.get(str(r["o"]), str(r["o"])))
                    doc.relations.setdefault(cls, set()).add(pair)
        for cls in DWIE_RELATIONS:
            doc.relations.setdefault(cls, set())
        docs.append(doc)
    return docs


# --- re3d --------------------------------------------------------------------------------------

_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_POSSESSIVE = re.compile(r"[’']s?$")


def norm_name(text: str) -> str:
    """'The Syrian regime’s' -> 'syrian regime': case, leading article and possessive removed."""
    t = " ".join(text.split()).casefold()
    t = _ARTICLE.sub("", t)
    return _POSSESSIVE.sub("", t).strip()


#: re3d annotates pronouns as Person/Organisation mentions; kg resolves pronouns internally but
#: reports named and nominal mentions only, and so does spaCy's NER: pronouns are not scored.
PRONOUNS = frozenset("i me my mine myself we us our ours ourselves you your yours he him his himself she her "
                     "hers herself it its itself they them their theirs themselves who whom whose".split())


def _kept(confidence: float) -> bool:
    return confidence == 0 or confidence >= 0.5


def read_re3d(folder: Path, limit: int | None = None) -> list[GoldDoc]:
    """re3d: one folder per source with ``documents.json``, ``entities.json``, ``relations.json``
    (JSON lines with a BOM). Entities come without coreference: see :func:`mapping_notes`."""
    sources = sorted(p.parent for p in folder.glob("*/documents.json"))
    if not sources:
        raise InputError(folder, "no re3d source folders with documents.json", "pass --data with the re3d folder")
    docs: list[GoldDoc] = []
    for src in sources:
        entities: dict[str, list[dict[str, Any]]] = {}
        for e in _lines(src / "entities.json"):
            entities.setdefault(e["documentId"], []).append(e)
        relations: dict[str, list[dict[str, Any]]] = {}
        for r in _lines(src / "relations.json"):
            relations.setdefault(r["documentId"], []).append(r)
        for rec in _lines(src / "documents.json"):
            if limit is not None and len(docs) >= limit:
                return docs
            docs.append(_re3d_doc(rec, entities.get(rec["_id"], []), relations.get(rec["_id"], [])))
    return docs


def _re3d_doc(rec: dict[str, Any], entities: list[dict[str, Any]], relations: list[dict[str, Any]]) -> GoldDoc:
    doc = GoldDoc(rec["_id"], rec["text"])
    best: dict[tuple[int, int], dict[str, Any]] = {}
    for e in entities:  # the best-rated type per span
        span = (e["begin"], e["end"])
        if span not in best or e["confidence"] > best[span]["confidence"]:
            best[span] = e
    spans = {s: e for s, e in sorted(best.items()) if _kept(e["confidence"])}
    uf = UnionFind()
    key = {s: f"{RE3D_TYPES.get(e['type'], e['type'])}:{norm_name(e['value'])}" for s, e in spans.items()}
    names = sorted(set(key.values()))
    for long in names:  # "Foreign Secretary Philip Hammond" is "Philip Hammond"
        for short in names:
            kind, name = short.split(":", 1)
            if long != short and long.startswith(kind + ":") and long.endswith(" " + name) and " " in name:
                uf.union(long, short)
    for r in relations:
        a, b = (r["sourceBegin"], r["sourceEnd"]), (r["targetBegin"], r["targetEnd"])
        if r["type"] == "IsSynonymOf" and a in key and b in key and _kept(r["confidence"]):
            uf.union(key[a], key[b])
    for s, e in spans.items():
        cid = uf.find(key[s])
        kind = None if norm_name(e["value"]) in PRONOUNS else RE3D_TYPES.get(e["type"])
        doc.mentions.append(Mention(s[0], s[1], kind, cid, doc.text[s[0]:s[1]]))
    members: dict[str, list[Mention]] = {}
    for m in doc.mentions:
        members.setdefault(m.cluster, []).append(m)
    for cid, ms in members.items():
        doc.types[cid] = RE3D_TYPES.get(spans[(ms[0].start, ms[0].end)]["type"])
        doc.names[cid] = max((m.text for m in ms), key=len)
    cluster_of = {(m.start, m.end): m.cluster for m in doc.mentions}
    for cls, labels in RE3D_RELATIONS.items():
        subj_types, obj_types = RE3D_ENDPOINTS[cls]
        found = doc.relations.setdefault(cls, set())
        for r in relations:
            if r["type"] not in labels or not _kept(r["confidence"]):
                continue
            s = cluster_of.get((r["sourceBegin"], r["sourceEnd"]))
            o = cluster_of.get((r["targetBegin"], r["targetEnd"]))
            if s is None or o is None or doc.types[s] not in subj_types or doc.types[o] not in obj_types:
                continue
            found.add(tuple(sorted((s, o))) if cls in SYMMETRIC else (s, o))  # type: ignore[arg-type]
    return doc


# --- WikiEvents --------------------------------------------------------------------------------


def read_wikievents(folder: Path, limit: int | None = None) -> list[GoldDoc]:
    """WikiEvents ``dev.jsonl`` (tokens with character offsets, KAIROS events and arguments) and
    ``coref/dev.jsonlines`` (clusters of entity mention ids). The text is rebuilt from the token
    offsets with a line break between sentences (the file's own ``text`` field drops the space
    between sentences)."""
    coref: dict[str, list[list[str]]] = {}
    coref_file = folder / "coref" / "dev.jsonlines"
    if coref_file.is_file():
        coref = {c["doc_key"]: c["clusters"] for c in _lines(coref_file)}
    docs = []
    for rec in _lines(folder / "dev.jsonl"):
        if limit is not None and len(docs) >= limit:
            break
        docs.append(_wikievents_doc(rec, coref.get(rec["doc_id"], [])))
    return docs


def _wikievents_doc(rec: dict[str, Any], clusters: list[list[str]]) -> GoldDoc:
    tokens = [(t[1], t[2], t[0]) for sent in rec["sentences"] for t in sent[0]]
    buf = [" "] * tokens[-1][1]
    for start, end, word in tokens:
        buf[start:end] = word
    for sent in rec["sentences"][1:]:
        k = sent[0][0][1] - 1
        while k >= 0 and buf[k] == " ":
            buf[k] = "\n"
            k -= 1
    text = "".join(buf)
    doc = GoldDoc(rec["doc_id"], text)

    def chars(start: int, end: int) -> tuple[int, int]:
        return tokens[start][0], tokens[end - 1][1]

    ents = {m["id"]: m for m in rec["entity_mentions"]}
    heads = {mid: chars(m["end"] - 1, m["end"]) for mid, m in ents.items()}
    cluster_of = {mid: cl for cl in clusters for mid in cl}
    for em in rec["event_mentions"]:
        args = []
        for a in em["arguments"]:
            role = KAIROS_ROLES.get(a["role"])
            if role is None or a["entity_id"] not in ents:
                continue
            same = cluster_of.get(a["entity_id"], [a["entity_id"]])
            args.append(GoldArg(role, heads[a["entity_id"]], tuple(heads[m] for m in same if m in heads), a["text"]))
        s, e = chars(em["trigger"]["start"], em["trigger"]["end"])
        doc.events.append(GoldEvent(s, e, em["event_type"], text[s:e], tuple(args)))
    return doc


READERS = {"dwie": read_dwie, "re3d": read_re3d, "wikievents": read_wikievents}
