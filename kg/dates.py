"""Calendar helpers shared by article metadata and event dating (no third-party imports)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from email.utils import parsedate_to_datetime

from kg.model import DatePrecision, DateValue

MONTHS = {
    name.lower(): i
    for i, name in enumerate(calendar.month_name)
    if name
}
MONTHS.update(
    {
        name.lower(): i
        for i, name in enumerate(calendar.month_abbr)
        if name
    }
)
MONTHS["sept"] = 9
MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def day_value(year: int, month: int, day: int, expression: str = "", inferred: bool = False):
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return DateValue(f"{year:04d}-{month:02d}-{day:02d}", DatePrecision.DAY, None, expression, inferred)


def month_value(year: int, month: int, expression: str = "", inferred: bool = False) -> DateValue:
    return DateValue(
        f"{year:04d}-{month:02d}-01",
        DatePrecision.MONTH,
        f"{year:04d}-{month:02d}-{last_day(year, month):02d}",
        expression,
        inferred,
    )


def year_value(year: int, expression: str = "", inferred: bool = False, end_year: int | None = None):
    return DateValue(
        f"{year:04d}-01-01",
        DatePrecision.YEAR,
        f"{(end_year or year):04d}-12-31",
        expression,
        inferred,
    )


_ISO = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE}),?\s+(\d{{4}})$", re.I)
_MDY = re.compile(rf"^({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.I)
_MY = re.compile(rf"^({MONTH_RE}),?\s+(\d{{4}})$", re.I)


def parse_date(value: object) -> DateValue | None:
    """Parse a publication date as given in metadata: ISO 8601, "19 May 2006", "May 19, 2006",
    "May 2006", "2006", or an RFC 2822 date. Returns None when it is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return day_value(value.year, value.month, value.day, str(value))
    s = str(value).strip()
    if not s:
        return None
    m = _ISO.match(s)
    if m:
        y, mo, d = m.groups()
        if d:
            return day_value(int(y), int(mo), int(d), s)
        if mo and 1 <= int(mo) <= 12:
            return month_value(int(y), int(mo), s)
        if not mo:
            return year_value(int(y), s)
        return None
    for rx, order in ((_DMY, "dmy"), (_MDY, "mdy")):
        m = rx.match(s)
        if m:
            a, b, c = m.groups()
            if order == "dmy":
                day, month, year = int(a), MONTHS[b.lower().rstrip(".")], int(c)
            else:
                month, day, year = MONTHS[a.lower().rstrip(".")], int(b), int(c)
            return day_value(year, month, day, s)
    m = _MY.match(s)
    if m:
        return month_value(int(m.group(2)), MONTHS[m.group(1).lower().rstrip(".")], s)
    try:
        parsed = parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    return day_value(parsed.year, parsed.month, parsed.day, s)
