"""Event triggers: event verbs, nouns and adjectives and multiword triggers (data/events.tsv),
less those negated, hypothetical, generic (a habit), the names of other events, and deaths
outside a violent context."""

from __future__ import annotations

from kg.extract.context import Ctx
from kg.extract.events.found import DEATH_TRIGGERS, EventFound
from kg.extract.events.vocabulary import (
    ANAPHORS,
    BLOW,
    HABITUAL,
    HYPOTHETICAL,
    HYPOTHETICAL_MODIFIERS,
    MASS_EVENTS,
    RECENT,
    TAKE,
    UMBRELLA,
    VIOLENCE_WORDS,
)
from kg.extract.words import Words

_MW_INDEX: dict[int, dict[str, list]] = {}


class TriggerRules:
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


def _multiword_index(patterns: list) -> dict[str, list]:
    """Multiword triggers by their first word (built once)."""
    key = id(patterns)
    if key not in _MW_INDEX:
        index: dict[str, list] = {}
        for p in patterns:
            index.setdefault(p[0][0], []).append(p)
        _MW_INDEX[key] = index
    return _MW_INDEX[key]
