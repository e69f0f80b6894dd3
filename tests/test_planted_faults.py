"""Planted faults through an OpenAI-compatible server on 127.0.0.1, on the real embedding model:
a model that changes a number, swaps a name, flips a negation, cites an unrelated or the wrong
sentence, half-invents a claim, adds an unsupported detail, or leaves a bare marker, never gets
a claim shown as supported; a genuine restatement does. The fault set benchmark
(bench/run_support.py) measures the rates; this test holds the guarantee end to end."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

import kit
from kit.api import Kit
from kit.types import Support
from tests.helpers import prompt_data
from tests.llm_server import FakeOpenAI

QUESTION = "What did the Russian Aerospace Forces destroy near Palmyra?"
TRUE = "The IS lost more than 80 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks"
FAULTS = {
    "number": "The IS lost more than 4203 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks.",
    "name": "The Brazilian military said the IS lost more than 80 terrorists and 36 cars.",
    "negation": "The IS did not lose more than 80 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks.",
    "unrelated": "Zebras migrate north across the savannah every spring.",
    "half_true": "The IS lost more than 80 terrorists and 36 cars, and the convoy carried gold bullion to Baghdad.",
    "embellished": "The IS lost more than 80 terrorists, 36 cars and eight fuel trucks during a sandstorm near Mosul.",
}


def passage_of(request: dict[str, Any], needle: str) -> int:
    user = prompt_data(request)
    for key, body in re.findall(r'<passage key="(\d+)"[^>]*>(.*?)</passage>', user, re.S):
        if needle in body:
            return int(key)
    raise AssertionError(f"no passage holds {needle!r}")


def quoting(claim: str, quote: str) -> Callable[[dict[str, Any]], str]:
    """A model reply: `claim` with a marker and `quote` on the passage that holds the fuel-truck figures."""
    def reply(request: dict[str, Any]) -> str:
        key = passage_of(request, "80 terrorists")
        return json.dumps({"answer": f"{claim} [{key}]", "quotes": [{"passage": key, "quote": quote}]})

    return reply


def ask_through_server(k: Kit, reply: Any) -> Any:
    with FakeOpenAI(reply) as server:
        llm = kit.open(store_dir=k.settings.store_dir, llm="openai", llm_base_url=server.base_url, api_key="sk-x",
                       llm_model="planted", llm_timeout=10.0)
        return llm.ask(QUESTION)


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(FAULTS))
def test_a_planted_fault_is_never_shown_as_supported(minilm_kit: Kit, kind: str) -> None:
    answer = ask_through_server(minilm_kit, quoting(FAULTS[kind], TRUE))
    (claim,) = answer.claims
    assert claim.support is not Support.SUPPORTED, (kind, claim)
    assert claim.reasons, "a verdict short of supported says why"
    assert FAULTS[kind].rstrip(".") not in answer.text


@pytest.mark.slow
def test_a_bare_marker_on_an_unrelated_claim_gets_no_citation(minilm_kit: Kit) -> None:
    def reply(request: dict[str, Any]) -> str:
        return f"{FAULTS['unrelated']} [{passage_of(request, '80 terrorists')}]"

    answer = ask_through_server(minilm_kit, reply)
    assert answer.abstained and answer.claims[0].citations == ()
    assert answer.claims[0].support is Support.UNSUPPORTED


@pytest.mark.slow
def test_the_wrong_sentence_of_the_right_passage_does_not_support_the_claim(minilm_kit: Kit) -> None:
    wrong = "The Russian Aerospace Forces hit the detected targets."
    (claim,) = ask_through_server(minilm_kit, quoting(f"{TRUE}.", wrong)).claims
    assert claim.support is not Support.SUPPORTED


@pytest.mark.slow
@pytest.mark.parametrize("genuine", [
    f"{TRUE}.",
    "The IS lost more than 80 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks in the strikes.",
    "More than 80 terrorists, 36 cars, eight fuel trucks and 17 pickup trucks were lost by the IS.",
])
def test_a_genuine_claim_is_supported(minilm_kit: Kit, genuine: str) -> None:
    answer = ask_through_server(minilm_kit, quoting(genuine, TRUE))
    (claim,) = answer.claims
    assert claim.support is Support.SUPPORTED, claim
    assert not answer.abstained and answer.citations[0].quote == TRUE
