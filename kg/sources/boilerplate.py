"""Remove web-page boilerplate from article text and pick up the metadata it carries.

Works on paragraphs (blocks separated by blank lines) of any article, whatever format it came
in. Removed: a site banner ("Site name | Slogan"), bylines ("By ..."), paragraphs repeated
from earlier in the page (a headline printed twice), calls to action ("Support our
journalists", "Subscribe"), and teaser lists of other articles at the end ("More ...",
"Related stories", "Read more"). Paragraphs split in the middle of a sentence by scraping are
joined again. Author bio lines at the end ("X is a freelance journalist in Bishkek.") are kept
as text and also reported as authors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.sources.header import byline_of, classify, dates_in, is_chrome, is_prose, is_teaser, published_in, read_header

_WS = re.compile(r"[ \t\u00a0]+")
_BANNER = re.compile(r"^(?P<site>[^|.!?\n]{3,90}?)\s+[|–—]\s+(?P<slogan>[^|.!?\n]{3,90})$")
_BYLINE = re.compile(r"^(?:by|written by|reporting by)\s+(?P<who>[^\n.]{2,100})$", re.I)
_TEASER_HEAD = re.compile(
    r"^(?:more(?:\s+from|\s+on|\s+stories|\s+news)?\b|related(?:\s+(?:articles?|stories|content|"
    r"coverage|news))?|read more|also read|see also|you may also like|recommended|"
    r"most (?:read|popular|viewed)|latest(?:\s+(?:news|stories|articles))?|top stories|"
    r"other stories|further reading|more in\b|trending)[^.!?\n]{0,60}:?$",
    re.I,
)
_CTA = re.compile(
    r"^(?:please\s+)?(?:support (?:our|independent) (?:journalis[mt]s?|reporting|work)|donate(?: now)?|"
    r"make a donation|subscribe(?: now| to [^\n]{0,40})?|sign up(?: for [^\n]{0,40})?|"
    r"follow us(?: on [^\n]{0,40})?|share (?:this|on) [^\n]{0,30}|click here[^\n]{0,40}|"
    r"advertisement|sponsored(?: content)?|accept cookies|we use cookies[^\n]{0,80}|"
    r"all rights reserved[^\n]{0,40}|©[^\n]{0,80}|copyright [^\n]{0,80}|print(?: this)?(?: article)?|"
    r"email(?: this)?(?: article)?|comments?(?: \(\d+\))?|back to top|skip to (?:main )?content|"
    r"tweet|facebook|whatsapp|linkedin|newsletter[^\n]{0,40}|download (?:the )?(?:pdf|app))[.!]?$",
    re.I,
)
_AUTHOR_BIO = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}) (?:is|was) (?:a|an|the) "
    r"[^.]{0,80}?\b(?:journalist|correspondent|contributor|reporter|editor|writer|analyst|"
    r"researcher|producer|columnist|commentator|blogger|photographer|stringer|trainee|fellow)\b"
    r"[^.]*\."
)
_TERMINAL = ('.', '!', '?', '"', '”', '’', "'", ':', ')', ']', '…')


@dataclass
class Cleaned:
    title: str | None
    body: str
    publisher: str | None = None
    byline: str | None = None
    authors: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dates: list[tuple[str, bool]] = field(default_factory=list)  # dates in the page header (text, "updated")


def paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n[ \t]*\n", text)
    out = []
    for block in blocks:
        lines = [_WS.sub(" ", line).strip() for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            out.append(block)
    return out


def _norm(p: str) -> str:
    return re.sub(r"\W+", " ", p).strip().casefold()


def _is_title(p: str) -> bool:
    if "\n" in p:
        return False
    words = p.split()
    return 0 < len(words) <= 25 and not p.endswith((".", ",", ";")) and p[0].isupper()


def clean(text: str, known_title: str | None = None) -> Cleaned:
    """Split ``text`` into title and body with boilerplate removed."""
    paras = paragraphs(text)
    removed: list[str] = []
    publisher = byline = None

    # 1. site banner at the very top
    if paras:
        m = _BANNER.match(paras[0])
        if m and "\n" not in paras[0]:
            publisher = m.group("site").strip()
            removed.append(paras.pop(0))

    # 2. teaser lists of other articles: a short "More ..." heading in the second half, and
    #    everything after it
    first_prose = next((i for i, p in enumerate(paras) if is_prose(p)), len(paras))
    for i in range(len(paras) - 1, max(len(paras) // 2, first_prose + 1) - 1, -1):
        if _TEASER_HEAD.match(paras[i]) and len(paras[i].split()) <= 8:
            removed.extend(paras[i:])
            del paras[i:]
            break

    # 3. calls to action, bylines (also as a line inside a paragraph), repeated paragraphs
    kept: list[str] = []
    seen: set[str] = set()
    byline_dates: list[tuple[str, bool]] = []
    for p in paras:
        lines = []
        for line in p.split("\n"):
            if _CTA.match(line) and len(line.split()) <= 10:
                removed.append(line)
                continue
            m = _BYLINE.match(line)
            if m and byline is None and len(line.split()) <= 12:
                byline = m.group("who").strip()
                byline_dates += dates_in(line)  # "By Ann Lee | 14 June 2018"
                removed.append(line)
                continue
            lines.append(line)
        p = "\n".join(lines)
        key = _norm(p)
        if not key or key in seen:
            if p:
                removed.append(p)
            continue
        seen.add(key)
        kept.append(p)

    # 4. the page header: the headline (the given title, else the line that reads like one), with
    #    the chrome above it and the date, byline and credit lines below it removed
    kept, title, header_dates, header_byline = _header(kept, known_title, removed)
    header_dates += byline_dates
    byline = byline or header_byline

    # 5. re-join paragraphs split in mid-sentence ("know-how\n\nand strength")
    joined: list[str] = []
    for p in kept:
        if joined and not joined[-1].endswith(_TERMINAL) and p[:1].islower():
            joined[-1] = joined[-1] + " " + p
        else:
            joined.append(p)

    # Lines inside a paragraph are kept as single newlines (lists, addresses), but a sentence
    # broken over lines is joined.
    body = "\n\n".join(re.sub(r"(?<=[a-z,;])\n(?=[a-z])", " ", p) for p in joined)

    authors: list[str] = []
    for p in joined[-3:]:
        for m in _AUTHOR_BIO.finditer(p):
            name = m.group("name")
            if name not in authors:
                authors.append(name)
    if byline and _looks_like_person_list(byline):
        for name in re.split(r",\s*|\s+and\s+", byline):
            name = name.strip()
            if name and name not in authors:
                authors.append(name)
    return Cleaned(title, body, publisher, byline, authors, removed, header_dates)


def _header(paras: list[str], known_title: str | None, removed: list[str]
            ) -> tuple[list[str], str | None, list[tuple[str, bool]], str | None]:
    """Split the headline off the paragraphs and drop the header's page chrome (see
    :mod:`kg.sources.header`); chrome lines further down go too. Returns the paragraphs left, the
    title, the dates the header states and a byline found there."""
    lines = [(k, line) for k, p in enumerate(paras) for line in p.split("\n")]
    head = read_header([line for _, line in lines])
    title = known_title.strip() if known_title else None
    t = head.title
    if t is not None and t >= len(lines) - 1 and title is None:
        t = None  # a headline with nothing under it is the text itself
    if title is not None:
        t = next((i for i, h in enumerate(head.lines) if _norm(h.text) == _norm(title)), None)
        if t is None and lines and _norm(lines[0][1]) == _norm(title):
            t = 0
    drop: set[int] = set()
    byline = None
    if t is not None:
        title = title or head.lines[t].text
        # the page chrome above the headline (above its first copy, when the page repeats it:
        # what stands between the copies is the story's deck)
        first = next((i for i, h in enumerate(head.lines) if _norm(h.text) == _norm(title)), t)
        drop.update(range(first + 1))
    for i, h in enumerate(head.lines):
        if i in drop:
            continue
        if h.kind in {"chrome", "date", "credit", "byline"} or (
                t is not None and h.kind == "headline" and _norm(h.text) == _norm(title or "")):
            drop.add(i)
            if h.kind == "byline" and byline is None:
                byline = byline_of(h.text)
    dates = head.dates()
    # a date line, or a labelled publication date, just below the header (after a caption)
    for i in range(head.body_start, min(len(lines), head.body_start + 8)):
        h = classify(lines[i][1])
        if h.kind == "date" and not is_prose(h.text):
            dates += h.dates
            drop.add(i)
        else:
            dates += published_in(lines[i][1])
    out: list[list[str]] = [[] for _ in paras]
    for i, (k, line) in enumerate(lines):
        if i in drop or (i >= head.body_start and is_chrome(line) and (len(line.split()) <= 12 or is_teaser(line))):
            removed.append(line)
            continue
        out[k].append(line)
    return ["\n".join(p) for p in out if p], title, dates, byline


_NOT_PERSON_WORDS = re.compile(
    r"(?i:\b(?:staff|desk|team|reporters|correspondents?|news|agency|agencies|service|bureau|"
    r"editorial|institute|press|media|radio|tv|online|office)\b)|\b[A-Z]{2,}\b"
)


def _looks_like_person_list(byline: str) -> bool:
    if _NOT_PERSON_WORDS.search(byline):
        return False
    names = re.split(r",\s*|\s+and\s+", byline)
    return all(re.fullmatch(r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}", n.strip()) for n in names)
