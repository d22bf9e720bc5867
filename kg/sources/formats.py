"""Format readers: each turns decoded file content into records of (title, text, metadata).

Supported: ``.txt`` (first line the headline when it reads like one), ``.md`` with optional YAML
front matter, ``.html`` / ``.htm`` (page chrome stripped; metadata from <meta>, JSON-LD and
<time>), ``.json`` (one object or a list of objects) and ``.jsonl`` (one object per line).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from kg.errors import InputError
from kg.sources.metadata import pick

SUPPORTED = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson")


@dataclass
class Record:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    key: str | None = None  # position inside a multi-article file ("3" = line 3)


# --- plain text and markdown ------------------------------------------------------------------


def read_txt(content: str, path: object) -> Iterator[Record]:
    yield Record(content)


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read_md(content: str, path: object) -> Iterator[Record]:
    meta: dict[str, Any] = {}
    m = _FRONT.match(content)
    if m:
        import yaml

        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            where = f" at line {line + 2}" if line is not None else ""
            raise InputError(path, f"YAML front matter is not valid{where}", "fix its syntax") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise InputError(path, "YAML front matter must be a mapping", "write key: value lines")
        meta = loaded or {}
        content = content[m.end():]
    text = markdown_to_text(content)
    if "title" not in meta:
        h1 = re.match(r"\A\s*#\s+(.+)\n", content)
        if h1:
            meta["title"] = markdown_to_text(h1.group(1)).strip()
    yield Record(text, meta)


def markdown_to_text(md: str) -> str:
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    md = re.sub(r"<!--.*?-->", "", md, flags=re.S)
    md = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", md)  # images
    md = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", md)  # links
    md = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", md)
    md = re.sub(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", "", md, flags=re.M)  # link definitions
    md = re.sub(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$", r"\1\n", md, flags=re.M)  # headings
    md = re.sub(r"^\s{0,3}>\s?", "", md, flags=re.M)  # quotes
    md = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", md, flags=re.M)  # list markers
    md = re.sub(r"^\s*(?:[-*_]\s*){3,}$", "", md, flags=re.M)  # rules
    md = re.sub(r"(\*\*|__)(.+?)\1", r"\2", md)
    md = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", md)
    md = re.sub(r"`([^`]*)`", r"\1", md)
    md = re.sub(r"<[^>]+>", "", md)
    return md


# --- HTML -------------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
         "form", "button", "select", "iframe", "object", "canvas", "figure", "menu", "dialog"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
          "ul", "ol", "blockquote", "br", "tr", "table", "pre", "dd", "dt", "hr", "address"}
_CHROME = re.compile(r"\b(?:share|social|newsletter|related|promo|advert|cookie|subscribe|"
                     r"comments?|breadcrumbs?|sidebar|tags|site-header|site-footer)\b")
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


class _PageParser(HTMLParser):
    """Collect readable text per top-level container plus page metadata. Event-driven, so any
    nesting depth is safe."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.open: Counter[str] = Counter()
        self.skip_depth = 0
        self.chunks: dict[str, list[str]] = {"article": [], "main": [], "body": [], "all": []}
        self.meta: dict[str, Any] = {}
        self.title_parts: list[str] = []
        self.h1: list[str] = []
        self.in_title = self.in_h1 = self.in_ldjson = False
        self.ldjson: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(a)
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower() and a.get("href"):
            self.meta.setdefault("url", a["href"])
            return
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag == "script" and "ld+json" in a.get("type", ""):
            self.in_ldjson = True
        if tag in _VOID:
            if tag in _BLOCK:
                self._text("\n")
            return
        classes = (a.get("class", "") + " " + a.get("id", "")).lower()
        chrome = _CHROME.search(classes) is not None
        skips = tag in _SKIP or chrome or a.get("aria-hidden") == "true" or "hidden" in a
        self.stack.append((tag, skips))
        self.open[tag] += 1
        if skips:
            self.skip_depth += 1
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK:
            self._text("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "script":
            self.in_ldjson = False
        if not self.open[tag]:
            return  # stray end tag
        while self.stack:
            top, skips = self.stack.pop()
            self.open[top] -= 1
            if skips:
                self.skip_depth -= 1
            if top == "title":
                self.in_title = False
            if top == "h1":
                self.in_h1 = False
            if top == tag:
                break
        if tag in _BLOCK:
            self._text("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_ldjson:
            self.ldjson.append(data)
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.in_h1 and not self.skip_depth:
            self.h1.append(data)
        if not self.skip_depth:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.skip_depth:
            return
        self.chunks["all"].append(data)
        for container in ("article", "main", "body"):
            if self.open[container]:
                self.chunks[container].append(data)

    def _meta(self, a: dict[str, str]) -> None:
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        value = a.get("content", "")
        if not value:
            return
        mapping = {
            "og:title": "title", "twitter:title": "title", "headline": "title",
            "article:published_time": "published", "datepublished": "published",
            "date": "published", "pubdate": "published", "dc.date": "published",
            "dcterms.issued": "published", "publish-date": "published",
            "author": "authors", "article:author": "authors", "dc.creator": "authors",
            "og:site_name": "publisher", "publisher": "publisher", "dc.publisher": "publisher",
            "og:url": "url",
        }
        if key in mapping:
            self.meta.setdefault(mapping[key], value)


def read_html(content: str, path: object) -> Iterator[Record]:
    parser = _PageParser()
    try:
        parser.feed(content)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything raised here is a real defect
        raise InputError(path, f"cannot parse HTML: {exc}", "check the file is a web page") from exc
    meta = dict(parser.meta)
    for blob in parser.ldjson:
        _merge_ldjson(blob, meta)
    if "published" not in meta and "time" in meta:
        meta["published"] = meta["time"]
    meta.pop("time", None)
    if "title" not in meta:
        h1 = " ".join("".join(parser.h1).split())
        page_title = " ".join("".join(parser.title_parts).split())
        if h1:
            meta["title"] = h1
        elif page_title:
            meta["title"] = re.split(r"\s+[|–—-]\s+", page_title)[0]
    for container in ("article", "main", "body", "all"):
        text = "".join(parser.chunks[container])
        if text.strip():
            break
    else:
        raise InputError(path, "HTML page has no readable text", "check it is the article page")
    yield Record(text, meta)


def _merge_ldjson(blob: str, meta: dict[str, Any]) -> None:
    try:
        data = json.loads(blob)
    except ValueError:
        return
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(k in {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"} for k in kinds):
            continue
        for field_name, key in (("title", "headline"), ("published", "datePublished"),
                                ("authors", "author"), ("publisher", "publisher"), ("url", "url")):
            if item.get(key) and field_name not in meta:
                meta[field_name] = item[key]


# --- JSON -------------------------------------------------------------------------------------


def _record(obj: Any, path: object, where: str) -> Record:
    if not isinstance(obj, dict):
        raise InputError(path, f"{where}: expected a JSON object with a \"text\" field",
                         "write {\"title\": ..., \"text\": ...}")
    text = pick(obj, "text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, f"{where}: no article text (fields text/body/content)",
                         "add a non-empty \"text\" field")
    meta = {k: pick(obj, k) for k in ("title", "url", "published", "authors", "publisher", "id")}
    fmt = str(obj.get("format", "")).lower()
    if fmt in {"html", "text/html"}:
        text = next(read_html(text, path)).text
    return Record(text, {k: v for k, v in meta.items() if v is not None})


def read_json(content: str, path: object) -> Iterator[Record]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                         "fix the JSON syntax") from exc
    items = data if isinstance(data, list) else data.get("articles", [data]) if isinstance(data, dict) else [data]
    if isinstance(data, dict) and "articles" in data and not isinstance(items, list):
        items = [data]
    for i, obj in enumerate(items):
        rec = _record(obj, path, f"item {i}" if isinstance(data, list) else "object")
        rec.key = str(i) if isinstance(data, list) else None
        yield rec


def read_jsonl(lines: Iterator[tuple[int, str | InputError]], path: object) -> Iterator[Record | InputError]:
    """One article per line. A bad line is reported (with its number) and the rest are read."""
    for lineno, line in lines:
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{path}:{lineno}", f"invalid JSON on line {lineno}: {exc.msg}",
                             "fix or remove that line")
            continue
        try:
            rec = _record(obj, f"{path}:{lineno}", f"line {lineno}")
        except InputError as exc:
            yield exc
            continue
        rec.key = str(lineno)
        yield rec
