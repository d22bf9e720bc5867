"""The top of a scraped page, line by line: where the headline is, and what around it is page
chrome rather than article.

Text pasted from a web page starts with whatever the page showed above the story: site names and
slogans, menus and breadcrumbs ("Home > World > Asia"), "Accessibility links", "Breaking News",
date and time lines, bylines, agency credit lines ("AFP, Srinagar"), a repeated headline. The
lines before the first line of prose are the *header*. Its headline is a line that reads like one
(a capitalised phrase of 3-22 words, no closing full stop), preferably one the page repeats, else
the last such line before the story begins (but not a longer deck that follows the headline);
everything above the headline is page chrome, and so are the chrome, date, byline and credit lines
below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.dates import MONTH_RE

DATA = Path(__file__).parent / "data"
MAX_HEADER_LINES = 16
MAX_HEADER_CHARS = 2500


@cache
def chrome_phrases() -> frozenset[str]:
    """Lines that are page furniture wherever they stand (``data/chrome.txt``), lower case."""
    out = set()
    for line in (DATA / "chrome.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(line.casefold())
    return frozenset(out)


_BREADCRUMB = re.compile(r"^[^\n.!?]{1,50}(?:\s+[>»›/|•]\s+[^\n.!?]{1,50}){2,}$")
_LABELLED_TEASER = re.compile(r"^(?:read|read more|also read|related|recommended|see also|watch|listen|more|"
                              r"more on this|latest|opinion|video|photos?|gallery|trending)\s*:\s+\S.{2,}$", re.I)
_PUBLICATION = re.compile(r"^(?:publication|volume|issue|section|category|categories|tags?|filed under|topics?)\s*:",
                          re.I)
_BYLINE = re.compile(r"^(?:by|written by|reporting by|[-–—•]\s*)\s*(?P<who>[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3}"
                     r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]+(?:[ -][A-Z][\w'’.-]+){0,3})*)\s*$")
_BY_OUTLET = re.compile(r"^by\s+(?:the\s+)?[A-Z][^\n]{1,60}$", re.I)
#: international news agencies and their usual credits (general knowledge)
AGENCIES = ("AFP", "AP", "Reuters", "Xinhua", "EFE", "dpa", "DPA", "ANSA", "ANI", "PTI", "IANS", "UNI", "Interfax",
            "TASS", "ITAR-TASS", "RIA Novosti", "Anadolu", "Anadolu Agency", "IRNA", "Kyodo", "Yonhap", "Bernama",
            "Antara", "APA", "Trend", "AKIpress", "Kabar", "24.kg", "Asia-Plus", "Fergana", "RFE/RL", "BBC", "CNN",
            "Al Jazeera", "KUNA", "WAM", "SPA", "MENA", "NAN", "APS", "Sputnik", "UPI", "AAP", "CP", "Agencies",
            "Agence France-Presse", "Associated Press", "Deutsche Presse-Agentur", "Press Trust of India")
_AGENCY = "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True))
#: "Ann Lee, Reuters", "Ann Lee / AFP": a writer's name and the agency, a byline without "by"
_NAME_AGENCY = re.compile(rf"^[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){{1,3}}\s*[,/|–—-]\s*(?:{_AGENCY})$")
_CREDIT = re.compile(rf"^\(?(?:{_AGENCY})\)?(?:\s*[,/–—-]\s*[A-Z][\w .'-]{{1,40}})?$")
_TIME = r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?"
_NAMED_DATE = (rf"(?:{_WEEKDAY},?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_RE},?\s+(?:19|20)\d\d|"
               rf"{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)")
_NUMERIC_DATE = r"(?:19|20)\d\d-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?|(?:19|20)\d\d/\d\d/\d\d|\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d"
DATE_IN_LINE = re.compile(rf"(?<![\w/.-])(?:{_NAMED_DATE}|{_NUMERIC_DATE})(?![\w/-])")
_UPDATED = re.compile(r"\b(?:updated|modified|edited|last updated|last modified|revised)\b\s*:?\s*$", re.I)
_PUBLISHED_LABEL = re.compile(r"\b(?:published|posted|date|dated|first published|released|issued)\s*:?\s*$", re.I)


@dataclass
class HeaderLine:
    text: str
    kind: str  # headline | chrome | date | byline | credit | writer ("Ann Lee, Reuters": kept) | other
    dates: list[tuple[str, bool]] = field(default_factory=list)  # (date text, labelled "updated")


def is_prose(line: str) -> bool:
    """A line of running text: a sentence, or too long for a headline."""
    words = line.split()
    if len(words) > 22:
        return True
    if len(words) >= 10 and re.search(r"[a-z]{2}[.!?][”\"]?\s+[A-Z]", line):
        return True  # two sentences or more, whatever it ends with ("... in Kandar. REUTERS/Ann Lee")
    return len(words) >= 8 and line.rstrip().endswith((".", "!", "?", ".”", '."', "…")) and not _only_date(line)


def _only_date(line: str) -> bool:
    rest = DATE_IN_LINE.sub(" ", line)
    rest = re.sub(_TIME, " ", rest)
    rest = re.sub(rf"\b(?:{_WEEKDAY}|at|on|updated|published|posted|date|dated|last|gmt|utc|edt|est|bst|cet|am|pm)\b",
                  " ", rest, flags=re.I)
    return DATE_IN_LINE.search(line) is not None and not re.search(r"[A-Za-z]{2,}", rest)


def dates_in(line: str) -> list[tuple[str, bool]]:
    """Dates written in a header line, each with whether it is labelled as an update."""
    out = []
    for m in DATE_IN_LINE.finditer(line):
        before = line[:m.start()]
        out.append((m.group(0), bool(_UPDATED.search(before)) and not _PUBLISHED_LABEL.search(before[-20:])))
    return out


def byline_of(line: str) -> str | None:
    """The names of a byline line ("By Ann Lee and Bo Chen", "- Ann Lee"), or None."""
    m = _BYLINE.match(line.strip())
    return m.group("who").strip() if m else None


def published_in(line: str) -> list[tuple[str, bool]]:
    """Dates a line of the story's first lines labels as the publication date ("Posted on May
    12, 2006 by the desk", "Published: 12.05.2006")."""
    out = []
    for m in DATE_IN_LINE.finditer(line):
        if _PUBLISHED_LABEL.search(line[max(0, m.start() - 24):m.start()].replace(" on", "")):
            out.append((m.group(0), False))
    return out


def is_teaser(line: str) -> bool:
    """A labelled link to another story: "Read: ...", "Recommended: ..."."""
    return bool(_LABELLED_TEASER.match(line.strip()))


#: words of a row of share and follow buttons ("Share on Facebook Share on Twitter WhatsApp")
_SOCIAL = {"share", "on", "facebook", "twitter", "whatsapp", "email", "e-mail", "mail", "print", "linkedin", "telegram",
           "reddit", "pinterest", "copy", "link", "messenger", "tweet", "x", "vk", "viber", "flipboard", "this",
           "article", "story", "follow", "us", "via", "sms", "comments", "comment", "save", "bluesky", "threads",
           "instagram", "youtube", "tiktok", "|", "•", "·", "/"}


def is_chrome(line: str) -> bool:
    low = " ".join(line.casefold().split()).strip(" .:|•·-–—")
    if not low:
        return True
    if low in chrome_phrases():
        return True
    words = low.replace(",", " ").split()
    if words and all(w in _SOCIAL for w in words) and any(w in _SOCIAL - {"on", "this", "us", "via", "article",
                                                                            "story", "|", "•", "·", "/"} for w in words) \
            and len(words) <= 16 and ("share" in words or "follow" in words or len(words) >= 2 and len(set(words)) >= 2
                                      and sum(w in {"facebook", "twitter", "whatsapp", "email", "telegram", "linkedin"}
                                              for w in words) >= 2):
        return True  # a row of share buttons
    if _BREADCRUMB.match(line) or _LABELLED_TEASER.match(line) or _PUBLICATION.match(line):
        return True
    if line.startswith(("http://", "https://", "www.")) and " " not in line.strip():
        return True
    return False


def looks_like_headline(line: str) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 22 or is_prose(line):
        return False
    if line.rstrip().endswith((".", ",", ";", ":", "...", "…")) or re.match(r"[-–—•*|>»·]", line):
        return False
    letters = [w.strip("\"“”‘’'()[]") for w in words if re.search(r"[^\W\d_]", w)]
    return len(letters) >= 2 and any(w[:1].isupper() for w in letters)


def classify(line: str) -> HeaderLine:
    dates = dates_in(line)
    if is_chrome(line):
        return HeaderLine(line, "chrome", dates)
    if dates and _only_date(line):
        return HeaderLine(line, "date", dates)
    if _CREDIT.match(line.strip()):
        return HeaderLine(line, "credit", dates)
    if _NAME_AGENCY.match(line.strip()):
        return HeaderLine(line, "writer", dates)  # no headline; kept, as the name is a person of the story's page
    if _BYLINE.match(line.strip()) or _BY_OUTLET.match(line.strip()) and len(line.split()) <= 8:
        return HeaderLine(line, "byline", dates)
    if dates and len(line.split()) <= 14 and not looks_like_headline(DATE_IN_LINE.sub("", line)):
        return HeaderLine(line, "date", dates)  # "English 05/08/2020 11:23 Newsroom Mexico City"
    if looks_like_headline(line):
        return HeaderLine(line, "headline", dates)
    return HeaderLine(line, "other", dates)


def _key(line: str) -> str:
    return re.sub(r"^\d+\s+", "", " ".join(re.sub(r"[^\w\s]", " ", line.casefold()).split()))


@dataclass
class Header:
    lines: list[HeaderLine]  # the header, in order
    title: int | None  # index of the headline in ``lines``
    body_start: int  # number of text lines the header takes

    def dates(self) -> list[tuple[str, bool]]:
        return [d for h in self.lines for d in h.dates]


def read_header(lines: list[str]) -> Header:
    """The header of a page given as its non-empty lines (see the module docstring)."""
    header: list[HeaderLine] = []
    size = 0
    for line in lines[:MAX_HEADER_LINES]:
        if is_prose(line) or size > MAX_HEADER_CHARS:
            break
        header.append(classify(line))
        size += len(line)
    candidates = [i for i, h in enumerate(header) if h.kind == "headline"]
    title = None
    if candidates:
        keys = [_key(header[i].text) for i in candidates]
        repeated = [i for i, k in zip(candidates, keys) if keys.count(k) > 1]
        title = repeated[-1] if repeated else candidates[-1]
        # a headline followed by its deck (a longer summary line): the headline
        if not repeated and title - 1 in candidates:
            deck, head = len(header[title].text.split()), len(header[title - 1].text.split())
            if deck >= 12 and deck >= 1.5 * head and head >= 4:
                title -= 1
    return Header(header, title, len(header))
