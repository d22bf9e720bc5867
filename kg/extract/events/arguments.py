"""An event mention's arguments from the parse: perpetrators, targets, victims, detainees
and actors, its place, date and country, and its ACLED type refined by who the victims are."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import AGENT_TYPES, DEATH_TRIGGERS, EventFound
from kg.extract.events.vocabulary import (
    ACTOR_NOUNS,
    CHARGES,
    FORCE_NOUNS,
    HAPPEN_VERBS,
    HIT_VERBS,
    LIGHT_VERBS,
    MILITARY_TITLES,
    PLACE_PREPS,
    STOP_CLIMB,
)
from kg.extract.events.weapons import REMOTE
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import Words, verb_forms
from kg.model import DateValue

#: participles after an event noun whose agent says or is said to have done it, not the doer
OWNING_UP = frozenset(f for v in ("claim", "blame", "attribute", "condemn", "deny") for f in verb_forms(v))

class ArgumentRules:
    """The argument step of :class:`~kg.extract.events.finder.EventFinder` (its figures:
    :meth:`~kg.extract.events.figures.FigureRules.figures`)."""

    ctx: Ctx
    w: Words
    dates: dict[int, list[tuple[int, DateValue]]]
    dateline_end: int

    def fill(self, ev: EventFound) -> None:
        ctx, doc = self.ctx, self.ctx.doc
        tok = doc[ev.trigger]
        ev.triggers = [(ev.trigger, ev.trigger_end)]
        ev.label = doc[ev.trigger:ev.trigger_end].text
        actor_types = {PERSON, ORG, GROUP}
        violent = ev.violent
        arrest = "Arrests" in ev.types
        agentive = violent or bool(AGENT_TYPES & set(ev.types))  # its doer is its perpetrator
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
            if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.tag_.startswith("NN"):
                objects.append(tok.head)  # "three civilians seized during the attack"
            if ev.base == "shoot dead" and ev.trigger_end < len(doc):
                objects += [t for t in doc[ev.trigger_end:tok.sent.end] if ctx.cluster_at(t.i) is not None][:1]
            first_role = "perpetrator" if agentive else "actor"
            if passive:
                if agent is not None:
                    ev.roles[first_role] += self._entities(agent, actor_types)
            elif subj is not None:
                ev.roles[first_role] += subj
            for obj in objects:
                role = "detainee" if arrest or "HostageRelease" in ev.types else ("victim" if violent else "actor")
                own = obj.i == tok.head.i and tok.dep_ == "acl"  # "a preacher killed by X": the preacher only
                # "freed 12 hostages held by the gang": the gang held them, it is no hostage
                holders = {ctx.cluster_at(t.i) for a in obj.subtree if a.dep_ == "agent" and a.head.i != tok.i
                           for t in a.subtree} - {None}
                for ci in self._entities(obj, actor_types | ({PLACE} if violent else set()), head_only=own):
                    if ci in holders:
                        continue
                    if ctx.type_of(ci) == PLACE:
                        if ctx.place_rank(ci) == 0:  # a border post, a checkpoint: a target
                            ev.roles["target"].append(ci)
                    elif ctx.type_of(ci) == ORG and role == "victim":
                        ev.roles["target"].append(ci)
                    else:
                        ev.roles[role].append(ci)
        else:
            ev.roles["perpetrator" if agentive else "actor"] += self._light_verb_doer(tok)
            if violent:
                ev.roles["target"] += self._struck(tok)
            patient = "detainee" if arrest else "victim" if violent else None
            for c in tok.children:
                if c.dep_ in {"poss", "compound", "nmod"} and arrest:
                    ev.roles["detainee"] += self._entities(c, actor_types)  # "his arrest", "Tal's arrest"
                elif c.dep_ in {"poss", "compound", "nmod"}:
                    ev.roles["perpetrator" if violent else "actor"] += self._entities(c, actor_types)
                elif c.dep_ == "prep" and c.lower_ == "of" and patient:  # "the murder of a judge", "the arrest of X"
                    ev.roles[patient] += [ci for ci in self._entities(c, actor_types) if ctx.type_of(ci) != ORG]
                elif c.dep_ == "prep" and c.lower_ in {"on", "against"}:
                    ev.roles["target" if violent else "actor"] += [
                        ci for ci in self._entities(c, actor_types | {PLACE})
                        if ctx.type_of(ci) != PLACE or ctx.place_rank(ci) == 0]
                elif c.dep_ == "prep" and c.lower_ == "by":
                    ev.roles["perpetrator" if violent else "actor"] += self._entities(c, actor_types)
                elif c.dep_ == "prep" and c.lower_ in {"between", "with"}:
                    ev.roles["actor"] += self._entities(c, actor_types)
                elif c.dep_ == "acl" and c.lower_ not in OWNING_UP and c.lower_ not in self.w.reporting_verbs:
                    # "raids mounted from Tajikistan by the IMU"; not "an attack claimed by Y" (Y's
                    # own word) or "an attack blamed on Y" (someone else's)
                    for cc in c.children:
                        if cc.dep_ == "agent":
                            ev.roles["perpetrator" if violent else "actor"] += self._entities(cc, actor_types)
            if tok.dep_ in {"nsubj"} and not ev.roles["perpetrator"]:
                pass
        for role in ev.roles:
            ev.roles[role] = [ci for ci in dict.fromkeys(ev.roles[role]) if not self._in_dateline(ci, ev)]
        for ci in ev.roles["perpetrator"]:
            ev.role_source.setdefault(ci, ev.trigger)
        for ci in ev.roles["perpetrator"] + ev.roles["actor"]:
            ev.perpetrator_mentions += [m for m in ctx.clusters[ci].members if ctx.cands[m].group_class == "perpetrator"
                                        and ctx.sent_of[ctx.cands[m].start] in ev.sentences]
        ev.place = self._place(ev)
        ev.date = self.event_date(ev)
        ev.country = self.country_of(ev)
        self.weapon_type(ev)
        self._refine_type(ev)

    def _of_actor(self, prep: Any) -> bool:
        """"the security forces of Kyrgyzstan", "officials of the region": an "of" that says whose
        people they are, not where something happened."""
        head = prep.head
        ci = self.ctx.cluster_at(head.i)
        return head.lower_ in FORCE_NOUNS or head.lower_ in ACTOR_NOUNS or \
            ci is not None and self.ctx.type_of(ci) in {ORG, GROUP, PERSON}

    def _country_modifier(self, ci: int, sent: Any) -> bool:
        """"the US embassy", "Israeli targets": a country named as what something belongs to,
        not where the event happened."""
        ctx = self.ctx
        if ctx.place_rank(ci) < 5:
            return False
        for m in ctx.clusters[ci].members:
            c = ctx.cands[m]
            if sent.start <= c.start < sent.end:
                root = ctx.doc[c.start:c.end].root
                if root.dep_ not in {"compound", "amod", "nmod", "poss"} or ctx.cluster_at(root.head.i) == ci:
                    return False
        return True

    def _in_dateline(self, ci: int, ev: EventFound) -> bool:
        """A name that the event's sentence has only in the report's dateline ("Karachi, June 4
        (Reuters):")."""
        ctx = self.ctx
        limit = self.dateline_end
        if not limit:
            return False
        here = [ctx.cands[m].start for m in ctx.clusters[ci].members if ctx.sent_of[ctx.cands[m].start] == ev.sentences[0]]
        return bool(here) and all(ctx.doc[t].idx < limit for t in here)

    def _struck_phrase(self, noun: Any) -> Any | None:
        """What an event noun struck: "the building was shattered by an explosion", "a blast
        hit the council", "a bomb ripped through a train"."""
        head = noun.head
        if noun.dep_ == "pobj" and head.dep_ == "agent":
            return next((c for c in head.head.children if c.dep_ == "nsubjpass"), None)
        if noun.dep_ == "nsubj" and head.lower_ in HIT_VERBS:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is None:
                obj = next((g for c in head.children if c.dep_ in {"prep", "prt"} and c.lower_ in {"through", "into"}
                            for g in c.children if g.dep_ == "pobj"), None)
            return obj
        return None

    def _struck(self, noun: Any) -> list[int]:
        phrase = self._struck_phrase(noun)
        if phrase is None:
            return []
        ctx = self.ctx
        return [ci for ci in self._entities(phrase, {PERSON, ORG, GROUP, PLACE})
                if ctx.type_of(ci) != PLACE or ctx.place_rank(ci) == 0]

    def _light_verb_doer(self, noun: Any) -> list[int]:
        """"Gunmen from X launched an attack", "the attack was carried out by X", "X staged the
        raid", "X was behind the bombing", "X was responsible for the attack": the doer of the
        verb an event noun is the object of."""
        head = noun.head
        if head.i == noun.i:
            return []
        if noun.dep_ == "pobj" and head.lower_ in {"behind", "for"}:
            frame = head.head
            if head.lower_ == "for" and frame.lower_ != "responsible":
                return []
            verb = frame if frame.tag_.startswith("VB") else frame.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            return self._entities(subj, {PERSON, ORG, GROUP}, actor=True) if subj is not None else []
        if noun.dep_ not in {"dobj", "nsubjpass"} or head.lower_ not in LIGHT_VERBS:
            return []
        if any(c.dep_ == "aux" and c.lower_ in {"could", "might", "may"} for c in head.children):
            return []  # "could have been carried out by X": a guess, not the doer
        if noun.dep_ == "nsubjpass":
            agent = next((c for c in head.children if c.dep_ == "agent"), None)
            return self._entities(agent, {PERSON, ORG, GROUP}) if agent is not None else []
        return self._subject(head)

    def _subject(self, verb: Any) -> list[int]:
        """The doer of an event verb, climbing through "started by raiding", "and then ...",
        relative clauses, and "are accused of shooting" (the accused); never the speaker of a
        reporting verb."""
        node = verb
        for _ in range(6):
            subj = self.ctx.subject_child(node)
            if subj is None and node is not verb and any(c.dep_ == "auxpass" for c in node.children):
                agent = next((c for c in node.children if c.dep_ == "agent"), None)
                if agent is not None:  # "X was shattered by an explosion, killing 168": the explosion did it
                    return [ci for ci in self._entities(agent, {PERSON, ORG, GROUP})]
                if node.lower_ in self.w.passive_reporting or node.lower_ in CHARGES:
                    subj = next((c for c in node.children if c.dep_ == "nsubjpass"), None)  # "X are accused of"
            if subj is not None:
                if subj.lower_ in self.w.event_nouns and self.ctx.cluster_at(subj.i) is None:
                    return []  # "a confrontation between X and Y killed seven soldiers": no doer named
                if subj.lower_ in {"which", "who", "that"} and node.dep_ == "relcl":
                    found = self._entities(node.head, {PERSON, ORG, GROUP}, head_only=True)
                    if found:
                        return found
                    node = node.head.head
                    continue
                return self._entities(subj, {PERSON, ORG, GROUP}, actor=True)
            if node.dep_ in {"xcomp", "advcl", "conj", "pcomp", "prep", "acl", "oprd", "acomp", "ccomp"} \
                    and node.head.i != node.i:
                if any(c.dep_ == "mark" and c.lower_ in STOP_CLIMB for c in node.children):
                    break
                gerund = node.tag_ == "VBG" and node.dep_ in {"xcomp", "ccomp"}
                if node.dep_ == "ccomp" and not gerund:
                    break  # a clause of its own: its subject, or none
                node = node.head
                if node.lower_ in self.w.reporting_verbs and not any(c.dep_ == "auxpass" for c in node.children) \
                        and not gerund:
                    break  # never the speaker ... but "authorities reported killing X": they killed X
                continue
            break
        return []

    def _entities(self, tok: Any, types: set[str], head_only: bool = False, actor: bool = False) -> list[int]:
        ctx = self.ctx
        if tok.tag_ in {"PRP", "PRP$"} or tok.lower_ in {"they", "them", "he", "she"}:
            ci = self._reporter_of(tok)  # "the army said it killed 20 militants": the army
            if ci is not None and ctx.type_of(ci) in types:
                return [ci]
            ci = ctx.resolve_pronoun(tok, actor=actor)
            if ci is not None and ctx.type_of(ci) in types:
                return [ci]
            return []
        if head_only:
            ci = ctx.cluster_at(tok.i)
            return [ci] if ci is not None and ctx.type_of(ci) in types else []
        found = ctx.clusters_under(tok, types)
        head = ctx.cluster_at(tok.i)
        if actor and head is not None and ctx.type_of(head) in types:
            # "X, the armed wing of Y, attacked", "X, an affiliate of Y": the description's Y did
            # nothing; the appositive itself ("X, the group") still names the doer
            asides = [d for d in tok.subtree if d.i != tok.i and d.dep_ in {"appos", "relcl", "acl"}]
            keep = {ctx.cluster_at(d.i) for d in asides if d.dep_ == "appos"}
            own = {ctx.cluster_at(t.i) for t in tok.subtree
                   if not any(a.left_edge.i <= t.i <= a.right_edge.i for a in asides)}
            found = [ci for ci in found if ci in own or ci in keep]
        # a noun phrase like "a force of 300": the subject of the clause it belongs to
        return found

    def _reporter_of(self, pronoun: Any) -> int | None:
        """The subject of the reporting verb whose clause a pronoun subject opens ("the army said
        it killed", "police said they arrested"), of the pronoun's kind."""
        ctx = self.ctx
        if pronoun.dep_ != "nsubj" or pronoun.lower_ not in {"it", "they", "we", "he", "she"}:
            return None
        clause = pronoun.head
        if clause.dep_ != "ccomp" or clause.head.lower_ not in self.w.reporting_verbs:
            return None
        said = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        ci = ctx.cluster_at(said.i) if said is not None else None
        if ci is None:
            return None
        kind = ctx.type_of(ci)
        wanted = {PERSON} if pronoun.lower_ in {"he", "she"} else {ORG, GROUP}
        return ci if kind in wanted else None

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
        elif tok.tag_.startswith("NN") and tok.head.i != tok.i and (
                tok.dep_ in {"dobj", "nsubjpass"} and tok.head.lower_ in LIGHT_VERBS or
                tok.dep_ == "nsubj" and tok.head.lower_ in HAPPEN_VERBS):
            scope.append(tok.head)  # "launched an attack at the camp", "the bombing took place at a base"
        struck = self._struck_phrase(tok) if tok.tag_.startswith("NN") else None
        if struck is not None:
            cands += ctx.clusters_under(struck, {PLACE})  # "the building in Oklahoma City was shattered by an explosion"
        origin = set()
        for t in tok.sent:  # "brought in from Bishkek", "the security forces of Kyrgyzstan": not where
            if t.dep_ == "prep" and (t.lower_ == "from" or t.lower_ == "of" and self._of_actor(t)):
                origin.update(x.i for x in t.subtree)
            if t.dep_ in {"advcl"} and t.i != tok.i and tok.i not in {x.i for x in t.subtree}:
                origin.update(x.i for x in t.subtree)
        for node in scope:
            for c in node.children:
                if c.dep_ == "prep" and (c.lower_ == "from" or c.lower_ == "of" and (
                        not node.tag_.startswith("NN") or self._of_actor(c))):
                    continue  # but "the bombing of an embassy in Bishkek" is where
                elif c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
                    cands += ctx.clusters_under(c, {PLACE})
                elif c.dep_ == "prep":  # "as a result of an operation in Khorugh", "during a raid on Gao"
                    cands += [ci for p in c.subtree if p.dep_ == "prep" and p.lower_ in PLACE_PREPS and p.i != c.i
                              for ci in ctx.clusters_under(p, {PLACE})]
                elif c.dep_ in {"dobj", "npadvmod", "nmod", "compound", "relcl"}:
                    cands += ctx.clusters_under(c, {PLACE})
        if not cands and tok.tag_.startswith("NN"):
            cands = self._stray_place(tok)
        if not cands:
            sub = [t for t in tok.subtree if t.i not in origin]
            cands = ctx.clusters_in(sub[0].i, sub[-1].i + 1, {PLACE}) if sub else []
            cands = [ci for ci in cands if not any(ctx.cands[m].start in origin for m in ctx.clusters[ci].members)]
        if not cands and not ev.definite and tok.tag_.startswith("VB"):
            sent = ctx.sents[ctx.sent_of[ev.trigger]]
            in_sent = [ci for ci in ctx.clusters_in(sent.start, sent.end, {PLACE})]
            if len(in_sent) == 1:
                cands = in_sent
        cands = [ci for ci in cands if not self._country_modifier(ci, tok.sent)]
        if not cands:
            return None
        ranked = sorted(dict.fromkeys(cands), key=lambda ci: ctx.place_rank(ci))
        if len(ranked) > 1 and ctx.place_rank(ranked[0]) == ctx.place_rank(ranked[1]) == 5:
            return None  # "the security forces of both Kyrgyzstan and Tajikistan": no one place
        return ranked[0]

    def _stray_place(self, noun: Any) -> list[int]:
        """A place phrase right after the event noun that the parser hung on the verb above it:
        "blamed Y for a bombing on Saturday against a base in X" (the base is the bombing's)."""
        doc = self.ctx.doc
        end = max(t.i for t in noun.subtree) + 1
        if end >= len(doc):
            return []
        prep = doc[end]
        if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS | {"against"} or \
                prep.head.i not in {a.i for a in noun.ancestors} or not prep.head.tag_.startswith("VB"):
            return []
        return self.ctx.clusters_under(prep, {PLACE})

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
        if not ev.violent or "AbductionForcedDisappearance" in ev.types or REMOTE & set(ev.types) \
                or "MobViolence" in ev.types:
            return
        victims = ev.roles["victim"] + ev.roles["target"]
        armed = False
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
