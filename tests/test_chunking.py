"""Chunking: exact raw spans, bounded size, full coverage, stable ids."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from kit.api import Kit
from kit.config import Settings
from kit.corpus.chunking import blocks, chunk_document, chunk_id, split_block
from kit.corpus.files import FoundFile, read_document
from kit.embeddings import MAX_TOKENS
from kit.types import Chunk, Document
from tests.helpers import SEED_FILES, SEEDS, make_document

SIZES = [100, 250, 800, 1500]


def seed_doc(name: str, path: Path = SEEDS) -> Document:
    doc, _notes = read_document(FoundFile(path / name, name), Settings.load(environ={}))
    return doc


def uncovered_runs(doc: Document, chunks: list[Chunk]) -> list[str]:
    """Kept, non-blank text that no chunk span covers."""
    covered = bytearray(len(doc.raw_text))
    for c in chunks:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    runs: list[str] = []
    for span in doc.spans:
        i = span.start
        while i < span.end:
            if covered[i] or doc.raw_text[i].isspace():
                i += 1
                continue
            j = i
            while j < span.end and not covered[j]:
                j += 1
            runs.append(doc.raw_text[i:j].strip())
            i = j
    return runs


def check_invariants(doc: Document, chunks: list[Chunk], size: int, overlap: int, exact_cover: bool = True) -> None:
    """Everything a chunk list must satisfy, whatever the document.

    `exact_cover=False` is for text whose pieces can be anchored in two places (the splitter
    returns strings, re-found in the block: "U.S. U.S. U.S." inside one overlap window). There
    a repeated copy may go unattributed, but no text may be lost: every uncovered run must
    still be the text of some chunk.
    """
    shared = min(overlap, size // 2)
    removed = [(r.start, r.end) for r in doc.removed]
    for c in chunks:
        assert doc.raw_text[c.start:c.end] == c.text, "span is not the chunk text"
        assert 0 < len(c.text) <= size
        assert c.text == c.text.strip()
        assert c.path == doc.path and c.doc_sha256 == doc.sha256
        assert not any(s < c.end and c.start < e for s, e in removed), "chunk crosses removed boilerplate"
        sections = {s.section for s in doc.spans if s.start < c.end and c.start < s.end}
        assert sections == {c.section}, "chunk crosses a section boundary"
    assert len({c.id for c in chunks}) == len(chunks)
    for prev, nxt in itertools.pairwise(chunks):
        assert nxt.start > prev.start
        assert prev.end - nxt.start <= shared, "overlap larger than configured"
    runs = uncovered_runs(doc, chunks)
    if exact_cover:
        assert not runs, f"kept text not in any chunk: {runs[0][:40]!r}"
    for run in runs:
        assert any(run in c.text for c in chunks), f"kept text lost: {run[:40]!r}"


@pytest.mark.parametrize("name", SEED_FILES)
@pytest.mark.parametrize("size", SIZES)
def test_seed_chunks_are_exact_bounded_and_cover_the_kept_text(name: str, size: int) -> None:
    doc = seed_doc(name)
    chunks = chunk_document(doc, size, 120)
    assert chunks
    check_invariants(doc, chunks, size, 120)


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_chunk_ids_are_stable_across_runs(name: str) -> None:
    first = chunk_document(seed_doc(name), 800, 120)
    second = chunk_document(seed_doc(name), 800, 120)
    assert [c.id for c in first] == [c.id for c in second]
    assert first == second


def test_smaller_chunks_give_more_chunks() -> None:
    doc = seed_doc(SEED_FILES[-1])
    counts = [len(chunk_document(doc, size, 50)) for size in SIZES]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_blocks_merge_kept_lines_and_stop_at_removed_lines_and_sections() -> None:
    raw = ("Port news\n\nThe harbour reopened on Monday.\nShips queued outside.\n\nAdvertisement\n\n"
           "Cranes were repaired overnight.\n\n2 comments:\n\nAna said...\nGood news for the town.\n")
    doc = make_document(raw)
    got = [(doc.raw_text[b.start:b.end], b.section) for b in blocks(doc)]
    assert got == [
        ("Port news\n\nThe harbour reopened on Monday.\nShips queued outside.", "article"),
        ("Cranes were repaired overnight.", "article"),
        ("Ana said...\nGood news for the town.", "comments"),
    ]


def test_ids_change_with_content_and_path_but_not_elsewhere(tmp_path: Path) -> None:
    name = SEED_FILES[4]
    raw = (SEEDS / name).read_text(encoding="utf-8")
    target = "Let a convoy go"
    assert raw.count(target) == 1
    edited = raw.replace(target, "Let the convoy go")
    before = chunk_document(make_document(raw, name), 800, 120)
    after = chunk_document(make_document(edited, name), 800, 120)
    edit_at = raw.index(target)
    untouched = [c for c in before if c.end <= edit_at]
    touched = [c for c in before if c.start <= edit_at < c.end]
    assert untouched and touched
    after_ids = {c.id for c in after}
    assert all(c.id in after_ids for c in untouched)
    assert not any(c.id in after_ids for c in touched)
    renamed = chunk_document(make_document(raw, "renamed.txt"), 800, 120)
    assert not {c.id for c in renamed} & {c.id for c in before}


def test_chunk_id_depends_on_every_part() -> None:
    base = chunk_id("a.txt", 0, 5, "hello")
    assert base == chunk_id("a.txt", 0, 5, "hello")
    variants = [chunk_id("b.txt", 0, 5, "hello"), chunk_id("a.txt", 1, 5, "hello"),
                chunk_id("a.txt", 0, 6, "hello"), chunk_id("a.txt", 0, 5, "hellO")]
    assert base not in variants and len(set(variants)) == 4


# -- synthetic documents ------------------------------------------------------------------

def test_short_block_is_one_chunk() -> None:
    assert split_block("A short block.", 100, 20) == [(0, 14)]


@pytest.mark.parametrize("text", [
    "word " * 4000,  # repeated words: pieces must not be anchored to an earlier copy
    "x" * 9000,  # no separator at all
    "The same sentence repeats here. " * 300,
    " ".join(f"w{i}" for i in range(3000)),  # one long line of distinct words
], ids=["repeated-words", "no-separators", "repeated-sentence", "distinct-words"])
@pytest.mark.parametrize("size, overlap", [(800, 120), (100, 500), (333, 0)])
def test_extremely_long_single_line(text: str, size: int, overlap: int) -> None:
    doc = make_document(text.strip() + "\n", "long.txt")
    chunks = chunk_document(doc, size, overlap)
    assert len(chunks) >= len(text.strip()) // size
    check_invariants(doc, chunks, size, overlap)
    assert chunks[-1].end == len(text.strip())


def random_document(rng: random.Random) -> str:
    vocab = ["port", "ship", "crane", "storm", "Valparaíso", "officials", "said", "the", "a", "of",
             "forty", "1,200", "U.S.", "“quoted”", "don't", "—", "naïve", "東京", "tonnes", "on", "Monday"]
    furniture = ["Share", "Advertisement", "Leave a Reply", "Upvote Downvote", "Read more: Other news",
                 "5 comments:", "Popular posts", "Ivan said...", "0 $"]
    lines: list[str] = []
    repeated = "A line that appears more than once in this document."
    for _ in range(rng.randint(1, 40)):
        roll = rng.random()
        if roll < 0.15:
            lines.append(rng.choice(furniture))
        elif roll < 0.2:
            lines.append(repeated)
        elif roll < 0.3:
            lines.append("")
        else:
            n = rng.choice([3, 12, 40, 150, 400])
            words = [rng.choice(vocab) for _ in range(n)]
            lines.append(rng.choice(["", "  ", "\t"]) + " ".join(words) + rng.choice([".", "!", "?", "", " "]))
    return rng.choice(["\n", "\r\n"]).join(lines) + "\n"


@pytest.mark.parametrize("seed", range(60))
def test_random_documents_keep_every_invariant(seed: int) -> None:
    rng = random.Random(seed)
    doc = make_document(random_document(rng), f"random-{seed}.txt")
    size = rng.choice([100, 200, 500, 800])
    overlap = rng.choice([0, 30, 120, 400])
    chunks = chunk_document(doc, size, overlap)
    check_invariants(doc, chunks, size, overlap, exact_cover=False)
    assert chunk_document(doc, size, overlap) == chunks


def test_document_with_only_boilerplate_has_no_chunks() -> None:
    doc = make_document("Share\nAdvertisement\nLeave a Reply\n")
    assert doc.spans == () and chunk_document(doc, 800, 120) == []


# -- the real tokenizer -------------------------------------------------------------------

@pytest.mark.slow
def test_seed_chunks_fit_minilm_token_limit(minilm_kit: Kit) -> None:
    counter = minilm_kit.embedder
    assert hasattr(counter, "count_tokens"), "the default embedder should be OnnxMiniLM"
    settings = minilm_kit.settings
    counts = []
    for name in SEED_FILES:
        for c in chunk_document(seed_doc(name), settings.chunk_size, settings.chunk_overlap):
            counts.append(counter.count_tokens(c.text))
    assert counts and max(counts) <= MAX_TOKENS
    assert counter.count_tokens("word " * 400) > MAX_TOKENS  # the counter does not truncate
