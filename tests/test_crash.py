"""Crash safety: kill -9 at fixed and random points of an ingest, then recover.

After each crash, a normal ingest must leave exactly the chunks a clean ingest of the same
folder gives (no duplicates, no stale versions, no lost file), readable from a fresh process.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kit

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
pytestmark = pytest.mark.slow


def kit_cli(*args: str, crash_at: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIT_CRASH_AT": crash_at}
    return subprocess.run([sys.executable, "-m", "kit.cli", *args, "--embedder", "hash"], capture_output=True,
                          text=True, env=env, timeout=timeout)


def make_corpus(folder: Path, version: int, n: int = 60) -> None:
    """n files built from the seeds; each version changes, drops and adds some files."""
    seeds = sorted(SEEDS.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        old.unlink()
    for i in range(n + 4 * version):
        if version and i % 17 == 3:
            continue  # deleted in this version
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        edit = f"\n\nRevision {version} of copy {i}." if version and i % 7 == 0 else ""
        (folder / f"doc_{i:03d}.txt").write_text(f"Copy {i}.\n\n{text}{edit}", encoding="utf-8")


def writing(store: Path) -> bool:
    """Whether the store's state marks a write in progress (an interrupted one, after a kill)."""
    return json.loads((store / "kit-store.json").read_text())["writing"] is not None


def stored_ids(store: Path) -> set[str]:
    """Chunk ids read by a fresh process (chromadb caches open stores per process)."""
    code = ("import json, sys, kit; k = kit.open(store_dir=sys.argv[1], embedder='hash'); "
            "print(json.dumps([c.id for c in k.store.all_chunks()]))")
    out = subprocess.run([sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def clean_ids(corpus: Path, tmp: Path) -> set[str]:
    fresh = tmp / f"clean-{time.monotonic_ns()}"
    kit.open(store_dir=str(fresh), embedder="hash").ingest(corpus)
    return stored_ids(fresh)


def assert_recovered(corpus: Path, store: Path, tmp: Path) -> None:
    done = kit_cli("ingest", str(corpus), "--store", str(store), "--json")
    assert done.returncode == 0, done.stderr
    assert stored_ids(store) == clean_ids(corpus, tmp)
    doctor = kit_cli("doctor", "--store", str(store), "--json")
    assert doctor.returncode == 0 and json.loads(doctor.stdout)["ok"], doctor.stdout + doctor.stderr
    search = kit_cli("search", "cruise missiles", "--store", str(store), "--json")
    assert search.returncode == 0 and json.loads(search.stdout)


@pytest.mark.parametrize("phase,point", [
    ("first ingest", "before-upsert:2"), ("first ingest", "after-upsert:1"),
    ("update", "before-upsert:1"), ("update", "after-upsert:1"), ("update", "before-removals:1"),
])
def test_kill_at_fixed_points_then_recover(tmp_path: Path, phase: str, point: str) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0)
    if phase == "update":
        assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
        make_corpus(corpus, 1)
    crashed = kit_cli("ingest", str(corpus), "--store", str(store), crash_at=point)
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout
    assert writing(store)
    assert_recovered(corpus, store, tmp_path)
    assert not writing(store)


def test_random_kills_during_repeated_updates(tmp_path: Path) -> None:
    rng = random.Random(7)
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    kills = 0
    for version in range(6):
        make_corpus(corpus, version)
        proc = subprocess.Popen([sys.executable, "-m", "kit.cli", "ingest", str(corpus), "--store", str(store),
                                 "--embedder", "hash"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    assert_recovered(corpus, store, tmp_path)
    assert kills >= 1


def test_damaged_store_is_detected_and_rebuilt_without_deleting(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0, n=10)
    assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
    before = stored_ids(store)
    database = store / json.loads((store / "kit-store.json").read_text())["chroma"] / "chroma.sqlite3"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3] + b"\x00garbage" * 512)  # a torn write
    doctor = kit_cli("doctor", "--store", str(store), "--json")
    assert doctor.returncode == 1
    repaired = kit_cli("doctor", "--repair", "--store", str(store), "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert any("damaged copy kept in" in a for a in json.loads(repaired.stdout)["actions"])
    assert list(store.glob("chroma.damaged-*")), "the damaged store must be kept, not deleted"
    assert stored_ids(store) == before
    shutil.rmtree(corpus)
