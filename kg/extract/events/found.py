"""An event mention as found around one trigger, before the mentions of one incident are
merged; the event types that are violent, and the triggers that are deaths."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import DateValue

VIOLENT = {"ArmedClash", "Raid", "Attack", "Killing", "RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack",
           "AirDroneStrike", "Grenade", "AbductionForcedDisappearance", "Hijacking", "HostageTaking",
           "NonStateActorOvertakesTerritory", "GovernmentRegainsTerritory", "MobViolence", "ViolentDemonstration"}
# non-violent events whose doer is its perpetrator ("police arrested", "the court sentenced")
AGENT_TYPES = {"Arrests", "Sentencing", "HostageRelease", "PrisonBreak"}
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
    bases: list[str] = field(default_factory=list)  # the base words of every mention merged in
    weights: list[int] = field(default_factory=list)  # per trigger: how much its own mention says

    def trigger_order(self) -> None:
        """Its mention that says the most (roles, place, date) first: the event's trigger and
        label; the first such mention on a tie."""
        if len(self.weights) != len(self.triggers) or len(self.triggers) < 2:
            return
        order = sorted(range(len(self.triggers)), key=lambda k: (-self.weights[k], self.triggers[k][0]))
        self.triggers = [self.triggers[k] for k in order]
        self.weights = [self.weights[k] for k in order]

    @property
    def violent(self) -> bool:
        return bool(VIOLENT & set(self.types))
