"""Scores of one system on newsclaims, article by article (a gold item is matched only inside its
own article's output), added up over the articles.

- **entities** per type: recall = gold entities some system entity of the type stands for;
  precision = system entities that stand for a gold entity of their type, of those that do not
  stand for a borderline string. **junk**: system entities that are a noise string (most of their
  mentions are one); **noise mentions**: mentions of system entities that are a noise string;
  **splits**: extra system entities of the same type standing for one gold entity.
- **claims** (subject, group and a compatible predicate, see :data:`CLAIM_RELATIONS`): one-to-one
  between gold and system claims, agreeing modality and speaker preferred. A subject or group
  that is "the attackers (of some incident)" is met by kg's ``responsibleFor`` claim between the
  group and an event mentioned where the gold claim is. Precision counts the system's
  affiliation and responsibility claims (repeats of one statement once) that match any gold
  claim; a responsibility claim that names the perpetrator of a gold event is right too.
  **modality / speaker right**: P over claims found, R over all gold claims.
- **events** (compatible type, :data:`EVENT_TYPES`, stated where the gold quote is): one-to-one;
  precision over all system events, so an incident split in two costs precision.
  **Arguments** of found events: P over found events where the system gives the argument, R over
  gold events that have it. Date *exact* is the same date at the same precision; *partly right*
  also counts a coarser date that contains the gold one (a month for a day) or a day without a
  year.
- **publication date**: P over articles the system dates, R over articles that state a date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.evaluate.newsclaims.gold import GoldArticle, GoldClaim, GoldEvent
from kg.evaluate.newsclaims.matching import ArticleMatch, Side, norm, overlap, touches
from kg.evaluate.newsclaims.systems import Span, SysClaim, SysEvent
from kg.evaluate.scoring import Score
from kg.evaluate.tasks import FN, FP, ErrorCase

ENTITY_TYPES = ("person", "organisation", "place")
CLAIM_RELATIONS = {
    "member": {"memberOf", "headOf", "responsibleFor"},
    "leader": {"headOf", "memberOf", "responsibleFor"},
    "former_member": {"formerMemberOf"},
    "links": {"linkedTo", "memberOf", "alliedWith", "responsibleFor"},
    "allied": {"alliedWith", "linkedTo"},
    "part_of": {"subOrganizationOf", "memberOf"},
}
#: head nouns of a description that stands for the doers of one incident ("the attackers (29 May
#: outpost attack)")
DOER_HEADS = {"attacker", "perpetrator", "plotter", "kidnapper", "assailant", "gunmen", "gunman", "bomber",
              "hijacker", "captor", "abductor", "killer", "organiser", "organizer", "mastermind"}

EXACT_RELATION = {"member": {"memberOf", "responsibleFor"}, "leader": {"headOf"}, "former_member": {"formerMemberOf"},
                  "links": {"linkedTo"}, "allied": {"alliedWith"}, "part_of": {"subOrganizationOf"}}
EXPLOSIONS = {"RemoteExplosive", "SuicideBomb", "Grenade", "ShellingArtilleryMissileAttack", "AirDroneStrike",
              "ChemicalWeapon"}
BATTLES = {"ArmedClash", "Raid", "GovernmentRegainsTerritory", "NonStateActorOvertakesTerritory"}
ATTACKS = {"Attack", "Killing", "SexualViolence"}
ABDUCTIONS = {"AbductionForcedDisappearance", "HostageTaking", "Hijacking"}
PROTESTS = {"PeacefulProtest", "ProtestWithIntervention", "ExcessiveForceAgainstProtesters"}
RIOTS = {"MobViolence", "ViolentDemonstration"}
#: gold event type -> (kg types of the same ACLED kind, kg types compatible enough to be "found")
EVENT_TYPES: dict[str, tuple[set[str], set[str]]] = {
    "attack": (ATTACKS, ATTACKS | BATTLES | EXPLOSIONS),
    "armed_clash": (BATTLES, ATTACKS | BATTLES | EXPLOSIONS),
    "bombing": (EXPLOSIONS, ATTACKS | BATTLES | EXPLOSIONS),
    "abduction": (ABDUCTIONS, ABDUCTIONS),
    "hostage_release": ({"HostageRelease"}, {"HostageRelease", "Agreement"}),
    "arrest": ({"Arrests"}, {"Arrests"}),
    "sentencing": ({"Sentencing"}, {"Sentencing"}),
    "prison_break": ({"PrisonBreak"}, {"PrisonBreak"}),
    "riot": (RIOTS, RIOTS | PROTESTS),
    "protest": (PROTESTS, RIOTS | PROTESTS),
    "military_exercise": ({"MilitaryExercise"}, {"MilitaryExercise"}),
    "meeting": ({"Meeting"}, {"Meeting", "PressConference"}),
    "statement": ({"PressConference", "Statement"}, {"PressConference", "Statement", "Meeting"}),
}


@dataclass
class Scores:
    rows: dict[tuple[str, str], Score] = field(default_factory=dict)
    counts: dict[str, float] = field(default_factory=dict)
    errors: dict[str, dict[str, list[ErrorCase]]] = field(default_factory=dict)

    def add(self, task: str, metric: str, score: Score) -> None:
        self.rows[(task, metric)] = self.rows.get((task, metric), Score()) + score

    def count(self, name: str, n: float) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def error(self, task: str, kind: str, key: str, doc: str, text: str, span: Span | None) -> None:
        self.errors.setdefault(task, {FP: [], FN: []})[kind].append(ErrorCase(key, doc, text, span))


def pr(right: int, predicted: int, gold: int) -> Score:
    return Score(right, predicted, right, gold)


def score_articles(golds: Iterable[GoldArticle], outs: Iterable, errors: bool = True) -> Scores:
    result = Scores()
    result.counts.update(junk=0, splits=0)
    result.counts["noise mentions"] = 0
    n = 0
    for gold, out in zip(golds, outs, strict=True):
        n += 1
        m = ArticleMatch(gold, out)
        _entities(m, result)
        _claims(m, result)
        _events(m, result)
        _article(m, result)
    result.counts["articles"] = n
    return result


# --- entities -------------------------------------------------------------------------------------


def _entities(m: ArticleMatch, result: Scores) -> None:
    gold, out = m.gold, m.out
    for t in ENTITY_TYPES:
        wanted = [e for e in gold.entities if e.type == t]
        mine = [e for e in out.entities.values() if e.type == t and e.spans]
        by_gold: dict[str, int] = {}
        right = predicted = 0
        for e in mine:
            mapped = m.maps.get(e.id)
            if mapped and mapped[0] == "borderline":
                continue
            predicted += 1
            if mapped and mapped[0] == "gold" and m.gold_types[mapped[1]] == t:
                right += 1
                by_gold[mapped[1]] = by_gold.get(mapped[1], 0) + 1
            else:
                result.error("entities", FP, f"{t} '{e.name}'", gold.id, out.text, e.spans[0])
        found = sum(1 for e in wanted if e.id in by_gold)
        result.add("entities", t, Score(right, predicted, found, len(wanted)))
        result.count("splits", sum(k - 1 for k in by_gold.values()))
        for e in wanted:
            if e.id not in by_gold:
                occ = m.occ.get(e.id) or []
                result.error("entities", FN, f"{t} '{e.names[0]}'", gold.id, out.text, occ[0] if occ else None)
    noise_spans = [o for o, _ in m.noise]
    for e in out.entities.values():
        result.count("noise mentions", sum(1 for s in e.spans for o in noise_spans
                                           if 10 * overlap(s, o) >= 6 * (s[1] - s[0])))
        mapped = m.maps.get(e.id)
        if mapped and mapped[0] == "noise":
            result.count("junk", 1)
            result.error("junk", FP, f"{e.type} '{e.name}' (noise '{mapped[1]}')", gold.id, out.text,
                         e.spans[0] if e.spans else None)


# --- claims ------------------------------------------------------------------------------------------


def _event_side(side: Side) -> bool:
    return side.entity is None


def _claim_fits(m: ArticleMatch, g: GoldClaim, k: SysClaim, events: dict[str, SysEvent]) -> bool:
    if k.relation not in CLAIM_RELATIONS[g.relation]:
        return False
    subject, group = m.side(g.subject), m.side(g.group)
    quote = m.quote_spans(g.quote)
    in_quote = touches((k.evidence,), quote)
    if k.relation == "responsibleFor":
        event = events.get(k.object)
        near = in_quote or (event is not None and touches(event.evidence, quote))
        if not near or subject is None or group is None:
            return False
        if _event_side(subject) and not _event_side(group):  # "the attackers (...) member of G"
            return m.matches(k.subject, group)
        if _event_side(group):  # "X leads / is linked to the attackers (...)"
            return m.matches(k.subject, subject, in_quote=in_quote)
        return False
    if k.object in events:
        return False
    if m.matches(k.subject, subject, in_quote=in_quote) and m.matches(k.object, group, in_quote=in_quote):
        return True
    return k.relation in {"alliedWith", "linkedTo"} and m.matches(k.object, subject, in_quote=in_quote) \
        and m.matches(k.subject, group, in_quote=in_quote)


def _speaker_right(m: ArticleMatch, g: GoldClaim, k: SysClaim) -> bool:
    if norm(g.source) == "article":
        return k.speaker is None
    return m.matches(k.speaker, m.side(g.source), named_groups=True)


def _claims(m: ArticleMatch, result: Scores) -> None:
    gold, out = m.gold, m.out
    events = {e.id: e for e in out.events}
    pairs = []
    for gi, g in enumerate(gold.claims):
        for ki, k in enumerate(out.claims):
            if _claim_fits(m, g, k, events):
                mod = k.modality == g.modality
                spk = _speaker_right(m, g, k)
                pairs.append((-(mod + spk), -int(k.relation in EXACT_RELATION[g.relation]), gi, ki, mod, spk))
    pairs.sort()
    got: dict[int, tuple[int, bool, bool]] = {}
    used: set[int] = set()
    for _, _, gi, ki, mod, spk in pairs:
        if gi in got or ki in used:
            continue
        got[gi] = (ki, mod, spk)
        used.add(ki)
    n = len(gold.claims)
    found = len(got)
    mods = sum(1 for _, mod, _ in got.values() if mod)
    spks = sum(1 for _, _, spk in got.values() if spk)
    exact = sum(1 for gi, (ki, _, _) in got.items() if out.claims[ki].relation in EXACT_RELATION[gold.claims[gi].relation])
    result.add("claims", "modality right", Score(mods, found, mods, n))
    result.add("claims", "speaker right", Score(spks, found, spks, n))
    result.add("claims", "relation exact", Score(exact, found, exact, n))
    # precision: each statement once (subject, relation, object, modality, speaker)
    groups: dict[tuple, list[int]] = {}
    for ki, k in enumerate(out.claims):
        groups.setdefault((k.subject, k.relation, k.object, k.modality, k.speaker), []).append(ki)
    right = judged = 0
    for key, members in groups.items():
        subject, obj = out.entities.get(key[0]), out.entities.get(key[2])
        if subject is None or not subject.spans or obj is not None and not obj.spans:
            continue  # an entity the text implies but never names: the gold names groups only
        if key[1] == "responsibleFor" and subject.type == "group":
            continue  # an unnamed perpetrator: scored as the event's perpetrator
        judged += 1
        ok = any(_claim_fits(m, g, out.claims[ki], events) for ki in members for g in gold.claims)
        if not ok and key[1] == "responsibleFor" and key[3] != "denied":
            ok = _names_gold_perpetrator(m, out.claims[members[0]], events)
        if not ok and key[1] in POST_RELATIONS and key[3] != "denied":
            ok = _gold_post(m, key[0], key[2])
        right += ok
        if not ok:
            k = out.claims[members[0]]
            obj = events[k.object].types if k.object in events else _name(m, k.object)
            result.error("claims", FP, f"{_name(m, k.subject)} {k.relation} {_label(obj)} ({k.modality}, "
                         f"{_name(m, k.speaker) if k.speaker else 'article'})", gold.id, out.text, k.evidence)
    result.add("claims", "found (subject, group, relation)", Score(right, judged, found, n))
    for gi, g in enumerate(gold.claims):  # recall by kind of claim: where the misses are
        named = m.side(g.subject).entity is not None and m.side(g.group).entity is not None
        result.add("claims by kind", "named subject and group" if named else "an unnamed side",
                   Score(0, 0, int(gi in got), 1))
        doers = next((sd for sd in (m.side(g.subject), m.side(g.group)) if sd is not None and sd.entity is None
                      and sd.head in DOER_HEADS), None)
        if doers is not None:  # "the attackers (of an incident)": is the incident in kg's graph there?
            quote = m.quote_spans(g.quote)
            seen = any(touches(e.evidence, quote) for e in out.events)
            result.add("claims by kind", "the doers of an event kg found there" if seen else
                       "the doers of an event kg missed there", Score(0, 0, int(gi in got), 1))
        result.add("claims by kind", f"relation {g.relation}", Score(0, 0, int(gi in got), 1))
        result.add("claims by kind", f"modality {g.modality}", Score(0, 0, int(gi in got), 1))
        result.add("claims by kind", "said by the article" if norm(g.source) == "article" else "said by a source",
                   Score(0, 0, int(gi in got), 1))
    _posts(m, result)
    for gi, g in enumerate(gold.claims):
        quote = m.quote_spans(g.quote)
        span = quote[0] if quote else None
        if gi not in got:
            result.error("claims", FN, f"{g.relation}: {g.subject} -> {g.group} ({g.modality}, {g.source})", gold.id,
                         out.text, span)
            continue
        ki, mod, spk = got[gi]
        k = out.claims[ki]
        if not mod:
            result.error("claim modality", FN, f"{g.modality} taken as {k.modality}: {g.subject} -> {g.group}",
                         gold.id, out.text, k.evidence)
        if not spk:
            result.error("claim speaker", FN, f"{g.source} taken as {_name(m, k.speaker) if k.speaker else 'article'}"
                         f": {g.subject} -> {g.group}", gold.id, out.text, k.evidence)


POST_RELATIONS = {"memberOf", "headOf", "formerMemberOf"}


def _gold_post(m: ArticleMatch, subject: str, obj: str) -> bool:
    """Whether the gold says person ``subject`` is in organisation ``obj`` (its ``org`` field)."""
    person = m.gold_of(subject)
    group = m.gold_of(obj)
    return person is not None and group is not None and m.gold.posts.get(person) == group


def _posts(m: ArticleMatch, result: Scores) -> None:
    """Gold people with the group they are in (a post, a membership): found when kg says so, not
    denied, in any of its claims."""
    have = {(m.gold_of(c.subject), m.gold_of(c.object)) for c in m.out.claims
            if c.relation in POST_RELATIONS and c.modality != "denied"}
    right = sum(1 for person, group in m.gold.posts.items() if (person, group) in have)
    result.add("claims", "people's groups (posts)", Score(right, right, right, len(m.gold.posts)))
    for person, group in m.gold.posts.items():
        if (person, group) not in have:
            names = {e.id: e.names[0] for e in m.gold.entities}
            occ = m.occ.get(person) or []
            result.error("posts", FN, f"{names[person]} in {names[group]}", m.gold.id, m.out.text,
                         occ[0] if occ else None)


def _names_gold_perpetrator(m: ArticleMatch, k: SysClaim, events: dict[str, SysEvent]) -> bool:
    event = events.get(k.object)
    if event is None:
        return False
    for g in m.gold.events:
        if g.perpetrator and touches(event.evidence, m.quote_spans(g.quote)) and \
                m.matches(k.subject, m.side(g.perpetrator), named_groups=True):
            return True
    return False


def _name(m: ArticleMatch, eid: str | None) -> str:
    e = m.out.entities.get(eid) if eid else None
    return e.name if e else str(eid)


def _label(obj: object) -> str:
    return "/".join(sorted(obj)) if isinstance(obj, frozenset) else str(obj)


# --- events --------------------------------------------------------------------------------------------


def date_bounds(code: str) -> tuple[str, str] | None:
    if "/" in code:
        a, b = code.split("/", 1)
        return a, b
    if code.startswith("--"):
        return None
    if len(code) == 4:
        return f"{code}-01-01", f"{code}-12-31"
    if len(code) == 7:
        return f"{code}-01", f"{code}-31"
    return code, code


def date_partly(kg: str | None, gold: str) -> bool:
    if kg is None:
        return False
    if kg == gold:
        return True
    if kg.startswith("--"):  # a day without its year: right as far as it goes
        return gold.endswith(kg[1:]) if len(gold) == 10 else False
    a, b = date_bounds(kg) or ("", ""), date_bounds(gold)
    return b is not None and a[0] <= b[0] and b[1] <= a[1] and bool(a[0])


def _events(m: ArticleMatch, result: Scores) -> None:
    gold, out = m.gold, m.out
    pairs = []
    for gi, g in enumerate(gold.events):
        exact, compatible = EVENT_TYPES.get(g.type, (set(), None))
        quote = m.quote_spans(g.quote)
        for ki, k in enumerate(out.events):
            if compatible is not None and not k.types & compatible:
                continue
            if not touches(k.evidence + (k.trigger,), quote):
                continue
            pairs.append((-int(touches((k.trigger,), quote)), -int(bool(k.types & exact) or compatible is None),
                          gi, ki))
    pairs.sort()
    got: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, ki in pairs:
        if gi not in got and ki not in used:
            got[gi] = ki
            used.add(ki)
    n = len(gold.events)
    result.add("events", "found (type, where stated)", Score(len(got), len(out.events), len(got), n))
    exact = sum(1 for gi, ki in got.items() if out.events[ki].types & EVENT_TYPES.get(gold.events[gi].type, ({""},))[0]
                or gold.events[gi].type not in EVENT_TYPES)
    result.add("events", "type exact (ACLED kind)", Score(exact, len(got), exact, n))
    for ki, k in enumerate(out.events):
        if ki not in used:
            result.error("events", FP, f"{_label(k.types)} '{out.text[k.trigger[0]:k.trigger[1]].lower()}'", gold.id,
                         out.text, k.trigger)
    for gi, g in enumerate(gold.events):
        if gi not in got:
            quote = m.quote_spans(g.quote)
            result.error("events", FN, f"{g.type}: {g.quote[:60]}", gold.id, out.text, quote[0] if quote else None)
    _arguments(m, result, got)


def _arguments(m: ArticleMatch, result: Scores, got: dict[int, int]) -> None:
    gold, out = m.gold, m.out
    counts = {k: [0, 0, 0] for k in ("date exact", "date partly right", "place", "perpetrator", "fatalities",
                                    "injured")}  # right, predicted, gold

    def tally(name: str, has_gold: bool, has_pred: bool, right: bool, g: GoldEvent, k: SysEvent | None,
              what: str) -> None:
        c = counts[name]
        c[2] += has_gold
        c[1] += has_pred
        c[0] += right
        if (has_gold or has_pred) and not right and k is not None:
            result.error(f"event {name.split()[0]}", FN, f"{g.type}: gold {getattr(g, name.split()[0])!r}, kg {what}",
                         gold.id, out.text, k.trigger)

    for gi, g in enumerate(gold.events):
        k = out.events[got[gi]] if gi in got else None
        kd = k.date if k else None
        tally("date exact", g.date is not None, kd is not None, g.date is not None and kd == g.date, g, k, repr(kd))
        c = counts["date partly right"]
        c[2] += g.date is not None
        c[1] += kd is not None
        c[0] += g.date is not None and date_partly(kd, g.date)
        place = m.side(g.place)
        tally("place", place is not None, k is not None and k.place is not None,
              k is not None and m.matches(k.place, place), g, k, repr(_name(m, k.place) if k and k.place else None))
        perp = m.side(g.perpetrator)
        tally("perpetrator", perp is not None, k is not None and bool(k.perpetrators),
              k is not None and any(m.matches(p, perp, named_groups=True) for p in k.perpetrators), g, k,
              repr([_name(m, p) for p in k.perpetrators] if k else None))
        tally("fatalities", g.fatalities is not None, k is not None and k.fatalities is not None,
              k is not None and g.fatalities is not None and k.fatalities == g.fatalities, g, k,
              repr(k.fatalities if k else None))
        tally("injured", g.injured is not None, k is not None and k.injured is not None,
              k is not None and g.injured is not None and k.injured == g.injured, g, k, repr(k.injured if k else None))
    for name, (right, predicted, wanted) in counts.items():
        result.add("event arguments", name, Score(right, predicted, right, wanted))


# --- the article -----------------------------------------------------------------------------------------


def _article(m: ArticleMatch, result: Scores) -> None:
    gold, out = m.gold, m.out
    right = gold.date is not None and out.published == gold.date
    result.add("article", "publication date", pr(int(right), int(out.published is not None), int(gold.date is not None)))
    if (gold.date or out.published) and not right:
        result.error("publication date", FN, f"gold {gold.date!r}, kg {out.published!r}", gold.id, out.text, None)
    title_right = gold.title is not None and out.title is not None and norm(out.title) == norm(gold.title)
    result.add("article", "title", pr(int(title_right), int(out.title is not None), int(gold.title is not None)))
    if (gold.title or out.title) and not title_right:
        result.error("title", FN, f"gold {gold.title!r}, kg {out.title!r}", gold.id, out.text, None)
