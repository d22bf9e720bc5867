"""Article metadata: sidecar files, field aliases, and publication dates inferred from the
text when no metadata gives one."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from kg.dates import MONTH_RE, MONTHS, month_value, parse_date, year_value
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


_YEAR = re.compile(r"(?<![\d,.])((?:19|20)\d\d)(?![\d,]|s\b|-year)")
_MONTH_MENTION = re.compile(
    rf"(?P<before>\b\w+\s+)?(?P<month>{MONTH_RE})(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b)?"
    rf"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?P<month>{MONTH_RE})(?:\s+(?P<year>\d{{4}}))?")


def infer_date(text: str, today: dt.date | None = None) -> DateValue | None:
    """Guess the publication month from the text: the latest year mentioned (not in the
    future), then the latest month of that year mentioned as a date ("May 12", "on March 28",
    "January 2006"), skipping "last August" which points back. Precision is month when a month is
    found, else year; ``inferred`` is set and ``expression`` says what it rests on."""
    today = today or dt.date.today()
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= today.year]
    if not years:
        return None
    year = max(years)
    months: list[tuple[int, str]] = []
    for m in _MONTH_MENTION.finditer(text):
        before = (m.group("before") or "").strip().lower()
        has_day, has_year = bool(m.group("day")), bool(m.group("year"))
        if before in {"last", "next", "since", "until", "before"}:
            continue
        if not (has_day or has_year or before in {"in", "on", "this", "early", "late", "mid", "of"}):
            continue
        if has_year and int(m.group("year")) != year:
            continue
        months.append((MONTHS[m.group("month").lower().rstrip(".")], m.group(0).strip()))
    for m in _DAY_MONTH.finditer(text):
        if m.group("year") and int(m.group("year")) != year:
            continue
        months.append((MONTHS[m.group("month").lower().rstrip(".")], m.group(0).strip()))
    if months:
        month, phrase = max(months)
        return month_value(year, month, f"inferred from the text: latest year {year}, latest "
                           f"date mentioned {phrase!r}", inferred=True)
    return year_value(year, f"inferred from the text: latest year mentioned {year}", inferred=True)
