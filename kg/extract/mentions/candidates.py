"""A mention candidate: a token span with weighted votes for the four types of mention."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kg.resolve.names import norm_key

PERSON, ORG, PLACE, GROUP = "person", "organisation", "place", "group"
NER_VOTES = {
    "PERSON": {PERSON: 1.0},
    "ORG": {ORG: 1.0},
    "GPE": {PLACE: 1.2},
    "LOC": {PLACE: 1.2},
    "FAC": {PLACE: 1.0},
    "NORP": {ORG: 0.3},
    "PRODUCT": {},
    "WORK_OF_ART": {},
    "EVENT": {},
}


@dataclass
class Cand:
    start: int  # token indices, end exclusive
    end: int
    votes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    source: str = "ner"
    label: str = ""  # NER label when from the model
    title: tuple[int, int] | None = None  # token span of a title / job title
    kind: str | None = None  # place kind or organisation kind
    suffix: str | None = None  # "region" when the name is a region ("Osh and Jalal-Abad regions")
    org_key: str | None = None  # key in the organisation lexicon
    institution: str | None = None  # institution template key
    country: str | None = None  # ISO code qualifying an institution or group
    group_class: str | None = None  # perpetrator | source | force | people
    side: bool = False  # a side named by its people ("Chechen separatists"), not one incident's attackers
    plural_suffix: bool = False  # followed by "regions": coordinated names share the suffix
    drop: bool = False
    # the part of the votes that comes from weak evidence (the model's label on this one mention,
    # a small town of the same name): a name rule (the surname of a person named in the article)
    # outweighs it
    weak: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    gaz: float = 0.0  # the gazetteer's evidence that the name is a place
    team: bool = False  # plays, wins or loses in a sports report: a club named after its town
    alias_of: int | None = None  # first token of the name this one is another name of ("X aka Y")

    def vote(self, kind: str, weight: float, weak: bool = False) -> None:
        self.votes[kind] += weight
        if weak:
            self.weak[kind] += weight


def name_key(text: str) -> str:
    return norm_key(text)
