"""The errors kit raises. Each message says what went wrong and what to change."""

from __future__ import annotations

from enum import Enum, StrEnum


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


class DamagedFileError(StoreDamagedError):
    """One of kit's own files (state, file list, keyword index, topic cache) fails its checksum,
    cannot be parsed or has a format this kit does not read; `path` names it."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class EmbedderError(KitError):
    """The embedding model could not be loaded or run."""


class LLMErrorKind(Enum):
    """What went wrong in an LLM call; decisions read this, never the message text."""

    TIMEOUT = "timeout"  # no complete reply within KIT_LLM_TIMEOUT, retries included
    RATE_LIMITED = "rate_limited"  # 429 and the retries ran out
    SERVER_ERROR = "server_error"  # 5xx, or a local model that failed while generating
    AUTH = "auth"  # 401/403: the key was refused
    BAD_REQUEST = "bad_request"  # another 4xx: model name, parameters
    UNREACHABLE = "unreachable"  # no connection to the server
    MALFORMED = "malformed"  # a reply that is not a chat completion
    CONTEXT_OVERFLOW = "context_overflow"  # the prompt does not fit the model's context window
    NO_STRUCTURED_OUTPUT = "no_structured_output"  # the server refused a JSON schema
    MODEL_FILE = "model_file"  # a local model file that is missing, not GGUF, damaged or too big


# Kinds that settings or input must fix; retrying or falling back would hide the mistake.
CONFIG_KINDS = frozenset({LLMErrorKind.AUTH, LLMErrorKind.BAD_REQUEST, LLMErrorKind.UNREACHABLE,
                          LLMErrorKind.CONTEXT_OVERFLOW, LLMErrorKind.MODEL_FILE})


class LLMError(KitError):
    """A chat backend failed in a way retries did not fix (timeouts, 429, 5xx, bad replies).

    `kind` says what happened and `status` carries the HTTP status when there was one;
    `retry_after` the seconds a server asked to wait before trying again."""

    retry_after: float | None = None

    def __init__(self, message: str, kind: LLMErrorKind = LLMErrorKind.SERVER_ERROR,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status

    @staticmethod
    def of(kind: LLMErrorKind, message: str, status: int | None = None) -> LLMError:
        """The error of the right class for `kind`: LLMConfigError when settings must change."""
        cls = LLMConfigError if kind in CONFIG_KINDS else LLMError
        return cls(message, kind, status)


class LLMConfigError(LLMError):
    """The chat backend refused the request as configured (bad key, model, URL, model file,
    a prompt longer than the context): fix settings or input."""

    def __init__(self, message: str, kind: LLMErrorKind = LLMErrorKind.BAD_REQUEST,
                 status: int | None = None) -> None:
        super().__init__(message, kind, status)


class ModelPullError(KitError):
    """`kit models pull` could not download, assemble or verify a model; nothing was installed."""


class MissingExtraError(KitError):
    """An optional part of kit is used without the extra that installs it."""

    @classmethod
    def needs(cls, what: str, extra: str) -> MissingExtraError:
        return cls(f"{what} needs an optional part of kit: pip install 'kit[{extra}]'")


class CalibrationError(KitError):
    """A calibration file shipped with kit is missing or damaged."""


class PromptError(KitError):
    """A prompt file is malformed or its variables do not match."""


class EmptyStoreError(KitError):
    """A search or question was asked before anything was ingested."""


class InputError(KitError):
    """A command was given something it cannot use (an empty question, a malformed file)."""


class KitWarning(UserWarning):
    """Something kit ignored on purpose and tells about (e.g. a KIT_* variable that is no setting)."""


class NoStoreError(KitError):
    """A read command found no store; nothing was created and no model was loaded."""


class NothingToIngestError(KitError):
    """A folder held no file kit can ingest; the store is unchanged. `report` lists every skipped file."""

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class NotStoredError(KitError):
    """`kit remove` was given a path the store holds nothing under."""


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
