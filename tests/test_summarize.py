"""Topic summaries: every shown claim is cited, verified and supported, none repeats another,
budgets hold, the LLM map-reduce path keeps citations through the reduce step and lists apart
what does not check out, and a named topic nothing is about gets "not in the documents".

The chat doubles and the local HTTP server prove plumbing, not quality (bench/eval_topics.py
measures quality on MultiLing 2011).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import kit
from kit.api import Kit
from kit.llm.base import Message
from kit.llm.budget import passage_batches
from kit.llm.prompts import load_prompt
from kit.llm.testing import FunctionChat
from kit.results import Topic, TopicSummary
from kit.text import copied, sentences
from kit.topics.summarize import extractive_summary, llm_summary
from kit.types import Support
from tests.helpers import SEEDS
from tests.llm_server import FakeOpenAI


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _near_duplicates(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / max(1, len(wa | wb)) >= 0.8


@pytest.fixture(scope="module")
def seeds_kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    k = kit.open(store_dir=str(tmp_path_factory.mktemp("seeds") / "store"), embedder="hash", llm="extractive")
    k.ingest(SEEDS)
    return k


def assert_cited_from_file(summary: TopicSummary, root: Path) -> None:
    for s in summary.shown:
        assert s.citations, f"uncited sentence: {s.text!r}"
        assert s.support is not Support.UNSUPPORTED
        for c in s.citations:
            assert c.verified and c.support is not None, c
            assert (root / c.path).read_text(encoding="utf-8")[c.start:c.end] == c.quote


# -- extractive ------------------------------------------------------------------------------

def test_every_sentence_is_a_verified_quote_of_the_raw_file(seeds_kit: Kit) -> None:
    summaries = seeds_kit.summarize(max_sentences=8)
    assert summaries and sum(len(s.shown) for s in summaries) >= 4
    for summary in summaries:
        assert summary.mode == "extractive"
        assert_cited_from_file(summary, SEEDS)
        assert all(c.support is Support.SUPPORTED for c in summary.claims)
        for s in summary.shown:
            # The extractive sentence is its own quote (whitespace collapsed), never a paraphrase.
            assert s.text == " ".join(s.citations[0].quote.split())


WIRE = [
    "The harbour authority closed the northern port on Tuesday after a storm damaged two cranes.",
    "Engineers expect repairs to the damaged cranes to take at least three weeks.",
    "Shipping companies rerouted forty container vessels to the southern terminal.",
]


def test_no_two_summary_sentences_are_near_duplicates(tmp_path: Path) -> None:
    # The same wire copy runs in three papers, once with a word changed: the most central
    # sentences of the topic are copies of each other, which is what the summary must not repeat.
    corpus = tmp_path / "papers"
    corpus.mkdir()
    local = ["Local fishermen said the storm was the worst they could remember in decades.",
             "The mayor promised emergency funds for the families whose boats were wrecked."]
    for n, extra in enumerate([*local, ""]):
        lines = [w.replace("Tuesday", "Tuesday morning") if n == 2 else w for w in WIRE]
        (corpus / f"paper{n}.txt").write_text(" ".join([*lines, extra]).strip() + "\n", encoding="utf-8")
    k = kit.open(store_dir=str(tmp_path / "store"), embedder="hash", llm="extractive")
    k.ingest(corpus)
    chunks, _ = k.store.all_vectors()
    summary = extractive_summary(Topic(1, "storm", (), tuple(chunks)), k.embedder, k.context(),
                                 max_sentences=10)
    texts = [s.text for s in summary.shown]
    assert len(texts) >= 3
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert not _near_duplicates(texts[i], texts[j]), (texts[i], texts[j])
    assert_cited_from_file(summary, tmp_path)  # stored names are relative to the store's base


@pytest.mark.parametrize("budget", [12, 40, 90])
def test_word_budget_is_respected(seeds_kit: Kit, budget: int) -> None:
    chunks, _ = seeds_kit.store.all_vectors()
    topic = Topic(1, "all", (), tuple(chunks))
    evidence = seeds_kit.context()
    summary = extractive_summary(topic, seeds_kit.embedder, evidence, max_sentences=50, max_words=budget)
    assert sum(len(s.text.split()) for s in summary.shown) <= budget
    assert summary.shown, "some seed sentence is shorter than every budget tried"
    unbounded = extractive_summary(topic, seeds_kit.embedder, evidence, max_sentences=50)
    assert sum(len(s.text.split()) for s in unbounded.shown) > budget  # the budget did the cutting


def test_sentence_budget_is_respected(seeds_kit: Kit) -> None:
    for n in (1, 3):
        assert all(len(s.claims) <= n for s in seeds_kit.summarize(max_sentences=n))


# -- LLM map-reduce --------------------------------------------------------------------------

def passages(messages: Sequence[Message]) -> dict[int, str]:
    user = messages[-1].content
    found = re.findall(r'<passage key="(\d+)"[^>]*>\n(.*?)\n</passage>', user, re.S)
    return {int(k): copied(body) for k, body in found}


def claim_sentences(text: str, n: int) -> list[str]:
    return [s.text for s in sentences(text) if len(s.text.split()) >= 6][:n]


def map_reply(messages: Sequence[Message], per_passage: int = 2) -> str:
    """A model that restates the first sentences of each passage and quotes them exactly."""
    items = [{"text": " ".join(s.split()), "quotes": [{"passage": key, "quote": s}]}
             for key, body in passages(messages).items() for s in claim_sentences(body, per_passage)]
    return json.dumps({"sentences": items})


def reduce_reply(messages: Sequence[Message]) -> str:
    """A model that keeps every claim as a sentence with its passage keys."""
    items = []
    for line in messages[-1].content.splitlines():
        if m := re.fullmatch(r"- (.*?) ((?:\[\d+\])+)", line.strip()):
            keys = [int(k) for k in re.findall(r"\d+", m.group(2))]
            items.append({"text": m.group(1), "quotes": [{"passage": k, "quote": ""} for k in keys]})
    return json.dumps({"sentences": items})


def is_reduce(messages: Sequence[Message]) -> bool:
    return "Claims with their passage keys" in messages[-1].content


def seeds_topic(k: Kit, n: int | None = None) -> Topic:
    chunks, _ = k.store.all_vectors()
    return Topic(1, "Russian air strikes in Syria", (), tuple(chunks[:n]))


# A context this small holds about 2,500 characters of passages next to the map prompt and the
# 512-token reply reserve, so the seeds topic needs several map batches.
SMALL_CONTEXT = 1450


def map_batches(topic: Topic, chat: FunctionChat) -> list[list[int]]:
    fixed = load_prompt("summarize_map").render(topic=topic.title, passages="")
    return passage_batches(chat, fixed, list(topic.chunks))[0]


def test_map_reduce_carries_citations_through_the_reduce_step(seeds_kit: Kit) -> None:
    topic = seeds_topic(seeds_kit)
    map_claims: dict[str, dict[str, Any]] = {}

    def model(messages: Sequence[Message]) -> str:
        if is_reduce(messages):
            return reduce_reply(messages)
        reply = map_reply(messages)
        for item in json.loads(reply)["sentences"]:
            map_claims[item["text"]] = item["quotes"][0]
        return reply

    chat = FunctionChat(model, context_window=SMALL_CONTEXT)
    n_batches = len(map_batches(topic, chat))
    assert n_batches >= 4
    summary = llm_summary(topic, chat, seeds_kit.embedder, seeds_kit.context())
    # The claims do not fit one reduce prompt in this context either: they are merged in groups.
    n_reduce = sum(map(is_reduce, chat.requests))
    assert n_reduce >= 1 and len(chat.requests) == n_batches + n_reduce and is_reduce(chat.requests[-1])
    assert [t["prompt"] for t in summary.traces] == ["summarize_map"] * n_batches + ["summarize_reduce"] * n_reduce
    assert all(t["counted_prompt_tokens"] <= SMALL_CONTEXT - chat.reply_tokens for t in summary.traces)
    assert summary.mode == "llm" and len(summary.shown) == len(summary.claims) == len(map_claims) > 8
    by_key = {c.key: c for c in summary.citations}
    for s in summary.shown:
        # The reduced sentence keeps the very quote its claim had, even where two claims cite
        # the same passage with different quotes.
        wanted = map_claims[s.text]
        assert [" ".join(by_key[k].quote.split()) for k in s.keys] == [" ".join(wanted["quote"].split())]
        assert s.citations[0].path == topic.chunks[wanted["passage"] - 1].path
    assert_cited_from_file(summary, SEEDS)
    # Every passage of the topic was sent once, under its global key.
    sent = [key for r in chat.requests if not is_reduce(r) for key in passages(r)]
    assert sorted(sent) == list(range(1, len(topic.chunks) + 1))


def test_invented_keys_and_made_up_quotes_are_dropped_and_noted(seeds_kit: Kit) -> None:
    topic = seeds_topic(seeds_kit, 3)
    made_up = "Penguins voted to close the umbrella factory."
    reals: list[str] = []

    def model(messages: Sequence[Message]) -> str:
        key, body = next(iter(passages(messages).items()))
        real = " ".join(claim_sentences(body, 1)[0].split())
        reals.append(real)
        return json.dumps({"sentences": [
            {"text": real, "quotes": [{"passage": key, "quote": real}]},
            {"text": "A claim backed by a passage nobody gave.", "quotes": [{"passage": 99, "quote": real}]},
            {"text": made_up, "quotes": [{"passage": key, "quote": made_up}]},
            {"text": "Partly backed.", "quotes": [{"passage": key, "quote": real}, {"passage": 77, "quote": "x"}]},
        ]})

    summary = llm_summary(topic, FunctionChat(model), seeds_kit.embedder, seeds_kit.context())
    assert [s.text for s in summary.shown] == [reals[0]]
    unsupported = {s.text: s.reasons for s in summary.unsupported}
    assert unsupported["A claim backed by a passage nobody gave."] == ("cites passage [99], which it was not given",)
    assert unsupported[made_up] == ("its quote is not in passage [1]",)
    # A real quote under an empty claim: the quote checks out, the claim is not what it says.
    assert "no content words shared with the quote" in unsupported["Partly backed."]
    assert any("3 quotes rejected" in n for n in summary.notes), summary.notes
    assert any("3 sentences are not supported" in n for n in summary.notes), summary.notes
    assert_cited_from_file(summary, SEEDS)


def test_reduce_step_cannot_add_keys(seeds_kit: Kit) -> None:

    def model(messages: Sequence[Message]) -> str:
        if not is_reduce(messages):
            return map_reply(messages)
        kept = json.loads(reduce_reply(messages))["sentences"][:2]
        invented = {"text": "A merged claim citing a key no claim had.", "quotes": [{"passage": 500, "quote": ""}]}
        return json.dumps({"sentences": [*kept, invented]})

    chat = FunctionChat(model, context_window=SMALL_CONTEXT)
    summary = llm_summary(seeds_topic(seeds_kit), chat, seeds_kit.embedder, seeds_kit.context())
    n_reduce = sum(map(is_reduce, chat.requests))
    assert len(summary.shown) == 2 * n_reduce and all(c.support is Support.SUPPORTED for c in summary.shown)
    assert all(c.path for c in summary.citations)
    assert len(summary.unsupported) == n_reduce
    assert {c.reasons for c in summary.unsupported} == {("cites passage [500], which it was not given",)}


def test_summaries_over_the_openai_protocol(seeds_kit: Kit) -> None:

    def server_reply(request: dict[str, Any]) -> str:
        messages = [Message(m["role"], m["content"]) for m in request["messages"]]
        return reduce_reply(messages) if is_reduce(messages) else map_reply(messages, per_passage=1)

    with FakeOpenAI(server_reply) as server:
        k = kit.open(store_dir=seeds_kit.settings.store_dir, embedder="hash", llm="openai",
                     llm_base_url=server.base_url, api_key="sk-test", llm_model="test-model", llm_timeout=5.0,
                     llm_context=1900, judge="offline")  # the model's check of claims: test_llm_judge
        summaries = k.summarize([seeds_topic(seeds_kit)])
    summary = summaries[0]
    assert summary.mode == "llm" and summary.backend == "openai:test-model"
    assert len(server.requests) == len(summary.traces) >= 3
    assert all(r["response_format"]["json_schema"]["name"] == "cited_claims" for r in server.requests)
    assert summary.traces[-1]["prompt"] == "summarize_reduce" and summary.traces[0]["prompt_tokens"] == 120
    assert len(summary.shown) > 8
    assert_cited_from_file(summary, SEEDS)


def test_a_named_topic_no_passage_is_about_gets_not_in_the_documents(seeds_kit: Kit) -> None:
    off, on = seeds_kit.summarize(["football transfers", "cruise missiles"])
    assert not off.found and off.claims == [] and off.text == TopicSummary.NOT_FOUND
    assert on.found and on.shown


@pytest.mark.parametrize("reply", ['{"sentences": []}', "I cannot summarise this."], ids=["no sentence", "not JSON"])
def test_a_model_that_writes_nothing_leaves_a_note_not_a_blank_summary(seeds_kit: Kit, reply: str) -> None:
    topic = seeds_topic(seeds_kit, 3)
    summary = llm_summary(topic, FunctionChat(lambda _messages: reply), seeds_kit.embedder, seeds_kit.context())
    assert not summary.claims
    assert f"the model wrote no sentence about this topic from its {len(topic.chunks)} passages" in " ".join(
        summary.notes)
