"""The evaluation data readers on small hand-made files, offset mapping, errors, and one fast run
of ``run_eval`` per dataset on the real annotated data (skipped when ../shared/eval is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import KgError, UsageError
from kg.evaluate import DATASETS, default_data, format_report, report_json, run_eval
from kg.evaluate.__main__ import main
from kg.evaluate.gold import read_dwie, read_re3d, read_wikievents
from kg.evaluate.systems import OffsetMap


def write_lines(path: Path, records: list[dict], bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")


# --- DWIE --------------------------------------------------------------------------------------


def test_dwie_types_links_demonyms_and_relation_classes(tmp_path):
    text = "German Chancellor Merkel leads the CDU in Berlin."
    write_lines(tmp_path / "dev.jsonl", [{
        "id": "DW_1", "content": text,
        "mentions": [
            {"begin": 0, "end": 6, "text": "German", "concept": 0},
            {"begin": 18, "end": 24, "text": "Merkel", "concept": 1},
            {"begin": 35, "end": 38, "text": "CDU", "concept": 2},
            {"begin": 42, "end": 48, "text": "Berlin", "concept": 3},
        ],
        "concepts": [
            {"concept": 0, "text": "German", "tags": ["type::gpe0-x", "type::other"]},
            {"concept": 1, "text": "Merkel", "link": "Angela_Merkel",
             "tags": ["type::entity", "type::head_of_gov", "type::person"]},
            {"concept": 2, "text": "CDU", "link": "wikidata:Q49762", "tags": ["type::organization", "type::party"]},
            {"concept": 3, "text": "Berlin", "link": "?", "tags": ["type::gpe", "type::gpe2", "type::location"]},
            {"concept": 4, "link": "Germany", "tags": []},  # mentioned only through "German"
        ],
        "relations": [
            {"s": 0, "p": "gpe0", "o": 4},
            {"s": 1, "p": "head_of_gov", "o": 4},
            {"s": 1, "p": "head_of_gov-x", "o": 0},
            {"s": 1, "p": "member_of", "o": 2},
            {"s": 3, "p": "in0", "o": 4},
            {"s": 1, "p": "citizen_of", "o": 4},
        ],
    }])
    [doc] = read_dwie(tmp_path)
    assert [(m.text, m.type) for m in doc.mentions] == [
        ("German", None), ("Merkel", "person"), ("CDU", "organisation"), ("Berlin", "place")]
    assert doc.links == {"1": "Angela_Merkel", "4": "Germany"}  # no "?" and no wikidata ids
    assert doc.redirect == {"0": "4"}
    assert doc.relations["head-of"] == {("1", "4")}
    assert doc.relations["membership"] == {("1", "2")}
    assert doc.relations["affiliation"] == {("1", "4"), ("1", "2")}
    assert doc.relations["located-in"] == {("3", "4")}
    assert doc.relations["based-in"] == set()


# --- re3d --------------------------------------------------------------------------------------


def re3d_entity(doc: str, text: str, value: str, kind: str, confidence: float = 1, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return {"_id": f"{doc}-{start}-{kind}", "documentId": doc, "begin": start, "end": start + len(value),
            "type": kind, "value": value, "confidence": confidence}


def test_re3d_confidence_types_clusters_and_relations(tmp_path):
    text = ("Foreign Secretary Philip Hammond said Syria must act. Philip Hammond leads the Foreign Office. "
            "We agree, said the FCO. Syria hope.")
    d = "DOC1"
    write_lines(tmp_path / "Src" / "documents.json", [{"_id": d, "title": "t", "text": text}], bom=True)
    ents = [
        re3d_entity(d, text, "Foreign Secretary Philip Hammond", "Person"),
        re3d_entity(d, text, "Syria", "Location", 0),  # unrated ...
        re3d_entity(d, text, "Syria", "Organisation", 0.97),  # ... the better-rated type wins
        re3d_entity(d, text, "Philip Hammond", "Person", 0, nth=1),  # unrated: kept
        re3d_entity(d, text, "Foreign Office", "Organisation"),
        re3d_entity(d, text, "We", "Organisation"),  # a pronoun: kept for mapping, not scored
        re3d_entity(d, text, "FCO", "Organisation"),
        re3d_entity(d, text, "Syria", "Location", 0.2, nth=1),  # rejected by the crowd: dropped
        re3d_entity(d, text, "hope", "Person", 0.3),  # dropped
    ]
    write_lines(tmp_path / "Src" / "entities.json", ents, bom=True)
    span = {e["value"] + str(e["begin"]): (e["begin"], e["end"]) for e in ents}
    fo, fco = span["Foreign Office" + str(text.index("Foreign Office"))], span["FCO" + str(text.index("FCO"))]
    ph = span["Philip Hammond" + str(text.index("Philip Hammond", 40))]
    write_lines(tmp_path / "Src" / "relations.json", [
        {"type": "IsSynonymOf", "sourceBegin": fo[0], "sourceEnd": fo[1], "targetBegin": fco[0],
         "targetEnd": fco[1], "documentId": d, "confidence": 1},
        {"type": "InChargeOf", "sourceBegin": ph[0], "sourceEnd": ph[1], "targetBegin": fo[0],
         "targetEnd": fo[1], "documentId": d, "confidence": 1},
        {"type": "BelongsTo", "sourceBegin": ph[0], "sourceEnd": ph[1], "targetBegin": fo[0],
         "targetEnd": fo[1], "documentId": d, "confidence": 0.3},  # rejected
    ], bom=True)
    [doc] = read_re3d(tmp_path)
    got = {(m.text, m.type) for m in doc.mentions}
    assert got == {("Foreign Secretary Philip Hammond", "person"), ("Syria", "organisation"),
                   ("Philip Hammond", "person"), ("Foreign Office", "organisation"), ("We", None),
                   ("FCO", "organisation")}
    cluster = {m.text: m.cluster for m in doc.mentions}
    assert cluster["Foreign Secretary Philip Hammond"] == cluster["Philip Hammond"]  # a title before a name
    assert cluster["Foreign Office"] == cluster["FCO"]  # IsSynonymOf
    assert len(set(cluster.values())) == 4
    assert doc.relations["head-of"] == {(cluster["Philip Hammond"], cluster["FCO"])}
    assert doc.relations["membership"] == set()


# --- WikiEvents --------------------------------------------------------------------------------


def test_wikievents_text_triggers_heads_and_coref(tmp_path):
    # two sentences, tokens with offsets; the file's text would lack the gap between them
    s1 = [["A", 0, 1], ["local", 2, 7], ["commander", 8, 17], ["was", 18, 21], ["killed", 22, 28], [".", 28, 29]]
    s2 = [["He", 30, 32], ["died", 33, 37], ["in", 38, 40], ["Aleppo", 41, 47]]
    tokens = [t[0] for t in s1 + s2]
    write_lines(tmp_path / "dev.jsonl", [{
        "doc_id": "w1", "tokens": tokens, "text": "ignored",
        "sentences": [[s1, "A local commander was killed."], [s2, "He died in Aleppo"]],
        "entity_mentions": [
            {"id": "T1", "start": 0, "end": 3, "text": "A local commander"},
            {"id": "T2", "start": 6, "end": 7, "text": "He"},
            {"id": "T3", "start": 9, "end": 10, "text": "Aleppo"},
        ],
        "event_mentions": [
            {"id": "E1", "event_type": "Life.Die.Unspecified", "trigger": {"start": 4, "end": 5},
             "arguments": [{"entity_id": "T1", "role": "Victim", "text": "A local commander"}]},
            {"id": "E2", "event_type": "Life.Die.Unspecified", "trigger": {"start": 7, "end": 8},
             "arguments": [{"entity_id": "T2", "role": "Victim", "text": "He"},
                           {"entity_id": "T3", "role": "Place", "text": "Aleppo"},
                           {"entity_id": "T3", "role": "MedicalIssue", "text": "Aleppo"}]},  # unmapped role
        ],
    }])
    write_lines(tmp_path / "coref" / "dev.jsonlines", [{"doc_key": "w1", "clusters": [["T1", "T2"]]}])
    [doc] = read_wikievents(tmp_path)
    assert doc.text == "A local commander was killed.\nHe died in Aleppo"
    e1, e2 = doc.events
    assert doc.text[e1.start:e1.end] == "killed" and doc.text[e2.start:e2.end] == "died"
    [victim] = e1.args
    assert doc.text[slice(*victim.head)] == "commander"  # the last token of the argument
    assert [doc.text[slice(*h)] for h in victim.coref_heads] == ["commander", "He"]
    assert [(a.role, doc.text[slice(*a.head)]) for a in e2.args] == [("victim", "He"), ("place", "Aleppo")]


# --- offsets, errors -----------------------------------------------------------------------------


def test_offset_map_undoes_whitespace_changes():
    raw = "Title  here\n\nBody  text with   Kabul."
    derived = "Title here\n\nBody text with Kabul."
    amap = OffsetMap(raw, derived)
    k = derived.index("Kabul")
    start, end = amap.span(k, k + 5)
    assert raw[start:end] == "Kabul"
    assert OffsetMap(raw, raw).span(3, 7) == (3, 7)
    assert OffsetMap("abc", "xyz").span(0, 3) is None  # nothing of it survives in the raw text


def test_missing_data_folder_names_the_path_and_the_option(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(KgError) as info:
        run_eval("dwie", missing)
    message = str(info.value)
    assert str(missing) in message and "--data" in message and "\n" not in message


def test_unknown_dataset_and_bad_limit_are_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        run_eval("conll", tmp_path)
    with pytest.raises(UsageError):
        run_eval("dwie", tmp_path, limit=0)


def test_folder_without_the_data_file_is_a_one_line_error(tmp_path):
    with pytest.raises(KgError, match="dev.jsonl.*--data"):
        run_eval("wikievents", tmp_path)


def test_default_data_is_next_to_the_repository():
    repo = Path(__file__).resolve().parent.parent
    assert default_data("re3d") == repo.parent / "shared" / "eval" / "re3d"


# --- the real data (fast: two documents each) ----------------------------------------------------

EXPECTED_TASKS = {"dwie": {"entities", "relations", "coreference", "linking"},
                  "re3d": {"entities", "relations"}, "wikievents": {"events"},
                  "newsclaims": {"entities", "claims", "claims by kind", "events", "event arguments", "article"}}


@pytest.mark.slow
@pytest.mark.parametrize("dataset", DATASETS)
def test_run_eval_on_real_data(dataset):
    folder = default_data(dataset)
    if not folder.is_dir():
        pytest.skip(f"evaluation data not present at {folder} (it lives outside the repository)")
    calls: list[tuple[int, int]] = []
    report = run_eval(dataset, limit=2, errors=3, progress=lambda done, total: calls.append((done, total)))
    assert report.documents == 2
    assert calls[-1] == (4, 4) and len(calls) == 4  # two documents through kg, two through the baseline
    assert {r.task for r in report.rows} == EXPECTED_TASKS[dataset]
    for row in report.rows:
        assert row.baseline is not None, row
    first = report.rows[0]  # mentions exact / trigger identification: there is gold, kg predicts
    assert first.kg.r_den > 0 and first.kg.p_den > 0 and first.kg.p_num > 0
    assert first.baseline is not None and first.baseline.p_den > 0
    assert report.errors and all(len(items) <= 3 for kinds in report.errors.values() for items in kinds.values())
    assert any(items for kinds in report.errors.values() for items in kinds.values())
    text = format_report(report)
    assert "baseline" in text and first.metric in text
    data = json.loads(json.dumps(report_json(report)))
    assert data["documents"] == 2 and len(data["scores"]) == len(report.rows)


@pytest.mark.slow
def test_module_entry_point_writes_json(tmp_path, capsys):
    if not default_data("dwie").is_dir():
        pytest.skip(f"evaluation data not present at {default_data('dwie')}")
    out = tmp_path / "dwie.json"
    assert main(["dwie", "--limit", "1", "--json", str(out)]) == 0
    assert "entities  mentions exact all" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["dataset"] == "dwie"


def test_module_entry_point_reports_a_missing_folder(tmp_path, capsys):
    assert main(["re3d", "--data", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--data" in err
