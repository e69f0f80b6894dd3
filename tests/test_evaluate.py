"""`kit eval` metrics on hand-made results whose scores are known, and QA file errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kit.errors import KitError
from kit.evaluate import QAItem, evaluate, load_qa
from kit.results import Answer
from kit.types import Chunk, Citation, Claim, Hit, Mode, Support
from tests.helpers import kit_free_env


def hit(path: str) -> Hit:
    return Hit(Chunk(path, path, 0, 10, "article", "x" * 10, ""), 1.0)


def answer(question: str, text: str, path: str | None) -> Answer:
    if path is None:
        return Answer(question, [], Mode.EXTRACTIVE, "extractive")
    cite = Citation(1, path, 0, len(text), "article", text, support=Support.SUPPORTED)
    return Answer(question, [Claim(text, (cite,), Support.SUPPORTED)], Mode.EXTRACTIVE, "extractive")


ITEMS = [
    QAItem("q1", ("a.txt",), ("eighteen",), True),   # gold ranked 1, answered right, cites gold
    QAItem("q2", ("b.txt",), ("Putin",), True),      # gold ranked 2, answered wrong, cites another file
    QAItem("q3", ("c.txt",), ("Kerry",), True),      # gold not retrieved, abstained
    QAItem("q4", (), (), False),                     # unanswerable, abstained: correct
    QAItem("q5", (), (), False),                     # unanswerable, answered: wrong
]
HITS = {"q1": ["a.txt", "b.txt"], "q2": ["a.txt", "b.txt"], "q3": ["a.txt"], "q4": ["a.txt"], "q5": ["a.txt"]}
ANSWERS = {"q1": ("Eighteen missiles.", "a.txt"), "q2": ("Medvedev.", "a.txt"), "q3": ("", None),
           "q4": ("", None), "q5": ("Something.", "a.txt")}


def test_metrics_on_known_results() -> None:
    report = evaluate(ITEMS, lambda q: [hit(p) for p in HITS[q]], lambda q, hits: answer(q, *ANSWERS[q]), ks=(1, 2))
    assert report.n == 5 and report.answerable == 3
    assert report.recall_at == {1: round(1 / 3, 4), 2: round(2 / 3, 4)}
    assert report.mrr == round((1 + 1 / 2) / 3, 4)
    assert report.answer_accuracy == round(1 / 3, 4) and report.answered_rate == round(2 / 3, 4)
    assert report.gold_cited == round(1 / 3, 4) and report.citation_precision == 0.5
    assert report.abstention_recall == 0.5 and report.abstention_precision == 0.5
    assert report.quote_verification_rate == 1.0


def test_a_bad_line_names_its_file_and_line(tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text('{"question": "ok?"}\n\nnot json\n', encoding="utf-8")
    with pytest.raises(KitError, match=r"qa.jsonl:3: not a QA item"):
        load_qa(qa)
    qa.write_text('{"question": "ok?", "answerable": false}\n', encoding="utf-8")
    assert load_qa(qa) == [QAItem("ok?", (), (), False)]


def test_questions_without_gold_or_patterns_are_na_not_zero() -> None:
    items = [QAItem("q1", ("a.txt",), ("eighteen",), True), QAItem("q6", (), (), True)]  # q6: nothing to judge by
    answers = {"q1": ("Eighteen missiles.", "a.txt"), "q6": ("Something.", "a.txt")}
    report = evaluate(items, lambda q: [hit("a.txt")], lambda q, hits: answer(q, *answers[q]), ks=(1,))
    assert report.recall_at == {1: 1.0} and report.mrr == 1.0 and report.answer_accuracy == 1.0
    assert report.gold_cited == 1.0 and report.citation_precision == 1.0 and report.answered_rate == 1.0
    q1, q6 = report.questions
    assert (q1.gold_rank, q1.correct, q1.cites_gold) == (1, True, True)
    assert (q6.gold_rank, q6.correct, q6.cites_gold) == (None, None, None)
    assert report.to_dict()["questions"][1]["correct"] is None


def test_each_question_has_its_row() -> None:
    report = evaluate(ITEMS, lambda q: [hit(p) for p in HITS[q]], lambda q, hits: answer(q, *ANSWERS[q]), ks=(1, 2))
    rows = {q.question: q for q in report.questions}
    assert (rows["q2"].gold_rank, rows["q2"].correct, rows["q2"].cites_gold) == (2, False, False)
    assert (rows["q3"].gold_rank, rows["q3"].abstained, rows["q3"].correct) == (0, True, False)
    assert rows["q4"].correct is True and rows["q5"].correct is False  # unanswerable: right when abstained


def test_kit_eval_prints_a_row_per_question_and_rounded_totals(tmp_path: Path) -> None:
    import json

    from tests.helpers import SEEDS, run_kit

    store = tmp_path / "store"
    assert run_kit(["ingest", str(SEEDS), "--store", str(store), "--embedder", "hash"]).returncode == 0
    qa = tmp_path / "qa.jsonl"
    qa.write_text(json.dumps({"question": "How many cruise missiles did Russia launch on Friday?",
                              "answers": ["18|eighteen"]}) + "\n", encoding="utf-8")  # no gold sources
    run = run_kit(["eval", str(qa), "--store", str(store)])
    assert run.returncode == 0, run.stderr
    assert "kit: note: `kit eval` is now `kit evaluate`; the old name goes in the next release" in run.stderr
    header, row, *_ = run.stdout.splitlines()
    assert "gold rank" in header and row.split()[1] == "n/a"  # no gold: n/a, not 0
    assert "recall_at                  @1 n/a" in run.stdout and "mrr                        n/a" in run.stdout
    assert all(len(x.split(".")[1]) <= 3 for x in run.stdout.split() if x.replace(".", "").isdigit() and "." in x)


def test_kit_evaluate_is_the_name_and_its_json_is_the_old_alias_s(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kit.cli import main
    from tests.helpers import SEEDS

    store = ["--store", str(tmp_path / "store"), "--embedder", "hash"]
    assert main(["ingest", str(SEEDS), *store]) == 0
    qa = tmp_path / "qa.jsonl"
    qa.write_text(json.dumps({"question": "How many cruise missiles did Russia launch on Friday?",
                              "answers": ["18"]}) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["evaluate", str(qa), *store, "--json"]) == 0
    new = capsys.readouterr()
    assert main(["eval", str(qa), *store, "--json"]) == 0
    old = capsys.readouterr()
    assert new.err == "" and old.err.splitlines() == [
        "kit: note: `kit eval` is now `kit evaluate`; the old name goes in the next release"]
    timeless = [{k: v for k, v in json.loads(run.out).items() if k != "seconds_per_question"} for run in (old, new)]
    assert timeless[0] == timeless[1]


def test_a_missing_fifo_or_device_qa_file_is_one_line_never_a_hang(tmp_path: Path) -> None:
    """A FIFO would block a plain read and /dev/zero never ends: refused at once, like a missing file."""
    fifo = tmp_path / "qa.jsonl"
    os.mkfifo(fifo)
    for path in (str(fifo), "/dev/zero", str(tmp_path / "missing.jsonl")):
        done = subprocess.run([sys.executable, "-m", "kit.cli", "evaluate", path, "--embedder", "hash"],
                              capture_output=True, text=True, cwd=tmp_path, env=kit_free_env(), timeout=60)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and "Traceback" not in done.stderr, (path, done.stderr)
        assert lines[0].startswith(f"kit: error: {path}"), lines
