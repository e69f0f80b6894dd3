"""Questions in, cited answers out, or an honest "not in the documents".

Two modes share retrieval, citation checks and abstention:
- extractive (offline default): the answer is the source sentences that best support the
  question, redundancy removed, each one a verified quote;
- llm: an OpenAI-compatible chat model writes the answer from numbered passages; invented
  passage keys are dropped and every quote is checked against the file. If the model fails,
  the extractive answer is returned with a note saying why.
The support score that decides abstention is a small logistic model over general features
(similarity, keyword coverage, rare question words missing from the passage, answer type),
calibrated on SQuAD 2.0 (bench/calibrate_abstention.py). This module does not retrieve.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kit.budget import fit_and_call
from kit.citations import (
    SourceReader,
    cite_best_sentence,
    cite_in_chunk,
    markers,
    render_passages,
    strip_markers,
    verify_all,
)
from kit.embeddings import Embedder
from kit.errors import LLMConfigError, LLMError
from kit.llm import ChatBackend, Trace, json_object
from kit.prompts import load_prompt
from kit.text import keywords, sentences
from kit.types import Answer, Chunk, Citation, Hit

CALIBRATION = Path(__file__).with_name("abstention.json")
ANSWER_SCHEMA = {
    "name": "cited_answer", "strict": True,
    "schema": {
        "type": "object", "additionalProperties": False, "required": ["answer", "quotes"],
        "properties": {
            "answer": {"type": "string"},
            "quotes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["passage", "quote"],
                "properties": {"passage": {"type": "integer"}, "quote": {"type": "string"}}}},
        },
    },
}
_NUMBER = re.compile(r"\d")
_CAPITAL = re.compile(r"\b[A-Z][a-zA-Z]+")
_MAX_SENTENCES = 3
# Answers say where a quote stands on the page: a reader's comment is not the article.
_SECTION_LEAD = {"article": "", "comments": "A reader's comment says: ", "sidebar": "Another story on the page says: "}


@dataclass(frozen=True)
class Candidate:
    """A source sentence with its raw span and the hit it came from."""

    hit_index: int
    chunk: Chunk
    start: int  # offsets inside chunk.text
    end: int
    text: str
    context: str  # the sentence with its neighbours, for keyword coverage


class SupportModel:
    """Logistic support score over sentence features; weights come from calibration."""

    FEATURES = ("cos", "coverage", "context_coverage", "missing_rare", "type_match", "bias")

    def __init__(self, weights: dict[str, float], threshold: float) -> None:
        self.weights = weights
        self.threshold = threshold

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> SupportModel:
        if path.exists():
            data = json.loads(path.read_text())
            return cls(data["weights"], float(data["threshold"]))
        # Uncalibrated fallback: similarity and coverage in equal parts.
        return cls({"cos": 4.0, "coverage": 3.0, "context_coverage": 1.0, "missing_rare": -2.0,
                    "type_match": 0.5, "bias": -3.5}, 0.5)

    def score(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * features.get(name, 0.0) for name in self.FEATURES)
        return 1.0 / (1.0 + math.exp(-z))


def idf(term: str, df: dict[str, int], n_docs: int) -> float:
    return math.log(1 + (n_docs - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5))


def sentence_features(question: str, cand: Candidate, cos: float, df: dict[str, int], n_docs: int
                      ) -> dict[str, float]:
    """General evidence that `cand` answers `question`, each feature in [0, 1]."""
    terms = set(keywords(question))
    weights = {t: idf(t, df, n_docs) for t in terms}
    total = sum(weights.values()) or 1.0
    in_sentence = set(keywords(cand.text))
    in_context = set(keywords(cand.context))
    in_chunk = set(keywords(cand.chunk.text))
    missing = [weights[t] for t in terms if t not in in_chunk]
    top_idf = max(weights.values(), default=1.0) or 1.0
    return {
        "cos": cos,
        "coverage": sum(w for t, w in weights.items() if t in in_sentence) / total,
        "context_coverage": sum(w for t, w in weights.items() if t in in_context) / total,
        "missing_rare": max(missing, default=0.0) / top_idf,
        "type_match": type_match(question, cand.text),
        "bias": 1.0,
    }


def type_match(question: str, sentence: str) -> float:
    """1 when the sentence holds the kind of thing the question asks for (number, name...)."""
    q = question.lower()
    new_caps = {w for w in _CAPITAL.findall(sentence)} - set(_CAPITAL.findall(question))
    if re.search(r"\b(how many|how much|what year|when|how long|how old|what percentage)\b", q):
        return 1.0 if _NUMBER.search(sentence) else 0.0
    if re.search(r"\b(who|whom|whose|where|which)\b", q):
        return 1.0 if new_caps else 0.0
    return 0.5


def candidates(hits: Sequence[Hit]) -> list[Candidate]:
    """Every sentence of every hit, with a one-sentence window of context on each side."""
    out: list[Candidate] = []
    for i, hit in enumerate(hits):
        sents = sentences(hit.chunk.text)
        for j, s in enumerate(sents):
            lo, hi = sents[max(0, j - 1)].start, sents[min(len(sents) - 1, j + 1)].end
            out.append(Candidate(i, hit.chunk, s.start, s.end, s.text, hit.chunk.text[lo:hi]))
    return out


@dataclass
class Scored:
    cand: Candidate
    vector: np.ndarray
    features: dict[str, float]
    support: float


def score_candidates(question: str, hits: Sequence[Hit], embedder: Embedder, model: SupportModel,
                     df: dict[str, int], n_docs: int) -> list[Scored]:
    """Candidates scored by support, best first."""
    cands = candidates(hits)
    if not cands:
        return []
    vectors = embedder.embed([question] + [c.text for c in cands])
    qvec, svecs = vectors[0], vectors[1:]
    scored = []
    for cand, vec in zip(cands, svecs, strict=True):
        feats = sentence_features(question, cand, float(vec @ qvec), df, n_docs)
        scored.append(Scored(cand, vec, feats, model.score(feats)))
    return sorted(scored, key=lambda s: -s.support)


def extractive_answer(question: str, hits: Sequence[Hit], scored: list[Scored], model: SupportModel,
                      reader: SourceReader, mode_note: list[str] | None = None) -> Answer:
    """Compose the answer from the best-supported, mutually distinct source sentences."""
    support = scored[0].support if scored else 0.0
    if support < model.threshold:
        return Answer(question, Answer.NOT_FOUND, [], True, "extractive", "extractive", support,
                      hits=list(hits), notes=list(mode_note or []))
    picks = _diverse(scored, support)
    citations = [c for key, s in enumerate(picks, 1) if (c := cite_in_chunk(key, s.cand.chunk, s.cand.text))]
    kept, failed = verify_all(citations, reader)
    parts = [f"{_SECTION_LEAD[c.section]}{' '.join(c.quote.split())} [{c.key}]" for c in kept]
    text = " ".join(parts) or Answer.NOT_FOUND
    return Answer(question, text, kept, not kept, "extractive", "extractive", support, failed,
                  hits=list(hits), notes=list(mode_note or []))


def _diverse(scored: list[Scored], best: float) -> list[Scored]:
    """Up to three sentences close to the best one in support, none repeating another."""
    picks: list[Scored] = []
    for s in scored:
        if len(picks) == _MAX_SENTENCES or s.support < max(best * 0.8, best - 0.15):
            break
        if all(float(s.vector @ p.vector) < 0.85 for p in picks):
            picks.append(s)
    return picks


def llm_answer(question: str, hits: Sequence[Hit], backend: ChatBackend, reader: SourceReader) -> Answer:
    """Ask the chat model; keep only real passage keys and quotes that check out."""
    prompt = load_prompt("answer")
    refusal = prompt.sentinels["refusal"]
    trace = Trace(prompt.name, prompt.version, backend.name, [h.chunk.id for h in hits])
    result, packed = fit_and_call(
        backend, lambda sent: prompt.render(question=question, passages=render_passages(sent), refusal=refusal),
        hits, trace, ANSWER_SCHEMA)
    hits = packed.hits  # what the model read: the passages that fit its context, the last maybe cut
    text, quotes = parse_reply(result.text)
    notes = packed.notes + (["the model's reply was cut off (finish_reason=length)"]
                            if result.finish_reason == "length" else [])
    if not text.strip() or refusal in text:
        return Answer(question, Answer.NOT_FOUND, [], True, "llm", backend.name, hits=list(hits),
                      traces=[trace.to_dict()], notes=notes)
    valid = set(range(1, len(hits) + 1))
    dropped = sorted({k for k in markers(text) if k not in valid})
    text = strip_markers(text, valid)
    citations, rejected = _llm_citations(text, quotes, hits)
    kept, failed = verify_all(citations, reader)
    failed += rejected
    if not kept:
        notes.append("the model's answer had no citation that checks out against the sources; not shown")
        return Answer(question, Answer.NOT_FOUND, [], True, "llm", backend.name, 0.0, failed, dropped,
                      [trace.to_dict()], list(hits), notes)
    return Answer(question, text, kept, False, "llm", backend.name, 1.0, failed, dropped,
                  [trace.to_dict()], list(hits), notes)


def parse_reply(reply: str) -> tuple[str, list[tuple[int, str]]]:
    """(answer text, [(passage key, quote)]) from JSON, or the raw text in marker format."""
    data = json_object(reply)
    if data is None or not isinstance(data.get("answer"), str):
        return reply.strip(), []
    quotes = []
    raw_quotes = data.get("quotes")
    for q in raw_quotes if isinstance(raw_quotes, list) else []:
        if isinstance(q, dict) and isinstance(q.get("quote"), str):
            try:
                quotes.append((int(q.get("passage", "")), str(q["quote"])))
            except (TypeError, ValueError):
                continue
    return str(data["answer"]), quotes


def _llm_citations(text: str, quotes: list[tuple[int, str]], hits: Sequence[Hit]
                   ) -> tuple[list[Citation], list[Citation]]:
    """(citations, rejected): one citation per cited key, the model's quote if it is in the
    passage, else the passage sentence that best matches the claim; quotes the model made up
    (not in their passage, or for a key it was not given) are rejected."""
    valid = range(1, len(hits) + 1)
    rejected = [_rejected(k, q, hits) for k, q in quotes
                if k not in valid or cite_in_chunk(k, hits[k - 1].chunk, q) is None]
    out: list[Citation] = []
    for key in dict.fromkeys(markers(text)):
        chunk = hits[key - 1].chunk
        found = [c for k, q in quotes if k == key and (c := cite_in_chunk(key, chunk, q))]
        if found:
            out.append(found[0])
            continue
        if c := cite_best_sentence(key, chunk, _claim_for(text, key)):
            out.append(c)
    return out, rejected


def _rejected(key: int, quote: str, hits: Sequence[Hit]) -> Citation:
    where = hits[key - 1].chunk if 1 <= key <= len(hits) else None
    return Citation(key, where.path if where else "?", 0, 0, where.section if where else "article", quote,
                    f"failed: quote not found in passage {key}")


def _claim_for(text: str, key: int) -> str:
    for s in sentences(text):
        if f"[{key}]" in s.text:
            return s.text
    return text


def ask(question: str, hits: Sequence[Hit], embedder: Embedder, reader: SourceReader,
        df: dict[str, int], n_docs: int, backend: ChatBackend | None = None,
        model: SupportModel | None = None) -> Answer:
    """Answer from `hits`: extractively, or with `backend`, falling back to extractive on failure."""
    model = model or SupportModel.load()
    if backend is not None:
        try:
            return llm_answer(question, hits, backend, reader)
        except LLMConfigError:
            raise
        except LLMError as exc:
            note = [f"LLM failed ({exc}); extractive answer shown instead"]
            scored = score_candidates(question, hits, embedder, model, df, n_docs)
            return extractive_answer(question, hits, scored, model, reader, note)
    scored = score_candidates(question, hits, embedder, model, df, n_docs)
    return extractive_answer(question, hits, scored, model, reader)
