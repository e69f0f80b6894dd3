"""Where sources agree and where they differ, fact by fact.

Facts here are numbers with what they count ("18 cruise missiles", "more than 600 militants").
Two sentences from different files that talk about the same thing (similar embeddings) and
count the same noun agree when the numbers match and differ when they do not; near-identical
sentences from different files agree outright. Works on sentences already cited, so every
reported agreement or difference carries verified quotes. This module does not summarise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kit.numbers import UNITS, words_value
from kit.results import Agreement, Difference
from kit.text import STOPWORDS, match_stem, stem
from kit.types import Citation

# Number words a fact may be: kit.numbers' units ("dozen" aside) and "hundred".
_UNITS = (*(w for w in UNITS if w != "dozen"), "hundred")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_DIGIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Compounds ("twenty-five") come first: otherwise "twenty" and then "five" match on their own.
_NUM = (r"(?:\d[\d,]*(?:\.\d+)?|(?:" + "|".join(_TENS) + r")[-\s](?:" + "|".join(_DIGIT_WORDS) + r")\b|"
        + "|".join(_UNITS) + r")")
_FACT = re.compile(rf"(?<![\w$€£])(\$|€|£)?({_NUM})(\s+hundred)?(?:\s+({'|'.join(_SCALE)}))?\b", re.IGNORECASE)
_AFTER = re.compile(r"[A-Za-z][A-Za-z-]*")
_SKIP_NOUNS = {"year", "day", "month", "week", "hour", "minute", "percent", "time", "mile", "km", "th", "st", "nd"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}


@dataclass(frozen=True)
class Fact:
    value: float
    noun: str  # stemmed head noun of the counted phrase, or the currency for money
    text: str  # the matched words, e.g. "18 cruise missiles"


def facts(sentence: str) -> list[Fact]:
    """Numbers with the noun they count; dates, years and durations are skipped."""
    out = []
    for m in _FACT.finditer(sentence):
        number, currency = m.group(2), m.group(1)
        if number.isdigit() and len(number) == 4:  # a year
            continue
        words = _counted_words(sentence[m.end():])
        noun = {"$": "usd", "€": "eur", "£": "gbp"}.get(currency or "") or _head(words)
        if not noun or noun in _SKIP_NOUNS or (words and words[0] in _MONTHS):
            continue
        value = _value(number) * (100 if m.group(3) else 1) * _SCALE.get((m.group(4) or "").lower(), 1)
        text = (m.group(0) + " " + " ".join(words[:2])).strip() if not currency else m.group(0)
        out.append(Fact(value, noun, text))
    return out


def _counted_words(rest: str) -> list[str]:
    """Up to three words right after a number, stopping at the first function word."""
    words = []
    for w in _AFTER.findall(rest[:40])[:3]:
        if w.lower() in STOPWORDS or w.lower() in _UNITS:
            break
        words.append(w.lower())
    return words


def _head(words: list[str]) -> str:
    """The counted noun: the first plural among the words, else the first word."""
    plural = next((w for w in words if len(w) > 3 and w.endswith("s") and not w.endswith("ss")), None)
    return stem(plural or (words[0] if words else ""))


def _value(token: str) -> float:
    token = token.lower().replace(",", "")
    if token[0].isalpha():  # "eighteen", "twenty-five"
        return words_value(token) or 0.0
    return float(token)


def compare(citations: Sequence[Citation], vectors: np.ndarray, same_topic: float = 0.55,
            same_claim: float = 0.9) -> tuple[list[Agreement], list[Difference]]:
    """Agreements and differences between citations from different files."""
    agreements: list[Agreement] = []
    differences: list[Difference] = []
    seen: set[tuple[str, str]] = set()
    for i in range(len(citations)):
        for j in range(i + 1, len(citations)):
            a, b = citations[i], citations[j]
            sim = float(vectors[i] @ vectors[j])
            if a.path == b.path or sim < same_topic:
                continue
            _compare_pair(a, b, sim >= same_claim, agreements, differences, seen)
    return agreements, differences


def _compare_pair(a: Citation, b: Citation, same_claim: bool, agreements: list[Agreement],
                  differences: list[Difference], seen: set[tuple[str, str]]) -> None:
    fa, fb = facts(a.quote), facts(b.quote)
    for x in fa:
        for y in fb:
            if x.noun != y.noun or (x.noun, f"{min(x.value, y.value)}-{max(x.value, y.value)}") in seen:
                continue
            if not _same_subject(a.quote, b.quote, x.noun):
                continue
            seen.add((x.noun, f"{min(x.value, y.value)}-{max(x.value, y.value)}"))
            if x.value == y.value:
                agreements.append(Agreement(_statement(a), (a, b)))
            else:
                differences.append(Difference(x.noun, ((x.text, a), (y.text, b))))
    if same_claim and not (fa and fb) and (a.quote, b.quote) not in seen:
        seen.add((a.quote, b.quote))
        agreements.append(Agreement(_statement(a), (a, b)))


def _same_subject(a: str, b: str, noun: str) -> bool:
    """Two figures counting the same noun are about the same subject only when their sentences
    share another content word ("fired 18 cruise missiles" / "26 cruise missiles hit": cruise),
    not when the noun is all they share ("18 cruise missiles" / "40 missiles at the museum")."""
    def words(text: str) -> set[str]:
        return {match_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z-]+", text) if w.lower() not in STOPWORDS}

    return bool((words(a) & words(b)) - {match_stem(noun), match_stem(noun + "s")})


def _statement(c: Citation) -> str:
    """What the sources agree on, shown as one source words it."""
    return " ".join(c.quote.split())
