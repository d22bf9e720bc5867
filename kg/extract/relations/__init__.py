"""Posts and relations between actors, from the constructions of news language (one module
per job):

- :mod:`.posts`: job titles and role phrases ("Valley Brigade chief X", "X, a senior commander
  of Y", "the group's spokesman, X", "X was Y's topmost commander");
- :mod:`.affiliations`: relation nouns, verbs and adjectives of membership, leadership, links,
  alliances and parts ("all members of Y", "Y is led by X", "founded by A and B", "closely allied
  to Y", "its front organisation, Z"), coordination ("A, B and C, all members of Y" gives each
  of them the claim), and charges ("for allegedly belonging to Y", "on charges of membership in
  Y", "accused of setting up Y": alleged);
- :mod:`.alliances`: alliances, support and parts between organisations, allegiance;
- :mod:`.responsibility`: who is said to be behind an event, from the deed ("claimed
  responsibility for", "denied any role in", "blamed Y for", "carried out by");
- :mod:`.culprits`: the same from what is said of the doer ("was behind", "the hallmarks of",
  "ruled out the involvement of", "one of nine plotters");
- :mod:`.bases`: where an organisation is based ("the Rostock-based X", "X in Munich", an
  organisation of a country the article names).

Rules return :class:`~kg.extract.context.Found` records; speaker and modality are added by
:mod:`kg.extract.attribution` (a rule that knows the speaker or the modality says so).
"""

from __future__ import annotations

from kg.extract.context import Ctx, Found
from kg.extract.mentions import PERSON
from kg.extract.relations.affiliations import ADJECTIVES, verb_base
from kg.extract.relations.alliances import Alliances
from kg.extract.relations.base import PostFound, forms, vocab
from kg.extract.relations.bases import Bases
from kg.extract.relations.culprits import Culprits
from kg.extract.relations.posts import Posts
from kg.extract.relations.responsibility import CULPRIT_NOUNS

__all__ = ["PostFound", "RelationFinder"]

CONVICT = forms("convict") | forms("sentence")
SUPPORT = forms("back") | forms("support") | forms("sponsor") | forms("arm") | forms("assist") | forms("aid")


class RelationFinder(Posts, Alliances, Culprits, Bases):
    def __init__(self, ctx: Ctx) -> None:
        super().__init__(ctx)

    def run(self) -> tuple[list[PostFound], list[Found]]:
        ctx = self.ctx
        for ci, cl in enumerate(list(ctx.clusters)):
            if cl.type == PERSON:
                for m in cl.members:
                    self.title_post(ci, ctx.cands[m])
        relation_nouns = self.w.relation_nouns
        be = forms("be")
        blame = forms("blame") | forms("accuse") | forms("pin") | forms("link") | forms("suspect") | forms("implicate") \
            | forms("point") | forms("attribute")
        for tok in ctx.doc:
            low = tok.lower_
            tag = tok.tag_
            if tok.dep_ == "appos":
                self.apposition(tok)
            elif tok.dep_ == "poss" and tag in {"NNP", "NNPS"}:
                self.possessed_group(tok)
            if tag in {"NNP", "NNPS"} and tok.dep_ != "compound":
                self.person_of(tok)
                self.based_in(tok)
            if tag.startswith("NN"):
                if low in relation_nouns:
                    self.relation_noun(tok)
                if low in {"founding", "creation", "establishment", "formation"}:
                    self.founding(tok)
                if low in CULPRIT_NOUNS:
                    self.culprit(tok)
                if low in vocab("responsibility_nouns") and low not in {"responsibility", "credit", "part"} or (
                        low == "part" and any(c.dep_ == "prep" and c.lower_ == "in"
                                              for c in [*tok.children, *(tok.head.children if tok.dep_ == "dobj" else [])])
                        and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)):
                    self.involvement(tok)  # "had no part in the attack"; never "part of Y"
                if low == "work":
                    self.behind(tok)
                if low in {"hallmarks", "hallmark", "signature", "trademarks"}:
                    self.hallmarks(tok)
            if low == "responsible" and tag == "JJ":
                self.responsible(tok)
            if low == "guilty" or tag.startswith("VB") and low in CONVICT:
                self.convicted(tok)
            if tag.startswith("VB") or tag == "JJ":
                if low in ADJECTIVES and (tag in {"JJ", "VBN"}):
                    self.adjective(tok)
            if tag.startswith("VB"):
                base = verb_base(tok)
                if base:
                    self.verb(tok, base)
                if low in be:
                    self.copula(tok)
                if low in blame:
                    self.blame(tok)
                self.claim_or_deny(tok)
                if low in forms("distance"):
                    self.distancing(tok)
                self.perpetration(tok)
                if low in forms("involve") | forms("implicate"):
                    self.involvement(tok)
                if low in forms("include") or low in forms("comprise"):
                    self.includes(tok)
                if low in forms("pledge") | forms("swear") | forms("recruit") | forms("enlist"):
                    self.allegiance(tok)
            if low in {"allies", "alliance", "allied", "alongside", "forces", "part", "umbrella"} or (
                    tag.startswith("VB") and low in SUPPORT) or (low == "support" and tag == "NN"):
                self.alliance(tok)
            if low == "behind":
                self.behind(tok)
            elif low == "there":
                self.existential_negation(tok)
            elif low == "nothing":
                self.nothing_to_do(tok)
        self.country_bases()
        return self.posts, self.found
