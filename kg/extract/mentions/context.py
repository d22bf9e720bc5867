"""What the words around a name say about it, and names the model cut or missed:

- organisation evidence: a role noun after it ("Hizbul chief X", "Hizbul's financial chief X",
  "ISWAP members"), a group noun next to it ("the militant group X", "the X terrorist group"), a
  role or membership noun before it ("members of X", "the leader of X");
- person evidence: a kunya or patronymic particle first ("Abu Omar", "Bin Sami"), a role phrase in
  apposition ("X, a senior commander of Y");
- named groups written with a lower-case group noun ("the Makhachkala group", "the Wagner
  group", "the Kadar group"): one organisation, not a place;
- acronyms defined in brackets after a name ("the Arakan Army (AA)"): later bare uses of the
  acronym are mentions of it, in any script;
- span repairs: a demonym before a person's name is not part of it ("Kazakhs Rinat X"), name
  particles join the pieces the model split ("Harakat al-Nur wal-Adl"), a nickname in quotes
  inside a name stays in it ("Omar Salim “Lowa” Tal").
"""

from __future__ import annotations

import re
from typing import Any

from kg.extract.lexicon import Lexicon, word_set
from kg.extract.mentions.candidates import GROUP, ORG, PERSON, PLACE, Cand
from kg.extract.mentions.spans import POSSESSIVE, taken_tokens
from kg.extract.mentions.vocabulary import HEDGED_OPENERS
from kg.resolve.names import is_acronym
from kg.sources.header import AGENCIES

GROUP_NOUNS = word_set("mentions/group_nouns.txt")  # group, organisation, movement, militia, ...
GROUP_ADJECTIVES = word_set("mentions/group_adjectives.txt")  # militant, terrorist, rebel, banned, ...
MEMBER_PLURALS = word_set("mentions/member_plurals.txt")  # members, fighters, militants, commanders, ...
ROLE_BEFORE = word_set("mentions/role_before.txt")  # members of X, leader of X, ...
PERSON_PARTICLES_FIRST = word_set("mentions/person_particles.txt")  # Abu, Umm, Ibn, Bin, ...
NAME_JOINERS = word_set("mentions/name_particles.txt")  # al-, wal-, bin, de, von, ...
QUOTES = {"“", "”", '"', "‘", "’", "'"}
SLUG = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+){3,}|[a-z]+[A-Z][a-z]+[A-Z]\w*")
ALIAS_CUES = word_set("mentions/alias_cues.txt")
MEDIA_NOUNS = word_set("mentions/media_nouns.txt")
_AGENCIES_UPPER = frozenset(a.upper() for a in AGENCIES) | {"GETTY", "GETTY IMAGES", "EPA", "AP PHOTO", "ANADOLU"}
#: labels of a caption's credit line ("Photo: AFP", "Video: GOVERNMENT OF X")
CREDIT_LABELS = {"photo", "photos", "video", "image", "images", "picture", "pictures", "photograph", "credit",
                 "credits", "graphic", "illustration", "foto", "source", "courtesy"}


class ContextRules:
    """The context rules of :class:`~kg.extract.mentions.finder.MentionFinder`."""

    lex: Lexicon

    def context_votes(self, doc: Any, c: Cand) -> None:
        """Organisation and person evidence from the words around a name."""
        n = len(doc)
        span = doc[c.start:c.end]
        if c.label == "NORP" and len(span) == 1 or self.lex.is_demonym(span.text):
            return  # "the hardline Kashmiri rebel group": a demonym describes the group
        if span.text in AGENCIES and c.start and doc[c.start - 1].text in {"(", "[", "/"} and c.end < n and \
                doc[c.end].text in {")", "]"}:
            c.drop = True  # "BOGOTA (Reuters) -", "JOHN DOE (AFP)", "[Photo/Anadolu Agency]": a credit
            return
        agencies = _AGENCIES_UPPER
        if c.start >= 2 and doc[c.start - 1].text == "/" and doc[c.start - 2].text.upper() in agencies or (
                span.text.upper() in agencies and c.end + 1 < n and doc[c.end].text == "/"
                and doc[c.end + 1].text[:1].isupper()):
            c.drop = True  # "REUTERS/Ann Lee", "AFP/Getty Images": a photo credit
            return
        if any(SLUG.fullmatch(t.text) for t in span):
            c.drop = True  # "Articles-Index-TopPublishers": a link or a menu of the page, not a name
            return
        if c.end - c.start > 1 and doc[c.end - 1].lower_ in CREDIT_LABELS and c.end < n and doc[c.end].text == ":":
            c.end -= 1  # "... the Security Council Video: GOVERNMENT OF X": the caption's credit label
            span = doc[c.start:c.end]
        if in_credit(doc, c.start):  # "Photo: AFP", "Video: GOVERNMENT OF X": a credit, not the story
            c.drop = True
            return
        first = span[0].lower_
        after = c.end + 1 if c.end + 1 < n and doc[c.end].text in POSSESSIVE else c.end
        nxt = doc[after].lower_ if after < n else ""
        nxt2 = doc[after + 1].lower_ if after + 1 < n else ""
        before = doc[c.start - 1].lower_ if c.start else ""
        before2 = doc[c.start - 2].lower_ if c.start > 1 else ""
        titles = self.lex.title_heads
        org_evidence = 0.0
        # "Front chief Omar Tal", "the Front's financial chief", "VF's operations commander"
        if nxt in titles and after + 1 < n and (doc[after + 1].tag_ in {"NNP", "NNPS"} or after > c.end):
            org_evidence = 3.0
        elif after > c.end and nxt2 in titles and doc[after].tag_ in {"JJ", "NN", "NNS"}:
            org_evidence = 3.0
        # "ISWAP members stormed", "Hizbul commanders"
        if nxt in MEMBER_PLURALS and after == c.end:
            org_evidence = max(org_evidence, 2.5)
        # "the militant group Hizbul Mujahedin", "the terrorist group X", "the Jannat X terrorist group"
        if before in GROUP_NOUNS and (before2 in GROUP_ADJECTIVES or before2 in {"the", "a", "an"}):
            org_evidence = max(org_evidence, 3.0)
        if (nxt in GROUP_NOUNS and after == c.end) or (nxt in GROUP_ADJECTIVES and nxt2 in GROUP_NOUNS):
            org_evidence = max(org_evidence, 2.5)
        # "members of X", "the leader of X", "fighters of X"
        if before == "of" and before2 in ROLE_BEFORE:
            org_evidence = max(org_evidence, 2.0)
        if org_evidence and not (c.votes.get(PLACE, 0) >= 2.5 or c.gaz >= 3):
            c.vote(ORG, org_evidence)
        # "Abu Omar", "Bin Sami": a kunya or patronymic starts a person's name
        if first in PERSON_PARTICLES_FIRST and len(span) > 1 and span[1].text[:1].isupper():
            c.vote(PERSON, 2.0)
        # "X, a senior commander of Y", "X, the leader of Y": a person in apposition to a role
        if c.end + 2 < n and doc[c.end].text == "," and doc[c.end + 1].lower_ in {"a", "an", "the"}:
            for k in range(c.end + 2, min(n, c.end + 5)):
                if doc[k].lower_ in titles and doc[k].tag_ in {"NN", "NNS"}:
                    c.vote(PERSON, 1.5)
                    break
                if doc[k].tag_ not in {"JJ", "NN", "NNP", "HYPH", "JJS"}:
                    break

    def headline_fragments(self, doc: Any, cands: list[Cand], title_end_char: int) -> None:
        """Headlines and sub-headings are written in title case, so the model sees names in them
        that are not names ("Among Top Suspects", "Restless region"): a name found only in such a
        line, that the body never repeats and no list knows, is dropped; so is the last word of a
        text cut off in the middle of a sentence ("... Ugandan President Yo")."""
        text = doc.text
        heading_lines = []
        if title_end_char:
            heading_lines.append((0, title_end_char))
        pos = 0
        for line in text.split("\n"):
            words = line.split()
            if 0 < len(words) <= 4 and not line.rstrip().endswith((".", "!", "?", ":", '"', "”")) and pos:
                heading_lines.append((pos, pos + len(line)))
            elif pos < 400 and len(words) >= 6 and not line.lstrip().startswith("(") and _title_case(words):
                heading_lines.append((pos, pos + len(line)))  # the page's headline in title case, however long
            pos += len(line) + 1
        tail = text.rstrip()
        truncated = bool(tail) and tail[-1].isalpha()
        last_alpha = max((t.i for t in doc if t.is_alpha), default=-1)
        for c in cands:
            if c.drop or c.org_key or c.institution:
                continue
            if truncated and c.end - 1 == last_alpha and c.end - c.start == 1 and len(doc[c.start].text) <= 4 and \
                    text.count(doc[c.start:c.end].text) == 1:
                c.drop = True  # a word cut off by the end of the text
                continue
            start = doc[c.start].idx
            line = next(((a, b) for a, b in heading_lines if a <= start < b), None)
            if line is None or c.gaz >= 3:
                continue
            body = text[:line[0]] + text[line[1]:]
            name = doc[c.start:c.end].text
            words = [w for w in name.split() if len(w) > 2]
            if name in body or any(w in body for w in words if w[:1].isupper() and len(words) > 1 and w == words[-1]):
                continue  # repeated in the body (or its last name is: "Tal")
            c.drop = True

    def coordinated_people(self, doc: Any, cands: list[Cand]) -> None:
        """"Rinat Bek and Omar Tal", "A, B and C": a name the model labelled only weakly takes the
        type of the person it is listed with."""
        ordered = sorted((c for c in cands if not c.drop and not c.group_class), key=lambda c: c.start)
        for a, b in zip(ordered, ordered[1:]):
            between = doc[a.end:b.start]
            if not 0 < len(between) <= 2 or not all(t.lower_ in {"and", ",", "or"} for t in between):
                continue
            for x, y in ((a, b), (b, a)):
                strong = y.votes.get(PERSON, 0) - y.weak.get(PERSON, 0) >= 1.5 or y.label == "PERSON"
                weak_only = all(v <= x.weak.get(k, 0) for k, v in x.votes.items()) and not x.org_key
                if strong and weak_only and x.end - x.start >= 2 and x.votes.get(PLACE, 0) < 1:
                    x.vote(PERSON, 1.5)

    def named_groups(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"the Makhachkala group", "the Wagner group": a capitalised name before a lower-case group
        noun, after a determiner or a possessive, is one organisation."""
        out = []
        by_end = {c.end: c for c in cands if not c.drop}
        n = len(doc)
        for t in doc:
            if t.lower_ not in GROUP_NOUNS or not t.text.islower() or t.tag_ not in {"NN", "NNS"}:
                continue
            e = t.i
            s = e
            named = taken_tokens(cands)
            while s > 0 and (doc[s - 1].tag_ in {"NNP", "NNPS"} or (s - 1) in named) and doc[s - 1].text[:1].isupper() \
                    and e - s < 4:
                s -= 1
            if s == e or self.lex.is_demonym(doc[s:e].text) or doc[s:e].text.isupper() and len(doc[s:e].text) <= 3:
                continue
            if not (s > 0 and (doc[s - 1].lower_ in {"the", "a", "an", "this", "that"} or doc[s - 1].text in POSSESSIVE
                               or doc[s - 1].lower_ in GROUP_ADJECTIVES)):
                continue
            inner = [c for c in cands if not c.drop and s <= c.start and c.end <= e]
            if any(c.org_key or c.institution for c in inner) or any(
                    c.votes.get(PERSON, 0) >= 3 for c in inner):
                continue  # "the Islamic State group": the organisation is already known
            for c in inner:
                c.drop = True
            g = Cand(s, e + 1, source="named-group")
            g.vote(ORG, 4.0)
            g.kind = "armed group" if e + 1 < n else None
            out.append(g)
            by_end[e + 1] = g
        return out

    def acronym_mentions(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"the Arakan Army (AA) ... the AA attacked": every later bare use of an acronym defined in
        brackets after a name is a mention of that name."""
        taken = taken_tokens(cands)
        defined: dict[str, Cand] = {}
        n = len(doc)
        for c in cands:
            if c.drop or c.group_class or c.end + 2 >= n:
                continue
            if doc[c.end].text == "(" and doc[c.end + 2].text == ")" and is_acronym(doc[c.end + 1].text):
                defined.setdefault(doc[c.end + 1].text, c)
        out = []
        if not defined:
            return out
        for t in doc:
            src = defined.get(t.text)
            if src is None or t.i in taken:
                continue
            c = Cand(t.i, t.i + 1, source="acronym")
            c.org_key, c.kind, c.institution, c.country = src.org_key, src.kind, src.institution, src.country
            best = max(src.votes.items(), key=lambda kv: kv[1])[0] if src.votes else ORG
            c.vote(best if best != GROUP else ORG, 2.0)
            out.append(c)
            taken.add(t.i)
        return out

    def aliases(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"Sami aka “Fox”", "Omar Tal alias Abu Sami", "Tal, also known by his nom de
        guerre Mullo Omar", "Ivan Petrov (aka Abu Ivan)": another name of the same
        person (a candidate of its own if the model missed it)."""
        by_end: dict[int, Cand] = {}
        for c in cands:
            if not c.drop and not c.group_class:
                by_end[c.end] = c
        starts = {c.start: c for c in cands if not c.drop}
        out = []
        n = len(doc)
        for t in doc:
            if t.lower_ not in ALIAS_CUES:
                continue
            k = t.i + 1
            if t.lower_ in {"known", "aka"} and k < n and doc[k].lower_ == "as":
                k += 1
            if t.lower_ == "guerre" or t.lower_ == "nickname":
                pass
            name_end = t.i
            while name_end > 0 and doc[name_end - 1].text in {",", "(", "also", "his", "her", "by"}:
                name_end -= 1
            if t.lower_ == "guerre":  # "by his nom de guerre X"
                j = t.i - 1
                while j > 0 and doc[j].lower_ in {"de", "nom", "his", "her", "by", "known", "also", ","}:
                    j -= 1
                name_end = j + 1
            owner = by_end.get(name_end)
            if owner is None:
                continue
            while k < n and doc[k].text in QUOTES | {"(", ","}:
                k += 1
            e = k
            while e < n and e - k < 4 and doc[e].text[:1].isupper() and doc[e].is_alpha or (
                    e < n and e > k and doc[e].text in {"-"} and e + 1 < n and doc[e + 1].text[:1].isalpha()):
                e += 1
            if e == k:
                continue
            alias = starts.get(k)
            if alias is None:
                alias = Cand(k, e, source="alias")
                out.append(alias)
            alias.alias_of = owner.start
            alias.vote(PERSON, 3.0)
            owner.vote(PERSON, 1.5)
        # "Jund al-Khilafah (Soldiers of the Caliphate)", "Ivan Petrov (Abu Ivan)": a
        # name in brackets right after a name is another name of it
        for c in cands:
            if c.drop or c.group_class or c.alias_of is not None or c.start < 2 or doc[c.start - 1].text != "(":
                continue
            if c.end < n and doc[c.end].text == ")" and is_acronym(doc[c.start:c.end].text):
                continue  # acronyms are joined by coreference
            owner = by_end.get(c.start - 1)
            if owner is not None and owner is not c and c.end < n and doc[c.end].text == ")":
                c.alias_of = owner.start
                best = max(owner.votes.items(), key=lambda kv: kv[1])[0] if owner.votes else None
                if best in {PERSON, ORG}:
                    c.vote(best, 2.0)
        return out

    def quoted_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"arrested “El Lobo,” the leader of the cartel": a capitalised name in quotes with a role
        in apposition after it is a person."""
        taken = taken_tokens(cands)
        out = []
        n = len(doc)
        for t in doc:
            if t.text not in {"“", '"'} or t.i + 1 >= n:
                continue
            k = t.i + 1
            e = k
            while e < n and e - k < 4 and doc[e].text[:1].isupper() and doc[e].is_alpha and e not in taken:
                e += 1
            if e == k or e >= n:
                continue
            j = e
            while j < n and doc[j].text in {",", "”", '"'}:
                j += 1
            if j + 1 < n and doc[j].lower_ in {"the", "a", "an"} and doc[j + 1 if doc[j + 1].tag_ != "JJ" else j + 2].lower_ \
                    in self.lex.title_heads:
                c = Cand(k, e, source="quoted-name")
                c.vote(PERSON, 2.5)
                out.append(c)
                taken.update(range(k, e))
        return out

    def media_names(self, doc: Any, cands: list[Cand]) -> list[Cand]:
        """"its Amaq news service", "the Dawn newspaper": a capitalised name before a lower-case
        media noun is a media organisation (the noun is not part of its name)."""
        taken = taken_tokens(cands)
        out = []
        for t in doc:
            if t.lower_ not in MEDIA_NOUNS or not t.text.islower():
                continue
            e = t.i
            if e > 0 and doc[e - 1].lower_ in {"news", "press", "state", "online"}:
                e -= 1  # "news service", "news agency"
            s = e
            while s > 0 and doc[s - 1].tag_ in {"NNP", "NNPS"} and doc[s - 1].text[:1].isupper() and e - s < 4:
                s -= 1
            if s < e:  # the model's "X news agency": the name is X, the rest describes it
                for c in cands:
                    if c.start == s and c.end == t.i + 1 and not c.drop and not c.org_key:
                        c.end = e
                        taken.difference_update(range(e, t.i + 1))
            if s == e or any(i in taken for i in range(s, e)) or self.lex.is_demonym(doc[s:e].text):
                for c in cands:
                    if c.start == s and c.end == e and not c.drop:
                        c.vote(ORG, 2.5)
                        c.kind = c.kind or "media"
                continue
            c = Cand(s, e, source="media-name")
            c.vote(ORG, 2.5)
            c.kind = "media"
            out.append(c)
            taken.update(range(s, e))
        return out

    def repair_span(self, doc: Any, c: Cand) -> None:
        """A demonym before a person's name is an attribute; name particles and quoted nicknames
        are part of the name."""
        n = len(doc)
        span = doc[c.start:c.end]
        if not len(span):
            return
        cut = next((k for k in range(c.start, c.end) if doc[k].text in {"(", "[", ":"} or (
            doc[k].text == "/" and k > c.start and doc[k - 1].text[1:].islower())), None)
        if cut is not None and cut > c.start:
            c.end = cut  # "the Free Hills Front (FHF": the name ends at the bracket
            span = doc[c.start:c.end]
        if not len(span):
            return
        if len(span) > 1 and span[0].i == span[0].sent.start and span[0].lower_ in HEDGED_OPENERS:
            c.start += 1  # "Suspected Taliban militants killed ...": the sentence's first word
            span = doc[c.start:c.end]
        second = span[1].lower_.rstrip(".") if len(span) > 1 else ""
        plural = span[0].lower_.endswith("s") and self.lex.is_demonym(span[0].text[:-1])
        if len(span) >= 3 and (plural or c.label == "PERSON" and self.lex.is_demonym(span[0].text)) and \
                second not in self.lex.title_firsts and second not in self.lex.title_modifiers:
            c.start += 1  # "Kazakhs Omar Tal" (not "German Chancellor X": a title follows)
        # a name never ends in a lower-case word or a preposition ("X of drug"), nor runs on into
        # the place after it ("the Paradise Hotel near Mombasa")
        span = doc[c.start:c.end]
        for k in range(1, len(span)):
            t = span[k]
            if t.lower_ in {"near", "in", "at", "outside", "from", "on", "off"} and t.text.islower():
                c.end = c.start + k
                break
        while c.end - c.start > 1 and (doc[c.end - 1].text.islower() and doc[c.end - 1].is_alpha
                                       and doc[c.end - 1].lower_ not in NAME_JOINERS or doc[c.end - 1].text in {"-", "–"}):
            if c.end - c.start > 2 and doc[c.end - 2].text in {"-", "–"} and not doc[c.end - 2].whitespace_ \
                    and not doc[c.end - 3].whitespace_ and doc[c.end - 3].text[:1].isupper():
                break  # "Kim Myong-chol": a hyphenated name's lower-case second part
            c.end -= 1
        while c.end - c.start > 1 and doc[c.end - 1].lower_ in {"of", "for", "and", "the", "in", "at", "near"}:
            c.end -= 1
        # "Harakat al-Nur" + "wal-Adl": a particle and a hyphen join the next capitalised piece
        while c.end + 2 < n and doc[c.end].lower_ in NAME_JOINERS and doc[c.end + 1].text in {"-", "–"} \
                and doc[c.end + 2].text[:1].isupper() and not doc[c.end].is_space:
            c.end += 3
        # "Omar Salim “Lowa” Tal"
        if c.label == "PERSON" and c.end + 3 < n and doc[c.end].text in QUOTES and doc[c.end + 2].text in QUOTES \
                and doc[c.end + 1].text[:1].isupper() and doc[c.end + 3].tag_ == "NNP" \
                and doc[c.end + 3].text[:1].isupper():
            c.end += 4


def _title_case(words: list[str]) -> bool:
    """Whether a line is written in title case: nearly every word of three letters or more
    capitalised ("Somali Group Linked to al Qaeda Among Top Suspects")."""
    long = [w.strip("\"“”‘’'()[],.:;-") for w in words]
    long = [w for w in long if len(w) >= 3 and w.isalpha()]
    return len(long) >= 5 and sum(w[:1].isupper() for w in long) >= 0.85 * len(long)


def in_credit(doc: Any, i: int) -> bool:
    """Whether token ``i`` is in a caption's credit ("Photo: AFP", "Video: GOVERNMENT OF X"): a
    credit label and a colon before it on the same line, a few words back."""
    k = i - 1
    while k >= 0 and "\n" not in doc[k].text and doc[k].text != ":" and k > i - 6:
        k -= 1
    return k >= 1 and doc[k].text == ":" and doc[k - 1].lower_ in CREDIT_LABELS

