"""The actor network: loading with filters, the self-contained page, analysis and Gephi export.

The page itself is driven in a real browser in test_browser.py; these tests check the data the
page is built from, on the two sample articles and on synthetic graphs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import networkx as nx
import pytest

import kg
from kg.actors import Filters, NetworkData, load

IMU = "Islamic Movement of Uzbekistan"
GROUP = "group of armed men"


def labels(g) -> set[str]:
    return {d["label"] for _, d in g.nodes(data=True)}


def edges(g, a: str, b: str) -> list[dict]:
    by_label = {d["label"]: n for n, d in g.nodes(data=True)}
    if a not in by_label or b not in by_label:
        return []
    return list((g.get_edge_data(by_label[a], by_label[b]) or {}).values())


def page_payload(html_text: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', html_text, re.S)
    assert m, "the page carries its data as JSON"
    return json.loads(m.group(1))


# --- loading --------------------------------------------------------------------------------------


def test_competing_claims_stay_apart_with_their_speakers(seed_store):
    g = load(seed_store).graph
    claims = edges(g, GROUP, IMU)
    by = {(d["modality"], d["speaker"]) for d in claims if d["relation"] == "memberOf"}
    assert ("alleged", "officials") in by and ("denied", "Kubatbek Baibolov") in by
    denied = next(d for d in claims if d["modality"] == "denied")
    assert any("There was no IMU here" in e.sentence for e in denied["evidence"])
    assert all(e.title == "Kyrgyz-Tajik Border Raid Stokes Fears" for e in denied["evidence"])


def test_nodes_have_types_kinds_and_aliases(seed_store):
    g = load(seed_store).graph
    data = {d["label"]: d for _, d in g.nodes(data=True)}
    assert data[IMU]["type"] == "organisation" and "IMU" in data[IMU]["aliases"]
    assert data["Odinahmad Malikov"]["type"] == "person"
    assert data["Batken Region"]["type"] == "place"
    assert data[GROUP]["type"] == "group"
    assert any(d["type"] == "event" and d["date"] for d in data.values())


def test_event_role_evidence_names_the_participant(seed_store):
    g = load(seed_store).graph
    victim = [d for u, v, d in g.edges(data=True) if d["relation"] == "victim"
              and g.nodes[v]["label"] == "Dilshod Rasulov"]
    assert victim and all("Rasulov" in e.sentence for e in victim[0]["evidence"])


@pytest.mark.parametrize("filters, check", [
    (Filters(types=("person",)), lambda g: {d["type"] for _, d in g.nodes(data=True)} == {"person"}),
    (Filters(modalities=("denied",)), lambda g: {d["modality"] for *_, d in g.edges(data=True)} == {"denied"}),
    (Filters(focus="imu", depth=1), lambda g: IMU in labels(g) and all(
        nx.shortest_path_length(nx.Graph(g), g.graph["focus"], n) <= 1 for n in g)),
    (Filters(since="2006-01-01"), lambda g: all(d["date"] >= "2006" for _, d in g.nodes(data=True) if d["type"] == "event")),
    (Filters(until="2005-12-31"), lambda g: all(d["date"] <= "2005-12-31" for _, d in g.nodes(data=True) if d["type"] == "event")),
    (Filters(articles=("002_de8208fc292a2474",)), lambda g: "Bolot Januzakov" in labels(g) and IMU not in labels(g)),
])
def test_filters(seed_store, filters, check):
    g = load(seed_store, filters).graph
    assert g.number_of_nodes() and check(g)


def test_query_filter_draws_what_the_query_returns(seed_store, tmp_path):
    q = tmp_path / "people.rq"
    q.write_text("SELECT ?p WHERE { ?p a foaf:Person ; rdfs:label ?l FILTER(CONTAINS(?l, 'Malikov')) }\n")
    g = load(seed_store, Filters(query_file=str(q))).graph
    assert labels(g) == {"Odinahmad Malikov"}


def test_bad_filters_are_user_errors(seed_store):
    with pytest.raises(kg.KgError, match="unknown node type"):
        load(seed_store, Filters(types=("planet",)))
    with pytest.raises(kg.KgError, match="not a date"):
        load(seed_store, Filters(since="yesterday"))
    with pytest.raises(kg.KgError, match="no person, group, place or event"):
        load(seed_store, Filters(focus="Nobody Atall"))


def test_max_nodes_keeps_the_most_connected_and_says_so(seed_store):
    full = load(seed_store).graph
    data = load(seed_store, Filters(max_nodes=10))
    assert data.graph.number_of_nodes() == 10 and data.dropped_nodes == full.number_of_nodes() - 10
    assert GROUP in labels(data.graph)  # the best connected node stays
    assert any("left out" in n and "--max-nodes" in n for n in data.notes)


# --- the page ----------------------------------------------------------------------------------------


def test_the_page_is_self_contained_and_written_in_place(seed_store_path, tmp_path):
    out = tmp_path / "net.html"
    r = subprocess.run([sys.executable, "-m", "kg", "viz", "-o", str(out), "--store", str(seed_store_path)],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", text, re.I)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", text)  # no fonts or images from a host
    assert "Content-Security-Policy" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.html"]  # no lib/ folder from pyvis
    payload = page_payload(text)
    assert {n["label"] for n in payload["nodes"]} >= {IMU, "Odinahmad Malikov"}
    assert {item["label"] for item in payload["legend"]} >= {"person", "organisation: armed group", "place", "event"}


def test_edges_are_styled_by_modality_and_width_by_sources(seed_store):
    from kg.viz import build_network

    net = build_network(load(seed_store))
    style = {e["kgModality"]: (e["dashes"], e["color"]["color"]) for e in net.edges}
    assert style["asserted"] == (False, "#777777")
    assert style["alleged"][0] is True
    assert style["denied"][1] == "#d62728"
    two_sources = [e for e in net.edges if e["from"].endswith("/kyrgyzstan") or e["to"].endswith("/kyrgyzstan")]
    assert all(e["width"] >= 1 for e in two_sources)
    # parallel edges between the same pair bend apart, so each claim stays visible
    pair = [e for e in net.edges if {e["from"], e["to"]} == {e2 for e2 in (net.edges[0]["from"], net.edges[0]["to"])}]
    assert len({json.dumps(e["smooth"], sort_keys=True) for e in pair}) == len(pair)


def test_hostile_names_are_data_never_markup(seed_store_copy, tmp_path):
    from kg.viz import render

    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    kg.update(seed_store_copy, f"""INSERT DATA {{ GRAPH <https://w3id.org/kg-news/id/graph/hostile> {{
        <https://w3id.org/kg-news/id/person/hostile> a foaf:Person ; rdfs:label {json.dumps(hostile)} .
        <https://w3id.org/kg-news/id/person/hostile> org:memberOf <https://w3id.org/kg-news/id/org/islamic-movement-of-uzbekistan> }} }}""")
    data = load(seed_store_copy, Filters(focus=hostile))
    text = render(data)
    assert hostile in labels(data.graph)
    assert "<img src=x" not in text and "<script>alert(2)" not in text
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in text
    assert any(n["label"] == hostile for n in page_payload(text)["nodes"])


def test_large_graphs_are_laid_out_here_without_pyvis_per_item_calls(monkeypatch):
    from pyvis.network import Network

    from kg.viz import build_network

    def refuse(*a, **k):
        raise AssertionError("pyvis add_node/add_edge scan all nodes per call (quadratic)")

    monkeypatch.setattr(Network, "add_node", refuse)
    monkeypatch.setattr(Network, "add_edge", refuse)
    g = nx.MultiDiGraph()
    base = nx.barabasi_albert_graph(5000, 2, seed=1)
    for n in base:
        g.add_node(str(n), label=f"actor {n}", type="person", articles={"a"}, aliases=set(), titles=set(),
                   posts=set(), kind=None, actor_type=None, date=None, fatalities=None)
    for u, v in base.edges:
        g.add_edge(str(u), str(v), relation="linkedTo", modality="asserted", speaker="x", evidence=[], articles={"a"})
    net = build_network(NetworkData(g))
    assert len(net.nodes) == 5000 and len(net.edges) == base.number_of_edges()
    assert net.options["physics"]["enabled"] is False  # positions come from Python, the page does not simulate
    assert all("x" in n and "y" in n for n in net.nodes)
    small = build_network(NetworkData(g.subgraph([str(i) for i in range(200)]).copy()))
    assert small.options["physics"]["stabilization"]["iterations"] <= 300  # capped, then frozen in the page


# --- analysis and export --------------------------------------------------------------------------------


def test_stats_rank_the_brokers(seed_store):
    s = kg.network_stats(seed_store, top=5)
    assert s.nodes > 50 and s.edges > 50
    assert s.central[0].label == GROUP
    assert IMU in [c.label for c in s.central]
    assert any(IMU in comm and "Abdurahim Khojaev" in comm for comm in s.communities)


def test_paths_give_every_hop_its_evidence(seed_store):
    (chain, *_) = kg.network_paths(seed_store, "Abdurahim Khojaev", "Taliban")
    assert [(h.source, h.relation, h.target) for h in chain] == [
        ("Abdurahim Khojaev", "memberOf", IMU), (IMU, "alliedWith", "Taliban")]
    assert chain[0].speaker == "Mirzo Murtazaev" and "member of the IMU" in chain[0].sentence
    assert "Taleban allies" in chain[1].sentence
    with pytest.raises(kg.KgError, match="no chain"):
        kg.network_paths(seed_store, "Odinahmad Malikov", "Bolot Januzakov")


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_export_keeps_types_and_modalities(seed_store, tmp_path, fmt, reader):
    out = tmp_path / f"net.{fmt}"
    kg.network_export(seed_store, fmt, out)
    g = reader(out)
    types = {d.get("type") for _, d in g.nodes(data=True)}
    assert {"person", "organisation", "group", "place", "event"} <= types
    modalities = {d.get("modality") for *_, d in g.edges(data=True)}
    assert {"asserted", "alleged", "denied"} <= modalities
    assert any(d.get("label") == IMU for _, d in g.nodes(data=True))


# --- the timeline ---------------------------------------------------------------------------------------


def test_timeline_events_have_dates_places_and_evidence(seed_store, tmp_path):
    from kg.timeline import load_events

    events = load_events(seed_store)
    assert events and all(e["begin"] and e["end"] >= e["begin"] for e in events)
    raid = [e for e in events if "Lakkon" in e["label"]]
    assert raid and raid[0]["begin"].startswith("2006-05") and raid[0]["evidence"]
    assert any(e["place"] and e["fatalities"] for e in events)
    assert all(e["end"] >= "2006-01-01" for e in load_events(seed_store, Filters(since="2006")))
    out = tmp_path / "timeline.html"
    kg.visualize(seed_store, out, timeline=True)
    text = out.read_text(encoding="utf-8")
    assert "Lakkon" in text and not re.search(r"""(src|href)\s*=\s*["']?https?://""", text)


def test_cli_viz_options(seed_store_path, tmp_path):
    out = tmp_path / "focus.html"
    r = subprocess.run([sys.executable, "-m", "kg", "viz", "-o", str(out), "--store", str(seed_store_path),
                        "--focus", "IMU", "--depth", "1", "--modality", "asserted", "--modality", "denied"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    payload = page_payload(out.read_text(encoding="utf-8"))
    assert {e["kgModality"] for e in payload["edges"]} <= {"asserted", "denied"}
    assert payload["panel"]["focus"].endswith("/islamic-movement-of-uzbekistan")

