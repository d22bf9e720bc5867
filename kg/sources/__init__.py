"""Reading articles from files and directories.

:func:`read_articles` yields one :class:`~kg.model.Article` per article found, or an
:class:`~kg.errors.InputError` for each one that cannot be read, so a directory of mixed good
and bad files is read to the end and the failures can be listed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.model import Article
from kg.sources import formats
from kg.sources.boilerplate import clean
from kg.sources.decode import decode_bytes
from kg.sources.metadata import (
    as_authors,
    as_publisher,
    is_sidecar,
    load_sidecar,
    published_from,
    sidecar_for,
    stated_date,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ID_MODES = ("url", "path", "hash")  # --id-from: where ids come from (anything else names a folder)
MAX_CHARS = 1_000_000  # spaCy's limit for one document

__all__ = ["read_articles", "article_from_text", "iter_files", "DEFAULT_MAX_BYTES", "MAX_CHARS"]


def iter_files(path: Path) -> Iterator[Path]:
    """Article files under ``path`` in a stable order (hidden files and sidecars skipped)."""
    if path.is_file():
        yield path
        return
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            if is_sidecar(p) or p.suffix.lower() not in formats.SUPPORTED:
                continue
            yield p


def read_articles(
    path: str | os.PathLike[str],
    *,
    id_prefix: str = "",
    id_from: str | os.PathLike[str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
) -> Iterator[Article | InputError]:
    """Yield every article under ``path`` (a file or a directory), or the error for each file
    or record that cannot be read.

    An article's id is ``id_prefix`` plus, by ``id_from``: ``"url"`` (the default) a record's id
    field, else the canonical URL, else the path; ``"path"`` the id field, else the path (URLs
    ignored); ``"hash"`` ``hash-`` and the first 16 hex digits of the text's hash (the same text
    saved twice is one article); or a folder: the id field or URL, else the path relative to that
    folder (so ``politics/001`` and ``business/001`` stay apart however the folders are named on
    the command line). The path is without its extension, relative to ``path`` unless a folder
    is given (a file given alone: its name)."""
    root = Path(path)
    if not root.exists():
        yield InputError(root, "no such file or directory", "check the path")
        return
    mode = str(id_from) if id_from is not None and str(id_from) in ID_MODES else "url"
    id_root = Path(id_from).resolve() if id_from is not None and mode == "url" and str(id_from) != "url" else None
    if id_root is not None and not id_root.is_dir():
        yield InputError(Path(str(id_from)), "--id-from names no folder",
                         "give url, path, hash or the folder the ids are relative to")
        return
    if root.is_file() and root.suffix.lower() not in formats.SUPPORTED:
        yield InputError(root, f"unsupported file type {root.suffix or '(none)'!r}",
                         "give .txt, .md, .html, .json or .jsonl")
        return
    for file in iter_files(root):
        if id_root is not None:
            try:
                rel = file.resolve().relative_to(id_root).as_posix()
            except ValueError:
                yield InputError(file, f"not inside the --id-from folder {id_from}",
                                 "give a folder that holds every input, or leave --id-from out")
                continue
        else:
            rel = file.name if root.is_file() else file.relative_to(root).as_posix()
        base_id = id_prefix + rel.rsplit(".", 1)[0]
        try:
            for item in _read_file(file, base_id, id_prefix, max_bytes, encoding, mode):
                if mode == "hash" and isinstance(item, Article):
                    item = dataclasses.replace(item, id=f"{id_prefix}hash-{item.content_hash[:16]}")
                yield item
        except InputError as exc:
            yield exc


def _read_file(file: Path, base_id: str, prefix: str, max_bytes: int,
               encoding: str | None, mode: str = "url") -> Iterator[Article | InputError]:
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise InputError(file, f"cannot read: {exc.strerror}", "check the path and permissions") from exc
    suffix = file.suffix.lower()
    sidecar = sidecar_for(file)
    side_meta = load_sidecar(sidecar) if sidecar else {}
    if suffix in (".jsonl", ".ndjson"):
        yield from _read_jsonl(file, base_id, prefix, max_bytes, encoding, side_meta, mode)
        return
    if size > max_bytes:
        raise InputError(file, f"file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit",
                         "split it, or raise the limit with --max-bytes")
    if size == 0:
        raise InputError(file, "file is empty", "remove it or add the article text")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(file, f"cannot read: {exc.strerror}", "check the path and permissions") from exc
    content, _ = decode_bytes(data, file, encoding)
    if not content.strip():
        raise InputError(file, "file holds only whitespace", "remove it or add the article text")
    reader = {
        ".txt": formats.read_txt, ".text": formats.read_txt,
        ".md": formats.read_md, ".markdown": formats.read_md,
        ".html": formats.read_html, ".htm": formats.read_html,
        ".json": formats.read_json,
    }[suffix]
    records = list(reader(content, file))
    for rec in records:
        meta = {**rec.meta, **side_meta}
        rid = base_id if rec.key is None or len(records) == 1 else f"{base_id}#{rec.key}"
        try:
            yield article_from_text(rec.text, meta, _article_id(meta, rid, prefix, mode), str(file))
        except InputError as exc:
            yield exc


def _read_jsonl(file: Path, base_id: str, prefix: str, max_bytes: int, encoding: str | None,
                side_meta: dict[str, Any], mode: str = "url") -> Iterator[Article | InputError]:
    def lines() -> Iterator[tuple[int, str | InputError]]:
        try:
            handle = file.open("rb")
        except OSError as exc:
            raise InputError(file, f"cannot read: {exc.strerror}", "check the path and permissions") from exc
        with handle:
            for lineno, raw in enumerate(handle, 1):
                if len(raw) > max_bytes:
                    yield lineno, InputError(f"{file}:{lineno}", f"line {lineno} is {len(raw) / 1e6:.1f} MB, "
                                             f"above the {max_bytes / 1e6:.0f} MB limit",
                                             "split it, or raise the limit with --max-bytes")
                    continue
                try:
                    text, _ = decode_bytes(raw, f"{file}:{lineno}", encoding or "utf-8-sig")
                except InputError as exc:
                    yield lineno, exc
                    continue
                yield lineno, text

    for item in formats.read_jsonl(lines(), file):
        if isinstance(item, InputError):
            yield item
            continue
        meta = {**side_meta, **item.meta}
        try:
            yield article_from_text(item.text, meta, _article_id(meta, f"{base_id}#{item.key}", prefix, mode),
                                    f"{file}:{item.key}")
        except InputError as exc:
            yield exc


def _article_id(meta: dict[str, Any], fallback: str, prefix: str, mode: str = "url") -> str:
    """An explicit id, else the canonical URL (unless ``mode`` is ``path``), else the path-based
    fallback (already prefixed)."""
    if meta.get("id"):
        return prefix + str(meta["id"])
    if meta.get("url") and mode == "url":
        return prefix + str(meta["url"]).strip()
    return fallback


def article_from_text(text: str, meta: dict[str, Any] | None = None, article_id: str | None = None,
                      source: str | None = None) -> Article:
    """Build an :class:`Article` from raw text and metadata: boilerplate removed, title split
    off, publication date taken from the metadata or from the date the page states (its header
    or dateline); never guessed."""
    meta = dict(meta or {})
    given_title = meta.get("title")
    cleaned = clean(text, str(given_title) if given_title else None)
    title = cleaned.title
    body = cleaned.body
    where = source or article_id or "<text>"
    if not body.strip():
        raise InputError(where, "no article text left after removing page boilerplate",
                         "check the file holds an article")
    full = f"{title}\n\n{body}" if title else body
    if len(full) > MAX_CHARS:
        raise InputError(where, f"article has {len(full):,} characters, above the {MAX_CHARS:,} limit",
                         "split it into several articles")
    published = published_from(meta, where) or stated_date(cleaned.dates, body)
    authors = as_authors(meta.get("authors")) or cleaned.authors
    publisher = as_publisher(meta.get("publisher")) or cleaned.publisher
    url = str(meta["url"]).strip() if meta.get("url") else None
    return Article(
        id=article_id or str(meta.get("id") or "") or url or "article",
        text=full,
        title=title,
        url=url,
        published=published,
        authors=tuple(authors),
        publisher=publisher,
        byline=cleaned.byline,
        source=source,
        title_end=len(title) if title else 0,
    )
