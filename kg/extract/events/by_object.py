"""Triggers whose event depends on what they act on (data/events/object_verbs.tsv): "released
the hostages", "three civilians ... have been released" (a hostage release), "freed 40 inmates"
in a sentence of an attack (a prison break), "seized three civilians" (an abduction), "thousands marched" (a protest), "seized
control of the town" (territory taken, by state forces or not), and the explicit statement
acts: "issued a statement", "said in a statement", "a statement by the group said", "released a
video" (a statement; a bare "said" is not one). A claim of responsibility is a claim about the
attack (the claims' job), not an event of its own: measured, it added no statement the gold has
and cost precision."""

from __future__ import annotations

from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import EventFound
from kg.extract.events.vocabulary import (
    CROWD_CONTROL,
    MISSILES,
    OBJECT_VERBS,
    PEOPLE_NOUNS,
    PRISON_WORDS,
    PRISONERS,
    PROTEST_CUES,
    PROTESTERS,
    RIOTERS,
    STATEMENT_NOUNS,
    STATEMENT_VERBS,
    TERRITORY_NOUNS,
    VIOLENCE_WORDS,
)
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import Words, verb_forms

_FORMS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
#: the crowd a force acts on in a protest ("dispersed the protesters", "broke up the rally")
PROTESTERS_ACTED_ON = frozenset({"protesters", "protestors", "demonstrators", "marchers", "crowd", "crowds", "rally",
                                 "rallies", "protest", "protests", "demonstration", "demonstrations", "sit-in", "mob"})
STATE_KINDS = {"military", "police", "government", "security", "army"}


def object_verb_forms() -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Inflected form -> [(base, what it acts on, types)] (built once)."""
    if not _FORMS:
        for base, obj, types in OBJECT_VERBS:
            for form in verb_forms(base) | ({"overran"} if base == "overrun" else set()):
                _FORMS.setdefault(form, []).append((base, obj, tuple(types.split())))
    return _FORMS


class ObjectTriggerRules:
    """Object-dependent triggers for :class:`~kg.extract.events.triggers.TriggerRules`."""

    ctx: Ctx
    w: Words

    def object_trigger(self, tok: Any) -> EventFound | None:
        """The event a verb of :data:`OBJECT_VERBS` or a statement noun reports, if any."""
        low = tok.lower_
        if tok.tag_.startswith("NN") and low in STATEMENT_NOUNS:
            return self._statement_noun(tok)
        if not tok.tag_.startswith("VB"):
            return None
        for base, what, types in object_verb_forms().get(low, ()):
            objects = self._acted_on(tok)
            if what == "people" and any(self._people(o) for o in objects):
                if base == "free" and self._violent_sentence(tok) and (
                        any(o.lower_ in PRISONERS for o in objects) or self._near_prison(tok)):
                    return self._found(tok, "free", ["OtherDevelopment", "PrisonBreak"])
                return self._found(tok, base, list(types))
            if what == "protesters" and any(c.dep_ == "nsubj" and c.lower_ in PROTESTERS for c in tok.children) \
                    and self._protest_cue(tok):
                return self._found(tok, base, list(types))  # "thousands marched through the capital against ..."
            if what == "rioters" and self._rioters_act(tok, base):
                crowd = {c.lower_ for c in tok.children if c.dep_ == "nsubj"}
                protest = crowd & {"protesters", "protestors", "demonstrators"} or self._protest_cue(tok)
                return self._found(tok, base, ["ViolentDemonstration" if protest else "MobViolence"])
            if what == "crowd" and self._crowd_control(tok, base):
                return self._found(tok, base, list(types))
            if what == "territory" and any(self._territory(o) for o in objects):
                doers = [c for c in tok.children if c.dep_ == "nsubj"]
                state = any(self._state_forces(d) for d in doers)
                return self._found(tok, base, ["GovernmentRegainsTerritory" if state else "NonStateActorOvertakesTerritory"])
        return None

    @staticmethod
    def _crowd_control(verb: Any, base: str) -> bool:
        """"Police dispersed the protesters", "fired tear gas at demonstrators", "used water cannon
        to break up the rally": a crowd of protest acted on, and for "fire" / "use" a means of
        crowd control (not "fired at the rebels", "used the road")."""
        targets = [c for c in verb.children if c.dep_ == "dobj"]
        targets += [p for c in verb.children if c.dep_ == "prep" and c.lower_ in {"at", "on", "into"}
                    for p in c.children if p.dep_ == "pobj"]
        targets += [o for c in verb.children if c.dep_ in {"xcomp", "advcl"} for o in c.children if o.dep_ == "dobj"]
        if not any(t.lower_ in PROTESTERS_ACTED_ON for t in targets):
            return False
        if base in {"fire", "use"}:
            means = {t.lower_ for c in verb.children if c.dep_ == "dobj" for t in c.subtree}
            return bool(means & CROWD_CONTROL)
        return True

    @staticmethod
    def _rioters_act(verb: Any, base: str) -> bool:
        """"Rioters torched shops", "a mob set fire to the station", "youths threw stones at
        police": a crowd's subject, and for "set" / "throw" what is set or thrown (not "burned
        tyres", a protest's own act)."""
        if not any(c.dep_ == "nsubj" and c.lower_ in RIOTERS for c in verb.children):
            return False
        objects = {c.lower_ for c in verb.children if c.dep_ == "dobj"}
        if base == "set":
            return "fire" in objects
        if base in {"throw", "hurl"}:
            return bool(objects & MISSILES)
        if base == "burn":
            return not objects & {"tyres", "tires", "tyre", "tire", "effigy", "effigies", "flags", "flag"}
        return True

    # --- what a verb acts on ---------------------------------------------------------------------------
    @staticmethod
    def _acted_on(verb: Any) -> list[Any]:
        """The object of a verb, the subject of its passive, or the noun a participle describes
        ("three civilians seized during the attack")."""
        out = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            out.append(verb.head)
        if verb.lower_.startswith("seiz") or verb.lower_.startswith("captur"):
            out += [g for c in verb.children if c.dep_ == "dobj" for p in c.children if p.dep_ == "prep"
                    and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]  # "seized control of X"
        return out

    def _people(self, noun: Any) -> bool:
        ctx = self.ctx
        if noun.lower_ in STATEMENT_NOUNS or noun.lower_ in TERRITORY_NOUNS:
            return False
        ci = ctx.cluster_at(noun.i)
        if ci is not None:
            return ctx.type_of(ci) in {PERSON, GROUP}
        if noun.lower_ in PEOPLE_NOUNS:
            return True
        return any(ctx.type_of(c) == PERSON for c in ctx.clusters_under(noun, {PERSON}))

    def _territory(self, noun: Any) -> bool:
        ci = self.ctx.cluster_at(noun.i)
        return noun.lower_ in TERRITORY_NOUNS or ci is not None and self.ctx.type_of(ci) == PLACE

    def _state_forces(self, noun: Any) -> bool:
        ctx = self.ctx
        for ci in ctx.clusters_under(noun, {ORG, GROUP}):
            for m in ctx.clusters[ci].members:
                c = ctx.cands[m]
                if c.group_class == "force" or (c.kind or "") in STATE_KINDS:
                    return True
        return False

    def _protest_cue(self, tok: Any) -> bool:
        """A word of protest in the sentence or the one before ("chanting slogans", "against")."""
        ctx = self.ctx
        s = ctx.sent_of[tok.i]
        start = ctx.sents[s - 1].start if s else ctx.sents[s].start
        return any(ctx.lows[i] in PROTEST_CUES for i in range(start, ctx.sents[s].end) if i != tok.i)

    def _near_prison(self, tok: Any) -> bool:
        """An attack on a prison told in this sentence or the one before ("an attack on a police
        detention unit ... stormed the facility, freeing one X")."""
        ctx = self.ctx
        s = ctx.sent_of[tok.i]
        start = ctx.sents[s - 1].start if s else ctx.sents[s].start
        return any(ctx.lows[i] in PRISON_WORDS for i in range(start, ctx.sents[s].end))

    def _violent_sentence(self, tok: Any) -> bool:
        sent = tok.sent
        lows = self.ctx.lows
        return any(lows[i] in VIOLENCE_WORDS or lows[i] in self.w.event_verbs and
                   self.w.event_verbs[lows[i]][0] in {"storm", "attack", "raid", "assault"}
                   for i in range(sent.start, sent.end))

    # --- statements ----------------------------------------------------------------------------------
    def _statement_noun(self, noun: Any) -> EventFound | None:
        """"issued a statement", "released a video", "said in a statement", "in a statement
        on Tuesday, the ministry blamed ...", "a statement by the group said"."""
        head = noun.head
        if noun.dep_ in {"dobj", "nsubjpass"} and head.lower_ in STATEMENT_VERBS:
            return self._found(noun, "statement", ["OtherDevelopment", "Statement"], actor_of=head)
        if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.tag_.startswith("VB"):
            # "X said in a statement (posted on Tuesday)": X issued it
            return self._found(noun, "statement", ["OtherDevelopment", "Statement"], actor_of=head.head)
        if noun.dep_ == "acl" or any(c.dep_ == "acl" and c.lower_ in STATEMENT_VERBS for c in noun.children):
            return self._found(noun, "statement", ["OtherDevelopment", "Statement"], actor_of=None)  # "a video released by"
        if noun.dep_ == "nsubj" and head.lower_ in self.w.reporting_verbs and noun.lower_ != "message":
            return self._found(noun, "statement", ["OtherDevelopment", "Statement"], actor_of=None)
        return None

    def _found(self, tok: Any, base: str, types: list[str], actor_of: Any = None) -> EventFound:
        ev = EventFound(tok.i, tok.i + 1, base, types, [self.ctx.sent_of[tok.i]])
        ev.triggers = [(tok.i, tok.i + 1)]
        ev.definite = tok.tag_.startswith("NN") and any(  # "his message", "the statement"
            c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.children)
        if actor_of is not None:  # the one who issued the statement
            subj = next((c for c in actor_of.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                ev.roles["actor"] += self.ctx.clusters_under(subj, {PERSON, ORG, GROUP})
        else:
            by = [g for c in tok.children if c.dep_ in {"prep", "acl"} for p in ([c] + list(c.children))
                  if p.lower_ == "by" or p.dep_ == "agent" for g in p.subtree]
            if by:
                ev.roles["actor"] += self.ctx.clusters_in(by[0].i, by[-1].i + 1, {PERSON, ORG, GROUP})
        return ev
