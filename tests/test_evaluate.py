"""`kit eval` metrics on hand-made results whose scores are known, and QA file errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.errors import KitError
from kit.evaluate import QAItem, evaluate, load_qa
from kit.results import Answer
from kit.types import Chunk, Citation, Claim, Hit, Mode, Support


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
