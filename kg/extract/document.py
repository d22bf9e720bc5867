"""Apply kg's rules to one parsed spaCy document: mentions, coreference, attribution, events,
unnamed groups per incident (:mod:`.incident_groups`), posts and claims, and assemble the
:class:`~kg.model.Extraction`."""

from __future__ import annotations

from typing import Any

from kg.extract.attribution import Attribution, combine
from kg.extract.context import Ctx, Found
from kg.extract.coref import build_entities, cluster
from kg.extract.events import EventFinder, EventFound
from kg.extract.incident_groups import groups_per_incident
from kg.extract.mentions import GROUP, ORG, MentionFinder
from kg.extract.relations import PostFound, RelationFinder
from kg.extract.relations.responsibility import SPEAKERS_SIDE
from kg.extract.tokens import LiteDoc
from kg.model import Article, Claim, Entity, EntityType, Event, EventRole, Extraction, Modality, Post, Relation, Span

GENERIC_EVENT_NOUNS = {"operation", "operations", "incident", "act", "acts", "action", "attack", "attacks",
                       "assault", "raid", "crime", "killing", "killings", "bombing", "bombings", "blast"}
MEMBERSHIP = {"memberOf", "formerMemberOf", "headOf", "subOrganizationOf"}


def extract_doc(doc: Any, article: Article, finder: MentionFinder, model: str,
                started: str, ended: str) -> Extraction:
    lite = LiteDoc(doc)
    title_end_tok = 0
    if article.title_end:
        while title_end_tok < len(lite) and lite[title_end_tok].idx < article.title_end:
            title_end_tok += 1
    cands = finder.find(lite, article.title_end, article.authors)
    clusters = cluster(lite, cands, title_end_tok, None)
    ctx = Ctx(doc, article, cands, clusters, finder.lex, finder.orgs, finder.gaz, lite)
    attribution = Attribution(ctx)
    events = EventFinder(ctx, attribution).run()
    groups_per_incident(ctx, events)
    posts, found = RelationFinder(ctx).run()
    return _assemble(ctx, attribution, events, posts, found, model, started, ended)


# --- assembling the extraction ------------------------------------------------------------------------


def _sentence_span(ctx: Ctx, sentence: int) -> Span:
    s = ctx.sents[sentence]
    start, end = s.start_char, s.end_char
    text = ctx.text
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end, sentence, text[start:end])


def _assemble(ctx: Ctx, attribution: Attribution, events: list[EventFound], posts: list[PostFound],
              found: list[Found], model: str, started: str, ended: str) -> Extraction:
    doc = ctx.doc
    # which clusters are used: named ones always; groups of forces / people only when an event or
    # claim needs them
    used: set[int] = set()
    for ev in events:
        for cis in ev.roles.values():
            used.update(cis)
        if ev.place is not None:
            used.add(ev.place)
    main_group = _main_group(ctx, events)
    main_event = _main_event(events)
    trigger_event: dict[int, int] = {}
    for i, ev in enumerate(events):
        for s, e in ev.triggers:
            for t in range(s, e):
                trigger_event.setdefault(t, i)
    claims_in: list[tuple[Found, Any]] = []
    for f in found:
        if isinstance(f.object, tuple) and f.object[0] == "event_at":
            hit = next((trigger_event[t] for t in f.object[1] if t in trigger_event), None)
            if hit is None and main_event is not None and _refers_back(doc, f.object[1]):
                hit = main_event  # "the operation", "this act": the article's incident
            if hit is None:
                continue
            f.object = ("event", hit)
        if f.subject == -1:
            if main_group is None:
                continue
            f.subject = main_group
        if isinstance(f.object, tuple) and f.object[0] == "incident":
            if main_event is None:
                continue
            f.object = ("event", main_event)
        anchor = doc[f.anchor]
        voice = f.extra.get("description")
        frame = attribution.description(anchor, title=voice == "title") if voice else attribution.frame(anchor)
        if "speaker" in f.extra:  # the rule knows who says it ("X is blaming Y for ...")
            frame = type(frame)(f.extra["speaker"], frame.modality, ", ".join(x for x in (frame.cue, anchor.text) if x))
        if f.subject == SPEAKERS_SIDE:  # "our fighters did it," said the group's spokesman
            side = _speakers_organisation(ctx, frame.speaker, posts)
            if side is None:
                continue
            f.subject = side
        claims_in.append((f, frame))
        used.add(f.subject)
        if isinstance(f.object, int):
            used.add(f.object)
        if frame.speaker is not None:
            used.add(frame.speaker)  # an unnamed source ("police", "a security source") is kept as the speaker
    for p in posts:
        used.add(p.holder)
        if p.org is not None:
            used.add(p.org)
        speaker = attribution.description(doc[p.anchor], title=_is_title_post(ctx, p)).speaker
        if speaker is not None:
            used.add(speaker)
    for ev in events:
        for ci in ev.roles.get("perpetrator", []):
            speaker = attribution.frame(doc[ev.role_source.get(ci, ev.trigger)]).speaker
            if speaker is not None:
                used.add(speaker)

    keep: list[int] = []
    for ci, cl in enumerate(ctx.clusters):
        if not cl.members and ci not in ctx.extras:
            continue
        if cl.type == GROUP and cl.members and ctx.cands[cl.members[0]].group_class in {"force", "people", "members"} \
                and ci not in used:
            continue
        keep.append(ci)
    kept_clusters = [ctx.clusters[ci] for ci in keep]
    entities, _ = build_entities(ctx.lite, ctx.cands, [c for c in kept_clusters if c.members], ctx.sent_of)
    # a place the gazetteer does not know (a border post, a village) lies in the country the text
    # around its first mention names
    located = []
    for e, ci in zip(entities, [ci for ci in keep if ctx.clusters[ci].members]):
        if e.type == EntityType.PLACE and e.country is None and (e.kind in {"facility", "village", "district", None}):
            if not ctx.gaz.lookup(e.name):
                first = ctx.cands[ctx.clusters[ci].members[0]].start
                near = ctx.countries_near(first, window_sents=2)
                if near:
                    e = Entity(**{**{f: getattr(e, f) for f in e.__dataclass_fields__}, "country": near[0]})
        located.append(e)
    entities = located
    eid: dict[int, str] = {}
    n = 0
    out_entities: list[Entity] = []
    real = iter(entities)
    for ci in keep:
        cl = ctx.clusters[ci]
        if cl.members:
            e = next(real)
            n += 1
            new_id = f"e{n}"
            out_entities.append(Entity(**{**{f: getattr(e, f) for f in e.__dataclass_fields__}, "id": new_id}))
        else:
            x = ctx.extras[ci]
            n += 1
            new_id = f"e{n}"
            out_entities.append(Entity(new_id, EntityType.ORGANISATION if x.type == "organisation" else EntityType(x.type),
                                       x.name, kind=x.kind, country=x.country, key=x.key, confidence=0.7))
        eid[ci] = new_id

    # posts
    out_posts: list[Post] = []
    claims: list[Claim] = []
    placed = {(p.holder, p.role) for p in posts if p.org is not None}
    for k, p in enumerate(posts, 1):
        if p.holder not in eid or p.org is None and (p.holder, p.role) in placed:
            continue  # "whose leader X": the post in the organisation says it all
        post_id = f"p{k}"
        span = _sentence_span(ctx, p.sentence)
        out_posts.append(Post(post_id, eid[p.holder], p.title, p.role, eid.get(p.org) if p.org is not None else None,
                              span, p.confidence))
        frame = attribution.description(doc[p.anchor], title=_is_title_post(ctx, p))
        claims.append(_claim(len(claims), eid[p.holder], Relation.HOLDS, post_id, frame.modality, frame, span,
                             p.confidence, eid))

    # events
    out_events: list[Event] = []
    event_ids = {i: f"v{i + 1}" for i in range(len(events))}
    for i, ev in enumerate(events):
        roles: list[EventRole] = []
        for role, cis in ev.roles.items():
            for ci in cis:
                if ci not in eid:
                    continue
                if role == "perpetrator" and ev.violent:
                    source = doc[ev.role_source.get(ci, ev.trigger)]
                    frame = attribution.frame(source)
                    # "suspected Taliban militants", "alleged members of Y": hedges on the doers' noun
                    nouns = _doer_nouns(ctx, ci, source)
                    local, cue = attribution.local(source, nouns)
                    modality = combine(frame.modality, local)
                    span = _sentence_span(ctx, ctx.sent_of[source.i])
                    claims.append(_claim(len(claims), eid[ci], Relation.RESPONSIBLE_FOR, event_ids[i], modality, frame,
                                         span, 0.6, eid, cue))
                    if modality != Modality.ASSERTED:
                        continue  # only an asserted perpetrator is written as the event's role
                roles.append(EventRole(role, eid[ci]))
        trigger = doc[ev.triggers[0][0]:ev.triggers[0][1]]
        mentions = tuple(Span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), ctx.sent_of[s], doc[s:e].text)
                         for s, e in [ev.triggers[0], *sorted(set(ev.triggers[1:]) - {ev.triggers[0]})])
        out_events.append(Event(
            id=event_ids[i],
            type=" ".join(ev.types),
            label=_event_label(ctx, ev, eid),
            trigger=Span(trigger.start_char, trigger.end_char, ctx.sent_of[trigger.start], trigger.text),
            evidence=tuple(_sentence_span(ctx, s) for s in sorted(ev.sentences)),
            date=ev.date,
            place=eid.get(ev.place) if ev.place is not None else None,
            roles=tuple(roles),
            fatalities=ev.fatalities,
            injured=ev.injured,
            sub_events=tuple(event_ids[j] for j in ev.subs),
            confidence=0.6 if len(ev.sentences) == 1 else 0.7,
            mentions=mentions,
        ))

    # claims between actors
    for f, frame in claims_in:
        if f.subject not in eid:
            continue
        if isinstance(f.object, tuple):
            obj = event_ids.get(f.object[1])
            if obj is None:
                continue
        elif f.object in eid:
            obj = eid[f.object]
            if f.relation in MEMBERSHIP and ctx.clusters[f.object].type not in {ORG, GROUP}:
                continue  # one is a member or the head of an organisation, never of a person or place
        else:
            continue
        anchor = doc[f.anchor]
        local, cue = attribution.local(anchor, f.extra.get("nouns", []))
        modality = combine(frame.modality, local)
        if f.modality_hint:
            modality = combine(modality, Modality(f.modality_hint))
        span = _sentence_span(ctx, ctx.sent_of[f.anchor])
        claims.append(_claim(len(claims), eid[f.subject], Relation(f.relation), obj, modality, frame, span,
                             f.confidence, eid, ", ".join(x for x in (f.cue, cue) if x)))
    claims = _dedupe_claims(claims + _through_members(claims, out_entities))
    text = ctx.text
    return Extraction(
        article=ctx.article,
        sentences=tuple(_trimmed(text, s.start_char, s.end_char) for s in ctx.sents),
        entities=tuple(out_entities),
        posts=tuple(out_posts),
        claims=tuple(claims),
        events=tuple(out_events),
        model=model,
        started=started,
        ended=ended,
    )


def _through_members(claims: list[Claim], entities: list[Entity]) -> list[Claim]:
    """"Its fighters killed 12 soldiers": an unnamed group responsible for an event, said in the
    same sentence to belong to an organisation, makes the organisation responsible too (as firmly
    as the weaker of the two statements, by the speaker of the deed)."""
    groups = {e.id for e in entities if e.type == EntityType.GROUP}
    orgs_of: dict[tuple[str, int], list[Claim]] = {}
    for c in claims:
        if c.relation == Relation.MEMBER_OF and c.subject in groups and c.modality != Modality.DENIED:
            orgs_of.setdefault((c.subject, c.evidence.sentence), []).append(c)
    out = []
    for c in claims:
        if c.relation != Relation.RESPONSIBLE_FOR or c.subject not in groups or c.modality == Modality.DENIED:
            continue
        for m in orgs_of.get((c.subject, c.evidence.sentence), []):
            out.append(Claim(f"c{len(claims) + len(out) + 1}", m.object, Relation.RESPONSIBLE_FOR, c.object, combine(c.modality, m.modality),
                             c.speaker, c.evidence, round(min(c.confidence, m.confidence) * 0.9, 2),
                             ", ".join(dict.fromkeys(x.strip() for x in f"{c.cue},{m.cue}".split(",") if x.strip()))))
    return out


def _refers_back(doc: Any, tokens: tuple[int, ...]) -> bool:
    """A definite generic event noun ("the operation", "this act", "the incident") that no event
    rule took: a reference to the incident the article reports."""
    for t in tokens:
        tok = doc[t]
        if tok.lower_ in GENERIC_EVENT_NOUNS and any(
                c.dep_ in {"det", "poss"} and c.lower_ in {"the", "this", "that", "these", "those"} for c in tok.children):
            return True
    return False


def _speakers_organisation(ctx: Ctx, speaker: int | None, posts: list[PostFound]) -> int | None:
    """The organisation a speaker speaks for: itself, or the one a person holds a post in."""
    if speaker is None or speaker >= len(ctx.clusters):
        return None
    if ctx.clusters[speaker].type == ORG:
        return speaker
    return next((p.org for p in posts if p.holder == speaker and p.org is not None
                 and p.org < len(ctx.clusters) and ctx.clusters[p.org].type == ORG), None)


def _doer_nouns(ctx: Ctx, ci: int, source: Any) -> list[Any]:
    """The head nouns of a doer's mentions in the sentence of ``source`` (and the noun a name
    modifies: "Taliban" in "suspected Taliban militants"), where hedges stand."""
    doc = ctx.doc
    sent = ctx.sent_of[source.i]
    out = [source]
    for m in ctx.clusters[ci].members:
        c = ctx.cands[m]
        if ctx.sent_of[c.start] != sent:
            continue
        head = next((t for t in doc[c.start:c.end] if not c.start <= t.head.i < c.end or t.head.i == t.i), None)
        if head is None:
            continue
        out.append(head)
        if head.dep_ in {"compound", "nmod", "poss"}:
            out.append(head.head)
    return out


def _is_title_post(ctx: Ctx, p: PostFound) -> bool:
    """A post read from a title before the name (anchored on the name's first token)."""
    return any(ctx.cands[m].start == p.anchor and ctx.cands[m].title for m in ctx.clusters[p.holder].members)


def _claim(n: int, subject: str, relation: Relation, obj: str, modality: Modality, frame: Any, span: Span,
           confidence: float, eid: dict[int, str], cue: str = "") -> Claim:
    speaker = eid.get(frame.speaker) if frame.speaker is not None else None
    cues = ", ".join(dict.fromkeys(x.strip() for x in f"{frame.cue},{cue}".split(",") if x.strip()))
    return Claim(f"c{n + 1}", subject, relation, obj, modality, speaker, span, round(confidence, 2), cues)


def _dedupe_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per statement. Two rules reading one sentence may give the same claim by the
    same speaker as a denial and as a plain statement ("X rejected claims that he was a member
    of Y": the rejection and the copula inside it): the denial is what was said."""
    denied = {(c.subject, c.relation, c.object, c.speaker, c.evidence.start) for c in claims
              if c.modality == Modality.DENIED}
    claims = [c for c in claims if not (c.modality == Modality.ASSERTED
                                        and (c.subject, c.relation, c.object, c.speaker, c.evidence.start) in denied)]
    seen: dict[tuple, Claim] = {}
    for c in claims:
        key = (c.subject, c.relation, c.object, c.modality, c.speaker, c.evidence.start)
        if key not in seen:
            seen[key] = c
    return [c for c in claims if seen.get((c.subject, c.relation, c.object, c.modality, c.speaker, c.evidence.start)) is c]


def _main_group(ctx: Ctx, events: list[EventFound]) -> int | None:
    for ci, cl in enumerate(ctx.clusters):
        if cl.type == GROUP and cl.members and ctx.cands[cl.members[0]].group_class == "perpetrator" \
                and not ctx.cands[cl.members[0]].side:
            return ci
    return None


def _main_event(events: list[EventFound]) -> int | None:
    violent = [i for i, ev in enumerate(events) if ev.violent and ev.parent is None]
    if not violent:
        return None
    return max(violent, key=lambda i: (len(events[i].sentences) + len(events[i].subs), -events[i].sentences[0]))


def _event_label(ctx: Ctx, ev: EventFound, eid: dict[int, str]) -> str:
    parts = [ctx.doc[ev.triggers[0][0]:ev.triggers[0][1]].text.lower()]
    if ev.place is not None:
        parts.append("in " + ctx.cluster_names(ev.place)[0])
    if ev.date is not None:
        parts.append(f"({ev.date.expression or ev.date.value})")
    return " ".join(parts)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end
