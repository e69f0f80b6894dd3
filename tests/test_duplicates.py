"""Ingest and `kit doctor` agree on duplicates: a file with the same content as another of its source
is a skipped file of that source, never "new"; a store holding exactly what its sources give is
healthy, and `kit doctor --repair` on it says there is nothing to repair. Through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import SEED_FILES, SEEDS, run_kit


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder `bbc` holding one seed page twice, under two names."""
    (tmp_path / "bbc").mkdir()
    shutil.copy(SEEDS / SEED_FILES[0], tmp_path / "bbc" / "a.txt")
    shutil.copy(SEEDS / SEED_FILES[0], tmp_path / "bbc" / "b.txt")
    return tmp_path


def kit(project: Path, *args: str) -> tuple[int, str, str]:
    done = run_kit([*args, "--store", str(project / ".kit"), "--embedder", "hash"])
    return done.returncode, done.stdout, done.stderr


def test_a_first_ingest_calls_the_copy_a_duplicate_not_unchanged(project: Path) -> None:
    code, out, err = kit(project, "ingest", str(project / "bbc"), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["unchanged_files"] == 0 and report["skipped"] == 1
    assert report["issues"][0]["path"] == "bbc/b.txt" and "duplicate" in report["issues"][0]["reason"]
    code, out, _ = kit(project, "ingest", str(project / "bbc"))  # text: the same, said on its line
    assert "unchanged files 1" in out.splitlines()[0]  # a.txt, now stored; the copy is not counted
    assert "  skipped: bbc/b.txt: a duplicate: same content as bbc/a.txt; not indexed twice" in out.splitlines()


def test_doctor_counts_the_copy_as_a_duplicate_and_calls_the_store_healthy(project: Path) -> None:
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    code, out, err = kit(project, "doctor", "--json")
    result = json.loads(out)
    assert code == 0, (out, err)
    assert result["verdict"] == "healthy" and result["sources"] == {"bbc": {"ok": 1, "duplicate": 1}}
    code, out, _ = kit(project, "doctor")
    assert code == 0 and out.startswith("store is healthy") and "source bbc: 1 ok, 1 duplicate" in out


def test_doctor_repair_on_a_healthy_store_says_nothing_to_repair(project: Path) -> None:
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    before = json.loads((project / ".kit" / "kit-store.json").read_text())["generation"]
    code, out, _ = kit(project, "doctor", "--repair")
    assert code == 0 and "nothing to repair" in out and "synced" not in out
    assert json.loads((project / ".kit" / "kit-store.json").read_text())["generation"] == before  # no write


def test_a_copy_that_changes_is_new_again(project: Path) -> None:
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    (project / "bbc" / "b.txt").write_text("The harbour of Valparaiso received forty cargo ships.\n")
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 1 and json.loads(out)["sources"] == {"bbc": {"ok": 1, "new": 1}}
    code, out, err = kit(project, "doctor", "--repair")
    assert code == 0, (out, err)
    assert "store is healthy" in out and "done: synced bbc: chunks 1 added, 0 removed" in out


def test_two_new_copies_are_one_new_file_and_one_duplicate(project: Path) -> None:
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    for name in ("c.txt", "d.txt"):
        shutil.copy(SEEDS / SEED_FILES[1], project / "bbc" / name)
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 1 and json.loads(out)["sources"] == {"bbc": {"ok": 1, "new": 1, "duplicate": 2}}
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 0 and json.loads(out)["sources"] == {"bbc": {"ok": 2, "duplicate": 2}}


def test_a_stored_file_that_becomes_a_copy_loses_its_chunks_and_then_is_a_duplicate(project: Path) -> None:
    (project / "bbc" / "b.txt").write_text("The harbour of Valparaiso received forty cargo ships.\n")
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    shutil.copy(project / "bbc" / "a.txt", project / "bbc" / "b.txt")
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 1 and json.loads(out)["sources"] == {"bbc": {"ok": 1, "changed": 1}}
    code, out, _ = kit(project, "ingest", str(project / "bbc"), "--json")
    assert code == 0 and json.loads(out)["removed"] == 1 and json.loads(out)["skipped"] == 1
    code, out, _ = kit(project, "files", "--json")
    assert [f["path"] for f in json.loads(out)["files"]] == ["bbc/a.txt"]
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 0 and json.loads(out)["sources"] == {"bbc": {"ok": 1, "duplicate": 1}}


def test_an_empty_file_in_a_source_is_skipped_by_doctor_as_by_ingest(project: Path) -> None:
    (project / "bbc" / "empty.txt").write_text("")
    assert kit(project, "ingest", str(project / "bbc"))[0] == 0
    code, out, _ = kit(project, "doctor", "--json")
    assert code == 0 and json.loads(out)["sources"] == {"bbc": {"ok": 1, "duplicate": 1, "skipped": 1}}
