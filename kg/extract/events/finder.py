"""The entry point of event finding: :meth:`EventFinder.run` finds the triggers
(:mod:`.triggers`), fills each mention's arguments and figures (:mod:`.arguments`,
:mod:`.figures`), and merges the mentions of one incident (:mod:`.incidents`)."""

from __future__ import annotations

from typing import Any

from kg.extract.context import Ctx
from kg.extract.dates import resolve
from kg.extract.events.arguments import ArgumentRules
from kg.extract.events.figures import FigureRules
from kg.extract.events.found import EventFound
from kg.extract.events.incidents import IncidentRules
from kg.extract.events.triggers import TriggerRules
from kg.extract.words import words
from kg.model import DateValue


class EventFinder(TriggerRules, ArgumentRules, FigureRules, IncidentRules):
    """Finds the events of one document (its :class:`~kg.extract.context.Ctx`)."""

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
        self.inherit(mentions)
        return self.merge(mentions)
