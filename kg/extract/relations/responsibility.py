"""Who is said to be behind an event, by whom, how firmly (``responsibleFor`` claims), from
what is said about the deed:

- a group owns up or denies: "Y claimed responsibility for the attack" (asserted by Y), "Y
  denied any role in / responsibility for / being behind the bombing" (denied by Y), "we
  carried out", "our fighters" (the speaker's organisation);
- others say so: "blamed Y for", "accused Y of carrying out", "pinned the killing on Y", "linked
  the man to Tuesday's assault", "attributed the attack to Y", "the attack was blamed on Y",
  "officials suspect Y" (alleged by the subject); "the attack was carried out by Y", "Y could
  have carried out the assault", "Y masterminded the bombings" (the frame decides: the
  narrator's, a speaker's, hedged).

Without an event named, the claim is about the article's main incident. :mod:`.culprits` has
the rules about the doer ("Y was behind", "the hallmarks of Y", "ruled out the involvement of
Y"); the helpers here ("ELN rebels" are their organisation) serve both.
"""

from __future__ import annotations

from typing import Any

from kg.extract.mentions import GROUP, ORG, PERSON
from kg.extract.relations.base import ACTORS, Base, forms, verb_is, vocab

CULPRIT_NOUNS = vocab("culprit_nouns")
#: the subject "the speaker's own organisation" ("our fighters carried out the attack"), settled
#: once the statement's speaker is known
SPEAKERS_SIDE = -2
#: where a claim or denial is made, never the event it is about ("denied involvement in a statement")
MEDIUM_NOUNS = {"statement", "statements", "interview", "video", "message", "communique", "communiqué", "post",
                "posting", "broadcast", "speech", "letter", "tweet", "email", "e-mail", "website", "conference"}


class Responsibility(Base):
    def _event(self, tok: Any | None) -> Any:
        """The event a phrase names, to be linked to the extracted event at its tokens."""
        if tok is None:
            return ("incident", None)
        return ("event_at", tuple(t.i for t in tok.subtree))

    def _for_phrase(self, *heads: Any) -> Any:
        # the phrase may hang on a participle of the object ("accused militants led by X of ...")
        heads = heads + tuple(c for h in heads[1:] for c in h.children if c.dep_ in {"acl", "relcl"})
        for h in heads:
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in {"for", "in", "behind", "of", "to", "with"}:
                    obj = next((p for p in c.children if p.dep_ in {"pobj", "pcomp"}), None)
                    if obj is not None and obj.lower_ not in MEDIUM_NOUNS:
                        return obj  # not "in a statement", "in a video"
        return None

    # --- owning up and denying --------------------------------------------------------------------
    def distancing(self, verb: Any) -> None:
        """"Y distanced itself from the attack": Y's denial of it, in Y's voice."""
        if not any(c.dep_ == "dobj" and c.lower_ in {"itself", "themselves", "himself", "herself"}
                   for c in verb.children):
            return
        event = next((p for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
                      for p in c.children if p.dep_ == "pobj"), None)
        if event is None or not any(t.i in self._event_tokens() for t in event.subtree):
            return  # "distanced itself from the government": no deed
        for ci in self._subjects(verb):
            if self.ctx.type_of(ci) in {ORG, GROUP, PERSON}:
                self.add(ci, "responsibleFor", self._event(event), verb.i, 0.65, cue=verb.text,
                         modality="denied", speaker=ci)

    def claim_or_deny(self, verb: Any) -> None:
        """"Y claimed responsibility for X", "Y denied any role in X", "Y denied being behind X",
        "Y denied carrying out X"."""
        low = verb.lower_
        claim = low in forms("claim") or low in forms("admit") or low in forms("accept") or (
            low in forms("take") | forms("assume") and any(c.dep_ == "dobj" and c.lower_ == "responsibility"
                                                           for c in verb.children))  # "took responsibility for"
        deny = low in forms("deny") or low in forms("reject")
        if not (claim or deny):
            return
        if claim and any(c.dep_ == "neg" for c in verb.children):
            return  # "Y has not claimed the attack": no one owned up, and no one denied
        subj_tok = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj_tok is not None and any(c.lower_ in {"no", "none"} for c in subj_tok.children) or (
                subj_tok is not None and subj_tok.lower_ in {"nobody", "none", "no-one"}):
            return  # "No group has claimed responsibility"
        if claim and verb.tag_ == "VBN" and verb.dep_ == "acl":
            subj_tok = verb.head  # "an attack claimed by Y"
        if claim and (any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ == "acl"):
            # "the attack was claimed by Y", "an attack claimed by Y"
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None and subj_tok is not None:
                for p in agent.children:
                    if p.dep_ == "pobj":
                        for ci in self.doers(p):
                            self.add(ci, "responsibleFor", self._event(subj_tok), verb.i, 0.7, cue=verb.text,
                                     speaker=ci)
            return
        subjects = self._subjects(verb)
        if not subjects:
            return
        noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in vocab("responsibility_nouns")), None)
        event = None
        if noun is not None:
            event = self._for_phrase(noun, verb)
            if event is not None and event.lower_ == "which" and verb.dep_ == "relcl":
                event = self._relative_head(verb)  # "the bombing, for which Y claimed responsibility"
        else:
            gerund = next((c for c in verb.children if c.dep_ in {"xcomp", "ccomp", "dobj"} and c.tag_ == "VBG"), None)
            if gerund is None:
                if claim and any(c.dep_ == "dobj" and c.lower_ in {"attack", "attacks", "bombing", "bombings",
                                                                   "killing", "killings", "assault", "blast"}
                                 for c in verb.children):  # "Y claimed the attack"
                    event = next(c for c in verb.children if c.dep_ == "dobj")
                    noun = event
                else:
                    return
            else:
                if gerund.lower_ in forms("be"):  # "denied being behind the bombing"
                    event = self._for_phrase(gerund)
                elif any(verb_is(gerund, v) for v in vocab("perpetration_verbs")):  # "denied carrying out"
                    event = next((c for c in gerund.children if c.dep_ == "dobj"), None)
                else:
                    return
                noun = gerund
        target = self._event(event)
        for subj in subjects:
            if self.ctx.type_of(subj) in {ORG, GROUP, PERSON}:
                self.add(subj, "responsibleFor", target, verb.i, 0.7, cue=f"{verb.text} {noun.text}",
                         modality="denied" if deny else None, speaker=subj)

    def _relative_head(self, verb: Any) -> Any:
        """The event noun a relative clause hangs on, when the parse hangs it on a name in the
        event's own phrase ("the bombing in Kandar, for which ...")."""
        events = self._event_tokens()
        node = verb.head
        for _ in range(4):
            if node.i in events:
                return node
            if node.head.i == node.i:
                break
            node = node.head
        return None

    # --- others say so --------------------------------------------------------------------------------
    def blame(self, verb: Any) -> None:
        """"X blamed Y for the attack", "accused Y of carrying out the attack", "pinned the killing
        on Y", "linked the man to Tuesday's assault": responsibility alleged by X."""
        if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
            self._passive_blame(verb)
            return
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        speaker = self.subject(subj) if subj is not None else None
        heads = [verb] + [c for c in verb.children if c.dep_ == "dobj" and c.lower_ in {"finger", "fingers", "blame"}]
        on = _culprits_on(heads, {"on", "at"})
        if not on and (verb_is(verb, "blame") or verb_is(verb, "pin")):
            # the parse may hang "on Y" on the deed ("blamed the attack on Y", "pinned the killing on Y")
            on = _culprits_on([c for c in verb.children if c.dep_ == "dobj"], {"on"})
        if verb_is(verb, "point") and on:  # "pointed a finger at Y" (the article's incident)
            if not any(c.dep_ == "dobj" and c.lower_ in {"finger", "fingers"} for c in verb.children):
                return
            for ci in dict.fromkeys(ci for p in on for ci in self.doers(p)):
                if ci != speaker:
                    self.add(ci, "responsibleFor", ("incident", None), verb.i, 0.6, modality="alleged",
                             cue="pointed a finger at", speaker=speaker)
            return
        if verb_is(verb, "blame") and on:  # "attacks that the government blames on Y"
            event = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if verb.dep_ == "relcl" and (event is None or event.tag_ in {"WDT", "WP"}):
                event = verb.head
            for ci in dict.fromkeys(ci for p in on for ci in self.doers(p)):
                if ci != speaker:
                    self.add(ci, "responsibleFor", self._event(event), verb.i, 0.65, modality="alleged",
                             cue=verb.text, speaker=speaker)
            return
        if verb_is(verb, "pin"):  # "pinned the killing on Y"
            event = next((c for c in verb.children if c.dep_ == "dobj"), None)
            blamed = [ci for p in on for ci in self.doers(p)]
            if event is not None and event.lower_ in {"blame", "responsibility"}:
                event = self._for_phrase(event)
        else:
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            blamed = self.doers(obj) if obj is not None else []
            event = self._for_phrase(verb, *([obj] if obj is not None else []))
            if event is not None and event.tag_ == "VBG":  # "accused Y of carrying out the attack"
                inner = next((c for c in event.children if c.dep_ == "dobj"), None)
                if any(verb_is(event, v) for v in vocab("perpetration_verbs")):
                    event = inner
            if verb_is(verb, "link") and event is not None and not any(
                    c.dep_ == "prep" and c.lower_ == "to" for c in verb.children):
                return
        if verb_is(verb, "attribute"):  # "attributed the attack to Y"
            event = next((c for c in verb.children if c.dep_ == "dobj"), None)
            blamed = [ci for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"
                      for p in c.children if p.dep_ == "pobj" for ci in self.doers(p)]
            if event is None or not any(t.i in self._event_tokens() for t in event.subtree):
                return
        if event is None and blamed and (verb_is(verb, "suspect") or verb_is(verb, "blame")) and not any(
                c.dep_ in {"prep", "xcomp", "ccomp", "advcl"} and c.lower_ not in {"in", "on", "during"}
                for c in verb.children):  # "officials suspect Y", "the governor blamed Y"
            event = ("incident",)  # "officials suspect Boko Haram": the article's incident
        if not blamed or event is None:
            return
        target = ("incident", None) if event == ("incident",) else self._event(event)
        for ci in dict.fromkeys(blamed):
            if ci != speaker:
                self.add(ci, "responsibleFor", target, verb.i, 0.65, modality="alleged", cue=verb.text,
                         speaker=speaker)

    def _passive_blame(self, verb: Any) -> None:
        """"Y is accused of / suspected of / blamed for the attack"; "Y was suspected" (the main
        incident); "the attack was blamed on / attributed to Y"."""
        if (verb_is(verb, "blame") or verb_is(verb, "attribute")) and any(
                c.dep_ == "prep" and c.lower_ in {"on", "to"} for c in verb.children):
            event = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            blamed = [ci for c in verb.children if c.dep_ == "prep" and c.lower_ in {"on", "to"}
                      for p in c.children if p.dep_ == "pobj" for ci in self.doers(p)]
            if event is not None and any(t.i in self._event_tokens() for t in event.subtree):
                for ci in dict.fromkeys(blamed):
                    self.add(ci, "responsibleFor", self._event(event), verb.i, 0.65, modality="alleged", cue=verb.text)
            return
        if not (verb_is(verb, "suspect") or verb_is(verb, "accuse") or verb_is(verb, "blame")
                or verb_is(verb, "implicate")):
            return
        subjects = self._subjects(verb)
        event = self._for_phrase(verb)
        if event is not None and event.tag_ == "VBG":
            inner = next((c for c in event.children if c.dep_ == "dobj"), None)
            if not any(verb_is(event, v) for v in vocab("perpetration_verbs")):
                return  # "accused of belonging to": the membership rules
            event = inner
        if event is None and not (verb_is(verb, "suspect") and verb.dep_ in {"ROOT", "ccomp", "conj"}):
            return
        for subj in subjects:
            if self.ctx.type_of(subj) in {ORG, GROUP, PERSON}:
                self.add(subj, "responsibleFor", self._event(event), verb.i, 0.6, modality="alleged", cue=verb.text)

    def perpetration(self, verb: Any) -> None:
        """"Y carried out the attack", "the attack was carried out by Y", "Y masterminded the
        bombings", "could have carried out the assault"."""
        if not any(verb_is(verb, v) for v in vocab("perpetration_verbs")) or verb.lower_ in forms("claim"):
            return
        passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (
            verb.tag_ == "VBN" and verb.dep_ in {"acl", "amod"})
        if passive:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is None:
                return
            doers = [ci for p in agent.children if p.dep_ == "pobj" for ci in self.holders(p, ACTORS)]
            event = next((c for c in verb.children if c.dep_ == "nsubjpass"), None) if verb.dep_ not in {
                "acl", "amod"} else verb.head
        else:
            if verb.dep_ in {"pcomp", "xcomp"} and (verb.head.lower_ in {"of", "for"} or verb.head.tag_.startswith("VB")) \
                    and verb.tag_ not in {"VBD", "VBZ", "VBP"}:
                # "accused of carrying out", "denied carrying out": the blame and denial rules; a
                # finite verb parsed as xcomp is a clause of its own ("police say carried out")
                return
            doers = self._subjects(verb)
            event = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if event is None or not doers:
            return
        for ci in doers:
            self.add(ci, "responsibleFor", self._event(event), verb.i, 0.65, cue=verb.text)

    # --- helpers ------------------------------------------------------------------------------------
    def doers(self, tok: Any) -> list[int]:
        """Who did it, as a phrase names them: "ELN rebels" and "ISWAP fighters" are their
        organisation, "militants led by X" are the militants and X."""
        ctx = self.ctx
        out = []
        if tok.lower_ in {"we", "us"} and tok.tag_ == "PRP" or tok.lower_ in vocab("member_plurals") and any(
                c.dep_ == "poss" and c.lower_ == "our" for c in tok.children):
            return [SPEAKERS_SIDE]  # "we carried out", "our fighters": the speaker's organisation
        for ci in self.holders(tok, ACTORS):
            out.append(ci)
        for t in [tok] + [c for c in tok.children if c.dep_ == "conj"]:
            if t.lower_ in vocab("member_plurals") or ctx.cluster_at(t.i) is not None and ctx.type_of(ctx.cluster_at(t.i)) == GROUP:
                for c in t.children:
                    if c.dep_ in {"compound", "poss"} or c.dep_ == "prep" and c.lower_ in {"of", "from"}:
                        owner = ctx.cluster_at(c.i) if c.dep_ == "compound" else (
                            self.subject(c) if c.dep_ == "poss" else None)
                        for ci in ([owner] if c.dep_ != "prep" else ctx.clusters_under(c, {ORG})):
                            if ci is not None and ctx.type_of(ci) == ORG and ci not in out:
                                out.insert(0, ci)  # the organisation acting through its members
                    if c.dep_ == "poss" and t.lower_ in vocab("member_plurals"):
                        ci = self.subject(c)  # "his fighters carried out the bombing": their leader too
                        if ci is not None and ctx.type_of(ci) == PERSON and ci not in out:
                            out.append(ci)
                    if c.dep_ in {"acl", "relcl"} and (verb_is(c, "lead") or verb_is(c, "head")
                                                       or verb_is(c, "command")):
                        agent = next((a for a in c.children if a.dep_ == "agent"), None)
                        if agent is not None:
                            out += [ci for ci in ctx.clusters_under(agent, {PERSON}) if ci not in out]
        return out

    def _subjects(self, verb: Any) -> list[int]:
        node = verb
        for _ in range(4):
            rel = next((c for c in node.children if c.dep_ == "nsubj" and c.lower_ in {"which", "who", "that"}),
                       None) if node is not verb and node.lower_ in self.w.reporting_verbs else None
            if rel is not None and node.dep_ in {"relcl", "acl"} and any(
                    c.dep_ == "nsubj" and c.i != rel.i for c in node.children):
                # "Y, which police say carried out the attack": the relative pronoun is the doer,
                # the reporting verb's own subject only the speaker
                found = self.subject(rel)
                return [found] if found is not None else []
            subj = self.ctx.subject_child(node, {"nsubj", "nsubjpass"})
            if subj is not None:
                return self.doers(subj)
            if node.dep_ in {"relcl", "acl"} and node.head.tag_.startswith("NN"):
                return self.holders(node.head, ACTORS)
            if node.dep_ in {"xcomp", "conj", "advcl", "ccomp"} and node.head.i != node.i:
                node = node.head
                continue
            break
        return []

    def _event_tokens(self) -> set[int]:
        """Tokens of event triggers, as the event rules will find them: nouns and verbs of the
        event word lists (a cheap test used only to tell an event phrase from a group)."""
        if not hasattr(self, "_ev_tokens"):
            w = self.w
            self._ev_tokens = {t.i for t in self.ctx.doc if t.lower_ in w.event_nouns or t.lower_ in w.event_verbs
                               or t.lower_ in {"incident", "operation", "crime", "crimes", "act", "acts", "plot"}}
        return self._ev_tokens


def _culprits_on(heads: list[Any], preps: set[str]) -> list[Any]:
    """The objects of "on" / "at" under ``heads`` that can be a culprit: not a date ("blamed Y on
    Monday for the attack")."""
    return [p for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in preps
            for p in c.children if p.dep_ == "pobj" and p.ent_type_ not in {"DATE", "TIME"}]
