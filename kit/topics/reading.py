"""What topic and theme labels read of the corpus, once per run: each document's text and its
candidate phrases (`kit.topics.phrases`), and each group's terms for class-based TF-IDF keywords,
shown as the texts write them. This module does not cluster or choose labels."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kit.text import keywords, spellings
from kit.topics.phrases import document_phrases
from kit.types import Chunk


@dataclass(frozen=True)
class Reading:
    """What labels read of the corpus, once per run: each document's text and candidate phrases,
    in how many documents each phrase occurs, and each group's term counts (for c-TF-IDF)."""

    texts: dict[str, str]
    phrases: dict[str, Counter[str]]
    df: Counter[str]
    counts: list[Counter[str]]


def read_corpus(chunks: Sequence[Chunk], groups: Sequence[Sequence[int]]) -> Reading:
    """Documents and phrases of `chunks`; term counts of each group of chunk indexes."""
    texts = document_texts(chunks)
    phrases, df = document_phrases(texts)
    counts = term_counts([[chunks[i].text for i in g] for g in groups])
    return Reading(texts, phrases, df, counts)


def document_texts(chunks: Sequence[Chunk]) -> dict[str, str]:
    """Each document's text: its chunks in file order, overlaps and all."""
    by_path: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_path.setdefault(c.path, []).append(c)
    return {p: "\n".join(c.text for c in sorted(cs, key=lambda c: c.start)) for p, cs in by_path.items()}


def ctfidf_labels(groups: Sequence[Sequence[str]], top: int = 5) -> list[list[str]]:
    """Top terms per group by class-based TF-IDF (unigrams and adjacent-keyword bigrams), each
    word as the group's texts most often spell it."""
    labels = ranked_terms(term_counts(groups), top)
    return [as_written(terms, texts) for terms, texts in zip(labels, groups, strict=True)]


def term_counts(groups: Sequence[Sequence[str]]) -> list[Counter[str]]:
    """Each group's terms (stemmed keywords and adjacent pairs of them) and how often it uses each."""
    return [Counter(_terms(" ".join(texts))) for texts in groups]


def ranked_terms(counts: Sequence[Counter[str]], top: int = 5) -> list[list[str]]:
    """Each group's `top` terms (stems) by class-based TF-IDF against the other groups."""
    total = Counter[str]()
    for c in counts:
        total.update(c)
    avg_words = sum(sum(c.values()) for c in counts) / max(1, len(counts))
    labels = []
    for c in counts:
        size = sum(c.values()) or 1
        scored = {t: (f / size) * math.log(1 + avg_words / total[t]) for t, f in c.items() if f >= 2 or len(c) < 20}
        labels.append(dedupe_terms(sorted(scored, key=lambda t: -scored[t]), top))
    return labels


def as_written(terms: list[str], texts: Sequence[str]) -> list[str]:
    """Stemmed terms shown as the words the texts use ("Yukos", not "yuko")."""
    words = spellings(" ".join(texts))
    return [" ".join(words.get(part, part) for part in term.split()) for term in terms]


def _terms(text: str) -> list[str]:
    words = [w for w in keywords(text) if len(w) > 2 and not w.isdigit()]
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def dedupe_terms(ranked: list[str], top: int) -> list[str]:
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


