"""A chat model's second opinion on claims: do the quotes state what each claim says?

A backend that gives log-probabilities (`ClaimScorer`: the gguf backend) is asked one claim at a
time with `prompts/entail.yaml`, a one-token Yes/No reply, and a claim whose P(yes) is below
WITHDRAW_BELOW loses its support. Any other backend gets one batched call per answer or summary,
with structured output and the prompt `prompts/judge.yaml`. The model can only withdraw
support: a shown claim (supported or partly) the model says does not follow becomes unsupported,
with a reason. A claim that is its own quote word for word is not asked. It never makes a claim
supported: the offline judge's evidence (a number, name, role or negation the quotes contradict)
stands, and a weak model's "yes" is not evidence. Every call is traced and the check has its own
deadline (`judge_timeout`); when it fails or its reply cannot be read, the verdicts it did not
reach stay the offline ones and a note says so. This module does not
judge claims itself (see `kit.grounding.support`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from kit.config import Settings
from kit.errors import LLMConfigError, LLMError, LLMErrorKind
from kit.llm.base import ChatBackend, ClaimScorer, Message, Trace, json_object, traced_call
from kit.llm.prompts import load_prompt
from kit.text import sentences
from kit.types import Claim, Support

JUDGE_SCHEMA: dict[str, Any] = {
    "name": "claim_verdicts", "strict": True,
    "schema": {
        "type": "object", "additionalProperties": False, "required": ["verdicts"],
        "properties": {"verdicts": {"type": "array", "maxItems": 32, "items": {
            "type": "object", "additionalProperties": False, "required": ["claim", "follows"],
            "properties": {"claim": {"type": "integer"}, "follows": {"type": "boolean"}}}}},
    },
}
C = TypeVar("C", bound=Claim)  # a claim, or a checked text's claim with its score: kept as given
REASON = "the language model judged that its quotes do not state it"
# "No" likelier than "Yes". On 366 labelled dev pairs (bench/run_llm_judge.py --scored), Qwen2.5-
# Coder-1.5B's P(yes) ranks faithful over false claims with AUC 0.85 (kit's offline strength: 0.80).
WITHDRAW_BELOW = 0.5


@dataclass
class Opinion(Generic[C]):
    """Claims after the model's check, with the note and trace of the call."""

    claims: list[C]
    notes: list[str] = field(default_factory=list)
    traces: list[dict[str, object]] = field(default_factory=list)
    model: str = ""  # the model that gave at least one verdict; "" when none was asked or none answered


def check_deadline(settings: Settings, backend: ChatBackend | None) -> float | None:
    """The deadline of the chat model's check of claims (the `judge` setting), or None for none.
    A local GGUF model knows its size (GGUFChat.parameters); a server's model does not and is asked."""
    weights: int | None = getattr(backend, "parameters", None)
    small = weights is not None and weights < settings.judge_min_billion_parameters * 1e9
    skip = backend is None or settings.judge == "offline" or (settings.judge == "auto" and small)
    return None if skip else settings.judge_timeout


def model_check(claims: Sequence[C], settings: Settings, backend: Callable[[], ChatBackend | None]) -> Opinion[C]:
    """The chat model's check of `claims` when the `judge` setting asks for one and a chat backend is
    configured (`backend` is called only then: a local model loads on first use); else the claims
    as they are."""
    chat = backend() if settings.judge != "offline" else None
    timeout = check_deadline(settings, chat)
    return Opinion(list(claims)) if chat is None or timeout is None else second_opinion(claims, chat, timeout)


def second_opinion(claims: Sequence[C], backend: ChatBackend, timeout: float) -> Opinion[C]:
    """The model's verdict on every shown claim; unsupported claims, and claims that are their own
    quote, are not asked about."""
    asked = [i for i, c in enumerate(claims) if c.shown and c.citations and not verbatim(c)]
    if not asked:
        return Opinion(list(claims))
    if isinstance(backend, ClaimScorer):
        return _scored(claims, asked, backend, timeout)
    prompt = load_prompt("judge")
    system, user = prompt.render(claims=_listing([claims[i] for i in asked]))
    trace = Trace(prompt.name, prompt.version, backend.name, [])
    try:
        with _deadline(backend, timeout):
            reply = traced_call(backend, [Message("system", system), Message("user", user)], trace, JUDGE_SCHEMA)
    except LLMConfigError:
        raise
    except LLMError as exc:
        return Opinion(list(claims), [f"the language model's check failed ({exc}); the offline verdicts stand"],
                       [trace.to_dict()])
    verdicts = _verdicts(reply.text, len(asked))
    if verdicts is None:
        return Opinion(list(claims), ["the language model's check could not be read; the offline verdicts stand"],
                       [trace.to_dict()])
    out = list(claims)
    for number, follows in verdicts.items():
        if not follows:
            out[asked[number - 1]] = withdrawn(out[asked[number - 1]])
    return Opinion(out, [], [trace.to_dict()], backend.name)


def _scored(claims: Sequence[C], asked: Sequence[int], backend: ClaimScorer, timeout: float) -> Opinion[C]:
    """One Yes/No question per asked claim, all within `timeout`; a claim the deadline or an error
    leaves unasked keeps its offline verdict, and a note says how many were checked."""
    prompt = load_prompt("entail")
    out, traces, notes = list(claims), [], []
    deadline = time.monotonic() + timeout
    for done, i in enumerate(asked):
        remaining = deadline - time.monotonic()
        trace = Trace(prompt.name, prompt.version, getattr(backend, "name", "model"), [])
        try:
            if remaining <= 0:
                raise LLMError.of(LLMErrorKind.TIMEOUT, f"judge_timeout ({timeout:g} s) passed")
            system, user = prompt.render(source=" ".join(c.quote for c in claims[i].citations), claim=claims[i].text)
            started = time.perf_counter()
            with _deadline(backend, remaining):  # type: ignore[arg-type]  # both real backends keep a timeout
                yes = backend.yes_probability([Message("system", system), Message("user", user)])
            trace.seconds = time.perf_counter() - started
        except LLMConfigError:
            raise
        except LLMError as exc:
            notes.append(f"the language model checked {done} of {len(asked)} claims ({exc}); "
                         "the rest keep the offline verdicts")
            break
        traces.append(trace.to_dict())
        if yes < WITHDRAW_BELOW:
            out[i] = withdrawn(out[i], f"{REASON} (P(yes) {yes:.2f})")
    return Opinion(out, notes, traces, getattr(backend, "name", "model") if traces else "")


def verbatim(claim: Claim) -> bool:
    """Whether the claim is one of its quotes (or a whole sentence of one), word for word, case,
    spacing and punctuation aside: a quote states itself, and a model that says otherwise is wrong
    (Qwen2.5-Coder-1.5B withdrew 23 of 83 verbatim claims in bench/run_llm_judge.py), so it is not
    asked. A claim cut out of a sentence is asked: "missiles hit the school" is inside "No missiles
    hit the school". A leading article is aside too ("IS lost..." is "The IS lost...")."""
    quotes = [c.quote for c in claim.citations]
    whole = {_plain(q) for q in quotes} | {_plain(s.text) for q in quotes for s in sentences(q)}
    return bool(_plain(claim.text)) and _plain(claim.text) in whole


def _plain(text: str) -> str:
    words = re.findall(r"[^\W_]+", text.lower())
    return " ".join(words[1:] if words[:1] in (["the"], ["a"], ["an"]) else words)


def withdrawn(claim: C, reason: str = REASON) -> C:
    """`claim` made unsupported by the model's check, its citations marked the same way."""
    cites = tuple(replace(c, support=Support.UNSUPPORTED, reasons=(*c.reasons, reason)) for c in claim.citations)
    return replace(claim, citations=cites, support=Support.UNSUPPORTED, reasons=(*claim.reasons, reason))


def _listing(claims: Sequence[Claim]) -> str:
    lines = []
    for n, claim in enumerate(claims, 1):
        quotes = " ".join(f'"{c.quote}"' for c in claim.citations)
        lines.append(f"Claim {n}: {claim.text}\nQuotes: {quotes}")
    return "\n".join(lines)


def _verdicts(reply: str, n: int) -> dict[int, bool] | None:
    """{claim number: follows} from the reply; None when it has no usable verdict."""
    data = json_object(reply)
    items = data.get("verdicts") if data else None
    if not isinstance(items, list):
        return None
    found = {item["claim"]: item["follows"] for item in items
             if isinstance(item, dict) and isinstance(item.get("claim"), int) and 1 <= item["claim"] <= n
             and isinstance(item.get("follows"), bool)}
    return found or None


@contextmanager
def _deadline(backend: ChatBackend, seconds: float) -> Iterator[None]:
    """The backend's own deadline set to `seconds` for one call, then put back."""
    saved = getattr(backend, "timeout", None)
    if saved is None:  # a test double: nothing to bound
        yield
        return
    backend.timeout = seconds  # type: ignore[attr-defined]  # both real backends keep their deadline here
    try:
        yield
    finally:
        backend.timeout = saved  # type: ignore[attr-defined]
