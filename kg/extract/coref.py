"""In-document coreference of named mentions: which mentions in one article are one entity.

Mentions are joined when they share a normalised name, a known organisation or institution, a
place name with and without its administrative suffix ("Batken" / "Batken region"), an acronym
and its expansion ("IMU" / "Islamic Movement of Uzbekistan", by initials or by definition in
apposition or brackets), or when a single name is the surname or first name of exactly one
fuller person name ("Petrov" / "Lieutenant-Colonel Ivan Petrov"). Each cluster's type is
then settled by summing the type votes of all its mentions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from kg.extract.lexicon import ADMIN_SUFFIXES
from kg.extract.mentions import GROUP, ORG, PERSON, PLACE, Cand
from kg.model import Entity, EntityType, Span
from kg.resolve.gazetteer import STRONG_PLACE
from kg.resolve.names import acronym, is_acronym, norm_key

TYPES = {PERSON: EntityType.PERSON, ORG: EntityType.ORGANISATION, PLACE: EntityType.PLACE,
         GROUP: EntityType.GROUP}
# gazetteer evidence from which a single name needs a certain person to be read as a surname
NAME_OR_TOWN = 1.0
PLACE_KINDS = {"city", "region", "country", "village", "district", "facility", "feature", "world region", "valley",
               "mountains", "river", "sea"}
NAME_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "le", "la", "du", "dos", "das", "bin",
                  "ibn", "bint", "al", "el", "ul", "ud", "y", "e", "ben", "ter", "zu", "abu", "st"}
QUANTIFIERS = {"some", "several", "many", "most", "all", "both", "other", "few", "various", "numerous"}


class UnionFind:
    """Disjoint sets of any hashable, orderable items; each set's root is its smallest item."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Cluster:
    members: list[int]
    type: str
    votes: dict[str, float]


def surface(doc: Any, c: Cand) -> str:
    return doc[c.start:c.end].text


def base_key(doc: Any, c: Cand) -> str:
    """The name without an administrative suffix ("Batken region" -> "batken")."""
    key = norm_key(surface(doc, c))
    words = key.split()
    if len(words) > 1 and words[-1] in ADMIN_SUFFIXES:
        c.suffix = c.suffix or words[-1]
        return " ".join(words[:-1])
    return key


def cluster(doc: Any, cands: list[Cand], title_end_tok: int, gaz_has: Any) -> list[Cluster]:
    named = [i for i, c in enumerate(cands) if c.group_class is None]
    uf = UnionFind()
    by_key: dict[tuple, int] = {}

    def join_on(key: tuple, i: int) -> None:
        if key in by_key:
            uf.union(by_key[key], i)
        else:
            by_key[key] = i

    for i in named:
        c = cands[i]
        if c.org_key:
            join_on(("org", c.org_key), i)
        if c.institution:
            join_on(("inst", c.institution, c.country), i)
            continue  # institutions of different countries must not meet on a shared word
        join_on(("name", base_key(doc, c)), i)

    # acronyms: by initials, or defined in apposition/brackets right after the long form
    long_forms = [i for i in named if " " in surface(doc, cands[i]) and not cands[i].institution]
    for i in named:
        s = surface(doc, cands[i])
        if not is_acronym(s):
            continue
        for j in long_forms:
            if acronym(surface(doc, cands[j])) == s.lower().replace(".", "").replace("/", ""):
                uf.union(i, j)
    for j in long_forms + [i for i in named if cands[i].institution and " " in surface(doc, cands[i])]:
        c = cands[j]
        nxt = [t for t in doc[c.end:c.end + 3] if t.text not in {",", "(", "“", '"'}]
        if nxt and is_acronym(nxt[0].text):
            for i in named:
                if cands[i].start == nxt[0].i and cands[i].end == nxt[0].i + 1:
                    uf.union(i, j)

    # another name given for someone ("X aka Y", "X, also known as Y")
    starts = {cands[i].start: i for i in named}
    for i in named:
        if cands[i].alias_of is not None and cands[i].alias_of in starts:
            uf.union(i, starts[cands[i].alias_of])

    # settle types of the clusters formed so far, then attach single names to full names
    groups = _groups(uf, named)
    votes = {root: _votes(cands, members) for root, members in groups.items()}
    persons_by_last: dict[str, set[int]] = defaultdict(set)
    persons_by_first: dict[str, set[int]] = defaultdict(set)
    credible: set[int] = set()  # people whose name is certain: a title, a name pattern, several mentions
    for root, members in groups.items():
        if _winner(votes[root]) != PERSON:
            continue
        body = [m for m in members if cands[m].start >= title_end_tok]  # a headline fragment is not certain
        if _hard(cands, body, PERSON) >= 1 or len(body) >= 3:
            credible.add(root)
        for m in members:
            toks = [t for t in doc[cands[m].start:cands[m].end] if t.is_alpha]
            if any(t.is_lower and t.lower_ not in NAME_PARTICLES for t in toks):
                continue  # "Spates of Reichsbürger": not a person's name
            if len(toks) >= 2:
                persons_by_last[norm_key(toks[-1].text)].add(root)  # "Schröder" meets "schroder"
                persons_by_first[norm_key(toks[0].text)].add(root)
    for root, members in list(groups.items()):
        if any(len([t for t in doc[cands[m].start:cands[m].end] if t.is_alpha]) >= 2 for m in members):
            continue
        v = votes[root]
        if any(cands[m].org_key or cands[m].institution for m in members):
            continue  # a known organisation ("Ford") is not a surname
        if _hard(cands, members, PLACE) >= 2:
            continue  # "the Osh region", a country, a capital: a place, whoever shares the name
        word = norm_key(surface(doc, cands[members[0]]))
        target = persons_by_last.get(word) or persons_by_first.get(word)
        if not target:
            continue
        if max(cands[m].gaz for m in members) >= NAME_OR_TOWN and _winner(v) != PERSON \
                and _hard(cands, members, PERSON) < 1:
            # a real city of that name ("Oberhausen" and "Schloss Oberhausen"): only a person
            # whose name is certain claims it
            target = target & credible
            if not target:
                continue
        if len(target) == 1:
            uf.union(root, next(iter(target)))
            _as_name_part(cands, members)
            continue
        # several people share the name: the one mentioned most recently before, if close
        first = cands[members[0]].start
        recent = []
        for r in target:
            before = [cands[m].start for m in groups[r] if cands[m].start < first]
            if before:
                recent.append((max(before), r))
        if recent:
            pos, r = max(recent)
            if doc[first].sent.start - pos < 120:  # within a few sentences
                uf.union(root, r)
                _as_name_part(cands, members)

    groups = _groups(uf, named)
    clusters: list[Cluster] = []
    for members in groups.values():
        v = _votes(cands, members)
        t = _winner(v)
        if t is None or v[t] < 0.9:
            continue
        in_title = all(cands[m].start < title_end_tok for m in members)
        supported = any(cands[m].org_key or cands[m].institution for m in members) or v.get(PLACE, 0) >= 2
        if in_title and not supported:
            continue  # a headline fragment ("Border Raid Stokes")
        if t == PERSON and not any(doc[cands[m].start].text[:1].isupper() for m in members):
            continue
        if t == PLACE and any(cands[m].team for m in members) and not any(
                cands[m].suffix or cands[m].gaz >= 2 * STRONG_PLACE for m in members):
            t = ORG  # a club named after its town, in a sports report ("Schalke lost 2-1"); not a country
            v = dict(v)
            v[ORG] = max(v.get(ORG, 0), v.get(PLACE, 0)) + 1
        clusters.append(Cluster(sorted(members, key=lambda m: cands[m].start), t, v))

    # "the group", "the armed group", "the rebel movement": the armed organisation just named
    described = _descriptions(doc, cands, clusters)

    # unnamed collectives
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if c.group_class is None or i in described:
            continue
        if c.group_class == "perpetrator" and not c.side:
            by_label["perpetrator"].append(i)
        else:  # sources, forces, people: one group per wording ("Tajik officials", "three soldiers")
            by_label[f"{c.group_class}:" + _group_label_key(doc, c)].append(i)
    for members in by_label.values():
        clusters.append(Cluster(members, GROUP, {GROUP: 5.0}))
    clusters.sort(key=lambda cl: cands[cl.members[0]].start)
    return clusters


BE = {"is", "was", "are", "were", "be", "been", "being", "'s"}
STATE_KINDS = {"media", "government", "military", "police", "intelligence", "intergovernmental", "ministry",
               "parliament", "company", "ngo", "court"}


def _descriptions(doc: Any, cands: list[Cand], clusters: list[Cluster]) -> set[int]:
    """Join each definite description of a group that names none ("the group", "the ethnic
    armed group", "the rebel movement": "the", describing words, an organisation noun) to the
    organisation whose name ends in that noun, named however far back ("the Haqqani network ...
    the network"), else to the organisation named last within three sentences; only an armed or
    political side (no state body, no medium, no company), never when the article introduced an
    unnamed group of that noun before ("a group of armed men ... the group" may be theirs), and
    never in "the group involved was X". Returns the candidates joined."""
    from kg.extract.lexicon import word_set
    from kg.resolve.organisations import organisations

    nouns = word_set("relations/org_anaphors.txt")
    describing = word_set("relations/group_descriptors.txt")
    known = organisations().orgs

    def side(cl: Cluster) -> bool:
        kinds = {cands[m].kind for m in cl.members} | {known[cands[m].org_key].kind for m in cl.members
                                                        if cands[m].org_key in known}
        return not kinds & STATE_KINDS and not any(cands[m].institution for m in cl.members)

    orgs = [(cands[m].start, cl) for cl in clusters if cl.type == ORG and side(cl) for m in cl.members]
    joined: set[int] = set()

    def described_like(o: Cand) -> bool:  # another bare description, not a group introduced
        words = [t.lower_ for t in doc[max(0, o.start - 1):o.end]]
        return bool(words) and words[0] in {"the", "this"} and all(w in describing for w in words[1:-1])

    for i, c in enumerate(cands):
        if c.group_class is None:
            continue
        toks = list(doc[c.start:c.end])
        if toks and toks[0].lower_ not in {"the", "this"} and c.start > 0:
            toks = [doc[c.start - 1], *toks]  # the span may leave its article out
        if len(toks) < 2 or toks[0].lower_ not in {"the", "this"} or toks[-1].lower_ not in nouns \
                or not all(t.lower_ in describing for t in toks[1:-1]):
            continue
        sent = doc[c.start].sent
        first = sent.start
        for _ in range(3):  # this sentence and the three before it
            first = doc[first - 1].sent.start if first else 0
        head = toks[-1]
        verb = head.head
        if head.dep_ == "nsubj" and verb.lower_ in BE and any(
                x.dep_ == "attr" and x.head.i == verb.i for x in doc[sent.start:sent.end]):
            continue  # "the group involved was the X": which group it was is the claim, not a mention
        noun = head.lower_.rstrip("s")
        named = [(start, cl) for start, cl in orgs if start < c.start and any(
            doc[cands[m].end - 1].lower_.rstrip("s") == noun for m in cl.members if cands[m].group_class is None)]
        before = named or [(start, cl) for start, cl in orgs if first <= start < c.start]
        if not before:  # "the network" is the Haqqani network named however far back, else the last side
            continue
        start, target = max(before, key=lambda x: x[0])
        # an unnamed group of that noun before ("a group of armed men ... the group"): the
        # description may be that group's, so it stays unnamed
        between = [o for j, o in enumerate(cands) if j != i and o.group_class is not None
                   and o.start < c.start and any(t.lower_.rstrip("s") == noun for t in doc[o.start:o.end])
                   and not described_like(o)]
        if between:
            continue
        target.members.append(i)
        target.members.sort(key=lambda m: cands[m].start)
        joined.add(i)
    return joined


def _hard(cands: list[Cand], members: list[int], kind: str) -> float:
    """The votes for ``kind`` that do not come from weak evidence (the model's label on one
    mention, a small town of the same name)."""
    return sum(max(0.0, cands[m].votes.get(kind, 0) - cands[m].weak.get(kind, 0)) for m in members)


def _as_name_part(cands: list[Cand], members: list[int]) -> None:
    """Mentions joined to a person as that person's surname or first name: the name rule
    outweighs the model's label on the bare word and a small town that shares it ("Morales" after
    "Evo Morales")."""
    for m in members:
        c = cands[m]
        for kind in (PLACE, ORG):
            w = min(c.weak.get(kind, 0), c.votes.get(kind, 0))
            c.votes[kind] -= w
            c.weak[kind] = 0.0
        c.vote(PERSON, 1.0)
        c.kind = None


def _groups(uf: UnionFind, idx: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for i in idx:
        out[uf.find(i)].append(i)
    return out


def _votes(cands: list[Cand], members: list[int]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for m in members:
        for k, w in cands[m].votes.items():
            total[k] += w
        if cands[m].org_key or cands[m].institution:
            total[ORG] += 10.0
    return total


def _winner(votes: dict[str, float]) -> str | None:
    if not votes:
        return None
    best = max(votes.items(), key=lambda kv: (kv[1], kv[0] == PLACE))
    return best[0] if best[1] > 0 else None


def _group_label_key(doc: Any, c: Cand) -> str:
    words = [t.lower_ for t in doc[c.start:c.end] if t.lower_ not in QUANTIFIERS]
    return " ".join(words)


def group_label(doc: Any, c: Cand) -> str:
    toks = [t for t in doc[c.start:c.end]]
    while toks and toks[0].lower_ in QUANTIFIERS:
        toks = toks[1:]
    return "".join(t.text_with_ws for t in toks).strip()


def build_entities(doc: Any, cands: list[Cand], clusters: list[Cluster], sent_of: list[int]) -> tuple[list[Entity], dict[int, str]]:
    """Entities (with ids e1, e2, ...) from clusters; also the candidate -> entity id map."""
    entities: list[Entity] = []
    cand_entity: dict[int, str] = {}
    for n, cl in enumerate(clusters, 1):
        eid = f"e{n}"
        members = cl.members
        spans, surfaces, titles = [], [], []
        for m in members:
            c = cands[m]
            span = doc[c.start:c.end]
            text = span.text
            spans.append(Span(span.start_char, span.end_char, sent_of[c.start], text))
            cand_entity[m] = eid
            if cl.type != GROUP and c.group_class is not None:
                continue  # "the armed group" for a named organisation: a mention, not a name
            surfaces.append(text if cl.type != GROUP else group_label(doc, c))
            if c.title:
                t = doc[c.title[0]:c.title[1]].text.strip(" ,")
                if t and t not in titles:
                    titles.append(t)
        members = [m for m in members if cl.type == GROUP or cands[m].group_class is None]
        name = _canonical(doc, cands, members, surfaces, cl.type)
        seen_keys = {norm_key(name)}
        aliases = []
        for s in surfaces:
            k = norm_key(s)
            if k and k not in seen_keys:
                seen_keys.add(k)
                aliases.append(s)
        org_key = next((cands[m].org_key for m in members if cands[m].org_key), None)
        inst = next((cands[m] for m in members if cands[m].institution), None)
        kind = _kind(cands, members, cl.type)
        country = inst.country if inst else next((cands[m].country for m in members if cands[m].country), None)
        key = org_key or (f"institution/{inst.institution}" if inst else "")
        if cl.type == GROUP:
            key = "group/" + (cands[members[0]].group_class or "")
        confidence = min(0.95, 0.5 + 0.05 * sum(cl.votes.values()))
        entities.append(Entity(
            id=eid,
            type=TYPES[cl.type],
            name=name,
            aliases=tuple(aliases),
            mentions=tuple(spans),
            job_titles=tuple(titles),
            kind=kind,
            country=country,
            key=key,
            confidence=round(confidence, 2),
        ))
    return entities, cand_entity


def _canonical(doc: Any, cands: list[Cand], members: list[int], surfaces: list[str], etype: str) -> str:
    own = [k for k, m in enumerate(members) if cands[m].alias_of is None]
    if own and len(own) < len(members):  # another name given for it ("X aka Y") is an alias
        members = [members[k] for k in own]
        surfaces = [surfaces[k] for k in own]
    if etype == GROUP:
        # the most informative mention: one with a number or modifier, else the first
        ranked = sorted(range(len(members)), key=lambda k: (-len(surfaces[k].split()), k))
        return surfaces[ranked[0]]
    if etype == PERSON:
        ranked = sorted(range(len(members)), key=lambda k: (-len(surfaces[k].split()), k))
        return surfaces[ranked[0]]
    if etype == ORG:
        longs = [s for s in surfaces if not is_acronym(s)]
        pool = longs or surfaces
        return max(pool, key=lambda s: (len(s.split()), -surfaces.index(s)))
    # places: the most frequent form, preferring the one with its suffix on ties
    counts = Counter(norm_key(s) for s in surfaces)
    best = max(range(len(surfaces)), key=lambda k: (counts[norm_key(surfaces[k])], len(surfaces[k]), -k))
    return surfaces[best]


def _kind(cands: list[Cand], members: list[int], etype: str) -> str | None:
    if etype == PERSON:
        return None  # a place kind from a town that shares a surname
    if etype == ORG:  # not the kind of a place that shares the name
        kinds = Counter(cands[m].kind for m in members if cands[m].kind and cands[m].kind not in PLACE_KINDS)
    else:
        kinds = Counter(cands[m].kind for m in members if cands[m].kind)
    if etype == PLACE:
        suffixes = [cands[m].suffix for m in members if cands[m].suffix]
        if suffixes:
            return "region" if any(s in {"region", "province", "oblast", "governorate", "prefecture"} for s in suffixes) else "district"
    return kinds.most_common(1)[0][0] if kinds else None
