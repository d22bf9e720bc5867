"""Scorers: precision/recall/F1 from counts, span alignment, and the coreference metrics.

Everything here is pure Python on plain tuples, so the definitions can be checked by hand in the
tests. Scores keep their numerators and denominators, so per-document scores add up to a
corpus-level (micro-averaged) score with ``+``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

SpanT = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Score:
    """Precision = ``p_num / p_den``, recall = ``r_num / r_den`` (``None`` when undefined)."""

    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    @classmethod
    def counts(cls, correct: float, predicted: float, gold: float) -> Score:
        """The usual case: ``correct`` of ``predicted`` items are right, of ``gold`` items."""
        return cls(correct, predicted, correct, gold)

    def __add__(self, other: Score) -> Score:
        return Score(self.p_num + other.p_num, self.p_den + other.p_den,
                     self.r_num + other.r_num, self.r_den + other.r_den)

    @property
    def precision(self) -> float | None:
        return self.p_num / self.p_den if self.p_den else None

    @property
    def recall(self) -> float | None:
        return self.r_num / self.r_den if self.r_den else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if r is None:
            return None
        if p is None:  # nothing predicted: F1 is 0 when there was something to find
            return 0.0 if self.r_num == 0 else None
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(a: SpanT, b: SpanT) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align(predicted: Sequence[SpanT], gold: Sequence[SpanT],
          compatible: Callable[[int, int], bool] | None = None) -> dict[int, int]:
    """One-to-one alignment of overlapping spans, index of predicted -> index of gold.

    Greedy on the size of the overlap (largest first; ties broken by position), so an exact
    match always wins over a partial one. ``compatible(i, j)`` can forbid a pair (e.g. a type
    mismatch)."""
    pairs = []
    by_start = sorted(range(len(gold)), key=lambda j: gold[j])
    for i, p in enumerate(predicted):
        for j in by_start:
            g = gold[j]
            if g[0] >= p[1]:
                break
            size = overlap(p, g)
            if size and (compatible is None or compatible(i, j)):
                exact = p == g
                pairs.append((-int(exact), -size, p, g, i, j))
    pairs.sort()
    out: dict[int, int] = {}
    used: set[int] = set()
    for *_, i, j in pairs:
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def b_cubed(key: Iterable[Collection[Hashable]], response: Iterable[Collection[Hashable]]) -> Score:
    """B-cubed (Bagga & Baldwin 1998) with the CoNLL-2012 scorer's handling of mentions that one
    side lacks: recall = sum over key clusters K and response clusters R of |K & R|^2 / |K|,
    divided by the number of key mentions; precision the same with the roles swapped. A mention
    only one side has adds to that side's denominator and nothing to the numerator."""
    key_sets = [set(k) for k in key if k]
    resp_sets = [set(r) for r in response if r]
    r_num = sum(len(k & r) ** 2 / len(k) for k in key_sets for r in resp_sets if k & r)
    p_num = sum(len(k & r) ** 2 / len(r) for r in resp_sets for k in key_sets if k & r)
    return Score(p_num, sum(map(len, resp_sets)), r_num, sum(map(len, key_sets)))


def _muc_side(key_sets: list[set[Hashable]], resp_sets: list[set[Hashable]]) -> tuple[float, float]:
    where = {m: n for n, r in enumerate(resp_sets) for m in r}
    num = den = 0
    for k in key_sets:
        # the partition of K by the response; a mention the response lacks is its own part
        parts = {where.get(m, ("alone", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num, den


def muc(key: Iterable[Collection[Hashable]], response: Iterable[Collection[Hashable]]) -> Score:
    """MUC (Vilain et al. 1995): recall = sum(|K| - |p(K)|) / sum(|K| - 1), where p(K) is the
    partition of key cluster K by the response clusters (mentions the response lacks count as
    singletons); precision swaps key and response. Singletons add nothing either way."""
    key_sets = [set(k) for k in key if k]
    resp_sets = [set(r) for r in response if r]
    r_num, r_den = _muc_side(key_sets, resp_sets)
    p_num, p_den = _muc_side(resp_sets, key_sets)
    return Score(p_num, p_den, r_num, r_den)


def pairs(gold: Collection[Hashable], predicted: Collection[Hashable]) -> Score:
    """Set comparison: exact members in common."""
    return Score.counts(len(set(gold) & set(predicted)), len(set(predicted)), len(set(gold)))


def majority(votes: Iterable[Hashable]) -> Hashable | None:
    """The most frequent vote, the first one seen on a tie; ``None`` for no votes."""
    counts: dict[Hashable, int] = {}
    for v in votes:
        counts[v] = counts.get(v, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda v: counts[v])  # max keeps the first of equal counts
