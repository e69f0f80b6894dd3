"""Named topics: which retrieved passages a name typed by the user (`kit summarize --topics`)
may be summarised from, and whether the documents hold it at all.

Retrieval always returns something: "Yukos" on a news corpus also brings a pole-vault record and
an election observer. A passage is about the name when it holds most of the name's key terms
(ON_TOPIC). Key terms alone are fooled by names whose words the corpus uses for other things
("Japan earthquake and tsunami" against donors to the 2004 tsunami, Japan among them; "Warsaw
Pact alliance" against Warsaw's history), so with the shipped MiniLM embedder the topic is in the
documents only when a passage says the name itself, word for word ("Yukos", "Tour de France": a
lone name is far in meaning from any sentence that mentions it), or some sentence of those
passages is close in meaning to the name (SAYS_IT), or two passages hold the terms and one
sentence is near it (MENTIONS). Otherwise the topic gets "not in the documents", with no sources
and no keywords.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from kit.embeddings import Embedder
from kit.errors import InputError
from kit.results import Topic
from kit.text import key_term_coverage, keywords, sentences
from kit.topics.cluster import ctfidf_labels
from kit.types import Chunk

# A retrieved passage is about a named topic when it holds more than this idf-weighted share of
# the name's key terms (of two terms, both unless one is far rarer; of three, all but a common
# one). On bench/dev_named_topics.py (10 MultiLing stories named as a reader would, 16 SQuAD
# articles by title, 15 absent names, 12 passages each) 0.67 is the smallest share past which a
# higher one keeps no fewer passages of absent names: 1 (an EU-law passage on football
# transfers, which is about them), against 5 at 0.6 (the share chosen when there were 5 absent
# names: "stock market crash" kept the Warsaw Stock Exchange). Precision 0.988, recall 0.839 of
# the on-topic passages retrieved (0.989 and 0.868 at 0.6).
ON_TOPIC = 0.67
# MiniLM cosine between the name and the nearest sentence of its passages. Chosen on the dev names
# of bench/dev_named_topics.py (62 names of present stories and sub-topics as readers type them,
# 50 absent names sharing two or more words with the corpus): key terms alone found 57 present and
# 20 absent; these thresholds 52 and 4 (0.58 alone: 49 and 0); with a name said word for word
# also found, 52 and 6 (the two more are said: "royal opera house" in an author's job title, the
# "British Grand Prix" in one sentence), while a lone name keeps being found: "Enron" is 0.32 from
# "Former Enron chief executive Jeffrey Skilling was jailed", "Yukos" 0.51 from "Yukos
# shareholders lost their appeal". Calibrated for MiniLM only: with another embedder the key
# terms decide alone.
SAYS_IT = 0.6
MENTIONS = 0.5
CALIBRATED_FOR = "all-MiniLM-L6-v2"
# A topic name is a few words ("Haiti earthquake", "Royal Navy sailors seized by Iran": 33
# characters); past this it is a pasted text, and the report would carry it as a heading.
MAX_NAME_CHARS = 200
_WORD = re.compile(r"[^\W_]+")


def topic_names(names: Sequence[str]) -> list[str]:
    """The names as given, or InputError for one with nothing to look for: empty, only common
    words ("the": no key term, so every retrieved passage would count as about it) or a pasted text."""
    for name in names:
        shown = " ".join(name.split())
        if not shown:
            raise InputError('a topic name is empty; give --topics the words a topic is about, e.g. "Haiti earthquake"')
        if len(shown) > MAX_NAME_CHARS:
            raise InputError(f"a topic name is {len(shown):,} characters long; give --topics a name of at most "
                             f"{MAX_NAME_CHARS} (a few words, e.g. \"Haiti earthquake\")")
        if not keywords(shown):
            raise InputError(f'topic name "{shown}" has only common words, nothing to look for; give --topics '
                             'the words a topic is about, e.g. "Haiti earthquake"')
    return list(names)


def about(topic: Topic, idf: Callable[[str], float], embedder: Embedder | None = None) -> Topic:
    """A named topic with only the retrieved passages about its name, and its keywords and
    documents from those alone (none when the documents do not hold the topic)."""
    kept = tuple(c for c in topic.chunks if key_term_coverage(topic.title, c.text, idf) >= ON_TOPIC)
    if kept and embedder is not None and not in_documents(topic.title, kept, embedder):
        kept = ()
    words = ctfidf_labels([[c.text for c in kept]])[0] if kept else []
    return replace(topic, chunks=kept, keywords=tuple(words), documents=tuple(dict.fromkeys(c.path for c in kept)))


def _words(text: str) -> str:
    """The text's words, lower-cased, space-separated and space-bounded, to find a name in it."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def in_documents(name: str, passages: Sequence[Chunk], embedder: Embedder) -> bool:
    """Whether the passages that hold the name's key terms say the topic itself (see the module)."""
    said_as_is = _words(name)
    if not embedder.name.startswith(CALIBRATED_FOR) or any(said_as_is in _words(c.text) for c in passages):
        return True
    said = [s.text for c in passages for s in sentences(c.text)]
    vectors = embedder.embed([name, *said])
    nearest = float(np.max(vectors[1:] @ vectors[0])) if said else 0.0
    return nearest >= SAYS_IT or (len(passages) >= 2 and nearest >= MENTIONS)
