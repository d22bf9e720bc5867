"""Find mentions of people, organisations, places and unnamed groups in a parsed document.

Starts from spaCy's entities and corrects them with general knowledge:

- spans are trimmed (articles, possessives, punctuation) and never cross a line break;
- titles and job titles are split off the name ("Major-General Aziz Karimov") or read from
  the words before it ("French interior minister Jean Dupont") and kept as job titles;
- demonyms ("Tajik"), religions, weapons ("Kalashnikovs") and titles alone are not entities;
- place nouns make places ("Batken region", "the Torkham border post", "the town of X",
  "X, a nearby region of Y"); organisation head words make organisations;
- well-known organisations and country-qualified state institutions ("the Kyrgyz security
  council", "Kyrgyzstan's Security Council") are found even when the model misses them;
- unnamed collectives ("five men", "the attackers", "some Tajik officials") become group
  mentions.

Every candidate carries weighted type votes; :mod:`kg.extract.coref` clusters the mentions and
settles each cluster's type by voting over all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kg.extract.lexicon import DIRECTIONS, SURNAME_ENDING, Lexicon
from kg.extract.tokens import LiteDoc
from kg.resolve.gazetteer import STRONG_PLACE, Gazetteer
from kg.resolve.names import is_acronym, norm_key
from kg.resolve.organisations import OrgLexicon

PERSON, ORG, PLACE, GROUP = "person", "organisation", "place", "group"
NER_VOTES = {
    "PERSON": {PERSON: 1.0},
    "ORG": {ORG: 1.0},
    "GPE": {PLACE: 1.2},
    "LOC": {PLACE: 1.2},
    "FAC": {PLACE: 1.0},
    "NORP": {ORG: 0.3},
    "PRODUCT": {},
    "WORK_OF_ART": {},
    "EVENT": {},
}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "some", "any", "all", "both",
               "several", "many", "most", "its", "their", "his", "her", "our", "your", "my", "another"}
POSSESSIVE = {"'s", "’s", "'", "’"}
REPORTING_WORDS = {"said", "says", "told", "tells", "added", "noted", "stressed", "explained"}
SCORE = re.compile(r"^\d{1,2}[-–:]\d{1,2}$")  # "2-1"
FUNCTION_WORDS = {"on", "in", "at", "and", "the", "a", "an", "of", "for", "to", "with", "from", "by"}
LOCATIVE_PREPS = {"in", "near", "outside", "into", "across", "around", "throughout", "inside", "towards", "toward",
                  "nearby", "across"}
# one-word titles that are also common words at the start of company and product names
WORD_TITLES = {"general", "major", "private", "chief", "marshal", "father", "brother", "sister", "justice",
               "head", "lord", "lady", "king", "queen", "prince", "princess", "captain", "commander", "agent",
               "pilot", "director", "pastor", "expert", "leader", "analyst", "guard", "driver", "premier"}
# place nouns that also end names of other things ("the Washington Post", "the Space Station")
NAME_PART_PLACE_NOUNS = {"post", "station", "range", "pass", "front", "corridor", "base", "capital"}
COLLECTIVE_SINGULAR_HEADS = {"group", "band", "gang", "cell"}
GENERIC_INSTITUTION_WORDS = {"army", "military", "troops", "forces", "police", "government",
                             "parliament", "authorities", "cabinet", "militia", "security forces",
                             "armed forces", "border guards", "guards", "legislature", "presidency"}


@dataclass
class Cand:
    start: int  # token indices, end exclusive
    end: int
    votes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    source: str = "ner"
    label: str = ""  # NER label when from the model
    title: tuple[int, int] | None = None  # token span of a title / job title
    kind: str | None = None  # place kind or organisation kind
    suffix: str | None = None  # "region" when the name is a region ("Osh and Jalal-Abad regions")
    org_key: str | None = None  # key in the organisation lexicon
    institution: str | None = None  # institution template key
    country: str | None = None  # ISO code qualifying an institution or group
    group_class: str | None = None  # perpetrator | source | force | people
    plural_suffix: bool = False  # followed by "regions": coordinated names share the suffix
    drop: bool = False
    # the part of the votes that comes from weak evidence (the model's label on this one mention,
    # a small town of the same name): a name rule (the surname of a person named in the article)
    # outweighs it
    weak: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    gaz: float = 0.0  # the gazetteer's evidence that the name is a place
    team: bool = False  # plays, wins or loses in a sports report: a club named after its town


    def vote(self, kind: str, weight: float, weak: bool = False) -> None:
        self.votes[kind] += weight
        if weak:
            self.weak[kind] += weight


class MentionFinder:
    def __init__(self, lex: Lexicon, orgs: OrgLexicon, gaz: Gazetteer, nlp: Any) -> None:
        self.lex = lex
        self.orgs = orgs
        self.gaz = gaz
        from spacy.matcher import PhraseMatcher

        self.org_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.org_matcher_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact, lower = defaultdict(list), defaultdict(list)
        for surface, key, case_sensitive in orgs.surface_forms():
            (exact if case_sensitive else lower)[key].append(surface)
        for key, forms in exact.items():
            self.org_matcher.add(key, [nlp.make_doc(f) for f in forms])
        for key, forms in lower.items():
            self.org_matcher_lower.add(key, [nlp.make_doc(f) for f in forms])
        self.inst_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for inst in orgs.institutions.values():
            forms = [a for a in (inst.label, *inst.aliases) if "(" not in a]
            self.inst_matcher.add(inst.key, [nlp.make_doc(f) for f in forms])
        extra = {"troops": "armed-forces", "forces": "armed-forces",
                 "security forces": "security-forces", "guards": "border-service"}
        for phrase, key in extra.items():
            if key in orgs.institutions:
                self.inst_matcher.add(key, [nlp.make_doc(phrase)])
        self.title_words = {t for t in lex.titles if " " not in t and "-" not in t}

    # --- entry point -----------------------------------------------------------------------
    def find(self, doc: Any, title_end_char: int, known_people: tuple[str, ...] = ()) -> list[Cand]:
        if not isinstance(doc, LiteDoc):
            doc = LiteDoc(doc)
        cands: list[Cand] = []
        for ent in doc.ents:
            if ent.label_ not in NER_VOTES:
                continue
            for s, e in _split_lines(doc, ent.start, ent.end):
                c = Cand(s, e, source="ner", label=ent.label_)
                for k, w in NER_VOTES[ent.label_].items():
                    c.vote(k, w, weak=True)
                cands.append(c)
        for c in cands:
            self._trim(doc, c)
            self._strip_title_inside(doc, c)
            self._strip_direction(doc, c)
        cands = [c for c in cands if c.start < c.end]
        cands = _merge_adjacent(doc, cands)
        cands += self._names_after_titles(doc, cands)
        cands += self._known_people(doc, cands, known_people)
        cands += self._places_before_nouns(doc, cands)
        cands += self._surname_names(doc, cands)
        cands = self._add_lexicon_orgs(doc, cands)
        cands = self._add_institutions(doc, cands)
        countries = self._doc_countries(doc, cands)
        for c in cands:
            if c.drop:
                continue
            self._check_not_entity(doc, c)
            if c.drop:
                continue
            self._title_before(doc, c)
            self._place_context(doc, c, countries)
            self._place_qualifier(doc, c)
            self._org_words(doc, c)
            self._person_cues(doc, c)
        cands = [c for c in cands if not c.drop and c.start < c.end]
        cands += self._repeated_names(doc, cands)
        if self._sports_report(doc):
            for c in cands:
                c.team = self._team_cue(doc, c)
        cands = _dedupe(cands)
        cands = _drop_descriptors(doc, cands)
        self._share_plural_suffix(doc, cands)
        self._institution_countries(doc, cands)
        cands += self._groups(doc, cands)
        return cands

    # --- names the model missed ------------------------------------------------------------------
    def _names_after_titles(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"wounded Staff Sergeant Anna Novak": a capitalised title followed by
        capitalised words is a person even when the model tags nothing."""
        taken = _taken(cands)
        out = []
        n = len(doc)
        i = 0
        while i < n:
            t = doc[i]
            if i in taken or not t.text[:1].isupper():
                i += 1
                continue
            k = self._title_len_at(doc, i, n)
            if not k:
                i += 1
                continue
            j = i + k
            e = j
            while e < n and e - j < 3 and doc[e].tag_ in {"NNP", "NNPS"} and doc[e].text[:1].isupper() \
                    and e not in taken and not doc[e].is_space:
                e += 1
            if e > j and not any(x in taken for x in range(i, e)):
                words = doc[j:e]
                ambiguous = e - j == 1 and doc[i:j].text.lower() in WORD_TITLES  # "Premier Rugby", "General Motors"
                if not ambiguous and not self.gaz.strong(words.text) and not self.lex.is_demonym(words.text):
                    c = Cand(j, e, source="title-pattern")
                    c.title = (i, j)
                    c.vote(PERSON, 3.0)
                    out.append(c)
                    taken.update(range(i, e))
                    i = e
                    continue
            i += 1
        return out

    def _known_people(self, doc: Any, cands: list[Cand], names: tuple[str, ...]) -> list[Cand]:
        """Occurrences of the article's authors (named in its metadata or bio line)."""
        if not names:
            return []
        taken = _taken(cands)
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

    def _places_before_nouns(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"the Osh and Dzhalal-Abad regions", "the Torkham border post": capitalised words
        right before a place noun are a place even when the model tags nothing."""
        taken = _taken(cands)
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

    def _surname_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """Two or three capitalised words ending in a common surname ending, followed by a
        reporting verb or "is a/an", that the model missed ("Anna Weber is an ...")."""
        taken = _taken(cands)
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

    def _strip_direction(self, doc: Any, c: Cand) -> None:
        """"Southern Kyrgyzstan" -> Kyrgyzstan (but "South Africa" stays a country)."""
        if c.end - c.start < 2 or doc[c.start].lower_ not in DIRECTIONS:
            return
        full = doc[c.start:c.end].text
        rest = doc[c.start + 1:c.end].text
        if self.gaz.kinds(full):
            return
        if "country" in self.gaz.kinds(rest) or "region" in self.gaz.kinds(rest):
            c.start += 1

    def _institution_countries(self, doc: Any, cands: list[Cand]) -> None:
        """An institution named without its country ("the National Security Service") takes
        the one country its sentence names, if exactly one."""
        for c in cands:
            if not c.institution or c.country:
                continue
            sent = doc[c.start].sent
            countries = set()
            for t in sent:
                code = self.lex.demonym_country(t.text)
                if code:
                    countries.add(code)
            for o in cands:
                if sent.start <= o.start < sent.end and o is not c and o.country is None and o.institution is None:
                    text = doc[o.start:o.end].text
                    p = self.gaz.best(text)
                    if p and p.kind in {"country", "city", "region"} and p.country:
                        countries.add(p.country)
            if len(countries) == 1:
                c.country = countries.pop()

    # --- span hygiene --------------------------------------------------------------------------
    def _trim(self, doc: Any, c: Cand) -> None:
        while c.start < c.end and (doc[c.start].lower_ in DETERMINERS or _is_punct(doc[c.start])):
            c.start += 1
        while c.end > c.start and (doc[c.end - 1].text in POSSESSIVE or _is_punct(doc[c.end - 1])
                                   or doc[c.end - 1].is_space):
            c.end -= 1

    def _title_len_at(self, doc: Any, i: int, end: int) -> int:
        """Number of tokens of the longest title starting at token i (within end)."""
        first = doc[i].lower_.rstrip(".")
        if first not in self.lex.title_firsts:
            return 0
        for j in range(min(end, i + self.lex.max_title_words + 4), i, -1):
            text = doc[i:j].text.lower()
            if text in self.lex.titles or text.rstrip(".") in self.lex.titles:
                return j - i
        return 0

    def _title_qualifier(self, t: Any) -> bool:
        """A word that may stand before a title: "German", "US", "Defense", "deputy"."""
        low = t.lower_.rstrip(".")
        return (low in self.lex.title_modifiers or low in self.lex.demonyms
                or (t.text.isupper() and t.is_alpha and len(t.text) <= 3) or t.text in {"-", "–"})

    def _qualified_title_len(self, doc: Any, i: int, end: int) -> int:
        """"German Chancellor", "S African President", "US Defense Secretary": qualifiers, then a
        title; the number of tokens, or 0."""
        k = i
        while k < end - 1 and k - i < 4:
            m = self._title_len_at(doc, k, end)
            if m:
                return k - i + m if k > i else m
            if not self._title_qualifier(doc[k]):
                return 0
            k += 1
        return 0

    def _strip_title_inside(self, doc: Any, c: Cand) -> None:
        """"Major-General Aziz Karimov" -> title "Major-General", name "Aziz Karimov";
        "S African President Zuma" -> title "S African President", name "Zuma"; a title that
        begins before the span ("Secretary of" + "State John Kerry") is cut off too."""
        for back in range(1, self.lex.max_title_words):
            i = c.start - back
            if i < 0 or doc[i].is_space or "\n" in doc[i].text:
                break
            m = self._title_len_at(doc, i, c.end)
            if m > back:
                j = i + m
                if j >= c.end:
                    c.start = c.end  # "State" of "Secretary of State": part of a title, not a name
                elif doc[j].text[:1].isupper():
                    c.title = (i, j)
                    c.start = j
                    c.vote(PERSON, 3.0)
                    c.votes[ORG] = min(c.votes[ORG], 0.5)
                return
        if self._title_with_place(doc, c):
            return
        n = self._title_len_at(doc, c.start, c.end) or self._qualified_title_len(doc, c.start, c.end)
        if not n:
            return
        rest = doc[c.start + n:c.end]
        title_low = doc[c.start:c.start + n].text.lower()
        if len(rest) == 1 and c.label not in {"PERSON", ""} and title_low in WORD_TITLES:
            return  # "General Electric", "General Motors": a name that begins with a common word
        if len(rest) and rest[0].text[:1].isupper():
            c.title = (c.start, c.start + n)
            c.start += n
            c.vote(PERSON, 3.0)
            c.votes[ORG] = min(c.votes[ORG], 0.5)
        elif not len(rest):
            c.drop = True  # a title alone ("President") is not an entity

    def _title_with_place(self, doc: Any, c: Cand) -> bool:
        """"Minister for the Middle East Tobias Ellwood", "Ambassador to Iraq John Smith": a title
        that ends in a place the span starts with; the rest of the span is the person."""
        i = c.start - 1
        while i >= 0 and doc[i].lower_ in {"the"}:
            i -= 1
        if i < 1 or doc[i].lower_ not in {"for", "of", "to"}:
            return False
        head = doc[i - 1].lower_.rstrip(".")
        if head not in self.lex.title_heads or not doc[i - 1].text[:1].isupper():
            return False
        for k in range(min(c.end - 1, c.start + 4), c.start, -1):
            if not doc[k].text[:1].isupper():
                continue
            if self.gaz.strong(doc[c.start:k].text) or self.orgs.find(doc[c.start:k].text):
                start = i - 1
                while start > 0 and self._title_qualifier(doc[start - 1]) and not doc[start - 1].is_space:
                    start -= 1
                c.title = (start, k)
                c.start = k
                c.vote(PERSON, 3.0)
                c.votes[ORG] = min(c.votes[ORG], 0.5)
                return True
        return False

    def _check_not_entity(self, doc: Any, c: Cand) -> None:
        span = doc[c.start:c.end]
        text = span.text
        low = text.lower()
        if c.org_key or c.institution:
            return
        if self.orgs.find(text):
            return
        if len(text) < 2 or not any(ch.isalpha() for ch in text):
            c.drop = True
        elif low in self.lex.weapons or low.rstrip("s") in self.lex.weapons:
            c.drop = True
        elif self.lex.is_demonym(text) or (low.endswith("s") and self.lex.is_demonym(text[:-1])):
            c.drop = True
        elif text[:1].islower() and not is_acronym(text):
            c.drop = True
        elif all(t.like_num or not t.is_alpha for t in span):
            c.drop = True
        elif low in self.lex.titles or (len(span) == 1 and low in self.lex.title_modifiers):
            c.drop = True  # "President", or "Interior" cut from "Interior Minister"
        elif span[-1].lower_ in self.lex.non_entity_heads and c.votes.get(PERSON, 0) < 2:
            c.drop = True  # "the Great Drugs Route", "Cooperation 2000 exercises"
        elif span[0].lower_ in self.lex.demonyms and len(span) > 1 and all(
                t.lower_ in self.lex.demonyms or t.lower_ in self.lex.titles or t.is_lower or _is_punct(t)
                for t in span[1:]):
            c.drop = True  # "Tajik border guard"

    # --- titles before a name --------------------------------------------------------------------
    def _title_before(self, doc: Any, c: Cand) -> None:
        if c.title is not None or c.votes.get(PLACE, 0) > 1.5 or c.org_key or c.institution:
            return
        i = c.start - 1
        sent_start = doc[c.start].sent.start
        # "US Secretary of State John Kerry", "the Minister for Foreign Affairs X"
        for back in range(3, self.lex.max_title_words + 1):
            s = c.start - back
            if s < sent_start:
                break
            if doc[s:c.start].text.lower() in self.lex.titles and any(t.lower_ in {"of", "for"} for t in doc[s:c.start]):
                while s > sent_start and self._title_qualifier(doc[s - 1]) and not doc[s - 1].is_space:
                    s -= 1
                c.title = (s, c.start)
                c.vote(PERSON, 3.0)
                return
        words: list[int] = []
        while i >= sent_start and len(words) < 7:
            t = doc[i]
            low = t.lower_
            if t.is_space or t.tag_ in {"DT", "IN", "CC", "PRP$", "WDT", "WP", "POS", "CD", "TO"} or \
                    (t.is_punct and t.text not in {"-", "–"}) or t.tag_.startswith("VB") or t.tag_ == "RB":
                break
            if low in DETERMINERS:
                break
            words.append(i)
            i -= 1
        if not words:
            return
        words.reverse()
        # the word next to the name must end a title ("minister", "officer", "Private")
        head = doc[words[-1]]
        head_low = head.lower_.rstrip(".")
        singular = head_low[:-1] if head_low.endswith("s") else head_low
        if head_low not in self.lex.title_heads and singular not in self.lex.title_heads:
            return
        # drop leading words that cannot sit in a title phrase
        while words and not self._title_word(doc[words[0]]):
            words.pop(0)
        if not words:
            return
        c.title = (words[0], words[-1] + 1)
        c.vote(PERSON, 3.0)

    def _title_word(self, t: Any) -> bool:
        low = t.lower_.rstrip(".")
        return (low in self.title_words or low in self.lex.title_modifiers or low in self.lex.demonyms
                or low in self.lex.title_heads or t.tag_ in {"NNP", "NN", "NNPS", "JJ", "HYPH"}
                or t.text in {"-", "–"})

    # --- places ----------------------------------------------------------------------------------
    def _place_qualifier(self, doc: Any, c: Cand) -> None:
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

    def _repeated_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """Other occurrences of a name the article already uses ("second place Schalke had the
        chance" after the model found "Schalke" elsewhere): proper nouns, written the same way,
        that the model left untagged."""
        taken = _taken(cands)
        for ent in doc.ents:  # the model's other readings (dates: "May"; numbers)
            taken.update(range(ent.start, ent.end))
        by_first: dict[str, list[tuple[tuple[str, ...], Cand]]] = defaultdict(list)
        for c in cands:
            words = tuple(t.text for t in doc[c.start:c.end])
            if c.group_class or not words[0][:1].isupper() or len("".join(words)) < 3 or c.votes.get(GROUP):
                continue
            low = " ".join(words).lower()
            if low in self.lex.titles or low in self.lex.title_modifiers or self.lex.is_demonym(low):
                continue
            by_first[words[0]].append((words, c))
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

    def _sports_report(self, doc: Any) -> bool:
        context = self.lex.sports.get("context", set())
        return len({t.lower_ for t in doc if t.lower_ in context}) >= 4

    def _team_cue(self, doc: Any, c: Cand) -> bool:
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

    def _doc_countries(self, doc: Any, cands: list[Cand]) -> frozenset[str]:
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

    def _place_context(self, doc: Any, c: Cand, countries: frozenset[str] = frozenset()) -> None:
        n = len(doc)
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

    def _share_plural_suffix(self, doc: Any, cands: list[Cand]) -> None:
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

    # --- organisations ---------------------------------------------------------------------------
    def _org_words(self, doc: Any, c: Cand) -> None:
        if c.org_key or c.institution:
            return
        words = [t.lower_ for t in doc[c.start:c.end]]
        if len(words) > 1 or c.label == "ORG":
            for w in words[1:] + words[:1]:
                if w in self.lex.org_heads and doc[c.start].text[:1].isupper():
                    kind, _ = self.lex.org_heads[w]
                    c.kind = c.kind or kind
                    c.vote(ORG, 2.5 if len(words) > 1 else 1.0)
                    break
        if is_acronym(doc[c.start:c.end].text) and c.label in {"ORG", "NORP", ""}:
            c.vote(ORG, 0.5)

    def _add_lexicon_orgs(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        taken = _taken(cands)
        matches = list(self.org_matcher(doc.doc)) + list(self.org_matcher_lower(doc.doc))
        # longest first
        matches.sort(key=lambda m: (m[1], -(m[2] - m[1])))
        out = list(cands)
        for match_id, s, e in matches:
            key = doc.vocab.strings[match_id]
            if any(t.is_space for t in doc[s:e]) or not _capitalised_like(doc[s:e], self.orgs.orgs[key]):
                continue
            overlapping = [c for c in out if c.start < e and s < c.end and not c.drop]
            if overlapping:
                for c in overlapping:
                    if c.start >= s and c.end <= e or (c.start == s and c.end == e):
                        c.start, c.end = s, e
                        c.org_key = key
                        c.vote(ORG, 6.0)
                continue
            if any(i in taken for i in range(s, e)):
                continue
            c = Cand(s, e, source="lexicon")
            c.org_key = key
            c.vote(ORG, 6.0)
            out.append(c)
            taken.update(range(s, e))
        # candidates the matcher did not see (spelling variants) are looked up by name
        for c in out:
            if c.org_key is None and not c.drop:
                org = self.orgs.find(doc[c.start:c.end].text)
                if org:
                    c.org_key = org.key
                    c.vote(ORG, 6.0)
        return out

    def _add_institutions(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        out = list(cands)
        matches = sorted(self.inst_matcher(doc.doc), key=lambda m: (-(m[2] - m[1]), m[1]))
        claimed: list[tuple[int, int]] = []
        for match_id, s, e in matches:
            key = doc.vocab.strings[match_id]
            phrase = doc[s:e]
            if any(t.is_space for t in phrase) or any(a <= s and e <= b for a, b in claimed):
                continue
            countries, qs = self._qualifier_before(doc, s, out)
            qe = e
            if not countries and e + 1 < len(doc) and doc[e].lower_ == "of":
                country, end = self._country_at(doc, e + 1, out)
                if country:
                    countries, qe = [country], end
            # a longer name around it ("National Security Service" around "Security Service")
            lo = qs if countries else s
            around = [c for c in out if c.start <= s and e <= c.end and not c.drop
                      and (c.start < lo or c.end > qe)]
            if around:
                continue
            capitalised = all(t.text[:1].isupper() for t in phrase
                              if t.is_alpha and t.lower_ not in {"of", "the", "for", "and"})
            generic = phrase.text.lower() in GENERIC_INSTITUTION_WORDS
            if not countries and (generic or not capitalised or len(phrase) < 2):
                continue  # "the government", "security services" without a country: not a name
            start = qs if countries else s
            for c in out:
                if c.start < qe and start < c.end and not c.drop and c.org_key is None and not c.institution:
                    c.drop = True  # the model's partial span ("Kyrgyzstan’s Security Council")
            claimed.append((start, qe))
            for country in countries or [None]:
                c = Cand(start, qe, source="institution")
                c.institution = key
                c.country = country
                c.vote(ORG, 6.0)
                c.kind = self.orgs.institutions[key].kind
                out.append(c)
        return [c for c in out if not c.drop]

    def _qualifier_before(self, doc: Any, s: int, cands: list[Cand]) -> tuple[list[str], int]:
        """Countries named just before an institution: "Kyrgyz", "Tajik and Kyrgyz",
        "Kyrgyzstan's"."""
        countries: list[str] = []
        i = s - 1
        start = s
        while i >= 0:
            t = doc[i]
            if t.lower_ in {"and", ",", "or"} and countries:
                i -= 1
                continue
            if t.text in POSSESSIVE and i > 0:
                country, cstart = self._country_ending_at(doc, i, cands)
                if country:
                    countries.append(country)
                    start = cstart
                    i = cstart - 1
                    continue
                break
            code = self.lex.demonym_country(t.text)
            if code:
                countries.append(code)
                start = i
                i -= 1
                continue
            if t.tag_ in {"JJ", "NN"} and t.lower_ in {"national", "state", "federal", "interim", "new", "former",
                                                         "central", "regional", "local", "provincial"} and not countries:
                i -= 1
                continue
            break
        return countries, start

    def _country_at(self, doc: Any, i: int, cands: list[Cand]) -> tuple[str | None, int]:
        for j in range(min(len(doc), i + 4), i, -1):
            text = doc[i:j].text
            p = self.gaz.best(text, "country")
            if p and p.country:
                return p.country, j
        return None, i

    def _country_ending_at(self, doc: Any, poss: int, cands: list[Cand]) -> tuple[str | None, int]:
        for k in range(max(0, poss - 4), poss):
            text = doc[k:poss].text
            p = self.gaz.best(text, "country")
            if p and p.country:
                return p.country, k
        return None, poss

    # --- people ----------------------------------------------------------------------------------
    def _person_cues(self, doc: Any, c: Cand) -> None:
        span = doc[c.start:c.end]
        last = span[-1].text
        if len(span) <= 3 and all(t.text[:1].isupper() for t in span if t.is_alpha) and \
                SURNAME_ENDING.search(last.lower()) and not self.gaz.strong(span.text):
            c.vote(PERSON, 1.5)
        after = doc[c.end].lower_ if c.end < len(doc) else ""
        before = doc[c.start - 1].lower_ if c.start > 0 else ""
        if after in REPORTING_WORDS or before in REPORTING_WORDS:
            c.vote(PERSON, 0.4)

    # --- unnamed collectives -------------------------------------------------------------------------
    def _groups(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        taken = _taken(cands)
        out: list[Cand] = []
        n = len(doc)
        i = 0
        while i < n:
            t = doc[i]
            two = doc[i:i + 2].text.lower() if i + 1 < n else ""
            cls = None
            width = 1
            if two in self.lex.collectives and doc[i + 1].tag_ in {"NNS", "NN"}:
                cls, width = self.lex.collectives[two], 2
            elif t.lower_ in self.lex.collectives and t.tag_ in {"NNS", "NN", "NNP", "NNPS"}:
                if t.tag_ == "NN" and t.lower_ not in COLLECTIVE_SINGULAR_HEADS and t.lower_ not in {"police", "media"}:
                    i += 1
                    continue
                cls = self.lex.collectives[t.lower_]
            if cls is None or i in taken or t.text[:1].isupper() and t.i != t.sent.start:
                i += 1
                continue
            if i > 0 and (i - 1) in taken and t.lower_ in COLLECTIVE_SINGULAR_HEADS:
                i += 1  # "the militant Khizb-ut-Takhrir group": the organisation itself
                continue
            head_end = i + width
            start = i
            # left modifiers: numbers, adjectives, demonyms, nouns ("five men", "armed
            # guerrillas", "some Tajik officials", "drug traffickers")
            j = i - 1
            while j >= 0 and (doc[j].tag_ in {"CD", "JJ", "NNP", "NN", "VBN", "HYPH", "CC"} or
                              doc[j].lower_ in self.lex.demonyms) and not doc[j].is_space and j not in taken:
                if doc[j].tag_ == "CC" and not (j > 0 and doc[j - 1].lower_ in self.lex.demonyms):
                    break
                if doc[j].tag_ == "NNP" and doc[j].lower_ not in self.lex.demonyms:
                    break
                j -= 1
            start = j + 1
            end = head_end
            # "a group of armed men": take the "of" phrase
            if t.lower_ in COLLECTIVE_SINGULAR_HEADS and end + 1 < n and doc[end].lower_ == "of":
                k = end + 1
                while k < n and doc[k].tag_ in {"JJ", "CD", "VBN", "NN"} and k not in taken:
                    k += 1
                if k < n and doc[k].tag_ == "NNS":
                    end = k + 1
            c = Cand(start, end, source="group")
            c.group_class = cls
            c.vote(GROUP, 5.0)
            for k in range(start, i):
                code = self.lex.demonym_country(doc[k].text)
                if code:
                    c.country = code
                    break
            out.append(c)
            taken.update(range(start, end))
            i = end
        return out


DESCRIPTOR_HEADS = {"service", "branch", "wing", "arm", "unit", "division", "faction", "affiliate", "subsidiary",
                    "department", "section", "office", "bureau", "station"}


def _drop_descriptors(doc: Any, cands: list[Cand]) -> list[Cand]:
    """"Radio Azattyk, the Kyrgyz Service of RFE/RL": the apposition describes the organisation
    before it (the relation rules read it); it is not another organisation."""
    ends = {c.end: c for c in cands}
    out = []
    for c in cands:
        if c.start >= 2 and doc[c.start - 1].lower_ == "the" and doc[c.start - 2].text == "," and \
                (c.start - 2) in ends and ends[c.start - 2].votes.get(ORG, 0) > 0 and \
                doc[c.end - 1].lower_ in DESCRIPTOR_HEADS and not c.org_key:
            continue
        out.append(c)
    return out


def _capitalised_like(span: Any, org: Any) -> bool:
    """A case-insensitive match must still be capitalised where the name is: "an Islamic
    state" is not "Islamic State"."""
    forms = [f for f in (org.name, *org.aliases) if f.lower() == span.text.lower()]
    if not forms:
        return True
    words = span.text.split()
    for form in forms:
        ok = all(not fw[:1].isupper() or w[:1].isupper() for fw, w in zip(form.split(), words))
        if ok:
            return True
    return False


def _merge_adjacent(doc: Any, cands: list[Cand]) -> list[Cand]:
    """Join name pieces the model split ("Rustam" ORG + "Nazarov" PRODUCT)."""
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


def _is_punct(t: Any) -> bool:
    return t.is_punct or t.text in {"“", "”", "‘", "’", '"', "'", "(", ")", "[", "]", ",", ".", ":", ";", "|"}


def _split_lines(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    parts, s = [], start
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text or "\n" in doc[i].text:
            if s < i:
                parts.append((s, i))
            s = i + 1
    if s < end:
        parts.append((s, end))
    return parts


def _taken(cands: list[Cand]) -> set[int]:
    out: set[int] = set()
    for c in cands:
        if not c.drop:
            out.update(range(c.start, c.end))
    return out


def _dedupe(cands: list[Cand]) -> list[Cand]:
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


def name_key(text: str) -> str:
    return norm_key(text)
