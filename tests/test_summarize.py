"""Topic summaries: every sentence is a verified quote, none repeats another, budgets hold, and the
LLM map-reduce path keeps citations through the reduce step and drops what does not check out.

The chat doubles and the local HTTP server prove plumbing, not quality (bench/eval_topics.py
measures quality on MultiLing 2011).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import kit
import kit.summarize as summarize
from kit.api import Kit
from kit.llm import FunctionChat, Message
from kit.summarize import extractive_summary, llm_summary
from kit.text import sentences
from kit.types import Topic, TopicSummary
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
    for s in summary.sentences:
        assert s.citations, f"uncited sentence: {s.text!r}"
        assert any(c.verified for c in s.citations)
        for c in s.citations:
            assert c.verified, c.check
            assert (root / c.path).read_text(encoding="utf-8")[c.start:c.end] == c.quote


# -- extractive ------------------------------------------------------------------------------

def test_every_sentence_is_a_verified_quote_of_the_raw_file(seeds_kit: Kit) -> None:
    summaries = seeds_kit.summarize(max_sentences=8)
    assert summaries and sum(len(s.sentences) for s in summaries) >= 4
    for summary in summaries:
        assert summary.mode == "extractive"
        assert_cited_from_file(summary, SEEDS)
        for s in summary.sentences:
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
    summary = extractive_summary(Topic(1, "storm", (), tuple(chunks)), k.embedder, k.sources(), max_sentences=10)
    texts = [s.text for s in summary.sentences]
    assert len(texts) >= 3
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert not _near_duplicates(texts[i], texts[j]), (texts[i], texts[j])
    assert_cited_from_file(summary, tmp_path)  # stored names are relative to the store's base


@pytest.mark.parametrize("budget", [12, 40, 90])
def test_word_budget_is_respected(seeds_kit: Kit, budget: int) -> None:
    chunks, _ = seeds_kit.store.all_vectors()
    topic = Topic(1, "all", (), tuple(chunks))
    summary = extractive_summary(topic, seeds_kit.embedder, seeds_kit.sources(), max_sentences=50, max_words=budget)
    assert sum(len(s.text.split()) for s in summary.sentences) <= budget
    assert summary.sentences, "some seed sentence is shorter than every budget tried"
    unbounded = extractive_summary(topic, seeds_kit.embedder, seeds_kit.sources(), max_sentences=50)
    assert sum(len(s.text.split()) for s in unbounded.sentences) > budget  # the budget did the cutting


def test_sentence_budget_is_respected(seeds_kit: Kit) -> None:
    for n in (1, 3):
        assert all(len(s.sentences) <= n for s in seeds_kit.summarize(max_sentences=n))


# -- LLM map-reduce --------------------------------------------------------------------------

def passages(messages: Sequence[Message]) -> dict[int, str]:
    user = messages[-1].content
    found = re.findall(r'<passage key="(\d+)"[^>]*>\n(.*?)\n</passage>', user, re.S)
    return {int(k): html.unescape(body) for k, body in found}


def claim_sentences(text: str, n: int) -> list[str]:
    return [s.text for s in sentences(text) if len(s.text.split()) >= 6][:n]


def map_reply(messages: Sequence[Message], per_passage: int = 2) -> str:
    """A model that states the first sentences of each passage and quotes them exactly."""
    items = [{"text": f"Passage {key} reports: " + " ".join(s.split()), "quotes": [{"passage": key, "quote": s}]}
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


def test_map_reduce_carries_citations_through_the_reduce_step(seeds_kit: Kit,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summarize, "BATCH_CHARS", 2500)
    topic = seeds_topic(seeds_kit)
    n_batches = len(summarize.batches(list(topic.chunks)))
    assert n_batches >= 4
    map_claims: dict[str, dict[str, Any]] = {}

    def model(messages: Sequence[Message]) -> str:
        if is_reduce(messages):
            return reduce_reply(messages)
        reply = map_reply(messages)
        for item in json.loads(reply)["sentences"]:
            map_claims[item["text"]] = item["quotes"][0]
        return reply

    chat = FunctionChat(model)
    summary = llm_summary(topic, chat, seeds_kit.embedder, seeds_kit.sources())
    assert len(chat.requests) == n_batches + 1 and is_reduce(chat.requests[-1])
    assert [t["prompt"] for t in summary.traces] == ["summarize_map"] * n_batches + ["summarize_reduce"]
    assert summary.mode == "llm" and len(summary.sentences) == len(map_claims) > 8
    for s in summary.sentences:
        # The reduced sentence keeps the very quote its claim had, even where two claims cite
        # the same passage with different quotes.
        wanted = map_claims[s.text]
        assert [(c.key, " ".join(c.quote.split())) for c in s.citations] == [
            (wanted["passage"], " ".join(wanted["quote"].split()))]
    assert_cited_from_file(summary, SEEDS)
    # Every passage of the topic was sent once, under its global key.
    sent = [key for r in chat.requests[:-1] for key in passages(r)]
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

    summary = llm_summary(topic, FunctionChat(model), seeds_kit.embedder, seeds_kit.sources())
    texts = [s.text for s in summary.sentences]
    assert texts == [reals[0], "Partly backed."]
    assert [c.key for s in summary.sentences for c in s.citations] == [1, 1]
    assert any("2 sentences dropped" in n for n in summary.notes), summary.notes
    assert any("3 quotes rejected" in n for n in summary.notes), summary.notes
    assert_cited_from_file(summary, SEEDS)


def test_reduce_step_cannot_add_keys(seeds_kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summarize, "BATCH_CHARS", 2500)

    def model(messages: Sequence[Message]) -> str:
        if not is_reduce(messages):
            return map_reply(messages)
        kept = json.loads(reduce_reply(messages))["sentences"][:2]
        invented = {"text": "A merged claim citing a key no claim had.", "quotes": [{"passage": 500, "quote": ""}]}
        return json.dumps({"sentences": [*kept, invented]})

    summary = llm_summary(seeds_topic(seeds_kit), FunctionChat(model), seeds_kit.embedder, seeds_kit.sources())
    assert len(summary.sentences) == 2
    assert all(c.key != 500 for c in summary.citations)
    assert any("1 sentences dropped" in n for n in summary.notes), summary.notes


def test_summaries_over_the_openai_protocol(seeds_kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summarize, "BATCH_CHARS", 4000)

    def server_reply(request: dict[str, Any]) -> str:
        messages = [Message(m["role"], m["content"]) for m in request["messages"]]
        return reduce_reply(messages) if is_reduce(messages) else map_reply(messages, per_passage=1)

    with FakeOpenAI(server_reply) as server:
        k = kit.open(store_dir=seeds_kit.settings.store_dir, embedder="hash", llm="openai",
                     llm_base_url=server.base_url, api_key="sk-test", llm_model="test-model", llm_timeout=5.0)
        summaries = k.summarize([seeds_topic(seeds_kit)])
    summary = summaries[0]
    assert summary.mode == "llm" and summary.backend == "openai:test-model"
    assert len(server.requests) == len(summary.traces) >= 3
    assert all(r["response_format"]["json_schema"]["name"] == "cited_claims" for r in server.requests)
    assert summary.traces[-1]["prompt"] == "summarize_reduce" and summary.traces[0]["prompt_tokens"] == 120
    assert len(summary.sentences) > 8
    assert_cited_from_file(summary, SEEDS)
