"""The two systems under evaluation, run over the gold documents' texts.

- :func:`run_kg`: kg's real pipeline. Each text becomes an :class:`~kg.model.Article` through
  :func:`kg.sources.article_from_text` (boilerplate removal can change the text, so every span
  is mapped back to the dataset's offsets with :class:`OffsetMap`), goes through
  :meth:`kg.extract.Extractor.extract_many`, and each extraction through a fresh
  :class:`~kg.resolve.resolver.Resolver` (empty index) for links and place containment.
- :func:`run_baseline`: the full default ``en_core_web_sm`` pipeline with no kg rules: its
  named entities clustered by exact string, relations by co-occurrence in a sentence, events
  from a ten-word trigger list with arguments from the dependency parse.

Both produce :class:`Output` records in the dataset's character offsets, scored alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from kg.evaluate.gold import GoldDoc, Mention

#: spaCy labels -> entity types for the baseline. NORP (nationalities, religious and political
#: groups: "German", "Muslims") is left out: neither DWIE nor re3d tags demonyms as
#: organisations, and kg treats them as attributes, not entities.
BASELINE_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
#: the baseline's event triggers (spaCy lemma -> kg event type)
BASELINE_TRIGGERS = {
    "attack": "Attack", "shoot": "Attack", "kill": "Killing", "murder": "Killing",
    "bomb": "RemoteExplosive", "bombing": "RemoteExplosive", "explode": "RemoteExplosive",
    "explosion": "RemoteExplosive", "blast": "RemoteExplosive", "detonate": "RemoteExplosive",
    "arrest": "Arrests", "detain": "Arrests", "protest": "PeacefulProtest", "meet": "Meeting",
    "sentence": "Sentencing", "convict": "Sentencing", "destroy": "LootingPropertyDestruction",
    "damage": "LootingPropertyDestruction",
}
#: the baseline's co-occurrence relations: class -> (subject types, object types)
BASELINE_PAIRS = {
    "membership": ({"person", "organisation"}, {"organisation"}),
    "head-of": ({"person", "organisation"}, {"organisation"}),
    "affiliation": ({"person", "organisation"}, {"organisation", "place"}),
    "based-in": ({"person", "organisation"}, {"place"}),
    "located-in": ({"place"}, {"place"}),
    "allied-with": ({"person", "organisation"}, {"person", "organisation"}),
}

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class PredEvent:
    start: int
    end: int
    types: frozenset[str]
    args: tuple[tuple[str, str], ...]  # (kg role, cluster)
    text: str
    sentences: tuple[Span, ...] = ()  # every sentence that mentions the event (kg merges re-mentions)
    event: str = ""  # the system's event this trigger is a wording of (kg: one event, several mentions)


@dataclass
class Output:
    """One system's output for one document, in the dataset's character offsets."""

    mentions: list[Mention] = field(default_factory=list)  # type: person/organisation/place/group
    types: dict[str, str] = field(default_factory=dict)  # cluster -> type (also clusters without mentions)
    names: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # cluster -> Wikipedia-style title
    proxies: dict[str, str] = field(default_factory=dict)  # mention-less cluster -> cluster standing for it
    relations: dict[str, dict[tuple[str, str], Span | None]] = field(default_factory=dict)  # -> evidence
    events: list[PredEvent] = field(default_factory=list)
    arg_spans: dict[str, list[Span]] = field(default_factory=dict)  # argument-only clusters (baseline)
    failed: str | None = None  # why the system produced nothing for this document
    unaligned: int = 0  # spans that could not be mapped back to the dataset's text

    def spans(self, cluster: str) -> list[Span]:
        own = [(m.start, m.end) for m in self.mentions if m.cluster == cluster]
        return own + self.arg_spans.get(cluster, [])


class OffsetMap:
    """Maps offsets in a derived text (``Article.text``) back to the raw text it came from."""

    def __init__(self, raw: str, derived: str) -> None:
        self.identity = raw == derived
        self.to_raw: list[int] = []
        if not self.identity:
            self.to_raw = [-1] * len(derived)
            matcher = difflib.SequenceMatcher(None, raw, derived, autojunk=False)
            for a, b, size in matcher.get_matching_blocks():
                self.to_raw[b:b + size] = range(a, a + size)

    def span(self, start: int, end: int) -> Span | None:
        """The raw span covering the characters of ``derived[start:end]`` that survive in the
        raw text; ``None`` when none do."""
        if self.identity:
            return start, end
        inside = [self.to_raw[k] for k in range(start, min(end, len(self.to_raw))) if self.to_raw[k] >= 0]
        return (inside[0], inside[-1] + 1) if inside else None


def _dbpedia_title(links: Sequence[str]) -> str | None:
    for link in links:
        if link.startswith("http://dbpedia.org/resource/"):
            return unquote(link.rsplit("/", 1)[1]).replace("_", " ")
    return None


def _extract_all(extractor: Any, articles: list[Any]) -> Iterator[Any]:
    """``extract_many`` over all articles, in order; an article the extractor fails on yields
    its exception and the run goes on with the next one."""
    done = 0
    while done < len(articles):
        try:
            for extraction in extractor.extract_many(articles[done:]):
                done += 1
                yield extraction
        except Exception as exc:  # a crash on one article is a finding, not the end of the run
            done += 1
            yield exc


def run_kg(docs: list[GoldDoc], progress: Callable[[], None] | None = None) -> tuple[list[Output], str]:
    """kg's pipeline over ``docs``; returns one :class:`Output` per document and the model id.
    ``progress()`` is called once per document."""
    from kg.errors import KgError
    from kg.extract import Extractor
    from kg.sources import article_from_text

    extractor = Extractor()
    outputs = [Output() for _ in docs]
    articles, index = [], []
    for n, doc in enumerate(docs):
        try:
            articles.append(article_from_text(doc.text, {}, doc.id))
            index.append(n)
        except KgError as exc:
            outputs[n].failed = f"article_from_text: {exc}"
    for n, extraction in zip(index, _extract_all(extractor, articles), strict=True):
        if isinstance(extraction, Exception):
            outputs[n].failed = f"extractor: {type(extraction).__name__}: {extraction}"
        else:
            outputs[n] = _kg_output(docs[n], extraction)
        if progress:
            progress()
    for _ in range(len(docs) - len(index)):  # the articles that could not even be built
        if progress:
            progress()
    return outputs, extractor.model


def _kg_output(doc: GoldDoc, ex: Any) -> Output:
    from kg.model import EntityType, Modality, Relation
    from kg.resolve.resolver import Resolver

    out = Output()
    amap = OffsetMap(doc.text, ex.article.text)

    def raw(start: int, end: int) -> Span | None:
        span = amap.span(start, end)
        if span is None:
            out.unaligned += 1
        return span

    resolution, _ = Resolver().resolve(ex)
    resolved = resolution.by_id()
    with_mentions = set()
    for e in ex.entities:
        out.types[e.id] = e.type.value
        out.names[e.id] = e.name
        for m in e.mentions:
            span = raw(m.start, m.end)
            if span:
                out.mentions.append(Mention(*span, e.type.value, e.id, doc.text[span[0]:span[1]]))
                with_mentions.add(e.id)
        r = resolved.get(e.id)
        if r is None:
            continue
        title = _dbpedia_title(r.links)
        if title is None and e.type == EntityType.PLACE and r.links:  # a gazetteer place
            title = r.label
        if title:
            out.links[e.id] = title
    by_key: dict[str, list[str]] = {}
    for e in ex.entities:
        if e.id in with_mentions and e.id in resolved:
            by_key.setdefault(resolved[e.id].key, []).append(e.id)
    # an implied organisation without a mention of its own (the government a "President X"
    # title implies) stands for the in-document place the resolver puts it in
    for e in ex.entities:
        r = resolved.get(e.id)
        if e.id not in with_mentions and r is not None and r.parent in by_key:
            out.proxies[e.id] = by_key[r.parent][0]

    classes = {
        Relation.MEMBER_OF: ("membership", "affiliation"), Relation.FORMER_MEMBER_OF: ("membership", "affiliation"),
        Relation.HEAD_OF: ("head-of", "affiliation"), Relation.BASED_IN: ("based-in",),
        Relation.ALLIED_WITH: ("allied-with",),
    }
    for cls in ("membership", "head-of", "affiliation", "based-in", "located-in", "allied-with"):
        out.relations[cls] = {}
    entity_of = {e.id: e for e in ex.entities}
    for c in ex.claims:
        if c.modality == Modality.DENIED or c.relation not in classes:
            continue
        pair = (c.subject, c.object)
        if c.relation == Relation.ALLIED_WITH:
            pair = tuple(sorted(pair))  # type: ignore[assignment]
        kinds = classes[c.relation]
        if c.relation == Relation.HEAD_OF and _membership_of_head(entity_of.get(c.object)):
            kinds = (*kinds, "membership")  # W3C ORG: headOf is a sub-property of memberOf
        for cls in kinds:
            out.relations[cls].setdefault(pair, raw(c.evidence.start, c.evidence.end))
    for p in ex.posts:
        if p.organisation:
            out.relations["affiliation"].setdefault((p.holder, p.organisation), raw(p.evidence.start, p.evidence.end))
    # place containment from the gazetteer: every in-document place on a place's parent chain
    parent = {r.key: r.parent for r in (*resolution.entities, *resolution.context)}
    for e in ex.entities:
        if e.type != EntityType.PLACE or e.id not in resolved or e.id not in with_mentions:
            continue
        key, seen = parent.get(resolved[e.id].key), set()
        while key and key not in seen:
            seen.add(key)
            for other in by_key.get(key, []):
                if other != e.id:
                    out.relations["located-in"].setdefault((e.id, other), None)
            key = parent.get(key)

    spans_of: dict[str, list[tuple[int, int]]] = {}
    for m in out.mentions:
        spans_of.setdefault(m.cluster, []).append((m.start, m.end))
    for ev in ex.events:
        args = [(r.role, r.entity) for r in ev.roles]
        if ev.place:
            args.append(("place", ev.place))
        sentences = tuple(s for s in (amap.span(e.start, e.end) for e in ev.evidence) if s)
        # every wording of the event is a trigger ("attacked", then "the attack" two sentences
        # on), with the event's arguments named in its own sentence (WikiEvents annotates each
        # event mention's arguments)
        for mention in ev.mentions or (ev.trigger,):
            span = raw(mention.start, mention.end)
            if span is None:
                continue
            own = tuple(
                a for a in args if any(_same_sentence(ev, mention, x, amap) for x in spans_of.get(a[1], [])))
            out.events.append(PredEvent(*span, frozenset(ev.type.split()), own, doc.text[span[0]:span[1]],
                                        sentences, ev.id))
    return out


def _same_sentence(ev: Any, mention: Any, span: tuple[int, int], amap: "OffsetMap") -> bool:
    sentence = next((s for s in ev.evidence if s.sentence == mention.sentence), None)
    if sentence is None:
        return False
    raw = amap.span(sentence.start, sentence.end)
    return raw is not None and raw[0] <= span[0] < raw[1]


#: organisation kinds whose heads DWIE annotates as heads of state or government, ministers or
#: commanders (head_of_gov, minister_of, ...), never as members
STATE_KINDS = {"government", "military", "police", "intelligence", "state forces", "parliament", "ministry"}


def _membership_of_head(org: Any) -> bool:
    """Whether the head of ``org`` counts as one of its members (W3C ORG: ``org:headOf`` is a
    sub-property of ``org:memberOf``): yes for parties, companies, clubs, groups; not for state
    institutions, which DWIE annotates with head-of-government and minister relations instead."""
    if org is None:
        return False
    return not (org.key.startswith("institution/") or (org.kind or "") in STATE_KINDS)


def run_baseline(docs: list[GoldDoc], progress: Callable[[], None] | None = None) -> list[Output]:
    """Plain ``en_core_web_sm`` (full default pipeline, no kg corrections) over ``docs``;
    ``progress()`` is called once per document."""
    import spacy

    from kg.extract.nlp import model_package

    nlp = spacy.load(model_package())
    outputs = []
    for sdoc in nlp.pipe([doc.text for doc in docs], batch_size=16):
        outputs.append(_baseline_output(sdoc))
        if progress:
            progress()
    return outputs


def _baseline_output(sdoc: Any) -> Output:
    out = Output()
    clusters: dict[str, str] = {}
    label_votes: dict[str, list[str]] = {}
    for ent in sdoc.ents:
        kind = BASELINE_TYPES.get(ent.label_)
        if kind is None:
            continue
        cid = clusters.setdefault(ent.text, f"b{len(clusters) + 1}")
        label_votes.setdefault(cid, []).append(kind)
        out.mentions.append(Mention(ent.start_char, ent.end_char, kind, cid, ent.text))
    for text, cid in clusters.items():
        votes = label_votes[cid]
        out.types[cid] = max(votes, key=votes.count)
        out.names[cid] = text
        out.links[cid] = text  # the name itself taken as the Wikipedia title
    out.mentions = [Mention(m.start, m.end, out.types[m.cluster], m.cluster, m.text) for m in out.mentions]
    for cls in BASELINE_PAIRS:
        out.relations[cls] = {}
    for sent in sdoc.sents:
        here = [m for m in out.mentions if sent.start_char <= m.start < sent.end_char]
        for cls, (subj_types, obj_types) in BASELINE_PAIRS.items():
            for a in here:
                for b in here:
                    if a.cluster == b.cluster or a.type not in subj_types or b.type not in obj_types:
                        continue
                    pair = tuple(sorted((a.cluster, b.cluster))) if cls == "allied-with" else (a.cluster, b.cluster)
                    out.relations[cls].setdefault(pair, (sent.start_char, sent.end_char))  # type: ignore[arg-type]
    _baseline_events(sdoc, out)
    return out


def _baseline_events(sdoc: Any, out: Output) -> None:
    """Trigger words from :data:`BASELINE_TRIGGERS`; arguments are single head tokens from the
    parse: subject -> perpetrator (actor for arrests, meetings, protests), object or passive
    subject -> victim (killings) / detainee (arrests) / target, "in/at/near X" -> place."""
    for tok in sdoc:
        kind = BASELINE_TRIGGERS.get(tok.lemma_.lower()) if tok.pos_ in {"VERB", "NOUN"} else None
        if kind is None:
            continue
        violent = kind in {"Attack", "Killing", "RemoteExplosive", "LootingPropertyDestruction"}
        obj_role = {"Killing": "victim", "Arrests": "detainee"}.get(kind, "target" if violent else "actor")
        args = []
        for child in tok.children:
            role = None
            if child.dep_ == "nsubj":
                role = "perpetrator" if violent else "actor"
            elif child.dep_ in {"dobj", "nsubjpass"}:
                role = obj_role
            elif child.dep_ == "prep" and child.lower_ in {"in", "at", "near"}:
                child = next((c for c in child.children if c.dep_ == "pobj"), None)
                role = "place" if child is not None else None
            if role is None or child is None:
                continue
            cid = f"arg{tok.i}-{child.i}"
            out.arg_spans[cid] = [(child.idx, child.idx + len(child.text))]
            args.append((role, cid))
        out.events.append(PredEvent(tok.idx, tok.idx + len(tok.text), frozenset({kind}), tuple(args), tok.text,
                                    ((tok.sent.start_char, tok.sent.end_char),)))
