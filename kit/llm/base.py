"""Chat backends behind one protocol: OpenAI-compatible servers, a local GGUF model, test doubles.

Every backend turns messages into one completion (`complete`) and tells how big a prompt it
takes (`context_window`, `reply_tokens`) and how many tokens a text costs (`count_tokens`), so
`budget` can pack prompts to fit. `OpenAIChat` talks to OpenAI or any compatible server
(Ollama, vLLM, llama.cpp) and runs its own retry loop under one deadline: the whole call,
retries and waits included, ends within `llm_timeout`. Failures become `LLMError`s with a typed
`kind` and the HTTP status; no message ever shows the key or a credential in the base URL.
`GGUFChat` (in `gguf.py`) runs a model file in process. `ScriptedChat` and `FunctionChat`
implement the same protocol for tests. The offline extractive answerer needs no chat backend
and lives in `answer.py`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError
from kit.errors import LLMErrorKind as Kind
from kit.secrets import keep_out_of_logs, mask_url, scrub, url_secrets

log = logging.getLogger("kit.trace")

# English prose runs ≈ 4 characters per token in GPT-style tokenizers; 3.5 over-counts a little
# so an estimated prompt errs on the side of fitting. Servers' usage figures lower it further.
CHARS_PER_TOKEN = 3.5
# Context assumed for an OpenAI-compatible server when KIT_LLM_CONTEXT is 0: every current
# hosted chat model and the usual local setups (Ollama's 8k default, llama.cpp -c 8192) hold it.
DEFAULT_SERVER_CONTEXT = 8192
RETRYABLE = frozenset({Kind.RATE_LIMITED, Kind.SERVER_ERROR, Kind.UNREACHABLE})


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


def openai_client(settings: Settings) -> Any:
    """An openai SDK client without its own retries: `OpenAIChat` retries under one deadline."""
    import openai

    key = settings.resolved_api_key()
    if not key and not settings.llm_base_url:
        raise LLMConfigError("the openai backend needs an API key: set KIT_API_KEY or OPENAI_API_KEY "
                             "(or KIT_LLM_BASE_URL for a local server such as Ollama)")
    return openai.OpenAI(api_key=key or "not-needed", base_url=settings.llm_base_url,
                         timeout=settings.llm_timeout, max_retries=0)


class OpenAIChat:
    """Chat completions from OpenAI or an OpenAI-compatible server."""

    def __init__(self, settings: Settings) -> None:
        self.client = openai_client(settings)
        self.model = settings.llm_model
        self.name = f"openai:{self.model}"
        self.where = mask_url(settings.llm_base_url) or "api.openai.com"
        self._secrets = url_secrets(settings.llm_base_url) + [k for k in [settings.resolved_api_key()] if k]
        keep_out_of_logs(self._secrets)
        self.timeout = settings.llm_timeout
        self.max_retries = settings.llm_max_retries
        self.context_window = settings.llm_context or DEFAULT_SERVER_CONTEXT
        self.reply_tokens = settings.llm_max_tokens
        self.chars_per_token = CHARS_PER_TOKEN
        self._schema_supported = True

    def count_tokens(self, text: str) -> int:
        """The stated estimate, tightened by what the server reported for earlier prompts."""
        return estimate_tokens(text, self.chars_per_token)

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        payload = [{"role": m.role, "content": m.content} for m in messages]
        deadline = time.monotonic() + self.timeout
        if json_schema is not None and self._schema_supported:
            try:
                return self._call(payload, {"type": "json_schema", "json_schema": json_schema}, deadline)
            except LLMError as exc:
                if exc.kind is not Kind.NO_STRUCTURED_OUTPUT:
                    raise
                self._schema_supported = False  # the server lacks structured output: markers instead
        return self._call(payload, None, deadline)

    def _call(self, payload: list[dict[str, str]], response_format: dict[str, Any] | None,
              deadline: float) -> ChatResult:
        """One logical call: attempts until a reply, a final error, or the deadline."""
        attempt = 0
        while True:
            try:
                result = self._attempt(payload, response_format, deadline)
            except LLMError as exc:
                wait = self._retry_wait(exc, attempt, deadline)
                if wait is None:
                    raise
                time.sleep(wait)
                attempt += 1
                continue
            self._learn(payload, result)
            return result

    def _retry_wait(self, exc: LLMError, attempt: int, deadline: float) -> float | None:
        """Seconds to wait before the next attempt, or None when this error is final."""
        if exc.kind not in RETRYABLE or attempt >= self.max_retries:
            return None
        # Retry-After when the server sends one, else 0.5 s, 1 s, 2 s ... with jitter.
        wait = exc.retry_after or 0.5 * 2 ** attempt * (0.75 + random.random() / 2)
        return wait if time.monotonic() + wait < deadline else None

    def _attempt(self, payload: list[dict[str, str]], response_format: dict[str, Any] | None,
                 deadline: float) -> ChatResult:
        import openai

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._error(Kind.TIMEOUT)
        extra: dict[str, Any] = {"response_format": response_format} if response_format else {}
        try:
            response = self.client.with_options(timeout=remaining).chat.completions.create(
                model=self.model, messages=payload, max_tokens=self.reply_tokens, **extra)
        except openai.APIStatusError as exc:
            raise self._status_error(exc, response_format is not None) from None
        except openai.APITimeoutError:
            raise self._error(Kind.TIMEOUT) from None
        except openai.APIConnectionError:
            raise self._error(Kind.UNREACHABLE) from None
        except (json.JSONDecodeError, ValueError) as exc:
            raise self._error(Kind.MALFORMED, detail=type(exc).__name__) from None
        return _result(response, self._error)

    def _status_error(self, exc: Any, with_schema: bool) -> LLMError:
        status = int(exc.status_code)
        body = exc.body if isinstance(exc.body, dict) else {}
        kind = status_kind(status, body)
        if kind is Kind.BAD_REQUEST and with_schema:
            kind = Kind.NO_STRUCTURED_OUTPUT  # retried once without the schema before it counts
        if kind is Kind.CONTEXT_OVERFLOW:
            self._learn_overflow(body)
        error = self._error(kind, status)
        error.retry_after = retry_after(exc.response.headers)
        return error

    def _error(self, kind: Kind, status: int | None = None, detail: str = "") -> LLMError:
        message = scrub(error_message(kind, self.where, status, detail), self._secrets)
        return LLMError.of(kind, message, status)

    def _learn(self, payload: list[dict[str, str]], result: ChatResult) -> None:
        """Lower chars-per-token when the server counted more tokens than the estimate."""
        chars = sum(len(m["content"]) for m in payload)
        if result.prompt_tokens and chars > 200:
            self.chars_per_token = min(self.chars_per_token, chars / result.prompt_tokens)

    def _learn_overflow(self, body: dict[str, Any]) -> None:
        """llama.cpp states its context (`n_ctx`) in the error: use it for the next packing."""
        n_ctx = body.get("n_ctx")
        if isinstance(n_ctx, int) and 0 < n_ctx < self.context_window:
            self.context_window = n_ctx
        else:  # unknown size: assume a quarter less room, so the retry sends a smaller prompt
            self.chars_per_token *= 0.75


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


def retry_after(headers: Any) -> float | None:
    """Seconds from a Retry-After (or retry-after-ms) header, when the server sent one."""
    try:
        if ms := headers.get("retry-after-ms"):
            return float(ms) / 1000
        value = headers.get("retry-after")
        if not value:
            return None
        if value.strip().replace(".", "", 1).isdigit():
            return float(value)
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def error_message(kind: Kind, where: str, status: int | None, detail: str = "") -> str:
    """One line saying what happened at `where` and what to change."""
    code = f" ({status})" if status else ""
    messages = {
        Kind.AUTH: f"the LLM server at {where} rejected the API key{code}; check KIT_API_KEY or OPENAI_API_KEY",
        Kind.RATE_LIMITED: f"the LLM server at {where} is rate limiting{code} and retries ran out; try later",
        Kind.SERVER_ERROR: f"the LLM server at {where} failed{code} and retries ran out; try later",
        Kind.BAD_REQUEST: f"the LLM server at {where} refused the request{code}; check KIT_LLM_MODEL",
        Kind.NO_STRUCTURED_OUTPUT: f"the LLM server at {where} refused a JSON schema{code}",
        Kind.CONTEXT_OVERFLOW: f"the prompt is longer than the context of the model at {where}{code}; "
                               "set KIT_LLM_CONTEXT to the server's context size",
        Kind.TIMEOUT: f"the LLM server at {where} did not answer in time (KIT_LLM_TIMEOUT, retries included); "
                      "raise KIT_LLM_TIMEOUT or check the server",
        Kind.UNREACHABLE: f"cannot reach the LLM server at {where}; check KIT_LLM_BASE_URL",
        Kind.MALFORMED: f"the LLM server at {where} sent a malformed response"
                        + (f" ({detail})" if detail else ""),
        Kind.MODEL_FILE: f"the model at {where} cannot be used",
    }
    return messages[kind]


def _result(response: Any, error: Callable[..., LLMError]) -> ChatResult:
    if not hasattr(response, "choices"):  # e.g. an HTML error page from a proxy
        raise error(Kind.MALFORMED, detail="not a chat completion")
    choices = response.choices
    if not choices or not isinstance(choices, list):
        raise error(Kind.MALFORMED, detail="no choices; nothing to use")
    choice = choices[0]
    text = getattr(getattr(choice, "message", None), "content", None) or ""
    usage = getattr(response, "usage", None)
    return ChatResult(text, str(getattr(response, "model", "") or ""),
                      getattr(usage, "prompt_tokens", None), getattr(usage, "completion_tokens", None),
                      getattr(choice, "finish_reason", None))


@dataclass
class FunctionChat:
    """Test double: a function computes each reply from the messages; every request is recorded."""

    function: Callable[[Sequence[Message]], str]
    name: str = "function"
    requests: list[list[Message]] = field(default_factory=list)
    context_window: int = DEFAULT_SERVER_CONTEXT
    reply_tokens: int = 512

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
    if settings.llm == "gguf":
        from kit.llm.gguf import GGUFChat

        return GGUFChat(settings)
    return OpenAIChat(settings)
