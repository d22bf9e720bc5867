"""The entry point of event finding: :meth:`EventFinder.run` finds the triggers that report
what happened (:mod:`.triggers`, :mod:`.by_object`, :mod:`.happened`), fills each mention's
arguments, date, kind by its weapon and figures (:mod:`.arguments`, :mod:`.when`,
:mod:`.weapons`, :mod:`.figures`), and merges the mentions of one incident (:mod:`.incidents`)."""

from __future__ import annotations

from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.arguments import ArgumentRules
from kg.extract.events.figures import FigureRules
from kg.extract.events.found import EventFound
from kg.extract.events.incidents import IncidentRules
from kg.extract.events.triggers import TriggerRules
from kg.extract.events.weapons import WeaponRules
from kg.extract.events.when import DateRules
from kg.extract.words import words


class EventFinder(TriggerRules, ArgumentRules, DateRules, FigureRules, WeaponRules, IncidentRules):
    """Finds the events of one document (its :class:`~kg.extract.context.Ctx`)."""

    def __init__(self, ctx: Ctx, attribution: Any) -> None:
        self.ctx = ctx
        self.attr = attribution
        self.w = words()
        self.collect_dates()

    def run(self) -> list[EventFound]:
        mentions = self.triggers()
        self.sentence_triggers = {}
        for ev in mentions:
            self.sentence_triggers.setdefault(ev.sentences[0], []).append(ev.trigger)
        for ev in mentions:
            self.fill(ev)
        self.figures(mentions)
        self.inherit(mentions)
        return self.merge(mentions)
