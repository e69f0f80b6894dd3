"""Split cleaned documents into chunks with exact raw spans.

A chunk never crosses removed boilerplate or a section boundary, so `raw_text[start:end]` is
the chunk text, verbatim. Splitting inside a block uses LangChain's recursive splitter
(paragraph, line, sentence, clause, word) and then re-anchors each piece in the raw text.
Chunk ids hash the file path, span and text: the same input always gives the same id.
This module does not embed or store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from kit.types import Chunk, Document, Section

_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Block:
    """A run of kept lines with only whitespace between them, in one section."""

    start: int
    end: int
    section: Section


def blocks(doc: Document) -> list[Block]:
    """Merge the document's kept spans into maximal blocks."""
    out: list[Block] = []
    for span in doc.spans:
        prev = out[-1] if out else None
        gap = doc.raw_text[prev.end:span.start] if prev else None
        if prev and prev.section == span.section and gap is not None and not gap.strip():
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
        text = doc.raw_text[block.start:block.end]
        for s, e in split_block(text, size, overlap):
            start, end = block.start + s, block.start + e
            piece = doc.raw_text[start:end]
            chunks.append(Chunk(chunk_id(doc.path, start, end, piece), doc.path, start, end,
                                block.section, piece, doc.sha256))
    return chunks
