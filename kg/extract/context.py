"""What the relation, attribution and event rules need to know about one parsed document:
which entity each token belongs to, sentences and paragraphs, recency for pronouns, the
countries in view, and entities discovered late (institutions named in job titles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.extract.coref import Cluster
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE, Cand
from kg.extract.tokens import LiteDoc
from kg.model import Article, DateValue

PRONOUNS = {
    "he": PERSON, "him": PERSON, "his": PERSON, "she": PERSON, "her": PERSON,
    "they": GROUP, "them": GROUP, "their": GROUP, "it": ORG, "its": ORG,
}


@dataclass
class Extra:
    """An entity found by a rule rather than as a mention (e.g. "interior minister" implies the
    interior ministry)."""

    name: str
    type: str
    kind: str | None = None
    country: str | None = None
    key: str = ""


class Ctx:
    def __init__(self, doc: Any, article: Article, cands: list[Cand], clusters: list[Cluster],
                 lex: Any, orgs: Any, gaz: Any, lite: LiteDoc | None = None) -> None:
        self.doc = doc
        self.lite = lite = lite if lite is not None else LiteDoc(doc)
        self.article = article
        self.cands = cands
        self.clusters = clusters
        self.lex = lex
        self.orgs = orgs
        self.gaz = gaz
        self.sents = [doc[s:e] for s, e in lite.sent_bounds]
        self.lows = [t.lower_ for t in lite.tokens]
        self.sent_of = lite.sent_of
        # paragraphs: a sentence starting after a blank line starts a paragraph
        self.para_of_sent: list[int] = []
        para = 0
        text = self.text = lite.text
        for n, s in enumerate(self.sents):
            first = next((t for t in s if not t.is_space), s[0])
            before = text[:first.idx].rstrip(" \t")
            if n and (before.endswith("\n") or not before):
                para += 1
            self.para_of_sent.append(para)
        self.cand_cluster: dict[int, int] = {}
        for ci, cl in enumerate(clusters):
            for m in cl.members:
                self.cand_cluster[m] = ci
        self.tok_cand: list[int | None] = [None] * len(doc)
        for i, c in enumerate(cands):
            if i not in self.cand_cluster:
                continue
            for t in range(c.start, c.end):
                if self.tok_cand[t] is None or cands[self.tok_cand[t]].group_class is not None:
                    self.tok_cand[t] = i
        self.extras: dict[int, Extra] = {}  # cluster index -> synthetic entity
        self._extra_keys: dict[tuple, int] = {}
        self.ref_date: DateValue | None = article.published

    # --- entities -------------------------------------------------------------------------------
    def cluster_at(self, tok: int) -> int | None:
        c = self.tok_cand[tok]
        return None if c is None else self.cand_cluster.get(c)

    def subject_child(self, verb: Any, deps: frozenset[str] | set[str] = frozenset({"nsubj"})) -> Any | None:
        """The subject of ``verb``. A dateline parsed as a second subject ("KABUL, Afghanistan --
        Taliban fighters attacked") is passed over."""
        subjects = [c for c in verb.children if c.dep_ in deps]
        if len(subjects) > 1:
            named = [c for c in subjects if self.cluster_at(c.i) is None or self.type_of(self.cluster_at(c.i)) != PLACE]
            subjects = named or subjects
        return subjects[0] if subjects else None

    def type_of(self, ci: int) -> str:
        return self.clusters[ci].type

    def clusters_in(self, start: int, end: int, types: set[str] | None = None) -> list[int]:
        """Clusters with a mention inside tokens [start, end), in text order, each once."""
        out: list[int] = []
        for t in range(max(0, start), min(end, len(self.doc))):
            ci = self.cluster_at(t)
            if ci is not None and ci not in out and (types is None or self.type_of(ci) in types):
                out.append(ci)
        return out

    def clusters_under(self, token: Any, types: set[str] | None = None) -> list[int]:
        """Clusters mentioned in the subtree of a token."""
        sub = list(token.subtree)
        return self.clusters_in(sub[0].i, sub[-1].i + 1, types)

    def add_extra(self, extra: Extra) -> int:
        key = (extra.type, extra.key or extra.name, extra.country)
        if key in self._extra_keys:
            return self._extra_keys[key]
        # an existing cluster for the same institution and country
        for ci, cl in enumerate(self.clusters):
            for m in cl.members:
                c = self.cands[m]
                if extra.key and (c.institution and f"institution/{c.institution}" == extra.key and c.country == extra.country
                                  or c.org_key and c.org_key == extra.key):
                    self._extra_keys[key] = ci
                    return ci
        self.clusters.append(Cluster([], extra.type, {extra.type: 5.0}))
        ci = len(self.clusters) - 1
        self.extras[ci] = extra
        self._extra_keys[key] = ci
        return ci

    # --- recency ------------------------------------------------------------------------------------
    def last_mention(self, before: int, types: set[str], window_sents: int = 3, exclude: set[int] = frozenset(),
                     same_paragraph: bool = False) -> int | None:
        """The cluster of the most recent mention of one of ``types`` before token ``before``."""
        limit_sent = self.sent_of[before] - window_sents if before < len(self.doc) else 0
        para = self.para_of_sent[self.sent_of[min(before, len(self.doc) - 1)]]
        t = before - 1
        while t >= 0 and self.sent_of[t] >= limit_sent:
            if same_paragraph and self.para_of_sent[self.sent_of[t]] != para:
                break
            ci = self.cluster_at(t)
            if ci is not None and self.type_of(ci) in types and ci not in exclude:
                return ci
            t -= 1
        return None

    def resolve_pronoun(self, tok: Any, exclude: set[int] = frozenset(), actor: bool = False) -> int | None:
        """The antecedent of a pronoun; ``actor`` prefers groups that act (perpetrators,
        organisations) over groups things happen to ("they" after "leaving three soldiers dead")."""
        kind = PRONOUNS.get(tok.lower_)
        if kind == PERSON:
            return self.last_mention(tok.i, {PERSON}, exclude=exclude)
        if kind == GROUP:
            if actor:
                # prefer the last group that was a grammatical subject ("the men started by
                # raiding ..., leaving three soldiers dead. They then ...": the men)
                t = tok.i - 1
                limit = self.sent_of[tok.i] - 2
                while t >= 0 and self.sent_of[t] >= limit:
                    ci = self.cluster_at(t)
                    if ci is not None and ci not in exclude and self.type_of(ci) in {GROUP, ORG}:
                        cand = self.cands[self.tok_cand[t]]
                        root = self.doc[cand.start:cand.end].root
                        if root.dep_ in {"nsubj", "nsubjpass"}:
                            return ci
                    t -= 1
            return self.last_mention(tok.i, {GROUP, ORG}, window_sents=2, exclude=exclude)
        if kind == ORG:
            return self.last_mention(tok.i, {ORG}, window_sents=1, exclude=exclude)
        return None

    def entity_of(self, tok: Any, types: set[str] | None = None) -> int | None:
        """The entity a token stands for: its own mention, a pronoun's antecedent, or a name in
        apposition to it ("the head of X, John Smith")."""
        ci = self.cluster_at(tok.i)
        if ci is not None and (types is None or self.type_of(ci) in types):
            return ci
        if tok.lower_ in PRONOUNS and tok.tag_ in {"PRP", "PRP$"}:
            # a subject pronoun ("They are members of Y") continues an earlier subject
            ci = self.resolve_pronoun(tok, actor=tok.dep_ in {"nsubj", "nsubjpass"})
            return ci if ci is not None and (types is None or self.type_of(ci) in types) else None
        for child in tok.children:
            if child.dep_ == "appos":
                ci = self.cluster_at(child.i)
                if ci is not None and (types is None or self.type_of(ci) in types):
                    return ci
        if tok.dep_ == "appos":
            ci = self.cluster_at(tok.head.i)
            if ci is not None and (types is None or self.type_of(ci) in types):
                return ci
        # the head noun of a relative clause: "the man who ..." is handled by callers
        return None

    # --- places and countries --------------------------------------------------------------------
    def countries_near(self, tok: int, window_sents: int = 2) -> list[str]:
        """Countries named (by demonym or as a place) in the sentence of ``tok`` and the few
        before it, nearest first."""
        out: list[str] = []
        first = self.sents[max(0, self.sent_of[tok] - window_sents)].start
        for t in range(min(self.sents[self.sent_of[tok]].end, len(self.doc)) - 1, first - 1, -1):
            code = self.lex.demonym_country(self.doc[t].text)
            if not code:
                ci = self.cluster_at(t)
                if ci is not None and self.type_of(ci) == PLACE:
                    code = self.place_country(ci)
            if code and code not in out:
                out.append(code)
        # prefer those at or before the token
        return out

    def place_country(self, ci: int) -> str | None:
        if ci not in self.extras:
            for m in self.clusters[ci].members:  # "Paris, Texas": the text says which
                if self.cands[m].country:
                    return self.cands[m].country
        names = self.cluster_names(ci)
        for n in names:
            p = self.gaz.best(n)
            if p is not None and p.country:
                return p.country
        return None

    def cluster_names(self, ci: int) -> list[str]:
        if ci in self.extras:
            return [self.extras[ci].name]
        return [self.doc[self.cands[m].start:self.cands[m].end].text for m in self.clusters[ci].members]

    def place_rank(self, ci: int) -> int:
        """Lower is more specific: facility 0, village/city 1, district 2, region 3, country 5."""
        kinds = {self.cands[m].kind for m in self.clusters[ci].members}
        if "facility" in kinds:
            return 0
        if kinds & {"village", "city"}:
            return 1
        if "district" in kinds:
            return 2
        if kinds & {"region", "feature", "valley"}:
            return 3
        names = self.cluster_names(ci)
        p = self.gaz.best(names[0]) if names else None
        if p is None:
            return 2
        return {"country": 5, "world region": 6, "region": 3, "city": 1}.get(p.kind, 3)


@dataclass
class Found:
    """A claim found by a rule, before attribution."""

    subject: int
    relation: str
    object: Any  # cluster index, or ("post", n), or ("event", n)
    anchor: int  # token the statement hangs on (for speaker and modality)
    confidence: float = 0.7
    modality_hint: str | None = None
    cue: str = ""
    extra: dict = field(default_factory=dict)
