"""Name normalisation: the keys under which name variants meet.

- :func:`norm_key`: case, accents, punctuation, hyphens, apostrophes, a leading article and a
  possessive ending removed ("the Fergana Valley" / "Fergana valley" -> "fergana valley").
- :func:`spelling_key`: also folds spelling families common in transliterated names (kh/h,
  dzh/zh/dj/j, y/i, -yev/-iev/-ev, q/k, ou/u, doubled letters), so "Aliyev" / "Aliev" and
  "Mikhail" / "Mihail" meet.
- :func:`damerau` for typos ("Stcokholm" / "Stockholm").

All functions are pure and idempotent (property-tested).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i", "ß": "ss",
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
    "ʻ": "", "ʼ": "", "‘": "", "’": "", "`": "", "´": "", "'": "", "ʹ": "", "ʿ": "", "ʾ": "",
    "–": " ", "—": " ", "‐": " ", "‑": " ", "‒": " ", "-": " ", "_": " ", "/": " ", ".": " ",
    "&": " and ",
})
# Russian Cyrillic to Latin (BGN/PCGN-like, simplified), so "Бишкек" and "Bishkek" meet.
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
    "є": "ye", "ґ": "g", "ў": "u", "қ": "k", "ғ": "g", "ҳ": "h", "ң": "ng", "ө": "o", "ү": "u",
    "ұ": "u", "ә": "a", "һ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u",
})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_LEADING = re.compile(r"^(?:the|a|an|al|el)\s+(?=\S)")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents removed, special letters spelled out, apostrophes dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _POSSESSIVE.sub(lambda m: "s" if m.group(0).startswith("s") else "", text.strip())
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_CYRILLIC)
    return unicodedata.normalize("NFC", stripped).casefold()


@lru_cache(maxsize=65536)
def norm_key(name: str) -> str:
    """The key that case, punctuation, hyphens, apostrophes and a leading article do not
    change."""
    text = _NON_WORD.sub(" ", fold(name)).strip()
    prev = None
    while prev != text:
        prev = text
        text = _LEADING.sub("", text) if text.startswith(("the ", "a ", "an ")) else text
    return " ".join(text.split())


# Spelling families, applied to each word of a norm_key in this order.
_FAMILIES = (
    (re.compile(r"dzh|dj|zh"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(\w)\1+"), r"\1"),
)


@lru_cache(maxsize=65536)
def spelling_key(name: str) -> str:
    """A coarser key that also folds transliteration spelling families."""
    key = norm_key(name)
    while True:
        folded = norm_key(" ".join(_fold_word(w) for w in key.split()))
        if folded == key:
            return key
        key = folded


def _fold_word(word: str) -> str:
    if word.isdigit():
        return word
    for rx, repl in _FAMILIES:
        word = rx.sub(repl, word)
    return re.sub(r"iev$", "ev", word)


def acronym(name: str) -> str:
    """Initials of the content words: "Islamic Movement of Uzbekistan" -> "imu"."""
    words = [w for w in norm_key(name).split() if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words if w)


_ACRONYM_SKIP = {"of", "the", "for", "and", "in", "on", "de", "du", "des", "la", "le", "al", "el",
                 "to", "a", "an", "et", "und", "der", "die"}


def is_acronym(surface: str) -> bool:
    """"IMU", "RFE/RL", "U.N." look like acronyms; "Nato" is handled by the lexicon."""
    letters = re.sub(r"[^A-Za-z]", "", surface)
    return 2 <= len(letters) <= 8 and letters.isupper() and " " not in surface.strip()


def damerau(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment edit distance, stopping early above ``limit``.

    The resolver calls this for every stored label a new name might be a typo of, so the common
    cases are cheap: the shared prefix and suffix are cut off first (they never change the
    distance), and one edit is recognised without the dynamic programme."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    i, n = 0, min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    j = 0
    while j < n - i and a[-1 - j] == b[-1 - j]:
        j += 1
    a, b = a[i:len(a) - j], b[i:len(b) - j]
    if len(a) <= 1 and len(b) <= 1:  # a substitution, an insertion or a deletion
        return 1
    if len(a) == len(b) == 2 and a[0] == b[1] and a[1] == b[0]:  # a transposition
        return 1
    if limit <= 1:  # cut to its core, anything else is at least two edits apart
        return limit + 1
    return _osa(a, b, limit)


def _osa(a: str, b: str, limit: int) -> int:
    """The optimal-string-alignment dynamic programme inside the band |i - j| <= ``limit`` (cells
    outside it are above the limit anyway), stopping as soon as a whole row is above it."""
    big = limit + 1
    lb = len(b)
    prev2: list[int] = []
    prev = [j if j <= limit else big for j in range(lb + 1)]
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        cur = [big] * (lb + 1)
        cur[0] = best = i if i <= limit else big
        for j in range(max(1, i - limit), min(lb, i + limit) + 1):
            cb = b[j - 1]
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and prev2[j - 2] + 1 < v:
                v = prev2[j - 2] + 1
            cur[j] = v if v < big else big
            if v < best:
                best = v
        if best > limit:
            return big
        prev2, prev = prev, cur
    return prev[lb]


def masked(words: list[str]) -> tuple[tuple[str, ...], ...]:
    """A name of 3+ words with its first, and with its last, word masked: two names that differ
    only there share a key ("Islamic Movement of *")."""
    if len(words) < 3:
        return ()
    return (("*", *words[1:]), (*words[:-1], "*"))


def typo_match(a: str, b: str) -> bool:
    """Two keys that differ by a typo: one edit for names of 6+ letters, two for 10+ letters
    (never for short names, where one letter changes the name)."""
    if a == b:
        return True
    n = min(len(a), len(b))
    if n < 6 or a[0] != b[0]:
        return False
    allowed = 2 if n >= 10 else 1
    return damerau(a, b, allowed) <= allowed


def name_typo_match(a: str, b: str) -> bool:
    """Two person keys that differ by a typo in one of their words, judged on that word alone
    (:func:`typo_match`): "jonathan smithers" / "jonathon smithers", but not "kevin hogan" /
    "kevin kegan", where a short surname changes and so does the person."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    differ = [(x, y) for x, y in zip(wa, wb) if x != y]
    return len(differ) <= 1 and all(typo_match(x, y) for x, y in differ)


def slugify(text: str, max_len: int = 60) -> str:
    """An IRI path segment for any text: ASCII letters, digits and hyphens; anything that would
    be lost (other scripts, length) is kept apart by a short hash of the text."""
    import hashlib

    folded = fold(text)
    ascii_part = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    lossy = not ascii_part or ascii_part.replace("-", "") != re.sub(r"[\W_]+", "", folded, flags=re.UNICODE)
    if len(ascii_part) > max_len:
        ascii_part = ascii_part[:max_len].rstrip("-")
        lossy = True
    if lossy:
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        ascii_part = f"{ascii_part}-{digest}" if ascii_part else f"x-{digest}"
    return ascii_part
