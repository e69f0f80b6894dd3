"""Passages trimmed, for a model's prompt, to the sentences near the question's terms.

A local model reads every prompt token before it writes one (on 2 cores the 1.5B reads about 80
tokens a second), so sentences that cannot bear on the question cost time and distract a small
model. Each passage keeps the sentences that name a content word of the question, with the
sentence before and after each (a pronoun's antecedent, a date stated one sentence earlier). A
passage in which no sentence names a question term keeps every sentence: retrieval found it by
meaning, and nothing says where in it the answer is. Sentences keep their numbers, so a claim
still names the sentence of the whole passage and its quote is kit's own copy; the prompt marks
each gap, and the answer carries a note saying how much was left out.
This module does not pack passages into a context (see `kit.llm.budget`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kit.llm.prompts import numbered_block
from kit.text import key_term_coverage, plural, sentences
from kit.types import Chunk, Hit

# Sentences kept on each side of one that names a question term.
NEIGHBOURS = 1

Shown = Mapping[str, frozenset[int]]  # chunk id -> the sentence numbers (from 1) the prompt shows


def near_terms(question: str, text: str, idf: Callable[[str], float]) -> frozenset[int] | None:
    """The numbers of `text`'s sentences that name a question term, with their neighbours; None
    when the passage is kept whole (no sentence names a term, or all are kept anyway)."""
    parts = sentences(text)
    named = [n for n, s in enumerate(parts, 1) if key_term_coverage(question, s.text, idf) > 0]
    kept = frozenset(k for n in named for k in range(n - NEIGHBOURS, n + NEIGHBOURS + 1) if 1 <= k <= len(parts))
    return kept if named and len(kept) < len(parts) else None


def trimmed(question: str, hits: Sequence[Hit], idf: Callable[[str], float]) -> dict[str, frozenset[int]]:
    """For each hit whose passage is trimmed, the sentence numbers the prompt shows."""
    out: dict[str, frozenset[int]] = {}
    for hit in hits:
        kept = near_terms(question, hit.chunk.text, idf)
        if kept is not None:
            out[hit.chunk.id] = kept
    return out


def block_of(shown: Shown) -> Callable[[Chunk, int], str]:
    """The passage block the prompt shows: numbered, with the sentences `shown` names (all if none)."""
    def block(chunk: Chunk, key: int) -> str:
        return numbered_block(chunk, key, shown.get(chunk.id))
    return block


def trim_note(hits: Sequence[Hit], shown: Shown) -> str | None:
    """What the model was not shown of the passages it read, or None when it read them whole."""
    cut = [(len(sentences(h.chunk.text)), shown[h.chunk.id]) for h in hits if h.chunk.id in shown]
    dropped = sum(len([n for n in range(1, total + 1) if n not in kept]) for total, kept in cut)
    if not dropped:
        return None
    total = sum(len(sentences(h.chunk.text)) for h in hits)
    return (f"to save reading time the model was shown {plural(len(cut), 'passage')} trimmed to the sentences "
            f"near the question's terms ({dropped} of {total} sentences not shown)")
