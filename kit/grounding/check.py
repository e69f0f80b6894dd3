"""Check a text against passages: each sentence is a claim, cited with its best evidence and judged.

For each sentence of the text, the passages retrieved for it (the caller retrieves, see
`Kit.check`) are split into sentences and pairs of neighbouring sentences
(`Judge.candidate_signals`), each span gets a verdict and a score (`Judge.verdict`), and the best span becomes the
claim's citation: located in its chunk, verified at its span in the file and judged, the way an
extractive answer's citations are (`kit.grounding.claims.cited_claim`). A sentence that merges two
sentences apart in one file (each of its clauses said by one of them, no cause or time order
linking two of its clauses) is cited with both when no single span supports it. A sentence that no
retrieved span shares a content word with is unsupported, "not in the documents".
It also reads a draft file and refuses input it cannot check (empty, too long, binary), each
with one line. This module does not retrieve, call a language model or write anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.errors import InputError
from kit.grounding.citations import cite_span
from kit.grounding.claims import Evidence, cited_claim, number_citations
from kit.grounding.support import Judge, Judgement, Signals
from kit.grounding.wording import clause_parts
from kit.text import keywords, sentences
from kit.types import CheckedClaim, Chunk, Citation, Hit, Support

# Each sentence costs one search and up to 6 judged spans per passage (about 0.1 s offline with
# MiniLM), so 200,000 characters (about 30,000 words, 1,500 sentences) is minutes of work; more
# is a book, better checked in parts.
MAX_TEXT_CHARS = 200_000
# A "sentence" longer than this is a text without full stops (a table, a pasted log): no quote
# could support it, and its search would be about everything at once.
MAX_SENTENCE_CHARS = 2_000
NOT_IN_DOCUMENTS = "not in the documents"
NO_CONTENT = "no content word to check it by"


@dataclass(frozen=True)
class Span:
    """A span of a retrieved chunk (offsets in `chunk.text`)."""

    chunk: Chunk
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start:self.end]

    @property
    def place(self) -> tuple[str, int, int]:
        """Where it is: the file and the span in the raw file."""
        return (self.chunk.path, *self.chunk.raw_span(self.start, self.end))


@dataclass(frozen=True)
class Candidate:
    """The evidence for a sentence, one span or two apart in one file, and the judge's verdict on it."""

    spans: tuple[Span, ...]
    judgement: Judgement


def read_draft(path: Path) -> str:
    """The text of a draft file (UTF-8); one-line `InputError`s for a missing, folder, binary or
    too large file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give --from the path of a text file") from None
    if path.is_dir():
        raise InputError(f"{path} is a folder; give --from a text file (.txt, .md)")
    if size > 4 * MAX_TEXT_CHARS:  # UTF-8 takes at most 4 bytes a character
        raise _too_long(f"{path} is {size / 1e6:.1f} MB")
    data = path.read_bytes()
    try:
        if b"\0" in data:
            raise UnicodeError("NUL byte")
        return data.decode("utf-8-sig")
    except UnicodeError:
        raise InputError(f"{path} is not UTF-8 text (a binary file?); give --from a .txt or .md file") from None


def _too_long(what: str) -> InputError:
    return InputError(f"{what}, more than kit check reads at once ({MAX_TEXT_CHARS:,} characters); "
                      "check it in parts")


def claim_sentences(text: str) -> list[str]:
    """The sentences of `text`, each to be checked as a claim; `InputError` for a text that is
    empty, too long, or holds a sentence too long to check."""
    if not text.strip():
        raise InputError('the text to check is empty; give a sentence, e.g. kit check "Russia fired 18 missiles."')
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(f"the text is {len(text):,} characters long")
    split = [s.text for s in sentences(text)]
    found = [claim for s in split if (claim := _without_markup(s))]
    if not found:
        raise InputError("the text to check has no sentences (only headings or marks); give it sentences" if split
                         else 'the text to check holds no sentence; give one, e.g. kit check "Russia fired missiles."')
    for n, sentence in enumerate(found, 1):
        if len(sentence) > MAX_SENTENCE_CHARS:
            start = " ".join(sentence[:40].split())
            raise InputError(f"sentence {n} (\"{start}…\") is {len(sentence):,} characters long, more than "
                             f"{MAX_SENTENCE_CHARS:,}; end its sentences with full stops")
    return found


# A Markdown heading is no claim; a list or quotation mark before a sentence is no part of it.
_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_MARKS = re.compile(r"^(?:[-*+>]\s+)+")


def _without_markup(sentence: str) -> str:
    """The claim a draft's sentence makes: "" for a heading ("# Notes"), the sentence without the
    list or quotation marks before it ("- Russia fired 18 missiles.")."""
    return "" if _HEADING.match(sentence) else _MARKS.sub("", sentence)


def rank(j: Judgement) -> tuple[float, float]:
    """How well a span backs a sentence: its verdict (supported > partial > unsupported), then its
    score (the calibrated probability of support)."""
    return float(j.support.strength), score_of(j)


def score_of(j: Judgement) -> float:
    """A claim's score, 0 to 1: the judge's calibrated probability that the span supports it."""
    return min(1.0, max(0.0, j.score if j.score is not None else 0.0))


def best_span(sentence: str, hits: Sequence[Hit], judge: Judge) -> Candidate | None:
    """The sentence or pair of neighbouring sentences of `hits` that backs `sentence` best
    (`best_of`), or, when none supports it, two sentences apart in one file that do together
    (`joined`); None when no span shares a content word with it."""
    found: list[tuple[Candidate, Signals]] = []
    words = set(keywords(sentence))
    for hit in hits:
        for (start, end), signals in judge.candidate_signals(sentence, hit.chunk.text):
            # A word of its own, not only one said in other words ("moved" / "heading"): else the
            # span is no evidence, and the claim is "not in the documents".
            if signals.content_words and signals.coverage > 0 and words & set(keywords(hit.chunk.text[start:end])):
                found.append((Candidate((Span(hit.chunk, start, end),), judge.verdict(signals)), signals))
    chosen = best_of([(c.judgement, signals) for c, signals in found])
    if chosen is not None and found[chosen][0].judgement.support is not Support.SUPPORTED:
        together = [(c, s) for c, s in joined(sentence, found, judge) if c.judgement.support is Support.SUPPORTED]
        if together:
            return max(together, key=lambda f: rank(f[0].judgement))[0]
    return None if chosen is None else found[chosen][0]


# How many of the best-covering spans are tried two at a time (6 pairs).
_JOINED = 4


def joined(sentence: str, found: Sequence[tuple[Candidate, Signals]], judge: Judge
           ) -> list[tuple[Candidate, Signals]]:
    """Two spans apart in one file judged together, in the file's order, for a sentence that merges
    what they say ("X, who did Y" from "X did Z" ... "X did Y"): a pair of the spans that cover most
    of it, each bringing a word of the sentence the other lacks. The judge reads the pair's structure
    as it reads one quote, so words recombined across them are faulted, not added up. A sentence
    whose cue ties two of its clauses ("A, so B") is not tried: the link is what neither states.
    A cue inside one clause ("reported dead after the earthquake") is that clause's, which one of
    the two must say on its own (`Judge.clauses_apart`)."""
    from kit.grounding.structure.links import link_cues  # spaCy: not for a draft refused unread

    if link_cues(sentence) > sum(link_cues(part) for part in clause_parts(sentence)):
        return []  # a cue that ties two of its clauses: a link neither sentence states
    words = set(keywords(sentence))
    best = sorted(found, key=lambda f: -f[1].coverage)
    spans = list(dict.fromkeys(c.spans[0] for c, _ in best if len(c.spans) == 1))[:_JOINED]
    out = []
    for i, a in enumerate(spans):
        for b in spans[i + 1:]:
            if a.chunk.path != b.chunk.path or _overlap(a, b):
                continue
            first, second = sorted((a, b), key=lambda x: x.place)
            says = [words & set(keywords(x.text)) for x in (first, second)]
            if says[0] - says[1] and says[1] - says[0] and judge.clauses_apart(sentence, [first.text, second.text]):
                signals = judge.signals(sentence, [first.text, second.text], _passages(first, second))
                out.append((Candidate((first, second), judge.verdict(signals)), signals))
    return out


def _overlap(a: Span, b: Span) -> bool:
    (_, a0, a1), (_, b0, b1) = a.place, b.place
    return a0 < b1 and b0 < a1


def _passages(first: Span, second: Span) -> list[str]:
    return list(dict.fromkeys([first.chunk.text, second.chunk.text]))


def best_of(judged: Sequence[tuple[Judgement, Signals]]) -> int | None:
    """Which of the judged spans backs a claim best: the highest verdict (supported > partial >
    unsupported), then score, the first of equals. When none backs it, the span holding most of
    the claim's words, whose reason says what is wrong ("the quote says 'part of'"), not a
    sentence that shares a few of its words. A partial span does not excuse what the span
    holding more of the claim's words contradicts (a number, a name, a negation, roles, modality:
    "ISIS units have withdrawn" where that span says they "would be allowed to withdraw"): that
    span is the evidence, and its fault the verdict."""
    if not judged:
        return None
    best = max(range(len(judged)), key=lambda i: rank(judged[i][0]))
    if judged[best][0].support is Support.UNSUPPORTED:  # the span the claim is about, and what is wrong with it
        return max(range(len(judged)), key=lambda i: (judged[i][1].coverage, rank(judged[i][0])))
    if judged[best][0].support is Support.PARTIAL:
        closest = max(range(len(judged)), key=lambda i: judged[i][1].coverage)
        if judged[closest][1].hard and judged[closest][1].coverage > judged[best][1].coverage:
            return closest
    return best


def check_sentence(sentence: str, hits: Sequence[Hit], evidence: Evidence, key: int = 1
                   ) -> tuple[CheckedClaim, list[Citation]]:
    """`sentence` as a claim cited with its best span, the quote verified at its span in the file
    and judged; (claim, citations that failed their check)."""
    best = best_span(sentence, hits, evidence.judge)
    if best is None:
        why = NOT_IN_DOCUMENTS if keywords(sentence) else NO_CONTENT
        return CheckedClaim(sentence, (), Support.UNSUPPORTED, (why,)), []
    cited = [(cite_span(key + n, s.chunk, s.start, s.end), s.chunk.text) for n, s in enumerate(best.spans)]
    claim, failed = cited_claim(sentence, cited, evidence)
    score = score_of(best.judgement) if claim.citations else 0.0
    return CheckedClaim(claim.text, claim.citations, claim.support, claim.reasons, round(score, 4)), failed


def check_claims(found: Sequence[str], search: Callable[[str], list[Hit]], evidence: Evidence
                 ) -> tuple[list[CheckedClaim], list[Citation]]:
    """Every sentence checked against the passages `search` retrieves for it; citations numbered
    1..n in the order of the text (the same span keeps one number)."""
    claims: list[CheckedClaim] = []
    failed: list[Citation] = []
    for n, sentence in enumerate(found, 1):
        claim, bad = check_sentence(sentence, search(sentence), evidence, key=n)
        claims.append(claim)
        failed += bad
    return number_citations(claims, shown_first=False), failed
