"""Scoring one system's outputs against the gold documents, task by task.

Definitions (also printed in ``docs/quality.md``):

- **mentions, exact**: same start, end and type. **mentions, overlap**: a one-to-one alignment
  of overlapping spans of the same type (largest overlap first), so "President Obama" against
  "Obama" counts, a type error does not.
- **entities (clusters)**: a predicted entity stands for the gold entity most of its mentions
  align with (type-blind one-to-one mention alignment); it is correct when the types agree and
  no other predicted entity already took that gold entity (a split entity scores once).
- **coreference**: B-cubed and MUC over the mentions of scored types. Predicted mentions are
  aligned type-blind to gold mentions; an unaligned mention keeps its own identity, so it adds
  to the denominators only (the CoNLL-2012 scorer's convention).
- **relations**: per document, sets of (subject entity, object entity) pairs. A predicted
  entity maps to the gold entity its mentions overlap most (any annotated mention, demonyms
  redirected to their country); an entity that maps to nothing keeps its own identity (a false
  positive). Entities of types the dataset does not annotate (kg's unnamed groups in DWIE) take
  no part.
- **linking**: gold entities with a Wikipedia title; ours is the DBpedia title of a known
  organisation, or the gazetteer label of a place, compared case- and underscore-blind.
- **events**: trigger spans overlap (identification), and the kg type is one the KAIROS type
  maps to (classification); every wording of a kg event ("attacked", "the attack", "killed") is a
  trigger, with the event's arguments named in that wording's sentence. Incident level: a gold
  event is found when a predicted event (one per kg event) of a compatible type lists its
  sentence as evidence; a predicted event is right when one of its sentences holds a
  compatible gold event. Arguments of correctly classified events match when the gold
  argument's head word (its last token) lies in one of the predicted entity's mentions
  ("coref": the head of any mention coreferent with the gold argument).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field

from kg.evaluate.gold import KAIROS_TO_KG, MAPPED_EVENT_TYPES, SYMMETRIC, GoldDoc, Mention
from kg.evaluate.scoring import Score, align, b_cubed, majority, muc, overlap, pairs
from kg.evaluate.systems import Output

TYPES = ("person", "organisation", "place")
FP, FN = "false positives", "false negatives"
Span = tuple[int, int]


def predicted_type(dataset: str, kind: str | None) -> str | None:
    """A system's entity type as scored on ``dataset``: kg's unnamed groups ("the attackers")
    count as organisations in re3d, whose Organisation covers "rebels" and "the regime", and
    are left out in DWIE, which annotates named entities only."""
    if kind == "group":
        return "organisation" if dataset == "re3d" else None
    return kind if kind in TYPES else None


def norm_title(title: str) -> str:
    """Wikipedia titles compared case-, accent- and underscore-blind: 'René_Préval' = 'rene preval'."""
    decomposed = unicodedata.normalize("NFKD", title.replace("_", " "))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split()).casefold()


_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n+")


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence (roughly: up to '.', '!', '?' or a line break) around ``text[start:end]``."""
    end = start if end is None else end
    left = 0
    for m in _BOUNDARY.finditer(text, 0, max(start, 0)):
        left = m.end()
    m = _BOUNDARY.search(text, max(end, left))
    right = m.start() if m else len(text)
    return " ".join(text[left:right].split())


@dataclass(frozen=True, slots=True)
class ErrorCase:
    key: str  # what went wrong, as grouped: "person 'Mzoudi Verdict'"
    doc: str
    text: str
    span: Span | None


@dataclass
class SystemScores:
    """All scores of one system on one dataset, in report order, and its error cases."""

    scores: dict[tuple[str, str], Score] = field(default_factory=dict)
    errors: dict[str, dict[str, list[ErrorCase]]] = field(default_factory=dict)

    def add(self, task: str, metric: str, score: Score) -> None:
        self.scores[(task, metric)] = self.scores.get((task, metric), Score()) + score

    def error(self, task: str, kind: str, key: str, doc: GoldDoc, span: Span | None) -> None:
        self.errors.setdefault(task, {FP: [], FN: []})[kind].append(ErrorCase(key, doc.id, doc.text, span))


class _Doc:
    """One document's gold and predicted mentions, aligned."""

    def __init__(self, dataset: str, gold: GoldDoc, out: Output) -> None:
        self.gold, self.out = gold, out
        self.gm = [m for m in gold.mentions if m.type]
        self.pm = [Mention(m.start, m.end, t, m.cluster, m.text) for m in out.mentions
                   if (t := predicted_type(dataset, m.type))]
        self.ptype = {c: predicted_type(dataset, t) for c, t in out.types.items()}
        self.untyped = align([(m.start, m.end) for m in self.pm], [(m.start, m.end) for m in self.gm])
        self._all_gold = sorted(gold.mentions, key=lambda m: (m.start, m.end))
        self._concepts: dict[str, str | None] = {}
        self.spans: dict[str, list[Span]] = {}
        for m in out.mentions:
            self.spans.setdefault(m.cluster, []).append((m.start, m.end))
        for c, spans in out.arg_spans.items():
            self.spans.setdefault(c, []).extend(spans)

    def concept(self, cluster: str) -> str | None:
        """The gold entity a predicted one stands for (see the module docstring)."""
        if cluster not in self._concepts:
            self._concepts[cluster] = None
            votes = []
            for span in self.spans.get(cluster, []):
                best = max(self._all_gold, default=None, key=lambda g: (overlap(span, (g.start, g.end)),
                                                                         (g.start, g.end) == span))
                if best is not None and overlap(span, (best.start, best.end)):
                    votes.append(self.gold.redirect.get(best.cluster, best.cluster))
            found = majority(votes)
            if found is None and cluster in self.out.proxies:
                found = self.concept(self.out.proxies[cluster])
            self._concepts[cluster] = found  # type: ignore[assignment]
        return self._concepts[cluster]

    def gold_spans(self, cluster: str) -> list[Span]:
        return [(m.start, m.end) for m in self.gold.mentions
                if self.gold.redirect.get(m.cluster, m.cluster) == cluster]


def score_system(dataset: str, golds: list[GoldDoc], outs: list[Output]) -> SystemScores:
    """Every task ``dataset`` has annotations for, for one system's outputs."""
    result = SystemScores()
    for gold, out in zip(golds, outs, strict=True):
        doc = _Doc(dataset, gold, out)
        if dataset in {"dwie", "re3d"}:
            _entities(doc, result)
            _relations(doc, result)
        if dataset == "dwie":
            _coreference(doc, result)
            _linking(doc, result)
        if dataset == "wikievents":
            _events(doc, result)
    return result


def _entities(doc: _Doc, result: SystemScores) -> None:
    gold_set = {(m.start, m.end, m.type) for m in doc.gm}
    pred_set = {(m.start, m.end, m.type) for m in doc.pm}
    typed = align([(m.start, m.end) for m in doc.pm], [(m.start, m.end) for m in doc.gm],
                  lambda i, j: doc.pm[i].type == doc.gm[j].type)
    for t in (None, *TYPES):
        result.add("entities", f"mentions exact {t or 'all'}", pairs({k for k in gold_set if t in (None, k[2])},
                                                                    {k for k in pred_set if t in (None, k[2])}))
        tp = sum(1 for i in typed if t is None or doc.pm[i].type == t)
        n_pred = sum(1 for m in doc.pm if t is None or m.type == t)
        n_gold = sum(1 for m in doc.gm if t is None or m.type == t)
        result.add("entities", f"mentions overlap {t or 'all'}", Score.counts(tp, n_pred, n_gold))
        if t is None:  # detection alone: re3d types a country acting as an actor as Organisation
            result.add("entities", "mentions overlap, any type", Score.counts(len(doc.untyped), n_pred, n_gold))
    for i, m in enumerate(doc.pm):
        if i not in typed:
            result.error("entities", FP, f"{m.type} '{m.text}'", doc.gold, (m.start, m.end))
    matched = set(typed.values())
    for j, m in enumerate(doc.gm):
        if j not in matched:
            result.error("entities", FN, f"{m.type} '{m.text}'", doc.gold, (m.start, m.end))

    # entity level
    gold_types = {m.cluster: m.type for m in doc.gm}
    pred_types = {m.cluster: m.type for m in doc.pm}
    votes: dict[str, Counter] = {}
    for i, j in doc.untyped.items():
        votes.setdefault(doc.pm[i].cluster, Counter())[doc.gm[j].cluster] += 1
    ranked = sorted(((n, c, g) for c, v in votes.items() for g, n in v.most_common(1)), key=lambda x: -x[0])
    taken: set[str] = set()
    correct: Counter = Counter()
    for _, c, g in ranked:
        if g not in taken and gold_types[g] == pred_types[c]:
            taken.add(g)
            correct[pred_types[c]] += 1
    for t in (None, *TYPES):
        result.add("entities", f"entities (clusters) {t or 'all'}", Score.counts(
            sum(n for k, n in correct.items() if t is None or k == t),
            sum(1 for k in pred_types.values() if t is None or k == t),
            sum(1 for k in gold_types.values() if t is None or k == t)))


def _coreference(doc: _Doc, result: SystemScores) -> None:
    key: dict[str, set[Hashable]] = {}
    for j, m in enumerate(doc.gm):
        key.setdefault(m.cluster, set()).add(("gold", j))
    response: dict[str, set[Hashable]] = {}
    for i, m in enumerate(doc.pm):
        ident = ("gold", doc.untyped[i]) if i in doc.untyped else ("pred", i)
        response.setdefault(m.cluster, set()).add(ident)
    result.add("coreference", "B-cubed", b_cubed(key.values(), response.values()))
    result.add("coreference", "MUC", muc(key.values(), response.values()))


def _relations(doc: _Doc, result: SystemScores) -> None:
    gold, out = doc.gold, doc.out
    for cls, gold_pairs in gold.relations.items():
        predicted: dict[tuple[str, str], tuple[str, Span | None]] = {}
        for (s, o), evidence in out.relations.get(cls, {}).items():
            if doc.ptype.get(s) is None or doc.ptype.get(o) is None:
                continue
            pair = (doc.concept(s) or f"?{s}", doc.concept(o) or f"?{o}")
            if cls in SYMMETRIC:
                pair = tuple(sorted(pair))  # type: ignore[assignment]
            label = f"{cls}: {out.names.get(s, s)} -> {out.names.get(o, o)}"
            if evidence is None:  # containment from the gazetteer: show the place's first mention
                evidence = next(iter(doc.spans.get(s, [])), None)
            predicted.setdefault(pair, (label, evidence))
        result.add("relations", cls, pairs(gold_pairs, predicted))
        for pair, (label, evidence) in predicted.items():
            if pair not in gold_pairs:
                result.error("relations", FP, label, gold, evidence)
        for s, o in sorted(gold_pairs - set(predicted)):
            result.error("relations", FN, f"{cls}: {gold.names.get(s, s)} -> {gold.names.get(o, o)}",
                         gold, _together(doc, s, o))


def _together(doc: _Doc, s: str, o: str) -> Span | None:
    """A sentence where mentions of both ``s`` and ``o`` occur, else the first of ``s``."""
    subj, obj = doc.gold_spans(s), doc.gold_spans(o)
    for a in subj:
        sentence = sentence_at(doc.gold.text, *a)
        for b in obj:
            if sentence_at(doc.gold.text, *b) == sentence:
                return min(a, b)[0], max(a, b)[1]
    return subj[0] if subj else (obj[0] if obj else None)


def _linking(doc: _Doc, result: SystemScores) -> None:
    gold = doc.gold
    best: dict[str, tuple[int, str]] = {}
    for c in dict.fromkeys(m.cluster for m in doc.pm):
        g = doc.concept(c)
        if g is None:
            continue
        n = len(doc.spans.get(c, []))
        if g not in best or n > best[g][0]:
            best[g] = (n, c)
    wanted = {m.cluster for m in doc.gm if m.cluster in gold.links}
    linked = correct = 0
    for g in sorted(wanted):
        c = best.get(g, (0, None))[1]
        title = doc.out.links.get(c) if c else None
        first = next((m for m in doc.gm if m.cluster == g), None)
        span = (first.start, first.end) if first else None
        linked += bool(title)
        if title and norm_title(title) == norm_title(gold.links[g]):
            correct += 1
        elif title:
            result.error("linking", FP, f"'{doc.out.names.get(c, c)}' -> {title} (gold: {gold.links[g]})", gold, span)
        else:
            why = "not found" if c is None else f"found as '{doc.out.names.get(c, c)}', not linked"
            result.error("linking", FN, f"{gold.links[g]} ({why})", gold, span)
    result.add("linking", "accuracy (P) / correct share of gold (R)", Score.counts(correct, linked, len(wanted)))
    result.add("linking", "coverage: gold entities linked at all", Score(0, 0, linked, len(wanted)))


def _events(doc: _Doc, result: SystemScores) -> None:
    gold, out = doc.gold, doc.out
    g_events = [e for e in gold.events if e.kind in KAIROS_TO_KG]
    p_events = [e for e in out.events if e.types & MAPPED_EVENT_TYPES]
    p_spans = [(e.start, e.end) for e in p_events]
    g_spans = [(e.start, e.end) for e in g_events]
    ident = align(p_spans, g_spans)
    classified = align(p_spans, g_spans, lambda i, j: bool(p_events[i].types & KAIROS_TO_KG[g_events[j].kind]))
    result.add("events", "trigger identification", Score.counts(len(ident), len(p_events), len(g_events)))
    result.add("events", "trigger classification", Score.counts(len(classified), len(p_events), len(g_events)))
    for i, e in enumerate(p_events):
        if i not in classified:
            kinds = "/".join(sorted(e.types & MAPPED_EVENT_TYPES))
            result.error("events", FP, f"{kinds} '{e.text.lower()}'", gold, (e.start, e.end))
    hit = set(classified.values())
    for j, e in enumerate(g_events):
        if j not in hit:
            result.error("events", FN, f"{e.kind} '{e.text.lower()}'", gold, (e.start, e.end))

    # incident level: kg reports the re-mentions of one incident ("the blast", "the attack") as
    # one event with one trigger; a gold event counts as found when a compatible predicted event
    # names its sentence among its evidence
    def covers(p: int, g: int) -> bool:
        return bool(p_events[p].types & KAIROS_TO_KG[g_events[g].kind]) and any(
            a <= g_events[g].start < b for a, b in p_events[p].sentences)
    # one predicted event per incident: the first trigger of each (kg gives several wordings)
    firsts = [p for p, e in enumerate(p_events) if not e.event or e.event not in {x.event for x in p_events[:p]}]
    found = sum(1 for g in range(len(g_events)) if any(covers(p, g) for p in firsts))
    right = sum(1 for p in firsts if any(covers(p, g) for g in range(len(g_events))))
    result.add("events", "event classification, incident level (sentence)",
               Score(right, len(firsts), found, len(g_events)))

    n_pred = sum(len(e.args) for e in p_events)
    n_gold = sum(len(e.args) for e in g_events)
    counts = Counter()
    for i, j in classified.items():
        pred_args, gold_args = p_events[i].args, g_events[j].args
        for metric, use_role, heads in (("argument identification (head)", False, "head"),
                                        ("argument classification (head)", True, "head"),
                                        ("argument classification (coref)", True, "coref")):
            used: set[int] = set()
            for role, cluster in pred_args:
                spans = doc.spans.get(cluster, [])
                for k, ga in enumerate(gold_args):
                    targets = [ga.head] if heads == "head" else list(ga.coref_heads) or [ga.head]
                    if k in used or (use_role and ga.role != role):
                        continue
                    if any(overlap(t, s) for t in targets for s in spans):
                        used.add(k)
                        counts[metric] += 1
                        break
                else:
                    if metric == "argument classification (head)":
                        name = out.names.get(cluster) or " / ".join(gold.text[a:b] for a, b in spans[:1])
                        result.error("event arguments", FP, f"{role} '{name}'", gold, (p_events[i].start, p_events[i].end))
            if metric == "argument classification (head)":
                for k, ga in enumerate(gold_args):
                    if k not in used:
                        result.error("event arguments", FN, f"{ga.role} '{ga.text}'", gold, ga.head)
    for metric in ("argument identification (head)", "argument classification (head)", "argument classification (coref)"):
        result.add("events", metric, Score.counts(counts[metric], n_pred, n_gold))
