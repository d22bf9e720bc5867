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

    def is_demonym(self, text: str) -> bool:
        t = text.lower().strip()
        if t in self.demonyms:
            return True
        parts = re.split(r"\s*[-/]\s*|\s+and\s+", t)  # "Kyrgyz-Tajik", "Russian and Central Asian"
        return len(parts) > 1 and all(p in self.demonyms for p in parts if p)

    def demonym_country(self, text: str) -> str | None:
        code = self.demonyms.get(text.lower().strip())
        return code if code and len(code) == 2 and code.isupper() else None


@cache
def lexicon() -> Lexicon:
    lex = Lexicon()
    section = ""
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
        lex.titles.add(line)
        lex.title_heads.add(line.split()[-1])
        if section == "honorific":
            lex.honorifics.add(line)
        lex.max_title_words = max(lex.max_title_words, len(line.split()))
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
