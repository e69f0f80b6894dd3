"""Crash safety: kill -9 during ingest, update, rm and repair, then the next command.

After every kill: `kit doctor` never calls an incomplete store healthy (healthy implies the store
holds exactly the chunks a clean ingest of its sources gives), and the next command completes the
interrupted one, leaving exactly those chunks (no duplicate, stale or lost chunk), with no
traceback. Kills land at named points (KIT_CRASH_AT) and at random moments.
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
from kit.config import Settings
from kit.store.chroma import clear_cache
from kit.store.state import read_state
from kit.store.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
pytestmark = pytest.mark.slow
POINTS = ["before-upsert:1", "before-upsert:2", "after-upsert:1", "after-upsert:2", "before-delete:1",
          "before-removals:1", "commit-index:1", "commit-manifest:1", "after-commit:1"]


def kit_cli(*args: str, crash_at: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIT_CRASH_AT": crash_at}
    return subprocess.run([sys.executable, "-m", "kit.cli", *args, "--embedder", "hash"], capture_output=True,
                          text=True, env=env, timeout=timeout)


def make_corpus(folder: Path, version: int, n: int = 40) -> None:
    """n files built from the seeds in two subfolders (40: about 320 chunks, two write batches); each
    version changes, drops and adds some."""
    seeds = sorted(SEEDS.iterdir())
    for old in folder.glob("*/*.txt"):
        old.unlink()
    for i in range(n + 3 * version):
        if version and i % 11 == 3:
            continue  # deleted in this version
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        edit = f"\n\nRevision {version} of copy {i}." if version and i % 5 == 0 else ""
        path = folder / ("a" if i % 3 else "b") / f"doc_{i:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Copy {i}.\n\n{text}{edit}", encoding="utf-8")


def writing(store: Path) -> bool:
    """Whether the store's state marks a write in progress (an interrupted one, after a kill)."""
    state = read_state(store)
    return state is not None and state.writing is not None


def stored_ids(store: Path) -> set[str]:
    """Chunk ids as a fresh reader sees them (only called on a store `doctor` found readable)."""
    clear_cache()  # chromadb keeps one client per folder per process
    ids = set(Store(Settings.load(environ={}, store_dir=store, embedder="hash"), "hash-256", 256).chunks().catalog())
    clear_cache()
    return ids


_clean: dict[tuple[Path, str, str], set[str]] = {}


def clean_ids(base: Path, without: str = "") -> set[str]:
    """Ids a clean ingest of base/corpus gives (names are relative to base, as in the store);
    remembered per corpus content."""
    files = sorted((base / "corpus").rglob("*.txt"))
    key = (base, without, "".join(f"{p}:{p.stat().st_mtime_ns}" for p in files))
    if key not in _clean:
        _clean[key] = _clean_ingest(base, without)
    return _clean[key]


def _clean_ingest(base: Path, without: str) -> set[str]:
    fresh = base / f".clean-{time.monotonic_ns()}"
    k = kit.open(store_dir=str(fresh), embedder="hash")
    k.ingest(base / "corpus")
    if without:
        k.remove(base / without)
    ids = stored_ids(fresh)
    shutil.rmtree(fresh)
    return ids


def doctor(store: Path) -> dict[str, object]:
    done = kit_cli("doctor", "--store", str(store), "--json")
    assert "Traceback" not in done.stderr, done.stderr
    return dict(json.loads(done.stdout))


def quick_doctor(store: Path) -> dict[str, object]:
    """`kit doctor` through the API (Chroma is still read in a child process), minus a CLI start-up."""
    return kit.open(store_dir=str(store), embedder="hash").doctor().to_dict()


def assert_never_healthy_when_incomplete(store: Path, base: Path) -> bool:
    """Healthy means in line with the sources on disk: exactly a clean ingest's chunks."""
    if read_state(store) is None:
        return False  # killed before the store existed: nothing to call healthy
    verdict = quick_doctor(store)
    if verdict["ok"]:
        assert stored_ids(store) == clean_ids(base), "doctor called an incomplete store healthy"
    return bool(verdict["ok"])


def assert_recovered(base: Path, store: Path, full: bool = True) -> None:
    """The next ingest completes whatever was interrupted; `full`: also doctor and a search."""
    done = kit_cli("ingest", str(base / "corpus"), "--store", str(store), "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert stored_ids(store) == clean_ids(base)
    if full:
        assert quick_doctor(store)["ok"]
        found = kit_cli("search", "cruise missiles", "--store", str(store), "--json")
        assert found.returncode == 0 and json.loads(found.stdout), found.stderr


def tear(store: Path) -> None:
    """A torn write: the first third of chroma.sqlite3, then garbage."""
    state = read_state(store)
    assert state is not None
    database = store / state.chroma / "chroma.sqlite3"
    data = database.read_bytes()
    database.write_bytes(data[: len(data) // 3] + b"\x00garbage" * 512)


@pytest.mark.parametrize("phase,point", [  # the random attack below reaches every point; these pin four
    ("first ingest", "before-upsert:2"), ("first ingest", "commit-index:1"),
    ("update", "after-upsert:1"), ("update", "before-removals:1"),
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
    verdict = doctor(store)
    assert not verdict["ok"] and verdict["verdict"] == "incomplete", verdict
    assert_recovered(tmp_path, store)
    assert not writing(store)


def test_a_killed_first_ingest_recorded_its_source_before_any_chunk(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0)
    assert kit_cli("ingest", str(corpus), "--store", str(store), crash_at="before-upsert:1").returncode == -9
    state = read_state(store)
    assert state is not None and [s.name for s in state.sources] == ["corpus"]
    verdict = doctor(store)
    assert not verdict["ok"] and any("no file in the store" in p["text"] for p in verdict["problems"])  # type: ignore
    repaired = kit_cli("doctor", "--repair", "--store", str(store), "--json")  # knows what to ingest
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert stored_ids(store) == clean_ids(tmp_path)


def test_a_killed_repair_never_loses_data_nor_says_healthy(tmp_path: Path) -> None:
    """Issue 14 #1: tear chroma.sqlite3, kill `kit doctor --repair` at every step of the rebuild."""
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0)
    assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
    expected = stored_ids(store)
    tear(store)
    for point in ("before-upsert:1", "after-upsert:2", "commit-index:1", "commit-manifest:1"):
        crashed = kit_cli("doctor", "--repair", "--store", str(store), crash_at=point)
        assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr
        verdict = doctor(store)
        assert not verdict["ok"] and verdict["verdict"] == "damaged", verdict
        assert len([p for p in store.iterdir() if p.name.startswith("chroma-")]) <= 1  # one build at a time
    crashed = kit_cli("doctor", "--repair", "--store", str(store), crash_at="after-commit:1")
    assert crashed.returncode == -signal.SIGKILL
    assert doctor(store)["ok"] and stored_ids(store) == expected  # killed after the swap: the new store is whole
    assert list(store.glob("chroma*")) and not list(store.glob("chroma-*.damaged-*"))
    repaired = kit_cli("doctor", "--repair", "--store", str(store), "--json")
    assert repaired.returncode == 0 and stored_ids(store) == expected


def test_a_damaged_store_is_rebuilt_aside_and_kept(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0, n=10)
    assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
    before = stored_ids(store)
    tear(store)
    assert kit_cli("doctor", "--store", str(store), "--json").returncode == 1
    search = kit_cli("search", "cruise missiles", "--store", str(store))
    assert search.returncode == 1 and search.stderr.count("\n") == 1 and "kit doctor" in search.stderr
    repaired = kit_cli("doctor", "--repair", "--store", str(store), "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert any("damaged copy kept in" in a for a in json.loads(repaired.stdout)["actions"])
    assert list(store.glob("chroma*.damaged-*")), "the damaged store must be kept, not deleted"
    assert stored_ids(store) == before


def test_a_rebuild_that_cannot_finish_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0, n=10)
    assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
    tear(store)
    corpus.rename(tmp_path / "elsewhere")  # its source is gone: a rebuild would be incomplete
    repaired = kit_cli("doctor", "--repair", "--store", str(store))
    assert repaired.returncode == 1 and "source corpus is gone" in repaired.stderr
    assert "Traceback" not in repaired.stderr
    state = read_state(store)
    assert state is not None and state.chroma == "chroma" and (store / "chroma" / "chroma.sqlite3").exists()


def test_recovery_runs_under_the_write_lock(tmp_path: Path) -> None:
    """Issue 14 #4: three `kit ingest --wait` after a crash: one recovers, none fails or rebuilds."""
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 0)
    assert kit_cli("ingest", str(corpus), "--store", str(store)).returncode == 0
    make_corpus(corpus, 1)
    assert kit_cli("ingest", str(corpus), "--store", str(store), crash_at="after-upsert:1").returncode == -9
    env = {**os.environ, "KIT_CRASH_AT": ""}
    runs = [subprocess.Popen([sys.executable, "-m", "kit.cli", "ingest", str(corpus), "--store", str(store),
                              "--embedder", "hash", "--wait", "120", "--json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    results = [(r.wait(timeout=300), *r.communicate()) for r in runs]
    assert [code for code, _out, _err in results] == [0, 0, 0], results
    assert all("Traceback" not in err for _code, _out, err in results)
    notes = [i["reason"] for _c, out, _e in results for i in json.loads(out)["issues"] if i["path"] == "(store)"]
    assert len(notes) == 1 and "completed it" in notes[0]  # exactly one run recovered
    assert not list(store.glob("chroma*.damaged-*")) and not list(store.glob("chroma-*"))  # nothing rebuilt
    assert stored_ids(store) == clean_ids(tmp_path)


def test_thirty_random_kills_across_ingest_update_rm_and_repair(tmp_path: Path) -> None:
    """The attack of issue 14, repeated: kills at named points and at random moments."""
    rng = random.Random(14)
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    version, healthy_after_kill = 0, 0
    kills = {"named": 0, "random": 0}
    make_corpus(corpus, version)
    for i in range(30):  # 7.5 rounds of the four operations
        op = ("ingest", "update", "rm", "repair")[i % 4]
        if op == "ingest":
            shutil.rmtree(store, ignore_errors=True)
        elif op == "update":
            version += 1
            make_corpus(corpus, version)
        elif op == "repair":
            tear(store)
        args = {"ingest": ["ingest", str(corpus)], "update": ["ingest", str(corpus)],
                "rm": ["rm", str(corpus / "b")], "repair": ["doctor", "--repair"]}[op]
        argv = [sys.executable, "-m", "kit.cli", *args, "--store", str(store), "--embedder", "hash"]
        point = rng.choice(POINTS) if rng.random() < 0.6 else ""
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "KIT_CRASH_AT": point})
        if not point:
            time.sleep(rng.uniform(0.3, 2.5))
            proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=120)
        assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")
        kills["named" if point else "random"] += code == -signal.SIGKILL
        healthy_after_kill += assert_never_healthy_when_incomplete(store, tmp_path)
        if op == "rm":  # complete the rm (it may have finished), then bring b back
            done = kit_cli("rm", str(corpus / "b"), "--store", str(store))
            assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
            assert stored_ids(store) == clean_ids(tmp_path, "corpus/b")
        if op == "repair":
            done = kit_cli("doctor", "--repair", "--store", str(store), "--json")
            assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
        assert_recovered(tmp_path, store, full=i % 8 == 0)
    print(kills)
    # A named point kills whenever the operation reaches it, whatever the load (14 of the 20 named runs
    # reached theirs in a quiet run; some points cannot occur in their operation). A random moment
    # lands only while the process still runs, so its count depends on load and is not asserted.
    assert kills["named"] >= 12, kills
