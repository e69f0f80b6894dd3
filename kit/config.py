"""One Settings object for the whole kit.

Values come from defaults, then `KIT_*` environment variables, then keyword overrides.
An unknown `KIT_*` variable or keyword is an error, so a typo never silently does nothing.
This module does not read files or open stores; it only describes how the kit is configured.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from kit.errors import ConfigError

ENV_PREFIX = "KIT_"
# KIT_ variables read elsewhere, not settings: the model cache folder and the crash tests' hook.
NOT_SETTINGS = frozenset({"KIT_CACHE_DIR", "KIT_CRASH_AT"})


class Settings(BaseModel):
    """Everything that can be configured, each field with what it does."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    store_dir: Path | None = Field(
        None,
        description="The store folder: its state (sources, generation), file list, keyword index, write lock "
        "and, in local mode, the Chroma data. Unset: the nearest `.kit` folder in the current folder or its "
        "parents, as git finds its repository; `kit ingest` creates `.kit` in the current folder if there is "
        "none. Stored file paths are relative to the folder that holds the store folder.",
    )
    store_mode: Literal["local", "http"] = Field(
        "local", description="'local': Chroma PersistentClient in store_dir; 'http': a `chroma run` server "
        "(store_dir then keeps only the local cache of the keyword index and file list)."
    )
    chroma_host: str = Field("127.0.0.1", description="Host of the Chroma server in http mode.")
    chroma_port: int = Field(8000, description="Port of the Chroma server in http mode.")
    # A query over a million chunks answers in well under a second here (bench/run_scale.py);
    # 30 s only trips on a server that is frozen, overloaded or not a Chroma server at all.
    chroma_timeout: float = Field(
        30.0, gt=0, description="Seconds any single request to the Chroma server may take (http mode); "
        "past it the command stops with one line naming the server."
    )
    # Renewed every third of its length while a write runs, so a live writer never loses it;
    # a killed writer blocks others for at most this long.
    lease_seconds: float = Field(
        30.0, ge=1, description="Length of the write lease a writer holds on a Chroma server (http mode); "
        "another writer may take the store over only after a lease has expired unrenewed."
    )
    collection_prefix: str = Field(
        "kit", description="Prefix of collection names; one prefix holds one corpus."
    )
    # The int8 graph is the default: about 1.5x faster than fp32 on these CPUs, with the same
    # retrieval quality on SQuAD (recall@5 within a point) and cosine 0.99 to fp32 (bench/).
    embedder: Literal["minilm-int8", "minilm", "minilm-torch", "openai", "hash"] = Field(
        "minilm-int8",
        description="'minilm-int8': all-MiniLM-L6-v2 on onnxruntime, int8 weights (offline default); "
        "'minilm': the same graph in fp32; 'minilm-torch': sentence-transformers on torch; "
        "'openai': OpenAI embeddings API; 'hash': a deterministic hashing embedder for tests.",
    )
    openai_embedding_model: str = Field(
        "text-embedding-3-small", description="Embedding model when embedder='openai'."
    )
    # One text per batch is fastest on CPU (no padding, activations stay in cache; bench/) and
    # makes a text's int8 vector independent of whichever texts it was batched with.
    embed_batch_size: int = Field(1, ge=1, description="Texts per local embedding batch.")
    # 800 chars is about 180 MiniLM word pieces for English news text (≈4.4 chars/piece),
    # leaving headroom under the model's 256-piece limit for names and numbers, which split
    # into more pieces; text past 256 pieces would be silently truncated by the encoder.
    chunk_size: int = Field(800, ge=100, le=4000, description="Target chunk length in characters.")
    chunk_overlap: int = Field(120, ge=0, description="Characters shared by neighbouring chunks.")
    max_file_mb: float = Field(
        10.0, gt=0, description="Files larger than this are skipped with a note in the summary."
    )
    fallback_encoding: str = Field(
        "cp1252", description="Encoding tried when a file is neither UTF-8 nor UTF-16 with a BOM."
    )
    extensions: tuple[str, ...] = Field(
        (".txt", ".md", ".markdown", ".html", ".htm"), description="File types ingested."
    )
    top_k: int = Field(5, ge=1, description="Hits returned by search.")
    candidates: int = Field(40, ge=1, description="Candidates taken from each retriever before fusion.")
    # 60 (the RRF paper's constant) flattens the top ranks of two short lists; 10 lets a
    # first-place hit in either retriever count (+2 points recall@5 on held-out SQuAD questions).
    rrf_k: int = Field(10, ge=1, description="Reciprocal rank fusion constant (smaller favours top ranks).")
    mmr_lambda: float = Field(
        0.75, ge=0, le=1, description="MMR trade-off: 1 = relevance only, 0 = diversity only."
    )
    dedup_threshold: float = Field(
        0.95, ge=0, le=1, description="Hits whose embeddings are at least this similar are merged."
    )
    llm: Literal["extractive", "openai"] = Field(
        "extractive", description="'extractive': offline, no model; 'openai': any OpenAI-compatible server."
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model name for the openai backend.")
    llm_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server (Ollama, vLLM, llama.cpp)."
    )
    api_key: SecretStr | None = Field(
        None, description="API key for OpenAI-compatible servers; falls back to OPENAI_API_KEY."
    )
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before one LLM request is abandoned.")
    llm_max_retries: int = Field(2, ge=0, description="Retries on 429/5xx/timeouts, with backoff.")
    abstain_threshold: float = Field(
        0.5, description="Support score under which the kit answers 'not in the documents'."
    )

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, `KIT_*` variables and keyword overrides."""
        values: dict[str, Any] = _from_environ(os.environ if environ is None else environ)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(cls.model_fields)}")
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None

    def resolved_api_key(self) -> str | None:
        """The API key to send: the setting, else OPENAI_API_KEY."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def public_dump(self) -> dict[str, Any]:
        """Settings as plain data with secrets masked, safe for logs and reports."""
        data = self.model_dump(mode="json")
        if data.get("api_key"):
            data["api_key"] = "***"
        return data


def _from_environ(environ: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in environ.items():
        if name.startswith(ENV_PREFIX) and name not in NOT_SETTINGS:
            key = name[len(ENV_PREFIX):].lower()
            values[key] = raw.split(",") if key == "extensions" else raw
    return values


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        parts.append(f"{where}: {err['msg']} (set KIT_{where.upper()} or the matching option)")
    return "invalid settings: " + "; ".join(parts)
