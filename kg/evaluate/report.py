"""The evaluation report: rows of baseline-vs-kg scores, the mappings used, error listings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kg.evaluate.scoring import Score
from kg.evaluate.tasks import ErrorCase, sentence_at


@dataclass(frozen=True, slots=True)
class Row:
    task: str
    metric: str
    baseline: Score | None
    kg: Score


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One kind of error, how often it happened, and one sentence where it did."""

    what: str
    count: int
    doc: str
    sentence: str


@dataclass
class EvalReport:
    dataset: str
    data: str
    documents: int
    model: str
    rows: list[Row]
    mappings: list[str]
    failed: dict[str, str] = field(default_factory=dict)  # document id -> why kg produced nothing
    unaligned: int = 0  # kg spans that could not be mapped back to the dataset's offsets
    errors: dict[str, dict[str, list[ErrorItem]]] = field(default_factory=dict)  # task -> kind -> worst
    seconds: float = 0.0
    split: str | None = None  # newsclaims: tune | check | all
    counts: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (baseline, kg)


def worst(cases: list[ErrorCase], n: int) -> list[ErrorItem]:
    """The ``n`` most frequent errors (ties in first-seen order), each with its first sentence."""
    counts = Counter(c.key for c in cases)
    first: dict[str, ErrorCase] = {}
    for c in cases:
        first.setdefault(c.key, c)
    out = []
    for key, count in counts.most_common(n):
        c = first[key]
        sentence = sentence_at(c.text, *c.span) if c.span else ""
        out.append(ErrorItem(key, count, c.doc, sentence))
    return out


def _pct(x: float | None) -> str:
    return "  –  " if x is None else f"{100 * x:5.1f}"


def _cells(s: Score | None) -> str:
    if s is None:
        return f"{'':>5} {'':>5} {'':>5}"
    return f"{_pct(s.precision)} {_pct(s.recall)} {_pct(s.f1)}"


def format_report(report: EvalReport) -> str:
    """The report as plain text: a header, the score table, mappings, then error listings."""
    split = f" ({report.split} split)" if report.split else ""
    lines = [f"kg eval {report.dataset}{split}: {report.documents} documents from {report.data} "
             f"(model {report.model}, {report.seconds:.0f} s)"]
    if report.failed:
        lines.append(f"kg failed on {len(report.failed)} document(s), scored as empty: "
                     + "; ".join(f"{k}: {v}" for k, v in report.failed.items()))
    if report.unaligned:
        lines.append(f"{report.unaligned} kg span(s) could not be mapped back to the dataset's text")
    width = max(len(f"{r.task}  {r.metric}") for r in report.rows) if report.rows else 20
    head = f"{'task / metric':<{width}} | {'baseline':^17} | {'kg':^17} |   ΔF1"
    sub = f"{'':<{width}} | {'P':>5} {'R':>5} {'F1':>5} | {'P':>5} {'R':>5} {'F1':>5} |"
    lines += ["", head, sub, "-" * len(head)]
    for r in report.rows:
        delta = ""
        if r.baseline is not None and r.baseline.f1 is not None and r.kg.f1 is not None:
            delta = f"{100 * (r.kg.f1 - r.baseline.f1):+6.1f}"
        elif r.baseline is not None and r.baseline.p_den == r.kg.p_den == 0 \
                and r.baseline.recall is not None and r.kg.recall is not None:
            delta = f"{100 * (r.kg.recall - r.baseline.recall):+6.1f}"  # a recall-only row (coverage)
        lines.append(f"{r.task + '  ' + r.metric:<{width}} | {_cells(r.baseline)} | {_cells(r.kg)} | {delta}")
    if report.counts:
        articles = report.counts.get("articles", (0, 0))[1] or 1
        lines += ["", f"{'counts':<{width}} | {'baseline':^17} | {'kg':^17} |"]
        for name, (base, mine) in report.counts.items():
            if name != "articles":
                lines.append(f"{name + ' per 10 articles':<{width}} | {10 * base / articles:>17.1f} | "
                             f"{10 * mine / articles:>17.1f} |")
    lines += ["", "P, R, F1 in %; counts: see --json. Mappings:"] + [f"- {m}" for m in report.mappings]
    for task, kinds in report.errors.items():
        for kind, items in kinds.items():
            if not items:
                continue
            lines += ["", f"kg {task}: most frequent {kind}"]
            for e in items:
                lines.append(f"  {e.count:>3} x {e.what}  [{e.doc}]")
                if e.sentence:
                    lines.append(f"        \"{e.sentence[:240]}\"")
    return "\n".join(lines)


def _score_json(s: Score | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1,
            "p_num": s.p_num, "p_den": s.p_den, "r_num": s.r_num, "r_den": s.r_den}


def report_json(report: EvalReport) -> dict[str, Any]:
    """The report as JSON-serialisable data (scores with their numerators and denominators)."""
    return {
        "dataset": report.dataset,
        "data": report.data,
        "documents": report.documents,
        "model": report.model,
        "seconds": round(report.seconds, 1),
        "split": report.split,
        "counts": {name: {"baseline": base, "kg": mine} for name, (base, mine) in report.counts.items()},
        "failed": report.failed,
        "unaligned_spans": report.unaligned,
        "mappings": report.mappings,
        "scores": [{"task": r.task, "metric": r.metric, "baseline": _score_json(r.baseline), "kg": _score_json(r.kg)}
                   for r in report.rows],
        "errors": {task: {kind: [{"what": e.what, "count": e.count, "doc": e.doc, "sentence": e.sentence}
                                 for e in items] for kind, items in kinds.items()}
                   for task, kinds in report.errors.items()},
    }
