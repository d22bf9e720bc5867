"""An event mention as found around one trigger, before the mentions of one incident are
merged; the event types that are violent, and the triggers that are deaths."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import DateValue

VIOLENT = {"ArmedClash", "Raid", "Attack", "Killing", "RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack",
           "AirDroneStrike", "Grenade", "AbductionForcedDisappearance", "Hijacking", "HostageTaking"}
# the base words of the triggers that are deaths (data/events.tsv): events only in a violent context
DEATH_TRIGGERS = {"die", "dead", "death"}


@dataclass
class EventFound:
    trigger: int
    trigger_end: int
    base: str
    types: list[str]
    sentences: list[int]
    triggers: list[tuple[int, int]] = field(default_factory=list)
    roles: dict[str, list[int]] = field(default_factory=lambda: {"perpetrator": [], "target": [], "victim": [],
                                                                   "detainee": [], "actor": []})
    place: int | None = None
    date: DateValue | None = None
    fatalities: int | None = None
    injured: int | None = None
    umbrella: bool = False
    definite: bool = False
    country: str | None = None
    subs: list[int] = field(default_factory=list)
    parent: int | None = None
    perpetrator_mentions: list[int] = field(default_factory=list)  # candidate indices (groups)
    label: str = ""
    incident: str | None = None  # "main", or the date range of another incident
    role_source: dict[int, int] = field(default_factory=dict)  # perpetrator cluster -> trigger token

    @property
    def violent(self) -> bool:
        return bool(VIOLENT & set(self.types))
