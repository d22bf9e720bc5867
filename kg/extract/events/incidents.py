"""Incidents: a sentence that continues a narrative inherits the date and place before it;
mentions are first grouped by when they happened (the article's main incident, or another
dated one), then merged within an incident by kind of event and country; a plural lead
("Clashes last week ...") takes the main incident's events as sub-events."""

from __future__ import annotations

import re

from kg.extract.context import Ctx
from kg.extract.dates import compatible, more_precise
from kg.extract.events.found import DEATH_TRIGGERS, EventFound
from kg.extract.mentions import PLACE
from kg.model import DatePrecision, DateValue


class IncidentRules:
    """The incident step of :class:`~kg.extract.events.finder.EventFinder` (a mention's country:
    :meth:`~kg.extract.events.arguments.ArgumentRules.country_of`)."""

    ctx: Ctx
    dates: dict[int, list[tuple[int, DateValue]]]

    def inherit(self, mentions: list[EventFound]) -> None:
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
                    ev.country = ev.country or self.country_of(ev)
            if ev.violent and ev.date is not None:
                last_dated_violent = ev
            prev = ev

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

    def merge(self, mentions: list[EventFound]) -> list[EventFound]:
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
