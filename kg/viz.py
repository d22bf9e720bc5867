"""The actor network (and the event timeline) as one self-contained HTML file.

pyvis holds the nodes, edges and options; the page is written here, with vis-network (shipped
inside the pyvis package) and every asset inlined: the file makes no request to any host and
opens by double-click. All article text and names go into the page as JSON data and are put on
screen with ``textContent`` only, so no name or sentence can run as HTML or script.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

from kg.actors import Filters, NetworkData, load

TYPE_STYLE = {
    # type: (shape drawn in the icon, colour)
    "person": ("circle", "#3b6fb6"),
    "organisation": ("square", "#7a4fb0"),
    "group": ("triangle", "#c0612b"),
    "place": ("diamond", "#2e8b57"),
    "event": ("star", "#c9302c"),
}
ORG_KIND_COLOUR = {
    "armed group": "#b22222", "criminal group": "#8b0000", "movement": "#cc5500",
    "government": "#1f4e79", "military": "#556b2f", "police": "#2f4f4f", "intelligence": "#483d8b",
    "media": "#008b8b", "party": "#b8860b", "intergovernmental": "#4682b4", "ngo": "#2e8b57",
    "company": "#696969",
}
ORG_KIND_GROUPS = {  # legend entries: kind -> shown as
    "armed group": "armed group", "criminal group": "armed group", "movement": "armed group",
    "government": "government", "military": "military / police", "police": "military / police",
    "intelligence": "military / police", "media": "media", "party": "party",
    "intergovernmental": "government", "ngo": "organisation", "company": "organisation",
}
RELATION_LABELS = {
    "memberOf": "member of", "headOf": "head of", "formerMemberOf": "former member of",
    "linkedTo": "linked to", "alliedWith": "allied with", "subOrganizationOf": "part of",
    "relativeOf": "relative of", "basedIn": "based in", "responsibleFor": "responsible for",
    "perpetrator": "carried out", "victim": "victim", "target": "target", "detainee": "detained",
    "hasActor": "took part", "hasPlace": "took place in",
}
PICTOGRAM = {
    "person": '<circle cx="32" cy="24" r="8" fill="#fff"/><path d="M18 46c0-9 6-14 14-14s14 5 14 14z" fill="#fff"/>',
    "organisation": '<path d="M20 46V22l12-6 12 6v24z" fill="#fff"/><path d="M25 28h4v4h-4zM35 28h4v4h-4zM25 36h4v4h-4zM35 36h4v4h-4z" fill="{c}"/>',
    "group": '<circle cx="24" cy="30" r="5" fill="#fff"/><circle cx="40" cy="30" r="5" fill="#fff"/><circle cx="32" cy="25" r="6" fill="#fff"/><path d="M16 46c0-7 5-10 16-10s16 3 16 10z" fill="#fff"/>',
    "place": '<path d="M32 16c-7 0-12 5-12 12 0 9 12 20 12 20s12-11 12-20c0-7-5-12-12-12z" fill="#fff"/><circle cx="32" cy="28" r="4" fill="{c}"/>',
    "event": '<path d="M35 14L22 36h9l-3 16 14-24h-9z" fill="#fff"/>',
}
SHAPES = {
    "circle": '<circle cx="32" cy="32" r="30" fill="{c}"/>',
    "square": '<rect x="3" y="3" width="58" height="58" rx="8" fill="{c}"/>',
    "triangle": '<path d="M32 2L62 60H2z" fill="{c}"/>',
    "diamond": '<path d="M32 1L63 32L32 63L1 32z" fill="{c}"/>',
    "star": '<path d="M32 1l9 20 22 2-17 15 5 22-19-11-19 11 5-22L1 23l22-2z" fill="{c}"/>',
}


def icon(ntype: str, colour: str) -> str:
    """A node icon as an SVG data URI: the type's shape in the kind's colour with a pictogram."""
    import base64

    shape, _ = TYPE_STYLE[ntype]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
           + SHAPES[shape].format(c=colour) + PICTOGRAM[ntype].format(c=colour) + "</svg>")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def node_colour(data: dict[str, Any]) -> str:
    if data["type"] == "organisation":
        return ORG_KIND_COLOUR.get(data.get("kind") or "", TYPE_STYLE["organisation"][1])
    return TYPE_STYLE[data["type"]][1]


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js.replace("</script", "<\\/script"), css.replace("</style", "<\\/style")


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside <script type="application/json">: no "</", no HTML comment
    openers, no line separators that JavaScript treats as newlines."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def build_network(data: NetworkData, *, physics_limit: int = 800) -> Any:
    """A pyvis Network of the graph. Nodes and edges are appended directly (pyvis's own
    add_node/add_edge scan every node per call, which is quadratic)."""
    from pyvis.network import Network

    g = data.graph
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    positions = layout(g) if g.number_of_nodes() > physics_limit else {}
    max_articles = max([len(d["articles"]) for _, d in g.nodes(data=True)] + [1])
    degree = dict(g.degree())
    max_weight = max_articles + 0.5 * max(list(degree.values()) + [1])  # once: per node it is quadratic
    for n, d in g.nodes(data=True):
        colour = node_colour(d)
        weight = max(len(d["articles"]), 1) + 0.5 * degree[n]
        size = 14 + 16 * math.sqrt(weight / max_weight)
        node = {"id": n, "label": d["label"], "shape": "image", "image": icon(d["type"], colour),
                "size": round(size, 1), "kgType": d["type"], "font": {"size": 15}}
        if n in positions:
            node["x"], node["y"] = positions[n]
            node["physics"] = False
        net.nodes.append(node)
        net.node_ids.append(n)
        net.node_map[n] = node
    pair_count: dict[tuple[str, str], int] = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        pair = (u, v) if u < v else (v, u)
        i = pair_count.get(pair, 0)
        pair_count[pair] = i + 1
        sources = max(len(d["articles"]), 1)
        edge = {
            "id": f"{u}|{v}|{k}", "from": u, "to": v, "arrows": "to",
            "label": RELATION_LABELS.get(d["relation"], d["relation"]),
            "dashes": d["modality"] in ("alleged", "speculated"),
            "color": {"color": "#d62728" if d["modality"] == "denied" else "#777777", "highlight": "#111111"},
            "width": round(1 + 1.5 * math.log2(1 + sources), 2),
            "smooth": {"type": "curvedCW" if i % 2 == 0 else "curvedCCW", "roundness": 0.12 + 0.12 * (i // 2)},
            "font": {"size": 10, "align": "middle"}, "kgModality": d["modality"],
        }
        net.edges.append(edge)
    options = {
        # forceAtlas2 with some central gravity keeps loose nodes near the rest, so the page
        # opens at a zoom where labels are readable (barnesHut at -6000 spread the sample
        # network so far that vis hid every label); a fixed seed gives the same picture each time
        "physics": {"enabled": not positions, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.02, "springLength": 90,
                                         "springConstant": 0.08, "avoidOverlap": 0.6},
                    "stabilization": {"enabled": True, "iterations": 300 if g.number_of_nodes() < 300 else 120,
                                      "updateInterval": 50}},
        "layout": {"randomSeed": 7, "improvedLayout": g.number_of_nodes() <= 200},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "hideEdgesOnDrag": g.number_of_edges() > 2000},
        "edges": {"font": {"size": 10}},
        "nodes": {"font": {"face": "sans-serif", "strokeWidth": 2, "strokeColor": "#ffffff"}},
    }
    net.options = options
    return net


def layout(g: Any) -> dict[str, tuple[float, float]]:
    """Positions for large graphs, computed here so the browser does not run physics: each
    community gets a place on a spiral, its members a small spring layout around it. Linear in
    the number of edges apart from the per-community layouts."""
    import networkx as nx

    und = nx.Graph(g)
    try:
        communities = nx.community.louvain_communities(und, seed=7) if und.number_of_edges() else [set(und)]
    except Exception:  # noqa: BLE001 - fall back to one community
        communities = [set(und)]
    # the same picture on every run: communities and their members in the graph's own order
    # (set order changes with Python's string hashing, and spring_layout follows node order)
    order = {n: i for i, n in enumerate(und)}
    communities = sorted((sorted(c, key=order.__getitem__) for c in communities), key=lambda c: (-len(c), order[c[0]]))
    pos: dict[str, tuple[float, float]] = {}
    angle, area = 0.0, 0.0
    for comm in communities:
        sub = nx.Graph()
        sub.add_nodes_from(comm)
        sub.add_edges_from(und.subgraph(comm).edges)
        r = 40 * math.sqrt(len(comm))
        if len(comm) <= 300:
            inner = nx.spring_layout(sub, seed=7, iterations=40, scale=r)
        else:
            inner = nx.circular_layout(sub, scale=r)
        # a sunflower spiral: the distance from the centre grows with the square root of the
        # area already used, so hundreds of small communities stay a compact disc
        radius = math.sqrt(area / math.pi) + r if area else 0.0
        angle += 2.39996
        cx, cy = radius * math.cos(angle), radius * math.sin(angle)
        for n, (x, y) in inner.items():
            pos[n] = (round(cx + float(x), 1), round(cy + float(y), 1))
        area += math.pi * (r + 40) ** 2
    return pos


def page_data(data: NetworkData) -> dict[str, Any]:
    """Everything the side panel shows, keyed by node and edge id."""
    g = data.graph
    nodes = {}
    for n, d in g.nodes(data=True):
        nodes[n] = {
            "label": d["label"], "type": d["type"], "kind": d.get("kind") or "",
            "actorType": d.get("actor_type") or "", "aliases": sorted(d["aliases"]),
            "titles": sorted(d["titles"]), "posts": sorted(d["posts"]), "articles": len(d["articles"]),
            "date": d.get("date") or "", "fatalities": d.get("fatalities"),
            "evidence": [e.__dict__ for e in d.get("evidence", [])][:20],
        }
    edges = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        edges[f"{u}|{v}|{k}"] = {
            "relation": RELATION_LABELS.get(d["relation"], d["relation"]), "modality": d["modality"],
            "speaker": d["speaker"], "sources": len(d["articles"]),
            "from": g.nodes[u]["label"], "to": g.nodes[v]["label"],
            "evidence": [e.__dict__ for e in d["evidence"]][:20],
        }
    return {"nodes": nodes, "edges": edges, "notes": data.notes, "focus": g.graph.get("focus")}


def legend() -> list[dict[str, str]]:
    items = [{"label": "person", "icon": icon("person", TYPE_STYLE["person"][1])}]
    shown = {}
    for kind, group in ORG_KIND_GROUPS.items():
        shown.setdefault(group, ORG_KIND_COLOUR[kind])
    for group, colour in shown.items():
        items.append({"label": f"organisation: {group}", "icon": icon("organisation", colour)})
    for t in ("group", "place", "event"):
        items.append({"label": {"group": "unnamed group"}.get(t, t), "icon": icon(t, TYPE_STYLE[t][1])})
    return items


def render(data: NetworkData, title: str = "kg actor network") -> str:
    net = build_network(data)
    js, css = _vis_assets()
    payload = {
        "nodes": net.nodes, "edges": net.edges, "options": net.options,
        "panel": page_data(data), "legend": legend(),
    }
    return (_TEMPLATE.replace("__TITLE__", html.escape(title))
            .replace("__VIS_CSS__", css)
            .replace("__DATA__", _json_for_script(payload))
            .replace("__VIS_JS__", js)
            .replace("__APP_JS__", _APP_JS))


def write(store: Any, output: str | Path, filters: Filters | None = None, title: str = "kg actor network") -> NetworkData:
    data = load(store, filters)
    text = render(data, title)
    _write_atomic(Path(output), text)
    return data


def _write_atomic(path: Path, text: str) -> None:
    import os

    from kg.errors import OutputError

    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    try:
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the page ({exc.strerror})") from exc


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__VIS_CSS__</style>
<style>
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; color: #222; }
body { display: flex; flex-direction: column; }
#bar { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; }
#bar h1 { font-size: 15px; margin: 0 8px 0 0; }
#bar label { white-space: nowrap; }
#main { display: flex; flex: 1; min-height: 0; }
#net { flex: 1; min-width: 0; }
#panel { width: 380px; overflow-y: auto; border-left: 1px solid #ddd; padding: 10px 14px; background: #fff; }
#panel h2 { font-size: 16px; margin: 4px 0; }
#panel .meta { color: #555; margin-bottom: 8px; }
#panel .ev { border-left: 3px solid #999; padding: 4px 8px; margin: 6px 0; background: #f7f7f7; }
#panel .ev .src { color: #666; font-size: 12px; margin-top: 3px; }
#panel .link { font-weight: 600; margin-top: 12px; cursor: pointer; border-left: 3px solid #777; padding-left: 6px; }
#panel .link.denied { border-left-color: #d62728; } #panel .link.alleged, #panel .link.speculated { border-left-style: dashed; }
#panel .link + .meta { margin: 2px 0 0 9px; font-size: 12px; }
#legend { display: flex; flex-wrap: wrap; gap: 10px; padding: 4px 10px; border-bottom: 1px solid #eee; font-size: 12px; }
#legend img { width: 16px; height: 16px; vertical-align: middle; margin-right: 3px; }
#legend .edge { display: inline-block; width: 26px; border-top: 2px solid #777; vertical-align: middle; margin-right: 3px; }
#notes { color: #a33; font-size: 12px; }
#found { color: #555; font-size: 12px; margin-left: -6px; }
.dashed { border-top-style: dashed !important; } .red { border-top-color: #d62728 !important; }
</style>
</head>
<body>
<div id="bar">
  <h1>__TITLE__</h1>
  <input id="search" type="search" placeholder="find a name…" aria-label="find a name"><span id="found"></span>
  <span id="types"></span>
  <span id="modalities"></span>
  <span id="notes"></span>
</div>
<div id="legend"></div>
<div id="main"><div id="net"></div><div id="panel"><p>Click a node or an edge to see the sentences and sources behind it.</p></div></div>
<script id="kg-data" type="application/json">__DATA__</script>
<script>__VIS_JS__</script>
<script>__APP_JS__</script>
</body>
</html>
"""

_APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("net");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.kgNetwork = network;
  window.kgReady = false;
  function settled() { network.setOptions({physics: {enabled: false}}); window.kgReady = true; }
  if (DATA.options.physics && DATA.options.physics.enabled) {
    network.once("stabilizationIterationsDone", settled);
  } else { window.kgReady = true; }
  setTimeout(function () { if (!window.kgReady) { network.stopSimulation(); settled(); } }, 20000);

  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) { e.textContent = String(text); } if (cls) { e.className = cls; } return e; }
  var panel = document.getElementById("panel");
  function clear() { while (panel.firstChild) { panel.removeChild(panel.firstChild); } }
  function evidence(list) {
    if (!list || !list.length) { panel.appendChild(el("p", "No sentence recorded.")); return; }
    list.forEach(function (ev) {
      var box = el("div", null, "ev");
      box.appendChild(el("div", ev.sentence));
      var src = [ev.speaker ? "said by " + ev.speaker : "", ev.title, ev.date].filter(Boolean).join(" · ");
      box.appendChild(el("div", src, "src"));
      panel.appendChild(box);
    });
  }
  function list(title, items) {
    if (!items || !items.length) { return; }
    panel.appendChild(el("h3", title));
    var ul = el("ul");
    items.forEach(function (x) { ul.appendChild(el("li", x)); });
    panel.appendChild(ul);
  }
  function showNode(id) {
    var d = DATA.panel.nodes[id]; if (!d) { return; }
    clear();
    panel.appendChild(el("h2", d.label));
    var actor = (d.actorType || "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    var meta = [d.type, d.kind, actor, d.date, d.fatalities !== null && d.fatalities !== undefined ? d.fatalities + " killed" : "", d.articles + " article(s)"];
    panel.appendChild(el("div", meta.filter(Boolean).join(" · "), "meta"));
    list("Also called", d.aliases); list("Titles", d.titles); list("Posts", d.posts);
    if (d.evidence && d.evidence.length) { panel.appendChild(el("h3", "Sentences")); evidence(d.evidence); }
    var connected = network.getConnectedEdges(id);
    if (connected.length) {
      // every link with the sentences behind it: the claim, who makes it, and where
      panel.appendChild(el("h3", "Links"));
      connected.forEach(function (eid) {
        var e = DATA.panel.edges[eid]; if (!e) { return; }
        var line = el("div", e.from + " — " + e.relation + " → " + e.to, "link " + e.modality);
        line.title = "show this link alone"; line.onclick = function () { showEdge(eid); };
        panel.appendChild(line);
        panel.appendChild(el("div", e.modality + " · according to " + e.speaker, "meta"));
        evidence(e.evidence);
      });
    }
  }
  function showEdge(id) {
    var e = DATA.panel.edges[id]; if (!e) { return; }
    clear();
    panel.appendChild(el("h2", e.from + " — " + e.relation + " → " + e.to));
    panel.appendChild(el("div", e.modality + " · according to " + e.speaker + " · " + e.sources + " source(s)", "meta"));
    evidence(e.evidence);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  window.kgShowNode = showNode; window.kgShowEdge = showEdge;

  // legend
  var leg = document.getElementById("legend");
  DATA.legend.forEach(function (item) { var s = el("span"); var img = el("img"); img.src = item.icon; img.alt = ""; s.appendChild(img); s.appendChild(document.createTextNode(item.label)); leg.appendChild(s); });
  [["asserted", ""], ["alleged / speculated", "dashed"], ["denied", "red"]].forEach(function (x) { var s = el("span"); s.appendChild(el("span", null, "edge " + x[1])); s.appendChild(document.createTextNode(x[0])); leg.appendChild(s); });

  // filters in the page
  var hiddenTypes = {}, hiddenModalities = {};
  function apply() {
    nodes.update(DATA.nodes.map(function (n) { return {id: n.id, hidden: !!hiddenTypes[n.kgType]}; }));
    edges.update(DATA.edges.map(function (e) { return {id: e.id, hidden: !!hiddenModalities[e.kgModality]}; }));
  }
  function toggles(target, values, store) {
    var box = document.getElementById(target);
    values.forEach(function (v) {
      var lab = el("label"); var cb = el("input"); cb.type = "checkbox"; cb.checked = true; cb.dataset.value = v;
      cb.onchange = function () { store[v] = !cb.checked; apply(); };
      lab.appendChild(cb); lab.appendChild(document.createTextNode(" " + v)); box.appendChild(lab);
    });
  }
  toggles("types", ["person", "organisation", "group", "place", "event"], hiddenTypes);
  toggles("modalities", ["asserted", "alleged", "speculated", "denied"], hiddenModalities);
  // search: names and aliases; whole name first, then a word that starts with the text, then
  // anywhere in a name; hidden nodes are skipped; Enter steps through the matches
  var search = document.getElementById("search"), found = document.getElementById("found"), hits = [], at = 0;
  function rank(n, q) {
    var names = [n.label].concat((DATA.panel.nodes[n.id] || {}).aliases || []).map(function (s) { return s.toLowerCase(); });
    if (names.indexOf(q) >= 0) { return 0; }
    if (names.some(function (s) { return s.split(/[^\w\u00C0-\uFFFF]+/).some(function (w) { return w.indexOf(q) === 0; }); })) { return 1; }
    return names.some(function (s) { return s.indexOf(q) >= 0; }) ? 2 : -1;
  }
  function show(i) {
    if (!hits.length) { return; }
    at = (i + hits.length) % hits.length;
    var id = hits[at].id;
    network.selectNodes([id]); network.focus(id, {scale: 1.2, animation: false}); showNode(id);
    found.textContent = hits.length === 1 ? "1 match" : (at + 1) + " of " + hits.length + " matches (Enter: next)";
  }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    hits = []; found.textContent = "";
    if (q.length < 2) { return; }
    DATA.nodes.forEach(function (n) {
      var r = rank(n, q);
      if (r >= 0 && !nodes.get(n.id).hidden) { hits.push({id: n.id, rank: r, size: n.size}); }
    });
    hits.sort(function (a, b) { return a.rank - b.rank || b.size - a.size; });
    if (hits.length) { show(0); } else { network.unselectAll(); found.textContent = "no match"; }
  });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { show(at + 1); } });
  var notes = document.getElementById("notes");
  notes.textContent = (DATA.panel.notes || []).join("; ");
  if (DATA.panel.focus) { network.selectNodes([DATA.panel.focus]); showNode(DATA.panel.focus); }
})();
"""
