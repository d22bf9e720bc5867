"""Turn the bytes of a file into text: UTF-8 (with or without BOM), UTF-16 with BOM, or a
detected legacy code page (Windows-1251, KOI8-R, Latin-1...)."""

from __future__ import annotations

import codecs
import unicodedata

from kg.errors import InputError

# Control characters other than tab, newline and carriage return never belong in article text.
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)}
_CONTROL.update({0x7F: None, 0xFEFF: None, 0x200B: None})


def looks_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) or a high share of control bytes mean not text."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


def decode_bytes(data: bytes, path: object, encoding: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding used)``; raise :class:`InputError` for binary or undecodable data.

    ``encoding`` forces a codec (``--encoding``). Otherwise UTF-8 is tried first (a BOM is
    dropped), then UTF-16 by BOM, then charset detection, which must be confident.
    """
    if encoding:
        try:
            return _clean(data.decode(encoding)), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(path, f"cannot decode as {encoding}: {exc}", "check --encoding") from exc
    if looks_binary(data):
        raise InputError(path, "binary file, not text", "give .txt, .md, .html, .json or .jsonl")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _clean(data.decode("utf-16")), "utf-16"
    try:
        return _clean(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    if guess is None:
        raise InputError(
            path,
            "not UTF-8 and the encoding could not be detected",
            "convert it to UTF-8 or pass --encoding, e.g. --encoding cp1251",
        )
    return _clean(data.decode(guess, errors="strict")), guess


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    name = codecs.lookup(best.encoding).name
    # Single-byte Cyrillic pages are easy to confuse; prefer the one whose text reads as Russian.
    if name in {"cp1251", "koi8-r", "koi8-u", "mac-cyrillic", "cp866", "iso8859-5"}:
        name = _best_cyrillic(data) or name
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


_COMMON_RU = ("о", "е", "а", "и", "н", "т", "с", "р", "в", "л")


def _best_cyrillic(data: bytes) -> str | None:
    """Pick the Cyrillic code page under which the most frequent Russian letters dominate."""
    best, best_score = None, -1.0
    for cand in ("cp1251", "koi8-r", "iso8859-5", "cp866"):
        try:
            text = data.decode(cand)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text.lower() if "а" <= c <= "я" or c == "ё"]
        if not letters:
            continue
        score = sum(1 for c in letters if c in _COMMON_RU) / len(letters)
        if score > best_score:
            best, best_score = cand, score
    return best


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL)
