"""The `openai` chat backend: OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp).

It runs its own retry loop under one deadline: the whole call, retries and waits included, ends
within `llm_timeout`. Failures become `LLMError`s with a typed `kind` and the HTTP status; no
message ever shows the key or a credential in the base URL. This module does not pack prompts
(see budget.py) or parse replies.
"""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError
from kit.errors import LLMErrorKind as Kind
from kit.llm.base import CHARS_PER_TOKEN, DEFAULT_SERVER_CONTEXT, ChatResult, Message, estimate_tokens, status_kind
from kit.secrets import keep_out_of_logs, mask_url, scrub, url_secrets

RETRYABLE = frozenset({Kind.RATE_LIMITED, Kind.SERVER_ERROR, Kind.UNREACHABLE})


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
