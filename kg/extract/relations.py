"""Posts and relations between actors, from general constructions:

- job titles before a name ("Kyrgyz interior minister X", "Former KGB officer X") and in
  apposition ("X, the deputy commander of frontier troops"; "the head of Kyrgyzstan's Security
  Council, X"; "X is an IWPR contributor") become posts, with the organisation the text names or
  the title implies, and membership or leadership of it;
- membership, leadership, links, alliances, parts and kinship from copular, verbal, appositive,
  possessive and prepositional constructions ("has been a member of the IMU", "could belong to
  ... the IMU", "with links to Hizb-ut-Tahrir", "its Taleban allies", "Radio Azattyk, the Kyrgyz
  Service of RFE/RL", "fighters affiliated to the IMU", "a relative of Marek");
- "based in", "operated out of"; responsibility ("possible suspects include the IMU").

Rules return :class:`~kg.extract.context.Found` records; speaker and modality are added by
:mod:`kg.extract.attribution`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.extract.context import Ctx, Extra, Found
from kg.extract.lexicon import title_role
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE
from kg.extract.words import words

ACTORS = {PERSON, ORG, GROUP}
HEAD_ROLES = {"head", "leader", "chief", "chairman", "chairwoman", "chairperson", "director", "president",
              "commander", "secretary-general", "emir", "amir", "founder", "governor", "mayor", "premier",
              "prime minister", "minister", "commandant", "director-general", "ceo", "chancellor", "king",
              "queen", "sultan", "monarch"}
NOT_HEAD = {"deputy", "vice", "regional", "local", "district", "assistant", "acting", "provincial", "former",
            "ex", "junior", "field", "unit", "senior", "under", "under-secretary", "undersecretary", "parliamentary",
            "shadow", "chief"}
CULPRIT_NOUNS = {"suspect", "suspects", "culprit", "culprits", "perpetrator", "perpetrators", "mastermind"}
SUBORG_NOUNS = {"service", "branch", "wing", "arm", "unit", "division", "faction", "affiliate", "subsidiary",
                "offshoot", "cell", "department", "section", "chapter", "office", "bureau"}
VERB_RELATIONS = {
    "belong": ("memberOf", "to"), "join": ("memberOf", None), "lead": ("headOf", None),
    "head": ("headOf", None), "command": ("headOf", None), "affiliate": ("memberOf", "to"),
    "ally": ("alliedWith", "with"), "base": ("basedIn", "in"), "operate": ("basedIn", None),
    "work": ("linkedTo", "with"),
}


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


def _lemma_verb(tok: Any) -> str | None:

    low = tok.lower_
    for base in VERB_RELATIONS:
        if low in _forms(base):
            return base
    return None


_FORMS: dict[str, set[str]] = {}


def _forms(base: str) -> set[str]:
    if base not in _FORMS:
        from kg.extract.words import verb_forms

        _FORMS[base] = verb_forms(base)
    return _FORMS[base]


class RelationFinder:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.w = words()
        self.posts: list[PostFound] = []
        self.found: list[Found] = []
        self._post_keys: set[tuple] = set()

    def run(self) -> tuple[list[PostFound], list[Found]]:
        ctx = self.ctx
        for ci, cl in enumerate(list(ctx.clusters)):
            if cl.type == PERSON:
                for m in cl.members:
                    self._title_post(ci, ctx.cands[m])
        for tok in ctx.doc:
            low = tok.lower_
            if tok.dep_ == "appos":
                self._apposition(tok)
            if low in self.w.relation_nouns and tok.tag_.startswith("NN") and ctx.cluster_at(tok.i) is None:
                self._relation_noun(tok)
            if tok.tag_.startswith("VB"):
                base = _lemma_verb(tok)
                if base:
                    self._verb(tok, base)
                if low in _forms("be"):
                    self._copula(tok)
            if low in CULPRIT_NOUNS:
                self._culprit(tok)
            if tok.tag_.startswith("VB") and low in _forms("blame") | _forms("accuse"):
                self._blame(tok)
            if low == "there":
                self._existential_negation(tok)
        return self.posts, self.found

    # --- posts ---------------------------------------------------------------------------------
    def _title_post(self, holder: int, cand: Any) -> None:
        if cand.title is None:
            return
        ctx = self.ctx
        s, e = cand.title
        toks = [t for t in ctx.doc[s:e]]
        title = ctx.doc[s:e].text.strip(" ,")
        words_low = [t.lower_.rstrip(".") for t in toks]
        role = _singular(title_role(words_low))
        org = None
        for t in toks:  # an organisation named inside the title: "Former KGB officer"
            ci = ctx.cluster_at(t.i)
            if ci is not None and ctx.type_of(ci) == ORG:
                org = ci
                break
        if org is None:
            org = self._implied_institution(words_low, cand.start)
        if org is None and role == "deputy" and len(words_low) == 1:
            org = self._institution("parliament", cand.start, [])
        self._add_post(holder, title, role, org, cand.start, former=bool({"former", "ex"} & set(words_low)),
                       modifiers=set(words_low[:-1]))

    def _implied_institution(self, words_low: list[str], anchor: int) -> int | None:
        for pattern, key, countries in self.ctx.lex.title_institutions:
            if all(p in words_low for p in pattern):
                if key == "-":
                    return None
                if countries and self._title_country(words_low, anchor) not in countries:
                    continue  # a row for some countries only ("Chancellor" in Britain: the finance minister)
                return self._institution(key, anchor, words_low)
        return None

    def _title_country(self, words_low: list[str], anchor: int) -> str | None:
        ctx = self.ctx
        country = next((ctx.lex.demonym_country(w) for w in words_low if ctx.lex.demonym_country(w)), None)
        if country is None:  # a country named in the title: "US Secretary of State", "UK Foreign Secretary"
            country = next((p.country for w in words_low if w not in ctx.lex.title_modifiers and len(w) > 1
                            and w not in ctx.lex.titles and (p := ctx.gaz.best(w, "country")) is not None), None)
        if country is None:
            near = ctx.countries_near(anchor)
            country = near[0] if near else None
        return country

    def _institution(self, key: str, anchor: int, words_low: list[str]) -> int | None:
        ctx = self.ctx
        country = self._title_country(words_low, anchor)
        if country is None or key not in ctx.orgs.institutions:
            return None
        inst = ctx.orgs.institutions[key]
        return ctx.add_extra(Extra(inst.label, ORG, inst.kind, country, f"institution/{key}"))

    def _add_post(self, holder: int, title: str, role: str, org: int | None, anchor: int, *,
                  former: bool = False, modifiers: set[str] = frozenset(), confidence: float = 0.75) -> None:
        key = (holder, role, org)
        if key in self._post_keys or not role:
            return
        self._post_keys.add(key)
        ctx = self.ctx
        self.posts.append(PostFound(holder, title, role, org, anchor, ctx.sent_of[anchor], former, confidence))
        if org is None:
            return
        if former:
            rel = "formerMemberOf"
        elif (role in HEAD_ROLES or self._cabinet_secretary(role, title)) and not (modifiers & NOT_HEAD):
            rel = "headOf"
        else:
            rel = "memberOf"
        self.found.append(Found(holder, rel, org, anchor, confidence * 0.95, cue=title,
                                extra={"description": True}))

    def _cabinet_secretary(self, role: str, title: str) -> bool:
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

    def _apposition(self, tok: Any) -> None:
        """"X, the deputy commander of frontier troops" / "the head of ..., X" /
        "Radio Azattyk, the Kyrgyz Service of RFE/RL"."""
        ctx = self.ctx
        head = tok.head
        a_ent, h_ent = ctx.cluster_at(tok.i), ctx.cluster_at(head.i)
        if a_ent is not None and ctx.type_of(a_ent) == PERSON and h_ent is not None and ctx.type_of(h_ent) == ORG:
            # "the head of Kyrgyzstan's Security Council, John Smith" parsed with the name on
            # the organisation: the role noun is higher up
            node = head
            while node.dep_ in {"pobj", "prep", "poss", "compound"} and node.head.i != node.i:
                node = node.head
                if node.tag_.startswith("NN") and ctx.cluster_at(node.i) is None:
                    self._role_phrase(a_ent, node, exclude=tok)
                    break
        elif h_ent is not None and ctx.type_of(h_ent) == PERSON and a_ent is None:
            self._role_phrase(h_ent, tok)
        elif a_ent is not None and ctx.type_of(a_ent) == PERSON and h_ent is None:
            self._role_phrase(a_ent, head, exclude=tok)
        elif h_ent is not None and ctx.type_of(h_ent) == ORG and tok.lower_ in SUBORG_NOUNS:
            for parent in self._of_objects(tok, {ORG}):
                if parent != h_ent:
                    self.found.append(Found(h_ent, "subOrganizationOf", parent, tok.i, 0.75, cue=tok.text))

    def _role_phrase(self, holder: int, noun: Any, exclude: Any = None) -> None:
        """A title phrase headed by ``noun`` describing ``holder``."""
        ctx = self.ctx
        low = _singular(noun.lower_)
        if low in self.w.relation_nouns and self.w.relation_nouns[low][1] in {"relativeOf", "alliedWith"}:
            return  # handled by _relation_noun
        if low not in ctx.lex.title_heads and low not in self.w.relation_nouns and low != "member":
            return
        skip = set(t.i for t in exclude.subtree) if exclude is not None else set()
        toks = [t for t in noun.subtree if t.i not in skip and t.dep_ not in {"relcl"}]
        # stop at a comma or a relative clause after the noun
        span = []
        for t in toks:
            if t.i > noun.i and (t.text in {",", ";", "(", "–", "—"} or t.dep_ == "relcl"):
                break
            span.append(t)
        while span and (span[0].lower_ in {"the", "a", "an"} or span[0].is_punct):
            span = span[1:]
        while span and span[-1].is_punct:
            span = span[:-1]
        if not span:
            return
        title = ctx.doc[span[0].i:span[-1].i + 1].text
        org = None
        for t in span:
            if t.i < noun.i and t.dep_ in {"compound", "nmod", "poss"}:
                ci = ctx.cluster_at(t.i)
                if ci is not None and ctx.type_of(ci) == ORG:
                    org = ci
        if org is None:
            objs = self._of_objects(noun, {ORG}, preps={"of", "for", "at", "with", "to"})
            org = objs[0] if objs else None
        words_low = [t.lower_ for t in span]
        if org is None:
            text = " ".join(words_low)
            for phrase_len in (3, 2):
                for k in range(len(span) - phrase_len + 1):
                    inst = ctx.orgs.institution(" ".join(words_low[k:k + phrase_len]))
                    if inst is not None:
                        org = self._institution(inst.key, span[0].i, words_low)
                        break
                if org is not None:
                    break
            if org is None and "government" in text:
                place = next(iter(ctx.clusters_in(span[0].i, span[-1].i + 1, {PLACE})), None)
                country = ctx.place_country(place) if place is not None else None
                if country:
                    inst = ctx.orgs.institutions["government"]
                    org = ctx.add_extra(Extra(inst.label, ORG, inst.kind, country, "institution/government"))
            if org is None:
                org = self._implied_institution(words_low, span[0].i)
        if low == "member" and org is not None:
            self.found.append(Found(holder, "memberOf", org, noun.i, 0.8, cue=title))
            return
        modifiers = {t.lower_ for t in span if t.i < noun.i}
        self._add_post(holder, title, low, org, noun.i, former="former" in modifiers, modifiers=modifiers)

    def _copula(self, be: Any) -> None:
        """"X is an IWPR contributor", "he has been a member of the IMU", "the group involved
        was the Islamic Movement of Turkestan"."""
        ctx = self.ctx
        subj = next((c for c in be.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        attr = next((c for c in be.children if c.dep_ in {"attr", "acomp"}), None)
        if subj is None or attr is None:
            return
        s_ent = self._subject(subj)
        if s_ent is None:
            return
        a_ent = ctx.cluster_at(attr.i)
        if a_ent is None:
            ctx_type = ctx.type_of(s_ent)
            if ctx_type == PERSON:
                self._role_phrase(s_ent, attr)
            return
        if ctx.type_of(s_ent) == GROUP and ctx.type_of(a_ent) == ORG:
            self.found.append(Found(s_ent, "memberOf", a_ent, attr.i, 0.6, cue="identified as"))

    # --- relation nouns --------------------------------------------------------------------------
    def _relation_noun(self, noun: Any) -> None:
        ctx = self.ctx
        base, rel = self.w.relation_nouns[noun.lower_]
        if rel in {"headOf", "subOrganizationOf"} and noun.dep_ == "appos":
            return  # apposition rules cover these
        objects = self._of_objects(noun, {ORG, GROUP, PERSON} if rel == "relativeOf" else {ORG, GROUP},
                                   preps={"to", "with", "of"} if rel in {"linkedTo", "alliedWith"} else {"of"})
        if rel == "relativeOf":
            objects = [o for o in objects if ctx.type_of(o) == PERSON]
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        holder = self._holder(noun)
        if rel == "alliedWith" and poss is not None:
            # "its Taleban allies": the possessor is allied with the organisation named in the NP
            owner = self._subject(poss)
            allies = [ci for ci in ctx.clusters_in(noun.left_edge.i, noun.i, {ORG, GROUP}) if ci != owner]
            for ally in allies:
                if owner is not None:
                    self.found.append(Found(owner, "alliedWith", ally, noun.i, 0.7, cue=noun.text))
            return
        if rel in {"memberOf", "headOf"} and poss is not None and not objects:
            owner = self._subject(poss)
            if owner is not None and ctx.type_of(owner) == ORG:
                objects = [owner]
        if holder is None:
            return
        for obj in objects:
            if obj == holder:
                continue
            if rel == "headOf" and ctx.type_of(holder) != PERSON:
                continue
            self.found.append(Found(holder, rel, obj, noun.i, 0.7, cue=noun.text))

    def _holder(self, noun: Any) -> int | None:
        """Whom a relation noun is said of: the copula's subject ("X is a member of Y"), the
        name it stands in apposition to, the noun "with links" hangs on, or a name just before
        ("Jan Kowalski – believed to be a relative of Marek")."""
        ctx = self.ctx
        node = noun
        for _ in range(6):
            dep, head = node.dep_, node.head
            if head.i == node.i:
                break
            if dep in {"attr", "oprd", "pobj"} and head.lower_ in _forms("be"):
                subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is None and head.dep_ == "xcomp":  # "believed to be ..."
                    subj = next((c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is not None:
                    return self._subject(subj)
                break  # "X – believed to be a relative of Y": the name before
            if dep == "appos":
                return ctx.cluster_at(head.i) if ctx.cluster_at(head.i) is not None else None
            if dep == "pobj" and head.lower_ in {"with", "as"}:
                owner = head.head
                if owner.dep_ in {"attr", "oprd"} and owner.head.lower_ in _forms("be"):
                    node = owner  # "were believed to be Tajik nationals with links to": the subject
                    continue
                ci = ctx.cluster_at(owner.i)
                if ci is not None:
                    return ci
                node = owner
                continue
            if dep in {"dobj"} and head.lower_ in _forms("have"):
                subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
                return self._subject(subj) if subj is not None else None
            node = head
        # a name just before, in the same sentence
        sent = noun.sent
        for t in range(noun.i - 1, max(sent.start, noun.i - 12) - 1, -1):
            ci = ctx.cluster_at(t)
            if ci is not None and ctx.type_of(ci) in ACTORS:
                return ci
        return None

    # --- verbs ---------------------------------------------------------------------------------------
    def _verb(self, verb: Any, base: str) -> None:
        ctx = self.ctx
        rel, prep = VERB_RELATIONS[base]
        if base == "work" and not any(c.lower_ == "with" for c in verb.children):
            return
        if base == "operate" and not any(c.lower_ in {"out", "from", "in"} for c in verb.children):
            return
        subj = self._verb_subject(verb)
        if subj is None:
            return
        targets = {PLACE} if rel == "basedIn" else {ORG, GROUP}
        if prep is None:
            objs = [ci for c in verb.children if c.dep_ in {"dobj", "prep", "prt"}
                    for ci in ctx.clusters_under(c, targets)]
        else:
            objs = [ci for c in verb.children if c.dep_ in {"prep", "agent"} and c.lower_ in {prep, "with", "to", "in"}
                    for ci in ctx.clusters_under(c, targets)]
        if base == "work":
            objs = [ci for c in verb.children if c.lower_ == "with" for ci in ctx.clusters_under(c, {ORG})]
        for obj in dict.fromkeys(objs):
            if obj != subj:
                self.found.append(Found(subj, rel, obj, verb.i, 0.7, cue=verb.text))

    def _verb_subject(self, verb: Any) -> int | None:
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is None and verb.dep_ in {"acl", "amod", "relcl"}:  # "fighters affiliated to the IMU"
            return self._subject(verb.head)
        if subj is None and verb.dep_ in {"xcomp", "conj", "advcl"}:
            return self._verb_subject(verb.head) if verb.head.tag_.startswith("VB") else None
        return self._subject(subj) if subj is not None else None

    def _subject(self, tok: Any) -> int | None:
        """The entity a subject-like token stands for (relative pronouns, pronouns, names)."""
        ctx = self.ctx
        if tok is None:
            return None
        if tok.lower_ in {"who", "that", "which", "whom"} and tok.head.dep_ == "relcl":
            return self._subject(tok.head.head)
        ci = ctx.entity_of(tok, ACTORS | {PLACE})
        if ci is not None:
            return ci
        for t in tok.subtree:
            if t.i > tok.i:
                break
            ci = ctx.cluster_at(t.i)
            if ci is not None and ctx.type_of(ci) in ACTORS:
                return ci
        return None

    def _of_objects(self, noun: Any, types: set[str], preps: set[str] = frozenset({"of"})) -> list[int]:
        out: list[int] = []
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                out += self.ctx.clusters_under(c, types)
        return list(dict.fromkeys(out))

    # --- responsibility and denials ---------------------------------------------------------------
    def _culprit(self, noun: Any) -> None:
        """"Possible suspects include the IMU", "cited as a possible culprit is Hizb-ut-Tahrir":
        responsibility for the article's main incident (linked later)."""
        ctx = self.ctx
        sent = noun.sent
        orgs: list[int] = []
        for t in sent:  # "suspects include X, Y", "cited as a possible culprit is X"
            if t.lower_ in _forms("be") | _forms("include"):
                for c in t.children:
                    if c.dep_ in {"dobj", "attr"}:
                        for x in [c] + [y for y in c.children if y.dep_ == "conj"]:
                            ci = ctx.cluster_at(x.i)
                            if ci is not None and ctx.type_of(ci) == ORG and ci not in orgs:
                                orgs.append(ci)
        for org in orgs:
            self.found.append(Found(org, "responsibleFor", ("incident", None), noun.i, 0.55, cue=noun.text,
                                    extra={"nouns": [noun]}))

    def _blame(self, verb: Any) -> None:
        """"The Kyrgyz government is blaming powerful drugs cartels for outbreaks of violence":
        responsibility for the events in the for-phrase, alleged by the subject."""
        ctx = self.ctx
        if any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children):
            return  # "X are accused of ...": the event rules give the accused as perpetrator
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        speaker = self._subject(subj) if subj is not None else None
        blamed = [ci for c in verb.children if c.dep_ == "dobj" for ci in ctx.clusters_under(c, ACTORS)]
        heads = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
        tokens = [t.i for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ in {"for", "of"}
                  for t in c.subtree]
        if not blamed or not tokens:
            return
        for ci in dict.fromkeys(blamed):
            if ci != speaker:
                self.found.append(Found(ci, "responsibleFor", ("event_at", tuple(tokens)), verb.i, 0.65,
                                        modality_hint="alleged", cue=verb.text, extra={"speaker": speaker}))

    def _existential_negation(self, there: Any) -> None:
        """"There was no IMU here": the speaker denies the organisation's part in the incident."""
        ctx = self.ctx
        be = there.head
        if there.dep_ != "expl" or be.lower_ not in _forms("be"):
            return
        attr = next((c for c in be.children if c.dep_ == "attr"), None)
        if attr is None or not any(c.lower_ in {"no"} and c.dep_ == "det" for c in attr.children):
            return
        org = ctx.cluster_at(attr.i)
        if org is not None and ctx.type_of(org) == ORG:
            self.found.append(Found(-1, "memberOf", org, attr.i, 0.6, modality_hint="denied", cue="there was no"))


def _singular(word: str) -> str:
    if word.endswith("men") and len(word) > 4:
        return word[:-3] + "man"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def title_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")
