"""Events: triggers for attacks, raids, clashes, killings, hijackings, abductions, arrests,
sentencings, prison breaks, exercises, meetings and press conferences, typed by ACLED event
types, with date, place, perpetrators, targets, victims, detainees, fatalities and injuries.

- Arguments come from the parse: the subject of an attack verb is its perpetrator (climbing
  through "started by raiding", relative clauses and pronouns), its object the victim or target,
  "by X" the perpetrator of a passive, "on X" the target of an attack noun, "between X and Y"
  the sides of a clash.
- Dates are resolved against the article date; a sentence without one inherits the previous
  sentence's or event's date ("They then ...", "the same morning").
- Fatalities follow ACLED's rules: the reported figure, the most conservative when several
  descriptions of one event disagree (the largest per-sentence count among its mentions, never a
  sum of re-descriptions); a running "total death toll" is not an event's fatalities; vague
  figures: several/many 10, dozens 12, hundreds 100.
- Mentions of one incident in an article are one event: a definite reference ("the attack",
  "the latest raid"), shared participants with a compatible date and place, or the same place
  and day. A plural lead ("Clashes last week ...") takes specific events as sub-events.

The modules, by job: :mod:`.found` (an event mention), :mod:`.finder` (the entry point and the
order of the steps), :mod:`.triggers`, :mod:`.arguments`, :mod:`.figures`, :mod:`.incidents`
(the steps), and :mod:`.vocabulary` (the word lists, from ``data/events/``).
"""

from kg.extract.events.finder import EventFinder
from kg.extract.events.found import EventFound

__all__ = ["EventFinder", "EventFound"]
