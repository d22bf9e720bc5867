"""Casualty figures: the deaths and injuries a sentence reports for an event, counted from
the noun phrases the death and injury words govern ("killing two people", "Four Kyrgyz
soldiers died"); a running death toll is not an event's figure."""

from __future__ import annotations

from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import EventFound
from kg.extract.events.vocabulary import DEATH_WORDS, INJURY_WORDS, NUMBERS


class FigureRules:
    """The casualty figures of :class:`~kg.extract.events.finder.EventFinder`."""

    ctx: Ctx

    def casualties(self, ev: EventFound) -> tuple[int | None, int | None]:
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
