"""Token budgets: passages packed into the context with room for the reply, cut only at sentence ends."""

from __future__ import annotations

import pytest

from kit.errors import LLMConfigError, LLMErrorKind
from kit.llm.base import estimate_tokens
from kit.llm.budget import MARGIN, MESSAGE_OVERHEAD, group_by_tokens, pack_passages, room
from kit.llm.prompts import passage_block
from kit.llm.testing import ScriptedChat
from kit.types import Chunk, Hit

RAW = ("Russia launched 26 cruise missiles on Friday. The strikes hit targets in Raqqa and Deir Ezzor. "
       "Officials said the campaign would continue for weeks. ") * 4


def hit(n: int, text: str = RAW[:150]) -> Hit:
    start = 1000 * n
    return Hit(Chunk(f"id{n}", f"doc{n}.txt", start, start + len(text), "article", text, "sha"), 1.0 / (n + 1))


def chat(context: int, reply: int = 100) -> ScriptedChat:
    return ScriptedChat([], context_window=context, reply_tokens=reply)


def test_everything_fits_in_a_large_context() -> None:
    hits = [hit(n) for n in range(5)]
    packed = pack_passages(chat(8192), ["system", "question"], hits)
    assert packed.hits == hits and not packed.notes
    assert packed.counted_tokens == sum(estimate_tokens(p) + MESSAGE_OVERHEAD for p in ["system", "question"]) + sum(
        estimate_tokens(passage_block(h.chunk, i + 1)) for i, h in enumerate(hits))


def test_passages_past_the_room_are_left_out_with_a_note_and_the_total_fits() -> None:
    hits = [hit(n) for n in range(5)]
    backend = chat(300)
    packed = pack_passages(backend, ["system prompt", "the question"], hits)
    assert 0 < len(packed.hits) < 5 and packed.hits == hits[:len(packed.hits)]
    assert packed.counted_tokens <= room(backend) == 300 - 100 - MARGIN
    assert any("passages left out" in n and "300 tokens" in n for n in packed.notes), packed.notes


def test_a_passage_too_long_is_cut_at_a_sentence_boundary_and_keeps_its_span() -> None:
    long = hit(0, RAW)
    packed = pack_passages(chat(260), ["s", "q"], [long])
    cut = packed.hits[0].chunk
    assert len(cut.text) < len(RAW) and RAW.startswith(cut.text)
    assert cut.text.rstrip().endswith(".") and cut.end - cut.start == len(cut.text)  # a span still exact
    assert cut.id == long.chunk.id
    assert any("cut at a sentence boundary" in n for n in packed.notes)


def test_a_prompt_longer_than_the_context_is_a_clear_error() -> None:
    with pytest.raises(LLMConfigError) as err:
        pack_passages(chat(400), ["s", "why? " * 400], [hit(0)])
    assert err.value.kind is LLMErrorKind.CONTEXT_OVERFLOW
    assert "KIT_LLM_CONTEXT" in str(err.value) and "400 tokens" in str(err.value)


def test_reply_reserve_is_kept_free() -> None:
    hits = [hit(n) for n in range(5)]
    small_reply = pack_passages(chat(600, reply=50), ["s", "q"], hits)
    big_reply = pack_passages(chat(600, reply=400), ["s", "q"], hits)
    assert len(big_reply.hits) < len(small_reply.hits)


def test_groups_respect_capacity_in_order() -> None:
    assert group_by_tokens([5, 5, 5, 20, 1], 10) == [[0, 1], [2], [3], [4]]
    assert group_by_tokens([], 10) == []
