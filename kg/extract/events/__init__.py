"""Events: triggers for attacks, raids, clashes, killings, bombings, abductions, hostage
releases, surrenders, arrests, sentencings, prison breaks, protests, riots, exercises, meetings,
press conferences and statements, typed by ACLED event types, with date, place, perpetrators,
targets, victims, detainees, fatalities and injuries.

- Only what happened: no event for a plan, threat, order or hypothetical ("plans to arrest",
  "vowed to attack", "could attack"), a habit, category or ongoing struggle ("crimes such as
  kidnapping", "is fighting for autonomy", "has fought the government since 1964").
- The type follows the act and its weapon: "killed in an airstrike" is an air strike with
  fatalities, a bomb makes a bombing, a mob a riot.
- Arguments come from the event's own clause: the subject of an attack verb or of the verb an
  event noun is the object of ("gunmen from X launched an attack") is its perpetrator, its object
  the victim or target, "by X" the perpetrator of a passive, "on X" the target of an attack noun,
  "between X and Y" the sides of a clash; the agent of an arrest is who did it; the most specific
  place of the clause is the event's.
- Dates are resolved against the report's day (its dateline's, else its publication date; a
  month and day without a year when there is none); a date in the event's own clause is its
  date; a sentence without one inherits the previous sentence's ("They then ...").
- Fatalities are the numbers the text reports for that event ("killed A and wounded B"), never
  a running toll; of several descriptions of one incident, the largest count (never a sum).
- Mentions of one incident in an article are one event; an article may tell several incidents
  (another date, place or kind; "attacked another outpost"; "Two months later, ...").

The modules, by job: :mod:`.found` (an event mention), :mod:`.finder` (the entry point and the
order of the steps), :mod:`.triggers` (with :mod:`.by_object`, triggers that depend on what they
act on, and :mod:`.happened`, what did not happen), :mod:`.arguments`, :mod:`.when` (dates),
:mod:`.weapons` (the type by the weapon), :mod:`.figures`, :mod:`.incidents` (the steps), and
:mod:`.vocabulary` (the word lists, from ``data/events/``).
"""

from kg.extract.events.finder import EventFinder
from kg.extract.events.found import EventFound

__all__ = ["EventFinder", "EventFound"]
