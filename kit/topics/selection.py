"""Choose a topic's summary sentences within a budget, then put them in reading order.

Selection maximises the weight of the concepts the summary covers, each counted once (a
concept's weight already says how central and how early it is: `kit.topics.salience`), subject to a
word budget and a sentence cap: the concept-coverage integer program of Gillick & Favre (2009),
solved with HiGHS (scipy's `milp`) over a bounded problem (candidates, concepts, search nodes;
never a time limit, so the answer does not depend on the machine's load). Counting a concept
once is what keeps two sentences that say the same thing out of one summary; near-copies are
also excluded pairwise. When the solver is unavailable, or stops at its node limit with a worse
answer, a greedy pass (gain per word, Lin & Bilmes 2010) gives it. Reading order is by article
date when every article names one, else by file, then by position in the file. This module does
not find sentences or check citations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from kit.topics.coherence import Antecedents
from kit.topics.salience import Candidate

# The problem is bounded in size, never by the wall clock, so the same topic gives the same
# summary on a quiet or a loaded machine (a time limit made the answer depend on the load).
MAX_CANDIDATES = 80  # the densest sentences in value per word; a 250-word summary takes ~12
MAX_CONCEPTS = 400  # the heaviest concepts among them; the rest weigh too little to change a choice
NODE_LIMIT = 100  # branch-and-bound nodes; past it the better of the incumbent and greedy is kept


@dataclass(frozen=True)
class Selection:
    """A selection problem: candidates, concept weights and the budgets."""

    cands: Sequence[Candidate]
    weights: dict[str, float]
    max_words: int | None
    max_sentences: int
    redundant: frozenset[tuple[int, int]] = frozenset()  # pairs (i < j) that may not both be chosen
    # A sentence whose opening refers back may be chosen only with the sentence just before it
    # (`kit.topics.coherence`); None: that sentence is not quotable, so neither is this one.
    requires: Mapping[int, int | None] = field(default_factory=dict)


def select(problem: Selection, banned: frozenset[int] = frozenset()) -> list[int]:
    """Indexes of the chosen candidates (exact when the solver answers in time, else greedy)."""
    pool = _pool(problem, banned)
    if not pool:
        return []
    try:
        picked = _solve(problem, pool)
    except (ImportError, RuntimeError):
        picked = None
    return picked if picked is not None else greedy(problem, pool)


def _value(problem: Selection, i: int) -> float:
    c = problem.cands[i]
    return sum(problem.weights.get(x, 0.0) for x in c.concepts)


def _pool(problem: Selection, banned: frozenset[int]) -> list[int]:
    """Candidates worth considering: the MAX_CANDIDATES densest in value per word."""
    pool = [i for i in range(len(problem.cands)) if i not in banned and _fits(problem, i)]
    pool.sort(key=lambda i: (-_value(problem, i) / problem.cands[i].words, i))
    pool = sorted(pool[:MAX_CANDIDATES])
    if isinstance(problem.requires, Antecedents):
        problem.requires.prepare(pool)  # one parse batch for the pool; no other candidate is read
    return _with_antecedents(problem, pool)


def _with_antecedents(problem: Selection, pool: list[int]) -> list[int]:
    """The pool without the sentences whose antecedent is not in it (chains: until none is left)."""
    kept = set(pool)
    while drop := {i for i in kept if i in problem.requires and problem.requires[i] not in kept}:
        kept -= drop
    return sorted(kept)


def _fits(problem: Selection, i: int) -> bool:
    return problem.max_words is None or problem.cands[i].words <= problem.max_words


def _solve(problem: Selection, pool: list[int]) -> list[int] | None:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    concepts = _concepts(problem, pool)
    col = {x: len(pool) + k for k, x in enumerate(concepts)}
    n = len(pool) + len(concepts)
    cost = np.zeros(n)
    # A sentence costs a hair per word, so one that adds no new concept is never taken and, of two
    # that cover the same, the shorter wins; concept weights are 1e-2 and up, so nothing else changes.
    cost[:len(pool)] = [1e-4 * problem.cands[i].words for i in pool]
    cost[len(pool):] = [-problem.weights[x] for x in concepts]
    rows: list[tuple[dict[int, float], float, float]] = []
    # A concept counts only if a chosen sentence holds it: c_k - sum(s_j holding k) <= 0.
    holders: dict[str, list[int]] = {x: [] for x in concepts}
    for j, i in enumerate(pool):
        for x in problem.cands[i].concepts:
            if x in holders:
                holders[x].append(j)
    rows += [({col[x]: 1.0, **{j: -1.0 for j in js}}, -np.inf, 0.0) for x, js in holders.items()]
    if problem.max_words is not None:
        rows.append(({j: float(problem.cands[i].words) for j, i in enumerate(pool)}, -np.inf, problem.max_words))
    rows.append(({j: 1.0 for j in range(len(pool))}, -np.inf, problem.max_sentences))
    where = {i: j for j, i in enumerate(pool)}
    rows += [({where[a]: 1.0, where[b]: 1.0}, -np.inf, 1.0) for a, b in problem.redundant
             if a in where and b in where]
    # s_i - s_antecedent <= 0: a sentence that refers back comes with the one it refers to.
    rows += [({where[i]: 1.0, where[before]: -1.0}, -np.inf, 0.0) for i in pool if i in problem.requires
             if (before := problem.requires[i]) is not None and before in where]
    matrix = lil_matrix((len(rows), n))
    for r, (coefs, _, _) in enumerate(rows):
        for j, v in coefs.items():
            matrix[r, j] = v
    constraint = LinearConstraint(matrix.tocsr(), [lo for _, lo, _ in rows], [hi for _, _, hi in rows])
    result = milp(cost, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, 1),
                  options={"node_limit": NODE_LIMIT, "presolve": True})
    if result.x is None:
        return None
    picked = [i for j, i in enumerate(pool) if result.x[j] > 0.5]
    if result.status == 0:
        return picked
    fallback = greedy(problem, pool)  # node limit reached: the incumbent may be worse than greedy
    return picked if coverage(problem, picked) >= coverage(problem, fallback) else fallback


def _concepts(problem: Selection, pool: list[int]) -> list[str]:
    """The MAX_CONCEPTS heaviest concepts of the pool (ties by name, so the order is stable)."""
    held = {x for i in pool for x in problem.cands[i].concepts if problem.weights.get(x, 0.0) > 0}
    return sorted(sorted(held, key=lambda x: (-problem.weights[x], x))[:MAX_CONCEPTS])


def coverage(problem: Selection, picked: Sequence[int]) -> float:
    """The weight of the concepts `picked` covers, each counted once."""
    return sum(problem.weights.get(x, 0.0) for x in set().union(*(problem.cands[i].concepts for i in picked)))


def greedy(problem: Selection, pool: list[int]) -> list[int]:
    """Add the sentence with the most new weight per word until nothing more fits."""
    covered: set[str] = set()
    picked: list[int] = []
    words = 0
    left = list(pool)
    while left and len(picked) < problem.max_sentences:
        left = [i for i in left if (problem.max_words is None or words + problem.cands[i].words <= problem.max_words)
                and not any((min(i, p), max(i, p)) in problem.redundant for p in picked)
                and (i not in problem.requires or problem.requires[i] in picked)]
        if not left:
            break
        best = max(left, key=lambda i: _gain(problem, i, covered))
        if _gain(problem, best, covered) <= 0:
            break
        picked.append(best)
        left.remove(best)
        covered |= problem.cands[best].concepts
        words += problem.cands[best].words
    return sorted(picked)


def _gain(problem: Selection, i: int, covered: set[str]) -> float:
    c = problem.cands[i]
    new = sum(problem.weights.get(x, 0.0) for x in c.concepts - covered)
    return new / c.words


def near_copies(cands: Sequence[Candidate], vectors: np.ndarray, cosine: float = 0.9,
                overlap: float = 0.6) -> frozenset[tuple[int, int]]:
    """Pairs of candidates that say the same thing: embedding cosine or concept overlap (Jaccard)."""
    if len(cands) < 2:
        return frozenset()
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows = [k for k, c in enumerate(cands) for _ in c.concepts]
    cols = [index.setdefault(x, len(index)) for c in cands for x in c.concepts]
    held = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(cands), max(1, len(index))))
    shared = (held @ held.T).toarray()
    sizes = np.array([len(c.concepts) for c in cands], dtype=float)
    union = np.maximum(1.0, sizes[:, None] + sizes[None, :] - shared)
    same = (vectors @ vectors.T >= cosine) | (shared / union >= overlap)
    i, j = np.nonzero(np.triu(same, k=1))
    return frozenset(zip(i.tolist(), j.tolist(), strict=True))


_MONTHS = {m: n for n, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_WRITTEN_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})\b")


def article_date(head: str) -> date | None:
    """The date an article's first lines give ("Saturday, January 8, 2005", "2005/01/08")."""
    for m in _NUMERIC_DATE.finditer(head):
        if (found := _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))) is not None:
            return found
    for m in _WRITTEN_DATE.finditer(head):
        if (found := _date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))) is not None:
            return found
    return None


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def reading_order(cands: Sequence[Candidate], picked: Sequence[int], heads: dict[str, str]) -> list[int]:
    """`picked` by article date (when every article of the picked sentences has one), then file
    and position; `heads` maps each file to its first text (where a date line would be)."""
    paths = {cands[i].path for i in picked}
    dates = {p: article_date(heads.get(p, "")) for p in paths}
    dated = all(d is not None for d in dates.values())

    def key(i: int) -> tuple[str, str, int]:
        c = cands[i]
        found = dates[c.path]
        when = found.isoformat() if dated and found is not None else ""
        return when, c.path, c.passage.offset + c.start

    return sorted(picked, key=key)
