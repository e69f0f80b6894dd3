"""Adapters for other tools (LangChain, notebooks), imported only when asked for."""

from __future__ import annotations

from typing import Any

from kit.errors import MissingExtraError


def langchain_retriever(kit: Any, k: int) -> Any:
    """`kit`'s search as a LangChain `BaseRetriever`, or a clear error when LangChain is missing."""
    try:
        from kit.integrations.langchain import KitLangChainRetriever
    except ImportError:
        raise MissingExtraError.needs("the LangChain retriever", "langchain") from None

    return KitLangChainRetriever(kit=kit, k=k)
