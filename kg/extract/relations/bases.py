"""Where an organisation is based (``basedIn``), as the text says it or as its name does:

- "the Rostock-based society", "X, based in Y", "headquartered in Y", "the Ifo think tank in
  Munich", "Chalmers University in Gothenburg, Sweden", "Germany's Bundestag";
- an organisation whose name says its country ("the German Society for Philosophy", "the Kyrgyz
  security council", a well-known organisation of one country) is based in that country, when
  the article names the country.
"""

from __future__ import annotations

from typing import Any

from kg.extract.lexicon import word_set
from kg.extract.mentions import ORG, PLACE
from kg.extract.relations.base import Base, forms

#: head words of organisations that a demonym in their name places in its country ("the German
#: Society for Philosophy"; not "the Kazakh Service" of a foreign broadcaster)
BASED_HEADS = set(word_set("relations/based_heads.txt"))


class Bases(Base):
    def based_in(self, tok: Any) -> None:
        """Explicit bases around an organisation's mention ending at ``tok``."""
        ctx = self.ctx
        org = ctx.cluster_at(tok.i)
        if org is None or ctx.type_of(org) != ORG:
            return
        for c in tok.children:
            # "the Rostock-based society": "Rostock - based" before the name
            if c.dep_ in {"amod", "compound"} and c.lower_ in forms("base") | forms("headquarter") and c.i < tok.i:
                for t in range(max(0, c.i - 4), c.i):
                    place = ctx.cluster_at(t)
                    if place is not None and ctx.type_of(place) == PLACE:
                        self.add(org, "basedIn", place, c.i, 0.7, cue=f"{ctx.doc[t].text}-based", description="title")
            # "the Ifo think tank in Munich", "X University in Gothenburg, Sweden"
            if c.dep_ == "prep" and c.lower_ == "in":
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    for place in self.holders(p, {PLACE}):
                        self.add(org, "basedIn", place, c.i, 0.6, cue="in", description="title")
                    for a in p.children:  # "in Gothenburg, Sweden"
                        place = ctx.cluster_at(a.i) if a.dep_ in {"appos", "npadvmod"} else None
                        if place is not None and ctx.type_of(place) == PLACE:
                            self.add(org, "basedIn", place, c.i, 0.6, cue="in", description="title")
            # "Germany's Bundestag", "Munich's Ifo institute"
            if c.dep_ == "poss":
                place = ctx.cluster_at(c.i)
                if place is not None and ctx.type_of(place) == PLACE:
                    self.add(org, "basedIn", place, c.i, 0.6, cue="'s", description="title")
        # "headquartered in Y" as a participle after the name ("based in" is the verb rule)
        for c in tok.children:
            if c.dep_ == "acl" and c.lower_ in forms("headquarter"):
                for p in c.children:
                    if p.dep_ == "prep" and p.lower_ in {"in", "at"}:
                        for place in ctx.clusters_under(p, {PLACE}):
                            self.add(org, "basedIn", place, c.i, 0.7, cue="headquartered in", description="title")

    def country_bases(self) -> None:
        """An organisation of one country (by its name or the organisation list) is based there,
        when the article names that country."""
        ctx = self.ctx
        countries: dict[str, int] = {}
        for ci, cl in enumerate(ctx.clusters):
            if cl.type != PLACE or not cl.members:
                continue
            names = ctx.cluster_names(ci)
            p = ctx.gaz.best(names[0], "country") if names else None
            if p is not None and p.country and p.kind == "country":
                countries.setdefault(p.country, ci)
        if not countries:
            return
        for ci, cl in enumerate(ctx.clusters):
            if cl.type != ORG or not cl.members:
                continue
            code = None
            for m in cl.members:
                c = ctx.cands[m]
                if c.country:
                    code = c.country
                    break
                if c.org_key and ctx.orgs.orgs.get(c.org_key) is not None and ctx.orgs.orgs[c.org_key].country:
                    code = ctx.orgs.orgs[c.org_key].country
                    break
                first = ctx.doc[c.start]
                demonym = ctx.lex.demonym_country(first.text)
                heads = {t.lower_ for t in ctx.doc[c.start + 1:c.end]}
                if demonym and c.end - c.start > 1 and heads & BASED_HEADS:  # "the German Society for Philosophy"
                    code = demonym
                    break
            place = countries.get(code) if code else None
            if place is not None:
                anchor = ctx.cands[cl.members[0]].start
                self.add(ci, "basedIn", place, anchor, 0.55, cue="its country", description="title")
