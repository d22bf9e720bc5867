"""Quality evaluation: kg's extractor against real annotated news, next to a plain-spaCy baseline.

::

    from kg.evaluate import run_eval, format_report
    report = run_eval("dwie", limit=10, errors=5)
    print(format_report(report))

Datasets (read from ``<repo>/../shared/eval/<dataset>`` or ``data``; never shipped with kg):

- ``dwie``: Deutsche Welle news: entity mentions, coreference, relations, Wikipedia links;
- ``re3d``: defence and security documents: entities and relations (membership, leadership,
  alliances);
- ``wikievents``: news about attacks and arrests: KAIROS events with arguments;
- ``newsclaims``: conflict news from many outlets and regions, annotated by hand with attributed
  affiliation claims and events (:mod:`kg.evaluate.newsclaims`; ``split`` tune | check | all).

The same run scores kg (``Extractor.extract_many`` + a fresh ``Resolver`` per document) and the
baseline (``en_core_web_sm`` out of the box, see :mod:`kg.evaluate.systems`), so every row of the
report shows what kg's rules add. Definitions: :mod:`kg.evaluate.tasks`; label mappings:
:mod:`kg.evaluate.gold`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError, UsageError
from kg.evaluate.gold import READERS, mapping_notes
from kg.evaluate.report import EvalReport, Row, format_report, report_json, worst
from kg.evaluate.systems import BASELINE_TYPES, run_baseline, run_kg
from kg.evaluate.tasks import score_system

__all__ = ["DATASETS", "EvalReport", "default_data", "format_report", "report_json", "run_eval"]

DATASETS = (*READERS, "newsclaims")


def default_data(dataset: str) -> Path:
    """``<repo>/../shared/eval/<dataset>``, where repo is the folder that holds the kg package."""
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "eval" / dataset


def run_eval(dataset: str, data: str | Path | None = None, limit: int | None = None, errors: int = 0, *,
             progress: Callable[[int, int], None] | None = None, split: str | None = None) -> EvalReport:
    """Score kg and the baseline on ``dataset`` (dwie | re3d | wikievents | newsclaims).

    ``data``: the dataset's folder (default :func:`default_data`); ``limit``: only the first N
    documents; ``errors``: list the N most frequent false positives and false negatives of kg
    per task, each with a sentence where it happened; ``progress(done, total)`` is called as
    documents go through kg and then through the baseline (for a progress bar); ``split``
    (newsclaims only): ``tune``, ``check`` or ``all`` (the default).
    """
    if dataset not in DATASETS:
        raise UsageError(f"unknown dataset {dataset!r} (choose one of {', '.join(DATASETS)})")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    if errors < 0:
        raise UsageError(f"--errors must be 0 or more, not {errors}")
    if split is not None and dataset != "newsclaims":
        raise UsageError("--split is for newsclaims only")
    folder = Path(data) if data is not None else default_data(dataset)
    if not folder.is_dir():
        raise InputError(folder, f"{dataset} evaluation data not found", "pass --data with the folder that holds it")
    if dataset == "newsclaims":
        from kg.evaluate.newsclaims import evaluate

        return evaluate(folder, split or "all", limit, errors, progress)
    started = time.monotonic()
    golds = READERS[dataset](folder, limit)
    if not golds:
        raise InputError(folder, f"no {dataset} documents found", "pass --data with the folder that holds them")
    total, done = 2 * len(golds), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    kg_outputs, model = run_kg(golds, step)
    baseline_outputs = run_baseline(golds, step)
    kg_scores = score_system(dataset, golds, kg_outputs)
    base_scores = score_system(dataset, golds, baseline_outputs)
    rows = [Row(task, metric, base_scores.scores.get((task, metric)), score)
            for (task, metric), score in kg_scores.scores.items()]
    notes = mapping_notes(dataset)
    if dataset != "wikievents":
        notes.append("kg types: person, organisation, place; unnamed groups -> "
                     + ("organisation" if dataset == "re3d" else "not scored")
                     + "; baseline spaCy labels: "
                     + ", ".join(f"{k} -> {v}" for k, v in BASELINE_TYPES.items()) + ", NORP not scored")
    return EvalReport(
        dataset=dataset,
        data=str(folder),
        documents=len(golds),
        model=model,
        rows=rows,
        mappings=notes,
        failed={g.id: o.failed for g, o in zip(golds, kg_outputs) if o.failed},
        unaligned=sum(o.unaligned for o in kg_outputs),
        errors={task: {kind: worst(cases, errors) for kind, cases in kinds.items()}
                for task, kinds in kg_scores.errors.items()} if errors > 0 else {},
        seconds=time.monotonic() - started,
    )
