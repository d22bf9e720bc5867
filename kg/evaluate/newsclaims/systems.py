"""What each system says about one article, in one shape, so both are scored alike.

- :func:`run_kg`: kg's real pipeline on the text as a user's ``.txt`` file gives it
  (``article_from_text``: page chrome removed, title and publication date found), the
  extractor, and nothing else. Spans point into ``Article.text``.
- :func:`run_baseline`: ``en_core_web_sm`` as shipped: its named entities (same text = one
  entity); a claim for every person and organisation in one sentence with a reporting verb
  (member, asserted, the verb's subject as speaker); an event for every trigger word, with the
  first place and date in its sentence, the verb's subject as perpetrator and a number next to a
  death or injury word; the publication date is the first full date in the text; the title is its
  first line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.evaluate.newsclaims.gold import GoldArticle

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SysEntity:
    id: str
    type: str  # person | organisation | place | group
    name: str
    surfaces: tuple[str, ...]  # name, aliases and every mention's text
    spans: tuple[Span, ...]  # mentions


@dataclass(frozen=True, slots=True)
class SysClaim:
    subject: str  # entity id
    relation: str  # kg relation name (memberOf, headOf, ..., responsibleFor)
    object: str  # entity id, or event id for responsibleFor
    modality: str
    speaker: str | None  # entity id; None = the narrator
    evidence: Span


@dataclass(frozen=True, slots=True)
class SysEvent:
    id: str
    types: frozenset[str]  # kg event type local names
    trigger: Span
    evidence: tuple[Span, ...]
    date: str | None  # see date_code
    place: str | None  # entity id
    perpetrators: tuple[str, ...]  # entity ids: the perpetrator role and responsibility claims
    fatalities: int | None
    injured: int | None


@dataclass
class SysOutput:
    text: str = ""
    title: str | None = None
    published: str | None = None
    entities: dict[str, SysEntity] = field(default_factory=dict)
    claims: list[SysClaim] = field(default_factory=list)
    events: list[SysEvent] = field(default_factory=list)
    failed: str | None = None


AFFILIATIONS = {"memberOf", "headOf", "formerMemberOf", "linkedTo", "alliedWith", "subOrganizationOf"}


def date_code(value: Any) -> str | None:
    """A :class:`~kg.model.DateValue` as the gold writes dates: "2019-05-20", "2019-05", "2019",
    "--05-20" (no year known), or "A/B" for another range."""
    if value is None:
        return None
    v, precision, end = value.value, str(getattr(value.precision, "value", value.precision)), value.end
    if v.startswith("--"):
        return v
    if precision == "day" and not end:
        return v[:10]
    if precision == "month" and end and end[:7] == v[:7]:
        return v[:7]
    if precision == "year" and end and end[:4] == v[:4]:
        return v[:4]
    return f"{v}/{end}" if end else v


# --- kg -----------------------------------------------------------------------------------------


def _extract_all(extractor: Any, articles: list[Any]) -> Iterator[Any]:
    done = 0
    while done < len(articles):
        try:
            for extraction in extractor.extract_many(articles[done:]):
                done += 1
                yield extraction
        except Exception as exc:  # a crash on one article is a finding, not the end of the run
            done += 1
            yield exc


def run_kg(golds: list[GoldArticle], progress: Callable[[], None] | None = None) -> tuple[list[SysOutput], str]:
    from kg.errors import KgError
    from kg.extract import Extractor
    from kg.sources import article_from_text

    extractor = Extractor()
    outputs = [SysOutput(text=g.text) for g in golds]
    articles, index = [], []
    for n, g in enumerate(golds):
        try:
            articles.append(article_from_text(g.text, {}, g.id))
            index.append(n)
        except KgError as exc:
            outputs[n].failed = f"article_from_text: {exc}"
    for n, ex in zip(index, _extract_all(extractor, articles), strict=True):
        outputs[n] = SysOutput(text=golds[n].text, failed=f"extractor: {type(ex).__name__}: {ex}") \
            if isinstance(ex, Exception) else kg_output(ex)
        if progress:
            progress()
    for _ in range(len(golds) - len(index)):
        if progress:
            progress()
    return outputs, extractor.model


def kg_output(ex: Any) -> SysOutput:
    """One :class:`~kg.model.Extraction` in the scored shape."""
    art = ex.article
    out = SysOutput(text=art.text, title=art.title, published=date_code(art.published) if art.published else None)
    for e in ex.entities:
        surfaces = tuple(dict.fromkeys((e.name, *e.aliases, *(m.text for m in e.mentions))))
        out.entities[e.id] = SysEntity(e.id, e.type.value, e.name, surfaces, tuple((m.start, m.end) for m in e.mentions))
    blamed: dict[str, list[str]] = {}
    for c in ex.claims:
        relation = c.relation.value
        if relation not in AFFILIATIONS and relation != "responsibleFor":
            continue
        out.claims.append(SysClaim(c.subject, relation, c.object, c.modality.value, c.speaker,
                                   (c.evidence.start, c.evidence.end)))
        if relation == "responsibleFor" and c.modality.value != "denied":
            blamed.setdefault(c.object, []).append(c.subject)
    for ev in ex.events:
        # the gold's perpetrator is "who did it": of a statement, a protest or a meeting (no
        # perpetrator role) that is kg's actor (sem:hasActor)
        doers = [r.entity for r in ev.roles if r.role == "perpetrator"] or [
            r.entity for r in ev.roles if r.role == "actor"]
        perpetrators = doers + blamed.get(ev.id, [])
        out.events.append(SysEvent(ev.id, frozenset(ev.type.split()), (ev.trigger.start, ev.trigger.end),
                                   tuple((s.start, s.end) for s in ev.evidence), date_code(ev.date), ev.place,
                                   tuple(dict.fromkeys(perpetrators)), ev.fatalities, ev.injured))
    return out


# --- the baseline -----------------------------------------------------------------------------------

BASELINE_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}
REPORTING = {"say", "tell", "claim", "accuse", "report", "announce", "add", "state", "believe", "allege", "deny",
             "confirm", "suspect", "blame", "insist", "note"}
#: trigger lemma -> kg event type
TRIGGERS = {
    "attack": "Attack", "assault": "Attack", "raid": "Raid", "ambush": "ArmedClash", "clash": "ArmedClash",
    "fight": "ArmedClash", "battle": "ArmedClash", "kill": "Killing", "murder": "Killing", "massacre": "Killing",
    "shoot": "Attack", "bomb": "RemoteExplosive", "bombing": "RemoteExplosive", "explode": "RemoteExplosive",
    "explosion": "RemoteExplosive", "blast": "RemoteExplosive", "kidnap": "AbductionForcedDisappearance",
    "abduct": "AbductionForcedDisappearance", "arrest": "Arrests", "detain": "Arrests", "sentence": "Sentencing",
    "convict": "Sentencing", "protest": "PeacefulProtest", "riot": "MobViolence", "meet": "Meeting",
    "release": "HostageRelease", "free": "HostageRelease",
}
DEATHS = {"kill", "die", "dead", "death"}
INJURIES = {"wound", "injure", "hurt"}
_FULL_DATE = re.compile(r"\b(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+(?:19|20)\d\d|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+"
                        r"(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b")


def run_baseline(golds: list[GoldArticle], progress: Callable[[], None] | None = None) -> list[SysOutput]:
    import spacy

    from kg.extract.nlp import model_package

    nlp = spacy.load(model_package())
    outputs = []
    for doc in nlp.pipe([g.text for g in golds], batch_size=16):
        outputs.append(baseline_output(doc))
        if progress:
            progress()
    return outputs


_NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                             "thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
                                             "twenty".split())}


def _number(tok: Any) -> int | None:
    word = tok.text.lower().replace(",", "")
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word)


def baseline_output(doc: Any) -> SysOutput:
    from kg.dates import parse_date

    text = doc.text
    first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    found = _FULL_DATE.search(text)
    published = parse_date(found.group(0)) if found else None
    out = SysOutput(text=text, title=first_line, published=date_code(published) if published else None)
    by_text: dict[str, str] = {}
    ent_of_token: dict[int, str] = {}
    spans: dict[str, list[Span]] = {}
    kinds: dict[str, str] = {}
    for ent in doc.ents:
        kind = BASELINE_TYPES.get(ent.label_)
        if kind is None:
            continue
        eid = by_text.setdefault(ent.text, f"b{len(by_text) + 1}")
        kinds.setdefault(eid, kind)
        spans.setdefault(eid, []).append((ent.start_char, ent.end_char))
        for t in range(ent.start, ent.end):
            ent_of_token[t] = eid
    for name, eid in by_text.items():
        out.entities[eid] = SysEntity(eid, kinds[eid], name, (name,), tuple(spans[eid]))

    def entity_under(tok: Any) -> str | None:
        return next((ent_of_token[t.i] for t in tok.subtree if t.i in ent_of_token), None)

    n_events = 0
    for sent in doc.sents:
        evidence = (sent.start_char, sent.end_char)
        here = list(dict.fromkeys(ent_of_token[t] for t in range(sent.start, sent.end) if t in ent_of_token))
        verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in REPORTING]
        if verbs:
            subj = next((c for c in verbs[0].children if c.dep_ == "nsubj"), None)
            speaker = entity_under(subj) if subj is not None else None
            for p in here:
                for o in here:
                    if kinds[p] == "person" and kinds[o] == "organisation":
                        out.claims.append(SysClaim(p, "memberOf", o, "asserted", speaker, evidence))
        places = [e for e in here if kinds[e] == "place"]
        dates = [parse_date(e.text) for e in doc.ents if e.label_ == "DATE" and sent.start <= e.start < sent.end]
        date = next((d for d in dates if d is not None), None)
        for tok in sent:
            kind = TRIGGERS.get(tok.lemma_.lower()) if tok.pos_ in {"VERB", "NOUN"} else None
            if kind is None:
                continue
            n_events += 1
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            perpetrator = entity_under(subj) if subj is not None and kind not in {"Arrests", "Sentencing"} else None
            dead = hurt = None
            for t in sent:
                lemma = t.lemma_.lower()
                if lemma in DEATHS | INJURIES:
                    nouns = [c for c in t.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"}] or \
                        ([t.head] if t.dep_ in {"amod", "acomp"} else [])
                    for noun in nouns:
                        num = next((_number(c) for c in noun.children if c.dep_ == "nummod"), None) \
                            or (_number(noun) if noun.tag_ == "CD" else None)
                        if num is not None:
                            if lemma in DEATHS:
                                dead = dead or num
                            else:
                                hurt = hurt or num
            out.events.append(SysEvent(f"be{n_events}", frozenset({kind}), (tok.idx, tok.idx + len(tok.text)),
                                       (evidence,), date_code(date) if date else None, places[0] if places else None,
                                       (perpetrator,) if perpetrator else (), dead, hurt))
    return out
