"""Theme labels and keywords: what the documents of a theme's stories share, each story counted
alike, so a theme is never named after its largest story or one headline.

The label is a phrase of `kit.topics.phrases` (one to four words inside a clause) scored the same
way (share of documents times log(1 + documents / documents containing it anywhere)), except that
the share is the mean over the theme's stories of the share of that story's documents containing
it. The phrase must be in most documents of a majority of the stories (of both, for two), reach
`MIN_SHARE` of that balanced share, be in `MIN_DOCS` documents, and be `LIFT` times commoner in
the theme than in the rest of the corpus (else it names the corpus); it is then made more specific
while the longer phrase qualifies too. A theme whose stories share no such phrase is named by its
largest stories ("Olympic Games and Tour de France"). Its keywords, shown beside the label, are
terms used at least twice in a majority of its stories, ranked by c-TF-IDF on each story's share
of its own words against every story, as the texts write them.
This module does not decide what is a theme (`kit.topics.themes`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from kit.results import Topic
from kit.theme import Theme
from kit.topics.phrases import MIN_DOCS, MIN_SHARE, PHRASE_CHARS, named, spelling
from kit.topics.reading import Reading, as_written, dedupe_terms
from kit.topics.themes import theme_groups

# How many times commoner in a theme's stories than in the rest of the corpus its label must be.
LIFT = 2.0
# The longest label a theme is named by when it lists its stories (a headline runs to 12 words).
LABEL_WORDS = 10
# Documents read to spell a theme's keywords as written: enough to see each word's usual form,
# and bounded, since a theme can hold most of a 1,000-file corpus.
PATHS = 200


def majority(stories: int) -> int:
    """Stories a label or keyword must be common in: more than half of them (both, of two)."""
    return stories // 2 + 1


def theme_terms(counts: Sequence[Counter[str]], theme: Sequence[int], top: int = 5) -> list[str]:
    """The theme's top terms (stems): used at least twice in a majority of its stories, ranked by
    c-TF-IDF on each story's share of its own words (so the largest story does not speak for
    all), against every story of the corpus."""
    total = Counter[str]()
    for c in counts:
        total.update(c)
    avg_words = sum(sum(c.values()) for c in counts) / max(1, len(counts))
    used = Counter(t for i in theme for t, n in counts[i].items() if n >= 2)
    share = Counter[str]()
    for i in theme:
        size = sum(counts[i].values()) or 1
        share.update({t: n / size / len(theme) for t, n in counts[i].items() if used[t] >= majority(len(theme))})
    scored = {t: f * math.log(1 + avg_words / total[t]) for t, f in share.items()}
    return dedupe_terms(sorted(scored, key=lambda t: (-scored[t], t)), top)


def theme_label(stories: Sequence[Sequence[str]], phrases: Mapping[str, Counter[str]],
                df: Mapping[str, int], texts: Mapping[str, str]) -> str | None:
    """The label of a theme whose stories' documents (paths) are `stories`; `phrases`, `df` and
    `texts` as `kit.topics.phrases.shared_label` takes them."""
    docs = [[d for d in dict.fromkeys(s) if d in phrases] for s in stories]
    docs = [s for s in docs if s]
    if len(docs) < 2:
        return None
    shares: dict[str, float] = {}
    present: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for story in docs:
        counts = Counter(p for d in story for p in phrases[d])
        for p, n in counts.items():
            shares[p] = shares.get(p, 0.0) + n / len(story) / len(docs)
            present[p] += int(2 * n >= len(story))  # a phrase most of the story's documents use
            inside[p] += n
    rest = max(1, len(phrases) - sum(len(s) for s in docs))
    # Far commoner in the theme than in the rest of the corpus, or it names the corpus, not the
    # theme ("Time": in 54% of the news documents of a mixed corpus, and 67% of the rest).
    shared = {p: s for p, s in shares.items() if s >= MIN_SHARE and present[p] >= majority(len(docs))
              and inside[p] >= MIN_DOCS and s > LIFT * (df.get(p, 0) - inside[p]) / rest}
    if not shared:
        return None

    def score(p: str) -> tuple[float, int]:
        return shared[p] * math.log(1 + len(phrases) / max(df.get(p, 0), inside[p])), len(p.split())

    read = [texts[d] for s in docs for d in s[:PATHS]]
    best = named(sorted(shared, key=score, reverse=True), shared, read)
    if best is None:
        return None
    label = spelling(best, read)
    return label[:1].upper() + label[1:]


def stories_label(labels: Sequence[str]) -> str:
    """A theme named by its largest stories when its documents share no phrase that could name it:
    "Olympic Games and Tour de France", "Haiti, Chile and 4 more" (its keywords, listed beside the
    label, would say it again, and common words such as "time" or "team" name nothing). Stories
    named by whole headlines are listed only while the label stays within LABEL_WORDS words:
    "7.0 magnitude earthquake strikes off Haitian coast and 4 more", not two headlines and a list."""
    listed = [_listed(labels, shown) for shown in range(len(labels) if len(labels) <= 3 else 2, 0, -1)]
    return next((label for label in listed if len(label.split()) <= LABEL_WORDS), listed[-1])


def _listed(labels: Sequence[str], shown: int) -> str:
    """The first `shown` labels, and how many more: "A, B and C", "A, B and 3 more"."""
    rest = len(labels) - shown
    if rest == 0:
        return ", ".join(labels[:shown - 1]) + " and " + labels[shown - 1]
    return ", ".join(labels[:shown]) + f" and {rest} more"


def with_themes(topics: Sequence[Topic], groups: Sequence[Sequence[int]], vectors: np.ndarray,
                reading: Reading) -> list[Topic]:
    """`topics` (in the order of `groups`, their rows of `vectors`, centred as
    `kit.topics.cluster.centred` does; `reading.counts` in that order too), each in a theme of two
    or more stories carrying it; the others unchanged."""
    found = theme_groups(vectors, groups)
    out = list(topics)
    for n, group in enumerate(found, 1):
        terms = theme_terms(reading.counts, group)
        stories = sorted((topics[i] for i in group), key=lambda t: (-len(t.documents), t.number))
        paths = [d for t in stories for d in t.documents]
        words = tuple(as_written(terms, [reading.texts[d][:PHRASE_CHARS] for d in paths[:PATHS] if d in reading.texts]))
        label = theme_label([t.documents for t in stories], reading.phrases, reading.df, reading.texts)
        theme = Theme(n, label or stories_label([t.label for t in stories]), words, tuple(t.number for t in stories),
                      len(set(paths)))
        for i in group:
            out[i] = replace(topics[i], theme=theme)
    return out
