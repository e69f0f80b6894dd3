"""Per-topic summaries in which every sentence carries a verified citation.

Offline default, extractive: the topic's sentences are ranked by centrality (mean similarity to
the rest of the topic, as in LexRank) with a mild lead prior for news, then picked by MMR so
no two say the same thing; each picked sentence is its own verified quote.
With a chat backend, map-reduce: each batch of passages (sized in the model's tokens to fit its
context with room for the reply, see budget.py) yields cited claims, and the reduce step merges
claims while keeping their passage keys, so a topic larger than the context window still works
and citations survive. Sentences whose citations
do not check out are dropped, never shown uncited. This module does not cluster.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kit.agreement import compare
from kit.budget import line_groups, passage_batches
from kit.citations import SourceReader, cite_best_sentence, cite_in_chunk, verify_all
from kit.embeddings import Embedder
from kit.llm import ChatBackend, Message, Trace, json_object, traced_call
from kit.prompts import load_prompt
from kit.text import keywords, sentences
from kit.types import Chunk, Citation, SummarySentence, Topic, TopicSummary

MIN_WORDS = 6
# A claim ends like a sentence; headlines and cut-off teasers do not, and make poor summary lines.
_CLAIM_END = re.compile(r"[.!?][\"'”’)]*$")


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
            if key in seen or len(s.text.split()) < MIN_WORDS or not _CLAIM_END.search(s.text):
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


def extractive_summary(topic: Topic, embedder: Embedder, reader: SourceReader, max_sentences: int = 6,
                       max_words: int | None = None) -> TopicSummary:
    """Central, non-redundant sentences of the topic, each a verified quote, in source order."""
    sents = topic_sentences(topic.chunks)
    if not sents:
        return TopicSummary(topic, [], "extractive", "extractive", notes=["no sentence long enough to quote"])
    vectors = embedder.embed([s.text for s in sents])
    picked = select(rank_sentences(sents, vectors), vectors, max_sentences, max_words,
                    [len(s.text.split()) for s in sents])
    picked.sort(key=lambda i: (list(topic.coverage).index(sents[i].chunk.path), sents[i].position))
    cites: list[Citation] = []
    for key, i in enumerate(picked, 1):
        if (c := cite_in_chunk(key, sents[i].chunk, sents[i].text)) is not None:
            cites.append(c)
    kept, failed = verify_all(cites, reader)
    summary = TopicSummary(topic, [SummarySentence(" ".join(c.quote.split()), (c,)) for c in kept],
                           "extractive", "extractive")
    _add_comparison(summary, sents, vectors, reader)
    if failed:
        summary.notes.append(f"{len(failed)} sentences dropped: quote did not check out against the file")
    return summary


def _add_comparison(summary: TopicSummary, sents: list[SourceSentence], vectors: np.ndarray,
                    reader: SourceReader) -> None:
    """Agreement and difference across files, over every sentence of the topic."""
    located = [(i, c) for i, s in enumerate(sents) if (c := cite_in_chunk(0, s.chunk, s.text)) is not None]
    kept, _ = verify_all([c for _, c in located], reader)
    ok = {(c.path, c.start) for c in kept}
    rows = [(i, c) for i, c in located if (c.path, c.start) in ok]
    agreements, differences = compare([c for _, c in rows], vectors[[i for i, _ in rows]])
    summary.agreements, summary.differences = agreements[:8], differences[:8]


# -- LLM map-reduce -------------------------------------------------------------------------

SUMMARY_SCHEMA = {
    "name": "cited_claims", "strict": True,
    "schema": {"type": "object", "additionalProperties": False, "required": ["sentences"], "properties": {
        "sentences": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["text", "quotes"], "properties": {
                "text": {"type": "string"},
                "quotes": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["passage", "quote"],
                    "properties": {"passage": {"type": "integer"}, "quote": {"type": "string"}}}}}}}}},
}


@dataclass(frozen=True)
class Claim:
    text: str
    citations: tuple[Citation, ...]
    rejected: int = 0  # quotes dropped: a key the model was not given, or a quote not in its passage


def llm_summary(topic: Topic, backend: ChatBackend, embedder: Embedder, reader: SourceReader) -> TopicSummary:
    """Map each batch of passages to cited claims, then reduce the claims to a summary."""
    traces: list[dict[str, object]] = []
    claims: list[Claim] = []
    fixed = load_prompt("summarize_map").render(topic=topic.title, passages="")
    groups, chunks, fitted = passage_batches(backend, fixed, list(topic.chunks))  # sized in the model's tokens
    for batch in groups:
        claims += _map(topic, batch, chunks, backend, traces)
    rejected = sum(c.rejected for c in claims)
    if len(claims) > 8:
        claims = _reduce(topic, claims, chunks, backend, traces)
        rejected += sum(c.rejected for c in claims)
    sentences_ = [SummarySentence(c.text, c.citations) for c in claims if c.citations]
    summary = TopicSummary(topic, sentences_, "llm", backend.name, traces=traces, notes=fitted)
    if rejected:
        summary.notes.append(f"{rejected} quotes rejected: passage key not given, or quote not in its passage")
    dropped = len(claims) - len(sentences_)
    if dropped:
        summary.notes.append(f"{dropped} sentences dropped: no citation checked out against the sources")
    sents = topic_sentences(topic.chunks)
    if sents:
        _add_comparison(summary, sents, embedder.embed([s.text for s in sents]), reader)
    _verify_summary(summary, reader)
    return summary


def _map(topic: Topic, batch: list[int], chunks: list[Chunk], backend: ChatBackend,
         traces: list[dict[str, object]]) -> list[Claim]:
    from kit.citations import render_passages
    from kit.types import Hit

    prompt = load_prompt("summarize_map")
    # Keys are global (1-based over the topic) so citations survive the reduce step unchanged.
    body = render_passages([Hit(chunks[i], 0.0) for i in batch])
    for local, global_ in reversed(list(enumerate(batch, 1))):
        body = body.replace(f'<passage key="{local}"', f'<passage key="{global_ + 1}"')
    system, user = prompt.render(topic=topic.title, passages=body)
    trace = Trace(prompt.name, prompt.version, backend.name, [chunks[i].id for i in batch])
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace, SUMMARY_SCHEMA)
    traces.append(trace.to_dict())
    allowed = {i + 1 for i in batch}
    return [_claim(item, chunks, allowed) for item in _sentences_json(result.text)]


def _reduce(topic: Topic, claims: list[Claim], chunks: list[Chunk], backend: ChatBackend,
            traces: list[dict[str, object]]) -> list[Claim]:
    """Merge the claims; claims too many for one prompt are merged in groups that each fit."""
    cited = [c for c in claims if c.citations]
    lines = [f"- {c.text} " + "".join(f"[{x.key}]" for x in c.citations) for c in cited]
    groups = line_groups(backend, load_prompt("summarize_reduce").render(topic=topic.title, claims=""), lines)
    return [r for g in groups for r in _reduce_group(topic, [cited[i] for i in g], "\n".join(lines[i] for i in g),
                                                     chunks, backend, traces)]


def _reduce_group(topic: Topic, claims: list[Claim], listing: str, chunks: list[Chunk], backend: ChatBackend,
                  traces: list[dict[str, object]]) -> list[Claim]:
    prompt = load_prompt("summarize_reduce")
    system, user = prompt.render(topic=topic.title, claims=listing)
    ids = [chunks[x.key - 1].id for c in claims for x in c.citations]
    trace = Trace(prompt.name, prompt.version, backend.name, ids)
    result = traced_call(backend, [Message("system", system), Message("user", user)], trace, SUMMARY_SCHEMA)
    traces.append(trace.to_dict())
    by_key: dict[int, list[Citation]] = {}
    for c in claims:
        for x in c.citations:
            by_key.setdefault(x.key, []).append(x)
    reduced = []
    for item in _sentences_json(result.text):
        text = str(item.get("text", "")).strip()
        keys = list(dict.fromkeys(q.get("passage") for q in _quotes(item)))
        # Several claims can cite one passage with different quotes: keep the quote that matches
        # this sentence best, not whichever claim came last.
        cites = tuple(_closest(text, by_key[k]) for k in keys if isinstance(k, int) and k in by_key)
        reduced.append(Claim(text, cites, sum(not (isinstance(k, int) and k in by_key) for k in keys)))
    return reduced


def _closest(text: str, options: list[Citation]) -> Citation:
    words = set(keywords(text))
    return max(options, key=lambda c: len(words & set(keywords(c.quote))))


def _quotes(item: dict[str, Any]) -> list[dict[str, Any]]:
    quotes = item.get("quotes")
    return [q for q in quotes if isinstance(q, dict)] if isinstance(quotes, list) else []


def _sentences_json(reply: str) -> list[dict[str, Any]]:
    data = json_object(reply) or {}
    items = data.get("sentences")
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("text"), str)]


def _claim(item: dict[str, Any], chunks: list[Chunk], allowed: set[int]) -> Claim:
    """A map claim with the citations whose key was in its batch and whose quote is found there.

    A quote that is not in its passage, or a key the batch did not have, is rejected (never
    replaced by some other sentence). Only a key given with an empty quote gets the passage
    sentence sharing most words with the claim, and only if it shares any."""
    cites: list[Citation] = []
    unquoted: list[int] = []
    rejected = 0
    for q in _quotes(item):
        key, quote = q.get("passage"), str(q.get("quote") or "").strip()
        if not (isinstance(key, int) and key in allowed):
            rejected += 1
        elif not quote:
            unquoted.append(key)
        elif c := cite_in_chunk(key, chunks[key - 1], quote):
            cites.append(c)
        else:
            rejected += 1
    if not cites and unquoted:
        key = unquoted[0]
        best = cite_best_sentence(key, chunks[key - 1], item["text"], min_shared=1)
        cites = [best] if best else []
    return Claim(item["text"].strip(), tuple(cites), rejected)


def _verify_summary(summary: TopicSummary, reader: SourceReader) -> None:
    checked = []
    for s in summary.sentences:
        kept, _ = verify_all(s.citations, reader)
        if kept:
            checked.append(SummarySentence(s.text, tuple(kept)))
    if len(checked) < len(summary.sentences):
        lost = len(summary.sentences) - len(checked)
        summary.notes.append(f"{lost} sentences dropped: citations failed the file check")
    summary.sentences = checked


def json_dump(summaries: list[TopicSummary]) -> str:
    return json.dumps([s.to_dict() for s in summaries], indent=2, ensure_ascii=False)
