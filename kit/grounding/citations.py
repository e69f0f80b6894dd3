"""Citations: parse markers, locate quotes in passages, and check quotes against the files.

A citation is kept only when its quote is found in the source file at its span (for HTML, the
span's markup with tags stripped and references decoded; for PDF and DOCX, the extracted text, the
citation's page or paragraph derived from it and checked), exactly or after normalising
whitespace and typographic quotes (the check says which); otherwise its
typed problem says why (file missing, file changed since ingest, quote no longer at its span).
Whether a quote supports its claim is `kit.grounding.support`'s question; this module only locates and
verifies. It does not retrieve or call models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from kit.corpus.sources import SourceReader
from kit.text import copied
from kit.types import Chunk, Citation, CitationProblem, QuoteCheck, SourceStatus

MARKER = re.compile(r"\[(\d{1,3})\]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "´": "'", "`": "'",
                         "\u00a0": " ", "–": "-", "—": "-"})


def markers(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def strip_markers(text: str, keep: set[int]) -> str:
    """Remove markers whose key is not in `keep` (invented keys), tidying spaces."""
    cleaned = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in keep else "", text)
    return re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with whitespace collapsed and quotes unified, plus each output char's input index."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_QUOTES)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        index.append(i)
    return "".join(out), index


def locate(haystack: str, needle: str) -> tuple[int, int, str] | None:
    """(start, end, how) of `needle` in `haystack`: 'exact', else 'normalized', else None."""
    needle = needle.strip()
    if not needle:
        return None
    at = haystack.find(needle)
    if at >= 0:
        return at, at + len(needle), "exact"
    hay, index = normalise(haystack)
    pin, _ = normalise(needle)
    at = hay.find(pin.strip())
    if at < 0:
        return None
    end = at + len(pin.strip())
    return index[at], index[end - 1] + 1, "normalized"


def cite_in_chunk(key: int, chunk: Chunk, quote: str) -> Citation | None:
    """A citation for `quote` inside `chunk`, with the span in the raw file; None if absent.

    Passages reach the model escaped (`kit.text.escaped`), so a quote copied from the prompt may say
    `&amp;` where the file says `&`: it is matched with those escapes undone as well (`kit.text.copied`),
    and with no other entity decoded: the model never saw one that the file does not hold."""
    found = locate(chunk.text, quote)
    if found is None and "&" in quote:
        found = locate(chunk.text, copied(quote))
    if found is None:
        return None
    return cite_span(key, chunk, *found)


def cite_span(key: int, chunk: Chunk, s: int, e: int, how: str = "exact") -> Citation:
    """A citation quoting `chunk.text[s:e]`, with the span in the raw file."""
    start, end = chunk.raw_span(s, e)  # for HTML, through the chunk's map into the markup
    return Citation(key, chunk.path, start, end, chunk.section, chunk.text[s:e], QuoteCheck(how),
                    doc_sha256=chunk.doc_sha256)


def verify(citation: Citation, reader: SourceReader) -> Citation:
    """Check the quote against the file at its span; returns the citation with its verdict."""
    if citation.check is QuoteCheck.FAILED:
        return citation
    if reader.text(citation.path) is None:
        outside = reader.status(citation.path) is SourceStatus.OUTSIDE
        return citation.failed(CitationProblem.SOURCE_OUTSIDE if outside else CitationProblem.SOURCE_MISSING)
    # For HTML, the page's text at the span (tags stripped, references decoded); a span that starts
    # or ends in markup reads as nothing, so it fails.
    at_span = reader.at_span(citation.path, citation.start, citation.end) or ""
    located = _located(citation, reader)
    if located is not None and at_span == citation.quote:
        return replace(located, check=QuoteCheck.EXACT, problem=None)
    if located is not None and normalise(at_span)[0].strip() == normalise(citation.quote)[0].strip():
        return replace(located, check=QuoteCheck.NORMALIZED, problem=None)
    changed = reader.status(citation.path, citation.doc_sha256) is SourceStatus.CHANGED
    return citation.failed(CitationProblem.SOURCE_CHANGED if changed else CitationProblem.NOT_AT_SPAN)


def _located(citation: Citation, reader: SourceReader) -> Citation | None:
    """The citation with the page (PDF) or paragraph (DOCX) its span starts in, derived from the file
    as read now; None when it names another page or paragraph than the file gives (a saved citation
    whose location was edited, or whose file's pages moved)."""
    where = reader.where(citation.path, citation.start)
    page = where[1] if where and where[0] == "page" else None
    paragraph = where[1] if where and where[0] == "paragraph" else None
    if (citation.page or page) != page or (citation.paragraph or paragraph) != paragraph:
        return None
    return replace(citation, page=page, paragraph=paragraph, url=reader.url(citation.path) or citation.url)


def verify_all(citations: Sequence[Citation], reader: SourceReader) -> tuple[list[Citation], list[Citation]]:
    """(kept, failed) after checking every citation against its file."""
    checked = [verify(c, reader) for c in citations]
    return [c for c in checked if c.verified], [c for c in checked if not c.verified]
