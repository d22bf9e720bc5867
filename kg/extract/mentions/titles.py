"""Titles and job titles: split off the name ("Major-General Aziz Karimov"), read from the
words before it ("French interior minister Jean Dupont"), and names the model missed after a
title ("wounded Staff Sergeant Anna Novak")."""

from __future__ import annotations

from typing import Any

from kg.extract.lexicon import Lexicon
from kg.extract.mentions.candidates import ORG, PERSON, PLACE, Cand
from kg.extract.mentions.spans import taken_tokens
from kg.extract.mentions.vocabulary import DETERMINERS, WORD_TITLES
from kg.resolve.gazetteer import Gazetteer
from kg.resolve.organisations import OrgLexicon


class TitleRules:
    """The title rules of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon
    orgs: OrgLexicon
    gaz: Gazetteer
    title_words: set[str]

    def strip_title_inside(self, doc: Any, c: Cand) -> None:
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

    def names_after_titles(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"wounded Staff Sergeant Anna Novak": a capitalised title followed by
        capitalised words is a person even when the model tags nothing."""
        taken = taken_tokens(cands)
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

    def title_before(self, doc: Any, c: Cand) -> None:
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
            if t.tag_ == "IN" and 0 < i < len(doc) - 1 and doc[i - 1].text == "-" and doc[i + 1].text == "-" \
                    and not doc[i - 1].whitespace_ and not t.whitespace_:
                words.append(i)  # "leader-in-exile", "commander-in-chief" written as one word
                i -= 1
                continue
            if t.is_space or t.tag_ in {"DT", "IN", "CC", "PRP$", "WDT", "WP", "WP$", "POS", "CD", "TO"} or \
                    (t.is_punct and t.text not in {"-", "–"}) or t.tag_.startswith("VB") or t.tag_ == "RB":
                break
            if low in DETERMINERS:
                break
            words.append(i)
            i -= 1
        if not words:
            return
        words.reverse()
        # the word next to the name must end a title ("minister", "officer", "Private"); a
        # hyphenated title is headed by its first word ("leader-in-exile")
        k = words[-1]
        while k - 2 >= words[0] and doc[k - 1].text == "-" and not doc[k - 1].whitespace_ and not doc[k - 2].whitespace_:
            k -= 2
        head = doc[k]
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
