"""Markdown tables for docs/quality.md from the JSON reports of ``kg eval``.

    kg eval newsclaims --split check --json check.json
    kg eval newsclaims --split tune --json tune.json
    python docs/eval_tables.py check.json tune.json          # newsclaims: kg and baseline, both splits
    python docs/eval_tables.py dwie.json --before old.json   # one dataset, with an earlier kg column

Every figure in the tables is read from the reports; nothing is typed by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def cells(score: dict | None) -> list[str]:
    if score is None:
        return ["", "", ""]
    return [pct(score["precision"]), pct(score["recall"]), pct(score["f1"])]


def counts(score: dict | None) -> str:
    if score is None:
        return ""
    return f"{score['r_num']:g}/{score['r_den']:g}"


def newsclaims(reports: list[dict]) -> str:
    """One row per metric: per split, the baseline's and kg's P / R / F1 and kg's counts."""
    head = ["task", "metric"]
    for r in reports:
        split = r.get("split") or "all"
        head += [f"{split} baseline P", "R", "F1", f"{split} kg P", "R", "F1", "kg found/gold"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "--:|" * (len(head) - 2)]
    keys = [(s["task"], s["metric"]) for s in reports[0]["scores"]]
    for task, metric in keys:
        row = [task, metric]
        for r in reports:
            found = next((s for s in r["scores"] if (s["task"], s["metric"]) == (task, metric)), None)
            row += cells(found["baseline"] if found else None) + cells(found["kg"] if found else None)
            row.append(counts(found["kg"] if found else None))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    names = [n for n in reports[0].get("counts", {}) if n != "articles"]
    if names:
        lines.append("| count per 10 articles | " + " | ".join(f"{r.get('split')} baseline | {r.get('split')} kg"
                                                            for r in reports) + " |")
        lines.append("|---|" + "--:|" * (2 * len(reports)))
        for n in names:
            row = [n]
            for r in reports:
                c = r["counts"][n]
                articles = r["counts"].get("articles", {}).get("kg") or r["documents"]
                row += [f"{10 * c['baseline'] / articles:.1f}", f"{10 * c['kg'] / articles:.1f}"]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def dataset(report: dict, before: dict | None) -> str:
    head = ["task", "metric", "gold", "baseline P", "R", "F1", "kg P", "R", "F1"]
    if before is not None:
        head.append("kg F1 before")
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "--:|" * (len(head) - 2)]
    for s in report["scores"]:
        row = [s["task"], s["metric"], f"{s['kg']['r_den']:g}"] + cells(s["baseline"]) + cells(s["kg"])
        if before is not None:
            old = next((o for o in before["scores"] if (o["task"], o["metric"]) == (s["task"], s["metric"])), None)
            row.append(pct(old["kg"]["f1"]) if old else "")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reports", nargs="+", type=Path)
    ap.add_argument("--before", type=Path, help="an earlier report of the same dataset (one report only)")
    args = ap.parse_args()
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in args.reports]
    if reports[0]["dataset"] == "newsclaims":
        print(newsclaims(reports))
    else:
        before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
        print(dataset(reports[0], before))


if __name__ == "__main__":
    main()
