"""Per-topic summaries as claims, each cited and checked like an answer's.

Offline default, extractive: the topic's statements (no headlines, bylines or captions) are
ranked by centrality (mean similarity to the rest of the topic, as in LexRank) with a mild lead
prior for news, then picked by MMR so no two say the same thing; each picked sentence is its
own quote. With a chat backend, map-reduce: each batch of passages (sized in the model's tokens
to fit its context with room for the reply, see budget.py) yields cited claims, and the reduce
step merges the supported ones while keeping their passage keys, so a topic larger than the
context window still works and citations survive. Every claim's citations are verified against
the files and judged for support (`kit.claims`); unsupported claims are listed apart, never
shown as part of the summary. A named topic that no passage is about gets "not in the
documents". This module does not cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kit.agreement import compare
from kit.answer import source_notes
from kit.budget import line_groups, passage_batches
from kit.citations import SourceReader, cite_in_chunk, render_passages, verify_all
from kit.claims import Draft, Evidence, build_claims, number_citations, quoted_claim
from kit.embeddings import Embedder
from kit.llm import ChatBackend, Message, Trace, json_object, traced_call
from kit.prompts import load_prompt
from kit.questions import key_term_coverage
from kit.text import is_statement, sentences
from kit.types import Chunk, Citation, Claim, Hit, Mode, Support, Topic, TopicSummary

MIN_WORDS = 6


@dataclass(frozen=True)
class SourceSentence:
    """A sentence of the topic, located in a chunk."""

    chunk: Chunk
    start: int  # offset inside chunk.text
    end: int
    text: str
    position: int  # index of the sentence within its chunk's file order


def topic_sentences(chunks: Sequence[Chunk]) -> list[SourceSentence]:
    """Distinct sentences of the topic's chunks (overlapping chunks repeat some)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for chunk in sorted(chunks, key=lambda c: (c.path, c.start)):
        for s in sentences(chunk.text):
            key = (chunk.path, chunk.start + s.start)
            if key in seen or len(s.text.split()) < MIN_WORDS or not is_statement(s.text):
                continue
            seen.add(key)
            out.append(SourceSentence(chunk, s.start, s.end, s.text, chunk.start + s.start))
    return out


def rank_sentences(sents: list[SourceSentence], vectors: np.ndarray, lead_weight: float = 0.1) -> np.ndarray:
    """Centrality of each sentence, plus a small bonus for sentences early in their file."""
    sim = vectors @ vectors.T
    centrality = (sim.sum(axis=1) - 1.0) / max(1, len(sents) - 1)
    firsts: dict[str, int] = {}
    ranks = []
    for s in sorted(range(len(sents)), key=lambda i: (sents[i].chunk.path, sents[i].position)):
        firsts[sents[s].chunk.path] = firsts.get(sents[s].chunk.path, -1) + 1
        ranks.append((s, firsts[sents[s].chunk.path]))
    lead = np.zeros(len(sents))
    for i, r in ranks:
        lead[i] = 1.0 / (1 + r)
    return np.asarray(centrality + lead_weight * lead)


def select(scores: np.ndarray, vectors: np.ndarray, max_sentences: int, max_words: int | None,
           words: list[int], lam: float = 0.7, redundant: float = 0.8) -> list[int]:
    """MMR over sentences within a sentence and word budget."""
    picked: list[int] = []
    total = 0
    pool = list(np.argsort(-scores))
    top = float(scores.max()) if len(scores) else 1.0
    while pool and len(picked) < max_sentences:
        best = max(pool, key=lambda i: lam * scores[i] / top
                   - (1 - lam) * max((float(vectors[i] @ vectors[p]) for p in picked), default=0.0))
        pool.remove(best)
        if any(float(vectors[best] @ vectors[p]) >= redundant for p in picked):
            continue
        if max_words is not None and total + words[best] > max_words:
            if picked:
                break
            continue  # longer than the whole budget on its own: it can never fit
        picked.append(int(best))
        total += words[best]
    return picked


def extractive_summary(topic: Topic, embedder: Embedder, evidence: Evidence, max_sentences: int = 6,
                       max_words: int | None = None) -> TopicSummary:
    """Central, non-redundant sentences of the topic, each its own quote, checked like any claim."""
    sents = topic_sentences(topic.chunks)
    if not sents:
        return TopicSummary(topic, [], Mode.EXTRACTIVE, "extractive", notes=["no sentence long enough to quote"])
    vectors = embedder.embed([s.text for s in sents])
    picked = select(rank_sentences(sents, vectors), vectors, max_sentences, max_words,
                    [len(s.text.split()) for s in sents])
    picked.sort(key=lambda i: (list(topic.coverage).index(sents[i].chunk.path), sents[i].position))
    claims: list[Claim] = []
    failed: list[Citation] = []
    for i in picked:
        if (c := cite_in_chunk(1, sents[i].chunk, sents[i].text)) is not None:
            claim, bad = quoted_claim(c, sents[i].chunk.text, evidence)
            claims.append(claim)
            failed += bad
    summary = TopicSummary(topic, number_citations(claims), Mode.EXTRACTIVE, "extractive")
    _add_comparison(summary, sents, vectors, evidence.reader)
    _note_failures(summary, failed)
    return summary


def _note_failures(summary: TopicSummary, failed: list[Citation]) -> None:
    if summary.unsupported:
        summary.notes.append(f"{len(summary.unsupported)} sentences are not supported by their sources; "
                             "they are listed apart")
    summary.notes += source_notes(failed)


def _add_comparison(summary: TopicSummary, sents: list[SourceSentence], vectors: np.ndarray,
                    reader: SourceReader) -> None:
    """Agreement and difference across files, over every sentence of the topic."""
    located = [(i, c) for i, s in enumerate(sents) if (c := cite_in_chunk(0, s.chunk, s.text)) is not None]
    kept, _ = verify_all([c for _, c in located], reader)
    ok = {(c.path, c.start) for c in kept}
    rows = [(i, c) for i, c in located if (c.path, c.start) in ok]
    agreements, differences = compare([c for _, c in rows], vectors[[i for i, _ in rows]])
    summary.agreements, summary.differences = agreements[:8], differences[:8]


def topic_found(name: str, chunks: Sequence[Chunk], idf: Callable[[str], float]) -> bool:
    """Whether the passages retrieved for a named topic are about it: most of the name's
    content words (idf-weighted) occur in them. Retrieval always returns something; "football
    transfers" on a corpus about Syria must not get a summary of whatever came back."""
    return key_term_coverage(name, " ".join(c.text for c in chunks), idf) >= 0.5


# -- LLM map-reduce -------------------------------------------------------------------------

SUMMARY_SCHEMA = {
    "name": "cited_claims", "strict": True,
    "schema": {"type": "object", "additionalProperties": False, "required": ["sentences"], "properties": {
        "sentences": {"type": "array", "maxItems": 12, "items": {
            "type": "object", "additionalProperties": False, "required": ["text", "quotes"], "properties": {
                "text": {"type": "string"},
                "quotes": {"type": "array", "maxItems": 4, "items": {
                    "type": "object", "additionalProperties": False, "required": ["passage", "quote"],
                    "properties": {"passage": {"type": "integer"}, "quote": {"type": "string"}}}}}}}}},
}
# Above this many supported map claims, a reduce call merges them into a summary.
REDUCE_ABOVE = 8


def llm_summary(topic: Topic, backend: ChatBackend, embedder: Embedder, evidence: Evidence) -> TopicSummary:
    """Map each batch of passages to cited claims, then reduce the supported ones to a summary;
    every claim, mapped or reduced, is checked against its quotes."""
    traces: list[dict[str, object]] = []
    drafts: list[Draft] = []
    fixed = load_prompt("summarize_map").render(topic=topic.title, passages="")
    groups, chunks, fitted = passage_batches(backend, fixed, list(topic.chunks))  # sized in the model's tokens
    passages = {i + 1: c for i, c in enumerate(chunks)}  # a passage cut to fit is cited where it was cut
    for batch in groups:
        drafts += _map(topic, batch, chunks, backend, traces)
    claims, failed = build_claims(drafts, passages, evidence)
    supported = [c for c in claims if c.support is Support.SUPPORTED]
    if len(supported) > REDUCE_ABOVE:
        reduced, more_failed = build_claims(_reduce(topic, supported, chunks, backend, traces), passages, evidence)
        claims = reduced + [c for c in claims if c.support is not Support.SUPPORTED]
        failed += more_failed
    summary = TopicSummary(topic, number_citations(claims), Mode.LLM, backend.name, traces=traces, notes=fitted)
    if failed:
        summary.notes.append(f"{len(failed)} quotes rejected: passage key not given, quote not in its passage, "
                             "or source changed")
    _note_failures(summary, failed)
    sents = topic_sentences(topic.chunks)
    if sents:
        _add_comparison(summary, sents, embedder.embed([s.text for s in sents]), evidence.reader)
    return summary


def _map(topic: Topic, batch: list[int], chunks: list[Chunk], backend: ChatBackend,
         traces: list[dict[str, object]]) -> list[Draft]:
    prompt = load_prompt("summarize_map")
    # Keys are global (1-based over the topic) so citations survive the reduce step unchanged.
    body = render_passages([Hit(chunks[i], 0.0) for i in batch])
    for local, global_ in reversed(list(enumerate(batch, 1))):
        body = body.replace(f'<passage key="{local}"', f'<passage key="{global_ + 1}"')
    system, user = prompt.render(topic=topic.title, passages=body)
    trace = Trace(prompt.name, prompt.version, backend.name, [chunks[i].id for i in batch])
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace, SUMMARY_SCHEMA)
    traces.append(trace.to_dict())
    return [_draft(item) for item in _sentences_json(result.text)]


def _reduce(topic: Topic, claims: list[Claim], chunks: list[Chunk], backend: ChatBackend,
            traces: list[dict[str, object]]) -> list[Draft]:
    """Merge supported claims, in groups that each fit the model's context; each summary sentence
    names the passage keys it draws on and is offered the quotes the map step found for them."""
    lines = [f"- {c.text} " + "".join(f"[{x.key}]" for x in c.citations) for c in claims]
    groups = line_groups(backend, load_prompt("summarize_reduce").render(topic=topic.title, claims=""), lines)
    return [d for g in groups for d in _reduce_group(topic, [claims[i] for i in g], "\n".join(lines[i] for i in g),
                                                     chunks, backend, traces)]


def _reduce_group(topic: Topic, claims: list[Claim], listing: str, chunks: list[Chunk], backend: ChatBackend,
                  traces: list[dict[str, object]]) -> list[Draft]:
    prompt = load_prompt("summarize_reduce")
    system, user = prompt.render(topic=topic.title, claims=listing)
    trace = Trace(prompt.name, prompt.version, backend.name,
                  list(dict.fromkeys(chunks[x.key - 1].id for c in claims for x in c.citations)))
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace, SUMMARY_SCHEMA)
    traces.append(trace.to_dict())
    quotes = [(x.key, x.quote) for c in claims for x in c.citations]
    drafts = []
    for item in _sentences_json(result.text):
        keys = tuple(dict.fromkeys(q["passage"] for q in _quotes(item) if isinstance(q.get("passage"), int)))
        drafts.append(Draft(item["text"].strip(), keys, tuple((k, q) for k, q in quotes if k in keys)))
    return drafts


def _draft(item: dict[str, Any]) -> Draft:
    """A map sentence: its text, the passage keys of its quotes, and the quotes."""
    pairs = [(q.get("passage"), str(q.get("quote") or "")) for q in _quotes(item)]
    keys = tuple(dict.fromkeys(k for k, _ in pairs if isinstance(k, int)))
    return Draft(item["text"].strip(), keys, tuple((k, q) for k, q in pairs if isinstance(k, int) and q.strip()))


def _quotes(item: dict[str, Any]) -> list[dict[str, Any]]:
    quotes = item.get("quotes")
    return [q for q in quotes if isinstance(q, dict)] if isinstance(quotes, list) else []


def _sentences_json(reply: str) -> list[dict[str, Any]]:
    data = json_object(reply) or {}
    items = data.get("sentences")
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("text"), str) and i["text"].strip()]
