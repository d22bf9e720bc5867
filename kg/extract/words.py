"""Word lists for attribution, relations and events, with the inflected forms of their verbs
and nouns (kg does not run spaCy's lemmatizer: it reads forms from these tables)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

IRREGULAR = {
    "say": ("said",), "tell": ("told",), "think": ("thought",), "steal": ("stole", "stolen"),
    "shoot": ("shot",), "fight": ("fought",), "take": ("took", "taken"), "lead": ("led",),
    "meet": ("met",), "hold": ("held",), "strike": ("struck", "stricken"), "write": ("wrote", "written"),
    "know": ("knew", "known"), "understand": ("understood",), "leave": ("left",), "find": ("found",),
    "break": ("broke", "broken"), "give": ("gave", "given"), "blow": ("blew", "blown"),
    "begin": ("began", "begun"), "flee": ("fled",), "seek": ("sought",), "lose": ("lost",),
    "be": ("is", "are", "was", "were", "been", "being", "am", "'s", "’s", "'re", "’re"),
    "have": ("has", "had", "having", "'ve", "’ve"), "do": ("did", "done", "does"), "go": ("went", "gone"),
    "come": ("came",), "run": ("ran",), "sell": ("sold",), "buy": ("bought",), "hide": ("hid", "hidden"),
    "rule out": ("ruled out",), "open fire": ("opened fire",), "shoot dead": ("shot dead",),
    "take hostage": ("took hostage", "taken hostage"), "spend": ("spent",), "send": ("sent",),
    "die": ("died", "dying", "dies"), "free": ("freed", "freeing", "frees"), "set": ("set",),
    "blow up": ("blew up", "blown up"), "slay": ("slew", "slain"), "bear": ("bore", "borne"),
    "swear": ("swore", "sworn"), "stand": ("stood",), "fall": ("fell", "fallen"),
    "throw": ("threw", "thrown"), "beat": ("beaten",), "burn": ("burnt",),
}
VOWELS = set("aeiou")


def verb_forms(base: str) -> set[str]:
    """Inflected forms of a verb (regular rules plus the irregular table)."""
    if " " in base:
        head, rest = base.split(" ", 1)
        return {f"{f} {rest}" for f in verb_forms(head)} | set(IRREGULAR.get(base, ()))
    forms = {base, *IRREGULAR.get(base, ())}
    if base.endswith("e"):
        stem = base[:-1]
        forms |= {base + "s", base + "d", stem + "ing"}
    elif base.endswith("y") and len(base) > 2 and base[-2] not in VOWELS:
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    else:
        doubled = (len(base) >= 3 and base[-1] not in VOWELS | {"w", "x", "y"} and base[-2] in VOWELS
                   and base[-3] not in VOWELS and (len(base) <= 4 or base in _DOUBLING))
        stem = base + base[-1] if doubled else base
        es = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
        forms |= {es, stem + "ed", stem + "ing"}
    return forms


_DOUBLING = {"kidnap", "ambush", "admit", "regret", "commit", "submit", "equip", "expel", "compel", "propel", "rebel"}


def noun_forms(base: str) -> set[str]:
    if " " in base:
        head, rest = base.rsplit(" ", 1)
        return {f"{head} {f}" for f in noun_forms(rest)}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return {base, base + "es"}
    if base.endswith("y") and base[-2:-1] not in VOWELS:
        return {base, base[:-1] + "ies"}
    return {base, base + "s"}


def singular(word: str) -> str:
    """The singular of a plural noun, roughly ("gunmen" -> "gunman", "militias" -> "militia")."""
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [[c.strip() for c in r] for r in csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                                                          delimiter="\t")]


@dataclass
class Words:
    reporting_verbs: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (base, modality)
    passive_reporting: dict[str, tuple[str, str]] = field(default_factory=dict)
    adverbs: dict[str, str] = field(default_factory=dict)
    modals: dict[str, str] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)
    frame_nouns: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (base, modality)
    phrases: dict[str, str] = field(default_factory=dict)
    event_verbs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # form -> (base, types)
    event_nouns: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    event_adjectives: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # "dead"
    multiword_events: list[tuple[tuple[str, ...], str, tuple[str, ...], str]] = field(default_factory=list)
    relation_nouns: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (base, relation)


@cache
def words() -> Words:
    w = Words()
    for word, kind, modality in _rows("attribution.tsv"):
        if kind == "verb":
            for f in verb_forms(word):
                w.reporting_verbs.setdefault(f, (word, modality))
        elif kind == "passive":
            for f in verb_forms(word):
                w.passive_reporting.setdefault(f, (word, modality))
        elif kind == "adverb":
            w.adverbs[word] = modality
        elif kind == "modal":
            w.modals[word] = modality
        elif kind == "adjective":
            w.adjectives[word] = modality
        elif kind == "noun":
            for f in noun_forms(word):
                w.frame_nouns.setdefault(f, (word, modality))
        else:
            w.phrases[word] = modality
    for word, pos, types in _rows("events.tsv"):
        typs = tuple(types.split())
        if pos == "adjective":
            w.event_adjectives[word] = (word, typs)
            continue
        forms = verb_forms(word) if pos == "verb" else noun_forms(word)
        for f in forms:
            if " " in f:
                w.multiword_events.append((tuple(f.split()), word, typs, pos))
            elif pos == "verb":
                w.event_verbs.setdefault(f, (word, typs))
            else:
                w.event_nouns.setdefault(f, (word, typs))
    for row in _rows("relations.tsv"):
        word, relation = row[0], row[1]
        for f in noun_forms(word):
            w.relation_nouns.setdefault(f, (word, relation))
    w.multiword_events.sort(key=lambda m: -len(m[0]))
    return w
