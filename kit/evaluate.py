"""Measure question answering on a QA file: retrieval, answers, citations, abstention.

A QA file is JSON lines: {"question", "gold_sources": [paths], "answers": [patterns],
"answerable": bool}. Patterns are case-insensitive regular expressions; an answer is correct
when any matches its text. Gold sources are file paths relative to the ingested folder. A
question without gold sources counts in no retrieval or citation measure, one without patterns
in no accuracy (n/a, never 0). Each question also gets its own row. This module only scores; it
never changes what is stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.errors import KitError
from kit.results import Answer
from kit.text import plural
from kit.types import Hit, Saved


@dataclass(frozen=True)
class QAItem:
    question: str
    gold_sources: tuple[str, ...]
    answers: tuple[str, ...]
    answerable: bool


@dataclass(frozen=True)
class QuestionResult:
    """One question's outcome; None where the QA file gives nothing to judge it by (n/a)."""

    question: str
    answerable: bool
    abstained: bool
    gold_rank: int | None  # rank of the first gold hit; 0 when none was retrieved
    correct: bool | None
    cites_gold: bool | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class QAReport(Saved):
    """Aggregate metrics; every rate is in [0, 1] and None when it has no denominator. Prints as
    `kit evaluate` does; shows as a table per question and one of totals in a notebook."""

    n: int = 0
    answerable: int = 0
    recall_at: dict[int, float | None] = field(default_factory=dict)
    mrr: float | None = None
    answer_accuracy: float | None = None
    gold_cited: float | None = None
    citation_precision: float | None = None
    quote_verification_rate: float | None = None
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    answered_rate: float | None = None
    seconds_per_question: float = 0.0
    questions: list[QuestionResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["recall_at"] = {f"@{k}": v for k, v in self.recall_at.items()}
        out["seconds_per_question"] = round(self.seconds_per_question, 3)
        out["questions"] = [q.to_dict() for q in self.questions]
        return out

    _TITLE = "Evaluation"

    def to_markdown(self) -> str:
        from kit.report.markdown import text_markdown

        return text_markdown(self._TITLE, str(self))

    def __str__(self) -> str:
        from kit.report.text import eval_text

        return eval_text(self.to_dict())

    def __repr__(self) -> str:
        return (f"QAReport({plural(self.n, 'question')}, {self.answerable} answerable: answer accuracy "
                f"{self.answer_accuracy}, recall {self.recall_at}, mrr {self.mrr})")

    def _repr_html_(self) -> str:
        from kit.report.html import eval_html

        return eval_html(self.to_dict())


def load_qa(path: Path) -> list[QAItem]:
    from kit.grounding.saved import read_regular

    try:
        text = read_regular(path).decode("utf-8")
    except FileNotFoundError:
        raise KitError(f"{path}: no such file; give a JSONL file of questions (one JSON object a line)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KitError(f"{path}: cannot be read as UTF-8 text ({exc}); give a JSONL file of questions") from None
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            items.append(QAItem(d["question"], tuple(d.get("gold_sources", [])), tuple(d.get("answers", [])),
                                bool(d.get("answerable", True))))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise KitError(f"{path}:{n}: not a QA item ({exc}); expected JSON with a 'question' key") from None
    return items


@dataclass
class _Tally:
    ranks: list[int | None] = field(default_factory=list)  # answerable questions with gold sources
    answerable: int = 0
    judged: int = 0  # answerable questions with answer patterns (an abstention counts as wrong)
    correct: int = 0
    gold_cited: int = 0
    cited: int = 0
    cited_gold: int = 0
    verified: int = 0
    checked: int = 0
    abstained_true: int = 0
    abstained_false: int = 0
    unanswerable: int = 0
    answered_answerable: int = 0


def evaluate(items: Sequence[QAItem], search: Callable[[str], list[Hit]],
             answer: Callable[[str, list[Hit]], Answer], ks: Sequence[int] = (1, 3, 5),
             progress: Callable[[int], None] | None = None) -> QAReport:
    """Run every question through search and answer, and score the results."""
    import time

    tally = _Tally()
    rows = []
    started = time.perf_counter()
    for n, item in enumerate(items, 1):
        hits = search(item.question)
        rows.append(_score_item(item, hits, answer(item.question, hits), tally))
        if progress:
            progress(n)
    report = _report(tally, len(items), ks)
    report.seconds_per_question = (time.perf_counter() - started) / max(1, len(items))
    report.questions = rows
    return report


def _is_gold(path: str, gold: set[str]) -> bool:
    """A stored path names a gold source: the same, or ending in it ("/home/me/seeds/a.txt" for
    "seeds/a.txt", when the store recorded the folder by its full path)."""
    return path in gold or any(path.endswith("/" + g.lstrip("./")) for g in gold)


def _score_item(item: QAItem, hits: list[Hit], ans: Answer, t: _Tally) -> QuestionResult:
    gold = set(item.gold_sources)
    t.checked += len(ans.citations) + len(ans.failed)
    t.verified += len(ans.citations)
    rank = next((r for r, h in enumerate(hits, 1) if _is_gold(h.chunk.path, gold)), 0) if gold else None
    if not item.answerable:
        t.unanswerable += 1
        t.abstained_true += ans.abstained
        return QuestionResult(item.question, False, ans.abstained, rank, ans.abstained, None)
    t.answerable += 1
    t.judged += bool(item.answers)
    if gold:
        t.ranks.append(rank or None)
    t.abstained_false += ans.abstained
    if ans.abstained:
        return QuestionResult(item.question, True, True, rank, False if item.answers else None, False if gold else None)
    t.answered_answerable += 1
    correct = any(re.search(p, ans.text, re.IGNORECASE) for p in item.answers) if item.answers else None
    t.correct += bool(correct)
    cites_gold = any(_is_gold(c.path, gold) for c in ans.citations)
    if gold:
        t.gold_cited += cites_gold
        t.cited += len(ans.citations)
        t.cited_gold += sum(_is_gold(c.path, gold) for c in ans.citations)
    return QuestionResult(item.question, True, False, rank, correct, cites_gold if gold else None)


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _report(t: _Tally, n: int, ks: Sequence[int]) -> QAReport:
    with_gold = len(t.ranks)
    abstained = t.abstained_true + t.abstained_false
    return QAReport(
        n=n, answerable=t.answerable,
        recall_at={k: _rate(sum(1 for r in t.ranks if r is not None and r <= k), with_gold) for k in ks},
        mrr=None if not with_gold else round(sum(1 / r for r in t.ranks if r) / with_gold, 4),
        answer_accuracy=_rate(t.correct, t.judged),
        gold_cited=_rate(t.gold_cited, with_gold),
        citation_precision=_rate(t.cited_gold, t.cited),
        quote_verification_rate=_rate(t.verified, t.checked),
        abstention_precision=_rate(t.abstained_true, abstained),
        abstention_recall=_rate(t.abstained_true, t.unanswerable),
        answered_rate=_rate(t.answered_answerable, t.answerable),
    )
