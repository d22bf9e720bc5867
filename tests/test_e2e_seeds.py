"""End to end with the real model on the two sample articles: concrete facts."""

from __future__ import annotations

import pytest

import kg

from .conftest import SEEDS, rows


def test_malikov_is_one_person_with_a_job_title(seed_store):
    found = rows(seed_store, """SELECT DISTINCT ?p ?label WHERE { ?p a foaf:Person ; rdfs:label ?label .
                                  { ?p rdfs:label ?n } UNION { ?p skos:altLabel ?n } FILTER(CONTAINS(?n, "Malikov")) }""")
    assert [r["label"] for r in found] == ["Odinahmad Malikov"]
    titles = {r["t"] for r in rows(seed_store, "SELECT ?t WHERE { ?p rdfs:label 'Odinahmad Malikov' ; schema:jobTitle ?t }")}
    assert "Lieutenant-Colonel" in titles
    mentions = rows(seed_store, "SELECT ?s WHERE { ?p rdfs:label 'Odinahmad Malikov' ; kg:denotedBy ?s }")
    assert len(mentions) >= 5


def test_imu_and_its_acronym_are_one_organisation(seed_store):
    found = rows(seed_store, """SELECT DISTINCT ?o WHERE { ?o a org:Organization .
                                  { ?o rdfs:label ?n } UNION { ?o skos:altLabel ?n }
                                  FILTER(?n IN ("IMU", "Islamic Movement of Uzbekistan")) }""")
    assert len(found) == 1
    labels = rows(seed_store, f"SELECT ?l WHERE {{ <{found[0]['o']}> rdfs:label ?l }}")
    assert [r["l"] for r in labels] == ["Islamic Movement of Uzbekistan"]


def test_weapons_demonyms_and_teasers_are_not_entities(seed_store):
    for name in ("Kalashnikovs", "Kalashnikov", "Tajik", "Global Voices", "Kyrgyz", "Uzbeks"):
        found = rows(seed_store, """SELECT ?e WHERE { ?e rdfs:label|skos:altLabel ?n .
                                      VALUES ?t { foaf:Person org:Organization sem:Place foaf:Group } ?e a ?t }""")
        assert not [r for r in found if False], name
        hits = rows(seed_store, f"""SELECT ?e WHERE {{ ?e rdfs:label|skos:altLabel "{name}" }}""")
        assert hits == [], name


def test_places_are_typed_and_contained(seed_store):
    found = rows(seed_store, """SELECT ?kind ?in WHERE { ?p rdfs:label "Bishkek" ; kg:placeKind ?kind ;
                                  schema:containedInPlace/rdfs:label ?in ; geo:hasGeometry/geo:asWKT ?wkt }""")
    assert found == [{"kind": "city", "in": "Kyrgyzstan"}]
    batken = rows(seed_store, """SELECT DISTINCT ?p WHERE { ?p a sem:Place . { ?p rdfs:label ?n } UNION { ?p skos:altLabel ?n }
                                   FILTER(STRSTARTS(?n, "Batken")) }""")
    assert len(batken) == 1  # "Batken", "Batken region" (both articles) are one node


def test_authors_publisher_and_dates(seed_store):
    found = rows(seed_store, """SELECT ?id ?creator ?pub ?issued ?prec WHERE { ?a kg:articleId ?id ;
                                  dct:creator/rdfs:label ?creator ; dct:publisher/rdfs:label ?pub ;
                                  dct:issued ?issued ; kg:datePrecision ?prec } ORDER BY ?id ?creator""")
    assert {(r["id"], r["creator"]) for r in found} == {
        ("000_8957d6a2ab5e49c0", "Bakhtiar Valiev"), ("000_8957d6a2ab5e49c0", "Cholpon Orozobekova"),
        ("002_de8208fc292a2474", "Toktobai Mulkubatov")}
    assert {r["issued"] for r in found} == {"2006-05-01", "2000-03-01"}
    assert {r["pub"] for r in found} == {"Institute for War and Peace Reporting"}


def test_every_mention_is_an_evidence_span_into_the_stored_text(seed_store):
    found = rows(seed_store, """SELECT ?exact ?start ?end ?body WHERE { GRAPH ?g {
        ?e kg:denotedBy ?s . ?s oa:hasSource ?a ; oa:hasSelector ?p, ?q .
        ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact . ?a schema:articleBody ?body } }""")
    assert len(found) > 100
    for r in found:
        assert r["body"][int(r["start"]):int(r["end"])] == r["exact"]


def test_each_article_graph_conforms_with_both_engines(seed_store):
    assert kg.validate(seed_store) == []
    assert kg.validate(seed_store, engine="pyshacl") == []


def test_provenance_of_each_graph(seed_store):
    found = rows(seed_store, """SELECT ?g ?model ?sw ?start WHERE { GRAPH ?g { ?g a kg:DocumentGraph ;
        prov:wasDerivedFrom ?a ; prov:wasGeneratedBy ?run . ?run kg:model ?model ; kg:softwareVersion ?sw ;
        prov:startedAtTime ?start } }""")
    assert len(found) == 2
    assert all(r["model"].startswith("en_core_web_sm") and r["sw"].startswith("kg ") for r in found)


def test_reingest_adds_nothing(seed_store_copy):
    before = sorted(str(q) for q in seed_store_copy.quads())
    report = kg.ingest([SEEDS], seed_store_copy)
    assert (report.added, report.replaced, report.unchanged) == (0, 0, 2)
    assert sorted(str(q) for q in seed_store_copy.quads()) == before


def test_changed_content_replaces_exactly_that_graph(seed_store_copy, tmp_path):
    other = "https://w3id.org/kg-news/id/graph/002-de8208fc292a2474"
    other_before = sorted(str(q) for q in seed_store_copy.quads_in(other))
    src = tmp_path / "000_8957d6a2ab5e49c0.txt"
    src.write_text((SEEDS / "000_8957d6a2ab5e49c0.txt").read_text().replace("three soldiers dead", "four soldiers dead"))
    (tmp_path / "000_8957d6a2ab5e49c0.meta.json").write_text((SEEDS / "000_8957d6a2ab5e49c0.meta.json").read_text())
    # a file elsewhere with a stored id: refused unless asked (it could be another story)
    refused = kg.ingest([src], seed_store_copy)
    assert (refused.added, refused.replaced) == (0, 0) and "--replace" in refused.failed[0].message
    report = kg.ingest([src], seed_store_copy, replace=True)
    assert (report.added, report.replaced) == (0, 1)
    assert sorted(str(q) for q in seed_store_copy.quads_in(other)) == other_before
    body = rows(seed_store_copy, "SELECT ?b WHERE { ?a kg:articleId '000_8957d6a2ab5e49c0' ; schema:articleBody ?b }")
    assert len(body) == 1 and "four soldiers dead" in body[0]["b"]


def test_remove_drops_only_that_article(seed_store_copy):
    other = "https://w3id.org/kg-news/id/graph/002-de8208fc292a2474"
    other_before = sorted(str(q) for q in seed_store_copy.quads_in(other))
    assert kg.remove(seed_store_copy, "000_8957d6a2ab5e49c0") == "000_8957d6a2ab5e49c0"
    graphs = [g for g in seed_store_copy.graphs() if "/graph/" in g]
    assert graphs == [other]
    assert sorted(str(q) for q in seed_store_copy.quads_in(other)) == other_before


# --- relations, claims and events on the sample articles -------------------------------------------


def _claims(store, where=""):
    return rows(store, f"""SELECT ?s ?p ?o ?m ?who ?sentence WHERE {{ GRAPH ?g {{
        ?c a kg:Claim ; rdf:subject ?sn ; rdf:predicate ?p ; rdf:object ?on ; kg:modality ?m ;
           prov:wasAttributedTo ?w ; prov:wasDerivedFrom ?span .
        ?sn rdfs:label ?s . ?on rdfs:label ?o . ?w rdfs:label ?who .
        ?span oa:hasSelector ?q . ?q oa:exact ?sentence . {where} }} }}""")


def test_murtazaev_says_khojaev_was_an_imu_member(seed_store):
    found = [r for r in _claims(seed_store) if r["s"] == "Abdurahim Khojaev" and r["p"].endswith("memberOf")]
    assert found and all(r["o"] == "Islamic Movement of Uzbekistan" for r in found)
    assert {(r["m"].rsplit("#", 1)[-1], r["who"]) for r in found} == {("Asserted", "Mirzo Murtazaev")}
    # Murtazaev's word, not the article's: a claim of his, no bare triple
    assert not rows(seed_store, """SELECT ?k WHERE { ?k rdfs:label "Abdurahim Khojaev" ; org:memberOf ?imu .
                                       ?imu rdfs:label "Islamic Movement of Uzbekistan" }""")


def test_what_the_article_asserts_itself_is_a_bare_triple(seed_store):
    # "Bakhtiar Valiev is an IWPR contributor": the article's own voice (its publisher)
    assert rows(seed_store, """SELECT ?k WHERE { ?k rdfs:label "Bakhtiar Valiev" ; org:memberOf ?o .
                                   ?o rdfs:label "Institute for War and Peace Reporting" }""")
    # every bare relation triple has, in its graph, an asserted claim in the voice the article is attributed to
    orphans = rows(seed_store, """SELECT ?s ?p ?o WHERE { GRAPH ?g {
        VALUES ?p { org:memberOf org:headOf kg:formerMemberOf kg:linkedTo kg:alliedWith org:subOrganizationOf
                    kg:relativeOf org:holds kg:basedIn kg:responsibleFor }
        ?s ?p ?o .
        FILTER NOT EXISTS { ?c a kg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                               kg:modality kg:Asserted ; prov:wasAttributedTo ?w . ?a kg:articleId ?id ;
                               prov:wasAttributedTo ?w } } }""")
    assert orphans == []
    # and a source's asserted claims are kept, as claims
    sources = rows(seed_store, """SELECT ?c WHERE { GRAPH ?g { ?c a kg:Claim ; kg:modality kg:Asserted ;
        prov:wasAttributedTo ?w . ?a kg:articleId ?id ; prov:wasAttributedTo ?n . FILTER(?w != ?n) } }""")
    assert len(sources) >= 3


def test_the_12_may_raid_on_lakkon_killed_three(seed_store):
    found = rows(seed_store, """SELECT ?e ?date ?f ?country WHERE { ?e a sem:Event ; sem:hasTimeStamp ?date ;
        kg:fatalities ?f ; sem:hasPlace ?p . ?p rdfs:label "Lakkon border post" ; schema:containedInPlace/rdfs:label ?country }""")
    assert found == [{"e": found[0]["e"], "date": "2006-05-12", "f": "3", "country": "Tajikistan"}]
    types = {r["t"] for r in rows(seed_store, f"SELECT ?t WHERE {{ <{found[0]['e']}> sem:eventType ?t }}")}
    assert "https://w3id.org/kg-news/ns#Raid" in types and "https://w3id.org/kg-news/ns#ArmedClash" in types


def test_the_attackers_imu_link_is_alleged_and_denied_by_different_speakers(seed_store):
    found = [r for r in _claims(seed_store) if r["o"] == "Islamic Movement of Uzbekistan" and r["p"].endswith("memberOf")
             and r["s"] not in {"Abdurahim Khojaev"}]
    by_modality = {}
    for r in found:
        by_modality.setdefault(r["m"].rsplit("#", 1)[-1], set()).add(r["who"])
    assert by_modality.get("Alleged") == {"officials"}
    assert by_modality.get("Denied") == {"Kubatbek Baibolov"}
    assert len({r["s"] for r in found}) == 1  # the same unnamed group both times
    # and the group is the perpetrator of the raid
    group = found[0]["s"]
    assert rows(seed_store, f"""SELECT ?e WHERE {{ ?e kg:perpetrator ?g ; kg:fatalities 3 . ?g rdfs:label "{group}" }}""")


def test_the_denied_link_does_not_leak_as_a_bare_triple(seed_store):
    leaks = rows(seed_store, """SELECT ?g WHERE { GRAPH ?x { ?g a foaf:Group ; org:memberOf ?o .
                                  ?o rdfs:label "Islamic Movement of Uzbekistan" } }""")
    assert leaks == []


def test_posts_from_titles_and_appositions(seed_store):
    found = rows(seed_store, """SELECT ?person ?post ?org WHERE { ?p rdfs:label ?person ; org:holds ?x .
                                  ?x rdfs:label ?post ; org:postIn/rdfs:label ?org }""")
    pairs = {(r["person"], r["org"]) for r in found}
    assert ("Odinahmad Malikov", "Border Service of Tajikistan") in pairs
    assert ("Murat Sutalinov", "Ministry of Internal Affairs of Kyrgyzstan") in pairs
    assert ("Imanberdi Jalilov", "KGB") in pairs
    assert ("Bolot Januzakov", "Security Council of Kyrgyzstan") in pairs
    heads = {r["p"] for r in rows(seed_store, "SELECT ?p WHERE { ?x rdfs:label 'Miroslav Niazov' ; org:headOf ?o . ?o rdfs:label ?p }")}
    assert heads == {"Security Council of Kyrgyzstan"}


def test_part_of_allies_kin_and_based_in(seed_store):
    found = {(r["s"], r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], r["o"], r["m"].rsplit("#", 1)[-1], r["who"])
             for r in _claims(seed_store)}
    assert ("Radio Azattyk", "subOrganizationOf", "Radio Free Europe/Radio Liberty", "Asserted",
            "Institute for War and Peace Reporting") in found
    assert ("Islamic Movement of Uzbekistan", "alliedWith", "Taliban", "Asserted",
            "Institute for War and Peace Reporting") in found
    assert ("Fathullo Rahimov", "relativeOf", "Dilshod Rahimov", "Alleged", "Institute for War and Peace Reporting") in found
    assert any(s == "Hizb ut-Tahrir" and p == "basedIn" and o == "Fergana Valley" and who == "Bolot Januzakov"
               for s, p, o, m, who in found)


def test_competing_attributions_query(seed_store):
    import kg

    result = kg.query(seed_store, "attributions")
    idx = {v: i for i, v in enumerate(result.variables)}
    rows_ = [(r[idx["actor"]].value, r[idx["modality"]].value, r[idx["speaker"]].value) for r in result.rows]
    assert ("Islamic Movement of Uzbekistan", "Alleged", "officials") in rows_
    assert ("Islamic Movement of Uzbekistan", "Denied", "Kubatbek Baibolov") in rows_
    assert ("Islamic Movement of Turkestan", "Alleged", "Murat Sutalinov") in rows_


def test_explain_lists_statements_with_sources(seed_store):
    import kg
    from kg.explanation import format_explanation

    ex = kg.explain(seed_store, "IMU")
    assert ex.label == "Islamic Movement of Uzbekistan" and "IMU" in ex.aliases
    modalities = {(s.modality, s.speaker) for s in ex.statements}
    assert ("denied", "Kubatbek Baibolov") in modalities and ("alleged", "officials") in modalities
    text = format_explanation(ex)
    assert "There was no IMU here" in text


@pytest.mark.parametrize("name, label", [
    ("islamic movement of uzbekistan", "Islamic Movement of Uzbekistan"),  # any case
    ("the Fergana valley", "Fergana Valley"),  # articles, case
    ("Khojaev", "Abdurahim Khojaev"),  # a surname alone
    ("https://w3id.org/kg-news/id/org/hizb-ut-tahrir", "Hizb ut-Tahrir"),  # an IRI
])
def test_explain_finds_an_entity_by_any_of_its_names(seed_store, name, label):
    import kg

    assert kg.explain(seed_store, name).label == label
