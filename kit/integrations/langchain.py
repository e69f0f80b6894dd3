"""Adapters that let other frameworks use the kit; imported only when asked for.

LangChain: `Kit.as_langchain_retriever()` returns a `BaseRetriever` whose documents carry the
kit's citation facts (source, start, end, section, score) in their metadata.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever


class KitLangChainRetriever(BaseRetriever):
    """A LangChain retriever over a kit's hybrid search."""

    kit: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.kit.search(query, k=self.k)
        return [
            LCDocument(page_content=h.chunk.text, id=h.chunk.id, metadata={
                "source": h.chunk.path, "start": h.chunk.start, "end": h.chunk.end,
                "section": h.chunk.section, "score": h.score,
            })
            for h in hits
        ]
