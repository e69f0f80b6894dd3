"""The history of runs: every ask, check and summarize recorded with its JSON, listed and shown
by `kit history`, re-checked by `kit verify --history`; a locked or corrupt history database
costs one warning line, never the answer, and loses nothing. Real stores on the hashing embedder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

import kit
from kit.api import Kit
from kit.cli import main
from kit.report.text import answer_text
from kit.store.history import FILE, RunKind
from tests.helpers import SEEDS, run_kit

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))
ASKED = "How many targets did the Russian cruise missiles destroy on Friday?"  # answered from seeds/002
CHECKED = "The IS lost more than 80 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks."  # seeds/000


def valid(data: object, kind: str) -> None:
    jsonschema.validate(data, {**SCHEMA, "$ref": f"#/$defs/{kind}"})


def project(root: Path) -> Path:
    """A folder with the seeds beside an ingested `.kit` store; returns the store."""
    shutil.copytree(SEEDS, root / "seeds")
    kit.open(store_dir=root / ".kit", embedder="hash").ingest(root / "seeds")
    return root / ".kit"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Kit, dict[str, object]]]:
    """A store with one ask, one check and one summary recorded, and what each returned."""
    k = kit.open(store_dir=project(tmp_path_factory.mktemp("history")), embedder="hash")
    answer, checked = k.ask(ASKED), k.check(CHECKED)
    summaries = k.summarize(["Kalibr cruise missiles"])
    yield k, {"ask": answer, "check": checked, "summarize": summaries}


def args(k: Kit, *words: str) -> list[str]:
    return [*words, "--store", str(k.location.dir), "--embedder", "hash"]


def test_each_run_is_recorded_with_its_whole_json(recorded: tuple[Kit, dict[str, object]]) -> None:
    k, results = recorded
    runs = k.history.runs()
    assert [r.kind for r in runs] == [RunKind.SUMMARIZE, RunKind.CHECK, RunKind.ASK]  # newest first
    ask = k.history.run(runs[2].id)
    answer = results["ask"]
    assert isinstance(answer, kit.Answer) and not answer.abstained
    assert ask.input == ASKED and ask.result == json.loads(json.dumps(answer.to_dict()))
    assert (ask.shown, ask.supported, ask.llm, ask.model, ask.embedder) == (
        len(answer.shown), answer.to_dict()["counts"]["supported"], "extractive", None, "hash")  # type: ignore[index]
    assert k.history.run(runs[1].id).input == CHECKED
    assert runs[0].input == "Kalibr cruise missiles"
    for run, kind in zip(runs, ["Report", "Check", "Answer"], strict=True):
        valid(k.history.run(run.id).result, kind)


def test_history_lists_filters_and_shows(recorded: tuple[Kit, dict[str, object]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    k, results = recorded
    assert main(args(k, "history", "--json")) == 0
    listed = json.loads(capsys.readouterr().out)
    for run in listed:
        valid(run, "HistoryRun")
    assert [r["kind"] for r in listed] == ["summarize", "check", "ask"]
    assert main(args(k, "history", "--kind", "ask", "--json")) == 0
    assert [r["input"] for r in json.loads(capsys.readouterr().out)] == [ASKED]
    assert main(args(k, "history", "--grep", "PICKUP TRUCKS", "--json")) == 0
    assert [r["kind"] for r in json.loads(capsys.readouterr().out)] == ["check"]
    assert main(args(k, "history", "-n", "1")) == 0
    text = capsys.readouterr().out
    assert "summarize" in text and "Kalibr" in text and ASKED[:40] not in text
    ask_id = listed[2]["id"]
    assert main(args(k, "history", "show", str(ask_id))) == 0
    shown = capsys.readouterr().out
    assert answer_text(results["ask"]) in shown  # type: ignore[arg-type]  # as `kit ask` printed it
    assert main(args(k, "history", "show", str(ask_id), "--json")) == 0
    valid(json.loads(capsys.readouterr().out), "Answer")
    assert main(args(k, "history", "show", str(listed[0]["id"]))) == 0
    summary = results["summarize"][0]  # type: ignore[index]
    shown = capsys.readouterr().out
    assert "Topic 1: Kalibr cruise missiles" in shown and summary.text in shown and "Sources:" in shown


def test_a_run_that_is_not_there_is_one_line(recorded: tuple[Kit, dict[str, object]],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    k, _ = recorded
    assert main(args(k, "history", "show", "999")) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kit: error: ") and "999" in err[0] and "kit history" in err[0]
    assert main(args(k, "history", "show")) == 1
    assert "give the run's id" in capsys.readouterr().err


def test_history_setting_off_records_nothing(recorded: tuple[Kit, dict[str, object]]) -> None:
    k, _ = recorded
    before = len(k.history.runs())
    quiet = kit.open(store_dir=k.location.dir, embedder="hash", history=False)
    quiet.ask(ASKED)
    quiet.check(CHECKED)
    assert len(k.history.runs()) == before
    k.ask(ASKED)  # and on (the default) it records
    assert len(k.history.runs()) == before + 1


def test_verify_history_lists_the_runs_a_source_change_broke(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    k = kit.open(store_dir=project(tmp_path), embedder="hash")
    answer, checked = k.ask(ASKED), k.check(CHECKED)
    assert {c.path for c in answer.citations} >= {"seeds/002_0f7b4c98e858c67a.txt"}
    assert {c.path for c in checked.citations} == {"seeds/000_4ccec8e6033855b4.txt"}
    ask_id, check_id = (r.id for r in reversed(k.history.runs()))
    assert main(args(k, "verify", "--history")) == 0
    assert "2 runs re-checked against the files now: all checks pass" in capsys.readouterr().out
    edited = tmp_path / "seeds" / "002_0f7b4c98e858c67a.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("seven", "eleven"), encoding="utf-8")
    assert main(args(k, "verify", "--history", "--json")) == 1
    found = json.loads(capsys.readouterr().out)
    valid(found, "HistoryCheck")
    assert found["runs"] == 2 and [b["id"] for b in found["broken"]] == [ask_id] and ask_id != check_id
    assert any("002_0f7b4c98e858c67a.txt" in p and "changed" in p for p in found["broken"][0]["problems"])
    assert main(args(k, "verify", "--history")) == 1
    out = capsys.readouterr().out
    assert "1 broken by a source change" in out and ASKED[:40] in out
    assert main(args(k, "verify", "answer.json", "--history")) == 1
    assert "one of them" in capsys.readouterr().err


def test_a_locked_history_costs_one_warning_and_never_the_answer(tmp_path: Path) -> None:
    store = project(tmp_path)
    k = kit.open(store_dir=store, embedder="hash")
    k.ask(ASKED)
    holder = sqlite3.connect(store / FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    try:
        done = run_kit(["ask", ASKED, "--store", str(store), "--embedder", "hash"])
        listing = run_kit(["history", "--store", str(store), "--embedder", "hash"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 0 and "18 cruise missiles" in done.stdout
    warning = done.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("kit: warning: ") and "locked" in warning[0], done.stderr
    assert str(store / FILE) in warning[0] and "not recorded" in warning[0]
    assert listing.returncode == 1 and listing.stdout == ""
    error = listing.stderr.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("kit: error: ") and "locked" in error[0] and "Traceback" not in \
        listing.stderr
    assert [r.input for r in k.history.runs()] == [ASKED]  # what was recorded before is all there


def test_a_corrupt_history_is_moved_aside_and_a_new_one_started(tmp_path: Path) -> None:
    store = project(tmp_path)
    garbage = bytes(range(256)) * 40
    (store / FILE).write_bytes(garbage)
    done = run_kit(["ask", ASKED, "--store", str(store), "--embedder", "hash", "--json"])
    assert done.returncode == 0 and json.loads(done.stdout)["question"] == ASKED
    warning = done.stderr.strip().splitlines()
    assert len(warning) == 1 and warning[0].startswith("kit: warning: ") and "moved it aside" in warning[0], \
        done.stderr
    aside = [p for p in store.iterdir() if p.name.startswith("history.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage and aside[0].name in warning[0]
    assert [r.input for r in kit.open(store_dir=store, embedder="hash").history.runs()] == [ASKED]


def test_the_history_of_a_store_without_runs_says_where_it_looked(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / ".kit"
    assert main(["history", "--store", str(store), "--embedder", "hash"]) == 0
    assert f"no run recorded in {store / FILE}" in capsys.readouterr().out
    assert not (store / FILE).exists()  # listing never creates one


def test_a_database_kit_never_wrote_runs_into_lists_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / ".kit"
    store.mkdir()
    with sqlite3.connect(store / FILE) as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    assert main(["history", "--store", str(store), "--embedder", "hash"]) == 0
    assert "no run recorded" in capsys.readouterr().out
    with sqlite3.connect(store / FILE) as other:
        assert other.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]  # left as it was
