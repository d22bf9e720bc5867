"""Network analysis of the actor network with networkx: centrality, communities, shortest
chains between two actors (every hop with its evidence), and GraphML / GEXF export for Gephi."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import NotFound, OutputError, UsageError


@dataclass
class Centrality:
    label: str
    type: str
    degree: float
    betweenness: float
    articles: int


@dataclass
class NetworkStats:
    nodes: int
    edges: int
    components: int
    density: float
    central: list[Centrality] = field(default_factory=list)
    communities: list[list[str]] = field(default_factory=list)  # labels, largest first


@dataclass
class Hop:
    source: str
    relation: str
    target: str
    modality: str
    speaker: str
    sentence: str
    article: str


def _actor_graph(g: Any) -> Any:
    """An undirected simple graph over the multigraph, for centrality and paths."""
    import networkx as nx

    und = nx.Graph()
    und.add_nodes_from(g.nodes(data=True))
    for u, v, _data in g.edges(data=True):
        if u != v:
            w = und[u][v]["weight"] + 1 if und.has_edge(u, v) else 1
            und.add_edge(u, v, weight=w)
    return und


def stats(g: Any, top: int = 10) -> NetworkStats:
    import networkx as nx

    und = _actor_graph(g)
    n = und.number_of_nodes()
    out = NetworkStats(n, g.number_of_edges(), nx.number_connected_components(und) if n else 0,
                       nx.density(und) if n > 1 else 0.0)
    if not n:
        return out
    degree = nx.degree_centrality(und)
    k = None if n <= 2000 else 300  # sampled betweenness above 2,000 nodes (seeded, reproducible)
    between = nx.betweenness_centrality(und, k=k, seed=7 if k else None)
    ranked = sorted(und.nodes, key=lambda x: (-between[x], -degree[x], und.nodes[x]["label"]))[:top]
    out.central = [Centrality(und.nodes[x]["label"], und.nodes[x]["type"], round(degree[x], 3),
                              round(between[x], 3), len(und.nodes[x]["articles"])) for x in ranked]
    if und.number_of_edges():
        comms = nx.community.louvain_communities(und, seed=7)
        comms = sorted(comms, key=len, reverse=True)
        out.communities = [sorted((und.nodes[x]["label"] for x in c), key=str.lower) for c in comms if len(c) > 1]
    return out


def paths(g: Any, a: str, b: str, limit: int = 3) -> list[list[Hop]]:
    """The shortest chains of claims and event roles linking actors ``a`` and ``b``."""
    import networkx as nx

    from kg.actors import find_node

    src, dst = find_node(g, a), find_node(g, b)
    if src == dst:
        raise UsageError(f"{a} and {b} are the same entity")
    und = _actor_graph(g)
    try:
        chains = []
        for path in nx.all_shortest_paths(und, src, dst):
            chains.append(path)
            if len(chains) >= limit:
                break
    except nx.NetworkXNoPath:
        raise NotFound(f"no chain of claims or events links {g.nodes[src]['label']} and {g.nodes[dst]['label']}") from None
    out = []
    for path in chains:
        hops = []
        for u, v in zip(path, path[1:]):
            data = list(g.get_edge_data(u, v, default={}).values())
            forward = True
            if not data:
                data, forward = list(g.get_edge_data(v, u, default={}).values()), False
            best = max(data, key=lambda d: (d["modality"] == "asserted", len(d["articles"])))
            ev = best["evidence"][0] if best["evidence"] else None
            s, t = (u, v) if forward else (v, u)
            hops.append(Hop(g.nodes[s]["label"], best["relation"], g.nodes[t]["label"], best["modality"],
                            ev.speaker if ev else best.get("speaker", ""), ev.sentence if ev else "",
                            ev.title if ev else ""))
        out.append(hops)
    return out


def export(g: Any, fmt: str, output: str | Path) -> None:
    """GraphML or GEXF with node type / kind / actor type and edge relation / modality /
    speaker / sources as attributes (what Gephi filters and colours by)."""
    import networkx as nx

    if fmt not in {"graphml", "gexf"}:
        raise UsageError(f"--format {fmt}: use graphml or gexf")
    out = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        out.add_node(n, label=d["label"], type=d["type"], kind=d.get("kind") or "",
                     actor_type=d.get("actor_type") or "", articles=len(d["articles"]),
                     aliases="; ".join(sorted(d["aliases"])), date=d.get("date") or "",
                     fatalities=d.get("fatalities") if d.get("fatalities") is not None else -1)
    for u, v, k, d in g.edges(keys=True, data=True):
        first = d["evidence"][0].sentence if d["evidence"] else ""
        out.add_edge(u, v, key=k, relation=d["relation"], modality=d["modality"], speaker=d["speaker"],
                     sources=len(d["articles"]), weight=len(d["articles"]) or 1, evidence=first[:500])
    path = Path(output)
    try:
        if fmt == "graphml":
            nx.write_graphml(out, path)
        else:
            nx.write_gexf(out, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror})") from exc
