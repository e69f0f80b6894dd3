"""Pick the chat backend a setting names; each backend is imported only when chosen."""

from __future__ import annotations

from kit.config import Settings
from kit.llm.base import ChatBackend


def get_chat_backend(settings: Settings) -> ChatBackend | None:
    """The chat backend named by `settings.llm`; None for the offline extractive mode."""
    if settings.llm == "extractive":
        return None
    if settings.llm == "gguf":
        from kit.llm.gguf import GGUFChat

        return GGUFChat(settings)
    from kit.llm.openai import OpenAIChat

    return OpenAIChat(settings)
