"""Reliability beyond crashes: a full disk, several writers on one local store, sources that change
after ingest (edited, emptied, swapped for a symlink, gone, moved), and folders 1,100 levels deep."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

import kit
from kit.api import Kit
from kit.errors import Resource, StoreResourceError
from kit.grounding.citations import verify
from kit.results import TopicSummary
from kit.store.chroma import chromadb
from kit.types import Chunk, Citation, CitationProblem, QuoteCheck, SourceStatus
from tests.helpers import SEED_FILES, SEEDS, CountingEmbedder, kit_command, kit_free_env

Collection = chromadb.api.models.Collection.Collection
WORDS = SEEDS.joinpath(SEED_FILES[0]).read_text(encoding="utf-8").split()


def write_random_files(folder: Path, n: int, words: int = 900, seed: int = 1) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"new{i:03d}.txt").write_text(" ".join(rng.choice(WORDS) for _ in range(words)) + "\n")


def cli(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*kit_command(), *args, "--embedder", "hash"], capture_output=True, text=True,
                          cwd=cwd, env=kit_free_env(), timeout=300)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


# -- disk full ------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MiB filesystem (tmpfs), mounted for the test; needs root, as this machine's tests run."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}); the injected ENOSPC test "
                    "below covers the same paths")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    stat = os.statvfs(disk)
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave))
    return filler


@pytest.mark.slow
def test_a_full_disk_mid_update_is_one_line_and_never_rebuilds_a_readable_store(small_disk: Path) -> None:
    """Issue 14 #3, on a real filesystem that fills up: the failed update says "disk full" in one line,
    searches never show a traceback, and once space is back the next ingest completes the update
    (embedding only what was missing), without moving the store aside or rebuilding it."""
    shutil.copytree(SEEDS, small_disk / "docs")
    assert cli(["ingest", "docs"], small_disk).returncode == 0
    write_random_files(small_disk / "docs", 60)
    filler = fill(small_disk, leave=600 * 1024)
    failed = cli(["ingest", "docs"], small_disk)
    assert "is full" in one_line(failed) and str(small_disk / ".kit") in failed.stderr
    for command in (["search", "cruise missiles"], ["files"], ["doctor"]):
        done = cli(command, small_disk)
        assert "Traceback" not in done.stderr
        if done.returncode == 1 and command != ["doctor"]:
            assert "is full" in one_line(done)
    doctor = json.loads(cli(["doctor", "--json"], small_disk).stdout)
    assert doctor["verdict"] != "damaged" and not doctor["ok"]
    filler.unlink()
    again = cli(["ingest", "docs", "--json"], small_disk)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["embedded"] < report["chunks"]  # completed, not rebuilt: what was written was kept
    assert not [p.name for p in (small_disk / ".kit").iterdir() if p.name.startswith("chroma") and p.name != "chroma"]
    elsewhere = small_disk.parent / "clean"  # the same names, off the small disk
    shutil.copytree(small_disk / "docs", elsewhere / "docs")
    clean = kit.open(store_dir=str(elsewhere / ".kit"), embedder="hash")
    clean.ingest(elsewhere / "docs")
    assert set(kit.open(store_dir=str(small_disk / ".kit"), embedder="hash").store.chunks().catalog()) == set(
        clean.store.chunks().catalog())
    assert json.loads(cli(["doctor", "--json"], small_disk).stdout)["ok"]


def test_an_injected_enospc_mid_update_is_one_error_and_the_next_ingest_completes(
        copy_seeds: Callable[..., Path], make_kit: Callable[..., Kit], monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as above without root: ENOSPC is injected at the second Chroma write (an
    OSError, as the OS raises it), so it runs wherever the suite runs."""
    docs = copy_seeds()
    make_kit().ingest(docs)
    write_random_files(docs, 60)
    real = Collection.upsert
    calls = {"n": 0}

    def upsert(self: Collection, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, **kwargs)

    monkeypatch.setattr(Collection, "upsert", upsert)
    with pytest.raises(StoreResourceError) as info:
        make_kit().ingest(docs)
    assert info.value.resource is Resource.DISK_FULL and "is full" in str(info.value)
    monkeypatch.setattr(Collection, "upsert", real)
    counting = CountingEmbedder()
    k = make_kit()
    k._embedder = counting
    report = k.ingest(docs)
    assert report.embedded == len(counting.texts) and 0 < report.embedded <= report.chunks - 36 - 256
    assert any("completed it" in i.reason for i in report.issues if i.path == "(store)")  # completed, not rebuilt
    assert make_kit().doctor().ok


# -- several writers on one local store ------------------------------------------------------------------

def test_three_local_writers_take_turns(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        write_random_files(tmp_path / name, 15, seed=ord(name))
    procs = [subprocess.Popen([*kit_command(), "ingest", name, "--embedder", "hash", "--wait", "120", "--json"],
                              cwd=tmp_path, env=kit_free_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for name in ("a", "b", "c")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0] and all("Traceback" not in err for _o, err in outs), outs
    k = kit.open(store_dir=str(tmp_path / ".kit"), embedder="hash")
    assert sorted(s.name for s in k.store.sources()) == ["a", "b", "c"]
    sequential = kit.open(store_dir=str(tmp_path / ".sequential"), embedder="hash")
    for name in ("a", "b", "c"):
        sequential.ingest(tmp_path / name)
    assert set(k.store.catalog()) == set(sequential.store.catalog())
    assert k.store.count() == sequential.store.count() and k.doctor().ok


# -- sources that change after ingest ---------------------------------------------------------------------

@pytest.fixture
def changed(copy_seeds: Callable[..., Path], make_kit: Callable[..., Kit],
            tmp_path: Path) -> tuple[Kit, dict[str, Chunk]]:
    docs = copy_seeds()
    k = make_kit()
    k.ingest(docs)
    first: dict[str, Chunk] = {}
    for c in k.store.all_chunks():  # ordered by path and start
        first.setdefault(c.path, c)
    names = [f"docs/{n}" for n in SEED_FILES]
    (docs / SEED_FILES[0]).write_text((docs / SEED_FILES[0]).read_text() + "\nAn added line.\n")  # edited
    (docs / SEED_FILES[1]).write_text("")  # truncated
    (docs / SEED_FILES[2]).unlink()
    os.symlink("/etc/passwd", docs / SEED_FILES[2])  # swapped for a link out of the folder
    (docs / SEED_FILES[3]).rename(tmp_path / "moved.txt")  # gone
    return k, {name: first[name] for name in names}


def test_source_reader_says_why_a_file_no_longer_backs_its_chunks(changed: tuple[Kit, dict[str, Chunk]]) -> None:
    k, chunks = changed
    reader = k.sources()
    statuses = [reader.status(path, c.doc_sha256) for path, c in chunks.items()]
    assert statuses == [SourceStatus.CHANGED, SourceStatus.CHANGED, SourceStatus.OUTSIDE, SourceStatus.MISSING,
                        SourceStatus.OK]


def test_the_citation_reader_never_follows_a_symlink_the_scan_refused(changed: tuple[Kit, dict[str, Chunk]]) -> None:
    k, chunks = changed
    swapped = list(chunks)[2]
    reader = k.sources()
    assert reader.text(swapped) is None  # /etc/passwd is never read
    citation = Citation(1, swapped, 0, 4, "article", "root", QuoteCheck.EXACT, doc_sha256=chunks[swapped].doc_sha256)
    assert verify(citation, reader).problem is CitationProblem.SOURCE_OUTSIDE


def test_answers_and_summaries_say_when_their_sources_changed(changed: tuple[Kit, dict[str, Chunk]]) -> None:
    k, _ = changed
    summaries = k.summarize()
    notes = [n for s in summaries for n in s.notes]
    assert any("changed or went missing since ingest" in n for n in notes), notes
    for s in summaries:
        assert all(c.verified for c in s.citations)  # nothing shown from a file that no longer holds it
        assert s.text == TopicSummary.NO_CLAIMS if not s.shown else s.text != TopicSummary.NO_CLAIMS
    answer = k.ask("Which football club won the league in 2017?")  # searched: four of the five files changed
    assert answer.abstained and any("changed or went missing since ingest" in n for n in answer.notes), answer.notes


def test_doctor_reports_changed_and_missing_sources(changed: tuple[Kit, dict[str, Chunk]], store_dir: Path,
                                                    tmp_path: Path) -> None:
    k, _ = changed
    result = k.doctor()
    assert result.verdict.value == "stale" and not result.ok
    # The emptied file is one ingest refuses (it keeps its chunks): restoring it or `kit rm` clears it.
    assert result.sources["docs"] == {"ok": 1, "changed": 1, "outside": 1, "missing": 1,
                                      "unreadable now, chunks kept": 1}
    assert any("since it was ingested; run `kit ingest docs`" in p.text for p in result.problems)
    assert any("`kit remove`" in p.text and SEED_FILES[1] in p.text for p in result.problems)
    done = cli(["doctor", "--store", str(store_dir)], tmp_path)
    assert done.returncode == 1 and "store is stale" in done.stdout and "source docs: 1 ok, 1 changed" in done.stdout


def test_doctor_after_the_source_folder_moved(copy_seeds: Callable[..., Path], make_kit: Callable[..., Kit],
                                              tmp_path: Path) -> None:
    docs = copy_seeds()
    make_kit().ingest(docs)
    docs.rename(tmp_path / "renamed")
    result = make_kit().doctor()
    assert not result.ok and result.sources["docs"] == {"missing": len(SEED_FILES)}


# -- deep folders -------------------------------------------------------------------------------------------

def test_a_folder_1100_levels_deep_is_ingested(tmp_path: Path, make_kit: Callable[..., Kit]) -> None:
    """Issue 14 #8: 1,100 nested levels aborted the whole ingest with RecursionError."""
    levels = [tmp_path / "docs" / ("d/" * n).rstrip("/") for n in range(0, 1101)]
    for folder in levels:
        os.mkdir(folder)
    try:
        (levels[-1] / "bottom.txt").write_text("The deepest file talks about the harbour of Valparaiso.\n")
        (levels[0] / "top.txt").write_text("The top file talks about glaciers in Patagonia.\n")
        report = make_kit().ingest(tmp_path / "docs")
        assert report.files == 2 and not report.issues
        assert "docs/" + "d/" * 1100 + "bottom.txt" in make_kit().store.catalog()
    finally:
        for folder in reversed(levels):
            for entry in folder.iterdir():
                if not entry.is_dir():
                    entry.unlink()
            folder.rmdir()


def test_kit_store_dir_description_says_how_the_store_is_found() -> None:
    description = kit.Settings.model_fields["store_dir"].description or ""
    assert "nearest `.kit`" in description and "parents" in description and "relative to" in description


def test_no_traceback_from_the_cli_on_a_store_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a folder")
    done = subprocess.run([sys.executable, "-m", "kit.cli", "ingest", str(SEEDS), "--store", str(tmp_path / "store"),
                           "--embedder", "hash"], capture_output=True, text=True, env=kit_free_env(), timeout=120)
    assert str(tmp_path / "store") in one_line(done)
