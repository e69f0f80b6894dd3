"""Two edges of keeping a store in step with its sources: the chunk count an ingest reports (a
file gone bad keeps its stored chunks, and they count), and `kit rm` run again after it was
interrupted. Real stores on disk, the hashing embedder; the rm is killed with SIGKILL in a real
CLI process."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import kit
from kit.api import Kit
from tests.helpers import SEEDS
from tests.test_crash import kit_cli, make_corpus, quick_doctor


def open_kit(base: Path) -> Kit:
    return kit.open(store_dir=str(base / ".kit"), embedder="hash")


def stored_chunks(k: Kit, source: str) -> int:
    return sum(f.chunks for f in k.files().files if f.source == source)


def test_the_ingest_summary_counts_the_chunks_the_source_holds(tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs", 0, n=12)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    k = open_kit(tmp_path)
    assert k.ingest(tmp_path / "seeds").chunks == stored_chunks(k, "seeds")
    first = k.ingest(tmp_path / "docs")
    assert first.chunks == stored_chunks(k, "docs") > 0
    (tmp_path / "docs" / "a" / "doc_001.txt").write_bytes(b"")
    make_corpus(tmp_path / "docs", 1, n=12)  # changes, drops and adds some files
    (tmp_path / "docs" / "a" / "doc_002.txt").write_bytes(b"\x00" * 64)
    again = k.ingest(tmp_path / "docs")
    assert again.chunks == stored_chunks(k, "docs")
    assert stored_chunks(k, "seeds") == sum(f.chunks for f in k.files().files) - again.chunks


def test_rm_run_again_after_it_was_interrupted_completes_it_and_succeeds(tmp_path: Path) -> None:
    """Before: the second `kit rm` finished the first, then said the store holds nothing there, exit 1."""
    make_corpus(tmp_path / "docs", 0, n=12)
    store = tmp_path / ".kit"
    for folder in ("a", "b"):
        assert kit_cli("ingest", str(tmp_path / "docs" / folder), "--store", str(store)).returncode == 0
    killed = kit_cli("rm", str(tmp_path / "docs" / "b"), "--store", str(store), crash_at="commit-index:1")
    assert killed.returncode == -signal.SIGKILL
    again = kit_cli("rm", str(tmp_path / "docs" / "b"), "--store", str(store))
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    listing = kit.open(store_dir=str(store), embedder="hash").files()
    assert not any(s.name.endswith("docs/b") for s in listing.sources)
    assert all("/docs/a/" in f"/{f.path}" for f in listing.files) and listing.files
    assert quick_doctor(store)["verdict"] == "healthy"
