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


@cache
def vocab(name: str) -> frozenset[str]:
    """A word list of the relation rules (``data/relations/NAME.txt``)."""
    return frozenset(word_set(f"relations/{name}.txt"))


def singular(word: str) -> str:
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


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
        for _ in range(7):
            if node.head.i == node.i:
                return False
            node = node.head
            low = node.lower_
            if node.tag_.startswith("VB") and any(low in forms(v) for v in vocab("charge_verbs")):
                return True
            if node.tag_.startswith("NN") and low in {"charge", "charges", "accusation", "accusations", "allegation",
                                                      "allegations", "suspicion", "conviction"}:
                return True
            if node.tag_.startswith("VB") and node.dep_ not in {"pcomp", "xcomp", "acl", "advcl"}:
                return False
        return False

    # --- entities --------------------------------------------------------------------------
    def subject(self, tok: Any) -> int | None:
        """The entity a subject-like token stands for (relative pronouns, pronouns, names, "the
        group" for the organisation just named)."""
        ctx = self.ctx
        if tok is None:
            return None
        if tok.lower_ in {"who", "that", "which", "whom", "whose"} and tok.head.dep_ in {"relcl", "acl"}:
            return self.subject(tok.head.head)
        ci = ctx.entity_of(tok, ACTORS | {PLACE})
        if ci is not None:
            return ci
        org = self.org_anaphor(tok)
        if org is not None:
            return org
        for t in tok.subtree:
            if t.i > tok.i:
                break
            ci = ctx.cluster_at(t.i)
            if ci is not None and ctx.type_of(ci) in ACTORS:
                return ci
        return None

    def org_anaphor(self, tok: Any) -> int | None:
        """"the group", "the movement", "its": the organisation named last (within three sentences),
        when the token is not a mention of its own."""
        ctx = self.ctx
        if ctx.cluster_at(tok.i) is not None and ctx.type_of(ctx.cluster_at(tok.i)) == ORG:
            return ctx.cluster_at(tok.i)
        low = tok.lower_
        definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in tok.children)
        if low in vocab("org_anaphors") and definite or low in {"its", "it"} and tok.tag_ in {"PRP$", "PRP"}:
            return ctx.last_mention(tok.i, {ORG}, window_sents=3)
        return None

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
