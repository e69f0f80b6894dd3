"""The chat protocol every backend implements, and what one call leaves behind (a trace).

Every backend turns messages into one completion (`complete`) and tells how big a prompt it
takes (`context_window`, `reply_tokens`) and how many tokens a text costs (`count_tokens`), so
`budget` can pack prompts to fit. The backends live beside this module: `openai` (OpenAI or any
compatible server), `gguf` (a model file run in process) and `testing` (doubles for tests);
`backends.chat_backend` picks one by name. This module calls no model.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from kit.errors import LLMErrorKind as Kind

log = logging.getLogger("kit.trace")

# English prose runs ≈ 4 characters per token in GPT-style tokenizers; 3.5 over-counts a little
# so an estimated prompt errs on the side of fitting. Servers' usage figures lower it further.
CHARS_PER_TOKEN = 3.5
# Context assumed for an OpenAI-compatible server when KIT_LLM_CONTEXT is 0: every current
# hosted chat model and the usual local setups (Ollama's 8k default, llama.cpp -c 8192) hold it.
DEFAULT_SERVER_CONTEXT = 8192


@dataclass(frozen=True)
class Message:
    role: str
    content: str


@dataclass(frozen=True)
class ChatResult:
    """One completion: text plus what the server reported about it."""

    text: str
    model: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None


class ChatBackend(Protocol):
    """Anything that turns messages into one completion and knows its token budget."""

    name: str
    context_window: int  # tokens the model takes, prompt and reply together
    reply_tokens: int  # tokens reserved for the reply, sent as max_tokens

    def count_tokens(self, text: str) -> int: ...

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult: ...


@runtime_checkable
class ClaimScorer(Protocol):
    """A backend that can say how likely its model's next word is "Yes" rather than "No" (from the
    log-probabilities of a one-token reply). kit's LLM check uses it when a backend has it: one
    forward pass per claim, a graded answer instead of a generated verdict."""

    def yes_probability(self, messages: Sequence[Message]) -> float: ...


def yes_share(top: Sequence[tuple[str, float]]) -> float | None:
    """P(yes) / (P(yes) + P(no)) from (token, log-probability) pairs of the reply's first token;
    None when neither word is among them. Case and spaces aside: " Yes", "yes" and "YES" count."""
    yes = sum(math.exp(lp) for tok, lp in top if tok.strip().lower() == "yes")
    no = sum(math.exp(lp) for tok, lp in top if tok.strip().lower() == "no")
    return yes / (yes + no) if yes + no > 0 else None


def estimate_tokens(text: str, chars_per_token: float = CHARS_PER_TOKEN) -> int:
    """A stated estimate for backends without their tokenizer at hand: characters / 3.5, rounded up."""
    return math.ceil(len(text) / chars_per_token)


@dataclass
class Trace:
    """What one LLM call did, for logs and reports (never the API key)."""

    prompt: str
    prompt_version: int
    model: str
    passage_ids: list[str]
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    seconds: float = 0.0
    finish_reason: str | None = None
    counted_prompt_tokens: int | None = None  # kit's own count before the call (see budget.py)
    context_window: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def traced_call(backend: ChatBackend, messages: Sequence[Message], trace: Trace,
                json_schema: dict[str, Any] | None = None) -> ChatResult:
    """Call the backend, fill in the trace and log it as one JSON line."""
    started = time.perf_counter()
    if trace.counted_prompt_tokens is None:
        trace.counted_prompt_tokens = sum(backend.count_tokens(m.content) for m in messages)
    trace.context_window = backend.context_window
    result = backend.complete(messages, json_schema)
    trace.seconds = round(time.perf_counter() - started, 3)
    trace.model, trace.finish_reason = result.model, result.finish_reason
    trace.prompt_tokens, trace.completion_tokens = result.prompt_tokens, result.completion_tokens
    log.info(json.dumps(trace.to_dict()))
    return result


def status_kind(status: int, body: dict[str, Any]) -> Kind:
    """The kind of an HTTP error, from its status and the error's own code/type fields."""
    if status in (401, 403):
        return Kind.AUTH
    if status == 429:
        return Kind.RATE_LIMITED
    if status >= 500:
        return Kind.SERVER_ERROR
    # OpenAI and vLLM: code "context_length_exceeded"; llama.cpp: type "exceed_context_size_error".
    if {body.get("code"), body.get("type")} & {"context_length_exceeded", "exceed_context_size_error"}:
        return Kind.CONTEXT_OVERFLOW
    return Kind.BAD_REQUEST


def json_object(reply: str) -> dict[str, Any] | None:
    """The JSON object in a model reply (bare, or wrapped in prose or code fences), if any."""
    for candidate in (reply, reply[reply.find("{"):reply.rfind("}") + 1]):
        try:
            data = json.loads(candidate)
        except (json.JSONDecodeError, ValueError):
            continue
        if isinstance(data, dict):
            return data
    return None
