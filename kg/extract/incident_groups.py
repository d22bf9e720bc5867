"""The unnamed perpetrators of an article per incident: coreference lumps "five men", "the
attackers" and "the group" into one perpetrator group; here it is split into one group per
incident (the main one, or another with its own date), and generic mentions ("militants" in a
general statement) are dropped. A side named by its people ("Chechen separatists") is a group
of its own, never one incident's attackers."""

from __future__ import annotations

from kg.extract.context import Ctx
from kg.extract.coref import Cluster
from kg.extract.events import EventFound
from kg.extract.mentions import GROUP

DEFINITE = {"the", "this", "that", "these", "those", "a", "an"}


def groups_per_incident(ctx: Ctx, events: list[EventFound]) -> None:
    """Split the article's perpetrator mentions ("five men", "the attackers", "the group") into one
    group per incident (the main one, or another with its own date), and drop generic ones
    ("militants" in a general statement)."""
    doc = ctx.doc
    lumped = next((ci for ci, cl in enumerate(ctx.clusters) if cl.type == GROUP and cl.members
                   and ctx.cands[cl.members[0]].group_class == "perpetrator" and not ctx.cands[cl.members[0]].side), None)
    if lumped is None:
        return

    def root(i: int) -> int:
        seen = set()
        while events[i].parent is not None and i not in seen:
            seen.add(i)
            i = events[i].parent
        return i

    def incident(i: int) -> str:
        ev = events[root(i)]
        return ev.incident or "main"

    by_sentence: dict[int, list[int]] = {}
    for i, ev in enumerate(events):
        if ev.violent:
            for s in ev.sentences:
                by_sentence.setdefault(s, []).append(i)
    assigned: dict[str, list[int]] = {}
    for m in ctx.clusters[lumped].members:
        c = ctx.cands[m]
        first = doc[c.start]
        if first.lower_ in {"his", "her", "their", "its", "our", "own"} or (c.start and doc[c.start - 1].lower_ in {"their", "his", "own"}):
            continue  # "their own men": the possessor's people, not the perpetrators
        owner = next((incident(i) for i, ev in enumerate(events) if m in ev.perpetrator_mentions), None)
        if owner is None:
            here = by_sentence.get(ctx.sent_of[c.start], [])
            if len(here) == 1:
                owner = incident(here[0])
        if owner is None:
            before = doc[c.start - 1] if c.start else first
            head = doc[c.end - 1]
            specific = first.lower_ in DEFINITE or first.tag_ == "CD" or before.lower_ in DEFINITE or \
                before.tag_ == "CD" or first.lower_ == "group" or c.side or any(
                    k.dep_ in {"det", "nummod", "poss"} and (k.lower_ in DEFINITE or k.tag_ in {"CD", "PRP$"})
                    or k.dep_ == "compound" and ctx.cluster_at(k.i) is not None for k in head.children)
            # "three alleged Valley Front militants", "their fighters": a definite set
            if not specific:
                continue  # a generic mention: not an actor in this article
            owner = "main"
        assigned.setdefault(owner, []).append(m)
    owners = sorted(assigned, key=lambda o: (o != "main", o))
    if not owners:
        ctx.clusters[lumped] = Cluster([], GROUP, ctx.clusters[lumped].votes)
        _reindex(ctx)
        return
    ctx.clusters[lumped] = Cluster(sorted(assigned[owners[0]], key=lambda m: ctx.cands[m].start), GROUP,
                                   ctx.clusters[lumped].votes)
    group_of = {owners[0]: lumped}
    for o in owners[1:]:
        ctx.clusters.append(Cluster(sorted(assigned[o], key=lambda m: ctx.cands[m].start), GROUP, {GROUP: 5.0}))
        group_of[o] = len(ctx.clusters) - 1
    _reindex(ctx)
    for i, ev in enumerate(events):
        key = incident(i)
        for role, cis in ev.roles.items():
            mapped = [group_of.get(key, lumped) if ci == lumped else ci for ci in cis]
            ev.roles[role] = [ci for ci in dict.fromkeys(mapped) if ctx.clusters[ci].members or ci in ctx.extras]


def _reindex(ctx: Ctx) -> None:
    ctx.cand_cluster = {}
    for ci, cl in enumerate(ctx.clusters):
        for m in cl.members:
            ctx.cand_cluster[m] = ci
    ctx.tok_cand = [None] * len(ctx.doc)
    for i, c in enumerate(ctx.cands):
        if i not in ctx.cand_cluster:
            continue
        for t in range(c.start, c.end):
            if ctx.tok_cand[t] is None or ctx.cands[ctx.tok_cand[t]].group_class is not None:
                ctx.tok_cand[t] = i
