"""The `gguf` chat backend: a GGUF model file run in this process by llama.cpp (xllamacpp).

The file is checked first (`gguf_file`); the chat template and context length come from it and
threads are the cores free before each call (`cores`). The model loads once per process and
thread count (one notice on stderr) and serves every later call; replies asked for JSON are
constrained by the schema (llama.cpp turns it into a grammar). Token counts use the model's own
tokenizer. A call ends within `llm_timeout`: the reply streams token by token and is cancelled at
the deadline.
This module does not pack prompts (see budget.py) or parse replies.
"""

from __future__ import annotations

import atexit
import copy
import importlib.util
import json
import secrets
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError
from kit.errors import LLMErrorKind as Kind
from kit.llm.base import ChatResult, Message, status_kind, yes_share
from kit.llm.cores import ThreadChoice
from kit.llm.gguf_file import GGUFInfo, choose_context, fits_again, free_memory, model_error, model_path, read_header
from kit.llm.listen import watcher
from kit.progress import Progress, Stage
from kit.terminal import safe

# Greedy decoding: the same question gives the same reply, which keeps answers reproducible and
# quotes copied rather than paraphrased.
TEMPERATURE = 0.0
# A small model under a JSON grammar can repeat array items until max_tokens (SmolLM2-135M
# listed 27 identical quotes in 512 tokens), leaving JSON that never closes. Arrays in a
# schema without their own maxItems get this bound, which no kit reply needs to exceed.
MAX_ITEMS = 8
# The same for one string written on and on (the 0.5B model repeated one quote until the token
# limit): strings without their own maxLength end at this many characters, and the JSON closes.
# 400 keeps a news sentence whole, and four claims of this length (≈ 100 tokens each) still fit
# the default 512-token reply.
MAX_CHARS = 400
# Alternatives read for a one-token Yes/No reply: "Yes", " yes", "No"... sit in the top few;
# ten leaves room for other first tokens a model may rank above them.
TOP_LOGPROBS = 10


def available(settings: Settings | None = None) -> bool:
    """Whether the gguf backend can run here: llama.cpp installed and a model file to run."""
    if importlib.util.find_spec("xllamacpp") is None:
        return False
    try:
        return model_path(settings or Settings.load()).is_file()
    except LLMConfigError:
        return False


@dataclass
class _Loaded:
    server: Any
    address: str
    key: str
    context: int
    threads: int


# llama.cpp's endpoints (tokenizer, one-token Yes/No replies) are on 127.0.0.1: never route them
# through a user's HTTP(S)_PROXY.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_MODELS: dict[tuple[str, int, int], _Loaded] = {}
_LOAD_LOCK = threading.Lock()


def load(info: GGUFInfo, context: int, threads: int) -> _Loaded:
    """The llama.cpp server for this file, context and thread count, loaded once per process."""
    key = _key(info, context, threads)
    with _LOAD_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _start(info, context, threads)
    return _MODELS[key]


def loaded_keys() -> list[tuple[str, int, int]]:
    """(file, context, threads) of each copy of a model this process has loaded."""
    return list(_MODELS)


def _key(info: GGUFInfo, context: int, threads: int) -> tuple[str, int, int]:
    return str(info.path.resolve()), context, threads


def _start(info: GGUFInfo, context: int, threads: int) -> _Loaded:
    try:
        import xllamacpp
    except ImportError:
        raise LLMConfigError("the gguf backend needs llama.cpp: pip install 'kit[local]' "
                             "(the xllamacpp wheel)") from None
    params = xllamacpp.CommonParams()
    params.model.path = str(info.path)
    params.n_ctx = context
    params.n_parallel = 1  # one slot holds the whole context; kit sends one prompt at a time
    params.n_batch = 512  # = n_ubatch: the same work, and prompt progress every 512 tokens, not 2,048
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    # Threads sleep instead of spinning between steps: on a busy 2-core machine (load 5) spinning
    # threads starved each other, 63 prompt and 3 generated tokens/s, against 302 and 79 without.
    params.cpuparams.poll = params.cpuparams_batch.poll = 0
    params.verbosity = -1  # llama.cpp logs every slot and timing to stderr otherwise
    # llama.cpp also listens on 127.0.0.1 (port chosen by the OS); kit uses it only to count
    # tokens, and a random key keeps other local users from using the model through it.
    access = secrets.token_urlsafe(24)
    params.api_keys = [access]
    started = time.perf_counter()
    try:
        server = xllamacpp.Server(params)
    except RuntimeError:
        raise model_error(f"llama.cpp could not load {info.path} (architecture {info.architecture!r} unsupported, "
                          "or damaged tensors); try another GGUF file") from None
    seconds = time.perf_counter() - started
    sys.stderr.write(safe(f"kit: loaded {info.path.name} ({info.file_bytes / 1e6:,.0f} MB, {info.architecture}, "
                     f"context {context} tokens, {threads} threads) in {seconds:.1f} s\n"))
    return _Loaded(server, str(server.listening_address), access, context, threads)


class GGUFChat:
    """Chat completions from a GGUF model file run in this process."""

    def __init__(self, settings: Settings) -> None:
        self.info = read_header(model_path(settings))
        if not self.info.has_chat_template:
            raise model_error(f"{self.info.path} has no chat template in its metadata; use an instruct/chat "
                              "GGUF (a base model cannot follow kit's prompts)")
        context = choose_context(self.info, settings.llm_context, free_memory())
        self.threads = ThreadChoice(settings.llm_threads)
        self.model = load(self.info, context, self.threads.now())
        self.name = f"gguf:{self.info.path.stem}"
        self.parameters: int | None = self.info.parameters  # decides whether it checks claims (judge='auto')
        self.context_window = self.model.context
        self.reply_tokens = settings.llm_max_tokens
        self.timeout = settings.llm_timeout
        self._counts: dict[str, int] = {}
        self.last_timings: dict[str, Any] = {}  # of the last reply, as llama.cpp measured it

    def _suited(self) -> _Loaded:
        """The model loaded with as many threads as there are free cores now (one copy per thread
        count, each loaded once; the weights are shared, each copy has its own KV cache). The copy
        in use stays when another would not fit in free memory."""
        threads = self.threads.now()
        if threads != self.model.threads and (
                _key(self.info, self.model.context, threads) in _MODELS
                or fits_again(self.info, self.model.context, free_memory())):
            self.model = load(self.info, self.model.context, threads)
        return self.model

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` under the model's own tokenizer (llama.cpp's /tokenize)."""
        if text not in self._counts:
            if len(self._counts) > 4096:
                self._counts.clear()
            self._counts[text] = len(self._post("/tokenize", {"content": text, "add_special": False})["tokens"])
        return self._counts[text]

    def yes_probability(self, messages: Sequence[Message]) -> float:
        """P("Yes") / (P("Yes") + P("No")) for the reply's first token: one forward pass over the
        prompt (its shared prefix cached by llama.cpp), no generation beyond that token."""
        self._suited()
        data = self._post("/v1/chat/completions", {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": 1, "temperature": TEMPERATURE, "logprobs": True, "top_logprobs": TOP_LOGPROBS})
        try:
            top = data["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
            share = yes_share([(str(t["token"]), float(t["logprob"])) for t in top])
        except (KeyError, IndexError, TypeError, ValueError):
            share = None
        if share is None:
            raise LLMError.of(Kind.MALFORMED, f"{self.info.path.name} gave neither Yes nor No a probability")
        return share

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(self.model.address + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {self.model.key}"})
        try:
            with _DIRECT.open(request, timeout=self.timeout) as response:
                data = json.loads(response.read())
        except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
            kind = Kind.TIMEOUT if isinstance(exc, TimeoutError) else Kind.SERVER_ERROR
            raise LLMError.of(kind, f"llama.cpp's {path} for {self.info.path.name} failed "
                              f"({type(exc).__name__})") from None
        return data if isinstance(data, dict) else {}

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        request: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": self.reply_tokens, "temperature": TEMPERATURE,
            "stream": True, "stream_options": {"include_usage": True}, "return_progress": True}
        if json_schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": bounded(json_schema)}
        stream = _Stream(watcher())  # the caller's progress, read in the caller's context
        model = self._suited()
        worker = threading.Thread(target=self._generate, args=(model, request, stream), daemon=True)
        _RUNNING[worker] = stream
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            stream.cancel.set()  # stops at the next token; the prompt itself cannot be interrupted
            raise LLMError.of(Kind.TIMEOUT, f"the GGUF model {self.info.path.name} did not finish within "
                              f"KIT_LLM_TIMEOUT ({self.timeout:g} s); raise it or lower KIT_LLM_MAX_TOKENS")
        self.last_timings = stream.timings
        return stream.result(self)

    @staticmethod
    def _generate(model: _Loaded, request: dict[str, Any], stream: _Stream) -> None:
        try:
            model.server.handle_chat_completions(request, stream.on_chunk)
        except Exception as exc:  # reported to the caller as a typed error, not lost in a thread
            stream.error = {"message": type(exc).__name__, "type": "server_error"}
        finally:
            _RUNNING.pop(threading.current_thread(), None)


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` in which every array without maxItems gets MAX_ITEMS, and every string
    without maxLength MAX_CHARS: llama.cpp's grammar then ends any reply of the schema by itself."""
    out = copy.deepcopy(schema)
    todo: list[Any] = [out]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if node.get("type") == "array":
                node.setdefault("maxItems", MAX_ITEMS)
            if node.get("type") == "string":
                node.setdefault("maxLength", MAX_CHARS)
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return out


_RUNNING: dict[threading.Thread, _Stream] = {}


@atexit.register
def _stop_running() -> None:
    """A generation abandoned at its deadline must end before the interpreter frees what it uses."""
    for worker, stream in list(_RUNNING.items()):
        stream.cancel.set()
        worker.join()


class _Stream:
    """Collects a streamed reply and reports its tokens to `watch`; the callback's True tells
    llama.cpp to stop."""

    def __init__(self, watch: Progress) -> None:
        self.watch = watch
        self.read = -1  # prompt tokens reported read; -1 before the first report
        self.parts: list[str] = []
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] = {}
        self.timings: dict[str, Any] = {}  # llama.cpp's own: prompt_n, prompt_ms, predicted_n, predicted_ms
        self.error: dict[str, Any] | None = None
        self.cancel = threading.Event()

    def on_chunk(self, chunk: dict[str, Any]) -> bool:
        if "error" in chunk or "choices" not in chunk:
            self.error = chunk.get("error", chunk)
            return True
        if isinstance(chunk.get("prompt_progress"), dict):
            self._reading(chunk["prompt_progress"])
        for choice in chunk["choices"]:
            self._wrote((choice.get("delta") or {}).get("content") or "")
            self.finish_reason = choice.get("finish_reason") or self.finish_reason
        self.usage = chunk.get("usage") or self.usage
        self.timings = chunk.get("timings") or self.timings
        return self.cancel.is_set()

    def _reading(self, progress: dict[str, Any]) -> None:
        cached = int(progress.get("cache") or 0)
        done = int(progress.get("processed") or 0) - cached
        if self.read < 0:
            self.watch.start(Stage.PROMPT, int(progress.get("total") or 0) - cached)
            self.read = 0
        if done > self.read:
            self.watch.advance(done - self.read)
            self.read = done

    def _wrote(self, text: str) -> None:
        if not text:
            return
        if not self.parts:
            self.watch.start(Stage.WRITE, 0)
        self.parts.append(text)  # one streamed piece per token
        self.watch.advance(1)

    def result(self, chat: GGUFChat) -> ChatResult:
        if self.error is not None:
            raise _generation_error(chat, self.error)
        return ChatResult("".join(self.parts), chat.name, self.usage.get("prompt_tokens"),
                          self.usage.get("completion_tokens"), self.finish_reason)


def _generation_error(chat: GGUFChat, error: dict[str, Any]) -> LLMError:
    status = int(error.get("code") or 500)
    kind = status_kind(status, error)
    if kind is Kind.CONTEXT_OVERFLOW:
        return LLMError.of(kind, f"the prompt ({error.get('n_prompt_tokens', '?')} tokens) is longer than the "
                           f"context of {chat.info.path.name} ({chat.context_window} tokens); shorten the question "
                           "or raise KIT_LLM_CONTEXT")
    return LLMError.of(kind, f"the GGUF model {chat.info.path.name} failed while generating "
                       f"({error.get('type', 'error')}: {error.get('message', '')})"[:300], status)


BENCH_PROMPT = "Explain in five sentences why rivers meander."


@dataclass(frozen=True)
class Speed:
    """One short reply timed (`kit models bench`): how fast this machine runs a model. The
    prompt and generation rates are llama.cpp's own measures; `seconds` is the whole call."""

    load_seconds: float
    prompt_tokens: int
    prompt_per_second: float
    tokens: int
    tokens_per_second: float  # generation alone
    seconds: float
    threads: int


def measure_speed(settings: Settings) -> Speed:
    """Load the model `settings` name and time one reply of up to llm_max_tokens tokens."""
    started = time.perf_counter()
    chat = GGUFChat(settings)
    loaded = time.perf_counter() - started
    began = time.perf_counter()
    result = chat.complete([Message("user", BENCH_PROMPT)])
    seconds = time.perf_counter() - began
    timing = chat.last_timings
    tokens = result.completion_tokens or 0

    def rate(n: Any, ms: Any) -> float:
        return float(n) / float(ms) * 1000 if isinstance(n, int | float) and isinstance(ms, int | float) and ms else 0.0

    generated = rate(timing.get("predicted_n"), timing.get("predicted_ms")) or (tokens / seconds if seconds else 0.0)
    return Speed(loaded, result.prompt_tokens or 0, rate(timing.get("prompt_n"), timing.get("prompt_ms")), tokens,
                 generated, seconds, chat.model.threads)
