"""Where sources agree and where they differ, fact by fact.

Facts here are numbers with what they count ("18 cruise missiles", "more than 600 militants"),
whole figures with their scale ("$9.3bn" is 9.3e9, never "$9"); years, dates ("February 27"),
clock times, model names ("A330-200"), ranges and shares are not facts. Two sentences from
different files that talk about the same thing (similar embeddings) state the same quantity only
when they count the same noun (or the same currency), say what is measured with a shared word
within four words of both figures ("tax claim" / "tax claim", not "sale price" / "tax claim"; a
word a fifth of the topic's sentences use, "earthquake" in an earthquake topic, does not count),
do not name different subjects before the figures ("Holmes, 35" / "Radcliffe, 31") and do not
name different years; then they agree when the numbers match. They differ when the numbers do
not, neither sentence also states the other's figure, both name the subject or place of the
figure with a name they share ("Yukos", not "northwest of Cauquenes" / "northwest of Talca",
nor a depth of "the earthquake" / "it"), the sentences are alike as
reports of one fact are (SAME_REPORT), a hedged figure ("at least two", "nearly 80") does
not already allow the other, and the two files are not dated on different days (a toll updated, a
later aftershock: another time, not another account). Near-identical sentences from
different files agree outright. Each agreement is listed once, and never in the words of a
sentence that is also one side of a difference. Works on sentences already cited, so every
reported agreement or difference carries verified quotes. This module does not summarise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from kit.findings import Agreement, Difference
from kit.numbers import TENS, UNITS, words_value
from kit.text import STOPWORDS, match_stem, stem
from kit.types import Citation

# Number words a fact may be: kit.numbers' units ("dozen" aside) and "hundred".
_UNITS = (*(w for w in UNITS if w != "dozen"), "hundred")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX = {"k": 1e3, "m": 1e6, "bn": 1e9, "tn": 1e12}  # "$9.3bn", "£56m": written onto the figure
_DIGIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Compounds ("twenty-five") come first: otherwise "twenty" and then "five" match on their own.
_NUM = (r"(?:\d[\d,]*(?:\.\d+)?|(?:" + "|".join(TENS) + r")[-\s](?:" + "|".join(_DIGIT_WORDS) + r")\b|"
        + "|".join(_UNITS) + r")")
_FACT = re.compile(rf"(?<![\w$€£.])(\$|€|£)?({_NUM})"
                   rf"(?:({'|'.join(_SUFFIX)})\b|(\s+hundred)?(?:\s+({'|'.join(_SCALE)}))?\b)", re.IGNORECASE)
_AFTER = re.compile(r"[A-Za-z][A-Za-z-]*")
_SKIP_NOUNS = {"year", "day", "month", "week", "hour", "minute", "percent", "time", "mile", "km", "th", "st", "nd",
               "gmt", "utc", "local", "am", "pm"}
# A figure that is part of a clock time ("02:00"), a model name ("A330-200") or a range or share
# ("25-40%", "15%") counts nothing by itself.
_NOT_A_COUNT = re.compile(r"%|\s*percent\b|[-–:/]\d")
_COMMON_SHARE = 0.2  # a word in this share of a topic's sentences says nothing of what a figure measures
_COMMON_MIN = 5
_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Words either side of a figure that say what it measures ("a $27.5bn tax claim", "at a depth of
# 30.1 kilometers"); six content words reached the next clause ("34 kilometers northwest of
# Talca ... at a depth of") and made a distance and a depth one quantity.
_WINDOW = 4
_TOKEN = re.compile(r"[A-Za-z][A-Za-z-]*|\d[\d,.]*")
# Two sentences giving different figures are one fact reported two ways only when this alike:
# on the mixed MultiLing/SQuAD audit (bench/audit_summaries.py), 12 of 14 pairs wrongly shown as
# differing were 0.56-0.66 alike in MiniLM (the homeless of the tsunami and of Haiti, depths of
# two quakes, two donors' gifts); reports of one figure ("Yukos faces a $27.5bn tax claim" /
# "Yukos owes a $24bn tax claim") 0.92.
SAME_REPORT = 0.7
# Hedges that make a figure a bound or an estimate: (words before it, how it allows another value).
_AT_LEAST = ("at least", "more than", "over", "above", "upwards of", "in excess of")
_AT_MOST = ("at most", "less than", "fewer than", "under", "below", "up to", "nearly", "almost", "just under")
_ABOUT = ("about", "around", "some", "approximately", "roughly", "an estimated", "estimated", "nearly", "almost")
_ABOUT_SHARE = 0.1  # "about 80" allows 72 to 88
# Units a figure is also given in ("44.3 kilometers (27.5 miles)"): shared, they say how, not what, is measured.
_UNIT_WORDS = frozenset(match_stem(w) for w in ("miles", "kilometers", "kilometres", "km", "feet", "meters", "metres",
                                                "inches", "pounds", "kilograms", "kg", "tons", "tonnes", "acres"))
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}


@dataclass(frozen=True)
class Fact:
    value: float
    noun: str  # stemmed head noun of the counted phrase, or the currency for money
    text: str  # the matched words, e.g. "18 cruise missiles"
    start: int = 0  # where the figure is in the sentence
    end: int = 0


def facts(sentence: str) -> list[Fact]:
    """Numbers with the noun they count; dates, years and durations are skipped."""
    out = []
    for m in _FACT.finditer(sentence):
        number, currency = m.group(2), m.group(1)
        if (number.isdigit() and len(number) == 4) or _NOT_A_COUNT.match(sentence[m.end():]) \
                or sentence[max(0, m.start() - 1):m.start()] in ("-", "–", ":", "/") \
                or _TOKEN.findall(sentence[:m.start()])[-1:] in ([w.capitalize()] for w in _MONTHS):
            continue  # a year, a clock time, a model name, a range, a share or a date ("February 27")
        written = _counted_words(sentence[m.end():])
        words = [w.lower() for w in written]
        noun = {"$": "usd", "€": "eur", "£": "gbp"}.get(currency or "") or _head(words)
        if len(noun) < 3 or noun in _SKIP_NOUNS or (words and words[0] in _MONTHS):
            continue  # a one-letter unit ("3 m") says too little of what is measured
        scale = _SUFFIX.get((m.group(3) or "").lower(), 1) * _SCALE.get((m.group(5) or "").lower(), 1)
        value = _value(number) * (100 if m.group(4) else 1) * scale
        # What is counted, as written, up to its noun: "Fifteen British sailors", "5 million people".
        text = m.group(0) if currency else " ".join([m.group(0), *written[:_head_index(words) + 1]])
        out.append(Fact(value, noun, text, m.start(), m.end()))
    return out


def _counted_words(rest: str) -> list[str]:
    """Up to three words right after a number, as written, stopping at the first function word."""
    words = []
    for w in _AFTER.findall(rest[:40])[:3]:
        if w.lower() in STOPWORDS or w.lower() in _UNITS:
            break
        words.append(w)
    return words


def _head_index(words: list[str]) -> int:
    """Where the counted noun is among lower-cased words: the first plural, else the first word."""
    return next((i for i, w in enumerate(words) if len(w) > 3 and w.endswith("s") and not w.endswith("ss")), 0)


def _head(words: list[str]) -> str:
    """The counted noun, stemmed (see `_head_index`)."""
    return stem(words[_head_index(words)]) if words else ""


def _value(token: str) -> float:
    token = token.lower().replace(",", "")
    if token[0].isalpha():  # "eighteen", "twenty-five"
        return words_value(token) or 0.0
    return float(token)


def compare(citations: Sequence[Citation], vectors: np.ndarray, same_topic: float = 0.55,
            same_claim: float = 0.9, dated: Mapping[str, date] | None = None
            ) -> tuple[list[Agreement], list[Difference]]:
    """Agreements and differences between citations from different files. `dated`: the dateline of
    each file that has one (kit.topics.datelines); figures from files dated on different days are
    of different times, never a difference."""
    dated = dated or {}
    agreements: list[Agreement] = []
    differences: list[Difference] = []
    seen: set[tuple[str, str]] = set()
    common = _common_words([c.quote for c in citations])
    for i in range(len(citations)):
        for j in range(i + 1, len(citations)):
            a, b = citations[i], citations[j]
            sim = float(vectors[i] @ vectors[j])
            if a.path == b.path or sim < same_topic:
                continue
            same_day = a.path not in dated or b.path not in dated or dated[a.path] == dated[b.path]
            _compare_pair(a, b, sim, same_claim, agreements, differences, seen, common, may_differ=same_day)
    return _distinct(agreements, differences), differences


def _common_words(sentences: Sequence[str]) -> frozenset[str]:
    """Words so many of the topic's sentences use ("earthquake" in an earthquake topic) that
    sharing one says nothing of what two figures measure."""
    df: Counter[str] = Counter()
    for text in sentences:
        df.update(set(_content_words(text)))
    floor = max(_COMMON_MIN, _COMMON_SHARE * len(sentences))
    return frozenset(w for w, n in df.items() if n >= floor)


def _distinct(agreements: list[Agreement], differences: list[Difference]) -> list[Agreement]:
    """Each statement once (the figures it shares with other sources listed together: "12 crew
    members; 216 passengers"), and never a sentence that is also one side of a difference."""
    conflicting = {" ".join(c.quote.split()) for d in differences for _, c in d.versions}
    found: dict[str, tuple[list[str | None], dict[tuple[str, int, int], Citation]]] = {}
    for a in agreements:
        # Shown in the words of a source whose sentence is not also one side of a difference.
        wording = next((w for c in a.citations if (w := _statement(c)) not in conflicting), None)
        if wording is None:
            continue
        figures, cited = found.setdefault(wording, ([], {}))
        figures.append(a.fact)
        cited.update({(c.path, c.start, c.end): c for c in a.citations if (c.path, c.start, c.end) not in cited})
    out = []
    for wording, (figures, cited) in found.items():
        shared = list(dict.fromkeys(f for f in figures if f is not None))
        # Near-identical sentences agree on all they say: no figure needs naming.
        fact = None if None in figures or not shared else "; ".join(shared)
        out.append(Agreement(wording, tuple(cited.values()), fact))
    return out


def _compare_pair(a: Citation, b: Citation, sim: float, same_claim_at: float, agreements: list[Agreement],
                  differences: list[Difference], seen: set[tuple[str, str]], common: frozenset[str],
                  may_differ: bool = True) -> None:
    same_claim = sim >= same_claim_at
    fa, fb = facts(a.quote), facts(b.quote)
    for x in fa:
        for y in fb:
            key = (x.noun, f"{min(x.value, y.value)}-{max(x.value, y.value)}")
            if x.noun != y.noun or key in seen or not same_quantity(a.quote, x, b.quote, y, common):
                continue
            if x.value == y.value:
                seen.add(key)
                agreements.append(Agreement(_statement(a), (a, b), x.text))
            elif may_differ and sim >= SAME_REPORT and not _allows(a.quote, x, y) and not _allows(b.quote, y, x) \
                    and _differs(a.quote, x, b.quote, y, fa, fb):
                seen.add(key)
                differences.append(Difference(x.noun, ((x.text, a), (y.text, b))))
    if same_claim and not (fa and fb) and (a.quote, b.quote) not in seen:
        seen.add((a.quote, b.quote))
        agreements.append(Agreement(_statement(a), (a, b)))


def _differs(a: str, x: Fact, b: str, y: Fact, fa: list[Fact], fb: list[Fact]) -> bool:
    """Two figures of the same quantity differ only when neither sentence also states the other
    figure ("395,000 euro raised ... 150,000 euro pledged" in both is two agreements) and both
    name whose or where the figure is with a name they share ("Yukos faces a $27.5bn tax claim" /
    "Yukos owes $24bn"). Without one, two figures of one kind are as often of two things: "the
    earthquake reached 5.7, with a depth of 10 kilometers" / "It occurred at a depth of 44.3
    kilometers" are two Chilean quakes, "65 kilometers northwest of Cauquenes" / "34 kilometers
    northwest of Talca" two places."""
    if any(f.noun == x.noun and f.value == y.value for f in fa) or any(
            f.noun == y.noun and f.value == x.value for f in fb):
        return False
    return bool(_names_around(a, x) & _names_around(b, y))


def _names_around(sentence: str, fact: Fact) -> set[str]:
    return names_before(sentence, fact.start) | _names_after(sentence, fact)


def _allows(sentence: str, fact: Fact, other: Fact) -> bool:
    """Whether `fact`, hedged in its sentence ("at least two bodies", "nearly 80 libraries"),
    already allows the other figure (16 bodies; 79 libraries)."""
    before = " ".join(_TOKEN.findall(sentence[:fact.start].lower())[-3:])
    hedged = lambda words: any(before == w or before.endswith(" " + w) for w in words)  # noqa: E731
    return ((hedged(_AT_LEAST) and other.value >= fact.value) or (hedged(_AT_MOST) and other.value <= fact.value)
            or (hedged(_ABOUT) and abs(other.value - fact.value) <= _ABOUT_SHARE * fact.value))


def _names_after(sentence: str, fact: Fact) -> set[str]:
    """Proper nouns among the _WINDOW words after the figure."""
    from kit.grounding.structure.parser import parse

    after = [t for t in parse(sentence) if t.idx >= fact.end and not t.is_punct][:_WINDOW]
    return {t.text.lower() for t in after if t.pos_ == "PROPN" and t.text.lower() not in _DAYS | _MONTHS
            and t.text[:1].isupper()}


def same_quantity(a: str, x: Fact, b: str, y: Fact, common: frozenset[str] = frozenset()) -> bool:
    """Whether figure `x` of sentence `a` and `y` of `b` measure the same thing: a shared word
    near both figures besides the noun ("fired 18 cruise missiles" / "26 cruise missiles hit":
    cruise; not "18 cruise missiles" / "40 missiles at the museum"), no two different named
    subjects, no two different years."""
    shared = _near(a, x) & _near(b, y) - {match_stem(x.noun), match_stem(x.noun + "s")} - common - _UNIT_WORDS
    if not shared:
        return False
    years_a, years_b = set(_YEAR.findall(a)), set(_YEAR.findall(b))
    if years_a and years_b and not years_a & years_b:
        return False
    names_a, names_b = names_before(a, x.start), names_before(b, y.start)
    return not (names_a and names_b and not names_a & names_b)


def _near(sentence: str, fact: Fact) -> set[str]:
    """Common content words among the _WINDOW words before and after the figure (names say whose
    figure it is, not what it measures: `names_before`)."""
    def near(words: list[str]) -> list[str]:
        return _content_words(" ".join(words))

    before, after = _TOKEN.findall(sentence[:fact.start])[-_WINDOW:], _TOKEN.findall(sentence[fact.end:])[:_WINDOW]
    return set(near(before) + near(after))


def _content_words(text: str) -> list[str]:
    """Stemmed words that are neither function words nor capitalised (names)."""
    return [match_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z-]+", text)
            if w.lower() not in STOPWORDS and not w[0].isupper()]


def names_before(sentence: str, end: int) -> set[str]:
    """The proper nouns (spaCy's tags; days and months aside) before character `end`: the
    subject a figure belongs to is named before it ("Holmes, the 35-year-old"; "Yukos reported
    a turnover of £1.2bn"), while places after it say where, not whose."""
    from kit.grounding.structure.parser import parse

    return {t.text.lower() for t in parse(sentence) if t.idx < end and t.pos_ == "PROPN"
            and t.text.lower() not in _DAYS | _MONTHS and t.text[:1].isupper()}


def _statement(c: Citation) -> str:
    """What the sources agree on, shown as one source words it."""
    return " ".join(c.quote.split())
