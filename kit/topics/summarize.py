"""Per-topic summaries as claims, each cited and checked like an answer's.

Offline default, extractive: of the topic's quotable sentences (`kit.topics.salience`: no headlines,
datelines, bylines, captions or menus), the set that covers the most likely summary content
(concepts its articles state often, early, centrally and in headlines) within the budget, each
concept counted once (`kit.topics.selection`), in reading order; each chosen sentence is its own
quote. With a chat backend, map-reduce: each batch of passages (sized in the model's tokens to
fit its context with room for the reply, see budget.py) yields cited claims, and the reduce step
merges the supported ones while keeping their passage keys, so a topic larger than the context
window still works and citations survive. Every claim's citations are verified against the files
and judged for support (`kit.grounding.claims`); unsupported claims are listed apart, never shown as part
of the summary. A named topic is summarised from the retrieved passages about its name only
(`kit.topics.named`): fewer sentences rather than off-topic ones; when no passage is about it, it
gets "not in the documents" with no sources and no keywords. This module
does not cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from kit.corpus.sources import SourceReader
from kit.embeddings import Embedder
from kit.grounding.citations import cite_in_chunk, verify_all
from kit.grounding.claims import Draft, Evidence, build_claims, number_citations, quoted_claim, source_notes
from kit.grounding.structure.instructions import asks_to_say
from kit.llm.base import ChatBackend, Message, Trace, json_object, traced_call
from kit.llm.budget import line_groups, passage_batches
from kit.llm.judge import second_opinion
from kit.llm.prompts import load_prompt, render_passages
from kit.results import Topic, TopicSummary
from kit.text import copied, plural
from kit.topics.agreement import compare
from kit.topics.cache import TopicCache
from kit.topics.coherence import Antecedents
from kit.topics.datelines import dateline
from kit.topics.named import about
from kit.topics.salience import Candidate, ConceptModel, candidates, centrality, concept_features, headlines, passages
from kit.topics.selection import Selection, near_copies, reading_order, select
from kit.types import Chunk, Citation, Claim, Hit, Mode, Section, Support

# Without a word budget, the sentence cap alone would favour the longest sentences (they hold
# the most concepts); 20 words a sentence is a news sentence's typical length.
WORDS_PER_SENTENCE = 20


def extractive_summary(topic: Topic, embedder: Embedder, evidence: Evidence, max_sentences: int = 6,
                       max_words: int | None = None) -> TopicSummary:
    """Sentences of the topic that together cover most of what its articles share, within the
    budget (`max_words`, by default WORDS_PER_SENTENCE per sentence allowed), in reading order;
    each its own quote, checked like any claim."""
    cands = candidates(topic.chunks)
    if not cands:
        return TopicSummary(topic, [], Mode.EXTRACTIVE, "extractive", notes=["no sentence long enough to quote"])
    vectors = embedder.embed([c.text for c in cands])
    budget = max_words if max_words is not None else WORDS_PER_SENTENCE * max_sentences
    problem = _problem(cands, vectors, max_sentences, budget,
                       list(headlines(topic.chunks).values()))
    claims, failed = _checked_selection(problem, evidence)
    heads = {p.path: p.text[:300] for p in passages(topic.chunks) if p.offset < 300}
    order = reading_order(cands, [i for i, _ in claims], heads)
    by_index = dict(claims)
    summary = TopicSummary(topic, number_citations([by_index[i] for i in order]), Mode.EXTRACTIVE, "extractive")
    _add_comparison(summary, cands, vectors, evidence.reader)
    _note_failures(summary, failed)
    return summary


def _problem(cands: list[Candidate], vectors: np.ndarray, max_sentences: int, max_words: int | None,
             titles: Sequence[str] = ()) -> Selection:
    weights = _shipped_model().bigram_weights(concept_features(cands, centrality(vectors), titles))
    return Selection(cands, weights, max_words, max_sentences, near_copies(cands, vectors), Antecedents(cands))


@lru_cache(maxsize=1)
def _shipped_model() -> ConceptModel:
    return ConceptModel.load()


def _checked_selection(problem: Selection, evidence: Evidence) -> tuple[list[tuple[int, Claim]], list[Citation]]:
    """Selected sentences as claims; a sentence whose claim is not supported by its own quote
    (it happens: a name the judge cannot match), or that tells its reader what to say (an
    instruction planted for a model), is replaced by solving again without it."""
    banned: set[int] = set()
    failed: list[Citation] = []
    claims: list[tuple[int, Claim]] = []
    for _ in range(3):
        claims, rejected = [], set()
        for i in select(problem, frozenset(banned)):
            c = problem.cands[i]
            citation = cite_in_chunk(1, c.passage, c.text)
            claim, bad = quoted_claim(citation, c.passage.text, evidence) if citation else (None, [])
            failed += bad
            if claim is None or claim.support is not Support.SUPPORTED or asks_to_say(c.text):
                rejected.add(i)
            else:
                claims.append((i, claim))
        if not rejected:
            break
        banned |= rejected
    chosen = {i for i, _ in claims}  # a sentence that refers back never stays without its antecedent
    claims = [(i, c) for i, c in claims if i not in problem.requires or problem.requires[i] in chosen]
    return claims, failed


def _note_failures(summary: TopicSummary, failed: list[Citation]) -> None:
    if summary.unsupported:
        n = len(summary.unsupported)
        summary.notes.append(f"{plural(n, 'sentence')} {'is' if n == 1 else 'are'} not supported by their sources; "
                             f"{'it is' if n == 1 else 'they are'} listed apart")
    summary.notes += source_notes(failed)


def _add_comparison(summary: TopicSummary, cands: list[Candidate], vectors: np.ndarray,
                    reader: SourceReader) -> None:
    """Agreement and difference across files, over every quotable sentence of the topic."""
    located = [(i, c) for i, s in enumerate(cands) if (c := cite_in_chunk(0, s.passage, s.text)) is not None]
    kept, _ = verify_all([c for _, c in located], reader)
    ok = {(c.path, c.start) for c in kept}
    rows = [(i, c) for i, c in located if (c.path, c.start) in ok]
    dated = {path: day for path in {c.path for _, c in rows}
             if (opening := reader.opening(path)) is not None and (day := dateline(opening)) is not None}
    agreements, differences = compare([c for _, c in rows], vectors[[i for i, _ in rows]], dated=dated)
    summary.agreements, summary.differences = agreements[:8], differences[:8]


def in_sections(topic: Topic, sections: Sequence[Section]) -> Topic:
    """The topic with only its chunks from `sections` (summaries leave out comments and
    sidebars unless the settings name them)."""
    kept = tuple(c for c in topic.chunks if c.section in sections)
    return topic if len(kept) == len(topic.chunks) else replace(topic, chunks=kept)


def sections_note(topic: Topic) -> list[str]:
    """A note saying that the summary draws on reader comments or sidebars, when it does."""
    used = sorted({c.section for c in topic.chunks} - {"article"})
    names = {"comments": "reader comments", "sidebar": "sidebars"}
    if not used:
        return []
    return [f"includes text from {' and '.join(names[s] for s in used)} (setting summary_sections)"]


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


def llm_summary(topic: Topic, backend: ChatBackend, embedder: Embedder, evidence: Evidence,
                check_timeout: float | None = None) -> TopicSummary:
    """Map each batch of passages to cited claims, then reduce the supported ones to a summary;
    every claim, mapped or reduced, is checked against its quotes (and by the model itself, within
    `check_timeout` seconds, when given)."""
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
    if check_timeout is not None:
        opinion = second_opinion(claims, backend, check_timeout)
        claims, traces, fitted = opinion.claims, traces + opinion.traces, fitted + opinion.notes
    summary = TopicSummary(topic, number_citations(claims), Mode.LLM, backend.name, traces=traces, notes=fitted)
    if not claims:  # passages about the topic were found: an empty summary is the model's, and says so
        summary.notes.append(f"the model wrote no sentence about this topic from its {plural(len(chunks), 'passage')}; "
                             "the extractive summary (llm 'extractive') quotes them")
    if failed:
        summary.notes.append(f"{len(failed)} quotes rejected: passage key not given, quote not in its passage, "
                             "or source changed")
    _note_failures(summary, failed)
    cands = candidates(topic.chunks)
    if cands:
        _add_comparison(summary, cands, embedder.embed([c.text for c in cands]), evidence.reader)
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
    quotes = tuple((k, q) for k, q in pairs if isinstance(k, int) and q.strip())
    return Draft(copied(item["text"]).strip(), keys, quotes)


def _quotes(item: dict[str, Any]) -> list[dict[str, Any]]:
    quotes = item.get("quotes")
    return [q for q in quotes if isinstance(q, dict)] if isinstance(quotes, list) else []


def _sentences_json(reply: str) -> list[dict[str, Any]]:
    data = json_object(reply) or {}
    items = data.get("sentences")
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("text"), str) and i["text"].strip()]


@dataclass(frozen=True)
class Length:
    """How long an extractive summary may be: sentences, and words when given."""

    sentences: int = 6
    words: int | None = None


def summary_for(topic: Topic, ctx: Evidence, named: bool, sections: Sequence[Section], embedder: Embedder,
                cache: TopicCache, length: Length, chat: ChatBackend | None = None,
                model_check: float | None = None) -> TopicSummary:
    """A topic's summary: a named topic no passage is about is "not found"; a chat backend writes it,
    else the extractive summary, reused from the last run when the topic's chunks are the same."""
    mode, backend = (Mode.LLM, chat.name) if chat is not None else (Mode.EXTRACTIVE, "extractive")
    topic = in_sections(topic, sections)
    topic = about(topic, ctx.idf, embedder) if named else topic
    if named and not topic.chunks:
        return TopicSummary(topic, [], mode, backend, found=False,
                            notes=[f"no ingested passage is about \"{topic.title}\""])
    if chat is not None:
        summary = llm_summary(topic, chat, embedder, ctx, model_check)
        summary.notes += sections_note(topic)
        return summary
    params = f"{length.sentences}:{length.words}"
    kept = cache.summary(topic, params, ctx.reader)
    if kept is not None:
        return kept
    summary = extractive_summary(topic, embedder, ctx, length.sentences, length.words)
    summary.notes += sections_note(topic)
    cache.remember(topic, params, summary)
    return summary
