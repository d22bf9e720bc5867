"""Incidents: the mentions of one incident in an article are one event.

- Mentions are read in text order; each joins the event it most likely re-describes, or
  starts a new one. Nothing joins across a conflict: another date, another specific place or
  country, another kind of event (a bombing and an ambush; an arrest and an attack), a
  mention marked as different ("attacked another outpost", "a second blast"), or two event
  words of one sentence that a word like "after" or "in retaliation for" sets apart. What
  pulls a mention into an event: a definite reference ("the attack", "Tuesday's blast"), a
  parse link in one sentence ("stormed a camp, killing five"), the same day or the same
  specific place, shared actors, and the continuity of a narrative (an undated mention right
  after the event, in the same paragraph); a sentence that moves to another time ("Two months
  later, ...") breaks the continuity.
- A death in the sentence of another violent event is that event's casualty ("died after a
  roadside bomb detonated"), not an event of its own.
- An undated plural lead ("Clashes last week ...") is the parent of the specific events of
  its kind; a non-violent event in the sentence of a violent one by the same actors is part of
  it.
"""

from __future__ import annotations

import re

from kg.extract.context import Ctx
from kg.extract.dates import compatible, more_precise
from kg.extract.events.found import DEATH_TRIGGERS, EventFound
from kg.extract.events.vocabulary import GENERIC_VIOLENCE, NEW_MARKERS, SEPARATORS, SHIFT_WORDS
from kg.extract.mentions import PERSON, PLACE
from kg.extract.words import Words
from kg.model import DatePrecision, DateValue

#: below this, a mention starts an event of its own
JOIN = 2.0
#: the pull of a narrative that goes on (an undated mention right after the event)
CONTINUITY = 2.0
BATTLE_OR_ATTACK = {"battle", "attack"}
#: acts of speech: two of them are one only when one refers to the other ("the statement")
SPEECH = {"Statement", "PressConference", "Meeting"}


def _same_word(a: str, b: str) -> bool:
    """"kill" and "killings", "bomb" and "bombing", "abduct" and "abduction": one word."""
    a, b = a.split()[-1], b.split()[-1]
    k = min(5, len(a), len(b))
    return a[:k] == b[:k]


class IncidentRules:
    """The incident step of :class:`~kg.extract.events.finder.EventFinder` (a mention's country:
    :meth:`~kg.extract.events.arguments.ArgumentRules.country_of`)."""

    ctx: Ctx
    w: Words
    dates: dict[int, list[tuple[int, DateValue]]]
    dateline_end: int

    # --- kinds of event ----------------------------------------------------------------------------
    def _family(self, ev: EventFound) -> str:
        t = set(ev.types)
        if t & {"ArmedClash", "Raid", "NonStateActorOvertakesTerritory", "GovernmentRegainsTerritory"}:
            return "battle"
        if t & {"RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack", "AirDroneStrike", "Grenade"}:
            return "remote"
        if t & {"AbductionForcedDisappearance", "Hijacking", "HostageTaking"}:
            return "abduction"
        if t & {"MobViolence", "ViolentDemonstration"}:
            return "riot"
        if t & {"Attack", "Killing"}:
            return "attack"
        return "other:" + (ev.types[-1] if ev.types else ev.base)

    @staticmethod
    def _any_violence(ev: EventFound) -> bool:
        """Whether every word of a mention (or event) could name any violent incident."""
        return all(b in GENERIC_VIOLENCE for b in ev.bases or [ev.base])

    def _kinds_agree(self, m: EventFound, e: EventFound) -> bool:
        if m.violent != e.violent:
            return False
        fm, fe = self._family(m), self._family(e)
        if fm == fe:
            return True
        if not m.violent:
            return False
        if "abduction" in {fm, fe}:
            return False
        return {fm, fe} <= BATTLE_OR_ATTACK or self._any_violence(m) or self._any_violence(e)

    # --- joining a mention to an event ------------------------------------------------------------
    def _blocked(self, m: EventFound, e: EventFound) -> bool:
        ctx = self.ctx
        if not self._kinds_agree(m, e):
            return True
        if m.date is not None and e.date is not None and not compatible(m.date, e.date):
            return True
        cm, ce = self._place_country(m), self._place_country(e)
        if cm and ce and cm != ce:
            return True
        if m.place is not None and e.place is not None and m.place != e.place and \
                ctx.place_rank(m.place) <= 2 and ctx.place_rank(e.place) <= 2 and not self._places_meet(m, e):
            return True
        s = m.sentences[0]
        if self._marked_new(m):
            return True
        if s in e.sentences and any(self._separated(m.trigger, t) for t, _ in e.triggers
                                    if ctx.sent_of[t] == s):
            return True
        return False

    def _place_country(self, ev: EventFound) -> str | None:
        """The country of an event's place: the gazetteer's, unless the article names that
        country nowhere else and another one around the place's first mention (a border post the
        gazetteer does not know, a town that shares its name with a city abroad)."""
        if ev.place is None:
            return None
        ctx = self.ctx
        found = ctx.place_country(ev.place)
        if ctx.place_rank(ev.place) < 5 and ctx.clusters[ev.place].members and found not in self._named_countries(ev.place):
            near = [c for c in ctx.countries_near(ctx.cands[ctx.clusters[ev.place].members[0]].start, window_sents=2)
                    if c != found]
            if near:
                found = near[0]  # "the municipality of Buenos Aires" in a report on Colombia
        return found

    def _named_countries(self, place: int) -> set[str]:
        """The countries the article names other than through ``place`` (its places' countries
        and the countries its groups and institutions are qualified by)."""
        ctx = self.ctx
        out = {c.country for c in ctx.cands if c.country}
        for ci, cl in enumerate(ctx.clusters):
            if ci != place and cl.type == PLACE and cl.members:
                code = ctx.place_country(ci)
                if code:
                    out.add(code)
        return out

    def _places_meet(self, m: EventFound, e: EventFound) -> bool:
        """Two places named together ("the outpost in X village in Y township"), or a country
        and a place in it: one is in the other."""
        ctx = self.ctx
        for ci, sents in ((e.place, m.sentences), (m.place, e.sentences)):
            for s in sents:
                sent = ctx.sents[s]
                if ci in ctx.clusters_in(sent.start, sent.end, {PLACE}):
                    return True
        for a, b in ((m, e), (e, m)):
            if ctx.place_rank(a.place) == 5 and self._place_country(b) == ctx.place_country(a.place):
                return True
        return False

    def _places(self, m: EventFound, e: EventFound) -> float:
        """+2 for one place, +1 for places that meet, -1.5 for two places apart."""
        if m.place is None or e.place is None:
            return 0.0
        if m.place == e.place:
            return 2.0
        if self._places_meet(m, e):
            return 1.0
        cm, ce = self._place_country(m), self._place_country(e)
        return 0.0 if cm and cm == ce else -1.5

    def _marked_new(self, m: EventFound) -> bool:
        """"attacked another police outpost", "a second blast", "a separate raid"."""
        tok = self.ctx.doc[m.trigger]
        near = list(tok.children) + [g for c in tok.children if c.dep_ in {"dobj", "nsubjpass"} for g in c.children]
        return any(c.dep_ in {"det", "amod"} and c.lower_ in NEW_MARKERS for c in near)

    def _separated(self, a: int, b: int) -> bool:
        """Whether a word like "after" or "in retaliation for" stands on the parse path between
        two tokens of one sentence."""
        doc = self.ctx.doc
        up_a = [a] + [t.i for t in doc[a].ancestors]
        up_b = [b] + [t.i for t in doc[b].ancestors]
        common = next((t for t in up_a if t in set(up_b)), None)
        path = up_a[:up_a.index(common)] if common is not None else up_a
        path += up_b[:up_b.index(common)] if common is not None else up_b
        return any(doc[t].lower_ in SEPARATORS for t in path)

    def _link(self, a: int, b: int) -> float:
        """How closely the parse ties two event words of one sentence: one under the other
        ("stormed a camp, killing five") 4; both under one verb that is not a verb of saying
        ("was shattered by an explosion, killing 168") 3; else 1.5."""
        doc = self.ctx.doc
        up_a = [t.i for t in doc[a].ancestors]
        up_b = [t.i for t in doc[b].ancestors]
        if a in up_b or b in up_a:
            return 4.0
        common = next((t for t in up_a if t in set(up_b)), None)
        if common is not None and doc[common].tag_.startswith("VB") and doc[common].lower_ not in self.w.reporting_verbs:
            path = up_a[:up_a.index(common)] + up_b[:up_b.index(common)]
            if not any(doc[t].tag_.startswith("VB") or doc[t].lower_ in SEPARATORS for t in path):
                return 3.0  # "the assault raged for hours amid suicide blasts"
        return 1.5

    def _shifted(self, m: EventFound) -> bool:
        """A sentence that opens by moving to another time ("Two months later, ...", "In
        November, ...")."""
        ctx = self.ctx
        sent = ctx.sents[m.sentences[0]]
        head = sent[:min(len(sent), 8)]
        if any(t.lower_ in SHIFT_WORDS for t in head):
            return True
        first = next((t for t in sent if not t.is_punct and not t.is_space), None)
        return first is not None and first.ent_type_ in {"DATE"} and first.i < m.trigger

    def _affinity(self, m: EventFound, e: EventFound, recency: int) -> float:
        ctx = self.ctx
        s = m.sentences[0]
        score = 0.0
        same_sentence = [t for t, _ in e.triggers if ctx.sent_of[t] == s]
        if same_sentence:
            score += max(self._link(m.trigger, t) for t in same_sentence)
        if any(ctx.sents[s].text.strip() == ctx.sents[o].text.strip() for o in e.sentences if o != s):
            score += 4.0  # the same sentence twice (a page repeats its lead)
        if m.definite:
            score += 3.0 - 0.3 * recency
        if any(_same_word(m.base, b) for b in (e.bases or [e.base])):
            score += 0.5
        same_day = m.date is not None and e.date is not None and m.date.value == e.date.value and not m.date.end
        if same_day:
            score += 1.5
        places = self._places(m, e)
        score += places
        score += self._shared(m, e)
        if not m.definite and not same_sentence and not SPEECH & set(m.types):
            last = max((o for o in e.sentences if o < s), default=-1)
            if 0 < s - last <= 2 and recency == 0 and places >= 0 \
                    and (m.place is None or e.place is None or places > 0) and self._continues(m, e):
                score += CONTINUITY  # the narrative goes on, at the same place
            if self._shifted(m) and not same_day:
                score -= 3.0
        return score

    def _shared(self, m: EventFound, e: EventFound) -> float:
        """Who the two have in common: a named person done to in both (the same man is not
        killed twice) pulls hardest; the same actors of two statements count too."""
        roles = ["perpetrator", "target", "victim", "detainee"] + (["actor"] if not m.violent else [])
        shared = {ci for r in roles for ci in m.roles[r]} & {ci for r in roles for ci in e.roles[r]}
        if not shared:
            return 0.0
        patients = set(m.roles["victim"] + m.roles["detainee"]) & set(e.roles["victim"] + e.roles["detainee"])
        if any(self.ctx.type_of(ci) == PERSON and self.ctx.clusters[ci].members for ci in patients):
            return 2.5
        return 1.0

    def _continues(self, m: EventFound, e: EventFound) -> bool:
        """Whether a mention goes on with the event just told: a word for any violence ("the
        soldiers were killed"), the same word, or the same people ("They then ...")."""
        if self._any_violence(m) or any(_same_word(m.base, b) for b in (e.bases or [e.base])):
            return True
        low = self.ctx.sents[m.sentences[0]].text.strip().lower()
        return bool(re.match(r"^(?:they|he|she|the attackers|the gunmen|then|soon)\b", low))

    def _join(self, m: EventFound, events: list[EventFound]) -> EventFound | None:
        """The event a mention re-describes, or None; events nearest before it in the text come
        first."""
        s = m.sentences[0]
        open_ = [e for e in events if not self._blocked(m, e)]
        open_.sort(key=lambda e: -max((o for o in e.sentences if o <= s), default=-1))
        best, best_score = None, JOIN - 1e-9
        for recency, e in enumerate(open_):
            score = self._affinity(m, e, recency)
            if score > best_score:
                best, best_score = e, score
        return best

    # --- the merge ---------------------------------------------------------------------------------
    def merge(self, mentions: list[EventFound]) -> list[EventFound]:
        ctx = self.ctx
        for ev in mentions:  # events with no place take their country from context
            ev.bases = [ev.base]
            ev.weights = [sum(len(v) for v in ev.roles.values()) + (ev.place is not None) + (ev.date is not None)]
            if ev.country is None:
                for ci in ev.roles["perpetrator"] + ev.roles["actor"]:
                    for m in ctx.clusters[ci].members:
                        if ctx.cands[m].institution and ctx.cands[m].country:
                            ev.country = ctx.cands[m].country
                if ev.country is None and ev.violent:
                    near = ctx.countries_near(ev.trigger, window_sents=1)
                    ev.country = near[0] if len(near) == 1 else None
        events: list[EventFound] = []
        # deaths last: a death in the sentence of another violent event is that event's casualty
        for m in sorted(mentions, key=lambda p: (p.base in DEATH_TRIGGERS, p.trigger)):
            if m.base in DEATH_TRIGGERS:
                host = next((o for o in events if o.violent and m.sentences[0] in o.sentences), None)
                if host is not None:
                    types = list(host.types)
                    self._absorb(host, m)
                    host.types = types  # the deaths are its fatalities, not another kind of event
                    host.weights[-1] = -1  # nor its trigger
                    continue
            target = self._join(m, events)
            if target is None:
                events.append(m)
            else:
                self._absorb(target, m)
        for e in events:
            e.trigger_order()
        events.sort(key=lambda e: min(t for t, _ in e.triggers))
        self._dateline_place(events)
        self._main_incident(events)
        self._parents(events)
        return events

    def _dateline_place(self, events: list[EventFound]) -> None:
        """"MOMBASA, Kenya, Nov. 29 -- Kenyan police questioned ...": the dateline's place is
        where the events of its paragraph happened, when they name none."""
        ctx = self.ctx
        if not self.dateline_end:
            return
        span = ctx.doc.char_span(ctx.article.title_end, self.dateline_end, alignment_mode="expand")
        places = ctx.clusters_in(span.start, span.end, {PLACE}) if span is not None else []
        if not places:
            return
        para = ctx.para_of_sent[ctx.sent_of[span.end - 1]]
        for e in events:
            if e.place is None and any(ctx.para_of_sent[s] == para for s in e.sentences):
                e.place = places[0]
                e.country = e.country or ctx.place_country(places[0])

    def _main_incident(self, events: list[EventFound]) -> None:
        """The article's incidents, for the unnamed groups that act in them (one group of "the
        attackers" per incident): its main incident is its main day (the day most of its violent
        events happened) with the undated events; an event of another date is an incident of
        its own."""
        days = [e.date.value for e in events if e.violent and e.date is not None
                and e.date.precision == DatePrecision.DAY and not e.date.end]
        main_day = max(set(days), key=lambda d: (days.count(d), d)) if days else None
        main = DateValue(main_day, DatePrecision.DAY) if main_day else None
        for e in events:
            d = e.date
            if d is None or main is None or compatible(d, main) and (
                    d.end or d.value == main.value or d.precision != DatePrecision.DAY):
                e.incident = "main"
            else:
                e.incident = f"{d.value}/{d.end or ''}"

    def _parents(self, events: list[EventFound]) -> None:
        # a plural lead ("Clashes last week ...") is the parent of the other events of its kind
        for i, lead in enumerate(events):
            if not (lead.umbrella and lead.violent and not lead.definite and lead.date is None):
                continue
            for j, ev in enumerate(events):
                if j != i and ev.parent is None and ev.violent and not ev.umbrella and self._kinds_agree(ev, lead) \
                        and lead.parent != j:
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

    def _absorb(self, target: EventFound, ev: EventFound) -> None:
        ctx = self.ctx
        target.triggers += ev.triggers
        target.weights += ev.weights
        target.bases = list(dict.fromkeys((target.bases or [target.base]) + (ev.bases or [ev.base])))
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
        target.definite = target.definite and ev.definite
