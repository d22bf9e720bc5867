"""People: the article's authors, surname-like names the model missed, cues that a name is a
person's, other occurrences of names already found, and sports reports (a club named after
its town is not the town)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from kg.extract.lexicon import SURNAME_ENDING, Lexicon
from kg.extract.mentions.candidates import GROUP, PERSON, Cand
from kg.extract.mentions.spans import POSSESSIVE, taken_tokens
from kg.extract.mentions.vocabulary import REPORTING_WORDS
from kg.resolve.gazetteer import Gazetteer
from kg.resolve.names import is_acronym

SCORE = re.compile(r"^\d{1,2}[-–:]\d{1,2}$")  # "2-1"


class PeopleRules:
    """The person rules of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon
    gaz: Gazetteer

    def known_people(self, doc: Any, cands: list[Cand], names: tuple[str, ...]) -> list[Cand]:
        """Occurrences of the article's authors (named in its metadata or bio line)."""
        if not names:
            return []
        taken = taken_tokens(cands)
        out = []
        text = doc.text
        for name in names:
            start = 0
            while True:
                k = text.find(name, start)
                if k < 0:
                    break
                start = k + len(name)
                span = doc.char_span(k, k + len(name), alignment_mode="strict")
                if span is None:
                    continue
                overlapping = [c for c in cands if c.start < span.end and span.start < c.end]
                for c in overlapping:
                    if c.start >= span.start and c.end <= span.end:
                        c.start, c.end = span.start, span.end
                        c.vote(PERSON, 4.0)
                if overlapping or any(x in taken for x in range(span.start, span.end)):
                    continue
                c = Cand(span.start, span.end, source="author")
                c.vote(PERSON, 4.0)
                out.append(c)
                taken.update(range(span.start, span.end))
        return out

    def surname_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """Two or three capitalised words ending in a common surname ending, followed by a
        reporting verb or "is a/an", that the model missed ("Anna Weber is an ...")."""
        taken = taken_tokens(cands)
        out = []
        n = len(doc)
        for t in doc:
            if t.i in taken or t.tag_ not in {"NNP"} or not SURNAME_ENDING.search(t.lower_):
                continue
            s = t.i
            while s > 0 and doc[s - 1].tag_ == "NNP" and (s - 1) not in taken and t.i - s < 2 \
                    and doc[s - 1].text[:1].isupper():
                s -= 1
            e = t.i + 1
            if e - s < 2 or any(x in taken for x in range(s, e)):
                continue
            nxt_tag = doc[e].tag_ if e < n else ""
            if nxt_tag not in {"NNP", "NNPS"} and not self.gaz.strong(doc[s:e].text):
                c = Cand(s, e, source="name-pattern")
                c.vote(PERSON, 1.5)
                out.append(c)
                taken.update(range(s, e))
        return out

    def person_cues(self, doc: Any, c: Cand) -> None:
        span = doc[c.start:c.end]
        last = span[-1].text
        if len(span) <= 3 and all(t.text[:1].isupper() for t in span if t.is_alpha) and \
                SURNAME_ENDING.search(last.lower()) and not self.gaz.strong(span.text):
            c.vote(PERSON, 1.5)
        after = doc[c.end].lower_ if c.end < len(doc) else ""
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if after in REPORTING_WORDS or before in REPORTING_WORDS:
            c.vote(PERSON, 0.4)

    def repeated_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """Other occurrences of a name the article already uses ("second place Schalke had the
        chance" after the model found "Schalke" elsewhere): proper nouns, written the same way,
        that the model left untagged."""
        taken = taken_tokens(cands)
        for ent in doc.ents:  # the model's other readings (dates: "May"; numbers)
            taken.update(range(ent.start, ent.end))
        by_first: dict[str, list[tuple[tuple[str, ...], Cand]]] = defaultdict(list)
        for c in cands:
            words = tuple(t.text for t in doc[c.start:c.end])
            if c.group_class or not words[0][:1].isupper() or c.votes.get(GROUP) or (
                    len("".join(words)) < 3 and not is_acronym(words[0])):
                continue
            low = " ".join(words).lower()
            if low in self.lex.titles or low in self.lex.title_modifiers or self.lex.is_demonym(low):
                continue
            by_first[words[0]].append((words, c))
            if len(words) >= 2 and c.votes and max(c.votes, key=c.votes.get) == PERSON and \
                    words[-1][:1].isupper() and len(words[-1]) > 2:
                by_first[words[-1]].append(((words[-1],), c))  # the surname alone: "Noor said"
        out: list[Cand] = []
        n = len(doc)
        i = 0
        while i < n:
            t = doc[i]
            if i in taken or t.text not in by_first or t.tag_ not in {"NNP", "NNPS"}:
                i += 1
                continue
            hit = next(((w, c) for w, c in sorted(by_first[t.text], key=lambda x: -len(x[0]))
                        if i + len(w) <= n and tuple(x.text for x in doc[i:i + len(w)]) == w
                        and not any(k in taken for k in range(i, i + len(w)))), None)
            if hit is None or (i + len(hit[0]) < n and doc[i + len(hit[0])].tag_ in {"NNP", "NNPS"}):
                i += 1  # not the name, or part of a longer one ("Schalke" in "Schalke 04")
                continue
            words, src = hit
            c = Cand(i, i + len(words), source="repeated", label=src.label)
            c.kind, c.org_key, c.gaz = src.kind, src.org_key, src.gaz
            kind = max(src.votes.items(), key=lambda kv: kv[1])[0] if src.votes else None
            if kind:
                c.vote(kind, 0.5, weak=True)
            out.append(c)
            taken.update(range(c.start, c.end))
            i = c.end
        return out

    def sports_report(self, doc: Any) -> bool:
        context = self.lex.sports.get("context", set())
        return len({t.lower_ for t in doc if t.lower_ in context}) >= 4

    def team_cue(self, doc: Any, c: Cand) -> bool:
        """"Schalke lost", "Hamburg's 2-1 loss", "a draw against Wolfsburg", "losing to Bochum, 2-0"."""
        n = len(doc)
        after, before = self.lex.sports.get("after", set()), self.lex.sports.get("before", set())
        k = c.end + 1 if c.end < n and doc[c.end].text in POSSESSIVE else c.end
        if k < n and doc[k].lower_ in after:
            return True
        if any(SCORE.match(doc[j].text) for j in range(k, min(n, k + 3))):
            return True
        if c.start and doc[c.start - 1].lower_ in before:
            return True
        return c.start > 1 and doc[c.start - 1].lower_ == "to" and doc[c.start - 2].lower_ in {"lost", "losing", "lose",
                                                                                              "loses", "fell", "bowed"}
