"""Read a model's answer reply (prompts/answer.yaml) into claim drafts.

The format asked for (version 3) lists claims first, each naming its passage and the number of
the passage sentence that states it: `{"claims": [{"text": ..., "passage": n, "sentence": m}],
"not_in_documents": false}`; the quote is kit's own copy of that sentence, so it can only be
real, and a claim's citation marker comes from its `passage`, never from [n] markers in its
text. The same schema goes to OpenAI-compatible servers (structured output) and to GGUF models
(llama.cpp turns it into a grammar). Still read: version 2's claims with a free "quote" instead
of "sentence", version 1's `{"answer": "... [n]", "quotes": [...]}`, and prose with [n] markers
from a server without structured output.
A reply cut off at the token limit keeps the claim objects it completed and nothing else: JSON
is never read as prose. This module does not locate quotes or judge claims.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kit.grounding.citations import strip_markers
from kit.grounding.claims import Draft, answer_drafts
from kit.llm.base import json_object
from kit.text import copied

# Bounded: a small model under a grammar can repeat one claim until the token limit (the 0.5B
# model did at 512 tokens); three claims answer any question kit is asked, four leave room.
MAX_CLAIMS = 4
ANSWER_SCHEMA: dict[str, Any] = {
    "name": "cited_claims", "strict": True,
    "schema": {
        "type": "object", "additionalProperties": False, "required": ["claims", "not_in_documents"],
        "properties": {  # claims first: a model decides it has no answer after trying to write one
            "claims": {"type": "array", "maxItems": MAX_CLAIMS, "items": {
                # the text first: small models copy the answer well and number its sentence less well
                # (kit.grounding.pointers finds the sentence a wrong number missed)
                "type": "object", "additionalProperties": False, "required": ["text", "passage", "sentence"],
                "properties": {"text": {"type": "string"}, "passage": {"type": "integer"},
                               "sentence": {"type": "integer"}}}},
            "not_in_documents": {"type": "boolean"},
        },
    },
}


@dataclass
class Reply:
    """What a reply says: claim drafts, or that the passages hold no answer; notes say what was
    dropped or kept of a damaged reply."""

    drafts: list[Draft] = field(default_factory=list)
    refused: bool = False
    notes: list[str] = field(default_factory=list)


# (passage key, sentence number) -> that sentence of the passage as the prompt numbered it, or None
SentenceOf = Callable[[int, int], "str | None"]


def _no_sentences(key: int, number: int) -> str | None:
    return None


def parse_reply(text: str, refusal: str, cut_off: bool = False, sentence_of: SentenceOf = _no_sentences) -> Reply:
    """The drafts of a reply in any format kit has asked for; `sentence_of` turns a claim's
    sentence number into its quote."""
    data = json_object(text)
    if data is not None and isinstance(data.get("claims"), list):
        return _claims_reply(data, sentence_of)
    if data is not None and isinstance(data.get("answer"), str):
        answer = str(data["answer"])
        if not answer.strip() or refusal in answer:
            return Reply(refused=True)
        return Reply(answer_drafts(answer, _quotes(data.get("quotes"))))
    if data is not None or text.lstrip().startswith(("{", "```")) or cut_off:
        return _salvaged(text, cut_off, sentence_of)
    if not text.strip() or refusal in text:
        return Reply(refused=True)
    return Reply(answer_drafts(text.strip(), []))


def _claims_reply(data: dict[str, Any], sentence_of: SentenceOf) -> Reply:
    drafts = _drafts(data["claims"], sentence_of)
    if not drafts:
        return Reply(refused=True)
    notes = (["the model also said the passages do not answer the question; its claims were checked all the same"]
             if data.get("not_in_documents") is True else [])
    return Reply(drafts, notes=notes)


def _drafts(items: list[Any], sentence_of: SentenceOf = _no_sentences) -> list[Draft]:
    """One draft per claim object, its marker from `passage` and its quote the sentence it
    numbers (or, version 2, the quote it wrote); repeats dropped. A sentence number the passage
    does not have leaves a bare marker, which takes the passage sentence that supports the claim."""
    out: list[Draft] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        body = copied(strip_markers(item["text"], set()))
        if not any(ch.isalnum() for ch in body):
            continue
        key = _key(item.get("passage"))
        quote = str(item["quote"]) if isinstance(item.get("quote"), str) else ""
        number = _key(item.get("sentence"))
        pointed = key is not None and number is not None
        if pointed:
            quote = sentence_of(key, number) or ""  # type: ignore[arg-type]  # key is set when pointed
        keys = (key,) if key is not None else ()
        draft = Draft(body, keys, ((key, quote),) if key is not None and quote.strip() else (), pointed)
        if draft not in out:
            out.append(draft)
    return out


def _key(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _quotes(raw: Any) -> list[tuple[int, str]]:
    """Version 1's quotes: [(passage key, quote)]."""
    out = []
    for q in raw if isinstance(raw, list) else []:
        if isinstance(q, dict) and isinstance(q.get("quote"), str) and (key := _key(q.get("passage"))) is not None:
            out.append((key, str(q["quote"])))
    return out


def _salvaged(text: str, cut_off: bool, sentence_of: SentenceOf = _no_sentences) -> Reply:
    """A reply that is not whole JSON in a known format (cut off at the token limit, say): the
    claim objects it completed, never its text read as sentences."""
    drafts = _drafts(complete_claims(text), sentence_of)
    what = "was cut off" if cut_off else "is not in the format asked for"
    if drafts:
        return Reply(drafts, notes=[f"the model's reply {what}; its {len(drafts)} complete claim(s) were kept"])
    return Reply(refused=True, notes=[f"the model's reply {what} and holds no complete claim; none of it is used"])


def complete_claims(text: str) -> list[Any]:
    """The objects of the "claims" array that closed before the reply was cut off."""
    at = text.find('"claims"')
    at = text.find("[", at) if at >= 0 else -1
    if at < 0:
        return []
    decoder = json.JSONDecoder()
    items: list[Any] = []
    pos = at + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            item, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return items
        items.append(item)
