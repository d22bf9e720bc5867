"""Casualty figures: the deaths and injuries a sentence reports, counted from the noun phrases
the death and injury words govern ("killing two people", "Four Kyrgyz soldiers died", "killed
herself and five others", "killed A and wounded B"), each given to the event of its own clause
when a sentence reports several.

- Only stated numbers count: "many", "several", "dozens", "hundreds" are not figures.
- A running or cumulative toll is no event's figure: "bringing the death toll to 20" (the
  event's own "killed 12" in that sentence still counts), "a total of 25 policemen were killed",
  "the violence has killed 14,000 people", "have been killed since March", "so far this year".
"""

from __future__ import annotations

import re
from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import EventFound
from kg.extract.events.vocabulary import CONFLICT_NOUNS, DEATH_WORDS, INJURY_WORDS, NUMBERS, SEPARATORS, VAGUE_NUMBERS

ATTEMPTS = {"attempt", "attempts", "attempted", "attempting", "bid", "plot", "try", "tried", "trying"}
PLURAL_PRONOUNS = {"they", "them", "we", "us", "themselves", "ourselves"}
#: a sentence that reports a running total
TOLL = re.compile(r"\bso far\b|\bto date\b|\bin all\b|\baltogether\b", re.I)
#: verbs that carry a running total ("bringing the death toll to 40", "raising the number of dead to")
TOLL_VERBS = {"bringing", "raising", "brought", "raised", "pushing", "taking", "lifting", "putting", "rose", "risen",
              "climbed", "reached", "stands", "stood"}
TOLL_NOUNS = {"toll", "total", "number", "tally"}


class FigureRules:
    """The casualty figures of :class:`~kg.extract.events.finder.EventFinder`."""

    ctx: Ctx

    def figures(self, mentions: list[EventFound]) -> None:
        """Set each violent mention's fatalities and injured from its sentence: every death or
        injury word is counted once, for the violent mention nearest to it in the parse."""
        by_sentence: dict[int, list[EventFound]] = {}
        for ev in mentions:
            ev.fatalities = ev.injured = None
            if ev.violent:
                by_sentence.setdefault(ev.sentences[0], []).append(ev)
        for s, evs in by_sentence.items():
            sent = self.ctx.sents[s]
            if TOLL.search(sent.text):
                continue
            counted: set[int] = set()
            totals = {id(ev): [0, 0] for ev in evs}
            for t in sent:
                low = t.lower_
                if low in DEATH_WORDS or low in {"lost", "lose", "losing"} or \
                        (low == "dead" and t.dep_ in {"oprd", "acomp", "ccomp", "amod", "advmod", "xcomp"}):
                    kind = 0
                elif low in INJURY_WORDS:
                    kind = 1
                else:
                    continue
                if self._cumulative(t) or self._in_toll(t) or t.head.lower_ in ATTEMPTS:
                    continue  # a toll; "attempts to kill the governor": no one died
                n = self._count_for(t, counted, injuries=bool(kind))
                if n:
                    totals[id(self._owner(t, evs))][kind] += n
            for ev in evs:
                deaths, injuries = totals[id(ev)]
                deaths = deaths or self._killed_by_name(ev, counted)
                ev.fatalities, ev.injured = deaths or None, injuries or None

    def _killed_by_name(self, ev: EventFound, counted: set[int]) -> int:
        """"the murder of a judge", "the fatal stabbing of General X", "his assassination": a
        killing noun counts the people it is of."""
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        if not tok.tag_.startswith("NN") or not ("Killing" in ev.types or any(
                c.dep_ == "amod" and c.lower_ in {"fatal"} for c in tok.children)):
            return 0
        total = 0
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for g in c.children:
                    if g.dep_ == "pobj" and g.i not in counted and (
                            self.ctx.cluster_at(g.i) is not None or g.tag_ in {"NN", "NNS", "NNP"}):
                        total += _number_of(g, self.ctx)
            elif c.dep_ == "poss" and c.tag_ == "PRP$" and c.lower_ in {"his", "her"}:
                total += 1
        return total

    def _owner(self, word: Any, evs: list[EventFound]) -> EventFound:
        """The mention a death or injury word reports on: the nearest in the parse, one not
        set apart by "after", "in retaliation for"... first."""
        if len(evs) == 1:
            return evs[0]
        doc = self.ctx.doc

        def path(a: int, b: int) -> list[int]:
            up_a = [a] + [t.i for t in doc[a].ancestors]
            up_b = [b] + [t.i for t in doc[b].ancestors]
            common = next((t for t in up_a if t in set(up_b)), None)
            if common is None:
                return up_a + up_b
            return up_a[:up_a.index(common)] + up_b[:up_b.index(common) + 1]

        def cost(ev: EventFound) -> tuple[int, int, int]:
            p = path(word.i, ev.trigger)
            apart = any(doc[t].lower_ in SEPARATORS for t in p)
            return int(apart), len(p), abs(word.i - ev.trigger)

        return min(evs, key=cost)

    @staticmethod
    def _in_toll(word: Any) -> bool:
        """"bringing the death toll to 40", "raising the number of dead to 10", "a total of 25
        policemen were killed": the word or what it counts is a running total."""
        for node in [word, *word.ancestors]:
            if node.lower_ in TOLL_VERBS and any(c.lower_ in TOLL_NOUNS for c in node.subtree):
                return True
        counted = [c for c in word.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
        return any(t.lower_ == "total" for c in counted for t in c.subtree)

    def _cumulative(self, word: Any) -> bool:
        """"The violence has killed at least 14,000 people", "have been killed since March":
        a toll of a conflict or of a stretch of time."""
        kids = list(word.children)
        if any(c.dep_ == "prep" and c.lower_ == "since" for c in kids):
            return True
        subj = next((c for c in kids if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in CONFLICT_NOUNS:
            return True
        return any(c.dep_ == "npadvmod" and c.lower_ == "year" and any(g.lower_ == "this" for g in c.children)
                   for c in kids)

    def _count_for(self, word: Any, counted: set[int], injuries: bool = False) -> int:
        """How many people a death or injury word reports: "killing two people", "Four Kyrgyz
        soldiers died", "leaving three soldiers dead", "shot dead X", "X and Y, who later died",
        "lost four of their own men", "with eight more injured", "a man killed by police",
        "killed along with his deputy"."""
        ctx, doc = self.ctx, self.ctx.doc
        nouns = []
        if word.dep_ in {"oprd", "acomp", "ccomp", "xcomp", "advmod", "amod"} and word.lower_ == "dead":
            head = word.head
            if head.lower_ == "shot":  # "shot dead X"
                nouns = [c for c in head.children if c.dep_ in {"dobj"}]
                if not nouns:
                    nouns = [t for t in doc[word.i + 1:word.sent.end] if t.tag_ in {"NNP"}][-1:]
            else:  # "left many fighters dead": the object; "three people were dead": the subject
                nouns = [c for c in head.children if c.dep_ == "dobj"] or \
                    [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        elif word.tag_.startswith("VB") or word.lower_ in {"dead"}:
            if word.lower_ in {"died", "die", "dies", "dying"} or any(c.dep_ == "auxpass" for c in word.children):
                nouns = [c for c in word.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if nouns and nouns[0].lower_ in {"who", "that"} and word.dep_ == "relcl":
                    nouns = [word.head]
            elif word.tag_ == "VBN" and word.dep_ == "acl":  # "an ideologist killed by security forces"
                nouns = [word.head]
            else:
                nouns = [c for c in word.children if c.dep_ in {"dobj"}]
            # "Dar was killed along with his financial chief"
            nouns += [g for c in word.children if c.dep_ == "prep" and c.lower_ == "along"
                      for w in c.children if w.lower_ == "with" for g in w.children if g.dep_ == "pobj"]
            if any(c.dep_ in {"prt", "advmod"} and c.lower_ in {"along", "together"} for c in word.children):
                nouns += [g for c in word.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
                          if g.dep_ == "pobj"]
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
        if not total and injuries and word.dep_ == "conj" and word.head.lower_ in DEATH_WORDS:
            # "killing five soldiers and wounded ten more": the number is the object
            obj = next((c for c in word.children if c.dep_ in {"dobj", "npadvmod", "advmod"}), None)
            if obj is not None and obj.i not in counted:
                total = _number_of(obj, ctx) or next((_to_int(c.lower_) or 0 for c in obj.children if c.tag_ == "CD"), 0)
        return total


def _to_int(word: str) -> int | None:
    word = word.lower().replace(",", "")
    if word.isdigit():
        return int(word)
    if word in VAGUE_NUMBERS:
        return None  # "many", "dozens": no stated figure
    return NUMBERS.get(word)


def _number_of(noun: Any, ctx: Ctx) -> int:
    """The number of people a noun phrase counts: "two people" 2, "four members of the group" 4,
    "a customs officer and his civilian assistant" 2, "its head" 1, "herself and five others"
    6, named people one each."""
    if noun.tag_ == "CD" or noun.lower_ in NUMBERS and noun.tag_ in {"DT", "CD", "JJ", "NN"}:
        n = _to_int(noun.lower_)
        if n:
            return n
    for c in noun.children:
        if c.dep_ == "nummod" or (c.dep_ in {"det", "amod", "quantmod"} and c.lower_ in NUMBERS and c.lower_ not in {"a", "an"}):
            n = _to_int(c.lower_)
            if n:
                return n
            if c.lower_ in VAGUE_NUMBERS:
                return 0
    conj = [c for c in noun.children if c.dep_ == "conj"]
    if noun.tag_ in {"NNP", "NN"} or noun.tag_ == "PRP" and noun.lower_ not in PLURAL_PRONOUNS or conj:
        people = 1 + sum(_number_of(c, ctx) or 1 for c in conj)
        return people
    return 0  # a plural with no number: not a count
