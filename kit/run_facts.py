"""What the run history records of a run's results: who wrote them, and how many claims were
shown, supported and not supported. Reads results; stores nothing (`kit.store.history` does)."""

from __future__ import annotations

from collections.abc import Sequence

from kit.results import ClaimsResult
from kit.types import Mode, Support


def run_facts(results: Sequence[ClaimsResult], llm: str, embedder: str
              ) -> tuple[dict[str, str | None], dict[str, int]]:
    """Who wrote a run's results (the `llm` setting and model, or extractive; the embedder), and how
    many claims were shown, supported and not supported."""
    model = next((r.backend for r in results if r.mode is Mode.LLM), None)
    used = {"llm": llm if model else "extractive", "model": model, "embedder": embedder}
    claims = [c for r in results for c in r.claims]
    return used, {"shown": sum(len(r.shown) for r in results),
            "supported": sum(c.support is Support.SUPPORTED for c in claims),
            "unsupported": sum(c.support is Support.UNSUPPORTED for c in claims)}
