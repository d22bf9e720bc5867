"""Organisations: well-known organisations from the lexicon, state institutions and the
countries that qualify them ("the Kyrgyz security council", "Kyrgyzstan's Security Council"),
organisation head words, and descriptive appositions that are not another organisation."""

from __future__ import annotations

from typing import Any

from kg.extract.lexicon import Lexicon
from kg.extract.mentions.candidates import ORG, Cand
from kg.extract.mentions.spans import POSSESSIVE, taken_tokens
from kg.extract.mentions.vocabulary import DESCRIPTOR_HEADS, FUNCTION_WORDS, GENERIC_INSTITUTION_WORDS, HEDGED_OPENERS
from kg.resolve.gazetteer import Gazetteer
from kg.resolve.names import is_acronym
from kg.resolve.organisations import OrgLexicon


class OrganisationRules:
    """The organisation rules of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon
    orgs: OrgLexicon
    gaz: Gazetteer
    org_matcher: Any
    org_matcher_lower: Any
    inst_matcher: Any

    def add_lexicon_orgs(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        taken = taken_tokens(cands)
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

    def add_institutions(self, doc: Any, cands: list[Cand]) -> list[Cand]:
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

    def add_name_runs(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """Capitalised words ending in an organisation's head word that the model left out ("the
        Valley Cartel controls", "the Northern Front"): an organisation's name. A shorter
        candidate inside the run is grown to it."""
        out = [c for c in cands if not c.drop]
        n = len(doc)
        i = 0
        while i < n:
            t = doc[i]
            if not (t.lower_ in self.lex.org_heads and t.text[:1].isupper() and t.text[1:2].islower()):
                i += 1
                continue
            k = i
            while k - 1 >= 0 and _name_word(doc[k - 1]) and not doc[k - 1].is_space and "\n" not in doc[k - 1].text:
                k -= 1
            start = k
            while start < i and doc[start].i == doc[start].sent.start and doc[start].lower_ in FUNCTION_WORDS | HEDGED_OPENERS:
                start += 1  # "The Valley Cartel" at a sentence start: "The" is not part of it
            if start == i:
                i += 1
                continue
            inside = [c for c in out if start <= c.start and c.end <= i + 1]
            across = [c for c in out if c.start < i + 1 and start < c.end and c not in inside]
            if across or any(c.org_key or c.institution or c.label == "PERSON" for c in inside):
                i += 1
                continue
            if len(inside) == 1 and inside[0].start == start and inside[0].end == i + 1:
                i += 1
                continue  # the model has it
            for c in inside:
                c.drop = True
            c = Cand(start, i + 1, source="name-run")
            kind, _ = self.lex.org_heads[t.lower_]
            c.kind = kind
            c.vote(ORG, 2.5)
            out.append(c)
            i += 1
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
            if not countries and t.tag_ in {"NNP", "NNPS"}:  # "the US military", "the DR Congo army"
                country, cstart = self._country_ending_at(doc, i + 1, cands)
                while country and cstart <= i and doc[cstart].tag_ == "DT":
                    cstart += 1
                if country and cstart <= i and (cstart == 0 or doc[cstart - 1].tag_ not in {"NNP", "NNPS"}):
                    countries.append(country)
                    start = cstart
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
            if any(t.is_space or t.is_punct and t.text not in {"-", "."} or "\n" in t.text for t in doc[k:poss]) or \
                    not doc[k].text[:1].isalnum():
                continue  # never from another line or across punctuation (". \nSudan’s")
            text = doc[k:poss].text
            p = self.gaz.best(text, "country")
            if p and p.country:
                return p.country, k
        return None, poss

    def institution_countries(self, doc: Any, cands: list[Cand]) -> None:
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

    def org_words(self, doc: Any, c: Cand) -> None:
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


def drop_descriptors(doc: Any, cands: list[Cand]) -> list[Cand]:
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


def _name_word(t: Any) -> bool:
    """A word that can stand in an organisation's name before its head word ("Valley", "Popular",
    "Al-Nasr", "People's")."""
    return t.tag_ in {"NNP", "NNPS", "JJ", "HYPH"} and (t.text[:1].isupper() or t.text in {"-"})

