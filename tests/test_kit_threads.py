"""One `Kit` shared by threads, and a long-lived `Kit` (a notebook) while others rewrite its store.

A search running while another thread of the same process ingests must never report the store
damaged, and the ingest must happen; a Kit opened before another Kit or process rebuilt or changed
the store must read the new generation from every read path (topics, summarize, files, search),
never the old chunks and never "damaged". Real Chroma stores on disk, the hashing embedder.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import kit
from kit.api import Kit
from tests.helpers import SEED_FILES, SEEDS, kit_command, kit_free_env
from tests.test_reliability import write_random_files

RUNS = 10


def seeded(base: Path) -> Path:
    folder = base / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def open_kit(base: Path) -> Kit:
    return kit.open(store_dir=str(base / ".kit"), embedder="hash", llm="extractive")


def test_a_search_during_an_ingest_in_another_thread_never_says_damaged(tmp_path: Path) -> None:
    failures = [f for run in range(RUNS) for f in search_during_ingest(tmp_path / f"run{run}", run)]
    assert failures == []


def search_during_ingest(base: Path, run: int) -> list[str]:
    """One Kit: a thread searches in a loop while this one ingests a second folder; what failed."""
    seeds = seeded(base)
    k = open_kit(base)
    k.ingest(seeds)
    extra = base / "extra"
    write_random_files(extra, 30, seed=run)
    done = threading.Event()
    failures: list[str] = []
    searched = [0]

    def search() -> None:
        while not done.is_set():
            try:
                k.search("Raqqa missiles", k=3)
                searched[0] += 1
            except Exception as exc:  # any error here is the finding
                failures.append(f"run {run}: {type(exc).__name__}: {exc}")
                return

    reader = threading.Thread(target=search)
    reader.start()
    try:
        report = k.ingest(extra)
    finally:
        done.set()
        reader.join()
    assert report.added > 0
    assert {s.name for s in k.files().sources} == {"seeds", "extra"}
    assert len(k.files().files) == len(SEED_FILES) + 30 - len(report.issues)  # one random file is all boilerplate
    assert searched[0] > 0
    return failures


def test_a_long_lived_kit_reads_the_generation_another_kit_wrote(tmp_path: Path) -> None:
    """Each run another Kit changes the store (a rebuild in a new data folder, or files removed),
    then the first one's topics(), summarize(), files() and search() see exactly what is stored."""
    seeds = seeded(tmp_path)
    reader = open_kit(tmp_path)
    reader.ingest(seeds)
    reader.topics(k=2)
    failures: list[str] = []
    for run in range(RUNS):
        writer = open_kit(tmp_path)
        if run % 2 == 0:
            writer.ingest(seeds, rebuild=True)  # a new Chroma folder; the old one is deleted
        else:
            (seeds / SEED_FILES[run % len(SEED_FILES)]).rename(tmp_path / f"gone{run}.txt")
            writer.ingest(seeds)
            (tmp_path / f"gone{run}.txt").rename(seeds / SEED_FILES[run % len(SEED_FILES)])
        stored = {f.path: f.chunks for f in writer.files().files}
        expected = {c.id for t in open_kit(tmp_path).topics(k=2) for c in t.chunks}
        try:
            topics = reader.topics(k=2)
            summaries = reader.summarize(max_sentences=2)
            listed = {f.path: f.chunks for f in reader.files().files}
            hits = reader.search("Raqqa", k=3)
        except Exception as exc:
            failures.append(f"run {run}: {type(exc).__name__}: {exc}")
            continue
        assert listed == stored, run
        assert {c.id for t in topics for c in t.chunks} == expected, run
        assert all(c.path in stored for s in summaries for c in s.citations), run
        assert hits and all(h.chunk.path in stored for h in hits), run
    assert failures == []


def test_a_long_lived_kit_reads_the_generation_another_process_wrote(tmp_path: Path) -> None:
    seeds = seeded(tmp_path)
    reader = open_kit(tmp_path)
    reader.ingest(seeds)
    before = {c.id for t in reader.topics(k=2) for c in t.chunks}
    (seeds / SEED_FILES[0]).unlink()
    done = subprocess.run([*kit_command(), "ingest", "seeds", "--rebuild", "--embedder", "hash"], cwd=tmp_path,
                          capture_output=True, text=True, env=kit_free_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    stored = {f.path: f.chunks for f in open_kit(tmp_path).files().files}
    expected = {c.id for t in open_kit(tmp_path).topics(k=2) for c in t.chunks}
    after = {c.id for t in reader.topics(k=2) for c in t.chunks}
    assert after == expected and len(after) < len(before)
    assert {f.path for f in reader.files().files} == set(stored)
