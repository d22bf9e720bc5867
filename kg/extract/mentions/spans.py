"""Span hygiene: candidates are trimmed (articles, possessives, punctuation), never cross a
line break, and one token belongs to one candidate (adjacent pieces merged, overlaps settled)."""

from __future__ import annotations

from typing import Any

from kg.extract.mentions.candidates import Cand
from kg.extract.mentions.vocabulary import DETERMINERS

POSSESSIVE = {"'s", "’s", "'", "’"}


def trim(doc: Any, c: Cand) -> None:
    while c.start < c.end and (doc[c.start].lower_ in DETERMINERS or is_punct(doc[c.start])):
        c.start += 1
    while c.end > c.start and (doc[c.end - 1].text in POSSESSIVE or is_punct(doc[c.end - 1])
                               or doc[c.end - 1].is_space):
        c.end -= 1


def is_punct(t: Any) -> bool:
    return t.is_punct or t.text in {"“", "”", "‘", "’", '"', "'", "(", ")", "[", "]", ",", ".", ":", ";", "|"}


def split_lines(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    parts, s = [], start
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text or "\n" in doc[i].text:
            if s < i:
                parts.append((s, i))
            s = i + 1
    if s < end:
        parts.append((s, end))
    return parts


def merge_adjacent(doc: Any, cands: list[Cand]) -> list[Cand]:
    """Join name pieces the model split ("Omar" ORG + "Tal" PRODUCT)."""
    cands.sort(key=lambda c: c.start)
    out: list[Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev and prev.end == c.start and prev.label in {"ORG", "PRODUCT", "PERSON", "NORP", "WORK_OF_ART"} \
                and c.label in {"ORG", "PRODUCT", "PERSON", "WORK_OF_ART"} and prev.label != c.label \
                and all(t.text[:1].isupper() for t in doc[prev.start:c.end] if t.is_alpha) \
                and prev.title is None and c.title is None and c.end - prev.start <= 4:
            prev.end = c.end
            for k, w in c.votes.items():
                prev.votes[k] = max(prev.votes[k], w)
            for k, w in c.weak.items():
                prev.weak[k] = max(prev.weak[k], w)
            prev.gaz = max(prev.gaz, c.gaz)
            prev.label = "PERSON" if "PERSON" in (prev.label, c.label) else prev.label
            continue
        out.append(c)
    return out


def dedupe(cands: list[Cand]) -> list[Cand]:
    """One candidate per token span; overlapping candidates keep the one with stronger votes."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Cand] = []
    for c in cands:
        clash = next((o for o in out if o.start < c.end and c.start < o.end), None)
        if clash is None:
            out.append(c)
            continue
        if clash.start == c.start and clash.end == c.end:
            if c.institution and clash.institution and c.country != clash.country:
                out.append(c)  # "Tajik and Kyrgyz authorities": one span, two institutions
                continue
            for k, w in c.votes.items():
                clash.votes[k] = max(clash.votes[k], w)
            for k, w in c.weak.items():
                clash.weak[k] = max(clash.weak[k], w)
            clash.gaz = max(clash.gaz, c.gaz)
            clash.org_key = clash.org_key or c.org_key
            clash.title = clash.title or c.title
            clash.kind = clash.kind or c.kind
            continue
        if sum(c.votes.values()) > sum(clash.votes.values()) + 2:
            out.remove(clash)
            out.append(c)
    out.sort(key=lambda c: c.start)
    return out


def taken_tokens(cands: list[Cand]) -> set[int]:
    out: set[int] = set()
    for c in cands:
        if not c.drop:
            out.update(range(c.start, c.end))
    return out
