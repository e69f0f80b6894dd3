"""Test doubles for the chat protocol: they go through the same budgets, parsing and checks.

`FunctionChat` computes each reply from the messages (e.g. one that invents a passage key, to
prove such keys are dropped); `ScriptedChat` replies with given texts in turn. Both record what
they were sent. A double proves plumbing, never answer quality.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kit.errors import LLMError
from kit.llm.base import DEFAULT_SERVER_CONTEXT, ChatResult, Message, estimate_tokens


@dataclass
class FunctionChat:
    """Test double: a function computes each reply from the messages; every request is recorded."""

    function: Callable[[Sequence[Message]], str]
    name: str = "function"
    requests: list[list[Message]] = field(default_factory=list)
    context_window: int = DEFAULT_SERVER_CONTEXT
    reply_tokens: int = 512
    parameters: int | None = None  # a local model's weight count, as GGUFChat reads it from its file header

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        self.requests.append(list(messages))
        return ChatResult(self.function(messages), self.name, finish_reason="stop")


class ScriptedChat(FunctionChat):
    """Test double: replies with the given texts in turn (an LLMError when they run out)."""

    def __init__(self, replies: list[str], context_window: int = DEFAULT_SERVER_CONTEXT,
                 reply_tokens: int = 512) -> None:
        super().__init__(self._next, "scripted", context_window=context_window, reply_tokens=reply_tokens)
        self.replies = replies

    def _next(self, messages: Sequence[Message]) -> str:
        if not self.replies:
            raise LLMError("scripted backend ran out of replies")
        return self.replies.pop(0)


@dataclass
class ScoringChat(FunctionChat):
    """Test double of a backend with log-probabilities: `score` gives P(yes) for the messages of a
    one-token Yes/No question (it may raise, or sleep, to stand for a failing or slow model)."""

    score: Callable[[Sequence[Message]], float] = lambda _messages: 1.0
    scored: list[list[Message]] = field(default_factory=list)

    def yes_probability(self, messages: Sequence[Message]) -> float:
        self.scored.append(list(messages))
        return self.score(messages)
