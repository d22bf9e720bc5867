"""Resolve date phrases against the article's date: "May 12" -> 2006-05-12 in a May 2006
article, "last August" -> 1999-08 in a March 2000 article, "in 1999 and 2000" -> a range."""

from __future__ import annotations

import datetime as dt
import re

from kg.dates import MONTH_RE, MONTHS, day_value, last_day, month_value, year_value
from kg.model import DatePrecision, DateValue

_WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_M = MONTH_RE


def _ref_bounds(ref: DateValue) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(ref.value)
    end = dt.date.fromisoformat(ref.end) if ref.end else start
    return start, end


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _year_for(month: int, day: int | None, ref: DateValue | None) -> int | None:
    """The year of a month (and day) without a year: the article's year, or the year before
    when that would put it well after the article."""
    if ref is None:
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


def resolve(expression: str, ref: DateValue | None) -> DateValue | None:
    """A :class:`DateValue` for a date phrase, or None when it names no date kg can place."""
    text = " ".join(expression.replace("’", "'").split())
    low = text.lower().strip(" ,.'s")
    low = re.sub(r"^(?:on|in|at|since|by|during|from|of|early|late|mid|the)\s+", "", low)
    low = re.sub(r"'s?$", "", low)

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
    # "May 12", "May 12, 2006", "12 May", "12 May 2006"
    m = re.fullmatch(rf"({_M})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?", low, re.I)
    if m:
        month, day = _month(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day, ref)
        return day_value(year, month, day, expression) if year else None
    m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_M})(?:,?\s+((?:19|20)\d\d))?", low, re.I)
    if m:
        month, day = _month(m.group(2)), int(m.group(1))
        year = int(m.group(3)) if m.group(3) else _year_for(month, day, ref)
        return day_value(year, month, day, expression) if year else None
    # "January 2006", "January"
    m = re.fullmatch(rf"({_M})(?:,?\s+((?:19|20)\d\d))?", low, re.I)
    if m:
        month = _month(m.group(1))
        year = int(m.group(2)) if m.group(2) else _year_for(month, None, ref)
        return month_value(year, month, expression) if year else None
    if ref is None:
        return None
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
    if low in {"last year", "a year ago", "the previous year", "the year before"}:
        return year_value(end.year - 1, expression)
    if low in {"this year", "earlier this year", "later this year"}:
        return year_value(end.year, expression)
    if low in {"last month", "a month ago", "the previous month"}:
        first = start.replace(day=1) - dt.timedelta(days=1)
        return month_value(first.year, first.month, expression)
    if low in {"this month", "earlier this month", "later this month"}:
        return month_value(start.year, start.month, expression)
    if low in {"last week", "a week ago", "the previous week", "earlier this week", "this week"}:
        begin = start - dt.timedelta(days=7 if "last" in low or "ago" in low or "previous" in low else 0)
        return DateValue(begin.isoformat(), DatePrecision.DAY, end.isoformat(), expression)
    if ref.precision == DatePrecision.DAY:
        if low in {"yesterday"}:
            d = start - dt.timedelta(days=1)
            return day_value(d.year, d.month, d.day, expression)
        if low in {"today", "this morning", "this afternoon", "tonight", "this evening"}:
            return day_value(start.year, start.month, start.day, expression)
        m = re.fullmatch(r"(?:last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", low)
        if m:
            back = (start.weekday() - _WEEKDAYS[m.group(1)]) % 7 or 7
            d = start - dt.timedelta(days=back)
            return day_value(d.year, d.month, d.day, expression)
    return None


def contains(outer: DateValue, inner: DateValue) -> bool:
    """Whether ``inner`` lies within ``outer`` (both as day ranges)."""
    o_start, o_end = outer.value, outer.end or outer.value
    i_start, i_end = inner.value, inner.end or inner.value
    return o_start <= i_start and i_end <= o_end


def compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    a_start, a_end = a.value, a.end or a.value
    b_start, b_end = b.value, b.end or b.value
    return a_start <= b_end and b_start <= a_end


def more_precise(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    if a is None:
        return b
    if b is None:
        return a
    order = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}

    def width(d: DateValue) -> tuple[int, int]:
        span = (dt.date.fromisoformat(d.end) - dt.date.fromisoformat(d.value)).days if d.end else 0
        return order[d.precision], span

    return a if width(a) <= width(b) else b


__all__ = ["resolve", "contains", "compatible", "more_precise", "last_day"]
