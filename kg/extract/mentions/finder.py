"""The entry point of mention finding: :meth:`MentionFinder.find` runs the rules of
:mod:`.titles`, :mod:`.places`, :mod:`.organisations`, :mod:`.people` and :mod:`.groups` in
a fixed order over the model's entities, then drops what is not an entity."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from kg.extract.lexicon import Lexicon
from kg.extract.mentions.candidates import NER_VOTES, PERSON, Cand
from kg.extract.mentions.context import ContextRules
from kg.extract.mentions.groups import GroupRules
from kg.extract.mentions.organisations import OrganisationRules, drop_descriptors
from kg.extract.mentions.people import PeopleRules
from kg.extract.mentions.places import PlaceRules
from kg.extract.mentions.spans import dedupe, is_punct, merge_adjacent, split_lines, trim
from kg.extract.mentions.titles import TitleRules
from kg.extract.tokens import LiteDoc
from kg.resolve.gazetteer import Gazetteer
from kg.resolve.names import is_acronym
from kg.resolve.organisations import OrgLexicon

#: a lower-case Arabic article joined to a capitalised name: "el-Fasher", "al-Shabaab", "ash-Sham"
ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|ad-din)[-‑]\s?[A-Z]")


class MentionFinder(TitleRules, PlaceRules, OrganisationRules, PeopleRules, ContextRules, GroupRules):
    """Finds the mention candidates of a parsed document. Build it once and reuse it: it builds
    the phrase matchers of the organisation lexicon."""

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

    def find(self, doc: Any, title_end_char: int, known_people: tuple[str, ...] = ()) -> list[Cand]:
        if not isinstance(doc, LiteDoc):
            doc = LiteDoc(doc)
        cands: list[Cand] = []
        for ent in doc.ents:
            if ent.label_ not in NER_VOTES:
                continue
            for s, e in split_lines(doc, ent.start, ent.end):
                c = Cand(s, e, source="ner", label=ent.label_)
                for k, w in NER_VOTES[ent.label_].items():
                    c.vote(k, w, weak=True)
                cands.append(c)
        for c in cands:
            trim(doc, c)
            self.repair_span(doc, c)
            if c.start >= c.end:
                continue  # nothing left of it ("_¿")
            self.strip_title_inside(doc, c)
            self.strip_direction(doc, c)
        cands = [c for c in cands if c.start < c.end]
        cands = merge_adjacent(doc, cands)
        cands += self.names_after_titles(doc, cands)
        cands += self.known_people(doc, cands, known_people)
        cands += self.places_before_nouns(doc, cands)
        cands += self.surname_names(doc, cands)
        cands = self.add_lexicon_orgs(doc, cands)
        cands = self.add_institutions(doc, cands)
        cands = self.add_name_runs(doc, cands)
        cands += self.named_groups(doc, cands)
        cands = [c for c in cands if not c.drop]
        countries = self.doc_countries(doc, cands)
        for c in cands:
            if c.drop:
                continue
            self._check_not_entity(doc, c)
            if c.drop:
                continue
            self.title_before(doc, c)
            self.place_context(doc, c, countries)
            self.place_qualifier(doc, c)
            self.org_words(doc, c)
            self.person_cues(doc, c)
            self.context_votes(doc, c)
        self.headline_fragments(doc, cands, title_end_char)
        cands = [c for c in cands if not c.drop and c.start < c.end]
        self.coordinated_people(doc, cands)
        cands += self.aliases(doc, cands)
        cands += self.quoted_names(doc, cands)
        cands += self.media_names(doc, cands)
        cands += self.repeated_names(doc, cands)
        cands += self.acronym_mentions(doc, cands)
        if self.sports_report(doc):
            for c in cands:
                c.team = self.team_cue(doc, c)
        cands = dedupe(cands)
        cands = drop_descriptors(doc, cands)
        self.share_plural_suffix(doc, cands)
        self.institution_countries(doc, cands)
        cands += self.groups(doc, cands)
        for c in cands:  # no span starts with punctuation ("Y-affiliated group": not "-affiliated group")
            while c.start < c.end and is_punct(doc[c.start]):
                c.start += 1
        return [c for c in cands if c.start < c.end]

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
        elif text[:1].islower() and not is_acronym(text) and not ARTICLE_PREFIX.match(text):
            c.drop = True  # (but "el-Fasher", "al-Shabaab": an Arabic article before the name)
        elif all(t.like_num or not t.is_alpha for t in span):
            c.drop = True
        elif len(span) == 1 and low in self.lex.collectives and low.endswith("s") and span[0].i == span[0].sent.start \
                and text[1:].islower():
            c.drop = True  # "Rebels attacked the town": the unnamed collective, capitalised to open the sentence
        elif low in self.lex.titles or (len(span) == 1 and low in self.lex.title_modifiers):
            c.drop = True  # "President", or "Interior" cut from "Interior Minister"
        elif span[-1].lower_ in self.lex.non_entity_heads and c.votes.get(PERSON, 0) < 2:
            c.drop = True  # "the Great Drugs Route", "Cooperation 2000 exercises"
        elif span[0].lower_ in self.lex.demonyms and len(span) > 1 and all(
                t.lower_ in self.lex.demonyms or t.lower_ in self.lex.titles or t.is_lower or is_punct(t)
                for t in span[1:]):
            c.drop = True  # "Tajik border guard"
