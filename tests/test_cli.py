"""The `kit` command: JSON output for scripts, one-line errors with exit code 1 for user mistakes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from kit.cli import main
from tests.helpers import SEED_FILES, SEEDS, run_kit

STORED = [f"seeds/{name}" for name in SEED_FILES]

HIT_KEYS = {"id", "path", "start", "end", "section", "score", "dense_rank", "keyword_rank", "text"}


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, object]]]:
    """A store filled by `kit ingest` in its own process, and the JSON report it printed."""
    project = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEEDS, project / "seeds")
    store = project / ".kit"
    done = run_kit(["ingest", str(project / "seeds"), "--store", str(store), "--embedder", "hash", "--json"])
    assert done.returncode == 0, done.stderr
    yield store, json.loads(done.stdout)


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kit: error: ")
    assert "Traceback" not in stderr
    return lines[0]


# -- through a real process ------------------------------------------------------------------------

def test_ingest_json_report(cli_store: tuple[Path, dict[str, object]]) -> None:
    _, report = cli_store
    assert report["files"] == len(SEED_FILES) and report["errors"] == 0 and report["issues"] == []
    assert report["chunks"] == report["added"] > 0 and report["source"] == "seeds"
    assert {"source", "files", "chunks", "added", "embedded", "unchanged_files", "removed", "errors", "skipped",
            "notes", "seconds", "issues"} <= set(report)


def test_search_json_hits(cli_store: tuple[Path, dict[str, object]]) -> None:
    store, _ = cli_store
    done = run_kit(["search", "cruise missiles launched from the Caspian Sea", "-k", "3", "--json",
                    "--store", str(store), "--embedder", "hash"])
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert 0 < len(hits) <= 3
    for hit in hits:
        assert set(hit) >= HIT_KEYS
        assert hit["path"] in STORED and hit["section"] in {"article", "comments", "sidebar"}
        assert isinstance(hit["score"], float) and hit["score"] > 0
        raw = (SEEDS.parent / hit["path"]).read_text(encoding="utf-8")
        assert raw[hit["start"]:hit["end"]] == hit["text"]


def test_missing_folder_is_one_line_and_exit_1() -> None:
    done = run_kit(["ingest", "/no/such/folder", "--store", "/tmp/kit-test-unused", "--embedder", "hash"])
    assert done.returncode == 1
    assert "/no/such/folder" in one_error_line(done.stderr)
    assert done.stdout == ""


# -- in this process (fast) ---------------------------------------------------------------------------

def test_search_text_output(cli_store: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = cli_store
    assert main(["search", "Palmyra convoy", "-k", "2", "--store", str(store), "--embedder", "hash"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] ") and "\n\n[2] " in out and "[3]" not in out
    assert "score" in out


def test_search_filters_on_the_command_line(cli_store: tuple[Path, dict[str, object]],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = cli_store
    wanted = STORED[4]
    code = main(["search", "convoy", "--json", "--store", str(store), "--embedder", "hash",
                 "--file", wanted, "--section", "comments"])
    assert code == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(h["path"] == wanted and h["section"] == "comments" for h in hits)


def test_ingest_text_output_names_problem_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("The port of Valparaiso reopened on Monday after the storm.\n")
    (docs / "empty.txt").write_text("")
    (docs / "bin.txt").write_bytes(b"\x00\x01 binary")
    (docs / "new\nline.txt").write_text("A file name with a newline, about the harbour of Valparaiso.\n")
    (docs / "odd\x1b[31mname\n.pptx").write_bytes(b"%PDF")  # an escape sequence and a newline in a name
    code = main(["ingest", str(docs), "--store", str(tmp_path / "store"), "--embedder", "hash", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and (data["errors"], data["skipped"], data["notes"]) == (1, 2, 0)
    code = main(["ingest", str(docs), "--store", str(tmp_path / "store"), "--embedder", "hash"])
    assert code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("docs: files 4  chunks 2  added 0") and "errors 1  skipped 2  notes 0" in lines[0]
    assert "  skipped: docs/empty.txt: file is empty or holds only whitespace" in lines
    assert "  error: docs/bin.txt: binary file (NUL or control bytes); only text files are ingested" in lines
    assert any(line.startswith("  skipped: docs/odd\\x1b[31mname\\n.pptx: not a supported file type") for line in lines)
    assert len(lines) == 4 and "\x1b" not in out  # names printed escaped, on one line each


def test_settings_mismatch_is_one_line_and_exit_1(cli_store: tuple[Path, dict[str, object]],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = cli_store
    monkeypatch.setenv("KIT_CHUNK_SIZE", "400")
    assert main(["search", "Palmyra", "--store", str(store), "--embedder", "hash"]) == 1
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "chunk_size" in line and "--rebuild" in line
    assert captured.out == ""


def test_rebuild_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert main(["ingest", str(SEEDS), "--store", store, "--embedder", "hash", "--json"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("KIT_CHUNK_SIZE", "400")
    assert main(["ingest", str(SEEDS), "--store", store, "--embedder", "hash", "--json"]) == 1
    assert "chunk_size" in one_error_line(capsys.readouterr().err)
    assert main(["ingest", str(SEEDS), "--store", store, "--embedder", "hash", "--json", "--rebuild"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == report["chunks"] > 0


@pytest.mark.parametrize("argv, fragment", [
    (["search", "x", "--embedder", "bert"], "embedder"),
    (["search", "x", "--embedder", "hash"], "ingest"),  # empty store
])
def test_user_errors_in_process(argv: list[str], fragment: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv, "--store", str(tmp_path / "store")]) == 1
    assert fragment in one_error_line(capsys.readouterr().err)


def test_bad_setting_in_environment_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIT_CHUNK_SIZE", "lots")
    assert main(["search", "x", "--store", str(tmp_path), "--embedder", "hash"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "chunk_size" in line and "KIT_CHUNK_SIZE" in line


def test_misspelt_kit_variable_is_an_error_with_a_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIT_CHUNKSIZE", "400")
    assert main(["search", "x", "--store", str(tmp_path), "--embedder", "hash"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "KIT_CHUNKSIZE" in line and "did you mean KIT_CHUNK_SIZE?" in line


def test_unrelated_kit_variable_is_ignored_with_one_warning(cli_store: tuple[Path, dict[str, object]],
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = cli_store
    monkeypatch.setenv("KIT_HOME_OF_ANOTHER_TOOL", "/opt/x")
    assert main(["search", "Palmyra", "-k", "1", "--store", str(store), "--embedder", "hash"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == "kit: warning: ignoring KIT_HOME_OF_ANOTHER_TOOL: not a kit setting"
    assert captured.out.startswith("[1] ")


def test_busy_store_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with FileLock(str(store / "write.lock")):
        code = main(["ingest", str(SEEDS), "--store", str(store), "--embedder", "hash"])
    assert code == 1
    assert "busy" in one_error_line(capsys.readouterr().err)


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "ingest" in capsys.readouterr().out


@pytest.mark.parametrize("out", ["report.pdf", "report.txt", "report"])
def test_summarize_out_with_a_suffix_kit_does_not_write_is_one_line_and_writes_nothing(
        cli_store: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    store, _ = cli_store
    target = tmp_path / out
    assert main(["summarize", "--store", str(store), "--embedder", "hash", "--out", str(target)]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert str(target) in line and ".md, .html or .json" in line
    assert not target.exists()


def test_an_out_kit_could_not_write_is_refused_before_the_work(
        cli_store: tuple[Path, dict[str, object]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = cli_store
    missing = tmp_path / "no"
    for argv, fragment in [
        (["summarize", "--out", str(missing / "r.md")], f"the folder {missing} does not exist"),
        (["summarize", "--out", str(missing / "r.html"), "--format", "html"], "does not exist"),
        (["summarize", "--out", str(tmp_path)], "is a folder; give it a file name"),
        (["check", "Russia fired 18 missiles.", "--out", str(missing / "c.md")], "does not exist"),
        (["verify", str(tmp_path)], "is a folder; give the JSON file kit wrote"),
    ]:
        assert main([*argv, "--store", str(store), "--embedder", "hash"]) == 1
        assert fragment in one_error_line(capsys.readouterr().err)
    assert not missing.exists()
