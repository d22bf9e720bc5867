"""Which of a system's entities, claims and events stand for which gold items of one article.

- **Entities.** Every gold name is looked up in the system's text (whole words), giving the
  gold entity's occurrences; a system entity stands for the gold entity its mentions overlap
  most (majority over its mentions; an occurrence of a noise or borderline string competes, and
  a gold name wins a tie). An entity with no mention of its own (an institution a job title
  implies) stands for the gold entity whose name it has.
- **Sides** of a claim or an event's perpetrator are gold strings: a name (of a gold person,
  group or place; a parenthesis after it is the annotator's note: "Omar Tal (his
  militants)" is Omar Tal) or a description of an unnamed collective ("the attackers
  (the March 3 bombing)", "Lowan authorities"). A description matches a system entity whose name
  has the description's head noun ("officials in Tajikistan" - "Tajik officials"), a person the
  description names ("the five men (incl. A, B)"), or, for a claim's subject or group, an unnamed
  group of the system in the sentence that carries the gold claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from kg.evaluate.newsclaims.gold import GoldArticle
from kg.evaluate.newsclaims.systems import Span, SysOutput
from kg.extract.words import singular

STOP = {"the", "a", "an", "of", "and", "in", "on", "at", "for", "with", "from", "by", "to", "his", "her", "its",
        "their", "some", "other", "incl", "including", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "dozen", "dozens", "several", "many", "all", "both", "alleged", "suspected", "unnamed"}
CUT = {"in", "of", "at", "from", "on", "for", "with", "by", "who", "that", "which", "and", "sentenced", "arrested",
       "killed", "captured", "detained", "brought", "pledging", "operating", "serving", "quoting", "formed"}


def norm(text: str) -> str:
    """Names compared case-, accent-, quote- and article-blind, without a possessive."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"'))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"^(?:the|a|an)\s+", "", " ".join(text.split()))
    text = re.sub(r"'s?$", "", text)
    return text.strip(" .,;:\"'()-")


def head_noun(text: str) -> str | None:
    """The head of a noun phrase, roughly: the last content word before a preposition, a
    relative pronoun or a participle ("a senior administration official in Washington" ->
    "official")."""
    words = re.findall(r"[\w'-]+", norm(re.sub(r"\([^)]*\)", " ", text)))
    kept: list[str] = []
    for w in words:
        if w in CUT and kept:
            break
        if w not in STOP and not w.isdigit():
            kept.append(w)
    return singular(re.sub(r"'s$", "", kept[-1])) if kept else None


def occurrences(text: str, needle: str) -> list[Span]:
    """Every whole-word occurrence of ``needle`` in ``text``, in any case."""
    if not needle.strip():
        return []
    out = [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.I)]
    if not out and " " in needle.strip():  # spacing changed by page cleaning
        pattern = r"\s+".join(re.escape(w) for w in needle.split())
        out = [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + pattern + r"(?!\w)", text, re.I)]
    return out


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def touches(spans: tuple[Span, ...] | list[Span], others: list[Span]) -> bool:
    return any(overlap(a, b) for a in spans for b in others)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a gold claim, or a gold perpetrator or place: a gold entity or a description."""

    text: str
    entity: str | None  # gold entity id
    head: str | None  # head noun of a description
    persons: tuple[str, ...]  # gold people a description names ("the five men (incl. A, B)")
    groups: tuple[str, ...]  # gold organisations a description names ("members of X")


class ArticleMatch:
    """The alignment of one system's output with one gold article."""

    def __init__(self, gold: GoldArticle, out: SysOutput) -> None:
        self.gold, self.out = gold, out
        text = out.text
        self.gold_types = {e.id: e.type for e in gold.entities}
        self.by_name: dict[str, str] = {}
        for e in gold.entities:
            for n in e.names:
                self.by_name.setdefault(norm(n), e.id)
        self.occ = {e.id: sorted({s for n in e.names for s in occurrences(text, n)}) for e in gold.entities}
        self.noise = [(s, n) for n in gold.noise for s in occurrences(text, n)]
        self.border = [(s, n) for n in gold.borderline for s in occurrences(text, n)]
        self.maps: dict[str, tuple[str, str] | None] = {eid: self._map(e.spans, e.name)
                                                        for eid, e in out.entities.items()}
        # the gold entities each system entity's mentions touch (for one that stands for a
        # borderline string: "Kazakh Prosecutor-General's Office" is still that office)
        self.touched = {eid: {gid for gid, occs in self.occ.items() if touches(e.spans, occs)}
                        for eid, e in out.entities.items()}
        self._quotes: dict[str, list[Span]] = {}

    def _map(self, spans: tuple[Span, ...], name: str) -> tuple[str, str] | None:
        """("gold", id) | ("borderline", text) | ("noise", text) | None."""
        if not spans:
            gid = self.by_name.get(norm(name))
            return ("gold", gid) if gid else None
        votes: list[tuple[str, str] | None] = []
        for m in spans:
            best: tuple[int, int, tuple[str, str]] | None = None
            for gid, occs in self.occ.items():
                for o in occs:
                    size = overlap(m, o)
                    if size and (best is None or (size, 2) > best[:2]):
                        best = (size, 2, ("gold", gid))
            for kind, found in (("borderline", self.border), ("noise", self.noise)):
                for o, n in found:  # the mention is (mostly) that string, not a name containing it
                    size = overlap(m, o)
                    rank = 1 if kind == "borderline" else 0
                    if size >= 0.6 * (m[1] - m[0]) and (best is None or (size, rank) > best[:2]):
                        best = (size, rank, (kind, n))
            votes.append(best[2] if best is not None else None)
        counts = Counter(votes)
        ranked = [v for v, _ in counts.most_common() if v is not None]
        if not ranked:
            return None
        top = ranked[0]
        if top[0] == "noise" and counts[top] * 2 <= len(votes):
            return None  # junk only when most of the entity's mentions are that string
        return top

    def gold_of(self, eid: str | None) -> str | None:
        m = self.maps.get(eid) if eid is not None else None
        return m[1] if m and m[0] == "gold" else None

    def quote_spans(self, quote: str) -> list[Span]:
        if quote not in self._quotes:
            self._quotes[quote] = occurrences(self.out.text, quote)
        return self._quotes[quote]

    # --- sides -------------------------------------------------------------------------------
    def side(self, text: str | None) -> Side | None:
        if not text:
            return None
        base = re.sub(r"\s*\([^)]*\)", "", text).strip()
        gid = self.by_name.get(norm(base)) or self.by_name.get(norm(text))
        if gid:
            return Side(text, gid, None, (), ())
        persons, groups = [], []
        for e in self.gold.entities:
            if any(occurrences(text, n) for n in e.names):
                if e.type == "person":
                    persons.append(e.id)
                elif e.type == "organisation":
                    groups.append(e.id)
        return Side(text, None, head_noun(base), tuple(persons), tuple(groups))

    def heads(self, eid: str) -> set[str]:
        e = self.out.entities.get(eid)
        if e is None:
            return set()
        return {h for s in e.surfaces if (h := head_noun(s))}

    def matches(self, eid: str | None, side: Side | None, *, in_quote: bool = False,
                named_groups: bool = False) -> bool:
        """Whether system entity ``eid`` is what ``side`` names or describes. ``in_quote``: the
        system's statement sits in the sentence of the gold one (an unnamed group there counts);
        ``named_groups``: an organisation a description names counts ("members of X" for X)."""
        if eid is None or side is None or eid not in self.out.entities:
            return False
        gid = self.gold_of(eid)
        if side.entity is not None:
            if gid == side.entity:
                return True
            mapped = self.maps.get(eid)
            return (mapped is None or mapped[0] == "borderline") and side.entity in self.touched.get(eid, set())
        if gid is not None and (gid in side.persons or named_groups and gid in side.groups):
            return True
        if side.head and side.head in self.heads(eid):
            return True
        return in_quote and self.out.entities[eid].type == "group"
