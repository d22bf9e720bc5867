"""Event triggers: event verbs, nouns and adjectives and multiword triggers (data/events.tsv),
less those that did not happen (:mod:`.happened`) and deaths outside a violent context."""

from __future__ import annotations

from kg.extract.context import Ctx
from kg.extract.events.by_object import ObjectTriggerRules, object_verb_forms
from kg.extract.events.found import DEATH_TRIGGERS, EventFound
from kg.extract.events.happened import HappenedRules
from kg.extract.events.vocabulary import ANAPHORS, BLOW, STATEMENT_NOUNS, TAKE, UMBRELLA, VIOLENCE_WORDS
from kg.extract.words import Words

_MW_INDEX: dict[int, dict[str, list]] = {}
SENTENCED = {"sentenced", "sentences", "sentence", "condemned", "condemns", "condemn", "put", "stoned", "beaten"}


class TriggerRules(HappenedRules, ObjectTriggerRules):
    """The trigger step of :class:`~kg.extract.events.finder.EventFinder`."""

    ctx: Ctx
    w: Words

    def triggers(self) -> list[EventFound]:
        ctx, doc, w = self.ctx, self.ctx.doc, self.w
        out: list[EventFound] = []
        taken: set[int] = set()
        title_end = ctx.article.title_end
        lows = ctx.lows
        by_first = _multiword_index(w.multiword_events)
        by_object = object_verb_forms()
        n = len(doc)
        for i in range(n):
            if i in taken:
                continue
            low = lows[i]
            if low not in by_first and low not in w.event_verbs and low not in w.event_nouns and low not in TAKE \
                    and low not in w.event_adjectives and low not in BLOW and low not in by_object \
                    and low not in STATEMENT_NOUNS:
                continue
            tok = doc[i]
            if tok.idx < title_end:
                continue
            if low in by_object or low in STATEMENT_NOUNS:  # "released the hostages", "issued a statement"
                found = self.object_trigger(tok)
                if found is not None:
                    out.append(found)
                    continue
            # multiword triggers: "press conference", "shot dead", "exchanges of fire"
            hit = None
            for seq, base, types, _pos in by_first.get(low, ()):
                k = len(seq)
                if i + k <= n and tuple(lows[i:i + k]) == seq:
                    hit = (k, base, list(types))
                    break
            if hit:
                k, base, types = hit
                span = doc[i:i + k]
                ev = EventFound(span.root.i, i + k, base, types, [ctx.sent_of[i]])
                ev.triggers = [(i, i + k)]
                if base == "in custody":
                    ev.definite = True  # "The other three are in custody": the state after an arrest told before
                elif span.root.tag_.startswith("NN"):
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
                                  or c.dep_ == "poss" for c in tok.children)  # "Thursday's raid", "his arrest"
                out.append(ev)
        for ev in out:
            tok = doc[ev.trigger]
            if tok.tag_.startswith("VB") and tok.dep_ == "relcl" and any(
                    c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.head.children):
                ev.definite = True  # "the same post that was attacked"
            if tok.tag_ == "VBN" and tok.dep_ in {"acl", "amod"} and tok.head.lower_ in {"those", "the", "these"}:
                ev.definite = True  # "those kidnapped", "those killed": the people of an event told before
            if not ev.triggers:
                ev.triggers = [(ev.trigger, ev.trigger_end)]
        out = [e for e in out if self.happened(e)]
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
                tok = ctx.doc[ev.trigger]
                if tok.head.lower_ == "to" and tok.head.head.lower_ in SENTENCED:
                    continue  # "sentenced to death": a sentence, not a death
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


def _multiword_index(patterns: list) -> dict[str, list]:
    """Multiword triggers by their first word (built once)."""
    key = id(patterns)
    if key not in _MW_INDEX:
        index: dict[str, list] = {}
        for p in patterns:
            index.setdefault(p[0][0], []).append(p)
        _MW_INDEX[key] = index
    return _MW_INDEX[key]
