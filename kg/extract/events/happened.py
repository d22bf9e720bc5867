"""Whether a trigger reports an event that happened: not negated ("no one was hurt"), not
planned, threatened, ordered or possible ("plans to arrest", "vowed to attack", "could
attack", "the protests were set to begin"), not a habit, a trend, a category or an ongoing
struggle ("kidnappings are commonplace", "frequent bombings", "crimes such as kidnapping",
"is fighting for autonomy", "has fought the government since 1964", "rarely denies carrying
out attacks"), and not the name of another event in a list ("2014 Kabul bombing")."""

from __future__ import annotations

import re
from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import EventFound
from kg.extract.events.vocabulary import (
    CATEGORY_HEADS,
    CHARGES,
    CONFLICT_NOUNS,
    HABITUAL,
    HAPPENING_VERBS,
    HYPOTHETICAL,
    HYPOTHETICAL_MODIFIERS,
    IMPLICATIVE,
    MASS_EVENTS,
    ONGOING_VERBS,
    ORDERS,
    PLANNED_HEADS,
    PREVENTED,
    RECENT,
)
from kg.extract.words import verb_forms

#: nouns of a count of casualties or events ("the number of civilians killed")
TALLY_NOUNS = {"number", "toll", "tally", "total", "count", "figure"}
SO_FAR = re.compile(r"\bso far\b|\bto date\b|\bin all\b", re.I)
MODALS = {"would", "should", "could", "might", "may", "will", "wo", "ca", "must", "can", "'ll", "shall", "'d"}
PRESENT = {"VBZ", "VBP"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}
#: dependencies that keep a noun inside the clause of the verb above it
_NOMINAL_UP = {"dobj", "pobj", "prep", "agent", "pcomp", "xcomp", "acomp", "attr", "conj", "nsubj", "nsubjpass", "appos"}


#: verbs that put someone under arrest (an event; being under arrest is a state)
PLACING = verb_forms("place") | verb_forms("put")


class HappenedRules:
    """The filters of :class:`~kg.extract.events.finder.EventFinder`'s trigger step."""

    ctx: Ctx

    def happened(self, ev: EventFound) -> bool:
        return not (self._negated(ev) or self._hypothetical(ev) or self._generic(ev) or self._ongoing(ev)
                    or self._named_reference(ev) or self._toll(ev))

    # --- a toll or a tally ---------------------------------------------------------------------
    def _toll(self, ev: EventFound) -> bool:
        """"The violence has killed at least 14,000 people", "the number of civilians killed
        exceeded 200", "police have made three arrests so far", "the dead bomber": a toll, a
        tally or a reference to a death already told, not an incident."""
        tok = self.ctx.doc[ev.trigger]
        if tok.tag_.startswith("VB") and any(c.dep_ == "nsubj" and c.lower_ in CONFLICT_NOUNS for c in tok.children):
            return True
        node = tok
        for _ in range(3):  # "the number of people killed", "the toll of those killed"
            if node.dep_ in {"acl", "pobj", "amod"} and node.head.i != node.i:
                node = node.head
                if node.lower_ in TALLY_NOUNS or node.lower_ == "of" and node.head.lower_ in TALLY_NOUNS:
                    return True
            else:
                break
        if tok.lower_ == "dead" and tok.dep_ == "amod":
            return True  # "the dead bomber"
        if tok.tag_ == "NNS" and SO_FAR.search(tok.sent.text):
            return True  # "three arrests so far"
        return False

    # --- negated ------------------------------------------------------------------------------
    def _negated(self, ev: EventFound) -> bool:
        tok = self.ctx.doc[ev.trigger]
        for c in tok.children:
            if c.dep_ == "neg":
                return True
            if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"none", "nobody", "no"}:
                return True
            if c.dep_ == "det" and c.lower_ == "no":
                return True
        return False

    # --- not (yet) happened -------------------------------------------------------------------
    def _hypothetical(self, ev: EventFound) -> bool:
        """"their stated aim of going on to attack targets", "wouldn't be so stupid as to launch
        attacks", "could attack", "ordered police to arrest", "the protests were set to begin":
        planned, feared, ordered or denied acts are not events. A definite noun ("the goal of
        the attack", "could have carried out the assault") names one that happened, unless it
        was prevented ("foiled the attack"); a conjoined verb is a clause of its own ("planned
        attacks and was captured")."""
        tok = self.ctx.doc[ev.trigger]
        if any(c.dep_ == "amod" and c.lower_ in HYPOTHETICAL_MODIFIERS for c in tok.children):
            return True
        if tok.tag_.startswith("VB") and any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
            return True  # "could attack", "will arrest"
        if self._purpose(tok) and "PeacefulProtest" not in ev.types:  # "took to the streets to protest" did
            return True
        definite = tok.tag_.startswith("NN") and any(
            c.dep_ in {"det", "poss"} and (c.lower_ in DEFINITE or c.tag_ in {"PRP$", "POS"} or c.dep_ == "poss")
            for c in tok.children)
        violent = ev.violent
        node = tok
        for _ in range(5):
            if node.head.i == node.i or (node.dep_ == "conj" and node.tag_.startswith("VB")):
                break
            head = node.head
            low = head.lower_
            if low in PREVENTED:
                return True
            if node.dep_ in {"nsubj", "nsubjpass"} and low in PLANNED_HEADS and any(
                    c.dep_ == "xcomp" and (c.lower_ in HAPPENING_VERBS or
                                           any(g.lower_ in HAPPENING_VERBS for g in c.children if g.dep_ == "aux"))
                    for c in head.children):
                return True  # "the protests were set to begin", "talks are due to take place"
            if node.dep_ in {"nsubj", "nsubjpass", "csubj"}:
                break  # "the killer, shot dead by police, had pledged ...": a verb does not govern its subject
            if definite:
                node = head
                continue
            if low in HYPOTHETICAL:
                return True
            if low in ORDERS and "Agreement" not in ev.types and (node.dep_ == "xcomp" or not violent):
                return True  # "ordered police to arrest", "ordered the arrest of"
            if head.tag_.startswith("VB") and any(
                    c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in MODALS - {"will", "can", "may", "must", "'ll", "shall"})
                    for c in head.children) and node.dep_ in {"dobj", "xcomp", "ccomp"}:
                return True
            node = head
        return False

    @staticmethod
    def _purpose(tok: Any) -> bool:
        """"joined the army to fight", "the push to seize the city": a to-infinitive is a
        purpose or an intent, unless a verb like "began", "managed" or "tried" heads it (and but
        for a protest: "burned tires in the streets to protest" is the protest)."""
        if tok.tag_ == "VB" and tok.dep_ == "conj" and tok.head.tag_ == "VB":  # "to come and massacre"
            tok = tok.head
        if tok.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            return False
        return tok.dep_ in {"advcl", "xcomp", "acl", "relcl", "ccomp"} and tok.head.lower_ not in IMPLICATIVE

    # --- habits, trends, categories ---------------------------------------------------------------
    def _generic(self, ev: EventFound) -> bool:
        """"Kidnappings and violence are commonplace", "attacks occur regularly", "frequent
        bombings", "crimes such as kidnapping", "rarely denies carrying out attacks": a bare
        plural or mass noun in a statement of habit, under a noun of a kind of act, or under a
        present-tense verb, is not an event."""
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        if not tok.tag_.startswith("NN"):
            return False
        if ev.triggers and ev.triggers[0][1] - ev.triggers[0][0] > 1:
            return False
        bare = not any(c.dep_ in {"det", "poss", "nummod"} or c.tag_ == "CD" for c in tok.children) and \
            not any(c.dep_ == "amod" and c.lower_ in RECENT for c in tok.children)
        if not bare:
            return False
        if any(c.dep_ == "amod" and c.lower_ in HABITUAL for c in tok.children):
            return True  # "frequent bombings", "repeated attacks"
        if tok.tag_ == "NN" and ev.base not in MASS_EVENTS and not self._in_category(tok):
            return False
        if self._in_category(tok):
            return True
        # "kidnappings and violence are commonplace" (whatever the parse): the list, then "are"
        k = tok.i + 1
        sent_end = tok.sent.end
        while k < sent_end and (doc[k].tag_ in {"NN", "NNS", "CC", ",", "JJ"} and doc[k].lower_ not in HABITUAL):
            k += 1
        if k + 1 < sent_end and doc[k].lower_ in {"are", "is", "were", "was", "remain", "remains", "became", "become"} \
                and doc[k + 1].lower_ in HABITUAL:
            return True
        if self._dated_sentence(tok):
            return False
        verb = self._clause_verb(tok)
        if verb is None:
            return False
        if any(c.dep_ in {"acomp", "attr", "advmod"} and c.lower_ in HABITUAL for c in verb.children):
            return True
        return self._present_simple(verb)

    def _in_category(self, tok: Any) -> bool:
        """"crimes such as fuel theft, extortion, and kidnapping", "acts of violence", "accused
        of theft"."""
        node = tok
        for _ in range(4):
            if node.dep_ == "pobj":
                prep = node.head
                if prep.lower_ == "as" and any(c.lower_ == "such" for c in prep.children) \
                        or prep.lower_ == "as" and prep.head.lower_ == "such":
                    return True
                if prep.lower_ in {"of", "including", "like"} and prep.head.lower_ in CATEGORY_HEADS:
                    return True
                if prep.lower_ in {"of", "with", "for"} and prep.head.lower_ in CHARGES and not (
                        self._dated_sentence(tok) and any(c.dep_ == "prep" and c.lower_ in {"on", "against"}
                                                          for c in tok.children)):
                    return True  # "accused of theft", "charged with kidnapping": the charge (not
                    # "guilty of attacks on two mosques in May": those attacks)
                if prep.lower_ == "for" and prep.head.lower_ == "responsible" and tok.tag_ == "NNS" and not any(
                        t.ent_type_ in {"DATE", "TIME"} for t in tok.subtree) and not any(
                        c.lower_ in {"was", "were"} for c in prep.head.head.children if c.dep_ in {"aux", "cop"}) \
                        and prep.head.head.lower_ not in {"was", "were"}:
                    return True  # "a group responsible for attacks on villages": its record
            if node.dep_ not in {"conj", "compound", "appos"} or node.head.i == node.i:
                break
            node = node.head
        return False

    def _clause_verb(self, tok: Any) -> Any | None:
        """The verb whose clause a noun is in (through prepositions, objects and
        complements)."""
        node = tok
        for _ in range(6):
            if node.dep_ not in _NOMINAL_UP or node.head.i == node.i:
                return None
            node = node.head
            if node.tag_.startswith("VB") or node.tag_ == "MD":
                return node
        return None

    @staticmethod
    def _present_simple(verb: Any) -> bool:
        """"denies", "battles", "are": a present-tense verb with no past, perfect or modal
        auxiliary (a gerund or participle takes the tense of the verb above it)."""
        node = verb
        for _ in range(3):
            if node.tag_ in {"VBG", "VBN"} and node.dep_ in {"xcomp", "pcomp", "acomp", "ccomp"} and node.head.i != node.i:
                node = node.head
                continue
            break
        tags = {node.tag_} | {c.tag_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        lows = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        return bool(tags & PRESENT) and not tags & {"VBD", "VBN", "MD"} and not lows & {"has", "have", "had"} \
            and node.tag_ in PRESENT | {"VB"}

    def _dated_clause(self, tok: Any) -> bool:
        """A date in the verb's own clause ("are fighting on Tuesday"), not in a relative clause
        about its subject ("the group, which was set up in 2009, is fighting for autonomy")."""
        doc = self.ctx.doc
        for c in tok.children:
            if c.dep_ in {"relcl", "nsubj", "nsubjpass", "acl"}:
                continue
            if any(doc[t.i].ent_type_ in {"DATE", "TIME"} for t in c.subtree):
                return True
        return False

    def _dated_sentence(self, tok: Any) -> bool:
        sent = tok.sent
        doc = self.ctx.doc
        return any(doc[i].ent_type_ in {"DATE", "TIME"} for i in range(sent.start, sent.end))

    # --- an ongoing struggle ------------------------------------------------------------------
    def _ongoing(self, ev: EventFound) -> bool:
        """"The group is fighting for autonomy", "the army still battles the rebels", "has
        fought the government since 1964", "has been racked by violence since 2014": a state
        of conflict described in the present (or as lasting since a date), not one incident; so is
        being "under house arrest"."""
        tok = self.ctx.doc[ev.trigger]
        if tok.lower_ == "arrest" and tok.dep_ == "pobj" and tok.head.lower_ == "under" \
                and tok.head.head.lower_ not in PLACING:
            return True  # "currently under house arrest", "remains under arrest" (not "placed under")
        verb = tok if tok.tag_.startswith("VB") else self._clause_verb(tok)
        if verb is None:
            return False
        aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
        since = any(c.dep_ == "prep" and c.lower_ == "since" for c in verb.children)
        if since and (aux & {"has", "have", "had", "'s", "'ve"} or verb.tag_ == "VBG"):
            return True
        if tok.lower_ not in ONGOING_VERBS and not (tok.tag_.startswith("NN") and ev.base in MASS_EVENTS):
            return False
        if tok.tag_ in PRESENT and not aux:
            return True  # "still battles the ELN"
        if tok.tag_ == "VBG" and aux & {"is", "are", "am", "'s", "'re", "be"} and not self._dated_clause(tok):
            return True  # "is fighting for autonomy", "is said to be fighting in Syria"
        return False

    # --- the name of another event ----------------------------------------------------------------
    def _named_reference(self, ev: EventFound) -> bool:
        """"2014 Bagram Airfield bombing" in a list or a "See also" line: the name of an event
        (a year and a name before the noun, in a line without a verb) is a reference to another
        article, not a report."""
        doc = self.ctx.doc
        tok = doc[ev.trigger]
        if not tok.tag_.startswith("NN"):
            return False
        sent = self.ctx.sents[self.ctx.sent_of[ev.trigger]]
        if any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in sent):
            return False
        left = [t for t in doc[max(sent.start, tok.i - 6):tok.i]]
        year = any(t.like_num and len(t.text) == 4 and t.text.isdigit() for t in left)
        named = any(t.tag_ == "NNP" for t in left)
        bullet = any(t.text in {"*", "•", "-", "–", "·"} for t in sent[:2])
        return named and (year or bullet)
