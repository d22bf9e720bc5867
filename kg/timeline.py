"""Events on a time axis as one self-contained HTML page (``kg viz --timeline``): type, place
and fatalities on each marker, the same evidence panel as the network view, no request to any
host, all article text put on screen with ``textContent`` only."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from kg.actors import Filters, NetworkData, _articles, _date, _match_articles

FAMILY = {
    "ArmedClash": "Battles", "Raid": "Battles", "GovernmentRegainsTerritory": "Battles",
    "NonStateActorOvertakesTerritory": "Battles", "Attack": "Violence against civilians",
    "Killing": "Violence against civilians", "AbductionForcedDisappearance": "Violence against civilians",
    "Hijacking": "Violence against civilians", "HostageTaking": "Violence against civilians",
    "SexualViolence": "Violence against civilians", "RemoteExplosive": "Explosions/Remote violence",
    "SuicideBomb": "Explosions/Remote violence", "ShellingArtilleryMissileAttack": "Explosions/Remote violence",
    "AirDroneStrike": "Explosions/Remote violence", "Grenade": "Explosions/Remote violence",
    "PeacefulProtest": "Protests", "ProtestWithIntervention": "Protests", "MobViolence": "Riots",
    "ViolentDemonstration": "Riots",
}


def load_events(store: Any, filters: Filters | None = None) -> list[dict[str, Any]]:
    f = filters or Filters()
    articles = _articles(store)
    wanted = _match_articles(articles, f.articles)
    events: dict[str, dict[str, Any]] = {}
    q = """SELECT ?g ?e ?label ?t ?begin ?end ?expr ?place ?fat ?inj WHERE { GRAPH ?g {
             ?e a sem:Event ; rdfs:label ?label ; sem:eventType ?t .
             { ?e sem:hasTimeStamp ?begin } UNION { ?e sem:hasEarliestBeginTimeStamp ?begin . ?e sem:hasLatestEndTimeStamp ?end }
             OPTIONAL { ?e kg:dateExpression ?expr } OPTIONAL { ?e sem:hasPlace/rdfs:label ?place }
             OPTIONAL { ?e kg:fatalities ?fat } OPTIONAL { ?e kg:injured ?inj } } }"""
    for r in store.query(q):
        g = r["g"].value
        if wanted is not None and g not in wanted:
            continue
        e = events.setdefault(r["e"].value, {
            "id": r["e"].value, "label": r["label"].value, "types": [], "begin": r["begin"].value,
            "end": r["end"].value if r["end"] else r["begin"].value, "when": r["expr"].value if r["expr"] else "",
            "place": r["place"].value if r["place"] else "", "fatalities": int(r["fat"].value) if r["fat"] else None,
            "injured": int(r["inj"].value) if r["inj"] else None, "article": articles.get(g, {}),
            "perpetrators": [], "evidence": []})
        t = r["t"].value.rsplit("#", 1)[-1]
        if t not in e["types"]:
            e["types"].append(t)
    since, until = _date(f.since, "--since"), _date(f.until, "--until")
    events = {k: e for k, e in events.items() if (not since or e["end"] >= since) and (not until or e["begin"] <= until)}
    q = """SELECT ?e ?n WHERE { GRAPH ?g { ?e kg:perpetrator ?p . ?p rdfs:label ?n } }"""
    for r in store.query(q):
        e = events.get(r["e"].value)
        if e is not None and r["n"].value not in e["perpetrators"]:
            e["perpetrators"].append(r["n"].value)
    q = """SELECT ?e ?s WHERE { GRAPH ?g { ?e a sem:Event ; prov:wasDerivedFrom ?span .
             ?span oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?s } }"""
    for r in store.query(q):
        e = events.get(r["e"].value)
        if e is not None and len(e["evidence"]) < 10:
            a = e["article"]
            e["evidence"].append({"sentence": r["s"].value, "speaker": "", "title": a.get("title", ""),
                                  "date": a.get("date", "")})
    out = sorted(events.values(), key=lambda e: (e["begin"], e["label"]))
    for e in out:
        e["family"] = next((FAMILY[t] for t in e["types"] if t in FAMILY), "Strategic developments")
    return out


def render(events: list[dict[str, Any]], title: str = "kg event timeline") -> str:
    from kg.viz import _json_for_script

    return (_TEMPLATE.replace("__TITLE__", html.escape(title))
            .replace("__DATA__", _json_for_script({"events": events}))
            .replace("__APP_JS__", _APP_JS))


def write(store: Any, output: str | Path, filters: Filters | None = None) -> NetworkData:
    import networkx as nx

    from kg.viz import _write_atomic

    events = load_events(store, filters)
    _write_atomic(Path(output), render(events))
    g = nx.MultiDiGraph()
    for e in events:
        g.add_node(e["id"], label=e["label"], type="event")
    return NetworkData(g, notes=[] if events else ["no dated events"])


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'">
<title>__TITLE__</title>
<style>
html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; font-size: 14px; color: #222; }
body { display: flex; flex-direction: column; }
#bar { padding: 6px 10px; border-bottom: 1px solid #ddd; background: #fafafa; display: flex; gap: 12px; align-items: center; }
#bar h1 { font-size: 15px; margin: 0; }
#main { display: flex; flex: 1; min-height: 0; }
#axis { flex: 1; overflow: auto; position: relative; }
#panel { width: 380px; overflow-y: auto; border-left: 1px solid #ddd; padding: 10px 14px; }
#panel .ev { border-left: 3px solid #999; padding: 4px 8px; margin: 6px 0; background: #f7f7f7; }
#panel .src { color: #666; font-size: 12px; margin-top: 3px; }
svg text { font-size: 11px; }
.marker { cursor: pointer; }
</style>
</head>
<body>
<div id="bar"><h1>__TITLE__</h1><span id="count"></span></div>
<div id="main"><div id="axis"></div><div id="panel"><p>Click an event to see its sentences and sources.</p></div></div>
<script id="kg-data" type="application/json">__DATA__</script>
<script>__APP_JS__</script>
</body>
</html>
"""

_APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var events = DATA.events;
  var SVG = "http://www.w3.org/2000/svg";
  var families = ["Battles", "Violence against civilians", "Explosions/Remote violence", "Protests", "Riots", "Strategic developments"];
  var colours = {"Battles": "#c0392b", "Violence against civilians": "#8e44ad", "Explosions/Remote violence": "#d35400",
                 "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d"};
  document.getElementById("count").textContent = events.length + " dated event(s)";
  var axis = document.getElementById("axis");
  function day(s) { return Date.parse(s + "T00:00:00Z") / 86400000; }
  if (!events.length) { axis.textContent = "No dated events in the store."; window.kgReady = true; return; }
  var lo = Math.min.apply(null, events.map(function (e) { return day(e.begin); }));
  var hi = Math.max.apply(null, events.map(function (e) { return day(e.end); }));
  if (hi - lo < 30) { lo -= 15; hi += 15; }
  var width = Math.max(axis.clientWidth - 10, Math.min(20000, 300 + 25 * events.length));
  var left = 190, right = 20, laneH = 24;
  function x(d) { return left + (d - lo) / (hi - lo) * (width - left - right); }
  var used = families.filter(function (f) { return events.some(function (e) { return e.family === f; }); });
  var svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("width", width);
  axis.appendChild(svg);
  function node(tag, attrs, text, parent) {
    var n = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) { n.textContent = String(text); }
    (parent || svg).appendChild(n); return n;
  }
  // Lay out first: each label is measured, put right of its bar (or left of it near the right
  // edge, so it is never cut off), and each family gets as many lanes as its labels need.
  var probe = node("text", {x: 0, y: -100});
  var lanes = {};
  used.forEach(function (f) { lanes[f] = []; });
  var placed = events.map(function (e) {
    var x0 = x(day(e.begin)), x1 = Math.max(x(day(e.end)), x0 + 6);
    var text = e.label + (e.fatalities ? " (" + e.fatalities + " killed)" : "") + (e.place ? " · " + e.place : "");
    probe.textContent = text;
    var w = probe.getComputedTextLength() + 10;
    var atEnd = x0 + w > width - right;
    var from = atEnd ? Math.min(x0, x1 - w) : x0, to = atEnd ? x1 : Math.max(x1, x0 + w);
    var rows = lanes[e.family], lane = 0;
    while (lane < rows.length && rows[lane].some(function (r) { return r[0] < to && from < r[1]; })) { lane++; }
    if (lane === rows.length) { rows.push([]); }
    rows[lane].push([from, to]);
    return {x0: x0, x1: x1, text: text, atEnd: atEnd, lane: lane};
  });
  svg.removeChild(probe);
  var top = {}, y = 30;
  used.forEach(function (f) { top[f] = y; y += 26 + lanes[f].length * laneH; });
  var height = y + 10;
  svg.setAttribute("height", height);
  // ticks: years, or months for short spans
  var start = new Date(lo * 86400000), end = new Date(hi * 86400000);
  var monthly = (hi - lo) < 730;
  var t = new Date(Date.UTC(start.getUTCFullYear(), monthly ? start.getUTCMonth() : 0, 1));
  while (t <= end) {
    var d = t.getTime() / 86400000;
    if (d >= lo) {
      node("line", {x1: x(d), x2: x(d), y1: 20, y2: height, stroke: "#eee"});
      node("text", {x: x(d) + 2, y: 14, fill: "#666"}, monthly ? t.toISOString().slice(0, 7) : t.getUTCFullYear());
    }
    t = monthly ? new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)) : new Date(Date.UTC(t.getUTCFullYear() + 1, 0, 1));
  }
  used.forEach(function (f) {
    node("text", {x: 6, y: top[f] + 14, fill: colours[f], "font-weight": "bold"}, f);
    var bottom = top[f] + 22 + lanes[f].length * laneH;
    node("line", {x1: left, x2: width - right, y1: bottom, y2: bottom, stroke: "#ddd"});
  });
  var panel = document.getElementById("panel");
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) { e.textContent = String(text); } if (cls) { e.className = cls; } return e; }
  function show(e) {
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.appendChild(el("h2", e.label));
    var meta = [e.types.join(", "), e.when || e.begin, e.place, e.fatalities !== null ? e.fatalities + " killed" : "", e.injured !== null ? e.injured + " injured" : ""];
    panel.appendChild(el("div", meta.filter(Boolean).join(" · ")));
    if (e.perpetrators.length) { panel.appendChild(el("p", "Perpetrators: " + e.perpetrators.join("; "))); }
    e.evidence.forEach(function (ev) {
      var box = el("div", null, "ev"); box.appendChild(el("div", ev.sentence));
      box.appendChild(el("div", [ev.title, ev.date].filter(Boolean).join(" · "), "src")); panel.appendChild(box);
    });
  }
  window.kgShowEvent = function (i) { show(events[i]); };
  events.forEach(function (e, i) {
    var p = placed[i];
    var y = top[e.family] + 10 + p.lane * laneH;
    var g = node("g", {"class": "marker", "data-index": i});
    node("title", {}, e.types.join(", ") + " · " + (e.when || e.begin), g);
    node("rect", {x: p.x0, y: y, width: p.x1 - p.x0, height: 9, rx: 3, fill: colours[e.family]}, undefined, g);
    node("text", p.atEnd ? {x: p.x1 - 2, y: y + 20, "text-anchor": "end"} : {x: p.x0 + 2, y: y + 20}, p.text, g);
    g.addEventListener("click", function () { show(e); });
  });
  window.kgReady = true;
})();
"""
