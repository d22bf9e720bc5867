"""Who is said to be behind an event, from what is said about the doer rather than the deed:

- "Y was behind the attack", "the attacks were the work of Y", "Y was (likely) responsible",
  "police held Y responsible for", "the attack bore the hallmarks of Y";
- "ruled out the involvement of Y in the incident", "Y had no link to the attack", "Y was
  involved in the attack", "Y has nothing to do with the attack", "There was no IMU here";
- "possible suspects include the IMU", "X was one of nine plotters of the attack", "X, the
  mastermind of the bombing".

Each rule records a ``responsibleFor`` claim (or a denial); :mod:`.responsibility` has the
deed-side rules and the helpers.
"""

from __future__ import annotations

from typing import Any

from kg.extract.mentions import GROUP, ORG, PERSON
from kg.extract.relations.base import ACTORS, forms, verb_is, vocab
from kg.extract.relations.responsibility import Responsibility


class Culprits(Responsibility):
    def behind(self, prep: Any) -> None:
        """"Y was behind the attack", "a banned party was behind the attack"; "the attacks were
        the work of Y"."""
        ctx = self.ctx
        if prep.lower_ == "behind":
            be = prep.head
            if be.lower_ not in forms("be") or prep.dep_ != "prep":
                return
            event = next((c for c in prep.children if c.dep_ == "pobj"), None)
            subj = next((c for c in be.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if event is None or subj is None:
                return
            target = ("incident", None) if event.lower_ in {"it", "this", "that", "them", "these"} else self._event(event)
            for ci in self.holders(subj, ACTORS):
                self.add(ci, "responsibleFor", target, be.i, 0.65, cue="behind")
        elif prep.lower_ == "work" and prep.dep_ == "attr":  # "the attacks were the work of Y"
            be = prep.head
            subj = next((c for c in be.children if c.dep_ == "nsubj"), None)
            doers = self.objects(prep, ACTORS)
            if subj is not None and doers and ctx.cluster_at(subj.i) is None:
                for ci in doers:
                    self.add(ci, "responsibleFor", self._event(subj), be.i, 0.6, cue="the work of")

    def responsible(self, adj: Any) -> None:
        """"Y was responsible for the attack", "Y, which was responsible for", "officials said Y
        was likely responsible" (the article's incident), "police held Y responsible for"."""
        event = next((p for c in adj.children if c.dep_ == "prep" and c.lower_ == "for"
                      for p in c.children if p.dep_ in {"pobj", "pcomp"}), None)
        if event is not None and not any(t.i in self._event_tokens() for t in event.subtree):
            return  # "responsible for security": a duty, not a deed
        target = self._event(event)
        if adj.dep_ == "acomp" and adj.head.lower_ in forms("be"):
            subj = next((c for c in adj.head.children if c.dep_ == "nsubj"), None)
            if subj is None:
                return
            doers = self.doers(subj)
            if not doers:
                one = self.subject(subj)
                doers = [one] if one is not None else []
            for ci in doers:
                if self.ctx.type_of(ci) in ACTORS:
                    self.add(ci, "responsibleFor", target, adj.i, 0.6, cue=adj.text)
        elif adj.dep_ in {"amod", "oprd", "ccomp", "xcomp"} and adj.head.lower_ in forms("hold"):
            verb = adj.head if adj.head.tag_.startswith("VB") else adj.head.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            speaker = self.subject(subj) if subj is not None else None
            held = next((c for c in verb.children if c.dep_ == "dobj"), adj.head)
            for ci in self.doers(held):
                if ci != speaker:
                    self.add(ci, "responsibleFor", target, adj.i, 0.6, modality="alleged", cue="held responsible",
                             speaker=speaker)

    def hallmarks(self, noun: Any) -> None:
        """"The attack bore the hallmarks of Y": responsibility suspected, not stated."""
        if noun.dep_ != "dobj" or noun.head.lower_ not in forms("bear") | forms("have") | forms("carry"):
            return
        subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        doers = self.objects(noun, ACTORS)
        if subj is None or not doers:
            return
        for ci in doers:
            self.add(ci, "responsibleFor", self._event(subj), noun.i, 0.55, modality="alleged", cue="the hallmarks of")

    def involvement(self, noun: Any) -> None:
        """"ruled out the involvement of India or the Tamil Tigers in the incident", "Y's role in
        the attack", "Y had no link to the attack", "Y was involved in the attack"."""
        ctx = self.ctx
        if noun.tag_.startswith("VB"):  # "was involved in", "implicated in"
            if not (verb_is(noun, "involve") or verb_is(noun, "implicate")):
                return
            subjects = self._subjects(noun)
            event = self._for_phrase(noun)
            if event is None and noun.tag_ == "VBN" and noun.dep_ in {"ROOT", "ccomp", "conj", "acomp"}:
                for ci in subjects:  # "X was involved too": in the article's incident
                    self.add(ci, "responsibleFor", ("incident", None), noun.i, 0.55, cue=noun.text,
                             modality="alleged" if verb_is(noun, "implicate") else None)
                return
            if event is None or not any(t.i in self._event_tokens() for t in event.subtree):
                return
            for ci in subjects:
                self.add(ci, "responsibleFor", self._event(event), noun.i, 0.6, cue=noun.text,
                         modality="alleged" if verb_is(noun, "implicate") else None)
            return
        if noun.dep_ == "dobj" and noun.head.lower_ in forms("claim") | forms("deny"):
            return  # the claim-or-deny rule
        doers = self.objects(noun, ACTORS, preps={"of", "by"})
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is not None:
            doers += [ci for ci in self.holders(poss, ACTORS) if ci not in doers]
        light = noun.dep_ == "dobj" and noun.head.lower_ in forms("have") | forms("take") | forms("play")
        if not doers and light:
            subj = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.tag_ == "PRP":
                who = self.subject(subj)  # "Y said it had no part in the attack"
                doers = [who] if who is not None else []
            else:
                doers = self.holders(subj, ACTORS) if subj is not None else []  # "Y had no link to the attack"
        modality = None
        if not doers and self.charged(noun):  # "arrested X on suspicion of involvement in the attack"
            doers = self.charged_party(noun)
            modality = "alleged"
        if not doers:
            return
        # the event hangs on the noun, or on the light verb ("took part in", "had a hand in")
        event = next((p for c in [*noun.children, *(noun.head.children if light else [])]
                      if c.dep_ == "prep" and c.lower_ in {"in", "to", "with"}
                      for p in c.children if p.dep_ == "pobj"), None)
        if event is not None and not any(t.i in self._event_tokens() for t in event.subtree):
            return  # "links to al-Qaeda": an affiliation, not a responsibility
        if event is None and noun.lower_ not in {"involvement", "role", "complicity"}:
            return
        for ci in doers:
            if ctx.type_of(ci) in ACTORS:
                self.add(ci, "responsibleFor", self._event(event), noun.i, 0.6, cue=noun.text, nouns=[noun],
                         modality=modality)

    def convicted(self, tok: Any) -> None:
        """"X was found guilty of masterminding the attacks", "X was convicted of / sentenced for
        the bombing": a court's finding, said of the event (asserted in the frame's voice)."""
        if tok.lower_ == "guilty":
            if tok.head.lower_ not in forms("find") and tok.head.lower_ not in forms("plead"):
                return
            verb = tok.head
        elif verb_is(tok, "convict") or verb_is(tok, "sentence"):
            verb = tok
        else:
            return
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ({"of", "for", "to"} if verb is not tok else {"of", "for"})), None)
        event = next((p for p in prep.children if p.dep_ in {"pobj", "pcomp"}), None) if prep is not None else None
        if event is not None and event.tag_ == "VBG":  # "guilty of carrying out the attack"
            if not any(verb_is(event, v) for v in vocab("perpetration_verbs")):
                return
            event = next((c for c in event.children if c.dep_ == "dobj"), None)
        if event is None or not any(t.i in self._event_tokens() for t in event.subtree):
            return
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and verb is tok:  # "the court sentenced X for the bombing"
            doers = self.holders(obj, ACTORS)
        else:
            doers = self._subjects(verb) if any(c.dep_ in {"nsubjpass", "nsubj"} for c in verb.children) else []
        acquitted = any(c.dep_ == "neg" or c.lower_ in {"not", "never"} for c in list(tok.children) + list(verb.children))
        if acquitted and verb is tok:
            return  # "was never convicted of": no finding either way
        for ci in doers:  # "found not guilty of": the court's denial
            self.add(ci, "responsibleFor", self._event(event), tok.i, 0.6, cue=f"{tok.text} {prep.text}",
                     modality="denied" if acquitted else None)

    def nothing_to_do(self, tok: Any) -> None:
        """"Y has nothing to do with X": a denial of X's attack, or of membership of group X."""
        ctx = self.ctx
        if tok.lower_ != "nothing" or tok.dep_ != "dobj" or tok.head.lower_ not in forms("have"):
            return
        do = next((c for c in tok.children if c.dep_ in {"relcl", "acl", "xcomp"} and c.lower_ in forms("do")), None)
        if do is None:
            return
        with_ = next((c for c in do.children if c.dep_ == "prep" and c.lower_ == "with"), None)
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if with_ is None or subj is None:
            return
        obj = next((p for p in with_.children if p.dep_ == "pobj"), None)
        if obj is None:
            return
        holders = self.holders(subj, ACTORS)
        if any(t.i in self._event_tokens() for t in obj.subtree):
            for ci in holders:
                self.add(ci, "responsibleFor", self._event(obj), tok.i, 0.6, modality="denied", cue="nothing to do with")
            return
        for org in self.holders(obj, {ORG, GROUP}):
            for ci in holders:
                if ci != org and ctx.type_of(org) == ORG:
                    self.add(ci, "memberOf", org, tok.i, 0.6, modality="denied", cue="nothing to do with")

    def culprit(self, noun: Any) -> None:
        """"Possible suspects include the IMU", "cited as a possible culprit is Hizb-ut-Tahrir":
        responsibility for the article's main incident (linked later); "X was one of nine plotters
        of the attack", "X, the mastermind of the bombing": responsibility for that event."""
        ctx = self.ctx
        event = self._for_phrase(noun)
        holder_tok = None
        node = noun
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lower_ in {"one", "some", "among"}:
            node = node.head.head  # "one of nine plotters"
        if node.dep_ in {"attr", "appos"}:
            holder_tok = next((c for c in node.head.children if c.dep_ == "nsubj"), None) if node.dep_ == "attr" \
                else node.head
        if holder_tok is not None and event is not None:
            for ci in self.doers(holder_tok):
                self.add(ci, "responsibleFor", self._event(event), noun.i, 0.6, cue=noun.text, nouns=[noun])
            return
        sent = noun.sent
        orgs: list[int] = []
        for t in sent:  # "suspects include X, Y", "cited as a possible culprit is X"
            if t.lower_ in forms("be") | forms("include"):
                for c in t.children:
                    if c.dep_ in {"dobj", "attr"}:
                        for ci in self.holders(c, ACTORS):
                            if ctx.type_of(ci) in {ORG, PERSON} and ci not in orgs:
                                orgs.append(ci)
        for org in orgs:
            self.add(org, "responsibleFor", ("incident", None), noun.i, 0.55, cue=noun.text, nouns=[noun])

    def existential_negation(self, there: Any) -> None:
        """"There was no IMU here": the speaker denies the organisation's part in the incident."""
        ctx = self.ctx
        be = there.head
        if there.dep_ != "expl" or be.lower_ not in forms("be"):
            return
        attr = next((c for c in be.children if c.dep_ == "attr"), None)
        if attr is None or not any(c.lower_ in {"no"} and c.dep_ == "det" for c in attr.children):
            return
        org = ctx.cluster_at(attr.i)
        if org is not None and ctx.type_of(org) == ORG:
            self.add(-1, "memberOf", org, attr.i, 0.6, modality="denied", cue="there was no")
