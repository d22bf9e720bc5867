"""Cross-document entity resolution: variants merge, different things stay apart, the order of
ingestion does not matter, IRIs stay stable, analysts can merge and split."""

from __future__ import annotations

import json

import pytest

import kg
from kg.model import Article, Entity, EntityType, Extraction, Span
from kg.resolve.resolver import Resolver

from .conftest import SEEDS, rows

P, O, L = EntityType.PERSON, EntityType.ORGANISATION, EntityType.PLACE  # noqa: E741 - the table reads better


def extraction(name: str, etype: EntityType, kind: str | None = None, n: int = 0) -> Extraction:
    art = Article(id=f"a{n}", text=name)
    ent = Entity("e1", etype, name, (), (Span(0, len(name), 0, name),), kind=kind)
    return Extraction(art, ((0, len(name)),), (ent,))


def resolve_in_order(names: list[tuple[str, EntityType, str | None]]) -> list[str]:
    r = Resolver()
    keys = []
    for n, (name, etype, kind) in enumerate(names):
        res, absorbed = r.resolve(extraction(name, etype, kind, n))
        r.commit(res, absorbed)
        keys.append(res.entities[0].key)
    return keys


@pytest.mark.parametrize("a, b, etype, kind, same", [
    ("Hizb-ut-Tahrir", "Hizb ut-Tahrir", O, None, True),
    ("Hizb-ut-Tahrir", "Khizb-ut-Takhrir", O, None, True),
    ("Bishkek", "Biskhek", L, None, True),
    ("the Fergana Valley", "Fergana valley", L, None, True),
    ("Batken", "Batken province", L, "region", True),
    ("Batken region", "Batken province", L, "region", True),
    ("Kurmanbek Bakiev", "Kurmanbek Bakiyev", P, None, True),
    ("Kurmanbek Bakiev", "Bakiyev", P, None, True),
    ("Jamaat Ansar Front", "Jamaat-Ansar Front", O, None, True),
    ("Islamic Movement of Turkestan", "Islamic Movement of Uzbekistan", O, None, False),
    ("Osh", "Osh region", L, None, False),
    ("Ahmad Shah", "Ahmad Shahzad", P, None, False),
    ("Kazakstan", "Kazakhstan", L, "country", True),
    ("Sogd", "Sughd", L, None, True),
])
def test_variant_pairs(a, b, etype, kind, same):
    kind_b = "region" if "region" in b.lower() and etype == L else kind
    key_a, key_b = resolve_in_order([(a, etype, kind), (b, etype, kind_b)])
    assert (key_a == key_b) is same, (key_a, key_b)


def places_in(*entities: tuple[str, str | None, str | None]) -> dict[str, str]:
    """Resolve one article's places ((name, kind, country the text gives)); name -> key."""
    ents = tuple(Entity(f"e{n}", L, name, (), (Span(0, len(name), 0, name),), kind=kind, country=country)
                 for n, (name, kind, country) in enumerate(entities))
    text = " ".join(name for name, _, _ in entities)
    res, _ = Resolver().resolve(Extraction(Article(id="a", text=text), ((0, len(text)),), ents))
    return {ents[int(e.id[1:])].name: e.key for e in res.entities}


@pytest.mark.parametrize("places, name, key", [
    # an article that also mentions the US means the capitals, not towns in the US
    ([("United States", "country", None), ("Paris", "city", None)], "Paris", "place/paris-fr"),
    ([("US", "country", None), ("Berlin", None, None)], "Berlin", "place/berlin-de"),
    # unless the text says which ("Paris, Texas": the mention's country)
    ([("United States", "country", None), ("Paris", "city", "US")], "Paris", "place/paris-us"),
    # a town of the article's country still wins over a town of the same size elsewhere
    ([("Kyrgyzstan", "country", None), ("Osh", None, None)], "Osh", "place/osh-kg"),
])
def test_the_place_a_name_usually_means(places, name, key):
    assert places_in(*places)[name] == key


def test_similar_organisations_are_linked_not_merged():
    r = Resolver()
    res, _ = r.resolve(extraction("Islamic Movement of Turkestan", O))
    assert res.entities[0].close == ("org/islamic-movement-of-uzbekistan",)


def test_a_lone_surname_needs_exactly_one_carrier():
    r = Resolver()
    for n, name in enumerate(["Ali Karimov", "Islam Karimov"]):
        res, ab = r.resolve(extraction(name, P, n=n))
        r.commit(res, ab)
    res, _ = r.resolve(extraction("Karimov", P, n=9))
    assert res.entities[0].key == "person/karimov"  # ambiguous: not merged into either


def test_a_lone_first_name_does_not_join_a_full_name_through_its_alias():
    # "Omar" was an alias of Omar Tal in another article: whether it is in the index depends on
    # which article came first, so a one-word name never joins a full name that way
    r = Resolver()
    art = Article(id="a0", text="Omar Tal said. Omar left.")
    ent = Entity("e1", P, "Omar Tal", ("Omar",), (Span(0, 8, 0, "Omar Tal"),))
    res, ab = r.resolve(Extraction(art, ((0, 14),), (ent,)))
    r.commit(res, ab)
    res, _ = r.resolve(extraction("Omar", P, n=1))
    assert res.entities[0].key == "person/omar"


def test_two_carriers_in_one_article_absorb_no_lone_surname():
    r = Resolver()
    res, ab = r.resolve(extraction("Noor", P, n=0))
    r.commit(res, ab)
    art = Article(id="a1", text="Ali Noor met Sami Noor.")
    ents = (Entity("e1", P, "Ali Noor", (), (Span(0, 8, 0, "Ali Noor"),)),
            Entity("e2", P, "Sami Noor", (), (Span(13, 22, 0, "Sami Noor"),)))
    res, absorbed = r.resolve(Extraction(art, ((0, 23),), ents))
    assert absorbed == []  # "Noor" could be either


@pytest.mark.parametrize("order", [["JAF", "Jamaat Ansar Front"], ["Jamaat Ansar Front", "JAF"]])
def test_acronyms_defined_in_another_article_in_either_order(order):
    r = Resolver()
    keys = []
    for n, name in enumerate(order):
        res, absorbed = r.resolve(extraction(name, O, n=n))
        r.commit(res, absorbed)
        keys.append(res.entities[0].key)
        if absorbed:
            keys = [a.new if k == a.old else k for k in keys for a in absorbed]
    full = resolve_in_order([("Jamaat Ansar Front", O, None)])[0]
    assert keys[0] == keys[1] == full


@pytest.mark.parametrize("order", [["VF", "Valley Front"], ["Valley Front", "VF"]])
def test_a_two_letter_acronym_does_not_join_an_organisation_of_another_article(order):
    r = Resolver()
    keys = []
    for n, name in enumerate(order):
        res, absorbed = r.resolve(extraction(name, O, n=n))
        r.commit(res, absorbed)
        assert not absorbed
        keys.append(res.entities[0].key)
    assert len(set(keys)) == 2


# --- through the store, with the real model ------------------------------------------------------


def _quads(store):
    return sorted(str(q) for q in store.quads())


def test_both_orders_of_the_sample_articles_give_the_same_graph(tmp_path):
    files = sorted(SEEDS.glob("*.txt"))
    stores = []
    for n, order in enumerate((files, list(reversed(files)))):
        path = tmp_path / f"s{n}"
        with kg.open_store(path) as st:
            for f in order:
                assert kg.ingest([f], st).added == 1
            stores.append(_quads(st))
    assert stores[0] == stores[1]


@pytest.mark.parametrize("label", ["Hizb ut-Tahrir", "Bishkek", "Batken Region", "Fergana Valley",
                                   "Security Council of Kyrgyzstan", "Institute for War and Peace Reporting",
                                   "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Afghanistan", "Russia"])
def test_shared_entities_are_one_node_with_evidence_from_both_articles(seed_store, label):
    found = rows(seed_store, f"""SELECT DISTINCT ?e ?id WHERE {{ ?e rdfs:label "{label}" .
        GRAPH ?g {{ ?e kg:denotedBy ?s . ?g prov:wasDerivedFrom ?a . ?a kg:articleId ?id }} }}""")
    assert len({r["e"] for r in found}) == 1
    assert {r["id"] for r in found} == {"000_8957d6a2ab5e49c0", "002_de8208fc292a2474"}


def test_places_have_coordinates_codes_and_containment(seed_store):
    found = rows(seed_store, """SELECT ?kind ?code ?in WHERE { ?p rdfs:label "Sughd Region" ; kg:placeKind ?kind ;
        kg:iso3166Code ?code ; schema:containedInPlace/rdfs:label ?in }""")
    assert found == [{"kind": "region", "code": "TJ-SU", "in": "Tajikistan"}]
    links = {r["l"] for r in rows(seed_store, "SELECT ?l WHERE { ?p rdfs:label 'Konibodom' ; skos:exactMatch ?l }")}
    assert "https://sws.geonames.org/1514891/" in links
    alts = {r["a"] for r in rows(seed_store, "SELECT ?a WHERE { ?p rdfs:label 'Konibodom' ; skos:altLabel ?a }")}
    assert alts == {"Kanibadam"}


def _article(tmp_path, name, text):
    f = tmp_path / f"{name}.json"
    f.write_text(json.dumps({"id": name, "title": name, "text": text, "published": "2007-04-02"}))
    return f


@pytest.mark.parametrize("order", [("lone", "full"), ("full", "lone")])
def test_a_later_full_name_absorbs_an_earlier_lone_surname(tmp_path, order):
    texts = {"lone": "Kyrgyz opposition leaders met Bakiyev on Monday. Bakiyev said the talks failed.",
             "full": "President Kurmanbek Bakiyev of Kyrgyzstan dismissed the government on Tuesday."}
    with kg.open_store(tmp_path / "s") as st:
        for name in order:
            kg.ingest([_article(tmp_path, name, texts[name])], st)
        people = rows(st, """SELECT DISTINCT ?p ?l WHERE { ?p a foaf:Person ; rdfs:label ?l .
                               { ?p rdfs:label ?n } UNION { ?p skos:altLabel ?n } FILTER(CONTAINS(?n, "Bakiyev")) }""")
        assert {r["l"] for r in people} == {"Kurmanbek Bakiyev"} and len(people) == 1
        assert kg.validate(st) == []


def _stores_in_orders(tmp_path, texts, orders, check=None) -> list[set[str]]:
    """The quads (PROV times aside) of one store per order of ingesting ``texts``, each valid;
    ``check(store, order)`` runs on each before it closes."""
    stores = []
    for n, order in enumerate(orders):
        with kg.open_store(tmp_path / f"s{n}") as st:
            for name in order:
                kg.ingest([_article(tmp_path, name, texts[name])], st)
            assert kg.validate(st) == []
            stores.append({str(q) for q in st.quads() if not any(
                t in str(q.predicate) for t in ("generatedAtTime", "startedAtTime", "endedAtTime"))})
            if check is not None:
                check(st, order)
    return stores


def test_an_absorbed_surname_leaves_the_graph_a_direct_match_gives(tmp_path):
    # the lone surname holds a post and has an in-article alias; absorbed later or matched at
    # once, its article's graph is the same quad for quad (merge records, name keys, post IRIs)
    texts = {"lone": "Minister Bakiyev, known as Kurman, met opposition leaders on Monday. Bakiyev said "
                     "the talks failed.",
             "full": "President Kurmanbek Bakiyev of Kyrgyzstan dismissed the government on Tuesday."}
    stores = _stores_in_orders(tmp_path, texts, (("lone", "full"), ("full", "lone")))
    assert any("aliasMerge" in q for q in stores[0])
    assert sorted(stores[0] - stores[1]) == sorted(stores[1] - stores[0]) == []


def test_a_second_carrier_of_a_surname_undoes_the_lone_surname_s_link(tmp_path):
    # "Mr Bakiyev" alone joins the only Bakiyev known; once a second one arrives it could be
    # either, so it stands alone again: every order of the three articles gives one store
    texts = {"full": "President Kurmanbek Bakiyev of Kyrgyzstan dismissed the government on Tuesday.",
             "lone": "Mr Bakiyev, the president, met opposition leaders in Bishkek on Monday. Mr Bakiyev said "
                     "the talks failed.",
             "other": "Janyl Bakiyeva and her brother Marat Bakiyev opened a school in Osh on Friday."}
    def alone(st, order):
        people = {r["l"] for r in rows(st, "SELECT ?l WHERE { GRAPH <https://w3id.org/kg-news/id/graph/lone> "
                                           "{ ?p a foaf:Person ; rdfs:label ?l } }")}
        assert people == {"Bakiyev"}, order

    stores = _stores_in_orders(tmp_path, texts, (("full", "lone", "other"), ("full", "other", "lone"),
                                                 ("lone", "other", "full"), ("lone", "full", "other")), alone)
    for other in stores[1:]:
        assert sorted(stores[0] - other)[:5] == sorted(other - stores[0])[:5] == []


def test_iris_stay_stable_when_a_later_article_adds_an_alias(tmp_path):
    with kg.open_store(tmp_path / "s") as st:
        kg.ingest([_article(tmp_path, "one", "Hizb ut-Tahrir leaflets were found in Osh on Monday.")], st)
        before = {r["e"] for r in rows(st, "SELECT ?e WHERE { ?e a org:Organization }")}
        kg.ingest([_article(tmp_path, "two", "Police said Khizb-ut-Takhrir members were detained in Osh.")], st)
        after = rows(st, "SELECT ?e ?a WHERE { ?e a org:Organization ; skos:altLabel ?a }")
        assert before == {r["e"] for r in after} and "Khizb-ut-Takhrir" in {r["a"] for r in after}


def test_merge_and_split_are_kept_and_applied_to_later_ingests(tmp_path, seed_store_copy):
    st = seed_store_copy
    kept, merged = kg.merge(st, "Islamic Movement of Uzbekistan", "Islamic Movement of Turkestan")
    assert (kept, merged) == ("Islamic Movement of Uzbekistan", "Islamic Movement of Turkestan")
    assert not rows(st, "SELECT ?e WHERE { ?e rdfs:label 'Islamic Movement of Turkestan' }")
    # a later article naming the merged entity lands on the kept one
    kg.ingest([_article(tmp_path, "later", "The Islamic Movement of Turkestan claimed the attack in Osh.")], st)
    hits = rows(st, """SELECT DISTINCT ?e WHERE { ?e skos:altLabel|rdfs:label 'Islamic Movement of Turkestan' }""")
    assert [r["e"] for r in hits] == ["https://w3id.org/kg-news/id/org/islamic-movement-of-uzbekistan"]
    # split: the bare "Batken" mentions become their own place; the region keeps the rest
    label, articles = kg.split(st, "Batken Region", "Batken")
    assert label == "Batken Region" and articles == ["000_8957d6a2ab5e49c0"]
    batken = rows(st, "SELECT ?e WHERE { ?e a sem:Place ; rdfs:label 'Batken' }")
    assert len(batken) == 1
    # survives re-ingest of the same content and a forced re-extraction
    from kg.curate import stored_article

    kg.ingest([], st, articles=[stored_article(st, "000_8957d6a2ab5e49c0")], force=True)
    assert rows(st, "SELECT ?e WHERE { ?e a sem:Place ; rdfs:label 'Batken' }") == batken
    assert kg.validate(st) == []


def test_a_merge_of_two_kinds_keeps_the_kept_one_s_kind_and_a_valid_store(tmp_path, seed_store_copy):
    st = seed_store_copy
    kind = "SELECT DISTINCT ?k WHERE { ?e rdfs:label 'National Security Service of Kyrgyzstan' ; kg:orgKind ?k }"
    assert [r["k"] for r in rows(st, kind)] == ["intelligence"]
    kg.merge(st, "National Security Service of Kyrgyzstan", "Ministry of Defence of Kyrgyzstan")
    assert kg.validate(st) == []  # before: "has more than 1 orgKind"
    assert [r["k"] for r in rows(st, kind)] == ["intelligence"]
    # a later article naming both lands on the kept entity with the kept kind, and is stored
    report = kg.ingest([_article(tmp_path, "later", "The Ministry of Defence of Kyrgyzstan and the National "
                                 "Security Service of Kyrgyzstan met in Bishkek on Monday.")], st)
    assert report.added == 1 and not report.failed, report.failed
    assert [r["k"] for r in rows(st, kind)] == ["intelligence"]
    assert kg.validate(st) == []


def test_entities_listing_shows_aliases_and_merge_reasons(seed_store):
    found = kg.entities(seed_store, search="tahrir")
    assert [e.label for e in found] == ["Hizb ut-Tahrir"]
    assert found[0].articles == 2 and "Khizb-ut-Takhrir" in found[0].aliases
    assert any("lexicon" in m for m in found[0].merges)
