"""Who says so, and how firmly: the speaker and modality of a statement at a token.

- Quotations are attributed to the speaker named next to them ("…,” said Petrov; Karimov
  went on to say, "…"), or to the previous quotation's speaker when one continues over
  paragraphs.
- Outside quotes, every reporting verb that governs the token (say, tell, suggest, believe,
  deny, ...; "according to X") contributes its subject as speaker and its modality; nested
  frames compose ("Haddad said the attackers were believed to be ..." is alleged, and
  Haddad's).
- Hedges at the statement itself (could / may / might, reportedly, possible, negation) adjust
  the modality. Statements with no speaker are the narrator's (the publisher's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.extract.context import Ctx
from kg.extract.lexicon import word_set
from kg.extract.mentions import GROUP, ORG, PERSON
from kg.extract.words import words
from kg.model import Modality

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
STRENGTH = {Modality.ASSERTED: 0, Modality.ALLEGED: 1, Modality.SPECULATED: 2}
NEGATIONS = {"not", "n't", "never", "no", "neither", "nor", "without"}
SPEAKER_TYPES = {PERSON, ORG, GROUP}


@cache
def DISMISSALS() -> frozenset[str]:  # noqa: N802 - a constant loaded once
    return word_set("relations/dismissals.txt")


@dataclass(frozen=True)
class Frame:
    speaker: int | None  # cluster index; None = the narrator
    modality: Modality
    cue: str
    confidence: float = 0.8


def combine(a: Modality, b: Modality) -> Modality:
    """The weaker of two modalities; a denial anywhere in the chain denies."""
    if Modality.DENIED in (a, b):
        return Modality.DENIED
    return a if STRENGTH[a] >= STRENGTH[b] else b


class Attribution:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.w = words()
        self.quotes = self._find_quotes()
        self.quote_at = [-1] * len(ctx.doc)
        qi = 0
        for tok in ctx.doc:  # one pass: quotes are sorted and do not overlap
            while qi < len(self.quotes) and self.quotes[qi][1] <= tok.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi][0] <= tok.idx:
                self.quote_at[tok.i] = qi
        self.quote_speaker: list[tuple[int | None, str]] = []
        for qi in range(len(self.quotes)):
            self.quote_speaker.append(self._speaker_of_quote(qi))

    # --- quotations ----------------------------------------------------------------------------------
    def _find_quotes(self) -> list[tuple[int, int]]:
        text = self.ctx.text
        out: list[tuple[int, int]] = []
        i, n = 0, len(text)
        open_at = None
        straight_open = None
        while i < n:
            ch = text[i]
            if ch in "“\"" and NICKNAME_CUE.search(text, max(0, i - 14), i):
                # 'Omar aka "Rabbit"', 'a man known as “the Engineer”': a name, not speech
                close = next((k for k in range(i + 1, min(n, i + 40)) if text[k] in "”\"\n"), None)
                if close is not None and text[close] != "\n":
                    i = close + 1
                    continue
            if ch == "“":
                if open_at is not None:  # a quote continued in a new paragraph
                    out.append((open_at, i))
                open_at = i
            elif ch == "”" and open_at is not None:
                out.append((open_at, i + 1))
                open_at = None
            elif ch == '"':
                if straight_open is None:
                    straight_open = i
                else:
                    out.append((straight_open, i + 1))
                    straight_open = None
            elif ch == "\n" and i + 1 < n and text[i + 1] == "\n" and straight_open is not None:
                out.append((straight_open, i))  # unclosed straight quote ends with its paragraph
                straight_open = None
            i += 1
        if open_at is not None:
            out.append((open_at, n))
        if straight_open is not None:
            out.append((straight_open, n))
        return sorted(out)

    def _speaker_of_quote(self, qi: int) -> tuple[int | None, str]:
        ctx = self.ctx
        doc = ctx.doc
        start, end = self.quotes[qi]
        first = doc.char_span(start, start + 1, alignment_mode="expand")
        last = doc.char_span(max(start, end - 1), end, alignment_mode="expand")
        if not first or not last:  # None, or empty: a quote mark on whitespace ("0“ “")
            return None, ""
        # a reporting verb just after the closing quote, in its sentence or the next words ("…,”
        # said Petrov), when the model ends the sentence at the quote mark
        sent = last[0].sent
        stop = sent.end if sent.end > last[-1].i + 1 else min(len(doc), last[-1].i + 8)
        for tok in doc[last[-1].i + 1:stop]:
            if self.quote_at[tok.i] >= 0 and self.quote_at[tok.i] != qi:
                break
            if tok.lower_ in self.w.reporting_verbs and tok.tag_.startswith("VB"):
                who = self._subject_entity(tok, inside_quote=qi)
                if who is not None:
                    return who, tok.text
        # ... or just before the opening quote ("Karimov went on to say, "…")
        sent = first[0].sent
        for tok in reversed(doc[sent.start:first[0].i]):
            if self.quote_at[tok.i] >= 0:
                break
            if tok.lower_ in self.w.reporting_verbs and tok.tag_.startswith("VB"):
                who = self._subject_entity(tok, inside_quote=qi)
                if who is not None:
                    return who, tok.text
        # ... or the previous quotation, when it is close (a quote continued over paragraphs)
        if qi > 0:
            prev_start, prev_end = self.quotes[qi - 1]
            gap = self.ctx.text[prev_end:start]
            if len(gap) < 200 and self.quote_speaker[qi - 1][0] is not None:
                return self.quote_speaker[qi - 1][0], self.quote_speaker[qi - 1][1]
        # ... or the person the previous sentence was about
        who = ctx.last_mention(first[0].i, {PERSON}, window_sents=1)
        return (who, "quotation") if who is not None else (None, "")

    def _subject_entity(self, verb: Any, inside_quote: int = -1) -> int | None:
        """The speaker: the subject of a reporting verb, resolved to an entity."""
        ctx = self.ctx
        quoted = verb.head.head if verb.dep_ == "pcomp" and verb.head.lower_ == "as" else None
        if verb.lower_ in {"quoted", "quotes", "quoting", "quote"} and any(
                c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
            quoted = verb  # "..., the agency quoted X as saying"
        if quoted is not None and quoted.lower_ in {"quoted", "quotes", "quoting", "quote"}:
            # "X was quoted as saying", "the agency quoted X as saying": X, not the agency
            said = next((c for c in quoted.children if c.dep_ in {"nsubjpass", "dobj"}), None)
            who = ctx.entity_of(said, SPEAKER_TYPES) if said is not None else None
            if who is not None:
                return who
        subjects = [c for c in verb.children if c.dep_ in {"nsubj"}]
        # "X, who police say heads Y": the reporter, not the relative pronoun the parse also hangs
        # there; "ASTANA -- The office says": not the dateline's place
        subj = next((c for c in subjects if c.lower_ not in {"who", "that", "which"}
                     and ctx.entity_of(c, SPEAKER_TYPES) is not None), None)
        if subj is None:
            subj = next((c for c in subjects if c.lower_ not in {"who", "that", "which"}), subjects[0] if subjects else None)
        if subj is None:
            # "said the head of Kyrgyzstan's Security Council, John Smith": inverted subject
            subj = next((c for c in verb.children if c.dep_ in {"attr", "dobj", "nsubjpass"}
                         and c.i > verb.i and self.quote_at[c.i] != inside_quote), None)
        if subj is None:
            # a verb in a coordination shares its subject ("... and said"); "by suggesting" the
            # subject of the verb the phrase belongs to
            if verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.tag_.startswith("VB"):
                return self._subject_entity(verb.head, inside_quote)
            if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.tag_.startswith("VB"):
                return self._subject_entity(verb.head.head, inside_quote)
            return None
        if inside_quote >= 0 and self.quote_at[subj.i] == inside_quote:
            return None
        if subj.tag_ == "PRP" and subj.lower_ in {"it", "they", "he", "she"}:
            prior = self._previous_reporter(subj)  # "..., it said in a statement. ..., it added."
            if prior is not None:
                return prior
        who = ctx.entity_of(subj, SPEAKER_TYPES)
        if who is None or ctx.type_of(who) == GROUP and subj.lower_ in ctx.lex.title_heads:
            # "the major-general added": the person recently given that title (else the unnamed one)
            titled = self._titled_person(subj)
            who = titled if titled is not None else who
        if who is None:
            for t in subj.subtree:
                ci = ctx.cluster_at(t.i)
                if ci is not None and ctx.type_of(ci) in SPEAKER_TYPES:
                    return ci
        return who

    def _previous_reporter(self, pronoun: Any) -> int | None:
        """The speaker a pronoun reporter continues: the named subject of a reporting verb in one
        of the two sentences before, of the pronoun's kind ("it": an organisation)."""
        ctx = self.ctx
        kinds = {"it": {ORG}, "they": {ORG, GROUP}, "he": {PERSON}, "she": {PERSON}}[pronoun.lower_]
        k = ctx.sent_of[pronoun.i]
        for s in range(k - 1, max(-1, k - 3), -1):
            for tok in ctx.doc[ctx.sents[s].start:ctx.sents[s].end]:
                if tok.lower_ in self.w.reporting_verbs and tok.tag_.startswith("VB"):
                    for c in tok.children:
                        if c.dep_ == "nsubj" and c.tag_ != "PRP":
                            ci = ctx.entity_of(c, kinds)
                            if ci is not None:
                                return ci
        return None

    def _titled_person(self, tok: Any) -> int | None:
        ctx = self.ctx
        word = tok.lower_
        if word not in ctx.lex.title_heads and word not in ctx.lex.titles:
            return None
        t = tok.i - 1
        while t >= 0 and ctx.sent_of[t] >= ctx.sent_of[tok.i] - 8:
            ci = ctx.cluster_at(t)
            if ci is not None and ctx.type_of(ci) == PERSON:
                for m in ctx.clusters[ci].members:
                    c = ctx.cands[m]
                    if c.title and word in ctx.doc[c.title[0]:c.title[1]].text.lower():
                        return ci
            t -= 1
        return None

    # --- frames ---------------------------------------------------------------------------------------
    def frame(self, tok: Any, subject_tok: Any | None = None) -> Frame:
        """Speaker and modality of a statement hanging on ``tok``."""
        ctx = self.ctx
        modality = Modality.ASSERTED
        speaker: int | None = None
        cues: list[str] = []
        qi = self.quote_at[tok.i]
        # reporting verbs governing the token, innermost first
        node = tok
        seen = 0
        while node.head.i != node.i and seen < 30:
            child, node = node, node.head
            seen += 1
            if qi >= 0 and self.quote_at[node.i] != qi:
                break  # the quote's own speaker takes over at its boundary
            low = node.lower_
            if child.dep_ in SUBJECTS:
                continue  # the speaker's own phrase is not what they say
            prt = next((c for c in node.children if c.dep_ == "prt"), None)
            if prt is not None and f"{low} {prt.lower_}" in self.w.reporting_verbs:
                low = f"{low} {prt.lower_}"  # a phrasal verb: "ruled out", "played down"
            if low in self.w.reporting_verbs and node.tag_.startswith("VB"):
                own_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in node.children)
                passive = any(c.dep_ == "auxpass" for c in node.children) or (
                    node.tag_ == "VBN" and not any(c.dep_ in {"nsubj", "aux"} for c in node.children)
                    and node.dep_ in {"acl", "amod"}) or (
                    not own_subject and node.tag_ in {"VBN", "VBD"} and node.dep_ in {"advcl", "acl", "appos"}
                    and any(c.dep_ == "xcomp" for c in node.children)) or (  # "– believed to be ..."
                    # "X, said to be a commander of Y, was killed", parsed as X saying it
                    node.tag_ in {"VBN", "VBD"} and 0 < node.i < len(ctx.doc) - 1 and ctx.doc[node.i - 1].text == ","
                    and ctx.doc[node.i + 1].lower_ == "to" and any(c.dep_ == "xcomp" for c in node.children))
                if passive:
                    agent = next((c for c in node.children if c.dep_ == "agent"), None)
                    mod = Modality(self.w.passive_reporting.get(low, self.w.reporting_verbs[low])[1])
                    if agent is not None and speaker is None:
                        speaker = next(iter(ctx.clusters_under(agent, SPEAKER_TYPES)), None)
                else:
                    mod = Modality(self.w.reporting_verbs[low][1])
                    who = self._subject_entity(node)
                    if speaker is None or (who is not None and ctx.type_of(speaker) == GROUP
                                           and ctx.type_of(who) in {PERSON, ORG}):
                        speaker = who  # "X said police believe ...": X, the named source
                if self._negated(node):
                    mod = Modality.DENIED if mod == Modality.ASSERTED else Modality.SPECULATED
                modality = combine(modality, mod)
                cues.append(node.text)
            elif low in self.w.frame_nouns and node.tag_.startswith("NN"):
                mod = Modality(self.w.frame_nouns[low][1])
                if self._negated(node):  # "no firm proof that Y was behind it": a guess at most
                    mod = Modality.DENIED if mod == Modality.ASSERTED else Modality.SPECULATED
                modality = combine(modality, mod)
                cues.append(node.text)
                if self._dismissed(node):  # "the charges are politically motivated"
                    modality = Modality.DENIED
                    cues.append("dismissed")
                poss = next((c for c in node.children if c.dep_ == "poss"), None)
                if poss is not None and speaker is None:
                    speaker = ctx.entity_of(poss, SPEAKER_TYPES)
        # "according to X"
        sent = tok.sent
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(ctx.doc) and ctx.doc[t.i + 1].lower_ == "to":
                if qi < 0 or self.quote_at[t.i] == qi:
                    under = ctx.clusters_under(ctx.doc[t.i + 1], SPEAKER_TYPES)
                    who = next((ci for ci in under if ctx.type_of(ci) == PERSON), under[0] if under else None)
                    if who is not None and speaker is None:
                        speaker = who
                        cues.append("according to")
        # sentence-level hedges: "it is unclear whether", "no one is certain whether"
        text = sent.text.lower()
        for phrase, mod in self.w.phrases.items():
            if phrase != "according to" and phrase in text:
                k = text.index(phrase) + sent.start_char
                if k < tok.idx:
                    modality = combine(modality, Modality(mod))
                    cues.append(phrase)
        if qi >= 0:
            q_speaker, q_cue = self.quote_speaker[qi]
            if speaker is None:
                speaker = q_speaker
                cues.append(q_cue or "quotation")
        return Frame(speaker, modality, ", ".join(dict.fromkeys(c for c in cues if c)))

    def local(self, pred: Any, nouns: list[Any] = ()) -> tuple[Modality, str]:
        """Hedges and negation on the statement itself: modal verbs and adverbs on its
        predicate, "possible" / "suspected" on its nouns, "not" / "no"."""
        mod = Modality.ASSERTED
        cues = []
        verb = pred
        while verb.dep_ in {"attr", "acomp", "pobj", "prep", "dobj", "xcomp", "oprd"} and verb.head.i != verb.i:
            verb = verb.head
            if verb.tag_.startswith("VB"):
                break
        for c in list(verb.children) + list(pred.children):
            low = c.lower_
            if c.dep_ == "aux" and low in self.w.modals:
                mod = combine(mod, Modality(self.w.modals[low]))
                cues.append(c.text)
            elif c.dep_ == "advmod" and low in self.w.adverbs:
                mod = combine(mod, Modality(self.w.adverbs[low]))
                cues.append(c.text)
        for n in nouns:
            # "suspected militants", "Suspected Free Hills Front militants": a hedge anywhere before the noun
            for c in (t for t in n.subtree if t.i < n.i):
                if c.dep_ in {"amod", "compound"} and c.lower_ in self.w.adjectives:
                    mod = combine(mod, Modality(self.w.adjectives[c.lower_]))
                    cues.append(c.text)
        if self._negated(verb) or self._negated(pred):
            mod = combine(mod, Modality.DENIED)
            cues.append("not")
        return mod, ", ".join(dict.fromkeys(cues))

    def _dismissed(self, noun: Any) -> bool:
        """Whether a charge, claim or report is called baseless by the clause it is the subject
        of ("the charges are politically motivated", "the accusations were groundless")."""
        if noun.dep_ not in {"nsubj", "nsubjpass"}:
            return False
        pred = noun.head
        words = " ".join(t.lower_ for c in pred.children if c.dep_ in {"acomp", "attr", "oprd"} for t in c.subtree)
        if pred.tag_ == "VBN" and pred.dep_ == "ROOT":
            words += " " + " ".join(t.lower_ for t in pred.subtree if t.i >= pred.i - 1)
        elif pred.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in pred.children):
            words += f" {pred.lower_} "  # "(they say) the charges are fabricated"
        return any(phrase in f" {words} " for phrase in (f" {d} " for d in DISMISSALS()))

    @staticmethod
    def _negated(tok: Any) -> bool:
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in {"no", "neither"}):
                return True
        return False

    def in_quote(self, tok: Any) -> bool:
        return self.quote_at[tok.i] >= 0

    def description(self, tok: Any, title: bool = False) -> Frame:
        """Titles and appositions describe people as facts, in the voice of whoever says the
        clause they stand in: the narrator's, a quoted speaker's, or the speaker of a report
        ("Police said the ringleader of Y, X, was arrested": the police). A ``title`` before a
        name ("President X") is the narrator's way of naming, outside quotations."""
        qi = self.quote_at[tok.i]
        if qi >= 0:
            speaker, cue = self.quote_speaker[qi]
            return Frame(speaker, Modality.ASSERTED, cue or "quotation")
        if title:
            return Frame(None, Modality.ASSERTED, "")
        frame = self.frame(tok)
        if tok.dep_ in {"attr", "oprd"}:  # "police believe X is a member of Y": the clause is the claim
            return frame
        return Frame(frame.speaker, Modality.ASSERTED, frame.cue if frame.speaker is not None else "")


#: words that put a nickname in quotes before it ('aka "Rabbit"', 'known as “the Engineer”')
NICKNAME_CUE = re.compile(r"(?:\baka|\ba\.k\.a\.|\balias|\bknown as|\bnicknamed|\bdubbed|\bnom de guerre)\s*$", re.I)


def clean_cue(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
