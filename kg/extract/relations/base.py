"""What every relation rule needs: the entity a token stands for (names, pronouns, relative
pronouns, "the group" for the organisation just named), the people a coordination or a list
names together, the objects of a noun's prepositions, and how a rule records what it found."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.extract.context import Ctx, Found
from kg.extract.lexicon import word_set
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import verb_forms, words

ACTORS = {PERSON, ORG, GROUP}
_UNSET = object()


@cache
def forms(base: str) -> frozenset[str]:
    """Inflected forms of a verb ("lead" -> led, leads, leading, ...)."""
    return frozenset(verb_forms(base))


def verb_is(tok: Any, base: str) -> bool:
    """Whether ``tok`` is a form of verb ``base`` ("carry out": with its particle)."""
    if " " in base:
        head, particle = base.split(" ", 1)
        return tok.lower_ in forms(head) and any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children)
    return tok.lower_ in forms(base)


@cache
def vocab(name: str) -> frozenset[str]:
    """A word list of the relation rules (``data/relations/NAME.txt``)."""
    return frozenset(word_set(f"relations/{name}.txt"))


def split_off(noun: Any) -> bool:
    """"a splinter group", "a breakaway faction", "an offshoot": a group that left another."""
    return noun.lower_ in {"offshoot", "offshoots", "spin-off"} or noun.lower_ in vocab("org_anaphors") | vocab(
        "suborg_nouns") and any(c.dep_ in {"amod", "compound"} and c.lower_ in {
            "splinter", "breakaway", "renegade", "offshoot", "dissident"} for c in noun.children)


def _bare_definite(tok: Any, nouns: frozenset[str]) -> bool:
    """One of ``nouns`` after "the" or "this" and nothing else ("the group", "the suspect")."""
    return tok.lower_ in nouns and any(c.dep_ == "det" for c in tok.children) and all(
        c.dep_ == "det" and c.lower_ in {"the", "this"} for c in tok.children)


@dataclass
class PostFound:
    holder: int
    title: str
    role: str
    org: int | None
    anchor: int
    sentence: int
    former: bool = False
    confidence: float = 0.75


class Base:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.w = words()
        self.posts: list[PostFound] = []
        self.found: list[Found] = []
        self._post_keys: set[tuple] = set()

    # --- recording -------------------------------------------------------------------------
    def add(self, subject: int | None, relation: str, obj: Any, anchor: int, confidence: float = 0.7, *,
            cue: str = "", modality: str | None = None, speaker: Any = _UNSET, description: bool | str = False,
            nouns: list[Any] | tuple[Any, ...] = ()) -> None:
        """Record a claim; ``speaker`` (a cluster or None for the narrator) when the rule knows who
        says it; ``description`` for what titles ("title") and role phrases ("role") say as facts."""
        if subject is None or obj is None or subject == obj:
            return
        extra: dict[str, Any] = {}
        if description:
            extra["description"] = description
        if speaker is not _UNSET:
            extra["speaker"] = speaker
        if nouns:
            extra["nouns"] = list(nouns)
        self.found.append(Found(subject, relation, obj, anchor, confidence, modality_hint=modality, cue=cue,
                                extra=extra))

    def charged(self, tok: Any) -> bool:
        """Whether ``tok`` states what someone is arrested, charged, tried or sentenced for ("for
        belonging to", "on charges of membership in"): the authorities' allegation."""
        node = tok
        through_phrase = False  # "arrested for belonging to", not "arrested X, members of Y"
        for _ in range(7):
            if node.head.i == node.i:
                return False
            if node.dep_ in {"prep", "pcomp", "pobj", "advcl", "xcomp"}:
                through_phrase = True
            node = node.head
            low = node.lower_
            if node.tag_.startswith("VB") and any(low in forms(v) for v in vocab("charge_verbs")):
                return through_phrase
            if node.tag_.startswith("NN") and low in {"charge", "charges", "accusation", "accusations", "allegation",
                                                      "allegations", "suspicion", "conviction"}:
                return True
            if node.tag_.startswith("VB") and node.dep_ not in {"pcomp", "xcomp", "acl", "advcl"}:
                return False
        return False

    def charged_party(self, tok: Any) -> list[int]:
        """Who the charge phrase ``tok`` is in is held, tried or sentenced for it: the object of
        the state's verb ("arrested X on suspicion of involvement in ..."), else its subject ("five
        men were sentenced on charges of ...", "thousands are serving sentences on charges of")."""
        node = tok
        for _ in range(8):
            if node.head.i == node.i:
                return []
            node = node.head
            if node.tag_.startswith("VB") and node.dep_ not in {"pcomp", "amod"}:
                break
        else:
            return []
        charge = any(node.lower_ in forms(v) for v in vocab("charge_verbs")) or node.lower_ in forms("serve")
        if not charge:
            return []
        obj = next((c for c in node.children if c.dep_ == "dobj" and c.lower_ not in {"sentence", "sentences", "time",
                                                                                      "terms", "term"}), None)
        if obj is not None:
            return self.holders(obj, {PERSON, GROUP, ORG})
        v = node
        for _ in range(3):
            subj = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                return self.holders(subj, {PERSON, GROUP, ORG})
            if v.dep_ not in {"xcomp", "conj"} or v.head.i == v.i:
                break
            v = v.head
        return []

    # --- entities --------------------------------------------------------------------------
    def subject(self, tok: Any) -> int | None:
        """The entity a subject-like token stands for (relative pronouns, pronouns, names, "the
        group" for the organisation just named)."""
        ctx = self.ctx
        if tok is None:
            return None
        if tok.lower_ in {"who", "that", "which", "whom", "whose"} and tok.head.dep_ == "ccomp" and \
                tok.head.head.dep_ in {"relcl", "acl"}:
            return self.subject(tok.head.head.head)  # "X, who police say belongs to Y"
        if tok.lower_ in {"who", "that", "which", "whom", "whose"} and tok.head.dep_ in {"relcl", "acl"}:
            found = self.subject(tok.head.head)
            if found is None:  # "contact with X which ... was founded by": the name just before
                for t in range(tok.i - 1, max(-1, tok.i - 4), -1):
                    ci = ctx.cluster_at(t)
                    if ci is not None and ctx.type_of(ci) in ACTORS:
                        return ci
            return found
        named = self.named_as(tok)
        if named is not None:
            return named
        reporter = self.reporter(tok)
        if reporter is not None:
            return reporter
        if tok.lower_ in {"it", "its"} and tok.tag_ in {"PRP", "PRP$"}:
            prev = self.previous_subject(tok)
            if prev is not None:
                return prev
        ci = ctx.entity_of(tok, ACTORS | {PLACE})
        if ci is not None and ctx.type_of(ci) == GROUP and self._bare_anaphor(tok):
            org = self.org_anaphor(tok)  # "the group said" after an armed group was named
            if org is not None and self._armed_side(org):
                return org
        if ci is not None:
            return ci
        org = self.org_anaphor(tok)
        if org is not None:
            return org
        person = self.person_anaphor(tok)
        if person is not None:
            return person
        for t in tok.subtree:
            if t.i > tok.i:
                break
            ci = ctx.cluster_at(t.i)
            if ci is not None and ctx.type_of(ci) in ACTORS:
                return ci
        return None

    def org_anaphor(self, tok: Any) -> int | None:
        """"the group", "the network", "its": the organisation named last (within three sentences)
        whose name ends in that noun, else the last one that is not a state institution, when the
        token is not a mention of its own."""
        ctx = self.ctx
        if ctx.cluster_at(tok.i) is not None and ctx.type_of(ctx.cluster_at(tok.i)) == ORG:
            return ctx.cluster_at(tok.i)
        low = tok.lower_
        definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.children)
        if low in {"its", "it"} and tok.tag_ in {"PRP$", "PRP"}:
            return ctx.last_mention(tok.i, {ORG}, window_sents=3)
        if not (low in vocab("org_anaphors") and definite):
            return None
        first = max(0, ctx.sents[max(0, ctx.sent_of[tok.i] - 3)].start)
        fallback = None
        seen: set[int] = set()
        for t in range(tok.i - 1, -1, -1):
            ci = ctx.cluster_at(t)
            if ci is None or ci in seen or ctx.type_of(ci) != ORG:
                continue
            seen.add(ci)  # its last mention decides: the name and the kind do not change further back
            names = [n.lower() for n in ctx.cluster_names(ci)]
            if any(n.split()[-1].rstrip("s") == low.rstrip("s") for n in names if n.split()):
                return ci  # "the Haqqani network ... The network", however far back
            if fallback is None and t >= first and not any(ctx.cands[m].institution
                                                           for m in ctx.clusters[ci].members) \
                    and "media" not in self.org_kinds(ci):
                fallback = ci  # "the group": never the agency the news is told to
        return fallback

    def person_anaphor(self, tok: Any) -> int | None:
        """"the suspect", "the detainee": the person named last (in this sentence or the two
        before), when the noun has no name of its own and that person is not a reporter."""
        ctx = self.ctx
        if tok.tag_ != "NN" or ctx.cluster_at(tok.i) is not None or not _bare_definite(tok, vocab("person_anaphors")):
            return None
        first = ctx.sents[max(0, ctx.sent_of[tok.i] - 2)].start
        for t in range(tok.i - 1, first - 1, -1):
            ci = ctx.cluster_at(t)
            if ci is None or ctx.type_of(ci) != PERSON:
                continue
            root = ctx.doc[t]
            if root.dep_ == "nsubj" and root.head.lower_ in self.w.reporting_verbs:
                return None  # "X said police arrested a man. The suspect ...": not X
            return ci
        return None

    def _bare_anaphor(self, tok: Any) -> bool:
        """"the group", "the movement": a definite organisation noun with no other words
        ("the ethnic armed group" is joined to its organisation, or not, by the coreference)."""
        return _bare_definite(tok, vocab("org_anaphors"))

    def org_kinds(self, ci: int) -> set[str]:
        """The kinds an organisation's mentions or the organisation lexicon give it."""
        ctx = self.ctx
        kinds = {ctx.cands[m].kind for m in ctx.clusters[ci].members} - {None}
        for name in ctx.cluster_names(ci)[:3]:
            org = ctx.orgs.find(name)
            if org is not None and org.kind:
                kinds.add(org.kind)
        return kinds

    def _armed_side(self, ci: int) -> bool:
        """An organisation that can be "the group" of a report: not a state body, not a medium."""
        ctx = self.ctx
        members = ctx.clusters[ci].members
        if any(ctx.cands[m].institution for m in members):
            return False
        kinds = self.org_kinds(ci)
        return not kinds & {"media", "government", "military", "police", "intelligence", "intergovernmental",
                            "ministry", "parliament", "company", "ngo"}

    def named_as(self, tok: Any) -> int | None:
        """The organisation a group noun names: "the militant group X", "a group called X", "X, an
        underground militant group", "Ugandan rebels known as the ADF"; or the person a singular
        noun names: "a rebel known as X"."""
        ctx = self.ctx
        own = ctx.cluster_at(tok.i)
        if own is not None and ctx.type_of(own) != GROUP:
            return None
        if not tok.tag_.startswith("NN"):
            return None
        for c in tok.children:
            if c.dep_ in {"appos", "compound"} and c.i > tok.i:
                ci = ctx.cluster_at(c.i)
                if ci is not None and ctx.type_of(ci) == ORG:
                    return ci  # "the militant group Hizbul Mujahedin"
            if c.dep_ == "compound" and c.i < tok.i and tok.lower_ in vocab("org_anaphors"):
                ci = ctx.cluster_at(c.i)
                if ci is not None and ctx.type_of(ci) == ORG:
                    return ci  # "the banned Y terrorist group"
            if c.dep_ in {"acl", "relcl"} and c.lower_ in forms("call") | forms("name") | forms("know") | forms("dub"):
                for ci in ctx.clusters_under(c, {ORG, PERSON} if tok.tag_ == "NN" else {ORG}):
                    return ci  # "a group called X", "rebels known as the ADF", "a rebel known as X"
        if tok.dep_ == "appos" and tok.lower_ in vocab("org_anaphors") | {"organisation", "organization"}:
            ci = ctx.cluster_at(tok.head.i)
            if ci is not None and ctx.type_of(ci) == ORG:
                return ci  # "X, an underground banned militant group"
        if tok.dep_ == "attr" and tok.head.lower_ in forms("be") and tok.lower_ in \
                vocab("org_anaphors") | vocab("umbrella_nouns") | {"organisation", "organization"}:
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            ci = ctx.cluster_at(subj.i) if subj is not None else None
            if ci is not None and ctx.type_of(ci) == ORG:
                return ci  # "X is a jihadist alliance (that includes Y)"
        if tok.i + 1 < len(ctx.doc):
            ci = ctx.cluster_at(tok.i + 1)
            if ci is not None and ctx.type_of(ci) == ORG and tok.lower_ in vocab("org_anaphors"):
                return ci
        return None

    def reporter(self, tok: Any) -> int | None:
        """"JNIM said it had carried out the attack", "He said he was a member": a pronoun subject
        of what someone reports is the reporter, when the pronoun fits."""
        ctx = self.ctx
        if tok.tag_ == "PRP$" and tok.dep_ == "poss":  # "X said its fighters attacked": its = X
            kind = {"its": {ORG}, "his": {PERSON}, "her": {PERSON}, "their": {ORG, GROUP}}.get(tok.lower_)
            owner = tok.head
            if kind is None or owner.dep_ not in {"nsubj", "nsubjpass"}:
                return None
            clause = owner.head
        elif tok.tag_ != "PRP" or tok.dep_ not in {"nsubj", "nsubjpass"}:
            return None
        else:
            kind = {"it": {ORG}, "he": {PERSON}, "she": {PERSON}, "they": {ORG, GROUP}, "we": {ORG, GROUP}}.get(
                tok.lower_)
            clause = tok.head
        if kind is None or clause.dep_ != "ccomp" or clause.head.lower_ not in self.w.reporting_verbs:
            return None
        if clause.head.i > tok.i:
            return None  # "They are members of Y, an official said": someone named before, not the official
        subj = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.i == tok.i:
            return None
        ci = ctx.entity_of(subj, kind)
        if ci is None:
            ci = self.org_anaphor(subj) if ORG in kind else None
        return ci if ci is not None and ctx.type_of(ci) in kind else None

    def previous_subject(self, tok: Any) -> int | None:
        """"The network is allied to Y. It was founded by X": "it" is what the sentence before was
        about (its subject, when an organisation)."""
        ctx = self.ctx
        k = ctx.sent_of[tok.i]
        if k == 0 or tok.i - ctx.sents[k].start > 3:
            return None
        prev = ctx.sents[k - 1]
        root = prev.root
        subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is None:
            return None
        ci = ctx.cluster_at(subj.i)
        if ci is None:
            ci = self.org_anaphor(subj)
        return ci if ci is not None and ctx.type_of(ci) == ORG else None

    def holders(self, tok: Any, types: set[str] = frozenset(ACTORS)) -> list[int]:
        """The entity of ``tok`` and of every name coordinated or listed with it ("Omar Bek, Ali
        Noor and Hasan Tal": three people; "founded by A, B and C")."""
        ctx = self.ctx
        own = ctx.cluster_at(tok.i)
        while tok.dep_ == "conj" and tok.head.i != tok.i and own is not None and \
                ctx.cluster_at(tok.head.i) is not None and ctx.type_of(ctx.cluster_at(tok.head.i)) == ctx.type_of(own):
            tok = tok.head  # "Omar Bek and Ali Noor" from either name
        first = self.subject(tok)
        if first is None or ctx.type_of(first) not in types:
            return []
        out = [first]
        kind = self.ctx.type_of(first)
        if tok.dep_ == "dobj" and kind == PERSON:  # a list the model split into several objects
            for sib in tok.head.children:
                ci = ctx.cluster_at(sib.i)
                if sib.dep_ == "dobj" and sib.i != tok.i and ci is not None and ci not in out \
                        and ctx.type_of(ci) == PERSON:
                    out.append(ci)
        stack = [tok]
        seen = {tok.i}
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.i in seen or c.dep_ not in {"conj", "appos"}:
                    continue
                seen.add(c.i)
                ci = self.ctx.cluster_at(c.i)
                if ci is None or ci in out:
                    continue
                if c.dep_ == "appos" and self.ctx.type_of(ci) != kind:
                    continue  # "Radio X, the service of Y": a description, not a list
                if self.ctx.type_of(ci) in types:
                    out.append(ci)
                    stack.append(c)
        return out

    def objects(self, noun: Any, types: set[str], preps: set[str] | frozenset[str] = frozenset({"of"})) -> list[int]:
        """Entities named in ``noun``'s prepositional phrases ("members of X and Y", "ties to X")."""
        out: list[int] = []
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += [ci for ci in self.holders(p, types) if self.ctx.type_of(ci) in types]
                if not out:
                    out += self.ctx.clusters_under(c, types)
        return list(dict.fromkeys(out))
