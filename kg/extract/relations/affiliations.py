"""Membership, leadership, links, alliances, parts and kinship from nouns, verbs and adjectives:

- relation nouns with their holder and object: "has been a member of the IMU", "with links to
  X", "its Taleban allies", "a relative of Marek", "the Front has ties with Y", "suspected members
  of Y" (the unnamed collective itself), "named A and B as leaders of Y" (both);
- verbs: "belonged to", "joined", "leads", "heads", "commands", "founded", "set up", "works for",
  "defected from", and their passives with an agent ("Y is led by X", "a group headed by X",
  "founded in 2009 by A and B");
- adjectives and participles: "closely allied to Y", "linked to Y", "affiliated with Y",
  "al Qaeda-linked militants";
- parts: "Y's northern wing", "its front organisation, Z", "Z, a jihadist alliance that includes Y".
"""

from __future__ import annotations

from typing import Any

from kg.extract.lexicon import word_table
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.relations.base import ACTORS, Base, forms, split_off, vocab


def _table(name: str) -> dict[str, tuple[str, set[str] | None]]:
    rows = word_table(f"relations/{name}")
    return {r[0]: (r[1], None if r[2] == "-" else set(r[2].split(","))) for r in rows}


#: verb -> (relation, prepositions that introduce the object; None: the direct object)
VERB_RELATIONS = _table("verbs.tsv")
#: relations whose passive subject is the organisation and whose agent is the person ("Y is led by X")
AGENT_HOLDS = {"headOf"}
#: verbs whose subject is the one a charge in their object is about ("X faces charges of ...")
FACING = forms("face") | forms("deny") | forms("reject") | forms("dispute") | forms("contest") | forms("fight")
#: verbs of founding, whose agent may be an unnamed group
FOUNDING = {"found", "co-found", "establish", "set up", "form", "create", "co-create"}
#: adjectives and participles that relate their noun to an organisation: word -> (relation, preps)
ADJECTIVES = {k: (rel, preps or set()) for k, (rel, preps) in _table("adjectives.tsv").items()}


def verb_base(tok: Any) -> str | None:
    low = tok.lower_
    for base in VERB_RELATIONS:
        if " " in base:
            head, particle = base.split(" ", 1)
            if low in forms(head) and any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children):
                return base
        elif low in forms(base):
            if base in {"set"}:
                continue
            return base
    return None


class Affiliations(Base):
    # --- the founding of a group -------------------------------------------------------------
    def founding(self, noun: Any) -> None:
        """"its 1964 founding by A", "the creation of Y by A and B", "Y's establishment by A":
        the founders head the organisation (as "Y was founded by A")."""
        ctx = self.ctx
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if by is None:
            return
        org = None
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if poss is not None:
            org = ctx.cluster_at(poss.i)
            if org is None:
                org = self.org_anaphor(poss)
        elif of is not None:
            org = next((ci for p in of.children if p.dep_ == "pobj" for ci in self.holders(p, {ORG, GROUP})), None)
        if org is None or ctx.type_of(org) not in {ORG, GROUP}:
            return
        for p in by.children:
            if p.dep_ == "pobj":  # founders may be unnamed ("by a group of students")
                for person in self.holders(p, {PERSON, GROUP}):
                    if ctx.type_of(person) in {PERSON, GROUP} and person != org:
                        self.add(person, "headOf", org, noun.i, 0.7, cue=noun.text)

    # --- relation nouns ---------------------------------------------------------------------
    def relation_noun(self, noun: Any) -> None:
        ctx = self.ctx
        base, rel = self.w.relation_nouns[noun.lower_]
        own = ctx.cluster_at(noun.i)
        if own is not None and ctx.type_of(own) != GROUP:
            return  # part of a name
        if split_off(noun):
            rel = "formerMemberOf"  # "a breakaway faction of Y": it left Y
        if rel in {"headOf", "subOrganizationOf"} and noun.dep_ == "appos" or split_off(noun) and noun.dep_ == "appos":
            return  # apposition rules cover these
        if noun.dep_ in {"compound", "nmod"} and ctx.cluster_at(noun.head.i) is not None and \
                ctx.type_of(ctx.cluster_at(noun.head.i)) == PERSON:
            return  # "Valley Cartel leader Omar Tal": a title, read by the post rules
        if noun.lower_ in {"organisation", "organization", "group"} and not any(
                c.dep_ in {"compound", "amod"} and c.lower_ == "front" for c in noun.children):
            return
        preps = {"to", "with", "of"} if rel in {"linkedTo", "alliedWith"} else {"of", "in", "within"}
        if noun.lower_ in vocab("member_nouns"):
            preps = preps | {"from"}  # "gunmen from the Front", "fighters from Y"
        objects = self.objects(noun, {ORG, GROUP, PERSON} if rel == "relativeOf" else {ORG, GROUP}, preps=preps)
        if noun.lower_ in {"role", "roles", "involvement"}:  # "his role in Y", never "a role in Y's attack"
            direct = {ctx.cluster_at(p.i) for c in noun.children if c.dep_ == "prep" and c.lower_ == "in"
                      for p in c.children if p.dep_ == "pobj"}
            objects = [o for o in objects if o in direct]
        if rel == "relativeOf":
            objects = [o for o in objects if ctx.type_of(o) == PERSON]
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if (rel in {"alliedWith", "subOrganizationOf"} or split_off(noun)) and poss is not None:
            # "its Taleban allies": the possessor is allied with the organisation the phrase names;
            # "its front organisation, Z": Z is part of the possessor
            owner = self.subject(poss)
            named = [ci for ci in ctx.clusters_in(noun.left_edge.i, noun.i, {ORG, GROUP}) if ci != owner]
            named += [ctx.cluster_at(c.i) for c in noun.children if c.dep_ == "appos" and ctx.cluster_at(c.i) is not None]
            after = noun.i + 1  # "its front organisation, the Relief Foundation" (however it is parsed)
            if not named and after < len(ctx.doc) and ctx.doc[after].text == ",":
                for t in range(after + 1, min(after + 4, len(ctx.doc))):
                    ci = ctx.cluster_at(t)
                    if ci is not None:
                        if ctx.type_of(ci) in {ORG, GROUP}:
                            named.append(ci)
                        break
            for other in dict.fromkeys(named):  # a description of the owner, in the narrator's voice
                if rel == "alliedWith":
                    self.add(owner, "alliedWith", other, noun.i, 0.7, cue=noun.text, description="title")
                elif rel == "formerMemberOf":
                    self.add(other, "formerMemberOf", owner, noun.i, 0.7, cue=noun.text, description="title")
                else:
                    self.add(other, "subOrganizationOf", owner, noun.i, 0.7, cue=noun.text, description="title")
            return
        if rel in {"memberOf", "headOf"} and poss is not None and not objects:
            owner = self.subject(poss)
            if owner is not None and ctx.type_of(owner) == ORG:
                objects = [owner]  # "the group's members"
        if rel in {"memberOf", "headOf"} and not objects:
            objects = [ci for c in noun.children if c.dep_ == "compound" and (ci := ctx.cluster_at(c.i)) is not None
                       and ctx.type_of(ci) == ORG]  # "Hizbul commanders", "ISWAP members"
        if not objects and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in {
                "suspicion", "charges", "charge", "accusations", "accusation", "allegations", "conviction"}:
            # "on suspicion of membership in Y": the parse hangs the organisation on the charge
            objects = [o for o in self.objects(noun.head.head, {ORG}, preps={"in", "of", "with"}) if o is not None]
        if not objects:
            return
        first = noun
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "They are citizens of X and members of Y"
        if first.dep_ == "pobj" and first.head.lower_ == "of" and first.head.head.lower_ in {"one", "some", "among", "two"}:
            first = first.head.head  # "X was one of its members"
        predicative = first.dep_ in {"attr", "oprd", "appos"} or first.head.lower_ == "as" or (
            noun.dep_ == "conj" and ctx.cluster_at(noun.head.i) is not None
            and ctx.type_of(ctx.cluster_at(noun.head.i)) == PERSON)  # "A, B and C, members of Y"
        holders = [own] if own is not None and not predicative else self.noun_holders(noun)
        if not predicative and noun.tag_ == "NNS" and noun.dep_ not in {"nsubj", "nsubjpass"}:
            listed = self.listed_before(noun)  # 'Omar aka "Rabbit" and Ali aka "Fox," members of Y'
            if listed:
                holders = listed
        if rel in {"memberOf", "headOf", "formerMemberOf"}:
            holders += [ci for ci in self.included(noun) if ci not in holders]
        charged = self.charged(noun)
        if rel in {"memberOf", "headOf"} and any(c.dep_ in {"amod", "advmod"} and c.lower_ in {"former", "ex", "onetime"}
                                                 for c in noun.children):
            rel = "formerMemberOf"  # "a former member of Y", "ex-commander"
        if rel == "headOf" and any(c.dep_ in {"amod", "compound"} and c.lower_ in vocab("not_head") for c in noun.children):
            rel = "memberOf"  # "deputy leader", "assistant commander": not the head

        for holder in holders:
            for obj in objects:
                if obj == holder or rel == "headOf" and ctx.type_of(holder) != PERSON:
                    continue
                relation = "memberOf" if rel == "subOrganizationOf" and ctx.type_of(holder) in {GROUP, PERSON} else rel
                self.add(holder, relation, obj, noun.i, 0.7, cue=noun.text, nouns=[noun],
                         modality="alleged" if charged else None)

    def listed_before(self, noun: Any) -> list[int]:
        """The people a plural role noun after a comma describes, read from the words, for lists
        the parse breaks up (nicknames in quotes: 'A aka "Fox" and B, members of Y'): names,
        "and", commas, "aka"/"alias" and quoted nicknames back to the clause's verb."""
        ctx = self.ctx
        doc = ctx.doc
        k = noun.i - 1
        while k >= 0 and doc[k].tag_ in {"DT", "CD", "JJ"}:
            k -= 1  # "two members", "the leaders", "senior members"
        while k >= 0 and doc[k].is_quote:
            k -= 1
        if k < 0 or doc[k].text != ",":
            return []
        out: list[int] = []
        sent_start = noun.sent.start
        while k >= sent_start:
            t = doc[k]
            ci = ctx.cluster_at(k)
            if ci is not None and ctx.type_of(ci) == PERSON:
                if ci not in out:
                    out.insert(0, ci)
            elif t.is_quote:  # a quoted nickname: skip to its opening mark
                j = k - 1
                while j >= max(sent_start, k - 6) and not doc[j].is_quote:
                    j -= 1
                if j < max(sent_start, k - 6):
                    break
                k = j
            elif not (t.is_punct and t.text == "," or t.lower_ in {"and", "aka", "a.k.a.", "alias"}):
                break
            k -= 1
        return out if len(out) >= 2 else []

    def included(self, noun: Any) -> list[int]:
        """The people a group noun lists: "five militants, including commander X", "six members
        of Y, among them X"."""
        ctx = self.ctx
        end = max(t.i for t in noun.subtree if t.dep_ != "prep" or t.lower_ not in {"including", "among"})
        out: list[int] = []
        for prep in list(noun.children) + (list(noun.head.children) if noun.head.i != noun.i else []):
            if prep.dep_ != "prep" or prep.lower_ not in {"including", "among"} or prep.i <= noun.i:
                continue
            if prep.head.i != noun.i and not all(t.text == "," for t in ctx.doc[end + 1:prep.i]):
                continue  # a list of something else in the same clause
            out += [ci for ci in ctx.clusters_under(prep, {PERSON}) if ci not in out]
        return out

    def noun_holders(self, noun: Any) -> list[int]:
        """Whom a relation noun is said of: the copula's subject ("X is a member of Y"), the
        names it stands in apposition to, the noun "with links" hangs on, the object of "named
        ... as", or a name just before ("X - believed to be a relative of Y")."""
        ctx = self.ctx
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is not None and noun.lower_ in {"membership", "leadership", "involvement", "role"}:
            if poss.tag_ == "PRP$" and self.charged(noun):
                party = self.charged_party(noun)  # "sentenced on charges of what police allege was their membership"
                if party:
                    return party
            return self.holders(poss)  # "their membership of the banned group"
        node = noun
        for _ in range(6):
            dep, head = node.dep_, node.head
            if head.i == node.i:
                break
            if dep == "conj":
                if ctx.cluster_at(head.i) is not None and ctx.type_of(ctx.cluster_at(head.i)) == PERSON:
                    return self.holders(head)  # the list the noun closes
                node = head
                continue
            if dep in {"attr", "oprd", "pobj"} and head.lower_ in forms("be"):
                subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is None and head.dep_ == "xcomp":  # "believed to be ..."
                    subj = next((c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    return self.holders(subj)
                break
            if dep == "appos":
                return self.holders(head) if ctx.cluster_at(head.i) is not None else []
            if dep == "pobj" and head.lower_ in {"with", "as"}:
                owner = head.head
                if owner.tag_.startswith("VB") and head.lower_ == "as":  # "named A and B as leaders of Y"
                    if owner.lower_ in forms("succeed") | forms("replace"):
                        agent = next((c for c in owner.children if c.dep_ == "agent"), None)
                        if agent is not None:  # "X was replaced as head of Y by Z": Z is the head now
                            return [ci for p in agent.children if p.dep_ == "pobj" for ci in self.holders(p)]
                    obj = next((c for c in owner.children if c.dep_ in {"dobj", "nsubjpass"}), None)
                    if obj is None or obj.dep_ == "dobj" and (owner.lower_ in forms("succeed") | forms("replace")):
                        # "X served as deputy leader of Y", "X succeeded Z as head of Y": the subject
                        obj = next((c for c in owner.children if c.dep_ == "nsubj"), None)
                        if obj is None and owner.dep_ in {"relcl", "acl"}:
                            return self.holders(owner.head)
                    return self.holders(obj) if obj is not None else []
                if owner.dep_ in {"attr", "oprd"} and owner.head.lower_ in forms("be"):
                    node = owner
                    continue
                ci = ctx.cluster_at(owner.i)
                if ci is not None:
                    return self.holders(owner)
                node = owner
                continue
            if dep == "dobj" and head.lower_ in forms("have"):
                subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
                if subj is None and head.dep_ == "xcomp":  # "X is said to have links with Y"
                    subj = next((c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                return self.holders(subj) if subj is not None else []
            node = head
        if noun.dep_ in {"nsubj", "nsubjpass"}:
            return []  # "X said a member of Y was arrested": someone unnamed, not X
        sent = noun.sent
        for t in range(noun.i - 1, max(sent.start, noun.i - 12) - 1, -1):
            ci = ctx.cluster_at(t)
            if ci is not None and ctx.type_of(ci) in ACTORS:
                return self.holders(ctx.doc[t]) or [ci]
        return []

    # --- verbs -------------------------------------------------------------------------------------
    def verb(self, verb: Any, base: str) -> None:
        ctx = self.ctx
        rel, preps = VERB_RELATIONS[base]
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod", "advcl"})
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        targets = {PLACE} if rel == "basedIn" else {ORG, GROUP}
        if base == "leave":  # "left the Front in 2010"; never "leaving three soldiers dead"
            if any(c.dep_ in {"oprd", "acomp", "xcomp", "ccomp"} for c in verb.children):
                return
            targets = {ORG}
        if passive and rel in AGENT_HOLDS:
            # "Y is led by X", "a group headed by X", "founded in 2009 by A and B"
            if agent is None:
                return
            org = self._passive_subject(verb)
            people = [ci for p in agent.children if p.dep_ == "pobj" for ci in self.holders(p, {PERSON, ORG, GROUP})]
            # founders may be unnamed ("founded by a group of students"); leaders are people
            founders = {PERSON, GROUP} if base in FOUNDING else {PERSON}
            if org is not None and ctx.type_of(org) in {ORG, GROUP}:
                for person in people:
                    if ctx.type_of(person) in founders and person != org:
                        self.add(person, rel, org, verb.i, 0.7, cue=verb.text)
            return
        if base in {"work", "serve", "fight"} and not any(c.dep_ == "prep" and c.lower_ in preps for c in verb.children):
            return
        subjects = self.verb_subjects(verb)
        if not subjects:
            return
        if base == "expel":  # "Y expelled X", "X was expelled from Y": X is a former member of Y
            self._expelled(verb, subjects, passive)
            return
        if base == "defect":  # "defected from Y to Z": a member of Z now
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ == "to":
                    for subj in subjects:
                        for obj in self.phrase_entities(c, {ORG}):
                            if obj != subj:
                                self.add(subj, "memberOf", obj, verb.i, 0.7, cue=verb.text)
        part_of = False
        if preps is None:
            objs = [ci for c in verb.children if c.dep_ in {"dobj", "prt"} for ci in self.phrase_entities(c, targets)]
            # "heads a faction of Y", "commands a unit of Y": a part of Y, so a member of Y
            part_of = any(c.dep_ == "dobj" and c.lower_ in vocab("suborg_nouns") and ctx.cluster_at(c.i) is None
                          for c in verb.children)
        else:
            objs = [ci for c in verb.children if c.dep_ in {"prep", "agent", "prt"} and c.lower_ in preps
                    for ci in self.phrase_entities(c, targets)]
        charged = self.charged(verb)
        nouns = [verb.head] if verb.dep_ in {"acl", "amod", "relcl"} else []  # "suspected militants belonging to"
        for subj in subjects:
            for obj in dict.fromkeys(objs):
                if obj != subj and (rel != "headOf" or ctx.type_of(subj) == PERSON):
                    self.add(subj, "memberOf" if part_of and rel == "headOf" else rel, obj, verb.i, 0.7, cue=verb.text,
                             modality="alleged" if charged else None, nouns=nouns)

    def _expelled(self, verb: Any, subjects: list[int], passive: bool) -> None:
        ctx = self.ctx
        if passive:
            people = subjects
            orgs = [ci for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
                    for ci in self.phrase_entities(c, {ORG})]
        else:
            orgs = [ci for ci in subjects if ctx.type_of(ci) == ORG]
            people = [ci for c in verb.children if c.dep_ == "dobj" for ci in self.holders(c, {PERSON})]
        # a state expels diplomats, journalists and foreigners, who were never its members
        orgs = [ci for ci in orgs if not ctx.cands[ctx.clusters[ci].members[0]].institution
                and not self.org_kinds(ci) & {"government", "ministry", "country", "intergovernmental", "military",
                                              "police"}]
        for person in people:
            for org in orgs:
                if ctx.type_of(person) == PERSON and org != person:
                    self.add(person, "formerMemberOf", org, verb.i, 0.7, cue=verb.text)

    def phrase_entities(self, tok: Any, types: set[str]) -> list[int]:
        heads = [c for c in tok.children if c.dep_ == "pobj"] or [tok]
        out = [ci for h in heads for ci in self.holders(h, types) if self.ctx.type_of(ci) in types]
        return out or self.ctx.clusters_under(tok, types)

    def _passive_subject(self, verb: Any) -> int | None:
        subj = next((c for c in verb.children if c.dep_ in {"nsubjpass", "nsubj"}), None)
        if subj is not None:
            return self.subject(subj)
        if verb.dep_ in {"acl", "amod", "advcl", "relcl"}:
            return self.subject(verb.head)
        if verb.dep_ == "conj" and verb.head.tag_.startswith("VB"):  # "The FARC is the oldest group and is led by X"
            return self._passive_subject(verb.head)
        return None

    def verb_subjects(self, verb: Any, depth: int = 0) -> list[int]:
        subj = self.ctx.subject_child(verb, {"nsubj", "nsubjpass"})
        if subj is not None:
            return self.holders(subj)
        if depth > 4:
            return []
        if verb.dep_ in {"acl", "amod", "relcl"} and verb.tag_.startswith("VB"):  # "fighters affiliated to the IMU"
            return self.holders(verb.head)
        if verb.dep_ in {"xcomp", "conj", "advcl", "pcomp", "pobj", "prep"} and verb.head.i != verb.i:
            head = verb.head
            if head.tag_.startswith("NN"):  # "on charges of belonging to": whose charges
                poss = next((c for c in head.children if c.dep_ == "poss"), None)
                if poss is not None:
                    return self.holders(poss)
                if head.dep_ == "dobj" and head.head.lower_ in FACING:
                    return self.verb_subjects(head.head, depth + 1)  # "X faces / denies charges of belonging to"
                if head.dep_ in {"dobj", "nsubj", "nsubjpass"}:
                    return []
            return self.verb_subjects(head, depth + 1)
        return []

    # --- adjectives -------------------------------------------------------------------------------
    def adjective(self, adj: Any) -> None:
        """"X is closely allied to Y", "militants linked to Y", "al Qaida-linked militants"."""
        ctx = self.ctx
        rel, preps = ADJECTIVES[adj.lower_]
        objs = [ci for c in adj.children if c.dep_ == "prep" and c.lower_ in preps
                for ci in self.phrase_entities(c, {ORG, GROUP})]
        if not objs and adj.i >= 2 and ctx.doc[adj.i - 1].text in {"-", "–"}:  # "al Qaida-linked"
            ci = ctx.cluster_at(adj.i - 2)
            objs = [ci] if ci is not None and ctx.type_of(ci) == ORG else []
        if not objs and adj.i >= 1 and adj.dep_ == "amod":  # "an al-Qaida affiliated Islamist group"
            ci = ctx.cluster_at(adj.i - 1)
            objs = [ci] if ci is not None and ctx.type_of(ci) == ORG else []
        if adj.lower_ == "loyal":  # "forces loyal to General X": X commands them
            people = [ci for c in adj.children if c.dep_ == "prep" and c.lower_ == "to"
                      for ci in self.phrase_entities(c, {PERSON})]
            if people:
                holders = self.holders(adj.head) if adj.dep_ in {"amod", "acl"} else self.holders(
                    next((c for c in adj.head.children if c.dep_ == "nsubj"), adj.head))
                for org in holders:
                    if ctx.type_of(org) in {ORG, GROUP}:
                        for person in people:
                            self.add(person, "headOf", org, adj.i, 0.55, cue="loyal to")
            return
        if not objs:
            return
        if adj.dep_ in {"acomp", "attr"} or adj.dep_ == "ROOT":
            subj = next((c for c in adj.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            holders = self.holders(subj) if subj is not None else []
        elif adj.dep_ in {"relcl", "ccomp", "conj"}:  # "Y, which is affiliated with X"
            subj = next((c for c in adj.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            holders = self.holders(subj) if subj is not None else []
        elif adj.dep_ in {"amod", "acl"}:
            holders = self.holders(adj.head)
        else:
            holders = []
        for holder in holders:
            for obj in objs:
                if holder != obj:
                    self.add(holder, rel, obj, adj.i, 0.65, cue=adj.text)

    def person_of(self, tok: Any) -> None:
        """"Claudia Bickmann of the Society for X", "Franco Nasso from the Y union", "X at Z
        University": a person named with an organisation is in it."""
        ctx = self.ctx
        person = ctx.cluster_at(tok.i)
        if person is None or ctx.type_of(person) != PERSON:
            return
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in {"of", "from", "at"}:
                for p in c.children:
                    org = ctx.cluster_at(p.i) if p.dep_ == "pobj" else None
                    if org is not None and ctx.type_of(org) == ORG and org != person:
                        self.add(person, "memberOf", org, c.i, 0.6, cue=c.text, description="role")

    def possessed_group(self, tok: Any) -> None:
        """"Omar Tal's Valley Front", "Tal's brigade": a person's organisation is one they
        lead; "Barcelona's Andres Iniesta": an organisation's person is in it."""
        ctx = self.ctx
        if tok.dep_ != "poss":
            return
        person = ctx.cluster_at(tok.i)
        if person is not None and ctx.type_of(person) == ORG:
            member = ctx.cluster_at(tok.head.i)
            if member is not None and ctx.type_of(member) == PERSON:
                self.add(member, "memberOf", person, tok.i, 0.55, cue="'s", description="title")
            return
        if person is None or ctx.type_of(person) != PERSON:
            return
        head = tok.head
        org = ctx.cluster_at(head.i)
        if org is None:
            org = next((ci for c in head.children if c.dep_ == "compound" and (ci := ctx.cluster_at(c.i)) is not None
                        and ctx.type_of(ci) == ORG), None)
        if org is None and head.lower_ in vocab("org_anaphors"):
            org = self.named_as(head)
        if org is not None and ctx.type_of(org) in {ORG} and org != person:
            self.add(person, "headOf", org, tok.i, 0.55, cue="'s")
