"""Chat backends behind one protocol: OpenAI-compatible servers and honest test doubles.

`OpenAIChat` talks to OpenAI or any compatible server (Ollama, vLLM, llama.cpp) through the
openai SDK with bounded timeouts and retries (the SDK's defaults can block for 30 minutes on a
hung server). Failures become `LLMError`s that say what to change and never include the key.
`ScriptedChat` and `FunctionChat` implement the same protocol for tests: they record what
they were sent and go through the same parsing and citation checks as a real model.
The offline extractive answerer needs no chat backend and lives in `answer.py`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError

log = logging.getLogger("kit.trace")


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
    """Anything that turns messages into one completion."""

    name: str

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult: ...


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

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def traced_call(backend: ChatBackend, messages: Sequence[Message], trace: Trace,
                json_schema: dict[str, Any] | None = None) -> ChatResult:
    """Call the backend, fill in the trace and log it as one JSON line."""
    started = time.perf_counter()
    result = backend.complete(messages, json_schema)
    trace.seconds = round(time.perf_counter() - started, 3)
    trace.model, trace.finish_reason = result.model, result.finish_reason
    trace.prompt_tokens, trace.completion_tokens = result.prompt_tokens, result.completion_tokens
    log.info(json.dumps(trace.to_dict()))
    return result


def openai_client(settings: Settings) -> Any:
    """An openai SDK client with the kit's timeout and retry policy."""
    import openai

    key = settings.resolved_api_key()
    if not key and not settings.llm_base_url:
        raise LLMConfigError("the openai backend needs an API key: set KIT_API_KEY or OPENAI_API_KEY "
                       "(or KIT_LLM_BASE_URL for a local server such as Ollama)")
    return openai.OpenAI(api_key=key or "not-needed", base_url=settings.llm_base_url,
                         timeout=settings.llm_timeout, max_retries=settings.llm_max_retries)


class OpenAIChat:
    """Chat completions from OpenAI or an OpenAI-compatible server."""

    def __init__(self, settings: Settings) -> None:
        self.client = openai_client(settings)
        self.model = settings.llm_model
        self.name = f"openai:{self.model}"
        self.where = settings.llm_base_url or "api.openai.com"
        self._schema_supported = True

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        if json_schema is not None and self._schema_supported:
            try:
                return self._create(payload, {"type": "json_schema", "json_schema": json_schema})
            except LLMConfigError as exc:
                if "(400)" not in str(exc):
                    raise
                self._schema_supported = False  # server lacks structured output: use markers
        return self._create(payload, None)

    def _create(self, payload: list[dict[str, str]], response_format: dict[str, Any] | None) -> ChatResult:
        import openai

        extra: dict[str, Any] = {"response_format": response_format} if response_format else {}
        try:
            response = self.client.chat.completions.create(model=self.model, messages=payload, **extra)
        except openai.APIStatusError as exc:
            error = LLMError if exc.status_code == 429 or exc.status_code >= 500 else LLMConfigError
            raise error(_status_message(exc.status_code, self.where)) from None
        except openai.APITimeoutError:
            raise LLMError(f"the LLM server at {self.where} did not answer in time; "
                           "raise KIT_LLM_TIMEOUT or check the server") from None
        except openai.APIConnectionError:
            raise LLMConfigError(f"cannot reach the LLM server at {self.where}; check KIT_LLM_BASE_URL") from None
        except (json.JSONDecodeError, ValueError) as exc:
            raise LLMError(f"the LLM server at {self.where} sent a malformed response ({type(exc).__name__})") from None
        return _result(response, self.where)


def _status_message(status: int, where: str) -> str:
    if status == 401:
        return f"the LLM server at {where} rejected the API key (401); check KIT_API_KEY or OPENAI_API_KEY"
    if status == 429:
        return f"the LLM server at {where} is rate limiting (429) and retries ran out; try later"
    if status >= 500:
        return f"the LLM server at {where} failed ({status}) and retries ran out; try later"
    return f"the LLM server at {where} refused the request ({status}); check KIT_LLM_MODEL"


def _result(response: Any, where: str) -> ChatResult:
    if not hasattr(response, "choices"):  # e.g. an HTML error page from a proxy
        raise LLMError(f"the LLM server at {where} sent a malformed response (not a chat completion)")
    choices = response.choices
    if not choices or not isinstance(choices, list):
        raise LLMError(f"the LLM server at {where} returned no choices; nothing to use")
    choice = choices[0]
    text = getattr(getattr(choice, "message", None), "content", None) or ""
    usage = getattr(response, "usage", None)
    return ChatResult(text, str(getattr(response, "model", "") or ""),
                      getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None),
                      getattr(choice, "finish_reason", None))


@dataclass
class ScriptedChat:
    """Test double: replies with the given texts in turn and records every request."""

    replies: list[str]
    name: str = "scripted"
    requests: list[list[Message]] = field(default_factory=list)

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        self.requests.append(list(messages))
        if not self.replies:
            raise LLMError("scripted backend ran out of replies")
        return ChatResult(self.replies.pop(0), self.name, finish_reason="stop")


@dataclass
class FunctionChat:
    """Test double: a function computes each reply from the messages."""

    function: Callable[[Sequence[Message]], str]
    name: str = "function"
    requests: list[list[Message]] = field(default_factory=list)

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        self.requests.append(list(messages))
        return ChatResult(self.function(messages), self.name, finish_reason="stop")


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


def get_chat_backend(settings: Settings) -> ChatBackend | None:
    """The chat backend named by `settings.llm`; None for the offline extractive mode."""
    if settings.llm == "extractive":
        return None
    return OpenAIChat(settings)
