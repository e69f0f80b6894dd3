"""Claims: the sentences kit asserts, each with citations checked twice.

A model's reply (an answer with [n] markers, or summary sentences with passage keys) becomes
drafts; each draft becomes a `Claim` whose citations were (1) located in the passage they name,
(2) verified against the source file at their span, and (3) judged for support. A bare marker
(no quote given for it) takes the passage sentence that supports the claim, and only then; a
quote the model gave that is not in its passage is never replaced by kit's own choice. A quote
that misses its passage by a copying slip, or stands in another passage than the one named, is
located there (`kit.grounding.repair`) and the repair is said in the claim's reasons.
Invented keys and quotes not in their passage are failed citations, never kept; a claim whose
citations all failed is unsupported and loses its markers. Citations are then numbered 1..n in
order of first use. This module does not call models or retrieve.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from kit.corpus.sources import SourceReader
from kit.grounding.citations import cite_in_chunk, cite_span, markers, strip_markers, verify
from kit.grounding.repair import repair_quote
from kit.grounding.support import Judge
from kit.text import sentences
from kit.types import Chunk, Citation, CitationProblem, Claim, QuoteCheck, Support

C = TypeVar("C", bound=Claim)  # a claim, or a claim with more (a checked claim and its score)
_MARKERS_AFTER_STOP = re.compile(r"([.!?][\"'”’)]*)\s*((?:\[\d{1,3}\]\s*)+)")


@dataclass(frozen=True)
class Evidence:
    """What claims are checked against: the files as they are now, and the support judge."""

    reader: SourceReader
    judge: Judge

    @property
    def idf(self) -> Callable[[str], float]:
        """Word weights: the judge's."""
        return self.judge.idf


@dataclass(frozen=True)
class Draft:
    """A sentence as the model wrote it: its text (markers removed), the passage keys it
    cites, and the (key, quote) pairs offered for them."""

    text: str
    keys: tuple[int, ...]
    quotes: tuple[tuple[int, str], ...]
    pointed: bool = False  # the quotes are kit's copies of sentences the model named by number
    note: str = ""  # what kit changed in the draft's citations, said in the claim's reasons


@dataclass(frozen=True)
class _Cited:
    citation: Citation
    passage: str  # the chunk the quote was found in: the context for a 'partial' verdict
    note: str = ""  # what kit repaired in the model's quote, said in the claim's reasons


def answer_drafts(text: str, quotes: Sequence[tuple[int, str]]) -> list[Draft]:
    """One draft per sentence of an answer with [n] markers; each takes the quotes of its keys.
    An unmarked sentence is offered every quote (it keeps one only if that quote supports it)."""
    # "... on Friday. [1] Then ..." : the marker belongs to the sentence before its full stop.
    text = _MARKERS_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", text)
    pieces = [s.text for s in sentences(text)]
    out = []
    for piece in pieces:
        keys = tuple(dict.fromkeys(markers(piece)))
        body = strip_markers(piece, set()).strip()
        if not any(ch.isalnum() for ch in body):
            continue
        offered = tuple(q for q in quotes if q[0] in keys) if keys else tuple(quotes)
        out.append(Draft(body, keys, offered))
    return out


def build_claims(drafts: Sequence[Draft], passages: Mapping[int, Chunk], evidence: Evidence
                 ) -> tuple[list[Claim], list[Citation]]:
    """(claims, failed citations) for drafts citing `passages` (passage key -> chunk). Citation
    keys are still passage keys; `number_citations` numbers them for display."""
    claims: list[Claim] = []
    failed: list[Citation] = []
    for draft in drafts:
        claim, bad = _claim(draft, passages, evidence)
        claims.append(claim)
        failed += bad
    return claims, failed


def _claim(draft: Draft, passages: Mapping[int, Chunk], evidence: Evidence) -> tuple[Claim, list[Citation]]:
    cited: list[_Cited] = []
    failed: list[Citation] = []
    for key, quote in draft.quotes:
        if key not in passages:
            failed.append(_failed(key, quote, CitationProblem.INVENTED_KEY))
    failed += [_failed(key, "", CitationProblem.INVENTED_KEY) for key in draft.keys
               if key not in passages and all(k != key for k, _ in draft.quotes)]
    found: list[_Cited] = []
    for key in dict.fromkeys(k for k, _ in draft.quotes if k in passages):
        located, missing = _locate(key, passages, [q for k, q in draft.quotes if k == key])
        found += located
        failed += missing
    for key in dict.fromkeys(c.citation.key for c in found):  # a quote may be found in another passage
        cited += _best_quote(draft.text, [c for c in found if c.citation.key == key], evidence.judge)
    if not draft.keys and cited:  # unmarked sentence: keep only a quote that supports it
        cited = [c for c in cited if _supports(draft.text, c, evidence.judge)][:1]
    offered = {k for k, q in draft.quotes if q.strip()}
    for key in draft.keys:  # a bare marker only: a quote the model gave and kit could not find stays failed
        if key in passages and key not in offered and not any(c.citation.key == key for c in cited):
            cited += _best_sentence(draft.text, key, passages[key], evidence.judge)
    claim, bad = make_claim(draft.text, cited, evidence, failed)
    if draft.note and claim.citations:
        claim = replace(claim, reasons=(*claim.reasons, draft.note))
    return claim, bad


def _locate(key: int, passages: Mapping[int, Chunk], quotes: list[str]) -> tuple[list[_Cited], list[Citation]]:
    """Each quote in the passage it names, else repaired there, else (exact or repaired) in
    another passage; a quote found nowhere is a failed citation of the passage it names."""
    found: list[_Cited] = []
    missing: list[Citation] = []
    for quote in quotes:
        if not quote.strip():
            continue
        c = _find(key, passages, quote)
        if c is None:
            missing.append(_failed(key, quote, CitationProblem.NOT_IN_PASSAGE, passages[key]))
        elif all((c.citation.start, c.citation.end) != (x.citation.start, x.citation.end) for x in found):
            found.append(c)
    return found, missing


def _find(key: int, passages: Mapping[int, Chunk], quote: str) -> _Cited | None:
    """The quote as written in its passage, else repaired there; then the same in the others."""
    others = [k for k in passages if k != key]
    for keys in ([key], others):
        for repaired in (False, True):
            for k in keys:
                found = _found_in(k, passages[k], quote, repaired)
                if found is not None:
                    moved = f"the model named passage {key} of its prompt, but its quote is in passage {k}"
                    return replace(found, note="; ".join(filter(None, [moved if k != key else "", found.note])))
    return None


def _found_in(key: int, chunk: Chunk, quote: str, repaired: bool) -> _Cited | None:
    if not repaired:
        c = cite_in_chunk(key, chunk, quote)
        return _Cited(c, chunk.text) if c else None
    repair = repair_quote(chunk.text, quote)
    if repair is None:
        return None
    return _Cited(cite_span(key, chunk, repair.start, repair.end), chunk.text,
                  f"its quote was repaired: {repair.what}")


def _best_quote(claim: str, options: list[_Cited], judge: Judge) -> list[_Cited]:
    """Of several quotes offered from one passage, the one that backs the claim best."""
    if len(options) <= 1:
        return options
    def score(c: _Cited) -> tuple[int, float]:
        v = judge.judge(claim, [c.citation.quote], [c.passage])
        return v.support.strength, v.signals.get("coverage", 0.0)

    return [max(options, key=score)]


def _best_sentence(claim: str, key: int, chunk: Chunk, judge: Judge) -> list[_Cited]:
    """The passage sentence that supports `claim`, for a marker given without a usable quote."""
    span = judge.supporting_sentence(claim, chunk.text)
    if span is None:
        return []
    c = cite_in_chunk(key, chunk, chunk.text[span[0]:span[1]])
    return [_Cited(c, chunk.text)] if c else []


def _supports(claim: str, cited: _Cited, judge: Judge) -> bool:
    return judge.judge(claim, [cited.citation.quote], [cited.passage]).support is Support.SUPPORTED


def make_claim(text: str, cited: Sequence[_Cited], evidence: Evidence, failed: Sequence[Citation] = ()
               ) -> tuple[Claim, list[Citation]]:
    """Verify each citation against its file, judge the claim against the verified quotes."""
    checked = [(verify(c.citation, evidence.reader), c.passage) for c in cited]
    kept = [(c, p) for c, p in checked if c.verified]
    failed = [*failed, *(c for c, _ in checked if not c.verified)]
    if not kept:
        reasons = [failure_reason(c) for c in failed] or ["no citation"]
        return Claim(text, (), Support.UNSUPPORTED, tuple(dict.fromkeys(reasons))), failed
    notes = tuple(c.note for c, (v, _) in zip(cited, checked, strict=True) if c.note and v.verified)  # never silent
    judged = []
    for c, passage in kept:
        v = evidence.judge.judge(text, [c.quote], [passage])
        judged.append(replace(c, support=v.support, reasons=v.reasons))
    if len(kept) > 1:  # one citation's verdict is already the claim's (same arguments)
        v = evidence.judge.judge(text, [c.quote for c, _ in kept], list(dict.fromkeys(p for _, p in kept)))
    return Claim(text, tuple(judged), v.support, tuple(dict.fromkeys(v.reasons + notes))), failed


def quoted_claim(citation: Citation, passage: str, evidence: Evidence, text: str | None = None
                 ) -> tuple[Claim, list[Citation]]:
    """A claim that is its own quote (extractive answers and summaries), checked the same way."""
    return make_claim(text or " ".join(citation.quote.split()), [_Cited(citation, passage)], evidence)


def cited_claim(text: str, cited: Sequence[tuple[Citation, str]], evidence: Evidence
                ) -> tuple[Claim, list[Citation]]:
    """`text` cited with each (citation, the chunk it is in) and checked the same way."""
    return make_claim(text, [_Cited(c, passage) for c, passage in cited], evidence)


def number_citations(claims: list[C], shown_first: bool = True) -> list[C]:
    """Renumber citations 1..n in order of first use, shown claims first (an answer reads [1], [2]
    ...; claims listed apart take the next numbers) unless `shown_first` is False (a checked text
    shows every claim, in its order); the same span keeps one number."""
    numbers: dict[tuple[str, int, int], int] = {}
    for claim in sorted(claims, key=lambda c: shown_first and not c.shown):
        for c in claim.citations:
            numbers.setdefault((c.path, c.start, c.end), len(numbers) + 1)
    out = []
    for claim in claims:
        cites: list[Citation] = []
        for c in claim.citations:
            key = numbers[(c.path, c.start, c.end)]
            if all(x.key != key for x in cites):
                cites.append(replace(c, key=key))
        out.append(replace(claim, citations=tuple(cites)))
    return out


def failure_reason(c: Citation) -> str:
    """Why a citation was not kept, in words (from its typed problem)."""
    place = f" (page {c.page})" if c.page else f" (paragraph {c.paragraph})" if c.paragraph else ""
    messages = {
        CitationProblem.INVENTED_KEY: f"cites passage [{c.key}], which it was not given",
        CitationProblem.NOT_IN_PASSAGE: f"its quote is not in passage [{c.key}]",
        CitationProblem.SOURCE_MISSING: f"its source file {c.path} is missing or unreadable",
        CitationProblem.SOURCE_CHANGED: f"its source file {c.path} changed since it was ingested",
        CitationProblem.SOURCE_OUTSIDE: f"its source file {c.path} leads outside its folder (through a link, or "
                                        "by its name), so it is not read",
        CitationProblem.NOT_AT_SPAN: f"its quote is no longer at its place{place} in {c.path}",
    }
    return messages.get(c.problem, "its citation did not check out") if c.problem else "its citation did not check out"


def _failed(key: int, quote: str, problem: CitationProblem, chunk: Chunk | None = None) -> Citation:
    return Citation(key, chunk.path if chunk else "", 0, 0, chunk.section if chunk else "article", quote,
                    QuoteCheck.FAILED, problem, chunk.doc_sha256 if chunk else "")


def source_notes(failed: Sequence[Citation]) -> list[str]:
    """Say so when citations failed because a source file changed or went missing since ingest."""
    gone = {CitationProblem.SOURCE_CHANGED, CitationProblem.SOURCE_MISSING, CitationProblem.SOURCE_OUTSIDE,
            CitationProblem.NOT_AT_SPAN}
    reasons = list(dict.fromkeys(failure_reason(c) for c in failed if c.problem in gone))
    if not reasons:
        return []
    return [f"{len(reasons)} cited source(s) changed or went missing since ingest ({'; '.join(reasons[:3])}); "
            "run `kit ingest` on their folder again"]
