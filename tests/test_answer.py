"""Answers: the extractive answerer quotes only statements that hold the kind of answer asked
for, abstains otherwise, and every answer setting does what it says. Answer quality on real
questions is measured by `kit eval` and bench/run_answers.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import kit
from kit.answer.questions import AnswerKind, asked_for, holds_kind
from kit.api import Kit
from kit.errors import InputError, LLMConfigError
from kit.llm.testing import ScriptedChat
from kit.text import is_statement, sentences
from kit.types import Mode, Support
from tests.helpers import open_hash

MAN_PAGE = """DU(1)                            User Commands                           DU(1)

NAME
       du - estimate file space usage

SYNOPSIS
       du [OPTION]... [FILE]...

DESCRIPTION
       Summarize disk usage of the set of FILEs, recursively for directories.

       -a, --all
              write counts for all files, not just directories

       -h, --human-readable
              print sizes in human readable format (e.g., 1K 234M 2G)

       -s, --summarize
              display only a total for each argument
"""


@pytest.mark.parametrize("question, kind", [
    ("How many cruise missiles did Russia launch?", AnswerKind.NUMBER),
    ("How much money is ISIS losing per day?", AnswerKind.NUMBER),
    ("When was the convoy destroyed?", AnswerKind.DATE),
    ("In what year did the war end?", AnswerKind.DATE),
    ("Who ordered the strikes?", AnswerKind.NAME),
    ("Where will the last stand take place?", AnswerKind.NAME),
    ("What does the -h option of du do?", AnswerKind.OPTION),
    ("Why are barrel bombs cheap?", AnswerKind.ANY),
])
def test_what_a_question_asks_for(question: str, kind: AnswerKind) -> None:
    assert asked_for(question) is kind


@pytest.mark.parametrize("question, sentence, holds", [
    ("How many trucks were lost?", "The IS lost eight fuel trucks.", True),
    ("How many trucks were lost on May 25?", "The convoy was hit on May 25.", False),  # only the asked number
    ("When was the convoy destroyed?", "It was destroyed on May 25.", True),
    ("When was the convoy destroyed?", "It was destroyed by jets.", False),
    ("Who ordered the strikes?", "Putin ordered the strikes.", True),
    ("Who ordered the strikes?", "The strikes were ordered.", False),
    ("What does the -h option do?", "-h, --human-readable print sizes", True),
    ("What does the -h option do?", "-a, --all write counts for all files", False),
])
def test_a_sentence_must_hold_the_kind_asked_for(question: str, sentence: str, holds: bool) -> None:
    assert holds_kind(asked_for(question), question, sentence) is holds


@pytest.mark.parametrize("text, statement", [
    ("The first convoy of terrorists from Raqqa was destroyed on May 25.", True),
    ("Russia successfully cuts off escape route of ISIS fighters fleeing Palmyra", False),  # headline
    ("Russia Unleashes Kalibr Cruise Missiles On ISIS.", False),  # Title Case headline
    ("By John Smith", False),  # byline
    ("A Russian Kalibr cruise missile is launched from the missile cruiser in the Caspian Sea, 2013", False),
    ("Home | News | World | Contact", False),  # menu
    ("du [OPTION]... [FILE]...", False),  # synopsis fragment
    ("-h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)", True),  # definition
    ("The Russian military says it fired 18 cruise missiles on Friday, destroying seven targets", True),
])
def test_statements_are_told_from_headlines_bylines_captions_and_menus(text: str, statement: bool) -> None:
    assert is_statement(text) is statement


def test_a_man_page_option_is_answered_by_its_definition_never_the_synopsis(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "du.txt").write_text(MAN_PAGE, encoding="utf-8")
    k = kit.open(store_dir=tmp_path / "store", embedder="hash")
    k.ingest(tmp_path / "docs")
    answer = k.ask("What does the -h option of du do?")
    assert "[OPTION]" not in answer.text
    if not answer.abstained:
        assert "-h, --human-readable" in answer.text and "human readable format" in answer.text


def test_off_topic_questions_abstain_with_a_reason(hash_seeds: Path) -> None:
    answer = open_hash(hash_seeds).ask("Which football club won the league in 2017?")
    assert answer.abstained and answer.claims == [] and answer.text == answer.NOT_FOUND
    assert answer.notes and answer.mode is Mode.EXTRACTIVE


def test_abstain_threshold_is_honoured(hash_seeds: Path) -> None:
    question = "How many cruise missiles did Russia launch on Friday?"
    assert open_hash(hash_seeds, abstain_threshold=0.0).ask(question).claims
    strict = open_hash(hash_seeds, abstain_threshold=0.999).ask(question)
    assert strict.abstained and strict.claims == []


def test_extractive_claims_are_their_own_supported_quotes(hash_seeds: Path) -> None:
    answer = open_hash(hash_seeds, abstain_threshold=0.0).ask("How many cruise missiles did Russia launch on Friday?")
    for claim in answer.claims:
        assert claim.support is Support.SUPPORTED
        assert claim.text.endswith(" ".join(claim.citations[0].quote.split()))


def test_show_unsupported_puts_flagged_claims_in_the_answer(hash_seeds: Path) -> None:
    question = "How many cruise missiles did Russia launch on Friday?"

    def reply(k: Kit) -> str:  # a sentence that answers the question, and one no passage states
        key, first = next((n, s.text) for n, hit in enumerate(k.search(question), 1)
                          for s in sentences(hit.chunk.text) if re.search(r"\b(\d+|Eighteen) cruise missiles", s.text))
        return json.dumps({"answer": f"{first} [{key}] Zebras migrate north every spring [{key}].", "quotes": []})

    hidden = open_hash(hash_seeds)
    hidden.chat_backend = ScriptedChat([reply(hidden)])
    answer = hidden.ask(question)
    assert [c.support for c in answer.claims] == [Support.SUPPORTED, Support.UNSUPPORTED]
    assert answer.shown == answer.claims[:1] and answer.listed_apart == answer.claims[1:]
    assert "Zebras" not in answer.text and "Not supported by the sources (1)" in str(answer)
    shown = open_hash(hash_seeds, show_unsupported=True)
    shown.chat_backend = ScriptedChat([reply(shown)])
    flagged = shown.ask(question)
    assert flagged.shown == flagged.claims and flagged.listed_apart == []
    assert "Zebras migrate north every spring. (NOT SUPPORTED: no citation)" in str(flagged)


def test_a_missing_key_fails_before_any_retrieval(hash_seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    k = open_hash(hash_seeds, llm="openai")

    def no_search(*_: object, **__: object) -> list[object]:
        raise AssertionError("retrieval ran before the key was checked")

    monkeypatch.setattr(k, "search", no_search)
    with pytest.raises(LLMConfigError, match="API key"):
        k.ask("How many cruise missiles did Russia launch?")


def test_an_empty_question_is_refused(hash_seeds: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        open_hash(hash_seeds).ask("   ")


def test_answers_read_well_in_print_and_repr(hash_seeds: Path) -> None:
    answer = open_hash(hash_seeds, abstain_threshold=0.0).ask("How many cruise missiles did Russia launch on Friday?")
    text, rep = str(answer), repr(answer)
    assert "claims:" in text and "Sources:" in text and len(rep) < 300 and rep.startswith("Answer(")
    hit = answer.hits[0]
    assert len(repr(hit)) < 200 and hit.chunk.path in str(hit)
