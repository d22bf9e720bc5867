"""Places: place nouns around a name ("Batken region", "the town of X", "X, a nearby region
of Y", "the Samarra Barrage"), a qualifying country after a comma ("Paris, Texas"), a
locative preposition, and the gazetteer's evidence."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.lexicon import DIRECTIONS, Lexicon
from kg.extract.mentions.candidates import PLACE, Cand
from kg.extract.mentions.spans import POSSESSIVE, taken_tokens
from kg.extract.mentions.vocabulary import FUNCTION_WORDS, LOCATIVE_PREPS, NAME_PART_PLACE_NOUNS
from kg.resolve.gazetteer import STRONG_PLACE, Gazetteer

#: nouns and directions that only a place has ("the outskirts of X", "north of X")
DISTANCE_UNITS = frozenset({"km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "kms", "m",
                            "metres", "meters"})
OUTSKIRTS = frozenset({"outskirts", "suburbs", "suburb", "outskirt", "edge", "heart", "centre", "center",
                       "streets", "north", "south", "east", "west", "northeast", "northwest", "southeast",
                       "southwest", "north-east", "north-west", "south-east", "south-west"})

class PlaceRules:
    """The place rules of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon
    gaz: Gazetteer

    def places_before_nouns(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"the Osh and Dzhalal-Abad regions", "the Torkham border post": capitalised words
        right before a place noun are a place even when the model tags nothing."""
        taken = taken_tokens(cands)
        out = []
        for t in doc:
            low = t.lower_
            if low not in self.lex.place_after or not t.text[:1].islower():
                continue
            if self.lex.place_after[low] == "facility" and low in {"post", "base", "camp", "station", "square", "street"}:
                continue  # too common as plain nouns without a name before them
            e = t.i
            s = e
            while s > 0 and (doc[s - 1].tag_ in {"NNP", "NNPS"} or (doc[s - 1].text in {"-", "–"} and s > 1
                             and doc[s - 2].tag_ == "NNP")) and doc[s - 1].text[:1] not in {"-", "–"} | set() \
                    or (s > 1 and doc[s - 1].text in {"-", "–"} and doc[s - 2].tag_ == "NNP"):
                s -= 1
            if s == e or any(x in taken for x in range(s, e)):
                continue
            if not doc[s].text[:1].isupper() or self.lex.is_demonym(doc[s:e].text):
                continue
            c = Cand(s, e, source="place-pattern")
            c.vote(PLACE, 1.0)
            out.append(c)
            taken.update(range(s, e))
            # coordinated names before it: "the Osh and Dzhalal-Abad regions"
            i = s - 1
            while i > 1 and doc[i].lower_ in {"and", ","} and doc[i - 1].tag_ == "NNP" and (i - 1) not in taken:
                j = i - 1
                while j > 0 and doc[j - 1].tag_ == "NNP" and (j - 1) not in taken:
                    j -= 1
                c2 = Cand(j, i, source="place-pattern")
                c2.vote(PLACE, 1.0)
                out.append(c2)
                taken.update(range(j, i))
                i = j - 1
        return out

    def strip_direction(self, doc: Any, c: Cand) -> None:
        """"Southern Kyrgyzstan" -> Kyrgyzstan (but "South Africa" stays a country)."""
        if c.end - c.start < 2 or doc[c.start].lower_ not in DIRECTIONS:
            return
        full = doc[c.start:c.end].text
        rest = doc[c.start + 1:c.end].text
        if self.gaz.kinds(full):
            return
        if "country" in self.gaz.kinds(rest) or "region" in self.gaz.kinds(rest):
            c.start += 1

    def doc_countries(self, doc: Any, cands: list[Cand]) -> frozenset[str]:
        """The countries the document names, as places or demonyms."""
        out = set()
        for c in cands:
            if c.drop or c.label not in {"GPE", "NORP", "LOC"}:
                continue
            text = doc[c.start:c.end].text
            code = self.lex.demonym_country(text)
            if not code:
                p = self.gaz.best(text, "country")
                code = p.country if p is not None else None
            if code:
                out.add(code)
        return frozenset(out)

    def place_context(self, doc: Any, c: Cand, countries: frozenset[str] = frozenset()) -> None:
        n = len(doc)
        if _dateline_place(doc, c):
            c.vote(PLACE, 4.0)  # "KANDAR, Lowa —", "KANDAR (Reuters) -": where the report is filed
        # a name that ends in a place noun: "Samarra Barrage", "Bagram Airfield", "Tigris River"
        last = doc[c.end - 1]
        if c.end - c.start > 1 and last.text[:1].isupper() and last.lower_ in self.lex.place_after \
                and last.lower_ not in NAME_PART_PLACE_NOUNS and doc[c.start].text[:1].isupper() \
                and not any(t.lower_ in FUNCTION_WORDS for t in doc[c.start:c.end - 1]):  # not "Nightmare On Elm Street"
            c.vote(PLACE, 2.5)
            if not self.gaz.lookup(doc[c.start:c.end].text):  # "Beverly Hills" is a city, not hills
                c.kind = c.kind or self.lex.place_after[last.lower_]
        # "X region", "the Fergana valley", "the Torkham border post", "Torkham checkpoint"
        for width in (2, 1):
            if c.end + width <= n:
                words = doc[c.end:c.end + width]
                phrase = words.text.lower()
                if phrase in self.lex.place_after and not any(t.is_space for t in words):
                    kind = self.lex.place_after[phrase]
                    capital_ok = kind in {"region", "district", "feature"}
                    if words[0].text[:1].islower() or capital_ok:
                        if kind in {"region", "district"} and not phrase.endswith("s"):
                            c.suffix = phrase
                            c.end += width
                        elif phrase.endswith("s") and kind in {"region", "district"}:
                            c.suffix = phrase[:-1]  # "the Osh and Dzhalal-Abad regions"
                            c.plural_suffix = True
                        else:
                            c.end += width
                        c.kind = kind
                        c.vote(PLACE, 5.0)
                        return
        # "the town of X", "the village of X"
        if c.start >= 2 and doc[c.start - 1].lower_ == "of" and doc[c.start - 2].lower_ in self.lex.place_before:
            c.kind = self.lex.place_before[doc[c.start - 2].lower_]
            c.vote(PLACE, 4.0)
            return
        # "the Kyrgyz capital Bishkek" (not "a city Shaw loved": a relative clause)
        if c.start >= 1 and doc[c.start - 1].lower_ in self.lex.place_before and doc[c.start - 1].tag_.startswith("NN") \
                and not (c.start >= 2 and doc[c.start - 2].lower_ in {"a", "an"}):
            c.kind = self.lex.place_before[doc[c.start - 1].lower_]
            c.vote(PLACE, 3.0)
            return
        # "Batken, a nearby region of Kyrgyzstan" / "Khujand, the main town of Sogd region"
        if c.end + 2 < n and doc[c.end].text == ",":
            j = c.end + 1
            if doc[j].lower_ in {"a", "an", "the"}:
                j += 1
                while j < min(n, c.end + 6) and doc[j].tag_ in {"JJ", "JJS", "JJR", "RB", "NNP"} and \
                        doc[j].lower_ not in self.lex.place_before and doc[j].lower_ not in self.lex.place_after:
                    j += 1
                if j < n:
                    noun = doc[j].lower_
                    kind = self.lex.place_before.get(noun) or (
                        self.lex.place_after.get(noun) if self.lex.place_after.get(noun) in {"region", "district"} else None)
                    if kind:
                        c.kind = kind
                        c.vote(PLACE, 4.0)
                        if kind in {"region", "district"}:
                            c.suffix = noun
                        return
        # "the outskirts of X", "10 km north of X": only a place has outskirts or a north
        k = c.start - 1
        if k >= 1 and doc[k].lower_ == "the":
            k -= 1
        if k >= 1 and doc[k].lower_ == "of" and doc[k - 1].lower_ in OUTSKIRTS and not c.org_key and not c.institution:
            c.vote(PLACE, 3.0)
            return
        # "X, 40 km north of Y", "X, 10 miles from Y": only a place lies at a distance
        if c.end + 3 < n and doc[c.end].text == "," and doc[c.end + 1].like_num \
                and doc[c.end + 2].lower_ in DISTANCE_UNITS and not c.org_key and not c.institution:
            c.vote(PLACE, 3.0)
            return
        # "at X in Y district", "near X in Y province": a place inside a named region
        if c.end + 3 < n and doc[c.end].lower_ in {"in", "near"} and doc[c.end + 1].text[:1].isupper() \
                and not c.org_key and not c.institution and c.start >= 1 \
                and (doc[c.start - 1].lower_ in LOCATIVE_PREPS or doc[c.start - 1].lower_ == "at"):
            k = c.end + 1
            while k < min(n, c.end + 5) and doc[k].text[:1].isupper():
                k += 1
            if k < n and self.lex.place_after.get(doc[k].lower_) in {"region", "district"}:
                c.vote(PLACE, 2.0)
                return
        # "in X", "near X": where things happen (a person is rarely "in" anyone)
        before = c.start - 1
        if before >= 0 and doc[before].lower_ == "the":
            before -= 1
        after = doc[c.end].text if c.end < n else ""
        if before >= 0 and doc[before].lower_ in LOCATIVE_PREPS and after not in POSSESSIVE \
                and not c.org_key and not c.institution:
            c.vote(PLACE, 0.8, weak=True)
        # gazetteer evidence: a country or a capital counts for much more than a small town of
        # the same name (Shaw, Morales, Clinton are more often people)
        text = doc[c.start:c.end].text
        weight = self.gaz.evidence(text, countries)
        if weight:
            c.gaz = self.gaz.evidence(text)  # what the name says alone, wherever the article is
            c.vote(PLACE, weight, weak=weight < STRONG_PLACE)
            kinds = self.gaz.kinds(text)
            if c.kind is None and len(kinds) == 1:
                c.kind = next(iter(kinds))

    def place_qualifier(self, doc: Any, c: Cand) -> None:
        """"Paris, Texas", "Bagram, Afghanistan": the region or country after the comma says
        which of the places of that name is meant (kept as the mention's country)."""
        n = len(doc)
        if c.end + 1 >= n or doc[c.end].text != "," or c.org_key or c.institution or c.country:
            return
        if not doc[c.end + 1].text[:1].isupper():
            return
        for j in range(min(n, c.end + 4), c.end + 1, -1):
            if j < n and doc[j].text[:1].isupper() and doc[j].is_alpha:
                continue  # the name after the comma goes on
            qualifier = doc[c.end + 1:j].text
            for kind in ("country", "region"):
                q = self.gaz.best(qualifier, kind)
                if q is None or not q.country or self.gaz.evidence(qualifier) < STRONG_PLACE:
                    continue
                name = doc[c.start:c.end].text
                if any(p.country == q.country and p.key != q.key for p in self.gaz.lookup(name, None, q.country)):
                    c.country = q.country
                return

    def share_plural_suffix(self, doc: Any, cands: list[Cand]) -> None:
        """"the Osh and Dzhalal-Abad regions": Osh is a region too."""
        by_end = {c.end: c for c in cands}
        for c in cands:
            if not c.plural_suffix:
                continue
            i = c.start - 1
            while i > 0 and doc[i].lower_ in {"and", ",", "or"}:
                prev = by_end.get(i)
                if prev is None:
                    break
                prev.suffix, prev.kind = c.suffix, c.kind
                prev.vote(PLACE, 5.0)
                i = prev.start - 1


_DATELINE_AFTER = re.compile(r"^(?:,\s*[A-Z][\w.'’ -]{1,30}?)?\s*(?:\(\s*[\w/ .-]{1,30}\)\s*)?(?:[-–—_:]|--)")


def _dateline_place(doc: Any, c: Cand) -> bool:
    """An upper-case name that opens a paragraph and is followed by a country or an agency and a
    dash: a dateline's place ("KANDAR, Lowa —", "KANDAR (Reuters) -")."""
    first = doc[c.start]
    text = doc[c.start:c.end].text
    if not (text.isupper() and len(text) >= 3 and any(ch.isalpha() for ch in text)):
        return False
    if first.idx > 0 and "\n" not in doc.text[max(0, first.idx - 2):first.idx]:
        return False
    last = doc[c.end - 1]
    rest = doc.text[last.idx + len(last.text):last.idx + len(last.text) + 60]
    return bool(_DATELINE_AFTER.match(rest))

