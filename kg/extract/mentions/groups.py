"""Unnamed collectives ("five men", "the attackers", "some Tajik officials", "a group of
armed men") become group mentions."""

from __future__ import annotations

from typing import Any

from kg.extract.lexicon import Lexicon, word_set
from kg.extract.mentions.candidates import GROUP, Cand
from kg.extract.mentions.context import in_credit
from kg.extract.mentions.spans import taken_tokens
from kg.extract.mentions.vocabulary import COLLECTIVE_SINGULAR_HEADS, REPORTING_WORDS, SOURCE_SINGULARS

SIDE_NOUNS = word_set("mentions/side_nouns.txt")  # separatists, rebels, militants, ...

#: collective nouns written with a capital ("32 suspected Islamists")
CAPITALISED_COLLECTIVES = word_set("mentions/capitalised_collectives.txt")


def _unnamed_source(doc: Any, i: int, taken: set[int]) -> bool:
    """"a security source told", "an official said": a determiner before the noun phrase, no
    name after it ("army spokesman Mak X") and no name it stands in apposition to ("X, a police
    spokesman, said")."""
    n = len(doc)
    if i + 1 < n and (i + 1 in taken or doc[i + 1].tag_ in {"NNP", "NNPS"}):
        return False
    for k in range(i + 1, min(n, i + 12)):  # "the head of X's council, Ali Noor": the name's title
        if doc[k].tag_.startswith("VB") or doc[k].text in {".", ";"} or "\n" in doc[k].text:
            break
        if doc[k].text == "," and k + 1 < n and (k + 1 in taken or doc[k + 1].tag_ == "NNP"):
            return False
    j = i - 1
    while j >= 0 and doc[j].tag_ in {"JJ", "NN", "NNP", "HYPH", "VBN"} and j not in taken:
        j -= 1
    if j < 0 or doc[j].lower_ not in {"a", "an", "the", "one", "another"} and doc[j].tag_ not in {"POS", "PRP$"}:
        return False  # a determiner or a possessive ("Colombia's defence minister")
    # "Ali Noor, a police spokesman, said": the name's apposition
    return not (j >= 2 and doc[j - 1].text == "," and (j - 2) in taken and i + 1 < n and doc[i + 1].text == ",")


class GroupRules:
    """The group rule of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon

    def groups(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        taken = taken_tokens(cands)
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
            elif t.tag_ == "NN" and t.lower_ in self.lex.title_heads and t.dep_ == "nsubj" and \
                    doc[i].head.lower_ in REPORTING_WORDS and _unnamed_source(doc, i, taken) and not any(
                        c.title and c.start < i and t.lower_ in doc[c.title[0]:c.title[1]].text.lower() for c in cands):
                cls = "source"  # "the attorney general said", "Colombia's defence minister said"
            elif t.lower_ in self.lex.collectives and t.tag_ in {"NNS", "NN", "NNP", "NNPS"}:
                if t.tag_ == "NN" and t.lower_ not in COLLECTIVE_SINGULAR_HEADS and t.lower_ not in {"police", "media"} \
                        and not (t.lower_ in SOURCE_SINGULARS and _unnamed_source(doc, i, taken)) \
                        and not (t.lower_ in {"television", "radio", "tv"} and t.dep_ == "nsubj"):  # "state television reported"
                    i += 1
                    continue
                cls = self.lex.collectives[t.lower_]
            opens = t.i == t.sent.start or t.i > 0 and doc[t.i - 1].text in {"-", "—", "–", "--", ":", "_"}
            if cls is None or i in taken or t.text[:1].isupper() and not opens and not (
                    t.tag_ in {"NNS", "NNPS"} and t.text[1:].islower() and t.lower_ in CAPITALISED_COLLECTIVES):
                i += 1
                continue
            if in_credit(doc, i):
                i += 1  # "Video: GOVERNMENT OF X": a caption's credit
                continue
            if i > 0 and t.lower_ == "forces" and doc[i - 1].lower_ in {"join", "joined", "joins", "joining"}:
                i += 1  # "joined forces with": a verb phrase, not troops
                continue
            if i + width < n and doc[i + width].lower_ in self.lex.title_heads and (
                    doc[i + width].lower_ not in self.lex.collectives or doc[i + width].lower_ in SOURCE_SINGULARS):
                i += 1  # "police chief", "army spokesman": part of a title
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
            c.side = cls == "perpetrator" and doc[end - 1].lower_ in SIDE_NOUNS and any(
                doc[k].lower_ in self.lex.demonyms for k in range(start, i))
            out.append(c)
            taken.update(range(start, end))
            i = end
        return out
