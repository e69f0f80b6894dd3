"""The numbers of a claim against its quote: the same value in any spelling, or within a bound.

"18" is "eighteen", "1.5 million" is "one and a half million" (kit.numbers reads the values); a
bounded figure ("more than 100 people", "nearly 60 trucks") is supported by a figure of the same
order within the bound, of the same thing ("116 people"), and contradicted by the same figure
bounded the other way ("more than 80"), or by the same figure given to another thing while the
claim's thing has a figure of its own ("80 fuel trucks" / "80 terrorists, eight fuel trucks").
Figures given as parts of a total ("24 trucks and 36 cars" for "60 vehicles") are not added up.
"""

from __future__ import annotations

import re

from kit.grounding.units import spellings, unit_name
from kit.numbers import Number, numbers, same_value, shares, values, words_value
from kit.text import MONTH_ABBREVIATIONS, MONTH_NAMES, STOPWORDS, is_year


def number_reasons(claim: str, quote: str, found: frozenset[float]) -> list[str]:
    """Why the numbers of `claim` are not those of `quote` (whose values are `found`): a figure the
    quote does not give, gives bounded the other way, or gives to another thing."""
    quoted = numbers(quote)  # read once, for every number of the claim
    parts, their_parts = shares(claim), shares(quote)
    reasons = [f"share {s.text} not in the quote" for s in parts
               if not _share_given(s.value, _BOUND.search(claim[:s.start]), quote, quoted, their_parts)]
    for n in numbers(claim, include_one=False):
        if any(s.start <= n.start < s.end for s in parts):
            continue  # the "two" of "two-thirds": the share is checked as a whole
        unit = _unit(claim, n.end)
        if unit == "percent" and any(_close_share(n.value, s.value) for s in their_parts):
            continue  # "67%" for "two-thirds"
        if any(same_value(c, v) for c in {n.value} | _readings(n.text) for v in found):
            reasons += (_bound_conflict(claim, n, quote, quoted) + _counts_another_thing(claim, n, quote, quoted)
                        + _another_unit(claim, n, quote, quoted))
            continue
        bound = _BOUND.search(claim[:n.start])
        if bound is not None and any(_within(bound.group(1).lower(), n.value, m.value)
                                     and _unit(quote, m.end) == unit for m in quoted):
            continue
        if (n.value in _years_reckoned(quote, quoted) or _listed(n.value, unit, quote)
                or (unit == "year" and n.value in years_in_words(quote))):
            continue
        reasons.append(f"number {n.text} not in the quote")
    return reasons


# Shares in words are rounded: "two-thirds" says 63 to 70 percent, "a third" 30 to 37.
_SHARE_SLACK = 4.0


def _close_share(a: float, b: float) -> bool:
    return abs(a - b) <= _SHARE_SLACK


def _share_given(value: float, bound: re.Match[str] | None, quote: str, quoted: list[Number],
                 their_parts: list[Number]) -> bool:
    """Whether the quote gives a share of `value` percent, in words or as a percentage, or one
    within the claim's bound ("more than four-fifths": 85%)."""
    given = [s.value for s in their_parts] + [m.value for m in quoted if _unit(quote, m.end) == "percent"]
    word = bound.group(1).lower() if bound else ""
    if _direction(word or None):
        return any(_within(word, value, v) for v in given)
    return any(_close_share(value, v) for v in given)


# A bound before a claim's number ("more than 100", "nearly 60"): the quote's figure need not be
# the same, only within the bound ("116 people" supports "more than 100 people").
_BOUND = re.compile(r"\b(more than|over|above|in excess of|at least|upwards of|beyond|passing|surpassing|exceeding|"
                    r"topping|surpassed|exceeded|topped|fewer than|less than|under|below|"
                    r"up to|at most|nearly|almost|about|around|roughly|approximately|close to|some)\s+[$£€]?\s*$",
                    re.IGNORECASE)


def figure_words(text: str) -> list[tuple[int, int]]:
    """Spans of `text` that `number_reasons` checks as figures, not as words: shares in words
    ("two-thirds") and the bound before a figure or a share ("nearly 60", "more than half")."""
    spans = [(s.start, s.end) for s in shares(text)]
    for start in sorted({n.start for n in numbers(text)} | {s for s, _ in spans}):
        bound = _BOUND.search(text[:start])
        if bound is not None:
            spans.append((bound.start(1), bound.end(1)))
    return sorted(spans)


_ABOVE = {"more than": False, "over": False, "above": False, "in excess of": False, "at least": True,
          "upwards of": True,  # True: the figure itself is within the bound
          **dict.fromkeys(("beyond", "passing", "surpassing", "exceeding", "topping", "surpassed", "exceeded",
                           "topped"), False)}  # "the toll ..., passing 80,000": more than 80,000
_BELOW = {"fewer than": False, "less than": False, "under": False, "below": False, "up to": True, "at most": True}


def _counts_another_thing(claim: str, n: Number, quote: str, quoted: list[Number]) -> list[str]:
    """The quote gives the claim's figure to another thing and another figure to the claim's thing:
    "80 fuel trucks" from "more than 80 terrorists, 36 cars, eight fuel trucks"."""
    unit = _unit(claim, n.end)
    if not _a_thing(unit) or _a_date(claim, n):
        return []
    quoted = [m for m in quoted if not _a_date(quote, m)]
    same = [m for m in quoted if same_value(m.value, n.value)]
    # "ten warships ..., six of them in the Mediterranean": six is a part of the claim's thing, and
    # the claim that says what the part does ("six are in the Mediterranean") is about the part.
    parts = [(m, tail) for m in same if (tail := _partitive(quote, m.end)) is not None]
    if any(_shares_a_word(claim, tail) for _, tail in parts):
        return []
    whole = [m for m in same if m not in {m for m, _ in parts}]
    if not same or any(not _a_thing(_unit(quote, m.end)) or _same_thing(_unit(quote, m.end), unit) for m in whole):
        return []
    other = next((m for m in quoted if not same_value(m.value, n.value) and _unit(quote, m.end) == unit), None)
    if other is None or bound_holds(claim, n.start, n.value, other.value):
        return []
    if parts:
        word = re.match(r"\s*([%\w]+)", quote[other.end:])
        part, said = parts[0]
        return [f"the quote counts {other.text} {word.group(1) if word else unit}, {part.text} of them{said}"]
    return [f"the quote counts {same[0].text} {_unit(quote, same[0].end)}, and {other.text} {unit}"]


# A month before a figure makes it a day or a year ("December 26 Indian Ocean tsunami"), no count.
_MONTHS = [m.capitalize() for m in (*MONTH_NAMES, *MONTH_ABBREVIATIONS)]
_MONTH_BEFORE = re.compile(rf"\b(?:{'|'.join(_MONTHS)})\.?,?\s+$")


def _a_date(text: str, n: Number) -> bool:
    """Whether the figure `n` of `text` follows a month: a day or a year."""
    return bool(_MONTH_BEFORE.search(text[:n.start]))


_PARTITIVE = re.compile(r"\s+of\s+(?:them|those|these|which|whom)\b([^.;,]*)", re.IGNORECASE)


def _partitive(quote: str, end: int) -> str | None:
    """What the quote says of a figure given as a part ("six of them in the Mediterranean": " in the
    Mediterranean"), or None when the figure is no part."""
    m = _PARTITIVE.match(quote, end)
    return m.group(1).rstrip() if m else None


def _shares_a_word(claim: str, text: str) -> bool:
    mine = {w.lower() for w in re.findall(r"[A-Za-z]+", claim)} - STOPWORDS
    return any(w.lower() in mine for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in STOPWORDS)


def _another_unit(claim: str, n: Number, quote: str, quoted: list[Number]) -> list[str]:
    """The quote gives the claim's figure only in another unit: "300 horsepower" / "300 kg"."""
    unit = _unit(claim, n.end)
    units = {_unit(quote, m.end) for m in quoted if same_value(m.value, n.value)}
    if not spellings(unit) or not units or unit in units or not all(spellings(u) for u in units):
        return []
    return [f"the quote gives {n.text} in {sorted(units)[0]}, not {unit}"]


# A span of years counted from a year the quote gives: "elected in 1805, and ... two years later".
_SPAN = re.compile(r"\b(?:(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\s+"
                   r"(?P<way>later|after(?:wards?)?|on|earlier|before|previously|prior)"
                   r"|the\s+(?P<adjacent>following|next|previous|preceding)\s+year)\b", re.IGNORECASE)
_EARLIER = {"earlier", "before", "previously", "prior", "previous", "preceding"}


def _years_reckoned(quote: str, quoted: list[Number]) -> set[float]:
    """Years the quote gives by counting from one of its own ("in 1805 ... two years later": 1807)."""
    years = [m for m in quoted if is_year(m.text)]
    out: set[float] = set()
    for span in _SPAN.finditer(quote) if years else ():
        count = span.group("count")
        step = 1 if count is None or count.lower() in ("a", "an") else words_value(count) or float(count)
        way = (span.group("way") or span.group("adjacent")).lower()
        sign = -1 if way in _EARLIER else 1
        out |= {y.value + sign * step for y in years if y.end <= span.start()}
    return out


# "a decade", "two decades", "half a century": a span of years in words.
_SPAN_WORDS = re.compile(r"\b(?:(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|\d)\s+"
                         r"|(?P<half>half\s+a)\s+)(?P<unit>decades?|centur(?:y|ies))\b", re.IGNORECASE)


def years_in_words(quote: str) -> set[float]:
    """The spans of years the quote gives in words ("a decade" is 10 years, "two centuries" 200)."""
    out = set()
    for m in _SPAN_WORDS.finditer(quote):
        size = 10.0 if m.group("unit").lower().startswith("decade") else 100.0
        count = 0.5 if m.group("half") else (1.0 if m.group("count").lower() in ("a", "an")
                                              else words_value(m.group("count")) or float(m.group("count")))
        out.add(count * size)
    return out


# Names listed as the members of what a claim counts: "the provinces of Raqqa, Idlib and Aleppo".
_NAME = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
_LIST = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*\s*,?\s+(?:and|or)\s+{_NAME}")


def _listed(count: float, thing: str, quote: str) -> bool:
    """Whether the quote names exactly `count` members of `thing`, listed beside its word ("three
    provinces": "the provinces of Raqqa, Idlib and Aleppo", "Raqqa, Idlib and Aleppo provinces")."""
    if not _a_thing(thing) or not 2 <= count <= 12:
        return False
    for word in re.finditer(rf"\b{re.escape(thing[:5])}\w*", quote, re.IGNORECASE):
        after = re.match(rf"\s+(?:of|in|including|such as)?\s*(?:the\s+)?({_LIST.pattern})", quote[word.end():])
        before = [m for m in _LIST.finditer(quote[:word.start()]) if not quote[m.end():word.start()].strip()]
        for listed in ([after.group(1)] if after else []) + [m.group() for m in before]:
            if len(re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", listed)) == count:
                return True
    return False


def _a_thing(word: str) -> bool:
    """A word that names what is counted ("trucks"), not a preposition, a digit or a letter."""
    return len(word) >= 3 and word.isalpha() and word not in STOPWORDS


def _same_thing(a: str, b: str) -> bool:
    return a[:5] == b[:5]  # "kilometre" / "kilometer", "policeman" / "policemen"


def _unit(text: str, end: int) -> str:
    """The word after a number ("people", "%", "days"), so that "over 18 days" is not read against
    "38 contests"."""
    m = re.match(r"\s*(per\s+cent\b|[%\w]+)", text[end:])
    if m is None:
        return ""
    word = re.sub(r"\s+", "", m.group(1).lower())  # "per cent": "percent"
    name = unit_name(word)  # "%" is "percent", "USD" "dollar"
    return name if name != word else word.rstrip("s")


_APPROACHING = frozenset({"nearly", "almost"})  # "nearly 100": just under it


def _direction(bound: str | None) -> int:
    """+1 for a lower bound ("more than"), -1 for an upper one ("fewer than"), 0 otherwise."""
    return 1 if bound in _ABOVE else -1 if bound in _BELOW else 0


def _bound_conflict(claim: str, n: Number, quote: str, quoted: list[Number]) -> list[str]:
    """The claim bounds its number the other way than the quote bounds the same figure ("fewer than
    80" / "more than 80"), or strictly where the quote gives the figure itself ("more than 80" / "80")."""
    mine = _BOUND.search(claim[:n.start])
    bound = mine.group(1).lower() if mine else ""
    side = -1 if bound in _APPROACHING else _direction(bound or None)
    if not bound:
        return _ceiling_as_figure(claim, n, quote, quoted)
    if not side:
        return []
    for m in quoted:
        if same_value(m.value, n.value):
            theirs = _BOUND.search(quote[:m.start])
            their_side = _direction(theirs.group(1).lower() if theirs else None)
            if bound in _APPROACHING and their_side != 1:
                return []  # "nearly 100" of "100" or "about 100" may be a rounding; of "over 100" it is not
            if their_side == side or (not their_side and (_ABOVE | _BELOW).get(bound)):
                return []
            said = f"{theirs.group(1)} {m.text}" if theirs else m.text
            return [f"the claim says \"{bound} {n.text}\", the quote \"{said}\""]
    return []


# Bounds that give a figure as a ceiling: "up to four times as many" says at most four times.
_CEILING = re.compile(r"\b(up to|at most|as many as|as much as|no more than|a maximum of)\s+[$£€]?\s*$", re.IGNORECASE)


def _ceiling_as_figure(claim: str, n: Number, quote: str, quoted: list[Number]) -> list[str]:
    """A figure the claim states flat where the quote gives it only as a ceiling ("four times as
    many women died" / "up to four times as many"); a year after "up to" is a time ("up to 2010")."""
    if is_year(n.text) or _CEILING.search(claim[:n.start]):
        return []
    for m in quoted:
        theirs = _CEILING.search(quote[:m.start])
        if same_value(m.value, n.value) and theirs is not None:
            return [f"the quote says \"{theirs.group(1)} {m.text}\", an upper bound, not the figure"]
    return []


def bound_holds(text: str, start: int, claimed: float, value: float) -> bool:
    """Whether the figure `claimed` at `start` of `text` has a bound before it ("more than 100")
    that the quote's `value` meets (126): then `value` is what the figure says, wherever the quote
    also has `claimed` itself ("126 combat sorties Wednesday, and ... more than 100 sorties are to
    be flown")."""
    bound = _BOUND.search(text[:start])
    return bound is not None and _direction(bound.group(1).lower()) != 0 and _within(bound.group(1).lower(),
                                                                                       claimed, value)


def _within(bound: str, claimed: float, value: float) -> bool:
    """Whether the quote's `value` is what "<bound> <claimed>" says. Only figures of the same order
    count (a factor of 3 either way): a year or a total elsewhere in the quote is no evidence."""
    if not claimed or not (claimed / 3 <= value <= claimed * 3):
        return False
    if bound in _ABOVE:
        return value > claimed or (_ABOVE[bound] and same_value(value, claimed))
    if bound in _BELOW:
        return value < claimed or (_BELOW[bound] and same_value(value, claimed))
    return abs(value - claimed) <= 0.1 * claimed  # about, nearly, roughly: within a tenth


def _readings(number: str) -> set[float]:
    """Other values the written number may mean ("120.000" is 120,000 in much of Europe)."""
    return values(number) if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number) else set()
