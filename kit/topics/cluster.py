"""Topic discovery: group documents into the stories a reader would name, and label them.

The unit is a document (a long one is cut into runs of consecutive chunks), represented by the
length-weighted mean of its chunk vectors. Units are grouped by average-linkage clustering on
vectors centred on the corpus mean, so what every document shares (a corpus all about the war in
Syria) does not make every story alike. The number of topics is the larger of two readings:
the cut with the best silhouette, and the number of groups left when only groups more alike than
the corpus average (centred cosine above 0) are merged, so two stories that merely share the
corpus' theme stay apart. Neither reading has a fitted parameter; on random 5-20 document
subsets of MultiLing the pair recovers the stories better than either alone (bench/README.md).
Past `SAMPLE` units the clustering runs on a fixed sample and the rest join the nearest topic,
so the cost stays bounded on large corpora; there, a topic of more than `REFINE_ABOVE` units
is clustered again on its own, since the strongest split of a large corpus is often by genre:
the topic whose documents spread most first (a genre of news stories before one of package
descriptions alike in their boilerplate), cut to fit when it holds more stories than `MAX_TOPICS`
leaves room for.

Labels: the phrase most of the topic's documents share and the rest do not (`kit.topics.phrases`),
else the topic's most central headline (recased when shouting), else its most central key
phrase, else its top c-TF-IDF keywords; an LLM label is added when a chat backend is configured.
Each topic lists its documents, most representative first. Users can also name topics, which
retrieves instead of clustering. This module does not summarise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kit.embeddings import Embedder
from kit.llm.base import ChatBackend
from kit.progress import Progress, Silent, Stage
from kit.results import Topic
from kit.topics.cache import TopicCache
from kit.topics.labels import readable_label
from kit.topics.llm_labels import llm_label
from kit.topics.phrases import shared_label
from kit.topics.reading import Reading, as_written, ctfidf_labels, ranked_terms, read_corpus
from kit.topics.theme_labels import with_themes
from kit.topics.themes import centred
from kit.types import Chunk, Hit

# Chunks shorter than this (a lone headline, a signature) carry too little to place in a topic.
MIN_TOPIC_CHARS = 60
UNIT_CHUNKS = 8  # a document of more chunks (≈6,400 chars at the default size) is cut into runs of this many
SAMPLE = 2000  # units clustered directly; average linkage holds 2000² distances (32 MB), others are assigned
MAX_TOPICS = 30  # a reader's attention span
# A topic of more units than this is more than one story: MultiLing's stories have 10 to 13
# articles, a SQuAD article 20 to 60 paragraphs.
REFINE_ABOVE = 100
SILHOUETTE_TIE = 0.01  # silhouettes closer than this are a tie (they move by more between runs of k-means)


@dataclass(frozen=True)
class Unit:
    """A document, or a run of a long document's consecutive chunks: what gets a topic."""

    chunks: tuple[int, ...]  # indexes into the chunk list
    vector: np.ndarray


def units(chunks: Sequence[Chunk], vectors: np.ndarray) -> list[Unit]:
    """Documents (long ones cut into runs of UNIT_CHUNKS), each with its mean chunk vector."""
    by_path: dict[str, list[int]] = {}
    for i, c in enumerate(chunks):
        by_path.setdefault(c.path, []).append(i)
    out = []
    for path in sorted(by_path):
        idx = sorted(by_path[path], key=lambda i: chunks[i].start)
        parts = math.ceil(len(idx) / UNIT_CHUNKS)
        for part in np.array_split(np.array(idx), parts):
            members = [int(i) for i in part]
            weights = np.array([len(chunks[i].text) for i in members], dtype=np.float64)
            if weights.sum() < MIN_TOPIC_CHARS:
                continue
            out.append(Unit(tuple(members), _unit_vector(vectors[members], weights)))
    return out


def _unit_vector(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    mean = (vectors * weights[:, None]).sum(axis=0)
    return mean / (float(np.linalg.norm(mean)) or 1.0)


def cluster(vectors: np.ndarray, k: int | None = None, seed: int = 0,
            documents: Sequence[str] | None = None) -> np.ndarray:
    """A topic label per row: average linkage on centred vectors, k fixed or chosen; with k
    chosen, a topic of more than REFINE_ABOVE units is clustered again on its own (centred on its
    own mean), until MAX_TOPICS: on a large corpus the strongest split is often by genre (news,
    encyclopedia, manuals), and each genre holds many stories. `documents` names each row's
    document: the topic whose documents spread most is split first (`_alike`), read per document,
    since a few long manuals make many units and a thousand short articles few."""
    labels = _flat(vectors, k, seed)
    return labels if k is not None else _refine(vectors, labels, seed, documents)


def _refine(vectors: np.ndarray, labels: np.ndarray, seed: int, documents: Sequence[str] | None = None) -> np.ndarray:
    labels = labels.copy()
    docs = list(documents) if documents is not None else [str(i) for i in range(len(labels))]
    final: set[int] = set()
    while len(set(labels.tolist())) < MAX_TOPICS:
        rows_of = {t: np.flatnonzero(labels == t) for t in set(labels.tolist()) - final}
        big = [t for t, rows in rows_of.items() if len(rows) > REFINE_ABOVE]
        if not big:
            break
        target = min(big, key=lambda t: (_alike(vectors, rows_of[t], docs), -len(rows_of[t]), t))
        rows = rows_of[target]
        sub = _flat(vectors[rows], None, seed)
        room = MAX_TOPICS - len(set(labels.tolist())) + 1
        if len(set(sub.tolist())) > room:  # more stories than room: the coarser cut that fits
            sub = _flat(vectors[rows], room, seed)
        if len(set(sub.tolist())) < 2:
            final.add(target)
            continue
        labels[rows] = sub + int(labels.max()) + 1
    return np.unique(labels, return_inverse=True)[1]


def _alike(vectors: np.ndarray, rows: np.ndarray, docs: Sequence[str]) -> float:
    """How alike a topic's documents are (each the mean of its units among `rows`): the length of
    their mean vector, 1 when all point one way, lower the more they spread. Documents, not units:
    the chapters of three long manuals are three documents, each much like the others, however
    far apart the chapters are."""
    by_doc: dict[str, list[int]] = {}
    for i in rows:
        by_doc.setdefault(docs[int(i)], []).append(int(i))
    means = np.stack([_unit_vector(vectors[ix], np.ones(len(ix))) for ix in by_doc.values()])
    return float(np.linalg.norm(means.mean(axis=0)))


def _flat(vectors: np.ndarray, k: int | None = None, seed: int = 0) -> np.ndarray:
    """One level of clustering: k fixed or chosen by `choose_k`."""
    n = len(vectors)
    if n < 4 and k is None:  # silhouette needs 2 <= k <= n - 1 with room to choose
        return np.zeros(n, dtype=int)
    if k is not None and k <= 1:
        return np.zeros(n, dtype=int)
    if n > SAMPLE:
        pick = np.sort(np.random.default_rng(seed).choice(n, SAMPLE, replace=False))
        labels = _flat(vectors[pick], k, seed)
        return _assign(vectors, vectors[pick], labels)
    x = centred(vectors)
    if n < 2 or float(np.abs(x).max()) < 1e-6:  # one unit, or every unit alike: one topic
        return np.zeros(n, dtype=int)
    tree, distances = _linkage(x)
    from scipy.cluster.hierarchy import fcluster

    if k is None:
        k = choose_k(tree, distances, n)
    return np.asarray(fcluster(tree, t=min(k, n), criterion="maxclust")) - 1


def _linkage(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import pdist, squareform

    # A unit equal to the corpus mean centres to zero; its distance to all is the average (1).
    condensed = np.clip(np.nan_to_num(pdist(x, metric="cosine"), nan=1.0), 0.0, 2.0)
    return linkage(condensed, method="average"), squareform(condensed)


def choose_k(tree: np.ndarray, distances: np.ndarray, n: int) -> int:
    """The larger of the best-silhouette cut and the count of groups more alike than average."""
    from scipy.cluster.hierarchy import fcluster

    scores: dict[int, float] = {}
    for k in range(2, min(MAX_TOPICS, n - 1) + 1):
        labels = fcluster(tree, t=k, criterion="maxclust")
        if len(set(labels)) >= 2:
            scores.setdefault(len(set(labels)), silhouette(distances, labels))
    best = max(scores.values(), default=-2.0)
    # The fewest topics whose silhouette is within SILHOUETTE_TIE of the best: cuts that close
    # explain the data equally well, and fewer topics read better.
    best_k = min((k for k, s in scores.items() if s >= best - SILHOUETTE_TIE), default=1)
    # Centred cosine 0 is the corpus average: groups less alike than that are different stories.
    apart = len(set(fcluster(tree, t=1.0, criterion="distance")))
    return max(best_k, min(apart, MAX_TOPICS))


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette of `labels` over a square distance matrix (Rousseeuw 1987, as scikit-learn
    computes it: 0 for a point alone in its cluster); here so a run need not import scikit-learn."""
    _, index = np.unique(labels, return_inverse=True)
    member = np.eye(int(index.max()) + 1)[index]  # n x k one-hot
    sizes = member.sum(axis=0)
    sums = distances @ member  # each point's total distance to each cluster
    own = sizes[index] - 1
    a = sums[np.arange(len(index)), index] / np.maximum(own, 1)
    others = np.where(member.astype(bool), np.inf, sums / sizes)
    b = others.min(axis=1)
    s = np.where(own > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _assign(vectors: np.ndarray, sample: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Every row's label: the topic of the sample whose centred centroid is nearest."""
    mean = sample.mean(axis=0)
    topics = sorted(set(labels.tolist()))
    centroids = np.stack([(sample[labels == t] - mean).mean(axis=0) for t in topics])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    x = vectors - mean
    return np.asarray(topics)[np.argmax(x @ centroids.T, axis=1)]


def discover(chunks: Sequence[Chunk], vectors: np.ndarray, k: int | None = None,
             backend: ChatBackend | None = None, embedder: Embedder | None = None,
             cache: TopicCache | None = None, progress: Progress | None = None) -> list[Topic]:
    """Cluster the documents into topics, largest first, each labelled. With a `cache` of the
    last run, only topics whose documents changed are recomputed (see `kit.topics.cache`).
    `progress` hears of the clustering (one step) and of each topic labelled."""
    progress = progress or Silent()
    parts = units(chunks, vectors)
    if not parts:
        return []
    matrix = np.stack([u.vector for u in parts])
    keys = [_unit_key(chunks, u) for u in parts]
    progress.start(Stage.CLUSTER, len(parts))
    plan = cache.plan(keys, matrix) if cache is not None else None
    if plan is None:
        labels = cluster(matrix, None if k is None else min(k, len(parts)),
                         documents=[chunks[u.chunks[0]].path for u in parts])
        by_label: dict[int, list[int]] = {}
        for i, label in enumerate(labels):
            by_label.setdefault(int(label), []).append(i)
        groups = sorted(by_label.values(), key=lambda g: (-sum(len(parts[i].chunks) for i in g), g[0]))
        progress.advance(len(parts))
        reading = read_corpus(chunks, [[c for i in g for c in parts[i].chunks] for g in groups])
        topics = build_topics(chunks, vectors, [[parts[i] for i in g] for g in groups], backend, embedder,
                              progress=progress, reading=reading)
    else:
        groups, origins, touched = plan
        progress.advance(len(parts))
        reading = read_corpus(chunks, [[c for i in g for c in parts[i].chunks] for g in groups])
        built = build_topics(chunks, vectors, [[parts[i] for i in g] for g in groups], backend, embedder, touched,
                             progress, reading)
        topics = _renumber(built, origins, touched, cache)
    if cache is not None:
        topics = cache.changes(topics)  # against the asking command's own last run
        order = {t.number: g for t, g in zip(topics, groups, strict=True)}
        cache.save(topics, lambda t: [{"path": keys[i][0], "sha": keys[i][1], "chunks": list(keys[i][2])}
                                      for i in order[t.number]],
                   lambda t: _unit_vector(matrix[order[t.number]], np.ones(len(order[t.number]))), matrix.mean(axis=0))
    topics = with_themes(topics, groups, centred(matrix), reading)
    return sorted(topics, key=lambda t: t.number)


def _unit_key(chunks: Sequence[Chunk], unit: Unit) -> tuple[str, str, tuple[str, ...]]:
    first = chunks[unit.chunks[0]]
    return first.path, first.doc_sha256, tuple(chunks[i].id for i in unit.chunks)


def _renumber(topics: list[Topic], origins: list[int], touched: list[bool], cache: TopicCache | None) -> list[Topic]:
    """Cached topics keep their number (and, untouched, their labels); new ones take the next."""
    assert cache is not None
    out: list[Topic] = []
    taken = {cache.number_for(o, set()) for o in origins if o >= 0}
    for topic, origin, fresh in zip(topics, origins, touched, strict=True):
        number = cache.number_for(origin, taken)
        taken.add(number)
        if not fresh:
            out.append(cache.restore(topic, origin))
        else:
            out.append(replace(topic, number=number))  # its change mark is set against the command's last run
    return out


def build_topics(chunks: Sequence[Chunk], vectors: np.ndarray, groups: list[list[Unit]],
                 backend: ChatBackend | None, embedder: Embedder | None,
                 fresh: Sequence[bool] | None = None, progress: Progress | None = None,
                 reading: Reading | None = None) -> list[Topic]:
    """Topics from groups of units: central chunks first, representative documents, labels
    (only for the groups `fresh` marks; the others keep the labels they have elsewhere)."""
    fresh = list(fresh) if fresh is not None else [True] * len(groups)
    progress = progress or Silent()
    progress.start(Stage.LABEL, sum(fresh))
    members = [[i for u in g for i in u.chunks] for g in groups]
    reading = reading or read_corpus(chunks, members)
    texts, phrases, df = reading.texts, reading.phrases, reading.df
    terms = [as_written(t, [chunks[i].text for i in m])
             for t, m in zip(ranked_terms(reading.counts), members, strict=True)]
    centroids = [_unit_vector(vectors[m], np.ones(len(m))) for m in members]
    topics = []
    for n, (group, idx, words, centre) in enumerate(zip(groups, members, terms, centroids, strict=True), 1):
        order = sorted(idx, key=lambda i: -float(vectors[i] @ centre))
        central = sorted(group, key=lambda u: -float(u.vector @ centre))
        docs = tuple(dict.fromkeys(chunks[u.chunks[0]].path for u in central))
        topic_chunks = tuple(chunks[i] for i in order)
        if not fresh[n - 1]:
            topics.append(Topic(n, "", tuple(words), topic_chunks, None, docs))
            continue
        label = (shared_label(docs, phrases, df, texts)
                 or readable_label(topic_chunks, centre, centroids, embedder)
                 or ", ".join(words[:3]) or f"topic {n}")
        topic = Topic(n, label, tuple(words), topic_chunks, None, docs)
        named = llm_label(topic, backend, centre, centroids, embedder) if backend is not None else None
        topics.append(topic.with_llm_label(named) if named else topic)
        progress.advance(1, label)
    return topics


def named_topic(name: str, search: Callable[[str, int], list[Hit]], n: int, number: int = 1) -> Topic:
    """A user-named topic: the passages retrieved for its name instead of a cluster."""
    hits = search(name, n)
    chunks = tuple(h.chunk for h in hits)
    words = ctfidf_labels([[c.text for c in chunks]])[0] if chunks else []
    return Topic(number, name, tuple(words), chunks, name, tuple(dict.fromkeys(c.path for c in chunks)))
