"""The type of a violent event follows its weapon (ACLED): shelling, mortars, rockets,
airstrikes, mines, grenades, bombs and IEDs make explosions / remote violence even when people
were killed ("a bomb ripped through a train, killing 46", "killed by a roadside bomb", "killed in
an airstrike", "a car bomb attack", "attacked the base with mortars"); a suicide bomber makes a
suicide bombing. The weapon's kind comes first (the event's ACLED type); the attack or killing
the words also tell stays as a finer type (measured: dropping it lost events the gold calls
attacks). A weapon of close combat beside it ("with guns and grenades") leaves an attack or a
clash."""

from __future__ import annotations

from typing import Any

from kg.extract.context import Ctx
from kg.extract.events.found import EventFound
from kg.extract.events.vocabulary import DEATH_WORDS, HAND_WEAPONS, REMOTE_WEAPONS
from kg.extract.words import Words

REMOTE = {"RemoteExplosive", "SuicideBomb", "ShellingArtilleryMissileAttack", "AirDroneStrike", "Grenade"}


class WeaponRules:
    """The weapon step of :class:`~kg.extract.events.finder.EventFinder`."""

    ctx: Ctx
    w: Words

    def weapon_type(self, ev: EventFound) -> None:
        """Retype a violent mention by the weapon its own clause names."""
        if not ev.violent or REMOTE & set(ev.types) or "AbductionForcedDisappearance" in ev.types:
            return
        tok = self.ctx.doc[ev.trigger]
        words = self._weapon_words(tok)
        remote = [REMOTE_WEAPONS[w] for w in words if w in REMOTE_WEAPONS]
        if not remote and tok.lower_ in DEATH_WORDS:  # "killed in an airstrike": the strike's kind
            remote = [t for c in tok.children if c.dep_ == "prep" and c.lower_ in {"in", "during"}
                      for g in c.children if g.dep_ == "pobj" and g.lower_ in self.w.event_nouns
                      for t in self.w.event_nouns[g.lower_][1] if t in REMOTE]
        if not remote or any(w in HAND_WEAPONS for w in words):
            return
        kind = "SuicideBomb" if "SuicideBomb" in remote else remote[0]
        ev.types = [kind] + [t for t in ev.types if t != kind]

    @staticmethod
    def _weapon_words(tok: Any) -> list[str]:
        """The weapon nouns tied to an event word: its subject ("a bomb killed"), the agent of
        its passive ("killed by a roadside bomb"), its modifiers ("a car bomb attack", "mortar
        fire"), its instrument ("attacked with rockets and mortars")."""
        out: list[str] = []

        def take(noun: Any) -> None:
            out.append(noun.lower_)
            out.extend(c.lower_ for c in noun.children if c.dep_ in {"compound", "conj", "amod"})
            out.extend(g.lower_ for c in noun.children if c.dep_ == "conj" for g in c.children if g.dep_ == "conj")

        kids = list(tok.children)
        if tok.dep_ in {"advcl", "xcomp", "conj"} and tok.tag_ == "VBG":  # "a bomb ripped through a train, killing 46"
            kids += [c for c in tok.head.children if c.dep_ == "nsubj"]
        for c in kids:
            if c.dep_ in {"nsubj", "compound", "nmod"}:
                take(c)
            elif c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in {"with", "by"}:
                for g in c.children:
                    if g.dep_ == "pobj":
                        take(g)
        return out
