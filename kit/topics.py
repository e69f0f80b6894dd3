"""Topic discovery: cluster chunk embeddings, label clusters with c-TF-IDF keywords.

Clustering is k-means on unit vectors (spherical k-means) with k chosen by silhouette, so it
works on 30 chunks as on 30,000 and never calls everything an outlier. Labels are the terms
most specific to a cluster (class-based TF-IDF); an LLM label is added when a chat backend is
configured. Users can also name topics themselves, which retrieves instead of clustering.
This module does not summarise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from kit.llm import ChatBackend, Message, Trace, traced_call
from kit.prompts import load_prompt
from kit.text import keywords
from kit.types import Chunk, Hit, Topic

# Chunks shorter than this (a lone headline, a signature) carry too little to place in a topic.
MIN_TOPIC_CHARS = 60


def choose_k(vectors: np.ndarray, k_max: int, seed: int = 0) -> tuple[int, np.ndarray]:
    """(k, labels) with the best silhouette for k in 2..k_max (k=1 when too few points)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    if n < 4:
        return 1, np.zeros(n, dtype=int)
    best: tuple[float, int, np.ndarray] = (-2.0, 1, np.zeros(n, dtype=int))
    for k in range(2, max(2, min(k_max, n - 1)) + 1):
        labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        sample = min(n, 3000)  # silhouette is O(n^2): a fixed sample keeps big corpora fast
        score = float(silhouette_score(vectors, labels, metric="cosine", sample_size=sample, random_state=seed))
        if score > best[0]:
            best = (score, k, labels)
    return best[1], best[2]


def default_k_max(n: int) -> int:
    """Up to ~sqrt(n/2) topics, at least 2 and at most 30 (a reader's attention span)."""
    return max(2, min(30, round(math.sqrt(n / 2)) + 2))


def ctfidf_labels(groups: Sequence[Sequence[str]], top: int = 5) -> list[list[str]]:
    """Top terms per group by class-based TF-IDF (unigrams and adjacent-keyword bigrams)."""
    counts = [Counter(_terms(" ".join(texts))) for texts in groups]
    total = Counter[str]()
    for c in counts:
        total.update(c)
    avg_words = sum(sum(c.values()) for c in counts) / max(1, len(counts))
    labels = []
    for c in counts:
        size = sum(c.values()) or 1
        scored = {t: (f / size) * math.log(1 + avg_words / total[t]) for t, f in c.items() if f >= 2 or len(c) < 20}
        labels.append(_dedupe_terms(sorted(scored, key=lambda t: -scored[t]), top))
    return labels


def _terms(text: str) -> list[str]:
    words = [w for w in keywords(text) if len(w) > 2 and not w.isdigit()]
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def _dedupe_terms(ranked: list[str], top: int) -> list[str]:
    """Skip a unigram already inside a chosen bigram and vice versa."""
    chosen: list[str] = []
    for term in ranked:
        parts = set(term.split())
        if any(parts <= set(c.split()) or set(c.split()) <= parts for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == top:
            break
    return chosen


def discover(chunks: Sequence[Chunk], vectors: np.ndarray, k: int | None = None,
             backend: ChatBackend | None = None) -> list[Topic]:
    """Cluster chunks into topics, largest first, each labelled."""
    keep = [i for i, c in enumerate(chunks) if len(c.text) >= MIN_TOPIC_CHARS]
    if not keep:
        return []
    sub = vectors[keep]
    if k is None:
        _, labels = choose_k(sub, default_k_max(len(keep)))
    else:
        labels = _kmeans(sub, min(k, len(keep)))
    groups: dict[int, list[int]] = {}
    for idx, label in zip(keep, labels, strict=True):
        groups.setdefault(int(label), []).append(idx)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    return _build_topics(chunks, vectors, ordered, backend)


def _kmeans(vectors: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    if k <= 1:
        return np.zeros(len(vectors), dtype=int)
    return np.asarray(KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(vectors))


def _build_topics(chunks: Sequence[Chunk], vectors: np.ndarray, groups: list[list[int]],
                  backend: ChatBackend | None) -> list[Topic]:
    terms = ctfidf_labels([[chunks[i].text for i in g] for g in groups])
    topics = []
    for n, (group, words) in enumerate(zip(groups, terms, strict=True), 1):
        centroid = vectors[group].mean(axis=0)
        order = sorted(group, key=lambda i: -float(vectors[i] @ centroid))
        members = tuple(chunks[i] for i in order)
        label = ", ".join(words[:3]) or f"topic {n}"
        topics.append(Topic(n, label, tuple(words), members, None))
    if backend is not None:
        topics = [t.with_llm_label(llm_label(t, backend)) for t in topics]
    return topics


def llm_label(topic: Topic, backend: ChatBackend) -> str:
    """A short human label for a topic from its keywords and most central passages."""
    prompt = load_prompt("topic_label")
    examples = "\n".join(f"- {' '.join(c.text.split())[:300]}" for c in topic.chunks[:3])
    system, user = prompt.render(keywords=", ".join(topic.keywords), passages=examples)
    trace = Trace(prompt.name, prompt.version, backend.name, [c.id for c in topic.chunks[:3]])
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace)
    # The first line only, then its quotes (stripping the whole reply first left a closing quote).
    label = result.text.strip().splitlines()[0].strip().strip('"“”\'') if result.text.strip() else ""
    return label[:80] or topic.label


def named_topic(name: str, search: Callable[[str, int], list[Hit]], n: int, number: int = 1) -> Topic:
    """A user-named topic: the passages retrieved for its name instead of a cluster."""
    hits = search(name, n)
    chunks = tuple(h.chunk for h in hits)
    words = ctfidf_labels([[c.text for c in chunks]])[0] if chunks else []
    return Topic(number, name, tuple(words), chunks, name)
