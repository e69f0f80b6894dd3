"""One thing a claim asserts that its quote does not state, as the structural check names it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["roles", "attribution", "polarity", "modality", "quantifier", "causal", "time"]


@dataclass(frozen=True)
class Fault:
    """One thing the claim asserts that the quote does not state."""

    kind: FaultKind
    reason: str
