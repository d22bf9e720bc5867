"""The newsclaims gold: real conflict news annotated by hand with people, groups, places,
attributed affiliation claims and events (schema: ``../shared/eval/newsclaims/README.md``).

The articles are split once, by a fixed rule written here: an article whose number is a
multiple of three (n03, n06, ...) is in ``check``, every other one in ``tune``. Rules are written
while reading the errors of ``tune``; ``check`` is only ever looked at as scores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError

SPLITS = ("tune", "check", "all")


def split_of(article_id: str) -> str:
    """``check`` for every third article (its number a multiple of 3), else ``tune``."""
    digits = re.sub(r"\D", "", article_id)
    return "check" if digits and int(digits) % 3 == 0 else "tune"


@dataclass(frozen=True, slots=True)
class GoldEntity:
    id: str  # "person:2", "group:0", "place:4"
    type: str  # person | organisation | place
    names: tuple[str, ...]
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class GoldClaim:
    subject: str
    group: str
    relation: str  # member | leader | former_member | links | allied | part_of
    source: str  # a name, a description, or "article"
    modality: str
    quote: str


@dataclass(frozen=True, slots=True)
class GoldEvent:
    type: str
    date: str | None  # "YYYY-MM-DD", "YYYY-MM", "YYYY", "--MM-DD"
    place: str | None
    fatalities: int | None
    injured: int | None
    perpetrator: str | None
    quote: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    title: str | None
    date: str | None
    entities: tuple[GoldEntity, ...]
    claims: tuple[GoldClaim, ...]
    events: tuple[GoldEvent, ...]
    noise: tuple[str, ...]
    borderline: tuple[str, ...]
    posts: dict[str, str]  # gold person id -> gold group id it is in (the person's ``org``)

    @property
    def split(self) -> str:
        return split_of(self.id)


_TYPES = (("persons", "person"), ("groups", "organisation"), ("places", "place"))


def _article(aid: str, text: str, rec: dict[str, Any]) -> GoldArticle:
    entities = []
    for key, kind in _TYPES:
        for n, item in enumerate(rec.get(key) or []):
            names = tuple(x for x in item.get("names") or [] if x)
            if names:
                entities.append(GoldEntity(f"{kind}:{n}", kind, names, item.get("kind")))
    claims = tuple(GoldClaim(c["subject"], c["group"], c["relation"], c.get("source") or "article",
                             c["modality"], c.get("quote") or "") for c in rec.get("affiliation_claims") or [])
    events = tuple(GoldEvent(e["type"], e.get("date"), e.get("place"), e.get("fatalities"), e.get("injured"),
                             e.get("perpetrator"), e.get("quote") or "") for e in rec.get("events") or [])
    group_ids = {n: e.id for e in entities if e.type == "organisation" for n in e.names}
    posts = {f"person:{n}": group_ids[p["org"]] for n, p in enumerate(rec.get("persons") or [])
             if p.get("org") in group_ids and p.get("names")}
    return GoldArticle(aid, text, rec.get("title") or None, rec.get("date") or None, tuple(entities), claims, events,
                       tuple(rec.get("noise") or ()), tuple(rec.get("borderline") or ()), posts)


def read_newsclaims(folder: Path, split: str = "all", limit: int | None = None) -> list[GoldArticle]:
    """The articles of ``split`` (tune | check | all) in id order, with their texts."""
    if split not in SPLITS:
        raise UsageError(f"unknown split {split!r} (choose one of {', '.join(SPLITS)})")
    path = folder / "gold.json"
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot read the newsclaims gold ({exc.strerror})", "pass --data with its folder") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    out = []
    for aid in sorted(gold):
        if split != "all" and split_of(aid) != split:
            continue
        file = folder / "texts" / f"{aid}.txt"
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(file, f"cannot read ({exc.strerror})", f"the folder must hold texts/{aid}.txt") from None
        out.append(_article(aid, text, gold[aid]))
        if limit is not None and len(out) >= limit:
            break
    return out
