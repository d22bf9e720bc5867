"""Markdown tables for docs/quality.md from the JSON reports of ``kg eval``.

    kg eval newsclaims --split check --json check.json
    kg eval newsclaims --split tune --json tune.json
    python docs/eval_tables.py check.json tune.json          # newsclaims: kg and baseline, both splits
    python docs/eval_tables.py check.json --before old-check.json   # with kg's recall and F1 before
    python docs/eval_tables.py check.json --targets --before old-check.json   # the targets, met or not
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


def _score(report: dict, task: str, metric: str) -> dict | None:
    return next((s for s in report["scores"] if (s["task"], s["metric"]) == (task, metric)), None)


def newsclaims(reports: list[dict], befores: list[dict] | None = None) -> str:
    """One row per metric: per split, the baseline's and kg's P / R / F1 and kg's counts (and
    kg's recall and F1 in an earlier report of the same split, when given)."""
    head = ["task", "metric"]
    for r in reports:
        split = r.get("split") or "all"
        head += [f"{split} baseline P", "R", "F1", f"{split} kg P", "R", "F1", "kg found/gold"]
        if befores:
            head += ["kg R before", "F1 before"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "--:|" * (len(head) - 2)]
    keys = [(s["task"], s["metric"]) for s in reports[0]["scores"]]
    tasks = list(dict.fromkeys(t for t, _ in keys))
    keys.sort(key=lambda k: tasks.index(k[0]))  # each task's rows together, in the scorer's order
    for task, metric in keys:
        row = [task, metric]
        for k, r in enumerate(reports):
            found = _score(r, task, metric)
            row += cells(found["baseline"] if found else None) + cells(found["kg"] if found else None)
            row.append(counts(found["kg"] if found else None))
            if befores:
                old = _score(befores[k], task, metric)
                row += [pct(old["kg"]["recall"]), pct(old["kg"]["f1"])] if old else ["", ""]
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


#: the targets kg is held to on the newsclaims check split: (task, metric, what, at least/at most %)
TARGETS = [
    ("claims", "found (subject, group, relation)", "recall", 60), ("claims", "modality right", "recall", 50),
    ("claims", "speaker right", "recall", 45), ("claims", "found (subject, group, relation)", "precision", 70),
    ("events", "found (type, where stated)", "recall", 65), ("event arguments", "date exact", "recall", 50),
    ("event arguments", "place", "recall", 60), ("event arguments", "perpetrator", "recall", 50),
    ("event arguments", "fatalities", "recall", 60), ("events", "found (type, where stated)", "precision", 70),
    ("article", "publication date", "recall", 90), ("entities", "person", "recall", 95),
    ("entities", "organisation", "recall", 90), ("entities", "place", "recall", 90),
]


def targets(report: dict, before: dict | None) -> str:
    """The targets against one report (the check split), with the earlier report's value."""
    head = ["target", "kg", "kg before", "met"]
    lines = ["| " + " | ".join(head) + " |", "|---|--:|--:|---|"]
    for task, metric, what, goal in TARGETS:
        now = _score(report, task, metric)
        old = _score(before, task, metric) if before else None
        value = now["kg"][what] if now else None
        row = [f"{task} {metric}: {what} >= {goal}", pct(value), pct(old["kg"][what]) if old else "",
               "yes" if value is not None and 100 * value >= goal else "no"]
        lines.append("| " + " | ".join(row) + " |")
    junk = report["counts"]["junk"]["kg"] * 10 / (report["counts"].get("articles", {}).get("kg") or report["documents"])
    old_junk = ""
    if before:
        old_junk = f"{before['counts']['junk']['kg'] * 10 / (before['counts'].get('articles', {}).get('kg') or before['documents']):.1f}"
    lines.append(f"| junk per 10 articles <= 1 | {junk:.1f} | {old_junk} | {'yes' if junk <= 1 else 'no'} |")
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
    ap.add_argument("--targets", action="store_true", help="newsclaims: the targets against the first report")
    ap.add_argument("--before", type=Path, nargs="+",
                    help="earlier reports: of the same dataset, or of each newsclaims split in the same order")
    args = ap.parse_args()
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in args.reports]
    befores = [json.loads(p.read_text(encoding="utf-8")) for p in args.before] if args.before else None
    if reports[0]["dataset"] == "newsclaims" and args.targets:
        print(targets(reports[0], befores[0] if befores else None))
    elif reports[0]["dataset"] == "newsclaims":
        print(newsclaims(reports, befores))
    else:
        print(dataset(reports[0], befores[0] if befores else None))


if __name__ == "__main__":
    main()
