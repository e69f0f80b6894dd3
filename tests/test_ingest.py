"""Ingest: a store holds sources; idempotent re-runs, changed and deleted files, one bad file never stops the rest."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from kit.api import Kit
from kit.config import Settings
from kit.corpus.chunking import chunk_document
from kit.corpus.files import FoundFile, read_document
from kit.errors import NothingToIngestError
from kit.progress import Stage
from kit.types import IssueKind
from tests.helpers import SEED_FILES, CountingEmbedder, Recording

DOCS = [f"docs/{name}" for name in SEED_FILES]  # names are relative to the folder that holds the store


class FailingEmbedder(CountingEmbedder):
    """Same protocol; fails like a crashed model after the store lock is taken."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("model crashed")


@pytest.fixture
def docs(copy_seeds: Callable[..., Path]) -> Path:
    return copy_seeds()


@pytest.fixture
def kit_with(make_kit: Callable[..., Kit]) -> Callable[[CountingEmbedder], Kit]:
    def _open(embedder: CountingEmbedder) -> Kit:
        k = make_kit()
        k._embedder = embedder  # same protocol, name and dimension as the hashing embedder
        return k
    return _open


def expected_chunks(folder: Path, name: str, settings: Settings) -> set[str]:
    doc, _ = read_document(FoundFile(folder / name, f"docs/{name}"), settings)
    return {c.id for c in chunk_document(doc, settings.chunk_size, settings.chunk_overlap)}


def test_first_ingest_embeds_every_chunk_once(docs: Path, kit_with: Callable[[CountingEmbedder], Kit]) -> None:
    emb = CountingEmbedder()
    k = kit_with(emb)
    report = k.ingest(docs)
    assert report.files == len(SEED_FILES) and not report.issues and report.source == "docs"
    assert report.chunks == report.added == report.embedded == len(emb.texts) == k.store.count() > 0
    assert report.removed == 0 and report.unchanged_files == 0
    assert set(k.store.catalog()) == set(DOCS)
    assert sorted(emb.texts) == sorted(c.text for c in k.store.all_chunks())


def test_reingest_adds_nothing_embeds_nothing_and_commits_nothing(
        docs: Path, kit_with: Callable[[CountingEmbedder], Kit]) -> None:
    first = kit_with(CountingEmbedder())
    first.ingest(docs)
    ids_before = {c.id for c in first.store.all_chunks()}
    generation = first.store.generation()

    counting = CountingEmbedder()
    k = kit_with(counting)  # a fresh process would open the store like this
    report = k.ingest(docs)
    assert (report.added, report.embedded, report.removed) == (0, 0, 0)
    assert report.unchanged_files == len(SEED_FILES)
    assert counting.texts == [] and counting.calls == 0  # proven, not just reported
    assert {c.id for c in k.store.all_chunks()} == ids_before
    assert k.store.generation() == generation  # nothing changed, so no new generation (nor index) was written


def test_changed_file_replaces_its_chunks(docs: Path, kit_with: Callable[[CountingEmbedder], Kit],
                                         settings: Settings) -> None:
    emb = CountingEmbedder()
    k = kit_with(emb)
    k.ingest(docs)
    name = DOCS[2]
    old_ids = k.store.catalog()[name].ids
    others = {p: e.ids for p, e in k.store.catalog().items() if p != name}
    path = docs / SEED_FILES[2]
    path.write_text(path.read_text(encoding="utf-8").replace("126 combat sorties", "127 combat sorties"),
                    encoding="utf-8")

    emb.texts.clear()
    report = k.ingest(docs)
    new_ids = k.store.catalog()[name].ids
    assert new_ids == expected_chunks(docs, SEED_FILES[2], settings)
    assert report.added == len(new_ids - old_ids) == report.embedded == len(emb.texts) > 0
    assert report.removed == len(old_ids - new_ids) > 0
    assert report.unchanged_files == len(SEED_FILES) - 1
    texts = " ".join(c.text for c in k.store.all_chunks() if c.path == name)
    assert "127 combat sorties" in texts and "126 combat sorties" not in texts
    assert {p: e.ids for p, e in k.store.catalog().items() if p != name} == others


def test_deleted_file_chunks_go(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    gone = k.store.catalog()[DOCS[0]].ids
    (docs / SEED_FILES[0]).unlink()
    report = k.ingest(docs)
    assert DOCS[0] not in k.store.catalog()
    assert report.removed == len(gone) and report.added == 0
    assert not gone & {c.id for c in k.store.all_chunks()}


def test_renamed_file_moves_its_chunks(docs: Path, make_kit: Callable[..., Kit]) -> None:
    k = make_kit()
    k.ingest(docs)
    count = len(k.store.catalog()[DOCS[1]].ids)
    (docs / SEED_FILES[1]).rename(docs / "renamed.txt")
    report = k.ingest(docs)
    assert DOCS[1] not in k.store.catalog()
    assert len(k.store.catalog()["docs/renamed.txt"].ids) == count
    assert report.added == count and report.removed == count  # ids include the path: citations move


def test_new_copy_of_a_stored_file_does_not_evict_it(docs: Path, kit_with: Callable[[CountingEmbedder], Kit]) -> None:
    emb = CountingEmbedder()
    k = kit_with(emb)
    k.ingest(docs)
    before = k.store.catalog()[DOCS[3]].ids
    shutil.copy(docs / SEED_FILES[3], docs / "000_a_copy.txt")  # sorts before every seed
    emb.texts.clear()
    report = k.ingest(docs)
    assert k.store.catalog()[DOCS[3]].ids == before
    assert "docs/000_a_copy.txt" not in k.store.catalog()
    assert (report.added, report.embedded, report.removed) == (0, 0, 0) and emb.texts == []
    assert [(i.path, DOCS[3] in i.reason, i.kind) for i in report.issues] == [
        ("docs/000_a_copy.txt", True, IssueKind.SKIPPED)]


def test_failed_embedding_keeps_the_old_chunks_and_the_next_run_repairs(
        docs: Path, kit_with: Callable[[CountingEmbedder], Kit]) -> None:
    k = kit_with(CountingEmbedder())
    k.ingest(docs)
    snapshot = {c.id: c.text for c in k.store.all_chunks()}
    old_ids = k.store.catalog()[DOCS[0]].ids
    (docs / SEED_FILES[0]).write_text("A brand new text about the Palmyra road and its checkpoints.\n",
                                      encoding="utf-8")

    with pytest.raises(RuntimeError, match="model crashed"):
        kit_with(FailingEmbedder()).ingest(docs)
    assert {c.id: c.text for c in kit_with(CountingEmbedder()).store.all_chunks()} == snapshot

    report = kit_with(CountingEmbedder()).ingest(docs)  # the lock was released
    assert (report.added, report.removed) == (1, len(old_ids))
    texts = [c.text for c in kit_with(CountingEmbedder()).store.all_chunks() if c.path == DOCS[0]]
    assert texts == ["A brand new text about the Palmyra road and its checkpoints."]


def test_progress_reads_every_file_then_embeds_every_new_chunk(docs: Path, make_kit: Callable[..., Kit]) -> None:
    progress = Recording()
    report = make_kit().ingest(docs, progress=progress)
    starts = [(e[1], e[2]) for e in progress.events if e[0] == "start"]
    assert starts == [(Stage.READ, len(SEED_FILES)), (Stage.EMBED, report.embedded)]
    read = progress.events[1:1 + len(SEED_FILES)]
    assert sorted(str(e[1]) for e in read) == DOCS and all(e[2] == 1 for e in read)
    embedded = [e[2] for e in progress.events[2 + len(SEED_FILES):] if e[0] == "advance"]
    assert sum(embedded) == report.embedded > 0  # counted in chunks, the slow part
    assert progress.events[-1][0] == "finish" and f"embedded {report.embedded} chunks" in str(progress.events[-1][1])


def test_progress_bar_closes_and_leaves_one_summary_line(docs: Path, make_kit: Callable[..., Kit],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = make_kit().ingest(docs, progress=True)
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last.startswith("ingest: read 5 files, embedded") and f"{report.embedded} chunks" in last
    assert "chunks/s" in last


def test_rebuild_embeds_everything_again(docs: Path, make_kit: Callable[..., Kit]) -> None:
    first = make_kit().ingest(docs)
    again = make_kit().ingest(docs, rebuild=True)
    assert again.embedded == again.added == first.chunks
    assert make_kit().store.count() == first.chunks


def test_nested_folders_use_posix_paths_relative_to_the_store_base(tmp_path: Path,
                                                                    make_kit: Callable[..., Kit]) -> None:
    (tmp_path / "docs" / "2024" / "march").mkdir(parents=True)
    (tmp_path / "docs" / "2024" / "march" / "port.md").write_text("The port of Valparaiso reopened on Monday.\n")
    (tmp_path / "docs" / "top.txt").write_text("Cranes were repaired overnight in the harbour.\n")
    k = make_kit()
    k.ingest(tmp_path / "docs")
    assert set(k.store.catalog()) == {"docs/2024/march/port.md", "docs/top.txt"}


def test_a_file_outside_the_base_keeps_its_absolute_path(tmp_path: Path, make_kit: Callable[..., Kit],
                                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "far.txt").write_text("The lighthouse at Cape Horn was repainted.\n")
    k = make_kit()
    k.ingest(elsewhere)
    assert set(k.store.catalog()) == {(elsewhere / "far.txt").resolve().as_posix()}


def test_report_to_dict_counts_issues_by_kind(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text("The port of Valparaiso reopened on Monday.\n")
    (tmp_path / "docs" / "empty.txt").write_text("")
    (tmp_path / "docs" / "cp.txt").write_bytes(b"\x93Quoted\x94 from Word about the harbour.\n")
    (tmp_path / "docs" / "bin.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "docs" / "slides.pptx").write_bytes(b"PK")
    data = make_kit().ingest(tmp_path / "docs").to_dict()
    assert (data["errors"], data["skipped"], data["notes"]) == (1, 2, 1)
    assert {(i["path"], i["kind"]) for i in data["issues"]} == {  # type: ignore[union-attr]
        ("docs/bin.txt", "error"), ("docs/empty.txt", "skipped"), ("docs/slides.pptx", "skipped"),
        ("docs/cp.txt", "note")}
    assert data["files"] == 4 and data["added"] == 2


# -- a store holds sources ----------------------------------------------------------------------------

def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "one.txt").write_text("The harbour of Valparaiso received forty cargo ships in March.\n")
    (a / "two.txt").write_text("Port officials said the new crane doubled the daily throughput.\n")
    (b / "three.txt").write_text("Glaciers in Patagonia retreated faster this summer than ever.\n")
    return a, b


def test_ingesting_b_after_a_keeps_a(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    a, b = two_folders(tmp_path)
    make_kit().ingest(a)
    report = make_kit().ingest(b)
    assert report.removed == 0 and report.added == 1
    k = make_kit()
    assert set(k.store.catalog()) == {"a/one.txt", "a/two.txt", "b/three.txt"}
    assert [s.name for s in k.store.sources()] == ["a", "b"]
    assert k.search("Valparaiso cargo ships", k=1)[0].chunk.path == "a/one.txt"


def test_reingesting_a_syncs_a_only(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    a, b = two_folders(tmp_path)
    make_kit().ingest(a)
    make_kit().ingest(b)
    (a / "two.txt").unlink()
    (b / "three.txt").rename(b / "four.txt")  # b's change waits until b is ingested again
    report = make_kit().ingest(a)
    assert report.removed == 1
    assert set(make_kit().store.catalog()) == {"a/one.txt", "b/three.txt"}
    assert make_kit().ingest(b).removed == 1 and set(make_kit().store.catalog()) == {"a/one.txt", "b/four.txt"}


def test_a_subfolder_of_a_source_syncs_that_part_and_a_parent_absorbs_its_sources(
        tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    a, b = two_folders(tmp_path)
    (a / "sub").mkdir()
    (a / "sub" / "four.txt").write_text("Fishermen in Chiloe sold their catch at dawn.\n")
    make_kit().ingest(a)
    (a / "two.txt").unlink()
    (a / "sub" / "four.txt").write_text("Fishermen in Chiloe sold mussels at dawn.\n")
    report = make_kit().ingest(a / "sub")  # a part of source a: a/two.txt is not its business
    assert report.source == "a/sub" and report.removed == 1 and report.added == 1
    assert "a/two.txt" in make_kit().store.catalog()
    assert [s.name for s in make_kit().store.sources()] == ["a"]
    make_kit().ingest(b)
    make_kit().ingest(tmp_path)  # the base folder itself: covers a and b
    assert [s.name for s in make_kit().store.sources()] == ["."]
    assert "a/two.txt" not in make_kit().store.catalog()


def test_a_single_file_is_a_source(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    a, _ = two_folders(tmp_path)
    report = make_kit().ingest(a / "one.txt")
    assert report.source == "a/one.txt" and report.files == 1 and report.added == 1
    assert [(s.name, s.kind) for s in make_kit().store.sources()] == [("a/one.txt", "file")]
    assert set(make_kit().store.catalog()) == {"a/one.txt"}


@pytest.mark.parametrize("contents", [{}, {"slides.pptx": b"PK\x03\x04", "sheet.xlsx": b"PK\x03\x04"}])
def test_a_folder_with_nothing_to_ingest_changes_nothing(tmp_path: Path, make_kit: Callable[..., Kit],
                                                          contents: dict[str, bytes]) -> None:
    a, _ = two_folders(tmp_path)
    make_kit().ingest(a)
    before = make_kit().store.catalog()
    generation = make_kit().store.generation()
    empty = tmp_path / "empty"
    empty.mkdir()
    for name, data in contents.items():
        (empty / name).write_bytes(data)
    with pytest.raises(NothingToIngestError, match="nothing to ingest") as info:
        make_kit().ingest(empty)
    report = info.value.report
    assert {i.path for i in report.issues} == {f"empty/{n}" for n in contents}  # type: ignore[attr-defined]
    assert make_kit().store.catalog() == before and make_kit().store.generation() == generation
    assert [s.name for s in make_kit().store.sources()] == ["a"]


def test_nothing_to_ingest_does_not_create_a_store(tmp_path: Path, make_kit: Callable[..., Kit],
                                                   store_dir: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(NothingToIngestError):
        make_kit().ingest(tmp_path / "empty")
    assert not store_dir.exists()
