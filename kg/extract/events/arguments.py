"""An event mention's arguments from the parse: perpetrators, targets, victims, detainees
and actors, its place, date and country, and its ACLED type refined by who the victims are."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import DEATH_TRIGGERS, EventFound
from kg.extract.events.vocabulary import FORCE_NOUNS, MILITARY_TITLES, PLACE_PREPS, STOP_CLIMB
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import Words
from kg.model import DateValue


class ArgumentRules:
    """The argument step of :class:`~kg.extract.events.finder.EventFinder` (its figures:
    :meth:`~kg.extract.events.figures.FigureRules.casualties`)."""

    ctx: Ctx
    w: Words
    dates: dict[int, list[tuple[int, DateValue]]]

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
        ev.country = self.country_of(ev)
        ev.fatalities, ev.injured = self.casualties(ev)
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

    def country_of(self, ev: EventFound) -> str | None:
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
