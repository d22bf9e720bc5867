"""``kg eval newsclaims``: kg against hand-annotated conflict news it was never tuned on.

Per article, the gold people, groups and places, the affiliation claims (subject, group,
relation, speaker, modality) and the events (type, date, place, figures, perpetrator) are matched
inside that article's output only; kg runs its real pipeline on the text as a ``.txt`` file gives
it, and a plain-spaCy baseline runs in the same call (:mod:`.systems`). Definitions:
:mod:`.score` and :mod:`.matching`; the split into ``tune`` and ``check``: :func:`.gold.split_of`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import InputError, UsageError
from kg.evaluate.newsclaims.gold import SPLITS, read_newsclaims, split_of
from kg.evaluate.newsclaims.score import CLAIM_RELATIONS, EVENT_TYPES, score_articles
from kg.evaluate.newsclaims.systems import run_baseline, run_kg

__all__ = ["SPLITS", "evaluate", "split_of"]


def notes() -> list[str]:
    return [
        "split: an article whose number is a multiple of 3 is in check, every other one in tune "
        "(errors are read on tune only)",
        "entities: a kg entity stands for the gold entity whose names its mentions overlap most; unnamed "
        "groups are scored through claims and events; borderline strings are never errors",
        "claims: " + "; ".join(f"{k} ~ {'|'.join(sorted(v))}" for k, v in CLAIM_RELATIONS.items())
        + "; 'the attackers (incident)' ~ a responsibleFor claim of an event stated where the gold claim is",
        "events (gold type ~ kg types): " + "; ".join(
            f"{k} ~ {'|'.join(sorted(v[1])) if len(v[1]) < 6 else 'any violent type'}" for k, v in EVENT_TYPES.items())
        + "; other ~ any type; the kg event must be stated where the gold quote is",
        "perpetrator: the event's perpetrator role (for an event with none, a statement or a protest, its actor "
        "role: who did it) or a responsibleFor claim (not denied) of the event",
        "baseline: en_core_web_sm entities; claims = person + organisation in a sentence with a reporting verb "
        "(member, asserted); events = trigger words with the sentence's first place and date; publication date = "
        "the first full date in the text; title = the first line",
    ]


def evaluate(folder: Path, split: str, limit: int | None, errors: int,
             progress: Callable[[int, int], None] | None = None):  # -> EvalReport
    from kg.evaluate.report import EvalReport, Row, worst

    if errors and split == "check":
        raise UsageError("the check split is for scores only: list errors with --split tune")
    started = time.monotonic()
    golds = read_newsclaims(folder, split, limit)
    if not golds:
        raise InputError(folder, "no newsclaims articles found", "pass --data with the folder that holds gold.json")
    total, done = 2 * len(golds), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    kg_out, model = run_kg(golds, step)
    base_out = run_baseline(golds, step)
    kg_scores = score_articles(golds, kg_out)
    base_scores = score_articles(golds, base_out)
    rows = [Row(task, metric, base_scores.rows.get((task, metric)), score)
            for (task, metric), score in kg_scores.rows.items()]
    counts = {name: (base_scores.counts.get(name, 0), value) for name, value in kg_scores.counts.items()}
    listed = {}
    if errors > 0:
        tune = {g.id for g in golds if split_of(g.id) == "tune"}
        listed = {task: {kind: worst([c for c in cases if c.doc in tune], errors) for kind, cases in kinds.items()}
                  for task, kinds in kg_scores.errors.items()}
    return EvalReport(
        dataset="newsclaims",
        data=str(folder),
        documents=len(golds),
        model=model,
        rows=rows,
        mappings=notes(),
        failed={g.id: o.failed for g, o in zip(golds, kg_out) if o.failed},
        errors=listed,
        seconds=time.monotonic() - started,
        split=split,
        counts=counts,
    )
