"""The chat model's check of claims (setting `judge`): one batched call per answer, through the real
HTTP protocol; it can only withdraw support, never add it; a failed, slow or unreadable check leaves
the offline verdicts with a note; `judge="offline"` makes no such call."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.llm.base import Message
from kit.llm.judge import REASON
from kit.llm.testing import FunctionChat
from kit.types import Support
from tests import test_llm
from tests.llm_server import FakeOpenAI, is_judge_request
from tests.test_llm import QUESTION, answering_sentence

corpus, store = test_llm.corpus, test_llm.store  # the seeds (and an injected file) in a hashing-embedder store


def open_kit(store: Path, server: FakeOpenAI, **options: Any) -> kit.Kit:
    return kit.open(store_dir=str(store), embedder="hash", llm="openai", llm_base_url=server.base_url,
                    api_key="sk-test", llm_model="test-model", llm_timeout=10.0, **options)


def reworded_reply(request: dict[str, Any]) -> str:
    """A model restating the sentence that answers QUESTION without its last two words, quoting it
    whole: supported offline, an answer to the question, and not the quote itself, so it is asked."""
    key, quote = answering_sentence(request)
    claim = " ".join(quote.split()[:-2]) + "."
    return json.dumps({"answer": f"{claim} [{key}]", "quotes": [{"passage": key, "quote": quote}]})


def verbatim_reply(request: dict[str, Any]) -> str:
    """A model whose claim is its quote, word for word."""
    key, quote = answering_sentence(request)
    return json.dumps({"answer": f"{quote} [{key}]", "quotes": [{"passage": key, "quote": quote}]})


def numbers(request: dict[str, Any]) -> list[int]:
    claims = request["messages"][-1]["content"].split("Now the claims to check:", 1)[-1]  # after the example
    return [int(n) for n in re.findall(r"^Claim (\d+):", claims, re.M)]


def refusing(request: dict[str, Any]) -> str:
    return json.dumps({"verdicts": [{"claim": n, "follows": False} for n in numbers(request)]})


def test_the_model_can_withdraw_support_in_one_call(store: Path) -> None:
    with FakeOpenAI(reworded_reply, judge=refusing) as server:
        answer = open_kit(store, server).ask(QUESTION)
    checks = [r for r in server.requests if is_judge_request(r)]
    assert len(checks) == 1 and len(server.requests) == 2
    assert checks[0]["response_format"]["json_schema"]["name"] == "claim_verdicts"
    assert answer.abstained and answer.claims and all(c.support is Support.UNSUPPORTED for c in answer.claims)
    assert all(REASON in c.reasons for c in answer.claims)
    assert [t["prompt"] for t in answer.traces] == ["answer", "judge"]


def test_an_agreeing_model_changes_nothing_and_is_never_asked_about_unsupported_claims(store: Path) -> None:
    def invented(request: dict[str, Any]) -> str:  # a true sentence with its quote, and an invented one
        good = json.loads(reworded_reply(request))
        return json.dumps({"answer": good["answer"] + " The Eiffel Tower moved to Berlin. [1]",
                           "quotes": good["quotes"]})

    with FakeOpenAI(invented) as server:  # the default judge says every claim follows
        answer = open_kit(store, server).ask(QUESTION)
    (check,) = [r for r in server.requests if is_judge_request(r)]
    assert numbers(check) == [1] and "Eiffel" not in check["messages"][-1]["content"]
    assert [c.support for c in answer.claims] == [Support.SUPPORTED, Support.UNSUPPORTED]


@pytest.mark.parametrize("judge", ["not json at all", '{"verdicts": [{"claim": 9, "follows": false}]}'])
def test_an_unreadable_check_leaves_the_offline_verdicts_with_a_note(store: Path, judge: str) -> None:
    with FakeOpenAI(reworded_reply, judge=lambda _request: judge) as server:
        answer = open_kit(store, server).ask(QUESTION)
    assert answer.claims[0].support is Support.SUPPORTED
    assert any("check could not be read" in n for n in answer.notes)


def test_a_slow_check_is_bounded_by_judge_timeout_and_the_offline_verdicts_stand(store: Path) -> None:
    def slow(request: dict[str, Any]) -> str:
        time.sleep(8)
        return refusing(request)

    with FakeOpenAI(reworded_reply, judge=slow) as server:
        started = time.monotonic()
        answer = open_kit(store, server, judge_timeout=1.0, llm_max_retries=0).ask(QUESTION)
        seconds = time.monotonic() - started
    assert seconds < 6.0, seconds  # the 8 s check was cut at its own 1 s deadline, not llm_timeout's 10 s
    assert answer.claims[0].support is Support.SUPPORTED
    assert any("check failed" in n for n in answer.notes)


def test_judge_offline_makes_no_check_call(store: Path) -> None:
    with FakeOpenAI(reworded_reply, judge=refusing) as server:
        answer = open_kit(store, server, judge="offline").ask(QUESTION)
    assert not [r for r in server.requests if is_judge_request(r)]
    assert answer.claims[0].support is Support.SUPPORTED


CHECKS = [  # (weights the local model has, judge_min_billion_parameters, whether it checks claims)
    (1_500_000_000, 3.0, False),  # a small local GGUF model: the offline judge alone
    (1_500_000_000, 1.0, True),
    (1_500_000_000, 0.0, True),  # 0 asks every model
    (None, 3.0, True),  # a server's model: its size is unknown, so it is asked
]


@pytest.mark.parametrize("weights,threshold,asked", CHECKS)
def test_judge_auto_skips_a_small_local_model(
        store: Path, weights: int | None, threshold: float, asked: bool) -> None:
    def reply(messages: Sequence[Message]) -> str:
        request = {"messages": [{"role": m.role, "content": m.content} for m in messages]}
        return refusing(request) if is_judge_request(request) else reworded_reply(request)

    chat = FunctionChat(reply, parameters=weights)
    k = kit.open(store_dir=str(store), embedder="hash", judge="auto", judge_min_billion_parameters=threshold)
    k.chat_backend = chat
    answer = k.ask(QUESTION)
    checked = [r for r in chat.requests if r[0].content.startswith("You check claims against quotes")]
    assert len(checked) == (1 if asked else 0)
    assert answer.abstained is asked  # the refusing check withdraws the one claim; without it, it stands


def test_a_claim_that_is_its_own_quote_is_not_asked_about(store: Path) -> None:
    """A quote states itself: a model saying it does not follow would only hide a true claim."""
    with FakeOpenAI(verbatim_reply, judge=refusing) as server:
        answer = open_kit(store, server).ask(QUESTION)
    assert not [r for r in server.requests if is_judge_request(r)]
    assert [c.support for c in answer.claims] == [Support.SUPPORTED]


def test_verbatim_sets_aside_case_punctuation_and_a_leading_article_only() -> None:
    from kit.llm.judge import verbatim
    from kit.types import Citation, Claim

    def claim(text: str, quote: str) -> Claim:
        cite = Citation(1, "a.txt", 0, len(quote), "article", quote, "exact")
        return Claim(text, (cite,), Support.SUPPORTED)

    quote = "The IS lost more than 80 terrorists and 36 cars."
    assert verbatim(claim("IS lost more than 80 terrorists and 36 cars", quote))
    assert verbatim(claim("the is LOST more than 80 terrorists, and 36 cars!", quote))
    assert not verbatim(claim("IS lost 36 cars.", quote))  # cut out of the sentence: asked
    assert not verbatim(claim("Missiles hit the school.", "No missiles hit the school."))


# -- `kit check` (Kit.check): the same check of the sentences the offline judge supports --------
FAITHFUL = "Russian warplanes flew 126 combat sorties on Wednesday."  # 002 says "flew 126 combat sorties Wednesday"
INVENTED = "The Eiffel Tower was moved to Berlin in 2015."
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))


def test_kit_check_asks_the_model_once_and_the_model_can_only_withdraw(store: Path) -> None:
    import jsonschema

    with FakeOpenAI(reworded_reply, judge=refusing) as server:
        result = open_kit(store, server).check(f"{FAITHFUL} {INVENTED}")
    (check,) = server.requests  # no answer call: the text is the user's, only its verdicts are asked
    assert is_judge_request(check) and numbers(check) == [1] and "Eiffel" not in check["messages"][-1]["content"]
    faithful, invented = result.claims
    assert faithful.support is Support.UNSUPPORTED and REASON in faithful.reasons
    assert faithful.score > 0 and faithful.citations  # still cited, its offline score kept beside the verdict
    assert invented.support is Support.UNSUPPORTED and REASON not in invented.reasons
    assert result.judged_by == "openai:test-model" and "openai:test-model also judged" in result.disclaimer
    data = result.to_dict()
    jsonschema.validate(data, {**SCHEMA, "$ref": "#/$defs/Check"})
    assert [t["prompt"] for t in data["traces"]] == ["judge"] and data["judged_by"] == "openai:test-model"
    assert type(result).from_dict(json.loads(json.dumps(data))).judged_by == "openai:test-model"


def test_kit_check_with_an_agreeing_model_keeps_the_offline_verdicts(store: Path) -> None:
    with FakeOpenAI(reworded_reply) as server:  # the default judge says every claim follows
        result = open_kit(store, server).check(FAITHFUL)
    assert [c.support for c in result.claims] == [Support.SUPPORTED] and result.judged_by


@pytest.mark.parametrize("options,note", [({"judge": "offline"}, None),
                                          ({"judge_timeout": 1.0, "llm_max_retries": 0}, "check failed")])
def test_kit_check_without_a_model_verdict_says_no_language_model(
        store: Path, options: dict[str, Any], note: str | None) -> None:
    def slow(request: dict[str, Any]) -> str:
        time.sleep(4)
        return refusing(request)

    with FakeOpenAI(reworded_reply, judge=slow) as server:
        result = open_kit(store, server, **options).check(FAITHFUL)
    assert [c.support for c in result.claims] == [Support.SUPPORTED]
    assert not result.judged_by and result.disclaimer.endswith("no language model.")
    assert (not server.requests) if note is None else any(note in n for n in result.notes)


def test_kit_check_asks_a_scoring_backend_one_claim_at_a_time(store: Path) -> None:
    from kit.llm.testing import ScoringChat

    k = kit.open(store_dir=str(store), embedder="hash", judge="llm")
    k.chat_backend = chat = ScoringChat(lambda _m: "", name="local", score=lambda _m: 0.2)
    result = k.check(f"{FAITHFUL} {INVENTED}")
    assert len(chat.scored) == 1 and not chat.requests and FAITHFUL in chat.scored[0][-1].content
    assert result.claims[0].support is Support.UNSUPPORTED and any("P(yes) 0.20" in r for r in result.claims[0].reasons)
    assert type(result.claims[0]).__name__ == "CheckedClaim" and result.judged_by == "local"
