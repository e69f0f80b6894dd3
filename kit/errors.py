"""The errors kit raises. Each message says what went wrong and what to change."""

from __future__ import annotations


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


class InputError(KitError):
    """A command was given something it cannot use (an empty question, a malformed file)."""


class KitWarning(UserWarning):
    """Something kit ignored on purpose and tells about (e.g. a KIT_* variable that is no setting)."""
