"""Spelling variants that name the same thing: accents dropped ("François" / "Francois"), one
letter off ("Aleppo" / "Alepo", "Tabqa" / "Taqbqa") and initials written apart ("U. N." /
"U.N."), as news text and model output write names.

Used by the support judge: a claim and a quote whose words differ only in accents are judged
without accents on both sides; one letter off counts for names only (for ordinary words one
letter is often a different word: "planned" / "planted").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

MIN_LETTERS = 6  # shorter names differ by one letter too often ("Mali" / "Bali")


def fold(text: str) -> str:
    """`text` without accents."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def unaccented(text: str) -> str:
    """`text` without accents on its letters, nothing else changed (canonical decomposition:
    "…", "²" and "½" stay as they are)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text)
                                                if not unicodedata.combining(ch)))


# An initial followed by a space and another initial: "U. N." is "U.N.".
_INITIALS_APART = re.compile(r"\b([A-Z])\.\s+(?=[A-Z]\.)")


def joined_initials(text: str) -> str:
    """`text` with the initials of a name written together ("the U. S. Congress": "the U.S. Congress")."""
    return _INITIALS_APART.sub(r"\1.", text) if ". " in text else text


_ACCENTED = re.compile(r"\w*[^\W\d_a-zA-Z]\w*")


def accents_apart(claim: str, texts: Sequence[str]) -> bool:
    """Whether a word of `claim` and a word of `texts` differ only in accents ("Erdogan" /
    "Erdoğan", "Muller" / "Müller"): the claim then names what the texts name."""
    theirs = " ".join(texts)
    mine, other = set(_ACCENTED.findall(claim)), set(_ACCENTED.findall(theirs))
    if not mine and not other:
        return False
    words_mine, words_other = set(re.findall(r"\w+", claim)), set(re.findall(r"\w+", theirs))
    return (any(w not in words_other and unaccented(w) in words_other for w in mine)
            or any(w not in words_mine and unaccented(w) in words_mine for w in other))


def one_letter_apart(a: str, b: str) -> bool:
    """`a` and `b` differ by one letter added, dropped or changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def near_name(name: str, spellings: Iterable[str]) -> bool:
    """`name` is one of `spellings` (lower case) one letter off, with the same first letter, the
    longer of the two at least MIN_LETTERS letters ("Tabqa" / "Taqbqa", not "Mali" / "Bali"), or
    cut short of it (`short_form`)."""
    key = fold(name.lower()).replace("’", "'").removesuffix("'s")
    return key.isalpha() and len(key) >= MIN_LETTERS - 1 and any(
        (other[:1] == key[:1] and max(len(key), len(other)) >= MIN_LETTERS and one_letter_apart(key, other))
        or short_form(key, other) for other in spellings)


def short_form(a: str, b: str) -> bool:
    """One name the other cut short ("Vino" for "Vinokourov"): a prefix of at least four letters and
    at most 60% of the full name's length, so not "Niger" for "Nigeria"."""
    short, full = sorted((a, b), key=len)
    return len(short) >= 4 and len(short) <= 0.6 * len(full) and full.startswith(short)
