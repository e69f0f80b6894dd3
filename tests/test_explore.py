"""kit.integrations.notebook: the tables, topic map and source views the notebooks show (hashing embedder, fast)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kit.api import Kit
from kit.config import Settings
from kit.corpus.sources import SourceReader
from kit.integrations import notebook as explore
from kit.results import Topic
from kit.types import Chunk, Citation
from tests.helpers import SEED_FILES, SEEDS, make_document

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def ingested(make_kit: Callable[..., Kit]) -> Kit:
    k = make_kit()
    k.ingest(SEEDS)
    return k


def test_documents_table_counts_what_cleaning_kept(settings: Settings) -> None:
    table = explore.documents_table(SEEDS, settings)
    assert table.column("file") == SEED_FILES
    for row in table.records():
        raw = (SEEDS / str(row["file"])).read_text(encoding="utf-8")
        doc = make_document(raw, str(row["file"]))
        assert row["raw chars"] == len(raw)
        assert row["kept chars"] == sum(s.end - s.start for s in doc.spans) < len(raw)
        assert row["removed lines"] == len(doc.removed)
        assert row["chunks"] > 0 and row["note"] == ""


def test_documents_table_lists_unreadable_files_with_their_reason(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "good.txt").write_text("A sentence about the river valley and the city.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    rows = {r["file"]: r for r in explore.documents_table(tmp_path, settings).records()}
    assert rows["good.txt"]["kept chars"] == 47 and rows["good.txt"]["note"] == ""
    assert "empty" in str(rows["empty.txt"]["note"]) and rows["empty.txt"]["chunks"] == 0


def test_removed_table_spans_point_at_the_removed_raw_lines(settings: Settings) -> None:
    table = explore.removed_table(SEEDS, settings, width=10_000)
    assert len(table) > 0
    for row in table.records():
        start, end = (int(x) for x in str(row["span"]).strip("[]").split(":"))
        raw = (SEEDS / str(row["file"])).read_text(encoding="utf-8")
        assert " ".join(raw[start:end].split()) == row["removed text"]
    reasons = explore.removal_reasons(SEEDS, settings)
    assert sum(int(n) for n in reasons.column("lines")) == len(table)
    assert "donation appeal" in reasons.column("reason")


def test_chunk_stats_per_file_and_overall() -> None:
    chunks = [Chunk(str(i), path, 0, size, section, "x" * size, "sha")
              for i, (path, size, section) in enumerate([("a.txt", 100, "article"), ("a.txt", 300, "comments"),
                                                         ("b.txt", 50, "article")])]
    rows = {r["file"]: r for r in explore.chunk_stats(chunks).records()}
    assert rows["a.txt"]["chunks"] == 2 and rows["a.txt"]["median chars"] == 200 and rows["a.txt"]["comments"] == 1
    assert rows["(all files)"] == {"file": "(all files)", "chunks": 3, "min chars": 50, "median chars": 100,
                                   "max chars": 300, "total chars": 450, "article": 2, "comments": 1, "sidebar": 0}
    assert len(explore.chunk_stats([])) == 0


def test_pca_2d_finds_the_main_axis() -> None:
    rng = np.random.default_rng(0)
    x = np.outer(np.linspace(-1, 1, 50), [3.0, 0, 0, 0]) + rng.normal(0, 0.01, (50, 4))
    points, (first, second) = pca_2d_checked(x)
    assert first > 0.99 > second
    assert abs(np.corrcoef(points[:, 0], x[:, 0])[0, 1]) > 0.999
    assert pca_2d_checked(np.ones((1, 4)))[1] == (0.0, 0.0)
    assert pca_2d_checked(np.arange(6.0).reshape(3, 2))[0].shape == (3, 2)


def pca_2d_checked(x: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    points, shares = explore.pca_2d(x)
    assert points.shape == (len(x), 2) and np.isfinite(points).all()
    return points, shares


def test_topic_map_writes_a_png_and_colours_chunks_by_topic(ingested: Kit, tmp_path: Path) -> None:
    chunks, vectors = ingested.store.all_vectors()
    topics = ingested.topics()
    shown = explore.topic_map(chunks, vectors, topics, tmp_path / "maps" / "topics.png")
    data = shown.path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    assert shown._repr_png_() == data
    assert shown.points.shape == (len(chunks), 2)
    in_topics = {c.id: t.number for t in topics for c in t.chunks}
    assert shown.topic_numbers == tuple(in_topics.get(c.id, 0) for c in chunks)


def test_topic_map_draws_chunks_outside_any_topic(tmp_path: Path) -> None:
    chunks = [Chunk(str(i), "a.txt", 0, 5, "article", "text.", "sha") for i in range(4)]
    topic = Topic(1, "one", ("one",), tuple(chunks[:2]))
    shown = explore.topic_map(chunks, np.eye(4, 8), [topic], tmp_path / "t.png")
    assert shown.topic_numbers == (1, 1, 0, 0) and shown.path.read_bytes().startswith(PNG_MAGIC)


def test_topics_table_one_row_per_topic(ingested: Kit) -> None:
    topics = ingested.topics()
    table = explore.topics_table(topics)
    assert table.column("topic") == [t.number for t in topics]
    assert sum(int(n) for n in table.column("chunks")) == sum(len(t.chunks) for t in topics)
    assert table.column("documents") == [len(t.documents) for t in topics]  # sizes a reader counts


def test_summaries_table_counts_citations_and_cross_source_findings(ingested: Kit) -> None:
    summaries = ingested.summarize(max_sentences=3)
    rows = explore.summaries_table(summaries).records()
    assert [r["topic"] for r in rows] == [s.topic.number for s in summaries]
    for row, s in zip(rows, summaries, strict=True):
        assert row["citations"] == len(s.citations) > 0 and row["agreements"] == len(s.agreements)
        assert str(row["files cited"]).endswith(f"of {len(s.topic.coverage)}")


def test_in_source_marks_the_raw_span_in_its_file() -> None:
    raw = (SEEDS / SEED_FILES[0]).read_text(encoding="utf-8")
    start = raw.index("Kalibr")
    good = Citation(1, SEED_FILES[0], start, start + 6, "article", "Kalibr")
    moved = Citation(2, SEED_FILES[0], start + 1, start + 7, "article", "Kalibr")
    lost = Citation(3, "missing.txt", 0, 4, "article", "text")
    shown = explore.in_source([good, moved, lost], SourceReader(SEEDS), width=30)._repr_html_()
    assert "<mark>Kalibr</mark>" in shown and "<mark>alibr " in shown
    assert "equals the quote" in shown and "differs from the quote" in shown and "not readable" in shown


def test_tables_and_frames_escape_html() -> None:
    table = explore.Table(("a", "b"), (("<script>", 1.25),), "cap & tion")
    shown = table._repr_html_()
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "1.2" in shown and "cap &amp; tion" in shown
    assert str(table).splitlines()[0] == "cap & tion"
    frame = explore.framed("<p class='kit-cite'>\"x\"</p>", height=300)._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&quot;x&quot;" in frame and "300px" in frame
