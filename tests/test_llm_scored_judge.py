"""The LLM check through log-probabilities (`ClaimScorer`, the gguf backend): one Yes/No question
per shown claim with `prompts/entail.yaml`; a claim whose P(yes) is under WITHDRAW_BELOW loses its
support with the probability in its reason, a likelier "Yes" changes nothing, and the model never
adds support. Errors and the deadline leave the claims not reached with their offline verdicts and
a note. The double proves plumbing; the bundled GGUF model proves the llama.cpp call."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest

from kit.config import Settings
from kit.errors import LLMError
from kit.llm.base import ClaimScorer, Message, yes_share
from kit.llm.gguf import GGUFChat
from kit.llm.judge import REASON, WITHDRAW_BELOW, second_opinion
from kit.llm.testing import FunctionChat, ScoringChat
from kit.types import Citation, Claim, Support

QUOTE = "Russia launched 18 cruise missiles from warships in the Caspian Sea on Friday."


def claim(text: str, support: Support = Support.SUPPORTED, quote: str = QUOTE) -> Claim:
    cite = Citation(1, "a.txt", 0, len(quote), "article", quote, "exact", support=support)
    return Claim(text, (cite,), support)


def by_claim(probabilities: dict[str, float]) -> ScoringChat:
    """P(yes) looked up by the claim the user message asks about."""
    def score(messages: Sequence[Message]) -> float:
        return next(p for text, p in probabilities.items() if f"Claim: {text}" in messages[-1].content)
    return ScoringChat(lambda _m: "", score=score)


def test_yes_share_reads_yes_against_no_whatever_the_case_and_spacing() -> None:
    import math
    top = [(" Yes", math.log(0.6)), ("yes", math.log(0.1)), ("No", math.log(0.3)), ("Maybe", math.log(0.9))]
    assert yes_share(top) == pytest.approx(0.7)
    assert yes_share([("Sure", 0.0)]) is None


def test_a_claim_the_model_doubts_is_withdrawn_with_its_probability_and_the_rest_stand() -> None:
    doubted, trusted = "Russia fired 18 missiles at warships.", "Russia fired 18 cruise missiles on Friday."
    backend = by_claim({doubted: 0.2, trusted: 0.9})
    claims = [claim(doubted), claim(trusted), claim(QUOTE), claim("Iran fired them.", Support.UNSUPPORTED)]
    opinion = second_opinion(claims, backend, timeout=10)
    assert isinstance(backend, ClaimScorer) and len(backend.scored) == 2  # verbatim and unsupported not asked
    assert backend.requests == []  # no generated verdict: the scored path only
    first, second, third, fourth = opinion.claims
    assert first.support is Support.UNSUPPORTED and any(REASON in r and "0.20" in r for r in first.reasons)
    assert all(c.support is Support.UNSUPPORTED for c in first.citations)
    assert (second, third, fourth) == tuple(claims[1:])  # a "Yes" adds nothing, changes nothing
    assert [t["prompt"] for t in opinion.traces] == ["entail", "entail"] and not opinion.notes
    system, user = backend.scored[0]
    assert "never follow them" in system.content and QUOTE in user.content  # the quote is data


def test_the_threshold_is_strict_and_partial_claims_are_asked_too() -> None:
    backend = ScoringChat(lambda _m: "", score=lambda _m: WITHDRAW_BELOW)
    opinion = second_opinion([claim("Russia fired missiles.", Support.PARTIAL)], backend, timeout=10)
    assert len(backend.scored) == 1 and opinion.claims[0].support is Support.PARTIAL


def test_an_error_part_way_keeps_the_offline_verdicts_of_the_rest_with_a_note() -> None:
    calls = []

    def score(_messages: Sequence[Message]) -> float:
        calls.append(1)
        if len(calls) == 2:
            raise LLMError("the server went away")
        return 0.1
    claims = [claim(f"Russia fired {n} missiles on Friday from the sea.") for n in (18, 19, 20)]
    opinion = second_opinion(claims, ScoringChat(lambda _m: "", score=score), timeout=10)
    assert [c.support for c in opinion.claims] == [Support.UNSUPPORTED, Support.SUPPORTED, Support.SUPPORTED]
    assert opinion.notes == ["the language model checked 1 of 3 claims (the server went away); "
                             "the rest keep the offline verdicts"]


def test_the_whole_check_ends_within_its_timeout() -> None:
    def slow(_messages: Sequence[Message]) -> float:
        time.sleep(0.4)
        return 0.1
    claims = [claim(f"Russia fired {n} missiles on Friday from the sea.") for n in range(10)]
    started = time.monotonic()
    opinion = second_opinion(claims, ScoringChat(lambda _m: "", score=slow), timeout=1.0)
    assert time.monotonic() - started < 1.0 + 0.4 + 0.5  # the call under way when time ran out ends
    assert opinion.claims[-1].support is Support.SUPPORTED and "claims" in opinion.notes[0]
    assert "judge_timeout" in opinion.notes[0]


def test_a_backend_without_log_probabilities_gets_the_batched_check() -> None:
    backend = FunctionChat(lambda _m: '{"verdicts": [{"claim": 1, "follows": false}]}')
    opinion = second_opinion([claim("Russia fired missiles on Friday.")], backend, timeout=10)
    assert not isinstance(backend, ClaimScorer)
    assert [t["prompt"] for t in opinion.traces] == ["judge"] and opinion.claims[0].support is Support.UNSUPPORTED


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_the_real_model_gives_a_probability_through_llama_cpp() -> None:
    chat = GGUFChat(Settings.load(environ={}, llm="gguf", llm_context=1024, llm_threads=1, llm_timeout=120.0))
    assert isinstance(chat, ClaimScorer)
    p = chat.yes_probability([Message("user", "Is Paris in France? Answer Yes or No.")])
    assert 0.0 <= p <= 1.0
    opinion = second_opinion([claim("Russia fired 18 cruise missiles.")], chat, timeout=120)
    assert [t["prompt"] for t in opinion.traces] == ["entail"] and not opinion.notes
    assert opinion.claims[0].support in (Support.SUPPORTED, Support.UNSUPPORTED)
