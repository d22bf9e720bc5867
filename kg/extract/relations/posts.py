"""Posts: job titles and role phrases that put a person in an organisation.

- a title before a name: "Kyrgyz interior minister X", "Former KGB officer X", "Valley Brigade
  chief X", "the Front's political leader X" (the organisation named in the title or owning it,
  else the institution the title implies in the country it names or the text is about);
- a role phrase in apposition or after a copula: "X, a senior commander of Y", "the ringleader of
  Y, X", "X is a Reuters correspondent", "X was Y's topmost commander", "the group's spokesman, X"
  (the organisation just named);
- the relation a post implies: heads of an organisation (leader, commander, chief, founder,
  president, minister ...; a senior or field commander still commands, a deputy does not) lead
  it, everyone else is a member, and a former post is a former membership.
"""

from __future__ import annotations

import re
from typing import Any

from kg.extract.context import Extra
from kg.extract.lexicon import title_role
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.relations.base import Base, PostFound, split_off, vocab
from kg.extract.words import singular

#: words that pick some of a set ("one of its commanders, X", "X, one of the founders of Y")
PARTITIVES = frozenset({"one", "two", "three", "some", "several", "many", "most", "another", "each", "both", "all"})


class Posts(Base):
    def title_post(self, holder: int, cand: Any) -> None:
        if cand.title is None:
            return
        ctx = self.ctx
        s, e = cand.title
        toks = list(ctx.doc[s:e])
        title = ctx.doc[s:e].text.strip(" ,")
        words_low = [t.lower_.rstrip(".") for t in toks]
        role = singular(title_role(words_low))
        org = None
        for t in toks:  # an organisation named inside the title: "Former KGB officer"
            ci = ctx.cluster_at(t.i)
            if ci is not None and ctx.type_of(ci) == ORG:
                org = ci
                break
        k = s - 1  # "the Front's political leader X", "LeT's operations commander X"
        while k >= 1 and ctx.doc[k].tag_ in {"NN", "NNS", "JJ", "HYPH"} and ctx.doc[k].is_lower \
                and ctx.cluster_at(k) is None:
            k -= 1
        if org is None and k >= 1 and ctx.doc[k].tag_ == "POS":
            owner = self.subject(ctx.doc[k - 1])
            if owner is not None and ctx.type_of(owner) == ORG:
                org = owner
        if org is None and s >= 1 and ctx.doc[s - 1].lower_ == "whose":  # "the Front, whose leader X"
            rel = ctx.doc[s - 1]
            while rel.dep_ not in {"relcl", "acl"} and rel.head.i != rel.i:
                rel = rel.head
            owner = self.subject(rel.head) if rel.dep_ in {"relcl", "acl"} else None
            if owner is not None and ctx.type_of(owner) == ORG:
                org = owner
        if org is None and k >= 0 and k == s - 1:  # "IRPT leader-in-exile X": the name right before
            if ctx.doc[k].text == ")":  # "State Security Service (SSS) spokesman X": past its acronym
                k = next((j - 1 for j in range(k - 1, max(k - 6, 0), -1) if ctx.doc[j].text == "("), k)
            ci = ctx.cluster_at(k)
            if ci is not None and ctx.type_of(ci) == ORG:
                org = ci
        if org is None:
            org = self.implied_institution(words_low, cand.start)
        if org is None and role == "deputy" and len(words_low) == 1:
            org = self.institution("parliament", cand.start, [])
        self.add_post(holder, title, role, org, cand.start, former=bool({"former", "ex"} & set(words_low)),
                      modifiers=set(words_low[:-1]), voice="title")

    def implied_institution(self, words_low: list[str], anchor: int) -> int | None:
        for pattern, key, countries in self.ctx.lex.title_institutions:
            if all(p in words_low for p in pattern):
                if key == "-":
                    return None
                if countries and self.title_country(words_low, anchor) not in countries:
                    continue  # a row for some countries only ("Chancellor" in Britain: the finance minister)
                return self.institution(key, anchor, words_low)
        return None

    def title_country(self, words_low: list[str], anchor: int) -> str | None:
        ctx = self.ctx
        country = next((ctx.lex.demonym_country(w) for w in words_low if ctx.lex.demonym_country(w)), None)
        if country is None:  # a country named in the title: "US Secretary of State", "UK Foreign Secretary"
            country = next((p.country for w in words_low if w not in ctx.lex.title_modifiers and len(w) > 1
                            and w not in ctx.lex.titles and (p := ctx.gaz.best(w, "country")) is not None), None)
        if country is None:
            near = ctx.countries_near(anchor)
            country = near[0] if near else None
        return country

    def institution(self, key: str, anchor: int, words_low: list[str]) -> int | None:
        ctx = self.ctx
        country = self.title_country(words_low, anchor)
        if country is None or key not in ctx.orgs.institutions:
            return None
        inst = ctx.orgs.institutions[key]
        return ctx.add_extra(Extra(inst.label, ORG, inst.kind, country, f"institution/{key}"))

    def relation_of_post(self, role: str, title: str, modifiers: set[str], former: bool) -> str:
        if former:
            return "formerMemberOf"
        if modifiers & vocab("not_head"):
            return "memberOf"
        if role in vocab("commanding_roles"):
            return "headOf"  # "a senior commander", "the top commander", "field commander"
        if (role in vocab("head_roles") or self.cabinet_secretary(role, title)) and not modifiers & vocab("not_head_office"):
            return "headOf"
        return "memberOf"

    def add_post(self, holder: int, title: str, role: str, org: int | None, anchor: int, *,
                 former: bool = False, modifiers: set[str] = frozenset(), confidence: float = 0.75,
                 voice: str = "role") -> None:
        """A post and the membership or leadership it implies. ``voice``: "title" for a title
        before a name (the narrator's way of naming someone, or the quoted speaker's), "role" for a
        role phrase (said by whoever says the clause it stands in)."""
        key = (holder, role, org)
        if key in self._post_keys or not role:
            return
        self._post_keys.add(key)
        ctx = self.ctx
        self.posts.append(PostFound(holder, title, role, org, anchor, ctx.sent_of[anchor], former, confidence))
        if org is None:
            return
        rel = self.relation_of_post(role, title, modifiers, former)
        self.add(holder, rel, org, anchor, confidence * 0.95, cue=title, description=voice)

    def cabinet_secretary(self, role: str, title: str) -> bool:
        """"Secretary of Defense", "Foreign Secretary", "US Secretary of State": a secretary with
        a portfolio heads a department (a "state secretary" or a "press secretary" does not)."""
        if role != "secretary":
            return False
        words = [w.strip(".,") for w in re.split(r"[\s-]+", title.lower())]
        portfolio = self.ctx.lex.portfolio_words
        for k, w in enumerate(words):
            if w != "secretary":
                continue
            rest = [w for w in words[k + 1:k + 4] if w != "the"]
            if len(rest) > 1 and rest[0] in {"of", "for"} and rest[1] in portfolio:
                return True  # "Secretary of State", "Secretary for Defence", "Secretary of the Treasury"
            if k and words[k - 1] in portfolio - {"state"}:
                return True  # "Defence Secretary", "Foreign Secretary" (not a "state secretary")
        return False

    # --- appositions and copulas ---------------------------------------------------------------
    def apposition(self, tok: Any) -> None:
        """"X, the deputy commander of frontier troops" / "the head of ..., X" / "the group's
        spokesman, X" / "Radio Azattyk, the Kyrgyz Service of RFE/RL"."""
        ctx = self.ctx
        head = tok.head
        a_ent, h_ent = ctx.cluster_at(tok.i), ctx.cluster_at(head.i)
        if a_ent is not None and ctx.type_of(a_ent) == PERSON and h_ent is not None and ctx.type_of(h_ent) == ORG:
            # "the head of Kyrgyzstan's Security Council, John Smith" parsed with the name on
            # the organisation: the role noun is higher up
            node = head
            while node.dep_ in {"pobj", "prep", "poss", "compound", "appos"} and node.head.i != node.i:
                node = node.head
                if node.tag_.startswith("NN") and ctx.cluster_at(node.i) is None:
                    self.role_phrase(a_ent, node, exclude=tok)
                    break
        elif h_ent is not None and ctx.type_of(h_ent) == PERSON and (a_ent is None or ctx.type_of(a_ent) == GROUP):
            # a role noun right before the name, with no comma between, is a title ("President X")
            title = tok.i < head.i and not any(t.text == "," for t in ctx.doc[tok.i:head.i])
            for holder in self.holders(head, {PERSON}):
                self.role_phrase(holder, tok, voice="title" if title else "role")
        elif a_ent is not None and ctx.type_of(a_ent) == PERSON and h_ent is None:
            self.role_phrase(a_ent, head, exclude=tok)
        elif h_ent is not None and ctx.type_of(h_ent) == ORG and (
                tok.lower_ in vocab("suborg_nouns") or split_off(tok)):
            # "X, a splinter group of Y", "X, Y's breakaway faction": X left Y, it is no part of it
            rel = "formerMemberOf" if split_off(tok) else "subOrganizationOf"
            for parent in self.objects(tok, {ORG}):
                if parent != h_ent:
                    self.add(h_ent, rel, parent, tok.i, 0.75, cue=tok.text)
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            parent = self.subject(owner) if owner is not None else None
            if parent is not None and parent != h_ent and ctx.type_of(parent) == ORG:
                self.add(h_ent, rel, parent, tok.i, 0.75, cue=tok.text)  # "X, Y's northern wing"

    def role_phrase(self, holder: int, noun: Any, exclude: Any = None, voice: str = "role") -> None:
        """A title phrase headed by ``noun`` describing ``holder``."""
        ctx = self.ctx
        if noun.lower_ in PARTITIVES:  # "one of its commanders, X": the commanders
            of = next((p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"), None)
            if of is not None:
                noun = of
        low = singular(noun.lower_)
        after = ctx.doc[noun.i + 1:noun.i + 5]
        if len(after) == 4 and [t.text for t in after][::2] == ["-", "-"] and after[1].lower_ == "in":
            low = f"{noun.lower_}-in-{after[3].lower_}"  # "second-in-command", "commander-in-chief"
        if low in self.w.relation_nouns and self.w.relation_nouns[low][1] in {"relativeOf", "alliedWith", "linkedTo"}:
            return  # relation nouns
        if low not in ctx.lex.title_heads and low not in self.w.relation_nouns and low not in vocab("member_nouns"):
            return
        skip = {t.i for t in exclude.subtree} if exclude is not None else set()
        toks = [t for t in noun.subtree if t.i not in skip and t.dep_ not in {"relcl"}]
        span = []
        for t in toks:  # stop at a comma or a relative clause after the noun
            if t.i > noun.i and (t.text in {",", ";", "(", "–", "—"} or t.dep_ == "relcl" or t.dep_ == "prep" and t.lower_ in {
                    "during", "after", "before", "since", "near", "until", "following", "amid", "despite"}):
                break  # "the commander of Y during an encounter at Z": the title ends at Y
            span.append(t)
        while span and (span[0].lower_ in {"the", "a", "an", "all", "both", "whose"} or span[0].is_punct):
            span = span[1:]
        while span and span[-1].is_punct:
            span = span[:-1]
        if not span:
            return
        title = ctx.doc[span[0].i:span[-1].i + 1].text
        org = None
        for t in span:
            if t.i < noun.i and t.dep_ in {"compound", "nmod", "poss"}:
                ci = ctx.cluster_at(t.i) if t.dep_ != "poss" else self.org_anaphor(t)
                if ci is None and t.dep_ == "poss":
                    ci = self.subject(t)
                if ci is not None and ctx.type_of(ci) == ORG:
                    org = ci
        if org is None:
            objs = self.objects(noun, {ORG}, preps={"of", "for", "at", "with", "to", "in"})
            org = objs[0] if objs else None
            # "professor of International Relations at Karachi University": the place of work
            at = [ci for t in span if t.lower_ == "at" and t.dep_ == "prep" and t.i > noun.i
                  for ci in ctx.clusters_under(t, {ORG})]
            if at:
                org = at[0]
        words_low = [t.lower_ for t in span]
        if org is None:
            org = self._institution_in(span, words_low)
        modifiers = {t.lower_ for t in span if t.i < noun.i}
        if low in vocab("member_nouns") and org is not None:
            rel = "formerMemberOf" if "former" in modifiers else "memberOf"
            self.add(holder, rel, org, noun.i, 0.8, cue=title, description=voice, nouns=[noun])
            return
        self.add_post(holder, title, low, org, noun.i, former="former" in modifiers, modifiers=modifiers, voice=voice)

    def _institution_in(self, span: list[Any], words_low: list[str]) -> int | None:
        ctx = self.ctx
        for phrase_len in (3, 2):
            for k in range(len(span) - phrase_len + 1):
                inst = ctx.orgs.institution(" ".join(words_low[k:k + phrase_len]))
                if inst is not None:
                    return self.institution(inst.key, span[0].i, words_low)
        if "government" in words_low:
            place = next(iter(ctx.clusters_in(span[0].i, span[-1].i + 1, {PLACE})), None)
            country = ctx.place_country(place) if place is not None else None
            if country:
                inst = ctx.orgs.institutions["government"]
                return ctx.add_extra(Extra(inst.label, ORG, inst.kind, country, "institution/government"))
        return self.implied_institution(words_low, span[0].i)

    def copula(self, be: Any) -> None:
        """"X is an IWPR contributor", "he has been a member of the IMU", "Dar was the group's
        topmost commander", "the group involved was the Islamic Movement of Turkestan"."""
        ctx = self.ctx
        subj = next((c for c in be.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        attr = next((c for c in be.children if c.dep_ in {"attr", "acomp"}), None)
        if subj is None or attr is None:
            return
        holders = self.holders(subj)
        if not holders:
            return
        a_ent = ctx.cluster_at(attr.i)
        if split_off(attr):
            for s_ent in holders:  # "X is a splinter group of Y"
                for parent in self.objects(attr, {ORG}, preps={"of", "from"}):
                    if ctx.type_of(s_ent) == ORG:
                        self.add(s_ent, "formerMemberOf", parent, attr.i, 0.65, cue=f"splinter {attr.text}")
            return
        if a_ent is None or ctx.type_of(a_ent) == GROUP and ctx.type_of(holders[0]) == PERSON:
            for s_ent in holders:
                if ctx.type_of(s_ent) in {PERSON, GROUP}:
                    self.role_phrase(s_ent, attr)
            return
        for s_ent in holders:
            if ctx.type_of(s_ent) == GROUP and ctx.type_of(a_ent) == ORG:
                self.add(s_ent, "memberOf", a_ent, attr.i, 0.6, cue="identified as")
