"""Environment that keeps the kit offline and quiet: no hub downloads, no telemetry.

Applied on `import kit` before any library that could phone home is imported. Values a user
has set explicitly are left alone.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",  # sentence-transformers / transformers never reach the hub
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ORT_DISABLE_TELEMETRY": "1",  # onnxruntime telemetry
    "ANONYMIZED_TELEMETRY": "False",  # chromadb posthog telemetry
    "TOKENIZERS_PARALLELISM": "false",  # no fork warnings from the tokenizers thread pool
    "LANGCHAIN_TRACING_V2": "false",
    "DO_NOT_TRACK": "1",
}


def apply() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
