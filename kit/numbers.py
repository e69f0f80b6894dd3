"""Numbers in English text: digits, number words and scales, as values with their spans.

"18", "eighteen", "1,500", "1.5 million", "twenty-five", "two hundred", "25th", "40%" and
"$3bn" all become values, so a claim's "18 missiles" matches a quote's "eighteen missiles"
and "4203" does not match "4,200". Used by the support check and by agreement between sources.
"One and a half million" is 1.5e6, "half a million" and "a half-billion" 5e5 and 5e8, "a quarter
of a million" 2.5e5. Fractions of a whole ("two-thirds of the voters", "half the staff") are
read apart, as shares in percent (`shares`); ranges are not read as one value. Word ordinals
count from "fourth" ("the seventeenth century" is 17, "twenty-first" 21); "first", "second" and
"third" alone are too often no number ("first, ..."; "a second") to count, and "a fifth" is a
fraction, not counted either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
         "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3}
_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
TENS = tuple(w for w, v in UNITS.items() if v >= 20)  # "twenty" ... "ninety"
_WORD_SCALES = "hundred|thousand|million|billion|trillion"
# A word number is a run of number words joined by spaces or hyphens, or by "and" right after a
# scale ("two hundred and five"); "five and six" stays two numbers.
_AND = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+"
_WORD_NUMBER = rf"(?:{_WORDS}|{_WORD_SCALES})(?:(?:[-\s]+|{_AND})(?:{_WORDS}|{_WORD_SCALES}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ORDINALS = {"fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
             "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
             "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
             "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80,
             "ninetieth": 90, "hundredth": 100, "thousandth": 1000}
_LOW_ORDINALS = {"first": 1, "second": 2, "third": 3}
# "seventeenth", "twenty-first", not "a fifth" or "two fifths" (fractions).
_ORDINAL = re.compile(
    rf"(?<![\w.])(?<!\ba )(?<!\bone )(?:(?P<tens>{'|'.join(TENS)})[-\s])?"
    rf"(?P<ord>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))}|(?<=[-\s])(?:first|second|third))(?![\w])",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    rf"(?<![\w.])(?:(?P<digits>{_DIGITS})(?:st|nd|rd|th)?(?:\s*(?P<scale>{_WORD_SCALES})\b|(?P<short>bn|mn|m|k)\b)?"
    rf"|(?P<words>{_WORD_NUMBER}))(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    """A number mentioned in text: its value and where it is."""

    value: float
    start: int
    end: int
    text: str


def numbers(text: str, include_one: bool = True) -> list[Number]:
    """Every number in `text`, in order. `include_one=False` skips a bare "one" (a pronoun
    as often as a number: "one of the convoys")."""
    halves = [Number(v, m.start(), m.end(), m.group()) for m in _HALF.finditer(text) if (v := _half(m)) is not None]
    halves += [Number(_FRACTIONS[re.sub(r"[-\s]+", " ", m.group("part").lower())] * SCALES[m.group("scale").lower()],
                      m.start(), m.end(), m.group())
               for m in _FRACTION.finditer(text) if not any(h.start <= m.start() < h.end for h in halves)]
    halves += [n for n in _ordinals(text) if not any(h.start <= n.start < h.end for h in halves)]
    out = list(halves)
    for m in _NUMBER.finditer(text):
        value = _value(m)
        if value is None or (not include_one and m.group().lower() in ("one", "a dozen")):
            continue
        if not any(h.start <= m.start() < h.end for h in halves):
            out.append(Number(value, m.start(), m.end(), m.group()))
    return sorted(out, key=lambda n: n.start)


def _ordinals(text: str) -> list[Number]:
    out = []
    for m in _ORDINAL.finditer(text):
        word = m.group("ord").lower()
        if m.group("tens") is None and word in _LOW_ORDINALS:
            continue  # "first" alone, or "second" after a hyphen of something else
        value = _ORDINALS.get(word) or _LOW_ORDINALS[word]
        out.append(Number(float(value + (UNITS[m.group("tens").lower()] if m.group("tens") else 0)),
                          m.start(), m.end(), m.group()))
    return out


# "one and a half million", "2 and a half years": a whole number, a half, and maybe a scale.
_HALF = re.compile(rf"(?<![\w.])(?P<whole>{_WORDS}|\d+) and a half(?:\s+(?P<scale>{_WORD_SCALES}))?\b", re.IGNORECASE)


# "half a million", "a half-billion", "a quarter of a million", "three quarters of a billion": a fraction
# of a scale. Without it "half a million" read as "a million", twice the value.
_FRACTIONS = {"half": 0.5, "quarter": 0.25, "three quarters": 0.75}
_FRACTION = re.compile(rf"(?<![\w.])(?:(?:a|one)\s+)?(?P<part>half|quarter|three[-\s]+quarters)"
                       rf"(?:\s+of)?(?:\s+an?)?[-\s]+(?P<scale>{_WORD_SCALES})\b", re.IGNORECASE)


# "two-thirds of", "a quarter of the", "half the", "three fifths": a share of a whole, not a count (the
# "two" of "two-thirds" is no figure of its own).
_PARTS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
          "ninth": 9, "tenth": 10}
_SHARE = re.compile(
    rf"(?<![\w.])(?:(?P<num>a|an|one|{'|'.join(w for w in UNITS if 2 <= UNITS[w] <= 9)})[-\s]+)?"
    rf"(?P<part>halves|half|(?:third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?)"
    rf"(?=\s+(?:of|the|its|their|his|her)\b)", re.IGNORECASE)
# "the second half of the year", "the first half": a part of a time or place, not a share of a whole.
_PART_OF_TIME = re.compile(r"\b(?:the|first|second|latter|former|last|final|other|top|bottom|back|front)\s+$",
                           re.IGNORECASE)


def shares(text: str) -> list[Number]:
    """Fractions of a whole in words, as percent: "two-thirds of the voters" 66.7, "half the
    staff" 50. A denominator needs its numerator ("a third", "two-thirds") except "half"; one
    followed by a scale ("half a million") is a number (`numbers`), not a share."""
    out = []
    for m in _SHARE.finditer(text):
        word, num = m.group("part").lower(), (m.group("num") or "").lower()
        part = "half" if word == "halves" else word.removesuffix("s")
        if not num and (part != "half" or _PART_OF_TIME.search(text[:m.start()])):
            continue  # "thirds of" alone, the "Fourth of July", "the second half of the year"
        top = 1 if num in ("", "a", "an", "one") else UNITS[num]
        if (top == 1) == (word != part) or top >= _PARTS[part]:
            continue  # "a thirds", "two third", "five quarters"
        out.append(Number(100.0 * top / _PARTS[part], m.start(), m.end(), m.group()))
    return out


def _half(m: re.Match[str]) -> float | None:
    whole = m.group("whole")
    base = float(whole) if whole.isdigit() else words_value(whole)
    scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
    return None if base is None else (base + 0.5) * scale


def _value(m: re.Match[str]) -> float | None:
    if m.group("digits"):
        base = float(m.group("digits").replace(",", ""))
        scale = m.group("scale") or m.group("short") or ""
        return base * SCALES.get(scale.lower(), 1.0)
    return words_value(m.group("words"))


def words_value(phrase: str) -> float | None:
    """The value of number words: "twenty-five" 25, "two hundred and five" 205, "3 million" no."""
    total, current = 0.0, 0.0
    for word in re.split(r"[-\s]+", phrase.lower()):
        if word == "and" or not word:
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word == "hundred":
            current = max(current, 1.0) * 100
        elif word in SCALES:
            total += max(current, 1.0) * SCALES[word]
            current = 0.0
        else:
            return None
    return total + current


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def values(text: str) -> set[float]:
    """The values of `text`'s numbers, each also without its scale ("1.5 million" gives 1.5e6 and 1.5)."""
    out: set[float] = set()
    for n in numbers(text):
        out.add(n.value)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", n.text):  # "120.000" is 120,000 in much of Europe
            out.add(float(n.text.replace(".", "")))
        digits = re.match(r"[\d,.]+", n.text)
        if digits and digits.group().strip(",."):
            out.add(float(digits.group().replace(",", "").rstrip(".")))
    return out


def spelled_out_as_digits(text: str) -> str:
    """`text` with numbers written in words as digits ("sixty-nine aircraft" -> "69 aircraft", "one and
    a half million" -> "1500000"); a bare "one" stays a word (as often a pronoun as a number)."""
    out, at = [], 0
    for n in numbers(text, include_one=False):
        if any(ch.isdigit() for ch in n.text):
            continue
        out += [text[at:n.start], f"{n.value:.15g}"]
        at = n.end
    return "".join(out) + text[at:]
