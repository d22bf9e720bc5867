"""The curated list of well-known organisations and of state institutions
(``data/organisations.yaml``), indexed by normalised name and spelling family."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from kg.resolve.names import is_acronym, masked, norm_key, spelling_key

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Org:
    key: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    actor_type: str
    country: str | None = None
    part_of: str | None = None
    wikidata: str | None = None
    wikipedia: str | None = None


@dataclass(frozen=True, slots=True)
class Institution:
    key: str  # "interior-ministry"
    label: str  # "Ministry of Internal Affairs"
    aliases: tuple[str, ...]
    kind: str
    actor_type: str


def slug(text: str) -> str:
    return norm_key(text).replace(" ", "-")


class OrgLexicon:
    def __init__(self, orgs: list[Org], institutions: list[Institution]) -> None:
        self.orgs = {o.key: o for o in orgs}
        self.institutions = {i.key: i for i in institutions}
        self._exact: dict[str, str] = {}  # acronym surface (case kept) -> key
        self._by_key: dict[str, str] = {}
        self._by_spelling: dict[str, str] = {}
        for o in orgs:
            for name in (o.name, *o.aliases):
                base = re.sub(r"\s*\([^)]*\)$", "", name)  # "RSF (Sudan)" is indexed as written only
                if is_acronym(base) and len(re.sub(r"[^A-Za-z]", "", base)) <= 5:
                    self._exact.setdefault(base, o.key)
                    continue
                if base != name:
                    continue
                self._by_key.setdefault(norm_key(name), o.key)
                self._by_spelling.setdefault(spelling_key(name), o.key)
        self._institution_aliases: dict[str, str] = {}
        for inst in institutions:
            for alias in (inst.label, *inst.aliases):
                self._institution_aliases.setdefault(norm_key(re.sub(r"\s*\(.*\)$", "", alias)), inst.key)

    @cached_property
    def by_masked(self) -> dict[tuple[str, ...], set[tuple[str, str]]]:
        """(key, name) of each organisation by its name with the first or last word masked
        (:func:`~kg.resolve.names.masked`): where the resolver finds close matches."""
        out: dict[tuple[str, ...], set[tuple[str, str]]] = {}
        for o in self.orgs.values():
            for m in masked(norm_key(o.name).split()):
                out.setdefault(m, set()).add((o.key, o.name))
        return out

    def find(self, surface: str) -> Org | None:
        """The known organisation ``surface`` names, if any (acronyms must match in case)."""
        s = surface.strip()
        if s in self._exact:
            return self.orgs[self._exact[s]]
        if is_acronym(s):
            return None
        key = self._by_key.get(norm_key(s)) or self._by_spelling.get(spelling_key(s))
        return self.orgs[key] if key else None

    def institution(self, phrase: str) -> Institution | None:
        """The state institution a generic phrase names: "interior ministry", "border guards"."""
        key = self._institution_aliases.get(norm_key(phrase))
        return self.institutions[key] if key else None

    def surface_forms(self) -> list[tuple[str, str, bool]]:
        """(surface, org key, case-sensitive) for phrase matching in text."""
        out = []
        for o in self.orgs.values():
            for name in (o.name, *o.aliases):
                if "(" in name:
                    continue
                exact = is_acronym(name) or len(name.split()) == 1
                out.append((name, o.key, exact))
        return out


@cache
def organisations() -> OrgLexicon:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
    data = yaml.load((DATA / "organisations.yaml").read_text(encoding="utf-8"), Loader=loader)
    orgs = []
    for item in data["organisations"]:
        orgs.append(Org(
            key=item.get("key") or slug(item["name"]),
            name=item["name"],
            aliases=tuple(item.get("aliases") or ()),
            kind=item["kind"],
            actor_type=item["actor_type"],
            country=item.get("country"),
            part_of=item.get("part_of"),
            wikidata=item.get("wikidata"),
            wikipedia=item.get("wikipedia"),
        ))
    institutions = [
        Institution(i["key"], i["label"], tuple(i.get("aliases") or ()), i["kind"], i["actor_type"])
        for i in data["institutions"]
    ]
    return OrgLexicon(orgs, institutions)
