"""The evaluation scorers on small cases computed by hand (no model, no data files)."""

from __future__ import annotations

import pytest

from kg.evaluate.gold import GoldDoc, GoldEvent, Mention
from kg.evaluate.scoring import Score, align, b_cubed, majority, muc, pairs
from kg.evaluate.systems import Output, PredEvent
from kg.evaluate.tasks import norm_title, score_system, sentence_at


def approx(x: float | None) -> object:
    return pytest.approx(x, abs=1e-9)


# --- precision / recall / F1 --------------------------------------------------------------------


def test_counts_give_precision_recall_f1():
    # 2 right of 4 predicted, 5 gold: P = 2/4 = .5, R = 2/5 = .4, F1 = 2*.5*.4/(.5+.4) = .4/.9
    s = Score.counts(2, 4, 5)
    assert (s.precision, s.recall) == (0.5, 0.4)
    assert s.f1 == approx(0.4 / 0.9)


def test_scores_add_up_micro_averaged():
    # doc 1: 1 of 1 right, 2 gold; doc 2: 0 of 3 right, 2 gold -> P = 1/4, R = 1/4 (not the mean
    # of the per-document precisions 1.0 and 0.0)
    s = Score.counts(1, 1, 2) + Score.counts(0, 3, 2)
    assert (s.precision, s.recall, s.f1) == (0.25, 0.25, 0.25)


@pytest.mark.parametrize(("score", "precision", "recall", "f1"), [
    (Score.counts(0, 0, 3), None, 0.0, 0.0),  # nothing predicted, something to find: F1 0
    (Score.counts(0, 0, 0), None, None, None),  # nothing either way: undefined, not 100%
    (Score.counts(0, 2, 0), 0.0, None, None),
    (Score.counts(0, 2, 3), 0.0, 0.0, 0.0),
    (Score(0, 0, 3, 4), None, 0.75, None),  # a recall-only row (linking coverage)
])
def test_undefined_scores_are_none(score, precision, recall, f1):
    assert (score.precision, score.recall, score.f1) == (precision, recall, f1)


def test_pairs_compare_sets():
    # gold {ab, ac, bd}, predicted {ab, bd, xy, xy}: 2 right of 3 distinct predicted, of 3 gold
    s = pairs({("a", "b"), ("a", "c"), ("b", "d")}, [("a", "b"), ("b", "d"), ("x", "y"), ("x", "y")])
    assert (s.p_num, s.p_den, s.r_den) == (2, 3, 3)


# --- span alignment ----------------------------------------------------------------------------


def test_align_prefers_exact_then_larger_overlap_one_to_one():
    gold = [(0, 10), (12, 20)]
    # (0, 4) and (0, 10) both overlap gold (0, 10): the exact one wins, (0, 4) stays unmatched;
    # (15, 25) overlaps (12, 20) by 5
    assert align([(0, 4), (0, 10), (15, 25)], gold) == {1: 0, 2: 1}
    # larger overlap wins among partial matches: (5, 14) overlaps (0,10) by 5 and (12,20) by 2
    assert align([(5, 14), (8, 19)], gold) == {0: 0, 1: 1}
    assert align([(10, 12)], gold) == {}  # touching is not overlapping


def test_align_respects_compatibility():
    types_p, types_g = ["person", "place"], ["place", "person"]
    got = align([(0, 5), (0, 5)], [(0, 5), (0, 5)], lambda i, j: types_p[i] == types_g[j])
    assert got == {0: 1, 1: 0}


def test_majority_keeps_first_on_a_tie():
    assert majority(["b", "a", "a", "b"]) == "b"
    assert majority(["b", "a", "a"]) == "a"
    assert majority([]) is None


# --- coreference -------------------------------------------------------------------------------

# Pradhan et al. (2014), "Scoring coreference partitions of predicted mentions", fig. 1:
# key {a b c} {d e f g}; response {a b} {c d} {f g h i}
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESPONSE = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_on_the_reference_example():
    # recall: {abc} is cut into {ab}{c} -> 3-2 = 1; {defg} into {d}{e}{fg} (e unmatched) -> 4-3 = 1;
    #   denominator (3-1)+(4-1) = 5 -> R = 2/5
    # precision: {ab} -> 2-1 = 1; {cd} -> {c}{d} -> 0; {fghi} -> {fg}{h}{i} -> 1; den 1+1+3 = 5 -> 2/5
    s = muc(KEY, RESPONSE)
    assert (s.r_num, s.r_den, s.p_num, s.p_den) == (2, 5, 2, 5)
    assert s.f1 == approx(0.4)


def test_b_cubed_on_the_reference_example():
    # recall: {abc}: |∩{ab}|²/3 + |∩{cd}|²/3 = 4/3 + 1/3 = 5/3; {defg}: 1/4 + 4/4 = 5/4;
    #   (5/3 + 5/4) / 7 key mentions = 35/84 = 0.41667
    # precision: {ab}: 4/2 = 2; {cd}: 1/2 + 1/2 = 1; {fghi}: 4/4 = 1 -> 4 / 8 response mentions = .5
    s = b_cubed(KEY, RESPONSE)
    assert s.recall == approx(35 / 84)
    assert s.precision == approx(0.5)
    assert s.f1 == approx(2 * 0.5 * (35 / 84) / (0.5 + 35 / 84))


def test_split_and_merge_by_hand():
    # key {abcd}, response {ab}{cd}: MUC R = (4-2)/3 = 2/3, P = (1+1)/(1+1) = 1
    s = muc([{"a", "b", "c", "d"}], [{"a", "b"}, {"c", "d"}])
    assert (s.recall, s.precision) == (approx(2 / 3), 1.0)
    # B3: recall each mention 2/4 -> .5; precision each mention 2/2 -> 1
    s = b_cubed([{"a", "b", "c", "d"}], [{"a", "b"}, {"c", "d"}])
    assert (s.recall, s.precision) == (0.5, 1.0)
    # merge: key {ab}{cd}, response {abcd}: MUC R = 1, P = (4-2)/3 = 2/3; B3 R = 1, P = .5
    s = muc([{"a", "b"}, {"c", "d"}], [{"a", "b", "c", "d"}])
    assert (s.recall, s.precision) == (1.0, approx(2 / 3))
    s = b_cubed([{"a", "b"}, {"c", "d"}], [{"a", "b", "c", "d"}])
    assert (s.recall, s.precision) == (1.0, 0.5)


def test_singletons_count_in_b_cubed_not_in_muc():
    s = muc([{"a"}, {"b"}], [{"a"}, {"b"}])
    assert (s.r_den, s.p_den) == (0, 0)  # MUC says nothing about singletons
    assert b_cubed([{"a"}, {"b"}], [{"a"}, {"b"}]).f1 == 1.0


# --- helpers -----------------------------------------------------------------------------------


def test_titles_compare_case_accent_and_underscore_blind():
    assert norm_title("René_Préval") == norm_title("rene preval")
    assert norm_title("Washington,_D.C.") != norm_title("Washington")


def test_sentence_at_keeps_abbreviations_inside():
    text = "First one. The agent warned U.S. authorities of attacks.\nNext line"
    assert sentence_at(text, text.index("U.S."), text.index("U.S.") + 4) == \
        "The agent warned U.S. authorities of attacks."
    assert sentence_at(text, text.index("Next")) == "Next line"


# --- a whole document scored by hand ------------------------------------------------------------

TEXT = "Angela Merkel met German officials in Berlin. Merkel leads the CDU."
#       0      7     14  18     25        35 38      45 47     54    60 64


def at(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def gold_doc() -> GoldDoc:
    doc = GoldDoc("d1", TEXT)
    doc.mentions = [
        Mention(*at("Angela Merkel"), "person", "merkel", "Angela Merkel"),
        Mention(*at("German"), None, "german", "German"),  # a demonym: not scored
        Mention(*at("Berlin"), "place", "berlin", "Berlin"),
        Mention(*at("Merkel", 1), "person", "merkel", "Merkel"),
        Mention(*at("CDU"), "organisation", "cdu", "CDU"),
    ]
    doc.types = {"merkel": "person", "german": None, "berlin": "place", "cdu": "organisation", "germany": "place"}
    doc.names = {"merkel": "Angela Merkel", "berlin": "Berlin", "cdu": "CDU", "germany": "Germany"}
    doc.links = {"merkel": "Angela_Merkel", "berlin": "Berlin", "cdu": "Christian_Democratic_Union_of_Germany"}
    doc.redirect = {"german": "germany"}
    doc.relations = {"head-of": {("merkel", "cdu")}, "affiliation": {("merkel", "cdu"), ("merkel", "germany")}}
    return doc


def output() -> Output:
    out = Output()
    out.mentions = [
        Mention(*at("Merkel"), "person", "e1", "Merkel"),  # partial: overlap, not exact
        Mention(*at("German officials"), "group", "e2", "German officials"),  # unscored in DWIE
        Mention(*at("Berlin"), "person", "e3", "Berlin"),  # wrong type
        Mention(*at("Merkel", 1), "person", "e4", "Merkel"),  # exact, but a split entity
        Mention(*at("CDU"), "organisation", "e5", "CDU"),
    ]
    out.types = {"e1": "person", "e2": "group", "e3": "person", "e4": "person", "e5": "organisation",
                 "e6": "organisation"}
    out.names = {"e1": "Merkel", "e5": "CDU", "e6": "Government"}
    out.links = {"e5": "Christian Democratic Union of Germany", "e3": "Berlin, Connecticut"}
    out.proxies = {"e6": "e7"}  # an implied organisation whose proxy is not in the document
    out.relations = {"head-of": {("e4", "e5"): at("Merkel leads the CDU"), ("e2", "e5"): None},
                     "affiliation": {("e4", "e5"): None, ("e1", "e6"): at("Angela Merkel")}}
    return out


def test_a_document_scored_by_hand():
    got = score_system("dwie", [gold_doc()], [output()]).scores

    def s(task: str, metric: str) -> tuple:
        x = got[(task, metric)]
        return x.p_num, x.p_den, x.r_num, x.r_den

    # gold scored mentions: Angela Merkel, Berlin, Merkel, CDU (4); predicted: Merkel, Berlin,
    # Merkel, CDU (4; the group is not scored in DWIE). Exact and typed: Merkel#2, CDU -> 2.
    assert s("entities", "mentions exact all") == (2, 4, 2, 4)
    # overlap and typed: + "Merkel" inside "Angela Merkel" -> 3 (Berlin has the wrong type)
    assert s("entities", "mentions overlap all") == (3, 4, 3, 4)
    assert s("entities", "mentions overlap, any type") == (4, 4, 4, 4)
    assert s("entities", "mentions overlap person") == (2, 3, 2, 2)
    assert s("entities", "mentions exact place") == (0, 0, 0, 1)
    # entities: gold merkel, berlin, cdu; predicted e1, e3, e4, e5. e1 and e4 both stand for
    # merkel: only one counts; e3 is a person for a place: wrong -> 2 of 4 predicted, 2 of 3 gold
    assert s("entities", "entities (clusters) all") == (2, 4, 2, 3)
    # coreference: key {AM, M2} {Berlin} {CDU}; response {AM}{M2} (split) {Berlin} {CDU}
    # MUC: R = (2-2)/1 = 0; P: no response cluster has 2 mentions -> 0/0
    assert s("coreference", "MUC") == (0, 0, 0, 1)
    # B3 recall: {AM,M2}: 1/2 + 1/2 = 1, Berlin 1, CDU 1 -> 3/4; precision: 4 singletons each 1 -> 4/4
    assert s("coreference", "B-cubed") == (4, 4, 3, 4)
    # relations: head-of (e4 -> e5) = (merkel, cdu) right; the group's claim is out of scope
    assert s("relations", "head-of") == (1, 1, 1, 1)
    # affiliation: (merkel, cdu) right; (merkel, ?e6) is a false positive; (merkel, germany) missed
    assert s("relations", "affiliation") == (1, 2, 1, 2)
    # linking: gold linked merkel, berlin, cdu. merkel: found (e1), no link; berlin: found only
    # as a person (e3) -> a wrong link; cdu: right -> 1 right of 2 linked, of 3
    assert s("linking", "accuracy (P) / correct share of gold (R)") == (1, 2, 1, 3)
    assert s("linking", "coverage: gold entities linked at all") == (0, 0, 2, 3)


def test_demonym_stands_for_its_country():
    gold, out = gold_doc(), output()
    out.mentions.append(Mention(*at("German"), "place", "e8", "German"))
    out.types["e8"] = "place"
    out.relations["affiliation"][("e4", "e8")] = None
    got = score_system("dwie", [gold], [out]).scores[("relations", "affiliation")]
    assert (got.p_num, got.p_den, got.r_num, got.r_den) == (2, 3, 2, 2)  # (merkel, germany) now found


def test_events_by_hand():
    text = "A bomb exploded in Kabul. The blast killed two men."
    gold = GoldDoc("w", text)
    g_bomb = (text.index("exploded"), text.index("exploded") + 8)
    g_kill = (text.index("killed"), text.index("killed") + 6)
    g_blast = (text.index("blast"), text.index("blast") + 5)
    gold.events = [
        GoldEvent(*g_bomb, "Conflict.Attack.DetonateExplode", "exploded", ()),
        GoldEvent(*g_blast, "Conflict.Attack.DetonateExplode", "blast", ()),
        GoldEvent(*g_kill, "Life.Die.Unspecified", "killed", ()),
        GoldEvent(0, 1, "Contact.Contact.Broadcast", "A", ()),  # not mapped: not scored
    ]
    out = Output()
    s1, s2 = (0, 25), (26, len(text))
    out.events = [
        PredEvent(*g_blast, frozenset({"RemoteExplosive"}), (), "blast", (s1, s2)),  # one incident
        PredEvent(*g_kill, frozenset({"Attack"}), (), "killed", (s2,)),  # wrong type for Life.Die
        PredEvent(0, 1, frozenset({"Agreement"}), (), "A", (s1,)),  # type not mapped: not scored
    ]
    got = score_system("wikievents", [gold], [out]).scores
    ident = got[("events", "trigger identification")]
    assert (ident.p_num, ident.p_den, ident.r_den) == (2, 2, 3)
    classified = got[("events", "trigger classification")]
    assert (classified.p_num, classified.p_den, classified.r_den) == (1, 2, 3)
    # incident level: the blast event covers "exploded" and "blast" (its sentences) -> 2 of 3
    # gold found; 1 of 2 predicted events covers a compatible gold event
    incident = got[("events", "event classification, incident level (sentence)")]
    assert (incident.p_num, incident.p_den, incident.r_num, incident.r_den) == (1, 2, 2, 3)
