"""Units written as words, abbreviations or signs: "70%" is "70 percent", "10,000 hp" is "10,000
horsepower", "$500 million" is "500 million dollars" and "500,000,000 USD"; spans of time too.

The support judge reads a claim's words in its quote (`wording.words_of`), and the quantity checks
compare what two figures count (`quantities`, `structure.figures`); both ask here so that a unit
spelled another way is the same unit. An abbreviation with a second common meaning ("m": metres or
million, "mi", "ha") is left out.
"""

from __future__ import annotations

# Each group: the unit's name first, then its other spellings (signs, abbreviations, plurals that
# a stemmer does not reach: "feet").
_GROUPS = (
    ("percent", "%", "per cent", "pct"),
    ("dollar", "$", "usd", "us$"),
    ("euro", "€", "eur"),
    ("pound", "£", "gbp", "sterling", "lb", "lbs"),
    ("yen", "¥", "jpy"),
    ("horsepower", "hp", "bhp"),
    ("kilometre", "km", "kilometer", "kms"),
    ("metre", "meter"),
    ("centimetre", "cm", "centimeter"),
    ("millimetre", "mm", "millimeter"),
    ("kilogram", "kg", "kilo", "kgs"),
    ("tonne", "ton"),
    ("foot", "ft", "feet"),
    ("mile",),
    # spans of time: "closed for two days" is not "for two hours"
    ("second", "secs"),
    ("minute", "mins"),
    ("hour", "hrs"),
    ("day",),
    ("week",),
    ("month",),
    ("year", "yrs"),
    ("decade",),
    ("century", "centuries"),
)
_NAME = {form: group[0] for group in _GROUPS for form in group}
_WORDS = {group[0]: tuple(f for f in group if f.isalpha()) for group in _GROUPS}
SIGNS = tuple(form for group in _GROUPS for form in group if not any(ch.isalpha() for ch in form))


def unit_name(word: str) -> str:
    """The unit's name for any of its spellings ("%" -> "percent", "km" -> "kilometre"); other
    words as given (lower-cased)."""
    w = word.lower().rstrip(".")
    if w in _NAME:
        return _NAME[w]
    if w.endswith("s") and w[:-1] in _NAME and len(w) > 3:  # "kilometres", "dollars"
        return _NAME[w[:-1]]
    return w


def spellings(word: str) -> tuple[str, ...]:
    """The spellings in letters of the unit `word` is one of (none when it is no unit)."""
    return _WORDS.get(unit_name(word), ())
