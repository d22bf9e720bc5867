"""Alliances, support and parts between organisations, and allegiance:

- "X and Y are allies", "formed an alliance", "has joined forces with Y", "fought alongside Y",
  "X, backed by Y", "the Y-backed X", "Y supports X", "strikes in support of Y";
- "X is part of Y", "operates under the umbrella of Y", "Z, an alliance that includes Y";
- "Y has pledged allegiance to X", "X recruited Y", "Y was recruited by X".
"""

from __future__ import annotations

from typing import Any

from kg.extract.mentions import GROUP, ORG, PERSON
from kg.extract.relations.affiliations import Affiliations
from kg.extract.relations.base import forms, vocab


class Alliances(Affiliations):
    def allegiance(self, verb: Any) -> None:
        """"Y has pledged allegiance to X", "X recruited Y", "Y was recruited by X": Y is X's."""
        ctx = self.ctx
        if verb.lower_ in forms("pledge") | forms("swear") and any(
                c.dep_ == "dobj" and c.lower_ in {"allegiance", "loyalty", "fealty", "bayat", "bay'ah"} for c in verb.children):
            objs = [ci for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for ci in self.phrase_entities(c, {ORG})]
            objs += [ci for d in verb.children if d.dep_ == "dobj" for c in d.children if c.dep_ == "prep"
                     and c.lower_ == "to" for ci in self.phrase_entities(c, {ORG})]
            for subj in self.verb_subjects(verb):
                for obj in objs:
                    self.add(subj, "memberOf", obj, verb.i, 0.6, cue="pledged allegiance")
        elif verb.lower_ in forms("recruit") or verb.lower_ in forms("enlist"):
            passive = any(c.dep_ == "auxpass" for c in verb.children) or verb.dep_ == "acl"
            if passive:
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                orgs = self.phrase_entities(agent, {ORG}) if agent is not None else []
                people = self.verb_subjects(verb) if verb.dep_ != "acl" else self.holders(verb.head)
            else:
                orgs = [ci for ci in self.verb_subjects(verb) if ctx.type_of(ci) == ORG]
                people = [ci for c in verb.children if c.dep_ == "dobj" for ci in self.holders(c, {PERSON, GROUP})]
            for person in people:
                for org in orgs:
                    if person != org:
                        self.add(person, "memberOf", org, verb.i, 0.6, cue=verb.text)

    def alliance(self, tok: Any) -> None:
        """Alliances and support between organisations: "X and Y are allies", "X and Y formed an
        alliance", "X has joined forces with Y", "fought alongside Y", "X, backed by Y", "the
        Y-backed X"; parts: "X is part of Y", "X operates under the umbrella of Y"."""
        ctx = self.ctx
        low = tok.lower_
        if low in {"allies", "alliance", "allied"} and tok.dep_ in {"attr", "dobj", "acomp"} and not self.objects(
                tok, {ORG, GROUP}, preps={"with", "to", "of"}):
            subj = next((c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            sides = [ci for ci in self.holders(subj, {ORG, GROUP}) if ctx.type_of(ci) == ORG] if subj is not None else []
            for a, b in zip(sides, sides[1:]):  # "X and Y are allies / formed an alliance"
                self.add(a, "alliedWith", b, tok.i, 0.65, cue=tok.text)
            return
        if low in {"alongside"} and tok.dep_ == "prep" and tok.head.tag_.startswith("VB") and (
                tok.head.lower_ in forms("fight") or tok.head.lower_ in forms("battle")):
            subjects = [ci for ci in self.verb_subjects(tok.head) if ctx.type_of(ci) in {ORG, GROUP}]
            for other in self.phrase_entities(tok, {ORG}):
                for subj in subjects:
                    self.add(subj, "alliedWith", other, tok.i, 0.6, cue="fought alongside")
            return
        if low == "forces" and tok.dep_ == "dobj" and tok.head.lower_ in forms("join"):
            subjects = [ci for ci in self.verb_subjects(tok.head) if ctx.type_of(ci) in {ORG, GROUP}]
            others = [ci for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "with"
                      for ci in self.phrase_entities(c, {ORG})]
            for subj in subjects:
                for other in others:
                    self.add(subj, "alliedWith", other, tok.i, 0.65, cue="joined forces with")
            return
        if low in forms("support") | forms("back") | forms("assist") | forms("aid") and tok.tag_.startswith("VB") \
                and tok.tag_ != "VBN":  # "Russia's army supports the Front", "fighters sent to support X"
            subjects = [ci for ci in self.verb_subjects(tok) if ctx.type_of(ci) in {ORG, GROUP}]
            objs = [ci for c in tok.children if c.dep_ == "dobj" for ci in self.holders(c, {ORG, GROUP})]
            objs += [ci for c in tok.children if c.dep_ == "dobj" for ci in self.objects(c, {ORG}, preps={"of"})
                     if c.lower_ in {"forces", "troops", "efforts", "fighters"} or c.lower_ in forms("government")]
            for subj in subjects:
                for obj in dict.fromkeys(objs):
                    if subj != obj and ctx.type_of(obj) == ORG or ctx.type_of(subj) == ORG and subj != obj:
                        self.add(subj, "alliedWith", obj, tok.i, 0.55, cue=tok.text)
            return
        if low == "support" and tok.tag_ == "NN" and tok.dep_ == "pobj" and tok.head.lower_ == "in":
            verb = tok.head.head  # "strikes in support of the Iraqi government"
            subjects = [ci for ci in self.verb_subjects(verb) if ctx.type_of(ci) in {ORG, GROUP}] \
                if verb.tag_.startswith("VB") else []
            for other in self.objects(tok, {ORG, GROUP}, preps={"of"}):
                for subj in subjects:
                    if subj != other:
                        self.add(subj, "alliedWith", other, tok.i, 0.55, cue="in support of")
            return
        if low in forms("back") | forms("support") | forms("sponsor") | forms("arm") and tok.tag_ == "VBN":
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            backers = self.phrase_entities(agent, {ORG}) if agent is not None else []
            if not backers and tok.i >= 2 and ctx.doc[tok.i - 1].text in {"-", "–"}:  # "the Y-backed X"
                ci = ctx.cluster_at(tok.i - 2)
                backers = [ci] if ci is not None and ctx.type_of(ci) == ORG else []
            backed = self.holders(tok.head, {ORG, GROUP}) if tok.dep_ in {"amod", "acl"} else []
            for b in backed:
                for backer in backers:
                    if b != backer:
                        self.add(b, "alliedWith", backer, tok.i, 0.55, cue=tok.text)
            return
        if low in {"part", "umbrella"} and tok.tag_.startswith("NN"):
            parents = self.objects(tok, {ORG}, preps={"of"})
            if not parents:
                return
            node = tok.head if low == "umbrella" and tok.dep_ == "pobj" else tok
            holder_tok = None
            if node.dep_ in {"attr"} or node.head.lower_ in forms("be"):
                holder_tok = next((c for c in node.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            elif node.dep_ == "appos":
                holder_tok = node.head
            elif node.dep_ == "prep" and node.head.tag_.startswith("VB"):  # "operates under the umbrella of Y"
                holder_tok = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
            for child in ([holder_tok] if holder_tok is not None else []):
                for org in self.holders(child, {ORG}):
                    for parent in parents:
                        if org != parent:
                            self.add(org, "subOrganizationOf", parent, tok.i, 0.6, cue=tok.text)

    def includes(self, verb: Any) -> None:
        """"Z, a jihadist alliance that includes Y", "the Islamic Front, which includes Y": Y is part
        of Z."""
        ctx = self.ctx
        if verb.dep_ != "relcl" or not verb.head.tag_.startswith("NN"):
            return
        whole = ctx.cluster_at(verb.head.i)
        if whole is not None and ctx.type_of(whole) == ORG and any(
                n.split()[-1].lower() in vocab("umbrella_nouns") for n in ctx.cluster_names(whole) if n.split()):
            pass  # "the Islamic Front, which includes Y"
        elif verb.head.lower_ not in vocab("umbrella_nouns"):
            return
        else:
            whole = self.subject(verb.head)
        if whole is None or ctx.type_of(whole) != ORG:
            return
        for c in verb.children:
            if c.dep_ == "dobj":
                for ci in ctx.clusters_under(c, {ORG}):
                    if ci != whole:
                        self.add(ci, "subOrganizationOf", whole, verb.i, 0.65, cue=verb.text)
