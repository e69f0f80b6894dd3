"""The classic extractive summarizers kit is compared with, implemented from their papers.

All three take the same input as kit: the topic's quotable sentences (`kit.topics.salience.candidates`:
kit's sentence splitter and its filter for headlines, datelines, bylines, captions, menus and
links), and fill the same budget by the same rule (`fill`: whole sentences in the system's
order, a sentence that would pass the budget is skipped, the next is tried). They differ only
in how they rank.

- LexRank (Erkan & Radev 2004, "LexRank: graph-based lexical centrality as salience"): sentences
  as tf-idf vectors, an edge where the idf-modified cosine is at least 0.1 (the paper's best
  threshold), PageRank by power iteration with damping d = 0.15 (p = d/N + (1-d) M^T p), sentences
  taken by score, skipping one whose cosine to a chosen sentence is 0.5 or more (the redundancy
  removal MEAD's reranker performs, which the paper used for DUC).
- Centroid (Radev, Jing, Styś & Tam 2004, "Centroid-based summarization of multiple documents",
  the MEAD scorer): the cluster centroid is the mean tf-idf vector of its documents with words
  under a threshold dropped (here: the 100 highest); a sentence scores C + P + F, C the sum of
  the centroid values of its words, P = C_max (n - i + 1) / n for the i-th of n sentences of its
  document, F its overlap (dot product) with its document's first sentence scaled to C_max;
  redundancy removal as above.
- Lead: the first sentences of the topic's first article (the classic news baseline).

idf comes from the whole corpus the systems see (every document of the data set), words are
lower-cased Porter stems without stopwords.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from kit.text import STOPWORDS
from kit.topics.salience import Candidate

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
Idf = Callable[[str], float]


def words(text: str) -> list[str]:
    return [_porter(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def _porter(word: str) -> str:
    return str(porter_stemmer().stem(word))


@lru_cache(maxsize=1)
def porter_stemmer() -> Any:
    """nltk's Porter stemmer, what rouge_score stems with too."""
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def corpus_idf(documents: Sequence[str]) -> Idf:
    """idf(w) = log(N / df(w)) over the corpus documents (unseen words get the highest idf)."""
    df = Counter(w for d in documents for w in set(words(d)))
    n = len(documents)

    def idf(w: str) -> float:
        return math.log(n / df.get(w, 1))

    return idf


def fill(order: Sequence[int], cands: Sequence[Candidate], budget: int) -> list[int]:
    """Whole sentences in `order`; one that would pass `budget` words is skipped."""
    out: list[int] = []
    total = 0
    for i in order:
        if total + cands[i].words <= budget:
            out.append(i)
            total += cands[i].words
    return out


def _tfidf(cands: Sequence[Candidate], idf: Idf) -> np.ndarray:
    toks = [words(c.text) for c in cands]
    vocab = {w: k for k, w in enumerate(sorted({w for t in toks for w in t}))}
    m = np.zeros((len(cands), len(vocab)))
    for i, t in enumerate(toks):
        for w, n in Counter(t).items():
            m[i, vocab[w]] = n * idf(w)
    return m


def _cosines(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    unit = m / np.where(norms == 0, 1, norms)
    return np.asarray(unit @ unit.T)


def _without_redundancy(ranked: Sequence[int], sim: np.ndarray, redundant: float = 0.5) -> list[int]:
    kept: list[int] = []
    for i in ranked:
        if all(sim[i, j] < redundant for j in kept):
            kept.append(i)
    return kept


def lexrank_scores(sim: np.ndarray, threshold: float = 0.1, damping: float = 0.15, tol: float = 1e-6
                   ) -> np.ndarray:
    """LexRank: stationary distribution of the thresholded cosine graph, with damping."""
    n = len(sim)
    adj = (sim >= threshold).astype(float)
    np.fill_diagonal(adj, 1.0)  # a sentence whose words all have idf 0 has a zero vector: keep its self-link
    degree = adj.sum(axis=1, keepdims=True)
    m = adj / degree
    p = np.full(n, 1.0 / n)
    for _ in range(1000):
        nxt = damping / n + (1 - damping) * (m.T @ p)
        if np.abs(nxt - p).sum() < tol:
            return nxt
        p = nxt
    return p


def lexrank_values(cands: Sequence[Candidate], idf: Idf) -> tuple[np.ndarray, np.ndarray]:
    """(LexRank score of each sentence, the tf-idf cosines it was computed from)."""
    sim = _cosines(_tfidf(cands, idf))
    return lexrank_scores(sim), sim


def lexrank(cands: Sequence[Candidate], idf: Idf, budget: int) -> list[int]:
    scores, sim = lexrank_values(cands, idf)
    ranked = sorted(range(len(cands)), key=lambda i: (-scores[i], i))
    return fill(_without_redundancy(ranked, sim), cands, budget)


def centroid_values(cands: Sequence[Candidate], idf: Idf, documents: Sequence[str], keep: int = 100
                    ) -> np.ndarray:
    """MEAD's centroid value of each sentence: the sum of the centroid's weights of its words, the
    centroid being the documents' mean tf-idf with its `keep` highest words kept."""
    mean: dict[str, float] = {}
    for d in documents:
        for w, n in Counter(words(d)).items():
            mean[w] = mean.get(w, 0.0) + n * idf(w) / len(documents)
    centre = dict(sorted(mean.items(), key=lambda kv: -kv[1])[:keep])
    return np.array([sum(centre.get(w, 0.0) for w in words(c.text)) for c in cands])


def centroid(cands: Sequence[Candidate], idf: Idf, budget: int, documents: Sequence[str],
             keep: int = 100) -> list[int]:
    """MEAD: centroid value + position + first-sentence overlap, redundancy removed."""
    c_value = centroid_values(cands, idf, documents, keep)
    c_max = float(c_value.max()) if len(c_value) else 0.0
    per_doc = Counter(c.path for c in cands)
    index = {i: n for path in per_doc for n, i in enumerate(
        sorted((i for i, c in enumerate(cands) if c.path == path), key=lambda i: cands[i].rank))}
    first = {cands[i].path: Counter(words(cands[i].text)) for i, n in index.items() if n == 0}
    position = np.array([c_max * (per_doc[c.path] - index[i]) / per_doc[c.path] for i, c in enumerate(cands)])
    overlap = np.array([sum(n * first[c.path].get(w, 0) for w, n in Counter(words(c.text)).items())
                        for c in cands], dtype=float)
    if overlap.max(initial=0) > 0:
        overlap *= c_max / overlap.max()
    scores = c_value + position + overlap
    sim = _cosines(_tfidf(cands, idf))
    ranked = sorted(range(len(cands)), key=lambda i: (-scores[i], i))
    return fill(_without_redundancy(ranked, sim), cands, budget)


def lead(cands: Sequence[Candidate], budget: int, first_path: str) -> list[int]:
    """The first sentences of one article."""
    order = sorted((i for i, c in enumerate(cands) if c.path == first_path), key=lambda i: cands[i].rank)
    return fill(order, cands, budget)
