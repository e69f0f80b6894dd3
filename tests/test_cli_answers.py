"""The `kit` command's answer side in real processes: ask, summarize, verify, config, --version,
option checks and help. Every JSON output is validated against kit/schema.json."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kit.cli import main
from tests.helpers import SEEDS, kit_free_env, run_kit

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))
ANSWERABLE = "How many cruise missiles did Russia launch on Friday?"
UNANSWERABLE = "Which football club won the league in 2017?"


def valid(data: Any, kind: str) -> Any:
    jsonschema.validate(data, {**SCHEMA, "$ref": f"#/$defs/{kind}"})
    return data


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A copy of the seeds and a store of it on the real default model, made by `kit ingest`."""
    root = tmp_path_factory.mktemp("cli")
    docs = Path(shutil.copytree(SEEDS, root / "docs"))
    done = run_kit(["ingest", str(docs), "--store", str(root / "store"), "--json"], timeout=600)
    assert done.returncode == 0, done.stderr
    yield root / "store", docs


def kit(store: Path, *args: str) -> Any:
    done = run_kit([*args, "--store", str(store)], timeout=300)
    return done


@pytest.mark.slow
def test_ask_prints_claims_sources_and_counts(store: tuple[Path, Path]) -> None:
    done = kit(store[0], "ask", ANSWERABLE)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Sources:" in out and "quote exact, supported" in out and "claims: " in out
    assert "18 cruise missiles" in out or "Eighteen cruise missiles" in out


@pytest.mark.slow
def test_ask_json_matches_the_schema_and_the_files(store: tuple[Path, Path]) -> None:
    data = valid(json.loads(kit(store[0], "ask", ANSWERABLE, "--json").stdout), "Answer")
    assert not data["abstained"] and data["claims"] and data["counts"]["supported"] >= 1
    for c in data["citations"]:
        raw = (store[1] / Path(c["path"]).name).read_text(encoding="utf-8")
        assert raw[c["start"]:c["end"]] == c["quote"] and c["support"] == "supported"
    assert data["provenance"]["kit_version"] and data["provenance"]["created"]
    assert set(data["provenance"]["files"]) == {c["path"] for c in data["citations"]}
    # No chat model shaped an extractive answer, so none is named; the judge setting did.
    assert data["provenance"]["settings"]["llm"] == "extractive" and "judge" in data["provenance"]["settings"]
    assert not {"llm_model", "gguf_model"} & set(data["provenance"]["settings"])


@pytest.mark.slow
def test_unanswerable_question_says_not_in_the_documents(store: tuple[Path, Path]) -> None:
    done = kit(store[0], "ask", UNANSWERABLE)
    assert done.returncode == 0 and done.stdout.startswith("Not in the documents")
    data = valid(json.loads(kit(store[0], "ask", UNANSWERABLE, "--json").stdout), "Answer")
    assert data["abstained"] and data["claims"] == [] and data["text"].startswith("Not in the documents")


@pytest.mark.slow
def test_search_topics_and_report_json_match_the_schema(store: tuple[Path, Path], tmp_path: Path) -> None:
    hits = json.loads(kit(store[0], "search", "cruise missiles", "-k", "2", "--json").stdout)
    assert len(hits) == 2 and all(valid(h, "Hit") for h in hits)
    topics = json.loads(kit(store[0], "topics", "--json").stdout)
    assert topics and all(valid(t, "Topic") for t in topics)
    out = tmp_path / "report.json"
    done = kit(store[0], "summarize", "--topics", "cruise missiles", "football transfers", "--out", str(out))
    assert done.returncode == 0 and "not in the documents: football transfers" in done.stdout
    report = valid(json.loads(out.read_text(encoding="utf-8")), "Report")
    found, missing = report["summaries"]
    assert found["found"] and found["claims"] and not missing["found"] and missing["claims"] == []


@pytest.mark.slow
def test_verify_passes_then_names_what_a_changed_file_broke(store: tuple[Path, Path], tmp_path: Path) -> None:
    saved = tmp_path / "answer.json"
    saved.write_text(kit(store[0], "ask", ANSWERABLE, "--json").stdout, encoding="utf-8")
    done = kit(store[0], "verify", str(saved))
    assert done.returncode == 0 and "all checks pass" in done.stdout
    cited = json.loads(saved.read_text(encoding="utf-8"))["citations"][0]
    path = store[1] / Path(cited["path"]).name
    original = path.read_text(encoding="utf-8")
    try:
        edited = original.replace(cited["quote"], cited["quote"].replace("cruise", "ballistic"))
        path.write_text(edited, encoding="utf-8")
        done = kit(store[0], "verify", str(saved))
        assert done.returncode == 1, done.stdout
        assert f"citation [1] {cited['path']}" in done.stdout and "changed since it was ingested" in done.stdout
        report = valid(json.loads(kit(store[0], "verify", str(saved), "--json").stdout), "Verification")
        assert not report["ok"] and report["citations"] >= 1
    finally:
        path.write_text(original, encoding="utf-8")


def test_verify_refuses_a_file_kit_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.json").write_text('{"hello": 1}', encoding="utf-8")
    assert main(["verify", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kit: error: ") and "x.json" in err and err.count("\n") == 1


def test_version_and_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("kit 0.")
    for command in ("ingest", "search", "ask", "topics", "summarize", "verify", "config", "doctor", "models"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "examples:" in out and f"kit {command}" in out.split("examples:")[1], command


@pytest.mark.parametrize("argv, fragment", [
    (["search", "x", "-k", "0"], "argument -k: must be at least 1, got 0"),
    (["search", "x", "-k", "-3"], "argument -k: must be at least 1, got -3"),
    (["topics", "-k", "0"], "argument -k: must be at least 1"),
    (["summarize", "--sentences", "none"], "'none' is not a whole number"),
    (["ask", "   "], "the question is empty"),
    (["search", "   "], "the search query is empty"),
    (["ask", "x", "--llm", "extractive", "--model", "m"], "--model and --base-url need a language model"),
])
def test_bad_options_are_one_line_and_exit_1(argv: list[str], fragment: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*argv, "--store", str(tmp_path / "store"), "--embedder", "hash"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("kit: error: ") and err.count("\n") == 1 and fragment in err, err


def test_base_url_alone_selects_the_openai_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIT_LLM_TIMEOUT", "1")
    monkeypatch.setenv("KIT_LLM_MAX_RETRIES", "0")
    assert main(["ingest", str(SEEDS), "--store", str(tmp_path / "s"), "--embedder", "hash", "--no-progress"]) == 0
    capsys.readouterr()
    # Nothing listens on this port: with --base-url the openai backend is used, and fails, never an
    # offline answer with exit 0.
    code = main(["ask", ANSWERABLE, "--store", str(tmp_path / "s"), "--embedder", "hash",
                 "--base-url", "http://127.0.0.1:9/v1"])
    err = capsys.readouterr().err
    assert code == 1 and "127.0.0.1:9" in err


def test_config_shows_values_origins_and_masks_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    env = {**kit_free_env(), "KIT_TOP_K": "8", "KIT_API_KEY": "sk-canary-config-1234"}
    done = run_kit(["config", "--json", "--model", "m"], env=env)
    data = valid(json.loads(done.stdout), "Config")
    assert data["top_k"] == {"value": 8, "from": "env KIT_TOP_K", "description": "Hits returned by search."}
    assert data["llm_model"]["value"] == "m" and data["llm_model"]["from"] == "option"
    assert data["llm"]["value"] == "openai"
    assert data["chunk_size"]["from"] == "default" and data["api_key"]["value"] == "***"
    text = run_kit(["config"], env=env).stdout
    assert "sk-canary-config-1234" not in text + done.stdout and "(env KIT_TOP_K)" in text


def test_store_commands_json_matches_the_schema(tmp_path: Path) -> None:
    """ingest, files, doctor and rm speak the same schema (hash embedder: no model needed)."""
    docs = Path(shutil.copytree(SEEDS, tmp_path / "docs"))
    (docs / "notes.pptx").write_bytes(b"PK\x03\x04")
    env = {**kit_free_env(), "KIT_EMBEDDER": "hash"}

    def run(*args: str) -> Any:
        done = run_kit([*args, "--store", str(tmp_path / ".kit"), "--json"], env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    report = valid(run("ingest", str(docs)), "IngestReport")
    assert report["files"] == len(list(SEEDS.glob("*.txt"))) and report["skipped"] == 1
    assert [i["path"] for i in report["issues"] if i["kind"] == "skipped"] == ["docs/notes.pptx"]
    listing = valid(run("files"), "Listing")
    assert sum(f["chunks"] for f in listing["files"]) == report["chunks"]
    assert valid(run("doctor"), "Checkup")["verdict"] == "healthy"
    first = listing["files"][0]["path"]
    removal = valid(run("rm", str(tmp_path / first)), "Removal")
    assert removal["files"] == [first] and removal["chunks"] == listing["files"][0]["chunks"]


@pytest.mark.slow
def test_verify_reads_nothing_outside_the_base_of_the_store_that_wrote_it(store: tuple[Path, Path], tmp_path: Path,
                                                                         ) -> None:
    """A hostile saved file: a citation leading out of the base (`..`, an absolute path) is a failed
    check, never read, whatever the file there says; a base that holds no store is refused."""
    saved = tmp_path / "answer.json"
    data = json.loads(kit(store[0], "ask", ANSWERABLE, "--json").stdout)
    cited = data["citations"][0]
    outside = store[0].parent.parent / "secret.txt"
    outside.write_text("x" * cited["start"] + cited["quote"], encoding="utf-8")  # the quote, at its span
    for path in (f"../{outside.name}", str(outside)):
        data["citations"][0]["path"] = path
        saved.write_text(json.dumps(data), encoding="utf-8")
        done = kit(store[0], "verify", str(saved))
        assert done.returncode == 1 and "leads outside its folder" in done.stdout, (path, done.stdout)
    data["provenance"]["base"] = "/"
    saved.write_text(json.dumps(data), encoding="utf-8")
    done = kit(store[0], "verify", str(saved))
    assert done.returncode == 1 and "holds no kit store" in done.stderr and done.stderr.count("\n") == 1


def test_a_stored_file_replaced_by_a_fifo_is_unreadable_not_a_hang(tmp_path: Path) -> None:
    import os

    from kit.corpus.sources import SourceReader
    from kit.types import SourceStatus

    os.mkfifo(tmp_path / "news.txt")  # opening it for reading would block until a writer comes
    reader = SourceReader(tmp_path)
    assert reader.status("news.txt") is SourceStatus.UNREADABLE and reader.text("news.txt") is None
    (tmp_path / "big.txt").write_bytes(b"a" * 2048)
    assert SourceReader(tmp_path, max_bytes=1024).status("big.txt") is SourceStatus.UNREADABLE
