"""Token budgets: fit passages into a model's context window, with room kept for the reply.

The room for a prompt is the backend's `context_window` minus `reply_tokens` minus a small
margin; texts are counted with the backend's `count_tokens` (the model's own tokenizer for
GGUF, a stated estimate tightened by usage figures for servers). Passages go in rank order;
the first one that does not fit whole is cut at a sentence boundary when a useful part fits,
and everything after it is left out, each with a note. A prompt whose fixed part (instructions
and question) leaves no room is a clear `LLMConfigError`, never a silent truncation by a server;
an overflow the server still reports gets one smaller retry. This module does not render prompts
or parse replies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kit.errors import LLMError, LLMErrorKind
from kit.llm.base import ChatBackend, ChatResult, Message, Trace, traced_call
from kit.llm.prompts import passage_block
from kit.text import plural, sentences
from kit.types import Chunk, Hit

# Chat templates wrap each message in role markers: 5 tokens in ChatML (SmolLM2, Qwen) and in
# Llama 3's headers; 8 per message, plus a 16-token margin per prompt, covers both.
MESSAGE_OVERHEAD = 8
MARGIN = 16
# A cut passage is worth sending only if this much of it fits (≈ two sentences of news prose).
MIN_CUT_TOKENS = 48
# On an overflow the server still reports, the retry packs into three quarters of the room.
RETRY_SHRINK = 0.75


@dataclass
class Packed:
    """The passages that fit, in rank order (the last may be cut), and what was cut or left out."""

    hits: list[Hit]
    counted_tokens: int  # the whole prompt, as counted
    notes: list[str] = field(default_factory=list)


def room(backend: ChatBackend, shrink: float = 1.0) -> int:
    """Prompt tokens the backend takes with its reply reserve kept free."""
    return int((backend.context_window - backend.reply_tokens - MARGIN) * shrink)


def fixed_tokens(backend: ChatBackend, parts: Sequence[str]) -> int:
    """Tokens of the prompt without its passages: every message plus the template's overhead."""
    return sum(backend.count_tokens(p) + MESSAGE_OVERHEAD for p in parts)


Block = Callable[[Chunk, int], str]  # one passage as the prompt shows it, under its key


def pack_passages(backend: ChatBackend, parts: Sequence[str], hits: Sequence[Hit], shrink: float = 1.0,
                  block: Block = passage_block) -> Packed:
    """Hits that fit next to the prompt's fixed `parts`, in order, each costed as `block` shows it;
    one may be cut at a sentence end."""
    capacity = room(backend, shrink)
    used = fixed_tokens(backend, parts)
    if used >= capacity:
        raise too_long(backend, f"the instructions and question alone need {used} tokens")
    packed = Packed([], used)
    for n, hit in enumerate(hits):
        cost = backend.count_tokens(block(hit.chunk, n + 1))
        if used + cost <= capacity:
            packed.hits.append(hit)
            used += cost
            continue
        cut = cut_to_fit(backend, hit.chunk, capacity - used, n + 1, block)
        if cut is not None:
            packed.hits.append(replace(hit, chunk=cut))
            used += backend.count_tokens(block(cut, n + 1))
            packed.notes.append(f"passage {n + 1} ({hit.chunk.path}) was cut at a sentence boundary to fit "
                                f"the model's context ({backend.context_window} tokens)")
        left = len(hits) - len(packed.hits)
        if left:
            packed.notes.append(f"{left} of {plural(len(hits), 'passage')} left out: the model's context ("
                                f"{backend.context_window} tokens, {backend.reply_tokens} kept for the reply) was full")
        break
    if hits and not packed.hits:
        raise too_long(backend, f"not one sentence of the best passage fits next to the prompt ({used} tokens)")
    packed.counted_tokens = used
    return packed


def cut_to_fit(backend: ChatBackend, chunk: Chunk, budget: int, key: int = 1,
               block: Block = passage_block) -> Chunk | None:
    """The longest run of whole leading sentences of `chunk` within `budget` tokens, as a chunk
    whose span still matches its text (so citations into it stay exact); None if too little fits."""
    if budget < MIN_CUT_TOKENS:
        return None
    ends = [s.end for s in sentences(chunk.text)]
    lo, hi, best = 0, len(ends) - 1, None
    while lo <= hi:  # binary search: a few tokenizer calls instead of one per sentence
        mid = (lo + hi) // 2
        candidate = chunk.head(ends[mid])
        if backend.count_tokens(block(candidate, key)) <= budget:
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    return best


def group_by_tokens(costs: Sequence[int], capacity: int) -> list[list[int]]:
    """Indexes grouped in order so that each group's costs add up to at most `capacity`
    (an item bigger than `capacity` gets a group of its own)."""
    groups: list[list[int]] = [[]]
    size = 0
    for i, cost in enumerate(costs):
        if groups[-1] and size + cost > capacity:
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += cost
    return [g for g in groups if g]


def passage_batches(backend: ChatBackend, parts: Sequence[str], chunks: list[Chunk]
                    ) -> tuple[list[list[int]], list[Chunk], list[str]]:
    """(batches of chunk indexes, chunks with any too-long one cut, notes) for map steps: each
    batch fits next to the prompt's fixed `parts`."""
    capacity = room(backend) - fixed_tokens(backend, parts)
    if capacity < MIN_CUT_TOKENS:
        raise too_long(backend, f"the summary instructions alone need {room(backend) - capacity} tokens")
    out = list(chunks)
    notes: list[str] = []
    costs = []
    for i, chunk in enumerate(chunks):
        cost = backend.count_tokens(passage_block(chunk, i + 1))
        if cost > capacity and (cut := cut_to_fit(backend, chunk, capacity, i + 1)) is not None:
            out[i] = cut
            cost = backend.count_tokens(passage_block(cut, i + 1))
            notes.append(f"passage {i + 1} ({chunk.path}) was cut at a sentence boundary to fit the model's context")
        costs.append(cost)
    batches = group_by_tokens(costs, capacity)
    dropped = [b for b in batches if len(b) == 1 and costs[b[0]] > capacity]
    if dropped:
        notes.append(f"{plural(len(dropped), 'passage')} left out: not even one sentence fits the model's context")
    return [b for b in batches if b not in dropped], out, notes


def line_groups(backend: ChatBackend, parts: Sequence[str], lines: Sequence[str]) -> list[list[int]]:
    """Lines (e.g. claims for a reduce step) grouped so each group fits next to `parts`."""
    capacity = room(backend) - fixed_tokens(backend, parts)
    return group_by_tokens([backend.count_tokens(line) + 1 for line in lines], max(capacity, 1))


def fit_and_call(backend: ChatBackend, render: Callable[[list[Hit]], tuple[str, str]], hits: Sequence[Hit],
                 trace: Trace, json_schema: dict[str, Any] | None = None,
                 block: Block = passage_block) -> tuple[ChatResult, Packed]:
    """Pack `hits` into the prompt `render` builds (each passage costed as `block`, the form
    `render` gives it), call the backend, and return the reply with what was packed. A context
    overflow the server still reports gets one retry in 3/4 of the room."""
    for shrink in (1.0, RETRY_SHRINK):
        packed = pack_passages(backend, render([]), hits, shrink, block)
        system, user = render(packed.hits)
        trace.counted_prompt_tokens = packed.counted_tokens
        trace.passage_ids = [h.chunk.id for h in packed.hits]
        try:
            return traced_call(backend, [Message("system", system), Message("user", user)], trace,
                               json_schema), packed
        except LLMError as exc:
            if exc.kind is not LLMErrorKind.CONTEXT_OVERFLOW or shrink != 1.0:
                raise
    raise AssertionError("unreachable: the loop returns or raises")


def too_long(backend: ChatBackend, what: str) -> LLMError:
    return LLMError.of(
        LLMErrorKind.CONTEXT_OVERFLOW,
        f"{what}, but the model's context is {backend.context_window} tokens with "
        f"{backend.reply_tokens} kept for the reply; shorten the question, or raise KIT_LLM_CONTEXT "
        "(or lower KIT_LLM_MAX_TOKENS)")
