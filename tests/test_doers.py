"""A doer the quote leaves open ("a plaque was unveiled") named by the claim ("unveiled by the
mayor"): a fault unless the passage says that doer did it."""

from __future__ import annotations

from kit.embeddings import HashEmbedder
from kit.grounding.structure.doers import check_added_doers
from kit.grounding.structure.events import events
from kit.grounding.structure.parser import parse
from kit.grounding.support import Judge
from kit.types import Support

QUOTE = "A bronze plaque with the names of the crew was also unveiled."


def faults(claim: str, passage: str) -> list[str]:
    return [f.kind for f in check_added_doers(events(parse(claim)), events(parse(QUOTE)), passage)]


def test_a_doer_the_quote_leaves_open_is_a_fault() -> None:
    passage = "Mayor Ana Ruiz laid a wreath at the harbour. " + QUOTE
    assert faults("A bronze plaque with the names of the crew was unveiled by Mayor Ana Ruiz.", passage) == ["roles"]
    assert faults("Mayor Ana Ruiz unveiled a bronze plaque with the names of the crew.", passage) == ["roles"]


def test_a_doer_the_passage_names_for_that_event_is_no_fault() -> None:
    passage = "Mayor Ana Ruiz unveiled a plaque at the harbour. " + QUOTE
    assert faults("A bronze plaque with the names of the crew was unveiled by Mayor Ana Ruiz.", passage) == []


def test_no_doer_named_is_no_fault() -> None:
    assert faults("A bronze plaque naming the crew was unveiled.", QUOTE) == []


def test_the_judge_refuses_the_added_doer_and_keeps_partial_for_a_stated_one() -> None:
    judge = Judge(HashEmbedder())
    claim = "A bronze plaque with the names of the crew was unveiled by Mayor Ana Ruiz."
    told = judge.judge(claim, [QUOTE], ["Mayor Ana Ruiz unveiled a plaque at the harbour. " + QUOTE])
    added = judge.judge(claim, [QUOTE], ["Mayor Ana Ruiz laid a wreath at the harbour. " + QUOTE])
    assert told.support is Support.PARTIAL
    assert added.support is Support.UNSUPPORTED and any("who did it" in r for r in added.reasons)
