"""Themes: stories that belong under one heading, found by clustering the stories, not documents.

A story is summed up by the mean of its documents' centred vectors (centred on the corpus mean, as
in `kit.topics.cluster`), so the dot product of two stories' means is the average centred cosine
between their documents, and grouping stories by average linkage on those products is the same
as grouping their documents by average linkage with each story kept whole. Costs: a stories ×
stories matrix and one product per document (k ≤ 30 stories), milliseconds beside the clustering.

A group of stories is a theme when all three hold (no fitted parameter):
- it was merged above the corpus average (average centred cosine above 0: the rule that keeps
  two stories apart in `kit.topics.cluster`, applied one level up);
- each of its stories has most of its documents more alike than average to the theme's other
  stories, so no story rides along with an unrelated one (on the SQuAD articles, a 0.0005 merge
  of Harvard University into the science articles fails here: 21 of its 37 documents lean, but
  only 27 of Steam engine's 57);
- its documents say so beyond chance: the documents more alike than average to the theme's other
  stories outnumber the others by a one-sided sign test at the 5% level. Five documents is the
  least evidence there is, so two of the seeds' stories (four documents at most) never form one.
"Documents" are the clustering's units: a long document counts once per run of 8 chunks.
A group that fails is split into the two it was merged from, and each is tried again; a story in
no theme stands alone. A theme holding most of the corpus' stories (but not all) is a genre: news
beside package manuals. Its stories are then read on their own, centred on their mean, and the
themes found among them, when there are two or more, replace it.
This module neither clusters documents nor labels themes (`kit.topics.theme_labels`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIGNIFICANCE = 0.05  # the sign test's level: the convention, not fitted to any corpus


@dataclass(frozen=True)
class Node:
    """A group of stories of the average-linkage tree: its stories, the average centred cosine
    it was merged at, and the two groups merged (none for a single story)."""

    stories: tuple[int, ...]
    height: float
    parts: tuple[Node, ...] = ()


def centred(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors minus their mean, renormalised (what the documents do not all share)."""
    out = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.where(norms == 0, 1.0, norms))


def theme_groups(vectors: np.ndarray, stories: Sequence[Sequence[int]]) -> list[list[int]]:
    """The themes of stories given as row indexes into `vectors` (one row per document, centred on
    the corpus mean and of unit length, as `centred` gives them), each a list of
    story indexes (two or more), most documents first; stories in no theme are absent."""
    if len(stories) < 2:
        return []
    x = vectors
    means = np.stack([x[list(g)].mean(axis=0) for g in stories])
    sizes = np.array([len(g) for g in stories], dtype=np.float64)
    root = tree(means @ means.T, sizes)
    found = []
    for node in _themes(root, x, means, sizes, stories):
        group = list(node.stories)
        most = len(stories) / 2 < len(group) < len(stories)  # most of the stories, but not all (that is the corpus)
        inner = _inside(x, [stories[i] for i in group]) if most else []
        found += [[group[i] for i in t] for t in inner] if len(inner) >= 2 else [group]
    return sorted(found, key=lambda g: (-sum(len(stories[i]) for i in g), min(g)))


def _inside(x: np.ndarray, stories: Sequence[Sequence[int]]) -> list[list[int]]:
    """The themes among `stories`, their documents centred on their own mean: a group holding most
    of the corpus' stories is a genre (news beside manuals), and its headings are what sets its
    stories apart from each other, as a topic too large is clustered again on its own."""
    rows = [r for g in stories for r in g]
    sub = centred(x[rows])
    at = np.cumsum([0, *[len(g) for g in stories]])
    return theme_groups(sub, [list(range(int(at[i]), int(at[i + 1]))) for i in range(len(stories))])


def tree(sims: np.ndarray, sizes: np.ndarray) -> Node:
    """Average linkage over stories, each weighted by its documents: the root of the tree."""
    nodes = [Node((i,), float(sims[i, i])) for i in range(len(sizes))]
    while len(nodes) > 1:
        pairs = [(linkage(sims, sizes, a.stories, b.stories), i, j)
                 for i, a in enumerate(nodes) for j, b in enumerate(nodes) if i < j]
        height, i, j = max(pairs)
        merged = Node(tuple(sorted(nodes[i].stories + nodes[j].stories)), height, (nodes[i], nodes[j]))
        nodes = [n for m, n in enumerate(nodes) if m not in (i, j)] + [merged]
    return nodes[0]


def linkage(sims: np.ndarray, sizes: np.ndarray, a: Sequence[int], b: Sequence[int]) -> float:
    """The average centred cosine between the documents of story groups `a` and `b`."""
    wa, wb = sizes[list(a)], sizes[list(b)]
    return float(wa @ sims[np.ix_(list(a), list(b))] @ wb / (wa.sum() * wb.sum()))


def _themes(node: Node, x: np.ndarray, means: np.ndarray, sizes: np.ndarray,
            stories: Sequence[Sequence[int]]) -> list[Node]:
    if len(node.stories) < 2:
        return []
    if node.height > 0 and is_theme(node.stories, x, means, sizes, stories):
        return [node]
    return [t for part in node.parts for t in _themes(part, x, means, sizes, stories)]


def is_theme(group: Sequence[int], x: np.ndarray, means: np.ndarray, sizes: np.ndarray,
             stories: Sequence[Sequence[int]]) -> bool:
    """Most documents of every story lean to the rest of the group, and all its documents do
    beyond chance."""
    leaning = 0
    total = 0
    for i in group:
        rest = [j for j in group if j != i]
        other = sizes[rest] @ means[rest] / sizes[rest].sum()  # the mean of the rest's documents
        inside = int((x[list(stories[i])] @ other > 0).sum())  # its average centred cosine to them
        if 2 * inside <= len(stories[i]):
            return False
        leaning += inside
        total += len(stories[i])
    return sign_test(leaning, total) < SIGNIFICANCE


def sign_test(successes: int, trials: int) -> float:
    """One-sided p-value of at least `successes` of `trials` under a fair coin (exact up to 1,000
    trials, where the normal approximation is within 0.001 of it)."""
    if trials <= 0:
        return 1.0
    if trials > 1000:  # the normal approximation, with continuity correction: exact sums overflow floats
        z = (successes - 0.5 - trials / 2) / math.sqrt(trials / 4)
        return 0.5 * math.erfc(z / math.sqrt(2))
    return sum(math.comb(trials, k) for k in range(max(0, successes), trials + 1)) / 2 ** trials
