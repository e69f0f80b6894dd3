"""Questions in, cited answers out, or an honest "not in the documents".

Two answerers behind one protocol, picked by name (`settings.llm`):
- extractive (offline default): the answer is the source sentences that best answer the
  question. A sentence qualifies only if it is a statement (not a headline, byline, caption or
  menu line), holds the kind of thing asked for (a number for "how many", a date for "when", a
  name for "who"/"where", the option for "what does -h do") and covers the question's key
  terms. The best one's support score (a logistic model over similarity and coverage,
  calibrated on SQuAD 2.0, bench/calibrate_abstention.py) decides between answering and
  abstaining.
- llm: a chat model (an OpenAI-compatible server, or a GGUF file run in process) writes the
  answer from numbered passages, trimmed to the sentences near the question's terms
  (`kit.answer.trim`, the `llm_trim` setting) and packed to fit its context; each of its sentences becomes a
  claim whose citations are located, verified against the files and judged for support
  (`kit.grounding.claims`). Unsupported claims are listed apart, and so are supported ones that do
  not answer the question (by the checks above); with no supported claim left the answer is
  "not in the documents". A failing model is an error, or, when `llm_fallback` is set, the
  extractive answer with a note saying why.
This module does not retrieve.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from kit import calibration
from kit.answer.questions import (
    AnswerKind,
    asked_for,
    counts_asked,
    covers_key_terms,
    holds_kind,
    off_question,
    type_match,
)
from kit.answer.replies import ANSWER_SCHEMA, parse_reply
from kit.answer.trim import block_of, trim_note, trimmed
from kit.corpus.sources import SourceReader
from kit.embeddings import Embedder
from kit.errors import LLMConfigError, LLMError
from kit.grounding.citations import cite_in_chunk
from kit.grounding.claims import (
    Evidence,
    build_claims,
    number_citations,
    quoted_claim,
    source_notes,
)
from kit.grounding.pointers import repointed
from kit.llm.base import ChatBackend, Trace
from kit.llm.budget import fit_and_call
from kit.llm.judge import second_opinion
from kit.llm.prompts import load_prompt, passage_sentences, render_numbered_passages
from kit.results import Answer
from kit.text import is_statement, key_term_coverage, keywords, plural, sentences, table_header
from kit.types import Chunk, Citation, Claim, Hit, Mode, SourceStatus

CALIBRATION = "abstention"  # kit/calibration/abstention.json
_MAX_SENTENCES = 3
# Answers say where a quote stands on the page: a reader's comment is not the article.
_SECTION_LEAD = {"article": "", "comments": "A reader's comment says: ", "sidebar": "Another story on the page says: "}


class Answerer(Protocol):
    """Anything that answers a question from retrieved hits."""

    name: str
    mode: Mode

    def answer(self, question: str, hits: Sequence[Hit], ctx: Evidence) -> Answer: ...


# -- extractive -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerSentence:
    """A source sentence with its raw span and the hit it came from."""

    hit_index: int
    chunk: Chunk
    start: int  # offsets inside chunk.text
    end: int
    text: str
    context: str  # the sentence with its neighbours, for keyword coverage
    header: str = ""  # for a Markdown table row, its table's header row

    @property
    def scored(self) -> str:
        """The words scored against the question: the sentence, and a table row's header with it
        (the quote stays the row alone, verbatim at its span)."""
        return f"{self.header}\n{self.text}" if self.header else self.text


class SupportModel:
    """Logistic support score over sentence features; weights come from calibration."""

    FEATURES = ("cos", "coverage", "context_coverage", "missing_rare", "type_match", "counts_asked", "bias")

    def __init__(self, weights: dict[str, float], threshold: float) -> None:
        self.weights = weights
        self.threshold = threshold

    @classmethod
    def load(cls, name: str = CALIBRATION, threshold: float | None = None) -> SupportModel:
        """The calibrated model; `threshold` (the abstain_threshold setting) overrides its threshold."""
        data = calibration.load(name)
        return cls(data["weights"], float(data["threshold"]) if threshold is None else threshold)

    def score(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * features.get(name, 0.0) for name in self.FEATURES)
        return 1.0 / (1.0 + math.exp(-z))


def sentence_features(question: str, cand: AnswerSentence, cos: float, idf: Callable[[str], float]) -> dict[str, float]:
    """General evidence that `cand` answers `question`, each feature in [0, 1]."""
    terms = set(keywords(question))
    weights = {t: idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    in_sentence = set(keywords(cand.scored))
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
        "counts_asked": counts_asked(question, cand.text),
        "bias": 1.0,
    }


def candidates(hits: Sequence[Hit]) -> list[AnswerSentence]:
    """Every sentence of every hit, with a one-sentence window of context on each side (and a
    table row with its table's header row)."""
    out: list[AnswerSentence] = []
    for i, hit in enumerate(hits):
        sents = sentences(hit.chunk.text)
        for j, s in enumerate(sents):
            lo, hi = sents[max(0, j - 1)].start, sents[min(len(sents) - 1, j + 1)].end
            header = table_header(hit.chunk.text, s.start)
            context = f"{header}\n{hit.chunk.text[lo:hi]}" if header else hit.chunk.text[lo:hi]
            out.append(AnswerSentence(i, hit.chunk, s.start, s.end, s.text, context, header))
    return out


@dataclass
class Scored:
    cand: AnswerSentence
    vector: np.ndarray
    features: dict[str, float]
    support: float


def score_candidates(question: str, cands: Sequence[AnswerSentence], embedder: Embedder, model: SupportModel,
                     idf: Callable[[str], float]) -> list[Scored]:
    """Candidates scored by support, best first."""
    if not cands:
        return []
    vectors = embedder.embed([question] + [c.scored for c in cands])
    qvec, svecs = vectors[0], vectors[1:]
    scored = []
    for cand, vec in zip(cands, svecs, strict=True):
        feats = sentence_features(question, cand, float(vec @ qvec), idf)
        scored.append(Scored(cand, vec, feats, model.score(feats)))
    return sorted(scored, key=lambda s: -s.support)


def answerable(question: str, cands: Sequence[AnswerSentence], idf: Callable[[str], float]) -> list[AnswerSentence]:
    """The candidates that are statements (a table row under its header counts as one) holding the
    kind of answer asked for, in a passage naming the key terms (judged once per passage)."""
    kind = asked_for(question)
    covers: dict[int, bool] = {}

    def passage_ok(c: AnswerSentence) -> bool:
        if c.hit_index not in covers:
            covers[c.hit_index] = covers_key_terms(question, c.chunk, idf)
        return covers[c.hit_index]

    kept = [c for c in cands
            if (c.header or is_statement(c.text)) and holds_kind(kind, question, c.text) and passage_ok(c)]
    return _closest_rows(question, kept, idf)


def _closest_rows(question: str, cands: list[AnswerSentence], idf: Callable[[str], float]) -> list[AnswerSentence]:
    """Of a table's rows, only those naming most of the question's words: the rows share their header's
    words, so "child fare ... Ostby" would let the Skarholm row answer too were its key not weighed alone."""
    def own(c: AnswerSentence) -> float:
        return key_term_coverage(question, c.text, idf)

    best: dict[tuple[int, str], float] = {}
    for c in cands:
        if c.header:
            best[c.hit_index, c.header] = max(best.get((c.hit_index, c.header), 0.0), own(c))
    return [c for c in cands if not c.header or own(c) >= best[c.hit_index, c.header]]


class ExtractiveAnswerer:
    """Answers with the source sentences that best answer the question; no model."""

    name = "extractive"
    mode = Mode.EXTRACTIVE

    def __init__(self, embedder: Embedder, model: SupportModel) -> None:
        self.embedder = embedder
        self.model = model

    def answer(self, question: str, hits: Sequence[Hit], ctx: Evidence) -> Answer:
        eligible = answerable(question, candidates(hits), ctx.idf)
        scored = score_candidates(question, eligible, self.embedder, self.model, ctx.idf)
        best = scored[0].support if scored else 0.0
        if best < self.model.threshold:
            note = _abstention_note(question, hits, bool(eligible))
            return Answer(question, [], Mode.EXTRACTIVE, self.name, best, hits=list(hits), notes=[note])
        claims: list[Claim] = []
        failed: list[Citation] = []
        for s in _diverse(scored, best):
            c = cite_in_chunk(1, s.cand.chunk, s.cand.text)
            if c is None:
                continue
            claim, bad = quoted_claim(c, s.cand.chunk.text, ctx)
            lead = _SECTION_LEAD[c.section]
            claims.append(Claim(lead + claim.text, claim.citations, claim.support, claim.reasons) if lead else claim)
            failed += bad
        answer = Answer(question, number_citations(claims), Mode.EXTRACTIVE, self.name, best, failed,
                        hits=list(hits))
        answer.notes += source_notes(failed)
        return answer


def _abstention_note(question: str, hits: Sequence[Hit], any_eligible: bool) -> str:
    kind = asked_for(question)
    if any_eligible:
        return "the best passage sentence does not answer the question closely enough"
    if kind is not AnswerKind.ANY:
        return f"no passage sentence gives the {kind.value} asked for together with the question's key terms"
    return "no passage sentence covers the question's key terms" if hits else "nothing was retrieved"


def _diverse(scored: list[Scored], best: float) -> list[Scored]:
    """Up to three sentences close to the best one in support, none repeating another."""
    picks: list[Scored] = []
    for s in scored:
        if len(picks) == _MAX_SENTENCES or s.support < max(best * 0.8, best - 0.15):
            break
        if all(float(s.vector @ p.vector) < 0.85 for p in picks):
            picks.append(s)
    return picks


# -- language model -------------------------------------------------------------------------

class LLMAnswerer:
    """Answers with a chat model; every sentence is a claim checked against its quotes."""

    mode = Mode.LLM

    def __init__(self, backend: ChatBackend, check_timeout: float | None = None, trim: bool = True) -> None:
        self.backend = backend
        self.name = backend.name
        self.check_timeout = check_timeout  # the model's own check of the claims, with this deadline (None: none)
        self.trim = trim  # passages shown only near the question's terms (`kit.answer.trim`)

    def answer(self, question: str, hits: Sequence[Hit], ctx: Evidence) -> Answer:
        prompt = load_prompt("answer")
        trace = Trace(prompt.name, prompt.version, self.backend.name, [h.chunk.id for h in hits])
        shown = trimmed(question, hits, ctx.idf) if self.trim else {}

        def render(sent: list[Hit]) -> tuple[str, str]:
            return prompt.render(question=question, passages=render_numbered_passages(sent, shown))

        result, packed = fit_and_call(self.backend, render, hits, trace, ANSWER_SCHEMA, block_of(shown))
        hits = packed.hits  # what the model read: the passages that fit its context, the last maybe cut
        cut_off = result.finish_reason == "length"
        reply = parse_reply(result.text, prompt.sentinels["refusal"], cut_off, _sentence_of(hits))
        notes = packed.notes + [n for n in [trim_note(hits, shown)] if n]
        notes += ["the model's reply was cut off (finish_reason=length)"] if cut_off else []
        notes += reply.notes
        if reply.refused:
            notes += [] if reply.notes else ["the model found no answer in the passages"]
            return Answer(question, [], Mode.LLM, self.name, traces=[trace.to_dict()], hits=list(hits), notes=notes)
        passages = {key: h.chunk for key, h in enumerate(hits, 1)}
        claims, failed = build_claims(repointed(reply.drafts, passages, ctx.judge), passages, ctx)
        claims, beside = split_off_question(question, claims, passages, ctx)
        traces = [trace.to_dict()]
        if self.check_timeout is not None:
            opinion = second_opinion(claims, self.backend, self.check_timeout)
            claims, traces, notes = opinion.claims, traces + opinion.traces, notes + opinion.notes
        numbered = number_citations(claims + beside)  # shown claims take the first numbers
        answer = Answer(question, numbered[:len(claims)], Mode.LLM, self.name, failed=failed,
                        traces=traces, hits=list(hits), notes=notes, off_question=numbered[len(claims):])
        total = len(claims) + len(beside)
        if answer.unsupported:
            n = len(answer.unsupported)
            answer.notes.append(f"{n} of the model's {plural(total, 'claim')} {'is' if n == 1 else 'are'} not "
                                f"supported by the sources; {'it is' if n == 1 else 'they are'} listed apart")
        if beside:
            n = len(beside)
            answer.notes.append(f"{n} of the model's {plural(total, 'claim')} {'is' if n == 1 else 'are'} supported "
                                f"but {'does' if n == 1 else 'do'} not answer the question; "
                                f"{'it is' if n == 1 else 'they are'} listed apart")
        answer.notes += source_notes(failed)
        return answer


def _sentence_of(hits: Sequence[Hit]) -> Callable[[int, int], str | None]:
    """Sentence `number` of passage `key` as the prompt numbered them (kit's copy), or None."""
    def sentence_of(key: int, number: int) -> str | None:
        if not 1 <= key <= len(hits):
            return None
        found = passage_sentences(hits[key - 1].chunk)
        return found[number - 1] if 1 <= number <= len(found) else None
    return sentence_of


def split_off_question(question: str, claims: list[Claim], passages: dict[int, Chunk], ctx: Evidence
                       ) -> tuple[list[Claim], list[Claim]]:
    """(claims kept as the answer, supported claims that do not answer the question, with why).
    A true claim off the question ("fired 18 cruise missiles" for "how many warships") is not an
    answer; unsupported claims stay in the first list, where they are listed apart anyway."""
    kept: list[Claim] = []
    beside: list[Claim] = []
    for claim in claims:
        cited = [passages[c.key] for c in claim.citations if c.key in passages]
        quotes = " ".join(c.quote for c in claim.citations)
        why = None if not claim.shown else off_question(question, claim.text, quotes, cited, ctx.idf)
        if why is None:
            kept.append(claim)
        else:
            beside.append(replace(claim, reasons=(*claim.reasons, f"not an answer to the question: {why}")))
    return kept, beside


class FallbackAnswerer:
    """The LLM answerer, falling back to the extractive one (with a note) when the model fails;
    a configuration error (bad key, model or URL) is never hidden this way."""

    mode = Mode.LLM

    def __init__(self, primary: LLMAnswerer, fallback: ExtractiveAnswerer) -> None:
        self.primary, self.fallback = primary, fallback
        self.name = primary.name

    def answer(self, question: str, hits: Sequence[Hit], ctx: Evidence) -> Answer:
        try:
            return self.primary.answer(question, hits, ctx)
        except LLMConfigError:
            raise
        except LLMError as exc:
            answer = self.fallback.answer(question, hits, ctx)
            answer.notes.insert(0, f"the language model failed ({exc}); extractive answer shown instead")
            return answer


def stale_notes(hits: Sequence[Hit], reader: SourceReader) -> list[str]:
    """Say so when passages an answer was drawn from come from files that changed, went missing
    or now lead outside their folder since ingest: the answer may be missing because of them."""
    stale: dict[str, SourceStatus] = {}
    for h in hits:
        status = reader.status(h.chunk.path, h.chunk.doc_sha256 or None)
        if status is not SourceStatus.OK:
            stale.setdefault(h.chunk.path, status)
    if not stale:
        return []
    listed = "; ".join(f"{path}: {status.value}" for path, status in list(stale.items())[:3])
    return [f"{len(stale)} of the files searched changed or went missing since ingest ({listed}); "
            "run `kit ingest` on their folder again"]
