"""A chat model's label for a topic, kept only when it checks out against the topic's documents.

Small local models often answer with the keywords they were shown ("Haiti, people, children,
Haiti, earthquake"), a heading too general to tell the topic from the others ("International
relations" for Royal Navy sailors held by Iran), or words the documents never use. Such a label
would replace kit's own as the topic's title, so a reply is kept only when it is one short line,
no list and no figure, names one of the topic's keywords, is made of words most of the topic's
documents share, and is nearer the topic's centroid than any other topic's. Otherwise the topic
keeps kit's label, and its `llm_label` stays empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from kit.embeddings import Embedder
from kit.llm.base import ChatBackend, Message, Trace, traced_call
from kit.llm.prompts import load_prompt
from kit.results import Topic
from kit.text import keywords, match_stem

MAX_WORDS = 8  # the prompt asks for six
MAX_CHARS = 80
SHARED = 0.5  # the share of the topic's documents its label's words are in, on average
_FIGURE = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"1[89]\d\d|2\d\d\d")


def llm_label(topic: Topic, backend: ChatBackend, centre: np.ndarray, centroids: Sequence[np.ndarray],
              embedder: Embedder | None) -> str | None:
    """The model's label for `topic` when it names this topic (see the module), else None."""
    prompt = load_prompt("topic_label")
    examples = "\n".join(f"- {' '.join(c.text.split())[:300]}" for c in topic.chunks[:3])
    system, user = prompt.render(keywords=", ".join(topic.keywords), passages=examples)
    trace = Trace(prompt.name, prompt.version, backend.name, [c.id for c in topic.chunks[:3]])
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace)
    label = first_line(result.text)
    if not label or not is_label(label) or not uses_topic_words(label, topic):
        return None
    return label if names_this_topic(label, centre, centroids, embedder) else None


def first_line(reply: str) -> str:
    """The reply's first line without its quotes and a "Label:" lead ("" when there is none)."""
    lines = reply.strip().splitlines()
    line = lines[0].strip() if lines else ""
    if line.lower().startswith("label:"):
        line = line[6:].strip()
    return line.strip('"“”\'').strip().rstrip(".")


def is_label(line: str) -> bool:
    """A short heading, not a sentence and not a list of words, with no figure but a year (a
    figure is one report's news: "UN reports 222,570 dead")."""
    return (len(line) <= MAX_CHARS and 0 < len(line.split()) <= MAX_WORDS and line.count(",") < 2
            and all(_YEAR.fullmatch(n) for n in _FIGURE.findall(line)))


def uses_topic_words(label: str, topic: Topic) -> bool:
    """Whether one of the label's content words is among the topic's keywords (the words that
    set it apart) and its content words are shared by the topic's documents: on average each in
    at least half of them, as a label phrase of kit's own must be ("Romania raises $395,000 for
    tsunami victims" is one article's news, not its topic's)."""
    words = {match_stem(w) for w in keywords(label)}
    if not words or not words & {match_stem(w) for k in topic.keywords for w in keywords(k)}:
        return False
    docs: dict[str, set[str]] = {}
    for c in topic.chunks:
        docs.setdefault(c.path, set()).update(match_stem(w) for w in keywords(c.text))
    shares = [sum(w in d for d in docs.values()) / len(docs) for w in words]
    return sum(shares) >= SHARED * len(shares)


def names_this_topic(label: str, centre: np.ndarray, centroids: Sequence[np.ndarray],
                     embedder: Embedder | None) -> bool:
    """Whether the label's embedding is nearer this topic's centroid than any other topic's."""
    others = [c for c in centroids if c is not centre]
    if embedder is None or not others:
        return True
    vector = embedder.embed([label])[0]
    return float(vector @ centre) >= max(float(vector @ c) for c in others)
