"""kit's `openai` backend against llama.cpp's real OpenAI-compatible server and a real model.

The server is llama.cpp's own HTTP API (xllamacpp, in a child process on 127.0.0.1) serving the
bundled SmolLM2-135M-Instruct with an API key, as a user's `llama-server -m model.gguf` would.
Asserted: structured output is sent and honoured, usage figures reach the traces, a refused key
is an AUTH error that never shows the key, and a prompt past the server's context is a typed
overflow that kit turns into one smaller retry or one clear line. Streaming is not used by kit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from kit.api import Kit
from kit.config import Settings
from kit.errors import LLMConfigError, LLMErrorKind
from kit.llm.base import Message
from kit.llm.gguf_file import model_path
from kit.llm.openai import OpenAIChat
from tests.llm_server import LlamaServer

CANARY = "sk-canary-llama-5a7e2c9d"
CONTEXT = 1024  # small on purpose: the 5-passage answer prompt over the seeds (≈ 1,250 tokens) overflows it
pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def server() -> Iterator[LlamaServer]:
    model = model_path(Settings.load(environ={}, llm="gguf"))
    with LlamaServer(str(model), CONTEXT, CANARY) as running:
        yield running


def chat(server: LlamaServer, **options: object) -> OpenAIChat:
    values = {"llm": "openai", "llm_base_url": server.base_url, "api_key": CANARY, "llm_model": "smollm2",
              "llm_timeout": 240.0, "llm_max_tokens": 64, **options}
    return OpenAIChat(Settings.load(environ={}, **values))


def test_structured_output_and_usage_figures(server: LlamaServer) -> None:
    schema = {"name": "short", "strict": True, "schema": {
        "type": "object", "additionalProperties": False, "required": ["answer"],
        "properties": {"answer": {"type": "string", "maxLength": 40}}}}
    backend = chat(server, llm_max_tokens=128)  # the 40-character answer needs ≈ 20 tokens
    result = backend.complete([Message("user", "Who wrote Hamlet? Reply in prose.")], schema)
    assert set(json.loads(result.text)) == {"answer"}  # the server constrained the reply to the schema
    assert result.prompt_tokens and result.completion_tokens and result.completion_tokens <= 128  # usage figures


def test_a_wrong_key_is_an_auth_error_without_the_key(server: LlamaServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(LLMConfigError) as err:
        chat(server, api_key="sk-wrong-key-123456").complete([Message("user", "hi")])
    assert err.value.kind is LLMErrorKind.AUTH and err.value.status == 401
    assert "sk-wrong-key-123456" not in str(err.value) + caplog.text


def test_context_overflow_is_typed_and_learned(server: LlamaServer) -> None:
    backend = chat(server, llm_context=8192)  # the user claims more context than the server has
    with pytest.raises(LLMConfigError) as err:
        backend.complete([Message("user", "missiles " * 3000)])
    assert err.value.kind is LLMErrorKind.CONTEXT_OVERFLOW and err.value.status == 400
    assert backend.context_window == CONTEXT  # read from the server's error, used for the next packing


def test_ask_through_the_real_server_fits_its_context(server: LlamaServer, minilm_kit: Kit) -> None:
    k = Kit(Settings.load(environ={}, store_dir=minilm_kit.settings.store_dir, llm="openai",
                          llm_base_url=server.base_url, api_key=CANARY, llm_model="smollm2", llm_timeout=240.0,
                          llm_context=8192, llm_max_tokens=128, llm_trim=False))  # whole passages overflow 1,024
    answer = k.ask("How many cruise missiles did Russia launch on Friday?")
    assert answer.mode == "llm", answer.notes  # one overflow, then a retry packed into the learned context
    trace = answer.traces[-1]
    assert trace["context_window"] == CONTEXT and trace["prompt_tokens"] <= CONTEXT - 128
    assert any("passages left out" in n for n in answer.notes), answer.notes
    assert all(c.verified for c in answer.citations) and CANARY not in json.dumps(answer.to_dict())
