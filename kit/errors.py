"""The errors kit raises. Each message says what went wrong and what to change."""

from __future__ import annotations

from enum import StrEnum


class KitError(Exception):
    """Base of every error the kit raises on purpose; the CLI prints it as one line."""


class ConfigError(KitError):
    """A setting is unknown or has a bad value."""


class SettingsMismatchError(KitError):
    """The store was built with other embedder or chunk settings than the ones in use."""


class StoreBusyError(KitError):
    """Another process is writing to the store."""


class StoreDamagedError(KitError):
    """The store cannot be read; `kit doctor --repair` rebuilds it from the source files."""


class EmbedderError(KitError):
    """The embedding model could not be loaded or run."""


class LLMError(KitError):
    """A chat backend failed in a way retries did not fix (timeouts, 429, 5xx, bad replies)."""


class LLMConfigError(LLMError):
    """The chat backend refused the request as configured (bad key, model, URL): fix settings."""


class PromptError(KitError):
    """A prompt file is malformed or its variables do not match."""


class EmptyStoreError(KitError):
    """A search or question was asked before anything was ingested."""


class NoStoreError(KitError):
    """A read command found no store; nothing was created and no model was loaded."""


class NothingToIngestError(KitError):
    """A folder held no file kit can ingest; the store is unchanged. `report` lists every skipped file."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class NotStoredError(KitError):
    """`kit rm` was given a path the store holds nothing under."""


class StoreResourceError(KitError):
    """A resource the store needs failed (disk full, server unreachable or frozen); the store
    itself was not found damaged, so nothing is rebuilt. `resource` says which, as a typed value."""

    def __init__(self, message: str, resource: Resource) -> None:
        super().__init__(message)
        self.resource = resource


class Resource(StrEnum):
    """What failed in a `StoreResourceError`."""

    DISK_FULL = "disk full"
    DISK = "disk"  # another OS error on the store's files (read-only, permissions, I/O)
    SERVER_UNREACHABLE = "server unreachable"
    SERVER_TIMEOUT = "server timeout"
    NOT_CHROMA = "not a Chroma server"
    SERVER_ERROR = "server error"
