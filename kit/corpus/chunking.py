"""Split cleaned documents into chunks with exact raw spans.

Cleaning and splitting read the document's text (`Document.text`: the raw text, or an HTML page's
text view). A chunk never crosses removed boilerplate or a section boundary, and its span is in the
raw file: `raw_text[start:end]` is the chunk text verbatim, or for HTML the markup that reads as it,
mapped character by character (`Chunk.raw_map`). Splitting inside a block uses LangChain's recursive
splitter (paragraph, line, sentence, clause, word) and then re-anchors each piece in the text.
Chunk ids hash the file path, span and text: the same input always gives the same id.
This module does not embed or store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from kit.types import Chunk, Document, RawMap, Section

_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Block:
    """A run of kept lines with only whitespace between them, in one section."""

    start: int
    end: int
    section: Section


def blocks(doc: Document) -> list[Block]:
    """Merge the document's kept spans into maximal blocks (never across one of its `breaks`)."""
    out: list[Block] = []
    for span in doc.spans:
        prev = out[-1] if out else None
        gap = doc.text[prev.end:span.start] if prev else None
        if (prev and prev.section == span.section and gap is not None and not gap.strip()
                and not any(prev.end <= b <= span.start for b in doc.breaks)):
            out[-1] = Block(prev.start, span.end, prev.section)
        else:
            out.append(Block(span.start, span.end, span.section))
    return out


@lru_cache(maxsize=8)
def _splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=size, chunk_overlap=min(overlap, size // 2), separators=_SEPARATORS,
        keep_separator="end", strip_whitespace=True,
    )


def split_block(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """(start, end) offsets inside `text` of each piece the splitter makes."""
    if len(text) <= size:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    shared = min(overlap, size // 2)  # the overlap the splitter really uses (see _splitter)
    floor = cursor = last_end = 0
    for piece in _splitter(size, overlap).split_text(text):
        # Pieces come in order, share at most `shared` chars with the previous one and add text
        # past its end, so the next starts no earlier than `shared` before the previous end and
        # ends after it. Searching only from the previous start + 1 anchored repeated text
        # ("word word ...", a short "U.S." inside the overlap) to an earlier copy and left the
        # real one unindexed; the old floor stays as a fallback.
        start = text.find(piece, max(cursor, last_end - len(piece) + 1))
        if start < 0:
            start = text.find(piece, floor)
        if start < 0:
            raise AssertionError(f"splitter returned text not found in its input: {piece[:40]!r}")
        spans.append((start, start + len(piece)))
        floor, cursor = start + 1, max(start + 1, start + len(piece) - shared)
        last_end = max(last_end, start + len(piece))
    return spans


def chunk_id(path: str, start: int, end: int, text: str) -> str:
    """Stable id from file path, span and content."""
    digest = hashlib.sha256(f"{path}\x00{start}\x00{end}\x00{text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


def chunk_document(doc: Document, size: int, overlap: int) -> list[Chunk]:
    """All chunks of one document, in order."""
    chunks: list[Chunk] = []
    for block in blocks(doc):
        text = doc.text[block.start:block.end]
        for s, e in split_block(text, size, overlap):
            at, to = block.start + s, block.start + e
            start, end = doc.raw_span(at, to)
            piece = doc.text[at:to]
            raw_map = doc.raw_map.cut(at, to) if doc.raw_map else None
            chunks.append(Chunk(chunk_id(doc.path, start, end, piece), doc.path, start, end,
                                block.section, piece, doc.sha256, raw_map))
    return chunks


def joined(a: Chunk, b: Chunk) -> Chunk:
    """Chunks `a` and `b` of one file, `b` starting inside `a` (or where it ends) and ending past it,
    as one chunk of the span they cover."""
    if a.raw_map is None or b.raw_map is None:
        return Chunk(f"{a.id}+", a.path, a.start, b.end, a.section, a.text + b.text[a.end - b.start:], a.doc_sha256)
    # The first character of b's text past a's span: b's text before it is a's tail.
    k = next((i for i in range(len(b.text)) if b.raw_map.span(i, i + 1)[0] >= a.end), len(b.text))
    rest = b.raw_map.cut(k, len(b.text)).runs
    shift = len(a.text)
    runs = a.raw_map.runs + tuple((ts + shift, rs, tl, rl) for ts, rs, tl, rl in rest)
    return Chunk(f"{a.id}+", a.path, a.start, b.end, a.section, a.text + b.text[k:], a.doc_sha256,
                 RawMap(runs, a.raw_map.origin))
