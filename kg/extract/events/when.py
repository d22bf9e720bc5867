"""When an event happened: the dates of the document (spaCy's DATE and TIME entities, resolved
against the article's date or its dateline's, :func:`kg.extract.dates.reference_date`), and the
one that belongs to each event mention.

- A date in the trigger's own phrase or clause ("a September 19 ambush", "on September 10 we
  detained", "Thursday's raid") is the event's; a date inside a relative clause about something
  else ("Congo, which has been racked by violence since 2014") or one that the event's own
  clause introduces by "since" or "until" (the start or end of a stretch of time) is not; a
  relative clause on a date is dated by it ("since 2017, when a general was killed").
- A date that opens the sentence ("On 12 May, ...") or modifies its main verb dates every event
  of the sentence; else (unless the trigger refers back, "the attack") the nearest date in the
  sentence.
- The dateline's own date ("BISHKEK, Aug 7 (Reuters) -") is the report's, never an event's.
- A sentence that continues a narrative ("They then ...", "The same morning ...") takes the
  date and place of what came just before (:meth:`DateRules.inherit`).
"""

from __future__ import annotations

import re
from typing import Any

from kg.dates import MONTH_RE
from kg.extract.context import Ctx
from kg.extract.dates import reference_date, resolve
from kg.extract.events.found import EventFound
from kg.extract.mentions import PLACE
from kg.extract.words import Words
from kg.model import DateValue

#: a month and day, with or without a year ("September 13, 2011", "13 September", "Dec. 5")
MONTH_DAY = re.compile(rf"\b(?:{MONTH_RE})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?|"
                       rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTH_RE})(?:\s+(?:19|20)\d\d\b)?")
SPEECH = {"Statement", "PressConference"}
#: prepositions whose date is the edge of a stretch of time, not the day of an event
EDGE_PREPS = {"since", "until", "till", "before", "after", "by"}
#: clauses about something other than the event they sit in
OTHER_CLAUSES = {"relcl", "acl", "advcl", "ccomp", "parataxis"}


class DateRules:
    """The date step of :class:`~kg.extract.events.finder.EventFinder` (a mention's country:
    :meth:`~kg.extract.events.arguments.ArgumentRules.country_of`)."""

    ctx: Ctx
    w: Words
    dates: dict[int, list[tuple[int, DateValue]]]
    ref: DateValue | None
    sentence_triggers: dict[int, list[int]]

    def collect_dates(self) -> None:
        """Every date of the document, resolved, by sentence: (the date's head token, date)."""
        ctx = self.ctx
        self.dates = {}
        self.unplaced_dates: dict[int, list[int]] = {}  # sentence -> heads of dates kg cannot place
        self.date_spans: dict[int, tuple[int, int]] = {}  # a date's head -> its tokens
        self.ref, self.dateline_end = reference_date(ctx.article)
        ref = self.ref
        ents = [e for e in ctx.doc.ents if e.label_ in {"DATE", "TIME"} and e.start_char >= self.dateline_end]
        k = 0
        while k < len(ents):  # "1999 and 2000", "1999-2000" as one range
            ent = ents[k]
            text = ent.text
            if k + 1 < len(ents) and ctx.doc[ent.end:ents[k + 1].start].text.strip().lower() in {"and", "-", "–", "to"}:
                joined = ctx.doc[ent.start:ents[k + 1].end].text
                if resolve(joined, ref) is not None:
                    text = joined
                    k += 1
            d = resolve(text, ref)
            if d is not None:
                self.dates.setdefault(ctx.sent_of[ent.start], []).append((ent.root.i, d))
                self.date_spans[ent.root.i] = (ent.start, ent.end)
            elif ent.label_ == "DATE" and _placed_expression(text):
                self.unplaced_dates.setdefault(ctx.sent_of[ent.start], []).append(ent.root.i)
            k += 1
        self._dates_the_model_missed(ents)

    def _dates_the_model_missed(self, ents: list[Any]) -> None:
        """Month-day dates the model did not tag ("the September 13, 2011 attacks"): one pattern
        over the text, not a look at every token."""
        ctx = self.ctx
        taken = [(e.start_char, e.end_char) for e in ents]
        for m in MONTH_DAY.finditer(ctx.text, self.dateline_end):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            span = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
            d = resolve(m.group(0), self.ref) if span is not None else None
            if d is not None:
                self.dates.setdefault(ctx.sent_of[span.start], []).append((span.root.i, d))
                self.date_spans[span.root.i] = (span.start, span.end)

    def event_date(self, ev: EventFound) -> DateValue | None:
        """A date in the trigger's own phrase or clause; a date on the sentence's main verb; else
        (unless the trigger refers back, "the attack", or has a date of its own that cannot be
        placed, "last year's ambush") the nearest date in its sentence. Never a date that belongs
        to another event word nearer to it, to a reporting verb ("said on July 31 that ..."), or
        that starts or ends a stretch of time."""
        found = self.dates.get(ev.sentences[0], [])
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        line = {tok.i} | {a.i for a in tok.ancestors}
        conjoined = {c.i for c in tok.children if c.dep_ == "conj"} | ({tok.head.i} if tok.dep_ == "conj" else set())
        if tok.tag_ == "VBG" and tok.dep_ in {"advcl", "xcomp"}:
            conjoined.add(tok.head.i)  # "stormed a hotel on Friday, taking 20 guests hostage": that day too
        conjoined |= {c.i for c in tok.children if c.tag_ == "VBG" and c.dep_ in {"advcl", "xcomp"}}
        others = [t for t in self.sentence_triggers.get(ev.sentences[0], ()) if t != tok.i and t not in conjoined]
        usable = []
        for td in found:
            date = doc[td[0]]
            if self._just_before(td[0], ev):
                usable.append(td)  # "after the Sept. 11, 2001, attacks": the attacks' own date
                continue
            if self._about_something_else(date, tok) or self._reported_on(date, tok) and not SPEECH & set(ev.types):
                continue  # (a statement is dated by the report of it: "released a video, X reported on July 30")
            if _edge(date) and td[0] not in line:
                continue  # "since 2014", unless the event is what the date's clause is about
            if others and _distance(doc, td[0], tok.i) > min(_distance(doc, td[0], o) for o in others):
                continue  # "attacked X, followed by the attack on Y on April 10" ("killed and arrested on
                # Sunday": conjoined verbs share it)
            usable.append(td)
        sub = {t.i for t in tok.subtree}
        own = [td for td in usable if td[0] in sub or self._just_before(td[0], ev)]
        if own:
            return min(own, key=lambda td: abs(td[0] - ev.trigger))[1]
        if any(r in sub for r in self.unplaced_dates.get(ev.sentences[0], ())):
            return None  # "last year's ambush", "Thursday's attacks" with no reference date
        if not usable:
            return None
        root = tok.sent.root
        opening = [td for td in usable if doc[td[0]].head.i == root.i or doc[td[0]].head.head.i == root.i
                   and doc[td[0]].head.dep_ == "prep"]
        if opening and root.i in line:
            return opening[0][1]
        if ev.definite:
            return None
        return min(usable, key=lambda td: abs(td[0] - ev.trigger))[1]

    def _just_before(self, date: int, ev: EventFound) -> bool:
        """"the Sept. 11, 2001, attacks", "a September 19 ambush": a date right before the event
        noun is its own, however the parse hangs it."""
        doc = self.ctx.doc
        if not doc[ev.trigger].tag_.startswith("NN") or date not in self.date_spans:
            return False
        k = self.date_spans[date][1]
        start = ev.triggers[0][0] if ev.triggers else ev.trigger
        while k < start and (doc[k].is_punct or doc[k].tag_ in {"JJ", "POS", "NN"}):
            k += 1
        return k == start and self.date_spans[date][1] <= start

    def _reported_on(self, date: Any, trigger: Any) -> bool:
        """"The ministry said on July 31 that four attackers were killed": the date of saying."""
        node = date.head
        if node.dep_ == "prep":
            node = node.head
        return node.i != trigger.i and node.lower_ in self.w.reporting_verbs and node.tag_.startswith("VB")

    @staticmethod
    def _about_something_else(date: Any, trigger: Any) -> bool:
        """Whether a date sits in a clause that does not hold the trigger ("Congo, which has
        been racked by violence since 2014"; "three days after the president visited"); a
        relative clause on the trigger itself is about it ("a blast that hit X on Tuesday")."""
        trigger_line = {trigger.i} | {a.i for a in trigger.ancestors}
        node = date
        while node.head.i != node.i:
            if node.i in trigger_line:
                return False
            if node.dep_ in OTHER_CLAUSES and node.tag_.startswith("VB") and any(
                    c.dep_ in {"nsubj", "nsubjpass"} for c in node.children):  # a clause with its own subject
                return node.head.i not in trigger_line and trigger.i not in {t.i for t in node.subtree}
            node = node.head
        return False

    def inherit(self, mentions: list[EventFound]) -> None:
        """A sentence that continues a narrative ("They then ...", "The same morning ...")
        takes the date (and place) of what came just before."""
        ctx = self.ctx
        prev: EventFound | None = None
        last_dated_violent: EventFound | None = None
        for ev in mentions:
            s = ev.sentences[0]
            para = ctx.para_of_sent[s]
            low = ctx.sents[s].text.strip().lower()
            continues = bool(re.match(r"^(they|he|she|then|soon|later|afterwards|the same)\b", low)) \
                or bool(re.search(r"\b(then|afterwards|soon afterwards)\b", low))
            same_day = bool(re.search(r"\bsame (?:morning|day|night|evening|afternoon)\b", low))
            if ev.date is None:
                if same_day and last_dated_violent is not None:
                    ev.date = last_dated_violent.date
                elif continues and s and ctx.para_of_sent[s - 1] in {para, para - 1}:
                    back = self.dates.get(s - 1, [])
                    if back:
                        ev.date = back[-1][1]
                    elif prev is not None and prev.date is not None and prev.sentences[0] >= s - 2:
                        ev.date = prev.date
            if ev.place is None and not ev.definite and continues and s and ctx.para_of_sent[s - 1] in {para, para - 1}:
                prev_sent = ctx.sents[s - 1]
                places = ctx.clusters_in(prev_sent.start, prev_sent.end, {PLACE})
                if places:
                    ev.place = sorted(places, key=ctx.place_rank)[0]
                    ev.country = ev.country or self.country_of(ev)
            if ev.violent and ev.date is not None:
                last_dated_violent = ev
            prev = ev


def _distance(doc: Any, a: int, b: int) -> int:
    """The length of the parse path between two tokens of one sentence."""
    up_a = [a] + [t.i for t in doc[a].ancestors]
    up_b = [b] + [t.i for t in doc[b].ancestors]
    common = next((t for t in up_a if t in set(up_b)), None)
    if common is None:
        return len(up_a) + len(up_b)
    return up_a.index(common) + up_b.index(common)


def _placed_expression(text: str) -> bool:
    """Whether an unresolved DATE phrase names a point in time ("last year", "Thursday"), not a
    length of time ("19 hours", "three days")."""
    low = text.lower()
    return bool(re.search(r"\b(?:last|previous|this|next|ago|yesterday|today|monday|tuesday|wednesday|thursday|friday|"
                          r"saturday|sunday|january|february|march|april|may|june|july|august|september|"
                          r"october|november|december)\b", low))


def _edge(root: Any) -> bool:
    """"since 2014", "until March": the date is the edge of a stretch of time."""
    head = root.head
    return root.dep_ == "pobj" and head.lower_ in EDGE_PREPS and head.i != root.i
