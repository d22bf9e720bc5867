"""Plain frozen dataclasses that pass between the pipeline stages.

Nothing here knows spaCy, rdflib or pyoxigraph. Every object is JSON-serialisable through
:func:`to_json` / :func:`extraction_from_json`, so extraction can run in another process or on
another machine and its result can be written to the store by the main process.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntityType(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"  # unnamed collective: "the attackers", "five men", "Tajik officials"
    PLACE = "place"


class Modality(StrEnum):
    ASSERTED = "asserted"
    ALLEGED = "alleged"
    SPECULATED = "speculated"
    DENIED = "denied"


class Relation(StrEnum):
    """Relations between actors, each mapped to one ontology property in ``kg.rdf``."""

    MEMBER_OF = "memberOf"
    HEAD_OF = "headOf"
    FORMER_MEMBER_OF = "formerMemberOf"
    LINKED_TO = "linkedTo"
    ALLIED_WITH = "alliedWith"
    SUB_ORGANIZATION_OF = "subOrganizationOf"
    RELATIVE_OF = "relativeOf"
    HOLDS = "holds"  # person -> post (the post carries the organisation)
    BASED_IN = "basedIn"  # actor -> place ("the men were based in Kyrgyzstan")
    RESPONSIBLE_FOR = "responsibleFor"  # actor -> event (competing attributions of blame)


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class DateValue:
    """A calendar date with its precision; ``end`` is set for ranges ("in 1999 and 2000")."""

    value: str  # ISO date of the earliest day: YYYY-MM-DD
    precision: DatePrecision
    end: str | None = None  # ISO date of the latest day of the range, when a range
    expression: str = ""  # the phrase as written
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    """An article as stored: ``text`` is exactly the text that offsets point into and that is
    hashed."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: DateValue | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    byline: str | None = None
    source: str | None = None  # the file it was read from, as given
    title_end: int = 0  # text[:title_end] is the headline (not reported prose)

    @property
    def content_hash(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: character offsets into ``Article.text``."""

    start: int
    end: int
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor or place as one article knows it (all its mentions clustered)."""

    id: str  # local to the article: "e1", "e2", ...
    type: EntityType
    name: str  # canonical name in this article, without titles
    aliases: tuple[str, ...] = ()  # other surface forms
    mentions: tuple[Span, ...] = ()
    job_titles: tuple[str, ...] = ()
    kind: str | None = None  # organisation kind / place kind, see kg.extract.lexicon
    country: str | None = None  # ISO 3166-1 alpha-2 a name is qualified by ("Kyrgyz" ministry)
    key: str = ""  # lexicon key when the name is a known organisation / institution / place
    confidence: float = 0.8


@dataclass(frozen=True, slots=True)
class Post:
    """A post held by a person: "the deputy commander of frontier troops"."""

    id: str
    holder: str  # entity id
    title: str  # as written
    role: str  # normalised role noun: "minister", "commander", ...
    organisation: str | None  # entity id of the organisation the post is in
    evidence: Span
    confidence: float = 0.7


@dataclass(frozen=True, slots=True)
class Claim:
    """One extracted statement: subject relation object, said by someone with a modality."""

    id: str
    subject: str  # entity id
    relation: Relation
    object: str  # entity id, post id or event id
    modality: Modality
    speaker: str | None  # entity id; None is the narrator (the publisher)
    evidence: Span  # the sentence
    confidence: float = 0.7
    cue: str = ""  # the words that set modality or attribution ("suggested", "according to")


@dataclass(frozen=True, slots=True)
class EventRole:
    role: str  # perpetrator | target | victim | detainee | actor
    entity: str  # entity id


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str  # concept local name in the kg namespace, e.g. "Attack", "ArmedClash"
    label: str
    trigger: Span
    evidence: tuple[Span, ...]
    date: DateValue | None = None
    place: str | None = None  # entity id
    roles: tuple[EventRole, ...] = ()
    fatalities: int | None = None
    injured: int | None = None
    sub_events: tuple[str, ...] = ()
    confidence: float = 0.6
    mentions: tuple[Span, ...] = ()  # every wording of the event in the text ("the raid", "the attack"), trigger first


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article: pure data, no library objects."""

    article: Article
    sentences: tuple[tuple[int, int], ...]
    entities: tuple[Entity, ...] = ()
    posts: tuple[Post, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    model: str = ""  # "en_core_web_sm 3.8.0"
    started: str = ""  # ISO timestamps of the extraction
    ended: str = ""
    warnings: tuple[str, ...] = field(default=())

    def entity(self, entity_id: str) -> Entity:
        for entity in self.entities:
            if entity.id == entity_id:
                return entity
        raise KeyError(entity_id)


# --- JSON round trip -------------------------------------------------------------------------


def to_json(obj: Any) -> Any:
    """A JSON-serialisable structure for any model object (dataclasses, enums, tuples)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_json(x) for x in obj]
    if isinstance(obj, StrEnum):
        return obj.value
    return obj


def _date(d: dict | None) -> DateValue | None:
    if d is None:
        return None
    return DateValue(**{**d, "precision": DatePrecision(d["precision"])})


def _span(d: dict) -> Span:
    return Span(**d)


def article_from_json(d: dict) -> Article:
    return Article(**{**d, "authors": tuple(d["authors"]), "published": _date(d["published"])})


def extraction_from_json(d: dict) -> Extraction:
    """Inverse of :func:`to_json` for an :class:`Extraction`."""
    entities = tuple(
        Entity(
            **{
                **e,
                "type": EntityType(e["type"]),
                "aliases": tuple(e["aliases"]),
                "mentions": tuple(_span(s) for s in e["mentions"]),
                "job_titles": tuple(e["job_titles"]),
            }
        )
        for e in d["entities"]
    )
    posts = tuple(Post(**{**p, "evidence": _span(p["evidence"])}) for p in d["posts"])
    claims = tuple(
        Claim(
            **{
                **c,
                "relation": Relation(c["relation"]),
                "modality": Modality(c["modality"]),
                "evidence": _span(c["evidence"]),
            }
        )
        for c in d["claims"]
    )
    events = tuple(
        Event(
            **{
                **ev,
                "trigger": _span(ev["trigger"]),
                "evidence": tuple(_span(s) for s in ev["evidence"]),
                "date": _date(ev["date"]),
                "roles": tuple(EventRole(**r) for r in ev["roles"]),
                "sub_events": tuple(ev["sub_events"]),
            }
        )
        for ev in d["events"]
    )
    return Extraction(
        article=article_from_json(d["article"]),
        sentences=tuple(tuple(s) for s in d["sentences"]),  # type: ignore[misc]
        entities=entities,
        posts=posts,
        claims=claims,
        events=events,
        model=d["model"],
        started=d["started"],
        ended=d["ended"],
        warnings=tuple(d["warnings"]),
    )


# --- resolution: local entities -> store-wide entities ---------------------------------------


@dataclass(frozen=True, slots=True)
class AliasMerge:
    """Why a surface form was merged into an entity: the rule and its score."""

    alias: str
    rule: str  # same-name | in-document | lexicon | gazetteer | spelling | typo | surname | acronym | curated
    score: float


@dataclass(frozen=True, slots=True)
class ResolvedEntity:
    """A store-wide entity: its key (the IRI path), canonical label and links."""

    id: str  # the local entity id it resolves ("e3"), or "author1", "publisher", "ctx1"
    key: str  # "person/odinahmad-malikov"; "@group/e1" is scoped to the article's graph
    type: EntityType
    label: str
    alt_labels: tuple[str, ...] = ()
    kind: str | None = None
    actor_type: str | None = None
    links: tuple[str, ...] = ()  # skos:exactMatch IRIs (GeoNames, Wikidata, DBpedia, ISO 3166)
    close: tuple[str, ...] = ()  # keys of similar but distinct entities (skos:closeMatch)
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None  # key of the containing place / parent organisation
    merges: tuple[AliasMerge, ...] = ()
    iso: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    entities: tuple[ResolvedEntity, ...]  # one per extraction entity, authors, publisher
    context: tuple[ResolvedEntity, ...] = ()  # parents declared so the graph is self-contained

    def by_id(self) -> dict[str, ResolvedEntity]:
        return {e.id: e for e in self.entities}
