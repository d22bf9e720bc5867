"""Resolve date phrases against a reference date (the article's, or its dateline's): "May 12" ->
2006-05-12 in a May 2006 article, "last August" -> 1999-08 in a March 2000 article, "in 1999
and 2000" -> a range, "Saturday" -> the Saturday before the reference, "two days ago".

- A month and day without a year in an article whose year cannot be known ("October 31" with
  no publication date) is a year-less day: a :class:`DateValue` whose ``value`` is "--10-31"
  (day precision). A year-less reference (a dateline's "Aug 7") resolves "today",
  "yesterday", "last night" and "on August 4" to year-less days too, never to an invented
  year; a weekday needs a reference with a year.
- kg's own patterns come first; expressions they do not cover and that hold an anchor (a
  weekday, "ago", "yesterday", "tonight", "last/this/next" + a unit, "night", "morning"...)
  go to ``dateparser`` (its nonsense for unanchored phrases, "the 1990s", "five years", is
  never asked for), cached per (expression, reference).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from kg.dates import MONTH_RE, MONTHS, day_value, last_day, month_value, year_value
from kg.model import Article, DatePrecision, DateValue

_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_M = MONTH_RE
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight|dawn|daybreak|midday|noon)"
#: what makes a phrase a date relative to the reference ("Sunday night", "two days ago")
_ANCHOR = re.compile(rf"\b(?:{_WEEKDAY_RE}|ago|yesterday|today|tonight|(?:last|this|next|past)\s+"
                     rf"(?:week|weekend|month|year|night|{_PART_OF_DAY})|{_PART_OF_DAY})\b")
_LEADING = re.compile(r"^(?:on|in|at|since|by|during|from|of|early|late|mid|the|before|until|around|about)\s+")


def _ref_bounds(ref: DateValue) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(ref.value)
    end = dt.date.fromisoformat(ref.end) if ref.end else start
    return start, end


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def year_less(ref: DateValue | None) -> bool:
    """Whether a date is a day without its year ("--10-31")."""
    return ref is not None and ref.value.startswith("--")


def month_day_value(month: int, day: int, expression: str = "") -> DateValue | None:
    """A day whose year cannot be known: value "--MM-DD", day precision."""
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 else last_day(2001, month)):
        return None
    return DateValue(f"--{month:02d}-{day:02d}", DatePrecision.DAY, None, expression)


def _month_day_of(d: DateValue) -> tuple[int, int]:
    return int(d.value[2:4]), int(d.value[5:7])


def _shift_month_day(ref: DateValue, days: int, expression: str) -> DateValue | None:
    month, day = _month_day_of(ref)
    base = dt.date(2000 if (month, day) == (2, 29) else 2001, month, day)  # a year only to count days
    d = base + dt.timedelta(days=days)
    return month_day_value(d.month, d.day, expression)


def _year_for(month: int, day: int | None, ref: DateValue | None) -> int | None:
    """The year of a month (and day) without a year: the article's year, or the year before
    when that would put it well after the article."""
    if ref is None or year_less(ref):
        return None
    start, end = _ref_bounds(ref)
    year = end.year
    try:
        candidate = dt.date(year, month, day or 1)
    except ValueError:
        return year
    if candidate > end + dt.timedelta(days=45):
        year -= 1
    return year


def _normalise(expression: str) -> str:
    text = " ".join(expression.replace("’", "'").split())
    low = re.sub(r"(?:'s|')$", "", text.lower().strip(" ,."))
    for _ in range(3):
        stripped = _LEADING.sub("", low)
        if stripped == low:
            break
        low = stripped
    return re.sub(r"'s?$", "", low)


def resolve(expression: str, ref: DateValue | None) -> DateValue | None:
    """A :class:`DateValue` for a date phrase, or None when it names no date kg can place."""
    low = _normalise(expression)

    # ranges of years: "1999-2000", "1999 and 2000", "between 1999 and 2000"
    m = re.fullmatch(r"(?:between\s+)?((?:19|20)\d\d)\s*(?:-|–|and|to|through)\s*((?:19|20)\d\d)", low)
    if m:
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        return year_value(a, expression, end_year=b)
    m = re.fullmatch(r"((?:19|20)\d\d)s", low)
    if m:
        y = int(m.group(1))
        return year_value(y, expression, end_year=y + 9)
    m = re.fullmatch(r"(?:19|20)\d\d", low)
    if m:
        return year_value(int(low), expression)
    # "2014-05-12"
    m = re.fullmatch(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", low)
    if m:
        return day_value(int(m.group(1)), int(m.group(2)), int(m.group(3)), expression)
    # "May 12", "Tuesday June 15", "May 12, 2006", "12 May", "12 May 2006", "the 12th of May", "the night
    # of 12 May"; a span of days is dated by its first ("July 7-8", "12-13 May")
    low = re.sub(rf"^(?:{_PART_OF_DAY})\s+of\s+", "", low)
    low = re.sub(rf"^{_WEEKDAY_RE},?\s+(?=\d|{_M})", "", low, flags=re.I)
    low = re.sub(rf"^({_M})\s+(\d{{1,2}})\s*(?:-|–|to|and)\s*\d{{1,2}}\b", r"\1 \2", low, flags=re.I)
    low = re.sub(rf"^(\d{{1,2}})\s*(?:-|–|to|and)\s*\d{{1,2}}\s+(?=(?:of\s+)?{_M})", r"\1 ", low, flags=re.I)
    m = re.fullmatch(rf"({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?", low, re.I) or \
        re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_M})(?:,?\s+((?:19|20)\d\d))?", low, re.I)
    if m:
        first_is_month = not m.group(1)[0].isdigit()
        month = _month(m.group(1) if first_is_month else m.group(2))
        day = int(m.group(2) if first_is_month else m.group(1))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day, ref)
        if year:
            return day_value(year, month, day, expression)
        return month_day_value(month, day, expression)  # no year can be known
    # "January 4 last year", "May 12 this year"
    m = re.fullmatch(r"(.+?),?\s+(last|this|next)\s+year", low)
    month_only = re.fullmatch(rf"(?:in\s+|early\s+|late\s+|mid-?\s*)?({_M})", m.group(1), re.I) if m else None
    if month_only and ref is not None and not year_less(ref):  # "in May last year", "March this year"
        year = _ref_bounds(ref)[1].year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
        return month_value(year, _month(month_only.group(1)), expression)
    if m and re.search(rf"\d|{_M}", m.group(1), re.I):
        inner = resolve(m.group(1), None)
        if inner is not None and inner.precision == DatePrecision.DAY and year_less(inner):
            if ref is None or year_less(ref):
                return DateValue(inner.value, DatePrecision.DAY, None, expression)
            year = _ref_bounds(ref)[1].year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
            month, day = _month_day_of(inner)
            return day_value(year, month, day, expression)
    # "January 2006", "January"
    m = re.fullmatch(rf"({_M})(?:,?\s+((?:19|20)\d\d))?", low, re.I)
    if m:
        month = _month(m.group(1))
        year = int(m.group(2)) if m.group(2) else _year_for(month, None, ref)
        return month_value(year, month, expression) if year else None
    if ref is None:
        return None
    if year_less(ref):
        return _from_month_day(low, ref, expression)
    start, end = _ref_bounds(ref)
    # "last August", "next March"
    m = re.fullmatch(rf"(last|next|this)\s+({_M})", low, re.I)
    if m:
        month = _month(m.group(2))
        if m.group(1) == "last":
            year = end.year if month < start.month else end.year - 1
        elif m.group(1) == "next":
            year = end.year if month > end.month else end.year + 1
        else:
            year = end.year
        return month_value(year, month, expression)
    if low in {"last year", "a year ago", "the previous year", "the year before", "previous year"}:
        return year_value(end.year - 1, expression)
    if low in {"this year", "earlier this year", "later this year"}:
        return year_value(end.year, expression)
    if low in {"last month", "a month ago", "the previous month", "previous month"}:
        first = start.replace(day=1) - dt.timedelta(days=1)
        return month_value(first.year, first.month, expression)
    if low in {"this month", "earlier this month", "later this month"}:
        return month_value(start.year, start.month, expression)
    if ref.precision != DatePrecision.DAY and re.search(r"\bweek\b", low):
        return None  # a week before a month: no day to count from
    if low in {"last week", "a week ago", "the previous week", "previous week"}:
        begin = start - dt.timedelta(days=7)
        return DateValue(begin.isoformat(), DatePrecision.DAY, end.isoformat(), expression)
    if low in {"earlier this week", "this week"}:  # from the Monday of the reference's week
        begin = start - dt.timedelta(days=start.weekday())
        return DateValue(begin.isoformat(), DatePrecision.DAY, end.isoformat(), expression)
    if ref.precision != DatePrecision.DAY:
        return None
    if low in {"yesterday"}:
        d = start - dt.timedelta(days=1)
        return day_value(d.year, d.month, d.day, expression)
    if low in {"today", "this morning", "this afternoon", "tonight", "this evening"}:
        return day_value(start.year, start.month, start.day, expression)
    # "Saturday", "last Saturday", "Sunday night": the latest such day up to the reference (a
    # report names the day it is written on by its weekday too: "said on Thursday")
    m = re.fullmatch(rf"(last\s+)?({_WEEKDAY_RE})(?:\s+{_PART_OF_DAY})?", low)
    if m:
        back = (start.weekday() - _WEEKDAYS[m.group(2)]) % 7
        if m.group(1) and not back:
            back = 7
        d = start - dt.timedelta(days=back)
        return day_value(d.year, d.month, d.day, expression)
    if _ANCHOR.search(low):
        return _parsed(low, start.isoformat(), expression)
    return None


def _from_month_day(low: str, ref: DateValue, expression: str) -> DateValue | None:
    """Relative days against a year-less reference: "today", "yesterday", "last night"."""
    if low in {"today", "this morning", "this afternoon", "tonight", "this evening"}:
        return _shift_month_day(ref, 0, expression)
    if low in {"yesterday", "last night", "yesterday morning", "yesterday afternoon", "yesterday evening"}:
        return _shift_month_day(ref, -1, expression)
    m = re.fullmatch(r"(two|three|four|2|3|4) days ago", low)
    if m:
        n = {"two": 2, "three": 3, "four": 4}.get(m.group(1)) or int(m.group(1))
        return _shift_month_day(ref, -n, expression)
    return None


@lru_cache(maxsize=4096)
def _parsed(low: str, reference: str, expression: str) -> DateValue | None:
    """``dateparser``'s reading of an anchored expression ("two days ago", "Tuesday night"),
    relative to ``reference`` (ISO day), as a day, month or year."""
    parser = _parser(reference)
    try:
        data = parser.get_date_data(low)
    except Exception:  # dateparser raises a range of errors on odd input: not a date then
        return None
    d, period = data.date_obj, data.period
    if d is None or d.date() > dt.date.fromisoformat(reference):
        return None
    if period == "day":
        return day_value(d.year, d.month, d.day, expression)
    if period == "month":
        return month_value(d.year, d.month, expression)
    if period == "year":
        return year_value(d.year, expression)
    if period == "week":
        begin = d.date() - dt.timedelta(days=d.weekday())
        return DateValue(begin.isoformat(), DatePrecision.DAY, (begin + dt.timedelta(days=6)).isoformat(), expression)
    return None


@lru_cache(maxsize=64)
def _parser(reference: str):  # -> dateparser.date.DateDataParser
    import dateparser.date

    base = dt.datetime.fromisoformat(reference)
    return dateparser.date.DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base,
                                                                      "PREFER_DATES_FROM": "past"})


# --- comparing dates (a year-less day compares by its month and day) -----------------------------


def _bounds(d: DateValue) -> tuple[str, str]:
    return d.value, d.end or d.value


def _month_day_compatible(md: DateValue, other: DateValue) -> bool:
    month, day = _month_day_of(md)
    if year_less(other):
        return other.value == md.value
    start, end = (dt.date.fromisoformat(x) for x in _bounds(other))
    if (end - start).days >= 365:
        return False  # a day of an unknown year and a named year: nothing says they meet
    for year in range(start.year, end.year + 1):  # does the range hold that month and day?
        try:
            if start <= dt.date(year, month, day) <= end:
                return True
        except ValueError:  # 29 February of a common year
            continue
    return False


def contains(outer: DateValue, inner: DateValue) -> bool:
    """Whether ``inner`` lies within ``outer`` (both as day ranges)."""
    if year_less(outer) or year_less(inner):
        return outer.value == inner.value if year_less(outer) else _month_day_compatible(inner, outer)
    o_start, o_end = _bounds(outer)
    i_start, i_end = _bounds(inner)
    return o_start <= i_start and i_end <= o_end


def compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    if year_less(a):
        return _month_day_compatible(a, b)
    if year_less(b):
        return _month_day_compatible(b, a)
    a_start, a_end = _bounds(a)
    b_start, b_end = _bounds(b)
    return a_start <= b_end and b_start <= a_end


def more_precise(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    """The narrower of two dates; a day with its year before the same day without one."""
    if a is None:
        return b
    if b is None:
        return a
    order = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}

    def width(d: DateValue) -> tuple[int, int, int]:
        if year_less(d):
            return order[d.precision], 1, 0
        span = (dt.date.fromisoformat(d.end) - dt.date.fromisoformat(d.value)).days if d.end else 0
        return order[d.precision], 0, span

    return a if width(a) <= width(b) else b



def reference_date(article: Article) -> tuple[DateValue | None, int]:
    """What relative dates in ``article`` resolve against: the day of its dateline ("Karachi,
    June 4 (Reuters):" in a paper published on 5 June: "today" is 4 June), in the publication's
    year, or without a year when the article has no date ("BISHKEK, Aug 7 (Reuters) -"); else
    its publication date. And the character offset where the dateline ends (0 without one): its
    date is the report's, not an event's, and its names are no event's actors."""
    from kg.sources.metadata import DATELINE, dateline

    body_start = article.title_end
    text = article.text
    while body_start < len(text) and text[body_start].isspace():
        body_start += 1
    head = text[body_start:body_start + 300]
    found = dateline(head)
    ref = article.published
    if found is None:
        return ref, 0
    phrase, value = found
    match = DATELINE.match(head)
    end = body_start + match.end() if match else body_start
    if value is None:
        day = resolve(phrase, ref)  # the month and day, in the publication's year when there is one
        value = day if day is not None and day.precision == DatePrecision.DAY and not day.end else None
        if value is None and ref is None:
            value = resolve(phrase, None)
    return value or ref, end


__all__ = ["resolve", "reference_date", "contains", "compatible", "more_precise", "last_day", "month_day_value", "year_less"]
