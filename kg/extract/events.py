"""Events: triggers for attacks, raids, clashes, killings, hijackings, abductions, arrests,
sentencings, prison breaks, exercises, meetings and press conferences, typed by ACLED event
types, with date, place, perpetrators, targets, victims, detainees, fatalities and injuries.

- Arguments come from the parse: the subject of an attack verb is its perpetrator (climbing
  through "started by raiding", relative clauses and pronouns), its object the victim or target,
  "by X" the perpetrator of a passive, "on X" the target of an attack noun, "between X and Y"
  the sides of a clash.
- Dates are resolved against the article date; a sentence without one inherits the previous
  sentence's or event's date ("They then ...", "the same morning").
- Fatalities follow ACLED's rules: the reported figure, the most conservative when several
  descriptions of one event disagree (the largest per-sentence count among its mentions, never a
  sum of re-descriptions); a running "total death toll" is not an event's fatalities; vague
  figures: several/many 10, dozens 12, hundreds 100.
- Mentions of one incident in an article are one event: a definite reference ("the attack",
  "the latest raid"), shared participants with a compatible date and place, or the same place
  and day. A plural lead ("Clashes last week ...") takes specific events as sub-events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.extract.context import Ctx
from kg.extract.dates import compatible, more_precise, resolve
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import words
from kg.model import DatePrecision, DateValue

VIOLENT = {"ArmedClash", "Raid", "Attack", "Killing", "RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack",
           "AirDroneStrike", "Grenade", "AbductionForcedDisappearance", "Hijacking", "HostageTaking"}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "a": 1, "an": 1, "another": 1, "a dozen": 12, "dozen": 12, "several": 10, "many": 10, "dozens": 12,
           "scores": 20, "hundreds": 100, "thousands": 1000}
ANAPHORS = {"the", "this", "that", "these", "those", "latest", "earlier", "previous", "last", "same"}
UMBRELLA = {"clashes", "attacks", "raids", "fighting", "violence", "killings", "events", "skirmishes",
            "exchanges", "bombings", "incursions", "operations"}
DEATH_WORDS = {"dead", "died", "die", "dies", "killed", "killing", "kill", "kills", "slain", "dying", "massacred",
               "murdered", "executed", "assassinated", "shot"}
INJURY_WORDS = {"injured", "wounded", "hurt", "injuring", "wounding"}
FORCE_NOUNS = {"soldier", "soldiers", "troops", "serviceman", "servicemen", "guard", "guards", "officer", "officers",
               "policeman", "policemen", "sentry", "conscript", "colleagues", "men", "sergeant", "private"}
MILITARY_TITLES = {"private", "sergeant", "corporal", "lieutenant", "captain", "major", "colonel", "general",
                   "lieutenant-colonel", "major-general", "commander", "soldier", "officer", "guard", "sentry",
                   "conscript", "senior", "colonel-general", "brigadier", "policeman", "serviceman"}
PLACE_PREPS = {"in", "at", "near", "into", "on", "outside", "inside", "across", "around", "through"}
HYPOTHETICAL = {"aim", "aims", "plan", "plans", "planned", "planning", "threat", "threats", "threaten", "threatened",
                "attempt", "intention", "intend", "intended", "goal", "bid", "want", "wanted", "try", "tried",
                "prepare", "preparing", "prevent", "prevented", "fear", "fears", "feared", "risk", "able", "unable",
                "capable", "ready", "stupid", "could", "would", "anticipation", "expectation", "event", "case",
                "possibility", "prospect", "danger", "allow", "allowing", "allowed"}
HYPOTHETICAL_MODIFIERS = {"future", "possible", "potential", "planned", "expected", "feared", "fresh", "new", "further"}
STOP_CLIMB = {"when", "while", "after", "before", "because", "although", "as", "since"}


@dataclass
class EventFound:
    trigger: int
    trigger_end: int
    base: str
    types: list[str]
    sentences: list[int]
    triggers: list[tuple[int, int]] = field(default_factory=list)
    roles: dict[str, list[int]] = field(default_factory=lambda: {"perpetrator": [], "target": [], "victim": [],
                                                                   "detainee": [], "actor": []})
    place: int | None = None
    date: DateValue | None = None
    fatalities: int | None = None
    injured: int | None = None
    umbrella: bool = False
    definite: bool = False
    country: str | None = None
    subs: list[int] = field(default_factory=list)
    parent: int | None = None
    perpetrator_mentions: list[int] = field(default_factory=list)  # candidate indices (groups)
    label: str = ""
    incident: str | None = None  # "main", or the date range of another incident
    role_source: dict[int, int] = field(default_factory=dict)  # perpetrator cluster -> trigger token

    @property
    def violent(self) -> bool:
        return bool(VIOLENT & set(self.types))


class EventFinder:
    def __init__(self, ctx: Ctx, attribution: Any) -> None:
        self.ctx = ctx
        self.attr = attribution
        self.w = words()
        self.dates: dict[int, list[tuple[int, DateValue]]] = {}  # sentence -> (token, date)
        ents = [e for e in ctx.doc.ents if e.label_ == "DATE"]
        k = 0
        while k < len(ents):  # "1999 and 2000", "1999-2000" as one range
            ent = ents[k]
            text = ent.text
            if k + 1 < len(ents) and ctx.doc[ent.end:ents[k + 1].start].text.strip().lower() in {"and", "-", "–", "to"}:
                joined = ctx.doc[ent.start:ents[k + 1].end].text
                if resolve(joined, ctx.ref_date) is not None:
                    text = joined
                    k += 1
            d = resolve(text, ctx.ref_date)
            if d is not None:
                self.dates.setdefault(ctx.sent_of[ent.start], []).append((ent.start, d))
            k += 1

    # --- triggers --------------------------------------------------------------------------------
    def triggers(self) -> list[EventFound]:
        ctx, doc, w = self.ctx, self.ctx.doc, self.w
        out: list[EventFound] = []
        taken: set[int] = set()
        title_end = ctx.article.title_end
        lows = ctx.lows
        by_first = _multiword_index(w.multiword_events)
        n = len(doc)
        for i in range(n):
            if i in taken:
                continue
            low = lows[i]
            if low not in by_first and low not in w.event_verbs and low not in w.event_nouns and low not in TAKE \
                    and low not in w.event_adjectives and low not in BLOW:
                continue
            tok = doc[i]
            if tok.idx < title_end:
                continue
            # multiword triggers: "press conference", "shot dead", "exchanges of fire"
            hit = None
            for seq, base, types, pos in by_first.get(low, ()):
                k = len(seq)
                if i + k <= n and tuple(lows[i:i + k]) == seq:
                    hit = (k, base, list(types))
                    break
            if hit:
                k, base, types = hit
                span = doc[i:i + k]
                ev = EventFound(span.root.i, i + k, base, types, [ctx.sent_of[i]])
                ev.triggers = [(i, i + k)]
                if span.root.tag_.startswith("NN"):
                    ev.definite = any(c.dep_ in {"det", "amod", "poss", "compound"} and
                                      (c.lower_ in ANAPHORS | {"its", "their"} or c.tag_ == "NNP" and ctx.cluster_at(c.i) is None)
                                      for c in span.root.children if c.i < i)
                out.append(ev)
                taken.update(range(i, i + k))
                continue
            tag = tok.tag_
            if tag.startswith("VB") and low in w.event_verbs:
                base, types = w.event_verbs[low]
                if base == "take" or base == "free" and tag == "JJ":
                    continue
                out.append(EventFound(i, i + 1, base, list(types), [ctx.sent_of[i]]))
            elif tag.startswith("VB") and low in BLOW and any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
                out.append(EventFound(i, i + 1, "blow up", ["RemoteExplosive"], [ctx.sent_of[i]]))  # "blew himself up"
            elif tag == "JJ" and low in w.event_adjectives:  # "three people were dead", "left 12 dead"
                base, types = w.event_adjectives[low]
                out.append(EventFound(i, i + 1, base, list(types), [ctx.sent_of[i]]))
            elif tag.startswith("VB") and low in TAKE and \
                    any(c.lower_ in {"hostage", "hostages"} for c in tok.subtree if c.i - tok.i < 12):
                out.append(EventFound(i, i + 1, "take hostage", ["AbductionForcedDisappearance", "HostageTaking"],
                                      [ctx.sent_of[i]]))
            elif tag.startswith("NN") and low in w.event_nouns and ctx.cluster_at(i) is None \
                    and tok.dep_ not in {"compound", "amod", "nmod"}:
                base, types = w.event_nouns[low]
                ev = EventFound(i, i + 1, base, list(types), [ctx.sent_of[i]])
                ev.umbrella = low in UMBRELLA or (tag == "NNS" and not any(c.tag_ == "CD" for c in tok.children))
                ev.definite = any(c.dep_ in {"det", "amod", "poss"} and c.lower_ in ANAPHORS | {"its", "their"}
                                  for c in tok.children)
                out.append(ev)
        for ev in out:
            tok = doc[ev.trigger]
            if tok.tag_.startswith("VB") and tok.dep_ == "relcl" and any(
                    c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.head.children):
                ev.definite = True  # "the same post that was attacked"
            if not ev.triggers:
                ev.triggers = [(ev.trigger, ev.trigger_end)]
        out = [e for e in out if not self._negated(e) and not self._hypothetical(e) and not self._generic(e)
               and not self._named_reference(e)]
        return self._deaths_in_context(out)

    def _deaths_in_context(self, found: list[EventFound]) -> list[EventFound]:
        """A death ("died", "dead", "the death of") is an event only in a violent context: a
        violent trigger or a weapon in its sentence or the sentence before it ("died of cancer"
        is not)."""
        ctx = self.ctx
        violent_sents = {ev.sentences[0] for ev in found if ev.violent and ev.base not in DEATH_TRIGGERS}
        out = []
        for ev in found:
            if ev.base in DEATH_TRIGGERS:
                s = ev.sentences[0]
                near = {s, s - 1} if s and ctx.para_of_sent[s - 1] == ctx.para_of_sent[s] else {s}
                if not near & violent_sents and not self._weapon_in(s):
                    continue
            out.append(ev)
        return out

    def _weapon_in(self, sentence: int) -> bool:
        lows = self.ctx.lows
        s = self.ctx.sents[sentence]
        weapons = self.ctx.lex.weapons
        return any(lows[i] in weapons or lows[i].rstrip("s") in weapons or lows[i] in VIOLENCE_WORDS
                   for i in range(s.start, s.end))

    def _generic(self, ev: EventFound) -> bool:
        """"Kidnappings and violence are commonplace", "attacks occur regularly": a bare plural
        or mass noun (no determiner, number or possessive) in a present-tense statement, or one
        said to be common, is a habit, not an event."""
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        if not tok.tag_.startswith("NN") or ev.triggers and ev.triggers[0][1] - ev.triggers[0][0] > 1:
            return False
        if tok.tag_ == "NN" and ev.base not in MASS_EVENTS:
            return False
        if any(c.dep_ in {"det", "poss", "nummod"} or c.tag_ == "CD" for c in tok.children):
            return False
        if any(c.dep_ == "amod" and c.lower_ in RECENT for c in tok.children):
            return False
        # "kidnappings and violence are commonplace" (whatever the parse): the list, then "are"
        k = tok.i + 1
        sent_end = tok.sent.end
        while k < sent_end and (doc[k].tag_ in {"NN", "NNS", "CC", ",", "JJ"} and doc[k].lower_ not in HABITUAL):
            k += 1
        if k + 1 < sent_end and doc[k].lower_ in {"are", "is", "were", "was", "remain", "remains", "became", "become"} \
                and doc[k + 1].lower_ in HABITUAL:
            return True
        node = tok
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head  # "kidnappings and violence": the first conjunct's clause
        if node.dep_ not in {"nsubj", "nsubjpass"}:
            return False
        verb = node.head
        tags = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
        habitual = any(c.dep_ in {"acomp", "attr", "advmod"} and c.lower_ in HABITUAL for c in verb.children)
        if habitual:
            return True
        if not tags & {"VBZ", "VBP"} or tags & {"VBD", "VBN", "MD"}:
            return False  # past, perfect or modal: may well be a report
        sent = doc[tok.i].sent
        return not any(doc[i].ent_type_ in {"DATE", "TIME"} for i in range(sent.start, sent.end))

    def _named_reference(self, ev: EventFound) -> bool:
        """"2014 Bagram Airfield bombing" in a list or a "See also" line: the name of an event
        (a year and a name before the noun, in a line without a verb) is a reference to another
        article, not a report."""
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        if not tok.tag_.startswith("NN"):
            return False
        sent = self.ctx.sents[self.ctx.sent_of[ev.trigger]]
        if any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in sent):
            return False
        left = [t for t in doc[max(sent.start, tok.i - 6):tok.i]]
        year = any(t.like_num and len(t.text) == 4 and t.text.isdigit() for t in left)
        named = any(t.tag_ == "NNP" for t in left)
        bullet = any(t.text in {"*", "•", "-", "–", "·"} for t in sent[:2])
        return named and (year or bullet)

    def _negated(self, ev: EventFound) -> bool:
        tok = self.ctx.doc[ev.trigger]
        for c in tok.children:
            if c.dep_ == "neg":
                return True
            if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"none", "nobody", "no"}:
                return True
            if c.dep_ == "det" and c.lower_ == "no":
                return True
        return False

    def _hypothetical(self, ev: EventFound) -> bool:
        """"their stated aim of going on to attack targets", "wouldn't be so stupid as to launch
        attacks": planned, feared or denied acts are not events."""
        tok = self.ctx.doc[ev.trigger]
        if any(c.dep_ == "amod" and c.lower_ in HYPOTHETICAL_MODIFIERS for c in tok.children):
            return True
        node = tok
        for _ in range(5):
            if node.head.i == node.i:
                break
            low = node.head.lower_
            if low in HYPOTHETICAL:
                return True
            if node.head.tag_.startswith("VB") and any(
                    c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in {"would", "should", "could", "might", "wo", "ca"})
                    for c in node.head.children) and node.dep_ in {"dobj", "xcomp", "ccomp"}:
                return True
            node = node.head
        return False

    # --- arguments ---------------------------------------------------------------------------------
    def fill(self, ev: EventFound) -> None:
        ctx, doc = self.ctx, self.ctx.doc
        tok = doc[ev.trigger]
        ev.triggers = [(ev.trigger, ev.trigger_end)]
        ev.label = doc[ev.trigger:ev.trigger_end].text
        actor_types = {PERSON, ORG, GROUP}
        violent = ev.violent
        arrest = "Arrests" in ev.types
        if ev.base in DEATH_TRIGGERS:  # "X died", "the death of X", "his death": X is the victim
            if tok.tag_.startswith("VB"):
                subj = next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    ev.roles["victim"] += [ci for ci in self._entities(subj, actor_types) if ctx.type_of(ci) != ORG]
            else:
                for c in tok.children:
                    if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of"):
                        ev.roles["victim"] += [ci for ci in self._entities(c, actor_types) if ctx.type_of(ci) != ORG]
        elif tok.tag_.startswith("VB"):
            passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in tok.children)
            subj = self._subject(tok)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            objects = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} or
                       (c.dep_ == "prep" and c.lower_ in {"on", "against"})]
            if ev.base == "shoot dead" and ev.trigger_end < len(doc):
                objects += [t for t in doc[ev.trigger_end:tok.sent.end] if ctx.cluster_at(t.i) is not None][:1]
            first_role = "actor" if not violent and not arrest else ("actor" if arrest else "perpetrator")
            if passive:
                if agent is not None:
                    ev.roles[first_role] += self._entities(agent, actor_types)
            elif subj is not None:
                ev.roles[first_role] += subj
            for obj in objects:
                role = "detainee" if arrest else ("victim" if violent else "actor")
                for ci in self._entities(obj, actor_types | ({PLACE} if violent else set())):
                    if ctx.type_of(ci) == PLACE:
                        if ctx.place_rank(ci) == 0:  # a border post, a checkpoint: a target
                            ev.roles["target"].append(ci)
                    elif ctx.type_of(ci) == ORG and role == "victim":
                        ev.roles["target"].append(ci)
                    else:
                        ev.roles[role].append(ci)
        else:
            for c in tok.children:
                if c.dep_ in {"poss", "compound", "nmod"}:
                    ev.roles["perpetrator" if violent else "actor"] += self._entities(c, actor_types)
                elif c.dep_ == "prep" and c.lower_ in {"on", "against"}:
                    ev.roles["target" if violent else "actor"] += [
                        ci for ci in self._entities(c, actor_types | {PLACE})
                        if ctx.type_of(ci) != PLACE or ctx.place_rank(ci) == 0]
                elif c.dep_ == "prep" and c.lower_ == "by":
                    ev.roles["perpetrator" if violent else "actor"] += self._entities(c, actor_types)
                elif c.dep_ == "prep" and c.lower_ in {"between", "with"}:
                    ev.roles["actor"] += self._entities(c, actor_types)
                elif c.dep_ == "acl":  # "raids mounted from Tajikistan by the IMU"
                    for cc in c.children:
                        if cc.dep_ == "agent":
                            ev.roles["perpetrator" if violent else "actor"] += self._entities(cc, actor_types)
            if tok.dep_ in {"nsubj"} and not ev.roles["perpetrator"]:
                pass
        for role in ev.roles:
            ev.roles[role] = list(dict.fromkeys(ev.roles[role]))
        for ci in ev.roles["perpetrator"]:
            ev.role_source.setdefault(ci, ev.trigger)
        for ci in ev.roles["perpetrator"] + ev.roles["actor"]:
            ev.perpetrator_mentions += [m for m in ctx.clusters[ci].members if ctx.cands[m].group_class == "perpetrator"
                                        and ctx.sent_of[ctx.cands[m].start] in ev.sentences]
        ev.place = self._place(ev)
        ev.date = self._date(ev)
        ev.country = self._country(ev)
        ev.fatalities, ev.injured = self._casualties(ev)
        self._refine_type(ev)

    def _subject(self, verb: Any) -> list[int]:
        """The doer of an event verb, climbing through "started by raiding", "and then ...",
        relative clauses, and "are accused of shooting" (the accused); never the speaker of a
        reporting verb."""
        node = verb
        for _ in range(6):
            subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if subj is None and node is not verb and any(c.dep_ == "auxpass" for c in node.children):
                subj = next((c for c in node.children if c.dep_ == "nsubjpass"), None)  # "X are accused of"
            if subj is not None:
                if subj.lower_ in {"which", "who", "that"} and node.dep_ == "relcl":
                    found = self._entities(node.head, {PERSON, ORG, GROUP}, head_only=True)
                    if found:
                        return found
                    node = node.head.head
                    continue
                return self._entities(subj, {PERSON, ORG, GROUP}, actor=True)
            if node.dep_ in {"xcomp", "advcl", "conj", "pcomp", "prep", "acl", "oprd", "acomp"} and node.head.i != node.i:
                if any(c.dep_ == "mark" and c.lower_ in STOP_CLIMB for c in node.children):
                    break
                node = node.head
                if node.lower_ in self.w.reporting_verbs and not any(c.dep_ == "auxpass" for c in node.children):
                    break
                continue
            break
        return []

    def _entities(self, tok: Any, types: set[str], head_only: bool = False, actor: bool = False) -> list[int]:
        ctx = self.ctx
        if tok.tag_ in {"PRP", "PRP$"} or tok.lower_ in {"they", "them", "he", "she"}:
            ci = ctx.resolve_pronoun(tok, actor=actor)
            if ci is not None and ctx.type_of(ci) in types:
                return [ci]
            return []
        if head_only:
            ci = ctx.cluster_at(tok.i)
            return [ci] if ci is not None and ctx.type_of(ci) in types else []
        found = ctx.clusters_under(tok, types)
        # a noun phrase like "a force of 300": the subject of the clause it belongs to
        return found

    def _place(self, ev: EventFound) -> int | None:
        ctx, doc = self.ctx, self.ctx.doc
        tok = doc[ev.trigger]
        cands: list[int] = []
        # "Batken was the scene of raids"
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in {"scene", "site", "location"}:
            be = tok.head.head.head
            subj = next((c for c in be.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                cands += ctx.clusters_under(subj, {PLACE})
        scope = [tok]
        if tok.head.i != tok.i and tok.dep_ in {"advcl", "conj", "xcomp", "pcomp", "relcl", "acl"}:
            scope.append(tok.head)
        origin = set()
        for t in tok.sent:  # "brought in from Bishkek", "the security forces of Kyrgyzstan": not where
            if t.dep_ == "prep" and t.lower_ in {"from", "of"}:
                origin.update(x.i for x in t.subtree)
            if t.dep_ in {"advcl"} and t.i != tok.i and tok.i not in {x.i for x in t.subtree}:
                origin.update(x.i for x in t.subtree)
        for node in scope:
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in {"from", "of"}:
                    continue
                elif c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                    cands += ctx.clusters_under(c, {PLACE})
                elif c.dep_ in {"dobj", "npadvmod", "nmod", "compound", "relcl"}:
                    cands += ctx.clusters_under(c, {PLACE})
        if not cands:
            sub = [t for t in tok.subtree if t.i not in origin]
            cands = ctx.clusters_in(sub[0].i, sub[-1].i + 1, {PLACE}) if sub else []
            cands = [ci for ci in cands if not any(ctx.cands[m].start in origin for m in ctx.clusters[ci].members)]
        if not cands and not ev.definite and tok.tag_.startswith("VB"):
            sent = ctx.sents[ctx.sent_of[ev.trigger]]
            in_sent = [ci for ci in ctx.clusters_in(sent.start, sent.end, {PLACE})]
            if len(in_sent) == 1:
                cands = in_sent
        if not cands:
            return None
        ranked = sorted(dict.fromkeys(cands), key=lambda ci: ctx.place_rank(ci))
        if len(ranked) > 1 and ctx.place_rank(ranked[0]) == ctx.place_rank(ranked[1]) == 5:
            return None  # "the security forces of both Kyrgyzstan and Tajikistan": no one place
        return ranked[0]

    def _date(self, ev: EventFound) -> DateValue | None:
        """A date in the trigger's own phrase; else (unless the trigger refers back, "the
        attack") the date nearest to it in its sentence."""
        found = self.dates.get(ev.sentences[0], [])
        if not found:
            return None
        tok = self.ctx.doc[ev.trigger]
        sub = {t.i for t in tok.subtree}
        own = [td for td in found if td[0] in sub]
        if own:
            return min(own, key=lambda td: abs(td[0] - ev.trigger))[1]
        if ev.definite:
            return None
        return min(found, key=lambda td: abs(td[0] - ev.trigger))[1]

    def _country(self, ev: EventFound) -> str | None:
        ctx = self.ctx
        if ev.place is not None:
            c = ctx.place_country(ev.place)
            if c:
                return c
            near = ctx.countries_near(ctx.cands[ctx.clusters[ev.place].members[0]].start) if ctx.clusters[ev.place].members else []
            if near:
                return near[0]
        for role in ("target", "victim"):
            for ci in ev.roles[role]:
                for m in ctx.clusters[ci].members:
                    if ctx.cands[m].country:
                        return ctx.cands[m].country
        tok = ctx.doc[ev.trigger]
        for t in tok.subtree:
            code = ctx.lex.demonym_country(t.text)
            if code:
                return code
        return None

    # --- casualties ---------------------------------------------------------------------------------
    def _casualties(self, ev: EventFound) -> tuple[int | None, int | None]:
        """Deaths and injuries reported in the event's sentence."""
        ctx = self.ctx
        sent = ctx.sents[ev.sentences[0]]
        deaths = 0
        injuries = 0
        counted: set[int] = set()
        text_low = sent.text.lower()
        if "death toll" in text_low and "total" in text_low:
            pass  # a running total is not this event's figure
        for t in sent:
            low = t.lower_
            if low in DEATH_WORDS or (low == "dead" and t.dep_ in {"oprd", "acomp", "ccomp", "amod", "advmod", "xcomp"}):
                if _is_toll(t):
                    continue
                n = self._count_for(t, counted)
                deaths += n
            elif low in {"lost", "lose", "losing"}:
                n = self._count_for(t, counted)
                deaths += n
            elif low in INJURY_WORDS:
                n = self._count_for(t, counted, injuries=True)
                injuries += n
        if ev.base in {"shoot dead"}:
            pass
        return (deaths if deaths else None), (injuries if injuries else None)

    def _count_for(self, word: Any, counted: set[int], injuries: bool = False) -> int:
        """How many people a death or injury word reports: "killing two people", "Four Kyrgyz
        soldiers died", "leaving three soldiers dead", "shot dead X", "X and Y, who later died",
        "lost four of their own men", "with eight more injured"."""
        ctx, doc = self.ctx, self.ctx.doc
        nouns = []
        if word.dep_ in {"oprd", "acomp", "ccomp", "xcomp", "advmod", "amod"} and word.lower_ == "dead":
            head = word.head
            if head.lower_ == "shot":  # "shot dead X"
                nouns = [c for c in head.children if c.dep_ in {"dobj"}]
                if not nouns:
                    nouns = [t for t in doc[word.i + 1:word.sent.end] if t.tag_ in {"NNP"}][-1:]
            else:
                nouns = [c for c in head.children if c.dep_ in {"dobj", "nsubj", "nsubjpass"}]
        elif word.tag_.startswith("VB") or word.lower_ in {"dead"}:
            if word.lower_ in {"died", "die", "dies", "dying"} or any(c.dep_ == "auxpass" for c in word.children):
                nouns = [c for c in word.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if nouns and nouns[0].lower_ in {"who", "that"} and word.dep_ == "relcl":
                    nouns = [word.head]
            else:
                nouns = [c for c in word.children if c.dep_ in {"dobj"}]
        elif word.dep_ in {"amod", "acomp"}:
            nouns = [word.head]
        total = 0
        for noun in nouns:
            if noun.i in counted:
                continue
            n = _number_of(noun, ctx)
            if n:
                total += n
                counted.update(t.i for t in noun.subtree)
        if not total and injuries:
            # "with eight more injured": the number is the subject of the participle
            for c in word.children:
                if c.dep_ in {"nsubj", "nsubjpass", "npadvmod"} and c.tag_ == "CD":
                    total += _to_int(c.lower_) or 0
            if not total and word.head.tag_ == "CD":
                total = _to_int(word.head.lower_) or 0
            prev = doc[word.i - 1] if word.i else None
            if not total and prev is not None and prev.lower_ == "more" and word.i > 1 and doc[word.i - 2].tag_ == "CD":
                total = _to_int(doc[word.i - 2].lower_) or 0
        return total

    def _refine_type(self, ev: EventFound) -> None:
        """ACLED: violence between armed actors is a battle; against civilians an attack."""
        ctx = self.ctx
        if not ev.violent or "AbductionForcedDisappearance" in ev.types or "RemoteExplosive" in ev.types:
            return
        victims = ev.roles["victim"] + ev.roles["target"]
        armed = False
        for ci in victims + ev.roles["perpetrator"]:
            pass
        sent = ctx.sents[ev.sentences[0]]
        victim_words = {ctx.doc[t].lower_ for ci in victims for m in ctx.clusters[ci].members
                        for t in range(ctx.cands[m].start, ctx.cands[m].end)}
        for ci in victims:
            cl = ctx.clusters[ci]
            if cl.type == GROUP and any(ctx.cands[m].group_class in {"perpetrator", "force"} for m in cl.members):
                armed = True
            if cl.type == ORG:
                armed = True
        if victim_words & FORCE_NOUNS - {"men"}:
            armed = True
        for ci in victims:  # a victim with a military rank or a soldier's title
            for m in ctx.clusters[ci].members:
                c = ctx.cands[m]
                if c.title and ({t.lower_ for t in ctx.doc[c.title[0]:c.title[1]]} & (MILITARY_TITLES | FORCE_NOUNS)):
                    armed = True
        text = sent.text.lower()
        if re.search(r"\b(soldiers?|troops|guards?|servicemen|sentry|forces)\b.{0,30}\b(dead|killed|died)\b|"
                     r"\b(killed|killing)\b.{0,30}\b(soldiers?|troops|guards?|servicemen|guerrillas|militants|members)\b", text):
            armed = True
        if armed and "Attack" in ev.types:
            ev.types = ["ArmedClash"] + [t for t in ev.types if t not in {"Attack"}]
        if "Raid" in ev.types and "ArmedClash" not in ev.types:
            ev.types.insert(0, "ArmedClash")

    # --- incidents -----------------------------------------------------------------------------------
    def run(self) -> list[EventFound]:
        mentions = self.triggers()
        for ev in mentions:
            self.fill(ev)
        seen_sentences: set[int] = set()
        for ev in mentions:  # a sentence's deaths belong to its first violent event only
            if not ev.violent or ev.sentences[0] in seen_sentences:
                ev.fatalities = ev.injured = None
            else:
                seen_sentences.add(ev.sentences[0])
        self._inherit(mentions)
        return self._merge(mentions)

    def _inherit(self, mentions: list[EventFound]) -> None:
        """A sentence that continues a narrative ("They then ...", "The same morning ...")
        takes the date (and place) of what came just before."""
        ctx = self.ctx
        prev: EventFound | None = None
        last_dated_violent: EventFound | None = None
        for ev in mentions:
            s = ev.sentences[0]
            para = ctx.para_of_sent[s]
            text = ctx.sents[s].text.strip()
            low = text.lower()
            continues = bool(re.match(r"^(they|he|she|then|soon|later|afterwards|the same)\b", low)) \
                or bool(re.search(r"\b(then|afterwards|soon afterwards)\b", low))
            same_day = bool(re.search(r"\bsame (?:morning|day|night|evening|afternoon)\b", low))
            if ev.date is None:
                if same_day and last_dated_violent is not None:
                    ev.date = last_dated_violent.date
                elif continues and s and ctx.para_of_sent[s - 1] in {para, para - 1}:
                    back = self.dates.get(s - 1, [])
                    if back:
                        ev.date = back[-1][1]
                    elif prev is not None and prev.date is not None and prev.sentences[0] >= s - 2:
                        ev.date = prev.date
            if ev.place is None and not ev.definite and continues and s and ctx.para_of_sent[s - 1] in {para, para - 1}:
                prev_sent = ctx.sents[s - 1]
                places = ctx.clusters_in(prev_sent.start, prev_sent.end, {PLACE})
                if places:
                    ev.place = sorted(places, key=ctx.place_rank)[0]
                    ev.country = ev.country or self._country(ev)
            if ev.violent and ev.date is not None:
                last_dated_violent = ev
            prev = ev

    # Incidents: mentions are first grouped by when they happened (the article's main incident,
    # or another dated one), then merged within an incident by kind of event and country.

    def _family(self, ev: EventFound) -> str:
        t = set(ev.types)
        if t & {"ArmedClash", "Raid"}:
            return "battle"
        if t & {"RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack", "AirDroneStrike", "Grenade"}:
            return "remote"
        if t & {"AbductionForcedDisappearance", "Hijacking", "HostageTaking"}:
            return "abduction"
        if t & {"Attack", "Killing"}:
            return "attack"
        return "other:" + (ev.types[-1] if ev.types else ev.base)

    def _incidents(self, mentions: list[EventFound]) -> list[str]:
        ctx = self.ctx
        days = [ev.date.value for ev in mentions if ev.violent and ev.date is not None
                and ev.date.precision.value == "day" and not ev.date.end]
        main_day = max(set(days), key=lambda d: (days.count(d), d)) if days else None
        main = DateValue(main_day, DatePrecision.DAY) if main_day else None
        keys: list[str] = []
        for k, ev in enumerate(mentions):
            key = None
            if ev.date is not None and ev.definite:  # "These joint exercises, due to start on March 28"
                for j in range(k - 1, -1, -1):
                    prev = mentions[j]
                    if prev.base == ev.base and prev.date is not None and compatible(prev.date, ev.date):
                        key = keys[j]
                        break
            if key is not None:
                pass
            elif ev.date is not None:
                if main is not None and compatible(ev.date, main) and (ev.date.end or ev.date.value == main.value
                                                                         or ev.date.precision.value != "day"):
                    key = "main"
                else:
                    key = f"{ev.date.value}/{ev.date.end or ''}"
            elif ev.definite:
                key = self._antecedent_incident(ev, mentions[:k], keys)
            else:
                para = ctx.para_of_sent[ev.sentences[0]]
                prev = [keys[j] for j in range(k) if ctx.para_of_sent[mentions[j].sentences[0]] == para
                        and mentions[j].violent and keys[j] is not None]
                key = prev[-1] if prev else "main"
            keys.append(key)
        # an undated mention at the specific place of a dated incident belongs to it
        for k, ev in enumerate(mentions):
            if ev.date is None and ev.place is not None and ctx.place_rank(ev.place) <= 2:
                for j, other in enumerate(mentions):
                    if other.date is not None and other.place == ev.place and keys[j] != keys[k]:
                        keys[k] = keys[j]
                        ev.date = other.date
                        break
        return keys

    def _antecedent_event(self, ev: EventFound, events: list[EventFound], key: str) -> int | None:
        """The event a definite reference ("the earlier attack on their Tajik colleagues") is."""
        best, best_score = None, 2.5
        for i, prev in enumerate(events):
            if prev.incident != key or not prev.violent == ev.violent or (prev.umbrella and not prev.definite):
                continue
            score = 0.0
            if prev.base == ev.base:
                score += 2
            if self._family(prev) == self._family(ev):
                score += 1
            if ev.country and prev.country:
                score += 2 if prev.country == ev.country else -5
            score += 1 + i / (10 * max(len(events), 1))
            if score > best_score:
                best, best_score = i, score
        return best

    def _antecedent_incident(self, ev: EventFound, before: list[EventFound], keys: list[str]) -> str:
        """The incident a definite reference ("the raid", "the latest clash") points back to."""
        tok = self.ctx.doc[ev.trigger]
        mods = {c.lower_ for c in tok.children}
        if mods & {"latest", "recent", "last"}:
            return "main"
        best, best_score = None, -1.0
        for j, prev in enumerate(before):
            score = 0.0
            if prev.base == ev.base:
                score += 3
            if self._family(prev) == self._family(ev):
                score += 2
            if ev.country and prev.country == ev.country:
                score += 2
            if keys[j] == "main":
                score += 1
            score += j / (10 * max(len(before), 1))
            if score > best_score:
                best, best_score = keys[j], score
        return best or "main"

    def _merge(self, mentions: list[EventFound]) -> list[EventFound]:
        ctx = self.ctx
        for ev in mentions:  # events with no place take their country from context
            if ev.country is None:
                for ci in ev.roles["perpetrator"] + ev.roles["actor"]:
                    for m in ctx.clusters[ci].members:
                        if ctx.cands[m].institution and ctx.cands[m].country:
                            ev.country = ctx.cands[m].country
                if ev.country is None and ev.violent:
                    near = ctx.countries_near(ev.trigger, window_sents=1)
                    ev.country = near[0] if len(near) == 1 else None
        keys = self._incidents(mentions)
        for ev, key in zip(mentions, keys):
            ev.incident = key
        events: list[EventFound] = []
        slot: dict[tuple, int] = {}
        # deaths last: a death in the sentence of another violent event is that event's casualty
        # ("died after a roadside bomb detonated"), not an event of its own
        order = sorted(zip(mentions, keys), key=lambda p: p[0].base in DEATH_TRIGGERS)
        for ev, key in order:
            if ev.base in DEATH_TRIGGERS:
                host = next((o for o in events if o.violent and ev.sentences[0] in o.sentences), None)
                if host is not None:
                    types = list(host.types)
                    self._absorb(host, ev)
                    host.types = types  # the deaths are its fatalities, not another kind of event
                    continue
            family = self._family(ev)
            if ev.umbrella and ev.violent and not ev.definite:
                family = "lead"
            background = key != "main" and family in {"battle", "attack"}
            candidates = [(k, i) for k, i in slot.items() if k[0] == key and (k[1] == family or (
                background and k[1] in {"battle", "attack"}) or (
                family not in {"lead"} and ev.violent and events[i].violent and k[1] != "lead" and ev.place is not None
                and ev.place == events[i].place and ctx.place_rank(ev.place) <= 2))]
            target = None
            if ev.definite and ev.date is None and not (ev.umbrella and not events):
                target = self._antecedent_event(ev, events, key)
            for (k, i) in ([] if target is not None else candidates):
                other = events[i]
                if ev.country and other.country and ev.country != other.country:
                    continue
                if ev.place is not None and other.place is not None and ev.place != other.place and \
                        ctx.place_rank(ev.place) == ctx.place_rank(other.place) <= 2:
                    continue
                target = i
                if ev.country and other.country == ev.country:
                    break
            if target is None:
                events.append(ev)
                slot[(key, family, len(events))] = len(events) - 1
            else:
                self._absorb(events[target], ev)
        events.sort(key=lambda e: e.triggers[0][0])
        # a plural lead ("Clashes last week ...") is the parent of the main incident's events
        for i, lead in enumerate(events):
            if not (lead.umbrella and lead.violent and not lead.definite):
                continue
            key = keys[mentions.index(lead)] if lead in mentions else None
            for j, ev in enumerate(events):
                if j != i and ev.parent is None and not (ev.umbrella and ev.violent) and ev.violent and \
                        keys[mentions.index(ev)] == key and key == "main":
                    ev.parent = i
                    lead.subs.append(j)
        # a non-violent event in the sentence of a violent one by the same actors is part of it
        for j, ev in enumerate(events):
            if ev.violent or ev.parent is not None:
                continue
            for i, other in enumerate(events):
                if i != j and other.violent and set(ev.sentences) & set(other.sentences) and \
                        set(ev.roles["actor"] + ev.roles["perpetrator"]) & set(other.roles["perpetrator"]):
                    ev.parent = i
                    other.subs.append(j)
                    break
        return events

    def _absorb(self, target: EventFound, ev: EventFound) -> None:
        ctx = self.ctx
        target.triggers += ev.triggers
        target.sentences += [s for s in ev.sentences if s not in target.sentences]
        for role, cis in ev.roles.items():
            target.roles[role] = list(dict.fromkeys(target.roles[role] + cis))
        for ci, trig in ev.role_source.items():
            target.role_source.setdefault(ci, trig)
        target.perpetrator_mentions += ev.perpetrator_mentions
        if ev.place is not None and (target.place is None or ctx.place_rank(ev.place) < ctx.place_rank(target.place)):
            target.place = ev.place
        target.date = more_precise(target.date, ev.date)
        target.country = target.country or ev.country
        # ACLED: the most conservative of the reported figures, never a sum of re-descriptions
        if ev.fatalities is not None:
            target.fatalities = max(target.fatalities or 0, ev.fatalities)
        if ev.injured is not None:
            target.injured = max(target.injured or 0, ev.injured)
        for t in ev.types:
            if t not in target.types:
                target.types.append(t)
        if "ArmedClash" in target.types and "Attack" in target.types:
            target.types.remove("Attack")
        target.umbrella = target.umbrella and ev.umbrella


TAKE = {"take", "took", "taken", "taking", "takes", "seized", "seize"}
BLOW = {"blow", "blew", "blown", "blowing", "blows"}
DEATH_TRIGGERS = {"die", "dead", "death"}
VIOLENCE_WORDS = {"gunmen", "gunman", "bomber", "bombers", "militants", "insurgents", "shot", "wounded", "wounds",
                  "attacked", "attack", "attacks", "explosion", "blast", "bomb", "bombs", "fighting", "clashes",
                  "killed", "murdered", "war", "shelling", "airstrike", "airstrikes", "ambush", "suicide"}
MASS_EVENTS = {"violence", "fighting", "shelling", "gunfire", "looting"}
HABITUAL = {"common", "commonplace", "rife", "rare", "frequent", "widespread", "routine", "endemic", "usual",
            "regularly", "often", "frequently", "rarely", "usually", "sometimes", "always", "never"}
RECENT = {"recent", "latest", "last", "earlier", "deadly", "fatal", "bloody"}
_MW_INDEX: dict[int, dict[str, list]] = {}


def _multiword_index(patterns: list) -> dict[str, list]:
    """Multiword triggers by their first word (built once)."""
    key = id(patterns)
    if key not in _MW_INDEX:
        index: dict[str, list] = {}
        for p in patterns:
            index.setdefault(p[0][0], []).append(p)
        _MW_INDEX[key] = index
    return _MW_INDEX[key]


def _is_toll(tok: Any) -> bool:
    sent = tok.sent.text.lower()
    return "death toll" in sent and ("total" in sent or "bringing" in sent) and tok.lower_ not in {"died"}


def _to_int(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _number_of(noun: Any, ctx: Ctx) -> int:
    """The number of people a noun phrase counts: "two people" 2, "four members of the group" 4,
    "a customs officer and his civilian assistant" 2, "its head" 1, named people one each."""
    if noun.tag_ == "CD" or noun.lower_ in NUMBERS and noun.tag_ in {"DT", "CD", "JJ", "NN"}:
        n = _to_int(noun.lower_)
        if n:
            return n
    for c in noun.children:
        if c.dep_ == "nummod" or (c.dep_ in {"det", "amod", "quantmod"} and c.lower_ in NUMBERS and c.lower_ not in {"a", "an"}):
            n = _to_int(c.lower_)
            if n:
                return n
    conj = [c for c in noun.children if c.dep_ == "conj"]
    if noun.tag_ in {"NNP", "NN"} or conj:
        people = 1 + sum(_number_of(c, ctx) or 1 for c in conj)
        return people
    if noun.tag_ == "NNS":
        return 0  # a plural with no number: not a count
    return 0
