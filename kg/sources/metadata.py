"""Article metadata: sidecar files, field aliases, and the publication date a page states when no
metadata gives one."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from kg.dates import MONTH_RE, MONTHS, day_value, parse_date
from kg.errors import InputError
from kg.model import DateValue

SIDECAR_SUFFIXES = (".meta.json", ".meta.yaml", ".meta.yml")

FIELD_ALIASES = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "articleBody", "article", "maintext"),
    "url": ("url", "link", "canonical_url", "canonicalUrl", "source_url"),
    "published": ("published", "date", "datePublished", "published_at", "pubdate", "publish_date",
                  "date_publish", "issued"),
    "authors": ("authors", "author", "creator", "creators", "byline"),
    "publisher": ("publisher", "source", "site", "site_name", "outlet"),
    "id": ("id", "doc_id", "article_id", "guid", "uid"),
}


def pick(record: dict[str, Any], field: str) -> Any:
    for key in FIELD_ALIASES[field]:
        if key in record and record[key] not in (None, ""):
            return record[key]
    return None


def as_authors(value: Any) -> list[str]:
    """Authors from a string ("A and B", "A, B"), a list of strings, or schema.org objects."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, str):
        value = re.split(r"\s*(?:,|;|\band\b|&)\s*", re.sub(r"^\s*by\s+", "", value, flags=re.I))
    out = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and item.strip():
            out.append(" ".join(item.split()))
    return out


def as_publisher(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(str(value).split()) if value else None


def sidecar_for(path: Path) -> Path | None:
    for base in (path.with_suffix(""), path):
        for suffix in SIDECAR_SUFFIXES:
            candidate = base.parent / (base.name + suffix)
            if candidate.is_file():
                return candidate
    return None


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES)


def load_sidecar(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read metadata sidecar: {exc}", "fix or remove it") from exc
    try:
        if path.name.endswith(".json"):
            data = json.loads(raw)
        else:
            import yaml

            data = yaml.safe_load(raw)
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError
        raise InputError(path, f"metadata sidecar is not valid: {exc}".splitlines()[0],
                         "fix its syntax") from exc
    if not isinstance(data, dict):
        raise InputError(path, "metadata sidecar must hold a mapping of fields",
                         "write e.g. {\"title\": ..., \"published\": ...}")
    return data


def published_from(record: dict[str, Any], path: object) -> DateValue | None:
    """The date a metadata record gives, honouring ``date_precision`` / ``date_inferred``."""
    raw = pick(record, "published")
    if raw is None:
        return None
    value = parse_date(raw)
    if value is None:
        raise InputError(path, f"publication date {raw!r} is not a date",
                         "use ISO 8601, e.g. 2006-05-19")
    inferred = bool(record.get("date_inferred", False))
    note = record.get("date_note") or value.expression
    from dataclasses import replace

    return replace(value, inferred=inferred, expression=str(note))


_AGENCIES = r"(?:AFP|AP|Reuters|Xinhua|EFE|dpa|DPA|ANI|PTI|IANS|UNI|Interfax|TASS|RFE/RL|AKIpress|Anadolu|IRNA|UPI)"
_MONTH_DAY = rf"(?:{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{MONTH_RE})(?:,?\s+(?:19|20)\d\d)?"
#: "BISHKEK, Aug 7 (Reuters) -", "MOMBASA, Kenya, Nov. 29 --", "Karachi, June 4 (Reuters):",
#: "(RFE/RL) August 21, 2006 --", "PRAGUE, (RFE/RL) August 21, 2006 --": the place and date a
#: report opens with
DATELINE = re.compile(
    rf"^\s*(?:(?P<place>[A-Z][\w.'’ -]{{1,40}}?)(?:,\s*[A-Z][\w.'’ -]{{1,30}}?)?,?\s+(?:\(\s*{_AGENCIES}\s*\)\s+)?"
    rf"|\(\s*{_AGENCIES}\s*\)\s+)"
    rf"(?P<date>{_MONTH_DAY})\s*(?:\(\s*[\w/ .-]{{1,30}}\)\s*)?(?:[-–—_:]+|\s--)")
_MENTIONED_DAY = re.compile(rf"\b(?:{MONTH_RE})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTH_RE})\b")
_NUMERIC = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)?\d\d)$")


_WEEKDAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}


def dateline(text: str) -> tuple[str, DateValue | None] | None:
    """The date of a report's dateline (the start of its first paragraph), as (the phrase,
    the date when it gives a year); None when the text opens without one."""
    m = DATELINE.match(text)
    if not m:
        return None
    phrase = m.group("date")
    value = parse_date(phrase)
    return phrase, value


def _month_days(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _MENTIONED_DAY.finditer(text):
        day = re.search(r"\d{1,2}", m.group(0))
        name = re.sub(r"[\d\s.]", "", m.group(0)).lower()
        if day and name in MONTHS:
            out.append((MONTHS[name], int(day.group(0))))
    return out


def _numeric(phrase: str, body: str, today: dt.date) -> DateValue | None:
    """"05/08/2020", "5.06.05", "11/30/02": day-month or month-day, decided by the month and day
    the text mentions (a report dated just after them); None when nothing decides."""
    m = _NUMERIC.match(phrase)
    if not m:
        return None
    a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if y < 100:
        y += 2000 if y <= today.year % 100 + 1 else 1900
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            readings.append(dt.date(y, month, day))
        except ValueError:
            continue
    readings = sorted(set(readings))
    if not readings:
        return None
    if len(readings) > 1:
        mentioned = _month_days(body)

        def support(d: dt.date) -> int:
            n = 0
            for month, day in mentioned:
                try:
                    gap = (d - dt.date(d.year, month, day)).days
                except ValueError:
                    continue
                n += 0 <= gap <= 45
            return n

        scores = [support(d) for d in readings]
        if scores[0] == scores[1]:
            if m.group(0).count(".") != 2:
                return None
            readings = [dt.date(y, b, a)]  # "12.05.2015": dots are written day first
        else:
            readings = [readings[scores.index(max(scores))]]
    d = readings[0]
    return day_value(d.year, d.month, d.day, phrase)


def stated_date(header_dates: list[tuple[str, bool]], body: str, today: dt.date | None = None) -> DateValue | None:
    """The publication date the page states: the first date in its header that is not labelled
    as an update ("December 26, 2002", "Monday, 29 November 2010 14:24 GMT", "05/08/2020"), else
    its dateline when that gives a year ("(RFE/RL) August 21, 2006 --"). An article that states
    none stays undated: kg never guesses a date from the years it mentions."""
    today = today or dt.date.today()
    for phrase, updated in header_dates:
        if updated:
            continue  # an update may come years after the story: never its date
        phrase = re.sub(r"(?<=\d)T\d\d:\d\d.*$", "", phrase)  # "2015-05-12T10:24:00Z": the day
        phrase = re.sub(r"^[A-Za-z]+\.?,?\s+(?=\d|[A-Z])", lambda m: "" if m.group(0).strip(" ,.").lower()[:3] in
                        _WEEKDAYS else m.group(0), phrase)
        value = _numeric(phrase, body, today) if _NUMERIC.match(phrase) else parse_date(phrase)
        if value is not None and value.precision.value == "day" and value.value <= today.isoformat():
            return value
    found = dateline(body)
    if found and found[1] is not None and found[1].value <= today.isoformat():
        return found[1]
    return None
