"""`kit files` lists what a store holds (from the last commit's file list, without Chroma);
`kit rm` removes a file or folder from the store, and a source's record with its last file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from kit.api import Kit
from kit.cli import main
from kit.errors import NotStoredError
from kit.store.manifest import read_manifest
from kit.store.state import Writing, read_state, write_state
from tests.helpers import SEED_FILES, kit_free_env

NO_HEAVY_IMPORTS = """
import sys, runpy
sys.argv = ["kit", *sys.argv[1:]]
try:
    runpy.run_module("kit.cli", run_name="__main__")
except SystemExit:
    pass
heavy = sorted(m for m in ("chromadb", "onnxruntime", "torch", "bm25s", "transformers") if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.fixture
def project(tmp_path: Path, copy_seeds: Callable[..., Path], make_kit: Callable[..., Kit]) -> Path:
    copy_seeds("seeds")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "harbour.txt").write_text("The harbour of Valparaiso received forty cargo ships.\n")
    (tmp_path / "notes" / "glacier.md").write_text("Glaciers in Patagonia retreated faster this summer.\n")
    make_kit().ingest(tmp_path / "seeds")
    make_kit().ingest(tmp_path / "notes")
    return tmp_path


def test_files_lists_sources_and_files_with_chunks_hash_and_time(project: Path, make_kit: Callable[..., Kit]) -> None:
    listing = make_kit().files()
    assert [(s.name, s.kind) for s in listing.sources] == [("seeds", "folder"), ("notes", "folder")]
    catalog = make_kit().store.catalog()
    assert {f.path: f.chunks for f in listing.files} == {p: len(f.ids) for p, f in catalog.items()}
    assert {f.path: f.sha256 for f in listing.files} == {p: min(f.sha256s) for p, f in catalog.items()}
    assert {f.source for f in listing.files} == {"seeds", "notes"} and all(f.ingested > 0 for f in listing.files)
    data = listing.to_dict()
    assert [(s["name"], s["files"]) for s in data["sources"]] == [("seeds", 5), ("notes", 2)]  # type: ignore[index]


def test_files_keeps_each_file_s_ingest_time_until_it_changes(project: Path, make_kit: Callable[..., Kit]) -> None:
    before = {f.path: f.ingested for f in make_kit().files().files}
    (project / "notes" / "harbour.txt").write_text("The harbour of Valparaiso received fifty cargo ships.\n")
    make_kit().ingest(project / "notes")
    after = {f.path: f.ingested for f in make_kit().files().files}
    assert after["notes/harbour.txt"] > before["notes/harbour.txt"]
    assert {p: t for p, t in after.items() if p != "notes/harbour.txt"} == {
        p: t for p, t in before.items() if p != "notes/harbour.txt"}


def test_files_on_the_command_line_imports_nothing_heavy(project: Path, store_dir: Path) -> None:
    for argv in (["files", "--store", str(store_dir)], ["files", "--json", "--store", str(store_dir)],
                 ["--help"], ["--version"], ["models"]):
        done = subprocess.run([sys.executable, "-c", NO_HEAVY_IMPORTS, *argv], capture_output=True, text=True,
                              timeout=60, env=kit_free_env())
        assert done.stderr.strip().splitlines()[-1] == "HEAVY:", (argv, done.stderr)
        if argv[0] == "files":
            assert "notes/harbour.txt" in done.stdout
        if argv == ["models"]:
            assert "qwen2.5-coder-1.5b" in done.stdout
        if argv == ["--version"]:
            assert done.stdout.strip() == "kit 0.1.0"


def test_files_after_an_interrupted_write_reads_the_store_and_says_so(project: Path, make_kit: Callable[..., Kit],
                                                                      store_dir: Path) -> None:
    state = read_state(store_dir)
    assert state is not None
    write_state(store_dir, replace(state, writing=Writing("ingest", "notes", "gone:1", 0.0)))  # a killed write
    listing = make_kit().files()
    assert listing.notes and "did not finish" in listing.notes[0]
    assert len(listing.files) == 7


def test_files_text_output(project: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["files", "--store", str(store_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"store {store_dir}  generation 2  sources 2  files 7  chunks ")
    assert "notes/  (2 files, 2 chunks)" in lines
    assert any(line.startswith(f"  seeds/{SEED_FILES[0]}  ") and "sha256 " in line for line in lines)


def test_rm_a_file_keeps_its_source_and_says_it_comes_back(project: Path, make_kit: Callable[..., Kit]) -> None:
    removal = make_kit().remove(project / "notes" / "harbour.txt")
    assert removal.files == ("notes/harbour.txt",) and removal.chunks == 1 and removal.sources == ()
    assert removal.still_covered_by == "notes"
    k = make_kit()
    assert "notes/harbour.txt" not in k.store.catalog() and [s.name for s in k.store.sources()] == ["seeds", "notes"]
    assert {f.path for f in k.files().files} == set(k.store.catalog())
    assert k.search("Valparaiso cargo ships", k=3)[0].chunk.path != "notes/harbour.txt"


def test_rm_a_whole_source_drops_its_record(project: Path, make_kit: Callable[..., Kit]) -> None:
    removal = make_kit().remove(project / "seeds")
    assert removal.sources == ("seeds",) and len(removal.files) == len(SEED_FILES) and not removal.still_covered_by
    k = make_kit()
    assert set(k.store.catalog()) == {"notes/harbour.txt", "notes/glacier.md"}
    assert [s.name for s in k.store.sources()] == ["notes"]
    assert k.retriever.keyword_index().size == k.store.count()


def test_rm_a_file_gone_from_disk(project: Path, make_kit: Callable[..., Kit]) -> None:
    (project / "notes" / "glacier.md").unlink()
    assert make_kit().remove(project / "notes" / "glacier.md").files == ("notes/glacier.md",)


def test_rm_of_something_not_stored_is_an_error_that_changes_nothing(project: Path,
                                                                    make_kit: Callable[..., Kit]) -> None:
    generation = make_kit().store.generation()
    with pytest.raises(NotStoredError, match="kit files"):
        make_kit().remove(project / "nowhere")
    assert make_kit().store.generation() == generation


def test_rm_on_the_command_line(project: Path, store_dir: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert main(["rm", "notes", "--store", str(store_dir), "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("removed notes: 2 files, 2 chunks; source records dropped: notes")
    manifest = read_manifest(store_dir)
    assert manifest is not None and not [p for p in manifest.files if p.startswith("notes/")]
    assert main(["rm", "notes", "--store", str(store_dir), "--embedder", "hash"]) == 1
    assert "holds nothing at or under notes" in capsys.readouterr().err


def test_counts_of_one_are_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: `kit files` on one short file said "(1 files, 1 chunks)" and "1 chunks"."""
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "harbour.txt").write_text("The harbour of Valparaiso received forty cargo ships.\n")
    monkeypatch.chdir(tmp_path)
    store = ["--store", str(tmp_path / ".kit"), "--embedder", "hash"]
    assert main(["ingest", "one", *store]) == 0
    capsys.readouterr()
    assert main(["files", *store]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "one/  (1 file, 1 chunk)" in lines and any(line.startswith("  one/harbour.txt  1 chunk  ") for line in lines)
    assert main(["remove", "one/harbour.txt", *store]) == 0
    assert capsys.readouterr().out.startswith("removed one/harbour.txt: 1 file, 1 chunk")


def test_plural() -> None:
    from kit.text import plural

    assert [plural(n, "chunk") for n in (0, 1, 2)] == ["0 chunks", "1 chunk", "2 chunks"]
    assert (plural(1, "summary"), plural(3, "summary")) == ("1 summary", "3 summaries")
    assert plural(2, "topic summary") == "2 topic summaries" and plural(2, "cited claim") == "2 cited claims"
    assert plural(2, "analysis", "analyses") == "2 analyses"


RM_NOTE = "kit: note: `kit rm` is now `kit remove`; the old name goes in the next release"


def test_remove_is_the_name_and_rm_an_alias_that_notes_it_on_stderr_only(
        project: Path, store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.chdir(project)
    store = ["--store", str(store_dir), "--embedder", "hash", "--json"]
    assert main(["remove", "notes/harbour.txt", *store]) == 0
    new = capsys.readouterr()
    assert new.err == "" and json.loads(new.out)["files"] == ["notes/harbour.txt"]
    assert main(["rm", "notes/glacier.md", *store]) == 0
    old = capsys.readouterr()
    assert old.err.splitlines() == [RM_NOTE]
    assert json.loads(old.out).keys() == json.loads(new.out).keys()
    assert json.loads(old.out)["files"] == ["notes/glacier.md"]


def test_help_lists_the_new_names_with_the_old_as_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "remove (rm)" in out and "evaluate (eval)" in out


def test_ingest_of_nothing_on_the_command_line_lists_every_file_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pdfs").mkdir()
    (tmp_path / "pdfs" / "a.pptx").write_bytes(b"PK")
    (tmp_path / "pdfs" / "b.xlsx").write_bytes(b"PK")
    code = main(["ingest", str(tmp_path / "pdfs"), "--store", str(tmp_path / "store"), "--embedder", "hash"])
    captured = capsys.readouterr()
    assert code == 1
    assert "  skipped: pdfs/a.pptx: not a supported file type" in captured.out
    assert "  skipped: pdfs/b.xlsx: not a supported file type" in captured.out
    assert captured.err.strip().splitlines() == [
        "kit: error: nothing to ingest: pdfs holds no file kit can read (kit reads .txt, .md, .markdown, .html, .htm, "
        ".pdf, .docx); the store is unchanged"]
    assert not (tmp_path / "store").exists()


def test_files_json_gives_every_time_as_iso_with_its_offset(tmp_path: Path) -> None:
    import json
    from datetime import datetime

    from tests.helpers import SEEDS, run_kit

    store = tmp_path / "store"
    assert run_kit(["ingest", str(SEEDS), "--store", str(store), "--embedder", "hash"]).returncode == 0
    data = json.loads(run_kit(["files", "--json", "--store", str(store)]).stdout)
    times = [s["added"] for s in data["sources"]] + [f["ingested"] for f in data["files"]]
    assert times and all(datetime.fromisoformat(t).utcoffset() is not None for t in times)
