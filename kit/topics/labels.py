"""Readable topic labels without a model: the most central headline, else a key phrase.

A topic's headlines (`kit.topics.salience.headlines`) are scored by how close their embedding is to
the topic's centroid and how much closer than to any other topic's: the headline that names
this story and no other. A headline in capitals is recased from how the topic's own text writes
each word ("US-LED COALITION ... RAQQAH" becomes "US-led coalition ... Raqqah"); a trailing
credit ("– REPORTS") is cut. Corpora without headlines (manuals, notes) get a key phrase (two
to four content words in a row, made of the topic's frequent words) scored the same way. This module does not
cluster; without an embedder it takes the headline of the most representative document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from kit.embeddings import Embedder
from kit.text import STOPWORDS
from kit.topics.phrases import names_a_thing
from kit.topics.salience import headlines
from kit.types import Chunk

MAX_WORDS = 12  # longer headlines read as sentences, not labels
HEADLINES = 12  # of the topic's most representative documents; enough to find the central one
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
_URLS = re.compile(r"\S*(?:https?://|www\.|@)\S*|\S+\.(?:com|org|net|io)\b\S*")  # links and e-mail addresses
_TAIL = re.compile(r"\s+[–—|-]\s+\S+(?:\s+\S+)?$")  # " – REPORTS", " | Reuters"


def readable_label(chunks: Sequence[Chunk], centre: np.ndarray, centroids: Sequence[np.ndarray],
                   embedder: Embedder | None) -> str | None:
    """The label for a topic whose chunks are `chunks` (most central first), or None."""
    text = " ".join(c.text for c in chunks[:200])
    options = _headline_options(chunks, text)
    if not options:  # phrases of the text that name something ("price oil" of "they would price oil" does not)
        options = [o for o in key_phrases(text) if names_a_thing(o, [text])]
    if not options:
        return None
    if embedder is None:
        return options[0]
    vectors = embedder.embed(options)
    others = [c for c in centroids if c is not centre]
    score = vectors @ centre - (np.max(vectors @ np.stack(others).T, axis=1) if others else 0.0)
    # A label that runs long reads worse: a small cost per word past six.
    score -= 0.01 * np.array([max(0, len(o.split()) - 6) for o in options])
    return options[int(np.argmax(score))]


def _headline_options(chunks: Sequence[Chunk], text: str) -> list[str]:
    order = list(dict.fromkeys(c.path for c in chunks))[:HEADLINES]
    found = headlines([c for c in chunks if c.path in set(order)])
    casing = _casing(text)
    options = [tidy(found[p], casing) for p in order if p in found]
    return [o for o in dict.fromkeys(options) if 3 <= len(o.split()) <= MAX_WORDS] or options[:1]


def tidy(headline: str, casing: dict[str, str]) -> str:
    """A headline as a label: trailing credit cut, capitals recased, whitespace collapsed."""
    line = " ".join(headline.split())
    if len(line.split()) > 4:
        line = _TAIL.sub("", line)
    letters = [ch for ch in line if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
        line = _recase(line, casing)
    return line.rstrip(" .:;,")


def _recase(line: str, casing: dict[str, str]) -> str:
    out = []
    for n, m in enumerate(_WORD.finditer(line)):
        word = m.group()
        fixed = casing.get(word.lower(), word.lower())
        out.append((fixed[:1].upper() + fixed[1:]) if n == 0 else fixed)
    pieces = re.split(_WORD, line)
    return "".join(p + w for p, w in zip(pieces, [*out, ""], strict=False))


def _casing(text: str) -> dict[str, str]:
    """Each word's most common spelling in `text` that is not all capitals (its usual case)."""
    counts: Counter[str] = Counter(m.group() for m in _WORD.finditer(text))
    best: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        if word.isupper() and len(word) > 4:  # a shouted word says nothing about its case
            continue
        key = word.lower()
        if n > best.get(key, (0, ""))[0]:
            best[key] = (n, word)
    return {k: w for k, (_, w) in best.items()}


def key_phrases(text: str, top: int = 20) -> list[str]:
    """Runs of two to four content words, those made of the topic's most frequent words first."""
    words = [m.group() for m in _WORD.finditer(_URLS.sub(" ", text))]
    counts = Counter(w.lower() for w in words)
    runs: Counter[str] = Counter()
    start = 0
    for i in range(len(words) + 1):
        if i == len(words) or words[i].lower() in STOPWORDS or not any(ch.isalpha() for ch in words[i]):
            for n in (2, 3, 4):
                for j in range(start, i - n + 1):
                    run = words[j:j + n]
                    # "Imperialism imperialism" or "S Roosevelt John" would not name anything.
                    if len({w.lower() for w in run}) == n and min(len(w) for w in run) > 1:
                        runs[" ".join(run)] += 1
            start = i + 1

    def weight(phrase: str) -> float:
        return sum(counts[w.lower()] for w in phrase.split()) * runs[phrase] ** 0.5

    ranked = sorted(runs, key=lambda p: (-weight(p), p))
    return [p[:1].upper() + p[1:] for p in ranked[:top]]
