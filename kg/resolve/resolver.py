"""Cross-document entity resolution: map an article's entities onto the store's entities.

Each entity gets a key (its IRI path) that does not depend on the order articles arrive in:

- well-known organisations: their key in the curated list (``org/<key>``);
- state institutions: the institution and its country (``org/security-council-kg``);
- places the gazetteer knows: the gazetteer place (``place/bishkek-kg``, ``place/kyrgyzstan``);
- everything else: the spelling-family key of the name (one ``person/...`` key for both
  "Osman Kadyrbaev" and "Osman Kadyrbayev").

Against what the store already holds (:class:`EntityIndex`), a name may also meet an existing
entity by typo (edit distance), acronym, or surname (a surname alone, only when exactly one
known person carries it). When a new full name makes an earlier lone surname or acronym
unambiguous, the earlier entity is *absorbed* (its IRI rewritten in the store), so the result
does not depend on which article came first. Every merge records its rule and score.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kg.model import AliasMerge, Entity, EntityType, Extraction, Resolution, ResolvedEntity
from kg.resolve.gazetteer import STRONG_PLACE, Gazetteer, Place, gazetteer
from kg.resolve.names import acronym, is_acronym, masked, name_typo_match, norm_key, slugify, spelling_key, typo_match
from kg.resolve.organisations import OrgLexicon, organisations

MIN_SHARED_ACRONYM = 3  # letters an acronym needs to join an organisation named in another article
PREFIX = {EntityType.PERSON: "person", EntityType.ORGANISATION: "org", EntityType.PLACE: "place",
          EntityType.GROUP: "group"}
PLACE_KIND_HINT = {"region": "region", "district": "region", "city": "city", "village": None,
                   "country": "country", "feature": "feature", "valley": "feature", "facility": None}


@dataclass
class Known:
    key: str
    type: EntityType
    label: str
    names: set[str] = field(default_factory=set)  # norm keys of label and aliases


class EntityIndex:
    """The entities already in the store, indexed for matching (kept in memory for a run)."""

    def __init__(self) -> None:
        self.known: dict[str, Known] = {}
        self.by_norm: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
        self.by_spelling: dict[tuple[EntityType, str], set[str]] = defaultdict(set)
        self.by_surname: dict[str, set[str]] = defaultdict(set)  # person surnames (full names only)
        self.by_acronym: dict[str, set[str]] = defaultdict(set)  # org acronyms of long names
        self.by_initial: dict[tuple[EntityType, str], set[str]] = defaultdict(set)  # for typos
        # typo matching compares a name with each entity's label: labels by (type, first letter,
        # length) of their spelling key, so a lookup reads only the labels within two letters
        self.label_keys: dict[str, str] = {}
        self.by_typo: dict[tuple[EntityType, str, int], set[str]] = defaultdict(set)
        # organisation labels of 3+ words with the first or the last word masked (close matches)
        self.by_masked: dict[tuple[str, ...], set[str]] = defaultdict(set)

    def add(self, key: str, etype: EntityType, label: str, names: Iterable[str] = ()) -> None:
        if key.startswith("@"):
            return
        known = self.known.get(key)
        if known is None:
            known = self.known[key] = Known(key, etype, label)
            lsk = self.label_keys[key] = spelling_key(label)
            if lsk:
                self.by_typo[(etype, lsk[:1], len(lsk))].add(key)
            if etype == EntityType.ORGANISATION:
                for m in masked(norm_key(label).split()):
                    self.by_masked[m].add(key)
        for name in (label, *names):
            k = norm_key(name)
            if not k or k in known.names:
                continue
            known.names.add(k)
            self.by_norm[(etype, k)].add(key)
            sk = spelling_key(name)
            self.by_spelling[(etype, sk)].add(key)
            self.by_initial[(etype, sk[:1])].add(key)
            words = k.split()
            if etype == EntityType.PERSON and len(words) >= 2:
                self.by_surname[spelling_key(words[-1])].add(key)
            if etype == EntityType.ORGANISATION and len(words) >= 2:
                self.by_acronym[acronym(name)].add(key)

    def remove(self, key: str) -> None:
        known = self.known.pop(key, None)
        if known is None:
            return
        for table in (self.by_norm, self.by_spelling, self.by_surname, self.by_acronym, self.by_initial):
            for bucket in table.values():
                bucket.discard(key)
        lsk = self.label_keys.pop(key, "")
        self.by_typo.get((known.type, lsk[:1], len(lsk)), set()).discard(key)
        for m in masked(norm_key(known.label).split()):
            self.by_masked.get(m, set()).discard(key)

    def typo_candidates(self, etype: EntityType, sk: str) -> list[str]:
        """Entities of ``etype`` whose label's spelling key is a typo of ``sk`` (sorted); for
        people, a typo in one word of the name, judged on that word (:func:`name_typo_match`)."""
        out = []
        match = name_typo_match if etype == EntityType.PERSON else typo_match
        for n in range(len(sk) - 2, len(sk) + 3):  # typo_match allows at most two edits
            for key in self.by_typo.get((etype, sk[:1], n), ()):
                if match(sk, self.label_keys[key]):
                    out.append(key)
        return sorted(out)


@dataclass(frozen=True)
class Absorption:
    """An earlier entity that now merges into a new one: rewrite ``old`` to ``new``."""

    old: str
    new: str
    rule: str
    score: float
    label: str  # the old entity's label, kept as an alias of the new one


@dataclass(frozen=True)
class Unlink:
    """A second person with this surname arrived: lone surnames that joined ``old`` (the only
    carrier until now, by the ``surname`` rule) could be either, so each stands alone again, as
    a fresh ingest in another order would have left it (applied by :mod:`kg.pipeline`)."""

    old: str
    surname: str


class Resolver:
    def __init__(self, index: EntityIndex | None = None, curation: object | None = None,
                 gaz: Gazetteer | None = None, orgs: OrgLexicon | None = None) -> None:
        self.index = index or EntityIndex()
        self.gaz = gaz or gazetteer()
        self.orgs = orgs or organisations()
        self.curation = curation

    # --- public -----------------------------------------------------------------------------
    def resolve(self, ex: Extraction) -> tuple[Resolution, list[Absorption | Unlink]]:
        countries = self._article_countries(ex)
        resolved: list[ResolvedEntity] = []
        context: dict[str, ResolvedEntity] = {}
        for e in ex.entities:
            r = self._resolve_entity(e, countries, context)
            resolved.append(r)
        # authors and publisher
        for n, author in enumerate(ex.article.authors, 1):
            ent = Entity(f"author{n}", EntityType.PERSON, author)
            resolved.append(self._resolve_entity(ent, countries, context))
        if ex.article.publisher:
            ent = Entity("publisher", EntityType.ORGANISATION, ex.article.publisher)
            resolved.append(self._resolve_entity(ent, countries, context))
        resolved = _merge_same_key(resolved)
        absorbed = self._absorptions(resolved)
        own = {r.key for r in resolved}
        ctx = tuple(v for k, v in sorted(context.items()) if k not in own)
        return Resolution(tuple(resolved), ctx), absorbed

    def commit(self, resolution: Resolution, absorbed: list[Absorption | Unlink]) -> None:
        """Record a stored article's entities in the index (after its write succeeded)."""
        for a in absorbed:
            if isinstance(a, Absorption):
                self.index.remove(a.old)
        for r in (*resolution.entities, *resolution.context):
            self.index.add(r.key, r.type, r.label, r.alt_labels)

    # --- per entity ------------------------------------------------------------------------------
    def _resolve_entity(self, e: Entity, countries: list[str], context: dict[str, ResolvedEntity]) -> ResolvedEntity:
        merges = [AliasMerge(a, "in-document", 0.9) for a in e.aliases]
        if e.type == EntityType.GROUP:
            return ResolvedEntity(e.id, f"@group/{e.id}", e.type, e.name, e.aliases, e.kind, _group_actor(e),
                                  merges=tuple(merges))
        if e.type == EntityType.ORGANISATION:
            return self._organisation(e, merges, context)
        if e.type == EntityType.PLACE:
            return self._place(e, merges, countries, context)
        return self._person(e, merges)

    def _organisation(self, e: Entity, merges: list[AliasMerge], context: dict[str, ResolvedEntity]) -> ResolvedEntity:
        names = (e.name, *e.aliases)
        org = self.orgs.orgs.get(e.key) if e.key and not e.key.startswith("institution/") else None
        if org is None:
            org = next((o for o in (self.orgs.find(n) for n in names) if o), None)
        if org is not None:
            parent = f"org/{org.part_of}" if org.part_of else None
            if parent and org.part_of in self.orgs.orgs:
                p = self.orgs.orgs[org.part_of]
                context.setdefault(parent, ResolvedEntity("ctx", parent, EntityType.ORGANISATION, p.name,
                                                          kind=p.kind, actor_type=p.actor_type, links=_org_links(p)))
            alts = tuple(n for n in names if norm_key(n) != norm_key(org.name))
            merges += [AliasMerge(n, "lexicon", 1.0) for n in names if norm_key(n) != norm_key(org.name)]
            return ResolvedEntity(e.id, f"org/{org.key}", e.type, org.name, _dedupe(alts), org.kind,
                                  org.actor_type, _org_links(org), parent=parent, merges=tuple(_unique_merges(merges)))
        if e.key.startswith("institution/") and e.country:
            inst = self.orgs.institutions[e.key.split("/", 1)[1]]
            country = self.gaz.country(e.country)
            cname = country.label if country else e.country
            label = f"{inst.label} of {cname}"
            key = f"org/{inst.key}-{e.country.lower()}"
            alts = tuple(n for n in names if norm_key(n) != norm_key(label)) if e.mentions else ()
            merges = merges if e.mentions else []
            merges += [AliasMerge(n, "institution", 0.95) for n in alts]
            parent = None
            if country:
                parent = _place_key(country)
                self._add_place_context(country, context)
            return ResolvedEntity(e.id, key, e.type, label, _dedupe(alts), inst.kind, inst.actor_type,
                                  parent=parent, merges=tuple(_unique_merges(merges)))
        return self._by_name(e, merges, kind=e.kind, actor_type=None)

    def _place(self, e: Entity, merges: list[AliasMerge], countries: list[str],
               context: dict[str, ResolvedEntity]) -> ResolvedEntity:
        hint = PLACE_KIND_HINT.get(e.kind or "", None)
        names = [e.name, *e.aliases]
        if e.kind != "facility":
            for name in names:
                base = re.sub(r"\s+(?:region|province|oblast|district|governorate)$", "", name, flags=re.I)
                place = self._best_place(base, countries, hint, e.country)
                if place is not None:
                    rule = "gazetteer" if norm_key(base) == norm_key(place.name) else "gazetteer-variant"
                    return self._gazetteer_entity(e, place, merges, rule, context)
            # a typo of a place in the article's countries or of a country ("Stcokholm")
            place = self._typo_place(e.name, countries)
            if place is not None:
                return self._gazetteer_entity(e, place, merges, "typo", context)
        r = self._by_name(e, merges, kind=e.kind, actor_type=None)
        if e.country and r.parent is None:  # contained in what the text says
            country = self.gaz.country(e.country)
            if country is not None:
                self._add_place_context(country, context)
                r = replace(r, parent=_place_key(country))
        return r

    def _best_place(self, name: str, countries: list[str], kind: str | None = None,
                    local: str | None = None) -> Place | None:
        """The place a name means here. The text's own qualifier wins ("Paris, Texas": ``local``
        is the country it names); then a place in the article's countries, unless the name
        usually means a much more important place elsewhere (an article that mentions the US
        and Paris means Paris, France, not Paris, Texas)."""
        found = self.gaz.lookup(name, kind, local, tuple(countries[:3]))
        if not found:
            return None
        if local:
            here = [p for p in found if p.country == local or local in p.countries]
            if here:
                return here[0]
        k = norm_key(name)
        primary = [p for p in found if self.gaz.alt_rank(k, p) <= 1]
        pool = primary or found

        def in_article(p: Place) -> bool:
            return p.country in countries or p.kind in {"country", "world region"} or bool(set(p.countries) & set(countries))

        local_ones = [p for p in pool if in_article(p)]
        if not local_ones and primary and not any(p.importance >= STRONG_PLACE for p in primary):
            local_ones = [p for p in found if in_article(p)]  # an alternate name of a place in the article
        pick = (local_ones or pool)[0]
        if pick.kind != "city":
            return pick
        famous = max((p for p in pool if p.kind == "city"), key=lambda p: (p.importance, p.population))
        if famous is not pick and famous.country != pick.country and famous.importance > pick.importance \
                and famous.population >= 8 * max(pick.population, 1):
            return famous
        return pick

    def _typo_place(self, name: str, countries: list[str]) -> Place | None:
        sk = spelling_key(name)
        if len(sk) < 6:
            return None
        # places the store already holds (a typo of a place another article named)
        for key in self.index.typo_candidates(EntityType.PLACE, sk):
            place = self.gaz.best(self.index.known[key].label)
            if place is not None:
                return place
        best = None
        for scope in (None, *countries[:3]):
            for psk, p in self.gaz.typo_pool(scope):
                if typo_match(sk, psk) and (best is None or p.population > best.population):
                    best = p
        return best

    def _gazetteer_entity(self, e: Entity, place: Place, merges: list[AliasMerge], rule: str,
                          context: dict[str, ResolvedEntity]) -> ResolvedEntity:
        key = _place_key(place)
        label = place.label
        alts = tuple(n for n in (e.name, *e.aliases) if norm_key(n) != norm_key(label))
        merges += [AliasMerge(n, rule, 1.0 if rule.startswith("gazetteer") else 0.85) for n in alts]
        parent = None
        for anc in self.gaz.parent_chain(place)[:1]:
            parent = _place_key(anc)
            self._add_place_context(anc, context)
        return ResolvedEntity(e.id, key, e.type, label, _dedupe(alts), place.kind, None, _place_links(place),
                              lat=place.lat, lon=place.lon, parent=parent,
                              merges=tuple(_unique_merges(merges)), iso=place.iso)

    def _add_place_context(self, place: Place, context: dict[str, ResolvedEntity]) -> None:
        key = _place_key(place)
        if key in context:
            return
        parent = None
        chain = self.gaz.parent_chain(place)
        if chain:
            parent = _place_key(chain[0])
        context[key] = ResolvedEntity("ctx", key, EntityType.PLACE, place.label, (), place.kind, None,
                                      _place_links(place), lat=place.lat, lon=place.lon, parent=parent, iso=place.iso)
        if chain:
            self._add_place_context(chain[0], context)

    def _person(self, e: Entity, merges: list[AliasMerge]) -> ResolvedEntity:
        words = norm_key(e.name).split()
        if len(words) == 1:
            carriers = self.index.by_surname.get(spelling_key(words[0]), set())
            if len(carriers) == 1:
                key = next(iter(carriers))
                known = self.index.known[key]
                merges.append(AliasMerge(e.name, "surname", 0.8))
                return ResolvedEntity(e.id, key, e.type, known.label, _dedupe((e.name, *e.aliases)),
                                      merges=tuple(_unique_merges(merges)))
        return self._by_name(e, merges, kind=None, actor_type=None)

    def _by_name(self, e: Entity, merges: list[AliasMerge], kind: str | None, actor_type: str | None) -> ResolvedEntity:
        """Match an uncurated name against the store: same name, spelling family, acronym,
        typo; otherwise a new entity keyed by the name's spelling family."""
        names = [e.name, *e.aliases]
        prefix = PREFIX[e.type]
        for rule, score, found in (
            ("same-name", 1.0, self._lookup(self.index.by_norm, e.type, names, norm_key)),
            ("spelling", 0.9, self._lookup(self.index.by_spelling, e.type, names, spelling_key)),
        ):
            if e.type == EntityType.PERSON:
                # a full name does not join a lone surname met earlier (found through its own
                # surname alias): it stays the entity, and absorbs the surname (_absorptions);
                # a lone name does not join a full name through an alias another article gave it
                # (whether that alias is known yet depends on the order): the surname rule decides
                full = len(norm_key(e.name).split()) >= 2
                found = {k for k in found if (len(norm_key(self.index.known[k].label).split()) >= 2) == full}
            if len(found) == 1:
                return self._existing(e, next(iter(found)), merges, rule, score, kind, actor_type)
        if e.type == EntityType.ORGANISATION:
            for n in names:
                acr = n.lower().replace(".", "").replace("/", "")
                # across articles, only acronyms of three letters or more: two letters stand for
                # too many names ("GT" a car model, a government); well-known ones are curated
                if is_acronym(n) and len(acr) >= MIN_SHARED_ACRONYM:
                    found = self.index.by_acronym.get(acr, set())
                    if len(found) == 1:
                        return self._existing(e, next(iter(found)), merges, "acronym", 0.85, kind, actor_type)
        sk = spelling_key(e.name)
        if len(sk) >= 8 and e.type != EntityType.PERSON or len(sk) >= 10:
            cands = self.index.typo_candidates(e.type, sk)
            if len(cands) == 1:
                return self._existing(e, cands[0], merges, "typo", 0.75, kind, actor_type)
        key = f"{prefix}/{slugify(spelling_key(e.name))}"
        close = self._close_matches(e, key)
        return ResolvedEntity(e.id, key, e.type, e.name, _dedupe(tuple(e.aliases)), kind, actor_type,
                              close=close, merges=tuple(_unique_merges(merges)))

    def _existing(self, e: Entity, key: str, merges: list[AliasMerge], rule: str, score: float,
                  kind: str | None, actor_type: str | None) -> ResolvedEntity:
        known = self.index.known[key]
        names = (e.name, *e.aliases)
        alts = tuple(n for n in names if norm_key(n) != norm_key(known.label))
        # each article records how its own names joined the entity, whatever other articles said
        merges += [AliasMerge(n, rule, score) for n in names if norm_key(n) != norm_key(known.label)]
        return ResolvedEntity(e.id, key, e.type, known.label, _dedupe(alts), kind, actor_type,
                              close=self._close_matches(e, key), merges=tuple(_unique_merges(merges)))

    @staticmethod
    def _lookup(table: dict, etype: EntityType, names: list[str], keyf) -> set[str]:
        found: set[str] = set()
        for n in names:
            if is_acronym(n):
                continue
            found |= table.get((etype, keyf(n)), set())
        return found

    def _close_matches(self, e: Entity, key: str) -> tuple[str, ...]:
        """Similar but different organisations: all words shared but one, e.g. "Islamic
        Movement of Turkestan" and "Islamic Movement of Uzbekistan"."""
        if e.type != EntityType.ORGANISATION:
            return ()
        words = norm_key(e.name).split()
        if len(words) < 3:
            return ()
        out = set()
        pool: set[tuple[str, str]] = set()
        for m in masked(words):
            pool |= self.orgs.by_masked.get(m, set())
            pool |= {(k, self.index.known[k].label) for k in self.index.by_masked.get(m, ())}
        for okey, oname in sorted(pool):
            other = norm_key(oname).split()
            full = okey if okey.startswith("org/") else f"org/{okey}"
            if full == key or len(other) != len(words):
                continue
            diff = sum(1 for a, b in zip(words, other) if a != b)
            if diff == 1 and words[-1] != other[-1] or diff == 1 and words[0] != other[0] and len(words) >= 3:
                out.add(full)
        return tuple(sorted(out))

    # --- absorption ------------------------------------------------------------------------------
    def _absorptions(self, resolved: list[ResolvedEntity]) -> list[Absorption | Unlink]:
        """Earlier lone surnames or acronyms that a full name in this article now explains, and
        the lone surnames a new carrier of the same surname makes ambiguous."""
        out: list[Absorption | Unlink] = []
        mine = {r.key for r in resolved}
        for r in resolved:
            if r.key.startswith("@") or r.key in self.index.known and r.type != EntityType.PERSON:
                continue
            words = norm_key(r.label).split()
            if r.type == EntityType.PERSON and len(words) >= 2:
                surname = spelling_key(words[-1])
                carriers = self.index.by_surname.get(surname, set()) - {r.key}
                carriers |= {o.key for o in resolved if o.type == EntityType.PERSON and o.key != r.key
                             and len(norm_key(o.label).split()) >= 2
                             and spelling_key(norm_key(o.label).split()[-1]) == surname}
                before = self.index.by_surname.get(surname, set())
                if r.key not in before and len(before) == 1 and not any(
                        isinstance(a, Unlink) and a.old in before for a in out):
                    out.append(Unlink(next(iter(before)), surname))  # now two carriers: undo the links
                if carriers:
                    continue  # the surname is shared (here or in the store): leave lone surnames alone
                lone = self.index.by_spelling.get((EntityType.PERSON, surname), set()) - mine
                for old in lone:
                    if len(norm_key(self.index.known[old].label).split()) == 1:
                        out.append(Absorption(old, r.key, "surname", 0.8, self.index.known[old].label))
            if r.type == EntityType.ORGANISATION and len(words) >= 2:
                acr = acronym(r.label)
                if len(acr) >= MIN_SHARED_ACRONYM:
                    lone = {k for k in self.index.by_norm.get((EntityType.ORGANISATION, acr), ())
                            if norm_key(self.index.known[k].label) == acr
                            and is_acronym(self.index.known[k].label)} - mine
                    for old in lone:
                        out.append(Absorption(old, r.key, "acronym", 0.85, self.index.known[old].label))
        return out

    # --- helpers ---------------------------------------------------------------------------------
    def _article_countries(self, ex: Extraction) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for e in ex.entities:
            if e.type == EntityType.PLACE:
                p = self.gaz.best(e.name)
                if p and p.kind == "country" and p.country:
                    counts[p.country] += len(e.mentions)
            if e.country:
                counts[e.country] += 1
        return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def curate(self, ex: Extraction, res: Resolution) -> tuple[Extraction, Resolution]:
        """Apply the analysts' merges and splits (kept in the store's curation graph)."""
        if not self.curation:
            return ex, res
        ex, res = self.curation.apply(ex, res)  # type: ignore[attr-defined]
        return ex, Resolution(tuple(_merge_same_key(list(res.entities))), res.context)


def _group_actor(e: Entity) -> str | None:
    return {"perpetrator": None, "source": None, "force": "state forces", "people": "civilians"}.get(
        e.key.split("/", 1)[-1] if e.key else "", None)


def _place_key(place: Place) -> str:
    if place.kind == "country":
        return f"place/{slugify(place.label)}"
    if place.key.startswith("feature/"):
        return f"place/{place.key.split('/', 1)[1]}"
    suffix = f"-{place.country.lower()}" if place.country else ""
    return f"place/{slugify(place.label)}{suffix}"


def _place_links(place: Place) -> tuple[str, ...]:
    links = []
    if place.geonames:
        links.append(f"https://sws.geonames.org/{place.geonames}/")
    if place.iso:
        links.append(f"urn:iso:std:iso:3166:{'-2:' if '-' in place.iso else ''}{place.iso}")
    return tuple(links)


def _org_links(org) -> tuple[str, ...]:
    links = []
    if org.wikidata:
        links.append(f"http://www.wikidata.org/entity/{org.wikidata}")
    if org.wikipedia:
        links.append("http://dbpedia.org/resource/" + org.wikipedia.replace(" ", "_"))
    return tuple(links)


def _dedupe(names) -> tuple[str, ...]:
    seen, out = set(), []
    for n in names:
        k = norm_key(n)
        if k and k not in seen:
            seen.add(k)
            out.append(n)
    return tuple(out)


def _unique_merges(merges: list[AliasMerge]) -> list[AliasMerge]:
    seen, out = set(), []
    for m in merges:
        k = norm_key(m.alias)
        if k and k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _merge_same_key(resolved: list[ResolvedEntity]) -> list[ResolvedEntity]:
    """Two local entities that resolve to one key (e.g. "Batken" and "Batken province" kept
    apart in the article but one region in the gazetteer) share their aliases."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(resolved):
        by_key[r.key].append(i)
    out = list(resolved)
    for key, idx in by_key.items():
        if len(idx) < 2 or key.startswith("@"):
            continue
        alts = _dedupe(a for i in idx for a in resolved[i].alt_labels if norm_key(a) != norm_key(resolved[idx[0]].label))
        merges = tuple(_unique_merges([m for i in idx for m in resolved[i].merges]))
        for i in idx:
            out[i] = replace(resolved[i], alt_labels=alts, merges=merges)
    return out
