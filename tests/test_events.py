"""Events: one table row per construction of news language, run through the real model on
sentences written for these tests (none is taken from the sample articles or the evaluation
texts): the event kind, its date, place, figures and perpetrator, and sentences that must give
no event at all."""

from __future__ import annotations

import pytest

from kg.dates import parse_date
from kg.extract.dates import resolve
from kg.model import DatePrecision, DateValue
from kg.sources import article_from_text

VIOLENT = {"ArmedClash", "Raid", "Attack", "Killing", "RemoteExplosive", "SuicideBomb", "Grenade", "AirDroneStrike",
           "ShellingArtilleryMissileAttack", "AbductionForcedDisappearance", "HostageTaking", "MobViolence"}


def extract(extractor, text, published="2014-05-20"):
    art = article_from_text(text, {"published": published} if published else {}, "t")
    return extractor.extract(art)


def date_code(d: DateValue | None) -> str | None:
    """A date as the tables write it: "2014-05-17", "--10-31", "2014-04" (a month), "2013" (a
    year), "A/B" (a range of days)."""
    if d is None:
        return None
    if d.value.startswith("--") or d.precision == DatePrecision.DAY and not d.end:
        return d.value
    if d.precision == DatePrecision.MONTH:
        return d.value[:7]
    if d.precision == DatePrecision.YEAR and d.end[:4] == d.value[:4]:
        return d.value[:4]
    return f"{d.value}/{d.end}"


def summary(ex, kind: str):
    """The first event whose types include ``kind``: (date, place, fatalities, injured,
    perpetrators), with names."""
    names = {e.id: e.name for e in ex.entities}
    ev = next((e for e in ex.events if kind in e.type.split()), None)
    assert ev is not None, [(e.type, e.trigger.text) for e in ex.events]
    perps = sorted(names[r.entity] for r in ev.roles if r.role == "perpetrator")
    return date_code(ev.date), names.get(ev.place), ev.fatalities, ev.injured, perps


# --- dates ------------------------------------------------------------------------------------

YEAR_LESS = DateValue("--08-07", DatePrecision.DAY)


@pytest.mark.parametrize("expression, reference, expected", [
    # a month and day without a year, and no year to be had: a year-less day
    ("October 31", None, "--10-31"),
    ("Tuesday June 15", None, "--06-15"),
    ("Dec. 5", None, "--12-05"),
    ("Saturday", None, None),  # a weekday needs a reference date
    # weekdays and relative days against the publication date (a Tuesday)
    ("Saturday", "2014-05-20", "2014-05-17"),
    ("on Tuesday", "2014-05-20", "2014-05-20"),  # the day of writing, named by its weekday
    ("last Tuesday", "2014-05-20", "2014-05-13"),
    ("late Sunday night", "2014-05-20", "2014-05-18"),
    ("last night", "2014-05-20", "2014-05-19"),
    ("two days ago", "2014-05-20", "2014-05-18"),
    ("earlier this week", "2014-05-20", "2014-05-19/2014-05-20"),
    ("last month", "2014-05-20", "2014-04"),
    ("a year ago", "2014-05-20", "2013"),
    ("September 19", "2014-05-20", "2013-09-19"),  # well after the article: the year before
    ("the 1990s", "2014-05-20", "1990-01-01/1999-12-31"),
    ("five years", "2014-05-20", None),  # a length of time, not a date
    # a year-less reference (a dateline's "Aug 7"): year-less days, never an invented year
    ("today", YEAR_LESS, "--08-07"),
    ("yesterday", YEAR_LESS, "--08-06"),
    ("last night", YEAR_LESS, "--08-06"),
    ("August 4", YEAR_LESS, "--08-04"),
    ("Saturday", YEAR_LESS, None),
])
def test_date_phrases_resolve_against_the_reference(expression, reference, expected):
    ref = parse_date(reference) if isinstance(reference, str) else reference
    d = resolve(expression, ref)
    assert date_code(d) == expected
    if d is not None:
        assert d.expression == expression


@pytest.mark.parametrize("text, published, kind, date", [
    # no publication date: the text's month and day, without a year
    ("Rebels attacked a police post in Lowa on October 31, killing two officers.", None, "ArmedClash", "--10-31"),
    # a dateline's month and day is the reference when the article has no date
    ("KANDAR, Aug 7 (Reuters) - Gunmen attacked a checkpoint in the town of Kandar yesterday, killing three "
     "soldiers.", None, "ArmedClash", "--08-06"),
    ("Gunmen killed four villagers in Ruvu on Saturday.", "2014-05-20", "Killing", "2014-05-17"),
    ("A September 19 ambush killed ten soldiers near Gao.", "2014-05-20", "ArmedClash", "2013-09-19"),
    # a charge for dated attacks on a target is about those attacks, not a kind of crime
    ("Omar Tal was found guilty of masterminding attacks on two mosques in Lowa in May last year.", "2014-05-20",
     "Attack", "2013-05"),
    # a date right before the event noun is its own, even after "after"
    ("The group was banned shortly after the Sept. 11, 2001, attacks on the towers in Lowa.", "2014-05-20",
     "Attack", "2001-09-11"),
    ("Police said on Monday that they detained four suspects in Garissa on May 10.", "2014-05-20", "Arrests",
     "2014-05-10"),
    # a participle of the event shares its day; a month with its year said relative to the article's
    ("Militants stormed a hotel in Kabul on Friday, taking 20 guests hostage.", "2014-05-20", "HostageTaking",
     "2014-05-16"),
    ("Gunmen attacked two mosques in Kabul in May last year.", "2014-05-20", "Attack", "2013-05"),
    # "since 2010" in a clause about the town is not the attack's date
    ("The attack on the market in Goma, which has been racked by violence since 2010, killed five people.",
     "2014-05-20", "Attack", None),
])
def test_an_event_takes_the_date_of_its_own_clause(extractor, text, published, kind, date):
    assert summary(extract(extractor, text, published), kind)[0] == date


# --- triggers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("Gunmen took five engineers hostage in Kaduna on Monday.", "HostageTaking"),
    ("The rebels freed the hostages in Gao on Monday.", "HostageRelease"),
    ("Three civilians seized during the attack on the village have been released.", "HostageRelease"),
    ("Gunmen seized three civilians near Gao on Sunday.", "AbductionForcedDisappearance"),
    ("Gunmen stormed the prison in Kandahar on Sunday, freeing 40 inmates.", "PrisonBreak"),
    ("The rebels seized control of the town of Lowa on Sunday.", "NonStateActorOvertakesTerritory"),
    ("The murder of a judge in Kano on Monday shocked the city.", "Killing"),
    ("A car bombing in Kano killed four people on Monday.", "RemoteExplosive"),
    ("The convoy was caught in an ambush near Gao on Monday.", "ArmedClash"),
    ("Residents gathered outside the governor's office in Lira on Monday to protest.", "PeacefulProtest"),
    ("Thousands marched through the capital on Sunday, chanting slogans against the government.", "PeacefulProtest"),
    ("The other three suspects are in custody.", "Arrests"),
    # explicit statement acts
    ("The group issued a statement on Monday.", "Statement"),
    ("In a statement on Tuesday, the ministry blamed the opposition for the unrest.", "Statement"),
    ("A video released by the group showed the hostages.", "Statement"),
    ("Three suspects were taken into custody in Mombasa on Friday.", "Arrests"),
    ("The militant commander surrendered to the army on Sunday.", "Surrender"),
    ("Rebels stormed the town of Lowa on Sunday.", "Attack"),
    ("Residents demonstrated outside the governor's office in Lira on Monday.", "PeacefulProtest"),
    ("A mob lynched two men in the village of Kitu on Monday.", "MobViolence"),
])
def test_triggers_as_verbs_nouns_and_phrases(extractor, text, kind):
    ex = extract(extractor, text)
    assert kind in {t for e in ex.events for t in e.type.split()}, [(e.type, e.trigger.text) for e in ex.events]


# --- what did not happen, and what is not one incident -------------------------------------------


@pytest.mark.parametrize("text", [
    # plans, threats, orders and hypotheticals
    "Police plan to arrest the leaders of the group.",
    "The rebels vowed to attack the capital.",
    "The government took measures to detain the suspects.",
    "The militants threatened to bomb the bridge.",
    "Officials fear the rebels could attack the town.",
    "The group warned that it would attack government offices.",
    "The governor ordered the police to arrest the organisers.",
    "The protests were set to begin at the end of the month.",
    # habits, categories and ongoing struggles
    "The region has been racked by violence since 2010.",
    "The rebel group is fighting for autonomy.",
    "The rebels have fought the government since 1964.",
    "The gang is involved in crimes such as kidnapping and extortion.",
    "The group rarely denies carrying out attacks.",
    "The army still battles the rebels in the north.",
    "There have been frequent bombings in the city.",
    "In the region, kidnappings and violence are commonplace.",
    # the same verbs of others are no riot: a player's throw, a camp set up, a protest's tyres
    "The player threw the ball to the crowd on Monday.",
    "The army set up a camp near Kitu on Monday.",
    "The crowd dispersed peacefully after the match on Monday.",
    # being under arrest is a state; being placed under it is an arrest
    "The cleric, currently under house arrest in Kitu, denied the charges.",
])
def test_no_event_for_plans_threats_habits_and_categories(extractor, text):
    ex = extract(extractor, text)
    assert not ex.events, [(e.type, e.trigger.text) for e in ex.events]


@pytest.mark.parametrize("text, kind", [
    ("In the early hours of Tuesday, a new attack took place in Lowa.", "Attack"),  # "new" is not "planned"
    ("He had planned further attacks and was arrested in Garissa on Friday.", "Arrests"),  # a clause of its own
    ("The goal of the attack on the convoy was to scare the villagers.", "Attack"),  # a definite attack happened
    ("Officials said two attempts to kill the governor failed.", "Killing"),  # an attempt is an event
])
def test_events_that_did_happen_beside_plans(extractor, text, kind):
    ex = extract(extractor, text)
    assert kind in {t for e in ex.events for t in e.type.split()}, [(e.type, e.trigger.text) for e in ex.events]


# --- a day without its year in RDF and in the canned queries -------------------------------------


def test_a_year_less_day_is_a_month_day_in_rdf(extractor):
    import rdflib

    from kg.rdf import shacl
    from kg.rdf.mapping import build_graph
    from kg.rdf.namespaces import KG
    from kg.resolve.resolver import Resolver

    ex = extract(extractor, "Rebels attacked a police post in Lowa on October 31, killing two officers.", None)
    res, _ = Resolver().resolve(ex)
    graph = build_graph(ex, res)
    g = graph.to_rdflib()
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    event = next(g.subjects(rdflib.RDF.type, sem.Event))
    day = g.value(event, KG.monthDay)
    assert str(day) == "--10-31" and day.datatype == rdflib.XSD.gMonthDay
    assert g.value(event, KG.datePrecision) == KG.DayPrecision
    assert str(g.value(event, KG.dateExpression)) == "October 31"
    assert g.value(event, sem.hasTimeStamp) is None and g.value(event, sem.hasEarliestBeginTimeStamp) is None
    assert shacl.validate_nquads(graph.nquads()) == []
    assert shacl.validate_pyshacl(graph.ntriples())[0]


def test_the_event_queries_show_a_month_day(tmp_path):
    import kg

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Rebels attacked a police post in Lowa on October 31, killing two officers.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Gunmen killed three villagers in the town of Kitu on 4 May 2014.\n", encoding="utf-8")
    with kg.open_store(tmp_path / "store") as store:
        kg.ingest([folder], store)
        for name in ("events", "timeline"):  # a day without its year after the dated ones
            result = kg.query(store, name, fresh=True)
            dates = [r[result.variables.index("date")].value for r in result.rows]
            assert dates == ["2014-05-04", "--10-31"], (name, dates)
        # explain and the actor network show the day too
        events = kg.explain(store, "Lowa").events
        assert events and all(date == "--10-31" for _, _, date, _ in events), events
        from kg.actors import load

        net = load(store)
        dated = {d.get("date") for _, d in net.graph.nodes(data=True) if d.get("kind") == "event" or "date" in d}
        assert "--10-31" in dated and "2014-05-04" in dated, dated


def test_a_bare_said_is_no_statement(extractor):
    ex = extract(extractor, "The minister said the road to Gao was open again.")
    assert not ex.events, [(e.type, e.trigger.text) for e in ex.events]


# --- the type follows the act and the weapon --------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("A bomb ripped through a packed train near Goma on Monday, killing 46 passengers.", "RemoteExplosive"),
    ("Three soldiers were killed by a roadside bomb near Gao on Monday.", "RemoteExplosive"),
    ("Two civilians were killed in an airstrike on the village of Lowa on Monday.", "AirDroneStrike"),
    ("Rebels attacked the base near Gao with mortars and rockets on Monday.", "ShellingArtilleryMissileAttack"),
    ("A female suicide bomber killed herself and five others outside a hotel in Kano on Monday.", "SuicideBomb"),
    # guns with grenades: the act decides (civilians attacked: an attack; the army: an armed clash)
    ("Rebels attacked villagers with guns and grenades in Lowa on Monday.", "Attack"),
    ("Rebels attacked the army with guns and grenades in Lowa on Monday.", "ArmedClash"),
    ("A mob lynched two men in the village of Kitu on Monday.", "MobViolence"),
    ("Residents demonstrated outside the governor's office in Lira on Monday.", "PeacefulProtest"),
    # a crowd's burning, breaking and stone-throwing is a riot, a violent demonstration when it protests
    ("Rioters torched shops in the market town of Kitu on Monday.", "MobViolence"),
    ("An angry mob set fire to a police station in Kitu on Monday.", "MobViolence"),
    ("Youths pelted security forces with stones in Kitu on Monday.", "MobViolence"),
    ("Villagers attacked a police post in Kitu on Monday.", "MobViolence"),
    ("Protesters threw stones at police in Kitu on Monday.", "ViolentDemonstration"),
    ("Rioting broke out in Kitu on Monday.", "MobViolence"),
    # force used on a protest
    ("The cleric was placed under house arrest in Kitu on Monday.", "Arrests"),
    ("Police fired tear gas at protesters in Kitu on Monday.", "ProtestWithIntervention"),
    ("Security forces dispersed the protesters in Kitu on Monday.", "ProtestWithIntervention"),
    ("Police used water cannon to disperse demonstrators in Kitu on Monday.", "ProtestWithIntervention"),
])
def test_the_type_follows_the_act_and_the_weapon(extractor, text, kind):
    violent = [e for e in extract(extractor, text).events]
    assert len(violent) == 1 and violent[0].type.split()[0] == kind, [e.type for e in violent]


# --- arguments of the event's own clause ---------------------------------------------------------


@pytest.mark.parametrize("text, kind, place, perpetrators", [
    # the most specific place of the clause; the doer of a light verb; "from X", "of X"
    ("Gunmen from the Red Hand Brigade launched an attack on Sunday at the Kuru camp in Borno State, killing six "
     "soldiers.", "ArmedClash", "Kuru camp", ["Gunmen", "Red Hand Brigade"]),
    ("An attack by the Red Hand Brigade on a checkpoint in Goma killed three policemen on Monday.", "ArmedClash",
     "Goma", ["Red Hand Brigade"]),
    ("The attack on the convoy near Gao was carried out by the Red Hand Brigade, police said.", "Attack", "Gao",
     ["Red Hand Brigade"]),
    ("Fighters of the Red Hand Brigade attacked a police post in the village of Kitu on Monday.", "ArmedClash",
     "Kitu", ["Fighters", "Red Hand Brigade"]),
    # the gang that held the hostages is none of them (nor, in the release, their freer)
    ("Police freed 12 hostages held by the gang in Lagos on Sunday.", "HostageRelease", "Lagos", ["Police"]),
    # the agent of an arrest is who did it
    ("Police arrested three suspects in Mombasa on Friday.", "Arrests", "Mombasa", ["Police"]),
    # an event named as the subject is no doer: the clash's sides are actors
    ("A confrontation between the rebels and the army near Gao killed seven soldiers on Monday.", "ArmedClash",
     "Gao", []),
    # a guess at the doer ("could have been carried out by") is not the perpetrator
    ("Officials said the attack in Goma could have been carried out by the Red Hand Brigade.", "Attack", "Goma", []),
    # a collective capitalised to open the sentence is still the doers, not a place beside the city
    ("Rebels attacked Kandahar on Monday, killing three policemen.", "ArmedClash", "Kandahar", ["Rebels"]),
    # the place is the one the event is near, not the town it is measured from
    ("Militants ambushed a patrol near Mbarga, 40 km north of Ndolo, on Monday.", "ArmedClash", "Mbarga",
     ["Militants"]),
    # a place phrase right after the event noun, hung by the parser on the verb above it
    ("The army blamed the rebels for a truck bombing on Saturday against a base in Kandar province.",
     "RemoteExplosive", "Kandar province", []),
    # the dateline's agency is nobody's perpetrator
    ("KARACHI, June 4 (Reuters): A court in Karachi sentenced a militant to death today.", "Sentencing", "Karachi",
     []),
])
def test_arguments_come_from_the_events_own_clause(extractor, text, kind, place, perpetrators):
    date, got_place, _, _, perps = summary(extract(extractor, text), kind)
    assert got_place.lower() == place.lower()
    assert perps == sorted(perpetrators)


def test_the_dateline_dates_today(extractor):
    ex = extract(extractor, "KARACHI, June 4 (Reuters): A court in Karachi sentenced a militant to death today.",
                 "2005-06-05")
    assert summary(ex, "Sentencing")[0] == "2005-06-04"


# --- figures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind, fatalities, injured", [
    ("Rebels killed two soldiers and wounded five in an ambush near Gao on Monday.", "ArmedClash", 2, 5),
    ("Gunmen stormed a camp in Mubi on Sunday, killing five soldiers and wounded ten more.", "ArmedClash", 5, 10),
    ("A female suicide bomber killed herself and five others outside a hotel in Kano on Monday.", "SuicideBomb", 6,
     None),
    ("At least 42 people have been killed and 40 arrested in clashes in Khorog on Sunday.", "ArmedClash", 42, None),
    ("Dar was killed along with his deputy during a gun battle in Sopore on Monday.", "ArmedClash", 2, None),
    ("The murder of a judge in Kano on Monday shocked the city.", "Killing", 1, None),
    # the event's own figure, not the running toll
    ("The fighting in Goma on Monday killed 12 people, bringing the death toll since March to 40.", "ArmedClash", 12,
     None),
    ("The violence has killed at least 14,000 people in the region.", None, None, None),
    ("A total of 25 policemen were killed in the attacks in Goma last year.", "ArmedClash", None, None),
    # stated numbers only
    ("The raid on the camp near Gao left many fighters dead.", "Raid", None, None),
    # an attempt kills no one
    ("Two attempts to kill the governor of Kano failed last year.", "Killing", None, None),
])
def test_figures_belong_to_their_event(extractor, text, kind, fatalities, injured):
    ex = extract(extractor, text)
    if kind is None:
        assert all(e.fatalities is None for e in ex.events), [(e.type, e.fatalities) for e in ex.events]
        return
    assert summary(ex, kind)[2:4] == (fatalities, injured)


def test_each_event_of_a_sentence_keeps_its_own_figure(extractor):
    ex = extract(extractor, "Police arrested four suspects in Garissa on Monday, three days after a bombing in "
                            "Mandera killed nine people.")
    names = {e.id: e.name for e in ex.entities}
    bombing = next(e for e in ex.events if "RemoteExplosive" in e.type)
    arrest = next(e for e in ex.events if "Arrests" in e.type)
    assert bombing.fatalities == 9 and names[bombing.place] == "Mandera"
    assert arrest.fatalities is None and names[arrest.place] == "Garissa"


# --- mentions of one incident, and of several ----------------------------------------------------


def test_mentions_of_one_incident_are_one_event_and_others_stay_apart(extractor):
    text = ("Rebels attacked a police post in the village of Kitu on May 4, killing two officers. The attack lasted "
            "three hours. Two months later, the rebels attacked another police post in the town of Lowa. "
            "Police arrested five suspects in Garissa on Friday.")
    ex = extract(extractor, text)
    names = {e.id: e.name for e in ex.entities}
    attacks = [e for e in ex.events if {"Attack", "ArmedClash"} & set(e.type.split())]
    assert sorted(names[e.place] for e in attacks) == ["Kitu", "Lowa"]
    kitu = next(e for e in attacks if names[e.place] == "Kitu")
    assert len(kitu.evidence) == 2 and kitu.fatalities == 2 and date_code(kitu.date) == "2014-05-04"
    assert [e.type for e in ex.events if "Arrests" in e.type] == ["Arrests"]


@pytest.mark.parametrize("text", [
    "Many villagers have joined the militia to fight the rebels.",  # a purpose
    "The army launched a push to seize the town of Lowa.",
    "The rebel group, which was set up in 2009, is fighting for autonomy.",  # a date about the group
    "The commander is said to be fighting in the north.",
    "The violence has displaced thousands of people in the region.",  # a state of affairs
    "Crowds gathered for the weekly market in the village.",  # no protest said
    "Troops marched into the town of Lowa on Monday.",
])
def test_no_event_for_purposes_and_states(extractor, text):
    ex = extract(extractor, text)
    assert not ex.events, [(e.type, e.trigger.text) for e in ex.events]


@pytest.mark.parametrize("text, kind", [
    ("Residents burned tyres in the streets of Beni on Monday to protest the killings.", "PeacefulProtest"),
    ("The rebels began to shell the town of Lowa on Monday.", "ShellingArtilleryMissileAttack"),
])
def test_a_protest_and_a_begun_act_happened(extractor, text, kind):
    ex = extract(extractor, text)
    assert kind in {t for e in ex.events for t in e.type.split()}, [(e.type, e.trigger.text) for e in ex.events]


def test_re_mentions_of_an_incident_join_it(extractor):
    text = ("Gunmen abducted six tourists in the village of Kitu on Sunday, police said.\n\n"
            "Support our reporting\n\n"
            "A rebel unit abducted the six near the coast, an army spokesman said. Those kidnapped were "
            "identified as engineers. Sunday's kidnapping was the third this year.")
    ex = extract(extractor, text)
    assert len([e for e in ex.events if "AbductionForcedDisappearance" in e.type]) == 1, \
        [(e.type, e.trigger.text) for e in ex.events]


def test_the_same_named_victim_and_the_same_sentence_twice_are_one_incident(extractor):
    text = ("The clashes began three days after the fatal stabbing of General Ali Karimov in Khorog. "
            "Officials gave no details. \"On May 11, the group brutally murdered General Ali Karimov,\" a spokesman said.")
    ex = extract(extractor, text)
    killings = [e for e in ex.events if "Killing" in e.type.split() or "Attack" in e.type.split()]
    assert len(killings) == 1 and killings[0].fatalities == 1 and date_code(killings[0].date) == "2014-05-11", \
        [(e.type, e.trigger.text, e.date) for e in ex.events]
    lead = "Rebels attacked a police post in the village of Kitu on Sunday."
    ex = extract(extractor, lead + "\n" + lead + "\nThe attack lasted three hours.")
    assert len([e for e in ex.events if "ArmedClash" in e.type or "Attack" in e.type]) == 1


def test_arrests_of_other_people_stay_apart_and_his_arrest_is_his(extractor):
    text = ("Police arrested Ahmed Nur in Garissa on May 4. Nur's arrest came after a raid on his house. "
            "Police also arrested Hassan Ali and Omar Said in Mombasa.")
    ex = extract(extractor, text)
    names = {e.id: e.name for e in ex.entities}
    arrests = [e for e in ex.events if "Arrests" in e.type]
    detainees = [sorted(names[r.entity] for r in e.roles if r.role == "detainee") for e in arrests]
    assert len(arrests) == 2 and ["Ahmed Nur"] in detainees, detainees


@pytest.mark.parametrize("text", [
    "The violence has killed at least 14,000 people in the region.",
    "Police have made three arrests so far in the case.",
    "The front, one of the most active groups in the region, is responsible for attacks on villages.",
    "The rebels crossed the river to come and massacre the villagers, the governor feared.",
])
def test_no_event_for_tolls_tallies_and_records(extractor, text):
    ex = extract(extractor, text)
    assert not ex.events, [(e.type, e.trigger.text) for e in ex.events]


def test_a_tally_of_the_killed_is_no_killing(extractor):
    ex = extract(extractor, "A report said the number of civilians killed in the clashes exceeded 200.")
    assert not [e for e in ex.events if "Killing" in e.type.split() or e.fatalities], [(e.type, e.fatalities)
                                                                                     for e in ex.events]


def test_a_dated_responsibility_is_an_event(extractor):
    ex = extract(extractor, "Officials say four men were responsible for bombings in the city of Kano on October 31.",
                 None)
    assert summary(ex, "RemoteExplosive")[:2] == ("--10-31", "Kano")


@pytest.mark.parametrize("expression, expected", [
    ("July 7–8", "--07-07"),  # a span of days: its first
    ("12-13 May", "--05-12"),
    ("the night of 12 May", "--05-12"),
    ("January 4 last year", "--01-04"),
    ("2014-05-12", "2014-05-12"),
])
def test_spans_nights_and_last_years_resolve(expression, expected):
    assert date_code(resolve(expression, None)) == expected


def test_the_dateline_is_the_reference_and_no_event_date(extractor):
    ex = extract(extractor, "MOMBASA, Kenya, Nov. 29 -- Police arrested a dozen suspects today in the city.", None)
    assert summary(ex, "Arrests")[0] == "--11-29"
    ex = extract(extractor, "MOMBASA, Kenya, Nov. 29 -- Police said the gunmen who attacked the hotel had fled.", None)
    assert summary(ex, "Attack")[0] is None  # the report's day, not the attack's


def test_every_wording_of_an_event_is_a_mention_in_rdf(extractor):
    import rdflib

    from kg.rdf.mapping import build_graph
    from kg.rdf.namespaces import KG
    from kg.resolve.resolver import Resolver

    ex = extract(extractor, "Gunmen attacked a police post in Lowa on Monday. The attack killed two officers.")
    violent = [e for e in ex.events if e.fatalities == 2]
    assert len(violent) == 1, [(e.type, e.trigger.text) for e in ex.events]
    event = violent[0]
    assert [m.text for m in event.mentions] == ["attacked", "attack", "killed"]  # the trigger, then in text order
    assert event.mentions[0] == event.trigger and [m.sentence for m in event.mentions] == [0, 1, 1]
    res, _ = Resolver().resolve(ex)
    g = build_graph(ex, res).to_rdflib()
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    node = next(g.subjects(rdflib.RDF.type, sem.Event))
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    quoted = sorted(str(g.value(q, oa.exact)) for span in g.objects(node, KG.denotedBy)
                    for q in g.objects(span, oa.hasSelector) if g.value(q, oa.exact) is not None)
    assert quoted == ["attack", "attacked", "killed"]


def test_a_pronoun_doer_is_the_reporter(extractor):
    ex = extract(extractor, "The army said it killed 20 militants in airstrikes in Lowa on Sunday.")
    names = {e.id: e.name for e in ex.entities}
    strike = next(e for e in ex.events if e.fatalities == 20)
    assert [names[r.entity] for r in strike.roles if r.role == "perpetrator"] == ["army"]



@pytest.mark.parametrize("text, doers", [
    # a dateline parsed as the sentence's subject is passed over
    ("KANDAR, Lowa — Valley Front fighters attacked a checkpoint in Tarsi province on Monday, killing five police "
     "officers.", {"Valley Front", "fighters"}),
    ("KANDAR (Reuters) - Militants killed seven soldiers in an ambush in Tarsi province on Sunday, the army said.",
     {"Militants"}),
])
def test_the_doer_after_a_dateline(extractor, text, doers):
    ex = extract(extractor, text)
    names = {e.id: e.name for e in ex.entities}
    violent = [e for e in ex.events if e.fatalities]
    assert {names[r.entity] for e in violent for r in e.roles if r.role == "perpetrator"} == doers


def test_a_place_with_an_arabic_article(extractor):
    ex = extract(extractor, "The militia attacked el-Fasher on Monday.")
    names = {e.id: e.name for e in ex.entities}
    assert [names.get(e.place) for e in ex.events] == ["el-Fasher"]


def test_the_holders_of_hostages_are_not_hostages(extractor):
    ex = extract(extractor, "Police freed 12 hostages held by the gang in Lagos on Sunday.")
    names = {e.id: e.name for e in ex.entities}
    release = next(e for e in ex.events if "HostageRelease" in e.type.split())
    assert [names[r.entity] for r in release.roles if r.role == "detainee"] == ["12 hostages"]
