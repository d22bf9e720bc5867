"""Word lists the extractor reads (``data/``): titles, demonyms, weapons, place nouns,
organisation head words, collective nouns. General knowledge only."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Surname endings common in Slavic, Central Asian, Caucasian, Turkic and Iranian names: weak
# evidence that a capitalised word is a person's name.
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
              "central", "north-east", "north-west", "south-east", "south-west", "northeast",
              "northwest", "southeast", "southwest", "northeastern", "northwestern",
              "southeastern", "southwestern", "upper", "lower"}
ADMIN_SUFFIXES = {"region", "province", "oblast", "governorate", "prefecture", "district",
                  "county", "municipality", "raion", "rayon", "canton"}
SURNAME_ENDING = re.compile(
    r"(?:ov|ev|ova|eva|yev|yeva|iev|ieva|ovich|evich|vich|sky|skiy|skaya|ski|enko|chuk|yan|"
    r"shvili|dze|uly|kyzy|zade|zadeh|oglu|bekov|baev|bayev|zoda)$"
)


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _tsv(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [
            [c.strip() for c in row]
            for row in csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")), delimiter="\t")
        ]


@cache
def word_set(name: str) -> frozenset[str]:
    """A word list in ``data/`` (one entry per line, ``#`` comments), its entries as written."""
    return frozenset(_lines(name))


@cache
def word_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated table in ``data/`` (``#`` comments), in file order."""
    return tuple(tuple(row) for row in _tsv(name))


@dataclass
class Lexicon:
    titles: set[str] = field(default_factory=set)  # every title, rank, honorific, role noun
    title_heads: set[str] = field(default_factory=set)  # words that can end a title phrase
    title_modifiers: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    demonyms: dict[str, str] = field(default_factory=dict)  # lower form -> ISO code or tag
    weapons: set[str] = field(default_factory=set)
    place_after: dict[str, str] = field(default_factory=dict)  # "region" -> "region"
    place_before: dict[str, str] = field(default_factory=dict)  # "town" -> "city"
    org_heads: dict[str, tuple[str, str]] = field(default_factory=dict)
    collectives: dict[str, str] = field(default_factory=dict)
    non_entity_heads: set[str] = field(default_factory=set)
    max_title_words: int = 1
    title_firsts: set[str] = field(default_factory=set)  # first words of titles (fast rejection)
    sports: dict[str, set[str]] = field(default_factory=dict)  # role -> words (data/sports.tsv)
    portfolio_words: set[str] = field(default_factory=set)  # "defense", "foreign", "treasury"
    # (words that must all be in a title, institution key): the organisation a post is in
    title_institutions: list[tuple[tuple[str, ...], str, frozenset[str]]] = field(default_factory=list)

    def is_demonym(self, text: str) -> bool:
        t = text.lower().strip()
        if t in self.demonyms:
            return True
        parts = re.split(r"\s*[-/]\s*|\s+and\s+", t)  # "Kyrgyz-Tajik", "Russian and Central Asian"
        return len(parts) > 1 and all(p in self.demonyms for p in parts if p)

    def demonym_country(self, text: str) -> str | None:
        code = self.demonyms.get(text.lower().strip())
        return code if code and len(code) == 2 and code.isupper() else None


def _add_title(lex: Lexicon, title: str) -> None:
    words = title.split()
    lex.titles.add(title)
    # the head of "secretary of state" is "secretary"; of "foreign minister", "minister"
    of = next((k for k, w in enumerate(words) if w in {"of", "for"} and k), None)
    lex.title_heads.add(words[of - 1] if of is not None else words[-1])
    lex.title_firsts.add(words[0].rstrip("."))
    lex.title_firsts.add(re.split(r"[-.]", words[0])[0])  # "major-general" starts with the token "major"
    lex.max_title_words = max(lex.max_title_words, len(words))


def title_role(words_low: list[str]) -> str:
    """The role noun of a title phrase: "secretary" in "US Secretary of State", "minister" in
    "foreign minister"."""
    of = next((k for k, w in enumerate(words_low) if w in {"of", "for"} and k), None)
    k = of - 1 if of is not None else len(words_low) - 1
    while k >= 2 and words_low[k - 1] == "-" and words_low[k - 2] in {"in", "at", "of"}:
        k -= 4 if k >= 4 and words_low[k - 3] == "-" else 2  # "leader-in-exile": the first word
    return words_low[k] if k >= 0 else ""


@cache
def lexicon() -> Lexicon:
    lex = Lexicon()
    section = ""
    portfolios: list[str] = []
    portfolio_heads: list[str] = []
    for raw in (DATA / "titles.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# section:"):
            section = line.split(":", 1)[1].split()[0]
            continue
        if not line or line.startswith("#"):
            continue
        if section == "modifier":
            lex.title_modifiers.add(line)
            continue
        if section == "portfolio":  # "defense": "Secretary of Defense", "Defense Secretary"
            portfolios.append(line)
            for word in line.split():
                if word not in {"the", "and", "of"}:
                    lex.title_modifiers.add(word)
                    lex.portfolio_words.add(word)
            continue
        if section == "portfolio-head":  # "minister": "Minister of Finance", "Minister for Finance"
            portfolio_heads.append(line)
        _add_title(lex, line)
        if section == "honorific":
            lex.honorifics.add(line)
    for head in portfolio_heads:
        for portfolio in portfolios:
            for prep in ("of", "for"):
                _add_title(lex, f"{head} {prep} {portfolio}")
    for word, role in _tsv("sports.tsv"):
        lex.sports.setdefault(role, set()).add(word)
    for row in _tsv("title_institutions.tsv"):
        countries = frozenset(row[2].split(",")) if len(row) > 2 and row[2] else frozenset()
        lex.title_institutions.append((tuple(row[0].split()), row[1], countries))
    for row in _tsv("demonyms.tsv"):
        forms, code = row[0], row[1] if len(row) > 1 else ""
        for form in forms.split("|"):
            lex.demonyms.setdefault(form.lower(), code)
    lex.weapons = {w.lower() for w in _lines("weapons.txt")}
    lex.non_entity_heads = {w.lower() for w in _lines("non_entity_heads.txt")}
    for noun, kind, position in _tsv("place_nouns.tsv"):
        if position in ("after", "both"):
            lex.place_after[noun] = kind
        if position in ("before", "both"):
            lex.place_before[noun] = kind
    for word, kind, actor in _tsv("org_nouns.tsv"):
        lex.org_heads[word] = (kind, actor)
    for word, cls in _tsv("collectives.tsv"):
        lex.collectives[word] = cls
    return lex
